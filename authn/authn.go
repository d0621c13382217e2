// Package authn issues and verifies rolegraph's bearer tokens: JWTs signed
// with HS256 and the server's secret (API.md, "Who is asking").
//
// Claims: "sub" is the member id, "org" the organization id, "exp" the expiry
// (required). A token with "operator": true and no "sub" is an operator
// token, which may only create organizations. Verify accepts nothing else:
// no other algorithm (in particular not "none", nor RS256 or HS512 with the
// same key), no token without exp, no member token without both sub and org.
package authn

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Errors returned by Verify, wrapped with detail; test with errors.Is. Both
// mean the request is UNAUTHENTICATED.
var (
	ErrInvalidToken = errors.New("invalid token")
	ErrExpired      = errors.New("token expired")
)

// MinProductionSecretLen is the shortest secret accepted in production: 256
// bits, the size of HS256's output (RFC 7518 section 3.2 requires at least
// that).
const MinProductionSecretLen = 32

// maxTokenLen bounds what Verify will parse; rolegraph's tokens are ~200
// bytes.
const maxTokenLen = 4096

// Claims is who a token speaks for.
type Claims struct {
	// Subject is the member id (claim "sub"); empty for operator tokens.
	Subject string
	// Org is the organization id (claim "org").
	Org string
	// Operator marks an operator token (claim "operator"), which has no
	// Subject and may only call createOrganization.
	Operator bool
	// ExpiresAt is the expiry (claim "exp", whole seconds).
	ExpiresAt time.Time
}

// validate says whether the claims are one of the two shapes a token may
// have: a member of an organization, or an operator.
func (c Claims) validate() error {
	switch {
	case c.Operator && c.Subject != "":
		return errors.New("an operator token must not name a member (sub)")
	case !c.Operator && (c.Subject == "" || c.Org == ""):
		return errors.New("a member token needs both sub and org")
	}
	return nil
}

type wireClaims struct {
	Org      string `json:"org,omitempty"`
	Operator bool   `json:"operator,omitempty"`
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
// (c.ExpiresAt is ignored); otherwise c.ExpiresAt must be set.
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
	if err := c.validate(); err != nil {
		return "", fmt.Errorf("authn: %w", err)
	}
	wc := wireClaims{
		Org:      c.Org,
		Operator: c.Operator,
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
// ErrInvalidToken (anything else).
func Verify(secret []byte, token string, now time.Time) (Claims, error) {
	if len(secret) == 0 {
		return Claims{}, fmt.Errorf("%w: no secret configured", ErrInvalidToken)
	}
	if len(token) > maxTokenLen {
		return Claims{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidToken, maxTokenLen)
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
		return secret, nil
	})
	switch {
	case err == nil && parsed.Valid:
	case errors.Is(err, jwt.ErrTokenExpired):
		return Claims{}, fmt.Errorf("%w: expired at %s", ErrExpired, wc.Exp.Time.UTC().Format(time.RFC3339))
	case err != nil:
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	default:
		return Claims{}, ErrInvalidToken
	}

	c := Claims{
		Subject:   wc.Subject,
		Org:       wc.Org,
		Operator:  wc.Operator,
		ExpiresAt: wc.Exp.Time,
	}
	if err := c.validate(); err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return c, nil
}

// FromRequest returns the token of an "Authorization: Bearer <token>" header
// (the scheme is case-insensitive). ok is false without exactly one such
// header.
func FromRequest(r *http.Request) (token string, ok bool) {
	values := r.Header.Values("Authorization")
	if len(values) != 1 {
		return "", false
	}
	scheme, token, found := strings.Cut(values[0], " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

// NewSecret returns 32 random bytes, for a development server started without
// a configured secret.
func NewSecret() []byte {
	b := make([]byte, MinProductionSecretLen)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return b
}

// CheckSecret reports whether secret may sign tokens: never empty, and in
// production at least MinProductionSecretLen bytes.
func CheckSecret(secret []byte, production bool) error {
	switch {
	case len(secret) == 0:
		return errors.New("authn: the JWT secret is empty")
	case production && len(secret) < MinProductionSecretLen:
		return fmt.Errorf("authn: the JWT secret is %d bytes; production needs at least %d", len(secret), MinProductionSecretLen)
	}
	return nil
}
