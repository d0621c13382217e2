package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"

	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// Pages are listed from the caller's scopes and the store's rows, and a
// page's viewerCan flags are derived from those scopes (domain/scope.go),
// not asked of SpiceDB per interaction. Both must say exactly what SpiceDB
// says: for every demo member (owner, ALL, TEAM and OWN roles, guests,
// people with no read at all), every page size and every team filter,
// paging goes through exactly the ids of a full LookupResources, in
// creation order, each once; every flag is what CheckPermission answers;
// evaluations page through exactly their LookupResources, newest first.
// Then the organization is reshaped (roles swapped, interactions moved
// between teams and reassigned, a product turned off) and it all holds
// again.
func TestScopedListingsEqualLookup(t *testing.T) {
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		ctx, d := loadDemo(t, e)
		compareScoped(ctx, t, e, d)

		svc := e.srv.Service
		owner := domain.Caller{OrgID: d.OrgID, MemberID: d.People[0].ID} // demo.Load lists the owner first
		all, err := e.srv.Store.ListInteractions(ctx, d.OrgID, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		roles, err := e.srv.Store.ListRoles(ctx, d.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		var teams []string
		for _, id := range d.Teams {
			teams = append(teams, id)
		}
		slices.Sort(teams)
		// Deterministic reshaping: every third interaction moves team and
		// gets another assignee; every member but the owner gets another
		// role (some refusals are fine: the rules still apply).
		for k, i := range all {
			if k%3 != 0 {
				continue
			}
			team := teams[(k/3)%len(teams)]
			assignees := []string{d.People[(k/3)%len(d.People)].ID}
			in := domain.UpdateInteractionInput{TeamID: &team, AssigneeIDs: &assignees}
			if _, err := svc.UpdateInteraction(ctx, owner, i.ID, in); err != nil {
				t.Fatalf("moving %s to team %s: %v", i.ID, team, err)
			}
		}
		for k, p := range d.People[1:] {
			r := roles[(k+1)%len(roles)]
			if _, err := svc.SetMemberRoles(ctx, owner, p.ID, []string{r.ID}); err != nil {
				t.Logf("%s keeps their roles (%s: %v)", p.Label, r.Key, err)
			}
		}
		compareScoped(ctx, t, e, d)
		if _, err := svc.DisableProduct(ctx, owner, model.ProductQuality); err != nil {
			t.Fatal(err)
		}
		compareScoped(ctx, t, e, d)
	})
}

// compareScoped holds every demo member's interaction pages, flags and
// evaluation pages to SpiceDB's own answers.
func compareScoped(ctx context.Context, t *testing.T, e *env, d *demo.Demo) {
	t.Helper()
	svc := e.srv.Service
	inCreationOrder, err := e.srv.Store.ListInteractions(ctx, d.OrgID, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	evsNewest, err := e.srv.Store.ListEvaluations(ctx, d.OrgID, store.Page{NewestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	teams := []string{""}
	for _, id := range d.Teams {
		teams = append(teams, id)
	}
	listed := 0
	for _, p := range d.People {
		c := domain.Caller{OrgID: d.OrgID, MemberID: p.ID}
		readable := lookupIDs(ctx, t, e, rels.TypeInteraction, "interactions_read", p.ID)
		for _, teamID := range teams {
			var want []string
			for _, i := range inCreationOrder {
				if readable[i.ID] && (teamID == "" || i.TeamID == teamID) {
					want = append(want, i.ID)
				}
			}
			for _, first := range []int{1, 7, domain.MaxPageSize} {
				var got []*model.Interaction
				after := ""
				for pages := 0; ; pages++ {
					if pages > len(inCreationOrder)+1 {
						t.Fatalf("%s, team %q, first %d: paging does not end", p.Label, teamID, first)
					}
					page, err := svc.Interactions(ctx, c, first, after, teamID, domain.PageOptions{ViewerCan: first == 7})
					if err != nil {
						t.Fatalf("%s: %v", p.Label, err)
					}
					got = append(got, page.Items...)
					if teamID == "" && first == 7 {
						compareFlags(ctx, t, svc, c, p.Label, page)
					}
					if !page.HasNext {
						break
					}
					after = page.EndCursor()
				}
				var gotIDs []string
				for _, i := range got {
					gotIDs = append(gotIDs, i.ID)
				}
				if fmt.Sprint(gotIDs) != fmt.Sprint(want) {
					t.Errorf("%s, team %q, first %d: paged\n %v\nLookupResources says\n %v", p.Label, teamID, first, gotIDs, want)
				}
				listed += len(gotIDs)
			}
		}
		readableEvs := lookupIDs(ctx, t, e, rels.TypeEvaluation, "evaluations_read", p.ID)
		var wantEvs []string
		for _, ev := range evsNewest {
			if readableEvs[ev.ID] {
				wantEvs = append(wantEvs, ev.ID)
			}
		}
		for _, first := range []int{1, 7, domain.MaxPageSize} {
			var got []string
			after := ""
			for pages := 0; pages <= len(evsNewest)+1; pages++ {
				evs, err := svc.Evaluations(ctx, c, first, after)
				if err != nil {
					t.Fatalf("%s: %v", p.Label, err)
				}
				for _, ev := range evs {
					got = append(got, ev.ID)
				}
				if len(evs) < first {
					break
				}
				after = got[len(got)-1]
			}
			if fmt.Sprint(got) != fmt.Sprint(wantEvs) {
				t.Errorf("%s, evaluations, first %d: paged\n %v\nLookupResources says\n %v", p.Label, first, got, wantEvs)
			}
		}
	}
	if listed == 0 {
		t.Fatal("nobody listed anything: the comparison compared nothing")
	}
}

// compareFlags holds a page's derived flags to one CheckPermission each.
func compareFlags(ctx context.Context, t *testing.T, svc *domain.Service, c domain.Caller, label string, page *domain.InteractionPage) {
	t.Helper()
	got, err := svc.PageViewerCan(ctx, c, page)
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range page.Items {
		want, err := svc.ViewerCan(ctx, c, []string{i.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got[k] != want[0] {
			t.Errorf("%s, %s: page flags %+v, CheckPermission %+v", label, i.ID, got[k], want[0])
		}
	}
}

// lookupIDs is a full LookupResources, fully consistent, straight to SpiceDB.
func lookupIDs(ctx context.Context, t *testing.T, e *env, resourceType, permission, memberID string) map[string]bool {
	t.Helper()
	stream, err := e.srv.SpiceDB.Client.LookupResources(ctx, &v1.LookupResourcesRequest{
		Consistency:        &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}},
		ResourceObjectType: resourceType,
		Permission:         permission,
		Subject:            &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: memberID}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Permissionship == v1.LookupPermissionship_LOOKUP_PERMISSIONSHIP_HAS_PERMISSION {
			out[r.ResourceObjectId] = true
		}
	}
}
