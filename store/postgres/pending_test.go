package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/store/postgres"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// CheckMigrated tells a fresh database from a migrated one, and names
// what is missing.
func TestCheckMigrated(t *testing.T) {
	url := pgtest.NewDatabase(t)
	err := postgres.CheckMigrated(t.Context(), url)
	if !errors.Is(err, postgres.ErrNotMigrated) || !strings.Contains(err.Error(), "0001_init.sql") {
		t.Fatalf("fresh database: %v", err)
	}
	if err := postgres.Migrate(t.Context(), url); err != nil {
		t.Fatal(err)
	}
	if err := postgres.CheckMigrated(t.Context(), url); err != nil {
		t.Fatalf("migrated database: %v", err)
	}
}
