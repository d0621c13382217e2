package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/web"
)

// TestConsoleOIDCSignIn: with --oidc-issuer and --oidc-client-id, the
// console and GraphiQL sign in at the issuer by authorization code + PKCE,
// in real Chromium, against an issuer this test serves on 127.0.0.1 (it
// approves at once and checks the PKCE verifier, see issuer.token). The
// token lands in the tab's sessionStorage only, and it is the issuer's:
// rolegraph verified it with the issuer's keys. In production mode, so
// GraphiQL's first request (introspection) must already carry the token.
func TestConsoleOIDCSignIn(t *testing.T) {
	alloc := newChromium(t)
	is := newIssuer(t)
	e := newEnvOn(t, memoryBackend, func(c *server.Config) {
		c.OIDC = authn.OIDCConfig{Issuer: is.url, Audience: oidcAudience}
		c.OIDCClientID = is.clientID
		// GraphiQL's schema is then Ann's to see (admin: api.explore) only
		// if the page finishes signing in before it asks for it.
		c.Production = true
	})
	acme := e.externalOrg("Acme", "acme")
	annID, annInv := acme.invite("ann@acme.example", "admin")
	_, maxInv := acme.invite("max@acme.example", "manager")
	bearer(e, is.sign("rsa1", is.claims("acme", "idp|ann"))).ok(`mutation($t: String!) { acceptInvitation(token: $t) { id } }`, map[string]any{"t": annInv})
	is.mu.Lock()
	is.signedIn = is.claims("acme", "idp|ann")
	is.mu.Unlock()

	// What the frontends are told, and the console's policy lets its page
	// reach the token endpoint (and nothing else off its origin).
	res, err := http.Get(e.url + web.SignInPath)
	if err != nil {
		t.Fatal(err)
	}
	var methods struct {
		Demo              bool
		OIDC              struct{ Issuer, ClientID, AuthorizationEndpoint, TokenEndpoint, EndSessionEndpoint, Scope string }
		ExplorePermission *string
	}
	if err := json.NewDecoder(res.Body).Decode(&methods); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if methods.Demo || methods.OIDC.Issuer != is.url || methods.OIDC.ClientID != is.clientID ||
		methods.OIDC.AuthorizationEndpoint != is.url+"/authorize" || methods.OIDC.TokenEndpoint != is.url+"/token" ||
		methods.OIDC.EndSessionEndpoint != is.url+"/logout" || !strings.Contains(methods.OIDC.Scope, "openid") {
		t.Fatalf("%s: %+v", web.SignInPath, methods)
	}
	if methods.ExplorePermission == nil || *methods.ExplorePermission != "api.explore" {
		t.Fatalf("%s: explorePermission %v in production, want api.explore", web.SignInPath, methods.ExplorePermission)
	}
	res, err = http.Get(e.url + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' "+is.url+";") {
		t.Fatalf("the console's policy does not let it reach the token endpoint: %s", csp)
	}

	signedInAsAnn := func(p *page) {
		t.Helper()
		tok := eval[string](p, `sessionStorage.getItem('rolegraph.console.token') || ''`)
		c := claimsOf(t, tok)
		if c["iss"] != is.url || c["sub"] != "idp|ann" {
			t.Fatalf("the console's token is not the issuer's for idp|ann: %v", c)
		}
		if n := eval[int](p, `localStorage.length`); n != 0 {
			t.Fatalf("localStorage holds %d items after an OIDC sign-in", n)
		}
		if id := str(bearer(e, tok).ok(`{ viewer { id } }`, nil), "viewer", "id"); id != annID {
			t.Fatalf("the console's token signs in %s, want Ann (%s)", id, annID)
		}
	}

	t.Run("the sign-in page at 390x844", func(t *testing.T) {
		p := newPage(t, alloc, e.url, 390, 844)
		t.Cleanup(p.noConsoleErrors)
		p.open("/console")
		p.find(0, "button", exactly("Sign in with your identity provider"), "the single sign-on button")
		p.shot("390x844-console-oidc-signin")
	})

	t.Run("console", func(t *testing.T) {
		p := newPage(t, alloc, e.url, 1280, 800)
		t.Cleanup(p.noConsoleErrors)
		p.open("/console#/members")
		p.find(0, "heading", exactly("Single sign-on"), "the single sign-on section")
		p.shot("1280x800-console-oidc-signin")
		p.clickRole("button", "Sign in with your identity provider")
		p.find(0, "link", exactly("Roles"), "the Roles link")
		p.waitText("ann@acme.example")
		// Back where the sign-in started, with the code gone from the address.
		p.find(0, "heading", exactly("Members"), "the Members view")
		if u := eval[string](p, `location.href`); u != e.url+"/console/#/members" {
			t.Fatalf("after the sign-in the console is at %s, want %s/console/#/members", u, e.url)
		}
		signedInAsAnn(p)
		p.shot("1280x800-console-oidc-signed-in")
		// Ann holds api.explore: her GraphiQL link is not locked once the
		// console knows what the schema needs.
		p.waitFor("the console knows what GraphiQL needs", func() bool {
			return eval[string](p, `document.querySelector('a.graphiql-link').dataset.explorePermission || ''`) == "api.explore"
		})
		if eval[bool](p, `document.querySelector('a.graphiql-link').classList.contains('locked')`) {
			t.Fatalf("the GraphiQL link is locked for an admin")
		}

		// Sign out ends the issuer's session too (RP-Initiated Logout):
		// on a shared computer the next "Sign in" must not go straight
		// through as Ann.
		p.clickRole("button", "Sign out")
		p.find(0, "heading", exactly("Single sign-on"), "the sign-in page after signing out")
		if u := eval[string](p, `location.href`); u != e.url+"/console/" {
			t.Fatalf("after signing out the console is at %s, want %s/console/", u, e.url)
		}
		if tok := eval[string](p, `sessionStorage.getItem('rolegraph.console.token') || ''`); tok != "" {
			t.Fatalf("the token outlived the sign-out")
		}
		if n := eval[int](p, `sessionStorage.length`); n != 0 {
			t.Fatalf("sessionStorage holds %d items after signing out", n)
		}
		is.mu.Lock()
		logouts, signedIn := slices.Clone(is.logouts), is.signedIn
		is.signedIn = is.claims("acme", "idp|ann") // Ann signs in at the issuer again, for GraphiQL
		is.mu.Unlock()
		if len(logouts) != 1 || signedIn != nil {
			t.Fatalf("the issuer was asked to end %d sessions (want 1); its session ended: %v", len(logouts), signedIn == nil)
		}
		lo := logouts[0]
		if lo.clientID != is.clientID || lo.postLogoutRedirectURI != e.url+"/console/" {
			t.Fatalf("logout request: %+v", lo)
		}
		// The hint is the id token the issuer gave this sign-in.
		if c := claimsOf(t, lo.idTokenHint); c["sub"] != "idp|ann" || c["aud"] != is.clientID || c["iss"] != is.url {
			t.Fatalf("id_token_hint is not Ann's id token for the console: %v", c)
		}
		p.shot("1280x800-console-oidc-signed-out")
	})

	// In production GraphiQL's schema needs api.explore: the console marks
	// its link for a manager (who lacks it) with the API's reason, not for
	// Ann (admin).
	// Before the token expires the console renews it with the refresh
	// token (no redirect, the view stays), and its requests carry the new
	// one. Tokens for 12 s: the console renews at half their lifetime.
	t.Run("console renews its token", func(t *testing.T) {
		is.mu.Lock()
		is.accessTTL = 12 * time.Second
		is.mu.Unlock()
		t.Cleanup(func() { is.mu.Lock(); is.accessTTL = 0; is.mu.Unlock() })
		p := newPage(t, alloc, e.url, 1280, 800)
		t.Cleanup(p.noConsoleErrors)
		p.open("/console#/members")
		p.clickRole("button", "Sign in with your identity provider")
		p.find(0, "heading", exactly("Members"), "the Members view")
		signedInAsAnn(p)
		first := eval[string](p, `sessionStorage.getItem('rolegraph.console.token') || ''`)
		eval[bool](p, `(() => { window.__auth = []; const f = window.fetch; window.fetch = (u, o) => {
			if (String(u).includes('/graphql')) window.__auth.push(new Headers((o && o.headers) || {}).get('Authorization') || ''); return f(u, o) }; return true })()`)
		p.waitFor("the console renewed its token", func() bool {
			return is.renewals.Load() >= 1 && eval[string](p, `sessionStorage.getItem('rolegraph.console.token') || ''`) != first
		})
		renewed := eval[string](p, `sessionStorage.getItem('rolegraph.console.token') || ''`)
		signedInAsAnn(p)
		if claimsOf(t, renewed)["exp"].(float64) <= claimsOf(t, first)["exp"].(float64) {
			t.Fatalf("the renewed token does not expire later than the first")
		}
		if u := eval[string](p, `location.href`); u != e.url+"/console/#/members" {
			t.Fatalf("renewing moved the console to %s", u)
		}
		p.clickRole("link", "Roles")
		p.find(0, "heading", exactly("Roles"), "the Roles view")
		p.waitFor("a request after the renewal", func() bool { return eval[int](p, `window.__auth.length`) > 0 })
		if sent := eval[string](p, `window.__auth[window.__auth.length - 1]`); sent != "Bearer "+renewed {
			t.Fatalf("after the renewal the console sent %.40q…, want the renewed token", sent)
		}
	})

	t.Run("GraphiQL link locked without api.explore", func(t *testing.T) {
		tok := is.sign("rsa1", is.claims("acme", "idp|max"))
		bearer(e, tok).ok(`mutation($t: String!) { acceptInvitation(token: $t) { id } }`, map[string]any{"t": maxInv})
		p := newPage(t, alloc, e.url, 1280, 800)
		t.Cleanup(p.noConsoleErrors)
		p.open("/console")
		p.click(p.find(0, "textbox", exactly("Bearer token"), "the token field"))
		p.paste("Bearer " + tok)
		p.clickRole("button", "Sign in")
		p.find(0, "link", exactly("Roles"), "the Roles link")
		p.waitFor("the GraphiQL link locked", func() bool {
			return eval[bool](p, `document.querySelector('a.graphiql-link').classList.contains('locked')`)
		})
		if title := eval[string](p, `document.querySelector('a.graphiql-link').title`); !strings.Contains(title, "api.explore") {
			t.Fatalf("the locked GraphiQL link says %q, want the API's reason naming api.explore", title)
		}
		p.shot("1280x800-console-graphiql-locked")
	})

	t.Run("GraphiQL", func(t *testing.T) {
		p := newPage(t, alloc, e.url, 1280, 800)
		t.Cleanup(p.noConsoleErrors)
		// Before signing in GraphiQL introspects anonymously: refused in
		// production, as the browser logs.
		p.expect("api.explore")
		p.expect("403")
		p.expect("Failed to load resource")
		p.open("/graphiql")
		p.clickRole("button", "Sign in with your identity provider")
		p.waitText("Requests carry Authorization: Bearer … (signed in at " + is.url + ")")
		if u := eval[string](p, `location.href`); u != e.url+"/graphiql" {
			t.Fatalf("after the sign-in GraphiQL is at %s, want %s/graphiql", u, e.url)
		}
		auth := eval[string](p, `sessionStorage.getItem('rolegraph.graphiql.auth') || ''`)
		if c := claimsOf(t, strings.TrimPrefix(auth, "Bearer ")); c["iss"] != is.url || c["sub"] != "idp|ann" {
			t.Fatalf("GraphiQL's token is not the issuer's for idp|ann: %v", c)
		}
		// Back from the issuer, GraphiQL started signed in: its schema
		// loaded without a reload (the documentation explorer lists it).
		p.click(p.find(0, "button", containing("Documentation Explorer"), "the Docs button"))
		p.waitFor("the schema loaded (Docs list the root types)", func() bool {
			return eval[bool](p, `document.body.innerText.includes('Mutation')`)
		})
		p.waitText("can(permission: \"interactions.download\")")
		p.click(p.find(0, "button", containing("Execute query"), "GraphiQL's run button"))
		p.waitFor("the answer for Ann", func() bool {
			res := eval[string](p, `(() => { const cm = document.querySelector('.result-window .CodeMirror'); return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '' })()`)
			return strings.Contains(res, `"name": "ann"`) && strings.Contains(res, `"totalCount": 0`) && !strings.Contains(res, `"errors"`)
		})
		p.shot("1280x800-graphiql-oidc")
	})

	if n := is.exchanges.Load(); n != 3 {
		t.Errorf("the issuer traded %d codes, want 3 (console twice, GraphiQL)", n)
	}
	if n := is.refusals.Load(); n != 0 {
		t.Errorf("the issuer refused %d requests of the browser sign-ins", n)
	}
	if n := is.renewals.Load(); n < 1 {
		t.Errorf("the issuer renewed %d tokens, want the console's renewal", n)
	}

	// The issuer really checks PKCE: a code traded with another verifier
	// is refused, so the browser's sign-ins above sent the right one.
	t.Run("a wrong verifier is refused", func(t *testing.T) {
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		challenge := strings.Repeat("A", 43)
		res, err := noRedirect.Get(is.url + "/authorize?response_type=code&client_id=" + is.clientID +
			"&redirect_uri=" + e.url + "/console/&state=s&code_challenge_method=S256&code_challenge=" + challenge)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc, _ := res.Location()
		if loc == nil || loc.Query().Get("code") == "" {
			t.Fatalf("/authorize: %d, no code", res.StatusCode)
		}
		tr, err := http.PostForm(is.url+"/token", map[string][]string{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")},
			"client_id": {is.clientID}, "redirect_uri": {e.url + "/console/"}, "code_verifier": {"not-the-verifier"}})
		if err != nil {
			t.Fatal(err)
		}
		tr.Body.Close()
		if tr.StatusCode != http.StatusBadRequest {
			t.Fatalf("a wrong verifier: %d, want 400", tr.StatusCode)
		}
	})
}

// claimsOf reads a JWT's claims without verifying it (the server did).
func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return c
}
