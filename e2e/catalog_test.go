package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// A release changes the permission catalog: interactions.download now
// needs a Recorder seat, and a new ALL-only permission, reports.read,
// appears. Organizations written by the previous release are brought to
// the new catalog before the new server answers: the seat gate holds at
// once (the old "needs no seat" relationship would otherwise keep allowing
// the download), and a role that grants the new permission works (its
// grant object would otherwise be tied to nothing).
func TestCatalogChangeIsSyncedAtStart(t *testing.T) {
	cfg := server.Config{PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	old := startServer(t, cfg)
	to := httptest.NewServer(old.Handler)
	e := &env{t: t, srv: old, url: to.URL}
	o := e.newOrg("Release", "PRO", nil)
	o.team("Floor", "")
	downloader := o.customRole("Downloader", "interactions.read", "interactions.download")
	rep := o.member("rep@release.example", []string{"agent"}, []string{"Floor"}, []string{"RECORDER"})
	ann := o.member("ann@release.example", []string{"agent"}, []string{"Floor"}, nil)
	rec := o.member("rec@release.example", []string{"agent"}, []string{"Floor"}, []string{"RECORDER"})
	for _, m := range []*client{ann, rec} {
		o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
			map[string]any{"m": m.MemberID, "r": []string{o.role("agent"), downloader}})
	}
	call := o.interaction("call", rep, "Floor")
	if !ann.can("interactions.download", call) || !rec.can("interactions.download", call) {
		t.Fatal("before the release, both downloaders may download: the test does not test anything")
	}
	ctx := context.Background()
	if stale, err := old.Store.StaleCatalog(ctx, rels.CatalogFingerprint(catalog.Default())); err != nil || len(stale) != 0 {
		t.Fatalf("organizations stale under the catalog they were made with: %v %v", stale, err)
	}
	to.Close()
	old.Close()

	next := nextRelease()
	cfg.Catalog = next
	srv := startServer(t, cfg)
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(ts.Close)
	e = &env{t: t, srv: srv, url: ts.URL}
	o.e, o.Owner = e, e.as(o.ID, o.Owner.MemberID)
	ann, rec = e.as(o.ID, ann.MemberID), e.as(o.ID, rec.MemberID)

	if stale, err := srv.Store.StaleCatalog(ctx, rels.CatalogFingerprint(next)); err != nil || len(stale) != 0 {
		t.Fatalf("after the new release started, organizations still stale: %v %v", stale, err)
	}
	if ann.can("interactions.download", call) {
		t.Error("the new release requires a Recorder seat to download, and ann, without one, still may")
	}
	if !rec.can("interactions.download", call) {
		t.Error("rec holds a Recorder seat and the Downloader role but may not download")
	}
	reports := o.customRole("Reports", "reports.read")
	o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
		map[string]any{"m": ann.MemberID, "r": []string{o.role("agent"), reports}})
	if !ann.can("reports.read", "") {
		t.Error("a role granting the release's new reports.read does not let its holder read reports")
	}
	if rec.can("reports.read", "") {
		t.Error("rec was granted no reports.read but may")
	}
	// Nothing left to do on the next start.
	if n, err := srv.SyncCatalog(ctx); err != nil || n != 0 {
		t.Fatalf("a second sync brought %d organizations up to date (%v), want none", n, err)
	}
}

// nextRelease is the catalog of a release that changes the default one:
// interactions.download now needs a Recorder seat, and a new ALL-only
// permission, reports.read, appears.
func nextRelease() *catalog.Catalog {
	next := catalog.Default()
	download, _ := next.Action("interactions.download")
	download.Seat = model.SeatRecorder
	return catalog.New(append(next.Modules, &catalog.Module{Key: "reports", Name: "Reports", Actions: []*catalog.Action{
		{Key: "read", Permission: "reports.read", Name: "Read reports", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
}

// A release changes the catalog of many organizations at once: the new
// server syncs them in parallel before serving, each one exactly (a full
// reconcile finds nothing left), those marked with the previous catalog by
// its difference alone, and one organization that cannot be repaired (made
// before catalogs were recorded, so it is compared) neither stops the
// others nor is recorded as synced.
func TestCatalogSyncRepairsManyOrganizationsInParallel(t *testing.T) {
	entities := pgtest.NewDatabase(t)
	cfg := server.Config{PostgresURL: entities + "&pool_max_conns=12", SpiceDBDatastore: pgtest.NewDatabase(t)}
	old := startServer(t, cfg)
	ctx := context.Background()
	const n = 24
	var orgIDs []string
	for i := range n {
		org, owner, err := old.Service.CreateOrganization(ctx, domain.CreateOrganizationInput{Name: fmt.Sprintf("Tenant %02d", i),
			Plan: model.PlanPro, OwnerEmail: fmt.Sprintf("owner@t%02d.example", i), OwnerName: "Owner"})
		if err != nil {
			t.Fatal(err)
		}
		// A member with a seat, so that seat holders are compared too.
		c := domain.Caller{OrgID: org.ID, MemberID: owner.ID}
		roles, err := old.Service.Roles(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		var agent string
		for _, r := range roles {
			if r.Key == "agent" {
				agent = r.ID
			}
		}
		_, token, err := old.Service.InviteMember(ctx, c, domain.InviteMemberInput{Email: fmt.Sprintf("rep@t%02d.example", i),
			Name: "Rep", RoleIDs: []string{agent}, Seats: []model.SeatKind{model.SeatRecorder}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Service.AcceptInvitation(ctx, token, "", ""); err != nil {
			t.Fatal(err)
		}
		orgIDs = append(orgIDs, org.ID)
	}
	old.Close()
	// One organization SpiceDB cannot hold under any catalog.
	broken := orgIDs[n/2]
	breakOrganization(t, entities, broken, true)

	next := nextRelease()
	cfg.Catalog, cfg.CatalogSyncConcurrency = next, 4
	srv := startServer(t, cfg)
	got := srv.LastCatalogSync()
	if got == nil || got.Stale != n || got.Synced != n-1 || got.Repaired != n-1 || got.Changed != n-1 || got.Concurrency != 4 {
		t.Fatalf("catalog sync at start: %+v, want %d stale, %d synced and repaired by difference, 4 at once", got, n, n-1)
	}
	if stale, err := srv.Store.StaleCatalog(ctx, rels.CatalogFingerprint(next)); err != nil || len(stale) != 1 || stale[0].OrgID != broken {
		t.Fatalf("stale after the sync: %v (%v), want only the broken organization %s", stale, err, broken)
	}
	rec := reconcile.New(srv.Store, srv.Authz, srv.Outbox, srv.SpiceDB.Client, next)
	for _, id := range orgIDs {
		if id == broken {
			continue
		}
		rep, err := rec.Org(ctx, id, false)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Drift.Empty() || len(rep.Conflicts) > 0 {
			t.Errorf("organization %s after the sync: %s; conflicts %v", id, rep.Drift, rep.Conflicts)
		}
	}
}

// During a rolling deploy the previous release keeps serving beside the
// new one, and keeps retrying what its own sync at start left undone. Those
// retries must not take the organizations the new release just brought to
// its catalog back to the old one: that would delete the new permission's
// relationships again (and where a release gates a permission, allow again
// what it denies), and the two releases would flap.
func TestPreviousReleaseLeavesTheNewCatalogAlone(t *testing.T) {
	entities := pgtest.NewDatabase(t)
	cfg := server.Config{PostgresURL: entities, SpiceDBDatastore: pgtest.NewDatabase(t), CatalogRetryInterval: 50 * time.Millisecond}
	first := startServer(t, cfg)
	ctx := context.Background()
	var orgs []string
	for _, name := range []string{"Rolling", "Broken"} {
		org, _, err := first.Service.CreateOrganization(ctx, domain.CreateOrganizationInput{Name: name, Plan: model.PlanPro,
			OwnerEmail: "owner@" + strings.ToLower(name) + ".example", OwnerName: "Owner"})
		if err != nil {
			t.Fatal(err)
		}
		orgs = append(orgs, org.ID)
	}
	first.Close()
	good, broken := orgs[0], orgs[1]
	// The broken organization is stale and cannot be synced (a role id
	// SpiceDB refuses): the previous release keeps retrying it.
	breakOrganization(t, entities, broken, true)
	old := startServer(t, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- old.Serve(sctx, ln) }() // with its background loops
	t.Cleanup(func() { stop(); <-served })
	if got := old.LastCatalogSync(); got == nil || len(got.Failed) != 1 {
		t.Fatalf("the previous release's sync at start: %+v, want the broken organization failed", got)
	}

	next := nextRelease()
	cfg.Catalog = next
	srv := startServer(t, cfg)
	if got := srv.LastCatalogSync(); got == nil || got.Synced != 1 {
		t.Fatalf("the new release synced %+v at start, want the good organization", got)
	}
	time.Sleep(20 * cfg.CatalogRetryInterval) // the previous release's retries
	if stale, err := srv.Store.StaleCatalog(ctx, rels.CatalogFingerprint(next)); err != nil || len(stale) != 1 || stale[0].OrgID != broken {
		t.Fatalf("after the previous release's retries, stale under the new catalog: %v (%v), want only %s", stale, err, broken)
	}
	rep, err := reconcile.New(srv.Store, srv.Authz, srv.Outbox, srv.SpiceDB.Client, next).Org(ctx, good, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Drift.Empty() {
		t.Errorf("the previous release changed the new catalog's graph back: %s", rep.Drift)
	}
}

// breakOrganization gives the organization something SpiceDB cannot hold
// under any catalog: a role whose id it refuses, granting a permission (its
// grant relationship is part of what a catalog sync compares, so the
// repair's write fails). stale also marks it stale.
func breakOrganization(t *testing.T, entities, orgID string, stale bool) {
	t.Helper()
	ctx := context.Background()
	db, err := pgx.Connect(ctx, entities)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	if _, err := db.Exec(ctx, `INSERT INTO roles (org_id, id, name, name_key, grants) VALUES ($1, 'broken role!', 'Broken', 'broken',
		'[{"permission": "interactions.read", "scope": "ALL"}]')`, orgID); err != nil {
		t.Fatal(err)
	}
	if stale {
		if _, err := db.Exec(ctx, `UPDATE organizations SET catalog = '' WHERE id = $1`, orgID); err != nil {
			t.Fatal(err)
		}
	}
}
