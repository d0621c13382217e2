package storetest

import (
	"slices"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Listings: creation order with its tie-break, paging both ways, bulk
// reads in the asked order, the audit log newest first.

// The ids below tie on creation time on purpose and differ in case and
// punctuation: the tie-break is by id in byte order, whatever the database
// collation would say ("B2" < "a1" < "a-3" would be wrong).
var creationOrder = []struct {
	id  string
	sec int
}{
	{"z0", 0}, {"m3", 1}, {"B2", 2}, {"a-1", 2}, {"a1", 2}, {"k5", 3}, {"c4", 4},
}

func wantCreationOrder() []string {
	out := []string{}
	for _, c := range creationOrder {
		out = append(out, c.id)
	}
	return out
}

// scrambled returns creationOrder's indexes in an order unlike the listing
// order, so that insertion order cannot pass for creation order.
func scrambled() []int { return []int{4, 6, 0, 2, 5, 1, 3} }

func testListMembersOrderAndPaging(h *h) {
	h.seed(org("o1"), org("o2"), member("o2", "aa", -10))
	var objs []any
	for _, i := range scrambled() {
		m := member("o1", creationOrder[i].id, creationOrder[i].sec)
		switch m.ID {
		case "B2", "c4":
			m.Status = model.StatusInvited
		case "k5":
			m.Status = model.StatusDeactivated
		}
		objs = append(objs, m)
	}
	h.seed(objs...)
	want := wantCreationOrder()

	all, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{})
	h.ok(err, "ListMembers")
	eq(h, "members by creation then id", memberIDs(all), want)
	for _, size := range []int{1, 2, 3, 7, 10} {
		got := pageAll(h, size, func(p store.Page) ([]string, error) {
			ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Page: p})
			return memberIDs(ms), err
		})
		eq(h, "members paged", got, want)
	}
	invited := pageAll(h, 1, func(p store.Page) ([]string, error) {
		ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Status: model.StatusInvited, Page: p})
		return memberIDs(ms), err
	})
	eq(h, "invited members paged", invited, []string{"B2", "c4"})
	// A cursor that the filter would skip still places the page.
	act, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Status: model.StatusActive, Page: store.Page{After: "B2"}})
	h.ok(err, "ListMembers(active, after an invited member)")
	eq(h, "active members after B2", memberIDs(act), []string{"a-1", "a1"})

	last, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Page: store.Page{After: "c4"}})
	h.ok(err, "ListMembers(after the last)")
	eq(h, "members after the last", len(last), 0)
	// Pinned: an unknown cursor is an error, not a silent first or empty page.
	_, err = h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Page: store.Page{After: "ghost"}})
	h.is(err, store.ErrNotFound, "ListMembers(unknown cursor)")
	_, err = h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Page: store.Page{After: "aa"}})
	h.is(err, store.ErrNotFound, "ListMembers(cursor of another organization)")
}

func testListInteractionsAndEvaluationsOrderAndPaging(h *h) {
	h.seed(org("o1"), org("o2"), interaction("o1", "host", -100), interaction("o2", "zz", -5))
	h.seed(evaluation("o2", "zz", "zz", -5))
	var objs []any
	for _, i := range scrambled() {
		c := creationOrder[i]
		objs = append(objs, interaction("o1", c.id, c.sec), evaluation("o1", c.id, "host", c.sec))
	}
	h.seed(objs...)
	want := wantCreationOrder()
	wantInteractions := append([]string{"host"}, want...)

	for _, size := range []int{0, 1, 2, 3, 8, 10} {
		var gotI, gotE []string
		if size == 0 {
			is, err := h.s.ListInteractions(h.ctx, "o1", store.Page{})
			h.ok(err, "ListInteractions")
			es, err := h.s.ListEvaluations(h.ctx, "o1", store.Page{})
			h.ok(err, "ListEvaluations")
			gotI, gotE = interactionIDs(is), evaluationIDs(es)
		} else {
			gotI = pageAll(h, size, func(p store.Page) ([]string, error) {
				is, err := h.s.ListInteractions(h.ctx, "o1", p)
				return interactionIDs(is), err
			})
			gotE = pageAll(h, size, func(p store.Page) ([]string, error) {
				es, err := h.s.ListEvaluations(h.ctx, "o1", p)
				return evaluationIDs(es), err
			})
		}
		eq(h, "interactions by creation then id", gotI, wantInteractions)
		eq(h, "evaluations by creation then id", gotE, want)
	}
	_, err := h.s.ListInteractions(h.ctx, "o1", store.Page{After: "ghost"})
	h.is(err, store.ErrNotFound, "ListInteractions(unknown cursor)")
	_, err = h.s.ListEvaluations(h.ctx, "o1", store.Page{After: "zz"})
	h.is(err, store.ErrNotFound, "ListEvaluations(cursor of another organization)")
}

func testBulkGetsKeepTheAskedOrder(h *h) {
	h.seed(org("o1"), org("o2"),
		member("o1", "m1", 0), member("o1", "m2", 1), member("o1", "m3", 2), member("o2", "x", 0),
		interaction("o1", "i1", 0), interaction("o1", "i2", 1), interaction("o1", "i3", 2), interaction("o2", "x", 0))
	h.seed(evaluation("o1", "e1", "i1", 0), evaluation("o1", "e2", "i1", 1), evaluation("o1", "e3", "i2", 2),
		evaluation("o2", "x", "x", 0))
	ask := func(p string) []string { return []string{p + "3", "ghost", p + "1", "x", p + "2"} }

	ms, err := h.s.GetMembers(h.ctx, "o1", ask("m"))
	h.ok(err, "GetMembers")
	eq(h, "GetMembers", memberIDs(ms), []string{"m3", "m1", "m2"})
	eq(h, "GetMembers values", ms[1], member("o1", "m1", 0))
	is, err := h.s.GetInteractions(h.ctx, "o1", ask("i"))
	h.ok(err, "GetInteractions")
	eq(h, "GetInteractions", interactionIDs(is), []string{"i3", "i1", "i2"})
	eq(h, "GetInteractions values", is[2], interaction("o1", "i2", 1))
	es, err := h.s.GetEvaluations(h.ctx, "o1", ask("e"))
	h.ok(err, "GetEvaluations")
	eq(h, "GetEvaluations", evaluationIDs(es), []string{"e3", "e1", "e2"})

	ms, err = h.s.GetMembers(h.ctx, "o1", nil)
	h.ok(err, "GetMembers(none)")
	eq(h, "GetMembers(none)", len(ms), 0)
}

func testAuditNewestFirst(h *h) {
	h.seed(org("o1"), org("o2"))
	// Explicit ids and instants first: ordered by At, ties by id.
	h.seed(&model.AuditEvent{ID: "old-b", OrgID: "o1", At: at(-10), ActorID: "m1", Action: "member.create",
		TargetID: "m2", After: `{"name":"B"}`},
		&model.AuditEvent{ID: "old-a", OrgID: "o1", At: at(-10), Action: "x"},
		&model.AuditEvent{ID: "older", OrgID: "o1", At: at(-20), Action: "x"},
		&model.AuditEvent{ID: "other", OrgID: "o2", At: at(-5), Action: "x"})

	// Then events the store names and dates, appended in quick succession
	// (most land in the same microsecond): they must come back newest first.
	before := time.Now().Add(-time.Second)
	var fresh []*model.AuditEvent
	h.inTx(func(tx store.Tx) error {
		for range 5 {
			e := &model.AuditEvent{OrgID: "o1", Action: "role.update", Before: `{"a":1}`, After: ""}
			if err := tx.AppendAudit(h.ctx, e); err != nil {
				return err
			}
			fresh = append(fresh, e)
		}
		return nil
	})
	for i, e := range fresh {
		if e.ID == "" || e.At.IsZero() {
			h.Fatalf("AppendAudit left ID %q, At %v", e.ID, e.At)
		}
		if e.At.Before(before) || e.At.After(time.Now().Add(time.Second)) {
			h.Errorf("AppendAudit set At to %v, not about now", e.At)
		}
		if i > 0 && !(fresh[i-1].ID < e.ID) {
			h.Errorf("audit ids do not increase: %q then %q", fresh[i-1].ID, e.ID)
		}
	}
	want := []string{fresh[4].ID, fresh[3].ID, fresh[2].ID, fresh[1].ID, fresh[0].ID, "old-b", "old-a", "older"}

	all, err := h.s.ListAudit(h.ctx, "o1", store.Page{})
	h.ok(err, "ListAudit")
	eq(h, "audit newest first", auditIDs(all), want)
	for _, size := range []int{1, 2, 3, 8} {
		got := pageAll(h, size, func(p store.Page) ([]string, error) {
			es, err := h.s.ListAudit(h.ctx, "o1", p)
			return auditIDs(es), err
		})
		eq(h, "audit paged", got, want)
	}
	eq(h, "audit event", all[5], &model.AuditEvent{ID: "old-b", OrgID: "o1", At: at(-10), ActorID: "m1",
		Action: "member.create", TargetID: "m2", After: `{"name":"B"}`})
	eq(h, "appended event", all[0].Before, `{"a":1}`)
	if !all[0].At.Equal(fresh[4].At) {
		h.Errorf("stored At %v, AppendAudit reported %v", all[0].At, fresh[4].At)
	}
	n, err := h.s.CountAudit(h.ctx, "o1")
	h.ok(err, "CountAudit")
	eq(h, "audit count", n, 8)
	_, err = h.s.ListAudit(h.ctx, "o1", store.Page{After: "other"})
	h.is(err, store.ErrNotFound, "ListAudit(cursor of another organization)")
	h.is(h.try(&model.AuditEvent{ID: "older", OrgID: "o1", Action: "x"}), store.ErrConflict, "AppendAudit(taken id)")
	h.is(h.try(&model.AuditEvent{OrgID: "nope", Action: "x"}), store.ErrNotFound, "AppendAudit(unknown organization)")

	// Events appended by separate transactions are newest first too.
	var later []string
	for range 3 {
		e := &model.AuditEvent{OrgID: "o1", Action: "x"}
		h.seed(e)
		later = append(later, e.ID)
	}
	top, err := h.s.ListAudit(h.ctx, "o1", store.Page{Limit: 3})
	h.ok(err, "ListAudit")
	eq(h, "latest events", auditIDs(top), []string{later[2], later[1], later[0]})
}

func testNewestFirstPaging(h *h) {
	h.seed(org("o1"), org("o2"), interaction("o1", "host", -100), interaction("o2", "zz", -5),
		member("o2", "zz", -5))
	h.seed(evaluation("o2", "zz", "zz", -5))
	var objs []any
	for _, i := range scrambled() {
		c := creationOrder[i]
		m := member("o1", c.id, c.sec)
		if c.id == "a1" {
			m.Status = model.StatusInvited
		}
		objs = append(objs, m, interaction("o1", c.id, c.sec), evaluation("o1", c.id, "host", c.sec))
	}
	h.seed(objs...)
	want := wantCreationOrder()
	slices.Reverse(want)
	wantInteractions := append(slices.Clone(want), "host")

	for _, size := range []int{0, 1, 2, 3, 8} {
		list := func(ids func(store.Page) ([]string, error)) []string {
			if size == 0 {
				got, err := ids(store.Page{NewestFirst: true})
				h.ok(err, "newest first, unpaged")
				return got
			}
			return pageAllFrom(h, store.Page{Limit: size, NewestFirst: true}, ids)
		}
		eq(h, "members newest first", list(func(p store.Page) ([]string, error) {
			ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Page: p})
			return memberIDs(ms), err
		}), want)
		eq(h, "interactions newest first", list(func(p store.Page) ([]string, error) {
			is, err := h.s.ListInteractions(h.ctx, "o1", p)
			return interactionIDs(is), err
		}), wantInteractions)
		eq(h, "evaluations newest first", list(func(p store.Page) ([]string, error) {
			es, err := h.s.ListEvaluations(h.ctx, "o1", p)
			return evaluationIDs(es), err
		}), want)
	}
	// After places the page among older items; the filter still applies.
	es, err := h.s.ListEvaluations(h.ctx, "o1", store.Page{After: "a1", NewestFirst: true})
	h.ok(err, "ListEvaluations(newest first, after a1)")
	eq(h, "evaluations older than a1", evaluationIDs(es), []string{"a-1", "B2", "m3", "z0"})
	ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{Status: model.StatusActive, Page: store.Page{After: "a1", NewestFirst: true, Limit: 2}})
	h.ok(err, "ListMembers(active, newest first, after an invited member)")
	eq(h, "active members older than a1", memberIDs(ms), []string{"a-1", "B2"})
	_, err = h.s.ListEvaluations(h.ctx, "o1", store.Page{After: "zz", NewestFirst: true})
	h.is(err, store.ErrNotFound, "ListEvaluations(newest first, cursor of another organization)")
}

// One member's scope as a filter: their teams' rows, the rows they are
// involved in (owner, assignee; agent, evaluator), every row, and a team
// filter on top; a cursor the filter skips still places the page.
func testListWhere(h *h) {
	h.seed(org("o1"), org("o2"), team("o1", "t1", "One", ""), team("o1", "t2", "Two", ""), team("o2", "t1", "One", ""))
	withTeam := func(i *model.Interaction, teamID, owner string, assignees ...string) *model.Interaction {
		i.TeamID, i.OwnerID, i.AssigneeIDs = teamID, owner, assignees
		return i
	}
	h.seed(
		withTeam(interaction("o1", "i1", 1), "t1", "m1"),
		withTeam(interaction("o1", "i2", 2), "t2", "m2", "m1"),
		withTeam(interaction("o1", "i3", 3), "t2", "m2"),
		withTeam(interaction("o1", "i4", 4), "", "m3"),
		withTeam(interaction("o1", "i5", 5), "", "m2", "m3"),
		withTeam(interaction("o2", "i1", 1), "t1", "m1"),
	)
	withPeople := func(e *model.Evaluation, agent, evaluator string) *model.Evaluation {
		e.AgentID, e.EvaluatorID = agent, evaluator
		return e
	}
	h.seed(
		withPeople(evaluation("o1", "e1", "i1", 1), "m2", "m3"),
		withPeople(evaluation("o1", "e2", "i3", 2), "m1", "m3"),
		withPeople(evaluation("o1", "e3", "i4", 3), "m2", "m1"),
		withPeople(evaluation("o1", "e4", "i5", 4), "m3", "m2"),
		withPeople(evaluation("o2", "e1", "i1", 1), "m1", "m1"),
	)
	cases := []struct {
		name                string
		f                   store.ResourceFilter
		interactions, evals []string
	}{
		{"nothing", store.ResourceFilter{}, []string{}, []string{}},
		{"all", store.ResourceFilter{All: true}, []string{"i1", "i2", "i3", "i4", "i5"}, []string{"e1", "e2", "e3", "e4"}},
		{"involved m1", store.ResourceFilter{InvolvedID: "m1"}, []string{"i1", "i2"}, []string{"e2", "e3"}},
		{"involved m3", store.ResourceFilter{InvolvedID: "m3"}, []string{"i4", "i5"}, []string{"e1", "e2", "e4"}},
		{"team t2", store.ResourceFilter{TeamIDs: []string{"t2"}}, []string{"i2", "i3"}, []string{"e2"}},
		{"team t2 or involved m3", store.ResourceFilter{TeamIDs: []string{"t2"}, InvolvedID: "m3"}, []string{"i2", "i3", "i4", "i5"}, []string{"e1", "e2", "e4"}},
		{"teams t1, t2", store.ResourceFilter{TeamIDs: []string{"t1", "t2", "ghost"}}, []string{"i1", "i2", "i3"}, []string{"e1", "e2"}},
		{"all of team t2", store.ResourceFilter{All: true, TeamID: "t2"}, []string{"i2", "i3"}, []string{"e2"}},
		{"involved m1, team t1", store.ResourceFilter{InvolvedID: "m1", TeamID: "t1"}, []string{"i1"}, []string{}},
	}
	for _, c := range cases {
		newest := slices.Clone(c.evals)
		slices.Reverse(newest)
		for _, size := range []int{1, 2, 10} {
			gotI := pageAll(h, size, func(p store.Page) ([]string, error) {
				f := c.f
				f.Page = p
				is, err := h.s.ListInteractionsWhere(h.ctx, "o1", f)
				return interactionIDs(is), err
			})
			eq(h, "interactions where "+c.name, append([]string{}, gotI...), c.interactions)
			gotE := pageAllFrom(h, store.Page{Limit: size, NewestFirst: true}, func(p store.Page) ([]string, error) {
				f := c.f
				f.Page = p
				es, err := h.s.ListEvaluationsWhere(h.ctx, "o1", f)
				return evaluationIDs(es), err
			})
			eq(h, "evaluations where "+c.name+", newest first", append([]string{}, gotE...), newest)
		}
	}
	// A cursor the filter does not keep still places the page.
	is, err := h.s.ListInteractionsWhere(h.ctx, "o1", store.ResourceFilter{InvolvedID: "m3", Page: store.Page{After: "i3"}})
	h.ok(err, "ListInteractionsWhere(after a row it skips)")
	eq(h, "m3's interactions after i3", interactionIDs(is), []string{"i4", "i5"})
	es, err := h.s.ListEvaluationsWhere(h.ctx, "o1", store.ResourceFilter{InvolvedID: "m1", Page: store.Page{After: "e4", NewestFirst: true}})
	h.ok(err, "ListEvaluationsWhere(after a row it skips)")
	eq(h, "m1's evaluations older than e4", evaluationIDs(es), []string{"e3", "e2"})
	_, err = h.s.ListInteractionsWhere(h.ctx, "o1", store.ResourceFilter{All: true, Page: store.Page{After: "ghost"}})
	h.is(err, store.ErrNotFound, "ListInteractionsWhere(unknown cursor)")
}
