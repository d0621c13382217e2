package reconcile

import (
	"slices"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
)

// A catalog change moved onto an organization turns exactly what the old
// catalog derives for it into what the new one derives, whatever its
// owner and products, and whatever its id shares with the probe's.
func TestCatalogChangeOnAnOrganizationIsTheNewDerivation(t *testing.T) {
	gated := catalog.Default()
	for _, m := range gated.Modules {
		switch m.Key {
		case "contacts":
			m.Product = model.ProductTelephony
		case "survey":
			m.Actions = slices.DeleteFunc(m.Actions, func(a *catalog.Action) bool { return a.Permission == "survey.write" })
		}
	}
	read, _ := gated.Action("cost_centers.read")
	read.Seat = model.SeatRecorder
	added := catalog.New(append(catalog.Default().Modules, &catalog.Module{Key: "reports", Name: "Reports", Actions: []*catalog.Action{
		{Key: "read", Permission: "reports.read", Name: "Read reports", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
	gated = catalog.New(gated.Modules...)

	orgs := []*model.Organization{
		{ID: "org_a1"},
		{ID: "org_b2", OwnerID: "m1", Products: []model.Product{model.ProductConversations, model.ProductTelephony}},
		{ID: probeOrg + "_x", OwnerID: "m2", Products: model.AllProducts},
	}
	cases := []struct {
		name     string
		from, to *catalog.Catalog
	}{
		{"adds a permission", catalog.Default(), added},
		{"gates and removes", catalog.Default(), gated},
		{"back", gated, catalog.Default()},
		{"across", added, gated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, err := New(nil, nil, nil, nil, c.to).NewCatalogChange(rels.CatalogFingerprint(c.from), CatalogDerivation(c.from))
			if err != nil {
				t.Fatal(err)
			}
			if ch.To != rels.CatalogFingerprint(c.to) || len(ch.touch)+len(ch.remove) == 0 {
				t.Fatalf("change to %s with %d touches, %d removals", ch.To, len(ch.touch), len(ch.remove))
			}
			for _, o := range orgs {
				got := rels.Organization(c.from, o)
				d := ch.on(o.ID)
				for _, x := range d.Extra {
					if _, ok := got[x.String()]; !ok {
						t.Errorf("%s: removes %s, which the old catalog does not derive", o.ID, x)
					}
					delete(got, x.String())
				}
				for _, x := range d.Missing {
					if _, ok := got[x.String()]; ok {
						t.Errorf("%s: touches %s, which the old catalog derives already", o.ID, x)
					}
					got.Add(x)
				}
				want := rels.Organization(c.to, o)
				if dd := Diff(want, got); !dd.Empty() {
					t.Errorf("%s after the change: %s", o.ID, dd)
				}
			}
		})
	}
}

// A saved derivation is used only when it is what its fingerprint says:
// anything else would make the change inexact, and its organizations are
// compared instead.
func TestCatalogChangeRefusesAForeignDerivation(t *testing.T) {
	def := catalog.Default()
	fp := rels.CatalogFingerprint(def)
	good := CatalogDerivation(def)
	added := catalog.New(append(catalog.Default().Modules, &catalog.Module{Key: "reports", Name: "Reports", Actions: []*catalog.Action{
		{Key: "read", Permission: "reports.read", Name: "Read reports", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
	other := make([]string, len(good))
	for i, s := range good {
		other[i] = strings.ReplaceAll(s, probeOrg, "elsewhere")
	}
	rec := New(nil, nil, nil, nil, added)
	for _, c := range []struct {
		name       string
		derivation []string
		ok         bool
	}{
		{"its own", good, true},
		{"another catalog's", CatalogDerivation(added), false},
		{"one relationship short", good[1:], false},
		{"of another probe organization", other, false},
		{"not relationships", []string{"nonsense"}, false},
	} {
		_, err := rec.NewCatalogChange(fp, c.derivation)
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok %v", c.name, err, c.ok)
		}
	}
}
