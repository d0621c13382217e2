package e2e

// Bad input on every mutation of the schema, and bad credentials.
//
// TestBadInput sends one request per (mutation, bad input) row and checks
// the error's extensions.code and extensions.field, that no data came back,
// and that nothing at all changed: both organizations' state (members,
// seats, roles and grants, teams, interactions, evaluations, audit log) is
// read through the API before and after, and compared. An id of another
// organization must fail exactly like a well-formed id that does not exist
// (same code, field, path and message but for the id), and no message may
// name anything of the other organization that the request did not send.

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/internal/gqlclient"
)

// badInputCase is one bad request and what it must produce.
type badInputCase struct {
	name  string
	who   string // "" owner of org A, "anon", "operator"
	query string
	vars  map[string]any
	code  string // default BAD_USER_INPUT
	field string // required for BAD_USER_INPUT from the service
	// gql: refused by GraphQL validation or argument coercion (a bad enum,
	// a wrong type); the code must be BAD_USER_INPUT for a value sent in a
	// variable, GRAPHQL_VALIDATION_FAILED for one written in the query, and
	// the field is asserted when one is given (coercion errors name the
	// argument, validation errors do not).
	gql bool
	// twin, for an id of another organization: the same request with a
	// nonexistent id, which must fail (or answer) identically.
	twin map[string]any
	// null: a query that must answer null, not fail (lookups by id).
	null bool
}

// badInputFixture is org A (the caller's, PRO, every product) and org B (another
// tenant whose ids org A's owner sends).
type badInputFixture struct {
	e        *env
	a, b     *org
	operator *client

	alice       *client // agent + Custom QA, team Alpha, RECORDER seat
	bobID       string  // deactivated recorder
	ivyID       string  // invited, never accepted
	gusID       string  // guest
	usedInvite  string  // alice's invitation token, accepted
	guestLink   string  // a guest link for the guest role
	alpha, beta string  // teams
	customQA    string  // custom role held by alice
	emptyRole   string  // custom role nobody holds
	call        string  // alice's interaction, team Alpha
	eval        string  // the owner's evaluation of alice on call

	bMember, bTeam, bRole, bCustomRole, bCall, bEval string
	// secrets are what org A's messages must never contain unless the
	// request itself sent them.
	secrets []string
}

func newBIFixture(t *testing.T, e *env) *badInputFixture {
	t.Helper()
	f := &badInputFixture{e: e, operator: e.operator()}
	a := e.newOrg("BadInput Alpha", "PRO", nil)
	f.a = a
	f.alpha, f.beta = a.team("Alpha", ""), a.team("Beta", "")

	d := a.Owner.ok(mutInvite, map[string]any{"in": map[string]any{"email": "alice@alpha.example", "name": "Alice",
		"roleIds": []string{a.role("agent")}, "teamIds": []string{f.alpha}, "seats": []string{"RECORDER"}}})
	f.usedInvite = str(d, "inviteMember", "invitationToken")
	e.anonymous().ok(mutAccept, map[string]any{"t": f.usedInvite})
	f.alice = e.as(a.ID, str(d, "inviteMember", "member", "id"))

	role := func(o *org, name string, grants ...map[string]any) string {
		d := o.Owner.ok(mutCreateRole, map[string]any{"in": map[string]any{"name": name, "grants": grants}})
		return str(d, "createRole", "id")
	}
	f.customQA = role(a, "Custom QA", grantVar("interactions.read", "ALL"), grantVar("evaluations.write", "TEAM"))
	f.emptyRole = role(a, "Empty Role", grantVar("interactions.read", "OWN"))
	a.Owner.ok(mutSetRoles, map[string]any{"m": f.alice.MemberID, "r": []string{a.role("agent"), f.customQA}})

	f.bobID = a.member("bob@alpha.example", []string{"recorder"}, nil, nil).MemberID
	a.Owner.ok(mutDeactivate, map[string]any{"m": f.bobID})
	d = a.Owner.ok(mutInvite, map[string]any{"in": map[string]any{"email": "ivy@alpha.example", "name": "Ivy",
		"roleIds": []string{a.role("agent")}}})
	f.ivyID = str(d, "inviteMember", "member", "id")

	d = a.Owner.ok(mutGuestInvite, map[string]any{"r": a.role("guest"), "x": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	f.guestLink = str(d, "createGuestInvite", "token")
	d = e.anonymous().ok(mutAccept, map[string]any{"t": f.guestLink, "email": "gus@alpha.example", "name": "Gus"})
	f.gusID = str(d, "acceptInvitation", "id")

	f.call = a.interaction("Alpha call", f.alice, "Alpha")
	d = a.Owner.ok(mutCreateEvaluation, map[string]any{"in": map[string]any{"interactionId": f.call, "agentId": f.alice.MemberID, "score": 70}})
	f.eval = str(d, "createEvaluation", "id")

	b := e.newOrg("BadInput Beta", "PRO", nil)
	f.b = b
	f.bTeam = b.team("Gamma secret team", "")
	bea := b.member("bea@beta.example", []string{"agent"}, []string{"Gamma secret team"}, nil)
	f.bMember = bea.MemberID
	f.bRole = b.role("admin")
	f.bCustomRole = role(b, "Beta secret role", grantVar("interactions.read", "ALL"))
	f.bCall = b.interaction("Beta secret call", bea, "Gamma secret team")
	d = b.Owner.ok(mutCreateEvaluation, map[string]any{"in": map[string]any{"interactionId": f.bCall, "agentId": bea.MemberID, "score": 40}})
	f.bEval = str(d, "createEvaluation", "id")
	f.secrets = []string{b.ID, b.Owner.MemberID, f.bMember, f.bTeam, f.bRole, f.bCustomRole, f.bCall, f.bEval,
		"Beta secret", "Gamma secret", "bea@beta.example", "badinputbeta", "BadInput Beta"}
	return f
}

func grantVar(p, s string) map[string]any { return map[string]any{"permission": p, "scope": s} }

// foreign lists org B's ids of a kind.
func (f *badInputFixture) foreign(k ids.Kind) []string {
	switch k {
	case ids.Member:
		return []string{f.bMember, f.b.Owner.MemberID}
	case ids.Team:
		return []string{f.bTeam}
	case ids.Role:
		return []string{f.bRole, f.bCustomRole}
	case ids.Interaction:
		return []string{f.bCall}
	case ids.Evaluation:
		return []string{f.bEval}
	}
	return nil
}

// wrongKind is a real id of org A of another kind than k.
func (f *badInputFixture) wrongKind(k ids.Kind) string {
	if k == ids.Team || k == ids.Interaction {
		return f.alice.MemberID
	}
	return f.alpha
}

// idRows are the bad values of one id argument: unknown, malformed in
// several shapes, and every id of org B of that kind.
func (f *badInputFixture) idRows(name, query, field string, k ids.Kind, build func(id string) map[string]any) []badInputCase {
	shapes := []struct{ label, id string }{
		{"unknown", ids.New(k)},
		{"empty", ""},
		{"blank", "   "},
		{"malformed", "not an id!"},
		{"upper-case", string(k) + "_ABCDEFGHIJKLMNOPQRST"},
		{"injection", string(k) + "_x' OR '1'='1"},
		{"of the wrong kind", f.wrongKind(k)},
		{"10k characters", string(k) + "_" + strings.Repeat("a", 10000)},
	}
	var rows []badInputCase
	for _, s := range shapes {
		rows = append(rows, badInputCase{name: fmt.Sprintf("%s: %s %s", name, s.label, field), query: query, vars: build(s.id), field: field})
	}
	for i, id := range f.foreign(k) {
		rows = append(rows, badInputCase{name: fmt.Sprintf("%s: other organization's %s #%d", name, field, i+1), query: query,
			vars: build(id), field: field, twin: build(ids.New(k))})
	}
	return rows
}

// textRows are the bad values of a required text argument.
func textInputRows(name, query, field string, max int, build func(v string) map[string]any) []badInputCase {
	vals := []struct{ label, v string }{
		{"empty", ""},
		{"whitespace-only", " \t\n  "},
		{"10k characters", strings.Repeat("x", 10000)},
		{fmt.Sprintf("%d characters", max+1), strings.Repeat("é", max+1)},
		{"a NUL byte", "bad\x00name"},
		{"a control character", "bad\x1bname"},
	}
	var rows []badInputCase
	for _, v := range vals {
		rows = append(rows, badInputCase{name: fmt.Sprintf("%s: %s %s", name, v.label, field), query: query, vars: build(v.v), field: field})
	}
	return rows
}

// emailRows are malformed email addresses.
func emailInputRows(name, query, field string, build func(v string) map[string]any) []badInputCase {
	vals := []struct{ label, v string }{
		{"empty", ""},
		{"whitespace-only", "   "},
		{"no @", "someone.example.com"},
		{"display-name form", "A <a@b.c>"},
		{"display-name form, quoted", `"Some One" <someone@example.com>`},
		{"no TLD dot", "someone@localhost"},
		{"a space in the local part", "some one@example.com"},
		{"a space in the domain", "someone@exa mple.com"},
		{"two @", "some@one@example.com"},
		{"no local part", "@example.com"},
		{"no domain", "someone@"},
		{"a trailing dot", "someone@example."},
		{"two addresses", "a@example.com, b@example.com"},
		{"300 characters", strings.Repeat("a", 300) + "@example.com"},
		{"10k characters", strings.Repeat("a", 10000) + "@example.com"},
	}
	var rows []badInputCase
	for _, v := range vals {
		rows = append(rows, badInputCase{name: fmt.Sprintf("%s: %s %s", name, v.label, field), query: query, vars: build(v.v), field: field})
	}
	return rows
}

// grantRows are bad grant lists, reported at field[i].
func grantInputRows(name, query, field string, build func(grants []map[string]any) map[string]any) []badInputCase {
	ok := grantVar("interactions.read", "OWN")
	too := []map[string]any{}
	for i := 0; i < 300; i++ {
		too = append(too, grantVar(fmt.Sprintf("made.up%d", i), "ALL"))
	}
	vals := []struct {
		label  string
		grants []map[string]any
		field  string
	}{
		{"an unknown permission", []map[string]any{ok, grantVar("interactions.teleport", "ALL")}, field + "[1]"},
		{"an unknown module", []map[string]any{grantVar("nope.read", "ALL")}, field + "[0]"},
		{"an empty permission", []map[string]any{grantVar("", "ALL")}, field + "[0]"},
		{"a permission in another case", []map[string]any{grantVar("Interactions.Read", "ALL")}, field + "[0]"},
		{"a 10k-character permission", []map[string]any{grantVar(strings.Repeat("p", 10000), "ALL")}, field + "[0]"},
		{"members.read at OWN", []map[string]any{grantVar("members.read", "OWN")}, field + "[0]"},
		{"interactions.record at TEAM", []map[string]any{ok, grantVar("interactions.record", "TEAM")}, field + "[1]"},
		{"evaluations.delete at OWN", []map[string]any{ok, grantVar("evaluations.delete", "OWN")}, field + "[1]"},
		{"a permission twice", []map[string]any{ok, grantVar("interactions.read", "OWN")}, field + "[1]"},
		{"a permission twice at other scopes", []map[string]any{grantVar("interactions.read", "ALL"), ok}, field + "[1]"},
		{"a permission twice, DISABLED once", []map[string]any{ok, grantVar("interactions.read", "DISABLED")}, field + "[1]"},
		{"300 grants", too, field},
	}
	var rows []badInputCase
	for _, v := range vals {
		rows = append(rows, badInputCase{name: fmt.Sprintf("%s: %s in %s", name, v.label, field), query: query, vars: build(v.grants), field: v.field})
	}
	rows = append(rows,
		badInputCase{name: name + ": unknown scope enum", query: query, vars: build([]map[string]any{grantVar("interactions.read", "EVERYWHERE")}), gql: true},
		badInputCase{name: name + ": lower-case scope enum", query: query, vars: build([]map[string]any{grantVar("interactions.read", "all")}), gql: true, field: field + "[0].scope"},
		badInputCase{name: name + ": grant without scope", query: query, vars: build([]map[string]any{{"permission": "interactions.read"}}), gql: true},
	)
	return rows
}

// with copies m with key set to v (v == nil deletes key).
func withVars(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func asInput(m map[string]any) map[string]any { return map[string]any{"in": m} }

func (f *badInputFixture) cases() []badInputCase {
	a := f.a
	agent := a.role("agent")
	alice := f.alice.MemberID
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	manyRoles := []string{}
	for i := 0; i < 201; i++ {
		manyRoles = append(manyRoles, ids.New(ids.Role))
	}
	var cs []badInputCase
	add := func(rows ...badInputCase) { cs = append(cs, rows...) }

	// createOrganization (operator).
	org := map[string]any{"name": "New Co", "ownerEmail": "boss@newco.example", "ownerName": "Boss"}
	add(textInputRows("createOrganization", mutCreateOrg, "input.name", 100, func(v string) map[string]any { return asInput(withVars(org, "name", v)) })...)
	add(emailInputRows("createOrganization", mutCreateOrg, "input.ownerEmail", func(v string) map[string]any { return asInput(withVars(org, "ownerEmail", v)) })...)
	add(textInputRows("createOrganization", mutCreateOrg, "input.ownerName", 100, func(v string) map[string]any { return asInput(withVars(org, "ownerName", v)) })...)
	add(
		badInputCase{name: "createOrganization: a product twice", query: mutCreateOrg, vars: asInput(withVars(org, "products", []string{"AI", "QUALITY", "AI"})), field: "input.products"},
		badInputCase{name: "createOrganization: unknown plan enum", query: mutCreateOrg, vars: asInput(withVars(org, "plan", "GOLD")), gql: true},
		badInputCase{name: "createOrganization: lower-case plan enum", query: mutCreateOrg, vars: asInput(withVars(org, "plan", "pro")), gql: true, field: "input.plan"},
		badInputCase{name: "createOrganization: unknown product enum", query: mutCreateOrg, vars: asInput(withVars(org, "products", []string{"FAX"})), gql: true},
		badInputCase{name: "createOrganization: no ownerEmail", query: mutCreateOrg, vars: asInput(withVars(org, "ownerEmail", nil)), gql: true},
		badInputCase{name: "createOrganization: inline unknown plan", query: `mutation { createOrganization(input: {name: "X", plan: GOLD, ownerEmail: "x@x.example", ownerName: "X"}) { owner { id } } }`, gql: true},
	)
	for i := range cs {
		cs[i].who = "operator"
	}

	// inviteMember.
	inv := map[string]any{"email": "new@alpha.example", "name": "New Person", "roleIds": []string{agent}, "teamIds": []string{f.alpha}}
	add(emailInputRows("inviteMember", mutInvite, "input.email", func(v string) map[string]any { return asInput(withVars(inv, "email", v)) })...)
	add(textInputRows("inviteMember", mutInvite, "input.name", 100, func(v string) map[string]any { return asInput(withVars(inv, "name", v)) })...)
	add(f.idRows("inviteMember", mutInvite, "input.roleIds", ids.Role, func(id string) map[string]any { return asInput(withVars(inv, "roleIds", []string{agent, id})) })...)
	add(f.idRows("inviteMember", mutInvite, "input.teamIds", ids.Team, func(id string) map[string]any { return asInput(withVars(inv, "teamIds", []string{f.alpha, id})) })...)
	add(
		badInputCase{name: "inviteMember: no roleIds", query: mutInvite, vars: asInput(withVars(inv, "roleIds", []string{})), field: "input.roleIds"},
		badInputCase{name: "inviteMember: a role twice", query: mutInvite, vars: asInput(withVars(inv, "roleIds", []string{agent, agent})), field: "input.roleIds"},
		badInputCase{name: "inviteMember: 201 roleIds", query: mutInvite, vars: asInput(withVars(inv, "roleIds", manyRoles)), field: "input.roleIds"},
		badInputCase{name: "inviteMember: a team twice", query: mutInvite, vars: asInput(withVars(inv, "teamIds", []string{f.alpha, f.alpha})), field: "input.teamIds"},
		badInputCase{name: "inviteMember: a seat twice", query: mutInvite, vars: asInput(withVars(inv, "seats", []string{"RECORDER", "RECORDER"})), field: "input.seats"},
		badInputCase{name: "inviteMember: unknown seat enum", query: mutInvite, vars: asInput(withVars(inv, "seats", []string{"PILOT"})), gql: true},
		badInputCase{name: "inviteMember: null roleIds", query: mutInvite, vars: asInput(withVars(inv, "roleIds", nil)), gql: true},
		badInputCase{name: "inviteMember: existing email in upper case", query: mutInvite, vars: asInput(withVars(inv, "email", "ALICE@Alpha.Example")), code: "CONFLICT", field: "input.email"},
		badInputCase{name: "inviteMember: existing email with spaces around", query: mutInvite, vars: asInput(withVars(inv, "email", "  alice@alpha.example ")), code: "CONFLICT", field: "input.email"},
		badInputCase{name: "inviteMember: email of an invited member", query: mutInvite, vars: asInput(withVars(inv, "email", "Ivy@alpha.example")), code: "CONFLICT", field: "input.email"},
		badInputCase{name: "inviteMember: email of a deactivated member", query: mutInvite, vars: asInput(withVars(inv, "email", "bob@ALPHA.example")), code: "CONFLICT", field: "input.email"},
		badInputCase{name: "inviteMember: email of a guest", query: mutInvite, vars: asInput(withVars(inv, "email", "GUS@alpha.example")), code: "CONFLICT", field: "input.email"},
		badInputCase{name: "inviteMember: email of the owner", query: mutInvite, vars: asInput(withVars(inv, "email", "Owner@BadInputAlpha.example")), code: "CONFLICT", field: "input.email"},
	)

	// acceptInvitation (no bearer token).
	anon := []badInputCase{
		{name: "acceptInvitation: empty token", query: mutAccept, vars: map[string]any{"t": ""}, field: "token"},
		{name: "acceptInvitation: whitespace-only token", query: mutAccept, vars: map[string]any{"t": "   "}, field: "token"},
		{name: "acceptInvitation: 10k-character token", query: mutAccept, vars: map[string]any{"t": strings.Repeat("t", 10000)}, field: "token"},
		{name: "acceptInvitation: unknown token", query: mutAccept, vars: map[string]any{"t": strings.Repeat("A", 43)}, field: "token"},
		{name: "acceptInvitation: token already used", query: mutAccept, vars: map[string]any{"t": f.usedInvite}, field: "token"},
		{name: "acceptInvitation: token with spaces around", query: mutAccept, vars: map[string]any{"t": " " + f.usedInvite + " "}, field: "token"},
		{name: "acceptInvitation: guest link without email", query: mutAccept, vars: map[string]any{"t": f.guestLink, "name": "Guest"}, field: "email"},
		{name: "acceptInvitation: guest link without name", query: mutAccept, vars: map[string]any{"t": f.guestLink, "email": "guest@alpha.example"}, field: "name"},
		{name: "acceptInvitation: guest link with a taken email", query: mutAccept, vars: map[string]any{"t": f.guestLink, "email": "ALICE@alpha.example", "name": "Alice Again"}, code: "CONFLICT", field: "email"},
		{name: "acceptInvitation: guest link with the guest's email again", query: mutAccept, vars: map[string]any{"t": f.guestLink, "email": "gus@Alpha.example", "name": "Gus"}, code: "CONFLICT", field: "email"},
	}
	anon = append(anon, emailInputRows("acceptInvitation (guest)", mutAccept, "email", func(v string) map[string]any {
		return map[string]any{"t": f.guestLink, "email": v, "name": "Guest"}
	})...)
	anon = append(anon, textInputRows("acceptInvitation (guest)", mutAccept, "name", 100, func(v string) map[string]any {
		return map[string]any{"t": f.guestLink, "email": "guest@alpha.example", "name": v}
	})...)
	for i := range anon {
		anon[i].who = "anon"
	}
	add(anon...)

	// setMemberRoles.
	add(f.idRows("setMemberRoles", mutSetRoles, "memberId", ids.Member, func(id string) map[string]any { return map[string]any{"m": id, "r": []string{agent}} })...)
	add(f.idRows("setMemberRoles", mutSetRoles, "roleIds", ids.Role, func(id string) map[string]any { return map[string]any{"m": alice, "r": []string{agent, id}} })...)
	add(
		badInputCase{name: "setMemberRoles: no roleIds", query: mutSetRoles, vars: map[string]any{"m": alice, "r": []string{}}, field: "roleIds"},
		badInputCase{name: "setMemberRoles: a role twice", query: mutSetRoles, vars: map[string]any{"m": alice, "r": []string{agent, f.customQA, agent}}, field: "roleIds"},
		badInputCase{name: "setMemberRoles: 201 roleIds", query: mutSetRoles, vars: map[string]any{"m": alice, "r": manyRoles}, field: "roleIds"},
		badInputCase{name: "setMemberRoles: null roleIds", query: mutSetRoles, vars: map[string]any{"m": alice, "r": nil}, gql: true},
	)

	// deactivateMember, reactivateMember, removeMember, transferOwnership.
	one := func(id string) map[string]any { return map[string]any{"m": id} }
	add(f.idRows("deactivateMember", mutDeactivate, "memberId", ids.Member, one)...)
	add(f.idRows("reactivateMember", mutReactivate, "memberId", ids.Member, one)...)
	add(
		badInputCase{name: "reactivateMember: an active member", query: mutReactivate, vars: one(alice), field: "memberId"},
		badInputCase{name: "reactivateMember: an invited member", query: mutReactivate, vars: one(f.ivyID), field: "memberId"},
	)
	add(f.idRows("removeMember", mutRemove, "memberId", ids.Member, one)...)
	add(f.idRows("transferOwnership", mutTransfer, "memberId", ids.Member, one)...)
	add(
		badInputCase{name: "transferOwnership: to the owner", query: mutTransfer, vars: one(a.Owner.MemberID), field: "memberId"},
		badInputCase{name: "transferOwnership: to an invited member", query: mutTransfer, vars: one(f.ivyID), field: "memberId"},
		badInputCase{name: "transferOwnership: to a deactivated member", query: mutTransfer, vars: one(f.bobID), field: "memberId"},
		badInputCase{name: "transferOwnership: to a guest", query: mutTransfer, vars: one(f.gusID), field: "memberId"},
	)

	// assignSeat, releaseSeat, setSeatTotal.
	add(f.idRows("assignSeat", mutAssignSeat, "memberId", ids.Member, func(id string) map[string]any { return map[string]any{"m": id, "k": "RECORDER"} })...)
	add(f.idRows("releaseSeat", mutReleaseSeat, "memberId", ids.Member, func(id string) map[string]any { return map[string]any{"m": id, "k": "RECORDER"} })...)
	add(
		badInputCase{name: "assignSeat: a deactivated member", query: mutAssignSeat, vars: map[string]any{"m": f.bobID, "k": "RECORDER"}, field: "memberId"},
		badInputCase{name: "assignSeat: unknown kind enum", query: mutAssignSeat, vars: map[string]any{"m": f.ivyID, "k": "PILOT"}, gql: true},
		badInputCase{name: "assignSeat: empty kind", query: mutAssignSeat, vars: map[string]any{"m": f.ivyID, "k": ""}, gql: true},
		badInputCase{name: "assignSeat: inline lower-case kind", query: fmt.Sprintf(`mutation { assignSeat(memberId: %q, kind: recorder) { id } }`, f.ivyID), gql: true},
		badInputCase{name: "releaseSeat: unknown kind enum", query: mutReleaseSeat, vars: map[string]any{"m": alice, "k": "PILOT"}, gql: true},
		badInputCase{name: "releaseSeat: kind as a number", query: mutReleaseSeat, vars: map[string]any{"m": alice, "k": 1}, gql: true},
		badInputCase{name: "setSeatTotal: total -1", query: mutSeatTotal, vars: map[string]any{"k": "RECORDER", "n": -1}, field: "total"},
		badInputCase{name: "setSeatTotal: total past the maximum", query: mutSeatTotal, vars: map[string]any{"k": "VOICE", "n": 100001}, field: "total"},
		badInputCase{name: "setSeatTotal: total past Int", query: mutSeatTotal, vars: map[string]any{"k": "VOICE", "n": 2147483648}, gql: true},
		badInputCase{name: "setSeatTotal: fractional total", query: mutSeatTotal, vars: map[string]any{"k": "VOICE", "n": 2.5}, gql: true},
		badInputCase{name: "setSeatTotal: unknown kind enum", query: mutSeatTotal, vars: map[string]any{"k": "PILOT", "n": 3}, gql: true},
		badInputCase{name: "setSeatTotal: below the seats in use", query: mutSeatTotal, vars: map[string]any{"k": "RECORDER", "n": 0}, code: "SEAT_LIMIT", field: "total"},
	)

	// setPlan, enableProduct, disableProduct.
	add(
		badInputCase{name: "setPlan: unknown enum", query: mutSetPlan, vars: map[string]any{"p": "GOLD"}, gql: true},
		badInputCase{name: "setPlan: lower-case enum", query: mutSetPlan, vars: map[string]any{"p": "starter"}, gql: true, field: "plan"},
		badInputCase{name: "setPlan: empty enum", query: mutSetPlan, vars: map[string]any{"p": ""}, gql: true},
		badInputCase{name: "setPlan: null", query: mutSetPlan, vars: map[string]any{"p": nil}, gql: true},
		badInputCase{name: "setPlan: inline unknown enum", query: `mutation { setPlan(plan: GOLD) { id } }`, gql: true},
		badInputCase{name: "setPlan: inline string for enum", query: `mutation { setPlan(plan: "STARTER") { id } }`, gql: true},
		badInputCase{name: "setPlan: STARTER while custom roles exist", query: mutSetPlan, vars: map[string]any{"p": "STARTER"}, code: "CONFLICT"},
		badInputCase{name: "enableProduct: unknown enum", query: mutEnableProduct, vars: map[string]any{"p": "FAX"}, gql: true},
		badInputCase{name: "enableProduct: lower-case enum", query: mutEnableProduct, vars: map[string]any{"p": "ai"}, gql: true, field: "product"},
		badInputCase{name: "enableProduct: inline unknown enum", query: `mutation { enableProduct(product: FAX) { id } }`, gql: true},
		badInputCase{name: "disableProduct: unknown enum", query: mutDisableProduct, vars: map[string]any{"p": "FAX"}, gql: true},
		badInputCase{name: "disableProduct: empty enum", query: mutDisableProduct, vars: map[string]any{"p": ""}, gql: true},
		badInputCase{name: "disableProduct: inline unknown enum", query: `mutation { disableProduct(product: QUALITY_PLUS) { id } }`, gql: true},
	)

	// createTeam, renameTeam, deleteTeam.
	team := map[string]any{"name": "New Team"}
	add(textInputRows("createTeam", mutCreateTeam, "input.name", 100, func(v string) map[string]any { return asInput(withVars(team, "name", v)) })...)
	add(f.idRows("createTeam", mutCreateTeam, "input.parentId", ids.Team, func(id string) map[string]any { return asInput(withVars(team, "parentId", id)) })...)
	add(
		badInputCase{name: "createTeam: no name", query: mutCreateTeam, vars: asInput(map[string]any{}), gql: true},
		badInputCase{name: "createTeam: existing name in lower case", query: mutCreateTeam, vars: asInput(withVars(team, "name", "alpha")), code: "CONFLICT", field: "input.name"},
		badInputCase{name: "createTeam: existing name with spaces around", query: mutCreateTeam, vars: asInput(withVars(team, "name", "  ALPHA ")), code: "CONFLICT", field: "input.name"},
		badInputCase{name: "createTeam: existing sub-team name under a parent", query: mutCreateTeam, vars: asInput(withVars(team, "name", "bEtA", "parentId", f.alpha)), code: "CONFLICT", field: "input.name"},
	)
	add(f.idRows("renameTeam", mutRenameTeam, "id", ids.Team, func(id string) map[string]any { return map[string]any{"id": id, "n": "Renamed"} })...)
	add(textInputRows("renameTeam", mutRenameTeam, "name", 100, func(v string) map[string]any { return map[string]any{"id": f.beta, "n": v} })...)
	add(badInputCase{name: "renameTeam: to another team's name", query: mutRenameTeam, vars: map[string]any{"id": f.beta, "n": "ALPHA"}, code: "CONFLICT", field: "name"})
	add(f.idRows("deleteTeam", mutDeleteTeam, "id", ids.Team, func(id string) map[string]any { return map[string]any{"id": id} })...)

	// addTeamMember, removeTeamMember.
	add(f.idRows("addTeamMember", mutAddTeamMember, "teamId", ids.Team, func(id string) map[string]any { return map[string]any{"t": id, "m": alice} })...)
	add(f.idRows("addTeamMember", mutAddTeamMember, "memberId", ids.Member, func(id string) map[string]any { return map[string]any{"t": f.beta, "m": id} })...)
	add(badInputCase{name: "addTeamMember: manager as a string", query: mutAddTeamMember, vars: map[string]any{"t": f.beta, "m": alice, "mgr": "yes"}, gql: true})
	add(f.idRows("removeTeamMember", mutRemoveTeamMember, "teamId", ids.Team, func(id string) map[string]any { return map[string]any{"t": id, "m": alice} })...)
	add(f.idRows("removeTeamMember", mutRemoveTeamMember, "memberId", ids.Member, func(id string) map[string]any { return map[string]any{"t": f.alpha, "m": id} })...)
	add(badInputCase{name: "removeTeamMember: a member not in the team", query: mutRemoveTeamMember, vars: map[string]any{"t": f.beta, "m": alice}, field: "memberId"})

	// createRole.
	role := map[string]any{"name": "New Role", "grants": []map[string]any{grantVar("interactions.read", "OWN")}}
	add(textInputRows("createRole", mutCreateRole, "input.name", 100, func(v string) map[string]any { return asInput(withVars(role, "name", v)) })...)
	add(
		badInputCase{name: "createRole: 10k-character description", query: mutCreateRole, vars: asInput(withVars(role, "description", strings.Repeat("d", 10000))), field: "input.description"},
		badInputCase{name: "createRole: 1001-character description", query: mutCreateRole, vars: asInput(withVars(role, "description", strings.Repeat("d", 1001))), field: "input.description"},
		badInputCase{name: "createRole: description with a NUL byte", query: mutCreateRole, vars: asInput(withVars(role, "description", "a\x00b")), field: "input.description"},
	)
	add(f.idRows("createRole", mutCreateRole, "input.cloneFromId", ids.Role, func(id string) map[string]any { return asInput(withVars(role, "cloneFromId", id)) })...)
	add(badInputCase{name: "createRole: clone the owner role", query: mutCreateRole, vars: asInput(withVars(role, "cloneFromId", a.role("owner"))), field: "input.cloneFromId"})
	add(grantInputRows("createRole", mutCreateRole, "input.grants", func(g []map[string]any) map[string]any { return asInput(withVars(role, "grants", g)) })...)
	add(
		badInputCase{name: "createRole: a custom role's name in another case", query: mutCreateRole, vars: asInput(withVars(role, "name", "custom qa")), code: "CONFLICT", field: "input.name"},
		badInputCase{name: "createRole: a system role's name", query: mutCreateRole, vars: asInput(withVars(role, "name", "ADMIN")), code: "CONFLICT", field: "input.name"},
		badInputCase{name: "createRole: existing name with spaces around", query: mutCreateRole, vars: asInput(withVars(role, "name", "  empty role ")), code: "CONFLICT", field: "input.name"},
		badInputCase{name: "createRole: a clone under an existing name", query: mutCreateRole, vars: asInput(map[string]any{"name": "Agent", "cloneFromId": agent}), code: "CONFLICT", field: "input.name"},
	)

	// updateRole.
	add(f.idRows("updateRole", mutUpdateRole, "id", ids.Role, func(id string) map[string]any { return map[string]any{"id": id, "n": "Renamed"} })...)
	add(textInputRows("updateRole", mutUpdateRole, "name", 100, func(v string) map[string]any { return map[string]any{"id": f.emptyRole, "n": v} })...)
	add(
		badInputCase{name: "updateRole: 10k-character description", query: mutUpdateRole, vars: map[string]any{"id": f.emptyRole, "d": strings.Repeat("d", 10000)}, field: "description"},
		badInputCase{name: "updateRole: good name, 10k-character description", query: mutUpdateRole, vars: map[string]any{"id": f.emptyRole, "n": "Fine Name", "d": strings.Repeat("d", 10000)}, field: "description"},
		badInputCase{name: "updateRole: a custom role's name in another case", query: mutUpdateRole, vars: map[string]any{"id": f.emptyRole, "n": "CUSTOM qa"}, code: "CONFLICT", field: "name"},
		badInputCase{name: "updateRole: a system role's name", query: mutUpdateRole, vars: map[string]any{"id": f.emptyRole, "n": " agent "}, code: "CONFLICT", field: "name"},
	)

	// setRoleGrants, resetRole.
	good := []map[string]any{grantVar("interactions.read", "TEAM")}
	add(f.idRows("setRoleGrants", mutSetGrants, "roleId", ids.Role, func(id string) map[string]any { return map[string]any{"r": id, "g": good} })...)
	add(grantInputRows("setRoleGrants", mutSetGrants, "grants", func(g []map[string]any) map[string]any { return map[string]any{"r": f.emptyRole, "g": g} })...)
	add(grantInputRows("setRoleGrants (system role)", mutSetGrants, "grants", func(g []map[string]any) map[string]any { return map[string]any{"r": agent, "g": g} })...)
	add(badInputCase{name: "setRoleGrants: null grants", query: mutSetGrants, vars: map[string]any{"r": f.emptyRole, "g": nil}, gql: true})
	add(f.idRows("resetRole", mutResetRole, "roleId", ids.Role, func(id string) map[string]any { return map[string]any{"r": id} })...)
	add(badInputCase{name: "resetRole: a custom role", query: mutResetRole, vars: map[string]any{"r": f.emptyRole}, field: "roleId"})

	// deleteRole.
	add(f.idRows("deleteRole", mutDeleteRole, "id", ids.Role, func(id string) map[string]any { return map[string]any{"id": id} })...)
	add(f.idRows("deleteRole", mutDeleteRole, "reassignToId", ids.Role, func(id string) map[string]any { return map[string]any{"id": f.customQA, "to": id} })...)
	add(f.idRows("deleteRole (nobody holds it)", mutDeleteRole, "reassignToId", ids.Role, func(id string) map[string]any { return map[string]any{"id": f.emptyRole, "to": id} })...)
	add(
		badInputCase{name: "deleteRole: reassign to itself", query: mutDeleteRole, vars: map[string]any{"id": f.customQA, "to": f.customQA}, field: "reassignToId"},
		badInputCase{name: "deleteRole: held, without reassignToId", query: mutDeleteRole, vars: map[string]any{"id": f.customQA}, code: "CONFLICT"},
		badInputCase{name: "deleteRole: a system role", query: mutDeleteRole, vars: map[string]any{"id": agent}, code: "CONFLICT"},
	)

	// createGuestInvite.
	add(f.idRows("createGuestInvite", mutGuestInvite, "roleId", ids.Role, func(id string) map[string]any { return map[string]any{"r": id, "x": future} })...)
	for _, x := range []struct{ label, v string }{
		{"empty", ""},
		{"whitespace-only", "  "},
		{"not a time", "tomorrow"},
		{"a date without time", "2030-01-01"},
		{"an impossible date", "2030-13-45T25:61:00Z"},
		{"in the past", "2020-01-01T00:00:00Z"},
		{"now", time.Now().UTC().Add(-time.Second).Format(time.RFC3339)},
		{"past 90 days", time.Now().Add(91 * 24 * time.Hour).UTC().Format(time.RFC3339)},
		{"10k characters", strings.Repeat("9", 10000)},
	} {
		add(badInputCase{name: "createGuestInvite: expiresAt " + x.label, query: mutGuestInvite, vars: map[string]any{"r": a.role("guest"), "x": x.v}, field: "expiresAt"})
	}

	// createInteraction, deleteInteraction.
	call := map[string]any{"title": "New call", "ownerId": alice}
	add(textInputRows("createInteraction", mutCreateInteraction, "input.title", 200, func(v string) map[string]any { return asInput(withVars(call, "title", v)) })...)
	add(f.idRows("createInteraction", mutCreateInteraction, "input.ownerId", ids.Member, func(id string) map[string]any { return asInput(withVars(call, "ownerId", id)) })...)
	add(f.idRows("createInteraction", mutCreateInteraction, "input.teamId", ids.Team, func(id string) map[string]any { return asInput(withVars(call, "teamId", id)) })...)
	add(f.idRows("createInteraction", mutCreateInteraction, "input.assigneeIds", ids.Member, func(id string) map[string]any {
		return asInput(withVars(call, "assigneeIds", []string{alice, id}))
	})...)
	add(
		badInputCase{name: "createInteraction: an assignee twice", query: mutCreateInteraction, vars: asInput(withVars(call, "assigneeIds", []string{alice, f.ivyID, alice})), field: "input.assigneeIds"},
		badInputCase{name: "createInteraction: no title", query: mutCreateInteraction, vars: asInput(withVars(call, "title", nil)), gql: true},
	)
	add(f.idRows("deleteInteraction", mutDeleteInteraction, "id", ids.Interaction, func(id string) map[string]any { return map[string]any{"id": id} })...)

	// createEvaluation.
	ev := map[string]any{"interactionId": f.call, "agentId": alice, "score": 80}
	add(f.idRows("createEvaluation", mutCreateEvaluation, "input.interactionId", ids.Interaction, func(id string) map[string]any { return asInput(withVars(ev, "interactionId", id)) })...)
	add(f.idRows("createEvaluation", mutCreateEvaluation, "input.agentId", ids.Member, func(id string) map[string]any { return asInput(withVars(ev, "agentId", id)) })...)
	add(
		badInputCase{name: "createEvaluation: score -1", query: mutCreateEvaluation, vars: asInput(withVars(ev, "score", -1)), field: "input.score"},
		badInputCase{name: "createEvaluation: score 101", query: mutCreateEvaluation, vars: asInput(withVars(ev, "score", 101)), field: "input.score"},
		badInputCase{name: "createEvaluation: score past Int", query: mutCreateEvaluation, vars: asInput(withVars(ev, "score", 2147483648)), gql: true},
		badInputCase{name: "createEvaluation: fractional score", query: mutCreateEvaluation, vars: asInput(withVars(ev, "score", 50.5)), gql: true},
		badInputCase{name: "createEvaluation: no score", query: mutCreateEvaluation, vars: asInput(withVars(ev, "score", nil)), gql: true},
	)

	// updateMember, setMemberPreferences (seed fidelity).
	add(f.idRows("updateMember", mutUpdateMember, "id", ids.Member, func(id string) map[string]any {
		return map[string]any{"id": id, "in": map[string]any{"name": "Renamed"}}
	})...)
	add(textInputRows("updateMember", mutUpdateMember, "input.name", 100, func(v string) map[string]any {
		return map[string]any{"id": alice, "in": map[string]any{"name": v}}
	})...)
	add(
		badInputCase{name: "updateMember: nothing to change", query: mutUpdateMember, vars: map[string]any{"id": alice, "in": map[string]any{}}, field: "input"},
		badInputCase{name: "updateMember: not an email", query: mutUpdateMember, vars: map[string]any{"id": alice, "in": map[string]any{"name": "Al", "email": "alice at alpha"}}, field: "input.email"},
		badInputCase{name: "updateMember: empty email", query: mutUpdateMember, vars: map[string]any{"id": alice, "in": map[string]any{"email": ""}}, field: "input.email"},
		badInputCase{name: "updateMember: another member's email", query: mutUpdateMember, vars: map[string]any{"id": alice, "in": map[string]any{"name": "Al", "email": "BOB@alpha.example"}}, code: "CONFLICT", field: "input.email"},
	)
	add(f.idRows("setMemberPreferences", mutSetPreferences, "memberId", ids.Member, func(id string) map[string]any {
		return map[string]any{"m": id, "in": map[string]any{"locale": "de-DE"}}
	})...)
	for _, x := range []struct{ label, field, k, v string }{
		{"empty locale", "input.locale", "locale", ""},
		{"locale in words", "input.locale", "locale", "German please"},
		{"locale with a bad subtag", "input.locale", "locale", "en-US-x"},
		{"10k-character locale", "input.locale", "locale", strings.Repeat("a", 10000)},
		{"empty time zone", "input.timezone", "timezone", ""},
		{"unknown time zone", "input.timezone", "timezone", "Europe/Atlantis"},
		{"Local time zone", "input.timezone", "timezone", "Local"},
		{"time zone as an offset", "input.timezone", "timezone", "+02:00"},
		{"10k-character time zone", "input.timezone", "timezone", strings.Repeat("Z", 10000)},
	} {
		add(badInputCase{name: "setMemberPreferences: " + x.label, query: mutSetPreferences,
			vars: map[string]any{"m": alice, "in": map[string]any{x.k: x.v, "emailNotifications": false}}, field: x.field})
	}
	add(
		badInputCase{name: "setMemberPreferences: nothing to set", query: mutSetPreferences, vars: map[string]any{"m": alice, "in": map[string]any{}}, field: "input"},
		badInputCase{name: "setMemberPreferences: notifications as a string", query: mutSetPreferences, vars: map[string]any{"m": alice, "in": map[string]any{"emailNotifications": "no"}}, gql: true},
	)

	// updateInteraction, updateEvaluation, deleteEvaluation (seed fidelity).
	upd := map[string]any{"title": "Edited"}
	add(f.idRows("updateInteraction", mutUpdateInteraction, "id", ids.Interaction, func(id string) map[string]any { return map[string]any{"id": id, "in": upd} })...)
	add(textInputRows("updateInteraction", mutUpdateInteraction, "input.title", 200, func(v string) map[string]any {
		return map[string]any{"id": f.call, "in": map[string]any{"title": v}}
	})...)
	add(f.idRows("updateInteraction", mutUpdateInteraction, "input.teamId", ids.Team, func(id string) map[string]any {
		return map[string]any{"id": f.call, "in": map[string]any{"title": "Edited", "teamId": id}}
	})...)
	add(f.idRows("updateInteraction", mutUpdateInteraction, "input.assigneeIds", ids.Member, func(id string) map[string]any {
		return map[string]any{"id": f.call, "in": map[string]any{"title": "Edited", "assigneeIds": []string{alice, id}}}
	})...)
	add(
		badInputCase{name: "updateInteraction: nothing to change", query: mutUpdateInteraction, vars: map[string]any{"id": f.call, "in": map[string]any{}}, field: "input"},
		badInputCase{name: "updateInteraction: an assignee twice", query: mutUpdateInteraction, vars: map[string]any{"id": f.call, "in": map[string]any{"assigneeIds": []string{alice, alice}}}, field: "input.assigneeIds"},
	)
	add(f.idRows("updateEvaluation", mutUpdateEvaluation, "id", ids.Evaluation, func(id string) map[string]any { return map[string]any{"id": id, "s": 60} })...)
	add(
		badInputCase{name: "updateEvaluation: score -1", query: mutUpdateEvaluation, vars: map[string]any{"id": f.eval, "s": -1}, field: "score"},
		badInputCase{name: "updateEvaluation: score 101", query: mutUpdateEvaluation, vars: map[string]any{"id": f.eval, "s": 101}, field: "score"},
		badInputCase{name: "updateEvaluation: fractional score", query: mutUpdateEvaluation, vars: map[string]any{"id": f.eval, "s": 50.5}, gql: true},
	)
	add(f.idRows("deleteEvaluation", mutDeleteEvaluation, "id", ids.Evaluation, func(id string) map[string]any { return map[string]any{"id": id} })...)

	// Queries: page sizes, unknown permissions, other organizations' ids.
	for _, q := range []struct{ name, query string }{
		{"organization.members", `query($n: Int) { organization { members(first: $n) { totalCount } } }`},
		{"interactions", `query($n: Int) { interactions(first: $n) { totalCount } }`},
		{"evaluations", `query($n: Int) { evaluations(first: $n) { id } }`},
		{"auditLog", `query($n: Int) { auditLog(first: $n) { totalCount } }`},
	} {
		for _, n := range []int{0, -1, 201, 10000} {
			add(badInputCase{name: fmt.Sprintf("%s: first %d", q.name, n), query: q.query, vars: map[string]any{"n": n}, field: "first"})
		}
	}
	canQ := `query($p: String!, $r: ID, $m: ID) { can(permission: $p, resourceId: $r, memberId: $m) }`
	whoQ := `query($p: String!, $r: ID!) { whoCan(permission: $p, resourceId: $r) { id } }`
	add(
		badInputCase{name: "organization.members: unknown status enum", query: `{ organization { members(status: GONE) { totalCount } } }`, gql: true},
		badInputCase{name: "can: unknown permission", query: canQ, vars: map[string]any{"p": "interactions.teleport"}, field: "permission"},
		badInputCase{name: "can: empty permission", query: canQ, vars: map[string]any{"p": ""}, field: "permission"},
		badInputCase{name: "can: other organization's interaction", query: canQ, vars: map[string]any{"p": "interactions.read", "r": f.bCall}, field: "resourceId",
			twin: map[string]any{"p": "interactions.read", "r": ids.New(ids.Interaction)}},
		badInputCase{name: "can: other organization's team", query: canQ, vars: map[string]any{"p": "members.write", "r": f.bTeam}, field: "resourceId",
			twin: map[string]any{"p": "members.write", "r": ids.New(ids.Team)}},
		badInputCase{name: "can: other organization's organization", query: canQ, vars: map[string]any{"p": "members.read", "r": f.b.ID}, field: "resourceId",
			twin: map[string]any{"p": "members.read", "r": ids.New(ids.Organization)}},
		badInputCase{name: "can: other organization's member as memberId", query: canQ, vars: map[string]any{"p": "interactions.read", "m": f.bMember}, field: "memberId",
			twin: map[string]any{"p": "interactions.read", "m": ids.New(ids.Member)}},
		badInputCase{name: "whoCan: unknown permission", query: whoQ, vars: map[string]any{"p": "nope.nope", "r": f.call}, field: "permission"},
		badInputCase{name: "whoCan: other organization's interaction", query: whoQ, vars: map[string]any{"p": "interactions.read", "r": f.bCall}, field: "resourceId",
			twin: map[string]any{"p": "interactions.read", "r": ids.New(ids.Interaction)}},
		badInputCase{name: "whoCan: other organization's member", query: whoQ, vars: map[string]any{"p": "analytics.read", "r": f.bMember}, field: "resourceId",
			twin: map[string]any{"p": "analytics.read", "r": ids.New(ids.Member)}},
	)
	for _, l := range []struct {
		name, field string
		k           ids.Kind
	}{{"member", "member", ids.Member}, {"team", "team", ids.Team}, {"role", "role", ids.Role}, {"interaction", "interaction", ids.Interaction}} {
		q := fmt.Sprintf(`query($id: ID!) { %s(id: $id) { id } }`, l.field)
		for i, id := range f.foreign(l.k) {
			add(badInputCase{name: fmt.Sprintf("%s(id): other organization's #%d", l.name, i+1), query: q, vars: map[string]any{"id": id},
				null: true, twin: map[string]any{"id": ids.New(l.k)}})
		}
	}
	return cs
}

func (f *badInputFixture) client(who string) *client {
	switch who {
	case "anon":
		return f.e.anonymous()
	case "operator":
		return f.operator
	}
	return f.a.Owner
}

// check runs one case and reports how it went wrong.
func (c badInputCase) check(t *testing.T, f *badInputFixture) {
	t.Helper()
	cl := f.client(c.who)
	r := doAs(t, cl, c.query, c.vars)
	sent := toJSON(c.vars)
	for _, e := range r.Errors {
		for _, s := range f.secrets {
			if !strings.Contains(sent, s) && strings.Contains(e.Message+extensionsOf(e), s) {
				t.Errorf("the error names %q of the other organization, which the request did not send: %s", s, e.Message)
			}
		}
	}
	if c.null {
		if len(r.Errors) > 0 || hasData(r) {
			t.Errorf("want null and no error, got %.1000s", r.raw)
		}
	} else {
		want := c.code
		if want == "" {
			want = "BAD_USER_INPUT"
		}
		switch {
		case len(r.Errors) == 0:
			t.Fatalf("want %s (%s), got data %.1000s", want, c.field, r.raw)
		case c.gql:
			// A value in a variable the operation cannot coerce is a bad
			// argument value; a bad literal written in the query makes the
			// query itself invalid (as Apollo Server names them).
			gqlWant := "BAD_USER_INPUT"
			if !strings.Contains(c.query, "$") {
				gqlWant = "GRAPHQL_VALIDATION_FAILED"
			}
			for _, e := range r.Errors {
				if e.Code() != gqlWant {
					t.Errorf("want %s for a value GraphQL refuses, got %q: %.1000s", gqlWant, e.Code(), r.raw)
				}
			}
			if c.field != "" && r.Errors[0].Field() != c.field {
				t.Errorf("want field %q, got %q: %.1000s", c.field, r.Errors[0].Field(), r.raw)
			}
		default:
			if len(r.Errors) != 1 {
				t.Errorf("want one error, got %d: %.1000s", len(r.Errors), r.raw)
			}
			e := r.Errors[0]
			if e.Code() != want {
				t.Errorf("want code %s, got %q: %.1000s", want, e.Code(), r.raw)
			}
			if e.Field() != c.field {
				t.Errorf("want field %q, got %q: %.1000s", c.field, e.Field(), r.raw)
			}
			if want == "BAD_USER_INPUT" && c.field == "" {
				t.Errorf("table error: a BAD_USER_INPUT case must name its field")
			}
			if strings.TrimSpace(e.Message) == "" {
				t.Errorf("the error has no message")
			}
		}
		if hasData(r) {
			t.Errorf("a failed mutation returned data: %.1000s", r.raw)
		}
	}
	if c.twin == nil {
		return
	}
	// Another organization's id must be indistinguishable from an id that
	// does not exist.
	w := doAs(t, cl, c.query, c.twin)
	if len(w.Errors) != len(r.Errors) || hasData(w) != hasData(r) {
		t.Fatalf("other organization's id and unknown id answer differently:\n  other:   %.1000s\n  unknown: %.1000s", r.raw, w.raw)
	}
	for i := range r.Errors {
		a, b := r.Errors[i], w.Errors[i]
		if extensionsOf(a) != extensionsOf(b) || toJSON(a.Path) != toJSON(b.Path) || maskIDs(a.Message) != maskIDs(b.Message) {
			t.Errorf("other organization's id and unknown id fail differently:\n  other:   %s %s %q\n  unknown: %s %s %q",
				extensionsOf(a), toJSON(a.Path), a.Message, extensionsOf(b), toJSON(b.Path), b.Message)
		}
	}
}

func TestBadInput(t *testing.T) {
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		f := newBIFixture(t, e)
		cases := f.cases()
		names := map[string]bool{}
		for _, c := range cases {
			if names[c.name] {
				t.Fatalf("table error: two cases named %q", c.name)
			}
			names[c.name] = true
		}
		t.Logf("%d cases", len(cases))
		state := f.snapshot(t)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				// Nothing was applied, in either organization: the same
				// members, seats, roles, grants, teams, interactions,
				// evaluations and audit log as before. Deferred, so that
				// it runs after a fatal check too.
				defer func() {
					after := f.snapshot(t)
					if d := stateDiff(state, after); d != "" {
						t.Errorf("the refused request changed state:\n%s", d)
						state = after // so that later cases report only their own changes
					}
				}()
				c.check(t, f)
			})
		}
	})
}

// TestAuthRejectsBadCredentials: no token, a bad signature, an expired
// token, a token for a member who is not ACTIVE or does not exist, the
// wrong kind of token for the operation.
func TestAuthRejectsBadCredentials(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Auth Rejects", "PRO", nil)
		other := e.newOrg("Auth Other", "PRO", nil)
		agent := o.member("mo@auth.example", []string{"agent"}, nil, nil)
		gone := o.member("gone@auth.example", []string{"agent"}, nil, nil)
		o.Owner.ok(mutDeactivate, map[string]any{"m": gone.MemberID})
		d := o.Owner.ok(mutInvite, map[string]any{"in": map[string]any{"email": "ivy@auth.example", "name": "Ivy", "roleIds": []string{o.role("agent")}}})
		invited := str(d, "inviteMember", "member", "id")
		removed := o.member("removed@auth.example", []string{"agent"}, nil, nil)
		o.Owner.ok(mutRemove, map[string]any{"m": removed.MemberID})

		secret := []byte(strings.Repeat("s", 32))
		issue := func(secret []byte, c authn.Claims, ttl time.Duration) string {
			tok, err := authn.Issue(secret, c, ttl)
			if err != nil {
				t.Fatal(err)
			}
			return "Bearer " + tok
		}
		owner := authn.Claims{Subject: o.Owner.MemberID, Org: o.ID}
		good := issue(secret, owner, time.Hour)
		tampered := good[:len(good)-4] + map[bool]string{true: "AAAA", false: "BBBB"}[!strings.HasSuffix(good, "AAAA")]
		b64 := base64.RawURLEncoding.EncodeToString
		unsigned := "Bearer " + b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
			b64([]byte(fmt.Sprintf(`{"sub":%q,"org":%q,"exp":%d}`, o.Owner.MemberID, o.ID, time.Now().Add(time.Hour).Unix()))) + "."
		operator, err := e.srv.OperatorToken(time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		memberTok := func(c *client) string { return "Bearer " + c.token }

		viewer := `{ viewer { id } }`
		members := `{ organization { members { totalCount } } }`
		setPlan := `mutation { setPlan(plan: STARTER) { plan } }`
		createOrg := `mutation { createOrganization(input: {name: "Sneaky", ownerEmail: "sneaky@x.example", ownerName: "Sneaky"}) { organization { id } } }`
		const any401 = 401
		cases := []struct {
			name, auth, query string
			status            int // 0: not asserted
			code              string
		}{
			{"no token: viewer", "", viewer, 0, "UNAUTHENTICATED"},
			{"no token: organization members", "", members, 0, "UNAUTHENTICATED"},
			{"no token: setPlan", "", setPlan, 0, "UNAUTHENTICATED"},
			{"no token: createOrganization", "", createOrg, 0, "UNAUTHENTICATED"},
			{"empty bearer", "Bearer ", members, any401, "UNAUTHENTICATED"},
			{"other scheme", "Basic b3duZXI6cGFzcw==", members, any401, "UNAUTHENTICATED"},
			{"not a JWT", "Bearer not.a.jwt", members, any401, "UNAUTHENTICATED"},
			{"bad signature: another secret", issue([]byte(strings.Repeat("x", 32)), owner, time.Hour), members, any401, "UNAUTHENTICATED"},
			{"bad signature: tampered", tampered, members, any401, "UNAUTHENTICATED"},
			{"bad signature: alg none", unsigned, members, any401, "UNAUTHENTICATED"},
			{"bad signature: on setPlan", issue([]byte(strings.Repeat("x", 32)), owner, time.Hour), setPlan, any401, "UNAUTHENTICATED"},
			{"expired", issue(secret, authn.Claims{Subject: o.Owner.MemberID, Org: o.ID, ExpiresAt: time.Now().Add(-time.Minute)}, 0), members, any401, "UNAUTHENTICATED"},
			{"expired: on setPlan", issue(secret, authn.Claims{Subject: o.Owner.MemberID, Org: o.ID, ExpiresAt: time.Now().Add(-time.Minute)}, 0), setPlan, any401, "UNAUTHENTICATED"},
			{"deactivated member", memberTok(gone), viewer, any401, "UNAUTHENTICATED"},
			{"deactivated member: members", memberTok(gone), members, any401, "UNAUTHENTICATED"},
			{"invited member", issue(secret, authn.Claims{Subject: invited, Org: o.ID}, time.Hour), viewer, any401, "UNAUTHENTICATED"},
			{"removed member", memberTok(removed), viewer, any401, "UNAUTHENTICATED"},
			{"unknown member", issue(secret, authn.Claims{Subject: ids.New(ids.Member), Org: o.ID}, time.Hour), viewer, any401, "UNAUTHENTICATED"},
			{"member under another organization", issue(secret, authn.Claims{Subject: o.Owner.MemberID, Org: other.ID}, time.Hour), members, any401, "UNAUTHENTICATED"},
			{"operator: viewer", "Bearer " + operator, viewer, 0, "UNAUTHENTICATED"},
			{"operator: organization members", "Bearer " + operator, members, 0, "UNAUTHENTICATED"},
			{"operator: setPlan", "Bearer " + operator, setPlan, 0, "UNAUTHENTICATED"},
			{"member: createOrganization", memberTok(agent), createOrg, 0, "FORBIDDEN"},
			{"owner: createOrganization", memberTok(o.Owner), createOrg, 0, "FORBIDDEN"},
		}
		before := okAs(t, o.Owner, `{ organization { plan members { totalCount } } auditLog { totalCount } }`, nil)
		orgs, _ := e.srv.Store.ListOrganizations(t.Context())
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := post(t, gqlclient.Client{URL: e.url, Authorization: c.auth}, c.query, nil)
				if c.status != 0 && r.Status != c.status {
					t.Errorf("want HTTP %d, got %d: %.500s", c.status, r.Status, r.raw)
				}
				if len(r.Errors) == 0 {
					t.Fatalf("want %s, got %.500s", c.code, r.raw)
				}
				for _, e := range r.Errors {
					if e.Code() != c.code {
						t.Errorf("want %s, got %q: %.500s", c.code, e.Code(), r.raw)
					}
				}
				if hasData(r) {
					t.Errorf("a refused request returned data: %.500s", r.raw)
				}
				if strings.Contains(string(r.raw), other.ID) {
					t.Errorf("the answer names the other organization: %.500s", r.raw)
				}
			})
		}
		after := okAs(t, o.Owner, `{ organization { plan members { totalCount } } auditLog { totalCount } }`, nil)
		if toJSON(after) != toJSON(before) {
			t.Errorf("refused requests changed the organization: %s -> %s", toJSON(before), toJSON(after))
		}
		if now, _ := e.srv.Store.ListOrganizations(t.Context()); len(now) != len(orgs) {
			t.Errorf("refused createOrganization made an organization: %d -> %d", len(orgs), len(now))
		}
		// A valid token still works: the refusals above are about the token.
		if d := okAs(t, agent, viewer, nil); str(d, "viewer", "id") != agent.MemberID {
			t.Errorf("viewer is %v", d)
		}
	})
}
