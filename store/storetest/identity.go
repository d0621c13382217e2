package storetest

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// The OIDC issuer's ids (API.md, "Real identity"): an organization's
// ExternalID is unique across organizations, a member's within its
// organization; "" is none and never conflicts; both are case-sensitive,
// as an issuer's sub is; GetOrganizationMemberByExternalID reads both rows
// by them, as GetOrganizationMember does by id.
func testExternalIDs(h *h) {
	o1, o2, o3 := org("o1"), org("o2"), org("o3")
	o1.ExternalID, o2.ExternalID = "acme", "globex"
	m1, m2, m3 := member("o1", "m1", 1), member("o1", "m2", 2), member("o2", "m1", 3)
	m1.ExternalID, m3.ExternalID = "auth0|ann", "auth0|ann"
	m2.Status = model.StatusInvited
	h.seed(o1, o2, o3, m1, m2, m3, member("o1", "m4", 4), member("o3", "m5", 5))

	got, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	eq(h, "organization external id", got.ExternalID, "acme")
	gm, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.ok(err, "GetMember")
	eq(h, "member external id", gm.ExternalID, "auth0|ann")

	o, m, err := h.s.GetOrganizationMemberByExternalID(h.ctx, "globex", "auth0|ann")
	h.ok(err, "GetOrganizationMemberByExternalID")
	wantOrg, _, err := h.s.GetOrganizationMember(h.ctx, "o2", "m1")
	h.ok(err, "GetOrganizationMember")
	eq(h, "organization by external id", o, wantOrg)
	eq(h, "member by external id", m.ID+"@"+m.OrgID, "m1@o2")

	for _, c := range []struct{ org, sub, what string }{
		{"acme", "auth0|bob", "unknown sub"},
		{"ACME", "auth0|ann", "organization external id in another case"},
		{"acme", "AUTH0|ANN", "sub in another case"},
		{"initech", "auth0|ann", "unknown organization"},
		{"", "", "empty ids"},
		{"acme", "", "empty sub (members without one)"},
	} {
		_, _, err := h.s.GetOrganizationMemberByExternalID(h.ctx, c.org, c.sub)
		h.is(err, store.ErrNotFound, "GetOrganizationMemberByExternalID("+c.what+")")
	}

	bind := func(orgID, id, sub string) func(store.Tx) error {
		return func(tx store.Tx) error {
			m, err := tx.GetMember(h.ctx, orgID, id)
			if err != nil {
				return err
			}
			m.ExternalID = sub
			return tx.UpdateMember(h.ctx, m)
		}
	}
	withExternal := func(o *model.Organization, ext string) *model.Organization { o.ExternalID = ext; return o }
	for _, c := range []struct {
		name string
		fn   func(store.Tx) error
		want error
	}{
		{"organization external id taken", func(tx store.Tx) error { return tx.CreateOrganization(h.ctx, withExternal(org("o4"), "acme")) }, store.ErrConflict},
		{"organization external id, other case", func(tx store.Tx) error { return tx.CreateOrganization(h.ctx, withExternal(org("o5"), "Acme")) }, nil},
		{"second organization without one", func(tx store.Tx) error { return tx.CreateOrganization(h.ctx, org("o6")) }, nil},
		{"bind a sub taken in the organization", bind("o1", "m2", "auth0|ann"), store.ErrConflict},
		{"create a member with a taken sub", func(tx store.Tx) error {
			m := member("o1", "m9", 9)
			m.ExternalID = "auth0|ann"
			return tx.CreateMember(h.ctx, m)
		}, store.ErrConflict},
		{"bind a sub taken in another organization", bind("o3", "m5", "auth0|ann"), nil},
		{"bind a free sub", bind("o1", "m2", "auth0|bob"), nil},
		{"rebind own sub", bind("o1", "m1", "auth0|ann"), nil},
		{"unbind", bind("o1", "m4", ""), nil},
	} {
		err := h.s.InTx(h.ctx, c.fn)
		if c.want == nil {
			h.ok(err, c.name)
		} else {
			h.is(err, c.want, c.name)
		}
	}
	_, m, err = h.s.GetOrganizationMemberByExternalID(h.ctx, "acme", "auth0|bob")
	h.ok(err, "GetOrganizationMemberByExternalID after binding")
	eq(h, "bound member", m.ID, "m2")

	// A removed member's sub is free again, and no longer found.
	h.inTx(func(tx store.Tx) error { return tx.DeleteMember(h.ctx, "o1", "m1") })
	_, _, err = h.s.GetOrganizationMemberByExternalID(h.ctx, "acme", "auth0|ann")
	h.is(err, store.ErrNotFound, "GetOrganizationMemberByExternalID(removed member)")
	h.inTx(bind("o1", "m4", "auth0|ann"))
	_, m, err = h.s.GetOrganizationMemberByExternalID(h.ctx, "acme", "auth0|ann")
	h.ok(err, "GetOrganizationMemberByExternalID(rebound sub)")
	eq(h, "rebound member", m.ID, "m4")
}
