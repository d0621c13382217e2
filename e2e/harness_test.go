// Package e2e tests rolegraph through its GraphQL API over HTTP, on real
// backends: embedded SpiceDB on its memory datastore with the memory store,
// and embedded SpiceDB on a Postgres datastore with the Postgres store. It
// is the one test binary (besides spicedb's and zedcheck's) that links
// SpiceDB, so every API-level test lives here.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/internal/gqlclient"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// backend names a pair of stores a test server runs on.
type backend string

const (
	memoryBackend   backend = "memory"
	postgresBackend backend = "postgres"
)

// backends are the ones every authorization test runs on. Set
// ROLEGRAPH_E2E_BACKENDS=memory for a quick local loop.
func backends() []backend {
	if v := os.Getenv("ROLEGRAPH_E2E_BACKENDS"); v != "" {
		var out []backend
		for _, b := range strings.Split(v, ",") {
			out = append(out, backend(strings.TrimSpace(b)))
		}
		return out
	}
	return []backend{memoryBackend, postgresBackend}
}

// forEachBackend runs f as a subtest on every backend.
func forEachBackend(t *testing.T, f func(t *testing.T, e *env)) {
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			f(t, newEnv(t, b))
		})
	}
}

// forEachBackendAtOnce is forEachBackend for a test that checks answers,
// never timings: it runs beside the other such tests (t.Parallel) once
// the timing-sensitive tests are done, and its backends run side by side.
// A test that measures how long something takes, or stops processes the
// others share, stays on forEachBackend.
func forEachBackendAtOnce(t *testing.T, f func(t *testing.T, e *env)) {
	t.Parallel()
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			f(t, newEnv(t, b))
		})
	}
}

// env is one running rolegraph.
type env struct {
	t   *testing.T
	srv *server.Server
	url string
}

func newEnv(t *testing.T, b backend) *env { return serveConfig(t, testConfig(t, b)) }

// newEnvOn is newEnv with a changed configuration.
func newEnvOn(t *testing.T, b backend, change func(*server.Config)) *env {
	t.Helper()
	cfg := testConfig(t, b)
	change(&cfg)
	return serveConfig(t, cfg)
}

// newEnvWith is newEnvOn the memory backend.
func newEnvWith(t *testing.T, change func(*server.Config)) *env {
	t.Helper()
	return newEnvOn(t, memoryBackend, change)
}

// testConfig is what every server of these tests starts from: on
// Postgres, a fresh database each for the entity store and SpiceDB's
// datastore.
func testConfig(t *testing.T, b backend) server.Config {
	t.Helper()
	cfg := server.Config{Addr: "127.0.0.1:0"}
	lean(&cfg)
	if b == postgresBackend {
		cfg.PostgresURL = pgtest.NewDatabase(t)
		cfg.SpiceDBDatastore = pgtest.NewDatabase(t)
	}
	return cfg
}

// lean sets the test secret and keeps SpiceDB's caches and connection
// pools small: one test binary runs dozens of servers, and the defaults
// are sized for one server on a whole machine.
func lean(cfg *server.Config) {
	cfg.JWTSecret = strings.Repeat("s", 32)
	cfg.SpiceDB.DispatchCacheMaxCost = "16MiB"
	cfg.SpiceDB.NamespaceCacheMaxCost = "4MiB"
	cfg.SpiceDB.ReadConns, cfg.SpiceDB.WriteConns = 4, 2
}

// serveConfig completes cfg and serves it on a loopback port until the
// test ends.
func serveConfig(t *testing.T, cfg server.Config) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := cfg.Complete(ctx)
	if err != nil {
		t.Fatalf("starting rolegraph (Postgres %v): %v", cfg.PostgresURL != "", err)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return &env{t: t, srv: srv, url: hs.URL}
}

// client speaks GraphQL as one identity.
type client struct {
	e     *env
	token string
	// MemberID and OrgID are who the token speaks for.
	MemberID, OrgID string
}

func (e *env) anonymous() *client { return &client{e: e} }

func (e *env) operator() *client {
	tok, err := e.srv.OperatorToken(time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, token: tok}
}

func (e *env) as(orgID, memberID string) *client {
	tok, err := e.srv.Token(orgID, memberID, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, token: tok, MemberID: memberID, OrgID: orgID}
}

// gqlError is one GraphQL error (Code(), Field()).
type gqlError = gqlclient.Error

type response struct {
	Status int
	Data   map[string]any
	Errors []gqlError
	raw    []byte
}

// do sends one GraphQL request.
func (c *client) do(query string, vars map[string]any) *response {
	c.e.t.Helper()
	return post(c.e.t, c.gql(), query, vars)
}

// gql is the shared GraphQL client speaking as c.
func (c *client) gql() gqlclient.Client {
	return gqlclient.Client{URL: c.e.url}.Bearer(c.token)
}

// post sends one GraphQL request, failing t when the transport fails or
// the answer is not GraphQL JSON.
func post(t *testing.T, gc gqlclient.Client, query string, vars map[string]any) *response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := gc.Post(ctx, query, vars)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	out := &response{Status: r.Status, Errors: r.Errors, raw: r.Raw}
	if len(r.Data) > 0 {
		if err := json.Unmarshal(r.Data, &out.Data); err != nil {
			t.Fatalf("decoding data: %v: %.500s", err, r.Raw)
		}
	}
	return out
}

// ok sends a request that must succeed and returns its data.
func (c *client) ok(query string, vars map[string]any) map[string]any {
	c.e.t.Helper()
	r := c.do(query, vars)
	if len(r.Errors) > 0 {
		c.e.t.Fatalf("unexpected errors: %s\nquery: %s\nvars: %v", r.raw, query, vars)
	}
	return r.Data
}

// fails sends a request that must fail with code (and field, when given).
func (c *client) fails(code, field, query string, vars map[string]any) gqlError {
	c.e.t.Helper()
	r := c.do(query, vars)
	if len(r.Errors) == 0 {
		c.e.t.Fatalf("expected %s, got data %s\nquery: %s", code, r.raw, query)
	}
	got := r.Errors[0]
	if got.Code() != code {
		c.e.t.Fatalf("expected %s, got %s: %s\nquery: %s", code, got.Code(), r.raw, query)
	}
	if field != "" && got.Field() != field {
		c.e.t.Fatalf("expected field %q, got %q: %s", field, got.Field(), r.raw)
	}
	return got
}

// can asks can(permission, resourceId) as this client.
func (c *client) can(permission, resourceID string) bool {
	c.e.t.Helper()
	vars := map[string]any{"p": permission}
	q := `query($p: String!) { can(permission: $p) }`
	if resourceID != "" {
		vars["r"] = resourceID
		q = `query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`
	}
	return c.ok(q, vars)["can"].(bool)
}

// get walks a decoded JSON value along a path of keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string { s, _ := get(v, path...).(string); return s }

// org is an organization set up through the API, with its owner.
type org struct {
	e     *env
	ID    string
	Owner *client
	roles map[string]string // key (or name for custom roles) → id
	teams map[string]string // name → id
}

// newOrg creates an organization through the operator mutation.
func (e *env) newOrg(name string, plan string, products []string) *org {
	e.t.Helper()
	input := map[string]any{"name": name, "ownerEmail": "owner@" + strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example", "ownerName": name + " Owner"}
	if plan != "" {
		input["plan"] = plan
	}
	if products != nil {
		input["products"] = products
	}
	d := e.operator().ok(`mutation($in: CreateOrganizationInput!) { createOrganization(input: $in) {
		organization { id } owner { id } } }`, map[string]any{"in": input})
	o := &org{e: e, ID: str(d, "createOrganization", "organization", "id"), roles: map[string]string{}, teams: map[string]string{}}
	o.Owner = e.as(o.ID, str(d, "createOrganization", "owner", "id"))
	d = o.Owner.ok(`{ organization { roles { id key } } }`, nil)
	for _, r := range get(d, "organization", "roles").([]any) {
		o.roles[str(r, "key")] = str(r, "id")
	}
	return o
}

func (o *org) role(key string) string {
	id, ok := o.roles[key]
	if !ok {
		o.e.t.Fatalf("no role %q", key)
	}
	return id
}

// team creates a team as the owner.
func (o *org) team(name, parent string) string {
	o.e.t.Helper()
	in := map[string]any{"name": name}
	if parent != "" {
		in["parentId"] = o.teams[parent]
	}
	d := o.Owner.ok(`mutation($in: CreateTeamInput!) { createTeam(input: $in) { id } }`, map[string]any{"in": in})
	o.teams[name] = str(d, "createTeam", "id")
	return o.teams[name]
}

// member invites and activates a member as the owner, returning a client.
func (o *org) member(email string, roleKeys []string, teams []string, seats []string) *client {
	o.e.t.Helper()
	return o.memberBy(o.Owner, email, roleKeys, teams, seats)
}

// memberBy invites (as inviter) and activates a member.
func (o *org) memberBy(inviter *client, email string, roleKeys []string, teams []string, seats []string) *client {
	o.e.t.Helper()
	roleIDs := []string{}
	for _, k := range roleKeys {
		roleIDs = append(roleIDs, o.role(k))
	}
	teamIDs := []string{}
	for _, n := range teams {
		teamIDs = append(teamIDs, o.teams[n])
	}
	in := map[string]any{"email": email, "name": strings.Split(email, "@")[0], "roleIds": roleIDs, "teamIds": teamIDs}
	if seats != nil {
		in["seats"] = seats
	}
	d := inviter.ok(`mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id status } invitationToken } }`, map[string]any{"in": in})
	if s := str(d, "inviteMember", "member", "status"); s != "INVITED" {
		o.e.t.Fatalf("invited member is %s", s)
	}
	a := o.e.anonymous().ok(`mutation($t: String!) { acceptInvitation(token: $t) { id status } }`,
		map[string]any{"t": str(d, "inviteMember", "invitationToken")})
	if s := str(a, "acceptInvitation", "status"); s != "ACTIVE" {
		o.e.t.Fatalf("accepted member is %s", s)
	}
	return o.e.as(o.ID, str(d, "inviteMember", "member", "id"))
}

// manage makes a member a manager of a team, as the owner.
func (o *org) manage(team string, m *client) {
	o.e.t.Helper()
	o.Owner.ok(`mutation($t: ID!, $m: ID!) { addTeamMember(teamId: $t, memberId: $m, manager: true) { id } }`,
		map[string]any{"t": o.teams[team], "m": m.MemberID})
}

// interaction creates an interaction owned by owner (as the org owner).
func (o *org) interaction(title string, owner *client, team string, assignees ...*client) string {
	o.e.t.Helper()
	in := map[string]any{"title": title, "ownerId": owner.MemberID}
	if team != "" {
		in["teamId"] = o.teams[team]
	}
	var as []string
	for _, a := range assignees {
		as = append(as, a.MemberID)
	}
	if as != nil {
		in["assigneeIds"] = as
	}
	d := o.Owner.ok(`mutation($in: CreateInteractionInput!) { createInteraction(input: $in) { id } }`, map[string]any{"in": in})
	return str(d, "createInteraction", "id")
}

// visible lists the ids of the interactions c can list.
func (c *client) visible() map[string]bool {
	c.e.t.Helper()
	out := map[string]bool{}
	after := ""
	for {
		vars := map[string]any{}
		q := `query { interactions(first: 200) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`
		if after != "" {
			q = `query($a: String) { interactions(first: 200, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`
			vars["a"] = after
		}
		d := c.ok(q, vars)
		for _, e := range get(d, "interactions", "edges").([]any) {
			out[str(e, "node", "id")] = true
		}
		if get(d, "interactions", "pageInfo", "hasNextPage") != true {
			return out
		}
		after = str(d, "interactions", "pageInfo", "endCursor")
	}
}

func keys(m map[string]bool) string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return fmt.Sprint(s)
}

// loadDemo loads the demo organization into e's service; the context it
// returns bounds the test's own calls and ends with the test.
func loadDemo(t *testing.T, e *env) (context.Context, *demo.Demo) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	d, err := demo.Load(ctx, e.srv.Service)
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	return ctx, d
}
