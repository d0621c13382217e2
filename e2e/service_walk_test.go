package e2e

// Service tokens, by walking the schema as TestTenantWalk does (API.md,
// "Real identity, browsers and clients"): a service token of org A may ask
// about any member of A and change nothing. Every field of Mutation, built
// with valid values of org A, is FORBIDDEN before it runs (no "data") and
// changes neither organization; every read that takes a memberId answers
// about A's members; and an id of org B answers exactly as an id that
// exists nowhere.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/graph"
)

func TestServiceTokenWalk(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	e := newEnv(t, memoryBackend)
	f := newTWFixture(t, e)
	calls, _ := f.plan(t, s)
	tok, err := e.srv.ServiceToken(f.a.ID, "walker", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	svc := bearer(e, tok)
	state := f.snap.snapshot(t)
	run := &walkRun{}

	// The questions a service asks with memberId (API.md).
	asks := map[string]bool{"Query.can": true, "Query.explain": true}
	forbidden, reads, pairs := map[string]bool{}, 0, 0
	for _, call := range calls {
		t.Run(spaces.ReplaceAllString(call.label(), "_"), func(t *testing.T) {
			if call.mutation {
				r := svc.do(call.query, call.vars)
				if r.Status != http.StatusOK || len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" || r.Data != nil {
					t.Errorf("a service's %s: %d %.800s; want FORBIDDEN without data", call.label(), r.Status, r.raw)
				} else {
					forbidden[call.name] = true
				}
				f.checkState(t, "a service's "+call.label(), &state)
				return
			}
			if strings.Contains(call.name, "(via ") {
				return // reached through viewer, which a service is not
			}
			// What it may ask about A's members is answered; the other
			// reads that name a member are a member's questions.
			if strings.Contains(call.query, "memberId: $") {
				reads++
				r := svc.do(call.query, call.vars)
				if asks[call.name] && len(r.Errors) > 0 {
					t.Errorf("a service's %s about A's member fails: %.800s", call.label(), r.raw)
				} else if !asks[call.name] && (len(r.Errors) == 0 || r.Errors[0].Code() != "FORBIDDEN") {
					t.Errorf("a service's %s: %.800s; want FORBIDDEN (not a question a service asks)", call.label(), r.raw)
				}
				t.Logf("%s about A's member: %s", call.label(), outcomeOf(r))
			}
			// B's ids are unknown ids.
			for _, pos := range call.pos {
				for _, x := range f.foreign[pos.kind] {
					pairs++
					outcome, _ := f.pair(t, run, call, pos, x, walkCaller{label: "service", c: svc, reps: 2})
					t.Logf("%s %s ← B's %s: %s", call.label(), pos, x.label, outcome)
				}
			}
		})
	}
	for _, fd := range s.Mutation.Fields {
		if !strings.HasPrefix(fd.Name, "__") && !forbidden["Mutation."+fd.Name] {
			t.Errorf("Mutation.%s was not refused to a service (or not walked)", fd.Name)
		}
	}
	t.Logf("service walk: %d mutations FORBIDDEN of %d, %d reads about A's members, %d id pairs (B's id vs unknown), %d requests",
		len(forbidden), fieldCount(s.Mutation), reads, pairs, run.requests)
}
