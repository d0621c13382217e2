// Package spicedbtest starts embedded SpiceDB servers and scratch Postgres
// databases for tests. It is imported by tests only.
package spicedbtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

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

// NewPostgresDatabase is a scratch database on the test Postgres server
// (pgtest.NewDatabase), dropped when the test ends.
func NewPostgresDatabase(t testing.TB) string { return pgtest.NewDatabase(t) }

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
