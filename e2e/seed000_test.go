package e2e

import "testing"

// Seed 000 (InsightSquared Conversational Intelligence): roles in order of
// access — Owner, Admin, Manager, User (recorder), InsightsPlus, Insights.
func TestSeed000RolesInOrderOfAccess(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Insight Squared", "PRO", nil)
		o.team("Sales", "")
		o.team("Sales West", "Sales")
		o.team("Support", "")

		admin := o.member("admin@is2.example", []string{"admin"}, nil, nil)
		manager := o.member("manager@is2.example", []string{"manager"}, []string{"Sales"}, []string{"RECORDER"})
		o.manage("Sales", manager)
		rep := o.member("rep@is2.example", []string{"recorder"}, []string{"Sales West"}, []string{"RECORDER"})
		other := o.member("support@is2.example", []string{"recorder"}, []string{"Support"}, []string{"RECORDER"})
		plus := o.member("plus@is2.example", []string{"analyst_plus"}, nil, nil)
		insights := o.member("insights@is2.example", []string{"analyst"}, nil, nil)

		repCall := o.interaction("rep call", rep, "Sales West")
		supportCall := o.interaction("support call", other, "Support")

		// "There will be one owner ... full permissions and total control."
		for _, p := range []string{"account.write", "roles.write", "integrations.write", "members.delete"} {
			if !o.Owner.can(p, "") {
				t.Errorf("owner cannot %s", p)
			}
		}
		if !o.Owner.can("interactions.download", supportCall) {
			t.Error("owner cannot download a call")
		}

		// "Admins ... setting up teams, creating coaching scorecards, and managing members."
		for _, p := range []string{"teams.write", "scorecards.write", "members.write", "integrations.write"} {
			if !admin.can(p, "") {
				t.Errorf("admin cannot %s", p)
			}
		}

		// "Managers ... default views over their teams ... invite their team
		// members, offer coaching, join calls live, and view insights."
		if !manager.can("interactions.read", repCall) || !manager.can("interactions.coach", repCall) ||
			!manager.can("interactions.join_live", repCall) {
			t.Error("manager cannot read, coach and join the call of a sub-team member")
		}
		if manager.can("interactions.read", supportCall) {
			t.Error("manager reads a call outside their teams")
		}
		if !manager.can("analytics.read", rep.MemberID) || manager.can("analytics.read", other.MemberID) {
			t.Error("manager's insights are not limited to their teams")
		}
		o.memberBy(manager, "new.rep@is2.example", []string{"recorder"}, []string{"Sales West"}, nil)
		manager.fails("FORBIDDEN", "", `mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id } } }`,
			map[string]any{"in": map[string]any{"email": "x@is2.example", "name": "X", "roleIds": []string{o.role("recorder")}, "teamIds": []string{o.teams["Support"]}}})

		// "User: recording calls and listening to calls."
		if !rep.can("interactions.record", "") || !rep.can("interactions.read", repCall) {
			t.Error("recorder cannot record or listen to own calls")
		}
		if rep.can("interactions.read", supportCall) {
			t.Error("recorder listens to someone else's call")
		}

		// InsightsPlus downloads and Insights does not; neither records.
		if !plus.can("interactions.download", supportCall) || !plus.can("interactions.coach", supportCall) {
			t.Error("InsightsPlus cannot download or coach")
		}
		if insights.can("interactions.download", supportCall) || !insights.can("interactions.coach", supportCall) {
			t.Error("Insights downloads or cannot coach")
		}
		for _, c := range []*client{plus, insights} {
			if c.can("interactions.record", "") {
				t.Error("an Insights role records")
			}
			c.fails("FORBIDDEN", "", `mutation { createInteraction(input: {title: "my call"}) { id } }`, nil)
		}
	})
}
