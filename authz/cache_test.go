package authz

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rolegraph/rolegraph/internal/proctest"
)

// countingObserver records cache outcomes, as the metrics do.
type countingObserver struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *countingObserver) ObserveCache(layer, result string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.n == nil {
		o.n = map[string]int{}
	}
	o.n[layer+"/"+result]++
}

// reset forgets what was counted so far.
func (o *countingObserver) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n = nil
}

func (o *countingObserver) get(k string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[k]
}

// sharedRedis is the Redis the test command starts (ROLEGRAPH_TEST_REDIS_URL
// or 127.0.0.1:6379). Unlike the benchmarks, tests do not skip without it:
// a cache test that cannot fail is no test.
func sharedRedis(t *testing.T) *redis.Client {
	t.Helper()
	url := testRedisURL()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	t.Cleanup(func() { rc.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rc.Ping(ctx).Err(); err != nil {
		t.Fatalf("Redis at %s: %v (scripts/test.sh starts it)", url, err)
	}
	return rc
}

// testRedisURL is ROLEGRAPH_TEST_REDIS_URL, or the test command's Redis.
func testRedisURL() string {
	if u := os.Getenv("ROLEGRAPH_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// testKeys are keys of an organization no other run uses.
func testKeys(n int) ([]string, []bool) {
	org := fmt.Sprintf("org_test%d", time.Now().UnixNano())
	keys, answers := make([]string, n), make([]bool, n)
	for i := range keys {
		keys[i] = DecisionKey(org, 3, benchCheck(i))
		answers[i] = i%2 == 0
	}
	return keys, answers
}

// TTLs are absolute: an answer read again and again is still gone once its
// TTL has passed since it was stored, in either layer. Freshness comes from
// the revision, but a TTL that reads extended would keep a hot key forever.
func TestCacheTTLIsAbsolute(t *testing.T) {
	const ttl = 400 * time.Millisecond
	rc := sharedRedis(t)
	for _, tc := range []struct {
		name string
		cfg  CacheConfig
	}{
		{"in-process layer", CacheConfig{LocalSize: 1000, TTL: ttl}},
		{"Redis layer", CacheConfig{LocalSize: -1, Redis: rc, RedisTimeout: time.Second, TTL: ttl}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(tc.cfg)
			ctx := context.Background()
			keys, answers := testKeys(20)
			t.Cleanup(func() { rc.Del(context.Background(), keys...) })
			stored := time.Now()
			c.store(ctx, keys, answers)
			reads := 0
			for time.Since(stored) < ttl*3/4 {
				got, found := c.lookup(ctx, keys)
				if time.Since(stored) >= ttl*3/4 {
					break // a slow lookup may have run past the TTL
				}
				for i := range keys {
					if !found[i] || got[i] != answers[i] {
						t.Fatalf("%s after storing: key %d found %v = %v, want %v", time.Since(stored), i, found[i], got[i], answers[i])
					}
				}
				reads++
				time.Sleep(ttl / 10)
			}
			if tc.cfg.Redis != nil {
				// Redis's own clock agrees: the reads did not reset the TTL.
				// Extended by the last read, about ttl - ttl/10 would be
				// left; not extended, about ttl/4. The slack covers the SET
				// reaching Redis after stored on a loaded machine.
				elapsed := time.Since(stored)
				left, err := rc.PTTL(ctx, keys[0]).Result()
				if err != nil {
					t.Fatal(err)
				}
				if left > ttl-elapsed+150*time.Millisecond {
					t.Fatalf("%s after storing and %d reads, Redis says %s left of a %s TTL: the reads extended it", elapsed, reads, left, ttl)
				}
			}
			time.Sleep(time.Until(stored.Add(ttl + 150*time.Millisecond)))
			_, found := c.lookup(ctx, keys)
			for i := range keys {
				if found[i] {
					t.Fatalf("key %d still found %s after it was stored with a %s TTL, after %d reads", i, time.Since(stored), ttl, reads)
				}
			}
		})
	}
}

// redisServer runs a redis-server of its own on a free port: this test
// stops it, and the shared one must never be touched.
func redisServer(t *testing.T) (*exec.Cmd, redis.UniversalClient) {
	t.Helper()
	cmd, port := redisProcess(t)
	rc, err := NewRedisClient(fmt.Sprintf("redis://127.0.0.1:%d/0", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	return cmd, rc
}

// A Redis that hangs (SIGSTOP: its connections stay open, nothing answers)
// costs a lookup the Redis timeout, once: the cache reports an error and
// stays away from Redis for its backoff, so the next lookups cost nothing
// and find nothing (the answer then comes from SpiceDB). Once Redis answers
// again and the backoff has passed, its answers are found again.
func TestCacheRedisHangs(t *testing.T) {
	const timeout = 50 * time.Millisecond
	// What a loaded machine may add to the timeout.
	const slack = 400 * time.Millisecond
	cmd, rc := redisServer(t)
	obs := &countingObserver{}
	c := NewCache(CacheConfig{LocalSize: -1, Redis: rc, RedisTimeout: timeout, TTL: time.Minute, Observer: obs})
	ctx := context.Background()
	keys, answers := testKeys(10)
	// The first write dials Redis, which on a loaded machine can outlast
	// the 50 ms timeout (and start a backoff): not what this test is about,
	// so write until Redis holds the keys, then count from zero.
	for deadline := time.Now().Add(redisBackoff + 5*time.Second); ; time.Sleep(20 * time.Millisecond) {
		c.store(ctx, keys, answers)
		if _, found := c.lookup(ctx, keys); found[0] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not found in Redis before the hang: the test does not test anything")
		}
	}
	obs.reset()

	proctest.Signal(t, cmd.Process, syscall.SIGSTOP)
	start := time.Now()
	_, found := c.lookup(ctx, keys)
	first := time.Since(start)
	for i := range found {
		if found[i] {
			t.Fatalf("key %d found while Redis is stopped", i)
		}
	}
	if first > timeout+slack {
		t.Fatalf("a lookup on a stopped Redis took %s; the timeout is %s", first, timeout)
	}
	if obs.get("redis/error") != 1 {
		t.Fatalf("redis errors observed: %d, want 1", obs.get("redis/error"))
	}
	start = time.Now()
	for k := 0; k < 20; k++ {
		c.lookup(ctx, keys)
		c.store(ctx, keys, answers)
	}
	// Waiting for Redis, they would take 40 timeouts (2s); a loaded machine
	// may add a pause, not that.
	if took := time.Since(start); took > 10*timeout {
		t.Fatalf("20 lookups and stores during the backoff took %s: they waited for Redis", took)
	}
	if obs.get("redis/skipped") != 20 || obs.get("redis/error") != 1 {
		t.Fatalf("during the backoff: %d skipped, %d errors; want 20 and 1", obs.get("redis/skipped"), obs.get("redis/error"))
	}

	proctest.Signal(t, cmd.Process, syscall.SIGCONT)
	deadline := time.Now().Add(redisBackoff + 5*time.Second)
	for {
		got, found := c.lookup(ctx, keys)
		if found[0] {
			for i := range keys {
				if !found[i] || got[i] != answers[i] {
					t.Fatalf("after the hang: key %d found %v = %v, want %v", i, found[i], got[i], answers[i])
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Redis answers again but nothing is found %s later", redisBackoff+5*time.Second)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("stopped Redis: first lookup gave up after %s, then 20 lookups skipped it; found again after SIGCONT and the %s backoff",
		first.Round(time.Millisecond), redisBackoff)
}
