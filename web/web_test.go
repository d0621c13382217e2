package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/web"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	return serve(t, "/graphiql", web.GraphiQL("t", "/graphql", "/graphiql/assets/"),
		"/graphiql/assets/", web.Assets("/graphiql/assets/"))
}

// serve mounts handlers at their patterns (pattern, handler, …).
func serve(t *testing.T, routes ...any) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for i := 0; i < len(routes); i += 2 {
		mux.Handle(routes[i].(string), routes[i+1].(http.Handler))
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// The page loads nothing from outside the service, and every script and
// stylesheet it names is served here with the integrity hash it declares
// (a browser refuses a file whose hash differs).
func TestGraphiQLLoadsOnlyItsOwnAssets(t *testing.T) {
	srv := server(t)
	res, page := get(t, srv.URL+"/graphiql")
	if res.StatusCode != 200 {
		t.Fatalf("GET /graphiql: %d", res.StatusCode)
	}
	tags := regexp.MustCompile(`(?s)<(script|link)\b[^>]*>`).FindAllString(string(page), -1)
	attr := func(tag, name string) string {
		m := regexp.MustCompile(`\b` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1]) // as a browser reads an attribute
	}
	loaded := 0
	for _, tag := range tags {
		url := attr(tag, "src") + attr(tag, "href")
		if url == "" {
			continue // the inline script
		}
		if strings.Contains(url, "//") || !strings.HasPrefix(url, "/graphiql/assets/") {
			t.Errorf("the page loads %q from outside the service", url)
			continue
		}
		res, body := get(t, srv.URL+url)
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d", url, res.StatusCode)
			continue
		}
		wantType := "text/css"
		if strings.HasSuffix(url, ".js") {
			wantType = "javascript"
		}
		if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, wantType) {
			t.Errorf("%s: Content-Type %q", url, ct)
		}
		sum := sha256.Sum256(body)
		if got, want := "sha256-"+base64.StdEncoding.EncodeToString(sum[:]), attr(tag, "integrity"); got != want {
			t.Errorf("%s: served bytes hash to %s, the page declares %q", url, got, want)
		}
		loaded++
	}
	if loaded != 6 {
		t.Fatalf("the page loads %d assets, want 6 (GraphiQL js+css, React, ReactDOM, explorer js+css):\n%s", loaded, page)
	}
	if !strings.Contains(string(page), `"/graphql"`) {
		t.Error("the page does not point GraphiQL at /graphql")
	}
}

func TestAssetsServeNothingElse(t *testing.T) {
	srv := server(t)
	for _, path := range []string{"/graphiql/assets/", "/graphiql/assets/nope.js", "/graphiql/assets/SOURCES.md", "/graphiql/assets/../web.go"} {
		if res, _ := get(t, srv.URL+path); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

// The embedded files are the ones graphiql/SOURCES.md names: whoever
// updates one updates the record of where it came from.
func TestSourcesRecordTheEmbeddedFiles(t *testing.T) {
	sources, err := os.ReadFile("graphiql/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{web.GraphiQLJS, web.GraphiQLCSS, web.ReactJS, web.ReactDOMJS, web.ExplorerJS, web.ExplorerCSS} {
		b, err := os.ReadFile("graphiql/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		row := "| " + name + " |"
		hash := base64.StdEncoding.EncodeToString(sum[:])
		found := false
		for _, line := range strings.Split(string(sources), "\n") {
			if strings.HasPrefix(line, row) {
				found = strings.Contains(line, "| "+hash+" |")
			}
		}
		if !found {
			t.Errorf("SOURCES.md has no row for %s with sha256 %s", name, hash)
		}
		if web.SRI(name) != "sha256-"+hash {
			t.Errorf("SRI(%s) = %s", name, web.SRI(name))
		}
	}
}
