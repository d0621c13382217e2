package telemetry

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// GraphQL is the gqlgen extension that names each operation in its
// request's access line and, with tracing, gives it a span (a child of
// the HTTP request's) named by its type and name, "query Viewer". The
// span carries the operation's type and name, never its document or
// variables (they may hold invitation tokens or emails); an operation
// answered with errors gets an error status with the first error's code.
type GraphQL struct{ Tracing *Tracing }

var (
	_ graphql.HandlerExtension     = GraphQL{}
	_ graphql.OperationInterceptor = GraphQL{}
)

// Instrumentation scope of the operation spans.
const scope = "github.com/rolegraph/rolegraph/telemetry"

func (GraphQL) ExtensionName() string                   { return "telemetry.GraphQL" }
func (GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

func (g GraphQL) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	kind, name := "query", oc.OperationName
	if oc.Operation != nil {
		kind = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	SetOperation(ctx, name)
	if !g.Tracing.Enabled() {
		return next(ctx)
	}
	spanName := kind
	if name != "" {
		spanName += " " + name
	}
	ctx, span := g.Tracing.provider.Tracer(scope).Start(ctx, spanName,
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(
			attribute.String("graphql.operation.type", kind),
			attribute.String("graphql.operation.name", name),
		))
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		// Queries and mutations answer once: the operation ends with its
		// response (subscriptions are not served).
		defer span.End()
		if resp != nil && len(resp.Errors) > 0 {
			code := fmt.Sprint(resp.Errors[0].Extensions["code"])
			span.SetAttributes(attribute.String("graphql.error.code", code), attribute.Int("graphql.errors", len(resp.Errors)))
			span.SetStatus(codes.Error, code)
		}
		return resp
	}
}
