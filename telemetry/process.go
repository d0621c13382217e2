package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/go-logr/logr"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"google.golang.org/grpc/grpclog"
)

// RouteProcessLogs sends what libraries log through process-wide loggers
// to log, so that with --log-format json nothing reaches stderr as plain
// text: the standard log package (slog.SetDefault), go-redis's logger,
// gRPC's grpclog (its
// info and warnings at debug level: reconnects are routine and surface as
// failed calls anyway), and OpenTelemetry's error handler (an exporter
// that cannot reach its collector) and internal logger. SpiceDB's own
// zerolog logger is a no-op when it runs embedded as a library.
//
// It changes process-wide state: only a main package calls it, once,
// before any gRPC connection is made (grpclog's setter is not safe to
// call concurrently with logging).
func RouteProcessLogs(log *slog.Logger) {
	slog.SetDefault(log)
	grpclog.SetLoggerV2(grpcLogger{log.With("logger", "grpc")})
	otelLog := log.With("logger", "otel")
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		otelLog.Warn("tracing", "err", err)
	}))
	otel.SetLogger(logr.FromSlogHandler(otelLog.Handler()))
	redis.SetLogger(redisLogger{log.With("logger", "redis")})
}

// redisLogger is go-redis's logger over slog: it only reports trouble
// (a pool that cannot dial, a node that went away).
type redisLogger struct{ log *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.log.WarnContext(ctx, fmt.Sprintf(format, v...))
}

// grpcLogger is grpclog.LoggerV2 over slog.
type grpcLogger struct{ log *slog.Logger }

var _ grpclog.LoggerV2 = grpcLogger{}

func (g grpcLogger) emit(level slog.Level, msg string) {
	g.log.Log(context.Background(), level, msg)
}

func (g grpcLogger) Info(args ...any)   { g.emit(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLogger) Infoln(args ...any) { g.emit(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLogger) Infof(format string, args ...any) {
	g.emit(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (g grpcLogger) Warning(args ...any)   { g.emit(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLogger) Warningln(args ...any) { g.emit(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLogger) Warningf(format string, args ...any) {
	g.emit(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (g grpcLogger) Error(args ...any)   { g.emit(slog.LevelError, fmt.Sprint(args...)) }
func (g grpcLogger) Errorln(args ...any) { g.emit(slog.LevelError, fmt.Sprint(args...)) }
func (g grpcLogger) Errorf(format string, args ...any) {
	g.emit(slog.LevelError, fmt.Sprintf(format, args...))
}
func (g grpcLogger) Fatal(args ...any)   { g.emit(slog.LevelError, fmt.Sprint(args...)); os.Exit(1) }
func (g grpcLogger) Fatalln(args ...any) { g.emit(slog.LevelError, fmt.Sprint(args...)); os.Exit(1) }
func (g grpcLogger) Fatalf(format string, args ...any) {
	g.emit(slog.LevelError, fmt.Sprintf(format, args...))
	os.Exit(1)
}

// V reports whether gRPC's verbose logs are wanted: at debug level only.
func (g grpcLogger) V(l int) bool {
	return l <= 0 || g.log.Enabled(context.Background(), slog.LevelDebug)
}
