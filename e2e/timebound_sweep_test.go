package e2e

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// replica is one rolegraph process serving with its background work (the
// outbox applier, the gauges, the expiry sweeper), which httptest-served
// envs do not run.
type replica struct {
	*env
	stop func() // ends Serve, as a replica going away; idempotent
}

// serveReplica starts rolegraph from cfg (the harness's sizing added) and
// serves it on a port of its own.
func serveReplica(t *testing.T, cfg server.Config) *replica {
	t.Helper()
	cfg.JWTSecret = strings.Repeat("s", 32)
	cfg.Addr = "127.0.0.1:0"
	cfg.SpiceDB.DispatchCacheMaxCost, cfg.SpiceDB.NamespaceCacheMaxCost = "16MiB", "4MiB"
	cfg.SpiceDB.ReadConns, cfg.SpiceDB.WriteConns = 4, 2
	cfg.ShutdownGrace = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := cfg.Complete(ctx)
	if err != nil {
		t.Fatalf("starting rolegraph: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stopServe := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			stopServe()
			<-served
		}
	}
	t.Cleanup(func() { stop(); srv.Close() })
	return &replica{env: &env{t: t, srv: srv, url: "http://" + ln.Addr().String()}, stop: stop}
}

// sweepEvents lists the organization's expiry events: target member → count.
func sweepEvents(o *org) map[string]int {
	o.e.t.Helper()
	d := o.Owner.ok(`{ auditLog(first: 200) { edges { node { action targetId } } } }`, nil)
	out := map[string]int{}
	for _, ed := range get(d, "auditLog", "edges").([]any) {
		if str(ed, "node", "action") == domain.ActionRoleExpired {
			out[str(ed, "node", "targetId")]++
		}
	}
	return out
}

// The sweeper records an expiry (audit event, metrics) within a minute and
// removes the assignment from the store; guest access too.
func TestTimeboundSweeper(t *testing.T) {
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			cfg := server.Config{SweepInterval: 250 * time.Millisecond}
			if b == postgresBackend {
				cfg.PostgresURL, cfg.SpiceDBDatastore = pgtest.NewDatabase(t), pgtest.NewDatabase(t)
			}
			r := serveReplica(t, cfg)
			o := r.newOrg("Sweep", "", nil)
			agent := o.member("agent@sweep.example", []string{"agent"}, nil, nil)
			exp := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
			o.Owner.ok(grantTemp, map[string]any{"m": agent.MemberID, "r": o.role("admin"), "e": rfc(exp), "why": "cover"})
			d := o.Owner.ok(`mutation($r: ID!, $e: String!, $a: String) { createGuestInvite(roleId: $r, expiresAt: $e, accessExpiresAt: $a) { token } }`,
				map[string]any{"r": o.role("agent"), "e": rfc(time.Now().Add(time.Hour)), "a": rfc(exp)})
			d = r.anonymous().ok(`mutation($t: String!) { acceptInvitation(token: $t, email: "g@sweep.example", name: "G") { id } }`,
				map[string]any{"t": str(d, "createGuestInvite", "token")})
			guest := str(d, "acceptInvitation", "id")

			var lag time.Duration
			for {
				ev := sweepEvents(o)
				if ev[agent.MemberID] == 1 && ev[guest] == 1 {
					lag = time.Since(exp)
					break
				}
				if time.Since(exp) > time.Minute {
					t.Fatalf("no expiry events within a minute: %v", ev)
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("expiry events seen %v after the expiry (sweep interval %v)", lag.Round(time.Millisecond), cfg.SweepInterval)
			// Counted once the sweep returns, a moment after its commit.
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				got := metric(t, r.url, "rolegraph_role_assignments_expired_total")
				if got == 2 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("rolegraph_role_assignments_expired_total = %v, want 2", got)
				}
			}
			for _, id := range []string{agent.MemberID, guest} {
				d := o.Owner.ok(`query($m: ID!) { member(id: $m) { roles { key } roleAssignments { role { key } expiresAt } } }`, map[string]any{"m": id})
				if as := get(d, "member", "roleAssignments").([]any); len(as) > 1 || len(as) == 1 && get(as[0], "expiresAt") != nil {
					t.Errorf("roleAssignments of %s after the sweep: %v", id, as)
				}
			}
			// The store no longer holds them: nothing is left to sweep.
			res, err := r.srv.Service.SweepExpired(context.Background())
			if err != nil || len(res.Expired) != 0 {
				t.Fatalf("a second sweep found %v (%v)", res.Expired, err)
			}
		})
	}
}

// The sweeper wakes at an expiry it knows of, not an interval later: with a
// one-minute interval, two expiries granted before the replica started
// (through another replica, which never sweeps), and one granted through
// it later, are each recorded well under a second after their instant. Until then authz asks the
// organization's questions past the decision cache (authz/expiry.go), so
// this bounds that window too.
func TestTimeboundSweeperWakesAtExpiry(t *testing.T) {
	cfg := server.Config{SweepInterval: -1, PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	granter := serveReplica(t, cfg)
	o := granter.newOrg("Sweep Wakes", "", nil)
	a := o.member("a@wakes.example", []string{"agent"}, nil, nil).MemberID
	b := o.member("b@wakes.example", []string{"agent"}, nil, nil).MemberID
	first := time.Now().Add(8 * time.Second).Truncate(time.Millisecond)
	second := first.Add(700 * time.Millisecond)
	o.Owner.ok(grantTemp, map[string]any{"m": a, "r": o.role("admin"), "e": rfc(first), "why": "cover"})
	o.Owner.ok(grantTemp, map[string]any{"m": b, "r": o.role("admin"), "e": rfc(second), "why": "cover"})

	cfg.SweepInterval = time.Minute
	sweeper := serveReplica(t, cfg)
	if time.Now().After(first.Add(-time.Second)) {
		t.Fatalf("the sweeping replica took until %v past the first expiry to start: make the expiries later", time.Since(first))
	}
	owner := o.Owner.on(sweeper.env)
	lag := map[string]time.Duration{}
	for deadline := second.Add(20 * time.Second); len(lag) < 2; time.Sleep(20 * time.Millisecond) {
		ev := sweepEvents(&org{e: sweeper.env, ID: o.ID, Owner: owner})
		for id, at := range map[string]time.Time{a: first, b: second} {
			if _, seen := lag[id]; !seen && ev[id] == 1 {
				lag[id] = time.Since(at)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("expiries recorded within 20 s: %v (a one-minute interval would take up to a minute)", lag)
		}
	}
	t.Logf("expiry to record: %v and %v with a %v sweep interval", lag[a].Round(time.Millisecond), lag[b].Round(time.Millisecond), cfg.SweepInterval)

	// A role granted on the sweeping replica itself, ending long before its
	// next planned look (the interval): the grant makes it look again.
	c := o.member("c@wakes.example", []string{"agent"}, nil, nil).MemberID
	third := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	owner.ok(grantTemp, map[string]any{"m": c, "r": o.role("admin"), "e": rfc(third), "why": "cover"})
	for deadline := third.Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if sweepEvents(&org{e: sweeper.env, ID: o.ID, Owner: owner})[c] == 1 {
			lag[c] = time.Since(third)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a role granted on the sweeping replica, ending in 1.5 s, was not recorded within 20 s")
		}
	}
	t.Logf("granted on the sweeping replica: recorded %v after its instant", lag[c].Round(time.Millisecond))
	for id, l := range lag {
		// Polled every 20 ms through GraphQL; the sweep itself is one
		// transaction. A second leaves room for a loaded machine.
		if l > time.Second {
			t.Errorf("member %s's expiry recorded %v after its instant, want under 1 s", id, l)
		}
	}
}

// Replicas sharing Postgres sweep the same assignments: each expiry is
// recorded exactly once, and one stopped mid-way (its sweeps cut off
// between expiries) loses none.
func TestTimeboundSweeperReplicas(t *testing.T) {
	cfg := server.Config{SweepInterval: 100 * time.Millisecond, PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	a, b := serveReplica(t, cfg), serveReplica(t, cfg)
	o := a.newOrg("Sweep Replicas", "", nil)
	const n = 12
	var members []string
	for i := range n {
		members = append(members, o.member("m"+string(rune('a'+i))+"@replicas.example", []string{"agent"}, nil, nil).MemberID)
	}
	// Expiries spread over 1.5–3.7 s from the start, granted through B.
	start := time.Now()
	var last time.Time
	for i, id := range members {
		last = start.Add(1500*time.Millisecond + time.Duration(i)*200*time.Millisecond)
		o.Owner.on(b.env).ok(grantTemp, map[string]any{"m": id, "r": o.role("admin"), "e": rfc(last), "why": "cover"})
	}
	// A goes away half-way through the expiries; a new A comes up later.
	time.Sleep(time.Until(start.Add(2500 * time.Millisecond)))
	a.stop()
	b.stop() // nobody sweeps for a while
	time.Sleep(time.Until(last.Add(500 * time.Millisecond)))
	a2 := serveReplica(t, cfg)
	owner := o.Owner.on(a2.env)
	deadline := time.Now().Add(time.Minute)
	for {
		ev := sweepEvents(&org{e: a2.env, ID: o.ID, Owner: owner})
		done := 0
		for _, id := range members {
			if ev[id] > 1 {
				t.Fatalf("member %s's expiry recorded %d times", id, ev[id])
			}
			done += ev[id]
		}
		if done == n {
			t.Logf("%d expiries, each recorded once, %v after the last", n, time.Since(last).Round(time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d expiries recorded after a minute: %v", done, n, ev)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
