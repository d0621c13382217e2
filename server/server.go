// Package server assembles rolegraph: a Config whose Complete validates,
// builds every dependency (store, SpiceDB, metrics, the GraphQL handler) and
// returns a runnable Server, with cleanups on a stack.
package server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rolegraph/rolegraph/internal/every"

	"github.com/99designs/gqlgen/graphql"
	"github.com/redis/go-redis/v9"
	"google.golang.org/grpc"

	rolegraph "github.com/rolegraph/rolegraph"
	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/metrics"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/spicedb/health"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/memory"
	"github.com/rolegraph/rolegraph/store/postgres"
	"github.com/rolegraph/rolegraph/telemetry"
)

// tracingFlush bounds the export of the last spans at Close: a collector
// that does not answer must not hold the exit up past an orchestrator's
// grace.
const tracingFlush = 5 * time.Second

// Config is everything `rolegraph serve` reads (API.md's Running table).
type Config struct {
	Addr string
	// JWTSecret signs rolegraph's HS256 tokens and verifies them;
	// JWTVerifySecrets verify too (--jwt-secret S1,S2: S1 signs, S2 still
	// verifies, so a secret is rotated without signing everyone out).
	JWTSecret        string
	JWTVerifySecrets []string
	// OIDC, when its Issuer is set, also accepts that OpenID Connect
	// issuer's tokens (package authn); NewVerifier fetches its keys at
	// Complete, so a wrong issuer stops the server at start.
	OIDC authn.OIDCConfig
	// OIDCClientID (--oidc-client-id) is the public client the console and
	// GraphiQL sign in as at the OIDC issuer (authorization code + PKCE);
	// empty: they offer no OIDC sign-in (console.go).
	OIDCClientID     string
	PostgresURL      string
	RedisURL         string
	SpiceDBEndpoint  string
	SpiceDBToken     string
	SpiceDBDatastore string
	Production       bool
	// NoConsole turns the admin console at /console off (console.go).
	NoConsole bool
	// CORSOrigins may call /graphql from a browser (cors.go); empty: no
	// CORS headers.
	CORSOrigins []string
	// PublicURL is where invitation links point; default http://<Addr>.
	PublicURL string
	// RequestTimeout bounds one GraphQL request.
	RequestTimeout time.Duration
	// DecisionTimeout bounds one SpiceDB question (authz.WithDecisionTimeout;
	// 0: authz.DefaultDecisionTimeout): what a hung SpiceDB costs a request
	// before it is answered UNAVAILABLE.
	DecisionTimeout time.Duration
	// NoCache turns the decision cache off (every question goes to SpiceDB);
	// CacheLocalSize sizes its in-process layer (0: default, <0: off).
	NoCache        bool
	CacheLocalSize int
	// SpiceDB sizing for the embedded server, and TLS to a remote one; zero
	// values take the spicedb package's defaults.
	SpiceDB spicedb.Config
	// NoMigrate: start only on an entity store and embedded SpiceDB
	// datastore that are already migrated (`rolegraph migrate`), instead of
	// migrating them (lifecycle.go).
	NoMigrate bool
	// AdminAddr, when set, is a second listener for /metrics and
	// /debug/pprof/ (admin.go); /metrics then leaves Addr.
	AdminAddr string
	// ShutdownGrace bounds a graceful stop (lifecycle.go); 0:
	// DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// Catalog is the permission catalog (nil: catalog.Default()). Tests
	// change it to play a release that changes it.
	Catalog *catalog.Catalog
	// Log gets the server's logs and access lines (package telemetry's
	// logger adds request and trace ids); nil: warnings and errors as text
	// on stderr.
	Log *slog.Logger
	// Trace is where traces go (package telemetry); no Endpoint: none.
	// The server owns the exporter: Close flushes it.
	Trace telemetry.TraceConfig
	// OutboxOptions are for tests only: they add to the outbox applier's
	// options (outbox.WithFailPoint, outbox.WithWriteChunk) to kill or
	// cut off the server's own applier at chosen points. Serving never
	// sets them.
	OutboxOptions []outbox.Option
	// SweepInterval is how often this replica's expiry sweeper runs
	// (sweep.go; 0: DefaultSweepInterval, <0: never). Tests shorten it.
	SweepInterval time.Duration
	// CatalogSyncConcurrency bounds the organizations SyncCatalog
	// reconciles at once (catalog.go; 0: DefaultCatalogSyncConcurrency).
	CatalogSyncConcurrency int
	// CatalogRetryInterval is how often a replica retries what its catalog
	// sync at start left undone (catalog.go; 0: 30s). Tests shorten it.
	CatalogRetryInterval time.Duration
	// NoHotCache makes the Postgres store read the member and existence
	// answers of every request from Postgres (store/postgres/watch.go):
	// cmd/bench compares with it.
	NoHotCache bool
}

// Server is a completed, runnable rolegraph.
type Server struct {
	Config Config
	Secret []byte
	// Verifier verifies every bearer token: HS256 with Secret and
	// JWTVerifySecrets, and the OIDC issuer's when configured.
	Verifier *authn.Verifier
	Service  *domain.Service
	Store    store.Store
	Authz    *authz.Authz
	Outbox   *outbox.Applier
	Cache    *authz.Cache // nil with NoCache
	SpiceDB  *spicedb.Conn
	Metrics  *metrics.Metrics
	// Tracing traces requests and their calls to SpiceDB, Postgres and
	// Redis (never nil; it traces nothing without Config.Trace.Endpoint).
	Tracing *telemetry.Tracing
	Handler http.Handler
	// AdminHandler serves the admin listener (admin.go); nil without
	// Config.AdminAddr.
	AdminHandler http.Handler
	// SecretGenerated is true when no secret was configured (dev mode).
	SecretGenerated bool

	log      *slog.Logger
	mu       sync.Mutex
	cleanups []func()
	draining atomic.Bool // a graceful stop began: /readyz fails (lifecycle.go)
	demo     demoState   // what --demo loaded, for sign-in (console.go)
	// catalogSync is what the last SyncCatalog did (catalog.go).
	catalogSync atomic.Pointer[CatalogSync]
	// redis is --redis-url's client (nil without); apq the persisted
	// queries kept in it or in process (apq.go).
	redis   redis.UniversalClient
	apqOnce sync.Once
	apq     graphql.Cache[string]
}

// Complete validates c and builds a server. On error everything built so
// far is closed.
func (c Config) Complete(ctx context.Context) (_ *Server, err error) {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.Log == nil {
		// Warnings and errors only: an in-process server (tests, tools)
		// would otherwise print an access line per request.
		c.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s := &Server{Config: c, log: c.Log}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	secret := []byte(c.JWTSecret)
	if c.JWTSecret == "" {
		if c.Production {
			return nil, errors.New("--production needs --jwt-secret (ROLEGRAPH_JWT_SECRET) of at least 32 bytes")
		}
		secret = []byte(hex.EncodeToString(authn.NewSecret()))
		s.SecretGenerated = true
	}
	if err := authn.CheckSecret(secret, c.Production); err != nil {
		return nil, err
	}
	s.Secret = secret
	secrets := [][]byte{secret}
	for i, v := range c.JWTVerifySecrets {
		if err := authn.CheckSecret([]byte(v), c.Production); err != nil {
			return nil, fmt.Errorf("%w (verifying secret %d)", err, i+2)
		}
		secrets = append(secrets, []byte(v))
	}
	if s.Verifier, err = authn.NewVerifier(ctx, authn.Config{Secrets: secrets, OIDC: c.OIDC}); err != nil {
		return nil, err
	}

	s.Metrics = metrics.New()
	// First built, last closed: the spans of everything closed before it
	// are flushed.
	tr, err := telemetry.NewTracing(ctx, c.Trace)
	if err != nil {
		return nil, err
	}
	s.Tracing = tr
	s.defer_(func() {
		ctx, cancel := context.WithTimeout(context.Background(), tracingFlush)
		defer cancel()
		if err := tr.Shutdown(ctx); err != nil {
			c.Log.Warn("traces not all exported at exit", "err", err)
		}
	})

	// Entities.
	if c.PostgresURL != "" {
		if err := migrateEntities(ctx, c); err != nil {
			return nil, err
		}
		pgOpts := []postgres.Option{postgres.WithTracer(tr.PgxTracer())}
		if c.NoHotCache {
			pgOpts = append(pgOpts, postgres.WithoutHotCache())
		}
		pg, err := postgres.Open(ctx, c.PostgresURL, pgOpts...)
		if err != nil {
			return nil, fmt.Errorf("opening the entity store: %w", err)
		}
		s.Store = pg
	} else {
		s.Store = memory.New()
	}
	s.defer_(s.Store.Close)

	// Permissions.
	sc := c.SpiceDB
	sc.Endpoint, sc.Token, sc.Datastore, sc.NoMigrate = c.SpiceDBEndpoint, c.SpiceDBToken, c.SpiceDBDatastore, c.NoMigrate
	if sc.Datastore == "memory" {
		sc.Datastore = ""
	}
	sc.Schema = rolegraph.SchemaZed
	sc.DialOptions = append(sc.DialOptions, s.Metrics.SpiceDBDialOptions()...)
	sc.DialOptions = append(sc.DialOptions, tr.GRPCDialOptions()...)
	// Watches the connection from the first dial, so a dropped connection
	// fails decisions closed before the next call does.
	health := health.New(c.Log)
	sc.DialOptions = append(sc.DialOptions, grpc.WithStatsHandler(health))
	conn, err := sc.Complete(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting SpiceDB: %w", notMigrated(err))
	}
	s.SpiceDB = conn
	s.defer_(func() { _ = conn.Close() })
	if g := conn.Gatherer(); g != nil {
		s.Metrics.AddGatherer(g)
	}

	cc := authz.CacheConfig{Observer: s.Metrics, Log: c.Log, LocalSize: c.CacheLocalSize}
	if c.RedisURL != "" {
		rc, err := authz.NewRedisClient(c.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("--redis-url: %w", err)
		}
		s.defer_(func() { _ = rc.Close() })
		if err := tr.InstrumentRedis(rc); err != nil {
			return nil, fmt.Errorf("tracing Redis: %w", err)
		}
		cc.Redis = rc
		s.redis = rc
	}
	if !c.NoCache {
		s.Cache = authz.NewCache(cc)
	}
	s.Authz = authz.New(conn.Client, authz.WithLogger(c.Log), authz.WithHealth(health),
		authz.WithDecisionTimeout(c.DecisionTimeout), authz.WithCache(s.Cache))
	s.Outbox = outbox.New(s.Store, s.Authz, append([]outbox.Option{outbox.WithLogger(c.Log),
		outbox.WithObserver(func(applied int, err error) {
			if err != nil {
				s.Metrics.OutboxFailed.Inc()
				return
			}
			s.Metrics.OutboxApplied.Add(float64(applied))
		})}, c.OutboxOptions...)...)
	if c.Catalog == nil {
		c.Catalog = catalog.Default()
		s.Config.Catalog = c.Catalog
	}
	s.Service = s.newService()

	// A previous process may have committed changes it could not deliver.
	if err := s.Outbox.FlushAll(ctx); err != nil {
		c.Log.Warn("outbox not fully applied at start; the applier will retry", "err", err)
	}
	// Before serving: organizations whose graph follows another catalog.
	if _, err := s.SyncCatalog(ctx); err != nil {
		c.Log.Warn("catalog not synced at start; retrying in the background", "err", err)
	}
	s.Handler = s.routes()
	s.AdminHandler = s.adminRoutes()
	return s, nil
}

func (s *Server) syncCatalogUntilDone(ctx context.Context, interval time.Duration) {
	every.Tick(ctx, interval, func(ctx context.Context) bool { return !s.retryCatalogSync(ctx) })
}

func (s *Server) defer_(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanups = append(s.cleanups, f)
}

// Close releases everything Complete built, newest first.
func (s *Server) Close() {
	s.mu.Lock()
	cleanups := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

// Run serves HTTP on Addr until ctx ends, with the outbox applier running.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.Config.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln (and on Config.AdminAddr when set) until ctx ends,
// then stops gracefully (lifecycle.go).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	appliers, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Outbox.Run(appliers, time.Second)
	go s.syncCatalogUntilDone(appliers, s.Config.catalogRetryInterval())
	go s.watchGauges(appliers, gaugeEvery)
	go s.sweepExpired(appliers, s.Config.sweepInterval())
	return s.serveUntilStopped(ctx, ln)
}

// Token issues a member token signed with the server's secret.
func (s *Server) Token(orgID, memberID string, ttl time.Duration) (string, error) {
	return authn.Issue(s.Secret, authn.Claims{Subject: memberID, Org: orgID}, ttl)
}

// ServiceToken issues a service token: a product's backend named service,
// asking about the members of orgID.
func (s *Server) ServiceToken(orgID, service string, ttl time.Duration) (string, error) {
	return authn.Issue(s.Secret, authn.Claims{Service: service, Org: orgID}, ttl)
}

// OperatorToken issues an operator token.
func (s *Server) OperatorToken(ttl time.Duration) (string, error) {
	return authn.Issue(s.Secret, authn.Claims{Operator: true}, ttl)
}
