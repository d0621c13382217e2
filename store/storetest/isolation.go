package storetest

import (
	"strings"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// What holds for every entity: organizations never see each other's
// entities, values go in and out as copies, times are UTC microseconds.

func testNotFoundAcrossOrganizations(h *h) {
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
}

func testReturnedValuesAreCopies(h *h) {
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
}

// Pinned: the store keeps times at microsecond precision in UTC, so both
// backends answer the same instants.
func testTimesAreMicrosecondsUTC(h *h) {
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
}
