package server

// Probes. /healthz: the process runs. /readyz: send it traffic — the
// entity store and SpiceDB answer and no stop has begun. Redis is a cache:
// without it answers come from SpiceDB, slower but right, so an outage
// shows as "redis":"degraded" and readiness holds (taking every replica
// out of the balancer because a cache blipped would turn a slowdown into
// an outage).

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// readyTimeout bounds one readiness check (each dependency in parallel).
const readyTimeout = 3 * time.Second

// probes registers /healthz and /readyz on mux (the main and the admin
// listener both answer them).
func (s *Server) probes(mux *http.ServeMux) {
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/readyz", s.ready)
}

// ready answers 200 with {"status":"ok","store":"ok","spicedb":"ok"} (and
// "redis": "ok" or "degraded" with --redis-url), 503 when the store or
// SpiceDB does not answer (its entry then says why) and, at once and
// without asking anything, 503 {"status":"stopping"} once a stop began.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	body := map[string]string{"status": "ok"}
	status := http.StatusOK
	if s.draining.Load() {
		body["status"], status = "stopping", http.StatusServiceUnavailable
		writeJSON(w, status, body)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	checks := map[string]func(context.Context) error{"store": s.Store.Ping, "spicedb": s.SpiceDB.Ping}
	if s.Cache != nil && s.Config.RedisURL != "" {
		checks["redis"] = s.Cache.Ping
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Go(func() {
			err := check(ctx)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				body[name] = "ok"
			case name == "redis":
				body[name], body["redis_error"] = "degraded", err.Error()
			default:
				body[name], body["status"], status = err.Error(), "unavailable", http.StatusServiceUnavailable
			}
		})
	}
	wg.Wait()
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
