package authn

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxTokenLen bounds what the HS256 path will parse; rolegraph's tokens are
// ~200 bytes.
const maxTokenLen = 4096

type wireClaims struct {
	Org      string `json:"org,omitempty"`
	Operator bool   `json:"operator,omitempty"`
	Service  string `json:"service,omitempty"`
	// Exp shadows RegisteredClaims.ExpiresAt ("exp"): the shallower field
	// wins in encoding/json, and GetExpirationTime below reads it.
	Exp *numericDate `json:"exp,omitempty"`
	jwt.RegisteredClaims
}

// GetExpirationTime overrides the promoted method for jwt's validator.
func (w *wireClaims) GetExpirationTime() (*jwt.NumericDate, error) {
	if w.Exp == nil {
		return nil, nil
	}
	return &w.Exp.NumericDate, nil
}

// numericDate is jwt.NumericDate without its leniency: RFC 7519 makes a
// NumericDate a JSON number, and jwt.NumericDate also accepts a string
// holding one ("exp":"1800000000").
type numericDate struct{ jwt.NumericDate }

func (d *numericDate) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '-' && (b[0] < '0' || b[0] > '9') {
		return fmt.Errorf("a date must be a JSON number, not %.20s", b)
	}
	return d.NumericDate.UnmarshalJSON(b)
}

// Issue signs c with secret. With ttl > 0 the token expires ttl from now
// (c.ExpiresAt is ignored); otherwise c.ExpiresAt must be set. c is a
// member, operator or service token (Claims.Kind, inferred when zero).
func Issue(secret []byte, c Claims, ttl time.Duration) (string, error) {
	if len(secret) == 0 {
		return "", errors.New("authn: empty secret")
	}
	now := time.Now()
	if ttl > 0 {
		c.ExpiresAt = now.Add(ttl)
	}
	if c.ExpiresAt.IsZero() {
		return "", errors.New("authn: a token needs an expiry (ttl or ExpiresAt)")
	}
	c = c.inferKind()
	if c.Kind == KindOperator {
		c.Operator = true
	}
	if err := c.validate(); err != nil {
		return "", fmt.Errorf("authn: %w", err)
	}
	wc := wireClaims{
		Org:      c.Org,
		Operator: c.Operator,
		Service:  c.Service,
		Exp:      &numericDate{*jwt.NewNumericDate(c.ExpiresAt)},
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:  c.Subject,
			IssuedAt: jwt.NewNumericDate(now),
		},
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, &wc).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("authn: signing: %w", err)
	}
	return token, nil
}

// Verify checks token's signature with secret and its claims at time now, and
// returns them. Errors wrap ErrExpired (a genuine token past its exp) or
// ErrInvalidToken (anything else). It knows rolegraph's own tokens only; a
// server that also accepts an OIDC issuer's uses Verifier.Verify.
func Verify(secret []byte, token string, now time.Time) (Claims, error) {
	return verifyHS256([][]byte{secret}, token, now)
}

// verifyHS256 is Verify with several secrets, any of which may have signed.
func verifyHS256(secrets [][]byte, token string, now time.Time) (Claims, error) {
	c, _, err := verifyHS256Claims(secrets, token, now)
	return c, err
}

// verifyHS256Claims is verifyHS256 that also says whether the token has
// an nbf claim (a Verifier does not remember such tokens: verified.go).
func verifyHS256Claims(secrets [][]byte, token string, now time.Time) (_ Claims, notBefore bool, _ error) {
	keys := make([]jwt.VerificationKey, 0, len(secrets))
	for _, s := range secrets {
		if len(s) > 0 {
			keys = append(keys, s)
		}
	}
	if len(keys) == 0 {
		return Claims{}, false, fmt.Errorf("%w: no secret configured", ErrInvalidToken)
	}
	if len(token) > maxTokenLen {
		return Claims{}, false, fmt.Errorf("%w: longer than %d bytes", ErrInvalidToken, maxTokenLen)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithStrictDecoding(),
	)
	var wc wireClaims
	parsed, err := parser.ParseWithClaims(token, &wc, func(t *jwt.Token) (any, error) {
		// WithValidMethods already admits HS256 only; check the method
		// object too, so a future edit to the list cannot hand an HMAC key
		// to another algorithm.
		if t.Method != jwt.SigningMethodHS256 {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		// RFC 7515 section 4.1.11: extensions we do not understand must
		// not be ignored.
		if _, ok := t.Header["crit"]; ok {
			return nil, errors.New("unsupported crit header")
		}
		if len(keys) == 1 {
			return keys[0], nil
		}
		return jwt.VerificationKeySet{Keys: keys}, nil
	})
	switch {
	case err == nil && parsed.Valid:
	case errors.Is(err, jwt.ErrTokenExpired):
		return Claims{}, false, fmt.Errorf("%w: expired at %s", ErrExpired, wc.Exp.Time.UTC().Format(time.RFC3339))
	case err != nil:
		return Claims{}, false, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	default:
		return Claims{}, false, ErrInvalidToken
	}

	c := Claims{
		Subject:   wc.Subject,
		Org:       wc.Org,
		Operator:  wc.Operator,
		Service:   wc.Service,
		ExpiresAt: wc.Exp.Time,
	}.inferKind()
	if err := c.validate(); err != nil {
		return Claims{}, false, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return c, wc.NotBefore != nil, nil
}
