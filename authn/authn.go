// Package authn says who a bearer token speaks for (API.md, "Who is asking"
// and "Real identity, browsers and clients"). It verifies two families of
// token and issues one:
//
//   - rolegraph's own tokens, JWTs signed with HS256 and one of the server's
//     secrets (the first secret signs, all verify, so a secret can be
//     rotated). Their claims make one of three kinds: a member ("sub" the
//     member id, "org" the organization id), an operator ("operator": true,
//     no "sub", may only create organizations) or a service ("service" its
//     name, "org", no "sub": a product's backend asking about any member).
//     "exp" is required. Nothing else is accepted: no other algorithm (in
//     particular not "none", nor RS256 or HS512 with the same key), no
//     "crit" header, no date written as a string.
//   - tokens of one OpenID Connect issuer (oidc.go): RS256, ES256 or EdDSA,
//     checked with the keys its discovery document publishes, never with a
//     key or URL the token itself names. They speak for a person the caller
//     still has to map to a member (KindExternal).
//
// Verifier.Verify sends a token to one family by its unverified "iss": the
// OIDC issuer's keys for a token naming that issuer, the HS256 secrets for
// every other one, so no token is ever tried against both.
package authn

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
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

// Kind says whom a token speaks for; callers switch on it rather than on
// which fields happen to be set.
type Kind uint8

const (
	// KindMember: a rolegraph member; Subject is the member id, Org its
	// organization's id.
	KindMember Kind = iota + 1
	// KindOperator: an operator, who may only create organizations; no
	// Subject.
	KindOperator
	// KindService: a product's backend (Service), which may ask about any
	// member of Org; no Subject.
	KindService
	// KindExternal: a person signed in at the OIDC issuer. Subject and Org
	// stay empty, so an issuer's "sub" can never be taken for a member id:
	// the caller maps ExternalSubject to Member.externalId and ExternalOrg to
	// Organization.externalId.
	KindExternal
)

func (k Kind) String() string {
	switch k {
	case KindMember:
		return "member"
	case KindOperator:
		return "operator"
	case KindService:
		return "service"
	case KindExternal:
		return "external"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Claims is who a token speaks for. It stays comparable with ==.
type Claims struct {
	// Kind is set by every Verify. Issue infers it when zero: Operator
	// makes an operator token, Service a service token, anything else a
	// member token.
	Kind Kind
	// Subject is the member id (claim "sub"), for KindMember only.
	Subject string
	// Org is the organization id (claim "org"), for KindMember and
	// KindService; an operator token may carry one too.
	Org string
	// Operator is true exactly for KindOperator; kept for callers written
	// before Kind.
	Operator bool
	// Service names the calling service (claim "service"), for KindService.
	Service string

	// For KindExternal: the issuer's "sub", the value of the configured
	// organization claim (an external id), "email", and whether
	// "email_verified" is the JSON value true.
	ExternalSubject string
	ExternalOrg     string
	Email           string
	EmailVerified   bool

	// ExpiresAt is the expiry (claim "exp", whole seconds).
	ExpiresAt time.Time
}

// inferKind fills Kind for claims built before Kind existed.
func (c Claims) inferKind() Claims {
	if c.Kind != 0 {
		return c
	}
	switch {
	case c.Operator:
		c.Kind = KindOperator
	case c.Service != "":
		c.Kind = KindService
	default:
		c.Kind = KindMember
	}
	return c
}

// validate says whether rolegraph's own token may have these claims: its
// Kind's shape and nothing of another kind's.
func (c Claims) validate() error {
	if c.ExternalSubject != "" || c.ExternalOrg != "" || c.Email != "" || c.EmailVerified {
		return errors.New("only the OIDC issuer's tokens carry external identity")
	}
	switch c.Kind {
	case KindMember:
		switch {
		case c.Operator || c.Service != "":
			return errors.New("a member token must not be an operator or service token")
		case c.Subject == "" || c.Org == "":
			return errors.New("a member token needs both sub and org")
		}
	case KindOperator:
		switch {
		case !c.Operator:
			return errors.New("an operator token needs operator: true")
		case c.Subject != "":
			return errors.New("an operator token must not name a member (sub)")
		case c.Service != "":
			return errors.New("an operator token must not name a service")
		}
	case KindService:
		switch {
		case c.Operator:
			return errors.New("a service token must not be an operator token")
		case c.Subject != "":
			return errors.New("a service token must not name a member (sub)")
		case c.Service == "" || c.Org == "":
			return errors.New("a service token needs both service and org")
		}
	default:
		return fmt.Errorf("rolegraph does not issue %v tokens", c.Kind)
	}
	return nil
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

// ParseSecrets splits the value of --jwt-secret ("S1,S2": the first signs,
// all verify) and checks each secret with CheckSecret.
func ParseSecrets(list string, production bool) ([][]byte, error) {
	var secrets [][]byte
	for i, s := range strings.Split(list, ",") {
		if err := CheckSecret([]byte(s), production); err != nil {
			return nil, fmt.Errorf("%w (secret %d of the comma-separated list)", err, i+1)
		}
		secrets = append(secrets, []byte(s))
	}
	return secrets, nil
}
