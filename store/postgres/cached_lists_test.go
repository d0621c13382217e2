package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/postgres"
)

// Listings by scope are cached like the hot reads (cached_lists.go): two
// stores on one database stand for two replicas, and what one commits —
// an interaction created, moved to another team, given an evaluation,
// deleted — the other lists at once, never what it cached before.
func TestListingsNeverStaleAcrossStores(t *testing.T) {
	a, b, ctx := twoStores(t)
	now := time.Now().UTC()
	org, m := seedOrgMember(t, ctx, a, "org_lists", "mem_lists", func(tx store.Tx) error {
		if err := tx.CreateTeam(ctx, &model.Team{OrgID: "org_lists", ID: "team_a", Name: "A"}); err != nil {
			return err
		}
		return tx.CreateTeam(ctx, &model.Team{OrgID: "org_lists", ID: "team_b", Name: "B"})
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	teamA := store.ResourceFilter{TeamIDs: []string{"team_a"}, Page: store.Page{Limit: 51}}
	mine := store.ResourceFilter{InvolvedID: m.ID, Page: store.Page{Limit: 50, NewestFirst: true}}
	list := func(s *postgres.Store) (interactions, evaluations []string) {
		t.Helper()
		is, err := s.ListInteractionsWhere(ctx, org.ID, teamA)
		must(err)
		es, err := s.ListEvaluationsWhere(ctx, org.ID, mine)
		must(err)
		for _, i := range is {
			interactions = append(interactions, i.ID)
		}
		for _, e := range es {
			evaluations = append(evaluations, e.ID)
		}
		return interactions, evaluations
	}
	awaitCache(t, b, func() { list(b) })
	const trials = 100
	stale := 0
	hits := postgres.CacheHits(b)
	check := func(i int, step string, wantI, wantE bool, id, evID string) {
		for _, s := range []*postgres.Store{a, b} {
			for range 2 { // the second from the cache
				is, es := list(s)
				if slices.Contains(is, id) != wantI || slices.Contains(es, evID) != wantE {
					stale++
					t.Logf("trial %d, %s: listed %v, %v", i, step, is, es)
				}
			}
		}
	}
	for i := range trials {
		writer := []*postgres.Store{a, b}[i%2]
		id, evID := fmt.Sprintf("int_l_%d", i), fmt.Sprintf("ev_l_%d", i)
		check(i, "before", false, false, id, evID)
		must(writer.InTx(ctx, func(tx store.Tx) error {
			return tx.CreateInteraction(ctx, &model.Interaction{ID: id, OrgID: org.ID, Title: "t", OwnerID: "mem_other", TeamID: "team_a", CreatedAt: now})
		}))
		check(i, "created in team A", true, false, id, evID)
		must(writer.InTx(ctx, func(tx store.Tx) error {
			return tx.CreateEvaluation(ctx, &model.Evaluation{ID: evID, OrgID: org.ID, InteractionID: id, AgentID: m.ID, Score: 1, CreatedAt: now})
		}))
		check(i, "evaluated", true, true, id, evID)
		must(writer.InTx(ctx, func(tx store.Tx) error {
			cur, err := tx.GetInteraction(ctx, org.ID, id)
			if err != nil {
				return err
			}
			cur.TeamID = "team_b"
			return tx.UpdateInteraction(ctx, cur)
		}))
		check(i, "moved to team B", false, true, id, evID)
		must(writer.InTx(ctx, func(tx store.Tx) error { return tx.DeleteInteraction(ctx, org.ID, id) }))
		check(i, "deleted", false, false, id, evID)
		if stale > 5 {
			break
		}
	}
	if stale > 0 {
		t.Fatalf("%d stale listings in %d trials", stale, trials)
	}
	if postgres.CacheHits(b)-hits < trials {
		t.Fatalf("only %d answers from the cache in %d trials: the cache is not used", postgres.CacheHits(b)-hits, trials)
	}
}

// twoStores is open's store and a second one on its database: two replicas.
func twoStores(t *testing.T) (a, b *postgres.Store, ctx context.Context) {
	t.Helper()
	a, url := open(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	t.Cleanup(cancel)
	b, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return a, b, ctx
}

// awaitCache asks until s answers from its cache: its listener connects in
// the background, and until then nothing is cached (nor stale).
func awaitCache(t *testing.T, s *postgres.Store, ask func()) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for postgres.CacheHits(s) == 0 && time.Now().Before(deadline) {
		ask()
		time.Sleep(10 * time.Millisecond)
	}
	if postgres.CacheHits(s) == 0 {
		t.Fatal("the second store never answered from its cache")
	}
}

// seedOrgMember creates an organization with one ACTIVE member, and what
// more writes in the same transaction.
func seedOrgMember(t *testing.T, ctx context.Context, s *postgres.Store, orgID, memberID string, more func(tx store.Tx) error) (*model.Organization, *model.Member) {
	t.Helper()
	now := time.Now().UTC()
	org := &model.Organization{ID: orgID, Name: orgID, Plan: model.PlanEnterprise, CreatedAt: now}
	m := &model.Member{OrgID: orgID, ID: memberID, Email: memberID + "@x.example", Name: memberID, Status: model.StatusActive, CreatedAt: now}
	err := s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, org); err != nil {
			return err
		}
		if err := tx.CreateMember(ctx, m); err != nil {
			return err
		}
		if more != nil {
			return more(tx)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return org, m
}
