package resolvers

import (
	"context"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/graph/gqlmodel"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Every paged field (members, auditLog, interactions, evaluations) starts
// the same way — the guard, then first and after read — and every Relay
// connection ends the same way: one edge per node, whose cursor resumes
// right after it, and a pageInfo. Written once here, whatever the nodes.

// pageArgs are a paged field's arguments, read, for the member asking.
type pageArgs struct {
	caller domain.Caller
	limit  int
	after  string
}

// pageOf is the guard of a paged field and its first and after read.
func pageOf(ctx context.Context, first *int, after *string) (pageArgs, error) {
	return pageAs(ctx, caller, first, after)
}

// pageAs is pageOf with another guard (asker: a service may list too).
func pageAs(ctx context.Context, guard func(context.Context) (domain.Caller, error), first *int, after *string) (pageArgs, error) {
	c, err := guard(ctx)
	if err != nil {
		return pageArgs{}, err
	}
	limit, err := pageSize(first)
	if err != nil {
		return pageArgs{}, err
	}
	return pageArgs{caller: c, limit: limit, after: deref(after)}, nil
}

// storePage asks a store listing for one node more than the page: the
// extra one only says that there is a next page (listed drops it).
func (p pageArgs) storePage() store.Page {
	return store.Page{After: p.after, Limit: p.limit + 1}
}

// listed is the edges and pageInfo of a listing asked with storePage,
// where a node's cursor is its id.
func listed[N, E any](p pageArgs, nodes []N, id func(N) string, edge func(cursor string, node N) E) ([]E, *gqlmodel.PageInfo) {
	hasNext := len(nodes) > p.limit
	if hasNext {
		nodes = nodes[:p.limit]
	}
	end := ""
	if len(nodes) > 0 {
		end = id(nodes[len(nodes)-1])
	}
	return edgesOf(nodes, func(k int) string { return id(nodes[k]) }, edge), pageInfo(hasNext, end)
}

// edgesOf is one edge per node, with the cursor that resumes right after
// it; never nil (edges is a non-null list).
func edgesOf[N, E any](nodes []N, cursor func(k int) string, edge func(cursor string, node N) E) []E {
	out := make([]E, len(nodes))
	for k, n := range nodes {
		out[k] = edge(cursor(k), n)
	}
	return out
}

func pageInfo(hasNext bool, endCursor string) *gqlmodel.PageInfo {
	return &gqlmodel.PageInfo{HasNextPage: hasNext, EndCursor: nonEmpty(endCursor)}
}

func memberID(m *model.Member) string    { return m.ID }
func auditID(e *model.AuditEvent) string { return e.ID }

func memberEdge(cursor string, m *model.Member) *gqlmodel.MemberEdge {
	return &gqlmodel.MemberEdge{Cursor: cursor, Node: m}
}

func auditEdge(cursor string, e *model.AuditEvent) *gqlmodel.AuditEventEdge {
	return &gqlmodel.AuditEventEdge{Cursor: cursor, Node: e}
}

func interactionEdge(cursor string, i *model.Interaction) *gqlmodel.InteractionEdge {
	return &gqlmodel.InteractionEdge{Cursor: cursor, Node: i}
}
