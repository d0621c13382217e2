package postgres

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rolegraph/rolegraph/store"
)

// A COMMIT that fails says "nothing was changed" only when Postgres is
// known not to have committed: pgx never sent it, or the server refused it
// while deciding. A server that goes away (FATAL admin shutdown, a broken
// connection) may already have made the commit durable, so the outcome is
// unknown; claiming ErrUnavailable there told clients to retry a change
// that had been saved (seen in TestFaultPostgresStopped under load).
func TestCommitErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"never sent", notSent{}, store.ErrUnavailable},
		{"unique violation at a deferred check", &pgconn.PgError{Code: "23505"}, store.ErrConflict},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, nil},
		{"admin shutdown", &pgconn.PgError{Code: "57P01", Severity: "FATAL"}, store.ErrOutcomeUnknown},
		{"crash shutdown", &pgconn.PgError{Code: "57P02", Severity: "FATAL"}, store.ErrOutcomeUnknown},
		{"connection failure", &pgconn.PgError{Code: "08006"}, store.ErrOutcomeUnknown},
		{"connection dropped mid-reply", io.ErrUnexpectedEOF, store.ErrOutcomeUnknown},
		{"deadline while committing", context.DeadlineExceeded, store.ErrOutcomeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapCommitErr(tc.err)
			for _, e := range []error{store.ErrConflict, store.ErrUnavailable, store.ErrOutcomeUnknown} {
				if is := errors.Is(got, e); is != (e == tc.want) {
					t.Errorf("mapCommitErr(%v) = %v: errors.Is(%v) = %v", tc.err, got, e, is)
				}
			}
			if !errors.Is(got, tc.err) {
				t.Errorf("the cause %v is lost: %v", tc.err, got)
			}
		})
	}
}

// notSent is an error pgx marks as raised before anything reached the
// server (pgconn.SafeToRetry).
type notSent struct{}

func (notSent) Error() string     { return "connection closed before the query was sent" }
func (notSent) SafeToRetry() bool { return true }
