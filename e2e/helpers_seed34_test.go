package e2e

// Helpers of the seed 003 and seed 004 scenario tests. Every name here starts
// with s34 so that other scenario files can add their own helpers freely.

import (
	"sort"
	"strings"
	"testing"
)

const (
	s34CreateRole = `mutation($in: CreateRoleInput!) { createRole(input: $in) { id key system name description grants { permission scope } } }`
	s34SetGrants  = `mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id grants { permission scope } } }`
	s34UpdateRole = `mutation($r: ID!, $n: String) { updateRole(id: $r, name: $n) { id name } }`
	s34DeleteRole = `mutation($r: ID!, $to: ID) { deleteRole(id: $r, reassignToId: $to) }`
	s34SetRoles   = `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id roles { id } } }`
	s34Invite     = `mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id } invitationToken } }`
	s34Deactivate = `mutation($m: ID!) { deactivateMember(memberId: $m) { id status } }`
	s34Reactivate = `mutation($m: ID!) { reactivateMember(memberId: $m) { id status } }`
	s34Remove     = `mutation($m: ID!) { removeMember(memberId: $m) }`
	s34Transfer   = `mutation($m: ID!) { transferOwnership(memberId: $m) { id owner { id } } }`
	s34SetPlan    = `mutation($p: Plan!) { setPlan(plan: $p) { plan } }`
	s34Assign     = `mutation($m: ID!, $k: SeatKind!) { assignSeat(memberId: $m, kind: $k) { id seats } }`
	s34Release    = `mutation($m: ID!, $k: SeatKind!) { releaseSeat(memberId: $m, kind: $k) { id seats } }`
	s34SeatTotal  = `mutation($k: SeatKind!, $n: Int!) { setSeatTotal(kind: $k, total: $n) { kind total used } }`
	s34OwnCall    = `mutation($t: String!) { createInteraction(input: {title: $t}) { id owner { id } } }`
)

// s34Perm is extensions.permission of an error.
func s34Perm(g gqlError) string { s, _ := g.Extensions["permission"].(string); return s }

// s34FailsPerm is fails, also requiring extensions.permission to be perm.
func s34FailsPerm(t *testing.T, c *client, code, perm, query string, vars map[string]any) gqlError {
	t.Helper()
	g := c.fails(code, "", query, vars)
	if got := s34Perm(g); got != perm {
		t.Fatalf("%s: expected extensions.permission %q, got %q (%s)", code, perm, got, g.Message)
	}
	return g
}

// s34Grants turns "perm:SCOPE" specs into GrantInput values.
func s34Grants(specs ...string) []map[string]any {
	out := []map[string]any{}
	for _, s := range specs {
		p, sc, _ := strings.Cut(s, ":")
		out = append(out, map[string]any{"permission": p, "scope": sc})
	}
	return out
}

// s34GrantMap reads a [Grant] value as permission → scope.
func s34GrantMap(v any) map[string]string {
	out := map[string]string{}
	l, _ := v.([]any)
	for _, g := range l {
		out[str(g, "permission")] = str(g, "scope")
	}
	return out
}

// s34Specs lists a grant map as sorted "perm:SCOPE" strings.
func s34Specs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for p, s := range m {
		out = append(out, p+":"+s)
	}
	sort.Strings(out)
	return out
}

// s34Role creates a custom role as creator (the grants given, or cloned when
// cloneFrom is set and no specs are given) and registers it in o.roles by name.
func s34Role(t *testing.T, o *org, creator *client, name, cloneFrom string, specs ...string) string {
	t.Helper()
	in := map[string]any{"name": name}
	if cloneFrom != "" {
		in["cloneFromId"] = cloneFrom
	}
	if specs != nil {
		in["grants"] = s34Grants(specs...)
	}
	d := creator.ok(s34CreateRole, map[string]any{"in": in})
	id := str(d, "createRole", "id")
	if get(d, "createRole", "system") != false || get(d, "createRole", "key") != nil {
		t.Fatalf("custom role %q comes back as system or with a key: %v", name, d)
	}
	o.roles[name] = id
	return id
}

// s34MemberGrants is Member.grants of memberID, asked by c.
func s34MemberGrants(t *testing.T, c *client, memberID string) map[string]string {
	t.Helper()
	d := c.ok(`query($m: ID!) { member(id: $m) { grants { permission scope } } }`, map[string]any{"m": memberID})
	return s34GrantMap(get(d, "member", "grants"))
}

// s34RoleGrants is Role.grants, asked by c.
func s34RoleGrants(t *testing.T, c *client, roleID string) map[string]string {
	t.Helper()
	d := c.ok(`query($r: ID!) { role(id: $r) { grants { permission scope } } }`, map[string]any{"r": roleID})
	return s34GrantMap(get(d, "role", "grants"))
}

// s34Seats is Organization.seats as kind → [total, used], asked by c.
func s34Seats(t *testing.T, c *client) map[string][2]int {
	t.Helper()
	d := c.ok(`{ organization { seats { kind total used } } }`, nil)
	out := map[string][2]int{}
	for _, p := range get(d, "organization", "seats").([]any) {
		out[str(p, "kind")] = [2]int{int(get(p, "total").(float64)), int(get(p, "used").(float64))}
	}
	return out
}

// s34WantSeats checks one pool's total and used.
func s34WantSeats(t *testing.T, c *client, kind string, total, used int) {
	t.Helper()
	got, ok := s34Seats(t, c)[kind]
	if !ok {
		t.Fatalf("no %s seat pool in organization.seats", kind)
	}
	if got != [2]int{total, used} {
		t.Fatalf("%s seats: got total %d used %d, want total %d used %d", kind, got[0], got[1], total, used)
	}
}

// s34MemberSeats is Member.seats of memberID, asked by c.
func s34MemberSeats(t *testing.T, c *client, memberID string) string {
	t.Helper()
	d := c.ok(`query($m: ID!) { member(id: $m) { seats } }`, map[string]any{"m": memberID})
	var out []string
	for _, s := range get(d, "member", "seats").([]any) {
		out = append(out, s.(string))
	}
	return strings.Join(out, ",")
}

// s34MemberRoles is the set of role ids a member holds, asked by c.
func s34MemberRoles(t *testing.T, c *client, memberID string) map[string]bool {
	t.Helper()
	d := c.ok(`query($m: ID!) { member(id: $m) { roles { id } } }`, map[string]any{"m": memberID})
	out := map[string]bool{}
	for _, r := range get(d, "member", "roles").([]any) {
		out[str(r, "id")] = true
	}
	return out
}

// s34Invite builds inviteMember variables.
func s34InviteVars(email string, roleIDs, teamIDs, seats []string) map[string]any {
	in := map[string]any{"email": email, "name": strings.Split(email, "@")[0], "roleIds": roleIDs}
	if teamIDs != nil {
		in["teamIds"] = teamIDs
	}
	if seats != nil {
		in["seats"] = seats
	}
	return map[string]any{"in": in}
}

// s34Set is a set of ids, for comparing listings.
func s34Set(ids ...string) map[string]bool {
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out
}

func s34SameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
