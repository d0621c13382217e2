package e2e

import (
	"sort"
	"strings"
	"time"
)

// Helpers for the seed 001 and seed 002 scenarios.

// grantInputs turns "perm:SCOPE" specs into GrantInput values.
func grantInputs(specs ...string) []map[string]any {
	out := []map[string]any{}
	for _, s := range specs {
		p, sc, ok := strings.Cut(s, ":")
		if !ok {
			sc = "ALL"
		}
		out = append(out, map[string]any{"permission": p, "scope": sc})
	}
	return out
}

// sortedSpecs normalizes "perm:SCOPE" specs (a bare perm means ALL).
func sortedSpecs(specs ...string) []string {
	out := make([]string, 0, len(specs))
	for _, s := range specs {
		if !strings.Contains(s, ":") {
			s += ":ALL"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// grantList reads a [Grant] JSON list as sorted "perm:SCOPE" strings.
func grantList(v any) []string {
	out := []string{}
	l, _ := v.([]any)
	for _, g := range l {
		out = append(out, str(g, "permission")+":"+str(g, "scope"))
	}
	sort.Strings(out)
	return out
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hasItem(l []string, x string) bool {
	for _, y := range l {
		if y == x {
			return true
		}
	}
	return false
}

// withoutModules drops the grants of the given modules from a sorted list.
func withoutModules(l []string, modules ...string) []string {
	out := []string{}
next:
	for _, g := range l {
		for _, m := range modules {
			if strings.HasPrefix(g, m+".") {
				continue next
			}
		}
		out = append(out, g)
	}
	return out
}

// customRole creates a custom role as the owner and remembers it by name,
// so that org.member can hand it out.
func (o *org) customRole(name string, specs ...string) string {
	o.e.t.Helper()
	return o.customRoleBy(o.Owner, name, "", specs...)
}

// customRoleBy creates a custom role as creator, cloned from cloneFrom
// (a role id) when given; specs nil keeps the clone's grants.
func (o *org) customRoleBy(creator *client, name, cloneFrom string, specs ...string) string {
	o.e.t.Helper()
	in := map[string]any{"name": name}
	if cloneFrom != "" {
		in["cloneFromId"] = cloneFrom
	}
	if specs != nil {
		in["grants"] = grantInputs(specs...)
	}
	d := creator.ok(`mutation($in: CreateRoleInput!) { createRole(input: $in) { id system key grants { permission scope } } }`,
		map[string]any{"in": in})
	if get(d, "createRole", "system") != false || get(d, "createRole", "key") != nil {
		o.e.t.Fatalf("custom role %q is not custom: %v", name, d)
	}
	id := str(d, "createRole", "id")
	o.roles[name] = id
	return id
}

// roleGrants reads a role's grants as sorted "perm:SCOPE" strings.
func (c *client) roleGrants(roleID string) []string {
	c.e.t.Helper()
	d := c.ok(`query($id: ID!) { role(id: $id) { grants { permission scope } } }`, map[string]any{"id": roleID})
	return grantList(get(d, "role", "grants"))
}

// setGrants replaces a role's matrix.
func (c *client) setGrants(roleID string, specs ...string) []string {
	c.e.t.Helper()
	d := c.ok(`mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { grants { permission scope } } }`,
		map[string]any{"r": roleID, "g": grantInputs(specs...)})
	return grantList(get(d, "setRoleGrants", "grants"))
}

// memberGrants reads a member's effective grants (as c, who needs
// members.read unless it is themselves).
func (c *client) memberGrants(memberID string) []string {
	c.e.t.Helper()
	d := c.ok(`query($id: ID!) { member(id: $id) { grants { permission scope } } }`, map[string]any{"id": memberID})
	return grantList(get(d, "member", "grants"))
}

// setRoles replaces a member's roles.
func (c *client) setRoles(memberID string, roleIDs ...string) {
	c.e.t.Helper()
	c.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
		map[string]any{"m": memberID, "r": roleIDs})
}

// moduleKeys lists Organization.modules as seen by c.
func (c *client) moduleKeys() map[string]bool {
	c.e.t.Helper()
	d := c.ok(`{ organization { modules { key } } }`, nil)
	out := map[string]bool{}
	for _, m := range get(d, "organization", "modules").([]any) {
		out[str(m, "key")] = true
	}
	return out
}

// evaluate creates an evaluation as c and returns its id.
func (c *client) evaluate(interactionID, agentID string, score int) string {
	c.e.t.Helper()
	d := c.ok(`mutation($in: CreateEvaluationInput!) { createEvaluation(input: $in) { id evaluator { id } agent { id } score } }`,
		map[string]any{"in": map[string]any{"interactionId": interactionID, "agentId": agentID, "score": score}})
	if got := str(d, "createEvaluation", "evaluator", "id"); got != c.MemberID {
		c.e.t.Fatalf("evaluation's evaluator is %s, want the caller %s", got, c.MemberID)
	}
	return str(d, "createEvaluation", "id")
}

// evaluationIDs lists the evaluations c can read.
func (c *client) evaluationIDs() map[string]bool {
	c.e.t.Helper()
	d := c.ok(`{ evaluations(first: 200) { id } }`, nil)
	out := map[string]bool{}
	for _, e := range get(d, "evaluations").([]any) {
		out[str(e, "id")] = true
	}
	return out
}

// sameSet compares a set of ids with the wanted ones.
func sameSet(got map[string]bool, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if !got[w] {
			return false
		}
	}
	return true
}

// failsWith is fails, also checking extensions.permission when perm is set.
func (c *client) failsWith(code, perm, query string, vars map[string]any) gqlError {
	c.e.t.Helper()
	g := c.fails(code, "", query, vars)
	if perm != "" {
		if got, _ := g.Extensions["permission"].(string); got != perm {
			c.e.t.Fatalf("expected %s naming permission %q, got %q: %v", code, perm, got, g)
		}
	}
	return g
}

// canFor asks can(permission, resourceId, memberId) about another member.
func (c *client) canFor(memberID, permission, resourceID string) bool {
	c.e.t.Helper()
	vars := map[string]any{"p": permission, "m": memberID}
	q := `query($p: String!, $m: ID) { can(permission: $p, memberId: $m) }`
	if resourceID != "" {
		vars["r"] = resourceID
		q = `query($p: String!, $r: ID, $m: ID) { can(permission: $p, resourceId: $r, memberId: $m) }`
	}
	return c.ok(q, vars)["can"].(bool)
}

// rfc3339In is a time d from now, as createGuestInvite takes it.
func rfc3339In(d time.Duration) (string, time.Time) {
	at := time.Now().Add(d).UTC().Truncate(time.Second)
	return at.Format(time.RFC3339), at
}

const (
	qRenameTeam   = `mutation($t: ID!, $n: String!) { renameTeam(id: $t, name: $n) { id name } }`
	qAddMember    = `mutation($t: ID!, $m: ID!) { addTeamMember(teamId: $t, memberId: $m) { id members { id } } }`
	qRemoveMember = `mutation($t: ID!, $m: ID!) { removeTeamMember(teamId: $t, memberId: $m) { id members { id } } }`
	qCreateTeam   = `mutation($in: CreateTeamInput!) { createTeam(input: $in) { id name parent { id } } }`
	qInvite       = `mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id status } invitationToken } }`
	qCreateRole   = `mutation($in: CreateRoleInput!) { createRole(input: $in) { id grants { permission scope } } }`
	qSetGrants    = `mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`
	qResetRole    = `mutation($r: ID!) { resetRole(roleId: $r) { id grants { permission scope } } }`
	qEvaluate     = `mutation($in: CreateEvaluationInput!) { createEvaluation(input: $in) { id } }`
	qGuestInvite  = `mutation($r: ID!, $x: String!) { createGuestInvite(roleId: $r, expiresAt: $x) { token url expiresAt } }`
	qAcceptGuest  = `mutation($t: String!, $e: String, $n: String) { acceptInvitation(token: $t, email: $e, name: $n) {
		id status isGuest isOwner roles { id key } } }`
	qAuditLog = `{ auditLog(first: 200) { totalCount edges { node { id at action targetId before after actor { id } } } } }`
)

// teamMemberIDs lists a team's members as the owner sees them.
func (o *org) teamMemberIDs(team string) map[string]bool {
	o.e.t.Helper()
	d := o.Owner.ok(`query($t: ID!) { team(id: $t) { members { id } } }`, map[string]any{"t": o.teams[team]})
	out := map[string]bool{}
	for _, m := range get(d, "team", "members").([]any) {
		out[str(m, "id")] = true
	}
	return out
}

// whoCanIDs lists whoCan(permission, resourceId) as c sees it.
func whoCanIDs(c *client, permission, resourceID string) map[string]bool {
	c.e.t.Helper()
	d := c.ok(`query($p: String!, $r: ID!) { whoCan(permission: $p, resourceId: $r) { id } }`, map[string]any{"p": permission, "r": resourceID})
	out := map[string]bool{}
	for _, m := range get(d, "whoCan").([]any) {
		out[str(m, "id")] = true
	}
	return out
}
