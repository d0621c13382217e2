package domain

import (
	"context"
	"fmt"
	"sort"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
)

// remedies lists, for a denial, one change per blocker — applied together
// in this order they allow it: the member back (REACTIVATE), the product on,
// the seats (BUY_SEAT when the pool is full, then ASSIGN_SEAT), then the
// smallest change of access: ADD_TO_TEAM when their TEAM grant only lacks
// the resource's team, WIDEN_ROLE_GRANT when a role grants it too narrowly,
// ASSIGN_ROLE (the role granting it with the fewest other grants) when none
// grants it. callerCanApply is the mutation's own answer, as a dry run.
func (s *Service) remedies(ctx context.Context, c Caller, org *model.Organization, f *explainFacts) []Remedy {
	var out []Remedy
	apply := func(r Remedy, mutate func(ctx context.Context) error, lifted ...errs.Code) {
		if c.Service != "" {
			// A service changes nothing (identity.ServicesRead): no dry
			// run could say otherwise.
			out = append(out, r)
			return
		}
		err := wouldAllow(ctx, mutate)
		r.CallerCanApply = err == nil
		if e, ok := errs.As(err); ok {
			for _, code := range lifted {
				r.CallerCanApply = r.CallerCanApply || e.Code == code
			}
		}
		out = append(out, r)
	}
	m := f.m
	if m.Status == model.StatusDeactivated {
		apply(Remedy{Kind: RemedyReactivate, Text: "reactivate " + m.Name},
			func(ctx context.Context) error { _, err := s.ReactivateMember(ctx, c, m.ID); return err })
	}
	if !f.productOn {
		p := f.product
		apply(Remedy{Kind: RemedyEnableProduct, Product: &p, Text: fmt.Sprintf("enable the %s product", p)},
			func(ctx context.Context) error { _, err := s.EnableProduct(ctx, c, p); return err })
	}
	if len(f.missing) > 0 {
		pools, err := s.store.ListSeatPools(ctx, org.ID)
		if err != nil {
			pools = nil // without pools every seat looks full: BUY_SEAT, still guarded
		}
		for _, k := range f.missing {
			k := k
			total := 0
			for _, p := range pools {
				if p.Kind == k {
					total = p.Total
				}
			}
			used, err := s.store.CountSeatHolders(ctx, org.ID, k)
			var lifted []errs.Code
			if err != nil || used+1 > total {
				apply(Remedy{Kind: RemedyBuySeat, Seat: &k, Text: fmt.Sprintf("raise the %s seat total to %d (all %d are in use)", k, used+1, total)},
					func(ctx context.Context) error { _, err := s.SetSeatTotal(ctx, c, k, used+1); return err })
				lifted = []errs.Code{errs.SeatLimit} // what BUY_SEAT lifts
			}
			apply(Remedy{Kind: RemedyAssignSeat, Seat: &k, Text: fmt.Sprintf("assign %s a %s seat", m.Name, k)},
				func(ctx context.Context) error { _, err := s.AssignSeat(ctx, c, m.ID, k); return err }, lifted...)
		}
	}
	if f.isOwner || f.held.Covers(f.needed) {
		return out
	}
	switch {
	case f.held == model.ScopeTeam && f.needed == model.ScopeAll && f.resTeam != nil:
		t := f.resTeam
		apply(Remedy{Kind: RemedyAddToTeam, Team: t, Scope: scopePtr(model.ScopeTeam),
			Text: fmt.Sprintf("add %s to the team %s", m.Name, t.Name)},
			func(ctx context.Context) error { _, err := s.AddTeamMember(ctx, c, t.ID, m.ID, false); return err })
	case f.held != model.ScopeDisabled:
		if r := widest(f.a, f.memberRs); r != nil {
			s.widen(c, f, r, apply)
		}
	default:
		if r := smallestGranting(f.a, f.roles, f.memberRs, f.needed); r != nil {
			ids := append(append([]string{}, m.RoleIDs...), r.ID)
			apply(Remedy{Kind: RemedyAssignRole, Role: r, Scope: scopePtr(scopeOf(f.a, r)),
				Text: fmt.Sprintf("give %s the %s role (it grants %s)", m.Name, r.Name, scopeWord(f.a, scopeOf(f.a, r)))},
				func(ctx context.Context) error { _, err := s.SetMemberRoles(ctx, c, m.ID, ids); return err })
		} else if r := firstEditable(f.memberRs); r != nil {
			s.widen(c, f, r, apply)
		}
	}
	return out
}

// widen adds WIDEN_ROLE_GRANT: r's grant of the action set to the needed scope.
func (s *Service) widen(c Caller, f *explainFacts, r *model.Role,
	apply func(Remedy, func(context.Context) error, ...errs.Code)) {
	grants := []model.Grant{}
	for _, g := range r.Grants {
		if g.Permission != f.a.Permission {
			grants = append(grants, g)
		}
	}
	grants = append(grants, model.Grant{Permission: f.a.Permission, Scope: f.needed})
	from := scopeOf(f.a, r)
	rem := Remedy{Kind: RemedyWidenGrant, Role: r, Scope: scopePtr(f.needed),
		Text: fmt.Sprintf("widen the %s role's %s from %s to %s (for everyone holding it)", r.Name, f.a.Permission, from, f.needed)}
	apply(rem, func(ctx context.Context) error { _, err := s.SetRoleGrants(ctx, c, r.ID, grants); return err })
}

// widest is the member's role granting the action at the widest scope.
func widest(a *catalog.Action, rs []*model.Role) *model.Role {
	var best *model.Role
	for _, r := range rs {
		if r.Key == catalog.RoleOwner {
			continue
		}
		if sc := scopeOf(a, r); sc != model.ScopeDisabled && (best == nil || !scopeOf(a, best).Covers(sc)) {
			best = r
		}
	}
	return best
}

// smallestGranting is the role, not yet held, granting the action at the
// needed scope with the fewest grants overall: the least besides.
func smallestGranting(a *catalog.Action, all, held []*model.Role, needed model.Scope) *model.Role {
	has := map[string]bool{}
	for _, r := range held {
		has[r.ID] = true
	}
	var cands []*model.Role
	for _, r := range all {
		if !has[r.ID] && r.Key != catalog.RoleOwner && scopeOf(a, r).Covers(needed) {
			cands = append(cands, r)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if len(cands[i].Grants) != len(cands[j].Grants) {
			return len(cands[i].Grants) < len(cands[j].Grants)
		}
		return cands[i].Name < cands[j].Name
	})
	if len(cands) == 0 {
		return nil
	}
	return cands[0]
}

// firstEditable is a role of the member a grant could be added to.
func firstEditable(rs []*model.Role) *model.Role {
	for _, r := range rs {
		if r.Key != catalog.RoleOwner {
			return r
		}
	}
	return nil
}
