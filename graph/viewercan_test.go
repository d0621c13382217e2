package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rolegraph/rolegraph/graph"
	"github.com/rolegraph/rolegraph/graph/gqlmodel"
)

// gqlmodel.InteractionPermissions writes its own JSON (viewercan.go), so
// gqlgen does not see its fields: every field the schema gives the type
// must be one it writes, with its own flag, or a field added to the
// schema would answer an error. (e2e's TestViewerCanWrittenAsSelected
// holds what it writes to what gqlgen wrote.)
func TestInteractionPermissionsWritesEveryField(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var names []string
	for _, f := range schema.Types["InteractionPermissions"].Fields {
		if !strings.HasPrefix(f.Name, "__") {
			names = append(names, f.Name)
		}
	}
	if len(names) == 0 {
		t.Fatal("the schema has no InteractionPermissions fields")
	}
	// One flag set at a time: each field must carry its own flag.
	for k, only := range names {
		var p gqlmodel.InteractionPermissions
		switch only {
		case "read":
			p.Read = true
		case "write":
			p.Write = true
		case "delete":
			p.Delete = true
		case "download":
			p.Download = true
		default:
			t.Fatalf("field %q of InteractionPermissions is not one gqlmodel.InteractionPermissions knows", only)
		}
		got := marshalSelected(t, schema, p, strings.Join(names, " "))
		for j, n := range names {
			if v, ok := got[n]; !ok || v != (j == k) {
				t.Errorf("with only %s set, %s is %v (present: %v)", only, n, v, ok)
			}
		}
	}
}

// marshalSelected writes p as the viewerCan of a query selecting fields.
func marshalSelected(t *testing.T, schema *ast.Schema, p gqlmodel.InteractionPermissions, fields string) map[string]bool {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(schema, `query { interaction(id: "x") { viewerCan { `+fields+` } } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	op := doc.Operations[0]
	viewerCan := op.SelectionSet[0].(*ast.Field).SelectionSet[0].(*ast.Field)
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{Doc: doc, Operation: op})
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: viewerCan, Selections: viewerCan.SelectionSet}})
	var buf bytes.Buffer
	if err := p.MarshalGQLContext(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	var out map[string]bool
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatalf("%s: %v", buf.Bytes(), err)
	}
	return out
}
