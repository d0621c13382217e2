package memory

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// This file is the outbox: Enqueue, the one transactional write to it, and
// the applier's side (WithOutboxLock, PendingOutbox, OrgsWithPending,
// MarkApplied), which runs outside transactions. It is apart because the
// applier has its own lock and its own rules (ids only grow, MarkApplied
// is its own transaction), which the entity reads and writes never touch.

func (t *tx) Enqueue(ctx context.Context, orgID string, updates []rels.Update) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		if len(updates) == 0 {
			return nil
		}
		// Ids are not given back on rollback: they only need to increase,
		// and a gap is harmless.
		q := slices.Clip(od.outbox)
		for _, u := range updates {
			t.s.nextOutboxID++
			q = append(q, store.OutboxEntry{ID: t.s.nextOutboxID, OrgID: orgID, Update: u})
		}
		assign(&t.undo, &od.outbox, q)
		return nil
	})
}

func (s *Store) WithOutboxLock(ctx context.Context, orgID string, fn func() error) error {
	return s.WithOutboxLocks(ctx, []string{orgID}, fn)
}

func (s *Store) WithOutboxLocks(ctx context.Context, orgIDs []string, fn func() error) error {
	for _, id := range slices.Compact(slices.Sorted(slices.Values(orgIDs))) {
		unlock, err := s.outboxLocks.Lock(ctx, id)
		if err != nil {
			return fmt.Errorf("memory: outbox lock of %q: %w", id, err)
		}
		defer unlock()
	}
	return fn()
}

func (s *Store) PendingOutbox(ctx context.Context, orgID string, limit int) ([]store.OutboxEntry, error) {
	return read(ctx, s.view, func() ([]store.OutboxEntry, error) {
		var q []store.OutboxEntry
		if od := s.orgs[orgID]; od != nil {
			q = od.outbox
		}
		if limit > 0 && len(q) > limit {
			q = q[:limit]
		}
		// OutboxEntry holds only values (Update is plain strings), so a slice
		// copy is a deep copy.
		return append([]store.OutboxEntry{}, q...), nil
	})
}

func (s *Store) OrgsWithPending(ctx context.Context) ([]string, error) {
	return read(ctx, s.view, func() ([]string, error) {
		out := []string{}
		for id, od := range s.orgs {
			if len(od.outbox) > 0 {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out, nil
	})
}

// RecordCatalogChange is a transaction of its own, as MarkApplied is.
func (s *Store) RecordCatalogChange(ctx context.Context, orgIDs []string, fingerprint, zedToken string) (map[string]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range orgIDs {
		if s.orgs[id] == nil {
			return nil, notFound("organization", id)
		}
	}
	revs := make(map[string]int64, len(orgIDs))
	for _, id := range orgIDs {
		od := s.orgs[id]
		if _, done := revs[id]; !done {
			n := copyOrg(od.org)
			n.Revision++
			n.ZedToken = zedToken
			od.org = n
			od.catalog = fingerprint
		}
		revs[id] = od.org.Revision
	}
	return revs, nil
}

// MarkApplied is a transaction of its own, under the write lock, with
// nothing to undo: it cannot fail once it has found the organization.
func (s *Store) MarkApplied(ctx context.Context, orgID string, upTo int64, zedToken string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	od := s.orgs[orgID]
	if od == nil {
		return notFound("organization", orgID)
	}
	i := sort.Search(len(od.outbox), func(i int) bool { return od.outbox[i].ID > upTo })
	// Clone so the applied prefix's backing array can be freed.
	if rest := od.outbox[i:]; len(rest) > 0 {
		od.outbox = slices.Clone(rest)
	} else {
		od.outbox = nil
	}
	n := copyOrg(od.org)
	n.Revision++
	n.ZedToken = zedToken
	od.org = n
	return nil
}
