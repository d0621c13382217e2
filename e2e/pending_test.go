package e2e

import (
	"net/http/httptest"
	"testing"

	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// A revocation saved while SpiceDB refuses writes waits in the outbox.
// Until SpiceDB has it, no replica may answer as if it had not been made:
// not from a decision cached before it (in process or in Redis), not from
// SpiceDB, which still holds the grant. Reads of the organization apply the
// pending change first; when they cannot, they fail UNAVAILABLE. Once
// SpiceDB takes writes again, the next read on any replica applies it and
// answers with it.
func TestQueuedRevocationIsNeverAllowed(t *testing.T) {
	cfg := server.Config{PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t), RedisURL: redisURL()}
	fa, fb := &failingWrites{}, &failingWrites{}
	cfgA, cfgB := cfg, cfg
	cfgA.OutboxOptions = []outbox.Option{outbox.WithFailPoint(fa.point)}
	cfgB.OutboxOptions = []outbox.Option{outbox.WithFailPoint(fb.point)}
	a, b := startServer(t, cfgA), startServer(t, cfgB)
	ta, tb := httptest.NewServer(a.Handler), httptest.NewServer(b.Handler)
	t.Cleanup(ta.Close)
	t.Cleanup(tb.Close)
	ea, eb := &env{t: t, srv: a, url: ta.URL}, &env{t: t, srv: b, url: tb.URL}

	o := ea.newOrg("Queued", "PRO", nil)
	o.team("Floor", "")
	rep := o.member("rep@queued.example", []string{"recorder"}, []string{"Floor"}, []string{"RECORDER"})
	reader := o.member("reader@queued.example", []string{"agent"}, nil, nil)
	call := o.interaction("call", rep, "Floor")
	d := o.Owner.ok(`mutation($in: CreateRoleInput!) { createRole(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "Probe", "grants": []any{
			map[string]any{"permission": "interactions.read", "scope": "ALL"}}}})
	probe := str(d, "createRole", "id")
	o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
		map[string]any{"m": reader.MemberID, "r": []string{o.role("agent"), probe}})
	readerB := eb.as(o.ID, reader.MemberID)

	const listing = `{ interactions(first: 10) { edges { node { id viewerCan { read } } } } }`
	ask := func(c *client) (allowed bool, listed bool, codes []string) {
		t.Helper()
		r := c.do(`query($r: ID) { can(permission: "interactions.read", resourceId: $r) }`, map[string]any{"r": call})
		for _, e := range r.Errors {
			codes = append(codes, e.Code())
		}
		allowed = r.Data != nil && r.Data["can"] == true
		r = c.do(listing, nil)
		for _, e := range r.Errors {
			codes = append(codes, e.Code())
		}
		if r.Data != nil {
			if edges, ok := get(r.Data, "interactions", "edges").([]any); ok {
				for _, e := range edges {
					if str(e, "node", "id") == call {
						listed = true
					}
				}
			}
		}
		return allowed, listed, codes
	}
	// Asked twice on each replica: the allow is cached in both processes
	// and in Redis, under the revision the revocation will not move while
	// it waits.
	for i := 0; i < 2; i++ {
		for _, c := range []*client{reader, readerB} {
			if ok, listed, codes := ask(c); !ok || !listed || codes != nil {
				t.Fatalf("before the revocation: can %v, listed %v, errors %v; want both true", ok, listed, codes)
			}
		}
	}

	fa.on.Store(true)
	fb.on.Store(true)
	r := o.Owner.do(`mutation($r: ID!) { setRoleGrants(roleId: $r, grants: []) { id } }`, map[string]any{"r": probe})
	if len(r.Errors) == 0 || r.Errors[0].Code() != "UNAVAILABLE" || r.Errors[0].Extensions["queued"] != true {
		t.Fatalf("revoking while SpiceDB refuses writes: %s, want UNAVAILABLE with queued: true", r.raw)
	}
	if pending, _ := a.Store.PendingOutbox(t.Context(), o.ID, 0); len(pending) == 0 {
		t.Fatal("the revocation was not queued: the test does not test anything")
	}
	for i := 0; i < 3; i++ {
		for name, c := range map[string]*client{"A": reader, "B": readerB} {
			ok, listed, codes := ask(c)
			if ok || listed {
				t.Fatalf("replica %s, revocation queued: can %v, listed %v (errors %v): answered past a saved revocation", name, ok, listed, codes)
			}
			if len(codes) != 2 || codes[0] != "UNAVAILABLE" || codes[1] != "UNAVAILABLE" {
				t.Fatalf("replica %s, revocation queued: errors %v, want UNAVAILABLE for both reads", name, codes)
			}
		}
	}

	// SpiceDB takes B's writes again: B's next read applies the revocation
	// and answers with it; A, still refusing, has nothing left to apply.
	fb.on.Store(false)
	if ok, listed, codes := ask(readerB); ok || listed || codes != nil {
		t.Fatalf("B, SpiceDB writable: can %v, listed %v, errors %v; want both false", ok, listed, codes)
	}
	if pending, _ := a.Store.PendingOutbox(t.Context(), o.ID, 0); len(pending) != 0 {
		t.Fatalf("%d entries still pending after B's read", len(pending))
	}
	if ok, listed, codes := ask(reader); ok || listed || codes != nil {
		t.Fatalf("A after B applied the revocation: can %v, listed %v, errors %v; want both false", ok, listed, codes)
	}
}
