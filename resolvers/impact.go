package resolvers

import (
	"context"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rolegraph/rolegraph/domain"
)

// impacts holds, for one request, the AccessDiff each change of it made,
// by the object the change returned (issue 12: a change's payload carries
// what it did). Keyed by pointer: only that very object shows its
// impact; the same role read another way shows none.
type impacts struct {
	mu    sync.Mutex
	diffs map[any]*domain.AccessDiff
}

// withImpact runs a change plainly, or — when the request selects impact
// on the change's result — through withDiff, keeping the diff for that
// result's impact field. Computing a diff costs a preview, so it is only
// done when asked for.
func withImpact[T any](ctx context.Context, plain func() (*T, error), withDiff func() (*T, *domain.AccessDiff, error)) (*T, error) {
	l := loadersOf(ctx)
	if l == nil || !slices.Contains(graphql.CollectAllFields(ctx), "impact") {
		return plain()
	}
	out, diff, err := withDiff()
	if err != nil {
		return nil, err
	}
	l.impacts.mu.Lock()
	defer l.impacts.mu.Unlock()
	if l.impacts.diffs == nil {
		l.impacts.diffs = map[any]*domain.AccessDiff{}
	}
	l.impacts.diffs[out] = diff
	return out, nil
}

// impactOf is the diff kept for obj by withImpact in this request, or nil.
func impactOf(ctx context.Context, obj any) *domain.AccessDiff {
	l := loadersOf(ctx)
	if l == nil {
		return nil
	}
	l.impacts.mu.Lock()
	defer l.impacts.mu.Unlock()
	return l.impacts.diffs[obj]
}
