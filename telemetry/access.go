package telemetry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// Keys of the access line (and, for the first two, of every line logged
// with a request's context).
const (
	KeyRequestID = "request_id"
	KeyTraceID   = "trace_id"
	KeyMethod    = "method"
	KeyPath      = "path"
	KeyOperation = "operation"
	KeyStatus    = "status"
	KeyDuration  = "duration_ms"
	KeyMember    = "member_id"
	KeyOrg       = "organization_id"
)

// HeaderRequestID carries a request's id in and out.
const HeaderRequestID = "X-Request-Id"

// AccessMessage is the message of every access line.
const AccessMessage = "request"

// maxRequestID bounds an incoming X-Request-Id that is kept; a longer one,
// or one with other than printable ASCII, is replaced.
const maxRequestID = 128

// entry is what the access line of one request says; handlers deeper in
// the request fill it (SetOperation, SetCaller).
type entry struct {
	requestID string
	mu        sync.Mutex
	operation string
	memberID  string
	orgID     string
}

type entryKey struct{}

func entryFrom(ctx context.Context) *entry {
	e, _ := ctx.Value(entryKey{}).(*entry)
	return e
}

// RequestID is the id of the request ctx belongs to; "" outside AccessLog.
func RequestID(ctx context.Context) string {
	if e := entryFrom(ctx); e != nil {
		return e.requestID
	}
	return ""
}

// SetOperation names the GraphQL operation of the request ctx belongs to,
// for its access line.
func SetOperation(ctx context.Context, name string) {
	if e := entryFrom(ctx); e != nil {
		e.mu.Lock()
		e.operation = name
		e.mu.Unlock()
	}
}

// SetCaller records who the request ctx belongs to acts as (ids only,
// never a token), for its access line.
func SetCaller(ctx context.Context, orgID, memberID string) {
	if e := entryFrom(ctx); e != nil {
		e.mu.Lock()
		e.orgID, e.memberID = orgID, memberID
		e.mu.Unlock()
	}
}

// quiet are paths probed every few seconds by orchestrators and scrapers:
// their access lines are at debug level, so that info shows traffic.
var quiet = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// AccessLog logs one line per request that next serves, after it
// returns: request_id (an incoming X-Request-Id is kept when it is
// printable ASCII of at most 128 bytes, else one is made; either way it is
// echoed in the response's X-Request-Id), method, path, the GraphQL
// operation, status, duration, the caller's member and organization ids,
// and the trace id when the request is traced (AccessLog inside
// Tracing.HTTP). Probes (/healthz, /readyz, /metrics) log at debug level.
func AccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		e := &entry{requestID: requestID(r.Header.Get(HeaderRequestID))}
		w.Header().Set(HeaderRequestID, e.requestID)
		sw := &statusWriter{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), entryKey{}, e)
		defer func() {
			// A panic that escaped next still gets its line (as a 500,
			// which net/http answers by closing the connection).
			v := recover()
			if v != nil {
				sw.status = http.StatusInternalServerError
			}
			level := slog.LevelInfo
			if quiet[r.URL.Path] {
				level = slog.LevelDebug
			}
			if log.Enabled(ctx, level) {
				log.LogAttrs(ctx, level, AccessMessage, e.attrs(r, sw.code(), time.Since(start), trace.SpanContextFromContext(ctx))...)
			}
			if v != nil {
				panic(v)
			}
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

func (e *entry) attrs(r *http.Request, status int, took time.Duration, sc trace.SpanContext) []slog.Attr {
	e.mu.Lock()
	defer e.mu.Unlock()
	as := make([]slog.Attr, 0, 9)
	as = append(as, slog.String(KeyRequestID, e.requestID))
	if sc.IsValid() {
		as = append(as, slog.String(KeyTraceID, sc.TraceID().String()))
	}
	as = append(as,
		slog.String(KeyMethod, r.Method),
		slog.String(KeyPath, r.URL.Path),
	)
	if e.operation != "" {
		as = append(as, slog.String(KeyOperation, e.operation))
	}
	as = append(as,
		slog.Int(KeyStatus, status),
		slog.Float64(KeyDuration, float64(took.Microseconds())/1000),
	)
	if e.memberID != "" {
		as = append(as, slog.String(KeyMember, e.memberID))
	}
	if e.orgID != "" {
		as = append(as, slog.String(KeyOrg, e.orgID))
	}
	return as
}

// requestID keeps an incoming id that is safe to log and echo, or makes
// one (16 random bytes, hex).
func requestID(in string) string {
	if in != "" && len(in) <= maxRequestID && printable(in) {
		return in
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK // nothing written: net/http answers 200
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a flush on, for handlers that stream.
func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }
