package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// DefaultCatalogSyncConcurrency is how many organizations SyncCatalog
// reconciles at once by default. Each one holds two entity-store
// connections at its peak (the outbox lock's session and the snapshot
// transaction), so the limit is also capped at half the store's pool
// (poolSizer): a sync at the pool's size would leave every lock holder
// waiting for a connection no one releases.
const DefaultCatalogSyncConcurrency = 8

// poolSizer is a store with a bounded connection pool (store/postgres).
type poolSizer interface{ MaxConns() int }

// CatalogSync is what one SyncCatalog did.
type CatalogSync struct {
	Catalog string // the fingerprint synced to
	// Stale organizations were found (one query); Synced of them are now
	// on Catalog, Repaired of those had drifted. Changed of the synced were
	// brought over by their catalog's difference alone
	// (reconcile.ChangeCatalogs), the others by a comparison with SpiceDB.
	Stale, Synced, Repaired, Changed int
	Concurrency                      int
	Took                             time.Duration
	// Failed are the organizations left stale by an error; nil when the
	// sync was cut off before knowing (its retry takes every stale one).
	Failed []string
}

// LastCatalogSync is what the last SyncCatalog did (nil before the first):
// the one at start unless it failed and the background retried.
func (s *Server) LastCatalogSync() *CatalogSync { return s.catalogSync.Load() }

func (c Config) catalogSyncConcurrency(st any) int {
	n := c.CatalogSyncConcurrency
	if n <= 0 {
		n = DefaultCatalogSyncConcurrency
	}
	if p, ok := st.(poolSizer); ok {
		n = min(n, max(1, p.MaxConns()/2))
	}
	return n
}

// SyncCatalog reconciles, with repair, every organization whose grant,
// product and seat relationships were derived from another catalog than
// this server's (a release added a permission, or moved one behind a
// product or a seat): until then a new permission would be denied to
// roles that grant it, and a newly gated one still allowed. It compares
// only what a catalog derives (reconcile.ScopeCatalog: the organization,
// grant, product and seat objects — a few reads per organization, not one
// per member and resource; `rolegraph reconcile` compares everything).
// Organizations already on this catalog are skipped by one query (Store.StaleCatalog),
// so a normal restart costs that query whatever the number of tenants;
// stale ones are synced in parallel (catalogSyncConcurrency), and one
// organization's failure neither stops nor undoes the others'. It returns
// how many organizations it brought up to date.
//
// Every release saves what its catalog derives (store.Tx.SaveCatalog), so
// an organization marked with a catalog whose derivation was saved is
// brought over by the difference of the two catalogs, without reading its
// graph: catalogBatch organizations at a time, in one SpiceDB write and
// one store transaction (reconcile.ChangeCatalogs).
// Organizations made before catalogs were recorded, or marked by a release
// that saved nothing, are compared with SpiceDB and repaired.
func (s *Server) SyncCatalog(ctx context.Context) (int, error) {
	return s.syncCatalog(ctx, nil)
}

// syncCatalog is SyncCatalog over the stale organizations among only
// (every stale one when only is nil).
func (s *Server) syncCatalog(ctx context.Context, only []string) (int, error) {
	start := time.Now()
	fp := rels.CatalogFingerprint(s.Config.Catalog)
	err := s.Store.InTx(ctx, func(tx store.Tx) error { return tx.SaveCatalog(ctx, fp, reconcile.CatalogDerivation(s.Config.Catalog)) })
	if err != nil {
		return 0, fmt.Errorf("catalog sync: saving this catalog's derivation: %w", err)
	}
	stale, err := s.Store.StaleCatalog(ctx, fp)
	if err != nil {
		return 0, err
	}
	if only != nil {
		stale = slices.DeleteFunc(stale, func(m store.CatalogMark) bool { return !slices.Contains(only, m.OrgID) })
	}
	res := &CatalogSync{Catalog: fp, Stale: len(stale), Concurrency: s.Config.catalogSyncConcurrency(s.Store), Failed: []string{}}
	defer func() {
		res.Took = time.Since(start)
		s.catalogSync.Store(res)
	}()
	if len(stale) == 0 {
		return 0, nil
	}
	rec := reconcile.New(s.Store, s.Authz, s.Outbox, s.SpiceDB.Client, s.Config.Catalog)
	changes := s.catalogChanges(ctx, rec, stale)
	var (
		mu   sync.Mutex
		errs []error
	)
	failed := func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
		res.Failed = append(res.Failed, id)
	}
	done := func(rep *reconcile.Report, changed bool) {
		mu.Lock()
		defer mu.Unlock()
		res.Synced++
		if rep.Repaired {
			res.Repaired++
		}
		if changed {
			res.Changed++
		}
	}
	compare := func(id string) {
		rep, err := rec.OrgScope(ctx, id, true, reconcile.ScopeCatalog)
		switch {
		case err != nil:
			failed(id, fmt.Errorf("organization %s: %w", id, err))
		case !rep.After.Empty():
			failed(id, fmt.Errorf("organization %s: drift left after repair: %s", id, rep.After))
		default:
			done(rep, false)
		}
	}
	var change func(ids []string, c *reconcile.CatalogChange)
	change = func(ids []string, c *reconcile.CatalogChange) {
		reps, moved, err := rec.ChangeCatalogs(ctx, ids, c)
		if err != nil && len(ids) > 1 && ctx.Err() == nil {
			// One organization must not fail the others: each on its own.
			for _, id := range ids {
				change([]string{id}, c)
			}
			return
		}
		if err != nil {
			for _, id := range ids {
				failed(id, fmt.Errorf("organization %s: %w", id, err))
			}
			return
		}
		for _, rep := range reps {
			done(rep, true)
		}
		for _, id := range moved {
			compare(id)
		}
	}
	var g errgroup.Group
	g.SetLimit(res.Concurrency)
	for _, u := range catalogWork(stale, changes) {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if u.change != nil {
				change(u.ids, u.change)
			} else {
				compare(u.ids[0])
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines report through failed
	if err := ctx.Err(); err != nil && res.Synced+len(errs) < len(stale) {
		errs = append(errs, fmt.Errorf("catalog sync stopped after %d of %d organizations: %w", res.Synced+len(errs), len(stale), err))
		res.Failed = nil // unknown which: the retry reconciles every stale one
	}
	s.log.Info("catalog: organizations reconciled with this release's catalog", "catalog", fp,
		"stale", len(stale), "synced", res.Synced, "repaired", res.Repaired, "by difference", res.Changed, "concurrency", res.Concurrency,
		"took", time.Since(start).Round(time.Millisecond))
	return res.Synced, errors.Join(errs...)
}

// catalogChanges are the changes to this catalog from each catalog the
// stale organizations are marked with whose derivation was saved. One
// that cannot be read is left out: its organizations are compared instead.
func (s *Server) catalogChanges(ctx context.Context, rec *reconcile.Reconciler, stale []store.CatalogMark) map[string]*reconcile.CatalogChange {
	out := map[string]*reconcile.CatalogChange{}
	for _, m := range stale {
		if _, seen := out[m.Catalog]; seen || m.Catalog == "" {
			continue
		}
		out[m.Catalog] = nil
		d, err := s.Store.CatalogDerivation(ctx, m.Catalog)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err == nil {
			out[m.Catalog], err = rec.NewCatalogChange(m.Catalog, d)
		}
		if err != nil {
			s.log.Warn("catalog sync: comparing the organizations of a catalog whose derivation is unusable", "catalog", m.Catalog, "err", err)
		}
	}
	return out
}

// catalogBatch is how many organizations of one catalog a sync changes in
// one SpiceDB write and one store transaction (reconcile.ChangeCatalogs):
// a few updates each, under authz.MaxUpdatesPerWrite for a typical release.
const catalogBatch = 100

// catalogUnit is a part of a sync: organizations changed together, or one
// compared (change nil).
type catalogUnit struct {
	ids    []string
	change *reconcile.CatalogChange
}

// catalogWork divides the stale organizations into units: batches of those
// whose catalog's change is known, one unit for each other one.
func catalogWork(stale []store.CatalogMark, changes map[string]*reconcile.CatalogChange) []catalogUnit {
	var units []catalogUnit
	open := map[string]int{} // catalog -> index of its unit being filled
	for _, m := range stale {
		c := changes[m.Catalog]
		if c == nil {
			units = append(units, catalogUnit{ids: []string{m.OrgID}})
			continue
		}
		i, ok := open[m.Catalog]
		if !ok || len(units[i].ids) == catalogBatch {
			i = len(units)
			open[m.Catalog] = i
			units = append(units, catalogUnit{change: c})
		}
		units[i].ids = append(units[i].ids, m.OrgID)
	}
	return units
}

// retryCatalogSync syncs again what the last sync left undone and reports
// whether nothing is left: the organizations that failed, or every stale
// one when the last sync could not list them or was cut off. It never
// takes on organizations that became stale since: another release marked
// them, and an older release syncing them back to its own catalog would
// undo the newer one's repair during a rolling deploy (where the newer
// release gates a permission, allowing again what it denies) and the two
// would flap.
func (s *Server) retryCatalogSync(ctx context.Context) bool {
	last := s.LastCatalogSync()
	if last != nil && last.Failed != nil && len(last.Failed) == 0 {
		return true
	}
	var only []string
	if last != nil && last.Failed != nil {
		only = last.Failed
	}
	if _, err := s.syncCatalog(ctx, only); err != nil && ctx.Err() == nil {
		s.log.Warn("catalog sync: will retry", "err", err)
	}
	last = s.LastCatalogSync()
	return last != nil && last.Failed != nil && len(last.Failed) == 0
}

func (c Config) catalogRetryInterval() time.Duration {
	if c.CatalogRetryInterval <= 0 {
		return 30 * time.Second
	}
	return c.CatalogRetryInterval
}
