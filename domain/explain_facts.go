package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// explainFacts is what explain knows about one question: SpiceDB's answers
// to the targeted checks (one bulk call) and the store's names for them.
type explainFacts struct {
	a        *catalog.Action
	org      *model.Organization
	m        *model.Member
	resource string // `the interaction "Call 12"`; "" without a resource
	// teamHolds says how the last team of a path holds the resource.
	teamHolds string

	isOwner   bool
	held      model.Scope // what the member's roles say (0 when inactive: see heldByRoles)
	effective model.Scope // what they may use, gates applied
	product   model.Product
	productOn bool
	missing   []model.SeatKind // seats the permission needs and the member lacks, to assign in this order

	// needed is the narrowest scope that reaches the resource (the action's
	// narrowest without one, its widest for organization-level questions).
	needed   model.Scope
	owns     string // the OWN relation that holds, in words ("owns it"); "" if none
	ownsKind ReasonKind
	paths    []teamPath
	// resTeam is the resource's own team: the team ADD_TO_TEAM would join.
	resTeam *model.Team

	roles    []*model.Role // every role of the organization
	memberRs []*model.Role // the member's roles, temporary ones not expired included
	// expired are the member's temporary roles that have ended: still in
	// the store until the sweeper runs, in its audit events after.
	expired []expiredRole
	teams   map[string]*model.Team
}

// expiredRole is a temporary role of the member that ended at at.
type expiredRole struct {
	role *model.Role
	at   time.Time
}

// sweptAuditWindow bounds how many of the organization's newest audit
// events explain reads for expiries the sweeper already removed: recent
// ones are what a person asking "why can't I any more?" means.
const sweptAuditWindow = 200

// sweptRoles adds to f.expired the member's temporary roles the sweeper
// removed (ActionRoleExpired events among the newest sweptAuditWindow),
// unless the member holds the role again or it is listed already.
func (s *Service) sweptRoles(ctx context.Context, f *explainFacts, now time.Time) error {
	evs, err := s.store.ListAudit(ctx, f.org.ID, store.Page{Limit: sweptAuditWindow, NewestFirst: true})
	if err != nil {
		return storeErr(err)
	}
	held := map[string]bool{}
	for _, r := range f.memberRs {
		held[r.ID] = true
	}
	for _, x := range f.expired {
		held[x.role.ID] = true
	}
	for _, ev := range evs {
		if ev.Action != ActionRoleExpired || ev.TargetID != f.m.ID {
			continue
		}
		var gone struct {
			RoleID    string    `json:"roleId"`
			ExpiresAt time.Time `json:"expiresAt"`
		}
		if json.Unmarshal([]byte(ev.Before), &gone) != nil || held[gone.RoleID] || gone.ExpiresAt.After(now) {
			continue
		}
		for _, r := range f.roles {
			if r.ID == gone.RoleID {
				f.expired = append(f.expired, expiredRole{role: r, at: gone.ExpiresAt})
				held[r.ID] = true
			}
		}
	}
	return nil
}

// teamPath is one way the member is in a resource team's audience: a
// member of team, or a manager of chain[0], which is chain[len-1]'s
// ancestor (chain[len-1] is the resource's team).
type teamPath struct {
	manager bool
	chain   []*model.Team
}

// scopeOf is a role's grant of the action, clamped to what it supports.
func scopeOf(a *catalog.Action, r *model.Role) model.Scope {
	for _, g := range r.Grants {
		if g.Permission == a.Permission {
			return a.Clamp(g.Scope)
		}
	}
	return model.ScopeDisabled
}

func (s *Service) explainFacts(ctx context.Context, org *model.Organization, a *catalog.Action, m *model.Member, obj *authz.Object) (*explainFacts, error) {
	f := &explainFacts{a: a, org: org, m: m, product: s.cat.ProductOf(a.Permission)}
	roles, err := s.store.ListRoles(ctx, org.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	f.roles = roles
	now := s.now()
	for _, r := range roles {
		if m.HasRole(r.ID) {
			f.memberRs = append(f.memberRs, r)
		} else if a, ok := m.TempRole(r.ID); ok {
			if now.Before(a.ExpiresAt) {
				f.memberRs = append(f.memberRs, r)
			} else {
				f.expired = append(f.expired, expiredRole{role: r, at: a.ExpiresAt})
			}
		}
	}
	if err := s.sweptRoles(ctx, f, now); err != nil {
		return nil, err
	}
	teams, err := s.store.ListTeams(ctx, org.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	f.teams = map[string]*model.Team{}
	for _, t := range teams {
		f.teams[t.ID] = t
	}

	// The checks, indexed by what they answer.
	grant := grantObject(org.ID, a.Permission)
	var checks []authz.Check
	add := func(o authz.Object, perm string) int {
		checks = append(checks, authz.Check{Object: o, Permission: perm, MemberID: m.ID})
		return len(checks) - 1
	}
	scopes := []model.Scope{model.ScopeAll, model.ScopeTeam, model.ScopeOwn}
	heldAt, effAt := make([]int, len(scopes)), make([]int, len(scopes))
	for i, sc := range scopes {
		heldAt[i] = add(grant, scopePermission("held", sc))
		effAt[i] = add(grant, scopePermission("at", sc))
	}
	owner := add(authz.Object{Type: rels.TypeOrganization, ID: org.ID}, "is_owner")
	productAt := -1
	if f.product != "" {
		productAt = add(authz.Object{Type: rels.TypeProduct, ID: rels.ProductID(org.ID, f.product)}, "enabled")
	}
	seats := []model.SeatKind{}
	if a.Seat != "" {
		if r := a.Seat.Requires(); r != "" {
			seats = append(seats, r)
		}
		seats = append(seats, a.Seat)
	}
	seatAt := map[model.SeatKind]int{}
	for _, k := range seats {
		seatAt[k] = add(authz.Object{Type: rels.TypeSeat, ID: rels.SeatID(org.ID, k)}, "held")
	}

	// The resource's relations to the member: OWN's (owner, assignee, self…)
	// and TEAM's (the audience of the resource's teams, with the member and
	// manager relations along each team's chain of parents, to name the path).
	type ownRel struct {
		idx  int
		kind ReasonKind
		text string
	}
	var owns []ownRel
	var resTeams []string
	orgLevel := obj == nil || obj.Type == rels.TypeOrganization || a.Resource == catalog.ResourceOrg
	if !orgLevel {
		switch obj.Type {
		case rels.TypeInteraction:
			i, err := s.store.GetInteraction(ctx, org.ID, obj.ID)
			if err != nil {
				return nil, storeErr(err)
			}
			f.resource, f.teamHolds = fmt.Sprintf("the interaction %q", i.Title), ", which owns it"
			owns = append(owns, ownRel{add(*obj, "owner"), ReasonOwns, "owns it"}, ownRel{add(*obj, "assignee"), ReasonAssigned, "is assigned to it"})
			if i.TeamID != "" {
				resTeams = append(resTeams, i.TeamID)
			}
		case rels.TypeEvaluation:
			e, err := s.store.GetEvaluation(ctx, org.ID, obj.ID)
			if err != nil {
				return nil, storeErr(err)
			}
			f.resource, f.teamHolds = "an evaluation", ", which owns its interaction"
			if i, err := s.store.GetInteraction(ctx, org.ID, e.InteractionID); err == nil {
				f.resource = fmt.Sprintf("the evaluation of %q", i.Title)
				if i.TeamID != "" {
					resTeams = append(resTeams, i.TeamID)
				}
			}
			owns = append(owns, ownRel{add(*obj, "agent"), ReasonOwns, "is the evaluated agent"}, ownRel{add(*obj, "evaluator"), ReasonAssigned, "is its evaluator"})
		case rels.TypeMember:
			target, err := s.store.GetMember(ctx, org.ID, obj.ID)
			if err != nil {
				return nil, storeErr(err)
			}
			f.resource, f.teamHolds = "the member "+target.Name, ", where "+target.Name+" is a member"
			owns = append(owns, ownRel{add(*obj, "self"), ReasonOwns, "is that member"})
			ms, err := s.store.ListMemberships(ctx, org.ID, "", target.ID)
			if err != nil {
				return nil, storeErr(err)
			}
			for _, x := range ms {
				resTeams = append(resTeams, x.TeamID)
			}
		case rels.TypeTeam:
			if t := f.teams[obj.ID]; t != nil {
				f.resource = "the team " + t.Name
			}
			resTeams = append(resTeams, obj.ID)
		}
	} else if obj != nil {
		f.resource = "this organization"
	}
	type teamRel struct {
		idx  int
		path teamPath
	}
	var audience []int
	var teamRels []teamRel
	for _, tid := range resTeams {
		t := f.teams[tid]
		if t == nil {
			continue
		}
		if f.resTeam == nil {
			f.resTeam = t
		}
		audience = append(audience, add(authz.Object{Type: rels.TypeTeam, ID: t.ID}, "audience"))
		teamRels = append(teamRels, teamRel{add(authz.Object{Type: rels.TypeTeam, ID: t.ID}, "member"), teamPath{chain: []*model.Team{t}}})
		chain := []*model.Team{t}
		for cur, seen := t, map[string]bool{}; cur != nil && !seen[cur.ID]; cur = f.teams[cur.ParentID] {
			seen[cur.ID] = true
			if cur != t {
				chain = append([]*model.Team{cur}, chain...)
			}
			teamRels = append(teamRels, teamRel{add(authz.Object{Type: rels.TypeTeam, ID: cur.ID}, "manager"),
				teamPath{manager: true, chain: append([]*model.Team{}, chain...)}})
		}
	}

	answers, err := s.askBulk(ctx, org, checks)
	if err != nil {
		return nil, storeErr(err)
	}
	f.held, f.effective = model.ScopeDisabled, model.ScopeDisabled
	for i, sc := range scopes {
		if f.held == model.ScopeDisabled && answers[heldAt[i]] {
			f.held = a.Clamp(sc)
		}
		if f.effective == model.ScopeDisabled && answers[effAt[i]] {
			f.effective = a.Clamp(sc)
		}
	}
	f.isOwner = answers[owner]
	if m.Status != model.StatusActive {
		// SpiceDB holds nothing for an inactive member (rels.Member): say
		// what their roles would give them once active again.
		for _, r := range f.memberRs {
			if sc := scopeOf(a, r); sc.Covers(f.held) {
				f.held = sc
			}
		}
	}
	f.productOn = productAt < 0 || answers[productAt]
	for _, k := range seats {
		has := answers[seatAt[k]]
		if m.Status != model.StatusActive {
			has = m.HasSeat(k) // kept for reactivation, not in SpiceDB meanwhile
		}
		if !has {
			f.missing = append(f.missing, k)
		}
	}

	ownReach := false
	for _, o := range owns {
		if answers[o.idx] {
			ownReach = true
			if f.owns == "" {
				f.owns, f.ownsKind = o.text, o.kind
			}
		}
	}
	teamReach := false
	for _, i := range audience {
		teamReach = teamReach || answers[i]
	}
	for _, r := range teamRels {
		if answers[r.idx] {
			f.paths = append(f.paths, r.path)
		}
	}
	switch {
	case obj == nil:
		f.needed = a.Scopes[0]
	case orgLevel:
		f.needed = a.Max()
	default:
		f.needed = a.Max()
		for _, sc := range a.Scopes {
			if (sc == model.ScopeOwn && ownReach) || (sc == model.ScopeTeam && teamReach) || sc == model.ScopeAll {
				f.needed = sc
				break
			}
		}
	}
	return f, nil
}
