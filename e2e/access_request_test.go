package e2e

import (
	"testing"
	"time"
)

// Access requests (issue 13): asked at the point of denial, approved into
// a temporary role by someone who may assign it, never by the requester.

const (
	requestAccessQ = `mutation($p: String!, $r: ID, $why: String!) { requestAccess(permission: $p, resourceId: $r, reason: $why) {
		id status requester { id } permission } }`
	approveQ = `mutation($id: ID!, $r: ID!, $e: String!) { approveAccessRequest(id: $id, roleId: $r, expiresAt: $e) {
		status decidedBy { id } expiresAt } }`
	denyQ = `mutation($id: ID!, $why: String!) { denyAccessRequest(id: $id, reason: $why) { status } }`
)

func TestAccessRequestFlow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Requests", "", nil)
		agent := o.member("agent@req.example", []string{"agent"}, nil, nil)
		mgr := o.member("mgr@req.example", []string{"manager"}, nil, nil)
		admin := o.member("admin@req.example", []string{"admin"}, nil, nil)
		soon := rfc(time.Now().Add(time.Hour))

		d := agent.ok(requestAccessQ, map[string]any{"p": "members.read", "why": "onboarding review"})
		id := str(d, "requestAccess", "id")
		if str(d, "requestAccess", "status") != "PENDING" || str(d, "requestAccess", "requester", "id") != agent.MemberID {
			t.Fatalf("requestAccess: %v", d)
		}
		// The requester sees their own; an admin sees everyone's.
		if rs := get(agent.ok(`{ accessRequests { id } }`, nil), "accessRequests").([]any); len(rs) != 1 {
			t.Fatalf("requester's list: %v", rs)
		}
		if rs := get(admin.ok(`{ accessRequests(status: PENDING) { id } }`, nil), "accessRequests").([]any); len(rs) != 1 {
			t.Fatalf("admin's pending list: %v", rs)
		}
		// Nobody approves their own request; escalation is refused.
		agent.fails("FORBIDDEN", "", approveQ, map[string]any{"id": id, "r": o.role("admin"), "e": soon})
		mgr.fails("FORBIDDEN", "", approveQ, map[string]any{"id": id, "r": o.role("admin"), "e": soon})
		admin.fails("BAD_USER_INPUT", "expiresAt", approveQ, map[string]any{"id": id, "r": o.role("admin"), "e": rfc(time.Now().Add(100 * 24 * time.Hour))})
		if agent.can("audit_log.read", "") {
			t.Fatal("access before approval")
		}
		d = admin.ok(approveQ, map[string]any{"id": id, "r": o.role("admin"), "e": soon})
		if str(d, "approveAccessRequest", "status") != "APPROVED" || str(d, "approveAccessRequest", "decidedBy", "id") != admin.MemberID {
			t.Fatalf("approve: %v", d)
		}
		if !agent.can("audit_log.read", "") {
			t.Fatal("no access after approval")
		}
		d = agent.ok(`{ viewer { roleAssignments { role { key } expiresAt } } }`, nil)
		if as := get(d, "viewer", "roleAssignments").([]any); len(as) != 2 {
			t.Fatalf("roleAssignments after approval: %v", as)
		}
		// Decided once.
		admin.fails("CONFLICT", "id", denyQ, map[string]any{"id": id, "why": "late"})

		// Deny.
		d = agent.ok(requestAccessQ, map[string]any{"p": "roles.write", "why": "I want to"})
		id2 := str(d, "requestAccess", "id")
		agent.fails("FORBIDDEN", "", denyQ, map[string]any{"id": id2, "why": "no"})
		admin.fails("BAD_USER_INPUT", "reason", denyQ, map[string]any{"id": id2, "why": ""})
		if str(admin.ok(denyQ, map[string]any{"id": id2, "why": "not needed"}), "denyAccessRequest", "status") != "DENIED" {
			t.Fatal("deny did not deny")
		}

		// Bad input.
		agent.fails("BAD_USER_INPUT", "permission", requestAccessQ, map[string]any{"p": "nope.read", "why": "x"})
		agent.fails("BAD_USER_INPUT", "reason", requestAccessQ, map[string]any{"p": "members.read", "why": " "})

		// Tenant isolation: another organization's request is not found.
		other := e.newOrg("Other Requests", "", nil)
		oagent := other.member("agent@oreq.example", []string{"agent"}, nil, nil)
		oid := str(oagent.ok(requestAccessQ, map[string]any{"p": "members.read", "why": "x"}), "requestAccess", "id")
		admin.fails("NOT_FOUND", "id", approveQ, map[string]any{"id": oid, "r": o.role("admin"), "e": soon})
		admin.fails("NOT_FOUND", "id", denyQ, map[string]any{"id": oid, "why": "x"})
		if rs := get(admin.ok(`{ accessRequests { id } }`, nil), "accessRequests").([]any); len(rs) != 2 {
			t.Fatalf("admin's list holds another organization's requests: %v", rs)
		}

		audit := o.Owner.ok(`{ auditLog(first: 30) { edges { node { action } } } }`, nil)
		seen := map[string]bool{}
		for _, ed := range get(audit, "auditLog", "edges").([]any) {
			seen[str(ed, "node", "action")] = true
		}
		for _, a := range []string{"requestAccess", "approveAccessRequest", "denyAccessRequest"} {
			if !seen[a] {
				t.Errorf("no audit event %s", a)
			}
		}
	})
}
