package authn

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fuzzIssuer is the OIDC issuer in FuzzVerify: a fixed URL (served through
// fixedHostClient), so the committed corpus's tokens name it and reach the
// OIDC path.
const fuzzIssuer = "http://issuer.test"

// secret2 is the second HS256 secret in FuzzVerify (rotation).
var secret2 = []byte("the previous secret, 32 bytes...")

// fuzzSeed is a token, and the claims it speaks for when it is genuine.
type fuzzSeed struct {
	name   string
	token  string
	claims *Claims
}

// fuzzSeeds are genuine tokens of every kind and the attacks of
// TestOIDCRefuses that do not depend on a particular issuer URL.
func fuzzSeeds(tb testing.TB, is *testIssuer, rs, es, ed testKey) []fuzzSeed {
	exp := time.Unix(future, 0)
	good := is.claims(now, nil)
	external := &Claims{Kind: KindExternal, ExternalSubject: "user-1", ExternalOrg: "acme", Email: "ada@example.com", EmailVerified: true, ExpiresAt: now.Add(time.Hour)}
	hmacWith := func(key []byte) func(string) string { return func(in string) string { return hs256(key, in) } }
	pkix, _ := x509.MarshalPKIXPublicKey(rs.public().(*rsa.PublicKey))
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})
	tampered := strings.Split(rs.token(tb, good), ".")
	tampered[1] = b64(`{"iss":"` + is.issuer() + `","aud":"` + testAudience + `","sub":"admin","org_id":"acme","exp":` + fmt.Sprint(future) + `}`)

	return []fuzzSeed{
		{"hs256-member", craft(hdr, member(future), withSecret), &Claims{Kind: KindMember, Subject: "m1", Org: "o1", ExpiresAt: exp}},
		{"hs256-operator", craft(hdr, fmt.Sprintf(`{"operator":true,"exp":%d}`, future), withSecret), &Claims{Kind: KindOperator, Operator: true, ExpiresAt: exp}},
		{"hs256-service", craft(hdr, fmt.Sprintf(`{"service":"billing","org":"o1","exp":%d}`, future), withSecret), &Claims{Kind: KindService, Service: "billing", Org: "o1", ExpiresAt: exp}},
		{"hs256-second-secret", craft(hdr, member(future), hmacWith(secret2)), &Claims{Kind: KindMember, Subject: "m1", Org: "o1", ExpiresAt: exp}},
		{"oidc-rs256", rs.token(tb, good), external},
		{"oidc-es256", es.token(tb, good), external},
		{"oidc-eddsa", ed.token(tb, good), external},

		{"alg-none", jws(tb, map[string]any{"alg": "none"}, good, func(string) string { return "" }), nil},
		{"alg-confusion-pem", jws(tb, map[string]any{"alg": "HS256", "kid": rs.kid}, good, hmacWith(pemKey)), nil},
		{"hs256-our-secret-oidc-iss", jws(tb, map[string]any{"alg": "HS256"}, good, withSecret), nil},
		{"rs256-signed-es256-header", jws(tb, map[string]any{"alg": "ES256", "kid": rs.kid}, good, func(in string) string { return signWith(tb, rs.priv, "RS256", in) }), nil},
		{"jku-elsewhere", rs.tokenWith(tb, map[string]any{"alg": "RS256", "kid": "evil", "jku": "http://127.0.0.1:9/jwks", "x5u": "http://127.0.0.1:9/x5u"}, good), nil},
		{"unknown-kid", rs.tokenWith(tb, map[string]any{"alg": "RS256", "kid": "no-such-kid"}, good), nil},
		{"crit-b64", rs.tokenWith(tb, map[string]any{"alg": "RS256", "kid": rs.kid, "crit": []string{"b64"}, "b64": false}, good), nil},
		{"payload-tampered", strings.Join(tampered, "."), nil},
		{"exp-a-string", rs.token(tb, is.claims(now, map[string]any{"exp": fmt.Sprint(future)})), nil},
		{"dots", "..", nil},
	}
}

// FuzzVerify feeds the Verifier arbitrary strings: it must not panic, must
// answer only ErrInvalidToken or ErrExpired, and may accept only tokens
// somebody holding a key signed, whose claims are therefore among the seeds'.
func FuzzVerify(f *testing.F) {
	rs, es, ed := newKey(f, "RS256", "rsa-1"), newKey(f, "ES256", "ec-1"), newKey(f, "EdDSA", "ed-1")
	is := newIssuer(f, rs, es, ed)
	is.set(func(is *testIssuer) { is.base = fuzzIssuer })
	clock := &fakeClock{t: now} // frozen: the key set is never fetched again
	v, err := NewVerifier(context.Background(), Config{
		Secrets: [][]byte{secret, secret2},
		OIDC:    OIDCConfig{Issuer: fuzzIssuer, Audience: testAudience, HTTPClient: is.fixedHostClient()},
		Now:     clock.now,
	})
	if err != nil {
		f.Fatal(err)
	}
	normal := func(c Claims) Claims { c.ExpiresAt = time.Unix(c.ExpiresAt.Unix(), 0); return c }
	genuine := map[Claims]bool{}
	for _, s := range fuzzSeeds(f, is, rs, es, ed) {
		f.Add(s.token)
		if s.claims == nil {
			continue
		}
		// A genuine seed the verifier refused would leave the invariant
		// below nothing to guard.
		if got, err := v.Verify(context.Background(), s.token); err != nil || normal(got) != normal(*s.claims) {
			f.Fatalf("genuine seed %s: %+v, %v; want %+v", s.name, got, err, *s.claims)
		}
		genuine[normal(*s.claims)] = true
	}

	f.Fuzz(func(t *testing.T, token string) {
		got, err := v.Verify(context.Background(), token)
		switch {
		case err == nil:
			if !genuine[normal(got)] {
				t.Fatalf("accepted a token nobody signed: %q\n→ %+v", token, got)
			}
		case !errors.Is(err, ErrInvalidToken) && !errors.Is(err, ErrExpired):
			t.Fatalf("error %v wraps neither ErrInvalidToken nor ErrExpired", err)
		case got != Claims{}:
			t.Fatalf("claims returned with an error: %+v", got)
		}
		if n := is.jwksHits.Load(); n != 1 {
			t.Fatalf("the key set was fetched %d times; the clock is frozen, so only at start", n)
		}
	})
}

// TestWriteFuzzCorpus rewrites testdata/fuzz/FuzzVerify from fuzzSeeds
// when AUTHN_WRITE_FUZZ_CORPUS=1. The OIDC tokens there are signed with keys
// of that run, so later runs refuse them: they exercise the parser and the
// key lookup; the HS256 ones stay genuine.
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("AUTHN_WRITE_FUZZ_CORPUS") != "1" {
		t.Skip("set AUTHN_WRITE_FUZZ_CORPUS=1 to rewrite testdata/fuzz/FuzzVerify")
	}
	rs, es, ed := newKey(t, "RS256", "rsa-1"), newKey(t, "ES256", "ec-1"), newKey(t, "EdDSA", "ed-1")
	is := newIssuer(t, rs, es, ed)
	is.set(func(is *testIssuer) { is.base = fuzzIssuer })
	dir := filepath.Join("testdata", "fuzz", "FuzzVerify")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range fuzzSeeds(t, is, rs, es, ed) {
		body := fmt.Sprintf("go test fuzz v1\nstring(%q)\n", s.token)
		if err := os.WriteFile(filepath.Join(dir, s.name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
