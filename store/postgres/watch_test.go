package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/postgres"
)

// Two stores on one database stand for two replicas: what one commits, the
// other must never answer from what it cached before (watch.go).
func TestHotReadsNeverStaleAcrossStores(t *testing.T) {
	a, b, ctx := twoStores(t)
	now := time.Now().UTC()
	org, m := seedOrgMember(t, ctx, a, "org_hot", "mem_hot", nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The listeners connect in the background; until then nothing is
	// cached (and nothing is stale either).
	awaitCache(t, b, func() { _, _, _ = b.GetOrganizationMember(ctx, org.ID, m.ID) })

	status := func(s *postgres.Store) model.MemberStatus {
		t.Helper()
		_, got, err := s.GetOrganizationMember(ctx, org.ID, m.ID)
		must(err)
		return got.Status
	}
	setStatus := func(s *postgres.Store, st model.MemberStatus) {
		t.Helper()
		must(s.InTx(ctx, func(tx store.Tx) error {
			cur, err := tx.GetMember(ctx, org.ID, m.ID)
			if err != nil {
				return err
			}
			cur.Status = st
			return tx.UpdateMember(ctx, cur)
		}))
	}
	const trials = 300
	stale := 0
	hits := postgres.CacheHits(b)
	for i := range trials {
		writer := []*postgres.Store{a, b}[i%2]
		for _, s := range []*postgres.Store{a, b} {
			status(s)
			if status(s) != model.StatusActive {
				t.Fatalf("trial %d: not active before deactivation", i)
			}
		}
		setStatus(writer, model.StatusDeactivated)
		for _, s := range []*postgres.Store{a, b} {
			// What the request path reads first (package identity): from
			// memory, or nothing.
			if _, got, hit := s.CachedOrganizationMember(org.ID, m.ID); hit && got.Status != model.StatusDeactivated {
				stale++
			}
			if status(s) != model.StatusDeactivated {
				stale++
			}
		}
		setStatus(writer, model.StatusActive)

		// Existence: created, asked twice, deleted, asked again.
		id := fmt.Sprintf("int_hot_%d", i)
		must(writer.InTx(ctx, func(tx store.Tx) error {
			return tx.CreateInteraction(ctx, &model.Interaction{ID: id, OrgID: org.ID, Title: "t", OwnerID: m.ID, CreatedAt: now})
		}))
		for _, s := range []*postgres.Store{a, b} {
			for range 2 {
				if ok, err := s.Exists(ctx, org.ID, store.EntityInteraction, id); err != nil || !ok {
					t.Fatalf("trial %d: created interaction not found: %v", i, err)
				}
			}
			if found, hit := s.CachedExists(org.ID, store.EntityInteraction, id); hit && !found {
				t.Fatalf("trial %d: the cache says a created interaction does not exist", i)
			}
		}
		must(writer.InTx(ctx, func(tx store.Tx) error { return tx.DeleteInteraction(ctx, org.ID, id) }))
		for _, s := range []*postgres.Store{a, b} {
			// What the request path reads first (package domain's
			// checkResource): from memory, or nothing.
			if found, hit := s.CachedExists(org.ID, store.EntityInteraction, id); hit && found {
				stale++
			}
			if ok, err := s.Exists(ctx, org.ID, store.EntityInteraction, id); err != nil || ok {
				stale++
			}
		}
		if stale > 5 {
			break
		}
	}
	if stale > 0 {
		t.Fatalf("%d stale answers in %d trials", stale, trials)
	}
	status(b)
	if _, _, hit := b.CachedOrganizationMember(org.ID, m.ID); !hit {
		t.Fatal("CachedOrganizationMember misses right after a read: the request path never reads from memory")
	}
	if postgres.CacheHits(b)-hits < trials {
		t.Fatalf("only %d answers from the cache in %d trials: the cache is not used", postgres.CacheHits(b)-hits, trials)
	}
}
