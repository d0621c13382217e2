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
	graphql.OperationInterceptor
} = ServicesRead{}

var errServiceChanges = errs.Denied("", "a service token may only ask (can, whoCan, member listings); changes need a member token")

func (ServicesRead) ExtensionName() string                   { return "identity.ServicesRead" }
func (ServicesRead) Validate(graphql.ExecutableSchema) error { return nil }
func (ServicesRead) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	p := FromContext(ctx)
	if p == nil || p.Kind != Service {
		return next(ctx)
	}
	if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Query {
		return next(ctx)
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: errServiceChanges.Message,
		Extensions: map[string]any{"code": string(errServiceChanges.Code)}}}})
}
