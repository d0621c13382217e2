package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// The Store's own listings by scope (a member's first page of interactions
// or evaluations, asked again on every visit) answer from process memory
// under the same rule as cached.go: valid only while no write to the
// organization has committed since the read (watch.go). They are kept
// apart from those answers and bounded on their own: a page is fifty rows,
// not one.

// maxListings bounds the cached listings (Store.lists); past it they
// start over.
const maxListings = 2000

// filterKey names a listing: the same filter and page, the same rows.
func filterKey(kind, orgID string, f store.ResourceFilter) string {
	teams := slices.Clone(f.TeamIDs)
	slices.Sort(teams)
	return fmt.Sprintf("%s\x00%s\x00%t\x00%s\x00%s\x00%s\x00%s\x00%d\x00%t",
		kind, orgID, f.All, strings.Join(teams, ","), f.InvolvedID, f.TeamID, f.After, f.Limit, f.NewestFirst)
}

// cachedList is one listing through the cache; clone copies what it hands
// out, since callers may change what they get.
func cachedList[T any](ctx context.Context, s *Store, key, orgID string, read func() ([]T, error), clone func(T) T) ([]T, error) {
	tok, ok := s.watch.token(orgID)
	if ok {
		if v, hit := s.lists.get(key, tok); hit {
			s.watch.hits.Add(1)
			rows := v.([]T)
			out := make([]T, len(rows))
			for k, r := range rows {
				out[k] = clone(r)
			}
			return out, nil
		}
	}
	rows, err := read()
	if err == nil && ok {
		kept := make([]T, len(rows))
		for k, r := range rows {
			kept[k] = clone(r)
		}
		s.lists.put(key, tok, kept)
	}
	return rows, err
}

// ListInteractionsWhere is reader.ListInteractionsWhere, cached.
func (s *Store) ListInteractionsWhere(ctx context.Context, orgID string, f store.ResourceFilter) ([]*model.Interaction, error) {
	return cachedList(ctx, s, filterKey("li", orgID, f), orgID,
		func() ([]*model.Interaction, error) { return s.reader.ListInteractionsWhere(ctx, orgID, f) },
		func(i *model.Interaction) *model.Interaction {
			c := *i
			c.AssigneeIDs = slices.Clone(i.AssigneeIDs)
			return &c
		})
}

// ListEvaluationsWhere is reader.ListEvaluationsWhere, cached.
func (s *Store) ListEvaluationsWhere(ctx context.Context, orgID string, f store.ResourceFilter) ([]*model.Evaluation, error) {
	return cachedList(ctx, s, filterKey("le", orgID, f), orgID,
		func() ([]*model.Evaluation, error) { return s.reader.ListEvaluationsWhere(ctx, orgID, f) },
		func(e *model.Evaluation) *model.Evaluation { c := *e; return &c })
}
