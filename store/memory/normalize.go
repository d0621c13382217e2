package memory

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
// Postgres can only give values back in that shape, so the memory backend
// does the same and the conformance suite can compare whole structs. The
// postgres package carries the same rules; keep them in step.

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

func copyOrg(o *model.Organization) *model.Organization {
	c := *o
	c.Products = canonicalOrder(o.Products, model.AllProducts)
	c.CreatedAt = normTime(o.CreatedAt)
	return &c
}

func copyMember(m *model.Member) *model.Member {
	c := *m
	c.RoleIDs = sortedIDs(m.RoleIDs)
	c.Seats = canonicalOrder(m.Seats, model.AllSeatKinds)
	c.CreatedAt = normTime(m.CreatedAt)
	return &c
}

func copyTeam(t *model.Team) *model.Team { c := *t; return &c }

func copyMembership(m *model.TeamMembership) *model.TeamMembership { c := *m; return &c }

func copyRole(r *model.Role) *model.Role {
	c := *r
	c.Grants = sortedGrants(r.Grants)
	return &c
}

func copyPool(p *model.SeatPool) *model.SeatPool { c := *p; return &c }

func copyInteraction(i *model.Interaction) *model.Interaction {
	c := *i
	c.AssigneeIDs = sortedIDs(i.AssigneeIDs)
	c.CreatedAt = normTime(i.CreatedAt)
	return &c
}

func copyEvaluation(e *model.Evaluation) *model.Evaluation {
	c := *e
	c.CreatedAt = normTime(e.CreatedAt)
	return &c
}

func copyAudit(e *model.AuditEvent) *model.AuditEvent {
	c := *e
	c.At = normTime(e.At)
	return &c
}

func copyInvitation(inv *model.Invitation) *model.Invitation {
	c := *inv
	c.ExpiresAt = normTime(inv.ExpiresAt)
	c.UsedAt = normTimePtr(inv.UsedAt)
	return &c
}

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
