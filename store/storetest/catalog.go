package storetest

import (
	"errors"

	"github.com/rolegraph/rolegraph/store"
)

// The catalog fingerprint of each organization (MarkCatalog, StaleCatalog).

func testCatalogFingerprint(h *h) {
	h.seed(org("o1"), org("o2"), org("o3"))
	stale, err := h.s.StaleCatalog(h.ctx, "fp-1")
	h.ok(err, "StaleCatalog")
	eq(h, "never-marked organizations are stale", stale, []string{"o1", "o2", "o3"})

	h.inTx(func(tx store.Tx) error {
		if err := tx.MarkCatalog(h.ctx, "o1", "fp-1"); err != nil {
			return err
		}
		return tx.MarkCatalog(h.ctx, "o3", "fp-1")
	})
	stale, err = h.s.StaleCatalog(h.ctx, "fp-1")
	h.ok(err, "StaleCatalog")
	eq(h, "stale after marking o1 and o3", stale, []string{"o2"})
	stale, err = h.s.StaleCatalog(h.ctx, "fp-2")
	h.ok(err, "StaleCatalog")
	eq(h, "stale for another fingerprint", stale, []string{"o1", "o2", "o3"})

	// A mark rolled back with its transaction is not kept.
	rollback := errors.New("roll back")
	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		if err := tx.MarkCatalog(h.ctx, "o2", "fp-1"); err != nil {
			return err
		}
		return rollback
	})
	h.is(err, rollback, "InTx returning an error")
	stale, err = h.s.StaleCatalog(h.ctx, "fp-1")
	h.ok(err, "StaleCatalog")
	eq(h, "stale after a rolled-back mark", stale, []string{"o2"})

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.MarkCatalog(h.ctx, "nope", "fp-1") })
	h.is(err, store.ErrNotFound, "MarkCatalog(unknown organization)")

	// Marking leaves the organization as it was.
	before, err := h.s.GetOrganization(h.ctx, "o2")
	h.ok(err, "GetOrganization")
	h.inTx(func(tx store.Tx) error { return tx.MarkCatalog(h.ctx, "o2", "fp-1") })
	after, err := h.s.GetOrganization(h.ctx, "o2")
	h.ok(err, "GetOrganization")
	eq(h, "organization after MarkCatalog", after, before)
}
