package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rolegraph/rolegraph/store"
)

// MarkCatalog does not touch the organization: no hot read (watch.go)
// holds the fingerprint, and a catalog sync marks every organization, each
// commit of which would otherwise wait for every replica's acknowledgement.
func (t *tx) MarkCatalog(ctx context.Context, orgID, fingerprint string) error {
	tags, err := t.write(ctx, "mark catalog", stmt{`UPDATE organizations SET catalog = $2 WHERE id = $1`, []any{orgID, fingerprint}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "organization", orgID)
}

func (t *tx) SaveCatalog(ctx context.Context, fingerprint string, derivation []string) error {
	_, err := t.write(ctx, "save catalog", stmt{`INSERT INTO catalogs (fingerprint, derivation) VALUES ($1, $2)
		ON CONFLICT (fingerprint) DO NOTHING`, []any{fingerprint, derivation}})
	return err
}

func (r reader) StaleCatalog(ctx context.Context, fingerprint string) ([]store.CatalogMark, error) {
	rows, err := r.q.Query(ctx, `SELECT id, catalog FROM organizations WHERE catalog <> $1 ORDER BY id`, fingerprint)
	if err != nil {
		return nil, mapErr("stale catalog", err)
	}
	marks, err := pgx.CollectRows(rows, pgx.RowToStructByPos[store.CatalogMark])
	return marks, mapErr("stale catalog", err)
}

func (r reader) CatalogsOf(ctx context.Context, orgIDs []string) (map[string]string, error) {
	rows, err := r.q.Query(ctx, `SELECT id, catalog FROM organizations WHERE id = ANY($1)`, orgIDs)
	if err != nil {
		return nil, mapErr("catalogs of organizations", err)
	}
	marks, err := pgx.CollectRows(rows, pgx.RowToStructByPos[store.CatalogMark])
	if err != nil {
		return nil, mapErr("catalogs of organizations", err)
	}
	out := make(map[string]string, len(marks))
	for _, m := range marks {
		out[m.OrgID] = m.Catalog
	}
	return out, nil
}

func (r reader) CatalogDerivation(ctx context.Context, fingerprint string) ([]string, error) {
	var d []string
	err := r.q.QueryRow(ctx, `SELECT derivation FROM catalogs WHERE fingerprint = $1`, fingerprint).Scan(&d)
	return d, mapErr(fmt.Sprintf("catalog %q", fingerprint), err)
}

// RecordCatalogChange touches every organization, as MarkApplied does:
// their revisions move, which hot reads (watch.go) must not outlive.
func (s *Store) RecordCatalogChange(ctx context.Context, orgIDs []string, fingerprint, zedToken string) (map[string]int64, error) {
	var revs map[string]int64
	err := s.InTx(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		revs = make(map[string]int64, len(orgIDs))
		for _, id := range orgIDs {
			t.touch(id)
		}
		rows, err := t.tx.Query(ctx, `UPDATE organizations SET revision = revision + 1, zed_token = $2, catalog = $3
			WHERE id = ANY($1) RETURNING id, revision`, orgIDs, zedToken, fingerprint)
		if err != nil {
			return mapErr("record catalog change", err)
		}
		var id string
		var rev int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &rev}, func() error { revs[id] = rev; return nil }); err != nil {
			return mapErr("record catalog change", err)
		}
		for _, id := range orgIDs {
			if _, ok := revs[id]; !ok {
				return fmt.Errorf("postgres: organization %q: %w", id, store.ErrNotFound)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return revs, nil
}
