package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rolegraph/rolegraph/server"
)

// httpDo sends one request and returns the answer with its body read.
func httpDo(t *testing.T, method, url string, body string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func headerHas(h http.Header, name, want string) bool {
	for _, v := range h.Values(name) {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), want) {
				return true
			}
		}
	}
	return false
}

var corsHeaders = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers", "Access-Control-Allow-Credentials", "Access-Control-Max-Age"}

const (
	appOrigin   = "https://app.example.com"
	otherOrigin = "https://evil.example.net"
)

func TestCORSPreflight(t *testing.T) {
	// CORS is HTTP only, in front of the store: the memory backend.
	e := newEnvWith(t, func(c *server.Config) { c.CORSOrigins = []string{appOrigin, "http://localhost:5173"} })
	none := newEnvWith(t, func(*server.Config) {})
	o := e.newOrg("CORS", "PRO", nil)

	preflight := func(e *env, origin, method, headers string) *http.Response {
		h := map[string]string{"Origin": origin, "Access-Control-Request-Method": method}
		if headers != "" {
			h["Access-Control-Request-Headers"] = headers
		}
		res, _ := httpDo(t, http.MethodOptions, e.url+"/graphql", "", h)
		return res
	}
	t.Run("allowed origins", func(t *testing.T) {
		for _, origin := range []string{appOrigin, "http://localhost:5173"} {
			for _, method := range []string{"POST", "GET"} {
				res := preflight(e, origin, method, "authorization,content-type")
				if res.StatusCode != http.StatusNoContent {
					t.Errorf("%s %s: preflight %d, want 204", origin, method, res.StatusCode)
				}
				h := res.Header
				if got := h.Get("Access-Control-Allow-Origin"); got != origin {
					t.Errorf("%s: Allow-Origin %q, want the origin echoed (never *)", origin, got)
				}
				for _, want := range []string{"Authorization", "Content-Type"} {
					if !headerHas(h, "Access-Control-Allow-Headers", want) {
						t.Errorf("%s: Allow-Headers %q lacks %s", origin, h.Values("Access-Control-Allow-Headers"), want)
					}
				}
				if !headerHas(h, "Access-Control-Allow-Methods", method) {
					t.Errorf("%s: Allow-Methods %q lacks %s", origin, h.Values("Access-Control-Allow-Methods"), method)
				}
				if got := h.Get("Access-Control-Max-Age"); got != "600" {
					t.Errorf("%s: Max-Age %q, want 600", origin, got)
				}
				if !headerHas(h, "Vary", "Origin") {
					t.Errorf("%s: Vary %q lacks Origin (a shared cache would serve one origin's answer to another)", origin, h.Values("Vary"))
				}
				if h.Get("Access-Control-Allow-Credentials") != "" {
					t.Errorf("%s: Allow-Credentials set: tokens travel in Authorization, not cookies", origin)
				}
			}
		}
	})
	t.Run("refused preflights carry no CORS headers", func(t *testing.T) {
		for _, c := range []struct {
			name                    string
			e                       *env
			origin, method, headers string
		}{
			{"another origin", e, otherOrigin, "POST", "authorization,content-type"},
			{"an allowed origin's look-alike", e, "https://app.example.com.evil.example.net", "POST", "authorization"},
			{"another scheme", e, "http://app.example.com", "POST", "authorization"},
			{"a null origin (sandboxed frame, file:)", e, "null", "POST", "authorization"},
			{"a method not allowed", e, appOrigin, "DELETE", ""},
			{"a header not allowed", e, appOrigin, "POST", "authorization,x-forwarded-user"},
			{"no --cors-origins", none, appOrigin, "POST", "authorization,content-type"},
		} {
			res := preflight(c.e, c.origin, c.method, c.headers)
			for _, name := range corsHeaders {
				if v := res.Header.Get(name); v != "" {
					t.Errorf("%s: %s: %q", c.name, name, v)
				}
			}
			if res.StatusCode >= 500 {
				t.Errorf("%s: preflight %d", c.name, res.StatusCode)
			}
		}
	})
	t.Run("answers and refusals readable by allowed origins only", func(t *testing.T) {
		query := string(gqlBody(`{ viewer { id } }`, nil))
		for _, c := range []struct {
			name, body, contentType, token string
			status                         int
		}{
			{"an answer", query, "application/json", o.Owner.token, 200},
			{"401: no such token", query, "application/json", "not-a-token", 401},
			{"415: a form post", "query=x", "text/plain", o.Owner.token, 415},
			{"413: too large", strings.Repeat(" ", server.MaxBodyBytes+1), "application/json", o.Owner.token, 413},
			{"200: a query that does not parse", string(gqlBody(`{ viewer {`, nil)), "application/json", o.Owner.token, 200},
		} {
			for _, origin := range []string{appOrigin, otherOrigin} {
				res, body := httpDo(t, http.MethodPost, e.url+"/graphql", c.body,
					map[string]string{"Origin": origin, "Content-Type": c.contentType, "Authorization": "Bearer " + c.token})
				if res.StatusCode != c.status {
					t.Errorf("%s from %s: HTTP %d, want %d: %.200s", c.name, origin, res.StatusCode, c.status, body)
				}
				got := res.Header.Get("Access-Control-Allow-Origin")
				if want := map[string]string{appOrigin: appOrigin, otherOrigin: ""}[origin]; got != want {
					t.Errorf("%s from %s: Allow-Origin %q, want %q", c.name, origin, got, want)
				}
				if !headerHas(res.Header, "Vary", "Origin") {
					t.Errorf("%s from %s: no Vary: Origin", c.name, origin)
				}
			}
		}
	})
}

// TestCORSInChromium: a page on an allowed origin calls /graphql with a
// bearer token from a real browser (preflight and all); the same page on
// another origin cannot read the answer.
func TestCORSInChromium(t *testing.T) {
	alloc := newChromium(t)
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>app</title><body>app</body>`)
	})
	allowed := httptest.NewServer(page)
	defer allowed.Close()
	other := httptest.NewServer(page)
	defer other.Close()
	e := newEnvWith(t, func(c *server.Config) { c.CORSOrigins = []string{allowed.URL} })
	o := e.newOrg("CORS browser", "PRO", nil)

	call := fmt.Sprintf(`fetch(%q, {method: 'POST', headers: {'Authorization': 'Bearer %s', 'Content-Type': 'application/json'},
		body: JSON.stringify({query: '{ viewer { id } }'})}).then(r => r.json()).then(b => 'ok:' + b.data.viewer.id, e => 'failed:' + e)`,
		e.url+"/graphql", o.Owner.token)
	// One subtest per page: a tab's browser closes with its subtest.
	run := func(name, base string, check func(t *testing.T, got string)) {
		t.Run(name, func(t *testing.T) {
			p := newPage(t, alloc, base, 800, 600)
			p.open("/")
			got, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](call, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("fetch from %s: %v", base, err)
			}
			check(t, got)
		})
	}
	run("allowed origin", allowed.URL, func(t *testing.T, got string) {
		if got != "ok:"+o.Owner.MemberID {
			t.Errorf("from the allowed origin: %s", got)
		}
	})
	run("another origin", other.URL, func(t *testing.T, got string) {
		if !strings.HasPrefix(got, "failed:") {
			t.Errorf("from another origin the page read the answer: %s", got)
		}
	})
}
