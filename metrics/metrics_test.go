package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestHandlerExposesMetrics(t *testing.T) {
	m := New()
	m.ObserveGraphQL(OperationQuery, "", 12*time.Millisecond)
	m.ObserveGraphQL(OperationMutation, "FORBIDDEN", 3*time.Millisecond)
	m.ObserveSpiceDB("CheckPermission", nil, time.Millisecond)
	m.ObserveSpiceDB("CheckPermission", status.Error(codes.Unavailable, "down"), time.Millisecond)
	m.ObserveCache(CacheRedis, CacheError)
	m.OutboxApplied.Add(3)
	m.OutboxFailed.Inc()
	m.OutboxPending.Set(7)
	m.ObserveHTTPStatus(401)
	m.ObserveHTTPStatus(401)
	m.ObserveHTTPStatus(200) // answered: not counted
	m.ObserveHTTPStatus(422)

	extra := prometheus.NewRegistry()
	extra.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "spicedb_embedded_probe_total", Help: "x"}))
	m.AddGatherer(extra)
	m.AddGatherer(nil)

	body := scrape(t, m.Handler())
	for _, want := range []string{
		"rolegraph_graphql_requests_total{operation=\"query\",outcome=\"ok\"} 1",
		"rolegraph_graphql_requests_total{operation=\"mutation\",outcome=\"forbidden\"} 1",
		"rolegraph_graphql_request_duration_seconds_bucket{operation=\"query\",le=",
		"rolegraph_graphql_request_duration_seconds_count{operation=\"mutation\"} 1",
		"rolegraph_spicedb_calls_total{method=\"CheckPermission\",outcome=\"OK\"} 1",
		"rolegraph_spicedb_calls_total{method=\"CheckPermission\",outcome=\"Unavailable\"} 1",
		"rolegraph_spicedb_call_duration_seconds_count{method=\"CheckPermission\"} 2",
		"rolegraph_cache_requests_total{layer=\"redis\",result=\"error\"} 1",
		"rolegraph_cache_requests_total{layer=\"local\",result=\"hit\"} 0",
		"rolegraph_outbox_applied_total 3",
		"rolegraph_outbox_failed_total 1",
		"rolegraph_outbox_pending 7",
		"rolegraph_http_refused_total{status=\"401\"} 2",
		"rolegraph_http_refused_total{status=\"503\"} 0",
		"go_goroutines ",
		"process_cpu_seconds_total ",
		"spicedb_embedded_probe_total 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", body)
	}
}

func TestFreshMetricsAreExported(t *testing.T) {
	body := scrape(t, New().Handler())
	for _, name := range []string{
		"rolegraph_graphql_requests_total",
		"rolegraph_graphql_request_duration_seconds",
		"rolegraph_spicedb_calls_total",
		"rolegraph_spicedb_call_duration_seconds",
		"rolegraph_cache_requests_total",
		"rolegraph_outbox_applied_total",
		"rolegraph_outbox_failed_total",
		"rolegraph_outbox_pending",
		"rolegraph_http_refused_total",
	} {
		if !strings.Contains(body, "# TYPE "+name+" ") {
			t.Errorf("a fresh /metrics lacks %s", name)
		}
	}
}

func TestNoGlobalState(t *testing.T) {
	a, b := New(), New() // a second New must not collide with the first
	a.OutboxApplied.Inc()
	if got := testutil.ToFloat64(b.OutboxApplied); got != 0 {
		t.Errorf("second Metrics sees the first's counter: %v", got)
	}
}

func TestInterceptors(t *testing.T) {
	m := New()
	unary, stream := m.unaryInterceptor, m.streamInterceptor

	const check = "/authzed.api.v1.PermissionsService/CheckPermission"
	_ = unary(context.Background(), check, nil, nil, nil,
		func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return nil })
	_ = unary(context.Background(), check, nil, nil, nil,
		func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error {
			return status.Error(codes.PermissionDenied, "no")
		})
	if got := testutil.ToFloat64(m.SpiceDBCalls.WithLabelValues("CheckPermission", "OK")); got != 1 {
		t.Errorf("CheckPermission OK = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.SpiceDBCalls.WithLabelValues("CheckPermission", "PermissionDenied")); got != 1 {
		t.Errorf("CheckPermission PermissionDenied = %v, want 1", got)
	}

	const lookup = "/authzed.api.v1.PermissionsService/LookupResources"
	for _, end := range []error{io.EOF, status.Error(codes.Unavailable, "gone")} {
		s, err := stream(context.Background(), &grpc.StreamDesc{ServerStreams: true}, nil, lookup,
			func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
				return &fakeStream{msgs: 2, end: end}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		for {
			if err := s.RecvMsg(nil); err != nil {
				if !errors.Is(err, end) {
					t.Fatalf("RecvMsg = %v, want %v", err, end)
				}
				break
			}
		}
		_ = s.RecvMsg(nil) // reading past the end records nothing more
	}
	if got := testutil.ToFloat64(m.SpiceDBCalls.WithLabelValues("LookupResources", "OK")); got != 1 {
		t.Errorf("LookupResources OK = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.SpiceDBCalls.WithLabelValues("LookupResources", "Unavailable")); got != 1 {
		t.Errorf("LookupResources Unavailable = %v, want 1", got)
	}
	if n := len(m.SpiceDBDialOptions()); n != 2 {
		t.Errorf("SpiceDBDialOptions: %d options, want 2", n)
	}
}

type fakeStream struct {
	grpc.ClientStream
	msgs int
	end  error
}

func (f *fakeStream) RecvMsg(any) error {
	if f.msgs == 0 {
		return f.end
	}
	f.msgs--
	return nil
}
