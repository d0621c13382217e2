package outbox_test

// The applier against the memory store and an embedded SpiceDB: what a
// read of a pending organization does (Settle), and what authz is told.
// The kill-the-applier property test is e2e/outbox_test.go's
// TestOutboxKillApplier; reads across replicas, e2e/pending_test.go.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rolegraph "github.com/rolegraph/rolegraph"
	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/spicedb/spicedbtest"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/memory"
)

// pendingOrg commits an organization and its graph's relationships to the
// outbox, none applied: the organization reads back Pending.
func pendingOrg(t *testing.T, st store.Store, id string) *model.Organization {
	t.Helper()
	ctx := context.Background()
	org := &model.Organization{ID: id, Name: id, Plan: model.PlanPro, OwnerID: "mem_" + id, CreatedAt: time.Now().UTC(),
		Products: []model.Product{model.ProductConversations}}
	err := st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, org); err != nil {
			return err
		}
		return tx.Enqueue(ctx, id, rels.Touches(rels.Organization(catalog.Default(), org)))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.GetOrganization(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Pending {
		t.Fatal("an organization with unapplied outbox entries does not read Pending: the test does not test anything")
	}
	return got
}

type env struct {
	st store.Store
	az *authz.Authz
}

func newEnv(t *testing.T) env {
	t.Helper()
	conn := spicedbtest.New(t, "", rolegraph.SchemaZed)
	st := memory.New()
	t.Cleanup(st.Close)
	return env{st: st, az: authz.New(conn.Client)}
}

// stages counts the fail points an apply passes, and can hold one.
type stages struct {
	mu    sync.Mutex
	seen  map[string]int
	fail  error         // returned at "write" while set
	hold  chan struct{} // "write" waits for it to close while set
	entry chan struct{} // closed when "write" is first reached
	once  sync.Once
}

func newStages() *stages {
	return &stages{seen: map[string]int{}, entry: make(chan struct{})}
}

func (s *stages) point(stage string) error {
	s.mu.Lock()
	s.seen[stage]++
	fail, hold := s.fail, s.hold
	s.mu.Unlock()
	if stage != "write" {
		return nil
	}
	s.once.Do(func() { close(s.entry) })
	if hold != nil {
		<-hold
	}
	return fail
}

func (s *stages) count(stage string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[stage]
}

// A read of a pending organization applies its changes first and answers
// from the organization read again; one with nothing pending is answered
// as it is, without touching the outbox; one whose changes cannot be
// applied is not answered at all, and stays pending.
func TestSettle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		pending bool
		fail    error
	}{
		{"pending, applied", true, nil},
		{"nothing pending", false, nil},
		{"pending, SpiceDB refuses", true, fmt.Errorf("%w: injected", authz.ErrUnavailable)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			org := pendingOrg(t, e.st, "org_"+fmt.Sprint(time.Now().UnixNano()))
			if !tc.pending {
				if err := outbox.New(e.st, e.az).Flush(ctx, org.ID); err != nil {
					t.Fatal(err)
				}
				var err error
				if org, err = e.st.GetOrganization(ctx, org.ID); err != nil || org.Pending {
					t.Fatalf("after a flush: pending %v (%v)", org.Pending, err)
				}
			}
			s := newStages()
			s.fail = tc.fail
			got, err := outbox.New(e.st, e.az, outbox.WithFailPoint(s.point)).Settle(ctx, org)
			switch {
			case !tc.pending:
				if err != nil || got != org || s.count("write") != 0 {
					t.Fatalf("settling a ready organization: %v, same %v, %d writes; want it back untouched", err, got == org, s.count("write"))
				}
			case tc.fail != nil:
				if !errors.Is(err, authz.ErrUnavailable) || got != nil {
					t.Fatalf("settling while SpiceDB refuses: %v, %v; want no organization and ErrUnavailable", got, err)
				}
				if again, _ := e.st.GetOrganization(ctx, org.ID); !again.Pending {
					t.Fatal("the organization is no longer pending though nothing was applied")
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got.Pending || got.Revision <= org.Revision || got.ZedToken == "" {
					t.Fatalf("settled: pending %v, revision %d (was %d), token %q; want applied, a newer revision and its token",
						got.Pending, got.Revision, org.Revision, got.ZedToken)
				}
				// authz was told the revision the apply made, without reading the store.
				if rev := e.az.Revision(authz.Freshness{OrgID: org.ID}); rev != got.Revision {
					t.Fatalf("authz knows revision %d, the store says %d", rev, got.Revision)
				}
			}
		})
	}
}

// Reads that find the same pending organization share one apply; a reader
// that gives up leaves at once, and the apply goes on for the others.
func TestSettleSharedApplyOutlivesAGivingUpReader(t *testing.T) {
	e := newEnv(t)
	org := pendingOrg(t, e.st, "org_shared")
	s := newStages()
	s.hold = make(chan struct{})
	ob := outbox.New(e.st, e.az, outbox.WithFailPoint(s.point))

	quitter, quit := context.WithCancel(context.Background())
	quitDone := make(chan error, 1)
	go func() {
		_, err := ob.Settle(quitter, org)
		quitDone <- err
	}()
	<-s.entry // the apply is under way, held before its first write
	var waiter atomic.Pointer[model.Organization]
	waiterDone := make(chan error, 1)
	go func() {
		got, err := ob.Settle(context.Background(), org)
		waiter.Store(got)
		waiterDone <- err
	}()
	// Let the second reader join the apply under way.
	time.Sleep(200 * time.Millisecond)

	quit()
	select {
	case err := <-quitDone:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the reader that gave up: %v, want its cancellation", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a reader that gave up still waits for the apply")
	}
	close(s.hold)
	select {
	case err := <-waiterDone:
		if err != nil {
			t.Fatalf("the reader that waited: %v (the other reader's cancellation reached the shared apply)", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the reader that waited never got an answer")
	}
	if got := waiter.Load(); got.Pending || got.Revision <= org.Revision {
		t.Fatalf("the reader that waited got pending %v, revision %d (was %d)", got.Pending, got.Revision, org.Revision)
	}
	if n := s.count("mark"); n != 1 {
		t.Fatalf("%d applies marked for two readers of one pending organization, want one shared", n)
	}
}

// A write made outside the outbox (a reconcile's repair) bumps the
// revision, so nothing cached before it is served after it, and authz
// learns the new revision.
func TestRecord(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	org := pendingOrg(t, e.st, "org_record")
	ob := outbox.New(e.st, e.az)
	if err := ob.Flush(ctx, org.ID); err != nil {
		t.Fatal(err)
	}
	before, err := e.st.GetOrganization(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := ob.Record(ctx, org.ID, before.ZedToken); err != nil {
		t.Fatal(err)
	}
	after, err := e.st.GetOrganization(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Revision != before.Revision+1 {
		t.Fatalf("revision %d after recording a write, was %d", after.Revision, before.Revision)
	}
	if rev := e.az.Revision(authz.Freshness{OrgID: org.ID, Revision: before.Revision}); rev != after.Revision {
		t.Fatalf("authz knows revision %d, the store says %d", rev, after.Revision)
	}
}
