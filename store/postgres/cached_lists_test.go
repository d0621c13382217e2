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
	a, url := open(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	b, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	now := time.Now().UTC()
	org := &model.Organization{ID: "org_lists", Name: "Lists", Plan: model.PlanEnterprise, CreatedAt: now}
	m := &model.Member{OrgID: org.ID, ID: "mem_lists", Email: "l@x.example", Name: "L", Status: model.StatusActive, CreatedAt: now}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, org); err != nil {
			return err
		}
		if err := tx.CreateTeam(ctx, &model.Team{OrgID: org.ID, ID: "team_a", Name: "A"}); err != nil {
			return err
		}
		if err := tx.CreateTeam(ctx, &model.Team{OrgID: org.ID, ID: "team_b", Name: "B"}); err != nil {
			return err
		}
		return tx.CreateMember(ctx, m)
	}))
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
	deadline := time.Now().Add(10 * time.Second)
	for postgres.CacheHits(b) == 0 && time.Now().Before(deadline) {
		list(b)
		time.Sleep(10 * time.Millisecond)
	}
	if postgres.CacheHits(b) == 0 {
		t.Fatal("the second store never answered from its cache")
	}
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
