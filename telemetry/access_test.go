package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// lines decodes JSON log lines.
func lines(t *testing.T, b *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestAccessLog(t *testing.T) {
	// What a handler deeper in the request does: names the operation and
	// the caller, and logs with the request's context.
	inner := func(log func(ctx context.Context)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/graphql":
				SetOperation(r.Context(), "Can")
				SetCaller(r.Context(), "org-1", "member-1")
				log(r.Context())
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"data":{}}`)
			case "/refused":
				w.WriteHeader(http.StatusUnauthorized)
			case "/healthz":
				_, _ = io.WriteString(w, "ok")
			}
		})
	}
	long := strings.Repeat("x", maxRequestID+1)
	for _, tc := range []struct {
		name, path, level, incoming string
		wantKept                    bool
		wantLine                    bool
		want                        map[string]any
		absent                      []string
	}{
		{name: "operation and caller", path: "/graphql", level: "info", incoming: "req-42", wantKept: true, wantLine: true,
			want:   map[string]any{"msg": AccessMessage, "level": "INFO", KeyMethod: "POST", KeyPath: "/graphql", KeyOperation: "Can", KeyStatus: 200.0, KeyMember: "member-1", KeyOrg: "org-1"},
			absent: []string{KeyTraceID}},
		{name: "generated id", path: "/graphql", level: "info", wantLine: true, want: map[string]any{KeyStatus: 200.0}},
		{name: "refused before GraphQL", path: "/refused", level: "info", incoming: "abc", wantKept: true, wantLine: true,
			want: map[string]any{KeyStatus: 401.0}, absent: []string{KeyOperation, KeyMember, KeyOrg}},
		{name: "id with a space is replaced", path: "/graphql", level: "info", incoming: "a b", wantLine: true},
		{name: "id too long is replaced", path: "/graphql", level: "info", incoming: long, wantLine: true},
		{name: "probe at info: no line", path: "/healthz", level: "info", incoming: "p1", wantKept: true},
		{name: "probe at debug", path: "/healthz", level: "debug", incoming: "p1", wantKept: true, wantLine: true,
			want: map[string]any{"level": "DEBUG", KeyPath: "/healthz", KeyStatus: 200.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := NewLogger(&buf, "json", tc.level)
			if err != nil {
				t.Fatal(err)
			}
			h := AccessLog(log, inner(func(ctx context.Context) { log.InfoContext(ctx, "inside") }))
			req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(`{}`))
			req.Header.Set("Authorization", "Bearer secret-token")
			if tc.incoming != "" {
				req.Header.Set(HeaderRequestID, tc.incoming)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			id := rec.Header().Get(HeaderRequestID)
			switch {
			case tc.wantKept && id != tc.incoming:
				t.Fatalf("X-Request-Id %q, want the incoming %q", id, tc.incoming)
			case !tc.wantKept && (id == tc.incoming || len(id) != 32):
				t.Fatalf("X-Request-Id %q, want a generated one (32 hex) instead of %q", id, tc.incoming)
			}
			if strings.Contains(buf.String(), "secret-token") {
				t.Fatalf("the token reached the log:\n%s", buf.String())
			}
			var access []map[string]any
			for _, l := range lines(t, &buf) {
				if l["msg"] == AccessMessage {
					access = append(access, l)
				} else if l[KeyRequestID] != id {
					t.Errorf("a line logged inside the request has request_id %v, want %q: %v", l[KeyRequestID], id, l)
				}
			}
			if !tc.wantLine {
				if len(access) != 0 {
					t.Fatalf("access lines %v, want none", access)
				}
				return
			}
			if len(access) != 1 {
				t.Fatalf("%d access lines, want 1:\n%s", len(access), buf.String())
			}
			l := access[0]
			if l[KeyRequestID] != id {
				t.Errorf("request_id %v, want the echoed %q", l[KeyRequestID], id)
			}
			if d, ok := l[KeyDuration].(float64); !ok || d < 0 {
				t.Errorf("duration_ms %v", l[KeyDuration])
			}
			for k, v := range tc.want {
				if l[k] != v {
					t.Errorf("%s = %v, want %v (line %v)", k, l[k], v, l)
				}
			}
			for _, k := range tc.absent {
				if _, ok := l[k]; ok {
					t.Errorf("%s present: %v", k, l)
				}
			}
		})
	}
}

// Inside a traced request the access line and every line logged with the
// request's context carry its trace id.
func TestAccessLogTraceID(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	tr := &Tracing{provider: tp, sdk: tp}
	var buf bytes.Buffer
	log, _ := NewLogger(&buf, "json", "info")
	h := tr.HTTP(AccessLog(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.WarnContext(r.Context(), "inside")
	})), "test")
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	req.Header.Set("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
	h.ServeHTTP(httptest.NewRecorder(), req)

	ls := lines(t, &buf)
	if len(ls) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(ls), buf.String())
	}
	for _, l := range ls {
		if l[KeyTraceID] != traceID {
			t.Errorf("trace_id %v, want the caller's %s: %v", l[KeyTraceID], traceID, l)
		}
	}
	spans := rec.Ended()
	if len(spans) != 1 || spans[0].Name() != "GET /x" || spans[0].SpanContext().TraceID().String() != traceID ||
		spans[0].Parent().SpanID().String() != "00f067aa0ba902b7" {
		t.Fatalf("spans %v: want one \"GET /x\" continuing the caller's trace", spans)
	}
}
