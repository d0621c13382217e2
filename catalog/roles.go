package catalog

import (
	"strings"

	"github.com/rolegraph/rolegraph/model"
)

// SystemRole is a default role every organization starts with. Its grants
// can be edited and reset back to these; it cannot be deleted.
type SystemRole struct {
	Key         string
	Name        string
	Description string
	Grants      []model.Grant
}

// Role keys the domain refers to by name.
const (
	RoleOwner = "owner"
	RoleAdmin = "admin"
	RoleGuest = "guest"
)

// SystemRoles returns the default roles in display order.
func (c *Catalog) SystemRoles() []SystemRole { return c.roles }

// SystemRole finds a default role by key.
func (c *Catalog) SystemRole(key string) (SystemRole, bool) {
	for _, r := range c.roles {
		if r.Key == key {
			return r, true
		}
	}
	return SystemRole{}, false
}

// g parses "perm:SCOPE" pairs; a bare "perm" means the action's widest scope.
func g(c *Catalog, specs ...string) []model.Grant {
	out := make([]model.Grant, 0, len(specs))
	for _, s := range specs {
		perm, scope, ok := strings.Cut(s, ":")
		a, known := c.actions[perm]
		if !known {
			panic("catalog: system role grants unknown permission " + perm)
		}
		sc := a.Max()
		if ok {
			sc = model.Scope(scope)
		}
		if !a.Supports(sc) {
			panic("catalog: system role grants " + s + " outside its scopes")
		}
		out = append(out, model.Grant{Permission: perm, Scope: sc})
	}
	return Normalize(out)
}

// everything grants every action at its widest scope, except the listed ones.
func everything(c *Catalog, except ...string) []model.Grant {
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	var out []model.Grant
	for _, a := range c.Actions() {
		if !skip[a.Permission] {
			out = append(out, model.Grant{Permission: a.Permission, Scope: a.Max()})
		}
	}
	return Normalize(out)
}

// systemRoles are the defaults, read off the seeds:
//   - owner (000, 003): everything, held only through ownership.
//   - admin (000, 002, 003, 004): everything but creating custom roles and the
//     account itself (003: "Admin cannot create custom roles").
//   - manager (000, 004): team views, coaching, join live, invite and manage
//     team members; records their own calls.
//   - team_lead (002 "Team Lead", "Team Leads viewing only their team's
//     items"): reads, coaches and evaluates their teams' interactions (TEAM)
//     and sees their analytics; administers no members or teams.
//   - auditor (002): reads interactions and analytics, performs QA evaluations.
//   - recorder (000 "User", 004): records and listens to own calls.
//   - analyst_plus / analyst (000 InsightsPlus / Insights, 004 Insights):
//     coach and access every call without a recording seat; only plus downloads.
//   - agent (002, 003): own interactions and evaluations, own preferences.
//   - guest (001): a narrow role for people invited by link.
func systemRoles(c *Catalog) []SystemRole {
	personal := []string{"preferences.write:OWN", "members.read", "teams.read"}
	with := func(base []string, more ...string) []string { return append(append([]string{}, base...), more...) }
	return []SystemRole{
		{RoleOwner, "Owner", "Has every permission. Held by exactly one member; changes hands only by ownership transfer.",
			everything(c)},
		{RoleAdmin, "Admin", "Full access to every module and setting, except custom roles and the account.",
			everything(c, "roles.write", "roles.delete", "account.write")},
		{"manager", "Manager", "Sees, coaches and reports on their teams and sub-teams; invites and manages their team members; records their own calls.",
			g(c, with(personal,
				"interactions.read:TEAM", "interactions.write:TEAM", "interactions.download:TEAM", "interactions.record",
				"interactions.join_live:TEAM", "interactions.coach:TEAM", "voice.dial",
				"evaluations.read:TEAM", "evaluations.write:TEAM", "evaluations.delete:TEAM", "scorecards.read",
				"analytics.read:TEAM", "members.write:TEAM", "teams.write:TEAM", "roles.read", "seats.read",
				"messaging.reply:TEAM", "messaging.private_note:TEAM", "knowledge_base.read", "contacts.read")...)},
		{"team_lead", "Team Lead", "Reads, coaches and evaluates the interactions of their teams, and sees their teams' analytics; administers no members or teams.",
			g(c, with(personal,
				"interactions.read:TEAM", "interactions.coach:TEAM", "interactions.join_live:TEAM",
				"evaluations.read:TEAM", "evaluations.write:TEAM", "scorecards.read",
				"analytics.read:TEAM", "messaging.reply:TEAM", "messaging.private_note:TEAM")...)},
		{"auditor", "Auditor", "Compliance and QA review: reads every interaction and report, performs evaluations.",
			g(c, with(personal,
				"interactions.read:ALL", "analytics.read:ALL", "observability.read",
				"evaluations.read:ALL", "evaluations.write:ALL", "scorecards.read")...)},
		{"recorder", "Recorder", "Records and listens to their own calls; needs a Recorder seat to record.",
			g(c, with(personal,
				"interactions.read:OWN", "interactions.write:OWN", "interactions.download:OWN", "interactions.record",
				"voice.dial", "evaluations.read:OWN", "analytics.read:OWN")...)},
		{"analyst_plus", "Analyst Plus", "Coaches and accesses every call and downloads recordings; does not record.",
			g(c, with(personal,
				"interactions.read:ALL", "interactions.download:ALL", "interactions.coach:ALL", "interactions.join_live:ALL",
				"analytics.read:ALL", "evaluations.read:ALL", "scorecards.read")...)},
		{"analyst", "Analyst", "Coaches and accesses every call; no downloads, no recording.",
			g(c, with(personal,
				"interactions.read:ALL", "interactions.coach:ALL", "interactions.join_live:ALL",
				"analytics.read:ALL", "evaluations.read:ALL", "scorecards.read")...)},
		{"agent", "Agent", "Works only on resources assigned to them or created by them.",
			g(c, with(personal,
				"interactions.read:OWN", "evaluations.read:OWN", "analytics.read:OWN",
				"messaging.reply:OWN", "messaging.private_note:OWN", "contacts.read", "knowledge_base.read")...)},
		{RoleGuest, "Guest", "Sees only the interactions shared with them.",
			g(c, "interactions.read:OWN", "preferences.write:OWN")},
	}
}
