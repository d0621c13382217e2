// Package spicedbtest starts embedded SpiceDB servers and scratch Postgres
// databases for tests. It is imported by tests only.
package spicedbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolegraph/rolegraph/spicedb"
)

// PostgresURLEnv names the variable holding the test Postgres server's URL
// (a superuser able to create databases).
const PostgresURLEnv = "ROLEGRAPH_TEST_POSTGRES_URL"

// DefaultPostgresURL is used when PostgresURLEnv is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Config is the embedded configuration tests use: small caches and pools
// (many test packages run at once against one Postgres), and a GC window
// longer than any test yet short enough that the memory datastore does not
// hoard history in long benchmarks.
func Config(datastore, schema string) spicedb.Config {
	return spicedb.Config{
		Datastore:             datastore,
		Schema:                schema,
		DispatchCacheMaxCost:  "16MiB",
		NamespaceCacheMaxCost: "4MiB",
		ReadConns:             4,
		WriteConns:            2,
		GCWindow:              10 * time.Minute,
	}
}

// New starts an embedded SpiceDB on datastore ("" or "memory", or a
// postgres:// URL such as one from NewPostgresDatabase), writes schema when
// non-empty, and closes it when the test ends.
func New(t testing.TB, datastore, schema string) *spicedb.Conn {
	t.Helper()
	return Start(t, Config(datastore, schema))
}

// Start completes cfg and closes the Conn when the test ends.
func Start(t testing.TB, cfg spicedb.Config) *spicedb.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := cfg.Complete(ctx)
	if err != nil {
		t.Fatalf("starting SpiceDB: %v", err)
	}
	t.Cleanup(func() {
		if err := conn.Close(); err != nil {
			t.Errorf("closing SpiceDB: %v", err)
		}
	})
	return conn
}

// PostgresURL is the test Postgres server's URL.
func PostgresURL() string {
	if u := os.Getenv(PostgresURLEnv); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// NewPostgresDatabase creates an empty database rolegraph_sdb_<random> on
// the test Postgres server and returns its URL. When the test ends, open
// connections to it are terminated and it is dropped.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	base, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatalf("%s: %v", PostgresURLEnv, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rolegraph_sdb_" + hex.EncodeToString(b)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base.String())
	if err != nil {
		t.Fatalf("connecting to the test Postgres (%s, override with %s): %v", base.Redacted(), PostgresURLEnv, err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	t.Cleanup(func() { dropDatabase(t, base.String(), name) })

	u := *base
	u.Path = "/" + name
	return u.String()
}

func dropDatabase(t testing.TB, adminURL, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Errorf("dropping database %s: %v", name, err)
		return
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name); err != nil {
		t.Errorf("terminating connections to %s: %v", name, err)
	}
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Errorf("dropping database %s: %v", name, err)
	}
}

// FreeAddr returns a 127.0.0.1 TCP address that was free a moment ago, for
// an embedded SpiceDB's ListenAddr.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	return addr
}

// NewKey returns a random preshared key.
func NewKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("test-%x", b)
}
