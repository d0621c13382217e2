package server

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	gqllru "github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/errs"
)

// Automatic persisted queries (Apollo's protocol): a client sends
// extensions.persistedQuery.sha256Hash alone; on PERSISTED_QUERY_NOT_FOUND
// it sends the query with its hash once, and the hash alone from then on.
// Hashes are kept in process, and in Redis when --redis-url is set, so a
// hash registered on one replica is known to all.
const (
	// apqLocalSize bounds the in-process hashes.
	apqLocalSize = 1000
	// apqMaxQuery: a longer query is answered but not remembered, so
	// anyone (registering needs no sign-in) can fill the cache only with
	// small entries (at most apqLocalSize × apqMaxQuery in process).
	apqMaxQuery = 64 << 10
	// apqTTL: how long Redis keeps a hash nobody registers again.
	apqTTL = 24 * time.Hour
	// apqPrefix names rolegraph's keys in a Redis it may share.
	apqPrefix = "rolegraph:apq:"
	// codePersistedQueryNotFound is the code Apollo clients answer by
	// sending the query (gqlgen sets it).
	codePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
)

// persistedQueries is the server's one APQ store, shared by every handler
// it builds.
func (s *Server) persistedQueries() graphql.Cache[string] {
	s.apqOnce.Do(func() {
		local := gqllru.New[string](apqLocalSize)
		if s.redis == nil {
			s.apq = boundedAPQ{local}
			return
		}
		s.apq = redisAPQ{local: local, rc: s.redis, s: s}
	})
	return s.apq
}

// boundedAPQ remembers only queries up to apqMaxQuery bytes.
type boundedAPQ struct{ graphql.Cache[string] }

func (b boundedAPQ) Add(ctx context.Context, hash, query string) {
	if len(query) <= apqMaxQuery {
		b.Cache.Add(ctx, hash, query)
	}
}

// redisAPQ is Redis behind an in-process layer. Redis failing is a miss
// (the client sends the query again), never an error.
type redisAPQ struct {
	local graphql.Cache[string]
	rc    redis.UniversalClient
	s     *Server
}

func (c redisAPQ) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := c.local.Get(ctx, hash); ok {
		return q, true
	}
	q, err := c.rc.Get(ctx, apqPrefix+hash).Result()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			c.s.log.Warn("persisted queries: Redis read failed; answered as unknown", "err", err)
		}
		return "", false
	}
	c.local.Add(ctx, hash, q)
	return q, true
}

func (c redisAPQ) Add(ctx context.Context, hash, query string) {
	if len(query) > apqMaxQuery {
		return
	}
	c.local.Add(ctx, hash, query)
	if err := c.rc.Set(ctx, apqPrefix+hash, query, apqTTL).Err(); err != nil {
		c.s.log.Warn("persisted queries: Redis write failed; other replicas will ask for the query", "err", err)
	}
}

// persistedQuery is gqlgen's extension.AutomaticPersistedQuery with the
// contract's codes: PERSISTED_QUERY_NOT_FOUND (message
// "PersistedQueryNotFound", what Apollo clients look for) on a miss, and
// BAD_USER_INPUT for a malformed extension or a hash that is not the
// query's (gqlgen leaves those without a code).
type persistedQuery struct {
	apq extension.AutomaticPersistedQuery
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = persistedQuery{}

func (persistedQuery) ExtensionName() string { return "PersistedQueries" }
func (p persistedQuery) Validate(es graphql.ExecutableSchema) error {
	return p.apq.Validate(es)
}

func (p persistedQuery) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	err := p.apq.MutateOperationParameters(ctx, raw)
	if err == nil {
		return nil
	}
	if code, _ := err.Extensions["code"].(string); code == codePersistedQueryNotFound {
		return err
	}
	msg := `extensions.persistedQuery must be {"version": 1, "sha256Hash": "<hex SHA-256 of the query>"}`
	if raw.Query != "" && err.Message == "provided APQ hash does not match query" {
		msg = "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it: hash the exact query text (hex, lower case)"
	}
	out := gqlerror.Errorf("%s", msg)
	errcode.Set(out, string(errs.BadUserInput))
	out.Extensions["field"] = "extensions.persistedQuery"
	return out
}
