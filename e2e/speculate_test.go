package e2e

import (
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// A replica that has seen an organization runs queries on it as last seen
// while the authentication read is under way (identity/speculate.go). Every
// change made through another replica must still show on its very next
// request: revocations, deactivation (401, and no mutation gets through),
// the plan. Both replicas share Postgres (entities and SpiceDB datastore)
// and nothing else.
func TestSpeculationIsNeverStale(t *testing.T) {
	cfg := server.Config{PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	a, b := startServer(t, cfg), startServer(t, cfg)
	ta, tb := httptest.NewServer(a.Handler), httptest.NewServer(b.Handler)
	t.Cleanup(ta.Close)
	t.Cleanup(tb.Close)
	ea, eb := &env{t: t, srv: a, url: ta.URL}, &env{t: t, srv: b, url: tb.URL}
	misses := func() float64 {
		var m dto.Metric
		if err := b.Metrics.SpeculationMisses.Write(&m); err != nil {
			t.Fatal(err)
		}
		return m.GetCounter().GetValue()
	}

	o := ea.newOrg("Replicas", "PRO", nil)
	o.team("Floor", "")
	rep := o.member("rep@replicas.example", []string{"recorder"}, []string{"Floor"}, []string{"RECORDER"})
	reader := o.member("reader@replicas.example", []string{"agent"}, nil, nil)
	admin := o.member("admin@replicas.example", []string{"admin"}, nil, nil)
	call := o.interaction("call", rep, "Floor")
	d := o.Owner.ok(`mutation($in: CreateRoleInput!) { createRole(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "Probe", "grants": []any{}}})
	probe := str(d, "createRole", "id")
	o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
		map[string]any{"m": reader.MemberID, "r": []string{o.role("agent"), probe}})
	onB := func(c *client) *client { return eb.as(o.ID, c.MemberID) }
	readerB, adminB := onB(reader), onB(admin)

	// B reads the organization once; from then on it speculates.
	readerB.ok(`{ viewer { id } }`, nil)
	before := misses()
	for i := 0; i < 3; i++ {
		readerB.ok(`{ viewer { id } }`, nil)
	}
	if m := misses(); m != before {
		t.Fatalf("%v speculation misses while nothing changed: speculation compares organizations wrongly", m-before)
	}

	setGrants := func(grants []any) {
		o.Owner.ok(`mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`,
			map[string]any{"r": probe, "g": grants})
	}
	readAll := []any{map[string]any{"permission": "interactions.read", "scope": "ALL"}}
	stale, missed := 0, 0
	const trials = 25
	for i := 0; i < trials; i++ {
		setGrants(readAll)
		if !readerB.can("interactions.read", call) {
			missed++
		}
		readerB.can("interactions.read", call) // B now speculates on this revision
		setGrants([]any{})
		if readerB.can("interactions.read", call) {
			stale++
		}
	}
	if stale != 0 || missed != 0 {
		t.Fatalf("after changes on A, B answered %d of %d revocations stale and missed %d grants", stale, trials, missed)
	}
	if misses() == before {
		t.Fatal("no query on B was answered again after a change on A: the speculative path did not run")
	}

	// The plan is an entity field: B must show the new one at once.
	for _, plan := range []string{"ENTERPRISE", "PRO", "ENTERPRISE"} {
		o.Owner.ok(`mutation($p: Plan!) { setPlan(plan: $p) { plan } }`, map[string]any{"p": plan})
		if got := str(adminB.ok(`{ organization { plan } }`, nil), "organization", "plan"); got != plan {
			t.Fatalf("B shows plan %s right after A set %s", got, plan)
		}
	}

	// Deactivated on A: refused on B at once, queries and mutations alike,
	// and the mutation did nothing.
	adminB.ok(`{ viewer { id } }`, nil)
	o.Owner.ok(`mutation($m: ID!) { deactivateMember(memberId: $m) { id } }`, map[string]any{"m": admin.MemberID})
	if r := adminB.do(`{ viewer { id } }`, nil); r.Status != 401 || len(r.Errors) == 0 || r.Errors[0].Code() != "UNAUTHENTICATED" {
		t.Fatalf("query by a member deactivated on A, on B: %d %s", r.Status, r.raw)
	}
	if r := adminB.do(`mutation { createTeam(input: {name: "Ghost"}) { id } }`, nil); r.Status != 401 || len(r.Errors) == 0 || r.Errors[0].Code() != "UNAUTHENTICATED" {
		t.Fatalf("mutation by a member deactivated on A, on B: %d %s", r.Status, r.raw)
	}
	for _, tm := range get(o.Owner.ok(`{ organization { teams { name } } }`, nil), "organization", "teams").([]any) {
		if str(tm, "name") == "Ghost" {
			t.Fatal("a deactivated member's mutation was applied")
		}
	}
	o.Owner.ok(`mutation($m: ID!) { reactivateMember(memberId: $m) { id } }`, map[string]any{"m": admin.MemberID})
	adminB.ok(`{ viewer { id } }`, nil)
	adminB.ok(`mutation { createTeam(input: {name: "Real"}) { id } }`, nil)
}
