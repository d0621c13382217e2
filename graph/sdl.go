package graph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/formatter"
)

// SDL is the GraphQL schema rolegraph serves, in SDL: the executable
// schema's, as gqlparser's formatter prints it, without the built-in
// types and directives. `rolegraph schema print` writes it;
// schema.graphql at the repository root is its output, committed, for
// clients and code generators that want one file (sdl_test.go fails when
// it is stale).
func SDL() string {
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(NewExecutableSchema(Config{}).Schema())
	return b.String()
}
