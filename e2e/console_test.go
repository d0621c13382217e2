package e2e

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/demo"
)

// consoleFixture is a server with the demo organization loaded and offered
// for sign-in, as `rolegraph serve --demo` runs it, and one Chromium.
type consoleFixture struct {
	e     *env
	d     *demo.Demo
	owner *client
	email map[string]string // demo label → email
}

// The console's scenarios of issue 14, in a real browser, on one demo
// server: each subtest signs in afresh in its own tab.
func TestConsole(t *testing.T) {
	alloc := newChromium(t)
	e := newEnv(t, memoryBackend)
	_, d := loadDemo(t, e)
	e.srv.SetDemo(d)
	f := &consoleFixture{e: e, d: d, email: map[string]string{}}
	for _, p := range d.People {
		f.email[p.Label] = p.Email
		if p.Label == "owner" {
			f.owner = e.as(d.OrgID, p.ID)
		}
	}
	roles := map[string]string{}
	for _, r := range get(f.owner.ok(`{ organization { roles { id key name } } }`, nil), "organization", "roles").([]any) {
		roles[str(r, "name")] = str(r, "id")
	}
	tab := func(t *testing.T, w, h int64) *page {
		p := newPage(t, alloc, e.url, w, h)
		t.Cleanup(p.noConsoleErrors)
		return p
	}

	// A custom role held by one member of Sales EMEA, reading nothing yet.
	reviewerRole := str(f.owner.ok(`mutation { createRole(input: {name: "QA Reviewer", description: "Reviews calls"}) { id } }`, nil), "createRole", "id")
	inv := f.owner.ok(`mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id } invitationToken } }`,
		map[string]any{"in": map[string]any{"email": "rae.reviewer@acme.example", "name": "Rae Reviewer",
			"roleIds": []string{reviewerRole}, "teamIds": []string{d.Teams["Sales EMEA"]}}})
	e.anonymous().ok(`mutation($t: String!) { acceptInvitation(token: $t) { id } }`, map[string]any{"t": str(inv, "inviteMember", "invitationToken")})
	reviewer := e.as(d.OrgID, str(inv, "inviteMember", "member", "id"))

	t.Run("owner gives a custom role team reads", func(t *testing.T) {
		if got := reviewer.visible(); len(got) != 0 {
			t.Fatalf("before the edit the reviewer sees %d interactions", len(got))
		}
		team := map[string]bool{}
		for _, ed := range get(f.owner.ok(`query($t: ID) { interactions(first: 200, teamId: $t) { edges { node { id } } } }`,
			map[string]any{"t": d.Teams["Sales EMEA"]}), "interactions", "edges").([]any) {
			team[str(ed, "node", "id")] = true
		}
		if len(team) == 0 {
			t.Fatal("the demo has no Sales EMEA interactions to see")
		}

		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		openRole(p, "QA Reviewer")
		g := p.find(0, "radiogroup", exactly("interactions.read"), "interactions.read")
		if got := checkedIn(p, g); got != "Disabled" {
			t.Fatalf("interactions.read starts at %q, want Disabled", got)
		}
		p.click(p.find(g.backend, "radio", exactly("Team"), "Team"))
		p.waitFor("Team checked", func() bool { return checkedIn(p, g) == "Team" })
		p.clickRole("button", "Save")
		p.find(0, "dialog", exactly("Save changes to QA Reviewer?"), "the save dialog")
		p.waitText("interactions.read: Disabled → Team")
		// The exact impact, from previewRoleGrants: Rae gains the grant and
		// newly sees every Sales EMEA interaction, nobody else changes.
		p.waitText("1 member's access changes")
		p.waitText("Rae Reviewer")
		p.waitText("gains interactions.read: Disabled → Team")
		p.waitText(fmt.Sprintf("newly sees %d interactions", len(team)))
		p.shot("1280x800-roles-save-dialog")
		// Cancel changes nothing: the API still answers no grant, the edit
		// is still on screen to save.
		p.clickRole("button", "Cancel")
		p.absent("dialog", exactly("Save changes to QA Reviewer?"), "the save dialog after Cancel")
		if grants := roleGrants(f.owner, reviewerRole); len(grants) != 0 {
			t.Fatalf("after Cancel the API answers grants %v, want none", grants)
		}
		if got := checkedIn(p, g); got != "Team" {
			t.Fatalf("after Cancel interactions.read shows %q, want the unsaved Team", got)
		}
		p.clickRole("button", "Save")
		p.waitText(fmt.Sprintf("newly sees %d interactions", len(team)))
		confirmWhenReady(p, "Save changes")
		p.waitText("Saved QA Reviewer.")

		grants := roleGrants(f.owner, reviewerRole)
		if !sameList(grants, []string{"interactions.read:TEAM"}) {
			t.Fatalf("after Save the API answers grants %v, want [interactions.read:TEAM]", grants)
		}
		if !reviewer.can("interactions.read", "") {
			t.Fatal("the reviewer may not read interactions after the edit")
		}
		got := reviewer.visible()
		if len(got) != len(team) {
			t.Fatalf("the reviewer sees %d interactions, want Sales EMEA's %d", len(got), len(team))
		}
		for id := range team {
			if !got[id] {
				t.Fatalf("the reviewer does not see Sales EMEA's %s", id)
			}
		}
	})

	t.Run("reset permissions restores the agent defaults", func(t *testing.T) {
		def, _ := catalog.Default().SystemRole("agent")
		var want []string
		for _, g := range def.Grants {
			want = append(want, g.Permission+":"+string(g.Scope))
		}
		sort.Strings(want)
		f.owner.ok(`mutation($id: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $id, grants: $g) { id } }`,
			map[string]any{"id": roles["Agent"], "g": grantInputs("interactions.read:ALL", "interactions.download:TEAM")})
		if sameList(roleGrants(f.owner, roles["Agent"]), want) {
			t.Fatal("the agent role still has its defaults after setRoleGrants")
		}

		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		openRole(p, "Agent")
		p.clickRole("button", "Reset permissions")
		p.find(0, "dialog", exactly("Reset Agent to its default permissions?"), "the reset dialog")
		// The diff to the defaults and who it affects, before anything is
		// reset (Role.defaultGrants, previewRoleGrants).
		p.waitText("interactions.read: All → Own")
		if sameList(roleGrants(f.owner, roles["Agent"]), want) {
			t.Fatal("the agent role was reset before Reset to defaults was confirmed")
		}
		confirmWhenReady(p, "Reset to defaults")
		p.waitText("Reset Agent to its defaults.")
		if got := roleGrants(f.owner, roles["Agent"]); !sameList(got, want) {
			t.Fatalf("after Reset permissions the agent role has %v, want the defaults %v", got, want)
		}
		g := p.find(0, "radiogroup", exactly("interactions.download"), "interactions.download")
		p.waitFor("interactions.download back to Disabled", func() bool { return checkedIn(p, g) == "Disabled" })
	})

	t.Run("a disabled product's modules leave Modules and come back with their grants", func(t *testing.T) {
		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		openRole(p, "Auditor")
		inNav := func(module string) int {
			nav := p.find(0, "navigation", exactly("Modules"), "Modules")
			return len(p.query(nav.backend, "button", func(s string) bool { return strings.HasPrefix(s, module+" ") }))
		}
		p.waitFor("Quality evaluations in Modules", func() bool { return inNav("Quality evaluations") == 1 })
		if got := checkedIn(p, p.find(0, "radiogroup", exactly("evaluations.read"), "evaluations.read")); got != "All" {
			t.Fatalf("auditor's evaluations.read shows %q, want All", got)
		}

		setProduct(p, "Quality", false)

		openRole(p, "Auditor")
		p.waitFor("Quality evaluations gone from Modules", func() bool {
			return inNav("Quality evaluations") == 0 && inNav("Coaching scorecards") == 0 && inNav("Interactions") == 1
		})
		p.absent("radiogroup", exactly("evaluations.read"), "evaluations.read")
		p.shot("1280x800-roles-quality-disabled")

		// Saving while Quality is off keeps the grants Modules does not show.
		g := p.find(0, "radiogroup", exactly("analytics.read"), "analytics.read")
		p.click(p.find(g.backend, "radio", exactly("Team"), "Team"))
		p.clickRole("button", "Save")
		p.waitText("analytics.read: All → Team")
		confirmWhenReady(p, "Save changes")
		p.waitText("Saved Auditor.")
		grants := roleGrants(f.owner, roles["Auditor"])
		for _, want := range []string{"evaluations.read:ALL", "evaluations.write:ALL", "scorecards.read:ALL", "analytics.read:TEAM"} {
			if !hasItem(grants, want) {
				t.Fatalf("after a save with Quality off the auditor role lost %s: %v", want, grants)
			}
		}

		setProduct(p, "Quality", true)
		openRole(p, "Auditor")
		p.waitFor("Quality evaluations back in Modules", func() bool { return inNav("Quality evaluations") == 1 })
		for perm, want := range map[string]string{"evaluations.read": "All", "evaluations.write": "All", "evaluations.delete": "Disabled"} {
			if got := checkedIn(p, p.find(0, "radiogroup", exactly(perm), perm)); got != want {
				t.Errorf("after enabling Quality the auditor's %s shows %q, want %q", perm, got, want)
			}
		}
	})

	t.Run("a manager sees roles read-only and no audit log", func(t *testing.T) {
		p := tab(t, 1280, 800)
		signIn(p, f.email["manager-sales"])
		openRole(p, "Manager")
		save := p.find(0, "button", exactly("Save"), "Save")
		if save.props["disabled"] != "true" {
			t.Fatal("the manager's Save button is enabled")
		}
		g := p.find(0, "radiogroup", exactly("interactions.read"), "interactions.read")
		for _, r := range p.query(g.backend, "radio", func(string) bool { return true }) {
			if r.props["disabled"] != "true" {
				t.Errorf("radio %q of interactions.read is enabled for a manager", r.name)
			}
		}
		for _, b := range []string{"Reset permissions", "Clone role", "Rename"} {
			if n := p.find(0, "button", exactly(b), b); n.props["disabled"] != "true" {
				t.Errorf("%s is enabled for a manager", b)
			}
		}
		// The reasons are the API's explain, word for word.
		manager := f.e.as(d.OrgID, personID(d, "manager-sales"))
		why := func(perm string) string {
			return str(manager.ok(`query($p: String!) { explain(permission: $p) { summary } }`, map[string]any{"p": perm}), "explain", "summary")
		}
		if w := why("roles.write"); !strings.Contains(w, "roles.write") {
			t.Fatalf("explain(roles.write) for the manager: %q", w)
		} else {
			p.waitText("Read-only: " + w)
		}
		p.shot("1280x800-roles-manager-readonly")

		p.clickRole("link", "Audit log")
		p.waitText("You cannot open audit log: " + why("audit_log.read"))
		if n := len(p.query(0, "table", func(string) bool { return true })); n != 0 {
			t.Fatalf("the manager's audit log view shows %d tables", n)
		}
		if f.e.as(d.OrgID, personID(d, "manager-sales")).can("audit_log.read", "") {
			t.Fatal("the API lets the manager read the audit log")
		}
	})

	t.Run("keyboard only: a radio group with the arrow keys, then Save", func(t *testing.T) {
		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		openRole(p, "QA Reviewer")
		inGroup := func(perm string) func() bool {
			return func() bool {
				return eval[string](p, `(document.activeElement && document.activeElement.closest('[role=radiogroup]') || {getAttribute(){return ''}}).getAttribute('aria-label')`) == perm
			}
		}
		p.tabTo("the interactions.write radio group", false, 150, inGroup("interactions.write"))
		g := p.find(0, "radiogroup", exactly("interactions.write"), "interactions.write")
		if got := eval[string](p, `document.activeElement.getAttribute('aria-checked') + ' ' + getComputedStyle(document.activeElement).outlineStyle`); got != "true solid" {
			t.Fatalf("Tab lands on %q, want the checked radio with a visible (solid) focus outline", got)
		}
		p.key(kb.ArrowRight)
		p.waitFor("Own checked", func() bool { return checkedIn(p, g) == "Own" })
		p.key(kb.ArrowRight)
		p.waitFor("Team checked", func() bool { return checkedIn(p, g) == "Team" })
		p.key(kb.ArrowLeft)
		p.waitFor("Own checked again", func() bool { return checkedIn(p, g) == "Own" })
		p.shot("1280x800-roles-keyboard-focus")
		p.tabTo("Save", true, 150, func() bool {
			return eval[string](p, `document.activeElement ? document.activeElement.textContent : ''`) == "Save"
		})
		p.key(kb.Enter)
		p.find(0, "dialog", exactly("Save changes to QA Reviewer?"), "the save dialog")
		p.waitText("interactions.write: Disabled → Own")
		p.find(0, "region", exactly("Impact preview"), "the impact preview") // Save changes waits for it
		p.tabTo("Save changes", false, 5, func() bool {
			return eval[string](p, `document.activeElement ? document.activeElement.textContent : ''`) == "Save changes"
		})
		p.key(kb.Enter)
		p.waitText("Saved QA Reviewer.")
		grants := roleGrants(f.owner, reviewerRole)
		if !hasItem(grants, "interactions.write:OWN") {
			t.Fatalf("after the keyboard edit the API answers %v, want interactions.write:OWN among them", grants)
		}
	})

	t.Run("expand all and collapse all open and close the module sections", func(t *testing.T) {
		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		openRole(p, "Owner")
		modules := len(get(f.owner.ok(`{ organization { modules { key } } }`, nil), "organization", "modules").([]any))
		sections := func(state string) func() bool {
			return func() bool {
				n := 0
				for _, b := range p.query(0, "button", func(string) bool { return true }) {
					if v, ok := b.props["expanded"]; ok && v == state {
						n++
					}
				}
				return n == modules
			}
		}
		p.waitFor("every module section open", sections("true"))
		p.clickRole("button", "Collapse all")
		p.waitFor("every module section closed", sections("false"))
		p.absent("radiogroup", exactly("interactions.read"), "interactions.read while collapsed")
		p.shot("1280x800-roles-collapsed")
		p.clickRole("button", "Expand all")
		p.waitFor("every module section open again", sections("true"))
		p.find(0, "radiogroup", exactly("interactions.read"), "interactions.read once expanded")
		// One section on its own.
		p.click(p.find(0, "button", exactly("Interactions conversations"), "the Interactions section"))
		p.absent("radiogroup", exactly("interactions.read"), "interactions.read in its closed section")
		p.find(0, "radiogroup", exactly("evaluations.read"), "evaluations.read in an open section")
	})

	t.Run("a pasted token signs in; a refused one says so with the API's code", func(t *testing.T) {
		p := tab(t, 1280, 800)
		p.open("/console")
		field := p.find(0, "textbox", exactly("Bearer token"), "the token field")
		p.click(field)
		p.paste("Bearer " + f.owner.token)
		p.clickRole("button", "Sign in")
		p.find(0, "link", exactly("Roles"), "the Roles link")
		p.waitText("Olivia Owner")
		p.clickRole("button", "Sign out")

		p.expect("status of 401")
		p.click(p.find(0, "textbox", exactly("Bearer token"), "the token field"))
		p.key("not-a-token")
		p.clickRole("button", "Sign in")
		p.waitText("UNAUTHENTICATED")
		p.clickRole("button", "Sign in again")
		p.find(0, "heading", exactly("Sign in to the rolegraph console"), "the sign-in page")
	})

	t.Run("clone a role, rename it, delete it moving its members", func(t *testing.T) {
		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		openRole(p, "Agent")
		p.clickRole("button", "Clone role")
		p.find(0, "dialog", exactly("Clone Agent"), "the clone dialog")
		p.clickRole("button", "Create clone")
		p.find(0, "heading", exactly("Copy of Agent custom role"), "the clone's heading")
		var cloneID string
		for _, r := range get(f.owner.ok(`{ organization { roles { id name grants { permission scope } } } }`, nil), "organization", "roles").([]any) {
			if str(r, "name") == "Copy of Agent" {
				cloneID = str(r, "id")
				agent := roleGrants(f.owner, roles["Agent"])
				if got := grantList(get(r, "grants")); !sameList(got, agent) {
					t.Fatalf("the clone has %v, the agent role %v", got, agent)
				}
			}
		}
		if cloneID == "" {
			t.Fatal("the API has no role named Copy of Agent")
		}

		p.clickRole("button", "Rename")
		p.find(0, "dialog", exactly("Rename Copy of Agent"), "the rename dialog")
		name := p.find(0, "textbox", exactly("Name"), "the name field")
		p.click(name)
		p.key(kb.End)
		for range "Copy of Agent" {
			p.key(kb.Backspace)
		}
		p.key("Support Lead")
		p.clickRole("button", "Save name")
		p.find(0, "heading", exactly("Support Lead custom role"), "the renamed heading")

		sam := personID(d, "agent-support")
		f.owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
			map[string]any{"m": sam, "r": []string{cloneID}})
		openRole(p, "Support Lead")
		p.waitText("· 1 member") // Sam holds it now
		p.clickRole("button", "Delete role")
		p.find(0, "dialog", exactly("Delete Support Lead?"), "the delete dialog")
		if n := p.find(0, "button", exactly("Delete role"), "the dialog's Delete role"); n.props["disabled"] != "true" {
			t.Fatal("Delete role is enabled before a role for the members is chosen")
		}
		pick := p.find(0, "combobox", exactly("Move its members to"), "the reassignment picker")
		p.click(pick)
		if !eval[bool](p, fmt.Sprintf(`(() => { const s = document.activeElement; const o = [...s.options].find(o => o.textContent === 'Agent');
			if (!o) return false; Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, o.value);
			s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`)) {
			t.Fatal("the reassignment picker does not offer Agent")
		}
		p.clickRole("button", "Delete role")
		p.absent("link", containing("Support Lead"), "the deleted role in the list")
		if r := f.owner.do(`query($id: ID!) { role(id: $id) { id } }`, map[string]any{"id": cloneID}); get(r.Data, "role") != nil {
			t.Fatalf("the deleted role still answers: %s", r.raw)
		}
		got := get(f.owner.ok(`query($m: ID!) { member(id: $m) { roles { name } } }`, map[string]any{"m": sam}), "member", "roles").([]any)
		if len(got) != 1 || str(got[0], "name") != "Agent" {
			t.Fatalf("Sam's roles after the delete: %v, want [Agent]", got)
		}
	})

	t.Run("a member's effective access says why, from explain", func(t *testing.T) {
		rita, ritaName := personID(d, "recorder-emea-1"), "Rita Rep"
		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		p.clickRole("link", "Members")
		p.click(p.find(0, "link", exactly(ritaName), ritaName))
		p.find(0, "heading", exactly("Effective access"), "Effective access")
		// One she may do, one she may not (its remedy named).
		for _, perm := range []string{"interactions.read", "interactions.delete"} {
			want := str(f.owner.ok(`query($p: String!, $m: ID!) { explain(permission: $p, memberId: $m) { summary } }`,
				map[string]any{"p": perm, "m": rita}), "explain", "summary")
			btn := p.find(0, "button", exactly("Why? "+perm), "why? of "+perm)
			p.click(btn)
			p.find(0, "region", exactly("Why "+perm), "the explanation of "+perm)
			p.waitText(want)
		}
		eval[bool](p, `(document.getElementById('why-interactions.delete').scrollIntoView({block: 'center'}), true)`)
		p.shot("1280x800-member-why")

		// Ticking a role previews what saving it would do (previewMemberRoles).
		p.click(p.find(0, "checkbox", exactly("Analyst"), "the Analyst role"))
		p.waitText("If you save these roles")
		p.waitText("gains interactions.read: Own → All")
		p.shot("1280x800-member-roles-preview")
		p.click(p.find(0, "checkbox", exactly("Analyst"), "the Analyst role"))
		p.absent("region", exactly("Impact preview"), "the roles preview once nothing changes")
	})

	t.Run("members: search and team filter are the API's", func(t *testing.T) {
		p := tab(t, 1280, 800)
		signIn(p, f.email["owner"])
		p.clickRole("link", "Members")
		tableNames := func() string {
			return eval[string](p, `[...document.querySelectorAll('table tbody td[data-label=Name] a')].map(a => a.textContent).join(',')`)
		}
		p.click(p.find(0, "searchbox", exactly("Search members"), "the member search"))
		p.key("RITA")
		p.waitFor("only Rita Rep listed", func() bool { return tableNames() == "Rita Rep" })
		for range "RITA" {
			p.key(kb.Backspace)
		}
		team := p.find(0, "combobox", exactly("Team"), "the team filter")
		p.click(team)
		if !eval[bool](p, `(() => { const s = document.activeElement; const o = [...s.options].find(o => o.textContent === 'Sales EMEA');
			if (!o) return false; Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, o.value);
			s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`) {
			t.Fatal("the team filter does not offer Sales EMEA")
		}
		var want []string
		for _, ed := range get(f.owner.ok(`query($t: ID) { members(first: 50, teamId: $t) { edges { node { name } } } }`,
			map[string]any{"t": d.Teams["Sales EMEA"]}), "members", "edges").([]any) {
			want = append(want, str(ed, "node", "name"))
		}
		p.waitFor("Sales EMEA's members listed", func() bool { return tableNames() == strings.Join(want, ",") })
		p.key(kb.Escape) // close the native picker over the table
		p.shot("1280x800-members-filtered")
	})

	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		t.Run("screenshots at "+name, func(t *testing.T) {
			p := tab(t, size[0], size[1])
			p.open("/console")
			p.find(0, "button", containing(f.email["owner"]), "the owner's sign-in button")
			p.shot(name + "-signin")
			signIn(p, f.email["owner"])
			openRole(p, "Agent")
			p.everyControlNamed("Roles")
			p.shot(name + "-roles")
			eval[bool](p, `(document.getElementById('module-interactions').scrollIntoView(), true)`)
			p.shot(name + "-roles-matrix")
			// Save's confirmation with its impact preview, then Cancel and
			// Discard: nothing is saved.
			g := p.find(0, "radiogroup", exactly("interactions.write"), "interactions.write")
			before, target := checkedIn(p, g), "Team"
			if before == target {
				target = "All"
			}
			p.click(p.find(g.backend, "radio", exactly(target), target))
			p.clickRole("button", "Save")
			p.find(0, "region", exactly("Impact preview"), "the impact preview")
			p.shot(name + "-roles-save-preview")
			p.clickRole("button", "Cancel")
			p.clickRole("button", "Discard changes")
			p.waitFor("interactions.write back to "+before, func() bool { return checkedIn(p, g) == before })
			for _, v := range []struct{ link, heading, shot string }{
				{"Members", "Members", "members"},
				{"Teams", "Teams", "teams"},
				{"Licences", "Licences", "licences"},
				{"Guests", "Guests", "guests"},
				{"Products", "Products", "products"},
				{"Audit log", "Audit log", "audit-log"},
			} {
				p.clickRole("link", v.link)
				p.find(0, "heading", exactly(v.heading), v.heading+" heading")
				p.waitFor(v.link+" loaded", func() bool { return !strings.Contains(p.text(), "Loading") })
				p.everyControlNamed(v.link)
				p.shot(name + "-" + v.shot)
			}
			p.waitText("createRole") // the audit log names the mutation
			p.clickRole("link", "Members")
			p.click(p.find(0, "link", exactly("Rita Rep"), "Rita Rep"))
			p.find(0, "heading", exactly("Effective access"), "Effective access")
			p.everyControlNamed("a member's page")
			p.shot(name + "-member")
		})
	}

	t.Run("GraphiQL runs the example query as a picked demo member", func(t *testing.T) {
		p := tab(t, 1280, 800)
		p.open("/graphiql")
		p.find(0, "combobox", exactly("Demo member"), "the demo member picker")
		p.waitFor("demo members listed", func() bool {
			return eval[int](p, `document.getElementById('demo-member').options.length`) > 1
		})
		// Pick the owner as a person would: focus the picker, choose, confirm.
		ok := eval[bool](p, fmt.Sprintf(`(() => { const s = document.getElementById('demo-member');
			const o = [...s.options].find(o => o.dataset.email === %q); if (!o) return false;
			s.focus(); s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, f.email["owner"]))
		if !ok {
			t.Fatal("the owner is not among GraphiQL's demo members")
		}
		p.waitText("Requests carry Authorization: Bearer … (" + f.email["owner"] + ")")
		p.waitText("can(permission: \"interactions.download\")") // the README's example, not the welcome text
		p.click(p.find(0, "button", containing("Execute query"), "GraphiQL's run button"))
		p.waitText("Olivia Owner")
		// The result editor draws only the lines in view: read its value.
		p.waitFor("the whole answer", func() bool {
			res := eval[string](p, `(() => { const cm = document.querySelector('.result-window .CodeMirror'); return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '' })()`)
			return strings.Contains(res, `"can": true`) && strings.Contains(res, `"totalCount": 200`) && !strings.Contains(res, `"errors"`)
		})
		p.shot("1280x800-graphiql")
	})
}

// signIn signs in on the console's sign-in page as the demo member with
// this email.
func signIn(p *page, email string) {
	p.t.Helper()
	p.open("/console")
	p.click(p.find(0, "button", containing(email), "sign in as "+email))
	p.find(0, "link", exactly("Roles"), "the Roles link")
}

var memberCount = regexp.MustCompile(` \d+ members?$`)

// openRole opens the Roles view and one role's matrix.
func openRole(p *page, name string) {
	p.t.Helper()
	p.clickRole("link", "Roles")
	p.click(p.find(0, "link", func(s string) bool {
		return strings.HasPrefix(s, name+" ") && memberCount.MatchString(s) && memberCount.ReplaceAllString(s, "") == name
	}, "the role "+name))
	p.find(0, "heading", func(s string) bool { return strings.HasPrefix(s, name+" ") && strings.HasSuffix(s, " role") }, name+"'s heading")
}

// roleGrants is a role's grants as the API answers them, "perm:SCOPE" sorted.
func roleGrants(c *client, roleID string) []string {
	c.e.t.Helper()
	return grantList(get(c.ok(`query($id: ID!) { role(id: $id) { grants { permission scope } } }`, map[string]any{"id": roleID}), "role", "grants"))
}

// setProduct enables or disables a product on the Products view, through
// its confirmation.
func setProduct(p *page, product string, enable bool) {
	p.t.Helper()
	verb, undo := "Disable", "Enable"
	if enable {
		verb, undo = undo, verb
	}
	p.clickRole("link", "Products")
	p.clickRole("button", verb+" "+product)
	p.find(0, "dialog", exactly(verb+" "+product+"?"), "the "+verb+" dialog")
	// The confirmation waits for previewProductChange (and its list would
	// move the button from under a click made before it arrived).
	confirmWhenReady(p, verb)
	p.find(0, "button", exactly(undo+" "+product), undo+" "+product)
}

// checkedIn is the name of the checked radio of a group ("" for none).
func checkedIn(p *page, group axNode) string {
	for _, r := range p.query(group.backend, "radio", func(string) bool { return true }) {
		if r.props["checked"] == "true" {
			return r.name
		}
	}
	return ""
}

func personID(d *demo.Demo, label string) string {
	for _, p := range d.People {
		if p.Label == label {
			return p.ID
		}
	}
	return ""
}

// confirmWhenReady clicks a confirmation's button once the impact preview
// it waits for is there (until then the button is disabled, and the
// preview's arrival moves it).
func confirmWhenReady(p *page, label string) {
	p.t.Helper()
	p.find(0, "region", exactly("Impact preview"), "the impact preview")
	p.waitFor(label+" enabled", func() bool { return p.find(0, "button", exactly(label), label).props["disabled"] != "true" })
	p.clickRole("button", label)
}
