package resolvers

import (
	"context"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/graph/gqlmodel"
	"github.com/rolegraph/rolegraph/model"
)

// membersPage answers members(first, after, status, search, teamId), on
// Query and on Organization alike.
func (r *Resolver) membersPage(ctx context.Context, first *int, after *string, status *model.MemberStatus, search *string, teamID *string) (*gqlmodel.MemberConnection, error) {
	p, err := pageAs(ctx, asker, first, after)
	if err != nil {
		return nil, err
	}
	ms, total, err := r.Service.FindMembers(ctx, p.caller,
		domain.MemberSearch{Status: deref(status), Search: deref(search), TeamID: deref(teamID)}, p.storePage())
	if err != nil {
		return nil, err
	}
	edges, info := listed(p, ms, memberID, memberEdge)
	return &gqlmodel.MemberConnection{Edges: edges, PageInfo: info, TotalCount: total}, nil
}
