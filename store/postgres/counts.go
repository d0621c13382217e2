package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/rolegraph/rolegraph/store"
)

// CountVisible's queries group in Postgres so that only counts cross the
// wire: at 100k interactions, listing them to count in Go was most of a
// preview's ten seconds.
const (
	// Resources per team ('' for none) — the organization's totals too.
	countInteractionsByTeam = `SELECT COALESCE(team_id, ''), count(*) FROM interactions WHERE org_id = $1 GROUP BY 1`
	countEvaluationsByTeam  = `SELECT COALESCE(i.team_id, ''), count(*)
		FROM evaluations e JOIN interactions i ON i.org_id = e.org_id AND i.id = e.interaction_id
		WHERE e.org_id = $1 GROUP BY 1`
	// (member, team) → resources the member is involved in; UNION (not
	// UNION ALL) counts an owner who is also an assignee once.
	countInteractionsInvolved = `SELECT x.member_id, COALESCE(i.team_id, ''), count(*)
		FROM (SELECT id AS interaction_id, owner_id AS member_id FROM interactions
		        WHERE org_id = $1 AND owner_id = ANY ($2)
		      UNION
		      SELECT interaction_id, member_id FROM interaction_assignees
		        WHERE org_id = $1 AND member_id = ANY ($2)) x
		JOIN interactions i ON i.org_id = $1 AND i.id = x.interaction_id
		GROUP BY 1, 2`
	countEvaluationsInvolved = `SELECT x.member_id, COALESCE(i.team_id, ''), count(*)
		FROM (SELECT id, interaction_id, agent_id AS member_id FROM evaluations
		        WHERE org_id = $1 AND agent_id = ANY ($2)
		      UNION
		      SELECT id, interaction_id, evaluator_id FROM evaluations
		        WHERE org_id = $1 AND evaluator_id = ANY ($2)) x
		JOIN interactions i ON i.org_id = $1 AND i.id = x.interaction_id
		GROUP BY 1, 2`
)

func (r reader) CountVisible(ctx context.Context, orgID string, memberIDs []string) (*store.VisibleCounts, error) {
	out := &store.VisibleCounts{}
	for _, k := range []struct {
		rc               *store.ResourceCounts
		byTeam, involved string
	}{
		{&out.Interactions, countInteractionsByTeam, countInteractionsInvolved},
		{&out.Evaluations, countEvaluationsByTeam, countEvaluationsInvolved},
	} {
		rc := k.rc
		rc.ByTeam, rc.Involved = map[string]int{}, map[string]map[string]int{}
		rows, err := r.q.Query(ctx, k.byTeam, orgID)
		err = eachRow(rows, err, func(row pgx.Rows) error {
			var team string
			var n int
			if err := row.Scan(&team, &n); err != nil {
				return err
			}
			rc.Total += n
			if team != "" {
				rc.ByTeam[team] = n
			}
			return nil
		})
		if err != nil {
			return nil, mapErr("count resources by team", err)
		}
		if len(memberIDs) == 0 {
			continue
		}
		rows, err = r.q.Query(ctx, k.involved, orgID, memberIDs)
		err = eachRow(rows, err, func(row pgx.Rows) error {
			var member, team string
			var n int
			if err := row.Scan(&member, &team, &n); err != nil {
				return err
			}
			if rc.Involved[member] == nil {
				rc.Involved[member] = map[string]int{}
			}
			rc.Involved[member][team] = n
			return nil
		})
		if err != nil {
			return nil, mapErr("count resources members are involved in", err)
		}
	}
	return out, nil
}

// eachRow runs fn on every row of a query's result (rows, err).
func eachRow(rows pgx.Rows, err error, fn func(pgx.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
