package e2e

// Real identity (API.md, "Real identity, browsers and clients"): an OpenID
// Connect issuer the test serves itself (discovery and JWKS on 127.0.0.1,
// keys generated here), its tokens mapped to members through the
// organization's and member's externalId, acceptInvitation binding a
// sign-in, --jwt-secret rotation, and service tokens, all through HTTP on
// both backends.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/server"
)

const oidcAudience = "rolegraph-test"

// issuer is an OIDC issuer: its discovery document and key set, and the
// private keys it signs with.
type issuer struct {
	t    *testing.T
	url  string
	mu   sync.Mutex
	keys map[string]signingKey // kid → key, published in the JWKS

	// A browser sign-in (authorization code + PKCE, RFC 7636): /authorize
	// approves at once as signedIn (claims, set by a test) and redirects
	// back with a code; /token trades a code once, for the verifier whose
	// S256 challenge /authorize was given, and answers CORS so a page of
	// another origin can read it.
	clientID            string
	signedIn            map[string]any
	codes               map[string]authCode
	exchanges, refusals atomic.Int64
	// /logout (RP-Initiated Logout) ends the sign-in (signedIn = nil),
	// records what it was asked, and sends the browser back.
	logouts []logout
	// /token also renews (grant_type=refresh_token): each code exchange
	// gives a refresh token, each renewal a new one (rotation) and tokens
	// expiring accessTTL from now (0: as signedIn says).
	refreshTokens map[string]map[string]any
	accessTTL     time.Duration
	renewals      atomic.Int64
	// jwksHits and discoveryHits count what rolegraph fetched.
	jwksHits, discoveryHits atomic.Int64
}

// logout is one request to the issuer's end_session_endpoint.
type logout struct {
	idTokenHint, clientID, postLogoutRedirectURI string
}

// authCode is what /authorize remembers about a code it issued.
type authCode struct {
	clientID, redirectURI, challenge, nonce string
}

type signingKey struct {
	alg  jose.SignatureAlgorithm
	priv crypto.Signer
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	is := &issuer{t: t, keys: map[string]signingKey{}, clientID: "rolegraph-console", codes: map[string]authCode{},
		refreshTokens: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.discoveryHits.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"issuer": is.url, "jwks_uri": is.url + "/jwks",
			"authorization_endpoint": is.url + "/authorize", "token_endpoint": is.url + "/token",
			"end_session_endpoint":                  is.url + "/logout",
			"code_challenge_methods_supported":      []string{"S256"},
			"id_token_signing_alg_values_supported": []string{"RS256", "ES256", "EdDSA"}})
	})
	mux.HandleFunc("/authorize", is.authorize)
	mux.HandleFunc("/token", is.token)
	mux.HandleFunc("/logout", is.logout)
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		is.jwksHits.Add(1)
		is.mu.Lock()
		defer is.mu.Unlock()
		var set jose.JSONWebKeySet
		for kid, k := range is.keys {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.priv.Public(), KeyID: kid, Algorithm: string(k.alg), Use: "sig"})
		}
		json.NewEncoder(w).Encode(set)
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	is.url = hs.URL
	for kid, alg := range map[string]jose.SignatureAlgorithm{"rsa1": jose.RS256, "ec1": jose.ES256, "ed1": jose.EdDSA} {
		is.keys[kid] = newSigningKey(t, alg)
	}
	return is
}

// authorize approves at once: a code for is.signedIn, back to the
// redirect_uri with the state. A request a real issuer would refuse (an
// unknown client, no S256 challenge) gets 400 and no code.
func (is *issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if q.Get("response_type") != "code" || q.Get("client_id") != is.clientID || err != nil || redirect.Host == "" ||
		q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("state") == "" {
		is.refusals.Add(1)
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	is.mu.Lock()
	signedIn := is.signedIn
	code := rand.Text()
	is.codes[code] = authCode{clientID: is.clientID, redirectURI: redirect.String(), challenge: q.Get("code_challenge"), nonce: q.Get("nonce")}
	is.mu.Unlock()
	if signedIn == nil {
		http.Error(w, "nobody is signed in at the test issuer", http.StatusUnauthorized)
		return
	}
	back := redirect.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// logout ends the sign-in and redirects to post_logout_redirect_uri, as
// an issuer does once it has checked id_token_hint (the test checks it).
func (is *issuer) logout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	is.mu.Lock()
	is.logouts = append(is.logouts, logout{idTokenHint: q.Get("id_token_hint"), clientID: q.Get("client_id"),
		postLogoutRedirectURI: q.Get("post_logout_redirect_uri")})
	is.signedIn = nil
	is.mu.Unlock()
	back, err := url.Parse(q.Get("post_logout_redirect_uri"))
	if err != nil || back.Host == "" {
		w.Write([]byte("signed out"))
		return
	}
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token trades a code for an access token (aud: rolegraph) and an id token
// (aud: the client, with the nonce) when the verifier matches the
// challenge; each code once.
func (is *issuer) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Accept")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	refuse := func(why string) {
		is.refusals.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": why})
	}
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		refuse("POST only")
		return
	}
	if r.PostForm.Get("grant_type") == "refresh_token" {
		is.renew(w, r, refuse)
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		refuse("grant_type authorization_code or refresh_token only")
		return
	}
	is.mu.Lock()
	c, ok := is.codes[r.PostForm.Get("code")]
	delete(is.codes, r.PostForm.Get("code"))
	signedIn := is.signedIn
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case !ok:
		refuse("unknown or used code")
	case r.PostForm.Get("client_id") != c.clientID || r.PostForm.Get("redirect_uri") != c.redirectURI:
		refuse("client_id or redirect_uri differ from the authorization request")
	case base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge:
		refuse("code_verifier does not match the code_challenge")
	default:
		is.exchanges.Add(1)
		is.issue(w, signedIn, c.clientID, c.nonce)
	}
}

// issue answers a token request for claims: an access token, an id token
// for the client, and a refresh token that renews them once.
func (is *issuer) issue(w http.ResponseWriter, claims map[string]any, clientID, nonce string) {
	access := maps.Clone(claims)
	is.mu.Lock()
	ttl := is.accessTTL
	rt := "rt-" + rand.Text()
	is.refreshTokens[rt] = maps.Clone(claims)
	is.mu.Unlock()
	if ttl > 0 {
		now := time.Now()
		access["iat"], access["exp"] = now.Unix(), now.Add(ttl).Unix()
	}
	id := maps.Clone(access)
	id["aud"] = clientID
	if nonce != "" {
		id["nonce"] = nonce
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600,
		"access_token": is.sign("rsa1", access), "id_token": is.sign("ec1", id), "refresh_token": rt})
}

// renew trades a refresh token, once, for new tokens of the same sign-in.
func (is *issuer) renew(w http.ResponseWriter, r *http.Request, refuse func(string)) {
	rt := r.PostForm.Get("refresh_token")
	is.mu.Lock()
	claims, ok := is.refreshTokens[rt]
	delete(is.refreshTokens, rt)
	is.mu.Unlock()
	if !ok || r.PostForm.Get("client_id") != is.clientID {
		refuse("unknown or used refresh token")
		return
	}
	is.renewals.Add(1)
	is.issue(w, claims, is.clientID, "")
}

func newSigningKey(t *testing.T, alg jose.SignatureAlgorithm) signingKey {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch alg {
	case jose.RS256:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case jose.ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return signingKey{alg: alg, priv: priv}
}

// claims are a token's claims: an ACTIVE sign-in of sub at org, valid for
// an hour, unless changed.
func (is *issuer) claims(org, sub string) map[string]any {
	now := time.Now()
	return map[string]any{"iss": is.url, "aud": oidcAudience, "sub": sub, "org_id": org,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// sign signs claims with key (a kid of the issuer's, or k itself).
func (is *issuer) sign(kid string, claims map[string]any) string {
	is.t.Helper()
	is.mu.Lock()
	k, ok := is.keys[kid]
	is.mu.Unlock()
	if !ok {
		is.t.Fatalf("no key %q", kid)
	}
	return signWith(is.t, kid, k, claims)
}

func signWith(t *testing.T, kid string, k signingKey, claims map[string]any) string {
	t.Helper()
	return signWithHeader(t, kid, k, claims, "", "")
}

// signWithHeader is signWith with one more protected header (name "": none).
func signWithHeader(t *testing.T, kid string, k signingKey, claims map[string]any, name, value string) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if name != "" {
		opts = opts.WithHeader(jose.HeaderKey(name), value)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: jose.JSONWebKey{Key: k.priv, KeyID: kid}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// handmade is a compact JWS with any header, signed by sign over
// "header.payload" (nil: no signature).
func handmade(header, claims map[string]any, sign func([]byte) []byte) string {
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(claims)
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	sig := ""
	if sign != nil {
		sig = base64.RawURLEncoding.EncodeToString(sign([]byte(in)))
	}
	return in + "." + sig
}

// externalOrg creates an organization with an externalId, as the operator.
func (e *env) externalOrg(name, externalID string) *org {
	e.t.Helper()
	d := e.operator().ok(`mutation($in: CreateOrganizationInput!) { createOrganization(input: $in) {
		organization { id externalId } owner { id } } }`,
		map[string]any{"in": map[string]any{"name": name, "ownerEmail": "owner@" + externalID + ".example", "ownerName": "Owner", "plan": "ENTERPRISE", "externalId": externalID}})
	if got := str(d, "createOrganization", "organization", "externalId"); got != externalID {
		e.t.Fatalf("externalId %q, want %q", got, externalID)
	}
	o := &org{e: e, ID: str(d, "createOrganization", "organization", "id"), roles: map[string]string{}, teams: map[string]string{}}
	o.Owner = e.as(o.ID, str(d, "createOrganization", "owner", "id"))
	for _, r := range get(o.Owner.ok(`{ organization { roles { id key } } }`, nil), "organization", "roles").([]any) {
		o.roles[str(r, "key")] = str(r, "id")
	}
	return o
}

// invite invites email with roles as the owner; the member's id and the
// invitation token.
func (o *org) invite(email string, roleKeys ...string) (memberID, token string) {
	o.e.t.Helper()
	roleIDs := []string{}
	for _, k := range roleKeys {
		roleIDs = append(roleIDs, o.role(k))
	}
	d := o.Owner.ok(`mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id } invitationToken } }`,
		map[string]any{"in": map[string]any{"email": email, "name": strings.Split(email, "@")[0], "roleIds": roleIDs}})
	return str(d, "inviteMember", "member", "id"), str(d, "inviteMember", "invitationToken")
}

func bearer(e *env, tok string) *client { return &client{e: e, token: tok} }

const viewerQ = `{ viewer { id externalId } }`

func TestOIDCSignIn(t *testing.T) {
	is := newIssuer(t)
	// A key set elsewhere, which a token's jku header names: never fetched.
	var elsewhereHits atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhereHits.Add(1) }))
	t.Cleanup(elsewhere.Close)
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			e := newEnvOn(t, b, func(c *server.Config) {
				c.OIDC = authn.OIDCConfig{Issuer: is.url, Audience: oidcAudience}
			})
			acme := e.externalOrg("Acme", "acme")
			globex := e.externalOrg("Globex", "globex")
			annID, annInv := acme.invite("ann@acme.example", "agent")

			// Not yet bound: the token is good, no member answers to it.
			ann := bearer(e, is.sign("rsa1", is.claims("acme", "idp|ann")))
			if g := ann.fails("UNAUTHENTICATED", "", viewerQ, nil); !strings.Contains(g.Message, "no ACTIVE member") {
				t.Errorf("unbound sub: %q, want a message saying no ACTIVE member is bound", g.Message)
			}

			// acceptInvitation binds the sign-in; refusals change nothing.
			bobID, bobInv := acme.invite("bob@acme.example", "agent")
			accept := `mutation($t: String!) { acceptInvitation(token: $t) { id status externalId } }`
			withEmail := func(c map[string]any, email string, verified bool) map[string]any {
				c["email"], c["email_verified"] = email, verified
				return c
			}
			for _, c := range []struct {
				name   string
				claims map[string]any
			}{
				{"another organization's sign-in", is.claims("globex", "idp|bob")},
				{"an organization claim no organization has", is.claims("initech", "idp|bob")},
				{"a verified email that is not the invited one", withEmail(is.claims("acme", "idp|bob"), "mallory@acme.example", true)},
			} {
				bearer(e, is.sign("ec1", c.claims)).fails("CONFLICT", "token", accept, map[string]any{"t": bobInv})
			}
			d := ann.ok(accept, map[string]any{"t": annInv})
			if str(d, "acceptInvitation", "id") != annID || str(d, "acceptInvitation", "status") != "ACTIVE" ||
				str(d, "acceptInvitation", "externalId") != "idp|ann" {
				t.Fatalf("acceptInvitation with a sign-in: %v", d)
			}
			// The same sub again, for another invitation of the organization.
			ann.fails("CONFLICT", "", accept, map[string]any{"t": bobInv})
			if st := str(acme.Owner.ok(`query($id: ID!) { member(id: $id) { status externalId } }`, map[string]any{"id": bobID}), "member", "status"); st != "INVITED" {
				t.Fatalf("refused acceptances left bob %s, want INVITED", st)
			}
			// An unverified email is not evidence either way.
			bob := withEmail(is.claims("acme", "idp|bob"), "someone@else.example", false)
			bearer(e, is.sign("ed1", bob)).ok(accept, map[string]any{"t": bobInv})

			// Bound: every key type signs the member in.
			for _, c := range []struct{ kid, sub, want string }{
				{"rsa1", "idp|ann", annID}, {"ec1", "idp|ann", annID}, {"ed1", "idp|bob", bobID},
			} {
				d := bearer(e, is.sign(c.kid, is.claims("acme", c.sub))).ok(viewerQ, nil)
				if got := str(d, "viewer", "id"); got != c.want {
					t.Errorf("%s token of %s: viewer %s, want %s", c.kid, c.sub, got, c.want)
				}
			}
			// The same sub at another organization is another person.
			bearer(e, is.sign("rsa1", is.claims("globex", "idp|ann"))).fails("UNAUTHENTICATED", "", viewerQ, nil)
			_ = globex

			// Deactivated: the ACTIVE rule applies as to rolegraph's tokens.
			acme.Owner.ok(`mutation($m: ID!) { deactivateMember(memberId: $m) { id } }`, map[string]any{"m": bobID})
			if r := bearer(e, is.sign("ed1", is.claims("acme", "idp|bob"))).do(viewerQ, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("a deactivated member's sign-in: %d %s, want 401", r.Status, r.raw)
			}

			// Refused outright (401 UNAUTHENTICATED): every attack on the token.
			rsaPub, err := x509.MarshalPKIXPublicKey(is.keys["rsa1"].priv.Public())
			if err != nil {
				t.Fatal(err)
			}
			stranger := newSigningKey(t, jose.RS256)
			good := func() map[string]any { return is.claims("acme", "idp|ann") }
			with := func(k string, v any) map[string]any { c := good(); c[k] = v; return c }
			for _, c := range []struct{ name, token string }{
				{"wrong audience", is.sign("rsa1", with("aud", "someone-else"))},
				{"wrong issuer", is.sign("rsa1", with("iss", "https://evil.example"))},
				{"expired", is.sign("rsa1", with("exp", time.Now().Add(-5*time.Minute).Unix()))},
				{"not yet valid (nbf)", is.sign("rsa1", with("nbf", time.Now().Add(10*time.Minute).Unix()))},
				{"unknown kid", signWith(t, "rsa-stranger", stranger, good())},
				{"a known kid, another key", signWith(t, "rsa1", stranger, good())},
				{"alg none", handmade(map[string]any{"alg": "none", "kid": "rsa1", "typ": "JWT"}, good(), nil)},
				{"alg confusion: HS256 with the RSA public key", handmade(map[string]any{"alg": "HS256", "kid": "rsa1", "typ": "JWT"}, good(),
					func(in []byte) []byte { m := hmac.New(sha256.New, rsaPub); m.Write(in); return m.Sum(nil) })},
				{"jku pointing elsewhere", signWithHeader(t, "rsa-stranger", stranger, good(), "jku", elsewhere.URL+"/jwks")},
				{"x5u pointing elsewhere", signWithHeader(t, "rsa-stranger", stranger, good(), "x5u", elsewhere.URL+"/cert")},
				{"tampered payload", func() string {
					p := strings.Split(is.sign("rsa1", good()), ".")
					other, _ := json.Marshal(is.claims("acme", "idp|bob"))
					return p[0] + "." + base64.RawURLEncoding.EncodeToString(other) + "." + p[2]
				}()},
			} {
				r := bearer(e, c.token).do(viewerQ, nil)
				if r.Status != http.StatusUnauthorized || len(r.Errors) != 1 || r.Errors[0].Code() != "UNAUTHENTICATED" {
					t.Errorf("%s: %d %s, want 401 UNAUTHENTICATED", c.name, r.Status, r.raw)
				}
			}
			if n := elsewhereHits.Load(); n != 0 {
				t.Errorf("a URL a token named was fetched %d times", n)
			}
		})
	}
}

// --jwt-secret S1,S2: S1 signs, both verify; a third does not.
func TestJWTSecretRotation(t *testing.T) {
	s1, s2 := strings.Repeat("1", 32), strings.Repeat("2", 32)
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			e := newEnvOn(t, b, func(c *server.Config) { c.JWTSecret, c.JWTVerifySecrets = s1, []string{s2} })
			o := e.newOrg("Rotate", "PRO", nil)
			signed := o.Owner.token
			if _, err := authn.Verify([]byte(s1), signed, time.Now()); err != nil {
				t.Fatalf("the server's own token is not signed with the first secret: %v", err)
			}
			for _, c := range []struct {
				secret string
				status int
			}{{s1, 200}, {s2, 200}, {strings.Repeat("3", 32), 401}} {
				tok, err := authn.Issue([]byte(c.secret), authn.Claims{Subject: o.Owner.MemberID, Org: o.ID}, time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				if r := bearer(e, tok).do(viewerQ, nil); r.Status != c.status {
					t.Errorf("a token signed with secret %c: %d %s, want %d", c.secret[0], r.Status, r.raw, c.status)
				}
			}
		})
	}
}

// A service token asks about any member of its organization and changes
// nothing.
func TestServiceTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		a := e.newOrg("Svc A", "ENTERPRISE", nil)
		b := e.newOrg("Svc B", "ENTERPRISE", nil)
		agent := a.member("agent@a.example", []string{"agent"}, nil, nil)
		bMember := b.member("x@b.example", []string{"agent"}, nil, nil)
		tok, err := e.srv.ServiceToken(a.ID, "billing", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		svc := bearer(e, tok)

		// Reads: the same answers the members get about themselves.
		canQ := `query($p: String!, $m: ID) { can(permission: $p, memberId: $m) }`
		for _, m := range []*client{agent, a.Owner} {
			for _, p := range []string{"members.write", "interactions.read", "account.write"} {
				want := m.can(p, "")
				if got := svc.ok(canQ, map[string]any{"p": p, "m": m.MemberID})["can"]; got != want {
					t.Errorf("service can(%s, %s) = %v, the member's own answer is %v", p, m.MemberID, got, want)
				}
			}
		}
		who := svc.ok(`query($r: ID!) { whoCan(permission: "account.write", resourceId: $r) { id } }`, map[string]any{"r": a.ID})
		if ids := get(who, "whoCan").([]any); len(ids) != 1 || str(ids[0], "id") != a.Owner.MemberID {
			t.Errorf("service whoCan(account.write): %v, want the owner only", who)
		}
		if n := get(svc.ok(`{ organization { id members(first: 50) { totalCount } } }`, nil), "organization", "members", "totalCount"); n != float64(2) {
			t.Errorf("service organization.members: %v, want 2", n)
		}
		if m := svc.ok(`query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": agent.MemberID}); str(m, "member", "id") != agent.MemberID {
			t.Errorf("service member(id): %v", m)
		}
		svc.fails("BAD_USER_INPUT", "memberId", `{ can(permission: "members.read") }`, nil)
		// explain: can's answer and why; a service applies no remedy.
		x := svc.ok(`query($m: ID) { explain(permission: "account.write", memberId: $m) { allowed remedies { kind callerCanApply } } }`,
			map[string]any{"m": agent.MemberID})
		remedies, _ := get(x, "explain", "remedies").([]any)
		if get(x, "explain", "allowed") != false || len(remedies) == 0 {
			t.Errorf("service explain(account.write) for the agent: %v, want denied with remedies", x)
		}
		for _, r := range remedies {
			if get(r, "callerCanApply") != false {
				t.Errorf("service explain: remedy %v says the service can apply it", r)
			}
		}
		svc.fails("BAD_USER_INPUT", "memberId", `{ explain(permission: "members.read") { allowed } }`, nil)
		svc.fails("FORBIDDEN", "", viewerQ, nil)

		// Another organization's member: as if it did not exist.
		for _, id := range []string{bMember.MemberID, ids.New(ids.Member)} {
			svc.fails("BAD_USER_INPUT", "memberId", canQ, map[string]any{"p": "members.read", "m": id})
			if m := svc.ok(`query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": id}); m["member"] != nil {
				t.Errorf("service member(%s) of another organization: %v, want null", id, m)
			}
		}

		// Every mutation is FORBIDDEN, and nothing changed.
		for _, m := range []struct{ name, q string }{
			{"setPlan", `mutation { setPlan(plan: STARTER) { id } }`},
			{"createTeam", `mutation { createTeam(input: {name: "Svc"}) { id } }`},
			{"inviteMember", `mutation { inviteMember(input: {email: "svc@a.example", name: "S", roleIds: []}) { invitationToken } }`},
			{"deactivateMember", `mutation { deactivateMember(memberId: "` + agent.MemberID + `") { id } }`},
			{"createOrganization", `mutation { createOrganization(input: {name: "X", ownerEmail: "x@x.example", ownerName: "X"}) { owner { id } } }`},
			{"acceptInvitation", `mutation { acceptInvitation(token: "whatever") { id } }`},
		} {
			if g := svc.fails("FORBIDDEN", "", m.q, nil); !strings.Contains(g.Message, "service") {
				t.Errorf("%s: %q, want a message about service tokens", m.name, g.Message)
			}
		}
		d := a.Owner.ok(`{ organization { plan teams { id } members(first: 50) { totalCount } } }`, nil)
		if str(d, "organization", "plan") != "ENTERPRISE" || len(get(d, "organization", "teams").([]any)) != 0 || get(d, "organization", "members", "totalCount") != float64(2) {
			t.Errorf("the service's refused mutations changed something: %v", d)
		}
	})
}

// The owner is never invited, so acceptInvitation cannot bind them:
// createOrganization binds the owner's sub (ownerExternalId) at once.
func TestOIDCOwnerBinding(t *testing.T) {
	is := newIssuer(t)
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			e := newEnvOn(t, b, func(c *server.Config) {
				c.OIDC = authn.OIDCConfig{Issuer: is.url, Audience: oidcAudience}
			})
			create := `mutation($in: CreateOrganizationInput!) { createOrganization(input: $in) {
				organization { id externalId } owner { id externalId status } } }`
			in := func(name, externalID, ownerExternalID string) map[string]any {
				m := map[string]any{"name": name, "ownerEmail": "olivia@" + strings.ToLower(name) + ".example", "ownerName": "Olivia", "plan": "PRO"}
				if externalID != "" {
					m["externalId"] = externalID
				}
				if ownerExternalID != "" {
					m["ownerExternalId"] = ownerExternalID
				}
				return map[string]any{"in": m}
			}
			// A sub without its organization claim could never sign in.
			e.operator().fails("BAD_USER_INPUT", "input.ownerExternalId", create, in("Nowhere", "", "idp|olivia"))

			d := e.operator().ok(create, in("Initech", "initech", "idp|olivia"))
			orgID, ownerID := str(d, "createOrganization", "organization", "id"), str(d, "createOrganization", "owner", "id")
			if got := str(d, "createOrganization", "owner", "externalId"); got != "idp|olivia" {
				t.Fatalf("owner externalId %q, want idp|olivia", got)
			}
			// The same person may own another organization of the issuer.
			e.operator().ok(create, in("Initrode", "initrode", "idp|olivia"))

			// The issuer's token signs the owner in, with every permission.
			olivia := bearer(e, is.sign("ec1", is.claims("initech", "idp|olivia")))
			if got := str(olivia.ok(viewerQ, nil), "viewer", "id"); got != ownerID {
				t.Fatalf("the owner's sign-in is viewer %q, want the owner %s", got, ownerID)
			}
			for _, p := range []string{"account.write", "members.write", "roles.write"} {
				if !olivia.can(p, "") {
					t.Errorf("the owner signed in at the issuer cannot %s", p)
				}
			}
			var agent string
			for _, r := range get(olivia.ok(`{ organization { roles { id key } } }`, nil), "organization", "roles").([]any) {
				if str(r, "key") == "agent" {
					agent = str(r, "id")
				}
			}
			d = olivia.ok(`mutation($in: InviteMemberInput!) { inviteMember(input: $in) { invitationToken } }`,
				map[string]any{"in": map[string]any{"email": "pat@initech.example", "name": "Pat", "roleIds": []string{agent}}})
			inv := str(d, "inviteMember", "invitationToken")

			// The owner's sub is bound in Initech: nobody else may take it.
			accept := `mutation($t: String!) { acceptInvitation(token: $t) { id } }`
			olivia.fails("CONFLICT", "", accept, map[string]any{"t": inv})
			// Elsewhere the same sub is nobody until bound there.
			bearer(e, is.sign("rsa1", is.claims("globex", "idp|olivia"))).fails("UNAUTHENTICATED", "", viewerQ, nil)
			// The owner's HS256 token still works beside the binding.
			if got := str(e.as(orgID, ownerID).ok(viewerQ, nil), "viewer", "externalId"); got != "idp|olivia" {
				t.Errorf("viewer.externalId with the HS256 token: %q", got)
			}
		})
	}
}
