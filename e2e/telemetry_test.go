package e2e

// Logs and traces of the real binary (issue 11): with --log-format json
// stderr holds JSON lines only, from start to a SIGTERM stop, with one
// access line per request; with --otel-endpoint a collector the test runs
// receives one trace per request, continuing the caller's traceparent,
// with the GraphQL operation and its SpiceDB, Postgres and Redis calls.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
	"github.com/rolegraph/rolegraph/telemetry"
	"github.com/rolegraph/rolegraph/telemetry/otlptest"
)

// loggedProc is `rolegraph serve --demo` with stdout and stderr kept apart.
type loggedProc struct {
	*child
	URL    string
	stdout *lockedBuffer
	stderr *lockedBuffer
}

func serveLogged(t *testing.T, args ...string) *loggedProc {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args = append([]string{"serve", "--addr", addr, "--jwt-secret", strings.Repeat("s", 32),
		"--spicedb-dispatch-cache", "16MiB", "--demo"}, args...)
	cmd := rolegraphCmd(t, nil, args...)
	p := &loggedProc{URL: "http://" + addr, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	c := &child{t: t, name: "rolegraph", cmd: cmd, done: make(chan struct{}), log: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		c.kill()
		if t.Failed() {
			t.Logf("rolegraph stderr:\n%s", tail(p.stderr.String(), 6000))
		}
	})
	p.child = c
	waitFor(t, "rolegraph /readyz", 90*time.Second, func() error {
		code, body, err := httpGet(p.URL + "/readyz")
		if err == nil && code != http.StatusOK {
			err = fmt.Errorf("%d %s", code, body)
		}
		return err
	}, c)
	return p
}

// demoMember is a demo member's token and the ids it carries.
type demoMember struct{ token, org, member string }

// demoMembers reads the tokens --demo printed, owner first.
func (p *loggedProc) demoMembers(t *testing.T) []demoMember {
	t.Helper()
	var out []demoMember
	for _, l := range strings.Split(p.stdout.String(), "\n") {
		tok := strings.TrimSpace(l)
		if !strings.HasPrefix(tok, "eyJ") {
			continue
		}
		parts := strings.Split(tok, ".")
		raw, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		var c struct{ Sub, Org string }
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, demoMember{token: tok, org: c.Org, member: c.Sub})
	}
	if len(out) < 2 {
		t.Fatalf("no demo tokens on stdout:\n%s", p.stdout.String())
	}
	return out
}

// post sends a GraphQL document with extra headers and returns the status,
// the response's X-Request-Id and body.
func (p *loggedProc) post(t *testing.T, query string, headers map[string]string) (int, string, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get(telemetry.HeaderRequestID), string(b)
}

// jsonLines parses stderr: every line must be one JSON object with time,
// level and msg.
func jsonLines(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i, l := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("stderr line %d is not JSON: %q", i+1, l)
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("stderr line %d has no %s: %q", i+1, k, l)
			}
		}
		out = append(out, m)
	}
	return out
}

// accessLine is the one access line with request_id id.
func accessLine(t *testing.T, lines []map[string]any, id string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, l := range lines {
		if l["msg"] == telemetry.AccessMessage && l[telemetry.KeyRequestID] == id {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d access lines with request_id %q, want 1", len(found), id)
	}
	return found[0]
}

// stop sends SIGTERM and wants exit 0.
func (p *loggedProc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.exitCode(t, 30*time.Second); code != 0 {
		t.Fatalf("exit status %d after SIGTERM, want 0", code)
	}
}

// One `can` from a caller with a traceparent: the collector receives one
// trace with the caller's trace id holding the HTTP request's span (a child
// of the caller's), the GraphQL operation's span below it, and below that
// the SpiceDB call (otelgrpc) and the Redis cache lookup; the Postgres
// reads of authentication are in the same trace. The access line carries
// the trace id. The last spans are flushed at SIGTERM.
func TestTelemetryTraceOfOneCan(t *testing.T) {
	recv := otlptest.NewHTTP(t)
	rds := startRedis(t)
	p := serveLogged(t, "--log-format", "json", "--otel-endpoint", recv.URL,
		"--postgres-url", pgtest.NewDatabase(t), "--redis-url", rds.URL())
	m := p.demoMembers(t)[1]

	const traceID, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	code, reqID, body := p.post(t, `query Can { can(permission: "audit_log.read") }`, map[string]string{
		"Authorization": "Bearer " + m.token,
		"traceparent":   "00-" + traceID + "-" + callerSpan + "-01",
		"X-Request-Id":  "trace-test-1",
	})
	if code != http.StatusOK || !strings.Contains(body, `"can":`) {
		t.Fatalf("can: %d %s", code, body)
	}
	if reqID != "trace-test-1" {
		t.Fatalf("X-Request-Id %q, want the caller's echoed", reqID)
	}

	under := func(spans []otlptest.Span, s otlptest.Span, ancestor string) bool {
		byID := map[string]otlptest.Span{}
		for _, x := range spans {
			byID[x.SpanID] = x
		}
		for p, ok := byID[s.ParentID]; ok; p, ok = byID[p.ParentID] {
			if p.SpanID == ancestor {
				return true
			}
		}
		return false
	}
	type found struct{ http, op, spicedb, redis, pg *otlptest.Span }
	find := func(spans []otlptest.Span) found {
		var f found
		for i, s := range spans {
			if s.TraceID != traceID {
				continue
			}
			switch {
			case s.Name == "POST /graphql" && s.ParentID == callerSpan:
				f.http = &spans[i]
			case s.Name == "query Can":
				f.op = &spans[i]
			}
		}
		if f.http == nil || f.op == nil || f.op.ParentID != f.http.SpanID {
			return found{}
		}
		for i, s := range spans {
			if s.TraceID != traceID {
				continue
			}
			switch {
			case strings.Contains(s.Scope, "otelgrpc") && strings.HasPrefix(s.Name, "authzed.api.v1.") && under(spans, s, f.op.SpanID):
				f.spicedb = &spans[i]
			case strings.Contains(s.Scope, "redisotel") && under(spans, s, f.op.SpanID):
				f.redis = &spans[i]
			case strings.Contains(s.Scope, "otelpgx") && under(spans, s, f.http.SpanID):
				f.pg = &spans[i]
			}
		}
		return f
	}
	spans := recv.WaitFor(t, 20*time.Second, "trace HTTP → GraphQL → SpiceDB + Redis, with Postgres", func(spans []otlptest.Span) bool {
		f := find(spans)
		return f.spicedb != nil && f.redis != nil && f.pg != nil
	})
	f := find(spans)
	t.Logf("trace %s: %s → %s → %s, %s; %s", traceID, f.http.Name, f.op.Name, f.spicedb.Name, f.redis.Name, f.pg.Name)
	if f.op.Attrs["graphql.operation.name"] != "Can" || f.op.Attrs["graphql.operation.type"] != "query" {
		t.Errorf("operation span attributes %v", f.op.Attrs)
	}
	for _, s := range recv.Trace(traceID) {
		for k, v := range s.Attrs {
			if strings.Contains(v, m.token) {
				t.Errorf("span %q attribute %s holds the token", s.Name, k)
			}
		}
	}

	// A mutation later in the run: its spans reach the collector only
	// through the flush at SIGTERM (the export batches every second, so
	// stop at once).
	owner := p.demoMembers(t)[0]
	const traceID2 = "5bf92f3577b34da6a3ce929d0e0e4737"
	code, _, body = p.post(t, `mutation Rename { updateRole(id: "nope", name: "x") { id } }`, map[string]string{
		"Authorization": "Bearer " + owner.token,
		"traceparent":   "00-" + traceID2 + "-" + callerSpan + "-01",
	})
	if code != http.StatusOK || !strings.Contains(body, `"errors"`) {
		t.Fatalf("updateRole of a missing role: %d %s", code, body)
	}
	p.stop(t)
	var op *otlptest.Span
	for _, s := range recv.Trace(traceID2) {
		if s.Name == "mutation Rename" {
			op = &s
		}
	}
	if op == nil || !op.StatusError || op.Attrs["graphql.error.code"] == "" {
		t.Fatalf("after exit, no errored \"mutation Rename\" span in trace %s:\n%s", traceID2, otlptest.Describe(recv.Trace(traceID2)))
	}

	lines := jsonLines(t, p.stderr.String())
	l := accessLine(t, lines, "trace-test-1")
	for k, want := range map[string]any{telemetry.KeyTraceID: traceID, telemetry.KeyOperation: "Can", telemetry.KeyStatus: 200.0,
		telemetry.KeyMember: m.member, telemetry.KeyOrg: m.org, telemetry.KeyMethod: "POST", telemetry.KeyPath: "/graphql"} {
		if l[k] != want {
			t.Errorf("access line %s = %v, want %v", k, l[k], want)
		}
	}
}

// --log-format json: from start to a SIGTERM stop, through a request
// refused before GraphQL, a request with a GraphQL error and a Redis
// outage, stderr holds only JSON lines, with one access line per request
// (request ids kept or made, and echoed) and never a token.
func TestTelemetryJSONLogsOnly(t *testing.T) {
	rds := startRedis(t)
	p := serveLogged(t, "--log-format", "json", "--redis-url", rds.URL())
	ms := p.demoMembers(t)
	m := ms[1]

	type call struct {
		name, query, token, reqID string
		status                    int
		operation                 string
		caller                    bool
	}
	calls := []call{
		{name: "can", query: `query Can { can(permission: "members.read") }`, token: m.token, reqID: "json-1", status: 200, operation: "Can", caller: true},
		{name: "no request id", query: `query Viewer { viewer { id } }`, token: m.token, status: 200, operation: "Viewer", caller: true},
		{name: "bad token", query: `{ viewer { id } }`, token: "not-a-token", reqID: "json-3", status: 401},
		{name: "graphql error", query: `query Broken { nope }`, token: m.token, reqID: "json-4", status: 200, caller: true},
	}
	run := func(c call) (string, int) {
		h := map[string]string{"Authorization": "Bearer " + c.token}
		if c.reqID != "" {
			h["X-Request-Id"] = c.reqID
		}
		code, id, body := p.post(t, c.query, h)
		if code != c.status {
			t.Fatalf("%s: %d %s, want %d", c.name, code, body, c.status)
		}
		if c.reqID != "" && id != c.reqID || c.reqID == "" && len(id) != 32 {
			t.Fatalf("%s: X-Request-Id %q (sent %q)", c.name, id, c.reqID)
		}
		return id, code
	}
	ids := make([]string, len(calls))
	for i, c := range calls {
		ids[i], _ = run(c)
	}
	// Redis goes away: decisions go on without the shared cache, and what
	// the client and the cache log about it is JSON too.
	rds.kill()
	for i := range 3 {
		run(call{name: "can without Redis", query: fmt.Sprintf(`query Can%d { can(permission: "interactions.read") }`, i), token: ms[2].token, status: 200})
	}
	p.stop(t)

	out := p.stderr.String()
	for _, mm := range ms {
		if strings.Contains(out, mm.token) {
			t.Fatal("a token reached the log")
		}
	}
	lines := jsonLines(t, out)
	for i, c := range calls {
		l := accessLine(t, lines, ids[i])
		if l[telemetry.KeyStatus] != float64(c.status) {
			t.Errorf("%s: status %v, want %d", c.name, l[telemetry.KeyStatus], c.status)
		}
		if c.operation != "" && l[telemetry.KeyOperation] != c.operation {
			t.Errorf("%s: operation %v, want %s", c.name, l[telemetry.KeyOperation], c.operation)
		}
		if got := l[telemetry.KeyMember] == m.member && l[telemetry.KeyOrg] == m.org; got != c.caller {
			t.Errorf("%s: member/org %v/%v, want them %v", c.name, l[telemetry.KeyMember], l[telemetry.KeyOrg], c.caller)
		}
		if _, traced := l[telemetry.KeyTraceID]; traced {
			t.Errorf("%s: trace_id without tracing: %v", c.name, l)
		}
	}
	var msgs []string
	for _, l := range lines {
		msgs = append(msgs, fmt.Sprint(l["msg"]))
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"rolegraph serving", "stopping: /readyz fails from now on", "stopped"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q line in the log", want)
		}
	}
	t.Logf("%d JSON lines on stderr", len(lines))
}

// A --log-format serve does not know is refused, naming the flag.
func TestTelemetryBadLogFormat(t *testing.T) {
	out, _ := exec.Command(rolegraphBinary(t), "serve", "--log-format", "yaml").CombinedOutput()
	if !strings.Contains(string(out), "--log-format") {
		t.Fatalf("serve --log-format yaml: %s", out)
	}
}
