package memory

import (
	"context"

	"github.com/rolegraph/rolegraph/store"
)

// CountVisible walks the organization's interactions and evaluations in
// place, copying none: counting is what a preview needs, and copies of
// every resource were most of its cost.
func (v view) CountVisible(ctx context.Context, orgID string, memberIDs []string) (*store.VisibleCounts, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (*store.VisibleCounts, error) {
		out := &store.VisibleCounts{}
		for _, rc := range []*store.ResourceCounts{&out.Interactions, &out.Evaluations} {
			rc.ByTeam, rc.Involved = map[string]int{}, map[string]map[string]int{}
		}
		if od == nil {
			return out, nil
		}
		asked := make(map[string]bool, len(memberIDs))
		for _, id := range memberIDs {
			asked[id] = true
		}
		// count adds one resource of team to rc, and to each asked member
		// among involved once (an owner who is also an assignee counts once).
		count := func(rc *store.ResourceCounts, team string, involved ...string) {
			rc.Total++
			if team != "" {
				rc.ByTeam[team]++
			}
			for k, m := range involved {
				if !asked[m] || dup(involved[:k], m) {
					continue
				}
				if rc.Involved[m] == nil {
					rc.Involved[m] = map[string]int{}
				}
				rc.Involved[m][team]++
			}
		}
		for _, i := range od.interactions {
			count(&out.Interactions, i.TeamID, append([]string{i.OwnerID}, i.AssigneeIDs...)...)
		}
		for _, e := range od.evaluations {
			team := ""
			if i := od.interactions[e.InteractionID]; i != nil {
				team = i.TeamID
			}
			count(&out.Evaluations, team, e.AgentID, e.EvaluatorID)
		}
		return out, nil
	})
}

func dup(seen []string, id string) bool {
	for _, s := range seen {
		if s == id {
			return true
		}
	}
	return false
}
