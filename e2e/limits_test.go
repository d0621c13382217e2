package e2e

// GraphQL limits (server/limits.go) and production mode: depth, aliases,
// expanded fields, complexity, batching, body size, timeout,
// introspection, GraphiQL and field suggestions, the production secret,
// and tokens signed with the wrong algorithm. Limits do not depend on the
// store, so these run on the memory backend only.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/server"
)

// rawResponse is an HTTP answer decoded as a GraphQL response (or not).
type rawResponse struct {
	Status      int
	ContentType string
	Body        []byte
	Data        map[string]any
	Errors      []gqlError
	JSON        bool
}

// rawPost sends body to /graphql with the headers given.
func rawPost(t *testing.T, url string, body io.Reader, length int64, headers map[string]string) *rawResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", body)
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &rawResponse{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Body: raw}
	var decoded struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if json.Unmarshal(raw, &decoded) == nil {
		out.JSON, out.Data, out.Errors = true, decoded.Data, decoded.Errors
	}
	return out
}

// refused asserts a JSON GraphQL error with the status, code and a message
// containing each of hints.
func (r *rawResponse) refused(t *testing.T, status int, code string, hints ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("want HTTP %d, got %d: %.300s", status, r.Status, r.Body)
	}
	if !r.JSON || len(r.Errors) == 0 {
		t.Fatalf("want a JSON GraphQL error, got %q: %.300s", r.ContentType, r.Body)
	}
	if !strings.HasPrefix(r.ContentType, "application/") || !strings.Contains(r.ContentType, "json") {
		t.Errorf("want a JSON content type, got %q", r.ContentType)
	}
	if got := r.Errors[0].Code(); got != code {
		t.Errorf("want %s, got %q: %.300s", code, got, r.Body)
	}
	for _, h := range hints {
		if !strings.Contains(r.Errors[0].Message, h) {
			t.Errorf("message %q does not say %q", r.Errors[0].Message, h)
		}
	}
	if len(r.Data) > 0 {
		t.Errorf("a refused request returned data: %.300s", r.Body)
	}
}

func gqlBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

func (c *client) post(t *testing.T, query string, vars map[string]any) *rawResponse {
	t.Helper()
	b := gqlBody(query, vars)
	return rawPost(t, c.e.url, bytes.NewReader(b), int64(len(b)), map[string]string{"Authorization": "Bearer " + c.token})
}

// nested wraps inner in n levels of `parent { … }` below team(id).
func nestedParents(n int, inner string) string {
	return `query($t: ID!) { team(id: $t) { ` + strings.Repeat("parent { ", n) + inner + strings.Repeat(" }", n) + ` } }`
}

func TestLimitDepth(t *testing.T) {
	e := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("Depth Limits", "PRO", nil)
	o.team("Root", "")
	leaf := o.teams["Root"]
	vars := map[string]any{"t": leaf}

	// team(1) + 10 parents + id = 12 levels: allowed.
	if r := o.Owner.post(t, nestedParents(server.MaxDepth-2, "id"), vars); len(r.Errors) > 0 || r.Status != 200 {
		t.Fatalf("a query %d deep was refused: %d %.300s", server.MaxDepth, r.Status, r.Body)
	}
	// One more level: refused, before anything runs.
	o.Owner.post(t, nestedParents(server.MaxDepth-1, "id"), vars).
		refused(t, 422, "COMPLEXITY_LIMIT", fmt.Sprintf("at most %d", server.MaxDepth), "13 levels")

	// Depth counts through named and inline fragments.
	frag := `query($t: ID!) { team(id: $t) { ...A } }
fragment A on Team { parent { parent { ...B } } }
fragment B on Team { parent { ... on Team { parent { parent { ...C } } } } }
fragment C on Team { parent { parent { parent { parent { parent { parent { id } } } } } } }`
	o.Owner.post(t, frag, vars).refused(t, 422, "COMPLEXITY_LIMIT", "levels deep")
	shallow := `query($t: ID!) { team(id: $t) { ...A } }
fragment A on Team { parent { parent { ...B } } }
fragment B on Team { parent { ... on Team { parent { id } } } }`
	if r := o.Owner.post(t, shallow, vars); len(r.Errors) > 0 {
		t.Fatalf("a shallow query with fragments was refused: %.300s", r.Body)
	}

	// A refused mutation changes nothing.
	deepMutation := `mutation { createTeam(input: {name: "Deep"}) { ` + strings.Repeat("parent { ", server.MaxDepth) + "id" + strings.Repeat(" }", server.MaxDepth) + ` } }`
	o.Owner.post(t, deepMutation, nil).refused(t, 422, "COMPLEXITY_LIMIT")
	d := o.Owner.ok(`{ organization { teams { name } } }`, nil)
	if n := len(get(d, "organization", "teams").([]any)); n != 1 {
		t.Errorf("a refused createTeam created a team: %v", d)
	}
}

func TestLimitAliases(t *testing.T) {
	e := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("Alias Limits", "PRO", nil)
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: can(permission: \"members.read\") ", i)
		}
		b.WriteString("}")
		return b.String()
	}
	r := o.Owner.post(t, aliases(server.MaxAliases), nil)
	if len(r.Errors) > 0 || len(r.Data) != server.MaxAliases {
		t.Fatalf("%d aliases were refused: %.300s", server.MaxAliases, r.Body)
	}
	o.Owner.post(t, aliases(server.MaxAliases+1), nil).
		refused(t, 422, "COMPLEXITY_LIMIT", fmt.Sprintf("more than %d aliases", server.MaxAliases), "split")

	// Aliases inside a fragment count once per spread: 26 × 2 > 50.
	var f strings.Builder
	f.WriteString("{ viewer { ...F } organization { owner { ...F } } }\nfragment F on Member { ")
	for i := range 26 {
		fmt.Fprintf(&f, "n%d: name ", i)
	}
	f.WriteString("}")
	o.Owner.post(t, f.String(), nil).refused(t, 422, "COMPLEXITY_LIMIT", "aliases")
}

// fragmentBomb spreads fragment F1 2^(n-1) times without one alias: the
// text is tiny, the expansion is not.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ viewer { ...F" + strconv.Itoa(n) + " } }\nfragment F1 on Member { id name }\n")
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Member { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

func TestLimitComplexity(t *testing.T) {
	e := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("Complexity Limits", "PRO", nil)

	// Lists multiply: 200 members × their teams' members × … is refused.
	fanOut := `{ organization { members(first: 200) { edges { node { teams { members { teams { members { id } } } } } } } } }`
	sh, cost, err := server.Measure(fanOut, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Depth > server.MaxDepth || cost <= server.ComplexityLimit {
		t.Fatalf("the fan-out query must be within depth and over the cost limit: %+v cost %d", sh, cost)
	}
	o.Owner.post(t, fanOut, nil).refused(t, 422, "COMPLEXITY_LIMIT",
		fmt.Sprintf("exceeds the limit of %d", server.ComplexityLimit), "smaller pages")
	// The same with a small page is fine.
	small := strings.Replace(fanOut, "first: 200", "first: 2", 1)
	if r := o.Owner.post(t, small, nil); len(r.Errors) > 0 {
		t.Fatalf("a small page was refused: %.300s", r.Body)
	}
	// Permission checks are priced: 50 aliased can() on 200 members is too much.
	checks := `{ organization { members(first: 200) { edges { node { ` +
		`a: can(permission: "members.read") b: can(permission: "roles.read") c: can(permission: "teams.read") d: can(permission: "seats.read") e: can(permission: "audit_log.read") ` +
		`} } } } }`
	o.Owner.post(t, checks, nil).refused(t, 422, "COMPLEXITY_LIMIT")

	// A fragment bomb is refused quickly (gqlgen's complexity walk would
	// expand 2^29 spreads).
	start := time.Now()
	o.Owner.post(t, fragmentBomb(30), nil).refused(t, 422, "COMPLEXITY_LIMIT", "fragments are expanded")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the fragment bomb took %s to refuse", d)
	}

	// What clients and the suite ask stays well within every limit.
	if sh, cost, err := server.Measure(orgStateQuery, "", nil); err != nil || cost > server.ComplexityLimit || sh.Depth > server.MaxDepth {
		t.Errorf("orgStateQuery: %+v cost %d, %v", sh, cost, err)
	} else {
		t.Logf("orgStateQuery (200 members, interactions, evaluations): depth %d, cost %d of %d", sh.Depth, cost, server.ComplexityLimit)
	}
}

// TestLimitsAdmitTheSuitesQueries measures every GraphQL document written
// in this package's tests (and the demo and README): each one that is
// valid must be within every limit, so limits never refuse what clients
// legitimately ask. limits_test.go's own over-limit queries are skipped.
func TestLimitsAdmitTheSuitesQueries(t *testing.T) {
	files, _ := filepath.Glob("*_test.go")
	files = append(files, "../demo/demo.go")
	var docs []string
	for _, f := range files {
		if f == "limits_test.go" {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") {
				docs = append(docs, strings.Trim(lit.Value, "`"))
			}
			return true
		})
	}
	if readme, err := os.ReadFile("../README.md"); err == nil {
		for i, part := range strings.Split(string(readme), "```") {
			if i%2 == 1 {
				docs = append(docs, strings.TrimPrefix(strings.TrimPrefix(part, "graphql\n"), "gql\n"))
			}
		}
	}
	valid, maxCost, maxDepth, maxAliases := 0, 0, 0, 0
	for _, d := range docs {
		sh, cost, err := server.Measure(d, "", nil)
		if err != nil {
			continue // not a single valid operation (bad-input cases, SDL, shell)
		}
		valid++
		maxCost, maxDepth, maxAliases = max(maxCost, cost), max(maxDepth, sh.Depth), max(maxAliases, sh.Aliases)
		if cost > server.ComplexityLimit || sh.Depth > server.MaxDepth || sh.Aliases > server.MaxAliases || sh.Fields > server.MaxFields {
			t.Errorf("a query of the suite is over a limit (%+v, cost %d):\n%s", sh, cost, d)
		}
	}
	if valid < 100 {
		t.Errorf("only %d valid operations found in %d literals: is the scan broken?", valid, len(docs))
	}
	t.Logf("%d operations of the suite measured: max cost %d (limit %d), max depth %d (%d), max aliases %d (%d)",
		valid, maxCost, server.ComplexityLimit, maxDepth, server.MaxDepth, maxAliases, server.MaxAliases)
}

func TestLimitRequestBody(t *testing.T) {
	e := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("Body Limits", "PRO", nil)
	auth := map[string]string{"Authorization": "Bearer " + o.Owner.token}

	padded := func(size int) []byte {
		q := `{ viewer { id } }`
		pad := size - len(gqlBody(q, nil))
		return gqlBody(q+strings.Repeat(" ", pad), nil)
	}
	t.Run("just under the limit", func(t *testing.T) {
		b := padded(server.MaxBodyBytes)
		if len(b) != server.MaxBodyBytes {
			t.Fatalf("padding: %d bytes", len(b))
		}
		r := rawPost(t, e.url, bytes.NewReader(b), int64(len(b)), auth)
		if r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("a body of exactly %d bytes was refused: %d %.300s", len(b), r.Status, r.Body)
		}
	})
	t.Run("over the limit with Content-Length", func(t *testing.T) {
		b := padded(server.MaxBodyBytes + 1)
		rawPost(t, e.url, bytes.NewReader(b), int64(len(b)), auth).refused(t, 413, "BAD_USER_INPUT", "larger than", "split")
	})
	t.Run("over the limit, chunked", func(t *testing.T) {
		b := padded(4 * server.MaxBodyBytes)
		// An io.Reader of unknown length: sent chunked, no Content-Length.
		rawPost(t, e.url, io.MultiReader(bytes.NewReader(b)), -1, auth).refused(t, 413, "BAD_USER_INPUT", "larger than")
	})
	t.Run("huge variables", func(t *testing.T) {
		b := gqlBody(`mutation($n: String!) { createTeam(input: {name: $n}) { id } }`, map[string]any{"n": strings.Repeat("x", 2*server.MaxBodyBytes)})
		rawPost(t, e.url, bytes.NewReader(b), int64(len(b)), auth).refused(t, 413, "BAD_USER_INPUT")
		d := o.Owner.ok(`{ organization { teams { id } } }`, nil)
		if n := len(get(d, "organization", "teams").([]any)); n != 0 {
			t.Errorf("a refused createTeam created a team")
		}
	})
}

func TestLimitMalformedRequests(t *testing.T) {
	e := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("Malformed", "PRO", nil)
	auth := map[string]string{"Authorization": "Bearer " + o.Owner.token}
	one := string(gqlBody(`{ viewer { id } }`, nil))
	cases := []struct {
		name, body, contentType string
		status                  int
		hints                   []string
	}{
		{"batch of two", "[" + one + "," + one + "]", "", 400, []string{"one operation per request"}},
		{"batch of one", "[" + one + "]", "", 400, []string{"not supported"}},
		{"batch after whitespace", " \n\t[" + one + "]", "", 400, []string{"not supported"}},
		{"empty batch", "[]", "", 400, []string{"not supported"}},
		{"not JSON", "query { viewer { id } }", "", 400, []string{"JSON object"}},
		{"truncated JSON", one[:len(one)-3], "", 400, []string{"JSON object"}},
		{"JSON string", `"{ viewer { id } }"`, "", 400, []string{"JSON object"}},
		{"query is a number", `{"query": 5}`, "", 400, []string{`"query" must be a JSON string`}},
		{"variables is a list", `{"query": "{ viewer { id } }", "variables": [1]}`, "", 400, []string{`"variables" must be a JSON object`}},
		{"empty body", "", "", 400, []string{"JSON object"}},
		{"data after the object", one + " x", "", 400, []string{"JSON object"}},
		{"two objects", one + one, "", 400, []string{"JSON object"}},
		{"no query", `{}`, "", 200, nil},
		{"wrong content type", one, "text/plain", 415, []string{"application/json"}},
		{"form content type", "query=%7Bviewer%7Bid%7D%7D", "application/x-www-form-urlencoded", 415, []string{"application/json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{"Authorization": auth["Authorization"]}
			if c.contentType != "" {
				h["Content-Type"] = c.contentType
			}
			r := rawPost(t, e.url, strings.NewReader(c.body), int64(len(c.body)), h)
			code := "BAD_USER_INPUT"
			if c.name == "no query" {
				code = "GRAPHQL_VALIDATION_FAILED" // a JSON object without a query: a request with an empty query
			}
			r.refused(t, c.status, code, c.hints...)
			if strings.Contains(string(r.Body), "viewer { id }") && c.name != "no query" {
				t.Errorf("the error echoes the request body: %.300s", r.Body)
			}
		})
	}
	// A plain request still works, and so does one with white space after
	// the object.
	for _, body := range []string{one, one + " \r\n\t"} {
		if r := rawPost(t, e.url, strings.NewReader(body), int64(len(body)), auth); r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("a well-formed request %q failed: %.300s", body, r.Body)
		}
	}
}

func TestLimitRequestTimeout(t *testing.T) {
	const timeout = 500 * time.Millisecond
	e := newEnvWith(t, func(c *server.Config) { c.RequestTimeout = timeout })
	o := e.newOrg("Timeouts", "PRO", nil)

	// A client that sends its headers and then stalls (slowloris) holds the
	// request past the timeout: it is answered 503 UNAVAILABLE, in JSON.
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() {
		pw.Write([]byte(`{"query": "{ viewer`))
		time.Sleep(10 * timeout)
		pw.Write([]byte(` { id } }"}`))
		pw.Close()
	}()
	start := time.Now()
	r := rawPost(t, e.url, pr, -1, map[string]string{"Authorization": "Bearer " + o.Owner.token})
	took := time.Since(start)
	r.refused(t, 503, "UNAVAILABLE", "took longer than 500ms", "retry")
	if took < timeout || took > 5*timeout {
		t.Errorf("the timeout answered after %s; want about %s", took, timeout)
	}
	if r.ContentType != "application/json" {
		t.Errorf("timeout Content-Type %q", r.ContentType)
	}
	// A request in time still works on the same server.
	if d := o.Owner.ok(`{ viewer { id } }`, nil); str(d, "viewer", "id") != o.Owner.MemberID {
		t.Errorf("viewer after a timeout: %v", d)
	}
}

// introspectionQuery is the one GraphiQL and graphql-js (v16) send.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

// TestProductionModeIntrospection: with --production, a member without
// api.explore (here an agent) may not introspect nor see suggestions
// (explore_test.go tests who may); without it everyone may.
func TestProductionModeIntrospection(t *testing.T) {
	dev := newEnvWith(t, func(*server.Config) {})
	prod := newEnvWith(t, func(c *server.Config) { c.Production = true })
	for _, mode := range []struct {
		name string
		e    *env
		prod bool
	}{{"dev", dev, false}, {"production", prod, true}} {
		t.Run(mode.name, func(t *testing.T) {
			e := mode.e
			o := e.newOrg("Mode "+mode.name, "PRO", nil)
			agent := o.member("agent@mode.example", []string{"agent"}, nil, nil)

			// Introspection.
			for _, q := range []string{introspectionQuery, `{ __schema { queryType { name } } }`, `{ __type(name: "Member") { fields { name } } }`,
				`{ viewer { id } a: __type(name: "Role") { name } }`} {
				r := agent.post(t, q, nil)
				if mode.prod {
					r.refused(t, 200, "FORBIDDEN", "introspection", "api.explore")
				} else if len(r.Errors) > 0 || r.Status != 200 {
					t.Errorf("dev introspection refused: %d %.300s", r.Status, r.Body)
				}
			}
			if !mode.prod {
				// Introspection's fan-out is bounded too.
				// (gqlparser's own rule: a validation error.)
				o.Owner.post(t, `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, nil).
					refused(t, 200, "GRAPHQL_VALIDATION_FAILED", "introspection depth")
			}
			// __typename is not introspection.
			if r := o.Owner.post(t, `{ __typename viewer { __typename id } }`, nil); len(r.Errors) > 0 {
				t.Errorf("__typename refused: %.300s", r.Body)
			}

			// Field suggestions.
			r := agent.post(t, `{ viewr { id } }`, nil)
			r.refused(t, 200, "GRAPHQL_VALIDATION_FAILED")
			suggests := strings.Contains(string(r.Body), "Did you mean")
			if suggests == mode.prod {
				t.Errorf("production=%v, suggestions=%v: %.300s", mode.prod, suggests, r.Body)
			}
			r = agent.post(t, `{ viewer { emial } }`, nil)
			if strings.Contains(string(r.Body), "email") == mode.prod {
				t.Errorf("production=%v: %.300s", mode.prod, r.Body)
			}

			// GraphiQL, and the assets it loads from the service itself: in
			// production too (what it may see is api.explore's).
			for _, path := range []string{"/graphiql", "/graphiql/assets/graphiql.min.js"} {
				res, err := http.Get(e.url + path)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Errorf("GET %s: %d, want 200", path, res.StatusCode)
				}
			}
			// The API itself works the same.
			if d := o.Owner.ok(`{ viewer { id isOwner } }`, nil); get(d, "viewer", "isOwner") != true {
				t.Errorf("viewer: %v", d)
			}
		})
	}
}

func TestProductionSecretRequired(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		secret string
	}{{"no secret", ""}, {"31 bytes", strings.Repeat("k", 31)}, {"8 bytes", "password"}} {
		t.Run(c.name, func(t *testing.T) {
			srv, err := server.Config{Production: true, JWTSecret: c.secret, Addr: "127.0.0.1:0"}.Complete(ctx)
			if err == nil {
				srv.Close()
				t.Fatalf("--production started with a %d-byte secret", len(c.secret))
			}
			if !strings.Contains(err.Error(), "32") {
				t.Errorf("the refusal does not say how long the secret must be: %v", err)
			}
		})
	}
	t.Run("32 bytes", func(t *testing.T) {
		e := newEnvWith(t, func(c *server.Config) { c.Production, c.JWTSecret = true, strings.Repeat("k", 32) })
		if e.srv.SecretGenerated {
			t.Error("a configured secret is reported as generated")
		}
		o := e.newOrg("Prod Secret", "PRO", nil)
		if d := o.Owner.ok(`{ viewer { id } }`, nil); str(d, "viewer", "id") != o.Owner.MemberID {
			t.Errorf("viewer: %v", d)
		}
	})
	t.Run("dev generates one", func(t *testing.T) {
		e := newEnvWith(t, func(c *server.Config) { c.JWTSecret = "" })
		if !e.srv.SecretGenerated || len(e.srv.Secret) < authn.MinProductionSecretLen {
			t.Errorf("dev secret: generated=%v, %d bytes", e.srv.SecretGenerated, len(e.srv.Secret))
		}
	})
}

// TestSecretWrongAlgorithmOverHTTP: tokens over HTTP signed with the
// server's own secret but another algorithm, or carrying a header trick,
// are refused. (alg none, another key, tampering, expiry and deactivated
// members are in TestAuthRejectsBadCredentials; authn's unit tests cover
// the parser.)
func TestSecretWrongAlgorithmOverHTTP(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	e := newEnvWith(t, func(c *server.Config) { c.JWTSecret = string(secret) })
	o := e.newOrg("Wrong Alg", "PRO", nil)
	b64 := base64.RawURLEncoding.EncodeToString
	claims := b64([]byte(fmt.Sprintf(`{"sub":%q,"org":%q,"exp":%d}`, o.Owner.MemberID, o.ID, time.Now().Add(time.Hour).Unix())))
	sign := func(header string, mac func(string) string) string {
		in := b64([]byte(header)) + "." + claims
		return in + "." + mac(in)
	}
	hs256 := func(in string) string { m := hmac.New(sha256.New, secret); m.Write([]byte(in)); return b64(m.Sum(nil)) }
	hs512 := func(in string) string { m := hmac.New(sha512.New, secret); m.Write([]byte(in)); return b64(m.Sum(nil)) }
	cases := map[string]string{
		"HS512 with the server's secret":     sign(`{"alg":"HS512","typ":"JWT"}`, hs512),
		"HS384 header, HS256 signature":      sign(`{"alg":"HS384","typ":"JWT"}`, hs256),
		"RS256 header, HMAC with the secret": sign(`{"alg":"RS256","typ":"JWT"}`, hs256),
		"none, with a signature":             sign(`{"alg":"none","typ":"JWT"}`, hs256),
		"NONE":                               sign(`{"alg":"NONE","typ":"JWT"}`, func(string) string { return "" }),
		"HS256 with crit header":             sign(`{"alg":"HS256","typ":"JWT","crit":["exp"]}`, hs256),
		"HS256 signed with an empty key": sign(`{"alg":"HS256","typ":"JWT"}`, func(in string) string {
			m := hmac.New(sha256.New, nil)
			m.Write([]byte(in))
			return b64(m.Sum(nil))
		}),
	}
	// The control: the same header and claims, HS256 with the secret, work.
	good := sign(`{"alg":"HS256","typ":"JWT"}`, hs256)
	if r := rawPost(t, e.url, bytes.NewReader(gqlBody(`{ viewer { id } }`, nil)), -1, map[string]string{"Authorization": "Bearer " + good}); r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("the control token was refused: %d %.300s", r.Status, r.Body)
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			b := gqlBody(`mutation { setPlan(plan: ENTERPRISE) { plan } }`, nil)
			rawPost(t, e.url, bytes.NewReader(b), int64(len(b)), map[string]string{"Authorization": "Bearer " + tok}).
				refused(t, 401, "UNAUTHENTICATED")
		})
	}
	if d := o.Owner.ok(`{ organization { plan } }`, nil); str(d, "organization", "plan") != "PRO" {
		t.Errorf("a refused token changed the plan: %v", d)
	}
}
