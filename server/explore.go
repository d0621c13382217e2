package server

// Exploring the API (issue 16). Without --production anyone may introspect
// and sees "did you mean" suggestions, as before. With --production GraphiQL
// is still served, but introspection (__schema, __type) answers only a
// member holding api.explore (anyone else: FORBIDDEN naming it), and only
// such a member sees suggestions in validation errors. The decision is
// domain.Service.RequireExplore: the same cached, fail-closed SpiceDB check
// as every other permission.

import (
	"context"
	"errors"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/identity"
)

// mayExplore is nil when the request's caller holds api.explore. Only a
// member can: an anonymous request, an operator or a service is refused
// without asking SpiceDB.
func mayExplore(ctx context.Context, svc *domain.Service) error {
	p := identity.FromContext(ctx)
	if p == nil || p.Kind != identity.Member || p.MemberID == "" || p.OrgID == "" {
		return errs.Denied(catalog.PermissionExplore,
			"introspection on this server needs the %s permission: sign in (Authorization: Bearer <token>) as a member whose role grants it", catalog.PermissionExplore)
	}
	return svc.RequireExplore(ctx, domain.Caller{OrgID: p.OrgID, MemberID: p.MemberID})
}

// exploreCheck is operationLimits' question for an operation that
// introspects; nil (any caller may) without --production.
func (s *Server) exploreCheck(svc *domain.Service) func(context.Context) *gqlerror.Error {
	if !s.Config.Production {
		return nil
	}
	return func(ctx context.Context) *gqlerror.Error {
		err := mayExplore(ctx, svc)
		if err == nil {
			return nil
		}
		// presentError gives it its code and permission (through Err).
		var e *errs.Error
		msg := "internal error"
		if errors.As(err, &e) {
			msg = e.Message
			if e.Code == errs.Forbidden {
				err = errs.Denied(catalog.PermissionExplore, "introspection (__schema, __type) on this server needs the %s permission: ask an administrator for a role that grants it, or read the schema from schema.graphql", catalog.PermissionExplore)
				msg = err.(*errs.Error).Message
			}
		}
		return &gqlerror.Error{Message: msg, Err: err}
	}
}

// suggestionsFor picks, per request, the handler whose validation errors
// suggest field names ("Did you mean …?") or the one whose errors do not.
// Without --production every caller gets suggestions. With it, only a
// caller holding api.explore, and the check is made only for a query not
// in the query cache: a cached query has validated, so it will raise no
// validation error to suggest in.
func (s *Server) suggestionsFor(svc *domain.Service, plain, suggesting http.Handler, valid graphql.Cache[*ast.QueryDocument]) http.Handler {
	if !s.Config.Production {
		return suggesting
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := queryOf(r)
		if q != "" && identity.FromContext(ctx) != nil {
			if _, cached := valid.Get(ctx, q); !cached && mayExplore(ctx, svc) == nil {
				suggesting.ServeHTTP(w, r)
				return
			}
		}
		plain.ServeHTTP(w, r)
	})
}

type queryKey struct{}

// queryOf is the request's query text: from the POST body limitBody read,
// or GET's query parameter; "" for a persisted query sent by hash only.
func queryOf(r *http.Request) string {
	if q, ok := r.Context().Value(queryKey{}).(string); ok {
		return q
	}
	if r.Method == http.MethodGet {
		return r.URL.Query().Get("query")
	}
	return ""
}
