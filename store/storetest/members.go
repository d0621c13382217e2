package storetest

import (
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Members: fields and their canonical shape, uniqueness of emails (and of
// team and role names), holder counts, invitations.

func testMembers(h *h) {
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
}

func testConflictsAreCaseInsensitive(h *h) {
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
}

func testSeatAndRoleHolderCounts(h *h) {
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
}

func testInvitations(h *h) {
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
}
