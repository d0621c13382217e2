package e2e

// Helpers of the seed 003 and seed 004 scenario tests: grants as
// "permission:SCOPE" specs, seat pools, role and member lookups.

import (
	"sort"
	"strings"
	"testing"
)

// permissionOf is extensions.permission of an error.
func permissionOf(g gqlError) string { s, _ := g.Extensions["permission"].(string); return s }

// failsWithPermission is fails, also requiring extensions.permission to be perm.
func failsWithPermission(t *testing.T, c *client, code, perm, query string, vars map[string]any) gqlError {
	t.Helper()
	g := c.fails(code, "", query, vars)
	if got := permissionOf(g); got != perm {
		t.Fatalf("%s: expected extensions.permission %q, got %q (%s)", code, perm, got, g.Message)
	}
	return g
}

// grantsFromSpecs turns "perm:SCOPE" specs into GrantInput values.
func grantsFromSpecs(specs ...string) []map[string]any {
	out := []map[string]any{}
	for _, s := range specs {
		p, sc, _ := strings.Cut(s, ":")
		out = append(out, map[string]any{"permission": p, "scope": sc})
	}
	return out
}

// grantMap reads a [Grant] value as permission → scope.
func grantMap(v any) map[string]string {
	out := map[string]string{}
	l, _ := v.([]any)
	for _, g := range l {
		out[str(g, "permission")] = str(g, "scope")
	}
	return out
}

// specsOf lists a grant map as sorted "perm:SCOPE" strings.
func specsOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for p, s := range m {
		out = append(out, p+":"+s)
	}
	sort.Strings(out)
	return out
}

// createRoleWith creates a custom role as creator (the grants given, or cloned when
// cloneFrom is set and no specs are given) and registers it in o.roles by name.
func createRoleWith(t *testing.T, o *org, creator *client, name, cloneFrom string, specs ...string) string {
	t.Helper()
	in := map[string]any{"name": name}
	if cloneFrom != "" {
		in["cloneFromId"] = cloneFrom
	}
	if specs != nil {
		in["grants"] = grantsFromSpecs(specs...)
	}
	d := creator.ok(mutCreateRole, map[string]any{"in": in})
	id := str(d, "createRole", "id")
	if get(d, "createRole", "system") != false || get(d, "createRole", "key") != nil {
		t.Fatalf("custom role %q comes back as system or with a key: %v", name, d)
	}
	o.roles[name] = id
	return id
}

// memberGrantMap is Member.grants of memberID, asked by c.
func memberGrantMap(t *testing.T, c *client, memberID string) map[string]string {
	t.Helper()
	d := c.ok(`query($m: ID!) { member(id: $m) { grants { permission scope } } }`, map[string]any{"m": memberID})
	return grantMap(get(d, "member", "grants"))
}

// roleGrantMap is Role.grants, asked by c.
func roleGrantMap(t *testing.T, c *client, roleID string) map[string]string {
	t.Helper()
	d := c.ok(`query($r: ID!) { role(id: $r) { grants { permission scope } } }`, map[string]any{"r": roleID})
	return grantMap(get(d, "role", "grants"))
}

// seatPools is Organization.seats as kind → [total, used], asked by c.
func seatPools(t *testing.T, c *client) map[string][2]int {
	t.Helper()
	d := c.ok(`{ organization { seats { kind total used } } }`, nil)
	out := map[string][2]int{}
	for _, p := range get(d, "organization", "seats").([]any) {
		out[str(p, "kind")] = [2]int{int(get(p, "total").(float64)), int(get(p, "used").(float64))}
	}
	return out
}

// wantSeatPool checks one pool's total and used.
func wantSeatPool(t *testing.T, c *client, kind string, total, used int) {
	t.Helper()
	got, ok := seatPools(t, c)[kind]
	if !ok {
		t.Fatalf("no %s seat pool in organization.seats", kind)
	}
	if got != [2]int{total, used} {
		t.Fatalf("%s seats: got total %d used %d, want total %d used %d", kind, got[0], got[1], total, used)
	}
}

// memberSeats is Member.seats of memberID, asked by c.
func memberSeats(t *testing.T, c *client, memberID string) string {
	t.Helper()
	d := c.ok(`query($m: ID!) { member(id: $m) { seats } }`, map[string]any{"m": memberID})
	var out []string
	for _, s := range get(d, "member", "seats").([]any) {
		out = append(out, s.(string))
	}
	return strings.Join(out, ",")
}

// memberRoleSet is the set of role ids a member holds, asked by c.
func memberRoleSet(t *testing.T, c *client, memberID string) map[string]bool {
	t.Helper()
	d := c.ok(`query($m: ID!) { member(id: $m) { roles { id } } }`, map[string]any{"m": memberID})
	out := map[string]bool{}
	for _, r := range get(d, "member", "roles").([]any) {
		out[str(r, "id")] = true
	}
	return out
}

// mutInvite builds inviteMember variables.
func inviteVars(email string, roleIDs, teamIDs, seats []string) map[string]any {
	in := map[string]any{"email": email, "name": strings.Split(email, "@")[0], "roleIds": roleIDs}
	if teamIDs != nil {
		in["teamIds"] = teamIDs
	}
	if seats != nil {
		in["seats"] = seats
	}
	return map[string]any{"in": in}
}

// setOf is a set of ids, for comparing listings.
func setOf(ids ...string) map[string]bool {
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out
}

func equalSets(a, b map[string]bool) bool {
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
