// Package identity answers "who is asking" for every GraphQL request, in
// one place, through one entry point: Authenticator.Middleware. It
// verifies the bearer token (package authn, through the Verifier the
// Authenticator is given), reads the member and its organization in one
// store round trip, applies the one rule that lets a member act (ACTIVE,
// and present), and runs the request with its Principal and that
// organization in its context. On an organization this process has read
// before, a query does not wait for the read (speculate.go); a change
// always does (ChangesWait, the half that needs to know the operation).
//
// The organization reaches package domain through domain.WithOrganization,
// which builds the request's memo with it already read: domain's
// Organization then answers from it, and nothing outside this package
// puts an organization into a request.
//
// Four kinds of principal exist: a Member of one organization (a
// rolegraph token, or an OIDC issuer's token whose organization claim and
// sub are bound to an ACTIVE member), an Operator (no organization; may
// only create organizations), a Service (a product's backend acting within
// one organization, no member: it reads, and ServicesRead refuses its
// changes), and External (an OIDC sign-in no member is bound to yet: only
// acceptInvitation answers it, binding it).
package identity

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Kind is what a principal is.
type Kind uint8

const (
	// Member is a person of one organization (claims sub and org); they
	// act only while ACTIVE.
	Member Kind = iota + 1
	// Operator runs the installation: it may only create organizations,
	// and nothing is read to authenticate it.
	Operator
	// Service is a backend acting within one organization, with no
	// member: nothing is read to authenticate it (its organization is read
	// by what it asks, and an organization that does not exist answers
	// nothing); it may only ask (ServicesRead).
	Service
	// External is a person signed in at the OIDC issuer whom no member of
	// the organization their token names is bound to yet. It acts as no
	// one: acceptInvitation binds it to the invited member.
	External
)

func (k Kind) String() string {
	switch k {
	case Member:
		return "member"
	case Operator:
		return "operator"
	case Service:
		return "service"
	case External:
		return "external"
	}
	return "unknown"
}

// Principal is who a request's token speaks for. A request without a token
// has none (FromContext is nil): only acceptInvitation answers it.
type Principal struct {
	Kind Kind
	// OrgID is the organization a Member or Service acts in. An Operator's
	// is whatever its token names, and grants nothing.
	OrgID string
	// MemberID is the Member's id; empty for the other kinds.
	MemberID string
	// Service is a Service's name; empty for the other kinds.
	Service string
	// For External (and for a Member signed in at the OIDC issuer): the
	// token's organization claim, sub and email, and whether the issuer
	// verified the email.
	OrgExternalID, Subject, Email string
	EmailVerified                 bool
}

type principalKey struct{}

// FromContext is the request's principal; nil when it is anonymous.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Verifier checks a bearer token and returns its claims; an error means
// the request is UNAUTHENTICATED. It is the shape of package authn's
// verification, so the server picks the verifier in one line.
type Verifier func(ctx context.Context, token string) (authn.Claims, error)

// HS256 verifies rolegraph's own tokens, signed with secret: the one call
// into authn's verification.
func HS256(secret []byte) Verifier {
	return func(_ context.Context, token string) (authn.Claims, error) {
		return authn.Verify(secret, token, time.Now())
	}
}

// principalOf is the one place claims become a principal; an OIDC
// sign-in is External until its member is read (Middleware).
func principalOf(c authn.Claims) (Principal, bool) {
	switch c.Kind {
	case authn.KindMember:
		return Principal{Kind: Member, OrgID: c.Org, MemberID: c.Subject}, true
	case authn.KindOperator:
		return Principal{Kind: Operator, OrgID: c.Org}, true
	case authn.KindService:
		return Principal{Kind: Service, OrgID: c.Org, Service: c.Service}, true
	case authn.KindExternal:
		return Principal{Kind: External, OrgExternalID: c.ExternalOrg, Subject: c.ExternalSubject,
			Email: c.Email, EmailVerified: c.EmailVerified}, true
	}
	return Principal{}, false
}

// Reader is the one read authentication makes (store.Store has it): by
// id for rolegraph's tokens, by the issuer's ids for OIDC ones.
type Reader interface {
	GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error)
	GetOrganizationMemberByExternalID(ctx context.Context, orgExternalID, memberExternalID string) (*model.Organization, *model.Member, error)
}

// MemoryReader is a Reader that can tell what GetOrganizationMember would
// answer without a round trip (store/postgres keeps its answers in process
// until a write to the organization commits): hit is false when it cannot.
type MemoryReader interface {
	CachedOrganizationMember(orgID, memberID string) (*model.Organization, *model.Member, bool)
}

// Counter counts events (a prometheus.Counter is one).
type Counter interface{ Inc() }

// Config is what an Authenticator needs.
type Config struct {
	// Store reads the member and the organization.
	Store Reader
	// Verify checks bearer tokens.
	Verify Verifier
	// MaxBody is the largest request body a query is buffered with to run
	// on speculation (0: 1 MiB); a larger one waits for the read.
	MaxBody int64
	// Misses, when set, counts queries answered again because their
	// organization changed since this process last read it.
	Misses Counter
}

// Authenticator authenticates requests (Middleware). It remembers the
// organizations it read, for speculation; one per process is the intent,
// and two only cost each other's memory of what they read.
type Authenticator struct {
	store   Reader
	verify  Verifier
	maxBody int64
	misses  Counter
	recent  recentOrgs
}

// New builds an Authenticator.
func New(c Config) *Authenticator {
	a := &Authenticator{store: c.Store, verify: c.Verify, maxBody: c.MaxBody, misses: c.Misses}
	if a.maxBody <= 0 {
		a.maxBody = 1 << 20
	}
	if a.misses == nil {
		a.misses = noCount{}
	}
	return a
}

type noCount struct{}

func (noCount) Inc() {}

// Refusals made before anything runs.
var (
	errNoBearer  = errs.New(errs.Unauthenticated, "send Authorization: Bearer <token>")
	errBadToken  = errs.New(errs.Unauthenticated, "the bearer token is invalid or expired: get a new one")
	errNoKind    = errs.New(errs.Unauthenticated, "this kind of token is not accepted: use a rolegraph member token")
	errNoMember  = errs.New(errs.Unauthenticated, "the token's member does not exist")
	errStoreDown = errs.New(errs.Unavailable, "the entity store is unavailable; try again shortly")
	errMayNotAct = errs.New(errs.Unauthenticated, "sign in again: this member may not act")
)

// Middleware authenticates each request before next runs. No
// Authorization header leaves it anonymous; a malformed header, a bad or
// expired token, or a member who may not act is refused outright (401,
// or 503 when the store does not answer); otherwise next runs with the
// Principal (FromContext) and, for a member, the organization as read
// (domain.WithOrganization). next must use ChangesWait.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := authn.FromRequest(r)
		if !ok {
			if r.Header.Get("Authorization") != "" {
				errs.WriteHTTP(w, http.StatusUnauthorized, errNoBearer)
				return
			}
			serve(next, w, r, nil, nil, nil)
			return
		}
		claims, err := a.verify(r.Context(), raw)
		if err != nil {
			errs.WriteHTTP(w, http.StatusUnauthorized, errBadToken)
			return
		}
		p, ok := principalOf(claims)
		if !ok {
			errs.WriteHTTP(w, http.StatusUnauthorized, errNoKind)
			return
		}
		switch p.Kind {
		case Operator, Service:
			serve(next, w, r, &p, nil, nil)
		case External:
			a.external(next, w, r, &p)
		default:
			a.member(next, w, r, &p)
		}
	})
}

// member authenticates a member: the read runs beside the operation when
// the organization was seen before (speculate), before it otherwise.
func (a *Authenticator) member(next http.Handler, w http.ResponseWriter, r *http.Request, p *Principal) {
	// A read the store answers from memory (the Postgres store's hot
	// reads) costs less than running beside it: no goroutines, no
	// buffered body or response, no comparison afterwards.
	if mr, ok := a.store.(MemoryReader); ok {
		if org, m, hit := mr.CachedOrganizationMember(p.OrgID, p.MemberID); hit {
			if a.admit(w, read{org: org, member: m}) {
				serve(next, w, r, p, org, nil)
			}
			return
		}
	}
	pending := make(chan read, 1)
	go func() {
		org, m, err := a.store.GetOrganizationMember(r.Context(), p.OrgID, p.MemberID)
		pending <- read{org: org, member: m, err: err}
	}()
	if a.speculate(next, w, r, p, pending) {
		return
	}
	rd := <-pending
	if !a.admit(w, rd) {
		return
	}
	serve(next, w, r, p, rd.org, nil)
}

// external authenticates an OIDC sign-in: the member bound to its sub in
// the organization its claim names, read first (no speculation: the
// organization is not known before the read). Bound to none, the request
// runs as External, which only acceptInvitation answers; bound to one, the
// member's ACTIVE rule applies as to rolegraph's tokens.
func (a *Authenticator) external(next http.Handler, w http.ResponseWriter, r *http.Request, p *Principal) {
	org, m, err := a.store.GetOrganizationMemberByExternalID(r.Context(), p.OrgExternalID, p.Subject)
	if errors.Is(err, store.ErrNotFound) {
		serve(next, w, r, p, nil, nil)
		return
	}
	if !a.admit(w, read{org: org, member: m, err: err}) {
		return
	}
	bound := *p
	bound.Kind, bound.OrgID, bound.MemberID = Member, org.ID, m.ID
	serve(next, w, r, &bound, org, nil)
}

// serve runs next as p, on org as read for it (nil: nothing read), with
// the gate of a request running on speculation.
func serve(next http.Handler, w http.ResponseWriter, r *http.Request, p *Principal, org *model.Organization, g *gate) {
	ctx := context.WithValue(r.Context(), principalKey{}, p)
	ctx = domain.WithOrganization(ctx, org)
	if g != nil {
		ctx = context.WithValue(ctx, gateKey{}, g)
	}
	next.ServeHTTP(w, r.WithContext(ctx))
}

// read is what authentication read.
type read struct {
	org    *model.Organization
	member *model.Member
	err    error
}

// refusal is the rule that lets a member act, the one place it is
// written: nil when they may, otherwise the HTTP status and error to
// answer.
func (rd read) refusal() (int, *errs.Error) {
	switch {
	case errors.Is(rd.err, store.ErrNotFound):
		return http.StatusUnauthorized, errNoMember
	case rd.err != nil:
		return http.StatusServiceUnavailable, errStoreDown
	case rd.member.Status != model.StatusActive:
		return http.StatusUnauthorized, errs.New(errs.Unauthenticated, "the token's member is %s, not ACTIVE", rd.member.Status)
	}
	return 0, nil
}

// admit answers the refusal of a read that does not let the member act,
// or remembers its organization for speculation; true when the member
// may act.
func (a *Authenticator) admit(w http.ResponseWriter, rd read) bool {
	if status, e := rd.refusal(); e != nil {
		errs.WriteHTTP(w, status, e)
		return false
	}
	a.recent.put(rd.org)
	return true
}
