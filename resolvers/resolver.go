// Package resolvers is the GraphQL layer: each resolver guards (who is
// asking, from package identity), then makes one call into package domain,
// which authorizes and acts. Per-request loaders batch entity reads and
// permission flags (no N+1).
package resolvers

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/identity"
	"github.com/rolegraph/rolegraph/model"
)

// Resolver is the root resolver; it holds no per-request state.
type Resolver struct {
	Service *domain.Service
}

var errUnauthenticated = errs.New(errs.Unauthenticated, "sign in: send Authorization: Bearer <token> for an active member")

// caller is the member asking, or UNAUTHENTICATED.
func caller(ctx context.Context) (domain.Caller, error) {
	p := identity.FromContext(ctx)
	if p == nil || p.Kind != identity.Member || p.MemberID == "" || p.OrgID == "" {
		return domain.Caller{}, errUnauthenticated
	}
	return domain.Caller{OrgID: p.OrgID, MemberID: p.MemberID}, nil
}

// --- loaders ---

type loadersKey struct{}

type loaders struct {
	orgID     string
	members   *dataloadgen.Loader[string, *model.Member]
	teams     *dataloadgen.Loader[string, *model.Team]
	viewerCan *dataloadgen.Loader[string, domain.InteractionPermissions]
	interacts *dataloadgen.Loader[string, *model.Interaction]
	roles     *dataloadgen.Loader[string, *model.Role]
}

const loaderWait = 200 * time.Microsecond

// WithLoaders gives each request behind it its loaders, for the member
// identity.Middleware (which must run first) put in its context.
func (r *Resolver) WithLoaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if p := identity.FromContext(req.Context()); p != nil && p.OrgID != "" {
			c := domain.Caller{OrgID: p.OrgID, MemberID: p.MemberID}
			req = req.WithContext(context.WithValue(req.Context(), loadersKey{}, newLoaders(r.Service, c)))
		}
		next.ServeHTTP(w, req)
	})
}

func newLoaders(svc *domain.Service, c domain.Caller) *loaders {
	return &loaders{
		orgID: c.OrgID,
		members: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []string) (map[string]*model.Member, error) {
			ms, err := svc.MembersByID(ctx, c.OrgID, keys)
			out := make(map[string]*model.Member, len(ms))
			for _, m := range ms {
				out[m.ID] = m
			}
			return out, err
		}, dataloadgen.WithWait(loaderWait)),
		teams: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []string) (map[string]*model.Team, error) {
			out := make(map[string]*model.Team, len(keys))
			for _, k := range keys {
				t, err := svc.TeamByID(ctx, c.OrgID, k)
				if err != nil {
					return nil, err
				}
				if t != nil {
					out[k] = t
				}
			}
			return out, nil
		}, dataloadgen.WithWait(loaderWait)),
		interacts: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []string) (map[string]*model.Interaction, error) {
			is, err := svc.InteractionsByID(ctx, c.OrgID, keys)
			out := make(map[string]*model.Interaction, len(is))
			for _, i := range is {
				out[i.ID] = i
			}
			return out, err
		}, dataloadgen.WithWait(loaderWait)),
		// An organization has tens of roles: one listing serves every
		// member's roles field in a request.
		roles: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []string) (map[string]*model.Role, error) {
			rs, err := svc.AllRoles(ctx, c.OrgID)
			out := make(map[string]*model.Role, len(rs))
			for _, r := range rs {
				out[r.ID] = r
			}
			return out, err
		}, dataloadgen.WithWait(loaderWait)),
		// All viewerCan flags of a page become one CheckBulkPermissions.
		viewerCan: dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([]domain.InteractionPermissions, []error) {
			perms, err := svc.ViewerCan(ctx, c, keys)
			if err != nil {
				return nil, []error{err}
			}
			return perms, nil
		}, dataloadgen.WithWait(loaderWait), dataloadgen.WithBatchCapacity(250)),
	}
}

func loadersOf(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// removedMember stands in for a member who was removed but still owns or
// evaluated something: the interaction stays, its owner shows as removed.
func removedMember(orgID, id string) *model.Member {
	return &model.Member{ID: id, OrgID: orgID, Name: "Removed member", Status: model.StatusDeactivated}
}

func (r *Resolver) member(ctx context.Context, id string) (*model.Member, error) {
	if id == "" {
		return nil, nil
	}
	l := loadersOf(ctx)
	if l == nil {
		return nil, errUnauthenticated
	}
	m, err := l.members.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) || (err == nil && m == nil) {
		return removedMember(l.orgID, id), nil
	}
	return m, err
}

// membersOf loads members in order, leaving out removed ones.
func (r *Resolver) membersOf(ctx context.Context, idList []string) ([]*model.Member, error) {
	l := loadersOf(ctx)
	if l == nil {
		return nil, errUnauthenticated
	}
	thunks := make([]func() (*model.Member, error), len(idList))
	for i, id := range idList {
		thunks[i] = l.members.LoadThunk(ctx, id)
	}
	out := make([]*model.Member, 0, len(idList))
	for _, t := range thunks {
		m, err := t()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

func timeString(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// pageSize reads a connection's first argument: 50 by default, at most
// domain.MaxPageSize.
func pageSize(first *int) (int, error) {
	if first == nil {
		return 50, nil
	}
	if *first < 1 || *first > domain.MaxPageSize {
		return 0, errs.BadInput("first", "first must be between 1 and %d", domain.MaxPageSize)
	}
	return *first, nil
}

// teamsOf lists a member's teams, or only those they manage.
func (r *Resolver) teamsOf(ctx context.Context, m *model.Member, managed bool) ([]*model.Team, error) {
	ms, err := r.Service.Memberships(ctx, m.OrgID, "", m.ID)
	if err != nil {
		return nil, err
	}
	var out []*model.Team
	for _, x := range ms {
		if managed && !x.Manager {
			continue
		}
		t, err := r.team(ctx, m.OrgID, x.TeamID)
		if err != nil {
			return nil, err
		}
		if t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

func (r *Resolver) team(ctx context.Context, orgID, id string) (*model.Team, error) {
	if id == "" {
		return nil, nil
	}
	l := loadersOf(ctx)
	if l == nil {
		return r.Service.TeamByID(ctx, orgID, id)
	}
	t, err := l.teams.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return t, err
}

// teamMembers lists a team's members (everyone in it, managers included)
// or only its managers.
func (r *Resolver) teamMembers(ctx context.Context, t *model.Team, managers bool) ([]*model.Member, error) {
	ms, err := r.Service.Memberships(ctx, t.OrgID, t.ID, "")
	if err != nil {
		return nil, err
	}
	var idList []string
	for _, m := range ms {
		if !managers || m.Manager {
			idList = append(idList, m.MemberID)
		}
	}
	return r.membersOf(ctx, idList)
}

func grantValues(in []*model.Grant) []model.Grant {
	if in == nil {
		return nil
	}
	out := make([]model.Grant, 0, len(in))
	for _, g := range in {
		if g != nil {
			out = append(out, *g)
		}
	}
	return out
}

// optionalID reads an optional ID argument: absent is "", but an explicit
// empty string is a malformed id, not the argument left out (the domain
// takes "" as absent, so it would otherwise change the call's meaning).
func optionalID(field string, p *string) (string, error) {
	if p != nil && *p == "" {
		return "", errs.BadInput(field, "%s must not be empty: leave it out instead", field)
	}
	return deref(p), nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// selects reports whether the field being resolved selects the given path
// of fields below it, through fragments too.
func selects(ctx context.Context, path ...string) bool {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil || fc.Field.Field == nil {
		return false
	}
	set := fc.Field.Selections
	for _, name := range path {
		var next ast.SelectionSet
		found := false
		for _, f := range graphql.CollectFields(oc, set, nil) {
			if f.Name == name {
				next, found = f.Selections, true
				break
			}
		}
		if !found {
			return false
		}
		set = next
	}
	return true
}

// prefetchViewerCan answers the viewerCan flags of a whole page in one bulk
// call when the query asks for them, and primes the loader the per-node
// resolvers read: the page knows its order and that every item on it is
// readable, which the loader's batches do not.
func (r *interactionConnectionResolver) prefetchViewerCan(ctx context.Context, page *domain.InteractionPage) error {
	l := loadersOf(ctx)
	if l == nil || len(page.Items) == 0 || !selects(ctx, "node", "viewerCan") {
		return nil
	}
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	perms, err := r.Service.PageViewerCan(ctx, c, page)
	if err != nil {
		return err
	}
	for k, i := range page.Items {
		l.viewerCan.Prime(i.ID, perms[k])
	}
	return nil
}
