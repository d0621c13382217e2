package server

// The admin listener (Config.AdminAddr) and what operators watch: a
// second port for /metrics and /debug/pprof/ that stays off the public
// one, a count of requests refused before GraphQL ran, and the size of
// the outbox.

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/rolegraph/rolegraph/internal/every"

	"github.com/rolegraph/rolegraph/telemetry"
)

const (
	// gaugeEvery is how often the gauges of watchGauges are measured.
	gaugeEvery = 5 * time.Second
	// expiringSoon is the window of rolegraph_role_assignments_expiring_24h.
	expiringSoon = 24 * time.Hour
	// outboxGaugeCap bounds the entries read per organization to measure
	// it: past that the gauge says "at least".
	outboxGaugeCap = 10_000
)

// adminRoutes serves the admin listener: /metrics, /debug/pprof/ and the
// probes. nil without Config.AdminAddr (pprof is then not served at all).
func (s *Server) adminRoutes() http.Handler {
	if s.Config.AdminAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", s.Metrics.Handler())
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	s.probes(mux)
	return telemetry.AccessLog(s.log, mux)
}

// countRefusals counts the responses of next that are refusals before
// GraphQL ran (metrics.RefusedStatuses: a bad token, a body too large or
// not JSON, the request timeout); gqlgen itself answers 200 or 422.
func (s *Server) countRefusals(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.Metrics.ObserveHTTPStatus(sw.status)
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// watchGauges sets rolegraph_outbox_pending and
// rolegraph_role_assignments_expiring_24h every interval until ctx ends.
func (s *Server) watchGauges(ctx context.Context, interval time.Duration) {
	every.TickNow(ctx, interval, func(ctx context.Context) bool {
		if n, err := s.pendingOutbox(ctx); err == nil {
			s.Metrics.OutboxPending.Set(float64(n))
		} else if ctx.Err() == nil {
			s.log.Warn("measuring the outbox", "err", err)
		}
		now := time.Now()
		if xs, err := s.Store.ListExpiringRoles(ctx, "", now, now.Add(expiringSoon)); err == nil {
			s.Metrics.RolesExpiringSoon.Set(float64(len(xs)))
		} else if ctx.Err() == nil {
			s.log.Warn("counting role assignments about to expire", "err", err)
		}
		return true
	})
}

// pendingOutbox counts the entries committed but not yet applied to
// SpiceDB, up to outboxGaugeCap per organization.
func (s *Server) pendingOutbox(ctx context.Context) (int, error) {
	orgs, err := s.Store.OrgsWithPending(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, org := range orgs {
		entries, err := s.Store.PendingOutbox(ctx, org, outboxGaugeCap)
		if err != nil {
			return 0, err
		}
		n += len(entries)
	}
	return n, nil
}
