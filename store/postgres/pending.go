package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotMigrated: the database lacks migrations this build has (serve
// --migrate=false refuses to start on it).
var ErrNotMigrated = errors.New("postgres: the entity store is not migrated")

// CheckMigrated returns nil when every embedded migration has been applied
// to the database at url, and ErrNotMigrated naming the missing ones
// otherwise. It only reads.
func CheckMigrated(ctx context.Context, url string) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	conn, closeConn, err := session(ctx, url, "check migrations")
	if err != nil {
		return err
	}
	defer closeConn()
	done, err := appliedVersions(ctx, conn)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table: never migrated
		done, err = map[int]bool{}, nil
	}
	if err != nil {
		return mapErr("check migrations", err)
	}
	var missing []string
	for _, m := range migrations {
		if !done[m.version] {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %d of %d migrations missing (%s)", ErrNotMigrated, len(missing), len(migrations), strings.Join(missing, ", "))
	}
	return nil
}

// appliedVersions reads which migrations schema_migrations records.
func appliedVersions(ctx context.Context, conn *pgx.Conn) (map[int]bool, error) {
	rows, err := conn.Query(ctx, `SELECT version FROM schema_migrations`)
	applied, err := collect(rows, err, func(r pgx.Row) (int, error) {
		var v int
		return v, r.Scan(&v)
	})
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	return done, err
}

// session opens one connection to url for the migration code, and the
// function that closes it (bounded, even once ctx is done).
func session(ctx context.Context, url, op string) (*pgx.Conn, func(), error) {
	// Parsed as a pool's URL, so that the pool options Open allows
	// (pool_max_conns, …) are not sent to the server as settings it does
	// not know.
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: %s: parse url: %w", op, err)
	}
	conn, err := pgx.ConnectConfig(ctx, pc.ConnConfig)
	if err != nil {
		return nil, nil, mapErr(op+": connect", err)
	}
	return conn, func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}, nil
}
