package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// The databases the benchmark runs on: created fresh on the local Postgres
// (as store/postgres/pgtest does for tests, which needs a testing.TB) and
// dropped at exit unless --keep.

// defaultPostgresURL is the server databases are created on: the one the
// tests use (ROLEGRAPH_TEST_POSTGRES_URL, else the local trust-auth server).
func defaultPostgresURL() string { return pgtest.BaseURL() }

// database is one created database.
type database struct {
	base, name, url string
}

func pgConnect(ctx context.Context, u string) (*pgx.Conn, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return pgx.Connect(cctx, u)
}

// createDatabase makes an empty database named prefix_<random>.
func createDatabase(ctx context.Context, base, prefix string) (*database, error) {
	admin, err := pgConnect(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("cannot reach Postgres at %s: %w (set --postgres-url)", redactURL(base), err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("--postgres-url must be a postgres:// URL, got %q", redactURL(base))
	}
	u.Path, u.RawPath = "/"+name, ""
	return &database{base: base, name: name, url: u.String()}, nil
}

// drop ends the database's sessions first, then drops it.
func (d *database) drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgConnect(ctx, d.base)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, d.name); err != nil {
		return err
	}
	_, err = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.name}.Sanitize())
	return err
}

// analyze refreshes the planner's statistics after a bulk load, as
// autovacuum would shortly after: plans chosen on empty-table statistics
// would measure the load, not the service.
func (d *database) analyze(ctx context.Context) error {
	c, err := pgConnect(ctx, d.url)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "ANALYZE")
	return err
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
