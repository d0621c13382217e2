package e2e

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
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

	next := catalog.Default()
	download, _ := next.Action("interactions.download")
	download.Seat = model.SeatRecorder
	next = catalog.New(append(next.Modules, &catalog.Module{Key: "reports", Name: "Reports", Actions: []*catalog.Action{
		{Key: "read", Permission: "reports.read", Name: "Read reports", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
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
