package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/postgres"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
	"github.com/rolegraph/rolegraph/store/storetest"
)

// open migrates a fresh database and opens a store on it.
func open(t *testing.T) (*postgres.Store, string) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := postgres.Migrate(ctx, url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s, url
}

func TestConformance(t *testing.T) {
	storetest.RunConformance(t, func(t *testing.T) store.Store {
		s, _ := open(t)
		return s
	})
}

func tables(t *testing.T, url string) []string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(t.Context(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestMigrateIsIdempotentAndConcurrencySafe(t *testing.T) {
	ctx := t.Context()

	url := pgtest.NewDatabase(t)
	for i := range 2 {
		if err := postgres.Migrate(ctx, url); err != nil {
			t.Fatalf("Migrate run %d: %v", i+1, err)
		}
	}
	want := tables(t, url)

	// Two processes starting at once: both must succeed, and the schema
	// must come out the same as from one.
	url2 := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = postgres.Migrate(ctx, url2)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Migrate %d: %v", i, err)
		}
	}
	got := tables(t, url2)
	if len(got) != len(want) || len(want) < 10 {
		t.Fatalf("tables after concurrent migrate: %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("tables after concurrent migrate: %v, want %v", got, want)
		}
	}

	conn, err := pgx.Connect(ctx, url2)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n, versions int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&n, &versions); err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != versions {
		t.Errorf("schema_migrations: %d rows for %d versions", n, versions)
	}
}

func TestOpenDoesNotMigrate(t *testing.T) {
	url := pgtest.NewDatabase(t)
	s, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if got := tables(t, url); len(got) != 0 {
		t.Errorf("Open created tables %v", got)
	}
}

func TestUnreachableIsErrUnavailable(t *testing.T) {
	// Port 1 on loopback: nothing listens, the connection is refused at once.
	const bad = "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2"
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := postgres.Open(ctx, bad); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Open: %v, want ErrUnavailable", err)
	}
	if err := postgres.Migrate(ctx, bad); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Migrate: %v, want ErrUnavailable", err)
	}
}

// The outbox lock must hold across processes, not only within one pool:
// two stores on one database stand in for two service replicas.
func TestOutboxLockAcrossStores(t *testing.T) {
	s1, url := open(t)
	s2, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	ctx := t.Context()
	if err := s1.InTx(ctx, func(tx store.Tx) error {
		return tx.CreateOrganization(ctx, &model.Organization{ID: "o1", Name: "O", Plan: model.PlanPro})
	}); err != nil {
		t.Fatal(err)
	}

	var inside, overlaps atomic.Int32
	var wg sync.WaitGroup
	for _, s := range []store.Store{s1, s2, s1, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				err := s.WithOutboxLock(ctx, "o1", func() error {
					if inside.Add(1) > 1 {
						overlaps.Add(1)
					}
					time.Sleep(3 * time.Millisecond)
					inside.Add(-1)
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d overlapping holders of the outbox lock across stores", n)
	}
}

// A holder whose context ends must still give the lock back.
func TestOutboxLockReleasedAfterCanceledContext(t *testing.T) {
	s, _ := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	err := s.WithOutboxLock(ctx, "o1", func() error { cancel(); return nil })
	if err != nil {
		t.Fatalf("WithOutboxLock: %v", err)
	}
	lctx, lcancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer lcancel()
	if err := s.WithOutboxLock(lctx, "o1", func() error { return nil }); err != nil {
		t.Fatalf("lock not given back after the holder's context ended: %v", err)
	}
}

// BulkLoad (the bench's seeding) stores what the ordinary writes store:
// every entity reads back equal to what was loaded, in canonical shape.
func TestBulkLoadReadsBackEqual(t *testing.T) {
	s, _ := open(t)
	ctx := t.Context()
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	org := &model.Organization{ID: "o1", Name: "Bulk", Plan: model.PlanPro, Products: []model.Product{model.ProductConversations, model.ProductQuality}, CreatedAt: at}
	role := &model.Role{ID: "r1", OrgID: "o1", Name: "R", Grants: []model.Grant{}}
	if err := s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, org); err != nil {
			return err
		}
		return tx.CreateRole(ctx, role)
	}); err != nil {
		t.Fatal(err)
	}
	b := postgres.Bulk{
		Members: []*model.Member{
			{ID: "m1", OrgID: "o1", Email: "A@example.com", Name: "A", Status: model.StatusActive, RoleIDs: []string{"r1"},
				Seats: []model.SeatKind{model.SeatVoice, model.SeatRecorder}, CreatedAt: at},
			{ID: "m2", OrgID: "o1", Email: "b@example.com", Name: "B", Status: model.StatusInvited, RoleIDs: []string{"r1"}, Seats: []model.SeatKind{}, CreatedAt: at.Add(time.Second)},
		},
		Teams:        []*model.Team{{ID: "t1", OrgID: "o1", Name: "Top"}, {ID: "t2", OrgID: "o1", Name: "Sub", ParentID: "t1"}},
		Memberships:  []*model.TeamMembership{{OrgID: "o1", TeamID: "t2", MemberID: "m1", Manager: true}},
		Interactions: []*model.Interaction{{ID: "i1", OrgID: "o1", Title: "Call", OwnerID: "m1", TeamID: "t2", AssigneeIDs: []string{"m2"}, CreatedAt: at}},
		Evaluations: []*model.Evaluation{
			{ID: "e1", OrgID: "o1", InteractionID: "i1", AgentID: "m1", EvaluatorID: "m2", Score: 87, CreatedAt: at.Add(time.Minute)},
			{ID: "e2", OrgID: "o1", InteractionID: "i1", AgentID: "m1", EvaluatorID: "m2", Score: 12, CreatedAt: at.Add(time.Hour)},
		},
	}
	if err := s.BulkLoad(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, m := range b.Members {
		got, err := s.GetMember(ctx, "o1", m.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *m
		want.Seats = []model.SeatKind{}
		for _, k := range model.AllSeatKinds { // canonical order
			for _, h := range m.Seats {
				if h == k {
					want.Seats = append(want.Seats, k)
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(&want) {
			t.Errorf("member %s: got %+v, want %+v", m.ID, got, &want)
		}
	}
	for _, tm := range b.Teams {
		got, err := s.GetTeam(ctx, "o1", tm.ID)
		if err != nil || got.Name != tm.Name || got.ParentID != tm.ParentID {
			t.Errorf("team %s: got %+v, %v", tm.ID, got, err)
		}
	}
	ms, err := s.ListMemberships(ctx, "o1", "", "")
	if err != nil || len(ms) != 1 || *ms[0] != *b.Memberships[0] {
		t.Errorf("memberships: %+v, %v", ms, err)
	}
	i, err := s.GetInteraction(ctx, "o1", "i1")
	if err != nil || fmt.Sprint(i) != fmt.Sprint(b.Interactions[0]) {
		t.Errorf("interaction: got %+v (%v), want %+v", i, err, b.Interactions[0])
	}
	evs, err := s.ListEvaluations(ctx, "o1", store.Page{NewestFirst: true})
	if err != nil || len(evs) != 2 || fmt.Sprint(evs[0]) != fmt.Sprint(b.Evaluations[1]) || fmt.Sprint(evs[1]) != fmt.Sprint(b.Evaluations[0]) {
		t.Errorf("evaluations newest first: got %+v (%v), want %+v", evs, err, b.Evaluations)
	}
}
