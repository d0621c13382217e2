package spicedb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	authzed "github.com/authzed/authzed-go/v1"
	"github.com/authzed/grpcutil"
	spicedbcmd "github.com/authzed/spicedb/pkg/cmd"
	datastorecfg "github.com/authzed/spicedb/pkg/cmd/datastore"
	"github.com/authzed/spicedb/pkg/cmd/server"
	"github.com/authzed/spicedb/pkg/cmd/util"
	"github.com/authzed/spicedb/pkg/datastore/migration"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// revisionQuantization is SpiceDB's default: revisions are rounded to 5s
// windows so that cached sub-results are shared between requests. Requests
// that must see a write use at_least_as_fresh with its ZedToken, which is
// exact whatever the quantization.
const revisionQuantization = 5 * time.Second

// startEmbedded migrates the datastore when it is Postgres, completes and
// runs a SpiceDB server in this process, and builds the client for it.
func (c Config) startEmbedded(ctx context.Context, conn *Conn) error {
	engine, err := datastoreEngine(c.Datastore)
	if err != nil {
		return err
	}
	conn.Mode = ModeEmbeddedMemory
	if engine == enginePostgres {
		conn.Mode = ModeEmbeddedPostgres
		migrateOrCheck := Migrate
		if c.NoMigrate {
			migrateOrCheck = CheckMigrated
		}
		if err := migrateOrCheck(ctx, c.Datastore); err != nil {
			return err
		}
	}

	key := c.Token
	if key == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // never fails (crypto/rand)
		key = hex.EncodeToString(b)
	}

	registry := prometheus.NewRegistry()
	cfg := c.serverConfig(engine, key, registry)

	// The server's lifetime is the Conn's, not the caller's ctx's: ctx may be
	// a startup deadline. ctx still aborts startup while Complete runs.
	runCtx, cancelRun := context.WithCancel(context.WithoutCancel(ctx))
	stopAbort := context.AfterFunc(ctx, cancelRun)
	defer stopAbort()
	conn.onClose(func() error { cancelRun(); return nil })

	// CompleteForTesting is Complete plus the in-memory listener handles,
	// which are the only public way to dial a BufferedNetwork server
	// without a port (RunnableServer.NewClient returns a *grpc.ClientConn,
	// and authzed.Client can only be built from a dial target).
	runnable, listeners, err := cfg.CompleteForTesting(runCtx)
	if err != nil {
		return fmt.Errorf("spicedb: configuring embedded server: %w", err)
	}

	stopped := make(chan struct{})
	var runErr error
	go func() {
		defer close(stopped)
		err := runnable.Run(runCtx)
		if err == nil || errors.Is(err, context.Canceled) {
			err = errors.New("server exited")
		}
		runErr = err
	}()
	conn.stopped, conn.runErr = stopped, &runErr
	conn.gatherer = registry
	// On Close (cleanups run last-registered first): close the client, then
	// stop Run and wait for it to stop the gRPC server (gracefully within
	// cfg.ShutdownGracePeriod, then by force) and close the datastore.
	conn.onClose(func() error {
		cancelRun()
		select {
		case <-stopped:
			return nil
		case <-time.After(cfg.ShutdownGracePeriod + 10*time.Second):
			return errors.New("spicedb: embedded server did not stop")
		}
	})

	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpcutil.WithInsecureBearerToken(key),
	}
	target := "passthrough:///" + util.BufferedNetwork
	if listeners.GRPC != nil {
		lis := listeners.GRPC
		opts = append(opts,
			grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
				return lis.DialContext(ctx)
			}),
			grpc.WithAuthority(util.BufferedNetwork),
		)
	} else {
		target = dialAddr(c.ListenAddr)
		conn.Addr = target
		if c.TLSCertPath != "" {
			// Serving TLS: this process's own client verifies it like any
			// other client would, against CAPath (validate requires it).
			if opts, err = c.transport(target, key); err != nil {
				return err
			}
		}
	}
	opts = append(opts, c.DialOptions...)
	client, err := authzed.NewClient(target, opts...)
	if err != nil {
		return fmt.Errorf("spicedb: client for embedded server: %w", err)
	}
	conn.Client = client
	conn.onClose(client.Close)
	return nil
}

func (c Config) serverConfig(engine, key string, registry *prometheus.Registry) *server.Config {
	ds := datastorecfg.NewConfigWithOptionsAndDefaults()
	ds.Engine = engine
	if engine == enginePostgres {
		ds.Engine = datastorecfg.PostgresEngine
		ds.URI = c.Datastore
	}
	ds.GCWindow = c.GCWindow
	ds.RevisionQuantization = revisionQuantization
	ds.ReadConnPool.MaxOpenConns = c.ReadConns
	ds.ReadConnPool.MinOpenConns = max(1, c.ReadConns/4)
	ds.WriteConnPool.MaxOpenConns = c.WriteConns
	ds.WriteConnPool.MinOpenConns = max(1, c.WriteConns/4)
	// Postgres pool and GC metrics go to the process-global Prometheus
	// registry, which rolegraph does not serve, and registering them a
	// second time (two embedded servers in one process, e.g. tests) fails
	// datastore creation.
	ds.EnableDatastoreMetrics = false
	// Anonymous usage statistics for telemetry, which is off.
	ds.DisableStats = true

	cfg := server.NewConfigWithOptionsAndDefaults()
	cfg.DatastoreConfig = *ds
	cfg.PresharedSecureKey = []string{key}
	if c.ListenAddr == "" {
		cfg.GRPCServer = util.GRPCServerConfig{Network: util.BufferedNetwork, Enabled: true}
	} else {
		cfg.GRPCServer.Network = "tcp"
		cfg.GRPCServer.Address = c.ListenAddr
		cfg.GRPCServer.Enabled = true
		cfg.GRPCServer.TLSCertPath, cfg.GRPCServer.TLSKeyPath = c.TLSCertPath, c.TLSKeyPath
	}
	cfg.HTTPGateway.HTTPEnabled = false
	cfg.MetricsAPI.HTTPEnabled = false
	cfg.DispatchServer.Enabled = false // no cluster: every dispatch is local
	cfg.SilentlyDisableTelemetry = true
	cfg.TelemetryEndpoint = ""
	cfg.OTel.PrometheusRegistry = registry
	cfg.ShutdownGracePeriod = 2 * time.Second

	cfg.DispatchCacheConfig.MaxCost = c.DispatchCacheMaxCost
	cfg.NamespaceCacheConfig.MaxCost = c.NamespaceCacheMaxCost
	cfg.StoredSchemaCacheConfig.MaxCost = c.NamespaceCacheMaxCost
	// Only used by the experimental LookupResources3, which is off.
	cfg.LR3ResourceChunkCacheConfig.MaxCost = "8MiB"
	// Only built when the dispatch server is enabled; off, so never used.
	cfg.ClusterDispatchCacheConfig.Enabled = false
	cfg.GlobalDispatchConcurrencyLimit = c.ConcurrencyLimit

	cfg.MaximumUpdatesPerWrite = 1000 // SpiceDB's default, relied on by the outbox batcher
	cfg.EnableRelationshipExpiration = true

	// The memory-protection middleware sheds requests when the process is
	// near its memory limit. In a library, SpiceDB has no usage provider
	// configured (its binary installs one in main) and falls back to a no-op
	// after logging a warning; a real one would measure the whole rolegraph
	// process and shed SpiceDB calls because of rolegraph's own heap. Off
	// states that explicitly.
	cfg.EnableMemoryProtectionMiddleware = false
	return cfg
}

// dialAddr turns a listen address into one to dial: an unspecified host
// (":50051", "0.0.0.0:50051", "[::]:50051") becomes loopback.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// ErrNotMigrated: a Postgres datastore is not at the migration this
// SpiceDB needs (Config.NoMigrate).
var ErrNotMigrated = errors.New("spicedb: the SpiceDB datastore is not migrated")

// Migrate migrates a Postgres datastore (a postgres:// URL) to SpiceDB's
// head migration with SpiceDB's own migrate command, exactly as
// `spicedb migrate head` would. Its PreRunE is dropped: it would set this
// process's GOMEMLIMIT and GOMAXPROCS, replace the global logger, and look
// up SpiceDB releases over the network. Logging stays SpiceDB's library
// default (none). Running it on a migrated datastore does nothing.
func Migrate(ctx context.Context, datastore string) error {
	if engine, err := datastoreEngine(datastore); err != nil || engine != enginePostgres {
		return fmt.Errorf("spicedb: only a postgres:// datastore is migrated, not %q", redactURL(datastore))
	}
	return migratePostgres(ctx, datastore)
}

// CheckMigrated returns nil when a Postgres datastore is at SpiceDB's head
// migration, and ErrNotMigrated (saying where it is) otherwise.
func CheckMigrated(ctx context.Context, datastore string) error {
	head, err := migration.HeadRevision(datastorecfg.PostgresEngine)
	if err != nil {
		return fmt.Errorf("spicedb: %w", err)
	}
	at, err := migration.Version(ctx, &migration.Config{DatastoreEngine: datastorecfg.PostgresEngine, DatastoreURI: datastore})
	if err != nil {
		return fmt.Errorf("spicedb: reading the datastore's migration: %w", err)
	}
	if at == head {
		return nil
	}
	if at == "" {
		at = "none"
	}
	return fmt.Errorf("%w: it is at migration %q, this SpiceDB needs %q", ErrNotMigrated, at, head)
}

func migratePostgres(ctx context.Context, uri string) error {
	cmd := spicedbcmd.NewMigrateCommand("rolegraph")
	spicedbcmd.RegisterMigrateFlags(cmd)
	cmd.PreRunE = nil
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	// The command expands $VARS in the URI (os.ExpandEnv); a literal $ in a
	// URL may always be written %24, which Postgres' URL parsing decodes.
	cmd.SetArgs([]string{
		"head",
		"--datastore-engine", "postgres",
		"--datastore-conn-uri", strings.ReplaceAll(uri, "$", "%24"),
		"--migration-timeout", "5m",
	})
	if err := cmd.ExecuteContext(ctx); err != nil {
		return fmt.Errorf("spicedb: migrating the Postgres datastore to head: %w", err)
	}
	return nil
}
