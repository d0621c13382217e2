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
