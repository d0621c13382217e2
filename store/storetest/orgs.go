package storetest

import (
	"fmt"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Organizations: creation, update, the combined organization-and-member
// read, and the existence probe.

func testOrganizations(h *h) {
	o := org("o1")
	o.Products = []model.Product{model.ProductAI, model.ProductConversations}
	h.seed(o, &model.Organization{ID: "o0", Name: "Zero", Plan: model.PlanStarter, CreatedAt: at(5)},
		&model.Organization{ID: "o2", Name: "Two", Plan: model.PlanStarter, CreatedAt: at(-5)})

	got, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	// Pinned: products come back in AllProducts order.
	eq(h, "organization", got, &model.Organization{ID: "o1", Name: "Org o1", Plan: model.PlanPro,
		Products: []model.Product{model.ProductConversations, model.ProductAI}, CreatedAt: t0})

	_, err = h.s.GetOrganization(h.ctx, "nope")
	h.is(err, store.ErrNotFound, "GetOrganization(unknown)")
	h.is(h.try(org("o1")), store.ErrConflict, "CreateOrganization(taken id)")

	all, err := h.s.ListOrganizations(h.ctx)
	h.ok(err, "ListOrganizations")
	eq(h, "organizations by creation", ids(all, func(o *model.Organization) string { return o.ID }),
		[]string{"o2", "o1", "o0"})

	// Revision and ZedToken belong to MarkApplied; UpdateOrganization must
	// leave them alone even when the caller's copy says otherwise.
	h.ok(h.s.MarkApplied(h.ctx, "o1", 0, "zed-1"), "MarkApplied")
	h.inTx(func(tx store.Tx) error {
		return tx.UpdateOrganization(h.ctx, &model.Organization{
			ID: "o1", Name: "Renamed", Plan: model.PlanEnterprise, OwnerID: "owner",
			Products: []model.Product{model.ProductTelephony}, Revision: 99, ZedToken: "forged",
			CreatedAt: at(1000),
		})
	})
	got, err = h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization after update")
	eq(h, "updated organization", got, &model.Organization{ID: "o1", Name: "Renamed", Plan: model.PlanEnterprise,
		OwnerID: "owner", Products: []model.Product{model.ProductTelephony}, CreatedAt: t0,
		Revision: 1, ZedToken: "zed-1"})

	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		return tx.UpdateOrganization(h.ctx, &model.Organization{ID: "nope", Name: "x"})
	})
	h.is(err, store.ErrNotFound, "UpdateOrganization(unknown)")
	h.ok(h.s.Ping(h.ctx), "Ping")
}

func testGetOrganizationMember(h *h) {
	h.seed(org("o1"), org("o2"), role("o1", "r1", "", "R"))
	m := member("o1", "m1", 1)
	m.RoleIDs, m.Seats, m.Status = []string{"r1"}, []model.SeatKind{model.SeatRecorder}, model.StatusDeactivated
	h.seed(m)

	o, got, err := h.s.GetOrganizationMember(h.ctx, "o1", "m1")
	h.ok(err, "GetOrganizationMember")
	wantOrg, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	wantMember, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	// The same values the two single reads give, status included: the
	// caller decides who may act, not the store.
	eq(h, "organization", o, wantOrg)
	eq(h, "member", got, wantMember)

	for _, c := range []struct{ org, member, what string }{
		{"o2", "m1", "member of another organization"},
		{"nope", "m1", "unknown organization"},
		{"o1", "ghost", "unknown member"},
	} {
		_, _, err := h.s.GetOrganizationMember(h.ctx, c.org, c.member)
		h.is(err, store.ErrNotFound, "GetOrganizationMember("+c.what+")")
	}
}

func testExists(h *h) {
	h.seed(org("o1"), org("o2"), member("o1", "m1", 0), team("o1", "t1", "One", ""), interaction("o1", "i1", 0),
		member("o2", "x", 0), interaction("o2", "x", 0))
	h.seed(evaluation("o1", "e1", "i1", 0), evaluation("o2", "x", "x", 0))
	kinds := []struct {
		kind store.Entity
		id   string
	}{{store.EntityMember, "m1"}, {store.EntityTeam, "t1"}, {store.EntityInteraction, "i1"}, {store.EntityEvaluation, "e1"}}
	for _, k := range kinds {
		for _, c := range []struct {
			org, id string
			want    bool
		}{{"o1", k.id, true}, {"o2", k.id, false}, {"o1", "ghost", false}, {"nope", k.id, false}} {
			got, err := h.s.Exists(h.ctx, c.org, k.kind, c.id)
			h.ok(err, fmt.Sprintf("Exists(%s, %s, %s)", c.org, k.kind, c.id))
			if got != c.want {
				h.Errorf("Exists(%s, %s, %s) = %v, want %v", c.org, k.kind, c.id, got, c.want)
			}
		}
	}
	// Another organization's entity with the same id is not this one's.
	for _, k := range []store.Entity{store.EntityMember, store.EntityInteraction, store.EntityEvaluation} {
		if got, _ := h.s.Exists(h.ctx, "o1", k, "x"); got {
			h.Errorf("Exists(o1, %s, x) is true: x is o2's", k)
		}
	}
	h.inTx(func(tx store.Tx) error { return tx.DeleteInteraction(h.ctx, "o1", "i1") })
	for _, k := range []store.Entity{store.EntityInteraction, store.EntityEvaluation} {
		id := map[store.Entity]string{store.EntityInteraction: "i1", store.EntityEvaluation: "e1"}[k]
		if got, err := h.s.Exists(h.ctx, "o1", k, id); err != nil || got {
			h.Errorf("Exists(o1, %s, %s) after the interaction's deletion = %v, %v", k, id, got, err)
		}
	}
}
