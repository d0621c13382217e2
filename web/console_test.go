package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/internal/treetest"
	"github.com/rolegraph/rolegraph/web"
)

// The committed bundle (console/dist) and the generated GraphQL types
// (console/src/gql) are what `npm ci && npm run build` makes of the
// committed sources and schema: a source, lock file or schema edited
// without rebuilding fails here. The build runs in a copy, so the work
// tree is never touched.
func TestConsoleBundleIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the console build takes half a minute")
	}
	dir := treetest.NPM(t, "..", filepath.Join("web", "console"), "build")
	fix := "run `npm ci && npm run build` in web/console and commit web/console/dist and web/console/src/gql"
	treetest.Same(t, filepath.Join(dir, "dist"), filepath.Join("console", "dist"), fix)
	treetest.Same(t, filepath.Join(dir, "src", "gql"), filepath.Join("console", "src", "gql"), fix)
}

// The console page and every asset it names are served, with the policy
// that keeps it to this origin; nothing else below /console is.
func TestConsoleServesItsPageAndAssets(t *testing.T) {
	console := web.Console("/console")
	srv := serve(t, "/console", console, "/console/", console)
	for _, path := range []string{"/console", "/console/"} {
		res, page := get(t, srv.URL+path)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
		refs := regexp.MustCompile(`(?:src|href)="(/console/assets/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
		if len(refs) < 2 {
			t.Fatalf("the page names %d assets, want a script and a stylesheet:\n%s", len(refs), page)
		}
		for _, m := range refs {
			res, _ := get(t, srv.URL+m[1])
			want := "text/css"
			if strings.HasSuffix(m[1], ".js") {
				want = "javascript"
			}
			if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), want) {
				t.Errorf("GET %s: %d %s", m[1], res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	}
	for _, path := range []string{"/console/assets/", "/console/assets/nope.js", "/console/index.html/x", "/console/roles", "/console/../web.go"} {
		if res, _ := get(t, srv.URL+path); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

// GraphiQL opens with README.md's example query, and signs in like the
// console: demo members from web.DemoMembersPath, or a pasted token.
func TestGraphiQLOpensWithTheReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```graphql\n"+web.ExampleQuery+"```") {
		t.Fatalf("README.md's example query is no longer web.ExampleQuery:\n%s", web.ExampleQuery)
	}
	_, page := get(t, server(t).URL+"/graphiql")
	for _, want := range []string{`defaultQuery: exampleQuery`, `interactions.download`, `"` + web.DemoMembersPath + `"`, `"` + web.SignInPath + `"`, `id="oidc-sign-in"`, `code_challenge_method`, `id="demo-member"`, `id="bearer-token"`, `shouldPersistHeaders: false`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the GraphiQL page lacks %s", want)
		}
	}
}
