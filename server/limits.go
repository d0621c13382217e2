package server

// What one GraphQL request may ask, and how a request past a limit is
// refused. Every refusal is a JSON GraphQL error body with extensions.code
// from the contract, and a message that says what to do instead:
//
//   - body larger than MaxBodyBytes: HTTP 413, BAD_USER_INPUT;
//   - a body that is not one JSON object (a batch array, malformed JSON, a
//     wrong content type): HTTP 400/415, BAD_USER_INPUT;
//   - fields nested deeper than MaxDepth, more than MaxAliases aliases or
//     MaxFields fields (fragments expanded), or a cost above ComplexityLimit:
//     HTTP 422, COMPLEXITY_LIMIT;
//   - a request running past Config.RequestTimeout: HTTP 503, UNAVAILABLE;
//   - with --production, introspection (__schema, __type) by a caller
//     without api.explore: HTTP 200, FORBIDDEN (explore.go). __typename
//     stays allowed. The limits above apply to introspection too.
//   - a query that does not parse or validate: HTTP 200,
//     GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED (errors.go).
//
// Those statuses are application/json's; a client that accepts
// application/graphql-response+json gets the GraphQL-over-HTTP spec's
// (graphqlhttp.go): every operation refused before it ran is 4xx there.
//
// Batching (a JSON array of operations in one POST) is not supported.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/graph"
	"github.com/rolegraph/rolegraph/model"
)

const (
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes = 1 << 20
	// MaxDepth bounds how deeply fields nest, counted through fragments.
	// Introspection's ofType chains do not count: they never fan out, and
	// GraphiQL's own introspection query nests them nine deep.
	MaxDepth = 12
	// MaxAliases bounds the aliases in one operation, counted as executed
	// (an alias inside a fragment counts once per spread).
	MaxAliases = 50
	// MaxFields bounds the field selections of one operation once its
	// fragments are expanded (a fragment spread twice counts twice):
	// fragments spreading fragments grow exponentially, and gqlgen's
	// complexity walk expands them all.
	MaxFields = 2000
	// ComplexityLimit bounds an operation's cost (ComplexityRoot): roughly
	// the number of objects it may resolve, lists counted at their page
	// size or a typical length, scalars free except those that ask
	// SpiceDB or count rows.
	ComplexityLimit = 5000
)

// codeComplexityLimit is the contract's code for every limit on the
// operation's shape; gqlgen's own COMPLEXITY_LIMIT_EXCEEDED is renamed to it
// by presentError.
const codeComplexityLimit = string(errs.ComplexityLimit)

func init() {
	// A refused operation never ran: HTTP 422, as for validation errors.
	errcode.RegisterErrorType(codeComplexityLimit, errcode.KindProtocol)
	errcode.RegisterErrorType("COMPLEXITY_LIMIT_EXCEEDED", errcode.KindProtocol)
	errcode.RegisterErrorType(string(errs.BadUserInput), errcode.KindProtocol)
}

// --- the operation's shape: depth, aliases, introspection ---

// operationLimits is a gqlgen extension that refuses operations nested too
// deep or with too many aliases, and introspection by callers that may not
// (explore.go). It runs
// before the complexity limit, so gqlgen's complexity walk (which expands
// every fragment spread) only ever sees operations of bounded size.
type operationLimits struct {
	maxDepth, maxAliases, maxFields int
	// explore, when set, is asked before an operation that introspects
	// runs (production); nil: introspection is open (extension.Introspection).
	explore func(context.Context) *gqlerror.Error
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = operationLimits{}

func (operationLimits) ExtensionName() string                   { return "OperationLimits" }
func (operationLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (l operationLimits) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	sh := measure(opCtx.Doc, opCtx.Operation, max(l.maxAliases, l.maxFields)+1)
	if sh.Introspection && l.explore != nil {
		if err := l.explore(ctx); err != nil {
			return err
		}
		opCtx.DisableIntrospection = false
	}
	switch {
	case sh.Depth > l.maxDepth:
		err := gqlerror.Errorf("the operation nests fields %d levels deep; at most %d are allowed: ask for less nested data, and fetch deeper objects by id in another request", sh.Depth, l.maxDepth)
		errcode.Set(err, codeComplexityLimit)
		err.Extensions["limit"] = l.maxDepth
		err.Extensions["depth"] = sh.Depth
		return err
	case sh.Aliases > l.maxAliases:
		err := gqlerror.Errorf("the operation uses more than %d aliases (counting each fragment spread): split it into several requests", l.maxAliases)
		errcode.Set(err, codeComplexityLimit)
		err.Extensions["limit"] = l.maxAliases
		return err
	case sh.Fields > l.maxFields:
		err := gqlerror.Errorf("the operation selects more than %d fields once its fragments are expanded: spread fragments less often, or split the operation into several requests", l.maxFields)
		errcode.Set(err, codeComplexityLimit)
		err.Extensions["limit"] = l.maxFields
		return err
	}
	return nil
}

// Shape is what the limits measure of one operation.
type Shape struct {
	// Depth is the deepest field nesting, through fragments.
	Depth int
	// Aliases counts aliased fields as executed: an alias in a fragment
	// counts once per spread. Saturates at the cap measure was given.
	Aliases int
	// Fields counts field selections as executed, fragments expanded.
	// Saturates like Aliases.
	Fields int
	// Introspection: __schema or __type is selected somewhere. (How deep
	// introspection may nest is gqlparser's own validation rule.)
	Introspection bool
}

// measure walks an operation's selections, expanding fragments. Each
// fragment is measured once (memoized), so the walk is linear in the
// document even for fragments spread exponentially often.
func measure(doc *ast.QueryDocument, op *ast.OperationDefinition, aliasCap int) Shape {
	w := &shapeWalker{doc: doc, cap: aliasCap}
	return w.set(op.SelectionSet)
}

type shapeWalker struct {
	doc    *ast.QueryDocument
	cap    int
	frags  map[string]Shape
	active map[string]bool
}

func (w *shapeWalker) set(sels ast.SelectionSet) Shape {
	var out Shape
	for _, sel := range sels {
		var s Shape
		switch x := sel.(type) {
		case *ast.Field:
			s = w.set(x.SelectionSet)
			s.Fields = min(s.Fields+1, w.cap)
			if !(x.Name == "ofType" && x.ObjectDefinition != nil && x.ObjectDefinition.Name == "__Type") {
				s.Depth++
			}
			if x.Alias != "" && x.Alias != x.Name {
				s.Aliases = min(s.Aliases+1, w.cap)
			}
			if x.Name == "__schema" || x.Name == "__type" {
				s.Introspection = true
			}
		case *ast.InlineFragment:
			s = w.set(x.SelectionSet)
		case *ast.FragmentSpread:
			s = w.fragment(x.Name)
		}
		out.Depth = max(out.Depth, s.Depth)
		out.Aliases = min(out.Aliases+s.Aliases, w.cap)
		out.Fields = min(out.Fields+s.Fields, w.cap)
		out.Introspection = out.Introspection || s.Introspection
	}
	return out
}

func (w *shapeWalker) fragment(name string) Shape {
	if s, ok := w.frags[name]; ok {
		return s
	}
	def := w.doc.Fragments.ForName(name)
	if def == nil || w.active[name] {
		// Unknown or cyclic: validation refuses both before this runs.
		return Shape{}
	}
	if w.frags == nil {
		// Made on the first spread: most operations have none.
		w.frags, w.active = map[string]Shape{}, map[string]bool{}
	}
	w.active[name] = true
	s := w.set(def.SelectionSet)
	delete(w.active, name)
	w.frags[name] = s
	return s
}

// --- complexity ---

// Typical lengths of lists that have no page argument: what one item of
// them costs is multiplied by these.
const (
	typicalRoles        = 10 // an organization's roles
	typicalTeams        = 10 // an organization's teams
	typicalTeamMembers  = 10
	typicalTeamManagers = 2
	typicalChildTeams   = 3
	typicalMemberRoles  = 2
	typicalMemberTeams  = 2
	typicalManagedTeams = 1
	typicalAssignees    = 2
	typicalWhoCan       = 20
	defaultPageSize     = 50 // resolvers' default for first
)

// Costs of scalar fields that ask SpiceDB or count rows (other scalars are
// free: see complexity.WithFixedScalarValue(0) in graphqlHandler).
const (
	costCheck     = 5  // one permission check
	costBulkCheck = 10 // one bulk check (a member's grants)
	costCount     = 2  // one counting query
	costLookup    = 10 // a SpiceDB lookup
)

func pageOf(first *int) int {
	if first == nil {
		return defaultPageSize
	}
	// Out-of-range values are refused by the resolver; price them as the
	// nearest valid page so the error the caller sees is about first.
	return min(max(*first, 1), domain.MaxPageSize)
}

// times is a list of n items each costing child, plus the field itself.
func times(n int) func(int) int {
	return func(child int) int { return 1 + n*max(child, 1) }
}

func flat(cost int) func(int) int {
	return func(child int) int { return cost + child }
}

// ComplexityRoot prices rolegraph's fields for the complexity limit.
func ComplexityRoot() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	// Paged connections: a page of first (default 50) items.
	c.Organization.Members = func(child int, first *int, _ *string, _ *model.MemberStatus, _ *string, _ *string) int {
		return 1 + pageOf(first)*max(child, 1)
	}
	c.Query.Members = func(child int, first *int, _ *string, _ *model.MemberStatus, _ *string, _ *string) int {
		return 1 + pageOf(first)*max(child, 1)
	}
	c.Query.Interactions = func(child int, first *int, _ *string, _ *string) int {
		return 1 + pageOf(first)*max(child, 1)
	}
	c.Query.Evaluations = func(child int, first *int, _ *string) int {
		return 1 + pageOf(first)*max(child, 1)
	}
	c.Query.AuditLog = func(child int, first *int, _ *string) int {
		return 1 + pageOf(first)*max(child, 1)
	}
	// Edges and nodes are wrappers: an item costs what is asked of it.
	// (gqlgen ignores a custom complexity below 1, so an item asking only
	// scalars still costs 1.)
	wrapper := func(child int) int { return child }
	c.MemberConnection.Edges, c.MemberEdge.Node = wrapper, wrapper
	c.InteractionConnection.Edges, c.InteractionEdge.Node = wrapper, wrapper
	c.AuditEventConnection.Edges, c.AuditEventEdge.Node = wrapper, wrapper
	c.MemberConnection.TotalCount = flat(costCount)
	c.InteractionConnection.TotalCount = flat(costCount)
	c.AuditEventConnection.TotalCount = flat(costCount)

	// Entity lists without paging.
	c.Organization.Roles = times(typicalRoles)
	c.Organization.Teams = times(typicalTeams)
	c.Team.Members = times(typicalTeamMembers)
	c.Team.Managers = times(typicalTeamManagers)
	c.Team.Children = times(typicalChildTeams)
	c.Member.Roles = times(typicalMemberRoles)
	c.Member.Teams = times(typicalMemberTeams)
	c.Member.ManagedTeams = times(typicalManagedTeams)
	c.Interaction.Assignees = times(typicalAssignees)
	c.Query.WhoCan = func(child int, _ string, _ string) int { return costLookup + typicalWhoCan*max(child, 1) }

	// Scalars and small objects that ask SpiceDB or count.
	c.Member.Can = func(child int, _ string, _ *string) int { return costCheck }
	c.Query.Can = func(child int, _ string, _ *string, _ *string) int { return costCheck }
	c.Member.Grants = flat(costBulkCheck)
	c.Role.MemberCount = flat(costCount)
	c.SeatPool.Used = flat(costCount)
	c.Interaction.ViewerCan = flat(costCheck)
	return c
}

// complexityOptions: scalars are free unless priced in ComplexityRoot.
func complexityOptions() []complexity.Option {
	return []complexity.Option{complexity.WithFixedScalarValue(0)}
}

var measureSchema = sync.OnceValue(func() graphql.ExecutableSchema {
	return graph.NewExecutableSchema(graph.Config{Complexity: ComplexityRoot()})
})

// Measure parses and validates query against rolegraph's schema and returns
// its shape and cost as the limits see them (for tests and tooling).
func Measure(query, operationName string, vars map[string]any) (Shape, int, error) {
	es := measureSchema()
	doc, errList := gqlparser.LoadQuery(es.Schema(), query)
	if len(errList) > 0 {
		return Shape{}, 0, errList
	}
	op := doc.Operations.ForName(operationName)
	if op == nil {
		return Shape{}, 0, fmt.Errorf("operation %q not found", operationName)
	}
	return measure(doc, op, 1<<30), complexity.Calculate(context.Background(), es, op, vars, complexityOptions()...), nil
}

// --- the HTTP request: body size, batching, content type, timeout ---

// limitBody reads a POST body of at most MaxBodyBytes and checks it is one
// JSON object before gqlgen sees it: gqlgen would answer an oversized body
// with a 200 and a malformed one with an error echoing the whole body.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > MaxBodyBytes {
			w.Header().Set("Connection", "close") // do not wait for the rest of the body
			writeError(w, http.StatusRequestEntityTooLarge, errs.BadUserInput, tooLarge())
			return
		}
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, errs.BadUserInput,
				`send the operation as Content-Type: application/json, {"query": "…", "variables": {…}}`)
			return
		}
		start := graphql.Now()
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			w.Header().Set("Connection", "close")
			writeError(w, http.StatusRequestEntityTooLarge, errs.BadUserInput, tooLarge())
			return
		case err != nil:
			writeError(w, http.StatusBadRequest, errs.BadUserInput, "the request body could not be read: send it again")
			return
		}
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
			writeError(w, http.StatusBadRequest, errs.BadUserInput,
				"batched operations (a JSON array) are not supported: send one operation per request, or combine the fields into one operation")
			return
		}
		params, err := decodeParams(body)
		if err != nil {
			msg := `the request body is not a JSON object like {"query": "…", "variables": {…}}`
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				msg = fmt.Sprintf("%s: %q must be a JSON %s", msg, te.Field, map[string]string{
					"query": "string", "operationName": "string", "variables": "object", "extensions": "object"}[te.Field])
			}
			writeError(w, http.StatusBadRequest, errs.BadUserInput, msg)
			return
		}
		params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		ctx := context.WithValue(r.Context(), queryKey{}, params.Query) // explore.go
		r = r.WithContext(context.WithValue(ctx, paramsKey{}, params))
		next.ServeHTTP(w, r)
	})
}

func tooLarge() string {
	return fmt.Sprintf("the request body is larger than %d bytes: send less (a smaller operation or variables), or split it into several requests", MaxBodyBytes)
}

// decodeParams decodes a POST body as gqlgen's POST transport does
// (numbers in variables stay json.Number, so an Int variable is checked
// as sent), refusing what json.Unmarshal refuses: anything after the
// object but white space.
func decodeParams(body []byte) (*graphql.RawParams, error) {
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailing
	}
	return &params, nil
}

var errTrailing = errors.New("data after the JSON object")

// paramsKey holds the operation limitBody decoded, for decodedPOST.
type paramsKey struct{}

// decodedPOST is gqlgen's POST transport answering from the operation
// limitBody already read and decoded: the body is not read and decoded a
// second time (JSON decoding was a fifth of the handler's CPU time for a
// small operation). What it writes is what transport.POST writes.
type decodedPOST struct{ transport.POST }

func (t decodedPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	params, ok := ctx.Value(paramsKey{}).(*graphql.RawParams)
	if !ok {
		t.POST.Do(w, r, exec)
		return
	}
	// graphqlMediaType leaves Accept naming exactly one of the two types,
	// or absent for application/json: transport.POST's negotiation then
	// comes to this.
	contentType := mediaJSON
	if r.Header.Get("Accept") == mediaGraphQLResponse {
		contentType = mediaGraphQLResponse
	}
	w.Header().Add("Content-Type", contentType)
	params.Headers = r.Header
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status := http.StatusOK
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if contentType == mediaGraphQLResponse {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

func writeResponse(w io.Writer, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		panic(fmt.Errorf("unable to marshal %s: %w", string(resp.Data), err))
	}
	_, _ = w.Write(b)
}

// withTimeout bounds a whole request, authentication included. Past the
// timeout the request's context is cancelled (nothing more is started for
// it) and the caller gets a 503 with a JSON GraphQL error at once, even if
// next is still running (a stalled body read, a call that ignores its
// context).
//
// It answers as http.TimeoutHandler did (same status, headers and body;
// the e2e limits test pins them) but serves next in the connection's own
// goroutine: TimeoutHandler started a goroutine per request, whose fresh
// stack grew through gqlgen's deep call chain on every request (2.5 s of
// 10.9 s of middleware samples in issue 15's profile). Only the timeout
// itself runs elsewhere (context.AfterFunc), and only when it fires.
func withTimeout(next http.Handler, d time.Duration) http.Handler {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{
		"message": fmt.Sprintf("the request took longer than %s and was stopped: ask for less (fewer fields, smaller pages) or retry later; "+
			"a mutation may or may not have been applied, so read before retrying it", d),
		"extensions": map[string]any{"code": string(errs.Unavailable)}}}})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The 503 has no Content-Type of its own; a handler that finishes
		// in time replaces this one with its own.
		w.Header().Set("Content-Type", "application/json")
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		tw := &timeoutWriter{w: closeOn503{w}, h: http.Header{}, fired: make(chan struct{})}
		stop := context.AfterFunc(ctx, func() { tw.expire(ctx.Err(), body) })
		returned := false
		defer func() {
			if !stop() {
				// The timeout (or the caller leaving) came first: it
				// answers, and must be done with w before this returns.
				<-tw.fired
				return
			}
			// A panic in next goes on up with nothing written, as
			// TimeoutHandler re-panicked.
			if returned {
				tw.release()
			}
		}()
		next.ServeHTTP(tw, r.WithContext(ctx))
		returned = true
	})
}

// timeoutWriter holds a response until its handler returns in time, as
// http.TimeoutHandler's did: writes after the timeout fail with
// http.ErrHandlerTimeout.
type timeoutWriter struct {
	w     http.ResponseWriter
	h     http.Header
	fired chan struct{} // closed once expire has answered

	mu     sync.Mutex
	err    error // set when the request expired: nothing more is written
	status int
	buf    bytes.Buffer
}

func (tw *timeoutWriter) Header() http.Header { return tw.h }

func (tw *timeoutWriter) WriteHeader(status int) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.err == nil && tw.status == 0 {
		tw.status = status
	}
}

func (tw *timeoutWriter) Write(b []byte) (int, error) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.err != nil {
		return 0, tw.err
	}
	if tw.status == 0 {
		tw.status = http.StatusOK
	}
	return tw.buf.Write(b)
}

// release writes the held response: its handler returned in time.
func (tw *timeoutWriter) release() {
	dst := tw.w.Header()
	for k, vv := range tw.h {
		dst[k] = vv
	}
	if tw.status == 0 {
		tw.status = http.StatusOK
	}
	tw.w.WriteHeader(tw.status)
	_, _ = tw.w.Write(tw.buf.Bytes())
}

// expire answers a request whose context ended before its handler
// returned: 503 with body past the deadline, a bare 503 when the caller
// left (as TimeoutHandler). The answer is complete (Content-Length,
// Connection: close) and flushed now, while the handler may still run; the
// connection's read deadline is then moved to now, so a handler stuck
// reading a stalled body returns (TimeoutHandler's return closed the
// connection under it).
func (tw *timeoutWriter) expire(cause error, body []byte) {
	defer close(tw.fired)
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.err = cause
	if cause == context.DeadlineExceeded {
		tw.err = http.ErrHandlerTimeout
	} else {
		body = nil
	}
	tw.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	tw.w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = tw.w.Write(body)
	rc := http.NewResponseController(tw.w)
	_ = rc.Flush()
	_ = rc.SetReadDeadline(time.Now())
}

// closeOn503 closes the connection after a 503: after a timeout the
// request body may still be arriving (a stalled client), and net/http
// would otherwise wait for up to 256 KB of it before answering.
type closeOn503 struct{ http.ResponseWriter }

func (c closeOn503) WriteHeader(status int) {
	if status == http.StatusServiceUnavailable {
		c.Header().Set("Connection", "close")
	}
	c.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection (expire).
func (c closeOn503) Unwrap() http.ResponseWriter { return c.ResponseWriter }
