package storetest

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Teams and memberships: name order, membership listings, and what
// deleting a member or a team does to the rest.

func testTeamsAndRolesListByName(h *h) {
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
}

func testMemberships(h *h) {
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
}

func testDeleteMemberRemovesMemberships(h *h) {
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
}

func testDeleteTeamReparentsAndUnlinks(h *h) {
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
}
