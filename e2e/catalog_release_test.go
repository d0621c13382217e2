package e2e

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// A release that adds a permission, gates others behind a product (one the
// organization has, one it has not) and a seat, and removes one, on the
// Postgres store. After the new server starts, SpiceDB itself answers each
// permission as the new catalog says (CheckPermission on the grant object,
// fully consistent), the organization was brought over by the two
// catalogs' difference (the previous release saved its catalog) after its
// pending outbox, and a full reconcile against the new catalog finds
// nothing left.
func TestCatalogReleaseAddsGatesAndRemoves(t *testing.T) {
	ctx := context.Background()
	cfg := server.Config{PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	old := startServer(t, cfg)
	to := httptest.NewServer(old.Handler)
	e := &env{t: t, srv: old, url: to.URL}
	o := e.newOrg("Gates", "PRO", []string{"CONVERSATIONS"})
	o.customRole("Office", "members.read", "contacts.read", "integrations.read", "cost_centers.read", "survey.write")
	m := o.member("m@gates.example", []string{"Office"}, nil, nil)

	cases := []struct {
		name, perm    string
		owner         bool // asked of the owner (who holds everything) instead of m
		before, after bool
	}{
		{"unchanged", "members.read", false, true, true},
		{"gated behind a product the organization lacks", "contacts.read", false, true, false},
		{"gated behind a product the organization has", "integrations.read", false, true, true},
		{"gated behind a seat m does not hold", "cost_centers.read", false, true, false},
		{"removed", "survey.write", false, true, false},
		{"added", "reports.read", true, false, true},
	}
	check := func(srv *server.Server, perm string, owner bool) bool {
		t.Helper()
		who := m.MemberID
		if owner {
			who = o.Owner.MemberID
		}
		resp, err := srv.SpiceDB.Client.CheckPermission(ctx, &v1.CheckPermissionRequest{
			Consistency: &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}},
			Resource:    &v1.ObjectReference{ObjectType: rels.TypeGrant, ObjectId: rels.GrantID(o.ID, perm)},
			Permission:  "at_all",
			Subject:     &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: who}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION
	}
	for _, c := range cases {
		if got := check(old, c.perm, c.owner); got != c.before {
			t.Fatalf("before the release, %s (%s): %v, want %v: the test does not test anything", c.perm, c.name, got, c.before)
		}
	}
	// The organization's catalog relationships wait in its outbox, as when
	// the previous release created it while SpiceDB was away: the sync must
	// apply them before it changes the catalog, or they would come back
	// after it (the gated permissions allowed again).
	derived := rels.Organization(catalog.Default(), &model.Organization{ID: o.ID}).Sorted()
	write(t, old, v1.RelationshipUpdate_OPERATION_DELETE, derived...)
	if err := old.Store.InTx(ctx, func(tx store.Tx) error { return tx.Enqueue(ctx, o.ID, rels.Touches(rels.NewSet(derived...))) }); err != nil {
		t.Fatal(err)
	}
	to.Close()
	old.Close()

	next := gatingRelease()
	cfg.Catalog = next
	// The new release's first outbox write (its flush at start) fails, so
	// the entries are still pending when the sync takes the organization.
	var writes atomic.Int32
	cfg.OutboxOptions = []outbox.Option{outbox.WithFailPoint(func(stage string) error {
		if stage == "write" && writes.Add(1) == 1 {
			return errors.New("SpiceDB away for the flush at start")
		}
		return nil
	})}
	srv := startServer(t, cfg)
	if writes.Load() == 0 {
		t.Fatal("no outbox write at start: nothing was pending, and the test does not test anything")
	}
	if got := srv.LastCatalogSync(); got == nil || got.Synced != 1 || got.Changed != 1 || len(got.Failed) != 0 {
		t.Fatalf("catalog sync at start: %+v, want the organization synced by the catalogs' difference", got)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := check(srv, c.perm, c.owner); got != c.after {
				t.Errorf("after the release, %s: %v, want %v", c.perm, got, c.after)
			}
		})
	}
	rep, err := reconcile.New(srv.Store, srv.Authz, srv.Outbox, srv.SpiceDB.Client, next).Org(ctx, o.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Drift.Empty() || len(rep.Conflicts) > 0 || rep.Pending != 0 {
		t.Errorf("a full reconcile after the sync: %s; conflicts %v; %d outbox entries still pending", rep.Drift, rep.Conflicts, rep.Pending)
	}
}

// gatingRelease changes the default catalog: contacts.* move behind
// Telephony, integrations.* behind Conversations, cost_centers.read needs
// a Recorder seat, survey.write is gone and reports.read is new.
func gatingRelease() *catalog.Catalog {
	c := catalog.Default()
	for _, m := range c.Modules {
		switch m.Key {
		case "contacts":
			m.Product = model.ProductTelephony
		case "integrations":
			m.Product = model.ProductConversations
		case "survey":
			m.Actions = slices.DeleteFunc(m.Actions, func(a *catalog.Action) bool { return a.Permission == "survey.write" })
		}
	}
	read, _ := c.Action("cost_centers.read")
	read.Seat = model.SeatRecorder
	return catalog.New(append(c.Modules, &catalog.Module{Key: "reports", Name: "Reports", Actions: []*catalog.Action{
		{Key: "read", Permission: "reports.read", Name: "Read reports", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
}
