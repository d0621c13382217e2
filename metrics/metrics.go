// Package metrics holds rolegraph's Prometheus metrics in a registry of its
// own (nothing is registered globally), and serves them on /metrics.
//
//	m := metrics.New()
//	mux.Handle("/metrics", m.Handler())
//	conn, _ := spicedb.Config{DialOptions: m.SpiceDBDialOptions()}.Complete(ctx)
//	m.AddGatherer(conn.Gatherer()) // an embedded SpiceDB's own metrics
package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

const namespace = "rolegraph"

// Label values used by rolegraph. Outcomes of GraphQL operations are "ok" or
// an API error code (API.md, "Errors") in lower case, e.g. "forbidden".
const (
	OperationQuery    = "query"
	OperationMutation = "mutation"

	OutcomeOK    = "ok"
	OutcomeError = "error"

	CacheLocal = "local" // in-process decision cache
	CacheRedis = "redis" // shared decision cache

	CacheHit   = "hit"
	CacheMiss  = "miss"
	CacheError = "error"
)

// Metrics is the set of rolegraph's metrics and the registry that holds them.
// Its methods are safe for concurrent use.
type Metrics struct {
	// Registry holds every metric below plus the Go and process collectors.
	Registry *prometheus.Registry

	// GraphQLRequests counts GraphQL operations by type (query, mutation)
	// and outcome ("ok" or the lower-cased error code).
	GraphQLRequests *prometheus.CounterVec
	// GraphQLDuration observes the seconds each operation took, by type.
	GraphQLDuration *prometheus.HistogramVec
	// SpiceDBCalls counts SpiceDB calls by method (e.g. CheckPermission) and
	// outcome (the gRPC code, e.g. "OK", "Unavailable").
	SpiceDBCalls *prometheus.CounterVec
	// SpiceDBDuration observes the seconds each SpiceDB call took, by method;
	// for a streaming call, until the stream ended.
	SpiceDBDuration *prometheus.HistogramVec
	// CacheRequests counts decision-cache lookups by layer (local, redis)
	// and result (hit, miss, error).
	CacheRequests *prometheus.CounterVec
	// OutboxApplied and OutboxFailed count relationship outbox entries
	// applied to SpiceDB and attempts that failed; OutboxPending is how many
	// wait to be applied.
	OutboxApplied prometheus.Counter
	OutboxFailed  prometheus.Counter
	OutboxPending prometheus.Gauge
	// RolesExpiringSoon is how many temporary role assignments, in every
	// organization, end within the next 24 hours: an operator alerts on it,
	// a product emails the people about to lose access.
	RolesExpiringSoon prometheus.Gauge
	// RolesExpired counts temporary role assignments the expiry sweeper
	// removed (each with its audit event); ExpirySweepLag observes, for
	// each, the seconds from its expiry to its removal (the issue asks for
	// under a minute).
	RolesExpired   prometheus.Counter
	ExpirySweepLag prometheus.Histogram
	// SpeculationMisses counts queries run again because the organization
	// had changed since this process last read it (see identity/speculate.go).
	SpeculationMisses prometheus.Counter
	// HTTPRefused counts /graphql requests answered before GraphQL ran, by
	// status: 401 (bad token), 413 (body too large), 415 (not JSON), 503
	// (request timeout). GraphQLRequests never sees them.
	HTTPRefused *prometheus.CounterVec

	mu        sync.Mutex
	gatherers prometheus.Gatherers
}

// New returns the metrics registered in a new registry, with every label
// combination rolegraph knows of already exported at zero.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		GraphQLRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "requests_total",
			Help: "GraphQL operations, by operation type and outcome (ok or the lower-cased error code).",
		}, []string{"operation", "outcome"}),
		GraphQLDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "request_duration_seconds",
			Help: "Time to answer a GraphQL operation, by operation type.",
			// 1ms .. ~8s
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"operation"}),
		SpiceDBCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "spicedb", Name: "calls_total",
			Help: "Calls to SpiceDB, by method and outcome (gRPC status code).",
		}, []string{"method", "outcome"}),
		SpiceDBDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "spicedb", Name: "call_duration_seconds",
			Help: "Time a SpiceDB call took (streams: until the last message), by method.",
			// 0.25ms .. ~8s: a check on the Postgres datastore takes ~1ms.
			Buckets: prometheus.ExponentialBuckets(0.00025, 2, 16),
		}, []string{"method"}),
		CacheRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "cache", Name: "requests_total",
			Help: "Decision cache lookups, by layer (local, redis) and result (hit, miss, error).",
		}, []string{"layer", "result"}),
		OutboxApplied: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "outbox", Name: "applied_total",
			Help: "Relationship outbox entries applied to SpiceDB.",
		}),
		OutboxFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "outbox", Name: "failed_total",
			Help: "Attempts to apply relationship outbox entries that failed (they are retried).",
		}),
		OutboxPending: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "outbox", Name: "pending",
			Help: "Relationship outbox entries waiting to be applied to SpiceDB.",
		}),
		RolesExpiringSoon: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "role_assignments", Name: "expiring_24h",
			Help: "Temporary role assignments (all organizations) that expire within the next 24 hours.",
		}),
		RolesExpired: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "role_assignments", Name: "expired_total",
			Help: "Temporary role assignments removed by the expiry sweeper, each with an audit event.",
		}),
		ExpirySweepLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "role_assignments", Name: "expiry_sweep_lag_seconds",
			Help: "Seconds from a temporary role's expiry to the sweeper's removal of it and its audit event.",
			// 0.25s .. ~128s: the sweeper runs every 30s by default.
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 10),
		}),
		SpeculationMisses: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "auth", Name: "speculation_misses_total",
			Help: "Queries answered again because their organization had changed since this process last read it.",
		}),
		HTTPRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "refused_total",
			Help: "GraphQL HTTP requests refused before GraphQL ran, by status (401, 413, 415, 503).",
		}, []string{"status"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.GraphQLRequests, m.GraphQLDuration,
		m.SpiceDBCalls, m.SpiceDBDuration,
		m.CacheRequests,
		m.OutboxApplied, m.OutboxFailed, m.OutboxPending, m.RolesExpiringSoon, m.RolesExpired, m.ExpirySweepLag,
		m.SpeculationMisses,
		m.HTTPRefused,
	)
	for _, status := range RefusedStatuses {
		m.HTTPRefused.WithLabelValues(strconv.Itoa(status))
	}

	for _, op := range []string{OperationQuery, OperationMutation} {
		m.GraphQLRequests.WithLabelValues(op, OutcomeOK)
		m.GraphQLDuration.WithLabelValues(op)
	}
	for _, method := range []string{"CheckPermission", "CheckBulkPermissions", "LookupResources", "LookupSubjects", "WriteRelationships"} {
		m.SpiceDBCalls.WithLabelValues(method, "OK")
		m.SpiceDBDuration.WithLabelValues(method)
	}
	for _, layer := range []string{CacheLocal, CacheRedis} {
		for _, result := range []string{CacheHit, CacheMiss, CacheError} {
			m.CacheRequests.WithLabelValues(layer, result)
		}
	}
	m.gatherers = prometheus.Gatherers{m.Registry}
	return m
}

// AddGatherer adds more metrics to those Handler serves, e.g. an embedded
// SpiceDB's (spicedb.Conn.Gatherer). nil is ignored.
func (m *Metrics) AddGatherer(g prometheus.Gatherer) {
	if g == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gatherers = append(m.gatherers, g)
}

// Gather implements prometheus.Gatherer over the registry and every added
// gatherer.
func (m *Metrics) Gather() ([]*dto.MetricFamily, error) {
	m.mu.Lock()
	gs := append(prometheus.Gatherers(nil), m.gatherers...)
	m.mu.Unlock()
	return gs.Gather()
}

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m, promhttp.HandlerOpts{
		Registry:          m.Registry, // counts its own scrape errors there
		EnableOpenMetrics: true,
	})
}

// ObserveGraphQL records one GraphQL operation: its type ("query",
// "mutation"), outcome ("ok" or an error code) and duration.
func (m *Metrics) ObserveGraphQL(operation, outcome string, d time.Duration) {
	outcome = strings.ToLower(outcome)
	if outcome == "" {
		outcome = OutcomeOK
	}
	m.GraphQLRequests.WithLabelValues(operation, outcome).Inc()
	m.GraphQLDuration.WithLabelValues(operation).Observe(d.Seconds())
}

// RefusedStatuses are the statuses HTTPRefused counts.
var RefusedStatuses = []int{http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusServiceUnavailable}

// ObserveHTTPStatus records the status of a /graphql response; only
// RefusedStatuses are counted.
func (m *Metrics) ObserveHTTPStatus(status int) {
	if slices.Contains(RefusedStatuses, status) {
		m.HTTPRefused.WithLabelValues(strconv.Itoa(status)).Inc()
	}
}

// ObserveSpiceDB records one SpiceDB call: its method, error (nil for OK)
// and duration.
func (m *Metrics) ObserveSpiceDB(method string, err error, d time.Duration) {
	m.SpiceDBCalls.WithLabelValues(method, outcomeOf(err)).Inc()
	m.SpiceDBDuration.WithLabelValues(method).Observe(d.Seconds())
}

// ObserveCache records one decision-cache lookup in a layer (local, redis):
// result is hit, miss or error.
func (m *Metrics) ObserveCache(layer, result string) {
	m.CacheRequests.WithLabelValues(layer, result).Inc()
}

// SpiceDBDialOptions returns gRPC dial options that record every call made
// through the connection (spicedb.Config.DialOptions).
func (m *Metrics) SpiceDBDialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(m.unaryInterceptor),
		grpc.WithChainStreamInterceptor(m.streamInterceptor),
	}
}

func (m *Metrics) unaryInterceptor(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	start := time.Now()
	err := invoker(ctx, method, req, reply, cc, opts...)
	m.ObserveSpiceDB(shortMethod(method), err, time.Since(start))
	return err
}

func (m *Metrics) streamInterceptor(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	start := time.Now()
	s, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		m.ObserveSpiceDB(shortMethod(method), err, time.Since(start))
		return nil, err
	}
	return &observedStream{ClientStream: s, m: m, method: shortMethod(method), start: start}, nil
}

// observedStream records a server-streaming call once, when RecvMsg reports
// its end (io.EOF for success, or an error). A stream abandoned before its
// end is not recorded.
type observedStream struct {
	grpc.ClientStream
	m      *Metrics
	method string
	start  time.Time
	once   sync.Once
}

func (s *observedStream) RecvMsg(msg any) error {
	err := s.ClientStream.RecvMsg(msg)
	if err != nil {
		s.once.Do(func() {
			if errors.Is(err, io.EOF) {
				s.m.ObserveSpiceDB(s.method, nil, time.Since(s.start))
			} else {
				s.m.ObserveSpiceDB(s.method, err, time.Since(s.start))
			}
		})
	}
	return err
}

// shortMethod turns "/authzed.api.v1.PermissionsService/CheckPermission"
// into "CheckPermission".
func shortMethod(full string) string {
	if i := strings.LastIndexByte(full, '/'); i >= 0 {
		return full[i+1:]
	}
	return full
}

func outcomeOf(err error) string {
	if err == nil {
		return "OK"
	}
	return status.Code(err).String()
}
