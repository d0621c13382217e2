package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Seed 001 ("Permissions 101", a telephony / contact-center product): the
// tabs of the organization settings are permission modules; a role is built
// from tabs and handed to users.

// "Organization settings control which rights users have. Each tab shows
// which permissions apply, so you can create the right roles and distribute
// them." / "If you have assigned permission, you can both view and edit
// settings under that tab." / "Organization settings (full access) ...
// usually only given to administrators." / "Roles & permissions: create
// roles, edit existing ones, and assign permissions."
func TestSeed001SettingsTabsAreModules(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele Org", "PRO", nil)

		// Each tab is a module of the catalog, with what it needs.
		d := o.Owner.ok(`{ permissionCatalog { key product actions { permission scopes seat } } }`, nil)
		type modInfo struct {
			product string
			actions map[string]string // permission → seat
		}
		cat := map[string]modInfo{}
		for _, m := range get(d, "permissionCatalog").([]any) {
			mi := modInfo{product: str(m, "product"), actions: map[string]string{}}
			for _, a := range get(m, "actions").([]any) {
				mi.actions[str(a, "permission")] = str(a, "seat")
			}
			cat[str(m, "key")] = mi
		}
		tabs := []struct{ module, product, action, seat string }{
			{"account", "", "account.write", ""},              // Account
			{"audit_log", "", "audit_log.read", ""},           // Account: view audit logs
			{"seats", "", "seats.write", ""},                  // Account: purchase licenses
			{"roles", "", "roles.write", ""},                  // Roles & permissions
			{"members", "", "members.write", ""},              // Users & Teams
			{"teams", "", "teams.write", ""},                  // Users & Teams
			{"guests", "", "guests.write", ""},                // Guests
			{"telephony", "TELEPHONY", "telephony.write", ""}, // Telephony system
			{"contacts", "", "contacts.delete", ""},           // Contacts
			{"opening_hours", "TELEPHONY", "opening_hours.write", ""},
			{"labels", "CONVERSATIONS", "labels.write", ""},
			{"integrations", "", "integrations.write", ""},                                 // Insights
			{"wallboards", "CONTACT_CENTER", "wallboards.write", ""},                       // Wallboards
			{"ai_assist", "AI", "ai_assist.use", ""},                                       // AI in the app
			{"contact_center", "CONTACT_CENTER", "contact_center.write", "CONTACT_CENTER"}, // Contact Center
			{"analytics", "CONVERSATIONS", "analytics.read", ""},                           // Analytics
			{"preferences", "", "preferences.write", ""},                                   // Personal settings
		}
		for _, tab := range tabs {
			m, ok := cat[tab.module]
			if !ok {
				t.Errorf("no %s module in the catalog", tab.module)
				continue
			}
			if m.product != tab.product {
				t.Errorf("module %s belongs to product %q, want %q", tab.module, m.product, tab.product)
			}
			seat, ok := m.actions[tab.action]
			if !ok {
				t.Errorf("module %s has no %s", tab.module, tab.action)
			} else if seat != tab.seat {
				t.Errorf("%s needs seat %q, want %q", tab.action, seat, tab.seat)
			}
		}

		// "Organization settings (full access)": a role made of the tabs'
		// modules grants exactly them.
		full := []string{"account.read", "account.write", "seats.read", "seats.write", "audit_log.read",
			"roles.read", "roles.write", "roles.delete",
			"members.read", "members.write", "members.delete", "teams.read", "teams.write", "teams.delete",
			"guests.read", "guests.write", "guests.delete", "telephony.read", "telephony.write",
			"contacts.read", "contacts.write", "contacts.delete",
			"integrations.read", "integrations.write", "integrations.delete", "wallboards.read", "wallboards.write"}
		fullID := o.customRole("Organization settings (full access)", full...)
		if got := o.Owner.roleGrants(fullID); !sameList(got, sortedSpecs(full...)) {
			t.Errorf("full-access role holds %v, want %v", got, sortedSpecs(full...))
		}
		boss := o.member("it.boss@tele.example", []string{"Organization settings (full access)"}, nil, nil)
		if got := boss.memberGrants(boss.MemberID); !sameList(got, sortedSpecs(full...)) {
			t.Errorf("full-access member's grants are %v, want exactly %v", got, sortedSpecs(full...))
		}
		for _, p := range []string{"interactions.read", "ai_assist.use", "contact_center.read", "analytics.read"} {
			if boss.can(p, "") {
				t.Errorf("full-access member can %s, which is no settings tab", p)
			}
		}

		// View and edit under a tab: Users & Teams.
		boss.ok(`{ organization { members(first: 10) { totalCount } teams { id } } }`, nil)
		d = boss.ok(qCreateTeam, map[string]any{"in": map[string]any{"name": "Switchboard"}})
		o.teams["Switchboard"] = str(d, "createTeam", "id")
		o.customRole("Users & Teams", "members.read", "members.write", "teams.read", "teams.write")
		invited := o.memberBy(boss, "operator1@tele.example", []string{"Users & Teams"}, []string{"Switchboard"}, nil)
		if got := o.teamMemberIDs("Switchboard"); !sameSet(got, invited.MemberID) {
			t.Errorf("Switchboard members = %s, want the invited operator", keys(got))
		}
		// Contacts tab: its holder views and edits contacts...
		o.customRole("Contacts", "contacts.read", "contacts.write", "contacts.delete")
		contacts := o.member("contacts@tele.example", []string{"Contacts"}, nil, nil)
		if !contacts.can("contacts.write", "") || !contacts.can("contacts.delete", "") || !contacts.can("contacts.read", "") {
			t.Error("the Contacts tab does not give view and edit on contacts")
		}
		// ...and, without the Users & Teams tab, neither views nor edits users.
		contacts.failsWith("FORBIDDEN", "members.read", `{ organization { members(first: 10) { totalCount } } }`, nil)
		contacts.failsWith("FORBIDDEN", "teams.write", qCreateTeam, map[string]any{"in": map[string]any{"name": "Contacts only"}})
		// An agent reads contacts but edits none.
		agent := o.member("agent@tele.example", []string{"agent"}, nil, nil)
		if !agent.can("contacts.read", "") || agent.can("contacts.write", "") || agent.can("contacts.delete", "") {
			t.Error("an agent's contacts access is not read-only")
		}

		// Roles & permissions: creating roles needs roles.write...
		admin := o.member("admin@tele.example", []string{"admin"}, nil, nil)
		admin.failsWith("FORBIDDEN", "roles.write", qCreateRole, map[string]any{"in": map[string]any{"name": "Schedulers",
			"grants": grantInputs("opening_hours.read", "opening_hours.write")}})
		// ...and only within what the creator holds (the full-access member
		// has no call access to hand out).
		boss.failsWith("ESCALATION", "interactions.read", qCreateRole, map[string]any{"in": map[string]any{"name": "Listeners",
			"grants": grantInputs("interactions.read:ALL")}})
		sched := o.customRoleBy(boss, "Contact managers", "", "contacts.read", "contacts.write")
		if got := o.Owner.roleGrants(sched); !sameList(got, sortedSpecs("contacts.read", "contacts.write")) {
			t.Errorf("role created by the full-access member holds %v", got)
		}
		// ...and assign permissions: edit an existing role, hand it out.
		if got := boss.setGrants(sched, "contacts.read", "contacts.write", "contacts.delete"); !sameList(got, sortedSpecs("contacts.read", "contacts.write", "contacts.delete")) {
			t.Errorf("edited role holds %v", got)
		}
		if invited.can("contacts.delete", "") {
			t.Error("the operator deletes contacts before holding a role for it")
		}
		boss.setRoles(invited.MemberID, o.roles["Users & Teams"], o.roles["Contact managers"])
		if !invited.can("contacts.delete", "") || !invited.can("teams.write", "") {
			t.Error("roles assigned by the full-access member do not apply (or do not add up)")
		}
		// Never handing out more than one holds: the agent's role has call access.
		boss.fails("ESCALATION", "", `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
			map[string]any{"m": invited.MemberID, "r": []string{o.role("agent")}})

		// Custom roles are a PRO/ENTERPRISE feature.
		starter := e.newOrg("Tele Starter", "STARTER", nil)
		starter.Owner.fails("PLAN_REQUIRED", "", qCreateRole, map[string]any{"in": map[string]any{"name": "Schedulers",
			"grants": grantInputs("opening_hours.write")}})
	})
}

// "Team: Users can administer the teams they are part of. Create new
// channels within teams." / "Users & Teams: Create and edit users. Create
// and manage teams."
func TestSeed001TeamAdministersOwnTeams(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele Teams", "PRO", nil)
		o.team("Support", "")
		o.team("Escalations", "")
		o.team("Sales", "")
		o.customRole("Team", "teams.read", "teams.write:TEAM", "members.read", "members.write:TEAM")
		o.customRole("Team member", "teams.read")
		lead := o.member("lead@teams.example", []string{"Team"}, []string{"Support", "Escalations"}, nil)
		amy := o.member("amy@teams.example", []string{"Team member"}, []string{"Support"}, nil)
		sam := o.member("sam@teams.example", []string{"Team member"}, []string{"Sales"}, nil)

		// Their own team: rename, add and remove its members.
		d := lead.ok(qRenameTeam, map[string]any{"t": o.teams["Support"], "n": "Support EMEA"})
		if str(d, "renameTeam", "name") != "Support EMEA" {
			t.Errorf("renamed team is %v", d)
		}
		lead.ok(qAddMember, map[string]any{"t": o.teams["Escalations"], "m": amy.MemberID})
		if got := o.teamMemberIDs("Escalations"); !sameSet(got, lead.MemberID, amy.MemberID) {
			t.Errorf("Escalations members = %s, want lead and amy", keys(got))
		}
		lead.ok(qRemoveMember, map[string]any{"t": o.teams["Support"], "m": amy.MemberID})
		if got := o.teamMemberIDs("Support"); !sameSet(got, lead.MemberID) {
			t.Errorf("Support members = %s, want only the lead", keys(got))
		}
		// New users straight into their team.
		o.memberBy(lead, "newbie@teams.example", []string{"Team member"}, []string{"Support"}, nil)
		if got := o.teamMemberIDs("Support"); len(got) != 2 {
			t.Errorf("Support has %d members after the lead's invitation, want 2", len(got))
		}
		// "Create new channels within teams": a sub-team of their team.
		// They are a plain member of Support, not its manager, so the
		// channel counts them in, or they could not administer it.
		d = lead.ok(qCreateTeam, map[string]any{"in": map[string]any{"name": "Support Chat", "parentId": o.teams["Support"]}})
		if str(d, "createTeam", "parent", "id") != o.teams["Support"] {
			t.Errorf("sub-team's parent is %v", d)
		}
		o.teams["Support Chat"] = str(d, "createTeam", "id")
		if got := o.teamMemberIDs("Support Chat"); !sameSet(got, lead.MemberID) {
			t.Errorf("Support Chat members = %s, want its creator", keys(got))
		}
		lead.ok(qRenameTeam, map[string]any{"t": o.teams["Support Chat"], "n": "Support Live Chat"})
		o.memberBy(lead, "chatter@teams.example", []string{"Team member"}, []string{"Support Chat"}, nil)
		if got := o.teamMemberIDs("Support Chat"); len(got) != 2 {
			t.Errorf("Support Chat has %d members after the lead's invitation, want 2", len(got))
		}
		// Someone who writes every team needs no membership to administer
		// a team, and gets none.
		d = o.Owner.ok(qCreateTeam, map[string]any{"in": map[string]any{"name": "Sales Chat", "parentId": o.teams["Sales"]}})
		o.teams["Sales Chat"] = str(d, "createTeam", "id")
		if got := o.teamMemberIDs("Sales Chat"); len(got) != 0 {
			t.Errorf("the owner's new sub-team has members %s, want none", keys(got))
		}

		// A team they manage reaches its channels: they create one and staff it.
		o.manage("Escalations", lead)
		d = lead.ok(qCreateTeam, map[string]any{"in": map[string]any{"name": "Escalations Chat", "parentId": o.teams["Escalations"]}})
		o.teams["Escalations Chat"] = str(d, "createTeam", "id")
		lead.ok(qAddMember, map[string]any{"t": o.teams["Escalations Chat"], "m": amy.MemberID})
		lead.ok(qRenameTeam, map[string]any{"t": o.teams["Escalations Chat"], "n": "Escalations Live Chat"})
		if got := o.teamMemberIDs("Escalations Chat"); !sameSet(got, amy.MemberID) {
			t.Errorf("Escalations Chat members = %s, want amy", keys(got))
		}

		// Not another team's.
		lead.failsWith("FORBIDDEN", "teams.write", qRenameTeam, map[string]any{"t": o.teams["Sales"], "n": "Sales by Support"})
		lead.failsWith("FORBIDDEN", "teams.write", qAddMember, map[string]any{"t": o.teams["Sales"], "m": amy.MemberID})
		lead.failsWith("FORBIDDEN", "teams.write", qRemoveMember, map[string]any{"t": o.teams["Sales"], "m": sam.MemberID})
		// Staffing their own team is theirs, even with someone from another
		// team (teams.write covering the team, not members.write on the
		// member: API.md "Seed fidelity"); inviting into another team is not.
		lead.ok(qAddMember, map[string]any{"t": o.teams["Support"], "m": sam.MemberID})
		lead.ok(qRemoveMember, map[string]any{"t": o.teams["Support"], "m": sam.MemberID})
		lead.failsWith("FORBIDDEN", "members.write", qInvite, map[string]any{"in": map[string]any{"email": "x@teams.example", "name": "X",
			"roleIds": []string{o.roles["Team member"]}, "teamIds": []string{o.teams["Sales"]}}})
		lead.failsWith("FORBIDDEN", "teams.write", qCreateTeam, map[string]any{"in": map[string]any{"name": "Lead's own"}})
		lead.failsWith("FORBIDDEN", "teams.delete", `mutation($t: ID!) { deleteTeam(id: $t) }`, map[string]any{"t": o.teams["Sales"]})
		if got := o.teamMemberIDs("Sales"); !sameSet(got, sam.MemberID) {
			t.Errorf("Sales members changed to %s", keys(got))
		}
		d = o.Owner.ok(`query($t: ID!) { team(id: $t) { name } }`, map[string]any{"t": o.teams["Sales"]})
		if str(d, "team", "name") != "Sales" {
			t.Errorf("Sales was renamed to %v", d)
		}
		// A member of a team without the permission administers nothing.
		amy.failsWith("FORBIDDEN", "teams.write", qRenameTeam, map[string]any{"t": o.teams["Escalations"], "n": "Amy's"})
	})
}

// "Guests: Create guest users and generate invitation links."
func TestSeed001GuestInvitationLinks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele Guests", "PRO", nil)
		o.customRole("Guests", "guests.read", "guests.write")
		host := o.member("host@guests.example", []string{"agent", "Guests"}, nil, nil)
		agent := o.member("agent@guests.example", []string{"agent"}, nil, nil)
		guestRole := o.role("guest")

		// A link that expires in a moment, used once in time.
		shortAt, shortExp := rfc3339In(2 * time.Second)
		d := host.ok(qGuestInvite, map[string]any{"r": guestRole, "x": shortAt})
		shortToken := str(d, "createGuestInvite", "token")
		o.e.anonymous().ok(qAcceptGuest, map[string]any{"t": shortToken, "e": "early@partner.example", "n": "Early Guest"})

		// A member with guests.write generates a link for the guest role.
		longAt, _ := rfc3339In(24 * time.Hour)
		d = host.ok(qGuestInvite, map[string]any{"r": guestRole, "x": longAt})
		token, url := str(d, "createGuestInvite", "token"), str(d, "createGuestInvite", "url")
		if token == "" || !strings.Contains(url, token) {
			t.Errorf("guest link %q does not carry its token %q", url, token)
		}
		// Without guests.write, no links; never for more than one holds; never in the past.
		agent.failsWith("FORBIDDEN", "guests.write", qGuestInvite, map[string]any{"r": guestRole, "x": longAt})
		host.fails("ESCALATION", "", qGuestInvite, map[string]any{"r": o.role("admin"), "x": longAt})
		past, _ := rfc3339In(-time.Hour)
		host.fails("BAD_USER_INPUT", "expiresAt", qGuestInvite, map[string]any{"r": guestRole, "x": past})

		// The guest joins through the link with an email and a name, and
		// holds the guest role only.
		a := e.anonymous().ok(qAcceptGuest, map[string]any{"t": token, "e": "pat@partner.example", "n": "Pat Partner"})
		g := get(a, "acceptInvitation")
		if str(g, "status") != "ACTIVE" || get(g, "isGuest") != true || get(g, "isOwner") != false {
			t.Errorf("guest joined as %v", g)
		}
		roles := get(g, "roles").([]any)
		if len(roles) != 1 || str(roles[0], "id") != guestRole || str(roles[0], "key") != "guest" {
			t.Errorf("guest holds roles %v, want only the guest role", roles)
		}
		guest := e.as(o.ID, str(g, "id"))
		if got, want := guest.memberGrants(guest.MemberID), o.Owner.roleGrants(guestRole); !sameList(got, want) {
			t.Errorf("guest's grants are %v, want the guest role's %v", got, want)
		}
		for _, p := range []string{"members.read", "teams.read", "guests.write", "interactions.record"} {
			if guest.can(p, "") {
				t.Errorf("guest can %s", p)
			}
		}
		// A guest sees what is shared with them, nothing else.
		shared := o.interaction("call shared with the partner", host, "", guest)
		o.interaction("internal call", host, "")
		if got := guest.visible(); !sameSet(got, shared) {
			t.Errorf("guest lists %s, want only the shared call", keys(got))
		}
		// Email and name are required; one email joins once; bad tokens are refused.
		e.anonymous().fails("BAD_USER_INPUT", "email", qAcceptGuest, map[string]any{"t": token, "n": "No Mail"})
		e.anonymous().fails("CONFLICT", "", qAcceptGuest, map[string]any{"t": token, "e": "pat@partner.example", "n": "Pat Again"})
		e.anonymous().fails("BAD_USER_INPUT", "token", qAcceptGuest, map[string]any{"t": token + "x", "e": "eve@partner.example", "n": "Eve"})

		// "Invitation links" expire.
		time.Sleep(time.Until(shortExp) + 150*time.Millisecond)
		e.anonymous().fails("BAD_USER_INPUT", "token", qAcceptGuest, map[string]any{"t": shortToken, "e": "late@partner.example", "n": "Late Guest"})
		d = o.Owner.ok(`{ organization { members(first: 50) { totalCount edges { node { email isGuest } } } } }`, nil)
		guests := map[string]bool{}
		for _, ed := range get(d, "organization", "members", "edges").([]any) {
			if get(ed, "node", "isGuest") == true {
				guests[str(ed, "node", "email")] = true
			}
		}
		if !sameSet(guests, "early@partner.example", "pat@partner.example") {
			t.Errorf("guests are %s, want the early one and Pat", keys(guests))
		}
	})
}

// "Contact Center: Administer Contact Center. Requires the Contact Center
// Agent user license."
func TestSeed001ContactCenterNeedsAgentLicense(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele CC", "PRO", nil)
		ccRole := o.customRole("Contact Center", "contact_center.read", "contact_center.write", "wallboards.read", "wallboards.write")
		cc := o.member("cc.admin@cc.example", []string{"Contact Center"}, nil, nil)
		other := o.member("cc.second@cc.example", []string{"Contact Center"}, nil, nil)
		plain := o.member("agent@cc.example", []string{"agent"}, nil, nil)

		// The role grants it, but without the license it is denied.
		if !hasItem(o.Owner.roleGrants(ccRole), "contact_center.write:ALL") {
			t.Fatal("the Contact Center role does not hold contact_center.write")
		}
		if cc.can("contact_center.write", "") || cc.can("contact_center.read", "") {
			t.Error("contact_center is allowed without a CONTACT_CENTER seat")
		}
		if o.Owner.canFor(cc.MemberID, "contact_center.write", "") {
			t.Error("can(memberId) says contact_center.write without a seat")
		}
		if o.Owner.can("contact_center.write", "") {
			t.Error("the owner administers the contact center without a seat")
		}
		if !cc.can("wallboards.write", "") {
			t.Error("wallboards (no license needed) are denied")
		}
		before := cc.memberGrants(cc.MemberID)
		if hasItem(before, "contact_center.write:ALL") || !hasItem(before, "wallboards.write:ALL") {
			t.Errorf("grants without a seat: %v", before)
		}

		// With the license it is allowed.
		d := o.Owner.ok(`mutation($m: ID!) { assignSeat(memberId: $m, kind: CONTACT_CENTER) { seats } }`, map[string]any{"m": cc.MemberID})
		if s := get(d, "assignSeat", "seats").([]any); len(s) != 1 || s[0] != "CONTACT_CENTER" {
			t.Errorf("seats after assignSeat: %v", s)
		}
		if !cc.can("contact_center.write", "") || !cc.can("contact_center.read", "") {
			t.Error("contact_center is denied with the seat and the role")
		}
		after := cc.memberGrants(cc.MemberID)
		if want := sortedSpecs(append(before, "contact_center.read", "contact_center.write")...); !sameList(after, want) {
			t.Errorf("grants with a seat are %v, want %v", after, want)
		}
		// The license alone grants nothing.
		o.Owner.ok(`mutation($m: ID!) { assignSeat(memberId: $m, kind: CONTACT_CENTER) { id } }`, map[string]any{"m": plain.MemberID})
		if plain.can("contact_center.write", "") {
			t.Error("a seat without a role administers the contact center")
		}
		// Licenses come from a pool.
		o.Owner.ok(`mutation { setSeatTotal(kind: CONTACT_CENTER, total: 2) { total used } }`, nil)
		o.Owner.fails("SEAT_LIMIT", "", `mutation($m: ID!) { assignSeat(memberId: $m, kind: CONTACT_CENTER) { id } }`, map[string]any{"m": other.MemberID})
		if other.can("contact_center.write", "") {
			t.Error("a refused seat still allows the contact center")
		}
		// The product gates it too.
		o.Owner.ok(`mutation { disableProduct(product: CONTACT_CENTER) { products } }`, nil)
		if cc.can("contact_center.write", "") {
			t.Error("contact_center is allowed with the product disabled")
		}
		o.Owner.ok(`mutation { enableProduct(product: CONTACT_CENTER) { products } }`, nil)
		// Releasing the license denies at once.
		o.Owner.ok(`mutation($m: ID!) { releaseSeat(memberId: $m, kind: CONTACT_CENTER) { id } }`, map[string]any{"m": cc.MemberID})
		if cc.can("contact_center.write", "") {
			t.Error("contact_center is still allowed after the seat is released")
		}
		if got := cc.memberGrants(cc.MemberID); !sameList(got, before) {
			t.Errorf("grants after release are %v, want %v", got, before)
		}
	})
}

// "Account: Manage account settings, purchase licenses, and view audit
// logs. Recommended for administrators."
func TestSeed001AccountAuditLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele Account", "PRO", nil)
		o.team("Billing", "")
		o.customRole("Account", "account.read", "account.write", "seats.read", "seats.write", "audit_log.read")
		acct := o.member("finance@acct.example", []string{"Account"}, nil, nil)
		agent := o.member("agent@acct.example", []string{"agent"}, nil, nil)
		admin := o.member("admin@acct.example", []string{"admin"}, nil, nil)

		// Audit logs only with audit_log.read.
		agent.failsWith("FORBIDDEN", "audit_log.read", qAuditLog, nil)
		admin.ok(qAuditLog, nil)

		// Changes by several people.
		o.Owner.ok(qRenameTeam, map[string]any{"t": o.teams["Billing"], "n": "Billing & Invoices"})
		d := acct.ok(`mutation { setSeatTotal(kind: RECORDER, total: 12) { kind total } }`, nil) // purchase licenses
		if get(d, "setSeatTotal", "total") != float64(12) {
			t.Errorf("setSeatTotal answered %v", d)
		}
		agent.failsWith("FORBIDDEN", "account.write", `mutation { setSeatTotal(kind: RECORDER, total: 20) { total } }`, nil)
		acct.ok(`mutation { disableProduct(product: MESSAGING) { products } }`, nil) // account settings
		agent.failsWith("FORBIDDEN", "account.write", `mutation { enableProduct(product: MESSAGING) { products } }`, nil)
		o.Owner.setRoles(agent.MemberID, o.role("recorder"))
		// A refused escalation is on record too.
		admin.fails("ESCALATION", "", `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
			map[string]any{"m": agent.MemberID, "r": []string{o.role("owner")}})

		d = acct.ok(qAuditLog, nil)
		edges := get(d, "auditLog", "edges").([]any)
		if n, _ := get(d, "auditLog", "totalCount").(float64); int(n) != len(edges) || len(edges) == 0 {
			t.Errorf("auditLog totalCount %v for %d events", get(d, "auditLog", "totalCount"), len(edges))
		}
		byAction := map[string]any{}
		for _, ed := range edges {
			n := get(ed, "node")
			if _, seen := byAction[str(n, "action")]; !seen {
				byAction[str(n, "action")] = n // newest first: keep the latest
			}
		}
		if a := str(edges[0], "node", "action"); a != "refused.setMemberRoles" {
			t.Errorf("newest event is %q, want the refused setMemberRoles", a)
		}
		jsonIs := func(what, raw string, want map[string]any) {
			t.Helper()
			var got map[string]any
			if err := json.Unmarshal([]byte(raw), &got); err != nil {
				t.Errorf("%s is not JSON: %q", what, raw)
				return
			}
			for k, v := range want {
				if b1, _ := json.Marshal(got[k]); string(b1) != mustJSON(v) {
					t.Errorf("%s[%s] = %s, want %s (%s)", what, k, b1, mustJSON(v), raw)
				}
			}
		}
		check := func(action, actor, target string, before, after map[string]any) {
			t.Helper()
			ev, ok := byAction[action]
			if !ok {
				t.Errorf("no %s event in the audit log", action)
				return
			}
			if got := str(ev, "actor", "id"); got != actor {
				t.Errorf("%s actor = %s, want %s", action, got, actor)
			}
			if got := str(ev, "targetId"); got != target {
				t.Errorf("%s targetId = %s, want %s", action, got, target)
			}
			if _, err := time.Parse(time.RFC3339Nano, str(ev, "at")); err != nil {
				t.Errorf("%s at = %q", action, str(ev, "at"))
			}
			if before != nil {
				jsonIs(action+" before", str(ev, "before"), before)
			}
			if after != nil {
				jsonIs(action+" after", str(ev, "after"), after)
			}
		}
		check("renameTeam", o.Owner.MemberID, o.teams["Billing"], map[string]any{"name": "Billing"}, map[string]any{"name": "Billing & Invoices"})
		check("setSeatTotal", acct.MemberID, "RECORDER", map[string]any{"total": 5}, map[string]any{"total": 12})
		check("disableProduct", acct.MemberID, o.ID, nil, map[string]any{"products": []string{"CONVERSATIONS", "QUALITY", "AI", "TELEPHONY", "CONTACT_CENTER", "KNOWLEDGE_BASE"}})
		check("setMemberRoles", o.Owner.MemberID, agent.MemberID, map[string]any{"roles": []string{o.role("agent")}}, map[string]any{"roles": []string{o.role("recorder")}})
		check("refused.setMemberRoles", admin.MemberID, agent.MemberID, nil, map[string]any{"code": "ESCALATION"})
		if _, ok := byAction["setRoleGrants"]; ok {
			t.Error("audit log has a setRoleGrants event nobody made")
		}
		// Refused without permission: no change, so no event (but the log
		// still shows only what happened).
		if _, ok := byAction["enableProduct"]; ok {
			t.Error("a FORBIDDEN enableProduct was recorded as a change")
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// "AI in the app: Provides access to AI features: automatic summaries,
// suggested answers, AI-based support."
func TestSeed001AIInTheApp(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele AI", "PRO", nil)
		aiRole := o.customRole("AI in the app", "ai_assist.use")
		helper := o.member("support@ai.example", []string{"agent", "AI in the app"}, nil, nil)
		agent := o.member("agent@ai.example", []string{"agent"}, nil, nil)
		admin := o.member("admin@ai.example", []string{"admin"}, nil, nil)

		if !helper.can("ai_assist.use", "") || agent.can("ai_assist.use", "") {
			t.Error("ai_assist.use does not follow the AI in the app role")
		}
		if helper.can("ai_transcription.write", "") {
			t.Error("AI in the app grants other AI modules")
		}
		before := o.Owner.memberGrants(helper.MemberID)
		if !hasItem(before, "ai_assist.use:ALL") {
			t.Fatalf("helper's grants %v lack ai_assist.use", before)
		}
		aiModules := []string{"ai_assist", "ai_transcription", "ai_metrics", "ai_tagging", "ai_process"}
		mods := helper.moduleKeys()
		for _, m := range aiModules {
			if !mods[m] {
				t.Errorf("module %s is hidden while AI is enabled", m)
			}
		}

		// Switching the AI product is an account setting.
		admin.failsWith("FORBIDDEN", "account.write", `mutation { disableProduct(product: AI) { products } }`, nil)
		d := o.Owner.ok(`mutation { disableProduct(product: AI) { products modules { key } } }`, nil)
		for _, p := range get(d, "disableProduct", "products").([]any) {
			if p == "AI" {
				t.Error("AI still listed after disableProduct")
			}
		}
		for _, m := range get(d, "disableProduct", "modules").([]any) {
			if strings.HasPrefix(str(m, "key"), "ai_") {
				t.Errorf("module %s still listed with AI disabled", str(m, "key"))
			}
		}
		if helper.can("ai_assist.use", "") || o.Owner.can("ai_assist.use", "") || admin.can("ai_transcription.read", "") {
			t.Error("AI features allowed with the AI product disabled")
		}
		if got := o.Owner.memberGrants(helper.MemberID); !sameList(got, withoutModules(before, aiModules...)) {
			t.Errorf("grants with AI off are %v, want %v", got, withoutModules(before, aiModules...))
		}
		if !hasItem(o.Owner.roleGrants(aiRole), "ai_assist.use:ALL") {
			t.Error("the role lost its AI grant when the product was disabled")
		}
		d = helper.ok(`{ permissionCatalog { key } }`, nil)
		inCatalog := false
		for _, m := range get(d, "permissionCatalog").([]any) {
			inCatalog = inCatalog || str(m, "key") == "ai_assist"
		}
		if !inCatalog {
			t.Error("permissionCatalog hides ai_assist; it lists every module")
		}

		// Back on: the same grants as before.
		o.Owner.ok(`mutation { enableProduct(product: AI) { products } }`, nil)
		if !helper.can("ai_assist.use", "") || !admin.can("ai_transcription.read", "") {
			t.Error("AI features denied after enableProduct")
		}
		if got := o.Owner.memberGrants(helper.MemberID); !sameList(got, before) {
			t.Errorf("grants after re-enabling AI are %v, want %v", got, before)
		}
		if !helper.moduleKeys()["ai_assist"] {
			t.Error("ai_assist module hidden after re-enabling AI")
		}
	})
}

// "Analytics: call statistics and analytics for one or more response
// groups." / "Internal administration: search and edit other users." /
// "Supersearch: organization-wide search on users." / "Personal settings:
// access and edit another user's personal settings."
func TestSeed001AnalyticsAndAdministration(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Tele Admin", "PRO", nil)
		o.team("Inbound", "")
		o.team("Outbound", "")
		o.team("Billing", "")
		o.customRole("Response group analytics", "analytics.read:TEAM")
		o.customRole("Internal administration", "members.read", "members.write")
		o.customRole("Personal settings", "preferences.write")
		stats := o.member("stats@adm.example", []string{"Response group analytics"}, []string{"Inbound", "Outbound"}, nil)
		in := o.member("in@adm.example", []string{"agent"}, []string{"Inbound"}, nil)
		out := o.member("out@adm.example", []string{"agent"}, []string{"Outbound"}, nil)
		bill := o.member("bill@adm.example", []string{"agent"}, []string{"Billing"}, nil)
		it := o.member("it@adm.example", []string{"agent", "Internal administration"}, nil, nil)
		ps := o.member("ps@adm.example", []string{"Personal settings"}, nil, nil)

		// Analytics of their response groups, one or more, and not others.
		if !stats.can("analytics.read", in.MemberID) || !stats.can("analytics.read", out.MemberID) {
			t.Error("analytics of the viewer's response groups are denied")
		}
		if stats.can("analytics.read", bill.MemberID) {
			t.Error("analytics of another response group are allowed")
		}
		if stats.can("interactions.read", "") {
			t.Error("analytics gives call access")
		}

		// Internal administration: search and edit other users.
		d := it.ok(`{ organization { members(first: 50) { totalCount } } }`, nil)
		if n, _ := get(d, "organization", "members", "totalCount").(float64); n != 7 {
			t.Errorf("IT sees %v members, want 7", n)
		}
		d = it.ok(`query($m: ID!) { member(id: $m) { email } }`, map[string]any{"m": bill.MemberID})
		if str(d, "member", "email") != "bill@adm.example" {
			t.Errorf("member lookup answered %v", d)
		}
		d = it.ok(`mutation($m: ID!) { deactivateMember(memberId: $m) { status } }`, map[string]any{"m": bill.MemberID})
		if str(d, "deactivateMember", "status") != "DEACTIVATED" {
			t.Errorf("deactivate answered %v", d)
		}
		bill.fails("UNAUTHENTICATED", "", `{ viewer { id } }`, nil)
		it.ok(`mutation($m: ID!) { reactivateMember(memberId: $m) { status } }`, map[string]any{"m": bill.MemberID})
		bill.ok(`{ viewer { id } }`, nil)
		// Without it: no search, no edit.
		stats.failsWith("FORBIDDEN", "members.read", `query($m: ID!) { member(id: $m) { email } }`, map[string]any{"m": bill.MemberID})
		stats.failsWith("FORBIDDEN", "members.read", `{ organization { members(first: 50) { totalCount } } }`, nil)
		in.failsWith("FORBIDDEN", "members.write", `mutation($m: ID!) { deactivateMember(memberId: $m) { status } }`, map[string]any{"m": bill.MemberID})

		// Personal settings of others, versus one's own only.
		if !ps.can("preferences.write", bill.MemberID) {
			t.Error("Personal settings cannot edit another user's settings")
		}
		if !in.can("preferences.write", in.MemberID) || in.can("preferences.write", bill.MemberID) {
			t.Error("an agent's personal settings are not limited to their own")
		}
	})
}
