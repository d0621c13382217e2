package postgres

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rolegraph/rolegraph/model"
)

// The store, not its callers, puts values in the canonical shape the model
// documents (sorted ids, seats and products in catalog order, grants by
// permission, times in UTC at microsecond precision, empty slices as nil).
// Join tables cannot keep a caller's order, so this backend gives values
// back in that shape, and the memory backend does the same so that the
// conformance suite can compare whole structs. The memory package carries
// the same rules; keep them in step.

func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func normTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := normTime(*t)
	return &n
}

func sortedIDs(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// canonicalOrder orders vals as canon lists them; values canon does not know
// go last, sorted, so that nothing a caller stored is silently dropped.
func canonicalOrder[T ~string](vals, canon []T) []T {
	if len(vals) == 0 {
		return nil
	}
	rank := func(v T) int {
		if i := slices.Index(canon, v); i >= 0 {
			return i
		}
		return len(canon)
	}
	out := slices.Clone(vals)
	slices.SortFunc(out, func(a, b T) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return slices.Compact(out)
}

func sortedGrants(gs []model.Grant) []model.Grant {
	if len(gs) == 0 {
		return nil
	}
	out := slices.Clone(gs)
	slices.SortStableFunc(out, func(a, b model.Grant) int { return cmp.Compare(a.Permission, b.Permission) })
	return out
}

// foldKey is the case-insensitive form of emails and names; uniqueness and
// name ordering use it.
func foldKey(s string) string { return strings.ToLower(s) }

// eventClock hands out audit ids that sort in the order they were handed
// out: ListAudit pages newest first by (At, ID), so two events appended in
// the same microsecond must still come back in append order.
var eventClock struct {
	sync.Mutex
	last int64
}

// newEventID returns a time-ordered id (16 hex digits of nanoseconds, then
// 8 random ones so that ids from different processes never collide) and the
// instant it stands for.
func newEventID() (string, time.Time) {
	eventClock.Lock()
	ns := time.Now().UnixNano()
	if ns <= eventClock.last {
		ns = eventClock.last + 1
	}
	eventClock.last = ns
	eventClock.Unlock()
	return fmt.Sprintf("%016x%08x", ns, rand.Uint32()), time.Unix(0, ns)
}

// strs is for text[] columns, which are NOT NULL: empty is {} not NULL.
func strs[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// fromStrs is strs backwards, with empty as nil as the model has it.
func fromStrs[T ~string](vals []string) []T {
	if len(vals) == 0 {
		return nil
	}
	out := make([]T, len(vals))
	for i, v := range vals {
		out[i] = T(v)
	}
	return out
}

// grantsJSON is what the grants column stores: [] rather than null for none.
func grantsJSON(gs []model.Grant) []model.Grant {
	if out := sortedGrants(gs); out != nil {
		return out
	}
	return []model.Grant{}
}
