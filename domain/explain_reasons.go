package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
)

func scopePtr(s model.Scope) *model.Scope { return &s }

func (f *explainFacts) who() string { return f.m.Name }

// roleGrantReason names a role of the member and its grant of the action.
func (f *explainFacts) roleGrantReason(r *model.Role, sc model.Scope) Reason {
	return Reason{Kind: ReasonRoleGrant, Role: r, Scope: scopePtr(sc),
		Text: fmt.Sprintf("%s's %s role grants %s at %s", f.who(), r.Name, f.a.Permission, sc)}
}

// pathReasons say how the resource is within the needed scope: how the
// member is involved (OWN) or in the audience of its team (TEAM).
func (f *explainFacts) pathReasons() []Reason {
	var out []Reason
	switch f.needed {
	case model.ScopeOwn:
		if f.owns != "" {
			out = append(out, Reason{Kind: f.ownsKind, Scope: scopePtr(model.ScopeOwn), Text: f.who() + " " + f.owns})
		}
	case model.ScopeTeam:
		for _, p := range f.paths {
			kind := ReasonTeamMember
			if p.manager {
				kind = ReasonTeamManager
			}
			out = append(out, Reason{Kind: kind, Team: p.chain[0], Scope: scopePtr(model.ScopeTeam), Text: f.who() + " " + p.words(f.teamHolds)})
		}
	}
	return out
}

// words: "manages Sales, the parent of Sales EMEA" + holds (", which owns it").
func (p teamPath) words(holds string) string {
	verb := "is in "
	if p.manager {
		verb = "manages "
	}
	names := make([]string, len(p.chain))
	for i, t := range p.chain {
		names[i] = t.Name
	}
	return verb + strings.Join(names, ", the parent of ") + holds
}

func (f *explainFacts) allowReasons() []Reason {
	var out []Reason
	if f.isOwner {
		out = append(out, Reason{Kind: ReasonOwner, Scope: scopePtr(model.ScopeAll),
			Text: f.who() + " owns the organization, which holds every permission"})
	}
	for _, r := range f.memberRs {
		if sc := scopeOf(f.a, r); sc != model.ScopeDisabled && sc.Covers(f.needed) {
			out = append(out, f.roleGrantReason(r, sc))
		}
	}
	if !f.isOwner && f.effective != f.a.Max() {
		out = append(out, f.pathReasons()...)
	}
	return out
}

// denyReasons lists every blocker: each must be lifted for a yes.
func (f *explainFacts) denyReasons() []Reason {
	var out []Reason
	switch f.m.Status {
	case model.StatusActive:
	case model.StatusInvited:
		out = append(out, Reason{Kind: ReasonMemberInactive,
			Text: f.who() + " has not accepted their invitation yet, and holds nothing until they do"})
	default:
		out = append(out, Reason{Kind: ReasonMemberInactive,
			Text: f.who() + " is deactivated, and holds nothing until reactivated"})
	}
	if !f.productOn {
		p := f.product
		out = append(out, Reason{Kind: ReasonProductOff, Product: &p,
			Text: fmt.Sprintf("%s is part of the %s product, which is not enabled for this organization", f.a.Permission, p)})
	}
	for _, k := range f.missing {
		k := k
		out = append(out, Reason{Kind: ReasonSeatMissing, Seat: &k,
			Text: fmt.Sprintf("%s needs a %s seat, which %s does not hold", f.a.Permission, k, f.who())})
	}
	if !f.isOwner {
		out = append(out, f.expiredReasons()...)
		switch {
		case f.held == model.ScopeDisabled:
			out = append(out, Reason{Kind: ReasonNotGranted, Scope: scopePtr(f.needed),
				Text: fmt.Sprintf("no role of %s grants %s", f.who(), f.a.Permission)})
		case !f.held.Covers(f.needed):
			for _, r := range f.memberRs {
				if sc := scopeOf(f.a, r); sc != model.ScopeDisabled {
					out = append(out, f.roleGrantReason(r, sc))
				}
			}
			out = append(out, Reason{Kind: ReasonScopeTooNarrow, Scope: scopePtr(f.needed),
				Text: fmt.Sprintf("%s holds %s at %s, which does not reach %s: that needs %s", f.who(), f.a.Permission, f.held, f.resourceOr("it"), f.needed)})
		}
	}
	if len(out) == 0 {
		// Nothing the targeted checks see blocks it, yet the decision said no:
		// the graph changed between the questions. Say so rather than guess.
		out = append(out, Reason{Kind: ReasonNotGranted, Text: "the permission service refused it, and its answers changed while explaining: ask again"})
	}
	return out
}

// expiredReasons name the member's ended temporary roles whose grant of
// the action would reach the resource.
func (f *explainFacts) expiredReasons() []Reason {
	var out []Reason
	for _, x := range f.expired {
		if sc := scopeOf(f.a, x.role); sc != model.ScopeDisabled && sc.Covers(f.needed) && !f.held.Covers(f.needed) {
			out = append(out, Reason{Kind: ReasonAccessExpired, Role: x.role, Scope: scopePtr(sc),
				Text: fmt.Sprintf("%s's temporary %s role, which granted %s at %s, expired at %s", f.who(), x.role.Name, f.a.Permission, sc, x.at.UTC().Format(time.RFC3339))})
		}
	}
	return out
}

func (f *explainFacts) resourceOr(alt string) string {
	if f.resource == "" {
		return alt
	}
	return f.resource
}

// summary is the one sentence a support agent reads to a customer.
func (f *explainFacts) summary(x *Explanation) string {
	what := fmt.Sprintf("%s (%s)", f.a.Permission, f.a.Name)
	if f.resource != "" {
		what += " on " + f.resource
	}
	if x.Allowed {
		var because, grants []string
		for _, r := range x.Reasons {
			switch r.Kind {
			case ReasonOwner:
				because = append(because, f.who()+" owns the organization")
			case ReasonRoleGrant:
				grants = append(grants, fmt.Sprintf("the %s role grants %s at %s", r.Role.Name, f.a.Permission, *r.Scope))
			default:
				because = append(because, r.Text)
			}
		}
		if len(grants) > 0 {
			because = append(because, f.who()+"'s "+strings.TrimPrefix(strings.Join(grants, " and "), "the "))
		}
		if len(because) == 0 {
			return fmt.Sprintf("%s can do %s.", f.who(), what)
		}
		return fmt.Sprintf("%s can do %s because %s.", f.who(), what, strings.Join(because, ", and "))
	}
	var why []string
	for _, r := range x.Reasons {
		if r.Kind != ReasonRoleGrant {
			why = append(why, r.Text)
		}
	}
	s := fmt.Sprintf("%s cannot do %s: %s.", f.who(), what, strings.Join(why, "; "))
	if len(x.Remedies) > 0 {
		var fix []string
		for _, r := range x.Remedies {
			fix = append(fix, r.Text)
		}
		s += " To allow it: " + strings.Join(fix, ", then ") + "."
	}
	return s
}

// scopeWord is how a scope reads in a remedy.
func scopeWord(a *catalog.Action, s model.Scope) string {
	return fmt.Sprintf("%s at %s", a.Permission, s)
}
