// Package graph is the executable GraphQL schema that gqlgen generates from
// schema/*.graphqls and gqlgen.yml (generated.go; regenerate with
// `go run github.com/99designs/gqlgen generate`, a test fails when it is
// stale), plus SDL, the schema as one SDL text. Resolvers live in package
// resolvers; nothing here decides anything.
package graph
