package telemetry

import (
	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
)

// PgxTracer gives every query of a pgx pool a client span (the statement
// as parameterized SQL, never its arguments); nil without tracing.
//
//	cfg.ConnConfig.Tracer = tr.PgxTracer()
func (t *Tracing) PgxTracer() pgx.QueryTracer {
	if !t.Enabled() {
		return nil
	}
	return otelpgx.NewTracer(
		otelpgx.WithTracerProvider(t.provider),
		otelpgx.WithMeterProvider(metricnoop.NewMeterProvider()),
	)
}

// InstrumentRedis gives every command (and pipeline) of rc a client span.
// rc is a client, a Sentinel-failover client, a cluster client or anything
// wrapping one that hands out its nodes (OnNewNode). Nothing without
// tracing.
func (t *Tracing) InstrumentRedis(rc redis.UniversalClient) error {
	if !t.Enabled() {
		return nil
	}
	opts := []redisotel.TracingOption{redisotel.WithTracerProvider(t.provider), redisotel.WithCallerEnabled(false)}
	switch rc.(type) {
	case *redis.Client, *redis.ClusterClient, *redis.Ring:
		return redisotel.InstrumentTracing(rc, opts...)
	}
	if nodes, ok := rc.(interface{ OnNewNode(func(*redis.Client)) }); ok {
		nodes.OnNewNode(func(c *redis.Client) { _ = redisotel.InstrumentTracing(c, opts...) })
		return nil
	}
	return redisotel.InstrumentTracing(rc, opts...)
}
