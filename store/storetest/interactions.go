package storetest

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Interactions and their evaluations.

func testInteractionsAndEvaluations(h *h) {
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
}

// CountVisible: per-team totals, and per asked member the resources they
// are involved in by team, each once; members not asked or involved in
// nothing have no entry; another organization's resources count nowhere.
func testCountVisible(h *h) {
	h.seed(org("o1"), org("o2"), team("o1", "t1", "One", ""), team("o1", "t2", "Two", "t1"), team("o2", "t1", "One", ""))
	in := func(id, owner, team string, assignees ...string) *model.Interaction {
		i := interaction("o1", id, 1)
		i.OwnerID, i.TeamID, i.AssigneeIDs = owner, team, assignees
		return i
	}
	ev := func(id, interactionID, agent, evaluator string) *model.Evaluation {
		e := evaluation("o1", id, interactionID, 2)
		e.AgentID, e.EvaluatorID = agent, evaluator
		return e
	}
	other := interaction("o2", "i1", 1)
	other.OwnerID, other.TeamID = "m1", "t1"
	h.seed(in("i1", "m1", "t1", "m1", "m2"), in("i2", "m2", ""), in("i3", "m3", "t2", "m1"), in("i4", "m1", "t1"), other,
		ev("e1", "i1", "m1", "m2"), ev("e2", "i2", "m2", "m2"), ev("e3", "i3", "m3", ""))
	got, err := h.s.CountVisible(h.ctx, "o1", []string{"m1", "m2", "m9"})
	h.ok(err, "CountVisible")
	eq(h, "counts", got, &store.VisibleCounts{
		Interactions: store.ResourceCounts{Total: 4, ByTeam: map[string]int{"t1": 2, "t2": 1},
			Involved: map[string]map[string]int{"m1": {"t1": 2, "t2": 1}, "m2": {"t1": 1, "": 1}}},
		Evaluations: store.ResourceCounts{Total: 3, ByTeam: map[string]int{"t1": 1, "t2": 1},
			Involved: map[string]map[string]int{"m1": {"t1": 1}, "m2": {"t1": 1, "": 1}}},
	})
	got, err = h.s.CountVisible(h.ctx, "o1", nil)
	h.ok(err, "CountVisible(no members)")
	eq(h, "involved of no one", len(got.Interactions.Involved)+len(got.Evaluations.Involved), 0)
}
