package authz

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/rolegraph/rolegraph/rels"
)

// MaxUpdatesPerWrite is SpiceDB's default limit on updates in one
// WriteRelationships call; larger writes are chunked.
const MaxUpdatesPerWrite = 1000

// ToV1 is a relationship as authzed-go sends it.
func ToV1(r rels.Relationship) *v1.Relationship {
	out := &v1.Relationship{
		Resource: &v1.ObjectReference{ObjectType: r.ResourceType, ObjectId: r.ResourceID},
		Relation: r.Relation,
		Subject: &v1.SubjectReference{
			Object:           &v1.ObjectReference{ObjectType: r.SubjectType, ObjectId: r.SubjectID},
			OptionalRelation: r.SubjectRelation,
		},
	}
	if r.Expires != 0 {
		out.OptionalExpiresAt = timestamppb.New(r.ExpiresAt())
	}
	return out
}

// WriteOption shapes one Write.
type WriteOption func(*writeConfig)

type writeConfig struct {
	chunk  int
	before func() error
}

// ChunkSize caps the updates of one WriteRelationships call; 0 (or more
// than MaxUpdatesPerWrite) means MaxUpdatesPerWrite. Tests lower it to
// cross chunk boundaries with small writes.
func ChunkSize(n int) WriteOption { return func(c *writeConfig) { c.chunk = n } }

// BeforeChunk is called before each WriteRelationships call; an error it
// returns stops the Write right there (tests kill a writer this way).
func BeforeChunk(f func() error) WriteOption { return func(c *writeConfig) { c.before = f } }

// Write applies updates in chunks of at most MaxUpdatesPerWrite and
// returns the ZedToken of the last chunk. TOUCH and DELETE are idempotent,
// so a retried or replayed chunk is harmless: a chunk that fails with a
// transient error is retried with backoff (writeAttempts in all) before
// Write gives up; chunks already written stay written, and replaying the
// whole batch later converges to the same state.
func (a *Authz) Write(ctx context.Context, updates []rels.Update, opts ...WriteOption) (string, error) {
	cfg := writeConfig{chunk: MaxUpdatesPerWrite}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.chunk <= 0 || cfg.chunk > MaxUpdatesPerWrite {
		cfg.chunk = MaxUpdatesPerWrite
	}
	var token string
	for start := 0; start < len(updates); {
		end := min(start+cfg.chunk, len(updates))
		// One call may not name the same tuple twice (SpiceDB refuses
		// it); split there, keeping the order of updates.
		chunk, seen := make([]*v1.RelationshipUpdate, 0, end-start), map[string]bool{}
		for i := start; i < end; i++ {
			key := updates[i].Rel.String()
			if seen[key] {
				end = i
				break
			}
			seen[key] = true
			op := v1.RelationshipUpdate_OPERATION_TOUCH
			// A TOUCH whose expiry has passed (applied late, or replayed)
			// would write what SpiceDB no longer counts: remove the tuple
			// instead, which is what the expiry meant.
			if updates[i].Op == rels.OpDelete || updates[i].Rel.ExpiredAt(time.Now()) {
				op = v1.RelationshipUpdate_OPERATION_DELETE
			}
			chunk = append(chunk, &v1.RelationshipUpdate{Operation: op, Relationship: ToV1(updates[i].Rel)})
		}
		if cfg.before != nil {
			if err := cfg.before(); err != nil {
				return "", err
			}
		}
		t, err := a.writeChunk(ctx, chunk)
		if err != nil {
			return "", err
		}
		token = t
		start = end
	}
	return token, nil
}

// writeAttempts bounds the tries of one chunk; the backoff between them
// starts at writeBackoff and doubles (about 0.35s in all before giving up,
// after which an outbox keeps the updates for its applier).
const (
	writeAttempts = 4
	writeBackoff  = 50 * time.Millisecond
)

func (a *Authz) writeChunk(ctx context.Context, chunk []*v1.RelationshipUpdate) (string, error) {
	backoff := writeBackoff
	for attempt := 1; ; attempt++ {
		if err := a.admit(); err != nil {
			// Hung: the change stays queued, and a read that needs it
			// answered is refused at once rather than after the timeouts.
			return "", err
		}
		cctx, cancel := context.WithTimeout(ctx, a.timeout)
		resp, err := a.client.WriteRelationships(cctx, &v1.WriteRelationshipsRequest{Updates: chunk})
		cancel()
		if err == nil {
			a.health.Observe(nil)
			return resp.WrittenAt.GetToken(), nil
		}
		if attempt >= writeAttempts || ctx.Err() != nil || !retryable(err) {
			err = wrap("write relationships", err)
			a.health.Observe(err)
			return "", err
		}
		a.log.Debug("write relationships: retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return "", wrap("write relationships", err)
		case <-time.After(backoff + time.Duration(rand.Int64N(int64(backoff)))):
		}
		backoff *= 2
	}
}

// retryable: errors after which the same write may succeed (the write may
// also have been applied already; TOUCH and DELETE make that harmless).
func retryable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// WriteSchema writes the zed schema.
func (a *Authz) WriteSchema(ctx context.Context, schema string) error {
	_, err := a.client.WriteSchema(ctx, &v1.WriteSchemaRequest{Schema: schema})
	return wrap("write schema", err)
}
