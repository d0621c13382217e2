package e2e

// Fault tests against real processes the test starts itself on free ports
// (procs_test.go): Redis killed under load, a remote SpiceDB killed, the
// entity store's Postgres stopped and started again. The shared services
// are never touched. ROLEGRAPH_FAULT_LONG=1 runs longer modes; the default
// is short enough for CI.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/internal/gqlclient"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store"
)

// gqlTry sends one GraphQL request and reports, instead of failing the
// test, so it can run on any goroutine: the data, the first error's code,
// and a transport or decoding error.
func gqlTry(url, token, query string, vars map[string]any) (map[string]any, string, error) {
	r, err := gqlclient.Client{URL: url}.Bearer(token).Post(context.Background(), query, vars)
	if err != nil {
		return nil, "", err
	}
	var decoded struct {
		Data   map[string]any
		Errors []gqlError
	}
	decoded.Errors = r.Errors
	if len(r.Data) > 0 {
		if err := json.Unmarshal(r.Data, &decoded.Data); err != nil {
			return nil, "", fmt.Errorf("status %d: data is not JSON: %w", r.Status, err)
		}
	}
	if len(decoded.Errors) > 0 {
		code := decoded.Errors[0].Code()
		if code == "" {
			code = "(no code: " + decoded.Errors[0].Message + ")"
		}
		// API.md: UNAVAILABLE means nothing was changed, or the change is
		// safely queued and says so: in extensions.queued, and in words.
		if code == "UNAVAILABLE" && decoded.Errors[0].Extensions["outcome"] == "UNKNOWN" {
			// The store went away mid-commit: saved or not, neither
			// "nothing changed" nor "queued" may be claimed.
			if _, claims := decoded.Errors[0].Extensions["queued"]; claims {
				return nil, "", fmt.Errorf("UNAVAILABLE with outcome UNKNOWN also claims queued: %v", decoded.Errors[0].Extensions)
			}
			return nil, "UNAVAILABLE (outcome unknown)", nil
		}
		if code == "UNAVAILABLE" {
			msg := decoded.Errors[0].Message
			queued, ok := decoded.Errors[0].Extensions["queued"].(bool)
			if !ok || queued != strings.Contains(msg, "queued") {
				return nil, "", fmt.Errorf("UNAVAILABLE with extensions.queued %v (present: %v) but message %q", queued, ok, msg)
			}
			if queued {
				code = "UNAVAILABLE (saved, queued)"
			}
		}
		return decoded.Data, code, nil
	}
	return decoded.Data, "", nil
}

// question is one can(permission, resourceId) asked by a member.
type question struct {
	member, perm, resource string
}

func (q question) String() string { return q.member + " " + q.perm + " " + q.resource }

// questions of a world: every member on every interaction, and
// organization-wide.
func (w *world) questions() []question {
	var out []question
	for _, m := range w.members {
		for _, i := range w.inters {
			for _, p := range []string{"interactions.read", "interactions.download", "interactions.delete"} {
				out = append(out, question{m, p, i})
			}
		}
		for _, p := range []string{"members.write", "interactions.read", "roles.write"} {
			out = append(out, question{m, p, ""})
		}
	}
	return out
}

// truth answers questions from SpiceDB without any cache.
func truth(t *testing.T, svc *domain.Service, org string, qs []question) []bool {
	t.Helper()
	out := make([]bool, len(qs))
	for i, q := range qs {
		ok, err := svc.Can(domain.WithMemo(context.Background()), domain.Caller{OrgID: org, MemberID: q.member}, q.perm, q.resource, "")
		if err != nil {
			t.Fatalf("truth for %s: %v", q, err)
		}
		out[i] = ok
	}
	return out
}

// askCan asks can() over HTTP as the question's member.
func askCan(url string, tokens map[string]string, q question) (bool, string, error) {
	vars := map[string]any{"p": q.perm}
	query := `query($p: String!) { can(permission: $p) }`
	if q.resource != "" {
		vars["r"] = q.resource
		query = `query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`
	}
	d, code, err := gqlTry(url, tokens[q.member], query, vars)
	if err != nil || code != "" {
		return false, code, err
	}
	v, ok := d["can"].(bool)
	if !ok {
		return false, "", fmt.Errorf("can answered %v", d["can"])
	}
	return v, "", nil
}

// metric reads one sample from /metrics ("name{labels}" as exposed).
func metric(t *testing.T, url, sample string) float64 {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			if err != nil {
				t.Fatalf("metric %s: %v", sample, err)
			}
			return v
		}
	}
	return 0
}

func tokensFor(t *testing.T, srv *server.Server, org string, members []string) map[string]string {
	out := map[string]string{}
	for _, m := range members {
		tok, err := srv.Token(org, m, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		out[m] = tok
	}
	return out
}

// Redis is killed while readers hammer can(); grants and revocations keep
// happening between rounds. Every answer must equal SpiceDB's own (0 wrong
// allows, 0 wrong denies), no read may fail, and the cache's Redis error
// counter must show that Redis failures were met.
func TestFaultRedisStoppedMidLoad(t *testing.T) {
	rp := startRedis(t)
	// No in-process layer: every decision goes through Redis while it lives.
	srv := startServer(t, server.Config{RedisURL: rp.URL(), CacheLocalSize: -1})
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(hs.Close)
	ctx := context.Background()
	w := newWorld(t, srv.Service, 51)
	truthSvc := uncachedService(srv)
	tokens := tokensFor(t, srv, w.org, w.members)
	qs := w.questions()

	steps, phase, readers := 8, 400*time.Millisecond, 4
	killAt, restartAt := 4, -1
	if faultLong() {
		steps, phase, killAt, restartAt = 40, 1500*time.Millisecond, 15, 30
	}
	rng := rand.New(rand.NewPCG(51, 1))
	var reads, failed, wrongAllow, wrongDeny atomic.Int64
	var firstProblem atomic.Value
	var killedAfter time.Duration
	for step := 0; step < steps; step++ {
		what := "none"
		if step > 0 {
			what = w.step(ctx)
		}
		// Only active members can ask (a deactivated member's token is
		// refused, as it should be).
		var live []question
		for _, q := range qs {
			m, err := srv.Store.GetMember(ctx, w.org, q.member)
			if err != nil {
				t.Fatal(err)
			}
			if m.Status == model.StatusActive {
				live = append(live, q)
			}
		}
		want := truth(t, truthSvc, w.org, live)
		if step == restartAt {
			rp = restartRedis(t, rp)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for r := 0; r < readers; r++ {
			wg.Add(1)
			seed := rng.Uint64()
			go func() {
				defer wg.Done()
				rr := rand.New(rand.NewPCG(seed, 2))
				for {
					select {
					case <-stop:
						return
					default:
					}
					k := rr.IntN(len(live))
					got, code, err := askCan(hs.URL, tokens, live[k])
					reads.Add(1)
					switch {
					case err != nil || code != "":
						failed.Add(1)
						firstProblem.CompareAndSwap(nil, fmt.Sprintf("step %d (%s): %s failed: %s %v", step, what, live[k], code, err))
					case got && !want[k]:
						wrongAllow.Add(1)
						firstProblem.CompareAndSwap(nil, fmt.Sprintf("step %d (%s): %s allowed, SpiceDB denies", step, what, live[k]))
					case !got && want[k]:
						wrongDeny.Add(1)
						firstProblem.CompareAndSwap(nil, fmt.Sprintf("step %d (%s): %s denied, SpiceDB allows", step, what, live[k]))
					}
				}
			}()
		}
		if step == killAt {
			// Mid-load: readers are running.
			killedAfter = time.Duration(rng.IntN(int(phase/2))) + phase/4
			time.Sleep(killedAfter)
			rp.kill()
			time.Sleep(phase - killedAfter)
		} else {
			time.Sleep(phase)
		}
		close(stop)
		wg.Wait()
	}
	redisErrors := metric(t, hs.URL, `rolegraph_cache_requests_total{layer="redis",result="error"}`)
	redisHits := metric(t, hs.URL, `rolegraph_cache_requests_total{layer="redis",result="hit"}`)
	t.Logf("%d steps, %d reads by %d readers; Redis killed %s into step %d%s; redis cache hits %v, errors %v; "+
		"failed reads %d, wrong allows %d, wrong denies %d",
		steps, reads.Load(), readers, killedAfter.Round(time.Millisecond), killAt,
		map[bool]string{true: fmt.Sprintf(", restarted at step %d", restartAt), false: ""}[restartAt >= 0],
		redisHits, redisErrors, failed.Load(), wrongAllow.Load(), wrongDeny.Load())
	if p := firstProblem.Load(); p != nil {
		t.Errorf("first problem: %s", p)
	}
	if failed.Load() != 0 || wrongAllow.Load() != 0 || wrongDeny.Load() != 0 {
		t.Fatalf("%d failed reads, %d wrong allows, %d wrong denies", failed.Load(), wrongAllow.Load(), wrongDeny.Load())
	}
	if redisErrors == 0 {
		t.Fatal("the cache never met a Redis error: Redis was not in the path")
	}
	if redisHits == 0 {
		t.Fatal("no Redis hit before the kill: Redis was not in the path")
	}
}

// restartRedis starts a new redis-server on the same port.
func restartRedis(t *testing.T, old *redisProc) *redisProc {
	t.Helper()
	old.kill()
	return startRedisOn(t, old.bin, old.port)
}

// A remote SpiceDB (a child process) is killed: from the moment rolegraph
// notices (its connection ends), every can() fails closed — UNAVAILABLE or
// false, never true — including questions whose allow was cached before,
// and a revocation asked for during the outage is refused without changing
// anything. SpiceDB then comes back empty (its memory datastore died with
// it): rolegraph answers again without a restart, and reconcile restores
// the graph from the entities.
func TestFaultSpiceDBUnreachable(t *testing.T) {
	sp := startSpiceDBProcess(t)
	srv := startServer(t, server.Config{SpiceDBEndpoint: sp.Addr, SpiceDBToken: sp.Key})
	if srv.SpiceDB.Mode != "remote" {
		t.Fatalf("SpiceDB mode %s", srv.SpiceDB.Mode)
	}
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(hs.Close)
	ctx := context.Background()
	w := newWorld(t, srv.Service, 61)
	// Give the custom role something to revoke later.
	if _, err := srv.Service.SetRoleGrants(ctx, w.owner, w.custom, []model.Grant{{Permission: "interactions.read", Scope: model.ScopeAll}}); err != nil {
		t.Fatal(err)
	}
	tokens := tokensFor(t, srv, w.org, w.members)
	qs := w.questions()

	allowed := 0
	for round := 0; round < 2; round++ { // the second round comes from the cache
		for _, q := range qs {
			ok, code, err := askCan(hs.URL, tokens, q)
			if err != nil || code != "" {
				t.Fatalf("before the outage: %s: %s %v", q, code, err)
			}
			if ok && round == 0 {
				allowed++
			}
		}
	}
	if allowed == 0 {
		t.Fatal("nothing allowed before the outage: the test does not test anything")
	}

	sp.kill()
	killed := time.Now()
	// The process learns of the outage when its connection ends (or a call
	// fails), a moment after the kill: until then a cached answer may still
	// be served, and it is right, because nothing has changed — any change
	// leaves the organization pending, and pending organizations are never
	// answered from the cache (TestQueuedRevocationIsNeverAllowed).
	for !srv.Authz.SpiceDBDown() {
		if time.Since(killed) > 10*time.Second {
			t.Fatal("10s after the kill, rolegraph has not noticed that SpiceDB is gone")
		}
		time.Sleep(time.Millisecond)
	}
	noticed := time.Since(killed)
	rounds := 2
	if faultLong() {
		rounds = 10
	}
	counts := map[string]int{}
	ask := func(phase string) {
		for _, q := range qs {
			ok, code, err := askCan(hs.URL, tokens, q)
			switch {
			case err != nil:
				t.Fatalf("%s: %s: transport error %v", phase, q, err)
			case code == "UNAVAILABLE":
				counts["UNAVAILABLE"]++
			case code != "":
				counts["other error "+code]++
			case ok:
				counts["ALLOW"]++
				t.Errorf("%s: %s allowed while SpiceDB is down", phase, q)
			default:
				counts["false"]++
			}
		}
	}
	for r := 0; r < rounds; r++ {
		ask("outage")
	}
	// A change during the outage cannot be authorized: it fails with
	// UNAVAILABLE and changes nothing.
	_, code, err := gqlTry(hs.URL, mustToken(t, srv, w.org, w.owner.MemberID),
		`mutation($r: ID!) { setRoleGrants(roleId: $r, grants: []) { id } }`, map[string]any{"r": w.custom})
	if err != nil || code != "UNAVAILABLE" {
		t.Fatalf("a revocation during the outage: %s %v, want UNAVAILABLE", code, err)
	}
	if r, err := srv.Store.GetRole(ctx, w.org, w.custom); err != nil || len(r.Grants) != 1 {
		t.Fatalf("the refused change was half-applied: %+v %v", r, err)
	}
	ask("outage, after a refused change")
	outage := time.Since(killed)
	pending, _ := srv.Store.PendingOutbox(ctx, w.org, 0)
	t.Logf("before the outage: %d questions, %d allowed (asked twice, cached); SpiceDB killed, noticed after %s; %d rounds of %d can() in %s: %v; %d outbox entries queued",
		len(qs), allowed, noticed.Round(time.Microsecond), rounds+1, len(qs), outage.Round(time.Millisecond), counts, len(pending))
	if counts["ALLOW"] != 0 {
		t.Fatalf("%d allows while SpiceDB was down", counts["ALLOW"])
	}
	for k := range counts {
		if strings.HasPrefix(k, "other") {
			t.Fatalf("unexpected outcomes during the outage: %v", counts)
		}
	}
	if len(pending) != 0 {
		t.Fatalf("%d outbox entries from a refused change", len(pending))
	}

	// SpiceDB comes back on the same address, empty.
	restartSpiceDB(t, sp)
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, code, err := askCan(hs.URL, tokens, qs[0])
		if err == nil && code == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rolegraph did not reach SpiceDB again: %s %v", code, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Everything is gone from SpiceDB: it answers false, never a wrong allow.
	rc := reconciler(srv)
	rep, err := rc.Org(ctx, w.org, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after SpiceDB came back empty: reconcile applied %d queued entries, found %d missing and %d extra, repaired; drift after repair: %s",
		rep.Pending, len(rep.Drift.Missing), len(rep.Drift.Extra), rep.After)
	if len(rep.Drift.Missing) == 0 || !rep.After.Empty() {
		t.Fatalf("reconcile after SpiceDB lost its data: %s; after %s", rep.Drift, rep.After)
	}
	truthSvc := uncachedService(srv)
	want := truth(t, truthSvc, w.org, qs)
	for i, q := range qs {
		got, code, err := askCan(hs.URL, tokens, q)
		if err != nil || code != "" || got != want[i] {
			t.Fatalf("after recovery: %s = %v %s %v, SpiceDB says %v", q, got, code, err, want[i])
		}
	}
}

func mustToken(t *testing.T, srv *server.Server, org, member string) string {
	tok, err := srv.Token(org, member, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// restartSpiceDB starts a new SpiceDB process on the old one's address.
func restartSpiceDB(t *testing.T, old *spicedbProc) *spicedbProc {
	t.Helper()
	old.kill()
	return startSpiceDBProcessOn(t, old.Addr, old.Key)
}

// The entity store's Postgres is stopped under a stream of changes, then
// started again. While it is down every change fails with UNAVAILABLE;
// nothing is half-applied (each change's entity, audit event and
// relationships are all there or all absent); once it is back the same
// server serves changes again, without a restart.
func TestFaultPostgresStopped(t *testing.T) {
	pg := startPostgres(t)
	srv := startServer(t, server.Config{PostgresURL: pg.URL(), RequestTimeout: 20 * time.Second})
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(hs.Close)
	e := &env{t: t, srv: srv, url: hs.URL}
	o := e.newOrg("Fault Co", "PRO", nil)
	ownerTok := o.Owner.token
	ctx := context.Background()

	cycles, writers := 1, 3
	if faultLong() {
		cycles, writers = 5, 4
	}
	type outcome struct {
		name, code string
		err        error
	}
	var mu sync.Mutex
	var outcomes []outcome
	var seq atomic.Int64
	createTeam := func() outcome {
		name := fmt.Sprintf("fault team %d", seq.Add(1))
		_, code, err := gqlTry(hs.URL, ownerTok, `mutation($in: CreateTeamInput!) { createTeam(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": name}})
		return outcome{name, code, err}
	}
	counts := map[string]int{}
	recoveries := []time.Duration{}
	for cycle := 0; cycle < cycles; cycle++ {
		// Writers run; Postgres stops under them.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < writers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					oc := createTeam()
					mu.Lock()
					outcomes = append(outcomes, oc)
					mu.Unlock()
					if oc.code != "" || oc.err != nil {
						time.Sleep(20 * time.Millisecond)
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+rand.IntN(300)) * time.Millisecond)
		mode := []string{"immediate", "fast"}[cycle%2]
		pg.Stop(mode)
		time.Sleep(700 * time.Millisecond)
		close(stop)
		wg.Wait()

		// Down: every change fails with UNAVAILABLE.
		for i := 0; i < 5; i++ {
			oc := createTeam()
			outcomes = append(outcomes, oc)
			if oc.err != nil || oc.code != "UNAVAILABLE" {
				t.Fatalf("cycle %d: a change while Postgres is down (%s): %s %v, want UNAVAILABLE", cycle, mode, oc.code, oc.err)
			}
		}
		_, code, err := gqlTry(hs.URL, ownerTok, `{ organization { id } }`, nil)
		counts["read while down: "+code]++
		if err != nil || code != "UNAVAILABLE" {
			t.Errorf("cycle %d: a read while Postgres is down: %q %v, want UNAVAILABLE", cycle, code, err)
		}

		// Back: the same server recovers.
		pg.Start()
		back := time.Now()
		for {
			oc := createTeam()
			outcomes = append(outcomes, oc)
			if oc.err == nil && oc.code == "" {
				break
			}
			if time.Since(back) > 30*time.Second {
				t.Fatalf("cycle %d: no change succeeded within 30s of Postgres being back: %s %v", cycle, oc.code, oc.err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		recoveries = append(recoveries, time.Since(back).Round(time.Millisecond))
	}

	// Nothing half-applied: a team exists exactly when its audit event does,
	// and SpiceDB holds exactly what the entities imply.
	teams, err := srv.Store.ListTeams(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*model.Team{}
	for _, tm := range teams {
		byName[tm.Name] = tm
	}
	audited := map[string]bool{}
	for p := (store.Page{Limit: 500}); ; {
		evs, err := srv.Store.ListAudit(ctx, o.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			if ev.Action == "createTeam" {
				audited[ev.TargetID] = true
			}
		}
		if len(evs) < p.Limit {
			break
		}
		p.After = evs[len(evs)-1].ID
	}
	for _, oc := range outcomes {
		tm := byName[oc.name]
		switch {
		case oc.err != nil:
			counts["transport error"]++
		case oc.code == "":
			counts["ok"]++
			if tm == nil {
				t.Errorf("%s succeeded but is not stored", oc.name)
			}
		default:
			counts[oc.code]++
			if tm != nil && oc.code == "UNAVAILABLE" {
				t.Errorf("%s failed with UNAVAILABLE (nothing changed) but is stored", oc.name)
			}
			if tm == nil && strings.HasPrefix(oc.code, "UNAVAILABLE (saved") {
				t.Errorf("%s was answered saved and queued but is not stored", oc.name)
			}
		}
		if tm != nil && !audited[tm.ID] {
			t.Errorf("%s is stored without its audit event", oc.name)
		}
	}
	if counts["transport error"] > 0 {
		t.Errorf("%d requests got no GraphQL answer", counts["transport error"])
	}
	for k, n := range counts {
		if k != "ok" && !strings.HasPrefix(k, "UNAVAILABLE") && k != "transport error" && !strings.HasPrefix(k, "read while down") {
			// INTERNAL_SERVER_ERROR is the honest answer when the connection
			// broke during COMMIT (outcome unknown). It also comes, wrongly,
			// when the connection breaks mid-transaction with an unexpected
			// EOF (store/postgres's unreachable() does not count it; nothing
			// was changed, so it should be UNAVAILABLE). The consistency
			// checks above and below hold for both.
			t.Logf("%d changes answered %s", n, k)
		}
	}
	rep, err := reconciler(srv).Org(ctx, o.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Drift.Empty() {
		t.Fatalf("drift after the Postgres outages: %s", rep.Drift)
	}
	t.Logf("%d Postgres stops under %d writers: %d changes tried: %v; recovered (first successful change) after %v; %d teams stored, reconcile: %d pending applied, drift 0",
		cycles, writers, len(outcomes), counts, recoveries, len(teams), rep.Pending)
}

// A request that overruns the request timeout inside a resolver (a
// SpiceDB that hangs, with a decision timeout longer than the request may
// take) is answered like one stalled before it ran: 503 UNAVAILABLE with
// the timeout's message, at the deadline, and not a 200 carrying the
// resolver's error; the server answers in time again once SpiceDB does.
func TestFaultRequestTimeoutInResolver(t *testing.T) {
	const timeout = 500 * time.Millisecond
	const slack = 1500 * time.Millisecond // what a loaded 2-core machine may add
	sp := startSpiceDBProcess(t)
	srv := startServer(t, server.Config{SpiceDBEndpoint: sp.Addr, SpiceDBToken: sp.Key,
		DecisionTimeout: time.Minute, RequestTimeout: timeout})
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(hs.Close)
	w := newWorld(t, srv.Service, 63)
	tokens := tokensFor(t, srv, w.org, w.members)
	qs := w.questions()
	if _, code, err := askCan(hs.URL, tokens, qs[0]); err != nil || code != "" {
		t.Fatalf("before the hang: %s: %s %v", qs[0], code, err)
	}

	sp.signal(syscall.SIGSTOP)
	q := qs[len(qs)-1] // never asked: in no cache
	body := string(gqlBody(`query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`, map[string]any{"p": q.perm, "r": q.resource}))
	start := time.Now()
	r := rawPost(t, hs.URL, strings.NewReader(body), int64(len(body)), map[string]string{"Authorization": "Bearer " + tokens[q.member]})
	took := time.Since(start)
	sp.signal(syscall.SIGCONT)
	r.refused(t, 503, "UNAVAILABLE", "took longer than 500ms", "retry")
	if r.ContentType != "application/json" {
		t.Errorf("timeout Content-Type %q", r.ContentType)
	}
	if took < timeout || took > timeout+slack {
		t.Errorf("the timeout answered after %s; want about %s", took, timeout)
	}
	waitFor(t, "an answer after SIGCONT", 15*time.Second, func() error {
		_, code, err := askCan(hs.URL, tokens, q)
		if err == nil && code != "" {
			err = fmt.Errorf("code %s", code)
		}
		return err
	}, sp.child)
}

// A remote SpiceDB stops answering without closing its connection
// (SIGSTOP: a hung process and a black-holed network look the same from
// here, and the connection-end watch never fires). Every question that
// reaches it is answered UNAVAILABLE within the decision timeout — not
// after the 30s request timeout — and the first such timeout makes
// rolegraph bypass its cache, so allows cached before the hang fail closed
// too, and fail at once: only a probe now and then waits for SpiceDB. A revocation asked for during the hang is refused without changing
// anything. On SIGCONT rolegraph answers again, exactly as before, without
// a restart.
func TestFaultSpiceDBHangs(t *testing.T) {
	const decision = 500 * time.Millisecond
	// What a loaded 2-core machine may add on top of the deadline.
	const slack = 1500 * time.Millisecond
	sp := startSpiceDBProcess(t)
	srv := startServer(t, server.Config{SpiceDBEndpoint: sp.Addr, SpiceDBToken: sp.Key, DecisionTimeout: decision})
	hs := httptest.NewServer(srv.Handler)
	t.Cleanup(hs.Close)
	ctx := context.Background()
	w := newWorld(t, srv.Service, 62)
	if _, err := srv.Service.SetRoleGrants(ctx, w.owner, w.custom, []model.Grant{{Permission: "interactions.read", Scope: model.ScopeAll}}); err != nil {
		t.Fatal(err)
	}
	tokens := tokensFor(t, srv, w.org, w.members)
	qs := w.questions()
	want := make([]bool, len(qs))
	var allowed []int
	for round := 0; round < 2; round++ { // the second round comes from the cache
		for i, q := range qs {
			ok, code, err := askCan(hs.URL, tokens, q)
			if err != nil || code != "" {
				t.Fatalf("before the hang: %s: %s %v", q, code, err)
			}
			if round == 0 {
				want[i] = ok
				if ok {
					allowed = append(allowed, i)
				}
			} else if ok != want[i] {
				t.Fatalf("before the hang: %s answered %v, then %v from the cache", q, want[i], ok)
			}
		}
	}
	if len(allowed) == 0 {
		t.Fatal("nothing allowed before the hang: the test does not test anything")
	}

	sp.signal(syscall.SIGSTOP)
	// A question never asked is in no cache: it meets the hang.
	unasked := question{w.members[len(w.members)-1], "interactions.coach", w.inters[0]}
	start := time.Now()
	_, code, err := askCan(hs.URL, tokens, unasked)
	first := time.Since(start)
	if err != nil || code != "UNAVAILABLE" {
		t.Fatalf("a question during the hang: %q %v after %s, want UNAVAILABLE", code, err, first)
	}
	if first > decision+slack {
		t.Fatalf("a question during the hang took %s; the decision timeout is %s", first, decision)
	}
	if !srv.Authz.SpiceDBDown() {
		t.Fatal("a question that timed out did not mark SpiceDB down: cached allows would go on")
	}

	// Every allow cached before the hang now fails closed, each within the
	// bound (asked 8 at a time: one by one this is len(allowed) timeouts).
	type outcome struct {
		q       question
		ok      bool
		code    string
		err     error
		elapsed time.Duration
	}
	results := make(chan outcome, len(allowed))
	sem := make(chan struct{}, 8)
	for _, i := range allowed {
		sem <- struct{}{}
		go func(q question) {
			defer func() { <-sem }()
			start := time.Now()
			ok, code, err := askCan(hs.URL, tokens, q)
			results <- outcome{q, ok, code, err, time.Since(start)}
		}(qs[i])
	}
	var slowest time.Duration
	counts := map[string]int{}
	slow := 0
	asked := time.Now()
	for range allowed {
		o := <-results
		slowest = max(slowest, o.elapsed)
		if o.elapsed > decision/2 {
			slow++
		}
		switch {
		case o.err != nil:
			t.Fatalf("during the hang: %s: transport error %v", o.q, o.err)
		case o.ok:
			t.Errorf("during the hang: %s allowed from the cache", o.q)
		case o.code != "UNAVAILABLE":
			t.Errorf("during the hang: %s: %q, want UNAVAILABLE", o.q, o.code)
		}
		counts[o.code]++
		if o.elapsed > decision+slack {
			t.Errorf("during the hang: %s took %s; the decision timeout is %s", o.q, o.elapsed, decision)
		}
	}

	// Once a question has run out of its timeout, the others fail at once;
	// one goes through as a probe about every decision timeout + 1s.
	if probes := int(time.Since(asked)/(decision+time.Second)) + 1; slow > probes {
		t.Errorf("%d of %d questions waited for the hung SpiceDB in %s; at most %d probes should have",
			slow, len(allowed), time.Since(asked).Round(time.Millisecond), probes)
	}

	// A revocation during the hang is refused and changes nothing.
	start = time.Now()
	_, code, err = gqlTry(hs.URL, mustToken(t, srv, w.org, w.owner.MemberID),
		`mutation($r: ID!) { setRoleGrants(roleId: $r, grants: []) { id } }`, map[string]any{"r": w.custom})
	revoke := time.Since(start)
	if err != nil || code != "UNAVAILABLE" {
		t.Fatalf("a revocation during the hang: %s %v, want UNAVAILABLE (nothing changed)", code, err)
	}
	if revoke > decision+slack {
		t.Errorf("a revocation during the hang took %s; the decision timeout is %s", revoke, decision)
	}
	if r, err := srv.Store.GetRole(ctx, w.org, w.custom); err != nil || len(r.Grants) != 1 {
		t.Fatalf("the refused change was half-applied: %+v %v", r, err)
	}
	// A change committed before the hang and not yet applied (written to
	// the outbox directly here: no change gets through a hung SpiceDB's
	// guard) makes the organization pending. Its reads try to apply it
	// first; the write fails as fast as the questions do, not after the
	// write timeouts (4 × 10s).
	expected, err := reconcile.Expected(ctx, srv.Store, catalog.Default(), w.org)
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Store.InTx(ctx, func(tx store.Tx) error {
		return tx.Enqueue(ctx, w.org, []rels.Update{{Op: rels.OpTouch, Rel: expected.Sorted()[0]}})
	})
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	_, code, err = askCan(hs.URL, tokens, qs[allowed[0]])
	pendingRead := time.Since(start)
	if err != nil || code != "UNAVAILABLE" {
		t.Fatalf("a read of an organization with a queued change, during the hang: %s %v, want UNAVAILABLE", code, err)
	}
	if pendingRead > decision+slack {
		t.Errorf("a read of an organization with a queued change took %s during the hang", pendingRead)
	}
	t.Logf("SpiceDB stopped: the first question was UNAVAILABLE after %s; %d cached allows asked: %v, %d waited (probes), slowest %s; a revocation refused after %s; a read of a pending organization after %s",
		first.Round(time.Millisecond), len(allowed), counts, slow, slowest.Round(time.Millisecond), revoke.Round(time.Millisecond), pendingRead.Round(time.Millisecond))

	sp.signal(syscall.SIGCONT)
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, code, err := askCan(hs.URL, tokens, unasked)
		if err == nil && code == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("15s after SIGCONT rolegraph does not answer: %s %v", code, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i, q := range qs {
		got, code, err := askCan(hs.URL, tokens, q)
		if err != nil || code != "" || got != want[i] {
			t.Fatalf("after the hang: %s = %v %s %v, want %v as before", q, got, code, err, want[i])
		}
	}
	if srv.Authz.SpiceDBDown() {
		t.Fatal("SpiceDB answers again but rolegraph still bypasses its cache")
	}
	if pending, err := srv.Store.PendingOutbox(ctx, w.org, 0); err != nil || len(pending) != 0 {
		t.Fatalf("after the hang, %d entries still pending (%v)", len(pending), err)
	}
}
