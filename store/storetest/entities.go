package storetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

var _ = register("Organizations", func(h *h) {
	o := org("o1")
	o.Products = []model.Product{model.ProductAI, model.ProductConversations}
	h.seed(o, &model.Organization{ID: "o0", Name: "Zero", Plan: model.PlanStarter, CreatedAt: at(5)},
		&model.Organization{ID: "o2", Name: "Two", Plan: model.PlanStarter, CreatedAt: at(-5)})

	got, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	// Pinned: products come back in AllProducts order.
	eq(h, "organization", got, &model.Organization{ID: "o1", Name: "Org o1", Plan: model.PlanPro,
		Products: []model.Product{model.ProductConversations, model.ProductAI}, CreatedAt: t0})

	_, err = h.s.GetOrganization(h.ctx, "nope")
	h.is(err, store.ErrNotFound, "GetOrganization(unknown)")
	h.is(h.try(org("o1")), store.ErrConflict, "CreateOrganization(taken id)")

	all, err := h.s.ListOrganizations(h.ctx)
	h.ok(err, "ListOrganizations")
	eq(h, "organizations by creation", ids(all, func(o *model.Organization) string { return o.ID }),
		[]string{"o2", "o1", "o0"})

	// Revision and ZedToken belong to MarkApplied; UpdateOrganization must
	// leave them alone even when the caller's copy says otherwise.
	h.ok(h.s.MarkApplied(h.ctx, "o1", 0, "zed-1"), "MarkApplied")
	h.inTx(func(tx store.Tx) error {
		return tx.UpdateOrganization(h.ctx, &model.Organization{
			ID: "o1", Name: "Renamed", Plan: model.PlanEnterprise, OwnerID: "owner",
			Products: []model.Product{model.ProductTelephony}, Revision: 99, ZedToken: "forged",
			CreatedAt: at(1000),
		})
	})
	got, err = h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization after update")
	eq(h, "updated organization", got, &model.Organization{ID: "o1", Name: "Renamed", Plan: model.PlanEnterprise,
		OwnerID: "owner", Products: []model.Product{model.ProductTelephony}, CreatedAt: t0,
		Revision: 1, ZedToken: "zed-1"})

	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		return tx.UpdateOrganization(h.ctx, &model.Organization{ID: "nope", Name: "x"})
	})
	h.is(err, store.ErrNotFound, "UpdateOrganization(unknown)")
	h.ok(h.s.Ping(h.ctx), "Ping")
})

var _ = register("Members", func(h *h) {
	h.seed(org("o1"), role("o1", "r-b", "", "B"), role("o1", "r-a", "", "A"))
	m := &model.Member{ID: "m1", OrgID: "o1", Email: "ann@example.com", Name: "Ann",
		Status: model.StatusInvited, IsGuest: true,
		RoleIDs:   []string{"r-b", "r-a"},
		Seats:     []model.SeatKind{model.SeatVoice, model.SeatRecorder},
		CreatedAt: at(1)}
	h.seed(m)

	got, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	// Pinned: role ids sorted, seats in AllSeatKinds order.
	eq(h, "member", got, &model.Member{ID: "m1", OrgID: "o1", Email: "ann@example.com", Name: "Ann",
		Status: model.StatusInvited, IsGuest: true, RoleIDs: []string{"r-a", "r-b"},
		Seats: []model.SeatKind{model.SeatRecorder, model.SeatVoice}, CreatedAt: at(1)})

	h.inTx(func(tx store.Tx) error {
		return tx.UpdateMember(h.ctx, &model.Member{ID: "m1", OrgID: "o1", Email: "ann@corp.example",
			Name: "Ann B", Status: model.StatusActive, RoleIDs: []string{"r-b"},
			Seats: []model.SeatKind{model.SeatContactCenter}, CreatedAt: at(500)})
	})
	got, err = h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember after update")
	eq(h, "updated member (CreatedAt kept)", got, &model.Member{ID: "m1", OrgID: "o1",
		Email: "ann@corp.example", Name: "Ann B", Status: model.StatusActive,
		RoleIDs: []string{"r-b"}, Seats: []model.SeatKind{model.SeatContactCenter}, CreatedAt: at(1)})

	// The old email is free again, the new one is taken.
	h.ok(h.try(&model.Member{ID: "m2", OrgID: "o1", Email: "ANN@example.com", Status: model.StatusActive}),
		"CreateMember(old email)")
	h.is(h.try(&model.Member{ID: "m3", OrgID: "o1", Email: "Ann@Corp.Example", Status: model.StatusActive}),
		store.ErrConflict, "CreateMember(new email)")

	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		return tx.UpdateMember(h.ctx, &model.Member{ID: "ghost", OrgID: "o1", Email: "g@example.com"})
	})
	h.is(err, store.ErrNotFound, "UpdateMember(unknown)")
	// Pinned: a member cannot hold a role that does not exist.
	h.is(h.try(&model.Member{ID: "m4", OrgID: "o1", Email: "m4@example.com", RoleIDs: []string{"r-x"}}),
		store.ErrNotFound, "CreateMember(unknown role)")
	h.is(h.try(member("nope", "m5", 0)), store.ErrNotFound, "CreateMember(unknown organization)")
	h.is(h.try(member("o1", "m1", 0)), store.ErrConflict, "CreateMember(taken id)")
})

var _ = register("ConflictsAreCaseInsensitive", func(h *h) {
	h.seed(org("o1"), org("o2"),
		&model.Member{ID: "m1", OrgID: "o1", Email: "ann@example.com", Status: model.StatusActive},
		&model.Member{ID: "m2", OrgID: "o1", Email: "bob@example.com", Status: model.StatusActive},
		team("o1", "t1", "Support", ""), team("o1", "t2", "Sales", ""),
		role("o1", "r1", "admin", "Admin"), role("o1", "r2", "", "Auditor"))

	updMember := func(id, email string) func(store.Tx) error {
		return func(tx store.Tx) error {
			return tx.UpdateMember(h.ctx, &model.Member{ID: id, OrgID: "o1", Email: email, Status: model.StatusActive})
		}
	}
	updTeam := func(id, name string) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.UpdateTeam(h.ctx, team("o1", id, name, "")) }
	}
	updRole := func(id, name string) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.UpdateRole(h.ctx, role("o1", id, "", name)) }
	}
	create := func(o any) func(store.Tx) error {
		return func(tx store.Tx) error { return put(h.ctx, tx, o) }
	}
	for _, c := range []struct {
		name string
		fn   func(store.Tx) error
		want error
	}{
		{"member email, other case", create(&model.Member{ID: "m3", OrgID: "o1", Email: "ANN@Example.com"}), store.ErrConflict},
		{"member email, other org", create(&model.Member{ID: "m3", OrgID: "o2", Email: "ann@example.com"}), nil},
		{"update member to taken email", updMember("m2", "Ann@example.COM"), store.ErrConflict},
		{"update member to own email, other case", updMember("m1", "ANN@example.com"), nil},
		{"team name, other case", create(team("o1", "t3", "SUPPORT", "")), store.ErrConflict},
		{"team name, other org", create(team("o2", "t3", "support", "")), nil},
		{"rename team to taken name", updTeam("t2", "support"), store.ErrConflict},
		{"rename team to own name, other case", updTeam("t1", "SUPPORT"), nil},
		{"team id taken", create(team("o1", "t1", "Other", "")), store.ErrConflict},
		{"role name, other case", create(role("o1", "r3", "", "admin")), store.ErrConflict},
		{"role key", create(role("o1", "r3", "admin", "Administrators")), store.ErrConflict},
		{"second custom role (empty key)", create(role("o1", "r4", "", "Coach")), nil},
		{"role name, other org", create(role("o2", "r3", "admin", "Admin")), nil},
		{"rename role to taken name", updRole("r2", "ADMIN"), store.ErrConflict},
		{"rename role to own name, other case", updRole("r2", "AUDITOR"), nil},
		{"role id taken", create(role("o1", "r1", "", "Fresh")), store.ErrConflict},
	} {
		err := h.s.InTx(h.ctx, c.fn)
		if c.want == nil {
			h.ok(err, c.name)
		} else {
			h.is(err, c.want, c.name)
		}
	}

	// The losers of those conflicts changed nothing.
	m2, err := h.s.GetMember(h.ctx, "o1", "m2")
	h.ok(err, "GetMember m2")
	eq(h, "m2 email", m2.Email, "bob@example.com")
	t2, err := h.s.GetTeam(h.ctx, "o1", "t2")
	h.ok(err, "GetTeam t2")
	eq(h, "t2 name", t2.Name, "Sales")
	byEmail, err := h.s.GetMemberByEmail(h.ctx, "o1", "aNN@EXAMPLE.com")
	h.ok(err, "GetMemberByEmail")
	eq(h, "member by email", byEmail.ID, "m1")
	_, err = h.s.GetMemberByEmail(h.ctx, "o1", "nobody@example.com")
	h.is(err, store.ErrNotFound, "GetMemberByEmail(unknown)")
})

var _ = register("Roles", func(h *h) {
	h.seed(org("o1"))
	r := &model.Role{ID: "r1", OrgID: "o1", Key: "agent", Name: "Agent", Description: "Takes calls", System: true,
		Grants: []model.Grant{{Permission: "interactions.read", Scope: model.ScopeOwn},
			{Permission: "evaluations.read", Scope: model.ScopeTeam}}}
	h.seed(r)
	want := &model.Role{ID: "r1", OrgID: "o1", Key: "agent", Name: "Agent", Description: "Takes calls", System: true,
		Grants: []model.Grant{{Permission: "evaluations.read", Scope: model.ScopeTeam},
			{Permission: "interactions.read", Scope: model.ScopeOwn}}}
	got, err := h.s.GetRole(h.ctx, "o1", "r1")
	h.ok(err, "GetRole")
	eq(h, "role (grants by permission)", got, want)
	got, err = h.s.GetRoleByKey(h.ctx, "o1", "agent")
	h.ok(err, "GetRoleByKey")
	eq(h, "role by key", got, want)
	_, err = h.s.GetRoleByKey(h.ctx, "o1", "admin")
	h.is(err, store.ErrNotFound, "GetRoleByKey(unknown)")

	// UpdateRole writes name, description and grants; key and System stay.
	h.inTx(func(tx store.Tx) error {
		return tx.UpdateRole(h.ctx, &model.Role{ID: "r1", OrgID: "o1", Key: "other", Name: "Agents",
			Description: "", System: false, Grants: nil})
	})
	got, err = h.s.GetRole(h.ctx, "o1", "r1")
	h.ok(err, "GetRole after update")
	eq(h, "updated role", got, &model.Role{ID: "r1", OrgID: "o1", Key: "agent", Name: "Agents", System: true})
	_, err = h.s.GetRoleByKey(h.ctx, "o1", "other")
	h.is(err, store.ErrNotFound, "GetRoleByKey(key UpdateRole must not write)")

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.UpdateRole(h.ctx, role("o1", "ghost", "", "G")) })
	h.is(err, store.ErrNotFound, "UpdateRole(unknown)")
	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.DeleteRole(h.ctx, "o1", "ghost") })
	h.is(err, store.ErrNotFound, "DeleteRole(unknown)")

	h.inTx(func(tx store.Tx) error { return tx.DeleteRole(h.ctx, "o1", "r1") })
	_, err = h.s.GetRole(h.ctx, "o1", "r1")
	h.is(err, store.ErrNotFound, "GetRole after delete")
	// The key and name are free again.
	h.ok(h.try(role("o1", "r2", "agent", "agents")), "CreateRole(key and name of a deleted role)")
})

// Pinned: store.go does not say what DeleteRole does to holders; both
// backends take the role away so that no member holds a missing role.
var _ = register("DeleteRoleTakesItFromHolders", func(h *h) {
	m := member("o1", "m1", 0)
	m.RoleIDs = []string{"r1", "r2"}
	m2 := member("o1", "m2", 0)
	m2.RoleIDs = []string{"r1"}
	h.seed(org("o1"), role("o1", "r1", "", "One"), role("o1", "r2", "", "Two"), m, m2)
	h.inTx(func(tx store.Tx) error { return tx.DeleteRole(h.ctx, "o1", "r1") })
	ms, err := h.s.GetMembers(h.ctx, "o1", []string{"m1", "m2"})
	h.ok(err, "GetMembers")
	eq(h, "role ids after DeleteRole", [][]string{ms[0].RoleIDs, ms[1].RoleIDs}, [][]string{{"r2"}, nil})
	n, err := h.s.CountRoleHolders(h.ctx, "o1", "r1")
	h.ok(err, "CountRoleHolders")
	eq(h, "holders of a deleted role", n, 0)
})

var _ = register("TeamsAndRolesListByName", func(h *h) {
	h.seed(org("o1"), org("o2"))
	var objs []any
	for i, n := range []string{"beta", "Alpha", "gamma", "Delta"} {
		objs = append(objs, team("o1", "t"+string(rune('a'+i)), n, ""),
			role("o1", "r"+string(rune('a'+i)), "", n))
	}
	objs = append(objs, team("o2", "tx", "Aardvark", ""), role("o2", "rx", "", "Aardvark"))
	h.seed(objs...)
	// Pinned: "by name" is case-insensitive, the same folding that makes
	// names unique.
	want := []string{"Alpha", "beta", "Delta", "gamma"}
	ts, err := h.s.ListTeams(h.ctx, "o1")
	h.ok(err, "ListTeams")
	eq(h, "teams by name", teamNames(ts), want)
	rs, err := h.s.ListRoles(h.ctx, "o1")
	h.ok(err, "ListRoles")
	eq(h, "roles by name", roleNames(rs), want)
	eq(h, "team", ts[0], team("o1", "tb", "Alpha", ""))
})

var _ = register("SeatPools", func(h *h) {
	h.seed(org("o1"), org("o2"),
		&model.SeatPool{OrgID: "o1", Kind: model.SeatContactCenter, Total: 1},
		&model.SeatPool{OrgID: "o1", Kind: model.SeatRecorder, Total: 5},
		&model.SeatPool{OrgID: "o1", Kind: model.SeatVoice, Total: 2},
		&model.SeatPool{OrgID: "o2", Kind: model.SeatVoice, Total: 9})
	h.seed(&model.SeatPool{OrgID: "o1", Kind: model.SeatRecorder, Total: 7})
	ps, err := h.s.ListSeatPools(h.ctx, "o1")
	h.ok(err, "ListSeatPools")
	// Pinned: pools in AllSeatKinds order.
	eq(h, "pools", ps, []*model.SeatPool{
		{OrgID: "o1", Kind: model.SeatRecorder, Total: 7},
		{OrgID: "o1", Kind: model.SeatVoice, Total: 2},
		{OrgID: "o1", Kind: model.SeatContactCenter, Total: 1},
	})
	h.is(h.try(&model.SeatPool{OrgID: "nope", Kind: model.SeatVoice, Total: 1}), store.ErrNotFound,
		"PutSeatPool(unknown organization)")
})

var _ = register("SeatAndRoleHolderCounts", func(h *h) {
	mk := func(id string, st model.MemberStatus, roles []string, seats ...model.SeatKind) *model.Member {
		m := member("o1", id, 0)
		m.Status, m.RoleIDs, m.Seats = st, roles, seats
		return m
	}
	h.seed(org("o1"), org("o2"), role("o1", "r1", "", "One"), role("o1", "r2", "", "Two"),
		role("o2", "r1", "", "One"),
		mk("a", model.StatusActive, []string{"r1", "r2"}, model.SeatRecorder, model.SeatVoice),
		mk("b", model.StatusInvited, []string{"r2"}, model.SeatRecorder),
		mk("c", model.StatusDeactivated, []string{"r1"}, model.SeatRecorder, model.SeatContactCenter),
		mk("d", model.StatusActive, nil),
		&model.Member{ID: "e", OrgID: "o2", Email: "e@example.com", Status: model.StatusActive,
			RoleIDs: []string{"r1"}, Seats: []model.SeatKind{model.SeatContactCenter}})

	for _, c := range []struct {
		kind model.SeatKind
		want int
	}{{model.SeatRecorder, 2}, {model.SeatVoice, 1}, {model.SeatContactCenter, 0}} {
		n, err := h.s.CountSeatHolders(h.ctx, "o1", c.kind)
		h.ok(err, "CountSeatHolders")
		eq(h, "seat holders of "+string(c.kind)+" (DEACTIVATED not counted)", n, c.want)
	}
	for _, c := range []struct {
		role string
		want int
	}{{"r1", 2}, {"r2", 2}, {"r9", 0}} {
		n, err := h.s.CountRoleHolders(h.ctx, "o1", c.role)
		h.ok(err, "CountRoleHolders")
		eq(h, "holders of "+c.role+" (any status)", n, c.want)
	}
	for _, c := range []struct {
		st   model.MemberStatus
		want int
	}{{"", 4}, {model.StatusActive, 2}, {model.StatusInvited, 1}, {model.StatusDeactivated, 1}} {
		n, err := h.s.CountMembers(h.ctx, "o1", c.st)
		h.ok(err, "CountMembers")
		eq(h, "members with status "+string(c.st), n, c.want)
	}
})

var _ = register("Invitations", func(h *h) {
	exp := at(3600)
	h.seed(org("o1"), org("o2"), member("o1", "m1", 0),
		&model.Invitation{TokenHash: "h1", OrgID: "o1", MemberID: "m1", CreatedBy: "owner", ExpiresAt: exp},
		&model.Invitation{TokenHash: "h2", OrgID: "o2", RoleID: "r1", CreatedBy: "owner", ExpiresAt: exp})

	got, err := h.s.GetInvitation(h.ctx, "h2")
	h.ok(err, "GetInvitation")
	eq(h, "guest invitation", got, &model.Invitation{TokenHash: "h2", OrgID: "o2", RoleID: "r1",
		CreatedBy: "owner", ExpiresAt: exp})
	_, err = h.s.GetInvitation(h.ctx, "nope")
	h.is(err, store.ErrNotFound, "GetInvitation(unknown)")
	h.is(h.try(&model.Invitation{TokenHash: "h1", OrgID: "o2", ExpiresAt: exp}), store.ErrConflict,
		"CreateInvitation(taken token hash, other org)")
	h.is(h.try(&model.Invitation{TokenHash: "h3", OrgID: "nope", ExpiresAt: exp}), store.ErrNotFound,
		"CreateInvitation(unknown organization)")

	used := at(60).Add(123 * time.Microsecond)
	h.inTx(func(tx store.Tx) error { return tx.MarkInvitationUsed(h.ctx, "h1", used) })
	got, err = h.s.GetInvitation(h.ctx, "h1")
	h.ok(err, "GetInvitation after use")
	eq(h, "used invitation", got, &model.Invitation{TokenHash: "h1", OrgID: "o1", MemberID: "m1",
		CreatedBy: "owner", ExpiresAt: exp, UsedAt: &used})
	other, err := h.s.GetInvitation(h.ctx, "h2")
	h.ok(err, "GetInvitation h2")
	eq(h, "other invitation untouched", other.UsedAt, (*time.Time)(nil))

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.MarkInvitationUsed(h.ctx, "nope", used) })
	h.is(err, store.ErrNotFound, "MarkInvitationUsed(unknown)")
})

var _ = register("Memberships", func(h *h) {
	h.seed(org("o1"), org("o2"), member("o1", "m1", 0), member("o1", "m2", 1), member("o2", "x", 0),
		team("o1", "t2", "Two", ""), team("o1", "t1", "One", ""), team("o2", "t9", "Nine", ""))
	h.seed(&model.TeamMembership{OrgID: "o1", TeamID: "t2", MemberID: "m1"},
		&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m2"},
		&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m1"},
		&model.TeamMembership{OrgID: "o2", TeamID: "t9", MemberID: "x"})
	// PutMembership again changes the Manager flag, not the count.
	h.seed(&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m2", Manager: true})

	all, err := h.s.ListMemberships(h.ctx, "o1", "", "")
	h.ok(err, "ListMemberships(org)")
	eq(h, "memberships by team then member", all, []*model.TeamMembership{
		{OrgID: "o1", TeamID: "t1", MemberID: "m1"},
		{OrgID: "o1", TeamID: "t1", MemberID: "m2", Manager: true},
		{OrgID: "o1", TeamID: "t2", MemberID: "m1"},
	})
	byTeam, err := h.s.ListMemberships(h.ctx, "o1", "t1", "")
	h.ok(err, "ListMemberships(team)")
	eq(h, "members of t1", ids(byTeam, func(m *model.TeamMembership) string { return m.MemberID }),
		[]string{"m1", "m2"})
	byMember, err := h.s.ListMemberships(h.ctx, "o1", "", "m1")
	h.ok(err, "ListMemberships(member)")
	eq(h, "teams of m1", ids(byMember, func(m *model.TeamMembership) string { return m.TeamID }),
		[]string{"t1", "t2"})

	h.inTx(func(tx store.Tx) error { return tx.DeleteMembership(h.ctx, "o1", "t1", "m1") })
	byTeam, err = h.s.ListMemberships(h.ctx, "o1", "t1", "")
	h.ok(err, "ListMemberships after delete")
	eq(h, "members of t1 after delete", ids(byTeam, func(m *model.TeamMembership) string { return m.MemberID }),
		[]string{"m2"})
	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.DeleteMembership(h.ctx, "o1", "t1", "m1") })
	h.is(err, store.ErrNotFound, "DeleteMembership(gone)")
	h.is(h.try(&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "ghost"}), store.ErrNotFound,
		"PutMembership(unknown member)")
	h.is(h.try(&model.TeamMembership{OrgID: "o1", TeamID: "ghost", MemberID: "m1"}), store.ErrNotFound,
		"PutMembership(unknown team)")
})

var _ = register("DeleteMemberRemovesMemberships", func(h *h) {
	m1 := member("o1", "m1", 0)
	m1.RoleIDs = []string{"r1"}
	m2 := member("o1", "m2", 1)
	m2.RoleIDs = []string{"r1"}
	h.seed(org("o1"), role("o1", "r1", "", "One"), m1, m2,
		team("o1", "t1", "One", ""), team("o1", "t2", "Two", ""))
	h.seed(&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m1", Manager: true},
		&model.TeamMembership{OrgID: "o1", TeamID: "t2", MemberID: "m1"},
		&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m2"})

	h.inTx(func(tx store.Tx) error { return tx.DeleteMember(h.ctx, "o1", "m1") })
	_, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.is(err, store.ErrNotFound, "GetMember after delete")
	all, err := h.s.ListMemberships(h.ctx, "o1", "", "")
	h.ok(err, "ListMemberships")
	eq(h, "memberships left", all, []*model.TeamMembership{{OrgID: "o1", TeamID: "t1", MemberID: "m2"}})
	n, err := h.s.CountRoleHolders(h.ctx, "o1", "r1")
	h.ok(err, "CountRoleHolders")
	eq(h, "role holders left", n, 1)
	n, err = h.s.CountMembers(h.ctx, "o1", "")
	h.ok(err, "CountMembers")
	eq(h, "members left", n, 1)
	ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{})
	h.ok(err, "ListMembers")
	eq(h, "listed members", memberIDs(ms), []string{"m2"})
	// The email is free again.
	h.ok(h.try(member("o1", "m1", 5)), "CreateMember(email of a deleted member)")

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.DeleteMember(h.ctx, "o1", "ghost") })
	h.is(err, store.ErrNotFound, "DeleteMember(unknown)")
})

var _ = register("DeleteTeamReparentsAndUnlinks", func(h *h) {
	i1 := interaction("o1", "i1", 0)
	i1.TeamID = "mid"
	i2 := interaction("o1", "i2", 1)
	i2.TeamID = "c1"
	h.seed(org("o1"), member("o1", "m1", 0),
		team("o1", "root", "Root", ""), team("o1", "mid", "Mid", "root"),
		team("o1", "c1", "Child 1", "mid"), team("o1", "c2", "Child 2", "mid"),
		team("o1", "other", "Other", "root"))
	h.seed(i1, i2,
		&model.TeamMembership{OrgID: "o1", TeamID: "mid", MemberID: "m1", Manager: true},
		&model.TeamMembership{OrgID: "o1", TeamID: "c1", MemberID: "m1"})

	h.inTx(func(tx store.Tx) error { return tx.DeleteTeam(h.ctx, "o1", "mid") })
	ts, err := h.s.ListTeams(h.ctx, "o1")
	h.ok(err, "ListTeams")
	eq(h, "teams after deleting mid", ts, []*model.Team{
		team("o1", "c1", "Child 1", "root"), team("o1", "c2", "Child 2", "root"),
		team("o1", "other", "Other", "root"), team("o1", "root", "Root", ""),
	})
	ms, err := h.s.ListMemberships(h.ctx, "o1", "", "")
	h.ok(err, "ListMemberships")
	eq(h, "memberships after deleting mid", ms, []*model.TeamMembership{{OrgID: "o1", TeamID: "c1", MemberID: "m1"}})
	is, err := h.s.GetInteractions(h.ctx, "o1", []string{"i1", "i2"})
	h.ok(err, "GetInteractions")
	eq(h, "interaction teams", ids(is, func(i *model.Interaction) string { return i.TeamID }), []string{"", "c1"})

	// A top-level team's children become top-level.
	h.inTx(func(tx store.Tx) error { return tx.DeleteTeam(h.ctx, "o1", "root") })
	ts, err = h.s.ListTeams(h.ctx, "o1")
	h.ok(err, "ListTeams")
	eq(h, "teams after deleting root", ts, []*model.Team{
		team("o1", "c1", "Child 1", ""), team("o1", "c2", "Child 2", ""), team("o1", "other", "Other", ""),
	})
	// The name is free again.
	h.ok(h.try(team("o1", "root2", "ROOT", "c1")), "CreateTeam(name of a deleted team)")

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.DeleteTeam(h.ctx, "o1", "root") })
	h.is(err, store.ErrNotFound, "DeleteTeam(gone)")
	h.is(h.try(team("o1", "t9", "Nine", "ghost")), store.ErrNotFound, "CreateTeam(unknown parent)")
	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.UpdateTeam(h.ctx, team("o1", "c2", "Child 2", "ghost")) })
	h.is(err, store.ErrNotFound, "UpdateTeam(unknown parent)")
	h.inTx(func(tx store.Tx) error { return tx.UpdateTeam(h.ctx, team("o1", "c2", "Second", "c1")) })
	got, err := h.s.GetTeam(h.ctx, "o1", "c2")
	h.ok(err, "GetTeam")
	eq(h, "updated team", got, team("o1", "c2", "Second", "c1"))
})

var _ = register("InteractionsAndEvaluations", func(h *h) {
	h.seed(org("o1"), team("o1", "t1", "One", ""))
	i := &model.Interaction{ID: "i1", OrgID: "o1", Title: "Call", OwnerID: "m1", TeamID: "t1",
		AssigneeIDs: []string{"m3", "m1", "m2"}, CreatedAt: at(1)}
	h.seed(i, interaction("o1", "i2", 2),
		evaluation("o1", "e1", "i1", 3), evaluation("o1", "e2", "i2", 4), evaluation("o1", "e3", "i1", 5))

	got, err := h.s.GetInteraction(h.ctx, "o1", "i1")
	h.ok(err, "GetInteraction")
	eq(h, "interaction (assignees sorted)", got, &model.Interaction{ID: "i1", OrgID: "o1", Title: "Call",
		OwnerID: "m1", TeamID: "t1", AssigneeIDs: []string{"m1", "m2", "m3"}, CreatedAt: at(1)})
	e, err := h.s.GetEvaluation(h.ctx, "o1", "e2")
	h.ok(err, "GetEvaluation")
	eq(h, "evaluation", e, evaluation("o1", "e2", "i2", 4))

	h.inTx(func(tx store.Tx) error { return tx.DeleteInteraction(h.ctx, "o1", "i1") })
	_, err = h.s.GetInteraction(h.ctx, "o1", "i1")
	h.is(err, store.ErrNotFound, "GetInteraction after delete")
	for _, id := range []string{"e1", "e3"} {
		_, err = h.s.GetEvaluation(h.ctx, "o1", id)
		h.is(err, store.ErrNotFound, "GetEvaluation of a deleted interaction's "+id)
	}
	es, err := h.s.ListEvaluations(h.ctx, "o1", store.Page{})
	h.ok(err, "ListEvaluations")
	eq(h, "evaluations left", evaluationIDs(es), []string{"e2"})

	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.DeleteInteraction(h.ctx, "o1", "i1") })
	h.is(err, store.ErrNotFound, "DeleteInteraction(gone)")
	h.is(h.try(evaluation("o1", "e9", "i1", 0)), store.ErrNotFound, "CreateEvaluation(unknown interaction)")
	bad := interaction("o1", "i9", 0)
	bad.TeamID = "ghost"
	h.is(h.try(bad), store.ErrNotFound, "CreateInteraction(unknown team)")
	h.is(h.try(interaction("o1", "i2", 0)), store.ErrConflict, "CreateInteraction(taken id)")
	h.is(h.try(evaluation("o1", "e2", "i2", 0)), store.ErrConflict, "CreateEvaluation(taken id)")
})

var _ = register("NotFoundAcrossOrganizations", func(h *h) {
	m := member("oa", "m1", 0)
	m.RoleIDs = []string{"r1"}
	h.seed(org("oa"), org("ob"), role("oa", "r1", "admin", "Admin"), m, team("oa", "t1", "One", ""),
		interaction("oa", "i1", 0))
	h.seed(evaluation("oa", "e1", "i1", 0), &model.TeamMembership{OrgID: "oa", TeamID: "t1", MemberID: "m1"},
		&model.AuditEvent{ID: "a1", OrgID: "oa", At: t0, Action: "x"})

	// Each read must not find oa's entity under ob, exactly as it does not
	// find an id that never existed.
	reads := []struct {
		name string
		fn   func(orgID, id string) error
	}{
		{"GetMember", func(o, id string) error { _, err := h.s.GetMember(h.ctx, o, id); return err }},
		{"GetMemberByEmail", func(o, id string) error {
			_, err := h.s.GetMemberByEmail(h.ctx, o, id+"@example.com")
			return err
		}},
		{"GetTeam", func(o, id string) error { _, err := h.s.GetTeam(h.ctx, o, id); return err }},
		{"GetRole", func(o, id string) error { _, err := h.s.GetRole(h.ctx, o, id); return err }},
		{"GetRoleByKey", func(o, _ string) error { _, err := h.s.GetRoleByKey(h.ctx, o, "admin"); return err }},
		{"GetInteraction", func(o, id string) error { _, err := h.s.GetInteraction(h.ctx, o, id); return err }},
		{"GetEvaluation", func(o, id string) error { _, err := h.s.GetEvaluation(h.ctx, o, id); return err }},
	}
	idOf := map[string]string{"GetMember": "m1", "GetMemberByEmail": "m1", "GetTeam": "t1", "GetRole": "r1",
		"GetRoleByKey": "", "GetInteraction": "i1", "GetEvaluation": "e1"}
	for _, r := range reads {
		h.ok(r.fn("oa", idOf[r.name]), r.name+" in its own organization")
		h.is(r.fn("ob", idOf[r.name]), store.ErrNotFound, r.name+" under another organization")
		if r.name != "GetRoleByKey" {
			h.is(r.fn("oa", "never"), store.ErrNotFound, r.name+"(never existed)")
		}
	}

	writes := []struct {
		name string
		fn   func(tx store.Tx) error
	}{
		{"UpdateMember", func(tx store.Tx) error {
			return tx.UpdateMember(h.ctx, &model.Member{ID: "m1", OrgID: "ob", Email: "z@example.com"})
		}},
		{"DeleteMember", func(tx store.Tx) error { return tx.DeleteMember(h.ctx, "ob", "m1") }},
		{"UpdateTeam", func(tx store.Tx) error { return tx.UpdateTeam(h.ctx, team("ob", "t1", "Z", "")) }},
		{"DeleteTeam", func(tx store.Tx) error { return tx.DeleteTeam(h.ctx, "ob", "t1") }},
		{"PutMembership", func(tx store.Tx) error {
			return tx.PutMembership(h.ctx, &model.TeamMembership{OrgID: "ob", TeamID: "t1", MemberID: "m1"})
		}},
		{"DeleteMembership", func(tx store.Tx) error { return tx.DeleteMembership(h.ctx, "ob", "t1", "m1") }},
		{"UpdateRole", func(tx store.Tx) error { return tx.UpdateRole(h.ctx, role("ob", "r1", "", "Z")) }},
		{"DeleteRole", func(tx store.Tx) error { return tx.DeleteRole(h.ctx, "ob", "r1") }},
		{"DeleteInteraction", func(tx store.Tx) error { return tx.DeleteInteraction(h.ctx, "ob", "i1") }},
		{"CreateEvaluation", func(tx store.Tx) error { return tx.CreateEvaluation(h.ctx, evaluation("ob", "e2", "i1", 0)) }},
		{"CreateMember with a role", func(tx store.Tx) error {
			return tx.CreateMember(h.ctx, &model.Member{ID: "m9", OrgID: "ob", Email: "n@example.com", RoleIDs: []string{"r1"}})
		}},
	}
	for _, w := range writes {
		h.is(h.s.InTx(h.ctx, w.fn), store.ErrNotFound, w.name+" under another organization")
	}

	for _, c := range []struct {
		name string
		n    func() (int, error)
	}{
		{"GetMembers", func() (int, error) { x, err := h.s.GetMembers(h.ctx, "ob", []string{"m1"}); return len(x), err }},
		{"GetInteractions", func() (int, error) {
			x, err := h.s.GetInteractions(h.ctx, "ob", []string{"i1"})
			return len(x), err
		}},
		{"GetEvaluations", func() (int, error) {
			x, err := h.s.GetEvaluations(h.ctx, "ob", []string{"e1"})
			return len(x), err
		}},
		{"ListMembers", func() (int, error) { x, err := h.s.ListMembers(h.ctx, "ob", store.MemberFilter{}); return len(x), err }},
		{"ListTeams", func() (int, error) { x, err := h.s.ListTeams(h.ctx, "ob"); return len(x), err }},
		{"ListRoles", func() (int, error) { x, err := h.s.ListRoles(h.ctx, "ob"); return len(x), err }},
		{"ListMemberships", func() (int, error) { x, err := h.s.ListMemberships(h.ctx, "ob", "t1", ""); return len(x), err }},
		{"ListInteractions", func() (int, error) { x, err := h.s.ListInteractions(h.ctx, "ob", store.Page{}); return len(x), err }},
		{"ListEvaluations", func() (int, error) { x, err := h.s.ListEvaluations(h.ctx, "ob", store.Page{}); return len(x), err }},
		{"ListAudit", func() (int, error) { x, err := h.s.ListAudit(h.ctx, "ob", store.Page{}); return len(x), err }},
		{"CountAudit", func() (int, error) { return h.s.CountAudit(h.ctx, "ob") }},
		{"CountMembers", func() (int, error) { return h.s.CountMembers(h.ctx, "ob", "") }},
		{"CountRoleHolders", func() (int, error) { return h.s.CountRoleHolders(h.ctx, "ob", "r1") }},
	} {
		n, err := c.n()
		h.ok(err, c.name+" under another organization")
		eq(h, c.name+" under another organization", n, 0)
	}

	// oa's entities survived every attempt above.
	got, err := h.s.GetMember(h.ctx, "oa", "m1")
	h.ok(err, "GetMember oa")
	eq(h, "oa's member", got, m)
	ms, err := h.s.ListMemberships(h.ctx, "oa", "", "")
	h.ok(err, "ListMemberships oa")
	eq(h, "oa's memberships", len(ms), 1)
	// Ids are per organization: reusing one in another organization must
	// work, or a conflict would reveal that the id exists elsewhere.
	h.ok(h.try(member("ob", "m1", 0)), "CreateMember(id used by another organization)")
	h.ok(h.try(team("ob", "t1", "One", "")), "CreateTeam(id used by another organization)")
})

var _ = register("ReturnedValuesAreCopies", func(h *h) {
	o := org("o1")
	m := member("o1", "m1", 0)
	m.RoleIDs = []string{"r1"}
	m.Seats = []model.SeatKind{model.SeatRecorder}
	r := role("o1", "r1", "", "One")
	r.Grants = []model.Grant{{Permission: "p", Scope: model.ScopeAll}}
	i := interaction("o1", "i1", 0)
	i.AssigneeIDs = []string{"m1"}
	used := at(1)
	inv := &model.Invitation{TokenHash: "h", OrgID: "o1", ExpiresAt: at(9), UsedAt: &used}
	h.seed(o, r, m, i, inv)

	// Changing what was passed in changes nothing stored.
	o.Products[0] = model.ProductAI
	m.RoleIDs[0], m.Seats[0] = "zz", model.SeatVoice
	r.Grants[0].Permission = "zz"
	i.AssigneeIDs[0] = "zz"
	*inv.UsedAt = at(99)

	check := func(when string) {
		h.Helper()
		go1, err := h.s.GetOrganization(h.ctx, "o1")
		h.ok(err, "GetOrganization")
		eq(h, when+": products", go1.Products, []model.Product{model.ProductConversations, model.ProductQuality})
		gm, err := h.s.GetMember(h.ctx, "o1", "m1")
		h.ok(err, "GetMember")
		eq(h, when+": member", [2]any{gm.RoleIDs, gm.Seats}, [2]any{[]string{"r1"}, []model.SeatKind{model.SeatRecorder}})
		gr, err := h.s.GetRole(h.ctx, "o1", "r1")
		h.ok(err, "GetRole")
		eq(h, when+": grants", gr.Grants, []model.Grant{{Permission: "p", Scope: model.ScopeAll}})
		gi, err := h.s.GetInteraction(h.ctx, "o1", "i1")
		h.ok(err, "GetInteraction")
		eq(h, when+": assignees", gi.AssigneeIDs, []string{"m1"})
		ginv, err := h.s.GetInvitation(h.ctx, "h")
		h.ok(err, "GetInvitation")
		eq(h, when+": used at", *ginv.UsedAt, at(1))
	}
	check("after changing the inputs")

	// Changing what was returned changes nothing stored.
	go1, _ := h.s.GetOrganization(h.ctx, "o1")
	go1.Products[0] = model.ProductAI
	ms, _ := h.s.GetMembers(h.ctx, "o1", []string{"m1"})
	ms[0].RoleIDs[0], ms[0].Seats[0] = "zz", model.SeatVoice
	ls, _ := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{})
	ls[0].RoleIDs[0] = "zz"
	rs, _ := h.s.ListRoles(h.ctx, "o1")
	rs[0].Grants[0].Permission = "zz"
	is, _ := h.s.ListInteractions(h.ctx, "o1", store.Page{})
	is[0].AssigneeIDs[0] = "zz"
	ginv, _ := h.s.GetInvitation(h.ctx, "h")
	*ginv.UsedAt = at(99)
	check("after changing the results")
})

// Pinned: the store keeps times at microsecond precision in UTC, so both
// backends answer the same instants.
var _ = register("TimesAreMicrosecondsUTC", func(h *h) {
	loc := time.FixedZone("X", 5*3600)
	m := member("o1", "m1", 0)
	m.CreatedAt = time.Date(2024, 3, 1, 17, 0, 0, 123456789, loc)
	h.seed(org("o1"), m)
	got, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	eq(h, "created at", got.CreatedAt, time.Date(2024, 3, 1, 12, 0, 0, 123456000, time.UTC))
	if !strings.HasPrefix(got.CreatedAt.String(), "2024-03-01 12:00:00.123456 +0000 UTC") {
		h.Errorf("created at %s, want UTC", got.CreatedAt)
	}
})

var _ = register("GetOrganizationMember", func(h *h) {
	h.seed(org("o1"), org("o2"), role("o1", "r1", "", "R"))
	m := member("o1", "m1", 1)
	m.RoleIDs, m.Seats, m.Status = []string{"r1"}, []model.SeatKind{model.SeatRecorder}, model.StatusDeactivated
	h.seed(m)

	o, got, err := h.s.GetOrganizationMember(h.ctx, "o1", "m1")
	h.ok(err, "GetOrganizationMember")
	wantOrg, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	wantMember, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	// The same values the two single reads give, status included: the
	// caller decides who may act, not the store.
	eq(h, "organization", o, wantOrg)
	eq(h, "member", got, wantMember)

	for _, c := range []struct{ org, member, what string }{
		{"o2", "m1", "member of another organization"},
		{"nope", "m1", "unknown organization"},
		{"o1", "ghost", "unknown member"},
	} {
		_, _, err := h.s.GetOrganizationMember(h.ctx, c.org, c.member)
		h.is(err, store.ErrNotFound, "GetOrganizationMember("+c.what+")")
	}
})

var _ = register("Exists", func(h *h) {
	h.seed(org("o1"), org("o2"), member("o1", "m1", 0), team("o1", "t1", "One", ""), interaction("o1", "i1", 0),
		member("o2", "x", 0), interaction("o2", "x", 0))
	h.seed(evaluation("o1", "e1", "i1", 0), evaluation("o2", "x", "x", 0))
	kinds := []struct {
		kind store.Entity
		id   string
	}{{store.EntityMember, "m1"}, {store.EntityTeam, "t1"}, {store.EntityInteraction, "i1"}, {store.EntityEvaluation, "e1"}}
	for _, k := range kinds {
		for _, c := range []struct {
			org, id string
			want    bool
		}{{"o1", k.id, true}, {"o2", k.id, false}, {"o1", "ghost", false}, {"nope", k.id, false}} {
			got, err := h.s.Exists(h.ctx, c.org, k.kind, c.id)
			h.ok(err, fmt.Sprintf("Exists(%s, %s, %s)", c.org, k.kind, c.id))
			if got != c.want {
				h.Errorf("Exists(%s, %s, %s) = %v, want %v", c.org, k.kind, c.id, got, c.want)
			}
		}
	}
	// Another organization's entity with the same id is not this one's.
	for _, k := range []store.Entity{store.EntityMember, store.EntityInteraction, store.EntityEvaluation} {
		if got, _ := h.s.Exists(h.ctx, "o1", k, "x"); got {
			h.Errorf("Exists(o1, %s, x) is true: x is o2's", k)
		}
	}
	h.inTx(func(tx store.Tx) error { return tx.DeleteInteraction(h.ctx, "o1", "i1") })
	for _, k := range []store.Entity{store.EntityInteraction, store.EntityEvaluation} {
		id := map[store.Entity]string{store.EntityInteraction: "i1", store.EntityEvaluation: "e1"}[k]
		if got, err := h.s.Exists(h.ctx, "o1", k, id); err != nil || got {
			h.Errorf("Exists(o1, %s, %s) after the interaction's deletion = %v, %v", k, id, got, err)
		}
	}
})
