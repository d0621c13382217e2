package e2e

// Tenant isolation, by walking the schema (issue 4): "an id from another
// organization behaves exactly as an id that does not exist".
//
// TestTenantWalk reads the schema gqlgen serves and builds a call for every
// field of Query and Mutation from it alone: required arguments, and every
// optional argument or input field that can carry an id, get a valid value
// of org A (ids of the kind the argument's name says, enums their first
// value, strings a valid text, email or time). A field it cannot build a
// call for fails the test, so a new operation cannot escape the walk;
// fields of other types that take an id (Member.can) are walked through the
// shortest path from Query.
//
// For every ID-typed value of a call (inside input objects and lists too,
// and a polymorphic resourceId once per kind it takes), the call is sent
// twice: with a real id of org B of that kind, and with a well-formed id of
// that kind that exists nowhere, as org A's owner and as a low-privilege
// member of A, many times. Both answers must be identical once the sent id
// is masked: HTTP status, data, error codes, fields, paths and messages. No
// answer may name anything of org B (its ids, names, emails) but the id it
// was sent. After the pairs of a mutation, neither organization changed.
// The durations of both answers are compared too (20 repetitions per pair
// and caller on memory, 5 on Postgres, alternating which goes first, after
// a warm-up request): a gross difference (medians more than 3 times and
// more than 5ms apart) is measured again, longer, and fails if it holds;
// the ratios are reported. Queries also run a control: org A's own id must
// answer otherwise than an unknown id, or the pair could not tell.
//
// Fields without an id are still built and sent (queries as both callers,
// mutations only as the low-privilege member, whom they refuse), and
// checked not to name anything of org B.

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rolegraph/rolegraph/graph"
	"github.com/rolegraph/rolegraph/ids"
)

var allProducts = []string{"CONVERSATIONS", "QUALITY", "AI", "TELEPHONY", "CONTACT_CENTER", "KNOWLEDGE_BASE", "MESSAGING"}

// foreignID is one of org B's ids.
type foreignID struct{ label, id string }

// walkFixture: org A (the caller's) and org B (the other tenant), both PRO
// with every product, so that no plan or product refusal hides a lookup.
type walkFixture struct {
	e    *env
	a, b *org
	low  *client // agent of A: the low-privilege caller
	// mine is A's id of each kind that calls are built with.
	mine map[ids.Kind]string
	// reassignTo is A's role for reassignToId (not the role being deleted).
	reassignTo string
	foreign    map[ids.Kind][]foreignID
	// secrets: every id of org B; answers must not contain one they were
	// not sent. Everything named in B contains "zeta".
	secrets []string
	snap    *badInputFixture
	n       int
}

func newTWFixture(t *testing.T, e *env) *walkFixture {
	t.Helper()
	f := &walkFixture{e: e}
	evaluate := func(o *org, call, agent string) string {
		d := o.Owner.ok(mutCreateEvaluation, map[string]any{"in": map[string]any{"interactionId": call, "agentId": agent, "score": 60}})
		return str(d, "createEvaluation", "id")
	}
	requestAccess := func(c *client) string {
		d := c.ok(`mutation { requestAccess(permission: "interactions.delete", reason: "walk") { id } }`, nil)
		return str(d, "requestAccess", "id")
	}
	role := func(o *org, name string) string {
		d := o.Owner.ok(mutCreateRole, map[string]any{"in": map[string]any{"name": name, "grants": []map[string]any{grantVar("interactions.read", "OWN")}}})
		return str(d, "createRole", "id")
	}

	a := e.newOrg("Walk Alpha", "PRO", allProducts)
	f.a = a
	teamA := a.team("Walk Team One", "")
	a.team("Walk Team Two", "")
	f.low = a.member("walk.low@walkalpha.example", []string{"agent"}, []string{"Walk Team One"}, nil)
	target := a.member("walk.target@walkalpha.example", []string{"analyst"}, []string{"Walk Team One"}, nil)
	customA := role(a, "Walk Custom")
	callA := a.interaction("Walk call", target, "Walk Team One")
	f.mine = map[ids.Kind]string{
		ids.Organization:  a.ID,
		ids.Member:        target.MemberID,
		ids.Team:          teamA,
		ids.Role:          customA,
		ids.Interaction:   callA,
		ids.Evaluation:    evaluate(a, callA, target.MemberID),
		ids.AccessRequest: requestAccess(target),
	}
	f.reassignTo = a.role("agent")

	b := e.newOrg("Zeta Tenant", "PRO", allProducts)
	f.b = b
	teamB := b.team("Zeta Team", "")
	zed := b.member("zeta.zed@zetatenant.example", []string{"agent"}, []string{"Zeta Team"}, nil)
	d := b.Owner.ok(mutInvite, map[string]any{"in": map[string]any{"email": "zoe@zetatenant.example", "name": "Zoe Zeta",
		"roleIds": []string{b.role("agent")}, "teamIds": []string{teamB}}})
	invitedB := str(d, "inviteMember", "member", "id")
	customB := role(b, "Zeta Role")
	callB := b.interaction("Zeta call", zed, "Zeta Team")
	evalB := evaluate(b, callB, zed.MemberID)
	requestB := requestAccess(zed)
	f.foreign = map[ids.Kind][]foreignID{
		ids.Member:        {{"member", zed.MemberID}, {"owner", b.Owner.MemberID}, {"invited member", invitedB}},
		ids.Team:          {{"team", teamB}},
		ids.Role:          {{"system role", b.role("admin")}, {"custom role", customB}},
		ids.Interaction:   {{"interaction", callB}},
		ids.Evaluation:    {{"evaluation", evalB}},
		ids.Organization:  {{"organization", b.ID}},
		ids.AccessRequest: {{"access request", requestB}},
	}

	// Every id B's owner can see, and those set up above.
	seen := map[string]bool{}
	for _, id := range idPattern.FindAllString(toJSON(okAs(t, b.Owner, orgStateQuery, nil)), -1) {
		seen[id] = true
	}
	for _, fs := range f.foreign {
		for _, x := range fs {
			seen[x.id] = true
		}
	}
	for id := range seen {
		f.secrets = append(f.secrets, id)
	}
	sort.Strings(f.secrets)
	f.snap = &badInputFixture{e: e, a: a, b: b}
	return f
}

// mineFor is A's value for an id argument.
func (f *walkFixture) mineFor(name string, k ids.Kind) string {
	if name == "reassignToId" {
		return f.reassignTo
	}
	return f.mine[k]
}

// leaks lists what of org B the answer names, the sent id aside.
func (f *walkFixture) leaks(r *response, sent string) []string {
	text := maskSent(r.raw, sent)
	var out []string
	// Names and emails outside ids (a random id may spell "zeta").
	if strings.Contains(strings.ToLower(idPattern.ReplaceAllString(text, "<id>")), "zeta") {
		out = append(out, `a name or email of org B ("zeta")`)
	}
	for _, id := range f.secrets {
		if id != sent && strings.Contains(text, id) {
			out = append(out, id)
		}
	}
	return out
}

// plan builds every call of the walk. It fails the test for a field it
// cannot build.
func (f *walkFixture) plan(t *testing.T, s *ast.Schema) (calls []walkCall, fields int) {
	t.Helper()
	build := func(name string, op string, parents []string, fd *ast.FieldDefinition) {
		fields++
		for i, k := range resourceKinds {
			b := &walkBuild{t: t, s: s, f: f, field: fd.Name, res: k, vars: map[string]any{}}
			args := b.args(fd)
			c := walkCall{name: name, mutation: op == "mutation", vars: b.vars}
			c.query = operationDocument(t, s, op, parents, fd, args, b.decls, b.vars)
			if !b.poly {
				c.pos = b.pos
				calls = append(calls, c)
				return
			}
			// resourceId takes several kinds: one call per kind; the
			// other ids are walked in the first only.
			c.context = "resourceId as " + string(k)
			for _, p := range b.pos {
				if p.poly || i == 0 {
					c.pos = append(c.pos, p)
				}
			}
			calls = append(calls, c)
		}
	}
	if s.Query == nil || s.Mutation == nil {
		t.Fatal("tenant walk: the schema has no Query or no Mutation")
	}
	for _, root := range []struct {
		def *ast.Definition
		op  string
	}{{s.Query, "query"}, {s.Mutation, "mutation"}} {
		for _, fd := range root.def.Fields {
			if strings.HasPrefix(fd.Name, "__") {
				continue
			}
			build(root.def.Name+"."+fd.Name, root.op, nil, fd)
		}
	}

	// Fields of other types that take an id, reached from Query through
	// fields that need no argument (shortest path first).
	paths := map[string][]string{s.Query.Name: {}}
	queue := []string{s.Query.Name}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		for _, fd := range s.Types[name].Fields {
			if strings.HasPrefix(fd.Name, "__") || hasRequiredArgs(fd) {
				continue
			}
			next := s.Types[fd.Type.Name()]
			if next == nil || next.Kind != ast.Object {
				continue
			}
			if _, ok := paths[next.Name]; !ok {
				paths[next.Name] = append(append([]string{}, paths[name]...), fd.Name)
				queue = append(queue, next.Name)
			}
		}
	}
	var typeNames []string
	for name := range s.Types {
		typeNames = append(typeNames, name)
	}
	sort.Strings(typeNames)
	for _, name := range typeNames {
		def := s.Types[name]
		if def.Kind != ast.Object || def == s.Query || def == s.Mutation || strings.HasPrefix(name, "__") {
			continue
		}
		for _, fd := range def.Fields {
			hasID := false
			for _, a := range fd.Arguments {
				hasID = hasID || typeHasID(s, a.Type, map[string]bool{})
			}
			if !hasID {
				continue
			}
			path, ok := paths[name]
			if !ok {
				t.Fatalf("tenant walk: %s.%s takes an id but %s cannot be reached from Query without arguments: teach the walker how to reach it", name, fd.Name, name)
			}
			build(fmt.Sprintf("%s.%s (via %s)", name, fd.Name, strings.Join(path, ".")), "query", path, fd)
		}
	}
	return calls, fields
}

// walkCaller is who sends a call, and how many times each pair.
type walkCaller struct {
	label string
	c     *client
	reps  int
}

// walkRun is what one backend's walk counted.
type walkRun struct {
	pairs, compared, requests int
	controls                  int // query positions where A's id answers otherwise than an unknown id
	timings                   []*walkTiming
}

func (f *walkFixture) send(t *testing.T, run *walkRun, c *client, query string, vars map[string]any) (*response, time.Duration) {
	t.Helper()
	start := time.Now()
	r := doAs(t, c, query, vars)
	run.requests++
	return r, time.Since(start)
}

// pair sends call with pos set to a foreign id and to an unknown id of the
// same kind, reps times each, alternating which goes first, and requires
// the same answer. It reports the outcome for the log, and the unknown id's
// answer (masked) for the control.
func (f *walkFixture) pair(t *testing.T, run *walkRun, call walkCall, pos argPos, x foreignID, who walkCaller) (outcome, unknownAnswer string) {
	t.Helper()
	run.pairs++
	tm, outcome, unknownAnswer := f.pairOnce(t, run, call, pos, x, who)
	tm.again = func(t *testing.T, reps int) *walkTiming {
		again := who
		again.reps = reps
		tm, _, _ := f.pairOnce(t, run, call, pos, x, again)
		return tm
	}
	run.timings = append(run.timings, tm)
	return outcome, unknownAnswer
}

func (f *walkFixture) pairOnce(t *testing.T, run *walkRun, call walkCall, pos argPos, x foreignID, who walkCaller) (tm *walkTiming, outcome, unknownAnswer string) {
	t.Helper()
	unknown := ids.New(pos.kind)
	varsF := withValueAt(call.vars, pos.path, x.id)
	varsU := withValueAt(call.vars, pos.path, unknown)
	label := fmt.Sprintf("%s %s ← B's %s, as %s", call.label(), pos, x.label, who.label)
	tm = &walkTiming{label: label}
	// Warm up (the first request of an operation parses and validates
	// it), so that neither side pays for that.
	f.send(t, run, who.c, call.query, withValueAt(call.vars, pos.path, ids.New(pos.kind)))
	for i := 0; i < who.reps; i++ {
		var rf, ru *response
		var df, du time.Duration
		if i%2 == 0 {
			rf, df = f.send(t, run, who.c, call.query, varsF)
			ru, du = f.send(t, run, who.c, call.query, varsU)
		} else {
			ru, du = f.send(t, run, who.c, call.query, varsU)
			rf, df = f.send(t, run, who.c, call.query, varsF)
		}
		tm.foreign, tm.unkn = append(tm.foreign, df), append(tm.unkn, du)
		run.compared++
		for _, l := range f.leaks(rf, x.id) {
			t.Errorf("LEAK %s: the answer to B's id names %s of org B:\n  %.1500s", label, l, rf.raw)
		}
		for _, l := range f.leaks(ru, unknown) {
			t.Errorf("LEAK %s: the answer to an unknown id names %s of org B:\n  %.1500s", label, l, ru.raw)
		}
		cf, cu := canonicalOutcome(rf, x.id), canonicalOutcome(ru, unknown)
		if cf != cu {
			t.Errorf("LEAK %s: B's id and an unknown id answer differently (rep %d):\n  B's id:  %.1500s\n  unknown: %.1500s", label, i, cf, cu)
			break
		}
		if i == 0 {
			outcome, unknownAnswer = outcomeOf(rf), cu
			// The call must be valid but for the id: a refusal that names
			// another argument means the walker's values are wrong and the
			// pair compared nothing.
			if who.label == "owner" && len(rf.Errors) > 0 && rf.Errors[0].Field() != "" && rf.Errors[0].Field() != pos.field {
				t.Errorf("tenant walk: %s is refused for another argument than the one walked (the walker built a bad call): %.1000s", label, rf.raw)
			}
			if len(rf.Errors) > 0 && rf.Errors[0].Code() == "INTERNAL" {
				t.Logf("note: %s answers INTERNAL for both ids: %.300s", label, rf.raw)
			}
		}
	}
	tm.medF, tm.medU = median(tm.foreign), median(tm.unkn)
	if tm.medU > 0 {
		tm.ratio = float64(tm.medF) / float64(tm.medU)
	}
	return tm, outcome, unknownAnswer
}

// checkState compares both organizations with the last snapshot.
func (f *walkFixture) checkState(t *testing.T, what string, state *orgState) {
	t.Helper()
	after := f.snap.snapshot(t)
	if d := stateDiff(*state, after); d != "" {
		var inB []string
		for _, l := range strings.Split(d, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "B.") || strings.HasPrefix(strings.TrimSpace(l), "organizations") {
				inB = append(inB, l)
			}
		}
		if len(inB) > 0 {
			t.Errorf("LEAK %s changed org B:\n%s", what, strings.Join(inB, "\n"))
		}
		t.Errorf("%s changed state (it should have been refused like an unknown id):\n%s", what, d)
		*state = after
	}
}

var spaces = regexp.MustCompile(`\s+`)

func TestTenantWalk(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		ownerReps, lowReps := 20, 20
		if e.srv.Config.PostgresURL != "" {
			ownerReps, lowReps = 5, 5
		}
		f := newTWFixture(t, e)
		calls, fields := f.plan(t, s)

		// Every root field is walked.
		walked := map[string]bool{}
		for _, c := range calls {
			walked[c.name] = true
		}
		for _, root := range []*ast.Definition{s.Query, s.Mutation} {
			for _, fd := range root.Fields {
				if !strings.HasPrefix(fd.Name, "__") && !walked[root.Name+"."+fd.Name] {
					t.Fatalf("tenant walk: %s.%s has no call", root.Name, fd.Name)
				}
			}
		}

		callers := []walkCaller{{"owner", f.a.Owner, ownerReps}, {"member", f.low, lowReps}}
		run := &walkRun{}
		positions := 0
		state := f.snap.snapshot(t)
		for _, call := range calls {
			positions += len(call.pos)
			t.Run(spaces.ReplaceAllString(call.label(), "_"), func(t *testing.T) {
				if len(call.pos) == 0 {
					// No id to walk: the call answers without naming org B.
					who := callers
					if call.mutation {
						who = callers[1:] // refused; the owner's would change org A
					}
					for _, c := range who {
						r, _ := f.send(t, run, c.c, call.query, call.vars)
						for _, l := range f.leaks(r, "") {
							t.Errorf("LEAK %s as %s names %s of org B: %.1500s", call.label(), c.label, l, r.raw)
						}
						if !call.mutation && c.label == "owner" && len(r.Errors) > 0 {
							t.Errorf("tenant walk: the owner's %s fails (the walker built a bad call): %.1000s", call.label(), r.raw)
						}
						t.Logf("%s as %s: %s", call.label(), c.label, outcomeOf(r))
					}
					if call.mutation {
						f.checkState(t, call.label()+" as the member", &state)
					}
					return
				}
				var base *response
				if !call.mutation {
					// With org A's ids the query answers: the walker's
					// values are valid, so the variants test the id alone.
					r, _ := f.send(t, run, f.a.Owner, call.query, call.vars)
					base = r
					if len(r.Errors) > 0 {
						t.Errorf("tenant walk: the owner's %s with org A's ids fails (the walker built a bad call): %.1000s", call.label(), r.raw)
					}
					if l := f.leaks(r, ""); len(l) > 0 {
						t.Errorf("LEAK %s with org A's ids names %v of org B: %.1500s", call.label(), l, r.raw)
					}
				}
				for _, pos := range call.pos {
					if len(f.foreign[pos.kind]) == 0 {
						t.Fatalf("tenant walk: no id of org B of kind %s", pos.kind)
					}
					for _, x := range f.foreign[pos.kind] {
						var outcomes []string
						for _, who := range callers {
							outcome, unknownAnswer := f.pair(t, run, call, pos, x, who)
							outcomes = append(outcomes, who.label+" "+outcome)
							if base != nil && who.label == "owner" {
								// Control: A's own id must answer otherwise than an
								// unknown one, or the pair could not tell existence.
								if canonicalOutcome(base, valueAt(call.vars, pos.path)) == unknownAnswer {
									t.Errorf("tenant walk: control failed: %s answers the same with org A's id as with an unknown id: %.500s", pos, base.raw)
								}
								run.controls++
							}
							if call.mutation {
								f.checkState(t, fmt.Sprintf("%s %s ← B's %s as %s", call.label(), pos, x.label, who.label), &state)
							}
						}
						t.Logf("%s %s ← B's %s: %s", call.label(), pos, x.label, strings.Join(outcomes, ", "))
					}
				}
			})
		}

		// Timing: the median duration with B's id over that with an unknown
		// id, per pair.
		var ratios []float64
		var worst, fastest *walkTiming
		var totalF, totalU time.Duration
		slower := 0 // pairs whose median is higher with B's id
		for _, tm := range run.timings {
			if tm.ratio == 0 {
				continue
			}
			ratios = append(ratios, tm.ratio)
			if tm.medF > tm.medU {
				slower++
			}
			if worst == nil || tm.ratio > worst.ratio {
				worst = tm
			}
			if fastest == nil || tm.ratio < fastest.ratio {
				fastest = tm
			}
			for _, d := range tm.foreign {
				totalF += d
			}
			for _, d := range tm.unkn {
				totalU += d
			}
			if grossTimingGap(tm) {
				// A pause of the machine (GC, a checkpoint) can hit a few
				// requests of one side: measure again, longer, before
				// calling it a timing path.
				again := tm.again(t, max(4*len(tm.foreign), 20))
				if grossTimingGap(again) {
					t.Errorf("TIMING %s: median %v with B's id vs %v with an unknown id (ratio %.2f) over %d reps, and again %v vs %v over %d reps\n  B's id:  %v\n  unknown: %v",
						tm.label, tm.medF, tm.medU, tm.ratio, len(tm.foreign), again.medF, again.medU, len(again.foreign), again.foreign, again.unkn)
				} else {
					t.Logf("timing: %s was %v vs %v (ratio %.2f) over %d reps, but %v vs %v (ratio %.2f) over %d reps measured again: noise",
						tm.label, tm.medF, tm.medU, tm.ratio, len(tm.foreign), again.medF, again.medU, again.ratio, len(again.foreign))
				}
			}
		}
		f.checkState(t, "measuring again", &state)
		t.Logf("tenant walk on %s: %d fields walked (Query %d, Mutation %d, others %d), %d calls, %d id positions, %d pairs (position × B id × caller), %d answer pairs compared, %d controls (A's id ≠ unknown id), %d requests",
			t.Name(), fields, fieldCount(s.Query), fieldCount(s.Mutation), fields-fieldCount(s.Query)-fieldCount(s.Mutation),
			len(calls), positions, run.pairs, run.compared, run.controls, run.requests)
		if len(ratios) > 0 {
			t.Logf("timing (median B-id / median unknown-id per pair, %d/%d reps owner/member): median ratio %.3f, max %.3f (%s: %v vs %v), min %.3f (%s: %v vs %v); all B-id requests %v, all unknown-id requests %v (%.3f); B's id slower in %d of %d pairs",
				ownerReps, lowReps, medianFloat(ratios), worst.ratio, worst.label, worst.medF, worst.medU,
				fastest.ratio, fastest.label, fastest.medF, fastest.medU, totalF, totalU, float64(totalF)/float64(totalU), slower, len(ratios))
		}
	})
}

// grossTimingGap: the medians differ by more than 3 times and more than 5ms.
func grossTimingGap(tm *walkTiming) bool {
	diff := time.Duration(math.Abs(float64(tm.medF - tm.medU)))
	return (tm.ratio > 3 || tm.ratio < 1.0/3) && diff > 5*time.Millisecond
}

func fieldCount(d *ast.Definition) int {
	n := 0
	for _, f := range d.Fields {
		if !strings.HasPrefix(f.Name, "__") {
			n++
		}
	}
	return n
}
