package authz

import (
	"context"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
)

// SpiceDB drops an expired relationship from what it reads, but its
// dispatch cache keeps sub-results per revision, and a revision changes
// only with a write: without one after an expiry, a check at the
// organization's ZedToken (or at the head) is answered from results
// computed before it — an allow that outlives the role. So once an
// organization has an expiry in the past, its questions are asked at the
// head revision, and this process makes sure that head is newer than the
// expiry: it writes once after each expiry it learns of (a delete of a
// tuple that never exists, which changes nothing but the revision).

// tickTuple is never written: deleting it only advances the revision.
var tickTuple = &v1.Relationship{
	Resource: &v1.ObjectReference{ObjectType: "role", ObjectId: "rolegraph_tick"},
	Relation: "assignee",
	Subject:  &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: "member", ObjectId: "rolegraph_tick"}},
}

// afterExpiry returns the consistency to ask at for f: c itself, or, when
// an expiry has passed, the head revision once it is newer than the expiry.
func (a *Authz) afterExpiry(ctx context.Context, f Freshness, c *v1.Consistency) (*v1.Consistency, error) {
	last := f.LastExpiry
	// An organization read before its next expiry, asked after it.
	if !f.Horizon.IsZero() && !time.Now().Before(f.Horizon) && f.Horizon.After(last) {
		last = f.Horizon
	}
	if last.IsZero() {
		return c, nil
	}
	a.mu.Lock()
	ticked := !a.tickAt.Before(last) && !a.tickAt.IsZero()
	a.mu.Unlock()
	if !ticked {
		start := time.Now()
		if _, err := a.writeChunk(ctx, []*v1.RelationshipUpdate{{Operation: v1.RelationshipUpdate_OPERATION_DELETE, Relationship: tickTuple}}); err != nil {
			return nil, err
		}
		a.mu.Lock()
		if start.After(a.tickAt) {
			a.tickAt = start
		}
		a.mu.Unlock()
	}
	return &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}}, nil
}
