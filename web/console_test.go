package web_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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
	npm, err := exec.LookPath("npm")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("npm is missing: scripts/test.sh needs Node.js and npm to check the console bundle")
		}
		t.Skip("npm is missing: the console bundle is not checked")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "web", "console")
	copyTree(t, "console", dir, func(rel string) bool {
		return rel == "node_modules" || rel == "dist" || rel == filepath.Join("src", "gql")
	})
	// codegen reads ../../schema.graphql (rolegraph schema print)
	sdl, err := os.ReadFile(filepath.Join("..", "schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "schema.graphql"), sdl, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ci", "--no-audit", "--no-fund", "--prefer-offline"}, {"run", "build"}} {
		cmd := exec.Command(npm, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CI=1", "NO_COLOR=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	fix := "run `npm ci && npm run build` in web/console and commit web/console/dist and web/console/src/gql"
	sameTree(t, filepath.Join(dir, "dist"), filepath.Join("console", "dist"), fix)
	sameTree(t, filepath.Join(dir, "src", "gql"), filepath.Join("console", "src", "gql"), fix)
}

// copyTree copies the files below src to dst, leaving out what skip names
// (paths relative to src).
func copyTree(t *testing.T, src, dst string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if skip != nil && rel != "." && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func files(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[rel], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree fails unless built and committed hold the same files, byte for byte.
func sameTree(t *testing.T, built, committed, fix string) {
	t.Helper()
	b, c := files(t, built), files(t, committed)
	for name, data := range b {
		if old, ok := c[name]; !ok {
			t.Errorf("%s: the build makes %s, which is not committed: %s", committed, name, fix)
		} else if !bytes.Equal(old, data) {
			t.Errorf("%s: %s differs from what the build makes: %s", committed, name, fix)
		}
	}
	for name := range c {
		if _, ok := b[name]; !ok {
			t.Errorf("%s: %s is committed but the build no longer makes it: %s", committed, name, fix)
		}
	}
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
