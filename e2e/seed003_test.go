package e2e

import (
	"slices"
	"strings"
	"testing"
)

// Seed 003 (a support-chat product): Support Agent, Support Manager, Admin
// and Account Admin/Owner; custom roles on the Pro and Enterprise plans,
// created and updated only by account admins; Global / Group / Restricted
// levels of access (ALL / TEAM / OWN) on private notes.

// supportProducts are the products of the support-chat organization:
// conversations (interactions), messaging (replies, private notes,
// campaigns) and the knowledge base (FAQs).
var supportProducts = []string{"CONVERSATIONS", "MESSAGING", "KNOWLEDGE_BASE"}

// catalogMaxScopes lists, per permission of the enabled modules that needs no
// seat, the widest scope it supports, as the organization's modules say.
func catalogMaxScopes(t *testing.T, c *client) map[string]string {
	t.Helper()
	d := c.ok(`{ organization { modules { actions { permission scopes seat } } } }`, nil)
	out := map[string]string{}
	for _, m := range get(d, "organization", "modules").([]any) {
		for _, a := range get(m, "actions").([]any) {
			if get(a, "seat") != nil {
				continue
			}
			scopes := get(a, "scopes").([]any)
			out[str(a, "permission")] = scopes[len(scopes)-1].(string)
		}
	}
	if len(out) < 20 {
		t.Fatalf("organization.modules lists only %d seatless actions", len(out))
	}
	return out
}

// "Support Agents have access to the least features ... Admin can do
// everything the account admin can do, but Admin cannot create custom roles.
// Account Admin/Owner has access to everything."
func TestSeed003SystemRolesOfASupportTeam(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Support Chat", "PRO", supportProducts)
		o.team("Support", "")
		agent := o.member("agent@chat.example", []string{"agent"}, []string{"Support"}, nil)
		peer := o.member("peer@chat.example", []string{"agent"}, []string{"Support"}, nil)
		admin := o.member("admin@chat.example", []string{"admin"}, nil, nil)

		mine := o.interaction("customer asks about billing", agent, "Support")
		taken := o.interaction("customer chat taken over", peer, "Support", agent)
		theirs := o.interaction("peer's customer", peer, "Support")

		// Account Admin/Owner: every action of every enabled module, at its
		// widest scope (seat-gated actions wait for a seat).
		want := catalogMaxScopes(t, o.Owner)
		owner := memberGrantMap(t, o.Owner, o.Owner.MemberID)
		if got, w := specsOf(owner), specsOf(want); len(got) != len(w) {
			t.Fatalf("owner grants %d permissions, the enabled catalog has %d:\n got %v\nwant %v", len(got), len(w), got, w)
		}
		for p, s := range want {
			if owner[p] != s {
				t.Errorf("owner holds %s at %q, want %s", p, owner[p], s)
			}
		}

		// Admin: everything the owner has but custom roles (and the account itself).
		adm := memberGrantMap(t, o.Owner, admin.MemberID)
		for p, s := range owner {
			switch p {
			case "roles.write", "roles.delete", "account.write":
				if _, ok := adm[p]; ok {
					t.Errorf("admin holds %s", p)
				}
			default:
				if adm[p] != s {
					t.Errorf("admin holds %s at %q, the owner at %s", p, adm[p], s)
				}
			}
		}
		if len(adm) != len(owner)-3 {
			t.Errorf("admin holds %d permissions, want the owner's %d minus 3: %v", len(adm), len(owner), specsOf(adm))
		}
		g := failsWithPermission(t, admin, "FORBIDDEN", "roles.write", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "Night shift", "grants": grantsFromSpecs("messaging.reply:OWN")}})
		if g.Message == "" {
			t.Error("the refusal has no message")
		}
		if !o.Owner.can("roles.write", "") || admin.can("roles.write", "") {
			t.Error("roles.write: owner must, admin must not")
		}
		for _, p := range []string{"campaigns.write", "knowledge_base.write", "members.write", "integrations.write", "contacts.write"} {
			if !admin.can(p, "") {
				t.Errorf("admin cannot %s", p)
			}
		}

		// Support Agents: engage in (their) customer conversations, access
		// the People section, edit their own profile — and the least else.
		if !agent.can("messaging.reply", mine) || !agent.can("messaging.reply", taken) {
			t.Error("an agent cannot reply in their own or their assigned conversation")
		}
		if agent.can("messaging.reply", theirs) {
			t.Error("an agent replies in a conversation that is not theirs")
		}
		if !agent.can("contacts.read", "") {
			t.Error("an agent cannot access the People section")
		}
		if !agent.can("preferences.write", agent.MemberID) || agent.can("preferences.write", peer.MemberID) {
			t.Error("an agent must edit their own profile and only theirs")
		}
		for _, p := range []string{"campaigns.write", "knowledge_base.write", "contacts.write", "members.write", "roles.read", "integrations.read"} {
			if agent.can(p, "") {
				t.Errorf("a support agent can %s", p)
			}
		}
		ag := memberGrantMap(t, o.Owner, agent.MemberID)
		if len(ag) == 0 || len(ag) >= len(adm) {
			t.Fatalf("agent grants %d permissions, admin %d", len(ag), len(adm))
		}
		for p, s := range ag {
			if s != "OWN" && !strings.HasSuffix(p, ".read") {
				t.Errorf("a support agent holds %s at %s: beyond their own things, agents only read", p, s)
			}
		}
	})
}

// "This is available from the Pro and Enterprise plans. Only account admins
// can update or create new custom roles themselves, custom roles users
// themselves cannot do this." "You can give a distinct role name and clone
// an existing role." "Support Managers ... create/edit campaigns and FAQs,
// apart from the access given to Support Agents." Interns "view customer
// conversations ... but not reply to them"; a support team that creates FAQ
// articles "but not launch marketing campaigns".
func TestSeed003CustomRolesOnProByAccountAdmins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Chat Starter", "STARTER", supportProducts)
		o.team("Support", "")
		admin := o.member("admin@starter.example", []string{"admin"}, nil, nil)
		agent := o.member("agent@starter.example", []string{"agent"}, []string{"Support"}, nil)
		conv := o.interaction("customer conversation", agent, "Support")

		// STARTER: no custom roles, not even clones; the admin is refused for the permission first.
		smIn := map[string]any{"name": "Support Manager", "cloneFromId": o.role("agent")}
		o.Owner.fails("PLAN_REQUIRED", "", mutCreateRole, map[string]any{"in": smIn})
		o.Owner.fails("PLAN_REQUIRED", "", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "Intern", "grants": grantsFromSpecs("interactions.read:ALL")}})
		failsWithPermission(t, admin, "FORBIDDEN", "roles.write", mutCreateRole, map[string]any{"in": smIn})
		d := o.Owner.ok(`{ organization { roles { id system } } }`, nil)
		for _, r := range get(d, "organization", "roles").([]any) {
			if get(r, "system") != true {
				t.Fatalf("a custom role exists on STARTER: %v", r)
			}
		}

		o.Owner.ok(mutSetPlan, map[string]any{"p": "PRO"})

		// Clone Support Agent, then edit: Support Manager = agent + campaigns and FAQs.
		d = o.Owner.ok(mutCreateRole, map[string]any{"in": smIn})
		sm := str(d, "createRole", "id")
		o.roles["Support Manager"] = sm
		agentGrants := roleGrantMap(t, o.Owner, o.role("agent"))
		if got, want := specsOf(grantMap(get(d, "createRole", "grants"))), specsOf(agentGrants); len(want) == 0 || !slices.Equal(got, want) {
			t.Fatalf("the clone's grants %v differ from Support Agent's %v", got, want)
		}
		if get(d, "createRole", "system") != false || str(d, "createRole", "name") != "Support Manager" {
			t.Fatalf("clone: %v", d)
		}
		edited := append(specsOf(agentGrants), "campaigns.read:ALL", "campaigns.write:ALL", "knowledge_base.write:ALL")
		d = o.Owner.ok(mutSetGrants, map[string]any{"r": sm, "g": grantsFromSpecs(edited...)})
		smGrants := grantMap(get(d, "setRoleGrants", "grants"))
		if smGrants["campaigns.write"] != "ALL" || smGrants["knowledge_base.write"] != "ALL" || smGrants["messaging.reply"] != agentGrants["messaging.reply"] {
			t.Fatalf("edited Support Manager grants: %v", specsOf(smGrants))
		}
		if got := roleGrantMap(t, o.Owner, o.role("agent")); !slices.Equal(specsOf(got), specsOf(agentGrants)) {
			t.Fatalf("editing the clone changed Support Agent: %v", specsOf(got))
		}
		// A distinct name: a second "support manager" is refused.
		o.Owner.fails("CONFLICT", "input.name", mutCreateRole, map[string]any{"in": map[string]any{"name": "support manager"}})

		lead := o.member("lead@starter.example", []string{"Support Manager"}, []string{"Support"}, nil)
		for _, p := range []string{"campaigns.write", "knowledge_base.write"} {
			if !lead.can(p, "") {
				t.Errorf("Support Manager cannot %s", p)
			}
			if agent.can(p, "") {
				t.Errorf("Support Agent can %s", p)
			}
		}
		leadConv := o.interaction("lead's conversation", lead, "Support")
		if !lead.can("messaging.reply", leadConv) || lead.can("messaging.reply", conv) {
			t.Error("Support Manager does not keep the agent's access to their own conversations")
		}

		// Custom role users cannot create or update roles; neither can Admin.
		failsWithPermission(t, lead, "FORBIDDEN", "roles.write", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "Lead's own", "grants": grantsFromSpecs("messaging.reply:OWN")}})
		failsWithPermission(t, lead, "FORBIDDEN", "roles.write", mutSetGrants,
			map[string]any{"r": sm, "g": grantsFromSpecs(append(edited, "contacts.write:ALL")...)})
		failsWithPermission(t, admin, "FORBIDDEN", "roles.write", mutSetGrants,
			map[string]any{"r": sm, "g": grantsFromSpecs("campaigns.write:ALL")})
		failsWithPermission(t, admin, "FORBIDDEN", "roles.write", mutUpdateRole, map[string]any{"id": sm, "n": "Renamed"})
		if got := roleGrantMap(t, o.Owner, sm); !slices.Equal(specsOf(got), specsOf(smGrants)) {
			t.Fatalf("a refused edit changed Support Manager: %v", specsOf(got))
		}

		// Interns view conversations for training but do not reply; the
		// support team writes FAQs but launches no campaign.
		createRoleWith(t, o, o.Owner, "Intern", "", "interactions.read:ALL", "messaging.reply:DISABLED", "knowledge_base.read:ALL")
		createRoleWith(t, o, o.Owner, "FAQ Writer", "", "knowledge_base.read:ALL", "knowledge_base.write:ALL", "campaigns.read:ALL")
		if g := roleGrantMap(t, o.Owner, o.role("Intern")); len(g) != 2 || g["interactions.read"] != "ALL" {
			t.Fatalf("Intern grants (DISABLED is not a grant): %v", specsOf(g))
		}
		intern := o.member("intern@starter.example", []string{"Intern"}, nil, nil)
		faq := o.member("faq@starter.example", []string{"FAQ Writer"}, nil, nil)
		if !intern.can("interactions.read", conv) || intern.can("messaging.reply", conv) || intern.can("messaging.private_note", conv) {
			t.Error("an intern must view a conversation and not reply to it")
		}
		if !intern.visible()[conv] {
			t.Error("an intern does not list the conversation")
		}
		if !faq.can("knowledge_base.write", "") || faq.can("campaigns.write", "") || !faq.can("campaigns.read", "") {
			t.Error("the FAQ writer must write FAQs and not launch campaigns")
		}

		// Back to STARTER is refused while custom roles exist.
		o.Owner.fails("CONFLICT", "", mutSetPlan, map[string]any{"p": "STARTER"})
	})
}

// "You can also define their levels of access: Global: your agent can add
// private notes on all conversations; Group: only on conversations assigned
// to those groups the agent is a part of; Restricted: only to the
// conversations they are taking up." "You can restrict access to teams to
// not access conversations handled by other regions." "Or you might want an
// agent with an Admin role to be able to manage settings and view the
// Dashboard and Reports of only their teams."
func TestSeed003GlobalGroupRestrictedLevels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Chat Regions", "ENTERPRISE", supportProducts)
		o.team("EMEA", "")
		o.team("EMEA Tier 2", "EMEA")
		o.team("Americas", "")

		level := func(name, scope string) string {
			return createRoleWith(t, o, o.Owner, name, "", "interactions.read:"+scope, "messaging.reply:"+scope,
				"messaging.private_note:"+scope, "contacts.read:ALL")
		}
		level("Global Agent", "ALL")
		group := level("Group Agent", "TEAM")
		level("Restricted Agent", "OWN")

		global := o.member("global@regions.example", []string{"Global Agent"}, []string{"Americas"}, nil)
		grp := o.member("group@regions.example", []string{"Group Agent"}, []string{"EMEA"}, nil)
		lead := o.member("lead@regions.example", []string{"Group Agent"}, nil, nil)
		o.manage("EMEA", lead)
		restricted := o.member("restricted@regions.example", []string{"Restricted Agent"}, []string{"Americas"}, nil)
		emea := o.member("emea@regions.example", []string{"agent"}, []string{"EMEA"}, nil)
		tier2 := o.member("tier2@regions.example", []string{"agent"}, []string{"EMEA Tier 2"}, nil)
		amer := o.member("amer@regions.example", []string{"agent"}, []string{"Americas"}, nil)

		cEMEA := o.interaction("EMEA chat", emea, "EMEA")
		cTier2 := o.interaction("EMEA tier 2 chat", tier2, "EMEA Tier 2")
		cAmer := o.interaction("Americas chat", amer, "Americas")
		cTaken := o.interaction("Americas chat taken up", amer, "Americas", restricted)
		cOwn := o.interaction("restricted agent's chat", restricted, "Americas")
		all := []string{cEMEA, cTier2, cAmer, cTaken, cOwn}
		names := map[string]string{cEMEA: "EMEA", cTier2: "EMEA Tier 2", cAmer: "Americas", cTaken: "taken up", cOwn: "own"}

		cases := []struct {
			who  string
			c    *client
			can  map[string]bool
			list map[string]bool
		}{
			{"Global", global, setOf(all...), setOf(all...)},
			{"Group member of EMEA", grp, setOf(cEMEA), setOf(cEMEA)},
			{"Group manager of EMEA", lead, setOf(cEMEA, cTier2), setOf(cEMEA, cTier2)},
			{"Restricted", restricted, setOf(cTaken, cOwn), setOf(cTaken, cOwn)},
		}
		for _, tc := range cases {
			for _, id := range all {
				for _, p := range []string{"messaging.private_note", "messaging.reply"} {
					if got := tc.c.can(p, id); got != tc.can[id] {
						t.Errorf("%s: can(%s, %s conversation) = %v, want %v", tc.who, p, names[id], got, tc.can[id])
					}
				}
			}
			if got := tc.c.visible(); !equalSets(got, tc.list) {
				t.Errorf("%s lists %s, want %s", tc.who, keys(got), keys(tc.list))
			}
		}

		// Regions do not see each other's conversations, even when asking by team or id.
		d := grp.ok(`query($t: ID) { interactions(teamId: $t) { totalCount edges { node { id } } } }`, map[string]any{"t": o.teams["Americas"]})
		if n := get(d, "interactions", "totalCount"); n != float64(0) {
			t.Errorf("an EMEA agent lists %v Americas conversations", n)
		}
		d = grp.ok(`query($i: ID!) { interaction(id: $i) { id } }`, map[string]any{"i": cAmer})
		if get(d, "interaction") != nil {
			t.Error("an EMEA agent reads an Americas conversation by id")
		}

		// Levels are data: widening Group to Global reaches its holders at once.
		o.Owner.ok(mutSetGrants, map[string]any{"r": group, "g": grantsFromSpecs("interactions.read:ALL", "messaging.reply:TEAM", "messaging.private_note:ALL", "contacts.read:ALL")})
		if !grp.can("messaging.private_note", cAmer) || grp.can("messaging.reply", cAmer) {
			t.Error("after widening private notes to Global, the group agent must note and still not reply in Americas")
		}

		// An agent with an Admin role who manages settings and sees reports
		// of only their teams: clone Admin, narrow reports and conversations to TEAM.
		d = o.Owner.ok(mutCreateRole, map[string]any{"in": map[string]any{"name": "Regional Admin", "cloneFromId": o.role("admin")}})
		regional := str(d, "createRole", "id")
		o.roles["Regional Admin"] = regional
		rg := grantMap(get(d, "createRole", "grants"))
		if rg["analytics.read"] != "ALL" || rg["integrations.write"] != "ALL" {
			t.Fatalf("the Admin clone lacks Admin's grants: %v", specsOf(rg))
		}
		rg["analytics.read"] = "TEAM"
		for _, p := range []string{"interactions.read", "interactions.write", "interactions.delete", "interactions.download",
			"messaging.reply", "messaging.private_note"} {
			if _, ok := rg[p]; ok {
				rg[p] = "TEAM"
			}
		}
		o.Owner.ok(mutSetGrants, map[string]any{"r": regional, "g": grantsFromSpecs(specsOf(rg)...)})
		radmin := o.member("regional@regions.example", []string{"Regional Admin"}, nil, nil)
		o.manage("EMEA", radmin)
		for _, p := range []string{"integrations.write", "campaigns.write", "knowledge_base.write", "contacts.write"} {
			if !radmin.can(p, "") {
				t.Errorf("the regional admin cannot manage %s", p)
			}
		}
		if !radmin.can("analytics.read", emea.MemberID) || !radmin.can("analytics.read", tier2.MemberID) {
			t.Error("the regional admin does not see reports of their teams")
		}
		if radmin.can("analytics.read", amer.MemberID) || radmin.can("analytics.read", global.MemberID) {
			t.Error("the regional admin sees reports of another region")
		}
		if g := memberGrantMap(t, o.Owner, radmin.MemberID); g["analytics.read"] != "TEAM" || g["integrations.write"] != "ALL" {
			t.Errorf("regional admin grants: analytics.read %q, integrations.write %q", g["analytics.read"], g["integrations.write"])
		}
		if got := radmin.visible(); !equalSets(got, setOf(cEMEA, cTier2)) {
			t.Errorf("the regional admin lists %s, want only EMEA's", keys(got))
		}
	})
}

// The guard behind "only account admins can update or create custom roles":
// someone trusted with roles.write but narrower grants cannot hand out more
// than they hold, cannot manage anyone above them, and never edits their own
// roles. A role in use is not deleted without moving its members.
func TestSeed003EscalationGuardAndRoleDeletion(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Chat Guard", "PRO", supportProducts)
		o.team("Support", "")
		// A team lead trusted with roles: a Support Agent's grants, widened
		// to their team, plus roles and members — and nothing more.
		rmGrants := roleGrantMap(t, o.Owner, o.role("agent"))
		for _, spec := range []string{"roles.read:ALL", "roles.write:ALL", "roles.delete:ALL", "members.read:ALL", "members.write:ALL",
			"interactions.read:TEAM", "messaging.reply:TEAM", "messaging.private_note:TEAM"} {
			p, sc, _ := strings.Cut(spec, ":")
			rmGrants[p] = sc
		}
		if _, ok := rmGrants["campaigns.write"]; ok {
			t.Fatal("Support Agent grants campaigns.write")
		}
		createRoleWith(t, o, o.Owner, "Role Manager", "", specsOf(rmGrants)...)
		rm := o.member("rm@guard.example", []string{"Role Manager"}, []string{"Support"}, nil)
		admin := o.member("admin@guard.example", []string{"admin"}, nil, nil)
		agent := o.member("agent@guard.example", []string{"agent"}, []string{"Support"}, nil)

		// Within their grants: fine.
		notes := createRoleWith(t, o, rm, "Team Notes", "", "interactions.read:TEAM", "messaging.private_note:TEAM")
		// Beyond: ESCALATION naming the permission.
		failsWithPermission(t, rm, "ESCALATION", "messaging.private_note", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "Global Notes", "grants": grantsFromSpecs("messaging.private_note:ALL")}})
		failsWithPermission(t, rm, "ESCALATION", "campaigns.write", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "Campaigner", "grants": grantsFromSpecs("campaigns.write:ALL")}})
		g := rm.fails("ESCALATION", "", mutCreateRole, map[string]any{"in": map[string]any{"name": "Admin Copy", "cloneFromId": o.role("admin")}})
		if permissionOf(g) == "" {
			t.Errorf("cloning Admin: ESCALATION names no permission: %s", g.Message)
		}
		failsWithPermission(t, rm, "ESCALATION", "messaging.private_note", mutSetGrants,
			map[string]any{"r": notes, "g": grantsFromSpecs("interactions.read:TEAM", "messaging.private_note:ALL")})
		if got := roleGrantMap(t, o.Owner, notes); got["messaging.private_note"] != "TEAM" {
			t.Fatalf("a refused edit widened Team Notes: %v", specsOf(got))
		}

		// Assigning: roles within theirs only, members not above them, never themselves.
		rm.ok(mutSetRoles, map[string]any{"m": agent.MemberID, "r": []string{notes}})
		if r := memberRoleSet(t, o.Owner, agent.MemberID); !equalSets(r, setOf(notes)) {
			t.Fatalf("agent holds %s after setMemberRoles", keys(r))
		}
		rm.fails("ESCALATION", "", mutSetRoles, map[string]any{"m": agent.MemberID, "r": []string{o.role("admin")}})
		rm.fails("ESCALATION", "", mutInvite, inviteVars("boss@guard.example", []string{o.role("admin")}, nil, nil))
		rm.fails("ESCALATION", "", mutSetRoles, map[string]any{"m": admin.MemberID, "r": []string{notes}})
		rm.fails("FORBIDDEN", "", mutSetRoles, map[string]any{"m": rm.MemberID, "r": []string{notes}})
		admin.fails("FORBIDDEN", "", mutSetRoles, map[string]any{"m": admin.MemberID, "r": []string{o.role("agent")}})
		if r := memberRoleSet(t, o.Owner, admin.MemberID); !equalSets(r, setOf(o.role("admin"))) {
			t.Fatalf("admin's roles changed: %s", keys(r))
		}

		// Nobody edits a role they hold, even with roles.write.
		failsWithPermission(t, rm, "FORBIDDEN", "roles.write", mutSetGrants,
			map[string]any{"r": o.role("Role Manager"), "g": grantsFromSpecs("roles.write:ALL")})
		failsWithPermission(t, rm, "FORBIDDEN", "roles.write", mutUpdateRole, map[string]any{"id": o.role("Role Manager"), "n": "Super Manager"})

		// deleteRole: refused while held, unless the holders are reassigned.
		o.Owner.fails("CONFLICT", "", mutDeleteRole, map[string]any{"id": notes})
		d := o.Owner.ok(`query($r: ID!) { role(id: $r) { memberCount } }`, map[string]any{"r": notes})
		if get(d, "role", "memberCount") != float64(1) {
			t.Fatalf("Team Notes memberCount %v, want 1", get(d, "role", "memberCount"))
		}
		d = o.Owner.ok(`query($r: ID!) { role(id: $r) { memberCount } }`, map[string]any{"r": o.role("agent")})
		agentsBefore := get(d, "role", "memberCount").(float64)
		d = rm.ok(mutDeleteRole, map[string]any{"id": notes, "to": o.role("agent")})
		if d["deleteRole"] != true {
			t.Fatalf("deleteRole: %v", d)
		}
		if r := memberRoleSet(t, o.Owner, agent.MemberID); !equalSets(r, setOf(o.role("agent"))) {
			t.Fatalf("the holder was not moved to Support Agent: %s", keys(r))
		}
		d = o.Owner.ok(`query($r: ID!, $a: ID!) { gone: role(id: $r) { id } agent: role(id: $a) { memberCount } }`,
			map[string]any{"r": notes, "a": o.role("agent")})
		if d["gone"] != nil {
			t.Error("the deleted role still exists")
		}
		if get(d, "agent", "memberCount") != agentsBefore+1 {
			t.Errorf("Support Agent memberCount %v, want %v", get(d, "agent", "memberCount"), agentsBefore+1)
		}
		// System roles are reset, never deleted.
		o.Owner.fails("CONFLICT", "", mutDeleteRole, map[string]any{"id": o.role("agent")})
	})
}

// "Account Admin/Owner has access to everything": exactly one owner, who
// cannot be deactivated, removed or given other roles, and who alone hands
// the account over.
func TestSeed003OwnerIsProtectedAndTransfersOwnership(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Chat Owner", "PRO", supportProducts)
		admin := o.member("admin@owner.example", []string{"admin"}, nil, nil)
		agent := o.member("agent@owner.example", []string{"agent"}, nil, nil)
		owner := o.Owner.MemberID
		vars := map[string]any{"m": owner}

		admin.fails("CONFLICT", "", mutDeactivate, vars)
		admin.fails("CONFLICT", "", mutRemove, vars)
		admin.fails("CONFLICT", "", mutSetRoles, map[string]any{"m": owner, "r": []string{o.role("agent")}})
		// The owner role comes only with ownership.
		admin.fails("ESCALATION", "", mutSetRoles, map[string]any{"m": agent.MemberID, "r": []string{o.role("owner")}})
		admin.fails("ESCALATION", "", mutInvite, inviteVars("second.owner@owner.example", []string{o.role("owner")}, nil, nil))
		admin.fails("FORBIDDEN", "", mutTransfer, map[string]any{"m": admin.MemberID})

		d := o.Owner.ok(`query($m: ID!) { organization { owner { id } } member(id: $m) { status isOwner roles { key } } }`, vars)
		if str(d, "organization", "owner", "id") != owner || str(d, "member", "status") != "ACTIVE" || get(d, "member", "isOwner") != true ||
			str(d, "member", "roles", 0, "key") != "owner" || len(get(d, "member", "roles").([]any)) != 1 {
			t.Fatalf("the owner changed after refused attempts: %v", d)
		}

		d = o.Owner.ok(mutTransfer, map[string]any{"m": admin.MemberID})
		if str(d, "transferOwnership", "owner", "id") != admin.MemberID {
			t.Fatalf("transferOwnership: %v", d)
		}
		d = admin.ok(`query($a: ID!, $b: ID!) { old: member(id: $a) { isOwner roles { key } } new: member(id: $b) { isOwner roles { key } } }`,
			map[string]any{"a": owner, "b": admin.MemberID})
		if get(d, "old", "isOwner") != false || str(d, "old", "roles", 0, "key") != "admin" || len(get(d, "old", "roles").([]any)) != 1 {
			t.Errorf("the previous owner is not just an admin: %v", d["old"])
		}
		if get(d, "new", "isOwner") != true || str(d, "new", "roles", 0, "key") != "owner" {
			t.Errorf("the new owner: %v", d["new"])
		}
		// Powers moved with it.
		failsWithPermission(t, o.Owner, "FORBIDDEN", "roles.write", mutCreateRole,
			map[string]any{"in": map[string]any{"name": "Old owner's role", "grants": grantsFromSpecs("contacts.read:ALL")}})
		createRoleWith(t, o, admin, "New owner's role", "", "contacts.read:ALL")
		o.Owner.fails("FORBIDDEN", "", mutTransfer, map[string]any{"m": owner})
		o.Owner.fails("CONFLICT", "", mutDeactivate, map[string]any{"m": admin.MemberID})
	})
}
