package server

// Start and stop as an orchestrator expects of a replica behind a load
// balancer.
//
// Start: with Config.NoMigrate, nothing runs DDL — an entity store or
// embedded SpiceDB datastore that is not migrated stops Complete with
// ErrNotMigrated, naming `rolegraph migrate` (migrations then run once, as
// a Kubernetes Job or a compose one-shot, not from every replica).
//
// Stop (the context given to Serve ends, on SIGTERM): /readyz answers 503
// at once, so the load balancer stops sending new requests; the listeners
// keep accepting for half the grace (at most maxAcceptAfterStop), for the
// requests already routed here before the balancer noticed; then they
// stop accepting, in-flight requests get the rest of the grace to finish,
// the outbox is flushed, and Serve returns nil.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/store/postgres"
)

const (
	// DefaultShutdownGrace is Config.ShutdownGrace's default.
	DefaultShutdownGrace = 15 * time.Second
	// maxAcceptAfterStop bounds how long the listeners still accept after
	// a stop began: load balancers notice a failing /readyz within a probe
	// period or two (Kubernetes: 10s by default, usually set to 1–5s).
	maxAcceptAfterStop = 5 * time.Second
	// minOutboxFlush is what the last outbox flush gets when the grace is
	// used up: committed changes are safe in the store either way (the next
	// start or another replica applies them), this only makes them visible
	// sooner.
	minOutboxFlush = 2 * time.Second
)

// ErrNotMigrated: Config.NoMigrate and a database that lacks migrations.
var ErrNotMigrated = errors.New("not migrated")

// migrateEntities migrates the entity store, or with NoMigrate checks it
// is migrated.
func migrateEntities(ctx context.Context, c Config) error {
	if c.NoMigrate {
		return notMigrated(postgres.CheckMigrated(ctx, c.PostgresURL))
	}
	if err := postgres.Migrate(ctx, c.PostgresURL); err != nil {
		return fmt.Errorf("migrating the entity store: %w", err)
	}
	return nil
}

// notMigrated turns the stores' "not migrated" into an error that is also
// ErrNotMigrated and says what to run.
func notMigrated(err error) error {
	if errors.Is(err, postgres.ErrNotMigrated) || errors.Is(err, spicedb.ErrNotMigrated) {
		return notMigratedError{err}
	}
	return err
}

type notMigratedError struct{ err error }

func (e notMigratedError) Error() string {
	return e.err.Error() + ": run `rolegraph migrate` with the same --postgres-url and --spicedb-datastore first, or start with --migrate=true"
}

func (e notMigratedError) Unwrap() []error { return []error{ErrNotMigrated, e.err} }

func (s *Server) httpServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: s.Config.RequestTimeout + 10*time.Second, IdleTimeout: 2 * time.Minute}
}

// serveUntilStopped serves ln, and the admin listener when configured,
// until ctx ends (then stops gracefully) or a listener fails.
func (s *Server) serveUntilStopped(ctx context.Context, ln net.Listener) error {
	servers := []*http.Server{s.httpServer(s.Handler)}
	listeners := []net.Listener{ln}
	if s.Config.AdminAddr != "" {
		aln, err := net.Listen("tcp", s.Config.AdminAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("--admin-addr: %w", err)
		}
		servers = append(servers, s.httpServer(s.AdminHandler))
		listeners = append(listeners, aln)
		s.log.Info("admin listener: /metrics, /debug/pprof/, /healthz, /readyz", "addr", aln.Addr().String())
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { errc <- hs.Serve(listeners[i]) }()
	}
	select {
	case err := <-errc:
		for _, hs := range servers {
			_ = hs.Close()
		}
		return err
	case <-ctx.Done():
	}
	s.stop(servers)
	return nil
}

// stop is the graceful stop described at the top of this file.
func (s *Server) stop(servers []*http.Server) {
	grace := s.Config.ShutdownGrace
	if grace <= 0 {
		grace = DefaultShutdownGrace
	}
	deadline := time.Now().Add(grace)
	accept := min(grace/2, maxAcceptAfterStop)
	s.draining.Store(true)
	s.log.Info("stopping: /readyz fails from now on", "accepting_for", accept, "grace", grace)
	for _, hs := range servers {
		// Each response now closes its connection: a client reconnects,
		// through the balancer, to a replica that stays.
		hs.SetKeepAlivesEnabled(false)
	}
	time.Sleep(accept)

	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	var wg sync.WaitGroup
	for _, hs := range servers {
		wg.Go(func() {
			if err := hs.Shutdown(ctx); err != nil {
				s.log.Warn("stopping: requests still running at the end of the grace were cut off", "err", err)
				_ = hs.Close()
			}
		})
	}
	wg.Wait()

	flush, cancelFlush := context.WithDeadline(context.Background(), later(deadline, time.Now().Add(minOutboxFlush)))
	defer cancelFlush()
	if err := s.Outbox.FlushAll(flush); err != nil {
		s.log.Warn("stopping: outbox not fully applied; the next start (or another replica) applies the rest", "err", err)
	}
	s.log.Info("stopped")
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
