package authz

// Micro-benchmarks of the decision cache's key and lookup path (issue 3).
// They link no SpiceDB: only the cache and, for the Redis layer, a Redis at
// ROLEGRAPH_TEST_REDIS_URL (default redis://127.0.0.1:6379/0), skipped when
// it does not answer.
//
//	go test ./authz -run '^$' -bench . -benchmem

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// benchCheck is shaped like rolegraph's questions: ids of 24-25 characters.
func benchCheck(i int) Check {
	return Check{
		Object:     Object{Type: "interaction", ID: fmt.Sprintf("int_%020d", i)},
		Permission: "interactions_read",
		MemberID:   "mem_abcdefghijklmnopqrst",
	}
}

const benchOrg = "org_abcdefghijklmnopqrst"

func BenchmarkDecisionKey(b *testing.B) {
	c := benchCheck(42)
	b.ReportAllocs()
	for b.Loop() {
		_ = DecisionKey(benchOrg, 123456, c)
	}
}

// benchKeys are n distinct keys at one revision, with alternating answers.
func benchKeys(n int) ([]string, []bool) {
	keys, answers := make([]string, n), make([]bool, n)
	for i := range keys {
		keys[i] = DecisionKey(benchOrg, 7, benchCheck(i))
		answers[i] = i%2 == 0
	}
	return keys, answers
}

func mustFind(b *testing.B, c *Cache, keys []string, answers []bool) {
	b.Helper()
	got, found := c.lookup(context.Background(), keys)
	for i := range keys {
		if !found[i] || got[i] != answers[i] {
			b.Fatalf("key %d: found %v, answer %v, want %v", i, found[i], got[i], answers[i])
		}
	}
}

// BenchmarkCacheLookupHit is the in-process layer answering: one question
// (a `can`) and a page of 200 (50 interactions × 4 viewerCan flags).
func BenchmarkCacheLookupHit(b *testing.B) {
	for _, n := range []int{1, 200} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			c := NewCache(CacheConfig{})
			keys, answers := benchKeys(n)
			c.store(context.Background(), keys, answers)
			mustFind(b, c, keys, answers)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				c.lookup(ctx, keys)
			}
		})
	}
}

func benchRedis(b *testing.B) *redis.Client {
	b.Helper()
	opts, err := redis.ParseURL(testRedisURL())
	if err != nil {
		b.Fatalf("ROLEGRAPH_TEST_REDIS_URL: %v", err)
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 200*time.Millisecond, time.Second, time.Second
	rc := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := rc.Ping(ctx).Err(); err != nil {
		rc.Close()
		b.Skipf("Redis at %s unreachable: %v", testRedisURL(), err)
	}
	b.Cleanup(func() { rc.Close() })
	return rc
}

// BenchmarkCacheLookupRedis is the shared layer answering with the
// in-process layer off: one MGET round trip per lookup, for one question
// and for a page of 200.
func BenchmarkCacheLookupRedis(b *testing.B) {
	rc := benchRedis(b)
	for _, n := range []int{1, 200} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			c := NewCache(CacheConfig{LocalSize: -1, Redis: rc, RedisTimeout: time.Second, TTL: time.Minute})
			keys, answers := benchKeys(n)
			// Keys of a random organization, so concurrent runs never share them.
			org := fmt.Sprintf("org_bench%d", time.Now().UnixNano())
			for i := range keys {
				keys[i] = DecisionKey(org, 7, benchCheck(i))
			}
			ctx := context.Background()
			c.store(ctx, keys, answers)
			b.Cleanup(func() { rc.Del(context.Background(), keys...) })
			mustFind(b, c, keys, answers)
			b.ReportAllocs()
			for b.Loop() {
				c.lookup(ctx, keys)
			}
		})
	}
}
