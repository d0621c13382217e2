package authn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config is what a Verifier accepts.
type Config struct {
	// Secrets verify HS256 tokens, and the first one signs (--jwt-secret
	// S1,S2): to rotate, put the new secret first, then drop the old one
	// once the tokens it signed have expired. At least one, none empty.
	Secrets [][]byte
	// OIDC, when its Issuer is set, also accepts that issuer's tokens.
	OIDC OIDCConfig
	// Now is the clock for expiry and for the key set's fetch limit;
	// time.Now when nil.
	Now func() time.Time
}

// Verifier verifies every bearer token the server accepts: rolegraph's own
// HS256 tokens and, if configured, one OIDC issuer's. It is safe for
// concurrent use.
type Verifier struct {
	secrets  [][]byte
	oidc     *oidcVerifier
	now      func() time.Time
	verified verifiedTokens // HS256 tokens that verified (verified.go)
}

// OIDCEndpoints are the OIDC issuer's sign-in endpoints; false without an
// issuer.
func (v *Verifier) OIDCEndpoints() (OIDCEndpoints, bool) {
	if v.oidc == nil {
		return OIDCEndpoints{}, false
	}
	return v.oidc.endpoints, true
}

// NewVerifier checks c and, with an OIDC issuer, fetches the issuer's
// discovery document and key set, so a wrong issuer URL stops the server at
// start rather than refusing every token later.
func NewVerifier(ctx context.Context, c Config) (*Verifier, error) {
	if len(c.Secrets) == 0 {
		return nil, errors.New("authn: no HS256 secret: give at least one (--jwt-secret)")
	}
	v := &Verifier{now: c.Now}
	if v.now == nil {
		v.now = time.Now
	}
	for i, s := range c.Secrets {
		if len(s) == 0 {
			return nil, fmt.Errorf("authn: HS256 secret %d of %d is empty", i+1, len(c.Secrets))
		}
		v.secrets = append(v.secrets, append([]byte(nil), s...))
	}
	if c.OIDC.Issuer == "" {
		if c.OIDC != (OIDCConfig{}) {
			return nil, errors.New("authn: OIDC settings without an issuer: set the issuer (--oidc-issuer) or drop the others")
		}
		return v, nil
	}
	o, err := newOIDCVerifier(ctx, c.OIDC, v.now)
	if err != nil {
		return nil, err
	}
	v.oidc = o
	return v, nil
}

// Verify returns whom raw speaks for. A token whose (unverified) "iss" is
// the OIDC issuer is checked with that issuer's keys only, every other one
// with the HS256 secrets only. Errors wrap ErrExpired (a genuine token past
// its exp) or ErrInvalidToken (anything else).
func (v *Verifier) Verify(ctx context.Context, raw string) (Claims, error) {
	if len(raw) > maxOIDCTokenLen {
		return Claims{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidToken, maxOIDCTokenLen)
	}
	now := v.now()
	if v.oidc != nil && unverifiedIssuer(raw) == v.oidc.issuer {
		return v.oidc.verify(ctx, raw, now)
	}
	if c, ok := v.verified.get(raw, now); ok {
		return c, nil
	}
	c, notBefore, err := verifyHS256Claims(v.secrets, raw, now)
	if err == nil && !notBefore {
		v.verified.put(raw, c)
	}
	return c, err
}

// Issue signs c with the first secret (see the package function Issue).
func (v *Verifier) Issue(c Claims, ttl time.Duration) (string, error) {
	return Issue(v.secrets[0], c, ttl)
}

// unverifiedIssuer reads the "iss" claim of a compact JWS without checking
// anything, only to choose the keys that will. Whatever it returns, the
// chosen path verifies the signature and, for OIDC, "iss" again; so a token
// that reads differently here and there is refused, never let through.
func unverifiedIssuer(raw string) string {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims map[string]json.RawMessage
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	var iss string
	if json.Unmarshal(claims["iss"], &iss) != nil {
		return ""
	}
	return iss
}
