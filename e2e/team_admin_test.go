package e2e

import (
	"strings"
	"testing"
)

// auditActions counts the audit log's events per action, as the owner reads it.
func (o *org) auditActions() map[string]int {
	o.e.t.Helper()
	d := o.Owner.ok(qAuditLog, nil)
	out := map[string]int{}
	for _, e := range get(d, "auditLog", "edges").([]any) {
		out[str(e, "node", "action")]++
	}
	return out
}

// Seed 001 "Team: Users can administer the teams they are part of": the
// people holding teams.write at a scope covering a team staff it, without
// members.write; their own memberships need teams.write at ALL; making
// someone a manager passes the escalation guard.
func TestTeamAdminStaffsTeams(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Staffing", "PRO", nil)
		o.team("Support", "")
		o.team("Sales", "")
		o.team("Support Chat", "Support")
		o.customRole("Team admin", "teams.read", "teams.write:TEAM", "members.read")
		o.customRole("Team member", "teams.read")
		lead := o.member("lead@staff.example", []string{"Team admin"}, []string{"Support"}, nil)
		amy := o.member("amy@staff.example", []string{"Team member"}, nil, nil)
		sam := o.member("sam@staff.example", []string{"Team member"}, []string{"Sales"}, nil)
		boss := o.member("boss@staff.example", []string{"admin"}, nil, nil)
		if lead.can("members.write", amy.MemberID) {
			t.Fatal("the team admin holds members.write; the test needs them without it")
		}
		// Managing Support, they administer it and its channel Support Chat.
		o.manage("Support", lead)
		before := o.auditActions()

		// teams.write at TEAM on Support: add, promote, demote, remove.
		lead.ok(qAddMember, map[string]any{"t": o.teams["Support"], "m": amy.MemberID})
		lead.ok(qAddMember, map[string]any{"t": o.teams["Support Chat"], "m": sam.MemberID})
		lead.ok(`mutation($t: ID!, $m: ID!) { addTeamMember(teamId: $t, memberId: $m, manager: true) { id } }`,
			map[string]any{"t": o.teams["Support"], "m": amy.MemberID})
		if !amy.can("teams.read", "") {
			t.Error("amy lost teams.read")
		}
		lead.ok(qRemoveMember, map[string]any{"t": o.teams["Support Chat"], "m": sam.MemberID})
		if got := o.teamMemberIDs("Support"); !got[amy.MemberID] || got[sam.MemberID] {
			t.Errorf("Support members = %s, want amy and not sam", keys(got))
		}
		if got := o.teamMemberIDs("Support Chat"); len(got) != 0 {
			t.Errorf("Support Chat members = %s, want none", keys(got))
		}
		after := o.auditActions()
		if after["addTeamMember"]-before["addTeamMember"] != 3 || after["removeTeamMember"]-before["removeTeamMember"] != 1 {
			t.Errorf("audit log: addTeamMember %d→%d, removeTeamMember %d→%d; want +3 and +1",
				before["addTeamMember"], after["addTeamMember"], before["removeTeamMember"], after["removeTeamMember"])
		}

		cases := []struct {
			name, code, perm, msg string
			who                   *client
			team                  string
			member                string
			manager               bool
		}{
			{"another team", "FORBIDDEN", "teams.write", "", lead, "Sales", amy.MemberID, false},
			{"without teams.write", "FORBIDDEN", "teams.write", "", amy, "Support", sam.MemberID, false},
			{"themselves into a sub-team", "FORBIDDEN", "teams.write", "teams.write at ALL", lead, "Support Chat", lead.MemberID, false},
			{"themselves as manager", "FORBIDDEN", "teams.write", "teams.write at ALL", lead, "Support", lead.MemberID, true},
			{"someone above them as manager", "ESCALATION", "", "holds access beyond yours", lead, "Support", boss.MemberID, true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				g := c.who.fails(c.code, "", `mutation($t: ID!, $m: ID!, $mgr: Boolean) { addTeamMember(teamId: $t, memberId: $m, manager: $mgr) { id } }`,
					map[string]any{"t": o.teams[c.team], "m": c.member, "mgr": c.manager})
				if p, _ := g.Extensions["permission"].(string); c.perm != "" && p != c.perm {
					t.Errorf("permission %q, want %q", p, c.perm)
				}
				if !strings.Contains(g.Message, c.msg) {
					t.Errorf("message %q does not say %q", g.Message, c.msg)
				}
			})
		}
		// Nothing of the refusals applied.
		if got := o.teamMemberIDs("Support"); !got[amy.MemberID] || got[boss.MemberID] || got[sam.MemberID] {
			t.Errorf("Support members = %s after refusals", keys(got))
		}
		if got := o.teamMemberIDs("Support Chat"); got[lead.MemberID] {
			t.Errorf("Support Chat members = %s after refusals", keys(got))
		}
		if got := o.teamMemberIDs("Sales"); !sameSet(got, sam.MemberID) {
			t.Errorf("Sales members = %s after refusals", keys(got))
		}
		// Someone at their level as a plain member is fine; the boss as a
		// plain member too (it widens what the team sees of them, not what
		// they see beyond their ALL grants).
		lead.ok(qAddMember, map[string]any{"t": o.teams["Support"], "m": boss.MemberID})
		// teams.write at ALL changes one's own memberships.
		boss.ok(qAddMember, map[string]any{"t": o.teams["Sales"], "m": boss.MemberID})
		// Removing a member above them is the team's matter, not the member's.
		lead.ok(qRemoveMember, map[string]any{"t": o.teams["Support"], "m": boss.MemberID})
	})
}

// Acting on a member who holds more than the caller says so, naming one
// permission, rather than speaking of granting a role the caller removes.
func TestTeamAdminEscalationMessage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Messages", "PRO", nil)
		o.customRole("People", "members.read", "members.write", "roles.read")
		hr := o.member("hr@msg.example", []string{"People"}, nil, nil)
		rec := o.member("rec@msg.example", []string{"recorder"}, nil, nil)
		g := hr.fails("ESCALATION", "", `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
			map[string]any{"m": rec.MemberID, "r": []string{o.role("People")}})
		for _, want := range []string{"holds access beyond yours", "only someone who holds it can change their roles"} {
			if !strings.Contains(g.Message, want) {
				t.Errorf("message %q does not say %q", g.Message, want)
			}
		}
		if p, _ := g.Extensions["permission"].(string); p == "" {
			t.Errorf("refusal names no permission: %v", g)
		}
	})
}

// Seed 002 "Team Lead" ("Team Leads viewing only their team's items"): the
// system role reads, coaches and evaluates their teams' interactions, and
// administers no members or teams.
func TestTeamLeadRole(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Leading", "PRO", []string{"CONVERSATIONS", "QUALITY"})
		o.team("Support", "")
		o.team("Sales", "")
		lead := o.member("lead@lead.example", []string{"team_lead"}, []string{"Support"}, nil)
		agent := o.member("agent@lead.example", []string{"agent"}, []string{"Support"}, nil)
		rep := o.member("rep@lead.example", []string{"recorder"}, []string{"Sales"}, nil)
		mine := o.interaction("Support call", agent, "Support")
		theirs := o.interaction("Sales call", rep, "Sales")
		if got := lead.visible(); !sameSet(got, mine) {
			t.Errorf("the team lead sees %s, want only their team's call", keys(got))
		}
		if !lead.can("interactions.coach", mine) || lead.can("interactions.coach", theirs) {
			t.Error("the team lead coaches outside their team, or not inside it")
		}
		lead.evaluate(mine, agent.MemberID, 80)
		lead.failsWith("FORBIDDEN", "teams.write", qAddMember, map[string]any{"t": o.teams["Support"], "m": rep.MemberID})
		lead.failsWith("FORBIDDEN", "members.write", qUpdateMember, map[string]any{"id": agent.MemberID, "in": map[string]any{"name": "X"}})
		if !lead.can("analytics.read", agent.MemberID) || lead.can("analytics.read", rep.MemberID) {
			t.Error("the team lead's analytics reach is not their team")
		}
	})
}
