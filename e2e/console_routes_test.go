package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/web"
)

// Without --demo nobody is offered to sign in as; with it, every demo
// member comes with a token the API accepts. The console can be turned off.
func TestConsoleRoutes(t *testing.T) {
	e := newEnv(t, memoryBackend)
	status := func(url string) int {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := status(e.url + web.DemoMembersPath); got != 404 {
		t.Fatalf("GET %s without a demo: %d, want 404", web.DemoMembersPath, got)
	}
	// How to sign in: the pages read this first (no OIDC configured here).
	signIn := func(base string) string {
		res, err := http.Get(base + web.SignInPath)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: %d %s", web.SignInPath, res.StatusCode, res.Header.Get("Content-Type"))
		}
		return strings.TrimSpace(string(b))
	}
	if got := signIn(e.url); got != `{"demo":false,"oidc":null,"explorePermission":null}` {
		t.Errorf("GET %s without a demo: %s", web.SignInPath, got)
	}
	for path, want := range map[string]int{"/console": 200, "/console/": 200, "/favicon.ico": 204} {
		if got := status(e.url + path); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}

	_, d := loadDemo(t, e)
	e.srv.SetDemo(d)
	if got := signIn(e.url); got != `{"demo":true,"oidc":null,"explorePermission":null}` {
		t.Errorf("GET %s with a demo: %s", web.SignInPath, got)
	}
	res, err := http.Get(e.url + web.DemoMembersPath)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Organization string
		Members      []struct{ Label, Role, Email, Token string }
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", web.DemoMembersPath, res.StatusCode, err)
	}
	if body.Organization != d.OrgID || len(body.Members) != len(d.People) {
		t.Fatalf("demo members: org %s, %d members; want %s, %d", body.Organization, len(body.Members), d.OrgID, len(d.People))
	}
	for _, m := range body.Members {
		c := &client{e: e, token: m.Token}
		if got := str(c.ok(`{ viewer { email } }`, nil), "viewer", "email"); got != m.Email {
			t.Errorf("%s's demo token signs in as %q", m.Email, got)
		}
	}

	cfg := server.Config{NoConsole: true}
	lean(&cfg)
	off, err := cfg.Complete(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(off.Close)
	hs := httptest.NewServer(off.Handler)
	t.Cleanup(hs.Close)
	for _, path := range []string{"/console", "/console/", "/console/assets/x.js"} {
		if got := status(hs.URL + path); got != 404 {
			t.Errorf("with NoConsole, GET %s: %d, want 404", path, got)
		}
	}
	signIn(hs.URL) // GraphiQL still reads it

}
