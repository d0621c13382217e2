// Package memory is the embedded store.Store: maps guarded by one RWMutex.
//
// A transaction holds the write lock from start to end, so transactions are
// serial and see their own writes trivially. Atomicity comes from undo
// closures: every write records how to put back what it replaced, and a
// failed transaction replays them in reverse. Stored values are never
// changed in place (a write swaps in a fresh copy), which is what makes an
// undo closure a pointer swap and keeps a transaction's cost proportional to
// what it writes, not to the size of the store.
//
// The files follow SpiceDB's memdb datastore: this one has the Store, its
// constructor and InTx; data.go the data, its indexes and the undo log;
// readonly.go the reads (view), shared by the Store and a transaction;
// readwrite.go the transaction's writes (tx); outbox.go the outbox;
// copy.go the copies values go in and out through.
//
// While fn runs inside InTx, the Store's own methods must not be called from
// the same goroutine (they would wait for the lock fn's transaction holds);
// use the Tx.
package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/keylock"
)

// Store is the in-memory backend. The zero value is not usable; call New.
type Store struct {
	view

	mu           sync.RWMutex
	orgs         map[string]*orgData
	orgExternal  map[string]string // Organization.ExternalID -> id
	invitations  map[string]*model.Invitation
	catalogs     map[string][]string // SaveCatalog: fingerprint -> derivation
	nextOutboxID int64

	outboxLocks keylock.Locks
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	s := &Store{
		orgs:        map[string]*orgData{},
		orgExternal: map[string]string{},
		invitations: map[string]*model.Invitation{},
		catalogs:    map[string][]string{},
	}
	s.view = view{s: s}
	return s
}

var errTxDone = errors.New("memory: transaction already ended")

func notFound(what, id string) error {
	return fmt.Errorf("memory: %s %q: %w", what, id, store.ErrNotFound)
}

func conflict(what, id string) error {
	return fmt.Errorf("memory: %s %q: %w", what, id, store.ErrConflict)
}

// InTx holds the write lock for the whole of fn: transactions run one at a
// time, and readers outside wait for them, so nobody sees half a
// transaction.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tx{}
	t.view = view{s: s, tx: t}
	committed := false
	defer func() {
		// Also on panic: the lock is released with the state as it was.
		if !committed {
			t.undo.rollbackTo(0)
		}
		t.done = true
	}()
	if err := fn(t); err != nil {
		return err
	}
	// Postgres cannot commit on a dead context; neither do we, so callers
	// see the same outcome on both backends.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: commit: %w", err)
	}
	committed = true
	return nil
}

func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

func (s *Store) Close() {}
