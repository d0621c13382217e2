package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rolegraph/rolegraph/server"
)

// introspections are what GraphiQL and codegen tools send: the full
// schema, one type, and introspection beside ordinary fields.
var introspections = []string{
	introspectionQuery,
	`{ __schema { queryType { name } } }`,
	`{ __type(name: "Member") { fields { name } } }`,
	`{ viewer { id } a: __type(name: "Role") { name } }`,
}

// send posts query as c; an anonymous client sends no Authorization.
func send(t *testing.T, c *client, query string) *rawResponse {
	t.Helper()
	b := gqlBody(query, nil)
	h := map[string]string{}
	if c.token != "" {
		h["Authorization"] = "Bearer " + c.token
	}
	return rawPost(t, c.e.url, bytes.NewReader(b), int64(len(b)), h)
}

// TestExploreInProduction: with --production, introspection and field
// suggestions answer only members holding api.explore (issue 16).
func TestExploreInProduction(t *testing.T) {
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			e := newEnvOn(t, b, func(c *server.Config) { c.Production = true })
			o := e.newOrg("Explore", "PRO", nil)
			admin := o.member("admin@explore.example", []string{"admin"}, nil, nil)
			manager := o.member("manager@explore.example", []string{"manager"}, nil, nil)
			agent := o.member("agent@explore.example", []string{"agent"}, nil, nil)
			explorerRole := str(o.Owner.ok(`mutation { createRole(input: {name: "API explorer", description: "Explores the API"}) { id } }`, nil), "createRole", "id")
			o.roles["explorer"] = explorerRole
			explorer := o.member("explorer@explore.example", []string{"explorer", "agent"}, nil, nil)
			setGrants := func(grants ...map[string]any) {
				t.Helper()
				if grants == nil {
					grants = []map[string]any{}
				}
				o.Owner.ok(`mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`,
					map[string]any{"r": explorerRole, "g": grants})
			}
			anonymous := e.anonymous()

			mayIntrospect := func(t *testing.T, who string, c *client) {
				t.Helper()
				for _, q := range introspections {
					if r := send(t, c, q); r.Status != 200 || len(r.Errors) > 0 || len(r.Data) == 0 {
						t.Errorf("%s introspecting: %d %.300s", who, r.Status, r.Body)
					}
				}
			}
			refused := func(t *testing.T, who string, c *client) {
				t.Helper()
				for _, q := range introspections {
					r := send(t, c, q)
					r.refused(t, 200, "FORBIDDEN", "api.explore")
					if p, _ := r.Errors[0].Extensions["permission"].(string); p != "api.explore" {
						t.Errorf("%s: permission %q, want api.explore: %.300s", who, p, r.Body)
					}
					if strings.Contains(string(r.Body), "__Type") || strings.Contains(string(r.Body), "queryType") {
						t.Errorf("%s: the refusal leaks the schema: %.300s", who, r.Body)
					}
				}
			}
			suggests := func(t *testing.T, who string, c *client, want bool) {
				t.Helper()
				for _, q := range []string{`{ viewr { id } }`, `{ viewer { emial } }`} {
					r := send(t, c, q)
					r.refused(t, 200, "GRAPHQL_VALIDATION_FAILED")
					if got := strings.Contains(string(r.Body), "Did you mean"); got != want {
						t.Errorf("%s: suggestions %v, want %v: %.300s", who, got, want, r.Body)
					}
				}
			}

			t.Run("owner and admin explore", func(t *testing.T) {
				for who, c := range map[string]*client{"owner": o.Owner, "admin": admin} {
					mayIntrospect(t, who, c)
					suggests(t, who, c, true)
				}
			})
			t.Run("anonymous, an agent and a manager do not", func(t *testing.T) {
				for who, c := range map[string]*client{"anonymous": anonymous, "agent": agent, "manager": manager, "explorer without the grant": explorer} {
					refused(t, who, c)
					suggests(t, who, c, false)
					// __typename is not introspection.
					if who != "anonymous" {
						if r := send(t, c, `{ __typename viewer { __typename id } }`); len(r.Errors) > 0 {
							t.Errorf("%s: __typename refused: %.300s", who, r.Body)
						}
					}
				}
			})
			t.Run("a custom role granted api.explore, then revoked", func(t *testing.T) {
				setGrants(map[string]any{"permission": "api.explore", "scope": "ALL"})
				mayIntrospect(t, "explorer", explorer)
				suggests(t, "explorer", explorer, true)
				setGrants()
				refused(t, "explorer after revocation", explorer) // the very next request
				suggests(t, "explorer after revocation", explorer, false)
			})
			t.Run("the limits apply to introspection", func(t *testing.T) {
				var aliases strings.Builder
				aliases.WriteString("{")
				for i := 0; i <= server.MaxAliases; i++ {
					fmt.Fprintf(&aliases, " t%d: __type(name: \"Member\") { name }", i)
				}
				aliases.WriteString(" }")
				send(t, o.Owner, aliases.String()).refused(t, 422, "COMPLEXITY_LIMIT", "aliases")
				send(t, o.Owner, `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`).
					refused(t, 200, "GRAPHQL_VALIDATION_FAILED", "introspection depth")
				// Fan-out: fragments on __Type spread under many aliases
				// select more fields than MaxFields allows (gqlgen's
				// complexity counts each introspection field once, so this
				// is the bound that holds for them).
				var wide strings.Builder
				wide.WriteString("{")
				for i := 0; i < 45; i++ {
					fmt.Fprintf(&wide, " t%d: __type(name: \"Member\") { ...T }", i)
				}
				wide.WriteString(" } fragment T on __Type {" + strings.Repeat(" name", 50) + " }")
				send(t, o.Owner, wide.String()).refused(t, 422, "COMPLEXITY_LIMIT", "fields once its fragments are expanded")
			})
			t.Run("GraphiQL is served", func(t *testing.T) {
				for _, path := range []string{"/graphiql", "/graphiql/assets/graphiql.min.js"} {
					if res, body := httpDo(t, http.MethodGet, e.url+path, "", nil); res.StatusCode != 200 || len(body) == 0 {
						t.Errorf("GET %s: %d", path, res.StatusCode)
					}
				}
			})
		})
	}
}

// TestExploreWithoutProduction: without --production anyone signed in
// introspects and sees suggestions, as before issue 16.
func TestExploreWithoutProduction(t *testing.T) {
	e := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("Explore dev", "PRO", nil)
	agent := o.member("agent@dev.example", []string{"agent"}, nil, nil)
	for who, c := range map[string]*client{"owner": o.Owner, "agent": agent, "anonymous": e.anonymous()} {
		for _, q := range introspections[:3] {
			if r := send(t, c, q); r.Status != 200 || len(r.Errors) > 0 {
				t.Errorf("%s introspecting: %d %.300s", who, r.Status, r.Body)
			}
		}
		r := send(t, c, `{ viewr { id } }`)
		r.refused(t, 200, "GRAPHQL_VALIDATION_FAILED", "Did you mean")
	}
}

// TestGraphiQLInProduction: in real Chromium, GraphiQL on a --production
// server, signed in with an admin's pasted token, loads the schema and runs
// a query.
func TestGraphiQLInProduction(t *testing.T) {
	alloc := newChromium(t)
	e := newEnvWith(t, func(c *server.Config) { c.Production = true })
	o := e.newOrg("GraphiQL prod", "PRO", nil)
	admin := o.member("admin@graphiql.example", []string{"admin"}, nil, nil)

	p := newPage(t, alloc, e.url, 1280, 800)
	// GraphiQL introspects as soon as it loads, anonymously: refused, as
	// the browser logs.
	p.expect("api.explore")
	p.expect("403")
	p.expect("Failed to load resource")
	p.open("/graphiql")
	p.click(p.find(0, "textbox", exactly("Bearer token"), "the token field"))
	p.paste(admin.token)
	p.waitText("Requests carry Authorization: Bearer … (pasted token)")
	// The token stays for this tab: reloaded, GraphiQL introspects as the admin.
	p.do(chromedp.Reload())
	p.waitText("(from earlier in this tab)")
	// The documentation explorer shows the schema GraphiQL introspected.
	p.click(p.find(0, "button", containing("Documentation Explorer"), "the Docs button"))
	p.waitFor("the schema loaded (Docs list the root types)", func() bool {
		return eval[bool](p, `document.body.innerText.includes('Mutation')`)
	})
	// It opens with the README's example query; run it.
	p.click(p.find(0, "button", containing("Execute query"), "GraphiQL's run button"))
	p.waitFor("the answer", func() bool {
		res := eval[string](p, `(() => { const cm = document.querySelector('.result-window .CodeMirror'); return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '' })()`)
		return strings.Contains(res, `"viewer": {`) && strings.Contains(res, `"grants": [`) && !strings.Contains(res, `"errors"`)
	})
	p.shot("1280x800-graphiql-production")
}
