package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	gqllru "github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/graph"
	"github.com/rolegraph/rolegraph/identity"
	"github.com/rolegraph/rolegraph/resolvers"
	"github.com/rolegraph/rolegraph/telemetry"
	"github.com/rolegraph/rolegraph/web"
)

func (s *Server) routes() http.Handler { return s.routesFor(s.Service) }

// HandlerWith is this server's HTTP handler over another domain service,
// built like s.Service on the same store, SpiceDB and outbox but with opts as
// well: a test or a benchmark compares ways of answering (for example
// domain.WithEvaluationsByLookup) on one server, without changing the one
// every other request uses.
func (s *Server) HandlerWith(opts ...domain.Option) http.Handler {
	return s.routesFor(s.newService(opts...))
}

// newService is the domain service over this server's store, SpiceDB and
// outbox.
func (s *Server) newService(opts ...domain.Option) *domain.Service {
	opts = append([]domain.Option{domain.WithBaseURL(strings.TrimRight(s.Config.PublicURL, "/"))}, opts...)
	return domain.New(s.Store, s.Authz, s.Outbox, s.Config.Catalog, s.log, opts...)
}

func (s *Server) routesFor(svc *domain.Service) http.Handler {
	// Who is asking: package identity, the one place (the token, the
	// member and organization read, the ACTIVE rule, speculation).
	auth := identity.New(identity.Config{Store: s.Store, Verify: s.Verifier.Verify,
		MaxBody: MaxBodyBytes, Misses: s.Metrics.SpeculationMisses})
	res := &resolvers.Resolver{Service: svc}
	mux := http.NewServeMux()
	mux.Handle("/graphql", s.withCORS(graphqlMediaType(s.countRefusals(withTimeout(auth.Middleware(callerInAccessLog(res.WithLoaders(s.graphqlHandler(res)))), s.Config.RequestTimeout)))))
	// GraphiQL's scripts come from the binary, not a CDN (package web). In
	// production too: what it may see is api.explore's (explore.go).
	mux.Handle("/graphiql", web.GraphiQL("rolegraph GraphiQL", "/graphql", "/graphiql/assets/"))
	mux.Handle("/graphiql/assets/", web.Assets("/graphiql/assets/"))
	s.consoleRoutes(mux) // console.go
	s.probes(mux)
	if s.Config.AdminAddr == "" {
		mux.Handle("/metrics", s.Metrics.Handler())
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("rolegraph: POST /graphql, GET /graphiql, /console, /healthz, /readyz, /metrics\n"))
	})
	// A span per request (continuing the caller's traceparent) around an
	// access line per request that carries its trace id.
	return s.Tracing.HTTP(telemetry.AccessLog(s.log, mux), "rolegraph")
}

// callerInAccessLog names the member and organization a request acts as
// (ids from the verified token, never the token) in its access line.
func callerInAccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := identity.FromContext(r.Context()); p != nil && p.Kind == identity.Member {
			telemetry.SetCaller(r.Context(), p.OrgID, p.MemberID)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) graphqlHandler(res *resolvers.Resolver) http.Handler {
	// Frontends send the same few documents over and over: parse and
	// validate each once. The cache holds only documents that validated,
	// the same with or without suggestions, so both handlers share it.
	valid := gqllru.New[*ast.QueryDocument](1000)
	plain := s.gqlServer(res, valid, false)
	suggesting := s.gqlServer(res, valid, true)
	return limitBody(s.suggestionsFor(res.Service, plain, suggesting, valid))
}

// gqlServer is one gqlgen handler; suggest: its validation errors suggest
// field names (explore.go picks which handler answers).
func (s *Server) gqlServer(res *resolvers.Resolver, valid graphql.Cache[*ast.QueryDocument], suggest bool) *handler.Server {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: res, Complexity: ComplexityRoot()}))
	srv.SetQueryCache(valid)
	// Status codes per media type (graphqlhttp.go).
	srv.AddTransport(specStatus{transport.GET{}})
	srv.AddTransport(specStatus{decodedPOST{}}) // limits.go
	// Before parsing: a hash alone becomes its query (apq.go).
	srv.Use(persistedQuery{extension.AutomaticPersistedQuery{Cache: s.persistedQueries()}})
	// Limits (limits.go): shape first, so the complexity walk only sees
	// operations of bounded size. Introspection is asked about there too.
	srv.Use(operationLimits{maxDepth: MaxDepth, maxAliases: MaxAliases, maxFields: MaxFields, explore: s.exploreCheck(res.Service)})
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit, complexityOptions()...))
	if !s.Config.Production {
		srv.Use(extension.Introspection{})
	}
	// The operation's name in the access line and its span (inside the
	// HTTP request's).
	srv.Use(telemetry.GraphQL{Tracing: s.Tracing})
	srv.SetDisableSuggestion(!suggest)
	srv.SetErrorPresenter(s.presentError)
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		s.log.ErrorContext(ctx, "panic in resolver", "panic", v)
		return errs.New(errs.Internal, "internal error")
	})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		start := time.Now()
		op := graphql.GetOperationContext(ctx)
		kind := "query"
		if op.Operation != nil {
			kind = string(op.Operation.Operation)
		}
		h := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			outcome := "ok"
			if resp != nil && len(resp.Errors) > 0 {
				if code, ok := resp.Errors[0].Extensions["code"].(string); ok {
					outcome = code
				} else {
					outcome = "error"
				}
			}
			s.Metrics.ObserveGraphQL(kind, outcome, time.Since(start))
			return resp
		}
	})
	// Inside the timing above: a change's wait for authentication is part
	// of what it costs.
	srv.Use(identity.ChangesWait{})
	// A service token asks, never changes (identity, the one place).
	srv.Use(identity.ServicesRead{})
	return srv
}

// presentError gives every error a code from the contract; causes are
// logged, never shown.
func (s *Server) presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if gerr.Extensions == nil {
		gerr.Extensions = map[string]any{}
	}
	var e *errs.Error
	if errors.As(err, &e) {
		gerr.Message = e.Message
		gerr.Extensions["code"] = string(e.Code)
		if e.Field != "" {
			gerr.Extensions["field"] = e.Field
		}
		if e.Permission != "" {
			gerr.Extensions["permission"] = e.Permission
		}
		if e.Code == errs.Unavailable {
			// Machine-readable "saved and queued" vs "nothing was changed":
			// a client retries only the latter.
			if e.OutcomeUnknown {
				gerr.Extensions["outcome"] = "UNKNOWN"
			} else {
				gerr.Extensions["queued"] = e.Queued
			}
		}
		if e.Code == errs.Internal || e.Code == errs.Unavailable {
			s.log.ErrorContext(ctx, "request failed", "code", e.Code, "err", e.Err, "path", gerr.Path)
		}
		return gerr
	}
	if _, ok := gerr.Extensions["code"]; ok {
		// gqlgen's own: parse and validation failures, complexity.
		switch gerr.Extensions["code"] {
		case "COMPLEXITY_LIMIT_EXCEEDED":
			gerr.Extensions["code"] = string(errs.ComplexityLimit)
			gerr.Extensions["limit"] = ComplexityLimit
			gerr.Message += ": ask for fewer nested lists or smaller pages (first:), or split the operation into several requests"
		case errcode.ValidationFailed:
			if isVariablePath(gerr.Path) {
				// A variable's value the operation refuses (a wrong type, a
				// missing required one) is a bad argument value, not a
				// wrong query (Apollo Server says so too). Its message
				// names the variable.
				gerr.Extensions["code"] = string(errs.BadUserInput)
			}
		}
		// GRAPHQL_PARSE_FAILED and GRAPHQL_VALIDATION_FAILED stay as gqlgen
		// (and Apollo) name them: a client tells a wrong query from a wrong
		// value by them (errors.go).
		return gerr
	}
	if ge, ok := err.(*gqlerror.Error); ok && len(ge.Path) > 0 {
		// An argument that failed to unmarshal (a bad enum, a wrong type):
		// gqlgen hands over the unmarshaler's error (so Unwrap is not nil)
		// wrapped with the argument's path below its field's path.
		gerr.Extensions["code"] = string(errs.BadUserInput)
		if fc := graphql.GetFieldContext(ctx); fc != nil {
			if f := argumentField(ge.Path, fc.Path()); f != "" {
				gerr.Extensions["field"] = f
			}
		}
		return gerr
	}
	s.log.ErrorContext(ctx, "unexpected error", "err", err, "path", gerr.Path)
	gerr.Message = "internal error"
	gerr.Extensions["code"] = string(errs.Internal)
	return gerr
}

// argumentField is an argument's path below its field's, as
// extensions.field spells it ("input.grants[0].scope"); "" when path is not
// below field.
func argumentField(path, field ast.Path) string {
	if len(path) <= len(field) {
		return ""
	}
	for i := range field {
		if fmt.Sprint(path[i]) != fmt.Sprint(field[i]) {
			return ""
		}
	}
	var b strings.Builder
	for _, e := range path[len(field):] {
		switch e := e.(type) {
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(e))
		case ast.PathName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(e))
		}
	}
	return b.String()
}

func writeError(w http.ResponseWriter, status int, code errs.Code, msg string) {
	errs.WriteHTTP(w, status, &errs.Error{Code: code, Message: msg})
}
