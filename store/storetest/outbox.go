package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// The outbox (Enqueue, PendingOutbox, MarkApplied) and the locks
// (WithOutboxLock, LockOrganization).

func updates(es []store.OutboxEntry) []rels.Update {
	out := []rels.Update{}
	for _, e := range es {
		out = append(out, e.Update)
	}
	return out
}

func entryIDs(es []store.OutboxEntry) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func (h *h) enqueue(orgID string, us ...rels.Update) {
	h.Helper()
	h.inTx(func(tx store.Tx) error { return tx.Enqueue(h.ctx, orgID, us) })
}

func (h *h) pending(orgID string, limit int) []store.OutboxEntry {
	h.Helper()
	es, err := h.s.PendingOutbox(h.ctx, orgID, limit)
	h.ok(err, "PendingOutbox")
	for _, e := range es {
		if e.OrgID != orgID {
			h.Errorf("PendingOutbox(%s) returned an entry of %s", orgID, e.OrgID)
		}
	}
	return es
}

func testOutboxOrderAndMarkApplied(h *h) {
	h.seed(org("o1"), org("o2"), org("o3"), member("o1", "m1", 1))
	wild := rels.Update{Op: rels.OpTouch, Rel: rels.Relationship{ResourceType: "role", ResourceID: "r1",
		Relation: "granted", SubjectType: "team", SubjectID: "*", SubjectRelation: "member"}}
	h.enqueue("o1", upTouch("a", "1"), upDelete("b", "2"), wild)
	h.enqueue("o2", upTouch("x", "9"))
	h.inTx(func(tx store.Tx) error {
		if err := tx.Enqueue(h.ctx, "o1", []rels.Update{upTouch("c", "3")}); err != nil {
			return err
		}
		if err := tx.Enqueue(h.ctx, "o1", nil); err != nil {
			return err
		}
		return tx.Enqueue(h.ctx, "o1", []rels.Update{upDelete("d", "4")})
	})
	want := []rels.Update{upTouch("a", "1"), upDelete("b", "2"), wild, upTouch("c", "3"), upDelete("d", "4")}

	q := h.pending("o1", 0)
	eq(h, "pending updates in enqueue order", updates(q), want)
	idsOf := entryIDs(q)
	if !slices.IsSorted(idsOf) || len(slices.Compact(slices.Clone(idsOf))) != len(idsOf) {
		h.Errorf("outbox ids %v do not increase", idsOf)
	}
	eq(h, "pending, limit 2", h.pending("o1", 2), q[:2])
	orgs, err := h.s.OrgsWithPending(h.ctx)
	h.ok(err, "OrgsWithPending")
	eq(h, "orgs with pending", orgs, []string{"o1", "o2"})

	h.ok(h.s.MarkApplied(h.ctx, "o1", idsOf[2], "zed-1"), "MarkApplied")
	eq(h, "pending after applying 3", h.pending("o1", 0), q[3:])
	o, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	eq(h, "revision and token after one apply", [2]any{o.Revision, o.ZedToken}, [2]any{int64(1), "zed-1"})
	eq(h, "pending flag with entries left", o.Pending, true)
	om, _, err := h.s.GetOrganizationMember(h.ctx, "o1", "m1")
	h.ok(err, "GetOrganizationMember")
	eq(h, "pending flag read with a member", om.Pending, true)
	o2, err := h.s.GetOrganization(h.ctx, "o2")
	h.ok(err, "GetOrganization o2")
	eq(h, "other org untouched", [3]any{o2.Revision, o2.ZedToken, o2.Pending}, [3]any{int64(0), "", true})
	eq(h, "other org's outbox untouched", updates(h.pending("o2", 0)), []rels.Update{upTouch("x", "9")})

	h.ok(h.s.MarkApplied(h.ctx, "o1", idsOf[4], "zed-2"), "MarkApplied")
	eq(h, "pending after applying all", len(h.pending("o1", 0)), 0)
	o, err = h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	eq(h, "revision and token after two applies", [2]any{o.Revision, o.ZedToken}, [2]any{int64(2), "zed-2"})
	eq(h, "pending flag once all is applied", o.Pending, false)
	all, err := h.s.ListOrganizations(h.ctx)
	h.ok(err, "ListOrganizations")
	for _, lo := range all {
		eq(h, "pending flag of "+lo.ID+" in a listing", lo.Pending, lo.ID == "o2")
	}
	orgs, err = h.s.OrgsWithPending(h.ctx)
	h.ok(err, "OrgsWithPending")
	eq(h, "orgs with pending after apply", orgs, []string{"o2"})

	// Later entries get later ids than everything before.
	h.enqueue("o1", upTouch("e", "5"))
	q2 := h.pending("o1", 0)
	o, err = h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	eq(h, "pending flag after a new entry", o.Pending, true)
	if len(q2) != 1 || q2[0].ID <= idsOf[4] {
		h.Errorf("entry enqueued after apply: %v, want one with id > %d", q2, idsOf[4])
	}

	// MarkApplied with nothing pending still moves the revision.
	h.ok(h.s.MarkApplied(h.ctx, "o3", 0, "zed-3"), "MarkApplied(nothing pending)")
	o3, err := h.s.GetOrganization(h.ctx, "o3")
	h.ok(err, "GetOrganization o3")
	eq(h, "revision after an empty apply", [2]any{o3.Revision, o3.ZedToken}, [2]any{int64(1), "zed-3"})
	h.is(h.s.MarkApplied(h.ctx, "nope", 1, "z"), store.ErrNotFound, "MarkApplied(unknown organization)")
	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.Enqueue(h.ctx, "nope", []rels.Update{upTouch("a", "1")}) })
	h.is(err, store.ErrNotFound, "Enqueue(unknown organization)")
	eq(h, "pending of an unknown org", len(h.pending("nope", 0)), 0)
}

// A transaction that enqueued first but commits last must not end up with
// an id below entries an applier may already have applied: ids follow
// commit order within an organization.
func testOutboxIDsFollowCommitOrder(h *h) {
	h.seed(org("o1"))
	aEnqueued, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	var errA, errB error
	var seenByB []store.OutboxEntry
	wg.Add(2)
	go func() {
		defer wg.Done()
		errA = h.s.InTx(h.ctx, func(tx store.Tx) error {
			if err := tx.Enqueue(h.ctx, "o1", []rels.Update{upTouch("a", "1")}); err != nil {
				close(aEnqueued)
				return err
			}
			close(aEnqueued)
			<-release
			return nil
		})
	}()
	go func() {
		defer wg.Done()
		<-aEnqueued
		errB = h.s.InTx(h.ctx, func(tx store.Tx) error {
			return tx.Enqueue(h.ctx, "o1", []rels.Update{upTouch("b", "2")})
		})
		if errB == nil {
			seenByB, errB = h.s.PendingOutbox(h.ctx, "o1", 0)
		}
	}()
	<-aEnqueued
	time.Sleep(150 * time.Millisecond) // B's chance to commit first, if the store lets it
	close(release)
	wg.Wait()
	h.ok(errA, "transaction A")
	h.ok(errB, "transaction B")
	eq(h, "what an applier saw right after B committed", updates(seenByB),
		[]rels.Update{upTouch("a", "1"), upTouch("b", "2")})
	q := h.pending("o1", 0)
	eq(h, "final outbox", updates(q), []rels.Update{upTouch("a", "1"), upTouch("b", "2")})
	if len(q) == 2 && q[0].ID >= q[1].ID {
		h.Errorf("ids %d, %d do not follow commit order", q[0].ID, q[1].ID)
	}
}

func testWithOutboxLockExcludes(h *h) {
	h.seed(org("o1"), org("o2"))
	var inside, overlaps, runs atomic.Int32
	h.concurrently(2, 10, "WithOutboxLock", func() error {
		return h.s.WithOutboxLock(h.ctx, "o1", func() error {
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			runs.Add(1)
			time.Sleep(2 * time.Millisecond)
			inside.Add(-1)
			return nil
		})
	})
	eq(h, "overlapping holders", overlaps.Load(), int32(0))
	eq(h, "runs", runs.Load(), int32(20))
}

// Holders of sets of organizations' locks, given in crossing orders, and
// holders of one exclude each other organization by organization, and
// every one of them gets its turn (no deadlock: the context would end it).
func testWithOutboxLocksExcludeWithoutDeadlock(h *h) {
	h.seed(org("o1"), org("o2"), org("o3"))
	sets := [][]string{{"o1", "o2", "o3"}, {"o3", "o2", "o1"}, {"o2"}, {"o3", "o1"}, {"o1"}}
	var inside [3]atomic.Int32
	var overlaps, runs atomic.Int32
	ctx, cancel := context.WithTimeout(h.ctx, 30*time.Second)
	defer cancel()
	var n atomic.Int32
	h.concurrently(len(sets), 5, "WithOutboxLocks", func() error {
		set := sets[int(n.Add(1)-1)%len(sets)]
		return h.s.WithOutboxLocks(ctx, set, func() error {
			for _, id := range set {
				if inside[id[1]-'1'].Add(1) > 1 {
					overlaps.Add(1)
				}
			}
			runs.Add(1)
			time.Sleep(time.Millisecond)
			for _, id := range set {
				inside[id[1]-'1'].Add(-1)
			}
			return nil
		})
	})
	eq(h, "overlapping holders of one organization", overlaps.Load(), int32(0))
	eq(h, "runs", runs.Load(), int32(5*len(sets)))
}

func testWithOutboxLockIsPerOrganization(h *h) {
	h.seed(org("o1"), org("o2"))
	h.enqueue("o1", upTouch("a", "1"))
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- h.s.WithOutboxLock(h.ctx, "o1", func() error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held

	// Another organization's lock is free.
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	ran := false
	h.ok(h.s.WithOutboxLock(ctx, "o2", func() error { ran = true; return nil }), "WithOutboxLock(o2) while o1 is held")
	cancel()
	eq(h, "o2's fn ran", ran, true)

	// o1's is not: waiting for it gives up with the context.
	ctx, cancel = context.WithTimeout(h.ctx, 200*time.Millisecond)
	ran = false
	err := h.s.WithOutboxLock(ctx, "o1", func() error { ran = true; return nil })
	cancel()
	if err == nil || ran {
		h.Errorf("WithOutboxLock(o1) while held elsewhere: err %v, fn ran %v", err, ran)
	}
	close(release)
	h.ok(<-done, "holder")

	// fn's error comes back as is, and the lock is free afterwards; an
	// applier's round trip (read, apply, mark) works while holding it.
	err = h.s.WithOutboxLock(h.ctx, "o1", func() error { return errBoom })
	if err != errBoom {
		h.Errorf("WithOutboxLock returned %v, want fn's error", err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = h.s.WithOutboxLock(h.ctx, "o1", func() error { panic(errBoom) })
	}()
	ctx, cancel = context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	h.ok(h.s.WithOutboxLock(ctx, "o1", func() error {
		q, err := h.s.PendingOutbox(ctx, "o1", 10)
		if err != nil {
			return err
		}
		if len(q) != 1 {
			return errors.New("want one pending entry")
		}
		return h.s.MarkApplied(ctx, "o1", q[0].ID, "zed")
	}), "WithOutboxLock after an error and a panic")
	eq(h, "pending after the applier", len(h.pending("o1", 0)), 0)
}

func testLockOrganizationSerializes(h *h) {
	h.seed(org("o1"), &model.SeatPool{OrgID: "o1", Kind: model.SeatRecorder, Total: 0})
	const workers, rounds = 4, 8
	h.concurrently(workers, rounds, "increment", func() error {
		return h.s.InTx(h.ctx, func(tx store.Tx) error {
			if err := tx.LockOrganization(h.ctx, "o1"); err != nil {
				return err
			}
			ps, err := tx.ListSeatPools(h.ctx, "o1")
			if err != nil {
				return err
			}
			// Widen the window in which an unserialized store would
			// lose an update.
			time.Sleep(time.Millisecond)
			return tx.PutSeatPool(h.ctx, &model.SeatPool{OrgID: "o1", Kind: model.SeatRecorder, Total: ps[0].Total + 1})
		})
	})
	ps, err := h.s.ListSeatPools(h.ctx, "o1")
	h.ok(err, "ListSeatPools")
	eq(h, "counter after serialized increments", ps[0].Total, workers*rounds)

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.LockOrganization(h.ctx, "nope") })
	h.is(err, store.ErrNotFound, "LockOrganization(unknown)")
}
