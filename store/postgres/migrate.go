package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory lock that makes Migrate safe to run from
// several processes at once (every replica of the service migrates at
// start). The value is arbitrary; it only has to stay the same.
const migrationLockKey int64 = 0x726f6c6567726170 // "rolegrap"

type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^(\d+)_[a-z0-9_]+\.sql$`)

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: read migrations: %w", err)
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("postgres: migration %q is not named NNNN_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("postgres: migrations %q and %q share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("postgres: read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate brings the database at url up to the newest embedded migration.
// Each migration runs in its own transaction together with its row in
// schema_migrations, so a failed one leaves no trace and is retried next
// time. The whole run holds a session advisory lock: a second process
// waits, then finds nothing left to do.
func Migrate(ctx context.Context, url string) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	// Closing the session also releases the advisory lock.
	conn, closeConn, err := session(ctx, url, "migrate")
	if err != nil {
		return err
	}
	defer closeConn()

	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		return mapErr("migrate: lock", err)
	}
	// Created under the lock: two concurrent CREATE TABLE IF NOT EXISTS can
	// still collide on the catalog's unique indexes.
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return mapErr("migrate: create schema_migrations", err)
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return mapErr("migrate: read schema_migrations", err)
	}

	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// No arguments: pgx sends it as a simple query, which may hold
			// several statements.
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name)
			return err
		})
		if err != nil {
			return mapErr("migrate: apply "+m.name, err)
		}
	}

	if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrationLockKey); err != nil {
		return mapErr("migrate: unlock", err)
	}
	return nil
}
