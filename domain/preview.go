package domain

// Previews (issue 12): what a role edit, a member's new roles or a product
// switch would do, member by member, before it is saved. A preview runs
// the very guards of the change it previews (same errors for the same
// input) and then writes nothing: no relationship, no audit event, no
// revision.
//
// How it stays exact without asking SpiceDB about a graph that does not
// exist yet: effective grants are derived from the entities the change
// would write, with the combination rule schema.zed encodes (a member's
// scope of a permission is the widest over the roles they hold while
// ACTIVE, ALL for the owner, clamped to the action's scopes, and nothing
// unless the action's product is enabled and its seat held — see
// effectiveGrants). What a member sees at a scope only depends on the
// organization's structure, which none of these changes touch, so the
// visible sets are sizes the store counts (per team, and per team for each
// member whose read scopes move) combined with the teams' audiences
// (visibility): nothing is listed, which at 100k interactions was most of
// a preview's time. The property test
// (e2e/preview_property_test.go) holds this against what SpiceDB answers
// after the change is applied.

import (
	"context"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// AccessDiff is what a change would do to everyone's access.
type AccessDiff struct {
	// Members are the members whose effective access changes, in the
	// organization's member order.
	Members []*MemberAccessChange
}

// MembersAffected is how many members' access changes.
func (d *AccessDiff) MembersAffected() int { return len(d.Members) }

// MemberAccessChange is one member's side of an AccessDiff.
type MemberAccessChange struct {
	Member *model.Member
	// Gained are the permissions whose scope widens, Lost those whose scope
	// narrows (To DISABLED when it goes), in catalog order.
	Gained, Lost []GrantChange
	// How many interactions and evaluations the member newly sees (reads)
	// or stops seeing.
	InteractionsGained, InteractionsLost int
	EvaluationsGained, EvaluationsLost   int
}

// GrantChange is one permission's effective scope before and after.
type GrantChange struct {
	Permission string
	From, To   model.Scope
}

// The permissions whose scope decides what a member sees in the counts.
const (
	readInteractions = "interactions.read"
	readEvaluations  = "evaluations.read"
)

// PreviewRoleGrants is what setRoleGrants(roleID, grants) would do.
func (s *Service) PreviewRoleGrants(ctx context.Context, c Caller, roleID string, grants []model.Grant) (*AccessDiff, error) {
	// The order of setRoleGrants: the matrix, the id, the role, its guards.
	g, err := s.validGrants("grants", grants)
	if err != nil {
		return nil, err
	}
	if err := id("roleId", roleID, ids.Role); err != nil {
		return nil, err
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	r, err := roleFor(ctx, s.store, org, "roleId", roleID)
	if err != nil {
		return nil, storeErr(err)
	}
	if err := s.guardRoleEdit(ctx, s.store, c, org, r); err != nil {
		return nil, storeErr(err)
	}
	edited := *r
	if err := setGrants(org, &edited, g); err != nil {
		return nil, err
	}
	if err := s.guardGrants(ctx, c, org, edited.Grants); err != nil {
		return nil, err
	}
	return s.previewWorld(ctx, s.store, org, func(w *world) { w.roles[edited.ID] = &edited })
}

// PreviewMemberRoles is what setMemberRoles(memberID, roleIDs) would do.
func (s *Service) PreviewMemberRoles(ctx context.Context, c Caller, memberID string, roleIDs []string) (*AccessDiff, error) {
	if err := validRoleIDs(roleIDs); err != nil {
		return nil, err
	}
	if err := id("memberId", memberID, ids.Member); err != nil {
		return nil, err
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	m, err := memberFor(ctx, s.store, org, memberID)
	if err != nil {
		return nil, storeErr(err)
	}
	if err := s.guardMemberChange(ctx, s.store, c, org, m, "members.write"); err != nil {
		return nil, storeErr(err)
	}
	if err := s.assignRoles(ctx, s.store, c, org, m, roleIDs); err != nil {
		return nil, storeErr(err)
	}
	return s.previewWorld(ctx, s.store, org, replaceMember(m))
}

// replaceMember is the change of m's new state.
func replaceMember(m *model.Member) func(w *world) {
	edited := *m
	return func(w *world) {
		for k, x := range w.members {
			if x.ID == edited.ID {
				w.members[k] = &edited
			}
		}
	}
}

// PreviewProductChange is what enableProduct / disableProduct would do.
func (s *Service) PreviewProductChange(ctx context.Context, c Caller, p model.Product, enabled bool) (*AccessDiff, error) {
	if !p.Valid() {
		return nil, errs.BadInput("product", "unknown product %q", p)
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "account.write"); err != nil {
		return nil, err
	}
	return s.previewWorld(ctx, s.store, org, withProducts(productsAfter(org, p, enabled)))
}

// withProducts is the change of the organization's products to these.
func withProducts(products []model.Product) func(w *world) {
	return func(w *world) {
		o := *w.org
		o.Products = products
		w.org = &o
	}
}

// world is what effective grants are made of: the organization (owner,
// products), its members (status, roles, seats) and its roles' grants.
type world struct {
	org     *model.Organization
	members []*model.Member
	roles   map[string]*model.Role
}

func loadWorld(ctx context.Context, st store.Reader, org *model.Organization) (*world, error) {
	ms, err := st.ListMembers(ctx, org.ID, store.MemberFilter{})
	if err != nil {
		return nil, storeErr(err)
	}
	rs, err := st.ListRoles(ctx, org.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	w := &world{org: org, members: ms, roles: make(map[string]*model.Role, len(rs))}
	for _, r := range rs {
		w.roles[r.ID] = r
	}
	return w, nil
}

// clone copies the slices and maps a change replaces entries of.
func (w *world) clone() *world {
	out := &world{org: w.org, members: append([]*model.Member(nil), w.members...), roles: make(map[string]*model.Role, len(w.roles))}
	for k, r := range w.roles {
		out.roles[k] = r
	}
	return out
}

// effectiveGrants is the member's effective scope per catalog permission
// (DISABLED included) as schema.zed derives it from the relationships
// package rels writes for w: held_all = the ALL grants of the roles they
// are assignee of (only while ACTIVE, rels.Member) + the owner;
// held_team adds TEAM grants, held_own OWN grants; at_* = held_* & usable,
// usable = (product enabled or ungated) & (seat held while ACTIVE, or
// seatless); the widest at_* wins, clamped to the action's scopes as
// Service.grants reads it.
func (s *Service) effectiveGrants(w *world, m *model.Member) map[string]model.Scope {
	held := map[string]model.Scope{}
	active := m.Status == model.StatusActive
	if active {
		for _, rid := range m.RoleIDs {
			r := w.roles[rid]
			if r == nil {
				continue
			}
			for _, g := range r.Grants {
				if g.Scope.Rank() > held[g.Permission].Rank() {
					held[g.Permission] = g.Scope
				}
			}
		}
	}
	owner := m.ID == w.org.OwnerID
	out := make(map[string]model.Scope, len(s.cat.Actions()))
	for _, a := range s.cat.Actions() {
		sc := held[a.Permission]
		if owner {
			sc = model.ScopeAll
		}
		if sc == "" {
			sc = model.ScopeDisabled
		}
		usable := true
		if p := s.cat.ProductOf(a.Permission); p != "" && !w.org.HasProduct(p) {
			usable = false
		}
		if a.Seat != "" && !(active && m.HasSeat(a.Seat)) {
			usable = false
		}
		if !usable {
			sc = model.ScopeDisabled
		}
		out[a.Permission] = a.Clamp(sc)
	}
	return out
}

// previewWorld diffs every member's effective grants between the
// organization as st reads it and as change makes it, and counts what the
// members whose read scopes move would see. st is the store for a
// preview, the change's transaction for a change's impact.
func (s *Service) previewWorld(ctx context.Context, st store.Reader, org *model.Organization, change func(w *world)) (*AccessDiff, error) {
	before, err := loadWorld(ctx, st, org)
	if err != nil {
		return nil, err
	}
	after := before.clone()
	change(after)
	diff := &AccessDiff{Members: []*MemberAccessChange{}}
	type scopes struct{ fromI, toI, fromE, toE model.Scope }
	var moved []scopes
	for k, m := range before.members {
		m2 := after.members[k]
		g0, g1 := s.effectiveGrants(before, m), s.effectiveGrants(after, m2)
		ch := &MemberAccessChange{Member: m2, Gained: []GrantChange{}, Lost: []GrantChange{}}
		for _, a := range s.cat.Actions() {
			from, to := g0[a.Permission], g1[a.Permission]
			switch {
			case to.Rank() > from.Rank():
				ch.Gained = append(ch.Gained, GrantChange{Permission: a.Permission, From: from, To: to})
			case to.Rank() < from.Rank():
				ch.Lost = append(ch.Lost, GrantChange{Permission: a.Permission, From: from, To: to})
			}
		}
		if len(ch.Gained)+len(ch.Lost) == 0 {
			continue
		}
		diff.Members = append(diff.Members, ch)
		moved = append(moved, scopes{g0[readInteractions], g1[readInteractions], g0[readEvaluations], g1[readEvaluations]})
	}
	var movedIDs []string
	for k, ch := range diff.Members {
		if sc := moved[k]; sc.fromI != sc.toI || sc.fromE != sc.toE {
			movedIDs = append(movedIDs, ch.Member.ID)
		}
	}
	if len(movedIDs) == 0 {
		return diff, nil
	}
	v, err := visibility(ctx, st, org.ID, movedIDs)
	if err != nil {
		return nil, err
	}
	ci, ce := &v.counts.Interactions, &v.counts.Evaluations
	for k, ch := range diff.Members {
		sc, id := moved[k], ch.Member.ID
		ch.InteractionsGained, ch.InteractionsLost = delta(v.count(ci, id, sc.fromI), v.count(ci, id, sc.toI))
		ch.EvaluationsGained, ch.EvaluationsLost = delta(v.count(ce, id, sc.fromE), v.count(ce, id, sc.toE))
	}
	return diff, nil
}

// delta turns two sizes of nested sets (what one sees at a narrower scope
// is part of what one sees at a wider one) into gained and lost counts.
func delta(from, to int) (gained, lost int) {
	if to >= from {
		return to - from, 0
	}
	return 0, from - to
}

// visibleCounts is what members would see of interactions and evaluations
// at each read scope, as schema.zed's interactions_read and
// evaluations_read say: ALL every one of the organization; OWN those they
// are involved in (owner or assignee; evaluated agent or evaluator); TEAM
// adds those of the teams in their audience (teams they are a member of,
// teams they manage and every team below those). The store counts
// (store.VisibleCounts); the scopes nest, so sizes are all a diff needs.
type visibleCounts struct {
	// audience: member → the teams whose resources they see at TEAM.
	audience map[string]map[string]bool
	counts   *store.VisibleCounts
}

// count is how many resources of rc the member sees at scope sc.
func (v *visibleCounts) count(rc *store.ResourceCounts, memberID string, sc model.Scope) int {
	n := 0
	switch sc {
	case model.ScopeAll:
		return rc.Total
	case model.ScopeOwn:
		for _, k := range rc.Involved[memberID] {
			n += k
		}
	case model.ScopeTeam:
		aud := v.audience[memberID]
		for t := range aud {
			n += rc.ByTeam[t]
		}
		// What they are involved in outside their audience (or in no team).
		for t, k := range rc.Involved[memberID] {
			if !aud[t] {
				n += k
			}
		}
	}
	return n
}

// visibility reads the organization's teams and memberships, and the
// store's counts of resources for memberIDs (the members whose read
// scopes move).
func visibility(ctx context.Context, st store.Reader, orgID string, memberIDs []string) (*visibleCounts, error) {
	teams, err := st.ListTeams(ctx, orgID)
	if err != nil {
		return nil, storeErr(err)
	}
	ms, err := st.ListMemberships(ctx, orgID, "", "")
	if err != nil {
		return nil, storeErr(err)
	}
	counts, err := st.CountVisible(ctx, orgID, memberIDs)
	if err != nil {
		return nil, storeErr(err)
	}
	children := map[string][]string{}
	for _, t := range teams {
		if t.ParentID != "" {
			children[t.ParentID] = append(children[t.ParentID], t.ID)
		}
	}
	v := &visibleCounts{audience: map[string]map[string]bool{}, counts: counts}
	see := func(memberID, teamID string) {
		if v.audience[memberID] == nil {
			v.audience[memberID] = map[string]bool{}
		}
		v.audience[memberID][teamID] = true
	}
	for _, m := range ms {
		if !m.Manager {
			see(m.MemberID, m.TeamID)
			continue
		}
		// managers_up: a manager sees the team and every team below it.
		stack, walked := []string{m.TeamID}, map[string]bool{}
		for len(stack) > 0 {
			t := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if walked[t] {
				continue
			}
			walked[t] = true
			see(m.MemberID, t)
			stack = append(stack, children[t]...)
		}
	}
	return v, nil
}
