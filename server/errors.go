package server

import (
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
)

// A query that does not parse (GRAPHQL_PARSE_FAILED) or does not validate
// against the schema (GRAPHQL_VALIDATION_FAILED) is answered HTTP 200 with
// errors under application/json, as the GraphQL-over-HTTP spec asks: Apollo
// and urql clients treat a 4xx as a network failure and would hide the
// errors. gqlgen registers both as protocol errors (422); this process
// registers them as user errors, as it does for its own codes in limits.go.
// Under application/graphql-response+json specStatus (graphqlhttp.go)
// gives them the spec's 400 instead.
func init() {
	errcode.RegisterErrorType(errcode.ValidationFailed, errcode.KindUser)
	errcode.RegisterErrorType(errcode.ParseFailed, errcode.KindUser)
}

// isVariablePath: gqlparser reports a variable value it cannot coerce at
// the path ["variable", name, …].
func isVariablePath(path ast.Path) bool {
	return len(path) >= 2 && path[0] == ast.PathName("variable")
}
