package reconcile

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// probeOrg is the organization CatalogDerivation derives for: the one of
// rels.CatalogFingerprint, so that a saved derivation can be checked
// against its fingerprint. Every id a catalog derives is the
// organization's own or starts with it and "_" (rels.GrantID, ProductID,
// SeatID), so the derivation moves onto any organization by replacing
// that prefix.
const probeOrg = rels.CatalogProbe

// CatalogDerivation is what cat derives for an organization with neither
// owner nor products, as sorted relationship strings of a probe
// organization: the part of rels.Organization that depends on the catalog
// (an owner and enabled products derive the same under every catalog).
// Each release saves its own by fingerprint (store.Tx.SaveCatalog), so
// that a later one can sync the organizations marked with it by the
// difference alone (NewCatalogChange).
func CatalogDerivation(cat *catalog.Catalog) []string {
	rs := rels.Organization(cat, &model.Organization{ID: probeOrg}).Sorted()
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// CatalogChange is what brings an organization's catalog-derived
// relationships from one catalog to another: the same for every
// organization up to its id, so it is computed once per pair of catalogs.
type CatalogChange struct {
	From, To string // fingerprints
	// touch and remove are the probe organization's relationships only To
	// and only From derive.
	touch, remove []rels.Relationship
}

// NewCatalogChange is the change from the catalog of fingerprint from,
// whose derivation the release that ran it saved, to the Reconciler's.
func (r *Reconciler) NewCatalogChange(from string, derivation []string) (*CatalogChange, error) {
	before := rels.NewSet()
	for _, s := range derivation {
		x, err := rels.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("reconcile: saved derivation of catalog %s: %w", from, err)
		}
		before.Add(x)
	}
	// The derivation must be the one its fingerprint says (with every
	// product enabled, as the fingerprint counts them): a change computed
	// from anything else would not be exact.
	products := rels.Organization(r.catalog, &model.Organization{ID: probeOrg, Products: model.AllProducts})
	for k := range rels.Organization(r.catalog, &model.Organization{ID: probeOrg}) {
		delete(products, k) // what enabling every product adds, the same under any catalog
	}
	if got := rels.Fingerprint(rels.Union(before, products)); got != from {
		return nil, fmt.Errorf("reconcile: the saved derivation of catalog %s has fingerprint %s", from, got)
	}
	after := rels.NewSet()
	for _, s := range CatalogDerivation(r.catalog) {
		x, err := rels.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("reconcile: derivation of this catalog: %w", err)
		}
		after.Add(x)
	}
	d := Diff(after, before)
	return &CatalogChange{From: from, To: r.fp, touch: d.Missing, remove: d.Extra}, nil
}

// on is the change's drift for one organization: the probe's ids moved
// onto orgID.
func (c *CatalogChange) on(orgID string) Drift {
	move := func(rs []rels.Relationship) []rels.Relationship {
		out := make([]rels.Relationship, len(rs))
		for i, x := range rs {
			x.ResourceID, x.SubjectID = rebase(x.ResourceID, orgID), rebase(x.SubjectID, orgID)
			out[i] = x
		}
		return out
	}
	return Drift{Missing: move(c.touch), Extra: move(c.remove)}
}

func rebase(id, orgID string) string {
	if id == probeOrg {
		return orgID
	}
	if rest, ok := strings.CutPrefix(id, probeOrg+"_"); ok {
		return orgID + "_" + rest
	}
	return id
}

// ChangeCatalogs brings organizations marked with c.From to c.To by
// writing c's difference for each, without reading their graphs: the mark
// says SpiceDB holds what c.From derives (the catalog sync, reconcile and
// organization creation record it only then), and nothing else derives a
// relationship a catalog does. It holds their outbox locks, applies what
// is pending first (an organization's creation writes its catalog's
// relationships) and reads the marks again under them, then writes every
// organization's difference in one SpiceDB write (chunked by authz.Write)
// and records, in one store transaction, each one's revision bump and its
// mark. An organization already on c.To gets an empty report; one on
// another catalog is left alone and returned in moved (only a comparison,
// OrgScope, can bring it over now). An error leaves every organization
// unmarked, which a later sync retries.
func (r *Reconciler) ChangeCatalogs(ctx context.Context, orgIDs []string, c *CatalogChange) (reps []*Report, moved []string, err error) {
	err = r.store.WithOutboxLocks(ctx, orgIDs, func() error {
		pending, err := r.store.OrgsWithPending(ctx)
		if err != nil {
			return fmt.Errorf("reconcile: read outbox: %w", err)
		}
		for _, id := range pending {
			if slices.Contains(orgIDs, id) {
				if err := r.outbox.ApplyPending(ctx, id); err != nil {
					return fmt.Errorf("reconcile: applying %s's pending outbox first: %w", id, err)
				}
			}
		}
		marks, err := r.store.CatalogsOf(ctx, orgIDs)
		if err != nil {
			return fmt.Errorf("reconcile: catalogs of the organizations: %w", err)
		}
		var changed []string
		var updates []rels.Update
		for _, id := range orgIDs {
			switch marks[id] {
			case c.To:
				reps = append(reps, &Report{OrgID: id})
			case c.From:
				d := c.on(id)
				reps = append(reps, &Report{OrgID: id, Drift: d, Repaired: !d.Empty()})
				changed = append(changed, id)
				updates = append(updates, d.Updates()...)
			default:
				moved = append(moved, id)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if len(updates) == 0 {
			// Two catalogs of different fingerprints derive differently, so
			// this is only a change to the same derivation saved twice.
			return r.store.InTx(ctx, func(tx store.Tx) error {
				for _, id := range changed {
					if err := tx.MarkCatalog(ctx, id, c.To); err != nil {
						return err
					}
				}
				return nil
			})
		}
		token, err := r.authz.Write(ctx, updates)
		if err != nil {
			return fmt.Errorf("reconcile: writing the catalog change: %w", err)
		}
		// Decisions are cached under each organization's revision: bump
		// them, so nothing cached under the previous catalog is served.
		revs, err := r.store.RecordCatalogChange(ctx, changed, c.To, token)
		if err != nil {
			return fmt.Errorf("reconcile: catalog changed, but recording it failed: %w", err)
		}
		for id, rev := range revs {
			r.authz.Remember(id, rev, token)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return reps, moved, nil
}
