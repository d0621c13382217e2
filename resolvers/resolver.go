// Package resolvers is the GraphQL layer: each resolver guards (who is
// asking, from package identity), then makes one call into package domain,
// which authorizes and acts. Per-request loaders batch entity reads
// (domain.Loader, for fields of objects already reached) and permission
// flags (no N+1).
package resolvers

import (
	"context"
	"errors"
	"net/http"
	"sync"
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

// load is the unauthorized reads behind fields of objects a caller already
// reached (domain.Loader).
func (r *Resolver) load() domain.Loader { return r.Service.Loader() }

var (
	errUnauthenticated = errs.New(errs.Unauthenticated, "sign in: send Authorization: Bearer <token> for an active member")
	errServiceAsks     = errs.Denied("", "a service token may ask can, explain, whoCan, member, organization and organization.members about the members of its organization, nothing else: use a member token")
)

// caller is the member asking, or UNAUTHENTICATED (FORBIDDEN for a
// service, which is no member).
func caller(ctx context.Context) (domain.Caller, error) {
	p := identity.FromContext(ctx)
	switch {
	case p == nil:
		return domain.Caller{}, errUnauthenticated
	case p.Kind == identity.Service:
		return domain.Caller{}, errServiceAsks
	case p.Kind == identity.External:
		return domain.Caller{}, errs.New(errs.Unauthenticated,
			"no ACTIVE member of organization %q is bound to your sign-in (sub %q): accept your invitation with this token (acceptInvitation) first, or ask an administrator to invite you",
			p.OrgExternalID, p.Subject)
	case p.Kind != identity.Member || p.MemberID == "" || p.OrgID == "":
		return domain.Caller{}, errUnauthenticated
	}
	return domain.Caller{OrgID: p.OrgID, MemberID: p.MemberID}, nil
}

// asker is caller for the questions a service may ask too (can, whoCan,
// member, organization.members): a member, or a service of its
// organization. What a service may read is domain's rule.
func asker(ctx context.Context) (domain.Caller, error) {
	if p := identity.FromContext(ctx); p != nil && p.Kind == identity.Service && p.OrgID != "" && p.Service != "" {
		return domain.Caller{OrgID: p.OrgID, Service: p.Service}, nil
	}
	return caller(ctx)
}

// signIn is the OIDC sign-in a request carries (bound to a member or
// not), for acceptInvitation to bind; nil for rolegraph's own tokens and
// anonymous requests.
func signIn(ctx context.Context) *domain.SignIn {
	p := identity.FromContext(ctx)
	if p == nil || p.Subject == "" {
		return nil
	}
	return &domain.SignIn{OrgExternalID: p.OrgExternalID, Subject: p.Subject, Email: p.Email, EmailVerified: p.EmailVerified}
}

// --- loaders ---

type loadersKey struct{}

// loaders are one request's dataloaders, each built on its first use: most
// requests use none or one of them, and building all five on every
// request was about 6% of the handler's time under load (issue 15).
type loaders struct {
	orgID string
	svc   *domain.Service
	c     domain.Caller

	membersOnce, teamsOnce, viewerCanOnce, interactsOnce, rolesOnce sync.Once
	membersL                                                        *dataloadgen.Loader[string, *model.Member]
	teamsL                                                          *dataloadgen.Loader[string, *model.Team]
	viewerCanL                                                      *dataloadgen.Loader[string, domain.InteractionPermissions]
	interactsL                                                      *dataloadgen.Loader[string, *model.Interaction]
	rolesL                                                          *dataloadgen.Loader[string, *model.Role]
	impacts                                                         impacts // impact.go
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

// byID is a batch function that loads every key of a batch in one call,
// matching the rows to the keys by id (a key without one is not found).
func byID[T any](load func(ctx context.Context, keys []string) ([]T, error), id func(T) string) func(context.Context, []string) (map[string]T, error) {
	return func(ctx context.Context, keys []string) (map[string]T, error) {
		rows, err := load(ctx, keys)
		out := make(map[string]T, len(rows))
		for _, row := range rows {
			out[id(row)] = row
		}
		return out, err
	}
}

func newLoaders(svc *domain.Service, c domain.Caller) *loaders {
	return &loaders{orgID: c.OrgID, svc: svc, c: c}
}

func (l *loaders) members() *dataloadgen.Loader[string, *model.Member] {
	l.membersOnce.Do(func() {
		load := l.svc.Loader()
		members := func(ctx context.Context, keys []string) ([]*model.Member, error) {
			return load.MembersByID(ctx, l.c.OrgID, keys)
		}
		l.membersL = dataloadgen.NewMappedLoader(byID(members, memberID), dataloadgen.WithWait(loaderWait))
	})
	return l.membersL
}

// An organization has tens of teams and of roles: one listing serves every
// team or role field of a request.

func (l *loaders) teams() *dataloadgen.Loader[string, *model.Team] {
	l.teamsOnce.Do(func() {
		load := l.svc.Loader()
		allTeams := func(ctx context.Context, _ []string) ([]*model.Team, error) { return load.AllTeams(ctx, l.c.OrgID) }
		l.teamsL = dataloadgen.NewMappedLoader(byID(allTeams, func(t *model.Team) string { return t.ID }), dataloadgen.WithWait(loaderWait))
	})
	return l.teamsL
}

func (l *loaders) roles() *dataloadgen.Loader[string, *model.Role] {
	l.rolesOnce.Do(func() {
		load := l.svc.Loader()
		allRoles := func(ctx context.Context, _ []string) ([]*model.Role, error) { return load.AllRoles(ctx, l.c.OrgID) }
		l.rolesL = dataloadgen.NewMappedLoader(byID(allRoles, func(r *model.Role) string { return r.ID }), dataloadgen.WithWait(loaderWait))
	})
	return l.rolesL
}

func (l *loaders) interacts() *dataloadgen.Loader[string, *model.Interaction] {
	l.interactsOnce.Do(func() {
		load := l.svc.Loader()
		interactions := func(ctx context.Context, keys []string) ([]*model.Interaction, error) {
			return load.InteractionsByID(ctx, l.c.OrgID, keys)
		}
		l.interactsL = dataloadgen.NewMappedLoader(byID(interactions, func(i *model.Interaction) string { return i.ID }), dataloadgen.WithWait(loaderWait))
	})
	return l.interactsL
}

// viewerCan: all viewerCan flags of a page become one CheckBulkPermissions.
func (l *loaders) viewerCan() *dataloadgen.Loader[string, domain.InteractionPermissions] {
	l.viewerCanOnce.Do(func() {
		l.viewerCanL = dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([]domain.InteractionPermissions, []error) {
			perms, err := l.svc.ViewerCan(ctx, l.c, keys)
			if err != nil {
				return nil, []error{err}
			}
			return perms, nil
		}, dataloadgen.WithWait(loaderWait), dataloadgen.WithBatchCapacity(250))
	})
	return l.viewerCanL
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
	m, err := l.members().Load(ctx, id)
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
		thunks[i] = l.members().LoadThunk(ctx, id)
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
	ms, err := r.load().Memberships(ctx, m.OrgID, "", m.ID)
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
		return r.load().TeamByID(ctx, orgID, id)
	}
	t, err := l.teams().Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return t, err
}

// teamMembers lists a team's members (everyone in it, managers included)
// or only its managers.
func (r *Resolver) teamMembers(ctx context.Context, t *model.Team, managers bool) ([]*model.Member, error) {
	ms, err := r.load().Memberships(ctx, t.OrgID, t.ID, "")
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

// grantList reads a required grants argument: an empty list means no
// grants at all, never "left as it was" (nil).
func grantList(in []*model.Grant) []model.Grant {
	if g := grantValues(in); g != nil {
		return g
	}
	return []model.Grant{}
}

// grantValues reads an optional grants argument: nil when it was left out.
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
		l.viewerCan().Prime(i.ID, perms[k])
	}
	return nil
}
