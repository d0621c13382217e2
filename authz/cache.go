package authz

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	neturl "net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/redis/go-redis/v9"
)

// A decision is cached under a key that carries the organization's
// revision. Every applied relationship write bumps the revision, so an
// answer cached before a revocation is never read after it: there is no
// invalidation to get wrong. TTLs are absolute (reads do not extend them)
// and only bound memory; freshness comes from the revision.

// Observer receives cache outcomes (metrics.Metrics implements it).
type Observer interface {
	ObserveCache(layer, result string)
}

type noObserver struct{}

func (noObserver) ObserveCache(string, string) {}

// keyPrefix versions the key format: a change of format changes every key.
const keyPrefix = "rg1"

// DecisionKey is the cache key of one question at one revision. Its fields
// are ids and names SpiceDB accepts ([a-z0-9_/|-=+*]); "|" is escaped, so
// distinct questions never share a key.
func DecisionKey(orgID string, revision int64, c Check) string {
	var b strings.Builder
	b.Grow(len(orgID) + len(c.Object.Type) + len(c.Object.ID) + len(c.Permission) + len(c.MemberID) + 32)
	b.WriteString(keyPrefix)
	for _, f := range []string{orgID, strconv.FormatInt(revision, 10), c.Object.Type, c.Object.ID, c.Permission, c.MemberID} {
		b.WriteByte('|')
		writeEscaped(&b, f)
	}
	return b.String()
}

func writeEscaped(b *strings.Builder, s string) {
	if !strings.ContainsAny(s, `|\`) {
		b.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '|' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
}

// PageKey is the cache key of one LookupResources page at one revision.
func PageKey(orgID string, revision int64, resourceType, permission, memberID string, limit int, cursor string) string {
	var b strings.Builder
	b.WriteString(keyPrefix + "p")
	for _, f := range []string{orgID, strconv.FormatInt(revision, 10), resourceType, permission, memberID, strconv.Itoa(limit), cursor} {
		b.WriteByte('|')
		writeEscaped(&b, f)
	}
	return b.String()
}

// Cache is the decision cache: an in-process layer in front of an optional
// shared Redis layer. Safe for concurrent use.
type Cache struct {
	local *lru.LRU[string, bool]
	pages *lru.LRU[string, LookupPage]
	redis *redisLayer
	obs   Observer
}

// CacheConfig sizes the layers.
type CacheConfig struct {
	// LocalSize is the in-process layer's entry count (0: 100k entries,
	// about 20 MB); negative disables it.
	LocalSize int
	// TTL bounds how long an answer is kept (default 5m).
	TTL time.Duration
	// Redis is the shared layer (one node, Sentinel or Cluster:
	// NewRedisClient); nil for none.
	Redis redis.UniversalClient
	// RedisTimeout bounds every Redis call (default 50ms): a slow Redis
	// costs at most this, then the answer comes from SpiceDB.
	RedisTimeout time.Duration
	Observer     Observer
	Log          *slog.Logger
}

func NewCache(cfg CacheConfig) *Cache {
	if cfg.TTL <= 0 {
		cfg.TTL = 5 * time.Minute
	}
	if cfg.LocalSize == 0 {
		cfg.LocalSize = 100_000
	}
	if cfg.Observer == nil {
		cfg.Observer = noObserver{}
	}
	c := &Cache{obs: cfg.Observer}
	if cfg.LocalSize > 0 {
		c.local = lru.NewLRU[string, bool](cfg.LocalSize, nil, cfg.TTL)
		c.pages = lru.NewLRU[string, LookupPage](max(cfg.LocalSize/20, 100), nil, cfg.TTL)
	}
	if cfg.Redis != nil {
		if cfg.RedisTimeout <= 0 {
			cfg.RedisTimeout = 50 * time.Millisecond
		}
		log := cfg.Log
		if log == nil {
			log = slog.Default()
		}
		c.redis = &redisLayer{client: cfg.Redis, timeout: cfg.RedisTimeout, ttl: cfg.TTL, obs: cfg.Observer, log: log}
	}
	return c
}

// lookup returns the cached answers: found[i] says whether answers[i] is known.
func (c *Cache) lookup(ctx context.Context, keys []string) (answers, found []bool) {
	answers, found = make([]bool, len(keys)), make([]bool, len(keys))
	var missing []int
	for i, k := range keys {
		if c.local != nil {
			if v, ok := c.local.Get(k); ok {
				answers[i], found[i] = v, true
				c.obs.ObserveCache("local", "hit")
				continue
			}
			c.obs.ObserveCache("local", "miss")
		}
		missing = append(missing, i)
	}
	if c.redis == nil || len(missing) == 0 {
		return answers, found
	}
	mk := make([]string, len(missing))
	for j, i := range missing {
		mk[j] = keys[i]
	}
	vals, ok := c.redis.get(ctx, mk)
	if !ok {
		return answers, found
	}
	for j, i := range missing {
		switch vals[j] {
		case 1, 2:
			answers[i], found[i] = vals[j] == 1, true
			if c.local != nil {
				c.local.Add(keys[i], answers[i])
			}
		}
	}
	return answers, found
}

// store records answers in every layer.
func (c *Cache) store(ctx context.Context, keys []string, answers []bool) {
	if len(keys) == 0 {
		return
	}
	if c.local != nil {
		for i, k := range keys {
			c.local.Add(k, answers[i])
		}
	}
	if c.redis != nil {
		c.redis.set(ctx, keys, answers)
	}
}

// NewRedisClient builds the Redis layer's client from a URL, whatever
// go-redis's UniversalClient can be:
//
//   - one node: redis://[user:password@]host:port/db (rediss:// for TLS);
//   - Sentinel: the same with ?master_name=NAME, host:port being a
//     sentinel, more sentinels as &addr=host:port;
//   - Cluster: two or more nodes, the others as ?addr=host:port&addr=….
//
// Query parameters set go-redis options by their snake_case names
// (pool_size=20, dial_timeout=1s). Whatever the kind, the client honours
// context deadlines (go-redis ignores them by default and waits out its
// read timeout, 3s, on a hung Redis), does not retry (a failed cache call
// falls back to SpiceDB; retrying only adds latency), and has socket
// timeouts that bound what a caller without a deadline could wait; a
// timeout or retry count the URL sets explicitly is kept.
func NewRedisClient(url string) (redis.UniversalClient, error) {
	u, err := neturl.Parse(url)
	if err != nil {
		return nil, err
	}
	bound := func(dial, read, write *time.Duration, retries *int, ctxTimeout *bool) {
		*ctxTimeout = true
		for _, d := range []struct {
			p   *time.Duration
			def time.Duration
		}{{dial, 200 * time.Millisecond}, {read, 100 * time.Millisecond}, {write, 100 * time.Millisecond}} {
			if *d.p == 0 {
				*d.p = d.def
			}
		}
		if *retries == 0 {
			*retries = -1
		}
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(url)
		if err != nil {
			return nil, err
		}
		bound(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.MaxRetries, &o.ContextTimeoutEnabled)
		return redis.NewFailoverClient(o), nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(url)
		if err != nil {
			return nil, err
		}
		bound(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.MaxRetries, &o.ContextTimeoutEnabled)
		return clusterClient{redis.NewClusterClient(o)}, nil
	default:
		o, err := redis.ParseURL(url)
		if err != nil {
			return nil, err
		}
		bound(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.MaxRetries, &o.ContextTimeoutEnabled)
		return redis.NewClient(o), nil
	}
}

// clusterClient reads keys of several hash slots at once, which a Redis
// Cluster refuses in one MGET (CROSSSLOT) and go-redis only splits by
// itself against Redis 8 (from its command tips): one pipelined GET per key
// instead, which go-redis sends as one round trip per node.
type clusterClient struct{ *redis.ClusterClient }

func (c clusterClient) MGet(ctx context.Context, keys ...string) *redis.SliceCmd {
	gets := make([]*redis.StringCmd, len(keys))
	_, _ = c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			gets[i] = p.Get(ctx, k)
		}
		return nil
	})
	vals := make([]any, len(keys))
	for i, g := range gets {
		v, err := g.Result()
		switch {
		case err == nil:
			vals[i] = v
		case !errors.Is(err, redis.Nil): // a missing key is nil, as in MGET
			return redis.NewSliceResult(nil, err)
		}
	}
	return redis.NewSliceResult(vals, nil)
}

// redisLayer talks to Redis with a bounded timeout. After a failure it
// stays away for a short while, so a dead Redis costs one timeout per
// second, not one per question.
type redisLayer struct {
	client  redis.UniversalClient
	timeout time.Duration
	ttl     time.Duration
	obs     Observer
	log     *slog.Logger

	downUntil atomic.Int64 // unix nanos
	logMu     sync.Mutex
	lastLog   time.Time
}

const redisBackoff = time.Second

func (r *redisLayer) available() bool { return time.Now().UnixNano() >= r.downUntil.Load() }

func (r *redisLayer) failed(op string, err error) {
	r.downUntil.Store(time.Now().Add(redisBackoff).UnixNano())
	r.obs.ObserveCache("redis", "error")
	r.logMu.Lock()
	defer r.logMu.Unlock()
	if time.Since(r.lastLog) > 10*time.Second {
		r.lastLog = time.Now()
		r.log.Warn("decision cache: Redis failed; answering from SpiceDB", "op", op, "err", err)
	}
}

// get returns 0 (unknown), 1 (allow) or 2 (deny) per key; ok is false when
// Redis did not answer.
func (r *redisLayer) get(ctx context.Context, keys []string) ([]byte, bool) {
	if !r.available() {
		r.obs.ObserveCache("redis", "skipped")
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	vals, err := r.client.MGet(ctx, keys...).Result()
	if err != nil {
		r.failed("mget", err)
		return nil, false
	}
	out := make([]byte, len(keys))
	for i, v := range vals {
		s, _ := v.(string)
		switch s {
		case "1":
			out[i] = 1
			r.obs.ObserveCache("redis", "hit")
		case "0":
			out[i] = 2
			r.obs.ObserveCache("redis", "hit")
		default:
			r.obs.ObserveCache("redis", "miss")
		}
	}
	return out, true
}

func (r *redisLayer) set(ctx context.Context, keys []string, answers []bool) {
	if !r.available() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			v := "0"
			if answers[i] {
				v = "1"
			}
			p.Set(ctx, k, v, r.ttl)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		r.failed("set", err)
	}
}

// Ping reports whether Redis answers (for /readyz; a down Redis makes the
// service slower, not unready — the caller decides).
func (c *Cache) Ping(ctx context.Context) error {
	if c == nil || c.redis == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return c.redis.client.Ping(ctx).Err()
}

// lookupPage finds a cached LookupResources page.
func (c *Cache) lookupPage(ctx context.Context, key string) (LookupPage, bool) {
	if c.pages != nil {
		if p, ok := c.pages.Get(key); ok {
			c.obs.ObserveCache("local", "hit")
			return p, true
		}
		c.obs.ObserveCache("local", "miss")
	}
	if c.redis == nil {
		return LookupPage{}, false
	}
	raw, ok := c.redis.getBlob(ctx, key)
	if !ok {
		return LookupPage{}, false
	}
	var p LookupPage
	if err := json.Unmarshal(raw, &p); err != nil || len(p.IDs) != len(p.After) {
		return LookupPage{}, false
	}
	if c.pages != nil {
		c.pages.Add(key, p)
	}
	return p, true
}

func (c *Cache) storePage(ctx context.Context, key string, p LookupPage) {
	if c.pages != nil {
		c.pages.Add(key, p)
	}
	if c.redis != nil {
		if raw, err := json.Marshal(p); err == nil {
			c.redis.setBlob(ctx, key, raw)
		}
	}
}

func (r *redisLayer) getBlob(ctx context.Context, key string) ([]byte, bool) {
	if !r.available() {
		r.obs.ObserveCache("redis", "skipped")
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	b, err := r.client.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		r.obs.ObserveCache("redis", "miss")
		return nil, false
	}
	if err != nil {
		r.failed("get", err)
		return nil, false
	}
	r.obs.ObserveCache("redis", "hit")
	return b, true
}

func (r *redisLayer) setBlob(ctx context.Context, key string, value []byte) {
	if !r.available() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := r.client.Set(ctx, key, value, r.ttl).Err(); err != nil {
		r.failed("set", err)
	}
}
