package identity

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
)

// Authentication reads the organization and the member (one store round
// trip, ~0.15 ms) before anything else, and a query's SpiceDB questions
// need the organization's revision. When this process has seen the
// organization before, a query does not wait: it runs on the organization
// as last seen while the read is under way, into a buffer, and the
// response is released only once the read is back:
//
//   - the member may not act (refusal): the buffer is dropped, 401;
//   - the organization is not exactly as speculated (any write since,
//     which bumps its revision): the query runs again on what was read,
//     so no answer is ever older than the store's revision, on any
//     replica (a revocation on another replica is denied here at once);
//   - otherwise the buffer is the response.
//
// A change never runs on speculation: the operation waits for the read
// (ChangesWait) and acts on what it returned.

// recentOrgs holds the newest organization row this process has read, per
// organization.
type recentOrgs struct{ m sync.Map }

func (r *recentOrgs) get(id string) *model.Organization {
	if v, ok := r.m.Load(id); ok {
		return v.(*model.Organization)
	}
	return nil
}

func (r *recentOrgs) put(o *model.Organization) {
	for {
		old, loaded := r.m.LoadOrStore(o.ID, o)
		if !loaded || old.(*model.Organization).Revision > o.Revision || r.m.CompareAndSwap(o.ID, old, o) {
			return
		}
	}
}

// gate hands the authentication read to a change that waits for it.
type gate struct {
	done   chan struct{}
	read   read
	waited bool // a change waited: it acted on read, never on speculation
	mu     sync.Mutex
}

type gateKey struct{}

// ChangesWait is the gqlgen extension that keeps changes off speculation:
// in a request running on speculation, an operation other than a query
// waits for the authentication read, is refused when the member may not
// act, and otherwise runs on the organization that read returned. The
// GraphQL handler behind Middleware must use it: srv.Use(identity.ChangesWait{}).
type ChangesWait struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = ChangesWait{}

func (ChangesWait) ExtensionName() string                   { return "identity.ChangesWait" }
func (ChangesWait) Validate(graphql.ExecutableSchema) error { return nil }
func (ChangesWait) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation == ast.Query {
		return next(ctx)
	}
	ctx, ok := awaitRead(ctx)
	if !ok {
		// The response is never seen when the read refused the member
		// (speculate answers 401 instead); it is when the asker left.
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: errMayNotAct.Message,
			Extensions: map[string]any{"code": string(errMayNotAct.Code)}}}})
	}
	return next(ctx)
}

// awaitRead waits for the authentication read of a request running on
// speculation, and returns the context to act in: on the organization
// read. ok is false when the member may not act, or the asker left.
func awaitRead(ctx context.Context) (_ context.Context, ok bool) {
	g, _ := ctx.Value(gateKey{}).(*gate)
	if g == nil {
		return ctx, true // not speculating: the read came first and admitted
	}
	select {
	case <-g.done:
	case <-ctx.Done():
		return ctx, false
	}
	g.mu.Lock()
	g.waited = true
	g.mu.Unlock()
	if _, e := g.read.refusal(); e != nil {
		return ctx, false
	}
	return domain.WithOrganization(ctx, g.read.org), true
}

// recorder buffers a response until it may be released.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// speculate serves r as p on the organization as last seen while pending
// brings the authentication read; false when it cannot (nothing seen yet,
// or a body it will not buffer), and then nothing was read or written.
func (a *Authenticator) speculate(next http.Handler, w http.ResponseWriter, r *http.Request, p *Principal, pending <-chan read) bool {
	spec := a.recent.get(p.OrgID)
	if spec == nil || r.ContentLength < 0 || r.ContentLength > a.maxBody {
		return false
	}
	var body []byte
	if r.Body != nil && r.ContentLength > 0 {
		body = make([]byte, r.ContentLength)
		if _, err := io.ReadFull(r.Body, body); err != nil {
			// A short or broken body: let the normal path report it.
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
			return false
		}
	}
	replay := func() *http.Request {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		return r2
	}
	g := &gate{done: make(chan struct{})}
	go func() {
		g.read = <-pending
		close(g.done)
	}()
	rec := &recorder{header: http.Header{}}
	serve(next, rec, replay(), p, spec, g)
	<-g.done
	if !a.admit(w, g.read) {
		return true
	}
	g.mu.Lock()
	waited := g.waited
	g.mu.Unlock()
	if !waited && !reflect.DeepEqual(g.read.org, spec) {
		// Written since last seen: answer on what the store says now.
		a.misses.Inc()
		serve(next, w, replay(), p, g.read.org, nil)
		return true
	}
	rec.copyTo(w)
	return true
}
