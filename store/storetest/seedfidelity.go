package storetest

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Seed fidelity (issue 9): member preferences, finding members by name,
// email and team, editing interactions and evaluations.

func testMemberPreferences(h *h) {
	h.seed(org("o1"), member("o1", "m1", 1))
	got, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	eq(h, "preferences before any are set", got.Preferences, (*model.MemberPreferences)(nil))

	p := &model.MemberPreferences{Locale: "pt-BR", Timezone: "America/Sao_Paulo", EmailNotifications: false}
	got.Preferences = p
	h.inTx(func(tx store.Tx) error { return tx.UpdateMember(h.ctx, got) })
	p.Locale = "changed by the caller afterwards"
	got, err = h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember after setting preferences")
	eq(h, "preferences", got.Preferences, &model.MemberPreferences{Locale: "pt-BR", Timezone: "America/Sao_Paulo"})
	ms, err := h.s.GetMembers(h.ctx, "o1", []string{"m1"})
	h.ok(err, "GetMembers")
	eq(h, "preferences through GetMembers", ms[0].Preferences, got.Preferences)

	// Changing the email keeps the preferences; another member's email conflicts.
	h.seed(member("o1", "m2", 2))
	got.Email = "NEW@example.com"
	h.inTx(func(tx store.Tx) error { return tx.UpdateMember(h.ctx, got) })
	got, err = h.s.GetMemberByEmail(h.ctx, "o1", "new@example.com")
	h.ok(err, "GetMemberByEmail(new email)")
	eq(h, "preferences kept", got.Preferences, &model.MemberPreferences{Locale: "pt-BR", Timezone: "America/Sao_Paulo"})
	got.Email = "M2@example.com"
	err = h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.UpdateMember(h.ctx, got) })
	h.is(err, store.ErrConflict, "UpdateMember(another member's email)")
}

func testSearchMembers(h *h) {
	h.seed(org("o1"), org("o2"), team("o1", "t1", "One", ""), team("o1", "t2", "Two", ""))
	mk := func(id, name, email string, sec int, status model.MemberStatus) *model.Member {
		return &model.Member{ID: id, OrgID: "o1", Name: name, Email: email, Status: status, CreatedAt: at(sec)}
	}
	h.seed(mk("m1", "Ann Lee", "ann@acme.example", 1, model.StatusActive),
		mk("m2", "Bob Stone", "bob@LEEDS.example", 2, model.StatusActive),
		mk("m3", "Carla Ölee", "carla@acme.example", 3, model.StatusInvited),
		mk("m4", "100% Dan_", "dan@acme.example", 4, model.StatusActive),
		mk("m5", "Eve", "eve@acme.example", 5, model.StatusActive),
		&model.Member{ID: "x1", OrgID: "o2", Name: "Lee Other", Email: "lee@o2.example", Status: model.StatusActive, CreatedAt: at(1)},
		&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m2"},
		&model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m3", Manager: true},
		&model.TeamMembership{OrgID: "o1", TeamID: "t2", MemberID: "m5"})

	for _, c := range []struct {
		name string
		f    store.MemberFilter
		want []string
	}{
		{"name or email, any case", store.MemberFilter{Search: "LEE"}, []string{"m1", "m2", "m3"}},
		{"email only", store.MemberFilter{Search: "acme.EX"}, []string{"m1", "m3", "m4", "m5"}},
		{"wildcards match themselves", store.MemberFilter{Search: "0% d"}, []string{"m4"}},
		{"underscore is no wildcard", store.MemberFilter{Search: "n_"}, []string{"m4"}},
		{"percent alone", store.MemberFilter{Search: "%"}, []string{"m4"}},
		{"no match", store.MemberFilter{Search: "zed"}, []string{}},
		{"team (members and managers)", store.MemberFilter{TeamID: "t1"}, []string{"m2", "m3"}},
		{"team and search", store.MemberFilter{TeamID: "t1", Search: "stone"}, []string{"m2"}},
		{"team, search and status", store.MemberFilter{TeamID: "t1", Search: "lee", Status: model.StatusInvited}, []string{"m3"}},
		{"unknown team", store.MemberFilter{TeamID: "ghost"}, []string{}},
		{"another organization's team", store.MemberFilter{TeamID: "t1", Search: "other"}, []string{}},
	} {
		ms, err := h.s.ListMembers(h.ctx, "o1", c.f)
		h.ok(err, "ListMembers "+c.name)
		eq(h, "ListMembers "+c.name, memberIDs(ms), c.want)
		n, err := h.s.CountMatchingMembers(h.ctx, "o1", c.f)
		h.ok(err, "CountMatchingMembers "+c.name)
		eq(h, "CountMatchingMembers "+c.name, n, len(c.want))
	}
	// Paged like every listing, newest first too.
	got := pageAll(h, 1, func(p store.Page) ([]string, error) {
		ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Search: "lee", Page: p})
		return memberIDs(ms), err
	})
	eq(h, "paged search", got, []string{"m1", "m2", "m3"})
	got = pageAllFrom(h, store.Page{Limit: 2, NewestFirst: true}, func(p store.Page) ([]string, error) {
		ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Search: "acme", Page: p})
		return memberIDs(ms), err
	})
	eq(h, "paged search, newest first", got, []string{"m5", "m4", "m3", "m1"})
	ms, err := h.s.ListMembers(h.ctx, "o2", store.MemberFilter{Search: "lee"})
	h.ok(err, "ListMembers o2")
	eq(h, "other organization's search", memberIDs(ms), []string{"x1"})
}

func testUpdateInteraction(h *h) {
	h.seed(org("o1"), org("o2"), team("o1", "t1", "One", ""), team("o1", "t2", "Two", ""), team("o2", "t9", "Nine", ""))
	h.seed(&model.Interaction{ID: "i1", OrgID: "o1", Title: "Call", OwnerID: "m1", TeamID: "t1",
		AssigneeIDs: []string{"m2"}, CreatedAt: at(1)}, interaction("o1", "i2", 2))

	h.inTx(func(tx store.Tx) error {
		return tx.UpdateInteraction(h.ctx, &model.Interaction{ID: "i1", OrgID: "o1", Title: "Renamed", OwnerID: "ignored",
			TeamID: "t2", AssigneeIDs: []string{"m4", "m3"}, CreatedAt: at(900)})
	})
	got, err := h.s.GetInteraction(h.ctx, "o1", "i1")
	h.ok(err, "GetInteraction")
	eq(h, "updated interaction (owner and CreatedAt kept, assignees sorted)", got, &model.Interaction{ID: "i1", OrgID: "o1",
		Title: "Renamed", OwnerID: "m1", TeamID: "t2", AssigneeIDs: []string{"m3", "m4"}, CreatedAt: at(1)})

	h.inTx(func(tx store.Tx) error {
		return tx.UpdateInteraction(h.ctx, &model.Interaction{ID: "i1", OrgID: "o1", Title: "No team"})
	})
	got, err = h.s.GetInteraction(h.ctx, "o1", "i1")
	h.ok(err, "GetInteraction after clearing")
	eq(h, "team and assignees cleared", got, &model.Interaction{ID: "i1", OrgID: "o1", Title: "No team", OwnerID: "m1", CreatedAt: at(1)})
	is, err := h.s.ListInteractions(h.ctx, "o1", store.Page{})
	h.ok(err, "ListInteractions")
	eq(h, "listing order unchanged", interactionIDs(is), []string{"i1", "i2"})

	for _, c := range []struct {
		name string
		i    *model.Interaction
	}{
		{"unknown interaction", &model.Interaction{ID: "ghost", OrgID: "o1", Title: "x"}},
		{"unknown team", &model.Interaction{ID: "i1", OrgID: "o1", Title: "x", TeamID: "ghost"}},
		{"another organization's team", &model.Interaction{ID: "i1", OrgID: "o1", Title: "x", TeamID: "t9"}},
		{"another organization's interaction", &model.Interaction{ID: "i1", OrgID: "o2", Title: "x"}},
	} {
		err := h.s.InTx(h.ctx, func(tx store.Tx) error { return tx.UpdateInteraction(h.ctx, c.i) })
		h.is(err, store.ErrNotFound, "UpdateInteraction("+c.name+")")
	}
	got, err = h.s.GetInteraction(h.ctx, "o1", "i1")
	h.ok(err, "GetInteraction after refusals")
	eq(h, "nothing applied by the refusals", got.Title, "No team")
}

func testUpdateAndDeleteEvaluation(h *h) {
	h.seed(org("o1"), org("o2"), interaction("o1", "i1", 1), evaluation("o1", "e1", "i1", 2), evaluation("o1", "e2", "i1", 3))
	h.inTx(func(tx store.Tx) error {
		return tx.UpdateEvaluation(h.ctx, &model.Evaluation{ID: "e1", OrgID: "o1", Score: 5, InteractionID: "ignored", CreatedAt: at(99)})
	})
	got, err := h.s.GetEvaluation(h.ctx, "o1", "e1")
	h.ok(err, "GetEvaluation")
	want := evaluation("o1", "e1", "i1", 2)
	want.Score = 5
	eq(h, "updated evaluation (only the score)", got, want)

	h.inTx(func(tx store.Tx) error { return tx.DeleteEvaluation(h.ctx, "o1", "e1") })
	_, err = h.s.GetEvaluation(h.ctx, "o1", "e1")
	h.is(err, store.ErrNotFound, "GetEvaluation after delete")
	es, err := h.s.ListEvaluations(h.ctx, "o1", store.Page{})
	h.ok(err, "ListEvaluations")
	eq(h, "evaluations left", evaluationIDs(es), []string{"e2"})
	_, err = h.s.GetInteraction(h.ctx, "o1", "i1")
	h.ok(err, "the interaction stays")

	for _, c := range []struct {
		name string
		fn   func(tx store.Tx) error
	}{
		{"UpdateEvaluation(deleted)", func(tx store.Tx) error {
			return tx.UpdateEvaluation(h.ctx, &model.Evaluation{ID: "e1", OrgID: "o1", Score: 1})
		}},
		{"UpdateEvaluation(another organization)", func(tx store.Tx) error {
			return tx.UpdateEvaluation(h.ctx, &model.Evaluation{ID: "e2", OrgID: "o2", Score: 1})
		}},
		{"DeleteEvaluation(deleted)", func(tx store.Tx) error { return tx.DeleteEvaluation(h.ctx, "o1", "e1") }},
		{"DeleteEvaluation(another organization)", func(tx store.Tx) error { return tx.DeleteEvaluation(h.ctx, "o2", "e2") }},
	} {
		h.is(h.s.InTx(h.ctx, c.fn), store.ErrNotFound, c.name)
	}
	got, err = h.s.GetEvaluation(h.ctx, "o1", "e2")
	h.ok(err, "GetEvaluation(e2) after refusals")
	eq(h, "e2 untouched", got, evaluation("o1", "e2", "i1", 3))
}
