package e2e

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// rolegraph_role_assignments_expiring_24h counts the temporary assignments
// of every organization that end within a day — what an operator alerts on
// and a product emails from — and follows grants, extensions and revocations.
func TestTimeboundExpiringGauge(t *testing.T) {
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			e := newEnvWith(t, func(cfg *server.Config) {
				cfg.ShutdownGrace = 200 * time.Millisecond
				if b == postgresBackend {
					cfg.PostgresURL, cfg.SpiceDBDatastore = pgtest.NewDatabase(t), pgtest.NewDatabase(t)
				}
			})
			// The gauges are measured by Serve's background work.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			served := make(chan error, 1)
			go func() { served <- e.srv.Serve(ctx, ln) }()
			t.Cleanup(func() { cancel(); <-served })
			url := "http://" + ln.Addr().String()
			const gauge = "rolegraph_role_assignments_expiring_24h"
			want := func(n float64) {
				t.Helper()
				deadline := time.Now().Add(3 * gaugeWait)
				for {
					got := metric(t, url, gauge)
					if got == n {
						return
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s = %v, want %v", gauge, got, n)
					}
					time.Sleep(200 * time.Millisecond)
				}
			}

			a, z := e.newOrg("Gauge A", "", nil), e.newOrg("Gauge Z", "", nil)
			qa := a.member("qa@a.example", []string{"agent"}, nil, nil)
			lead := a.member("lead@a.example", []string{"agent"}, nil, nil)
			coach := z.member("coach@z.example", []string{"agent"}, nil, nil)
			grant := func(o *org, m *client, in time.Duration) {
				o.Owner.ok(grantTemp, map[string]any{"m": m.MemberID, "r": o.role("manager"), "e": rfc(time.Now().Add(in)), "why": "holiday cover"})
			}
			grant(a, qa, 2*time.Hour)
			grant(z, coach, 20*time.Hour)
			grant(a, lead, 30*24*time.Hour) // beyond the window
			want(2)
			a.Owner.ok(`mutation($m: ID!, $r: ID!, $e: String!) { extendRoleAssignment(memberId: $m, roleId: $r, expiresAt: $e) { id } }`,
				map[string]any{"m": qa.MemberID, "r": a.role("manager"), "e": rfc(time.Now().Add(72 * time.Hour))})
			want(1)
			z.Owner.ok(`mutation($m: ID!, $r: ID!) { revokeRoleAssignment(memberId: $m, roleId: $r) { id } }`,
				map[string]any{"m": coach.MemberID, "r": z.role("manager")})
			want(0)
		})
	}
}

// gaugeWait is how often Serve measures its gauges (server's gaugeEvery).
const gaugeWait = 5 * time.Second
