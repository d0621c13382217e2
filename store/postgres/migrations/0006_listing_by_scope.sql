-- Listing what one member's scope covers (ListEvaluationsWhere, issue 15):
-- the evaluations one is the evaluated agent or the evaluator of, found by
-- index rather than by reading every evaluation of the organization.
CREATE INDEX evaluations_agent ON evaluations (org_id, agent_id);
CREATE INDEX evaluations_evaluator ON evaluations (org_id, evaluator_id);
