package authn

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Limits and defaults of the OIDC path.
const (
	// ClockSkew is how far an OIDC token's exp, nbf and iat may be off from
	// this server's clock: the issuer's clock is not ours.
	ClockSkew = 30 * time.Second
	// DefaultOrgClaim names the claim matched to Organization.externalId.
	DefaultOrgClaim = "org_id"
	// DefaultRefetchInterval is N in "at most one fetch of the issuer's key
	// set per N": a token with an unknown kid triggers a fetch, and a flood
	// of made-up kids must not turn into a flood of requests to the issuer.
	// A key the issuer starts using within N of the last fetch is accepted
	// once N has passed (issuers publish new keys well before using them).
	DefaultRefetchInterval = 10 * time.Second
	// DefaultKeyMaxAge is how long fetched keys are trusted without asking
	// the issuer again, so a key it withdraws stops verifying within that
	// time. If the issuer cannot be reached, the keys already fetched stay
	// in use.
	DefaultKeyMaxAge = time.Hour

	// maxOIDCTokenLen bounds what Verify parses at all; issuers' tokens
	// with many claims stay well under it.
	maxOIDCTokenLen = 16 << 10
	// fetchTimeout bounds each request to the issuer.
	fetchTimeout = 10 * time.Second
	// maxDate is the last second of year 9999: a date past it is no
	// expiry anyone meant, and larger floats would overflow int64 seconds.
	maxDate = 253402300799
)

// OIDCConfig names the one OpenID Connect issuer whose tokens are accepted.
type OIDCConfig struct {
	// Issuer is the issuer's URL (--oidc-issuer), exactly as its tokens'
	// "iss" and its discovery document's "issuer" spell it; the discovery
	// document is <Issuer>/.well-known/openid-configuration.
	Issuer string
	// Audience (--oidc-audience) must be among a token's "aud".
	Audience string
	// OrgClaim (--oidc-org-claim) names the claim whose string value is
	// the organization's external id; DefaultOrgClaim when empty.
	OrgClaim string
	// HTTPClient fetches the discovery document and keys; a client with a
	// 10 s timeout when nil.
	HTTPClient *http.Client
	// RefetchInterval and KeyMaxAge: DefaultRefetchInterval and
	// DefaultKeyMaxAge when zero.
	RefetchInterval time.Duration
	KeyMaxAge       time.Duration
}

// oidcAlgs are the algorithms accepted from the issuer. HS256 is absent on
// purpose: an issuer's public key must never become an HMAC secret.
var oidcAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA}

type oidcVerifier struct {
	issuer, audience, orgClaim string
	keys                       *keySet
	endpoints                  OIDCEndpoints
}

// OIDCEndpoints are where a browser signs in at the issuer (authorization
// code + PKCE), from its discovery document: the console and GraphiQL are
// told them so they need not fetch the document themselves. EndSession is
// the issuer's end_session_endpoint (OpenID Connect RP-Initiated Logout),
// empty when the issuer announces none: signing out of the console then
// forgets the token but leaves the issuer's session, and the next sign-in
// goes through without a password.
type OIDCEndpoints struct {
	Issuer, Authorization, Token, EndSession string
}

func newOIDCVerifier(ctx context.Context, c OIDCConfig, now func() time.Time) (*oidcVerifier, error) {
	if err := checkIssuerURL(c.Issuer); err != nil {
		return nil, err
	}
	if c.Audience == "" {
		return nil, errors.New("authn: an OIDC issuer needs the audience its tokens carry (--oidc-audience)")
	}
	if c.OrgClaim == "" {
		c.OrgClaim = DefaultOrgClaim
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: fetchTimeout}
	}
	if c.RefetchInterval <= 0 {
		c.RefetchInterval = DefaultRefetchInterval
	}
	if c.KeyMaxAge <= 0 {
		c.KeyMaxAge = DefaultKeyMaxAge
	}

	// go-oidc fetches the discovery document and refuses one whose
	// "issuer" differs from ours: the document must be the issuer's own.
	dctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	provider, err := oidc.NewProvider(oidc.ClientContext(dctx, c.HTTPClient), c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("authn: OIDC discovery for %s failed: %w; check that --oidc-issuer is the issuer's exact URL and that it answers", c.Issuer, err)
	}
	var doc struct {
		JWKSURI    string `json:"jwks_uri"`
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&doc); err != nil {
		return nil, fmt.Errorf("authn: reading the discovery document of %s: %w", c.Issuer, err)
	}
	if u, err := url.Parse(doc.JWKSURI); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("authn: the discovery document of %s has no usable jwks_uri (%q)", c.Issuer, doc.JWKSURI)
	}

	keys := newKeySet(doc.JWKSURI, c.HTTPClient, c.RefetchInterval, c.KeyMaxAge, now)
	if err := keys.refresh(ctx); err != nil {
		return nil, fmt.Errorf("authn: fetching the signing keys of %s: %w", c.Issuer, err)
	}
	ep := provider.Endpoint()
	endSession := doc.EndSession
	if u, err := url.Parse(endSession); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		endSession = "" // a sign-out that cannot leave is no sign-out: forget it, don't fail the start
	}
	return &oidcVerifier{issuer: c.Issuer, audience: c.Audience, orgClaim: c.OrgClaim, keys: keys,
		endpoints: OIDCEndpoints{Issuer: c.Issuer, Authorization: ep.AuthURL, Token: ep.TokenURL, EndSession: endSession}}, nil
}

func checkIssuerURL(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("authn: the OIDC issuer %q is not an http(s) URL without query or fragment", issuer)
	}
	return nil
}

// verify checks raw, whose unverified "iss" named the issuer: signature with
// a key from the issuer's key set (never one the token names: jku, x5u, x5c
// and jwk headers are ignored), then iss, aud and the dates.
func (o *oidcVerifier) verify(ctx context.Context, raw string, now time.Time) (Claims, error) {
	jws, err := jose.ParseSignedCompact(raw, oidcAlgs)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: not a compact JWS signed with RS256, ES256 or EdDSA: %w", ErrInvalidToken, err)
	}
	if len(jws.Signatures) != 1 {
		return Claims{}, fmt.Errorf("%w: want exactly one signature", ErrInvalidToken)
	}
	header := jws.Signatures[0].Protected
	// RFC 7515 section 4.1.11: we understand no extension, so none may be
	// critical. go-jose refuses unknown ones itself but honours "b64":
	// false (RFC 7797, an unencoded payload), which no JWT may use.
	if _, ok := header.ExtraHeaders["crit"]; ok {
		return Claims{}, fmt.Errorf("%w: unsupported crit header", ErrInvalidToken)
	}
	alg := jose.SignatureAlgorithm(header.Algorithm)
	keys, err := o.keys.forKeyID(ctx, header.KeyID)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	var payload []byte
	for _, k := range keys {
		if !fits(k, alg) {
			continue
		}
		if p, err := jws.Verify(k.Key); err == nil {
			payload = p
			break
		}
	}
	if payload == nil {
		return Claims{}, fmt.Errorf("%w: the signature does not verify with the issuer's %s key(s) for this kid", ErrInvalidToken, alg)
	}
	return o.claims(payload, now)
}

// fits says whether key k may check a signature made with alg: the key's
// type and curve must be alg's, and a key published for another use or
// algorithm is not tried.
func fits(k jose.JSONWebKey, alg jose.SignatureAlgorithm) bool {
	if (k.Use != "" && k.Use != "sig") || (k.Algorithm != "" && k.Algorithm != string(alg)) {
		return false
	}
	switch key := k.Key.(type) {
	case *rsa.PublicKey:
		// RFC 7518 section 3.3: RS256 keys are at least 2048 bits.
		return alg == jose.RS256 && key.N.BitLen() >= 2048
	case *ecdsa.PublicKey:
		return alg == jose.ES256 && key.Curve == elliptic.P256()
	case ed25519.PublicKey:
		return alg == jose.EdDSA
	}
	return false
}

// claims reads a verified payload. Each claim is looked up by its exact
// name and must have its JSON type: "iss", "sub", the organization claim
// and "email" strings, the dates numbers, "aud" a string or strings.
func (o *oidcVerifier) claims(payload []byte, now time.Time) (Claims, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil || m == nil {
		return Claims{}, fmt.Errorf("%w: the claims are not a JSON object", ErrInvalidToken)
	}
	invalid := func(format string, args ...any) (Claims, error) {
		return Claims{}, fmt.Errorf("%w: "+format, append([]any{ErrInvalidToken}, args...)...)
	}

	var std jwt.Claims
	var err error
	if std.Issuer, err = stringClaim(m, "iss"); err != nil {
		return invalid("%v", err)
	}
	if std.Subject, err = stringClaim(m, "sub"); err != nil || std.Subject == "" {
		return invalid("the token needs a non-empty string sub")
	}
	if rawAud, ok := m["aud"]; ok {
		if err := json.Unmarshal(rawAud, &std.Audience); err != nil {
			return invalid("aud must be a string or an array of strings")
		}
	}
	for _, d := range []struct {
		name string
		to   **jwt.NumericDate
	}{{"exp", &std.Expiry}, {"nbf", &std.NotBefore}, {"iat", &std.IssuedAt}} {
		if *d.to, err = dateClaim(m, d.name); err != nil {
			return invalid("%v", err)
		}
	}
	if std.Expiry == nil {
		return invalid("the token has no exp")
	}
	org, err := stringClaim(m, o.orgClaim)
	if err != nil || org == "" {
		return invalid("the token needs the organization claim %q as a non-empty string", o.orgClaim)
	}
	email, err := stringClaim(m, "email")
	if err != nil {
		return invalid("%v", err)
	}
	// Only the JSON value true counts: an issuer that writes "true" as a
	// string gets an unverified email rather than a refused token.
	var verified bool
	_ = json.Unmarshal(m["email_verified"], &verified)

	err = std.ValidateWithLeeway(jwt.Expected{
		Issuer:      o.issuer,
		AnyAudience: jwt.Audience{o.audience},
		Time:        now,
	}, ClockSkew)
	switch {
	case errors.Is(err, jwt.ErrExpired):
		return Claims{}, fmt.Errorf("%w: expired at %s", ErrExpired, std.Expiry.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrInvalidAudience):
		return invalid("aud does not contain %q", o.audience)
	case err != nil:
		return invalid("%v", err)
	}
	return Claims{
		Kind:            KindExternal,
		ExternalSubject: std.Subject,
		ExternalOrg:     org,
		Email:           email,
		EmailVerified:   verified,
		ExpiresAt:       std.Expiry.Time(),
	}, nil
}

// stringClaim returns claim name, "" when absent; present, it must be a
// JSON string.
func stringClaim(m map[string]json.RawMessage, name string) (string, error) {
	raw, ok := m[name]
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || raw[0] != '"' {
		return "", fmt.Errorf("claim %q must be a string", name)
	}
	return s, nil
}

// dateClaim returns date claim name, nil when absent; present, it must be
// a JSON number of seconds between 0 and year 9999 (RFC 7519 section 2;
// no string, no null, nothing that would overflow).
func dateClaim(m map[string]json.RawMessage, name string) (*jwt.NumericDate, error) {
	raw, ok := m[name]
	if !ok {
		return nil, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || raw[0] == 'n' || f < 0 || f > maxDate {
		return nil, fmt.Errorf("claim %q must be a number of seconds since 1970", name)
	}
	d := jwt.NumericDate(int64(f))
	return &d, nil
}
