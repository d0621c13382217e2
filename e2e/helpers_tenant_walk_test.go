package e2e

// Helpers of tenant_walk_test.go: building a call for any field of the
// schema from the schema alone (arguments, input objects, selections), the
// id positions of a call, and comparing two answers with the sent id
// masked.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/server"
)

// resourceKinds are the kinds a polymorphic resourceId is walked with,
// and kindPermission the permission asked of each (one that fits the kind,
// so that the call is valid with org A's id).
var resourceKinds = []ids.Kind{ids.Interaction, ids.Member, ids.Team, ids.Evaluation, ids.Organization}

var kindPermission = map[ids.Kind]string{
	ids.Interaction:  "interactions.read",
	ids.Member:       "members.write",
	ids.Team:         "members.write",
	ids.Evaluation:   "evaluations.read",
	ids.Organization: "members.read",
}

// argPos is one ID-typed value inside a call's variables.
type argPos struct {
	path  []any    // into the variables: variable name, input fields, list indexes
	field string   // the argument as extensions.field spells it: "input.assigneeIds"
	kind  ids.Kind // what the id names
	poly  bool     // a polymorphic resourceId (walked once per kind)
}

func (p argPos) String() string {
	var b strings.Builder
	for i, e := range p.path {
		switch e := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", e)
		case string:
			if i == 0 {
				continue // the variable's name; field says the argument
			}
		}
	}
	return p.field + b.String() + " (" + string(p.kind) + ")"
}

// walkCall is one operation built for one field.
type walkCall struct {
	name     string // Query.member, Mutation.deleteRole, Member.can (via viewer)
	context  string // "resourceId as int" for polymorphic calls
	mutation bool
	query    string
	vars     map[string]any
	pos      []argPos
}

func (c walkCall) label() string {
	if c.context == "" {
		return c.name
	}
	return c.name + " [" + c.context + "]"
}

// walkBuild builds the arguments of one field.
type walkBuild struct {
	t     *testing.T
	s     *ast.Schema
	f     *walkFixture
	field string   // the field whose arguments these are (infers `id`)
	res   ids.Kind // the kind resourceId takes in this call
	vars  map[string]any
	decls []string
	pos   []argPos
	poly  bool // a resourceId was met
}

// isRequired: a value must be given (non-null without a default).
func isRequired(t *ast.Type, def *ast.Value) bool { return t.NonNull && def == nil }

// typeHasID reports whether a value of type t can carry an ID anywhere.
func typeHasID(s *ast.Schema, t *ast.Type, seen map[string]bool) bool {
	if t.Elem != nil {
		return typeHasID(s, t.Elem, seen)
	}
	if t.NamedType == "ID" {
		return true
	}
	def := s.Types[t.NamedType]
	if def == nil || def.Kind != ast.InputObject || seen[def.Name] {
		return false
	}
	seen[def.Name] = true
	for _, f := range def.Fields {
		if typeHasID(s, f.Type, seen) {
			return true
		}
	}
	return false
}

// args fills the variables for fd's arguments: every required one, and
// every optional one that can carry an id. It returns "(a: $v0, …)".
func (b *walkBuild) args(fd *ast.FieldDefinition) string {
	var parts []string
	for _, a := range fd.Arguments {
		if !isRequired(a.Type, a.DefaultValue) && !typeHasID(b.s, a.Type, map[string]bool{}) {
			continue
		}
		v := fmt.Sprintf("v%d", len(b.decls))
		b.vars[v] = b.value(a.Name, a.Type, []any{v}, a.Name)
		b.decls = append(b.decls, "$"+v+": "+a.Type.String())
		parts = append(parts, a.Name+": $"+v)
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func appendPath(path []any, e any) []any {
	return append(append([]any{}, path...), e)
}

// value builds a valid value of org A for an argument or input field.
func (b *walkBuild) value(name string, typ *ast.Type, path []any, field string) any {
	b.t.Helper()
	if typ.Elem != nil {
		return []any{b.value(name, typ.Elem, appendPath(path, 0), field)}
	}
	if typ.NamedType == "ID" {
		kind, poly := b.idKind(name)
		b.pos = append(b.pos, argPos{path: append([]any{}, path...), field: field, kind: kind, poly: poly})
		return b.f.mineFor(name, kind)
	}
	def := b.s.Types[typ.NamedType]
	if def == nil {
		b.t.Fatalf("tenant walk: %s.%s has unknown type %s", b.field, field, typ.NamedType)
	}
	switch def.Kind {
	case ast.Enum:
		if len(def.EnumValues) == 0 {
			break
		}
		return def.EnumValues[0].Name
	case ast.InputObject:
		m := map[string]any{}
		for _, f := range def.Fields {
			if !isRequired(f.Type, f.DefaultValue) && !typeHasID(b.s, f.Type, map[string]bool{}) {
				continue
			}
			m[f.Name] = b.value(f.Name, f.Type, appendPath(path, f.Name), field+"."+f.Name)
		}
		if len(m) == 0 && len(def.Fields) > 0 {
			// All optional (updateMember, setMemberPreferences): an empty
			// input is refused for itself, before the id is looked at, so
			// give the first field.
			f := def.Fields[0]
			m[f.Name] = b.value(f.Name, f.Type, appendPath(path, f.Name), field+"."+f.Name)
		}
		return m
	case ast.Scalar:
		switch def.Name {
		case "String":
			return b.text(name)
		case "Int":
			if name == "score" {
				return 50
			}
			return 1
		case "Boolean":
			return false
		case "Float":
			return 1.5
		}
	}
	b.t.Fatalf("tenant walk: cannot build a value of type %s for %s(%s): teach the walker (helpers_tenant_walk_test.go) how", typ.NamedType, b.field, field)
	return nil
}

// text is a valid string for an argument named name.
func (b *walkBuild) text(name string) string {
	b.f.n++
	n := b.f.n
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "email"):
		return fmt.Sprintf("walk.new%d@walkalpha.example", n)
	case l == "permission":
		return kindPermission[b.res]
	case strings.HasSuffix(name, "At"):
		return time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	case l == "locale":
		return "en-US"
	case l == "timezone":
		return "Europe/Berlin"
	case l == "token":
		return fmt.Sprintf("walktoken%d%s", n, strings.Repeat("x", 32))
	}
	return fmt.Sprintf("Walk %d", n)
}

// idKind infers what an ID argument names from its name, and for `id`
// from the field's name (deleteTeam → team). A name it cannot read fails
// the test: a new operation must not escape the walk.
func (b *walkBuild) idKind(name string) (ids.Kind, bool) {
	b.t.Helper()
	switch name {
	case "memberId", "ownerId", "agentId", "assigneeIds", "evaluatorId":
		return ids.Member, false
	case "roleId", "roleIds", "cloneFromId", "reassignToId":
		return ids.Role, false
	case "teamId", "teamIds", "parentId":
		return ids.Team, false
	case "interactionId", "interactionIds":
		return ids.Interaction, false
	case "evaluationId", "evaluationIds":
		return ids.Evaluation, false
	case "organizationId", "orgId":
		return ids.Organization, false
	case "resourceId":
		b.poly = true
		return b.res, true
	case "id":
		l := strings.ToLower(b.field)
		for _, k := range []struct {
			suffix string
			kind   ids.Kind
		}{{"member", ids.Member}, {"role", ids.Role}, {"team", ids.Team}, {"interaction", ids.Interaction},
			{"evaluation", ids.Evaluation}, {"organization", ids.Organization}, {"accessrequest", ids.AccessRequest}} {
			if strings.HasSuffix(l, k.suffix) {
				return k.kind, false
			}
		}
	}
	b.t.Fatalf("tenant walk: cannot tell what kind of id %s(%s) takes: teach the walker (idKind in helpers_tenant_walk_test.go)", b.field, name)
	return "", false
}

// selectionFor selects every field of typ that takes no required argument,
// objects down to depth levels.
func selectionFor(s *ast.Schema, typ *ast.Type, depth int) string {
	def := s.Types[typ.Name()]
	if def == nil || def.Kind == ast.Scalar || def.Kind == ast.Enum {
		return ""
	}
	if def.Kind != ast.Object {
		return "{ __typename }"
	}
	var parts []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || hasRequiredArgs(f) {
			continue
		}
		fd := s.Types[f.Type.Name()]
		if fd != nil && (fd.Kind == ast.Scalar || fd.Kind == ast.Enum) {
			parts = append(parts, f.Name)
		} else if depth > 0 {
			parts = append(parts, f.Name+" "+selectionFor(s, f.Type, depth-1))
		}
	}
	if len(parts) == 0 {
		parts = []string{"__typename"}
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

func hasRequiredArgs(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if isRequired(a.Type, a.DefaultValue) {
			return true
		}
	}
	return false
}

// operationDocument writes the operation: parents are the fields leading to fd
// (none for a root field), sel what is selected of fd's result, as deep as
// the server's limits allow.
func operationDocument(t *testing.T, s *ast.Schema, op string, parents []string, fd *ast.FieldDefinition, args string, decls []string, vars map[string]any) string {
	t.Helper()
	var lastErr error
	for depth := 3; depth >= 0; depth-- {
		inner := fd.Name + args + " " + selectionFor(s, fd.Type, depth)
		for i := len(parents) - 1; i >= 0; i-- {
			inner = parents[i] + " { " + inner + " }"
		}
		head := op
		if len(decls) > 0 {
			head += "(" + strings.Join(decls, ", ") + ")"
		}
		q := head + " { " + inner + " }"
		shape, cost, err := server.Measure(q, "", vars)
		if err != nil {
			lastErr = err
			continue
		}
		if cost <= server.ComplexityLimit && shape.Depth <= server.MaxDepth && shape.Fields <= server.MaxFields && shape.Aliases <= server.MaxAliases {
			return q
		}
		lastErr = fmt.Errorf("cost %d, shape %+v", cost, shape)
	}
	t.Fatalf("tenant walk: cannot write an operation for %s within the limits: %v", fd.Name, lastErr)
	return ""
}

// withValueAt is a deep copy of vars with the value at path replaced by v.
func withValueAt(vars map[string]any, path []any, v any) map[string]any {
	out := deepCopy(vars).(map[string]any)
	var cur any = out
	for i, p := range path {
		last := i == len(path)-1
		switch k := p.(type) {
		case string:
			m := cur.(map[string]any)
			if last {
				m[k] = v
			} else {
				cur = m[k]
			}
		case int:
			l := cur.([]any)
			if last {
				l[k] = v
			} else {
				cur = l[k]
			}
		}
	}
	return out
}

// valueAt is the value at path in vars ("" when it is not a string).
func valueAt(vars map[string]any, path []any) string {
	var cur any = vars
	for _, p := range path {
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	s, _ := cur.(string)
	return s
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// maskSent replaces the id the request sent in the answer's text.
func maskSent(raw []byte, sent string) string {
	if sent == "" {
		return string(raw)
	}
	return strings.ReplaceAll(string(raw), sent, "<sent id>")
}

// canonicalOutcome is the answer, with the sent id masked, in a canonical form:
// HTTP status and the whole JSON body (data, errors with messages, paths
// and extensions) with sorted keys.
func canonicalOutcome(r *response, sent string) string {
	var v any
	if err := json.Unmarshal([]byte(maskSent(r.raw, sent)), &v); err != nil {
		return fmt.Sprintf("HTTP %d (not JSON) %s", r.Status, r.raw)
	}
	b, _ := json.Marshal(v)
	return fmt.Sprintf("HTTP %d %s", r.Status, b)
}

// outcomeOf summarizes an answer for the log: its first error's code and
// field, or "data".
func outcomeOf(r *response) string {
	if len(r.Errors) == 0 {
		return "data"
	}
	e := r.Errors[0]
	if e.Field() != "" {
		return e.Code() + "(" + e.Field() + ")"
	}
	return e.Code()
}

// walkTiming is one pair's durations.
type walkTiming struct {
	label         string
	foreign, unkn []time.Duration
	medF, medU    time.Duration
	ratio         float64 // medF / medU
	// again measures the same pair again, reps times.
	again func(t *testing.T, reps int) *walkTiming
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianFloat(fs []float64) float64 {
	s := append([]float64{}, fs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
