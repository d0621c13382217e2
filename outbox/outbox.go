// Package outbox applies each organization's committed outbox of
// relationship updates to SpiceDB: in commit order, idempotently
// (TOUCH/DELETE, so a replay converges), under the organization's outbox
// lock, and records what was applied — the store's MarkApplied bumps the
// organization's revision and keeps the ZedToken, and authz is told both,
// so later answers are at least as fresh as the change.
//
// Its callers: a change flushes before deciding and after committing
// (domain), a read of an organization with pending changes applies them
// first (Settle), the background applier delivers what a change could not
// (Run), a reconcile applies before comparing (ApplyPending) and records its
// repairs (Record).
package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/rolegraph/rolegraph/internal/every"

	"golang.org/x/sync/singleflight"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// batchSize bounds the entries read and applied at once.
const batchSize = 5 * authz.MaxUpdatesPerWrite

// Applier applies outboxes. Safe for concurrent use.
type Applier struct {
	store store.Store
	authz *authz.Authz
	log   *slog.Logger
	// timeout bounds the flush Settle shares among waiting reads.
	timeout time.Duration

	failPoint  func(stage string) error
	writeChunk int
	observer   func(applied int, err error)

	// settling shares one flush of an organization's pending changes
	// among the reads that find them (Settle).
	settling singleflight.Group
}

// Option configures an Applier at construction.
type Option func(*Applier)

// WithLogger sets the logger (default: none).
func WithLogger(l *slog.Logger) Option {
	return func(a *Applier) {
		if l != nil {
			a.log = l
		}
	}
}

// WithObserver is told of every attempt to apply an organization's outbox
// batch: the entries applied, or the error (the metrics count both).
func WithObserver(f func(applied int, err error)) Option {
	return func(a *Applier) { a.observer = f }
}

// WithFailPoint is for tests: f is called at named points of an apply, and
// an error it returns stops the apply right there, as if the process had
// died at that point. Stages: "write" (before each WriteRelationships
// chunk), "mark" (SpiceDB has the updates, MarkApplied not yet called),
// "remember" (after MarkApplied, before authz is told).
func WithFailPoint(f func(stage string) error) Option {
	return func(a *Applier) { a.failPoint = f }
}

// WithWriteChunk is for tests: it caps the updates of one
// WriteRelationships call below authz.MaxUpdatesPerWrite, to cross chunk
// boundaries with small outboxes.
func WithWriteChunk(n int) Option { return func(a *Applier) { a.writeChunk = n } }

// New returns an Applier of st's outboxes, writing through az.
func New(st store.Store, az *authz.Authz, opts ...Option) *Applier {
	a := &Applier{store: st, authz: az, log: slog.New(slog.NewTextHandler(io.Discard, nil)), timeout: 10 * time.Second}
	for _, o := range opts {
		o(a)
	}
	return a
}

func (a *Applier) point(stage string) error {
	if a.failPoint == nil {
		return nil
	}
	return a.failPoint(stage)
}

// Flush applies the organization's pending outbox entries to SpiceDB, in
// order, under the organization's outbox lock, and records the ZedToken so
// later reads see the change.
func (a *Applier) Flush(ctx context.Context, orgID string) error {
	return a.store.WithOutboxLock(ctx, orgID, func() error { return a.ApplyPending(ctx, orgID) })
}

// ApplyPending is Flush for a caller that already holds the organization's
// outbox lock (store.WithOutboxLock), such as a reconcile that must see
// SpiceDB and the store agree while no applier runs.
func (a *Applier) ApplyPending(ctx context.Context, orgID string) error {
	for {
		entries, err := a.store.PendingOutbox(ctx, orgID, batchSize)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		if len(entries) == 0 {
			return nil
		}
		err = a.applyBatch(ctx, orgID, entries)
		if a.observer != nil {
			a.observer(len(entries), err)
		}
		if err != nil {
			return err
		}
	}
}

func (a *Applier) applyBatch(ctx context.Context, orgID string, entries []store.OutboxEntry) error {
	updates := make([]rels.Update, len(entries))
	for i, e := range entries {
		updates[i] = e.Update
	}
	token, err := a.authz.Write(ctx, updates, authz.ChunkSize(a.writeChunk),
		authz.BeforeChunk(func() error { return a.point("write") }))
	if err != nil {
		return err
	}
	if err := a.point("mark"); err != nil {
		return err
	}
	if err := a.store.MarkApplied(ctx, orgID, entries[len(entries)-1].ID, token); err != nil {
		return fmt.Errorf("mark outbox applied: %w", err)
	}
	if err := a.point("remember"); err != nil {
		return err
	}
	a.remember(ctx, orgID, token)
	return nil
}

// Record records a write to the organization's graph made outside the
// outbox (a reconcile's repair): the organization's revision is bumped with
// its ZedToken, so that no decision cached before the write is served
// after it, and authz is told. The caller holds the organization's outbox
// lock.
func (a *Applier) Record(ctx context.Context, orgID, token string) error {
	// MarkApplied up to entry 0 removes no entry: it only bumps.
	if err := a.store.MarkApplied(ctx, orgID, 0, token); err != nil {
		return err
	}
	a.remember(ctx, orgID, token)
	return nil
}

// remember tells authz of a write whose revision the store has just
// bumped, read back from the organization.
func (a *Applier) remember(ctx context.Context, orgID, token string) {
	org, err := a.store.GetOrganization(ctx, orgID)
	if err != nil {
		// Tell nothing: callers read the organization (whose revision and
		// token MarkApplied already bumped) before every decision. A
		// made-up revision would be worse than none: decisions are cached
		// under the revision, so a revision that never moves again would
		// keep serving answers from before later revocations.
		a.log.Warn("outbox applied but the organization could not be re-read", "org", orgID, "err", err)
		return
	}
	a.authz.Remember(orgID, org.Revision, token)
}

// FlushAll applies every organization's pending entries; the background
// applier calls it so that a change committed while SpiceDB was down
// reaches it once it is back.
func (a *Applier) FlushAll(ctx context.Context) error {
	orgs, err := a.store.OrgsWithPending(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range orgs {
		if err := a.Flush(ctx, o); err != nil {
			errs = append(errs, fmt.Errorf("org %s: %w", o, err))
		}
	}
	return errors.Join(errs...)
}

// Run is the background applier: it flushes pending outbox entries every
// interval until ctx ends.
func (a *Applier) Run(ctx context.Context, interval time.Duration) {
	every.Tick(ctx, interval, func(ctx context.Context) bool {
		if err := a.FlushAll(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("outbox applier: will retry", "err", err)
		}
		return true
	})
}
