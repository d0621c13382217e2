package authn

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// This file is the test's own OIDC issuer: keys generated per test,
// discovery and JWKS served on 127.0.0.1 with every request counted, and
// tokens signed by hand with the standard library (RFC 7518 section 3), so
// the verifier's library is checked against an independent signer.

const testAudience = "rolegraph-web"

// testKey is a signing key with the kid and alg a JWKS would publish it
// under, and the use when not "sig".
type testKey struct {
	kid, alg, use string
	priv          crypto.Signer
}

func newKey(t testing.TB, alg, kid string) testKey {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch alg {
	case "RS256":
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "EdDSA":
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	default:
		t.Fatalf("newKey: no %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return testKey{kid: kid, alg: alg, priv: priv}
}

func (k testKey) public() crypto.PublicKey { return k.priv.Public() }

// signWith returns the base64url JWS signature of in made by priv the way
// alg prescribes, whatever the header will claim.
func signWith(t testing.TB, priv crypto.Signer, alg, in string) string {
	t.Helper()
	digest := sha256.Sum256([]byte(in))
	var sig []byte
	var err error
	switch alg {
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, priv.(*rsa.PrivateKey), crypto.SHA256, digest[:])
	case "ES256":
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, priv.(*ecdsa.PrivateKey), digest[:])
		if err == nil {
			sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
		}
	case "ES256-DER": // ASN.1 instead of JWS's fixed-width r||s
		sig, err = ecdsa.SignASN1(rand.Reader, priv.(*ecdsa.PrivateKey), digest[:])
	case "EdDSA":
		sig = ed25519.Sign(priv.(ed25519.PrivateKey), []byte(in))
	default:
		t.Fatalf("signWith: no %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(sig)
}

// jws builds header.payload.signature from JSON-able header and claims.
func jws(t testing.TB, header, claims any, sign func(in string) string) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	return in + "." + sign(in)
}

// token is a well-formed token of k with claims.
func (k testKey) token(t testing.TB, claims map[string]any) string {
	return k.tokenWith(t, map[string]any{"alg": k.alg, "kid": k.kid, "typ": "JWT"}, claims)
}

func (k testKey) tokenWith(t testing.TB, header, claims map[string]any) string {
	return jws(t, header, claims, func(in string) string { return signWith(t, k.priv, k.alg, in) })
}

// jwk is k's public half as a JWKS publishes it.
func (k testKey) jwk() jose.JSONWebKey {
	use := k.use
	if use == "" {
		use = "sig"
	}
	return jose.JSONWebKey{Key: k.public(), KeyID: k.kid, Algorithm: k.alg, Use: use}
}

// testIssuer serves discovery and JWKS and counts the requests for each.
type testIssuer struct {
	*httptest.Server
	discoveryHits, jwksHits atomic.Int64

	mu        sync.Mutex
	keys      []jose.JSONWebKey
	jwksDown  bool   // answer the JWKS with 500
	claimedAs string // the discovery document's "issuer"; issuer() when empty
	noJWKSURI bool
	// base, when set, is the URL the issuer calls itself by instead of the
	// server's (see fixedHostClient).
	base string
}

// issuer is the issuer's URL: its tokens' iss.
func (is *testIssuer) issuer() string {
	is.mu.Lock()
	defer is.mu.Unlock()
	if is.base != "" {
		return is.base
	}
	return is.URL
}

// fixedHostClient sends every request to is, whatever the URL's host, so
// the issuer can have a URL that does not change from run to run.
func (is *testIssuer) fixedHostClient() *http.Client {
	addr := is.Listener.Addr().String()
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

func newIssuer(t testing.TB, keys ...testKey) *testIssuer {
	t.Helper()
	is := &testIssuer{}
	is.publish(keys...)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.discoveryHits.Add(1)
		base := is.issuer()
		is.mu.Lock()
		doc := map[string]any{"issuer": base, "jwks_uri": base + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256", "ES256", "EdDSA"}}
		if is.claimedAs != "" {
			doc["issuer"] = is.claimedAs
		}
		if is.noJWKSURI {
			delete(doc, "jwks_uri")
		}
		is.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(doc)
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		is.jwksHits.Add(1)
		is.mu.Lock()
		defer is.mu.Unlock()
		if is.jwksDown {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: is.keys})
	})
	is.Server = httptest.NewServer(mux)
	t.Cleanup(is.Close)
	return is
}

// publish replaces the published key set.
func (is *testIssuer) publish(keys ...testKey) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = nil
	for _, k := range keys {
		is.keys = append(is.keys, k.jwk())
	}
}

func (is *testIssuer) set(f func(is *testIssuer)) {
	is.mu.Lock()
	defer is.mu.Unlock()
	f(is)
}

// claims are a valid token's claims at time at, with overrides (a nil
// value deletes the claim).
func (is *testIssuer) claims(at time.Time, overrides map[string]any) map[string]any {
	c := map[string]any{
		"iss":            is.issuer(),
		"aud":            testAudience,
		"sub":            "user-1",
		"org_id":         "acme",
		"email":          "ada@example.com",
		"email_verified": true,
		"iat":            at.Unix() - 10,
		"exp":            at.Add(time.Hour).Unix(),
	}
	for k, v := range overrides {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// hitCounter is a server that must never be asked anything.
func hitCounter(t testing.TB) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// fakeClock drives both token dates and the key set's fetch limit.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newOIDCVerifier returns a Verifier for is with the HS256 secret of
// authn_test.go, at a fake clock starting at now.
func newTestVerifier(t testing.TB, is *testIssuer) (*Verifier, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: now}
	v, err := NewVerifier(context.Background(), Config{
		Secrets: [][]byte{secret},
		OIDC:    OIDCConfig{Issuer: is.URL, Audience: testAudience},
		Now:     clock.now,
	})
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v, clock
}

func randomKid() string {
	b := make([]byte, 12)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}
