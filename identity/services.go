package identity

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/errs"
)

// ServicesRead is the gqlgen extension holding the one rule of what a
// kind of principal may do that is not about a member's roles: a Service
// asks, never changes. Every operation other than a query by a service is
// FORBIDDEN before any resolver runs, whatever it would change; what a
// service may read is domain's to say. The GraphQL handler behind
// Middleware must use it: srv.Use(identity.ServicesRead{}).
type ServicesRead struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = ServicesRead{}

var errServiceChanges = errs.Denied("", "a service token may only ask (can, explain, whoCan, member listings); changes need a member token")

func (ServicesRead) ExtensionName() string                   { return "identity.ServicesRead" }
func (ServicesRead) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses while the operation is prepared, not
// when it runs: the refused operation is then one that was never executed
// (no "data"), as the GraphQL-over-HTTP spec and its status codes see it.
func (ServicesRead) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	p := FromContext(ctx)
	if p == nil || p.Kind != Service || op.Operation == nil || op.Operation.Operation == ast.Query {
		return nil
	}
	return &gqlerror.Error{Message: errServiceChanges.Message,
		Extensions: map[string]any{"code": string(errServiceChanges.Code)}}
}
