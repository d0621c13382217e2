package storetest

import (
	"errors"

	"github.com/rolegraph/rolegraph/store"
)

// The catalog fingerprint of each organization (MarkCatalog, StaleCatalog,
// CatalogOf) and what each catalog derives (SaveCatalog, CatalogDerivation).

// marks is StaleCatalog's answer of organizations marked fp.
func marks(fp string, ids ...string) []store.CatalogMark {
	out := make([]store.CatalogMark, len(ids))
	for i, id := range ids {
		out[i] = store.CatalogMark{OrgID: id, Catalog: fp}
	}
	return out
}

func testCatalogFingerprint(h *h) {
	h.seed(org("o1"), org("o2"), org("o3"))
	stale, err := h.s.StaleCatalog(h.ctx, "fp-1")
	h.ok(err, "StaleCatalog")
	eq(h, "never-marked organizations are stale", stale, marks("", "o1", "o2", "o3"))

	h.inTx(func(tx store.Tx) error {
		if err := tx.MarkCatalog(h.ctx, "o1", "fp-1"); err != nil {
			return err
		}
		return tx.MarkCatalog(h.ctx, "o3", "fp-1")
	})
	stale, err = h.s.StaleCatalog(h.ctx, "fp-1")
	h.ok(err, "StaleCatalog")
	eq(h, "stale after marking o1 and o3", stale, marks("", "o2"))
	stale, err = h.s.StaleCatalog(h.ctx, "fp-2")
	h.ok(err, "StaleCatalog")
	eq(h, "stale for another fingerprint", stale, []store.CatalogMark{{OrgID: "o1", Catalog: "fp-1"}, {OrgID: "o2"}, {OrgID: "o3", Catalog: "fp-1"}})
	for _, c := range []struct{ org, want string }{{"o1", "fp-1"}, {"o2", ""}, {"o3", "fp-1"}} {
		got, err := h.s.CatalogOf(h.ctx, c.org)
		h.ok(err, "CatalogOf")
		eq(h, "CatalogOf("+c.org+")", got, c.want)
	}
	_, err = h.s.CatalogOf(h.ctx, "nope")
	h.is(err, store.ErrNotFound, "CatalogOf(unknown organization)")

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
	eq(h, "stale after a rolled-back mark", stale, marks("", "o2"))

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

func testCatalogDerivation(h *h) {
	_, err := h.s.CatalogDerivation(h.ctx, "fp-1")
	h.is(err, store.ErrNotFound, "CatalogDerivation of a catalog never saved")

	h.inTx(func(tx store.Tx) error { return tx.SaveCatalog(h.ctx, "fp-1", []string{"a", "b"}) })
	// The first save stays: a second one of the same fingerprint (another
	// replica of the same release) changes nothing.
	h.inTx(func(tx store.Tx) error { return tx.SaveCatalog(h.ctx, "fp-1", []string{"c"}) })
	got, err := h.s.CatalogDerivation(h.ctx, "fp-1")
	h.ok(err, "CatalogDerivation")
	eq(h, "derivation of fp-1", got, []string{"a", "b"})

	// A save rolled back with its transaction is not kept.
	rollback := errors.New("roll back")
	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		if err := tx.SaveCatalog(h.ctx, "fp-2", []string{"x"}); err != nil {
			return err
		}
		return rollback
	})
	h.is(err, rollback, "InTx returning an error")
	_, err = h.s.CatalogDerivation(h.ctx, "fp-2")
	h.is(err, store.ErrNotFound, "CatalogDerivation after a rolled-back save")
}
