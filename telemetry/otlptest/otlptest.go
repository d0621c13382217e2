// Package otlptest is an OpenTelemetry collector for tests: it receives
// OTLP trace exports over HTTP (protobuf, as the OTLP/HTTP exporter posts
// them) or gRPC, decodes them with the OTLP protobuf types, and lets a test
// wait for and inspect the spans, so that what a process exports is
// checked as a collector would see it.
package otlptest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// Span is one received span, flattened.
type Span struct {
	TraceID, SpanID, ParentID string // hex; ParentID "" for a root
	Name                      string
	Kind                      tracepb.Span_SpanKind
	Scope                     string            // instrumentation scope
	Service                   string            // resource's service.name
	Attrs                     map[string]string // attribute values as text
	StatusError               bool
}

// Receiver collects spans. Its zero value is not usable: NewHTTP, NewGRPC.
type Receiver struct {
	// URL is what to pass as the endpoint: http://127.0.0.1:port (the
	// receiver accepts /v1/traces below any path) or grpc://127.0.0.1:port.
	URL string

	mu      sync.Mutex
	spans   []Span
	exports int
	changed chan struct{}
}

func newReceiver() *Receiver { return &Receiver{changed: make(chan struct{})} }

// NewHTTP starts an OTLP/HTTP receiver on 127.0.0.1, closed with the test.
func NewHTTP(t testing.TB) *Receiver {
	r := newReceiver()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/v1/traces") {
			http.Error(w, "POST /v1/traces only", http.StatusNotFound)
			return
		}
		if ct := req.Header.Get("Content-Type"); ct != "application/x-protobuf" {
			http.Error(w, "protobuf only, not "+ct, http.StatusUnsupportedMediaType)
			return
		}
		body := io.Reader(req.Body)
		if req.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(req.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		raw, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var ex collectorpb.ExportTraceServiceRequest
		if err := proto.Unmarshal(raw, &ex); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.add(&ex)
		out, _ := proto.Marshal(&collectorpb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// NewGRPC starts an OTLP/gRPC receiver on 127.0.0.1, stopped with the test.
func NewGRPC(t testing.TB) *Receiver {
	r := newReceiver()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	collectorpb.RegisterTraceServiceServer(gs, grpcService{r: r})
	go func() { _ = gs.Serve(ln) }()
	t.Cleanup(gs.Stop)
	r.URL = "grpc://" + ln.Addr().String()
	return r
}

type grpcService struct {
	collectorpb.UnimplementedTraceServiceServer
	r *Receiver
}

func (g grpcService) Export(_ context.Context, ex *collectorpb.ExportTraceServiceRequest) (*collectorpb.ExportTraceServiceResponse, error) {
	g.r.add(ex)
	return &collectorpb.ExportTraceServiceResponse{}, nil
}

func (r *Receiver) add(ex *collectorpb.ExportTraceServiceRequest) {
	var got []Span
	for _, rs := range ex.GetResourceSpans() {
		service := attrs(rs.GetResource().GetAttributes())["service.name"]
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				got = append(got, Span{
					TraceID:     hex.EncodeToString(s.GetTraceId()),
					SpanID:      hex.EncodeToString(s.GetSpanId()),
					ParentID:    hex.EncodeToString(s.GetParentSpanId()),
					Name:        s.GetName(),
					Kind:        s.GetKind(),
					Scope:       ss.GetScope().GetName(),
					Service:     service,
					Attrs:       attrs(s.GetAttributes()),
					StatusError: s.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR,
				})
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, got...)
	r.exports++
	close(r.changed)
	r.changed = make(chan struct{})
}

func attrs(kvs []*commonpb.KeyValue) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = value(kv.GetValue())
	}
	return m
}

func value(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return fmt.Sprint(x.IntValue)
	case *commonpb.AnyValue_BoolValue:
		return fmt.Sprint(x.BoolValue)
	case *commonpb.AnyValue_DoubleValue:
		return fmt.Sprint(x.DoubleValue)
	case *commonpb.AnyValue_BytesValue:
		return hex.EncodeToString(x.BytesValue)
	case nil:
		return ""
	default:
		var b bytes.Buffer
		fmt.Fprint(&b, x)
		return b.String()
	}
}

// Spans is every span received so far.
func (r *Receiver) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...)
}

// Trace is the spans received so far of one trace.
func (r *Receiver) Trace(traceID string) []Span {
	var out []Span
	for _, s := range r.Spans() {
		if s.TraceID == traceID {
			out = append(out, s)
		}
	}
	return out
}

// WaitFor waits up to d until ok holds for the spans received, and
// returns them; it fails the test (showing them) when it never does.
func (r *Receiver) WaitFor(t testing.TB, d time.Duration, what string, ok func([]Span) bool) []Span {
	t.Helper()
	deadline := time.After(d)
	for {
		r.mu.Lock()
		spans, changed := append([]Span(nil), r.spans...), r.changed
		r.mu.Unlock()
		if ok(spans) {
			return spans
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("after %s the receiver has no %s; it has %d spans:\n%s", d, what, len(spans), Describe(spans))
			return nil
		}
	}
}

// Describe lists spans one a line, for failure messages.
func Describe(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "  trace %s span %s parent %-16s %-8s %q (%s)\n", s.TraceID, s.SpanID, s.ParentID, strings.TrimPrefix(s.Kind.String(), "SPAN_KIND_"), s.Name, s.Scope)
	}
	return b.String()
}
