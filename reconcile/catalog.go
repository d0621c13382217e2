package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
)

// probeOrg is the organization CatalogDerivation derives for. Every id a
// catalog derives is the organization's own or starts with it and "_"
// (rels.GrantID, ProductID, SeatID), so the derivation moves onto any
// organization by replacing that prefix.
const probeOrg = "catalog-probe"

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

// ErrCatalogMoved: the organization's mark is neither the change's From
// nor its To any more (another release synced it meanwhile); only a full
// comparison (Reconciler.OrgScope) can bring it to the catalog now.
var ErrCatalogMoved = errors.New("reconcile: the organization's catalog changed since it was listed")

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

// ChangeCatalog brings an organization marked with c.From to c.To by
// writing c's difference, without reading its graph: the mark says SpiceDB
// holds what c.From derives (the catalog sync, reconcile and organization
// creation record it only then), and nothing else derives a relationship a
// catalog does. It holds the outbox lock, applies what is pending first (an
// organization's creation writes its catalog's relationships) and checks
// the mark again under it; an organization already on c.To is left alone
// (Report.Drift empty), one on a third catalog is ErrCatalogMoved. Like
// OrgScope it bumps the revision after writing and marks c.To last.
func (r *Reconciler) ChangeCatalog(ctx context.Context, orgID string, c *CatalogChange) (*Report, error) {
	rep := &Report{OrgID: orgID}
	err := r.store.WithOutboxLock(ctx, orgID, func() error {
		if err := r.outbox.ApplyPending(ctx, orgID); err != nil {
			return fmt.Errorf("reconcile: applying the pending outbox first: %w", err)
		}
		switch mark, err := r.store.CatalogOf(ctx, orgID); {
		case err != nil:
			return fmt.Errorf("reconcile: catalog of %s: %w", orgID, err)
		case mark == c.To:
			return nil
		case mark != c.From:
			return fmt.Errorf("%w: %q, not %q", ErrCatalogMoved, mark, c.From)
		}
		rep.Drift = c.on(orgID)
		if rep.Drift.Empty() {
			return r.markCatalog(ctx, orgID)
		}
		token, err := Repair(ctx, r.authz, rep.Drift)
		if err != nil {
			return fmt.Errorf("reconcile: writing the catalog change: %w", err)
		}
		if err := r.outbox.Record(ctx, orgID, token); err != nil {
			return fmt.Errorf("reconcile: catalog changed, but bumping the revision failed: %w", err)
		}
		rep.Repaired = true
		return r.markCatalog(ctx, orgID)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
