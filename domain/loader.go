package domain

import (
	"context"
	"errors"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Loader reads entities by id with NO authorization: it is only for
// resolving the fields of objects a caller was already allowed to reach
// (an interaction's owner, a member's roles and teams, a team's parent),
// which is what the GraphQL layer's per-request dataloaders batch. Every
// decision stays on Service, whose operations take a Caller: anything a
// caller names by id, or lists, goes there. Kept apart so that Service's
// method set is what is authorized, and so that a use of Loader stands out.
type Loader struct{ s *Service }

// Loader is the service's unauthorized reads (see type Loader).
func (s *Service) Loader() Loader { return Loader{s} }

// Organization is an organization by id, read once per request like the
// caller's (Service.Organization): a member's isOwner answers by the
// member's own organization, even before its caller has a token
// (acceptInvitation).
func (l Loader) Organization(ctx context.Context, orgID string) (*model.Organization, error) {
	return l.s.Organization(ctx, Caller{OrgID: orgID})
}

// MembersByID loads members in the order asked; unknown ids are left out.
func (l Loader) MembersByID(ctx context.Context, orgID string, memberIDs []string) ([]*model.Member, error) {
	ms, err := l.s.store.GetMembers(ctx, orgID, memberIDs)
	return ms, storeErr(err)
}

// TeamByID loads a team; nil when it does not exist.
func (l Loader) TeamByID(ctx context.Context, orgID, teamID string) (*model.Team, error) {
	t, err := l.s.store.GetTeam(ctx, orgID, teamID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return t, storeErr(err)
}

// AllTeams lists an organization's teams: an organization has tens, so
// one listing serves every team field of a request.
func (l Loader) AllTeams(ctx context.Context, orgID string) ([]*model.Team, error) {
	ts, err := l.s.store.ListTeams(ctx, orgID)
	return ts, storeErr(err)
}

// Memberships lists memberships of a team or of a member.
func (l Loader) Memberships(ctx context.Context, orgID, teamID, memberID string) ([]*model.TeamMembership, error) {
	ms, err := l.s.store.ListMemberships(ctx, orgID, teamID, memberID)
	return ms, storeErr(err)
}

// InteractionsByID loads interactions in the order asked; unknown ids are
// left out.
func (l Loader) InteractionsByID(ctx context.Context, orgID string, idList []string) ([]*model.Interaction, error) {
	is, err := l.s.store.GetInteractions(ctx, orgID, idList)
	return is, storeErr(err)
}

// RolesByID loads roles, refusing unknown ids.
func (l Loader) RolesByID(ctx context.Context, orgID string, roleIDs []string) ([]*model.Role, error) {
	rs, err := rolesIn(ctx, l.s.store, orgID, "roleIds", roleIDs)
	return rs, storeErr(err)
}

// AllRoles lists an organization's roles: an organization has tens, so
// one listing serves every member's roles field in a request.
func (l Loader) AllRoles(ctx context.Context, orgID string) ([]*model.Role, error) {
	rs, err := l.s.store.ListRoles(ctx, orgID)
	return rs, storeErr(err)
}

// RoleMemberCount counts the role's holders.
func (l Loader) RoleMemberCount(ctx context.Context, orgID, roleID string) (int, error) {
	n, err := l.s.store.CountRoleHolders(ctx, orgID, roleID)
	return n, storeErr(err)
}
