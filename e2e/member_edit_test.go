package e2e

import (
	"testing"
)

const (
	qUpdateMember = `mutation($id: ID!, $in: UpdateMemberInput!) { updateMember(id: $id, input: $in) { id name email } }`
	qSetPrefs     = `mutation($m: ID!, $in: MemberPreferencesInput!) { setMemberPreferences(memberId: $m, input: $in) {
		id preferences { locale timezone emailNotifications } } }`
	qPrefs = `query($m: ID!) { member(id: $m) { name email preferences { locale timezone emailNotifications } } }`
)

// memberDetails reads name, email and preferences as the owner.
func (o *org) memberDetails(memberID string) map[string]any {
	o.e.t.Helper()
	d := o.Owner.ok(qPrefs, map[string]any{"m": memberID})
	return get(d, "member").(map[string]any)
}

// Seed 001 "Users & Teams: Create and edit users", "Internal
// administration: search and edit other users", "Personal settings: edit
// another user's personal settings"; seed 002 "User Preferences: Agents
// can update their own preferences only".
func TestMemberEdit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Editing", "PRO", nil)
		o.team("Support", "")
		o.customRole("Internal administration", "members.read", "members.write", "roles.read")
		o.customRole("Personal settings", "members.read", "preferences.write:ALL")
		o.customRole("Team users", "members.read", "members.write:TEAM")
		it := o.member("it@edit.example", []string{"Internal administration"}, nil, nil)
		central := o.member("central@edit.example", []string{"Personal settings"}, nil, nil)
		lead := o.member("lead@edit.example", []string{"Team users"}, []string{"Support"}, nil)
		agent := o.member("agent@edit.example", []string{"agent"}, []string{"Support"}, nil)
		other := o.member("other@edit.example", []string{"agent"}, nil, nil)
		admin := o.member("admin@edit.example", []string{"admin"}, nil, nil)
		before := o.auditActions()

		// Defaults until set.
		if p := o.memberDetails(agent.MemberID)["preferences"]; get(p, "locale") != "en" || get(p, "timezone") != "UTC" || get(p, "emailNotifications") != true {
			t.Errorf("default preferences = %v", p)
		}

		// Editing other users: members.write covering them.
		d := it.ok(qUpdateMember, map[string]any{"id": agent.MemberID, "in": map[string]any{"name": "Agent Smith", "email": "Smith@Edit.example"}})
		if str(d, "updateMember", "name") != "Agent Smith" || str(d, "updateMember", "email") != "smith@edit.example" {
			t.Errorf("updateMember answered %v", d)
		}
		lead.ok(qUpdateMember, map[string]any{"id": agent.MemberID, "in": map[string]any{"name": "Agent S."}})
		lead.failsWith("FORBIDDEN", "members.write", qUpdateMember, map[string]any{"id": other.MemberID, "in": map[string]any{"name": "Not mine"}})
		// Internal administration edits every user but the owner.
		it.ok(qUpdateMember, map[string]any{"id": admin.MemberID, "in": map[string]any{"name": "Admin A."}})
		it.failsWith("FORBIDDEN", "members.write", qUpdateMember, map[string]any{"id": o.Owner.MemberID, "in": map[string]any{"email": "mine@edit.example"}})
		// Yourself: preferences.write (every system role has it at OWN).
		agent.ok(qUpdateMember, map[string]any{"id": agent.MemberID, "in": map[string]any{"name": "Agent Self"}})
		agent.failsWith("FORBIDDEN", "members.write", qUpdateMember, map[string]any{"id": other.MemberID, "in": map[string]any{"name": "Nope"}})
		// Emails are unique per organization.
		it.fails("CONFLICT", "input.email", qUpdateMember, map[string]any{"id": agent.MemberID, "in": map[string]any{"email": "OTHER@edit.example"}})
		if got := o.memberDetails(agent.MemberID); got["name"] != "Agent Self" || got["email"] != "smith@edit.example" {
			t.Errorf("after the edits and the conflict, agent is %v", got)
		}

		// Personal settings: own at OWN, others' at ALL.
		d = agent.ok(qSetPrefs, map[string]any{"m": agent.MemberID, "in": map[string]any{"locale": "pt-br", "timezone": "America/Sao_Paulo"}})
		if p := get(d, "setMemberPreferences", "preferences"); get(p, "locale") != "pt-BR" || get(p, "timezone") != "America/Sao_Paulo" || get(p, "emailNotifications") != true {
			t.Errorf("own preferences = %v", p)
		}
		agent.failsWith("FORBIDDEN", "preferences.write", qSetPrefs, map[string]any{"m": other.MemberID, "in": map[string]any{"emailNotifications": false}})
		lead.failsWith("FORBIDDEN", "preferences.write", qSetPrefs, map[string]any{"m": agent.MemberID, "in": map[string]any{"emailNotifications": false}})
		d = central.ok(qSetPrefs, map[string]any{"m": agent.MemberID, "in": map[string]any{"emailNotifications": false}})
		if p := get(d, "setMemberPreferences", "preferences"); get(p, "locale") != "pt-BR" || get(p, "emailNotifications") != false {
			t.Errorf("preferences after central administration = %v", p)
		}
		central.ok(qSetPrefs, map[string]any{"m": o.Owner.MemberID, "in": map[string]any{"timezone": "Europe/Berlin"}})

		// Bad input: the field, and nothing applied.
		for _, c := range []struct {
			name, field string
			in          map[string]any
		}{
			{"locale not BCP 47", "input.locale", map[string]any{"locale": "english please", "emailNotifications": true}},
			{"empty locale", "input.locale", map[string]any{"locale": ""}},
			{"unknown time zone", "input.timezone", map[string]any{"timezone": "Mars/Olympus_Mons", "locale": "de"}},
			{"Local is no zone", "input.timezone", map[string]any{"timezone": "Local"}},
			{"nothing to set", "input", map[string]any{}},
		} {
			t.Run("preferences "+c.name, func(t *testing.T) {
				central.fails("BAD_USER_INPUT", c.field, qSetPrefs, map[string]any{"m": agent.MemberID, "in": c.in})
			})
		}
		for _, c := range []struct {
			name, field string
			in          map[string]any
		}{
			{"empty name", "input.name", map[string]any{"name": "  ", "email": "fine@edit.example"}},
			{"bad email", "input.email", map[string]any{"name": "Fine", "email": "not an email"}},
			{"nothing to change", "input", map[string]any{}},
		} {
			t.Run("updateMember "+c.name, func(t *testing.T) {
				it.fails("BAD_USER_INPUT", c.field, qUpdateMember, map[string]any{"id": agent.MemberID, "in": c.in})
			})
		}
		got := o.memberDetails(agent.MemberID)
		if got["name"] != "Agent Self" || got["email"] != "smith@edit.example" ||
			get(got, "preferences", "locale") != "pt-BR" || get(got, "preferences", "timezone") != "America/Sao_Paulo" ||
			get(got, "preferences", "emailNotifications") != false {
			t.Errorf("bad input changed the member: %v", got)
		}

		// Every change is on record.
		after := o.auditActions()
		if n := after["updateMember"] - before["updateMember"]; n != 4 {
			t.Errorf("%d updateMember events, want 4", n)
		}
		if n := after["setMemberPreferences"] - before["setMemberPreferences"]; n != 3 {
			t.Errorf("%d setMemberPreferences events, want 3", n)
		}
	})
}

// Another organization's member is not found, exactly like an unknown one.
func TestMemberEditOtherOrganization(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		a := e.newOrg("Edit A", "PRO", nil)
		b := e.newOrg("Edit B", "PRO", nil)
		victim := b.member("victim@b.example", []string{"agent"}, nil, nil)
		ga := a.Owner.fails("BAD_USER_INPUT", "id", qUpdateMember, map[string]any{"id": victim.MemberID, "in": map[string]any{"name": "Hacked"}})
		gp := a.Owner.fails("BAD_USER_INPUT", "memberId", qSetPrefs, map[string]any{"m": victim.MemberID, "in": map[string]any{"locale": "de"}})
		if ga.Message == "" || gp.Message == "" {
			t.Error("refusals without a message")
		}
		got := b.memberDetails(victim.MemberID)
		if got["name"] != "victim" || get(got, "preferences", "locale") != "en" {
			t.Errorf("the other organization's member changed: %v", got)
		}
	})
}
