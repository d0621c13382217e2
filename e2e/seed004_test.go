package e2e

import "testing"

// Seed 004 (Jiminny): three main roles — Recorder (a paid recording seat),
// Voice (the dialer, only with Recorder) and Insights (coaching and reports,
// no recording) — with Manager or Admin given on top.

var jiminnyProducts = []string{"CONVERSATIONS", "TELEPHONY", "QUALITY"}

// "Recorder: this role is a recording seat and enables users to
// record/stream into Jiminny. Each user that has the Recorder role will be
// charged with a paying licence." "For now you are able to see the number of
// used licences your organisation is using."
func TestSeed004RecorderSeatIsAPaidLicence(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Jiminny Seats", "PRO", jiminnyProducts)
		d := o.Owner.ok(mutSeatTotal, map[string]any{"k": "RECORDER", "n": 2})
		if get(d, "setSeatTotal", "total") != float64(2) || get(d, "setSeatTotal", "used") != float64(0) {
			t.Fatalf("setSeatTotal: %v", d)
		}
		wantSeatPool(t, o.Owner, "RECORDER", 2, 0)

		rec := o.member("rec@jiminny.example", []string{"recorder"}, nil, []string{"RECORDER"})
		wantSeatPool(t, o.Owner, "RECORDER", 2, 1)
		o.member("insights@jiminny.example", []string{"analyst"}, nil, nil) // no licence charged
		wantSeatPool(t, o.Owner, "RECORDER", 2, 1)

		// With role and seat: records own calls.
		if !rec.can("interactions.record", "") {
			t.Fatal("a recorder with a seat cannot record")
		}
		d = rec.ok(mutCreateOwnCall, map[string]any{"t": "discovery call"})
		if str(d, "createInteraction", "owner", "id") != rec.MemberID {
			t.Fatalf("the recorded call is not the recorder's: %v", d)
		}
		if g := memberGrantMap(t, o.Owner, rec.MemberID); g["interactions.record"] != "OWN" {
			t.Errorf("recorder's effective interactions.record: %q", g["interactions.record"])
		}

		// The role without the licence records nothing.
		noSeat := o.member("noseat@jiminny.example", []string{"recorder"}, nil, nil)
		if noSeat.can("interactions.record", "") {
			t.Error("a recorder without a seat can record")
		}
		failsWithPermission(t, noSeat, "SEAT_REQUIRED", "interactions.record", mutCreateOwnCall, map[string]any{"t": "unlicensed call"})
		if g := memberGrantMap(t, o.Owner, noSeat.MemberID); g["interactions.record"] != "" || g["interactions.read"] != "OWN" {
			t.Errorf("effective grants without a seat: record %q, read %q", g["interactions.record"], g["interactions.read"])
		}
		d = o.Owner.ok(mutAssignSeat, map[string]any{"m": noSeat.MemberID, "k": "RECORDER"})
		if s := get(d, "assignSeat", "seats").([]any); len(s) != 1 || s[0] != "RECORDER" {
			t.Fatalf("assignSeat: %v", d)
		}
		wantSeatPool(t, o.Owner, "RECORDER", 2, 2)
		if !noSeat.can("interactions.record", "") {
			t.Error("a recorder given a seat still cannot record")
		}
		noSeat.ok(mutCreateOwnCall, map[string]any{"t": "licensed call"})

		// Pools never exceed their total.
		third := o.member("third@jiminny.example", []string{"recorder"}, nil, nil)
		o.Owner.fails("SEAT_LIMIT", "", mutAssignSeat, map[string]any{"m": third.MemberID, "k": "RECORDER"})
		o.Owner.fails("SEAT_LIMIT", "", mutInvite, inviteVars("fourth@jiminny.example", []string{o.role("recorder")}, nil, []string{"RECORDER"}))
		o.Owner.fails("SEAT_LIMIT", "total", mutSeatTotal, map[string]any{"k": "RECORDER", "n": 1})
		wantSeatPool(t, o.Owner, "RECORDER", 2, 2)
		if memberSeats(t, o.Owner, third.MemberID) != "" {
			t.Fatal("a refused assignment left a seat")
		}

		// Deactivating frees the licence; reactivating needs room for it.
		d = o.Owner.ok(mutDeactivate, map[string]any{"m": noSeat.MemberID})
		if str(d, "deactivateMember", "status") != "DEACTIVATED" {
			t.Fatalf("deactivateMember: %v", d)
		}
		wantSeatPool(t, o.Owner, "RECORDER", 2, 1)
		if r := noSeat.do(`{ viewer { id } }`, nil); len(r.Errors) == 0 || r.Errors[0].Code() != "UNAUTHENTICATED" {
			t.Errorf("a deactivated member still signs in: %s", r.raw)
		}
		o.Owner.ok(mutAssignSeat, map[string]any{"m": third.MemberID, "k": "RECORDER"})
		wantSeatPool(t, o.Owner, "RECORDER", 2, 2)
		o.Owner.fails("SEAT_LIMIT", "", mutReactivate, map[string]any{"m": noSeat.MemberID})
		d = o.Owner.ok(`query($m: ID!) { member(id: $m) { status seats } }`, map[string]any{"m": noSeat.MemberID})
		if str(d, "member", "status") != "DEACTIVATED" {
			t.Fatalf("a refused reactivation changed the member: %v", d)
		}
		o.Owner.ok(mutReleaseSeat, map[string]any{"m": third.MemberID, "k": "RECORDER"})
		wantSeatPool(t, o.Owner, "RECORDER", 2, 1)
		d = o.Owner.ok(mutReactivate, map[string]any{"m": noSeat.MemberID})
		if str(d, "reactivateMember", "status") != "ACTIVE" {
			t.Fatalf("reactivateMember: %v", d)
		}
		wantSeatPool(t, o.Owner, "RECORDER", 2, 2)
		if !noSeat.can("interactions.record", "") || third.can("interactions.record", "") {
			t.Error("after reactivation the kept seat must record again, and the released one not")
		}

		// Buying more licences; the used count is visible on the users page.
		o.Owner.ok(mutSeatTotal, map[string]any{"k": "RECORDER", "n": 3})
		wantSeatPool(t, rec, "RECORDER", 3, 2)
	})
}

// "Voice: this role is for users of the Jiminny Voice dialer only. It is
// available only in conjunction with a Recorder role so the user can record
// their calls using Jiminny voice."
func TestSeed004VoiceOnlyWithRecorder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Jiminny Voice", "PRO", jiminnyProducts)
		dialer := o.member("dialer@jiminny.example", []string{"recorder"}, nil, nil)

		o.Owner.fails("SEAT_REQUIRED", "kind", mutAssignSeat, map[string]any{"m": dialer.MemberID, "k": "VOICE"})
		o.Owner.fails("SEAT_REQUIRED", "input.seats", mutInvite,
			inviteVars("voiceonly@jiminny.example", []string{o.role("recorder")}, nil, []string{"VOICE"}))
		if memberSeats(t, o.Owner, dialer.MemberID) != "" || dialer.can("voice.dial", "") {
			t.Fatal("VOICE without RECORDER was given")
		}
		wantSeatPool(t, o.Owner, "VOICE", 5, 0)

		o.Owner.ok(mutAssignSeat, map[string]any{"m": dialer.MemberID, "k": "RECORDER"})
		if dialer.can("voice.dial", "") || !dialer.can("interactions.record", "") {
			t.Error("RECORDER alone: records, does not dial")
		}
		d := o.Owner.ok(mutAssignSeat, map[string]any{"m": dialer.MemberID, "k": "VOICE"})
		if s := get(d, "assignSeat", "seats").([]any); len(s) != 2 || s[0] != "RECORDER" || s[1] != "VOICE" {
			t.Fatalf("seats after VOICE: %v", s)
		}
		wantSeatPool(t, o.Owner, "VOICE", 5, 1)
		if !dialer.can("voice.dial", "") || !dialer.can("interactions.record", "") {
			t.Error("RECORDER + VOICE: must dial and record")
		}
		// Without the TELEPHONY product there is no dialer, seat or not.
		o.Owner.ok(`mutation { disableProduct(product: TELEPHONY) { products } }`, nil)
		if dialer.can("voice.dial", "") {
			t.Error("voice.dial with TELEPHONY disabled")
		}
		o.Owner.ok(`mutation { enableProduct(product: TELEPHONY) { products } }`, nil)
		if !dialer.can("voice.dial", "") {
			t.Error("voice.dial did not come back with TELEPHONY")
		}

		// Releasing RECORDER takes VOICE with it.
		d = o.Owner.ok(mutReleaseSeat, map[string]any{"m": dialer.MemberID, "k": "RECORDER"})
		if s := get(d, "releaseSeat", "seats").([]any); len(s) != 0 {
			t.Fatalf("seats after releasing RECORDER: %v", s)
		}
		wantSeatPool(t, o.Owner, "VOICE", 5, 0)
		wantSeatPool(t, o.Owner, "RECORDER", 5, 0)
		if dialer.can("voice.dial", "") || dialer.can("interactions.record", "") {
			t.Error("after releasing RECORDER the member still dials or records")
		}
		failsWithPermission(t, dialer, "SEAT_REQUIRED", "interactions.record", mutCreateOwnCall, map[string]any{"t": "dialed call"})

		// Seats are licences, not permissions: an Insights user given both
		// seats neither dials nor records.
		ins := o.member("ins@jiminny.example", []string{"analyst"}, nil, []string{"RECORDER", "VOICE"})
		if ins.can("voice.dial", "") || ins.can("interactions.record", "") {
			t.Error("seats alone grant dialing or recording")
		}
		failsWithPermission(t, ins, "FORBIDDEN", "interactions.record", mutCreateOwnCall, map[string]any{"t": "insights call"})
	})
}

// "Insights: for people who will be actively coaching and accessing reports
// but not streaming or recording their calls ... listening and analysing
// calls, coaching."
func TestSeed004InsightsCoachesEveryCallWithoutRecording(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Jiminny Insights", "PRO", jiminnyProducts)
		o.team("Sales", "")
		o.team("Customer Success", "")
		rep := o.member("rep@insights.example", []string{"recorder"}, []string{"Sales"}, []string{"RECORDER"})
		csm := o.member("csm@insights.example", []string{"recorder"}, []string{"Customer Success"}, []string{"RECORDER"})
		head := o.member("head.of.product@insights.example", []string{"analyst"}, nil, nil)
		salesCall := str(rep.ok(mutCreateOwnCall, map[string]any{"t": "sales demo"}), "createInteraction", "id")
		csCall := str(csm.ok(mutCreateOwnCall, map[string]any{"t": "renewal"}), "createInteraction", "id")

		for _, id := range []string{salesCall, csCall} {
			for _, p := range []string{"interactions.read", "interactions.coach", "interactions.join_live"} {
				if !head.can(p, id) {
					t.Errorf("Insights cannot %s a call", p)
				}
			}
		}
		if got := head.visible(); !equalSets(got, setOf(salesCall, csCall)) {
			t.Errorf("Insights lists %s, want every call", keys(got))
		}
		if !head.can("analytics.read", rep.MemberID) || !head.can("analytics.read", csm.MemberID) {
			t.Error("Insights cannot access every report")
		}
		if head.can("interactions.record", "") {
			t.Error("Insights records")
		}
		failsWithPermission(t, head, "FORBIDDEN", "interactions.record", mutCreateOwnCall, map[string]any{"t": "my call"})
		g := memberGrantMap(t, o.Owner, head.MemberID)
		if g["interactions.read"] != "ALL" || g["interactions.coach"] != "ALL" || g["analytics.read"] != "ALL" || g["interactions.record"] != "" {
			t.Errorf("Insights grants: %v", specsOf(g))
		}
		// Recorders listen to their own calls only and do not coach.
		if !rep.can("interactions.read", salesCall) || rep.can("interactions.read", csCall) || rep.can("interactions.coach", salesCall) {
			t.Error("a recorder must listen to own calls only, without coaching")
		}
		wantSeatPool(t, o.Owner, "RECORDER", 5, 2)
	})
}

// "To those main roles you can give additional access by assigning Manager
// or Admin." Roles add up: the member's permissions are the union.
func TestSeed004ManagerOrAdminOnTopAddsUp(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Jiminny Union", "PRO", jiminnyProducts)
		o.team("Sales", "")
		o.team("Support", "")
		lead := o.member("lead@union.example", []string{"recorder", "manager"}, []string{"Sales"}, []string{"RECORDER"})
		o.manage("Sales", lead)
		coach := o.member("coach@union.example", []string{"analyst", "manager"}, nil, nil)
		o.manage("Support", coach)
		rep := o.member("rep@union.example", []string{"recorder"}, []string{"Sales"}, []string{"RECORDER"})
		agent := o.member("agent@union.example", []string{"recorder"}, []string{"Support"}, []string{"RECORDER"})
		repCall := o.interaction("rep call", rep, "Sales")
		agentCall := o.interaction("support call", agent, "Support")

		recorderOnly := memberGrantMap(t, o.Owner, rep.MemberID)
		if recorderOnly["interactions.read"] != "OWN" || recorderOnly["members.write"] != "" || recorderOnly["interactions.record"] != "OWN" {
			t.Fatalf("Recorder alone: %v", specsOf(recorderOnly))
		}
		// Recorder + Manager: records (Recorder + seat) and sees the team (Manager).
		g := memberGrantMap(t, o.Owner, lead.MemberID)
		for p, want := range map[string]string{"interactions.read": "TEAM", "interactions.coach": "TEAM", "members.write": "TEAM",
			"analytics.read": "TEAM", "interactions.record": "OWN", "voice.dial": ""} {
			if g[p] != want {
				t.Errorf("Recorder + Manager: %s at %q, want %q", p, g[p], want)
			}
		}
		if !lead.can("interactions.read", repCall) || lead.can("interactions.read", agentCall) || !lead.can("interactions.record", "") {
			t.Error("Recorder + Manager must record and see only their team's calls")
		}
		// Insights + Manager: the wider scope wins; no recording without a seat.
		g = memberGrantMap(t, o.Owner, coach.MemberID)
		for p, want := range map[string]string{"interactions.read": "ALL", "interactions.coach": "ALL", "analytics.read": "ALL",
			"members.write": "TEAM", "teams.write": "TEAM", "interactions.record": ""} {
			if g[p] != want {
				t.Errorf("Insights + Manager: %s at %q, want %q", p, g[p], want)
			}
		}
		if !coach.can("members.write", agent.MemberID) || coach.can("members.write", rep.MemberID) {
			t.Error("Insights + Manager must manage their own team's members only")
		}
		if !coach.can("interactions.read", repCall) {
			t.Error("Insights + Manager lost Insights' access to every call")
		}

		// Taking Manager off takes its additions away; Admin on top gives everything.
		o.Owner.ok(mutSetRoles, map[string]any{"m": lead.MemberID, "r": []string{o.role("recorder")}})
		g = memberGrantMap(t, o.Owner, lead.MemberID)
		if g["interactions.read"] != "OWN" || g["members.write"] != "" || g["interactions.record"] != "OWN" {
			t.Errorf("Recorder again: %v", specsOf(g))
		}
		if lead.can("interactions.read", repCall) {
			t.Error("without Manager the lead still hears the team's calls")
		}
		o.Owner.ok(mutSetRoles, map[string]any{"m": lead.MemberID, "r": []string{o.role("recorder"), o.role("admin")}})
		g = memberGrantMap(t, o.Owner, lead.MemberID)
		if g["interactions.read"] != "ALL" || g["members.write"] != "ALL" || g["seats.write"] != "ALL" || g["interactions.record"] != "OWN" {
			t.Errorf("Recorder + Admin: %v", specsOf(g))
		}
		if !lead.can("interactions.read", agentCall) {
			t.Error("Recorder + Admin cannot hear every call")
		}
	})
}

// "Managers are appointed for each Team ... They have default views over
// their teams for reporting and OnDemand. Managers can invite and manage
// their team members as well as do the custom setup they want for their
// team."
func TestSeed004ManagersRunTheirTeams(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Jiminny Teams", "PRO", jiminnyProducts)
		o.team("Sales", "")
		o.team("Sales EMEA", "Sales")
		o.team("Customer Success", "")
		mgr := o.member("mgr@teams.example", []string{"recorder", "manager"}, []string{"Sales"}, []string{"RECORDER"})
		o.manage("Sales", mgr)
		rep := o.member("rep@teams.example", []string{"recorder"}, []string{"Sales"}, []string{"RECORDER"})
		emeaRep := o.member("emea@teams.example", []string{"recorder"}, []string{"Sales EMEA"}, []string{"RECORDER"})
		csm := o.member("csm@teams.example", []string{"recorder"}, []string{"Customer Success"}, []string{"RECORDER"})
		repCall := o.interaction("rep call", rep, "Sales")
		emeaCall := o.interaction("emea call", emeaRep, "Sales EMEA")
		csCall := o.interaction("cs call", csm, "Customer Success")
		ownCall := str(mgr.ok(mutCreateOwnCall, map[string]any{"t": "manager's own call"}), "createInteraction", "id")

		// Appointed per team; default views over their teams.
		d := mgr.ok(`{ viewer { managedTeams { id } } }`, nil)
		if mt := get(d, "viewer", "managedTeams").([]any); len(mt) != 1 || str(mt[0], "id") != o.teams["Sales"] {
			t.Fatalf("managedTeams: %v", mt)
		}
		if got := mgr.visible(); !equalSets(got, setOf(repCall, emeaCall, ownCall)) {
			t.Errorf("manager lists %s, want their teams' calls", keys(got))
		}
		if !mgr.can("analytics.read", rep.MemberID) || !mgr.can("analytics.read", emeaRep.MemberID) || mgr.can("analytics.read", csm.MemberID) {
			t.Error("manager's reports must cover their teams only")
		}
		if mgr.can("interactions.read", csCall) {
			t.Error("manager hears another team's call")
		}

		// Invite into their teams only, with roles within their own.
		hire := o.memberBy(mgr, "hire@teams.example", []string{"recorder"}, []string{"Sales EMEA"}, nil)
		if !mgr.can("members.write", hire.MemberID) {
			t.Error("the manager cannot manage the member they invited")
		}
		failsWithPermission(t, mgr, "FORBIDDEN", "members.write", mutInvite,
			inviteVars("cs.hire@teams.example", []string{o.role("recorder")}, []string{o.teams["Customer Success"]}, nil))
		failsWithPermission(t, mgr, "FORBIDDEN", "members.write", mutInvite,
			inviteVars("teamless@teams.example", []string{o.role("recorder")}, nil, nil))
		mgr.fails("ESCALATION", "", mutInvite,
			inviteVars("boss@teams.example", []string{o.role("admin")}, []string{o.teams["Sales"]}, nil))
		mgr.fails("ESCALATION", "", mutInvite,
			inviteVars("analyst@teams.example", []string{o.role("analyst")}, []string{o.teams["Sales"]}, nil))

		// Manage their team members, not others; never promote to Admin.
		d = mgr.ok(mutSetRoles, map[string]any{"m": rep.MemberID, "r": []string{o.role("recorder"), o.role("manager")}})
		if r := memberRoleSet(t, o.Owner, rep.MemberID); !equalSets(r, setOf(o.role("recorder"), o.role("manager"))) {
			t.Fatalf("rep's roles after the manager's change: %s", keys(r))
		}
		mgr.fails("ESCALATION", "", mutSetRoles, map[string]any{"m": emeaRep.MemberID, "r": []string{o.role("admin")}})
		failsWithPermission(t, mgr, "FORBIDDEN", "members.write", mutSetRoles, map[string]any{"m": csm.MemberID, "r": []string{o.role("recorder"), o.role("manager")}})
		failsWithPermission(t, mgr, "FORBIDDEN", "members.write", mutDeactivate, map[string]any{"m": csm.MemberID})
		mgr.fails("FORBIDDEN", "", mutSetRoles, map[string]any{"m": mgr.MemberID, "r": []string{o.role("admin")}})
		if r := memberRoleSet(t, o.Owner, emeaRep.MemberID); !equalSets(r, setOf(o.role("recorder"))) {
			t.Fatalf("a refused change altered roles: %s", keys(r))
		}
		d = mgr.ok(mutDeactivate, map[string]any{"m": emeaRep.MemberID})
		if str(d, "deactivateMember", "status") != "DEACTIVATED" {
			t.Fatalf("deactivateMember: %v", d)
		}
		mgr.ok(mutReactivate, map[string]any{"m": emeaRep.MemberID})

		// Custom setup for their team: sub-teams and names, not other teams.
		d = mgr.ok(`mutation($p: ID) { createTeam(input: {name: "Sales Nordics", parentId: $p}) { id parent { id } } }`,
			map[string]any{"p": o.teams["Sales"]})
		if str(d, "createTeam", "parent", "id") != o.teams["Sales"] {
			t.Fatalf("createTeam: %v", d)
		}
		mgr.ok(`mutation($t: ID!) { renameTeam(id: $t, name: "Sales Europe") { name } }`, map[string]any{"t": o.teams["Sales EMEA"]})
		failsWithPermission(t, mgr, "FORBIDDEN", "teams.write", `mutation($p: ID) { createTeam(input: {name: "CS Nordics", parentId: $p}) { id } }`,
			map[string]any{"p": o.teams["Customer Success"]})
		failsWithPermission(t, mgr, "FORBIDDEN", "teams.write", `mutation($t: ID!) { renameTeam(id: $t, name: "Mine now") { name } }`,
			map[string]any{"t": o.teams["Customer Success"]})
		failsWithPermission(t, mgr, "FORBIDDEN", "teams.write", `mutation { createTeam(input: {name: "Top level"}) { id } }`, nil)

		// The used licences are visible to the manager.
		wantSeatPool(t, mgr, "RECORDER", 5, 4)
	})
}

// "Admins have full permissions and total control over all settings and
// configurations."
func TestSeed004AdminControlsSettings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Jiminny Admin", "PRO", jiminnyProducts)
		o.team("Sales", "")
		admin := o.member("admin@admin.example", []string{"admin"}, nil, nil)
		rep := o.member("rep@admin.example", []string{"recorder"}, []string{"Sales"}, nil)
		call := o.interaction("rep call", rep, "Sales")

		for _, p := range []string{"integrations.write", "seats.write", "members.write", "members.delete", "teams.write", "teams.delete",
			"guests.write", "labels.write", "telephony.write", "opening_hours.write", "scorecards.write", "audit_log.read", "account.read"} {
			if !admin.can(p, "") {
				t.Errorf("admin cannot %s", p)
			}
		}
		for _, p := range []string{"interactions.read", "interactions.download", "interactions.delete", "interactions.coach"} {
			if !admin.can(p, call) {
				t.Errorf("admin cannot %s a call", p)
			}
		}
		// Teams and users are theirs to configure, and distributing licences;
		// buying them is the account's (seed 001: "To purchase additional
		// licenses, Account permission is required"), which the admin lacks.
		failsWithPermission(t, admin, "FORBIDDEN", "account.write", mutSeatTotal, map[string]any{"k": "VOICE", "n": 3})
		d := o.Owner.ok(mutSeatTotal, map[string]any{"k": "VOICE", "n": 3})
		if get(d, "setSeatTotal", "total") != float64(3) {
			t.Fatalf("setSeatTotal: %v", d)
		}
		admin.ok(mutAssignSeat, map[string]any{"m": rep.MemberID, "k": "RECORDER"})
		admin.ok(mutAssignSeat, map[string]any{"m": rep.MemberID, "k": "VOICE"})
		wantSeatPool(t, admin, "VOICE", 3, 1)
		admin.ok(`mutation { createTeam(input: {name: "Partnerships"}) { id } }`, nil)
		o.memberBy(admin, "partner@admin.example", []string{"recorder", "manager"}, nil, []string{"RECORDER"})
		admin.ok(mutSetRoles, map[string]any{"m": rep.MemberID, "r": []string{o.role("recorder"), o.role("manager")}})
		if !rep.can("voice.dial", "") || !rep.can("members.write", "") {
			t.Error("the admin's configuration did not reach the rep")
		}
		// Custom roles stay with the account owner (seed 003's rule, also the API's).
		failsWithPermission(t, admin, "FORBIDDEN", "roles.write", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "SDR", "cloneFromId": o.role("recorder")}})
	})
}
