package e2e

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"

	"golang.org/x/sync/errgroup"
)

// The Postgres store keeps the member read of authentication and the
// existence read of `can` in process while no write to the organization
// has committed (store/postgres/watch.go), and learns of writes by other
// replicas through LISTEN/NOTIFY. These tests prove that no replica ever
// answers from what it read before a write that was acknowledged: a
// deactivated member is refused on the very next request on either
// replica, and a deleted interaction is not found on either.

// replicas are servers on one pair of databases: replica 0 is e, the
// others share its entity store and SpiceDB datastore. On the memory
// backend (one process by nature) there is only e.
func replicas(t *testing.T, b backend, n int) []*env {
	t.Helper()
	if b == memoryBackend {
		n = 1
	}
	cfg := testConfig(t, b)
	var out []*env
	for range n {
		out = append(out, serveConfig(t, cfg))
	}
	return out
}

// on is the same identity's client on another replica.
func (c *client) on(e *env) *client {
	d := *c
	d.e = e
	return &d
}

// staleTrials is how many deactivate-then-ask rounds TestHotCacheNoStaleMember
// runs (ROLEGRAPH_STALE_TRIALS overrides; 1000 by default, 100 with -short).
func staleTrials(t *testing.T) int {
	if v, err := strconv.Atoi(os.Getenv("ROLEGRAPH_STALE_TRIALS")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return 100
	}
	return 1000
}

func forEachBackendReplicas(t *testing.T, f func(t *testing.T, rs []*env)) {
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) { f(t, replicas(t, b, 2)) })
	}
}

func TestHotCacheNoStaleMember(t *testing.T) {
	t.Parallel() // answers only (forEachBackendAtOnce)
	forEachBackendReplicas(t, func(t *testing.T, rs []*env) {
		trials := staleTrials(t)
		if len(rs) == 1 {
			// One process (memory): no replica to fall behind; a few
			// rounds prove the single cache-free path.
			trials = min(trials, 100)
		}
		// Four organizations take turns with the trials at once (writes
		// to one organization are serialized, and each waits for the
		// other replica's acknowledgement): replicas see writes and cached
		// reads interleave as under real traffic.
		const workers = 4
		type subject struct {
			owner, m *client
			call     string
		}
		var subjects []subject
		for w := range workers {
			o := rs[0].newOrg(fmt.Sprintf("Hot Cache %d", w), "ENTERPRISE", nil)
			m := o.member("rec@hot.example", []string{"recorder"}, nil, []string{"RECORDER"})
			subjects = append(subjects, subject{o.Owner, m, o.interaction("mine", m, "")})
		}
		const canQ = `query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`
		const deactivate = `mutation($m: ID!) { deactivateMember(memberId: $m) { status } }`
		const reactivate = `mutation($m: ID!) { reactivateMember(memberId: $m) { status } }`
		var stale atomic.Int64
		g, ctx := errgroup.WithContext(t.Context())
		for w, sub := range subjects {
			g.Go(func() error {
				vars := map[string]any{"p": "interactions.read", "r": sub.call}
				who := map[string]any{"m": sub.m.MemberID}
				for i := w; i < trials && stale.Load() <= 5; i += workers {
					// The admin acts on one replica, the member asks on
					// each in turn; each replica answered (and so cached)
					// just before.
					admin := sub.owner.on(rs[i%len(rs)]).gql()
					for _, r := range rs {
						var d struct{ Can bool }
						if err := sub.m.on(r).gql().Do(ctx, canQ, vars, &d); err != nil || !d.Can {
							return fmt.Errorf("trial %d: the active member cannot read their own interaction (%v)", i, err)
						}
					}
					if err := admin.Do(ctx, deactivate, who, nil); err != nil {
						return fmt.Errorf("trial %d: deactivating: %w", i, err)
					}
					for _, r := range rs {
						res, err := sub.m.on(r).gql().Post(ctx, canQ, vars)
						if err != nil {
							return fmt.Errorf("trial %d: %w", i, err)
						}
						if len(res.Errors) == 0 || res.Errors[0].Code() != "UNAUTHENTICATED" {
							stale.Add(1)
							t.Errorf("trial %d: a deactivated member was answered: %s", i, res.Raw)
						}
					}
					if err := admin.Do(ctx, reactivate, who, nil); err != nil {
						return fmt.Errorf("trial %d: reactivating: %w", i, err)
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d trials (%d organizations at once) on %d replicas: %d stale answers", trials, workers, len(rs), stale.Load())
	})
}

func TestHotCacheDeletedInteraction(t *testing.T) {
	forEachBackendReplicas(t, func(t *testing.T, rs []*env) {
		o := rs[0].newOrg("Hot Cache Delete", "ENTERPRISE", nil)
		m := o.member("rec@hotdel.example", []string{"recorder"}, nil, []string{"RECORDER"})
		const canQ = `query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`
		for i := range 20 {
			call := o.interaction("call "+strconv.Itoa(i), m, "")
			for _, r := range rs {
				// Twice: the second answer is the cached one.
				for range 2 {
					if !m.on(r).can("interactions.read", call) || !o.Owner.on(r).can("interactions.delete", call) {
						t.Fatalf("round %d: the interaction is not readable before its deletion", i)
					}
				}
			}
			o.Owner.on(rs[i%len(rs)]).ok(`mutation($id: ID!) { deleteInteraction(id: $id) }`, map[string]any{"id": call})
			for _, r := range rs {
				for _, c := range []*client{m.on(r), o.Owner.on(r)} {
					c.fails("BAD_USER_INPUT", "resourceId", canQ, map[string]any{"p": "interactions.read", "r": call})
					if d := c.ok(`query($id: ID!) { interaction(id: $id) { id } }`, map[string]any{"id": call}); d["interaction"] != nil {
						t.Fatalf("round %d: a deleted interaction is still returned: %v", i, d)
					}
				}
			}
		}
	})
}
