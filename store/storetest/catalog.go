package storetest

import (
	"errors"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// The catalog fingerprint of each organization (MarkCatalog, StaleCatalog,
// CatalogsOf, RecordCatalogChange) and what each catalog derives
// (SaveCatalog, CatalogDerivation).

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
	of, err := h.s.CatalogsOf(h.ctx, []string{"o1", "o2", "nope"})
	h.ok(err, "CatalogsOf")
	eq(h, "CatalogsOf (the unknown organization left out)", of, map[string]string{"o1": "fp-1", "o2": ""})

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

func testRecordCatalogChange(h *h) {
	h.seed(org("o1"), org("o2"), org("o3"))
	before := map[string]*model.Organization{}
	for _, id := range []string{"o1", "o2", "o3"} {
		o, err := h.s.GetOrganization(h.ctx, id)
		h.ok(err, "GetOrganization")
		before[id] = o
	}
	revs, err := h.s.RecordCatalogChange(h.ctx, []string{"o1", "o3"}, "fp-2", "tok-9")
	h.ok(err, "RecordCatalogChange")
	eq(h, "revisions after RecordCatalogChange", revs, map[string]int64{"o1": before["o1"].Revision + 1, "o3": before["o3"].Revision + 1})
	for _, c := range []struct {
		id    string
		moved bool
	}{{"o1", true}, {"o2", false}, {"o3", true}} {
		got, err := h.s.GetOrganization(h.ctx, c.id)
		h.ok(err, "GetOrganization")
		want := *before[c.id]
		if c.moved {
			want.Revision, want.ZedToken = want.Revision+1, "tok-9"
		}
		eq(h, "organization "+c.id+" after RecordCatalogChange", *got, want)
	}
	stale, err := h.s.StaleCatalog(h.ctx, "fp-2")
	h.ok(err, "StaleCatalog")
	eq(h, "stale after RecordCatalogChange", stale, marks("", "o2"))

	// One unknown organization: nothing is recorded.
	_, err = h.s.RecordCatalogChange(h.ctx, []string{"o2", "nope"}, "fp-2", "tok-10")
	h.is(err, store.ErrNotFound, "RecordCatalogChange with an unknown organization")
	stale, err = h.s.StaleCatalog(h.ctx, "fp-2")
	h.ok(err, "StaleCatalog")
	eq(h, "stale after a failed RecordCatalogChange", stale, marks("", "o2"))
	got, err := h.s.GetOrganization(h.ctx, "o2")
	h.ok(err, "GetOrganization")
	eq(h, "o2 after a failed RecordCatalogChange", got.Revision, before["o2"].Revision)
}
