// Package domain holds rolegraph's rules: who may do what to organizations,
// members, teams, roles, seats, interactions and evaluations. It is
// testable without GraphQL: package identity says who is asking, resolvers
// then make one call here.
// Service's operations take a Caller and decide what it may do; Loader
// (loader.go) reads by id without deciding, only for the fields of objects
// a caller already reached.
//
// Every decision is a SpiceDB question (package authz), asked of an
// organization whose queued changes are applied first (ask.go); this
// package never decides a scope itself. Every change is one store
// transaction holding the entity change, its relationship updates (the
// outbox) and its audit event, flushed to SpiceDB (package outbox) before
// the call returns.
package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// Caller is who is asking: a member of one organization, or a service
// (Service set) acting in one.
type Caller struct {
	OrgID    string
	MemberID string
	// Service, when set, is a product's backend asking (a service token):
	// it has no MemberID, reads members (mayReadMembers) and changes
	// nothing (identity refuses its mutations before they run).
	Service string
}

type Service struct {
	store  store.Store
	authz  *authz.Authz
	outbox *outbox.Applier
	cat    *catalog.Catalog
	// catalogFP is recorded with every new organization: its grant objects
	// follow this catalog (rels.CatalogFingerprint).
	catalogFP string
	log       *slog.Logger
	now       func() time.Time
	// Set once by New's options (options.go), never on a live service.
	baseURL                 string
	inviteTTL               time.Duration
	evaluationsByLookupOnly bool
	// expiries is poked after this service commits a temporary role's end
	// (ExpiryScheduled).
	expiries chan struct{}
}

// New builds the service over its store, SpiceDB questions and outbox;
// opts change what options.go says (a nil log discards).
func New(st store.Store, az *authz.Authz, ob *outbox.Applier, cat *catalog.Catalog, log *slog.Logger, opts ...Option) *Service {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Service{store: st, authz: az, outbox: ob, cat: cat, catalogFP: rels.CatalogFingerprint(cat), log: log, now: time.Now,
		baseURL: "http://127.0.0.1:8080", inviteTTL: 7 * 24 * time.Hour, expiries: make(chan struct{}, 1)}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Service) Catalog() *catalog.Catalog { return s.cat }

// storeErr turns store errors into user-facing ones.
func storeErr(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	switch {
	case errors.Is(err, store.ErrOutcomeUnknown):
		// Before the deadline cases: a commit cut short by the request's
		// deadline is just as unknown.
		e := errs.Unavailablef(err, "the entity store went away while this change was being saved, so it may or may not have been saved: look before you try again")
		e.OutcomeUnknown = true
		return e
	case errors.Is(err, store.ErrUnavailable):
		return errs.Unavailablef(err, "the entity store is unavailable; nothing was changed, try again shortly")
	case errors.Is(err, store.ErrConflict):
		return &errs.Error{Code: errs.Conflict, Message: "that name or email is already taken in this organization", Err: err}
	case errors.Is(err, authz.ErrUnavailable):
		return errs.Unavailablef(err, "the permission service is unavailable; access is denied until it answers, try again shortly")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return errs.Unavailablef(err, "the request timed out; nothing was changed")
	}
	return &errs.Error{Code: errs.Internal, Message: "internal error", Err: err}
}

// Organization loads the caller's organization.
// Within a request it is read once (until a change), since every field
// asks for it; callers must not modify the returned value.
func (s *Service) Organization(ctx context.Context, c Caller) (*model.Organization, error) {
	return memoized(ctx, "org:"+c.OrgID, func() (*model.Organization, error) {
		org, err := s.store.GetOrganization(ctx, c.OrgID)
		if err != nil {
			return nil, storeErr(err)
		}
		return org, nil
	})
}

// --- request memo: one request asks for the caller's grants once. ---

type memoKey struct{}

type memo struct {
	mu sync.Mutex
	m  map[string]any
}

// WithMemo gives ctx a per-request memo for repeated permission questions.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{m: map[string]any{}})
}

func memoized[T any](ctx context.Context, key string, f func() (T, error)) (T, error) {
	m, _ := ctx.Value(memoKey{}).(*memo)
	if m != nil {
		m.mu.Lock()
		v, ok := m.m[key]
		m.mu.Unlock()
		if ok {
			return v.(T), nil
		}
	}
	v, err := f()
	if err == nil && m != nil {
		m.mu.Lock()
		m.m[key] = v
		m.mu.Unlock()
	}
	return v, err
}

// WithOrganization is WithMemo for a request whose organization is
// already read: authentication (package identity) reads the member and
// the organization in one round trip, and hands the organization over
// here rather than have the first field read it again. It is the one way
// an organization enters a request from outside, and it is set when the
// request's context is built, never changed from outside under a running
// request: a request that must act on a newer read (a change that waited
// for authentication) gets a new context, with a new memo, from this.
// Inside, only settling (ask.go) replaces it, with the same organization
// brought up to date. A nil org is WithMemo.
func WithOrganization(ctx context.Context, org *model.Organization) context.Context {
	ctx = WithMemo(ctx)
	remember(ctx, org)
	return ctx
}

// remember records org as the request's organization, read.
func remember(ctx context.Context, org *model.Organization) {
	if m, _ := ctx.Value(memoKey{}).(*memo); m != nil && org != nil {
		m.mu.Lock()
		m.m["org:"+org.ID] = org
		m.mu.Unlock()
	}
}

// forget drops the memo after a change, so the rest of the request sees it.
func forget(ctx context.Context) {
	if m, _ := ctx.Value(memoKey{}).(*memo); m != nil {
		m.mu.Lock()
		m.m = map[string]any{}
		m.mu.Unlock()
	}
}

// --- changes: one transaction, its outbox, its audit event. ---

// change runs fn in a transaction with the organization locked, appends the
// audit event fn fills in, and applies the outbox to SpiceDB before
// returning. A refused escalation is audited too. Under a dry run
// (explain_dryrun.go) fn runs with every guard and is then rolled back.
func (s *Service) change(ctx context.Context, c Caller, action string, fn func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error) error {
	ev := &model.AuditEvent{OrgID: c.OrgID, ActorID: c.MemberID, Action: action}
	dry := isDryRun(ctx)
	// A change decides with the graph as the entities say it is: earlier
	// changes still queued (SpiceDB was down when they committed) go first,
	// or this one waits. What remains is the moment between a concurrent
	// change's commit and its own flush.
	if err := s.outbox.Flush(ctx, c.OrgID); err != nil {
		return errs.Unavailablef(err, "earlier changes are still being applied to the permission service; nothing was changed, try again shortly")
	}
	err := s.store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.LockOrganization(ctx, c.OrgID); err != nil {
			return err
		}
		org, err := tx.GetOrganization(ctx, c.OrgID)
		if err != nil {
			return err
		}
		// Entries a concurrent change committed and is flushing now must
		// not be applied from in here: applying ends in MarkApplied, which
		// waits for the organization row this transaction holds while the
		// other flush holds the outbox lock. Checks in fn read the graph as
		// it is, as they did before the organization could say it was pending.
		org.Pending = false
		if err := fn(tx, org, ev); err != nil {
			return err
		}
		if dry {
			return errDryRun // every guard passed: roll back, audit nothing
		}
		ev.At = s.now().UTC()
		return tx.AppendAudit(ctx, ev)
	})
	if dry {
		if errors.Is(err, errDryRun) {
			return nil
		}
		return storeErr(err) // a refusal in a dry run is an answer, not an event
	}
	if err != nil {
		if e, ok := errs.As(err); ok && e.Code == errs.Escalation {
			s.auditRefusal(ctx, c, action, ev, e)
		}
		return storeErr(err)
	}
	forget(ctx)
	return s.flush(ctx, c.OrgID)
}

func (s *Service) auditRefusal(ctx context.Context, c Caller, action string, ev *model.AuditEvent, e *errs.Error) {
	refused := &model.AuditEvent{OrgID: c.OrgID, ActorID: c.MemberID, Action: "refused." + action,
		TargetID: ev.TargetID, Before: ev.Before, After: jsonOf(map[string]string{"code": string(e.Code), "permission": e.Permission, "message": e.Message}),
		At: s.now().UTC()}
	if err := s.store.InTx(ctx, func(tx store.Tx) error { return tx.AppendAudit(ctx, refused) }); err != nil {
		s.log.Error("audit of a refused change failed", "action", action, "err", err)
	}
}

// flush applies the organization's outbox now. When SpiceDB is down the
// change is already committed and queued; the background applier will
// deliver it, and the caller is told so.
func (s *Service) flush(ctx context.Context, orgID string) error {
	if err := s.outbox.Flush(ctx, orgID); err != nil {
		s.log.Warn("outbox flush failed; queued for the applier", "org", orgID, "err", err)
		e := errs.Unavailablef(err, "the change was saved and is queued: permissions will reflect it once the permission service is reachable again")
		e.Queued = true
		return e
	}
	return nil
}

func jsonOf(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// enqueue diffs the graph of an entity before and after and queues the updates.
func enqueue(ctx context.Context, tx store.Tx, orgID string, before, after rels.Set) error {
	u := rels.Diff(before, after)
	if len(u) == 0 {
		return nil
	}
	return tx.Enqueue(ctx, orgID, u)
}

// record fills the audit event of the running change.
func record(ev *model.AuditEvent, target string, before, after any) error {
	ev.TargetID = target
	if before != nil {
		ev.Before = jsonOf(before)
	}
	if after != nil {
		ev.After = jsonOf(after)
	}
	return nil
}

func sortedIDs(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return out
}
