package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	gqllru "github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/graph"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/resolvers"
	"github.com/rolegraph/rolegraph/web"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", withTimeout(s.authenticate(s.graphqlHandler()), s.Config.RequestTimeout))
	if !s.Config.Production {
		// GraphiQL's scripts come from the binary, not a CDN (package web).
		mux.Handle("/graphiql", web.GraphiQL("rolegraph GraphiQL", "/graphql", "/graphiql/assets/"))
		mux.Handle("/graphiql/assets/", web.Assets("/graphiql/assets/"))
	}
	s.consoleRoutes(mux) // console.go
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/readyz", s.ready)
	mux.Handle("/metrics", s.Metrics.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("rolegraph: POST /graphql, GET /graphiql, /console, /healthz, /readyz, /metrics\n"))
	})
	return mux
}

// ready answers 200 only when every dependency answers.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]error{"store": s.Store.Ping(ctx), "spicedb": s.SpiceDB.Ping(ctx)}
	if s.Config.RedisURL != "" {
		checks["redis"] = s.Cache.Ping(ctx)
	}
	body := map[string]string{}
	status := http.StatusOK
	for name, err := range checks {
		body[name] = "ok"
		if err != nil {
			body[name] = err.Error()
			status = http.StatusServiceUnavailable
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func (s *Server) graphqlHandler() http.Handler {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{Service: s.Service}, Complexity: ComplexityRoot()}))
	// Frontends send the same few documents over and over: parse and
	// validate each once.
	srv.SetQueryCache(gqllru.New[*ast.QueryDocument](1000))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	// Limits (limits.go): shape first, so the complexity walk only sees
	// operations of bounded size.
	srv.Use(operationLimits{maxDepth: MaxDepth, maxAliases: MaxAliases, maxFields: MaxFields, noIntrospection: s.Config.Production})
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit, complexityOptions()...))
	if !s.Config.Production {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetDisableSuggestion(true)
	}
	srv.SetErrorPresenter(s.presentError)
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		s.log.Error("panic in resolver", "panic", v)
		return errs.New(errs.Internal, "internal error")
	})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		start := time.Now()
		op := graphql.GetOperationContext(ctx)
		kind := "query"
		if op.Operation != nil {
			kind = string(op.Operation.Operation)
		}
		if kind != "query" {
			// Only queries run on speculation: a change waits for the
			// authentication read and acts on the organization it read.
			read, speculative, ok := awaitAuth(ctx)
			if speculative && !ok {
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: "sign in again: this member may not act",
					Extensions: map[string]any{"code": string(errs.Unauthenticated)}}}})
			}
			if speculative {
				domain.Prime(ctx, read.org)
			}
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
	return limitBody(srv)
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
			gerr.Extensions["queued"] = e.Queued
		}
		if e.Code == errs.Internal || e.Code == errs.Unavailable {
			s.log.Error("request failed", "code", e.Code, "err", e.Err, "path", gerr.Path)
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
		case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
			gerr.Extensions["code"] = string(errs.BadUserInput)
		}
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
	s.log.Error("unexpected error", "err", err, "path", gerr.Path)
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

// authenticate turns the bearer token into the request's identity. No token
// leaves the request anonymous (only acceptInvitation works then); a bad
// token, or one for a member who is not ACTIVE, is refused outright. The
// member and organization read runs beside the operation when this
// process has seen the organization before (speculate.go).
func (s *Server) authenticate(next http.Handler) http.Handler {
	serve := func(w http.ResponseWriter, r *http.Request, id *resolvers.Identity, org *model.Organization, gate *authGate) {
		ctx := resolvers.WithIdentity(r.Context(), id, s.Service)
		if org != nil {
			domain.Prime(ctx, org)
		}
		if gate != nil {
			ctx = withGate(ctx, gate)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := authn.FromRequest(r)
		if !ok {
			if r.Header.Get("Authorization") != "" {
				unauthenticated(w, "send Authorization: Bearer <token>")
				return
			}
			serve(w, r, nil, nil, nil)
			return
		}
		claims, err := authn.Verify(s.Secret, raw, time.Now())
		if err != nil {
			unauthenticated(w, "the bearer token is invalid or expired: get a new one")
			return
		}
		id := &resolvers.Identity{OrgID: claims.Org, MemberID: claims.Subject, Operator: claims.Operator}
		if claims.Operator {
			serve(w, r, id, nil, nil)
			return
		}
		pending := make(chan authRead, 1)
		go func() {
			org, m, err := s.Store.GetOrganizationMember(r.Context(), claims.Org, claims.Subject)
			pending <- authRead{org: org, member: m, err: err}
		}()
		if s.speculate(w, r, claims.Org, pending, func(w http.ResponseWriter, r *http.Request, org *model.Organization, gate *authGate) {
			serve(w, r, id, org, gate)
		}) {
			return
		}
		read := <-pending
		if !s.admit(w, read) {
			return
		}
		s.recent.put(read.org)
		serve(w, r, id, read.org, nil)
	})
}

func unauthenticated(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusUnauthorized, errs.Unauthenticated, msg)
}

func writeError(w http.ResponseWriter, status int, code errs.Code, msg string) {
	ext := map[string]any{"code": string(code)}
	if code == errs.Unavailable {
		ext["queued"] = false // refused before anything ran
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": ext}}})
}
