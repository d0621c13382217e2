package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	"google.golang.org/grpc"
)

// TraceConfig is what --otel-endpoint and --otel-sample-ratio say.
type TraceConfig struct {
	// Endpoint is the collector's base URL: http://host:4318 (or https://)
	// for OTLP/HTTP, where the exporter posts to /v1/traces below the
	// URL's path; grpc://host:4317 (plaintext) or grpcs://host:4317 (TLS)
	// for OTLP/gRPC. Empty: no tracing.
	Endpoint string
	// SampleRatio is the share of traces started here that are recorded
	// (0 to 1); a caller's traceparent decides for the traces it continues.
	SampleRatio float64
	// ServiceName and ServiceVersion describe this process in every span.
	ServiceName, ServiceVersion string
}

// Tracing is the tracer provider of a process and what instruments its
// HTTP server, its GraphQL operations and its clients with it. The zero
// value (and NewTracing without an endpoint) traces nothing.
type Tracing struct {
	provider trace.TracerProvider
	sdk      *sdktrace.TracerProvider // nil without an endpoint
}

// propagator is W3C trace context: a caller's traceparent is continued,
// and SpiceDB (remote) receives ours.
var propagator = propagation.TraceContext{}

// NewTracing builds the exporter and tracer provider of c. Spans are
// exported in batches in the background; Shutdown flushes them.
func NewTracing(ctx context.Context, c TraceConfig) (*Tracing, error) {
	if c.Endpoint == "" {
		return &Tracing{}, nil
	}
	if c.SampleRatio < 0 || c.SampleRatio > 1 {
		return nil, fmt.Errorf("%w: --otel-sample-ratio %g: want 0 to 1", ErrInvalid, c.SampleRatio)
	}
	exp, err := exporter(ctx, c.Endpoint)
	if err != nil {
		return nil, err
	}
	name := c.ServiceName
	if name == "" {
		name = "rolegraph"
	}
	attrs := []attribute.KeyValue{attribute.String("service.name", name)}
	if c.ServiceVersion != "" {
		attrs = append(attrs, attribute.String("service.version", c.ServiceVersion))
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Second)),
		sdktrace.WithResource(resource.NewSchemaless(attrs...)),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(c.SampleRatio))),
	)
	return &Tracing{provider: tp, sdk: tp}, nil
}

// exporter is the OTLP exporter the endpoint's scheme names.
func exporter(ctx context.Context, endpoint string) (sdktrace.SpanExporter, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: --otel-endpoint %q: want http://host:4318 (OTLP/HTTP) or grpc://host:4317 (OTLP/gRPC)", ErrInvalid, endpoint)
	}
	switch u.Scheme {
	case "http", "https":
		opts := []otlptracehttp.Option{otlptracehttp.WithEndpoint(u.Host),
			otlptracehttp.WithURLPath(strings.TrimRight(u.Path, "/") + "/v1/traces")}
		if u.Scheme == "http" {
			opts = append(opts, otlptracehttp.WithInsecure())
		}
		return otlptracehttp.New(ctx, opts...)
	case "grpc", "grpcs":
		opts := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(u.Host)}
		if u.Scheme == "grpc" {
			opts = append(opts, otlptracegrpc.WithInsecure())
		}
		return otlptracegrpc.New(ctx, opts...)
	}
	return nil, fmt.Errorf("%w: --otel-endpoint %q: the scheme must be http, https (OTLP/HTTP), grpc or grpcs (OTLP/gRPC)", ErrInvalid, endpoint)
}

// Enabled reports whether spans are exported.
func (t *Tracing) Enabled() bool { return t != nil && t.sdk != nil }

// Provider is the tracer provider (a no-op one when not Enabled).
func (t *Tracing) Provider() trace.TracerProvider {
	if t == nil || t.provider == nil {
		return noop.NewTracerProvider()
	}
	return t.provider
}

// Shutdown exports the spans still buffered and stops the exporter.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if !t.Enabled() {
		return nil
	}
	return t.sdk.Shutdown(ctx)
}

// HTTP wraps h in a span per request, named by method and path, that
// continues a caller's W3C traceparent. Probes (/healthz, /readyz,
// /metrics) are not traced. Without tracing it returns h.
func (t *Tracing) HTTP(h http.Handler, server string) http.Handler {
	if !t.Enabled() {
		return h
	}
	return otelhttp.NewHandler(h, server,
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelhttp.WithPropagators(propagator),
		otelhttp.WithFilter(func(r *http.Request) bool { return !quiet[r.URL.Path] }),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + r.URL.Path }),
	)
}

// GRPCDialOptions give every call on a gRPC client connection a client
// span, and send the trace to the server (traceparent in the metadata) so
// a remote SpiceDB continues it. Nil without tracing.
func (t *Tracing) GRPCDialOptions() []grpc.DialOption {
	if !t.Enabled() {
		return nil
	}
	return []grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(
		otelgrpc.WithTracerProvider(t.provider),
		otelgrpc.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelgrpc.WithPropagators(propagator),
	))}
}
