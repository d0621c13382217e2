package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rolegraph/rolegraph/graph"
)

// TestSchemaFileIsFresh: schema.graphql is what `rolegraph schema print`
// writes; after changing schema/*.graphqls run
// `go run ./cmd/rolegraph schema print --out schema.graphql`.
func TestSchemaFileIsFresh(t *testing.T) {
	committed, err := os.ReadFile("../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != graph.SDL() {
		t.Fatal("schema.graphql is stale: run go run ./cmd/rolegraph schema print --out schema.graphql, and commit it")
	}
}

// The SDL is the served schema: it loads on its own, and has every type
// and field the executable schema has.
func TestSDLIsTheServedSchema(t *testing.T) {
	sdl := graph.SDL()
	loaded, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: sdl})
	if err != nil {
		t.Fatalf("the SDL does not load: %v", err)
	}
	served := graph.NewExecutableSchema(graph.Config{}).Schema()
	for name, def := range served.Types {
		if def.BuiltIn {
			continue
		}
		got, ok := loaded.Types[name]
		if !ok {
			t.Errorf("type %s missing from the SDL", name)
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if gf := got.Fields.ForName(f.Name); gf == nil || gf.Type.String() != f.Type.String() {
				t.Errorf("%s.%s: SDL has %v, served %s", name, f.Name, gf, f.Type)
			}
		}
	}
	if !strings.Contains(sdl, "type Query {") || strings.Contains(sdl, "type __Schema") {
		t.Error("the SDL has no Query type, or has the built-in introspection types")
	}
}
