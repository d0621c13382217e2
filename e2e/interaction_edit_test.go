package e2e

import (
	"testing"
)

const (
	qUpdateInteraction = `mutation($id: ID!, $in: UpdateInteractionInput!) { updateInteraction(id: $id, input: $in) {
		id title team { id } assignees { id } owner { id } } }`
	qUpdateEvaluation = `mutation($id: ID!, $s: Int!) { updateEvaluation(id: $id, score: $s) { id score } }`
	qDeleteEvaluation = `mutation($id: ID!) { deleteEvaluation(id: $id) }`
)

// Seed 002 "Agents viewing only their assigned interactions", Own/All on
// write and delete: updateInteraction reassigns and moves calls, and who
// can read them changes on the very next request.
func TestInteractionEdit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Editing Calls", "PRO", []string{"CONVERSATIONS", "QUALITY"})
		o.team("Support", "")
		o.team("Sales", "")
		mgr := o.member("mgr@calls.example", []string{"manager"}, nil, nil)
		o.manage("Support", mgr)
		rec := o.member("rec@calls.example", []string{"recorder"}, []string{"Support"}, nil)
		agent := o.member("agent@calls.example", []string{"agent"}, []string{"Support"}, nil)
		agent2 := o.member("agent2@calls.example", []string{"agent"}, []string{"Sales"}, nil)
		call := o.interaction("Support call", rec, "Support")
		sales := o.interaction("Sales call", agent2, "Sales")
		before := o.auditActions()

		if agent.visible()[call] {
			t.Fatal("the agent sees a call not assigned to them")
		}
		// The manager (interactions.write TEAM) assigns the agent: visible at once.
		d := mgr.ok(qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"assigneeIds": []string{agent.MemberID}, "title": "Support call (follow-up)"}})
		if str(d, "updateInteraction", "title") != "Support call (follow-up)" || str(d, "updateInteraction", "owner", "id") != rec.MemberID {
			t.Errorf("updateInteraction answered %v", d)
		}
		if !agent.visible()[call] {
			t.Error("the assigned agent does not see the call on the next request")
		}
		// Reassigned to someone else: gone at once.
		mgr.ok(qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"assigneeIds": []string{agent2.MemberID}}})
		if agent.visible()[call] {
			t.Error("the unassigned agent still sees the call")
		}
		if !agent2.visible()[call] {
			t.Error("the newly assigned agent does not see the call")
		}
		// The owner at OWN edits the title, cannot move it to a team.
		rec.ok(qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"title": "Renamed by its owner"}})
		rec.failsWith("FORBIDDEN", "interactions.write", qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"teamId": o.teams["Sales"]}})
		// The manager cannot move it into a team they do not see, nor edit one outside theirs.
		mgr.failsWith("FORBIDDEN", "interactions.write", qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"teamId": o.teams["Sales"]}})
		mgr.fails("BAD_USER_INPUT", "id", qUpdateInteraction, map[string]any{"id": sales, "in": map[string]any{"title": "Not yours"}})
		// An agent (no interactions.write) cannot edit what they read.
		agent2.failsWith("FORBIDDEN", "interactions.write", qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"title": "Agent's"}})
		// The owner of the organization moves it: the manager loses it at once.
		o.Owner.ok(qUpdateInteraction, map[string]any{"id": call, "in": map[string]any{"teamId": o.teams["Sales"]}})
		if mgr.visible()[call] {
			t.Error("the Support manager still sees a call moved to Sales")
		}

		for _, c := range []struct {
			name, field string
			in          map[string]any
		}{
			{"empty title", "input.title", map[string]any{"title": " ", "assigneeIds": []string{}}},
			{"malformed team", "input.teamId", map[string]any{"teamId": "team-x"}},
			{"unknown assignee", "input.assigneeIds", map[string]any{"assigneeIds": []string{agent.MemberID, "mem_aaaaaaaaaaaaaaaaaaaaaa"}}},
			{"assignee twice", "input.assigneeIds", map[string]any{"assigneeIds": []string{agent.MemberID, agent.MemberID}}},
			{"nothing to change", "input", map[string]any{}},
		} {
			t.Run(c.name, func(t *testing.T) {
				o.Owner.fails("BAD_USER_INPUT", c.field, qUpdateInteraction, map[string]any{"id": call, "in": c.in})
			})
		}
		d = o.Owner.ok(`query($id: ID!) { interaction(id: $id) { title team { id } assignees { id } } }`, map[string]any{"id": call})
		if str(d, "interaction", "title") != "Renamed by its owner" || str(d, "interaction", "team", "id") != o.teams["Sales"] ||
			len(get(d, "interaction", "assignees").([]any)) != 1 {
			t.Errorf("bad input changed the call: %v", d)
		}
		after := o.auditActions()
		if n := after["updateInteraction"] - before["updateInteraction"]; n != 4 {
			t.Errorf("%d updateInteraction events, want 4", n)
		}
	})
}

// Seed 002: evaluations are written and deleted at a scope covering them.
func TestEvaluationEdit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Editing Evaluations", "PRO", []string{"CONVERSATIONS", "QUALITY"})
		o.team("Support", "")
		o.team("Sales", "")
		mgr := o.member("mgr@evals.example", []string{"manager"}, nil, nil)
		o.manage("Support", mgr)
		auditor := o.member("auditor@evals.example", []string{"auditor"}, nil, nil)
		agent := o.member("agent@evals.example", []string{"agent"}, []string{"Support"}, nil)
		rep := o.member("rep@evals.example", []string{"recorder"}, []string{"Sales"}, nil)
		call := o.interaction("Support call", agent, "Support")
		sales := o.interaction("Sales call", rep, "Sales")
		ev := mgr.evaluate(call, agent.MemberID, 60)
		salesEv := auditor.evaluate(sales, rep.MemberID, 70)
		before := o.auditActions()

		d := mgr.ok(qUpdateEvaluation, map[string]any{"id": ev, "s": 85})
		if get(d, "updateEvaluation", "score") != float64(85) {
			t.Errorf("updateEvaluation answered %v", d)
		}
		// The evaluated agent reads it and may not change it.
		agent.failsWith("FORBIDDEN", "evaluations.write", qUpdateEvaluation, map[string]any{"id": ev, "s": 100})
		agent.failsWith("FORBIDDEN", "evaluations.delete", qDeleteEvaluation, map[string]any{"id": ev})
		// Outside the manager's teams it is not there for them.
		mgr.fails("BAD_USER_INPUT", "id", qUpdateEvaluation, map[string]any{"id": salesEv, "s": 1})
		mgr.fails("BAD_USER_INPUT", "id", qDeleteEvaluation, map[string]any{"id": salesEv})
		// Bad scores.
		for _, s := range []int{-1, 101} {
			mgr.fails("BAD_USER_INPUT", "score", qUpdateEvaluation, map[string]any{"id": ev, "s": s})
		}
		// The auditor (evaluations.write ALL, no delete) rescores; the manager deletes.
		auditor.ok(qUpdateEvaluation, map[string]any{"id": salesEv, "s": 75})
		auditor.failsWith("FORBIDDEN", "evaluations.delete", qDeleteEvaluation, map[string]any{"id": ev})
		if d := mgr.ok(qDeleteEvaluation, map[string]any{"id": ev}); d["deleteEvaluation"] != true {
			t.Errorf("deleteEvaluation answered %v", d)
		}
		if agent.evaluationIDs()[ev] || o.Owner.evaluationIDs()[ev] {
			t.Error("the deleted evaluation is still listed")
		}
		mgr.fails("BAD_USER_INPUT", "id", qDeleteEvaluation, map[string]any{"id": ev})
		if got := o.Owner.evaluationIDs(); !sameSet(got, salesEv) {
			t.Errorf("evaluations left = %s", keys(got))
		}
		after := o.auditActions()
		if after["updateEvaluation"]-before["updateEvaluation"] != 2 || after["deleteEvaluation"]-before["deleteEvaluation"] != 1 {
			t.Errorf("audit: updateEvaluation +%d, deleteEvaluation +%d; want +2, +1",
				after["updateEvaluation"]-before["updateEvaluation"], after["deleteEvaluation"]-before["deleteEvaluation"])
		}
	})
}
