// Package authz asks SpiceDB, through authzed-go, every question rolegraph
// answers about permissions (checks, lookups of resources and subjects),
// and writes relationship updates and the schema to it. Answers are at
// least as fresh as the organization's last applied write (its ZedToken,
// handed in as a Freshness or remembered from this process's writes), so a
// revocation is denied on the next request; decisions are cached under the
// organization's revision (Cache). While SpiceDB is down or hangs
// (health.Health), every question is refused UNAVAILABLE, never answered
// from the cache.
//
// authz does not read the entity store: callers hand it a Freshness from
// an organization they made ready (package outbox applies pending changes
// first), and whoever applies a write tells it the revision (Remember).
package authz

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	authzed "github.com/authzed/authzed-go/v1"

	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/spicedb/health"
)

// DefaultDecisionTimeout: a check that takes SpiceDB longer than this on
// the machines rolegraph runs on is not coming (the bench's slowest p99
// is a few ms; a full LookupResources of 100k interactions takes ~1 s
// and is not a decision).
const DefaultDecisionTimeout = 2 * time.Second

// ErrUnavailable: SpiceDB did not answer. Callers deny; nothing is allowed
// on an error.
var ErrUnavailable = errors.New("authz: permission service unavailable")

// Object is a SpiceDB object reference.
type Object struct{ Type, ID string }

func (o Object) ref() *v1.ObjectReference {
	return &v1.ObjectReference{ObjectType: o.Type, ObjectId: o.ID}
}

// Check is one question: may member do permission on object?
type Check struct {
	Object     Object
	Permission string
	MemberID   string
}

// Authz is safe for concurrent use.
type Authz struct {
	client *authzed.Client
	log    *slog.Logger
	// timeout bounds writes and full listings; decisionTimeout one
	// question (see WithDecisionTimeout).
	timeout, decisionTimeout time.Duration

	cache  *Cache // nil: every question goes to SpiceDB
	health *health.Health

	mu     sync.Mutex
	tokens map[string]orgToken // the newest write this process has seen per organization
	// tickAt is when this process last made SpiceDB take a new revision
	// (expiry.go); zero: never.
	tickAt time.Time
}

// Option configures an Authz at construction.
type Option func(*Authz)

// WithCache puts a decision cache in front of CheckBulk and limited
// LookupResources pages.
func WithCache(c *Cache) Option { return func(a *Authz) { a.cache = c } }

// WithDecisionTimeout bounds one SpiceDB question — a check, a bulk check,
// a page of LookupResources — (0: DefaultDecisionTimeout). A SpiceDB that
// hangs rather than refusing connections (a stopped process, a black-holed
// network) keeps its connection up, so only a deadline turns it into an
// answer: UNAVAILABLE, and the cache bypassed until SpiceDB answers again.
// Writes and full listings keep the longer timeout.
func WithDecisionTimeout(d time.Duration) Option {
	return func(a *Authz) {
		if d > 0 {
			a.decisionTimeout = d
		}
	}
}

// WithLogger sets the logger (default: none).
func WithLogger(l *slog.Logger) Option {
	return func(a *Authz) {
		if l != nil {
			a.log = l
		}
	}
}

// WithHealth shares a health.Health — the one watching the connection
// (grpc.WithStatsHandler) — instead of keeping one of its own, so that a
// dropped connection is known before the next question fails.
func WithHealth(h *health.Health) Option { return func(a *Authz) { a.health = h } }

// New returns an Authz asking SpiceDB through client.
func New(client *authzed.Client, opts ...Option) *Authz {
	a := &Authz{client: client, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		timeout: 10 * time.Second, decisionTimeout: DefaultDecisionTimeout, tokens: map[string]orgToken{}}
	for _, o := range opts {
		o(a)
	}
	if a.health == nil {
		a.health = health.New(a.log)
	}
	return a
}

// SpiceDBDown reports whether this process knows SpiceDB to be failing
// (a lost connection or an unavailable answer, not yet followed by an
// answer). While it does, decisions bypass the cache.
func (a *Authz) SpiceDBDown() bool { return a.health.Down() }

// admit lets a call go to SpiceDB, or refuses it at once while SpiceDB
// hangs (health.Health.Admit); a probe gets the decision timeout.
func (a *Authz) admit() error {
	if err := a.health.Admit(a.decisionTimeout); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

func subject(memberID string) *v1.SubjectReference {
	return &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: memberID}}
}

// wrap names the failed operation and marks an error that says SpiceDB did
// not answer as ErrUnavailable.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if health.Unavailable(err) {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
