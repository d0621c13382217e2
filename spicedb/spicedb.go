// Package spicedb is how rolegraph reaches SpiceDB: always through authzed-go's
// *authzed.Client, whether SpiceDB runs embedded in this process (the memory
// datastore, or a Postgres datastore migrated at start) or remote (a SpiceDB
// cluster reached over gRPC). What this process knows of SpiceDB's health
// (down, hung, probing) is package spicedb/health, kept apart so that
// packages that only ask do not link the embedded server.
//
//	conn, err := spicedb.Config{Schema: schemaZed}.Complete(ctx) // embedded, memory
//	defer conn.Close()
//	resp, err := conn.Client.CheckPermission(ctx, req)
//
//	h := health.New(log) // before dialing: it watches the connection
//	cfg.DialOptions = append(cfg.DialOptions, grpc.WithStatsHandler(h))
package spicedb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	authzed "github.com/authzed/authzed-go/v1"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Modes a Conn reports in Conn.Mode.
const (
	ModeEmbeddedMemory   = "embedded-memory"
	ModeEmbeddedPostgres = "embedded-postgres"
	ModeRemote           = "remote"
)

// Defaults applied by Complete to zero fields. The reasoning behind each is in
// the comments of Config.
const (
	DefaultDispatchCacheMaxCost  = "64MiB"
	DefaultNamespaceCacheMaxCost = "16MiB"
	DefaultReadConns             = 8
	DefaultWriteConns            = 4
	DefaultGCWindowPostgres      = 24 * time.Hour
	DefaultGCWindowMemory        = time.Hour
	DefaultStartupTimeout        = 30 * time.Second
	// DefaultPingTimeout bounds Ping when its context has no deadline, so a
	// readiness probe against a black-holed endpoint answers instead of hanging.
	DefaultPingTimeout = 2 * time.Second
)

// Config says where SpiceDB is and, when embedded, how it is sized. The zero
// value is a valid embedded, memory-backed SpiceDB.
type Config struct {
	// Endpoint is the gRPC address of a remote SpiceDB ("host:port", or any
	// gRPC target such as "dns:///host:port"). Empty means embedded.
	Endpoint string
	// Token is the preshared key. Remote: sent as the bearer token (required).
	// Embedded: the key the server requires; random when empty (required
	// when ListenAddr is set, since other clients must know it).
	Token string
	// Insecure uses plaintext gRPC to a remote endpoint. Loopback endpoints
	// (localhost, 127.0.0.0/8, ::1) and unix sockets are plaintext unless
	// CAPath is set; anything else uses TLS with the system certificate
	// pool unless Insecure.
	Insecure bool
	// CAPath is a PEM file of the CA that signed the remote SpiceDB's
	// certificate (a private CA): TLS verified against it alone, loopback
	// included. Also what an embedded server's own client trusts when it
	// serves TLS (TLSCertPath).
	CAPath string

	// Datastore is for embedded only: "" or "memory" for SpiceDB's memory
	// datastore, or a postgres:// (postgresql://) URL, migrated to head at
	// start with SpiceDB's own migrate command.
	Datastore string
	// ListenAddr is for embedded only: serve gRPC on this TCP address (for
	// other processes, and for tests of remote mode) instead of in-process.
	// Empty means in-process only: no port is opened.
	ListenAddr string
	// TLSCertPath and TLSKeyPath make an embedded server listening on
	// ListenAddr serve TLS with this certificate (PEM files; for tests of
	// remote mode behind a private CA).
	TLSCertPath, TLSKeyPath string
	// NoMigrate leaves an embedded Postgres datastore as it is: Complete
	// fails with ErrNotMigrated unless it is already at SpiceDB's head
	// migration (run Migrate, or `rolegraph migrate`, first).
	NoMigrate bool

	// Sizing of the embedded server. SpiceDB's library defaults size the
	// dispatch cache at 30% and the cluster dispatch cache at 70% of available
	// memory: right for a dedicated SpiceDB pod, wrong for a process that
	// shares a 24 GiB box with Postgres and Redis. rolegraph also keeps its own
	// decision cache (in process and in Redis) in front of SpiceDB, so
	// SpiceDB's caches only need to hold the hot sub-problems.

	// DispatchCacheMaxCost bounds the dispatch (sub-problem) cache; bytes
	// ("64MiB") or a percentage of available memory ("5%"). Default 64MiB:
	// an entry is a few hundred bytes, so this holds a few hundred thousand
	// check sub-results, far more than one organization's working set.
	DispatchCacheMaxCost string
	// NamespaceCacheMaxCost bounds the schema (namespace) cache, and the
	// stored-schema cache next to it. Default 16MiB: schema.zed is ~10 KiB;
	// the cache holds one entry per datastore revision in use.
	NamespaceCacheMaxCost string
	// ConcurrencyLimit bounds the goroutines SpiceDB starts for each request
	// or sub-request when it fans out (a union's branches, an arrow's
	// subjects in chunks). It is per (sub-)request, not a process-wide cap,
	// so SpiceDB's default of 50 lets every nested level of every concurrent
	// request start 50 goroutines. Default: 2 * GOMAXPROCS, at least 8, at
	// most 50. schema.zed's widest union has 4 branches, so 8 never
	// serializes a check; wider fan-outs (LookupResources over many
	// resources) are bounded by CPU on the memory datastore and by the read
	// pool (ReadConns) on Postgres, so more goroutines would only queue.
	ConcurrencyLimit uint16
	// ReadConns and WriteConns size the embedded Postgres datastore's pools
	// (max open; a quarter of it is kept open). SpiceDB's defaults are 20+10
	// connections held open at all times; Postgres here allows 100 in total,
	// shared with rolegraph's own pool, other replicas and tests, and on 2
	// cores more than a handful of concurrent queries only queue. Defaults 8
	// and 4.
	ReadConns, WriteConns int
	// GCWindow is how long the embedded datastore keeps superseded
	// revisions (older ZedTokens stop working for at_exact_snapshot reads;
	// rolegraph reads at_least_as_fresh, which never fails on an old token).
	// Default 24h on Postgres (SpiceDB's default); 1h on memory, which keeps
	// every revision in the window in RAM. Must exceed the 5s revision
	// quantization.
	GCWindow time.Duration

	// StartupTimeout bounds how long Complete waits for SpiceDB to answer.
	// Default 30s.
	StartupTimeout time.Duration
	// Schema, when non-empty, is written with WriteSchema once SpiceDB answers.
	Schema string
	// DialOptions are added to the client's gRPC dial options, e.g. the
	// interceptors of the metrics package.
	DialOptions []grpc.DialOption
}

// Conn is a connected SpiceDB. Close it when done.
type Conn struct {
	// Client is the authzed-go client every SpiceDB call goes through.
	Client *authzed.Client
	// Mode is ModeEmbeddedMemory, ModeEmbeddedPostgres or ModeRemote.
	Mode string
	// Addr is the gRPC address clients may dial: the remote endpoint, the
	// embedded ListenAddr, or "" for an in-process-only embedded server.
	Addr string

	gatherer prometheus.Gatherer
	// stopped is closed when an embedded server's Run returns; runErr is
	// then set.
	stopped <-chan struct{}
	runErr  *error

	mu       sync.Mutex
	cleanups []func() error // run in reverse order by Close
	closed   bool
	closeErr error
}

// Complete validates the config, starts the embedded server or dials the
// remote one, waits until SpiceDB answers (up to StartupTimeout), and writes
// Schema when set. Everything started is stopped again if any step fails.
func (c Config) Complete(ctx context.Context) (_ *Conn, err error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()

	conn := &Conn{}
	defer func() {
		if err != nil {
			_ = conn.Close()
		}
	}()

	if c.Endpoint != "" {
		if err := c.dialRemote(conn); err != nil {
			return nil, err
		}
	} else if err := c.startEmbedded(ctx, conn); err != nil {
		return nil, err
	}

	if err := conn.waitReady(ctx, c.StartupTimeout); err != nil {
		return nil, err
	}
	if c.Schema != "" {
		ctx, cancel := context.WithTimeout(ctx, c.StartupTimeout)
		defer cancel()
		if _, err := conn.Client.WriteSchema(ctx, &v1.WriteSchemaRequest{Schema: c.Schema}); err != nil {
			return nil, fmt.Errorf("spicedb: writing schema: %w", err)
		}
	}
	return conn, nil
}

func (c Config) validate() error {
	var errs []error
	if _, err := datastoreEngine(c.Datastore); err != nil {
		errs = append(errs, err)
	}
	if c.Endpoint != "" {
		if c.Datastore != "" && c.Datastore != "memory" {
			errs = append(errs, errors.New("spicedb: a datastore is set for embedded SpiceDB, but an endpoint is set too (remote SpiceDB keeps its own datastore)"))
		}
		if c.ListenAddr != "" {
			errs = append(errs, errors.New("spicedb: ListenAddr is for embedded SpiceDB, but an endpoint is set"))
		}
		if c.Token == "" {
			errs = append(errs, errors.New("spicedb: a remote endpoint needs its preshared key as the token"))
		}
		if c.Insecure && c.CAPath != "" {
			errs = append(errs, errors.New("spicedb: a CA file is for TLS, but plaintext (insecure) is asked for too: choose one"))
		}
		if c.TLSCertPath != "" || c.TLSKeyPath != "" {
			errs = append(errs, errors.New("spicedb: a TLS certificate to serve is for an embedded SpiceDB, but an endpoint is set"))
		}
	}
	if c.Endpoint == "" && c.Insecure {
		errs = append(errs, errors.New("spicedb: insecure (plaintext) is for a remote endpoint, but none is set"))
	}
	if (c.TLSCertPath == "") != (c.TLSKeyPath == "") {
		errs = append(errs, errors.New("spicedb: serving TLS needs both a certificate and its key"))
	}
	if c.TLSCertPath != "" && c.ListenAddr == "" {
		errs = append(errs, errors.New("spicedb: a TLS certificate to serve needs a ListenAddr to serve on"))
	}
	if c.Endpoint == "" && (c.CAPath == "") != (c.TLSCertPath == "") {
		errs = append(errs, errors.New("spicedb: an embedded server serving TLS needs the CA file its own client verifies it with, and a CA file without an endpoint is only for that"))
	}
	if c.Endpoint == "" && c.ListenAddr != "" {
		if c.Token == "" {
			errs = append(errs, errors.New("spicedb: an embedded SpiceDB listening on ListenAddr needs a preshared key as the token"))
		}
		if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
			errs = append(errs, fmt.Errorf("spicedb: ListenAddr %q: %w", c.ListenAddr, err))
		}
	}
	if c.ReadConns < 0 || c.WriteConns < 0 {
		errs = append(errs, errors.New("spicedb: connection pool sizes must not be negative"))
	}
	if c.GCWindow < 0 || c.StartupTimeout < 0 {
		errs = append(errs, errors.New("spicedb: durations must not be negative"))
	}
	if c.GCWindow != 0 && c.GCWindow <= revisionQuantization {
		errs = append(errs, fmt.Errorf("spicedb: GCWindow %s must exceed the revision quantization %s", c.GCWindow, revisionQuantization))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.DispatchCacheMaxCost == "" {
		c.DispatchCacheMaxCost = DefaultDispatchCacheMaxCost
	}
	if c.NamespaceCacheMaxCost == "" {
		c.NamespaceCacheMaxCost = DefaultNamespaceCacheMaxCost
	}
	if c.ConcurrencyLimit == 0 {
		c.ConcurrencyLimit = defaultConcurrencyLimit(runtime.GOMAXPROCS(0))
	}
	if c.ReadConns == 0 {
		c.ReadConns = DefaultReadConns
	}
	if c.WriteConns == 0 {
		c.WriteConns = DefaultWriteConns
	}
	if c.GCWindow == 0 {
		c.GCWindow = DefaultGCWindowPostgres
		if engine, _ := datastoreEngine(c.Datastore); engine == engineMemory {
			c.GCWindow = DefaultGCWindowMemory
		}
	}
	if c.StartupTimeout == 0 {
		c.StartupTimeout = DefaultStartupTimeout
	}
	return c
}

func defaultConcurrencyLimit(procs int) uint16 {
	return uint16(min(max(2*procs, 8), 50))
}

const (
	engineMemory   = "memory"
	enginePostgres = "postgres"
)

func datastoreEngine(ds string) (string, error) {
	switch {
	case ds == "" || ds == "memory":
		return engineMemory, nil
	case strings.HasPrefix(ds, "postgres://") || strings.HasPrefix(ds, "postgresql://"):
		return enginePostgres, nil
	default:
		return "", fmt.Errorf("spicedb: datastore must be \"memory\" or a postgres:// URL, not %q", redactURL(ds))
	}
}

// redactURL keeps a datastore value out of error messages when it might hold
// a password.
func redactURL(s string) string {
	if strings.Contains(s, "@") {
		return "<redacted>"
	}
	return s
}

// Gatherer returns the Prometheus metrics of an embedded SpiceDB (caches,
// dispatch, check results), kept in a registry of its own so several
// embedded servers can live in one process; nil for a remote SpiceDB. Add it
// to the process's /metrics with metrics.Metrics.AddGatherer.
func (c *Conn) Gatherer() prometheus.Gatherer { return c.gatherer }

// Ping makes a cheap real call (ReadSchema) and reports whether SpiceDB
// answered. No schema yet counts as an answer. Without a deadline on ctx it
// gives up after DefaultPingTimeout.
func (c *Conn) Ping(ctx context.Context) error {
	if c.stopped != nil {
		select {
		case <-c.stopped:
			return fmt.Errorf("spicedb: embedded server stopped: %v", *c.runErr)
		default:
		}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultPingTimeout)
		defer cancel()
	}
	_, err := c.Client.ReadSchema(ctx, &v1.ReadSchemaRequest{})
	if err != nil && status.Code(err) != codes.NotFound {
		return fmt.Errorf("spicedb: ping: %w", err)
	}
	return nil
}

// Close closes the client and stops everything Complete started (the
// embedded server and its datastore), last started first. Safe to call more
// than once.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.closeErr
	}
	c.closed = true
	var errs []error
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		if err := c.cleanups[i](); err != nil {
			errs = append(errs, err)
		}
	}
	c.cleanups = nil
	c.closeErr = errors.Join(errs...)
	return c.closeErr
}

func (c *Conn) onClose(f func() error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanups = append(c.cleanups, f)
}

// waitReady calls ReadSchema with backoff until SpiceDB answers, a
// non-transient error comes back, the embedded server stops, or timeout.
func (c *Conn) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	backoff := 20 * time.Millisecond
	for {
		attemptCtx, attemptCancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := c.Client.ReadSchema(attemptCtx, &v1.ReadSchemaRequest{})
		attemptCancel()
		code := status.Code(err)
		if err == nil || code == codes.NotFound {
			return nil
		}
		if code == codes.Unauthenticated || code == codes.PermissionDenied {
			// SpiceDB answers a missing key with Unauthenticated and a
			// wrong one with PermissionDenied. ReadSchema needs nothing
			// but a valid key, so both mean the credentials were refused:
			// Unauthenticated in gRPC's terms.
			return fmt.Errorf("spicedb: %s refused the preshared key (check the token): %w",
				c.describe(), status.Error(codes.Unauthenticated, status.Convert(err).Message()))
		}
		if !transient(code) {
			return fmt.Errorf("spicedb: %s did not accept the connection: %w", c.describe(), err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("spicedb: %s did not answer within %s: %w", c.describe(), timeout, err)
		case <-c.stoppedChan():
			return fmt.Errorf("spicedb: embedded server stopped while starting: %v", *c.runErr)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

func (c *Conn) stoppedChan() <-chan struct{} {
	if c.stopped == nil {
		return nil // blocks forever in a select: remote has no server to stop
	}
	return c.stopped
}

func (c *Conn) describe() string {
	if c.Mode == ModeRemote {
		return "SpiceDB at " + c.Addr
	}
	return "embedded SpiceDB"
}

func transient(code codes.Code) bool {
	switch code {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
		return true
	}
	return false
}
