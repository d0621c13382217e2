package e2e

import (
	"encoding/json"
	"testing"
)

// Seed 002 ("Roles & Permissions" of a CX platform): default roles Admin,
// Auditor and Agent; modules per product; Disabled / Own / All per Read,
// Write and Delete; reset to defaults; cloned and custom roles.

// "Admins have full access to all modules ... Auditors can read
// interactions, access analytics and observability reports, perform QA
// evaluations ... Agents can only interact with resources assigned to them
// or created by them ... view their own evaluations ... do not have write
// or delete access to administrative or configuration modules."
func TestSeed002DefaultRoles(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("CX Cloud", "PRO", nil)
		o.team("Tier 1", "")
		admin := o.member("admin@cx.example", []string{"admin"}, nil, nil)
		auditor := o.member("auditor@cx.example", []string{"auditor"}, nil, nil)
		agent := o.member("agent@cx.example", []string{"agent"}, []string{"Tier 1"}, nil)
		peer := o.member("peer@cx.example", []string{"agent"}, []string{"Tier 1"}, nil)

		iOwn := o.interaction("agent's own call", agent, "Tier 1")
		iAssigned := o.interaction("peer's call assigned to agent", peer, "Tier 1", agent)
		iPeer := o.interaction("peer's call", peer, "Tier 1")
		iAdmin := o.interaction("admin's call", admin, "")

		// Agent: only what is assigned to them or theirs.
		if got := agent.visible(); !sameSet(got, iOwn, iAssigned) {
			t.Errorf("agent lists %s, want exactly own + assigned", keys(got))
		}
		d := agent.ok(`query($i: ID!) { interaction(id: $i) { id } }`, map[string]any{"i": iPeer})
		if get(d, "interaction") != nil {
			t.Errorf("agent opens a teammate's call: %v", d)
		}
		d = agent.ok(`query($i: ID!) { interaction(id: $i) { viewerCan { read write delete download } } }`, map[string]any{"i": iAssigned})
		if vc := get(d, "interaction", "viewerCan"); get(vc, "read") != true || get(vc, "write") != false || get(vc, "delete") != false {
			t.Errorf("agent's flags on an assigned call: %v", vc)
		}

		// Auditor: reads every interaction, analytics, observability.
		if got := auditor.visible(); !sameSet(got, iOwn, iAssigned, iPeer, iAdmin) {
			t.Errorf("auditor lists %s, want all 4", keys(got))
		}
		if !auditor.can("analytics.read", peer.MemberID) || !auditor.can("observability.read", "") {
			t.Error("auditor cannot access analytics or observability")
		}
		if auditor.can("interactions.write", iPeer) || auditor.can("interactions.delete", iPeer) {
			t.Error("auditor modifies interactions")
		}
		// ...and performs QA evaluations, on any interaction.
		e1 := auditor.evaluate(iOwn, agent.MemberID, 81)
		e2 := auditor.evaluate(iPeer, peer.MemberID, 64)
		e3 := auditor.evaluate(iAssigned, agent.MemberID, 90)
		e4 := auditor.evaluate(iAdmin, admin.MemberID, 99)
		if got := auditor.evaluationIDs(); !sameSet(got, e1, e2, e3, e4) {
			t.Errorf("auditor reads evaluations %s, want all 4", keys(got))
		}
		// The agent views their own evaluations only, and evaluates nobody.
		if got := agent.evaluationIDs(); !sameSet(got, e1, e3) {
			t.Errorf("agent reads evaluations %s, want their own two", keys(got))
		}
		if got := peer.evaluationIDs(); !sameSet(got, e2) {
			t.Errorf("peer reads evaluations %s, want their own one", keys(got))
		}
		if agent.can("evaluations.read", e2) || !agent.can("evaluations.read", e1) {
			t.Error("agent's evaluation reads are not limited to their own")
		}
		agent.failsWith("FORBIDDEN", "evaluations.write", qEvaluate,
			map[string]any{"in": map[string]any{"interactionId": iOwn, "agentId": agent.MemberID, "score": 100}})

		// No write or delete on administrative or configuration modules.
		d = agent.ok(`{ permissionCatalog { key product actions { key permission } } }`, nil)
		for _, m := range get(d, "permissionCatalog").([]any) {
			if get(m, "product") != nil || str(m, "key") == "preferences" {
				continue // product modules are not administration; preferences are personal
			}
			for _, a := range get(m, "actions").([]any) {
				if k := str(a, "key"); (k == "write" || k == "delete") && agent.can(str(a, "permission"), "") {
					t.Errorf("agent can %s", str(a, "permission"))
				}
			}
		}
		agent.failsWith("FORBIDDEN", "teams.write", qCreateTeam, map[string]any{"in": map[string]any{"name": "Agents"}})
		agent.failsWith("FORBIDDEN", "roles.write", qCreateRole, map[string]any{"in": map[string]any{"name": "Mine"}})
		agent.failsWith("FORBIDDEN", "members.write", qInvite, map[string]any{"in": map[string]any{"email": "x@cx.example", "name": "X",
			"roleIds": []string{o.role("agent")}}})
		agent.failsWith("FORBIDDEN", "interactions.delete", `mutation($i: ID!) { deleteInteraction(id: $i) }`, map[string]any{"i": iOwn})
		// "User Preferences: Agents can update their own preferences only."
		if !agent.can("preferences.write", agent.MemberID) || agent.can("preferences.write", peer.MemberID) {
			t.Error("agent's preferences are not own-only")
		}
		// Auditors do not administer either.
		auditor.failsWith("FORBIDDEN", "teams.write", qCreateTeam, map[string]any{"in": map[string]any{"name": "Auditors"}})

		// Admin: users and teams, integrations, QA settings, every AI
		// module, analytics, exports, all records.
		admin.ok(qCreateTeam, map[string]any{"in": map[string]any{"name": "Tier 2"}})
		o.memberBy(admin, "new.agent@cx.example", []string{"agent"}, nil, nil)
		for _, p := range []string{"integrations.write", "integrations.delete", "scorecards.write", "labels.write", "members.delete"} {
			if !admin.can(p, "") {
				t.Errorf("admin cannot %s", p)
			}
		}
		for _, m := range get(d, "permissionCatalog").([]any) {
			if get(m, "product") != "AI" {
				continue
			}
			for _, a := range get(m, "actions").([]any) {
				if !admin.can(str(a, "permission"), "") {
					t.Errorf("admin cannot %s", str(a, "permission"))
				}
			}
		}
		if !admin.can("analytics.read", peer.MemberID) || !admin.can("interactions.download", iPeer) {
			t.Error("admin cannot see analytics or export recordings")
		}
		d = admin.ok(`query($i: ID!) { interaction(id: $i) { viewerCan { read write delete download } } }`, map[string]any{"i": iPeer})
		if vc := get(d, "interaction", "viewerCan"); get(vc, "read") != true || get(vc, "write") != true || get(vc, "delete") != true || get(vc, "download") != true {
			t.Errorf("admin's flags on someone's call: %v", vc)
		}
		admin.evaluate(iPeer, peer.MemberID, 70)
		admin.ok(`mutation($i: ID!) { deleteInteraction(id: $i) }`, map[string]any{"i": iPeer})
		if got := auditor.visible(); got[iPeer] || len(got) != 3 {
			t.Errorf("after the admin's delete the auditor lists %s", keys(got))
		}
		if got := peer.evaluationIDs(); len(got) != 0 {
			t.Errorf("evaluations of a deleted call remain: %s", keys(got))
		}
	})
}

// "Modules appear only if the customer has the corresponding product
// enabled." / "If Quality is not enabled, it will not appear. If AI
// Metrics and AI Transcription are enabled, both modules will be visible."
func TestSeed002ModulesFollowProducts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("CX No QA", "PRO", []string{"CONVERSATIONS", "AI"})
		auditor := o.member("auditor@noqa.example", []string{"auditor"}, nil, nil)
		agent := o.member("agent@noqa.example", []string{"agent"}, nil, nil)
		call := o.interaction("a call", agent, "")

		mods := o.Owner.moduleKeys()
		for _, m := range []string{"interactions", "analytics", "observability", "ai_metrics", "ai_transcription", "ai_tagging", "ai_process", "members", "roles", "integrations"} {
			if !mods[m] {
				t.Errorf("module %s is hidden", m)
			}
		}
		for _, m := range []string{"evaluations", "scorecards", "knowledge_base", "contact_center", "voice", "messaging"} {
			if mods[m] {
				t.Errorf("module %s of a product not enabled is listed", m)
			}
		}
		// Quality is off: nobody reads or writes evaluations.
		for _, c := range []*client{o.Owner, auditor, agent} {
			if c.can("evaluations.read", "") || c.can("evaluations.write", "") {
				t.Errorf("%s can evaluations with Quality disabled", c.MemberID)
			}
		}
		auditor.failsWith("PRODUCT_DISABLED", "evaluations.write", qEvaluate,
			map[string]any{"in": map[string]any{"interactionId": call, "agentId": agent.MemberID, "score": 50}})
		auditorOff := o.Owner.memberGrants(auditor.MemberID)
		agentOff := o.Owner.memberGrants(agent.MemberID)
		if hasItem(auditorOff, "evaluations.read:ALL") {
			t.Errorf("auditor's grants list evaluations with Quality off: %v", auditorOff)
		}

		// Enabling Quality shows it and grants what the roles say.
		o.Owner.ok(`mutation { enableProduct(product: QUALITY) { products } }`, nil)
		if mods := auditor.moduleKeys(); !mods["evaluations"] || !mods["scorecards"] {
			t.Error("Quality modules hidden after enableProduct")
		}
		auditorOn := o.Owner.memberGrants(auditor.MemberID)
		agentOn := o.Owner.memberGrants(agent.MemberID)
		if !hasItem(auditorOn, "evaluations.read:ALL") || !hasItem(auditorOn, "evaluations.write:ALL") {
			t.Errorf("auditor's grants with Quality on: %v", auditorOn)
		}
		if !hasItem(agentOn, "evaluations.read:OWN") || hasItem(agentOff, "evaluations.read:OWN") {
			t.Errorf("agent's grants with Quality off %v, on %v", agentOff, agentOn)
		}
		if got := withoutModules(agentOn, "evaluations", "scorecards"); !sameList(got, agentOff) {
			t.Errorf("enabling Quality changed the agent's other grants: %v vs %v", got, agentOff)
		}
		if got := withoutModules(auditorOn, "evaluations", "scorecards"); !sameList(got, auditorOff) {
			t.Errorf("enabling Quality changed other grants: %v vs %v", got, auditorOff)
		}
		ev := auditor.evaluate(call, agent.MemberID, 77)
		if got := agent.evaluationIDs(); !sameSet(got, ev) {
			t.Errorf("agent reads %s, want their evaluation", keys(got))
		}

		// Disabling Quality hides it and denies everyone, keeping the roles.
		d := o.Owner.ok(`mutation { disableProduct(product: QUALITY) { modules { key } } }`, nil)
		for _, m := range get(d, "disableProduct", "modules").([]any) {
			if k := str(m, "key"); k == "evaluations" || k == "scorecards" {
				t.Errorf("module %s listed with Quality disabled", k)
			}
		}
		for _, c := range []*client{o.Owner, auditor, agent} {
			if c.can("evaluations.read", "") || c.can("evaluations.read", ev) {
				t.Errorf("%s reads evaluations with Quality disabled", c.MemberID)
			}
			if got := c.evaluationIDs(); len(got) != 0 {
				t.Errorf("%s lists evaluations %s with Quality disabled", c.MemberID, keys(got))
			}
		}
		if got := whoCanIDs(o.Owner, "evaluations.read", ev); len(got) != 0 {
			t.Errorf("whoCan(evaluations.read) with Quality disabled: %s", keys(got))
		}
		if got := o.Owner.memberGrants(auditor.MemberID); !sameList(got, auditorOff) {
			t.Errorf("auditor's grants with Quality off again: %v, want %v", got, auditorOff)
		}
		if !hasItem(o.Owner.roleGrants(o.role("auditor")), "evaluations.write:ALL") {
			t.Error("the auditor role lost evaluations.write when Quality was disabled")
		}

		// Re-enabling restores exactly the same grants.
		o.Owner.ok(`mutation { enableProduct(product: QUALITY) { products } }`, nil)
		if got := o.Owner.memberGrants(auditor.MemberID); !sameList(got, auditorOn) {
			t.Errorf("auditor's grants after re-enabling: %v, want %v", got, auditorOn)
		}
		if got := o.Owner.memberGrants(agent.MemberID); !sameList(got, agentOn) {
			t.Errorf("agent's grants after re-enabling: %v, want %v", got, agentOn)
		}
		if !agent.can("evaluations.read", ev) {
			t.Error("agent cannot read their evaluation after re-enabling Quality")
		}
		if got := whoCanIDs(o.Owner, "evaluations.read", ev); !sameSet(got, o.Owner.MemberID, auditor.MemberID, agent.MemberID) {
			t.Errorf("whoCan(evaluations.read) after re-enabling: %s, want owner, auditor, evaluated agent", keys(got))
		}

		// AI Metrics and AI Transcription come and go with AI.
		o.Owner.ok(`mutation { disableProduct(product: AI) { products } }`, nil)
		if mods := o.Owner.moduleKeys(); mods["ai_metrics"] || mods["ai_transcription"] {
			t.Error("AI modules listed with AI disabled")
		}
		if got := o.Owner.memberGrants(agent.MemberID); !sameList(got, agentOn) {
			t.Errorf("disabling AI changed an agent's grants (the agent has no AI grants): %v", got)
		}
	})
}

// "A 'Reset Permissions' button to restore defaults." / "Changes to roles
// apply instantly across the platform."
func TestSeed002ResetPermissions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("CX Reset", "PRO", nil)
		o.team("Tier 1", "")
		admin := o.member("admin@reset.example", []string{"admin"}, nil, nil)
		auditor := o.member("auditor@reset.example", []string{"auditor"}, nil, nil)
		agent := o.member("agent@reset.example", []string{"agent"}, []string{"Tier 1"}, nil)
		peer := o.member("peer@reset.example", []string{"agent"}, []string{"Tier 1"}, nil)
		mine := o.interaction("agent's call", agent, "Tier 1")
		theirs := o.interaction("peer's call", peer, "Tier 1")
		agentRole, auditorRole := o.role("agent"), o.role("auditor")
		agentDefaults := o.Owner.roleGrants(agentRole)
		auditorDefaults := o.Owner.roleGrants(auditorRole)

		// Widen the agent role: the very next answer changes.
		if agent.can("interactions.read", theirs) {
			t.Fatal("agent reads a teammate's call by default")
		}
		widened := []string{}
		for _, g := range agentDefaults {
			if g == "interactions.read:OWN" {
				g = "interactions.read:TEAM"
			}
			widened = append(widened, g)
		}
		if got := o.Owner.setGrants(agentRole, widened...); !sameList(got, sortedSpecs(widened...)) {
			t.Errorf("setRoleGrants answered %v", got)
		}
		if !agent.can("interactions.read", theirs) || !peer.can("interactions.read", mine) {
			t.Error("a widened system role does not apply at once")
		}
		// What a reset would restore is readable before resetting (the
		// console shows it): the defaults, not the widened grants.
		defaults := o.Owner.ok(`query($id: ID!) { role(id: $id) { defaultGrants { permission scope } } }`, map[string]any{"id": agentRole})
		if got := grantList(get(defaults, "role", "defaultGrants")); !sameList(got, agentDefaults) {
			t.Errorf("defaultGrants of the widened agent role: %v, want %v", got, agentDefaults)
		}
		if got := agent.visible(); !sameSet(got, mine, theirs) {
			t.Errorf("agent lists %s after the change, want both Tier 1 calls", keys(got))
		}
		// The matrix is replaced: missing permissions are DISABLED.
		if got := o.Owner.setGrants(agentRole, "interactions.read:OWN"); !sameList(got, []string{"interactions.read:OWN"}) {
			t.Errorf("role holds %v, want only interactions.read:OWN", got)
		}
		if got := agent.memberGrants(agent.MemberID); !sameList(got, []string{"interactions.read:OWN"}) {
			t.Errorf("agent's grants are %v after the matrix was replaced", got)
		}
		if agent.can("preferences.write", agent.MemberID) || agent.can("analytics.read", agent.MemberID) {
			t.Error("permissions left out of the matrix still apply")
		}

		// Reset restores the defaults, and the next answer follows.
		d := o.Owner.ok(qResetRole, map[string]any{"r": agentRole})
		if got := grantList(get(d, "resetRole", "grants")); !sameList(got, agentDefaults) {
			t.Errorf("reset agent role holds %v, want %v", got, agentDefaults)
		}
		if agent.can("interactions.read", theirs) || !agent.can("interactions.read", mine) || !agent.can("preferences.write", agent.MemberID) {
			t.Error("the agent's answers did not return to the defaults after reset")
		}
		if got := agent.visible(); !sameSet(got, mine) {
			t.Errorf("agent lists %s after reset, want only their call", keys(got))
		}

		// Narrow the auditor: evaluations stop at once; reset brings them back.
		var narrowed []string
		for _, g := range auditorDefaults {
			if g != "evaluations.write:ALL" {
				narrowed = append(narrowed, g)
			}
		}
		o.Owner.setGrants(auditorRole, narrowed...)
		auditor.failsWith("FORBIDDEN", "evaluations.write", qEvaluate,
			map[string]any{"in": map[string]any{"interactionId": theirs, "agentId": peer.MemberID, "score": 40}})
		o.Owner.ok(qResetRole, map[string]any{"r": auditorRole})
		if got := o.Owner.roleGrants(auditorRole); !sameList(got, auditorDefaults) {
			t.Errorf("reset auditor role holds %v, want %v", got, auditorDefaults)
		}
		auditor.evaluate(theirs, peer.MemberID, 40)
		// The reset is on record with the matrix before and after.
		d = o.Owner.ok(qAuditLog, nil)
		var reset any
		for _, ed := range get(d, "auditLog", "edges").([]any) {
			if str(ed, "node", "action") == "resetRole" && str(ed, "node", "targetId") == auditorRole {
				reset = get(ed, "node")
				break
			}
		}
		if reset == nil {
			t.Error("no resetRole event for the auditor role")
		} else {
			var before, after struct {
				Grants []struct{ Permission, Scope string }
			}
			_ = json.Unmarshal([]byte(str(reset, "before")), &before)
			_ = json.Unmarshal([]byte(str(reset, "after")), &after)
			specs := func(gs []struct{ Permission, Scope string }) []string {
				out := []string{}
				for _, g := range gs {
					out = append(out, g.Permission+":"+g.Scope)
				}
				return sortedSpecs(out...)
			}
			if str(reset, "actor", "id") != o.Owner.MemberID || !sameList(specs(before.Grants), sortedSpecs(narrowed...)) ||
				!sameList(specs(after.Grants), auditorDefaults) {
				t.Errorf("resetRole event: %v", reset)
			}
		}

		// Who may edit and reset: roles.write, never the owner role, never
		// a custom role's "defaults", never deleting a system role.
		admin.failsWith("FORBIDDEN", "roles.write", qSetGrants, map[string]any{"r": agentRole, "g": grantInputs("interactions.read:ALL")})
		admin.failsWith("FORBIDDEN", "roles.write", qResetRole, map[string]any{"r": agentRole})
		o.Owner.failsWith("FORBIDDEN", "roles.write", qSetGrants, map[string]any{"r": o.role("owner"), "g": grantInputs("interactions.read:OWN")})
		custom := o.customRole("Light Team Lead", "interactions.read:TEAM")
		o.Owner.fails("BAD_USER_INPUT", "roleId", qResetRole, map[string]any{"r": custom})
		o.Owner.fails("CONFLICT", "", `mutation($r: ID!) { deleteRole(id: $r) }`, map[string]any{"r": agentRole})
		d = o.Owner.ok(`query($r: ID!) { role(id: $r) { system key memberCount } }`, map[string]any{"r": agentRole})
		if get(d, "role", "system") != true || str(d, "role", "key") != "agent" || get(d, "role", "memberCount") != float64(2) {
			t.Errorf("agent role after edits: %v", d)
		}
	})
}

// "Organizations can clone existing roles or create new ones: a QA
// Specialist with read access to interactions and write access to
// evaluations; a Data Analyst with read-only access to analytics and
// observability; a Light Team Lead role with limited write permissions."
func TestSeed002CloneRoles(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("CX Clone", "PRO", nil)
		o.team("Tier 1", "")
		o.team("Tier 2", "")
		auditorRole, managerRole := o.role("auditor"), o.role("manager")
		auditorGrants := o.Owner.roleGrants(auditorRole)
		managerGrants := o.Owner.roleGrants(managerRole)

		// A plain clone is an independent copy.
		copyID := o.customRoleBy(o.Owner, "Auditor copy", auditorRole)
		if got := o.Owner.roleGrants(copyID); !sameList(got, auditorGrants) {
			t.Errorf("clone holds %v, want the auditor's %v", got, auditorGrants)
		}
		d := o.Owner.ok(`query($r: ID!) { role(id: $r) { name description system key } }`, map[string]any{"r": copyID})
		if str(d, "role", "description") != "Cloned from Auditor" || get(d, "role", "system") != false {
			t.Errorf("clone: %v", d)
		}

		// QA Specialist: cloned from the auditor, narrowed.
		qaID := o.customRoleBy(o.Owner, "QA Specialist", auditorRole,
			"interactions.read:ALL", "evaluations.read:OWN", "evaluations.write:ALL")
		// Data Analyst: from scratch, read-only.
		daID := o.customRole("Data Analyst", "analytics.read:ALL", "observability.read:ALL")
		// Light Team Lead: the manager without write on interactions, teams or members.
		var light []string
		for _, g := range managerGrants {
			switch g {
			case "interactions.write:TEAM", "interactions.delete:TEAM", "teams.write:TEAM", "members.write:TEAM", "evaluations.delete:TEAM":
				continue
			}
			light = append(light, g)
		}
		lightID := o.customRoleBy(o.Owner, "Light Team Lead", managerRole, light...)

		qa := o.member("qa@clone.example", []string{"agent"}, nil, nil)
		analyst := o.member("analyst@clone.example", []string{"agent"}, nil, nil)
		lead := o.member("lead@clone.example", []string{"agent"}, []string{"Tier 1"}, []string{"RECORDER"})
		o.manage("Tier 1", lead)
		a1 := o.member("a1@clone.example", []string{"agent"}, []string{"Tier 1"}, nil)
		a2 := o.member("a2@clone.example", []string{"agent"}, []string{"Tier 2"}, nil)
		c1 := o.interaction("tier 1 call", a1, "Tier 1")
		c2 := o.interaction("tier 2 call", a2, "Tier 2")
		if qa.can("interactions.read", c2) {
			t.Fatal("agent reads another's call before any custom role")
		}

		// Assigned, the roles answer at once.
		o.Owner.setRoles(qa.MemberID, qaID)
		o.Owner.setRoles(analyst.MemberID, daID)
		o.Owner.setRoles(lead.MemberID, lightID)

		if got := qa.memberGrants(qa.MemberID); !sameList(got, sortedSpecs("interactions.read:ALL", "evaluations.read:OWN", "evaluations.write:ALL")) {
			t.Errorf("QA Specialist's grants: %v", got)
		}
		if got := qa.visible(); !sameSet(got, c1, c2) {
			t.Errorf("QA Specialist lists %s, want both calls", keys(got))
		}
		if qa.can("interactions.write", c1) || qa.can("analytics.read", a1.MemberID) {
			t.Error("QA Specialist writes calls or reads analytics (cloned grants leaked)")
		}
		ev := qa.evaluate(c2, a2.MemberID, 88)
		if got := qa.evaluationIDs(); !sameSet(got, ev) {
			t.Errorf("QA Specialist reads %s, want the evaluation they made", keys(got))
		}
		if got := a2.evaluationIDs(); !sameSet(got, ev) {
			t.Errorf("the evaluated agent reads %s", keys(got))
		}

		if got := analyst.memberGrants(analyst.MemberID); !sameList(got, sortedSpecs("analytics.read:ALL", "observability.read:ALL")) {
			t.Errorf("Data Analyst's grants: %v", got)
		}
		if !analyst.can("analytics.read", a1.MemberID) || !analyst.can("analytics.read", a2.MemberID) || !analyst.can("observability.read", "") {
			t.Error("Data Analyst cannot read analytics or observability")
		}
		if got := analyst.visible(); len(got) != 0 {
			t.Errorf("Data Analyst lists calls %s", keys(got))
		}
		// Evaluating needs evaluations.write; a call one cannot read does not even exist for them.
		analyst.fails("BAD_USER_INPUT", "input.interactionId", qEvaluate,
			map[string]any{"in": map[string]any{"interactionId": c1, "agentId": a1.MemberID, "score": 1}})

		// Light Team Lead: sees and coaches the team, writes nothing there.
		if !lead.can("interactions.read", c1) || !lead.can("interactions.coach", c1) || lead.can("interactions.read", c2) {
			t.Error("Light Team Lead's team view is wrong")
		}
		if lead.can("interactions.write", c1) || lead.can("interactions.delete", c1) {
			t.Error("Light Team Lead writes team calls")
		}
		lead.failsWith("FORBIDDEN", "teams.write", qRenameTeam, map[string]any{"t": o.teams["Tier 1"], "n": "Lead's"})
		if !lead.can("interactions.record", "") || !lead.can("evaluations.write", "") {
			t.Error("Light Team Lead lost the manager's remaining abilities")
		}

		// Editing the source later leaves clones alone.
		o.Owner.setGrants(auditorRole, "interactions.read:ALL")
		if got := o.Owner.roleGrants(copyID); !sameList(got, auditorGrants) {
			t.Errorf("editing the auditor changed its clone: %v", got)
		}
		o.Owner.ok(qResetRole, map[string]any{"r": auditorRole})

		// Cloning is creating: not the owner role, not on STARTER.
		o.Owner.fails("BAD_USER_INPUT", "input.cloneFromId", qCreateRole, map[string]any{"in": map[string]any{"name": "Second owner", "cloneFromId": o.role("owner")}})
		o.Owner.fails("CONFLICT", "input.name", qCreateRole, map[string]any{"in": map[string]any{"name": "qa specialist", "cloneFromId": auditorRole}})
		starter := e.newOrg("CX Starter", "STARTER", nil)
		starter.Owner.fails("PLAN_REQUIRED", "", qCreateRole, map[string]any{"in": map[string]any{"name": "QA Specialist", "cloneFromId": starter.role("auditor")}})
	})
}

// "Each module supports different access levels depending on the type of
// action (Read, Write, Delete): Disabled, All, Own (only resources they own
// or that are assigned to them)." / "Some modules allow special modes."
func TestSeed002PermissionLevels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("CX Levels", "PRO", nil)
		roleID := o.customRole("Levels", "interactions.read:ALL", "interactions.write:OWN", "interactions.delete:DISABLED")
		if got := o.Owner.roleGrants(roleID); !sameList(got, sortedSpecs("interactions.read:ALL", "interactions.write:OWN")) {
			t.Errorf("role holds %v; DISABLED grants are not listed", got)
		}
		m := o.member("levels@lv.example", []string{"Levels"}, nil, nil)
		other := o.member("other@lv.example", []string{"agent"}, nil, nil)
		mine := o.interaction("mine", other, "", m) // assigned to m
		theirs := o.interaction("theirs", other, "")

		// Read ALL, Write OWN, Delete DISABLED.
		if !m.can("interactions.read", mine) || !m.can("interactions.read", theirs) {
			t.Error("read ALL does not reach every call")
		}
		if !m.can("interactions.write", mine) || m.can("interactions.write", theirs) {
			t.Error("write OWN is not limited to assigned calls")
		}
		if m.can("interactions.delete", mine) || m.can("interactions.delete", "") {
			t.Error("delete DISABLED allows deleting")
		}
		m.failsWith("FORBIDDEN", "interactions.delete", `mutation($i: ID!) { deleteInteraction(id: $i) }`, map[string]any{"i": mine})

		// Delete OWN: own ones only.
		o.Owner.setGrants(roleID, "interactions.read:ALL", "interactions.write:OWN", "interactions.delete:OWN")
		m.failsWith("FORBIDDEN", "interactions.delete", `mutation($i: ID!) { deleteInteraction(id: $i) }`, map[string]any{"i": theirs})
		m.ok(`mutation($i: ID!) { deleteInteraction(id: $i) }`, map[string]any{"i": mine})
		if got := other.visible(); !sameSet(got, theirs) {
			t.Errorf("after deleting, the owner of both lists %s", keys(got))
		}

		// Each action lists the levels it supports.
		d := o.Owner.ok(`{ permissionCatalog { actions { permission scopes } } }`, nil)
		scopes := map[string]string{}
		for _, mod := range get(d, "permissionCatalog").([]any) {
			for _, a := range get(mod, "actions").([]any) {
				var s []string
				for _, x := range get(a, "scopes").([]any) {
					s = append(s, x.(string))
				}
				scopes[str(a, "permission")] = mustJSON(s)
			}
		}
		for p, want := range map[string]string{
			"interactions.read": `["OWN","TEAM","ALL"]`, "evaluations.delete": `["TEAM","ALL"]`,
			"members.read": `["ALL"]`, "preferences.write": `["OWN","ALL"]`, "interactions.record": `["OWN"]`,
		} {
			if scopes[p] != want {
				t.Errorf("%s supports %s, want %s", p, scopes[p], want)
			}
		}

		// A level an action does not support is refused, naming the grant.
		before := o.Owner.roleGrants(roleID)
		o.Owner.fails("BAD_USER_INPUT", "grants[0]", qSetGrants, map[string]any{"r": roleID, "g": grantInputs("members.read:OWN")})
		o.Owner.fails("BAD_USER_INPUT", "grants[1]", qSetGrants, map[string]any{"r": roleID, "g": grantInputs("interactions.read:ALL", "evaluations.delete:OWN")})
		o.Owner.fails("BAD_USER_INPUT", "grants[0]", qSetGrants, map[string]any{"r": roleID, "g": grantInputs("interactions.record:ALL")})
		o.Owner.fails("BAD_USER_INPUT", "grants[0]", qSetGrants, map[string]any{"r": roleID, "g": grantInputs("workflows.write:ALL")})
		o.Owner.fails("BAD_USER_INPUT", "grants[1]", qSetGrants, map[string]any{"r": roleID, "g": grantInputs("interactions.read:ALL", "interactions.read:OWN")})
		o.Owner.fails("BAD_USER_INPUT", "input.grants[1]", qCreateRole, map[string]any{"in": map[string]any{"name": "Broken",
			"grants": grantInputs("analytics.read:TEAM", "members.read:OWN")}})
		if got := o.Owner.roleGrants(roleID); !sameList(got, before) {
			t.Errorf("a refused matrix changed the role: %v, want %v", got, before)
		}
		d = o.Owner.ok(`{ organization { roles { name } } }`, nil)
		for _, r := range get(d, "organization", "roles").([]any) {
			if str(r, "name") == "Broken" {
				t.Error("a role with an unsupported level was created")
			}
		}
	})
}
