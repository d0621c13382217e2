package telemetry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/rolegraph/rolegraph/telemetry"
	"github.com/rolegraph/rolegraph/telemetry/otlptest"
)

// Spans reach a real receiver over both transports, and Shutdown flushes
// them: nothing is waited for after it returns.
func TestTracingExports(t *testing.T) {
	for _, tc := range []struct {
		name string
		recv func(testing.TB) *otlptest.Receiver
	}{
		{"OTLP/HTTP", otlptest.NewHTTP},
		{"OTLP/gRPC", otlptest.NewGRPC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.recv(t)
			ctx := context.Background()
			tr, err := telemetry.NewTracing(ctx, telemetry.TraceConfig{Endpoint: r.URL, SampleRatio: 1, ServiceVersion: "v1"})
			if err != nil {
				t.Fatal(err)
			}
			if !tr.Enabled() {
				t.Fatal("not enabled with an endpoint")
			}
			_, span := tr.Provider().Tracer("test").Start(ctx, "work")
			span.End()
			if err := tr.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			spans := r.Spans()
			if len(spans) != 1 || spans[0].Name != "work" || spans[0].Service != "rolegraph" {
				t.Fatalf("received after Shutdown:\n%s", otlptest.Describe(spans))
			}
		})
	}
}

// --otel-sample-ratio 0 records none of the traces started here, but a
// caller's sampled traceparent is continued (and recorded).
func TestTracingSampling(t *testing.T) {
	r := otlptest.NewHTTP(t)
	ctx := context.Background()
	tr, err := telemetry.NewTracing(ctx, telemetry.TraceConfig{Endpoint: r.URL, SampleRatio: 0})
	if err != nil {
		t.Fatal(err)
	}
	h := tr.HTTP(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "test")
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/started-here", nil))
	const traceID = "0af7651916cd43dd8448eb211c80319c"
	req := httptest.NewRequest(http.MethodGet, "/continued", nil)
	req.Header.Set("traceparent", "00-"+traceID+"-b7ad6b7169203331-01")
	h.ServeHTTP(httptest.NewRecorder(), req)
	// Probes are never traced.
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if err := tr.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	spans := r.Spans()
	if len(spans) != 1 || spans[0].Name != "GET /continued" || spans[0].TraceID != traceID || spans[0].ParentID != "b7ad6b7169203331" {
		t.Fatalf("want only the continued trace:\n%s", otlptest.Describe(spans))
	}
}

func TestTracingConfig(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []telemetry.TraceConfig{
		{Endpoint: "collector:4318", SampleRatio: 1},
		{Endpoint: "ftp://collector:4318", SampleRatio: 1},
		{Endpoint: "http://", SampleRatio: 1},
		{Endpoint: "http://collector:4318", SampleRatio: 1.5},
		{Endpoint: "http://collector:4318", SampleRatio: -0.1},
	} {
		if _, err := telemetry.NewTracing(ctx, bad); !errors.Is(err, telemetry.ErrInvalid) {
			t.Errorf("%+v: err %v, want ErrInvalid", bad, err)
		}
	}
	// No endpoint: nothing is traced, and nothing is wrapped.
	tr, err := telemetry.NewTracing(ctx, telemetry.TraceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Enabled() || tr.PgxTracer() != nil || tr.GRPCDialOptions() != nil || tr.Shutdown(ctx) != nil {
		t.Fatal("tracing without an endpoint")
	}
	_, span := tr.Provider().Tracer("t").Start(ctx, "x")
	if span.SpanContext().IsValid() || span.SpanContext().TraceFlags() != trace.TraceFlags(0) {
		t.Fatal("a no-op provider was expected")
	}
	span.End()
	// An exporter to a collector that does not answer: Shutdown gives up
	// at its context's deadline.
	dead, err := telemetry.NewTracing(ctx, telemetry.TraceConfig{Endpoint: "http://127.0.0.1:9", SampleRatio: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, span = dead.Provider().Tracer("t").Start(ctx, "x")
	span.End()
	sctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_ = dead.Shutdown(sctx)
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Shutdown took %s against a dead collector with a 300ms deadline", took)
	}
}
