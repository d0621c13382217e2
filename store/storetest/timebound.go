package storetest

import (
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Time-bound access (issue 13): temporary role assignments kept with the
// member, the organization's next expiry, the expiring listing, guest links
// whose access ends, access requests.

func temp(roleID string, until time.Time, by, reason string) model.RoleAssignment {
	return model.RoleAssignment{RoleID: roleID, ExpiresAt: until, GrantedBy: by, Reason: reason}
}

func testTemporaryRoles(h *h) {
	h.seed(org("o1"), role("o1", "r-a", "", "A"), role("o1", "r-b", "", "B"), role("o1", "r-c", "", "C"))
	m := member("o1", "m1", 1)
	m.RoleIDs = []string{"r-a"}
	// Pinned: temporary roles come back sorted by role id, times in UTC µs.
	m.TempRoles = []model.RoleAssignment{
		temp("r-c", at(3600).In(time.FixedZone("X", 3600)), "boss", "holiday cover"),
		temp("r-b", at(7200), "", ""),
	}
	h.seed(m)
	got, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	want := []model.RoleAssignment{temp("r-b", at(7200), "", ""), temp("r-c", at(3600), "boss", "holiday cover")}
	eq(h, "permanent roles", got.RoleIDs, []string{"r-a"})
	eq(h, "temporary roles", got.TempRoles, want)

	// Every read of a member carries them.
	ms, err := h.s.GetMembers(h.ctx, "o1", []string{"m1"})
	h.ok(err, "GetMembers")
	eq(h, "GetMembers temporary roles", ms[0].TempRoles, want)
	ms, err = h.s.ListMembers(h.ctx, "o1", store.MemberFilter{})
	h.ok(err, "ListMembers")
	eq(h, "ListMembers temporary roles", ms[0].TempRoles, want)
	_, gm, err := h.s.GetOrganizationMember(h.ctx, "o1", "m1")
	h.ok(err, "GetOrganizationMember")
	eq(h, "GetOrganizationMember temporary roles", gm.TempRoles, want)

	// Update replaces them: extend one, drop the other.
	got.TempRoles = []model.RoleAssignment{temp("r-c", at(9000), "boss", "holiday cover")}
	h.inTx(func(tx store.Tx) error { return tx.UpdateMember(h.ctx, got) })
	got, err = h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember after update")
	eq(h, "updated temporary roles", got.TempRoles, []model.RoleAssignment{temp("r-c", at(9000), "boss", "holiday cover")})
	eq(h, "permanent roles kept", got.RoleIDs, []string{"r-a"})

	n, err := h.s.CountRoleHolders(h.ctx, "o1", "r-c")
	h.ok(err, "CountRoleHolders")
	eq(h, "a temporary holder counts", n, 1)

	// Pinned: a temporary role must exist, like a permanent one.
	bad := member("o1", "m2", 2)
	bad.TempRoles = []model.RoleAssignment{temp("r-x", at(10), "", "")}
	h.is(h.try(bad), store.ErrNotFound, "CreateMember(unknown temporary role)")
}

func testNextExpiry(h *h) {
	h.seed(org("o1"), org("o2"), role("o1", "r-a", "", "A"), role("o1", "r-b", "", "B"), role("o2", "r-a", "", "A"))
	o, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	eq(h, "no temporary roles: no next expiry", o.NextExpiry, time.Time{})

	now := time.Now().UTC().Truncate(time.Millisecond)
	soon, later := now.Add(time.Hour), now.Add(2*time.Hour)
	m1, m2, m3 := member("o1", "m1", 1), member("o1", "m2", 2), member("o2", "m3", 3)
	m1.TempRoles = []model.RoleAssignment{temp("r-a", later, "", ""), temp("r-b", now.Add(-time.Hour), "", "")}
	m2.TempRoles = []model.RoleAssignment{temp("r-a", soon, "", "")}
	m3.TempRoles = []model.RoleAssignment{temp("r-a", now.Add(time.Minute), "", "")}
	h.seed(m1, m2, m3)

	o, err = h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	// The soonest still ahead; the past one and the other organization's do not count.
	eq(h, "next expiry", o.NextExpiry, soon)
	o, _, err = h.s.GetOrganizationMember(h.ctx, "o1", "m1")
	h.ok(err, "GetOrganizationMember")
	eq(h, "next expiry with the member", o.NextExpiry, soon)
}

func testListExpiringRoles(h *h) {
	h.seed(org("o1"), org("o2"), role("o1", "r-a", "", "A"), role("o1", "r-b", "", "B"), role("o2", "r-a", "", "A"))
	m1, m2, m3 := member("o1", "m1", 1), member("o1", "m2", 2), member("o2", "m3", 3)
	m1.RoleIDs = []string{"r-b"}
	m1.TempRoles = []model.RoleAssignment{temp("r-a", at(300), "m2", "why")}
	m2.TempRoles = []model.RoleAssignment{temp("r-a", at(100), "", ""), temp("r-b", at(5000), "", "")}
	m3.TempRoles = []model.RoleAssignment{temp("r-a", at(200), "", "")}
	h.seed(m1, m2, m3)

	got, err := h.s.ListExpiringRoles(h.ctx, "o1", at(0), at(1000))
	h.ok(err, "ListExpiringRoles")
	eq(h, "soonest first, permanent and later ones left out", got, []model.ExpiringRole{
		{OrgID: "o1", MemberID: "m2", RoleAssignment: temp("r-a", at(100), "", "")},
		{OrgID: "o1", MemberID: "m1", RoleAssignment: temp("r-a", at(300), "m2", "why")},
	})
	got, err = h.s.ListExpiringRoles(h.ctx, "", at(100), at(300))
	h.ok(err, "ListExpiringRoles(every organization)")
	eq(h, "after is exclusive, until inclusive, every organization", got, []model.ExpiringRole{
		{OrgID: "o2", MemberID: "m3", RoleAssignment: temp("r-a", at(200), "", "")},
		{OrgID: "o1", MemberID: "m1", RoleAssignment: temp("r-a", at(300), "m2", "why")},
	})
	got, err = h.s.ListExpiringRoles(h.ctx, "nope", at(0), at(10000))
	h.ok(err, "ListExpiringRoles(unknown organization)")
	eq(h, "unknown organization", len(got), 0)
}

func testDeleteRoleEndsTemporaryRoles(h *h) {
	h.seed(org("o1"), role("o1", "r-a", "", "A"), role("o1", "r-b", "", "B"))
	m := member("o1", "m1", 1)
	m.TempRoles = []model.RoleAssignment{temp("r-a", at(100), "", ""), temp("r-b", at(200), "", "")}
	h.seed(m)
	h.inTx(func(tx store.Tx) error { return tx.DeleteRole(h.ctx, "o1", "r-a") })
	got, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	eq(h, "temporary roles after DeleteRole", got.TempRoles, []model.RoleAssignment{temp("r-b", at(200), "", "")})
}

func testGuestAccessExpiry(h *h) {
	h.seed(org("o1"), role("o1", "r-a", "", "A"),
		&model.Invitation{TokenHash: "h1", OrgID: "o1", RoleID: "r-a", CreatedBy: "x", ExpiresAt: at(100), AccessExpiresAt: at(500)},
		&model.Invitation{TokenHash: "h2", OrgID: "o1", RoleID: "r-a", CreatedBy: "x", ExpiresAt: at(100)})
	got, err := h.s.GetInvitation(h.ctx, "h1")
	h.ok(err, "GetInvitation")
	eq(h, "access expiry", got.AccessExpiresAt, at(500))
	got, err = h.s.GetInvitation(h.ctx, "h2")
	h.ok(err, "GetInvitation")
	eq(h, "no access expiry", got.AccessExpiresAt, time.Time{})
}

func testAccessRequests(h *h) {
	h.seed(org("o1"), org("o2"), member("o1", "m1", 1), member("o1", "m2", 2), member("o2", "m3", 3))
	r1 := &model.AccessRequest{ID: "ar1", OrgID: "o1", RequesterID: "m1", Permission: "interactions.read",
		ResourceID: "int_x", Reason: "need it", Status: model.AccessPending, CreatedAt: at(10)}
	r2 := &model.AccessRequest{ID: "ar2", OrgID: "o1", RequesterID: "m2", Permission: "members.write",
		Reason: "onboarding", Status: model.AccessPending, CreatedAt: at(20)}
	h.seed(r1, r2, &model.AccessRequest{ID: "ar3", OrgID: "o2", RequesterID: "m3", Permission: "x", Reason: "y",
		Status: model.AccessPending, CreatedAt: at(5)})

	got, err := h.s.GetAccessRequest(h.ctx, "o1", "ar1")
	h.ok(err, "GetAccessRequest")
	eq(h, "access request", got, r1)
	_, err = h.s.GetAccessRequest(h.ctx, "o1", "ar3")
	h.is(err, store.ErrNotFound, "GetAccessRequest(other organization's)")

	list, err := h.s.ListAccessRequests(h.ctx, "o1")
	h.ok(err, "ListAccessRequests")
	eq(h, "newest first, this organization only", ids(list, func(r *model.AccessRequest) string { return r.ID }), []string{"ar2", "ar1"})

	upd := *r1
	upd.Status, upd.DecidedBy, upd.RoleID, upd.ExpiresAt, upd.DecidedAt = model.AccessApproved, "m2", "r-a", at(1000), at(30)
	upd.Permission, upd.Reason = "forged", "forged" // not written by UpdateAccessRequest
	h.inTx(func(tx store.Tx) error { return tx.UpdateAccessRequest(h.ctx, &upd) })
	got, err = h.s.GetAccessRequest(h.ctx, "o1", "ar1")
	h.ok(err, "GetAccessRequest after update")
	want := *r1
	want.Status, want.DecidedBy, want.RoleID, want.ExpiresAt, want.DecidedAt = model.AccessApproved, "m2", "r-a", at(1000), at(30)
	eq(h, "decided request", got, &want)

	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		return tx.UpdateAccessRequest(h.ctx, &model.AccessRequest{ID: "ar3", OrgID: "o1", Status: model.AccessDenied})
	})
	h.is(err, store.ErrNotFound, "UpdateAccessRequest(other organization's)")
	h.is(h.try(&model.AccessRequest{ID: "ar9", OrgID: "o1", RequesterID: "ghost", Permission: "x", Reason: "y",
		Status: model.AccessPending, CreatedAt: at(1)}), store.ErrNotFound, "CreateAccessRequest(unknown requester)")
	h.is(h.try(r2), store.ErrConflict, "CreateAccessRequest(taken id)")
}
