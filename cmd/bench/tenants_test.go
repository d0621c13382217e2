package main

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// A bulk-seeded small organization (measurement 9) is the organization the
// API makes: its twin is built through the domain service
// (createOrganization, createTeam, inviteMember + acceptInvitation,
// addTeamMember, createInteraction) with the same shape, and every member
// gets the same answer from can for every permission of the catalog, on
// the organization and on every interaction. The bulk-seeded one also
// reconciles with no drift: SpiceDB holds exactly what its entities imply.
func TestBulkSeededOrganizationIsTheAPIOne(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cfg := server.Config{JWTSecret: benchSecret, PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	cfg.SpiceDB.ReadConns, cfg.SpiceDB.WriteConns = 4, 2
	srv, err := cfg.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	svc := srv.Service

	g := &tenantGen{shape: tenantShape{members: 7, interactions: 5}, cat: srv.Config.Catalog,
		gen: idgen{rand.New(rand.NewPCG(1, 2))}, now: time.Now().UTC(), keep: true}
	seeded, _, _, err := seedTenantOrgs(ctx, srv, g, 1)
	if err != nil {
		t.Fatal(err)
	}
	bulk := seeded[0]
	rep, err := reconcile.New(srv.Store, srv.Authz, srv.Outbox, srv.SpiceDB.Client, srv.Config.Catalog).Org(ctx, bulk.id, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Drift.Empty() || len(rep.Conflicts) > 0 || rep.Expected == 0 {
		t.Fatalf("the bulk-seeded organization's graph is not what its entities imply: %s; conflicts %v", rep.Drift, rep.Conflicts)
	}

	// The twin, through the API's domain service.
	org, owner, err := svc.CreateOrganization(ctx, domain.CreateOrganizationInput{Name: "Twin", Plan: model.PlanPro,
		OwnerEmail: "owner@twin.example", OwnerName: "Owner", SeatTotals: map[model.SeatKind]int{model.SeatRecorder: g.shape.members}})
	if err != nil {
		t.Fatal(err)
	}
	c := domain.Caller{OrgID: org.ID, MemberID: owner.ID}
	roles, err := svc.Roles(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	twinRole := map[string]string{} // key → twin's role id
	for _, r := range roles {
		twinRole[r.Key] = r.ID
	}
	twin := map[string]string{bulk.members[0].ID: owner.ID} // bulk id → twin id
	for _, r := range bulk.roles {
		twin[r.ID] = twinRole[r.Key]
	}
	for _, tm := range bulk.teams {
		created, err := svc.CreateTeam(ctx, c, domain.CreateTeamInput{Name: tm.Name, ParentID: twin[tm.ParentID]})
		if err != nil {
			t.Fatal(err)
		}
		twin[tm.ID] = created.ID
	}
	for _, m := range bulk.members[1:] {
		in := domain.InviteMemberInput{Email: m.Email, Name: m.Name, Seats: m.Seats}
		for _, r := range m.RoleIDs {
			in.RoleIDs = append(in.RoleIDs, twin[r])
		}
		invited, token, err := svc.InviteMember(ctx, c, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AcceptInvitation(ctx, token, "", ""); err != nil {
			t.Fatal(err)
		}
		twin[m.ID] = invited.ID
	}
	for _, ms := range bulk.memberships {
		if _, err := svc.AddTeamMember(ctx, c, twin[ms.TeamID], twin[ms.MemberID], ms.Manager); err != nil {
			t.Fatal(err)
		}
	}
	for _, it := range bulk.calls {
		created, err := svc.CreateInteraction(ctx, c, domain.CreateInteractionInput{Title: it.Title, OwnerID: twin[it.OwnerID], TeamID: twin[it.TeamID]})
		if err != nil {
			t.Fatal(err)
		}
		twin[it.ID] = created.ID
	}

	// Same roles, same answers.
	bulkRoles, err := srv.Store.ListRoles(ctx, bulk.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range bulkRoles {
		tr, err := srv.Store.GetRole(ctx, org.ID, twin[r.ID])
		if err != nil {
			t.Fatal(err)
		}
		if r.Key != tr.Key || r.Name != tr.Name || !slices.Equal(r.Grants, tr.Grants) {
			t.Errorf("role %s: bulk-seeded %+v, through the API %+v", r.Key, r, tr)
		}
	}
	bc := domain.Caller{OrgID: bulk.id, MemberID: bulk.members[0].ID}
	asked, allowed := 0, 0
	for _, a := range g.cat.Actions() {
		var resources []string
		switch a.Resource {
		case catalog.ResourceOrg:
			resources = []string{""}
		case catalog.ResourceInteraction:
			resources = bulk.interactions
		default:
			continue
		}
		for _, m := range bulk.members {
			for _, res := range resources {
				got, err := svc.Can(ctx, bc, a.Permission, res, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				want, err := svc.Can(ctx, c, a.Permission, twin[res], twin[m.ID])
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("can(%s, %s) for %s: bulk-seeded %v, through the API %v", a.Permission, res, m.Email, got, want)
				}
				asked++
				if got {
					allowed++
				}
			}
		}
	}
	if allowed == 0 || allowed == asked {
		t.Fatalf("%d of %d questions allowed: the comparison does not tell anything", allowed, asked)
	}
	t.Logf("%d questions, %d allowed, the same in both organizations", asked, allowed)
}
