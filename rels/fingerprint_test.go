package rels

import (
	"testing"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
)

// The fingerprint moves exactly when what a catalog derives for an
// organization moves: a new action, a seat or product gate added or moved;
// not a renamed action, which derives the same relationships.
func TestCatalogFingerprint(t *testing.T) {
	base := CatalogFingerprint(catalog.Default())
	if again := CatalogFingerprint(catalog.Default()); again != base {
		t.Fatalf("the same catalog gives %s and %s", base, again)
	}
	for _, tc := range []struct {
		name   string
		change func(c *catalog.Catalog) *catalog.Catalog
		moves  bool
	}{
		{"an action renamed", func(c *catalog.Catalog) *catalog.Catalog {
			a, _ := c.Action("interactions.download")
			a.Name = "Download calls"
			return c
		}, false},
		{"a seat required", func(c *catalog.Catalog) *catalog.Catalog {
			a, _ := c.Action("interactions.download")
			a.Seat = model.SeatRecorder
			return c
		}, true},
		{"a module moved behind a product", func(c *catalog.Catalog) *catalog.Catalog {
			c.ModuleOf("audit_log.read").Product = model.ProductQuality
			return c
		}, true},
		{"an action added", func(c *catalog.Catalog) *catalog.Catalog {
			return catalog.New(append(c.Modules, &catalog.Module{Key: "reports", Name: "Reports", Actions: []*catalog.Action{
				{Key: "read", Permission: "reports.read", Name: "Read", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
		}, true},
	} {
		got := CatalogFingerprint(tc.change(catalog.Default()))
		if moved := got != base; moved != tc.moves {
			t.Errorf("%s: fingerprint moved %v, want %v", tc.name, moved, tc.moves)
		}
	}
}
