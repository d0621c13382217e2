// Package pgtest gives tests a throwaway PostgreSQL database.
//
// The server comes from ROLEGRAPH_TEST_POSTGRES_URL (default: the local
// trust-auth server as user postgres). A test that needs Postgres fails
// when the server cannot be reached, so that a broken setup is never
// mistaken for a green run; ROLEGRAPH_SKIP_POSTGRES=1 turns that into a
// skip for machines that knowingly have no server.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server tests use when ROLEGRAPH_TEST_POSTGRES_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// BaseURL is the server tests create their databases on.
func BaseURL() string {
	if u := os.Getenv("ROLEGRAPH_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// NewDatabase creates an empty database named rolegraph_test_<random>,
// drops it when the test ends, and returns its URL. It does not migrate:
// callers that want the schema call postgres.Migrate.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := BaseURL()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := connect(ctx, base)
	if err != nil {
		if os.Getenv("ROLEGRAPH_SKIP_POSTGRES") == "1" {
			t.Skipf("pgtest: Postgres unreachable, skipped (ROLEGRAPH_SKIP_POSTGRES=1): %v", err)
		}
		t.Fatalf("pgtest: cannot reach Postgres at %s: %v (set ROLEGRAPH_TEST_POSTGRES_URL, "+
			"or ROLEGRAPH_SKIP_POSTGRES=1 to skip)", redact(base), err)
	}
	defer admin.Close(context.WithoutCancel(ctx))

	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "rolegraph_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, base, name) })

	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

func connect(ctx context.Context, u string) (*pgx.Conn, error) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return pgx.Connect(cctx, u)
}

// drop ends the database's sessions first: a pool some test forgot to
// close, or a lock holder the test abandoned, would make DROP fail.
func drop(t testing.TB, base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := connect(ctx, base)
	if err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
		return
	}
	defer admin.Close(context.WithoutCancel(ctx))
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, name); err != nil {
		t.Errorf("pgtest: end sessions of %s: %v", name, err)
	}
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// withDatabase points a postgres:// URL at another database, keeping
// everything else (user, host, sslmode, pool options).
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("ROLEGRAPH_TEST_POSTGRES_URL must be a postgres:// URL, got %q", redact(base))
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
