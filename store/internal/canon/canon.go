// Package canon is the canonical shape of stored values, shared by every
// store backend: sorted ids, seats and products in catalog order, grants by
// permission, times in UTC at microsecond precision, empty slices as nil,
// names and emails compared case-insensitively, and the id and time the
// store gives an audit event that has none.
//
// The store, not its callers, puts values in this shape. Postgres can only
// give values back in it (join tables keep no caller's order); the memory
// backend does the same, so that the conformance suite can compare whole
// structs. Both backends use this one copy of the rules, so they cannot
// drift apart.
package canon

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

// Time is t in UTC at microsecond precision, Postgres' timestamptz; the
// zero time stays zero.
func Time(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// TimePtr is Time for an optional time.
func TimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := Time(*t)
	return &n
}

// IDs is ids sorted without repeats, nil when empty.
func IDs(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// TempRoles is as sorted by role id with canonical times, nil when empty.
func TempRoles(as []model.RoleAssignment) []model.RoleAssignment {
	if len(as) == 0 {
		return nil
	}
	out := slices.Clone(as)
	for i := range out {
		out[i].ExpiresAt = Time(out[i].ExpiresAt)
	}
	slices.SortFunc(out, func(a, b model.RoleAssignment) int { return strings.Compare(a.RoleID, b.RoleID) })
	return out
}

// Products is ps in model.AllProducts order.
func Products(ps []model.Product) []model.Product { return order(ps, model.AllProducts) }

// Seats is ks in model.AllSeatKinds order.
func Seats(ks []model.SeatKind) []model.SeatKind { return order(ks, model.AllSeatKinds) }

// order orders vals as canon lists them; values canon does not know go
// last, sorted, so that nothing a caller stored is silently dropped.
func order[T ~string](vals, canon []T) []T {
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

// Grants is gs ordered by permission, nil when empty.
func Grants(gs []model.Grant) []model.Grant {
	if len(gs) == 0 {
		return nil
	}
	out := slices.Clone(gs)
	slices.SortStableFunc(out, func(a, b model.Grant) int { return cmp.Compare(a.Permission, b.Permission) })
	return out
}

// Fold is the case-insensitive form of emails and names; uniqueness and
// name ordering use it.
func Fold(s string) string { return strings.ToLower(s) }

// AuditDefaults gives e the id and time AppendAudit promises when it has
// none: a fresh time-ordered id, and the instant that id stands for.
func AuditDefaults(e *model.AuditEvent) {
	if e.ID != "" && !e.At.IsZero() {
		return
	}
	id, at := newEventID()
	if e.ID == "" {
		e.ID = id
	}
	if e.At.IsZero() {
		e.At = Time(at)
	}
}

// eventClock hands out audit ids that sort in the order they were handed
// out: ListAudit pages newest first by (At, ID), so two events appended in
// the same microsecond must still come back in append order. It is
// process-wide on purpose: every store of a process draws from one clock.
var eventClock clock

// clock hands out instants (Unix nanoseconds) that only go forward.
type clock struct {
	sync.Mutex
	last int64
}

// next is now, or the instant after the last one handed out when now is
// not later (a tick shared with another event, or the wall clock going
// back).
func (c *clock) next(now int64) int64 {
	c.Lock()
	defer c.Unlock()
	if now <= c.last {
		now = c.last + 1
	}
	c.last = now
	return now
}

// newEventID returns a time-ordered id (16 hex digits of nanoseconds, then
// 8 random ones so that ids from different processes never collide) and the
// instant it stands for.
func newEventID() (string, time.Time) {
	ns := eventClock.next(time.Now().UnixNano())
	return fmt.Sprintf("%016x%08x", ns, rand.Uint32()), time.Unix(0, ns)
}
