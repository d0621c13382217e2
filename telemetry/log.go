// Package telemetry is what rolegraph tells its operators about itself:
// structured logs (log/slog, JSON or text, with the request's id and trace
// id on every line logged with its context), one access line per request,
// and OpenTelemetry traces exported over OTLP (HTTP or gRPC). It holds no
// global state: the server passes the logger and the tracer provider built
// here to the packages that log and trace.
//
//	log, err := telemetry.NewLogger(os.Stderr, "json", "info")
//	tr, err := telemetry.NewTracing(ctx, telemetry.TraceConfig{Endpoint: "http://collector:4318"})
//	defer tr.Shutdown(ctx) // flushes the spans not yet exported
//	h := tr.HTTP(telemetry.AccessLog(log, mux), "rolegraph")
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// Log formats --log-format accepts.
const (
	FormatText = "text"
	FormatJSON = "json"
)

// ErrInvalid marks a --log-format, --log-level or --otel-… value that
// cannot be used.
var ErrInvalid = errors.New("invalid telemetry setting")

// ParseLevel reads debug, info, warn or error (any case).
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	switch strings.ToLower(s) {
	case "debug", "info", "warn", "error":
		if err := l.UnmarshalText([]byte(s)); err != nil {
			return 0, err
		}
		return l, nil
	}
	return 0, fmt.Errorf("%w: --log-level %q: want debug, info, warn or error", ErrInvalid, s)
}

// NewHandler is the slog handler of --log-format and --log-level writing to
// w, adding request_id and trace_id to records logged with a request's
// context (slog.InfoContext and the like).
func NewHandler(w io.Writer, format, level string) (slog.Handler, error) {
	l, err := ParseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler
	switch strings.ToLower(format) {
	case FormatText:
		h = slog.NewTextHandler(w, opts)
	case FormatJSON:
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("%w: --log-format %q: want json or text", ErrInvalid, format)
	}
	return contextHandler{h}, nil
}

// NewLogger is a logger over NewHandler.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	h, err := NewHandler(w, format, level)
	if err != nil {
		return nil, err
	}
	return slog.New(h), nil
}

// contextHandler adds what a request's context knows (its id, its trace)
// to every record logged with it, so an error logged deep in a request
// can be joined to its access line and its trace.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		if e := entryFrom(ctx); e != nil && !hasAttr(r, KeyRequestID) {
			r.AddAttrs(slog.String(KeyRequestID, e.requestID))
		}
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() && !hasAttr(r, KeyTraceID) {
			r.AddAttrs(slog.String(KeyTraceID, sc.TraceID().String()))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

func hasAttr(r slog.Record, key string) (found bool) {
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == key
		return !found
	})
	return found
}
