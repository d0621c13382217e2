package authn

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOIDCAccepts(t *testing.T) {
	rs, es, ed := newKey(t, "RS256", "rsa-1"), newKey(t, "ES256", "ec-1"), newKey(t, "EdDSA", "ed-1")
	is := newIssuer(t, rs, es, ed)
	v, _ := newTestVerifier(t, is)
	exp := now.Add(time.Hour)
	person := Claims{Kind: KindExternal, ExternalSubject: "user-1", ExternalOrg: "acme", Email: "ada@example.com", EmailVerified: true, ExpiresAt: exp}
	with := func(f func(*Claims)) Claims { c := person; f(&c); return c }

	for name, tc := range map[string]struct {
		token string
		want  Claims
	}{
		"RS256": {rs.token(t, is.claims(now, nil)), person},
		"ES256": {es.token(t, is.claims(now, nil)), person},
		"EdDSA": {ed.token(t, is.claims(now, nil)), person},
		"aud an array holding ours": {
			rs.token(t, is.claims(now, map[string]any{"aud": []string{"other", testAudience}})), person},
		"no kid: the key that verifies": {
			es.tokenWith(t, map[string]any{"alg": "ES256"}, is.claims(now, nil)), person},
		// The skew is 30 s (ClockSkew); the literal seconds here pin it.
		"expired 29 s ago": {
			rs.token(t, is.claims(now, map[string]any{"exp": now.Unix() - 29})),
			with(func(c *Claims) { c.ExpiresAt = now.Add(-29 * time.Second) })},
		"nbf and iat 29 s ahead": {
			rs.token(t, is.claims(now, map[string]any{"nbf": now.Unix() + 29, "iat": now.Unix() + 29})), person},
		"email unverified": {
			rs.token(t, is.claims(now, map[string]any{"email_verified": false})),
			with(func(c *Claims) { c.EmailVerified = false })},
		"email_verified a string counts as unverified": {
			rs.token(t, is.claims(now, map[string]any{"email_verified": "true"})),
			with(func(c *Claims) { c.EmailVerified = false })},
		"no email": {
			rs.token(t, is.claims(now, map[string]any{"email": nil, "email_verified": nil})),
			with(func(c *Claims) { c.Email, c.EmailVerified = "", false })},
		"sub shaped like a member id stays external": {
			rs.token(t, is.claims(now, map[string]any{"sub": "m_0123", "org": "o_1"})),
			with(func(c *Claims) { c.ExternalSubject = "m_0123" })},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tc.token)
			wantAccepted(t, got, err, tc.want)
		})
	}
	if n := is.jwksHits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times; want once, at start", n)
	}
}

// TestOIDCRefuses walks the attacks on the OIDC path and on the choice of
// path. None may fetch anything: the key set was fetched at start, and the
// attacker's server must never be asked.
func TestOIDCRefuses(t *testing.T) {
	rs, es, ed := newKey(t, "RS256", "rsa-1"), newKey(t, "ES256", "ec-1"), newKey(t, "EdDSA", "ed-1")
	// Published, but not for verifying RS256 signatures: an encryption
	// key, and one too short for RS256 (RFC 7518 section 3.3).
	enc := newKey(t, "RS256", "enc-1")
	enc.use = "enc"
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	short := testKey{kid: "rsa-1024", alg: "RS256", priv: small}
	is := newIssuer(t, rs, es, ed, enc, short)
	v, _ := newTestVerifier(t, is)
	evil, evilHits := hitCounter(t)
	attacker := newKey(t, "RS256", "rsa-1") // same kid as the issuer's key
	attackerEC := newKey(t, "ES256", "ec-1")
	good := is.claims(now, nil)
	rsHeader := func(extra map[string]any) map[string]any {
		h := map[string]any{"alg": "RS256", "kid": "rsa-1", "typ": "JWT"}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}

	// The forms in which the issuer's RSA public key could be mistaken
	// for an HMAC secret.
	pub := rs.public().(*rsa.PublicKey)
	pkix, _ := x509.MarshalPKIXPublicKey(pub)
	pkcs1 := x509.MarshalPKCS1PublicKey(pub)
	jwkJSON, _ := json.Marshal(rs.jwk())
	hmacWith := func(key []byte) func(string) string { return func(in string) string { return hs256(key, in) } }
	confusion := map[string][]byte{
		"PKIX PEM":   pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}),
		"PKCS1 PEM":  pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: pkcs1}),
		"PKIX DER":   pkix,
		"PKCS1 DER":  pkcs1,
		"JWK JSON":   jwkJSON,
		"modulus":    pub.N.Bytes(),
		"EC JWK":     mustJSON(t, es.jwk()),
		"Ed25519 32": []byte(ed.public().(ed25519.PublicKey)),
	}

	// A self-signed certificate for the attacker's key, for x5c.
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix1("issuer"), NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, attacker.public(), attacker.priv)
	if err != nil {
		t.Fatal(err)
	}
	attackerJWK := attacker.jwk()
	attackerJWKMap := map[string]any{}
	json.Unmarshal(mustJSON(t, attackerJWK), &attackerJWKMap)

	tampered := strings.Split(rs.token(t, good), ".")
	tampered[1] = base64.RawURLEncoding.EncodeToString(mustJSON(t, is.claims(now, map[string]any{"sub": "admin"})))
	otherSig := strings.Split(rs.token(t, is.claims(now, map[string]any{"sub": "someone"})), ".")[2]
	spliced := strings.Split(rs.token(t, good), ".")
	spliced[2] = otherSig
	noSig := strings.Split(rs.token(t, good), ".")
	noSig[2] = ""

	type tc struct {
		token string
		want  error
	}
	cases := map[string]tc{
		// Claims.
		"wrong aud":               {rs.token(t, is.claims(now, map[string]any{"aud": "another-app"})), ErrInvalidToken},
		"aud array without ours":  {rs.token(t, is.claims(now, map[string]any{"aud": []string{"a", "b"}})), ErrInvalidToken},
		"no aud":                  {rs.token(t, is.claims(now, map[string]any{"aud": nil})), ErrInvalidToken},
		"aud a number":            {rs.token(t, is.claims(now, map[string]any{"aud": 7})), ErrInvalidToken},
		"aud differs in case":     {rs.token(t, is.claims(now, map[string]any{"aud": strings.ToUpper(testAudience)})), ErrInvalidToken},
		"wrong iss":               {rs.token(t, is.claims(now, map[string]any{"iss": "https://evil.example"})), ErrInvalidToken},
		"iss with a trailing /":   {rs.token(t, is.claims(now, map[string]any{"iss": is.URL + "/"})), ErrInvalidToken},
		"iss in upper case":       {rs.token(t, is.claims(now, map[string]any{"iss": strings.ToUpper(is.URL)})), ErrInvalidToken},
		"iss an array":            {rs.token(t, is.claims(now, map[string]any{"iss": []string{is.URL}})), ErrInvalidToken},
		"expired 31 s ago":        {rs.token(t, is.claims(now, map[string]any{"exp": now.Unix() - 31})), ErrExpired},
		"expired an hour ago":     {rs.token(t, is.claims(now, map[string]any{"exp": now.Unix() - 3600, "iat": now.Unix() - 7200})), ErrExpired},
		"nbf 31 s ahead":          {rs.token(t, is.claims(now, map[string]any{"nbf": now.Unix() + 31})), ErrInvalidToken},
		"iat 31 s ahead":          {rs.token(t, is.claims(now, map[string]any{"iat": now.Unix() + 31})), ErrInvalidToken},
		"no exp":                  {rs.token(t, is.claims(now, map[string]any{"exp": nil})), ErrInvalidToken},
		"exp a string":            {rs.token(t, is.claims(now, map[string]any{"exp": "1900000000"})), ErrInvalidToken},
		"exp past year 9999":      {rs.token(t, is.claims(now, map[string]any{"exp": 1e300})), ErrInvalidToken},
		"nbf past year 9999":      {rs.token(t, is.claims(now, map[string]any{"nbf": 1e300})), ErrInvalidToken},
		"exp negative":            {rs.token(t, is.claims(now, map[string]any{"exp": -1})), ErrInvalidToken},
		"no sub":                  {rs.token(t, is.claims(now, map[string]any{"sub": nil})), ErrInvalidToken},
		"empty sub":               {rs.token(t, is.claims(now, map[string]any{"sub": ""})), ErrInvalidToken},
		"sub a number":            {rs.token(t, is.claims(now, map[string]any{"sub": 1})), ErrInvalidToken},
		"no org claim":            {rs.token(t, is.claims(now, map[string]any{"org_id": nil, "org": "acme"})), ErrInvalidToken},
		"org claim a number":      {rs.token(t, is.claims(now, map[string]any{"org_id": 42})), ErrInvalidToken},
		"org claim an array":      {rs.token(t, is.claims(now, map[string]any{"org_id": []string{"acme"}})), ErrInvalidToken},
		"org claim empty":         {rs.token(t, is.claims(now, map[string]any{"org_id": ""})), ErrInvalidToken},
		"email a number":          {rs.token(t, is.claims(now, map[string]any{"email": 1})), ErrInvalidToken},
		"claims an array":         {jws(t, rsHeader(nil), []any{good}, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"claims null":             {jws(t, rsHeader(nil), nil, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"iss key in another case": {rs.token(t, is.claims(now, map[string]any{"iss": nil, "ISS": is.URL})), ErrInvalidToken},

		// Algorithms.
		"alg none":             {jws(t, map[string]any{"alg": "none"}, good, func(string) string { return "" }), ErrInvalidToken},
		"alg None, RS256 sig":  {jws(t, map[string]any{"alg": "None", "kid": "rsa-1"}, good, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"alg PS256":            {jws(t, rsHeader(map[string]any{"alg": "PS256"}), good, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"alg RS512":            {jws(t, rsHeader(map[string]any{"alg": "RS512"}), good, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"RS256 sig, ES256 hdr": {jws(t, rsHeader(map[string]any{"alg": "ES256"}), good, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"RS256 sig, ES256 hdr, EC kid": {
			jws(t, map[string]any{"alg": "ES256", "kid": "ec-1"}, good, func(in string) string { return signWith(t, rs.priv, "RS256", in) }), ErrInvalidToken},
		"ES256 sig, RS256 hdr, EC kid": {
			jws(t, map[string]any{"alg": "RS256", "kid": "ec-1"}, good, func(in string) string { return signWith(t, es.priv, "ES256", in) }), ErrInvalidToken},
		"EdDSA sig, RSA kid": {jws(t, map[string]any{"alg": "EdDSA", "kid": "rsa-1"}, good, func(in string) string { return signWith(t, ed.priv, "EdDSA", in) }), ErrInvalidToken},
		"ES256 sig in DER":   {jws(t, map[string]any{"alg": "ES256", "kid": "ec-1"}, good, func(in string) string { return signWith(t, es.priv, "ES256-DER", in) }), ErrInvalidToken},

		// Keys.
		"an encryption key":               {enc.token(t, good), ErrInvalidToken},
		"a 1024-bit RSA key":              {short.token(t, good), ErrInvalidToken},
		"unknown kid":                     {newKey(t, "RS256", "rsa-2").token(t, good), ErrInvalidToken},
		"other key, known kid":            {attacker.token(t, good), ErrInvalidToken},
		"other EC key, known kid":         {attackerEC.token(t, good), ErrInvalidToken},
		"other key, no kid":               {attacker.tokenWith(t, map[string]any{"alg": "RS256"}, good), ErrInvalidToken},
		"jku to the attacker":             {attacker.tokenWith(t, rsHeader(map[string]any{"jku": evil.URL + "/jwks", "kid": "evil-1"}), good), ErrInvalidToken},
		"jku to the attacker, known kid":  {attacker.tokenWith(t, rsHeader(map[string]any{"jku": evil.URL + "/jwks"}), good), ErrInvalidToken},
		"x5u to the attacker":             {attacker.tokenWith(t, rsHeader(map[string]any{"x5u": evil.URL + "/cert.pem", "kid": "evil-1"}), good), ErrInvalidToken},
		"embedded jwk, known kid":         {attacker.tokenWith(t, rsHeader(map[string]any{"jwk": attackerJWKMap}), good), ErrInvalidToken},
		"embedded jwk, no kid":            {attacker.tokenWith(t, map[string]any{"alg": "RS256", "jwk": attackerJWKMap}, good), ErrInvalidToken},
		"x5c of the attacker's key":       {attacker.tokenWith(t, rsHeader(map[string]any{"x5c": []string{base64.StdEncoding.EncodeToString(cert)}}), good), ErrInvalidToken},
		"crit header":                     {rs.tokenWith(t, rsHeader(map[string]any{"crit": []string{"exp"}, "exp": 1}), good), ErrInvalidToken},
		"crit b64, unencoded payload":     {rs.tokenWith(t, rsHeader(map[string]any{"crit": []string{"b64"}, "b64": false}), good), ErrInvalidToken},
		"payload tampered":                {strings.Join(tampered, "."), ErrInvalidToken},
		"another token's signature":       {strings.Join(spliced, "."), ErrInvalidToken},
		"signature stripped":              {strings.Join(noSig, "."), ErrInvalidToken},
		"signature truncated":             {rs.token(t, good)[:len(rs.token(t, good))-4], ErrInvalidToken},
		"JWE-shaped":                      {rs.token(t, good) + ".x.y", ErrInvalidToken},
		"JSON serialization":              {string(mustJSON(t, map[string]any{"payload": "e30", "signatures": []any{}})), ErrInvalidToken},
		"longer than 16 KiB":              {rs.token(t, is.claims(now, map[string]any{"pad": strings.Repeat("x", 17<<10)})), ErrInvalidToken},
		"RS256 with the issuer's iss, no": {rs.token(t, is.claims(now, map[string]any{"iss": nil})), ErrInvalidToken}, // no iss: the HS256 path refuses RS256

		// The choice of path.
		"HS256 with our secret and the issuer's iss": {craft(hdr, string(mustJSON(t, map[string]any{"iss": is.URL, "sub": "m1", "org": "o1", "exp": future})), withSecret), ErrInvalidToken},
		"HS256 with our secret, full OIDC claims":    {craft(hdr, string(mustJSON(t, good)), withSecret), ErrInvalidToken},
	}
	for form, key := range confusion {
		cases["alg confusion: HS256 keyed with the "+form] = tc{
			jws(t, map[string]any{"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}, good, hmacWith(key)), ErrInvalidToken}
		cases["alg confusion without iss: HS256 keyed with the "+form] = tc{
			jws(t, map[string]any{"alg": "HS256", "typ": "JWT"}, map[string]any{"sub": "m1", "org": "o1", "exp": future}, hmacWith(key)), ErrInvalidToken}
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tc.token)
			wantRefused(t, got, err, tc.want)
			t.Logf("%s => %v", name, err)
			if msg := err.Error(); strings.Contains(msg, string(secret)) || strings.Contains(msg, "BEGIN") || strings.Contains(msg, base64.RawURLEncoding.EncodeToString(pub.N.Bytes())[:20]) {
				t.Errorf("error message shows key material: %s", msg)
			}
		})
	}
	// Verify sends a token naming another issuer (or none) to the HS256
	// path, so the OIDC path's own iss check is reached only directly.
	for name, iss := range map[string]any{"another iss": "https://evil.example", "no iss": nil, "iss with a trailing /": is.URL + "/"} {
		if _, err := v.oidc.verify(context.Background(), rs.token(t, is.claims(now, map[string]any{"iss": iss})), now); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("OIDC path, %s: %v; want ErrInvalidToken", name, err)
		}
	}
	if n := evilHits.Load(); n != 0 {
		t.Errorf("the attacker's server was asked %d times; header URLs must never be fetched", n)
	}
	if d, j := is.discoveryHits.Load(), is.jwksHits.Load(); d != 1 || j != 1 {
		t.Errorf("issuer asked for discovery %d and JWKS %d times; want once each, at start (the unknown kids fell within the refetch interval)", d, j)
	}
	// The same verifier still takes both families of genuine token.
	if _, err := v.Verify(context.Background(), rs.token(t, good)); err != nil {
		t.Errorf("a genuine OIDC token after the attacks: %v", err)
	}
	if c, err := v.Verify(context.Background(), craft(hdr, member(future), withSecret)); err != nil || c.Kind != KindMember {
		t.Errorf("a genuine HS256 token on the OIDC-enabled verifier: %+v, %v", c, err)
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pkix1(cn string) pkix.Name { return pkix.Name{CommonName: cn} }

// TestOIDCUnknownKidRefetchIsRateLimited floods the verifier with made-up
// kids and counts what reaches the issuer: at most one JWKS fetch per
// DefaultRefetchInterval.
func TestOIDCUnknownKidRefetchIsRateLimited(t *testing.T) {
	// ES256, as signing 600 tokens with RSA would only slow the test.
	es := newKey(t, "ES256", "ec-1")
	is := newIssuer(t, es)
	v, clock := newTestVerifier(t, is)
	flood := func() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 25 {
					tok := es.tokenWith(t, map[string]any{"alg": "ES256", "kid": randomKid()}, is.claims(now, nil))
					if _, err := v.Verify(context.Background(), tok); !errors.Is(err, ErrInvalidToken) {
						t.Errorf("unknown kid: %v; want ErrInvalidToken", err)
					}
				}
			})
		}
		wg.Wait()
	}
	wantHits := func(want int64) {
		t.Helper()
		if n := is.jwksHits.Load(); n != want {
			t.Fatalf("JWKS fetched %d times; want %d", n, want)
		}
	}

	wantHits(1) // at start
	flood()
	wantHits(1) // still within the interval of the start's fetch
	clock.advance(DefaultRefetchInterval - time.Second)
	flood()
	wantHits(1)
	clock.advance(time.Second)
	flood()
	wantHits(2) // one fetch for 200 unknown kids
	// A known kid with a bad signature is no reason to ask the issuer.
	clock.advance(DefaultRefetchInterval)
	if _, err := v.Verify(context.Background(), newKey(t, "ES256", "ec-1").token(t, is.claims(now, nil))); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("forged signature: %v", err)
	}
	wantHits(2)
	if n := is.discoveryHits.Load(); n != 1 {
		t.Errorf("discovery fetched %d times; want once", n)
	}
}

// TestOIDCKeyRotation: the issuer publishes a new key in mid-test and signs
// with it; later it withdraws the old one.
func TestOIDCKeyRotation(t *testing.T) {
	k1, k2 := newKey(t, "RS256", "2026-01"), newKey(t, "ES256", "2026-02")
	is := newIssuer(t, k1)
	v, clock := newTestVerifier(t, is)
	verify := func(k testKey) error {
		_, err := v.Verify(context.Background(), k.token(t, is.claims(clock.now(), nil)))
		return err
	}
	if err := verify(k1); err != nil {
		t.Fatalf("k1 before rotation: %v", err)
	}

	is.publish(k1, k2)
	if err := verify(k2); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("k2 within the refetch interval of the last fetch: %v; want refused until the interval passes", err)
	}
	clock.advance(DefaultRefetchInterval)
	if err := verify(k2); err != nil {
		t.Fatalf("k2 once published and the interval passed: %v", err)
	}
	if n := is.jwksHits.Load(); n != 2 {
		t.Errorf("JWKS fetched %d times; want 2", n)
	}

	is.publish(k2) // k1 withdrawn
	if err := verify(k1); err != nil {
		t.Errorf("k1 withdrawn but still cached (for at most DefaultKeyMaxAge): %v", err)
	}
	clock.advance(DefaultKeyMaxAge)
	if err := verify(k1); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("k1 withdrawn and the cache aged: %v; want refused", err)
	}
	if err := verify(k2); err != nil {
		t.Errorf("k2 after the refresh: %v", err)
	}

	// An issuer outage keeps the keys already fetched.
	is.set(func(is *testIssuer) { is.jwksDown = true })
	clock.advance(DefaultKeyMaxAge)
	if err := verify(k2); err != nil {
		t.Errorf("k2 while the issuer's JWKS fails: %v; want the cached key used", err)
	}
	if err := verify(newKey(t, "RS256", "2026-03")); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("unknown kid while the issuer's JWKS fails: %v", err)
	}
}

func TestNewVerifierRefuses(t *testing.T) {
	rs := newKey(t, "RS256", "rsa-1")
	is := newIssuer(t, rs)
	mismatched := newIssuer(t, rs)
	mismatched.set(func(m *testIssuer) { m.claimedAs = is.URL })
	noJWKS := newIssuer(t, rs)
	noJWKS.set(func(m *testIssuer) { m.noJWKSURI = true })
	emptyJWKS := newIssuer(t)
	jwksDown := newIssuer(t, rs)
	jwksDown.set(func(m *testIssuer) { m.jwksDown = true })
	gone := newIssuer(t, rs)
	gone.Close()
	oidc := func(issuer string) OIDCConfig { return OIDCConfig{Issuer: issuer, Audience: testAudience} }

	for name, c := range map[string]Config{
		"no secret":                 {OIDC: oidc(is.URL)},
		"an empty secret":           {Secrets: [][]byte{secret, nil}},
		"audience without issuer":   {Secrets: [][]byte{secret}, OIDC: OIDCConfig{Audience: testAudience}},
		"issuer without audience":   {Secrets: [][]byte{secret}, OIDC: OIDCConfig{Issuer: is.URL}},
		"issuer not a URL":          {Secrets: [][]byte{secret}, OIDC: oidc("issuer.example")},
		"issuer with a query":       {Secrets: [][]byte{secret}, OIDC: oidc(is.URL + "?tenant=1")},
		"issuer with a trailing /":  {Secrets: [][]byte{secret}, OIDC: oidc(is.URL + "/")},
		"discovery names another":   {Secrets: [][]byte{secret}, OIDC: oidc(mismatched.URL)},
		"discovery without jwks":    {Secrets: [][]byte{secret}, OIDC: oidc(noJWKS.URL)},
		"JWKS without a usable key": {Secrets: [][]byte{secret}, OIDC: oidc(emptyJWKS.URL)},
		"JWKS failing":              {Secrets: [][]byte{secret}, OIDC: oidc(jwksDown.URL)},
		"issuer unreachable":        {Secrets: [][]byte{secret}, OIDC: oidc(gone.URL)},
	} {
		t.Run(name, func(t *testing.T) {
			if v, err := NewVerifier(context.Background(), c); err == nil {
				t.Fatalf("NewVerifier = %+v; want an error", v)
			} else {
				t.Logf("%s => %v", name, err)
			}
		})
	}
}
