package storetest

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Roles and seat pools.

func testRoles(h *h) {
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
}

// Pinned: store.go does not say what DeleteRole does to holders; both
// backends take the role away so that no member holds a missing role.
func testDeleteRoleTakesItFromHolders(h *h) {
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
}

func testSeatPools(h *h) {
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
}
