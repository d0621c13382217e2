package e2e

import (
	"testing"
)

// A preview refuses what its change would refuse, with the same error
// (code, field, permission), and unlike the change it writes nothing, not
// even the audit event of a refused escalation.
func TestPreviewRefusesLikeTheChange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Preview Refusals", "ENTERPRISE", nil)
		other := e.newOrg("Preview Elsewhere", "ENTERPRISE", nil)
		d := o.Owner.ok(`mutation($g: [GrantInput!]) { createRole(input: {name: "Role admin", grants: $g}) { id } }`, map[string]any{"g": []any{
			map[string]any{"permission": "roles.read", "scope": "ALL"}, map[string]any{"permission": "roles.write", "scope": "ALL"},
			map[string]any{"permission": "members.read", "scope": "ALL"}, map[string]any{"permission": "members.write", "scope": "ALL"},
			map[string]any{"permission": "interactions.read", "scope": "OWN"},
		}})
		o.roles["role_admin"] = str(d, "createRole", "id")
		d = o.Owner.ok(`mutation { createRole(input: {name: "Blank", grants: []}) { id } }`, nil)
		o.roles["blank"] = str(d, "createRole", "id")
		lim := o.member("lim@refusals.example", []string{"role_admin"}, nil, nil)
		agent := o.member("agent@refusals.example", []string{"agent"}, nil, nil)
		boss := o.member("boss@refusals.example", []string{"admin"}, nil, nil)
		otherAgent := other.member("agent@elsewhere.example", []string{"agent"}, nil, nil)

		grants := func(p, s string) []any { return []any{map[string]any{"permission": p, "scope": s}} }
		const (
			pRole    = `query($r: ID!, $g: [GrantInput!]!) { previewRoleGrants(roleId: $r, grants: $g) { membersAffected } }`
			mRole    = `mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`
			pMember  = `query($m: ID!, $r: [ID!]!) { previewMemberRoles(memberId: $m, roleIds: $r) { membersAffected } }`
			mMember  = `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`
			pProduct = `query($p: Product!) { previewProductChange(product: $p, enabled: false) { membersAffected } }`
			mProduct = `mutation($p: Product!) { disableProduct(product: $p) { id } }`
		)
		for _, tc := range []struct {
			name              string
			as                *client
			preview, mutation string
			vars              map[string]any
			code, field, perm string
		}{
			{"unknown permission", o.Owner, pRole, mRole, map[string]any{"r": o.role("agent"), "g": grants("calls.fly", "ALL")}, "BAD_USER_INPUT", "grants[0]", ""},
			{"unsupported scope", o.Owner, pRole, mRole, map[string]any{"r": o.role("agent"), "g": grants("members.read", "OWN")}, "BAD_USER_INPUT", "grants[0]", ""},
			{"malformed role id", o.Owner, pRole, mRole, map[string]any{"r": "nope", "g": grants("interactions.read", "OWN")}, "BAD_USER_INPUT", "roleId", ""},
			{"another organization's role", o.Owner, pRole, mRole, map[string]any{"r": other.role("agent"), "g": grants("interactions.read", "OWN")}, "BAD_USER_INPUT", "roleId", ""},
			{"the owner role", o.Owner, pRole, mRole, map[string]any{"r": o.role("owner"), "g": grants("interactions.read", "OWN")}, "FORBIDDEN", "", "roles.write"},
			{"no roles.write", agent, pRole, mRole, map[string]any{"r": o.role("recorder"), "g": grants("interactions.read", "OWN")}, "FORBIDDEN", "", "roles.write"},
			{"a role one holds", lim, pRole, mRole, map[string]any{"r": o.role("role_admin"), "g": grants("interactions.read", "OWN")}, "FORBIDDEN", "", "roles.write"},
			{"granting past one's own", lim, pRole, mRole, map[string]any{"r": o.role("blank"), "g": grants("interactions.read", "ALL")}, "ESCALATION", "", "interactions.read"},
			{"no roles", o.Owner, pMember, mMember, map[string]any{"m": agent.MemberID, "r": []any{}}, "BAD_USER_INPUT", "roleIds", ""},
			{"another organization's member", o.Owner, pMember, mMember, map[string]any{"m": otherAgent.MemberID, "r": []any{o.role("agent")}}, "BAD_USER_INPUT", "memberId", ""},
			{"another organization's role to assign", o.Owner, pMember, mMember, map[string]any{"m": agent.MemberID, "r": []any{other.role("agent")}}, "BAD_USER_INPUT", "roleIds", ""},
			{"the owner's roles", boss, pMember, mMember, map[string]any{"m": o.Owner.MemberID, "r": []any{o.role("agent")}}, "CONFLICT", "", ""},
			{"one's own roles", lim, pMember, mMember, map[string]any{"m": lim.MemberID, "r": []any{o.role("agent")}}, "FORBIDDEN", "", "members.write"},
			{"assigning past one's own", lim, pMember, mMember, map[string]any{"m": agent.MemberID, "r": []any{o.role("admin")}}, "ESCALATION", "", ""},
			{"no members.write", agent, pMember, mMember, map[string]any{"m": lim.MemberID, "r": []any{o.role("agent")}}, "FORBIDDEN", "", "members.write"},
			{"no account.write", lim, pProduct, mProduct, map[string]any{"p": "QUALITY"}, "FORBIDDEN", "", "account.write"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				written := (&previewOrg{e: e, id: o.ID}).written(t)
				p := tc.as.fails(tc.code, tc.field, tc.preview, tc.vars)
				if now := (&previewOrg{e: e, id: o.ID}).written(t); now != written {
					t.Fatalf("a refused preview wrote: %s before, %s after", written, now)
				}
				m := tc.as.fails(tc.code, tc.field, tc.mutation, tc.vars)
				perm := func(g gqlError) string { s, _ := g.Extensions["permission"].(string); return s }
				if perm(p) != perm(m) || (tc.perm != "" && perm(p) != tc.perm) {
					t.Errorf("permission: preview %q, change %q, want %q", perm(p), perm(m), tc.perm)
				}
			})
		}
	})
}

// A change's impact is on the object that change returns and nowhere
// else: the same role, member or organization read by a query, or
// returned by a change that has no impact to tell, shows null.
func TestImpactOnlyOnTheChangedObject(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Impact Elsewhere", "ENTERPRISE", nil)
		agent := o.member("agent@impact.example", []string{"agent"}, nil, nil)
		d := o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id impact { membersAffected members { member { id } } } } }`,
			map[string]any{"m": agent.MemberID, "r": []any{o.role("admin")}})
		if n := get(d, "setMemberRoles", "impact", "membersAffected"); n != float64(1) || str(d, "setMemberRoles", "impact", "members", 0, "member", "id") != agent.MemberID {
			t.Fatalf("setMemberRoles impact: %v, want the agent alone", get(d, "setMemberRoles", "impact"))
		}
		d = o.Owner.ok(`{ organization { impact { membersAffected } members(first: 10) { edges { node { impact { membersAffected } } } }
			roles { impact { membersAffected } } } }`, nil)
		if get(d, "organization", "impact") != nil {
			t.Errorf("organization read by a query has an impact: %v", get(d, "organization", "impact"))
		}
		for _, ed := range get(d, "organization", "members", "edges").([]any) {
			if get(ed, "node", "impact") != nil {
				t.Errorf("member read by a query has an impact: %v", ed)
			}
		}
		for _, r := range get(d, "organization", "roles").([]any) {
			if get(r, "impact") != nil {
				t.Errorf("role read by a query has an impact: %v", r)
			}
		}
		d = o.Owner.ok(`mutation($r: ID!) { resetRole(roleId: $r) { impact { membersAffected } } }`, map[string]any{"r": o.role("agent")})
		if get(d, "resetRole", "impact") != nil {
			t.Errorf("resetRole has an impact: %v", get(d, "resetRole", "impact"))
		}
	})
}
