package authz

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// NewRedisClient picks the client kind from the URL and bounds it, keeping
// what the URL sets.
func TestNewRedisClientKinds(t *testing.T) {
	for _, c := range []struct {
		url            string
		kind           string
		dial, read     time.Duration
		retries        int
		addrs          []string
		master, errSub string
	}{
		// A built node client keeps "no retries" (-1) as 0; its default is 3.
		{url: "redis://127.0.0.1:6379/0", kind: "node", dial: 200 * time.Millisecond, read: 100 * time.Millisecond, retries: 0, addrs: []string{"127.0.0.1:6379"}},
		{url: "rediss://u:p@cache.internal:6380/2?dial_timeout=1s&max_retries=2", kind: "node", dial: time.Second, read: 100 * time.Millisecond, retries: 2, addrs: []string{"cache.internal:6380"}},
		{url: "redis://s1:26379/0?master_name=mymaster&addr=s2:26379", kind: "sentinel", master: "mymaster", addrs: []string{"s1:26379", "s2:26379"}},
		{url: "redis://n1:7000?addr=n2:7000&addr=n3:7000&read_timeout=300ms", kind: "cluster", dial: 200 * time.Millisecond, read: 300 * time.Millisecond, retries: -1, addrs: []string{"n1:7000", "n2:7000", "n3:7000"}},
		{url: "http://127.0.0.1:6379", errSub: "scheme"},
		{url: "redis://n1:7000?addr=n2:7000&pool_sizes=3", errSub: "pool_sizes"},
	} {
		t.Run(c.url, func(t *testing.T) {
			rc, err := NewRedisClient(c.url)
			if c.errSub != "" {
				if err == nil || !strings.Contains(err.Error(), c.errSub) {
					t.Fatalf("got %v, want an error about %s", err, c.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			switch x := rc.(type) {
			case clusterClient:
				o := x.Options()
				if c.kind != "cluster" || !o.ContextTimeoutEnabled || o.DialTimeout != c.dial || o.ReadTimeout != c.read || o.MaxRetries != c.retries ||
					strings.Join(o.Addrs, ",") != strings.Join(c.addrs, ",") {
					t.Errorf("cluster client %+v; want %+v", o, c)
				}
			case *redis.Client:
				o := x.Options()
				if c.kind == "sentinel" {
					// A failover client is a *redis.Client whose dialer asks
					// the sentinels; its options name no node.
					if o.Addr != "FailoverClient" || !o.ContextTimeoutEnabled || o.MaxRetries != 0 || o.DialTimeout != 200*time.Millisecond {
						t.Errorf("sentinel client %+v", o)
					}
					return
				}
				if c.kind != "node" || !o.ContextTimeoutEnabled || o.DialTimeout != c.dial || o.ReadTimeout != c.read || o.MaxRetries != c.retries || o.Addr != c.addrs[0] {
					t.Errorf("client %+v; want %+v", o, c)
				}
			default:
				t.Errorf("client of type %T", rc)
			}
		})
	}
}

// redisProcess starts redis-server with args on a free port in a
// directory of its own, killed when the test ends (even if stopped), and
// waits until it answers.
func redisProcess(t *testing.T, args ...string) (*exec.Cmd, int) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server: %v (scripts/test.sh installs it)", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, append(args, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", dir, "--protected-mode", "no")...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGCONT) // a stopped process cannot die otherwise
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	rc := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1})
	defer rc.Close()
	eventually(t, "redis-server on "+strconv.Itoa(port), func(ctx context.Context) error { return rc.Ping(ctx).Err() })
	return cmd, port
}

func eventually(t *testing.T, what string, f func(context.Context) error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := f(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// roundTrip stores decisions under keys that fall in many hash slots and
// finds them again through the cache.
func roundTrip(t *testing.T, rc redis.UniversalClient) {
	t.Helper()
	c := NewCache(CacheConfig{LocalSize: -1, Redis: rc, RedisTimeout: time.Second, TTL: time.Minute})
	keys, answers := testKeys(40)
	ctx := context.Background()
	c.store(ctx, keys, answers)
	got, found := c.lookup(ctx, keys)
	for i := range keys {
		if !found[i] || got[i] != answers[i] {
			t.Fatalf("key %d: found %v answer %v, want %v", i, found[i], got[i], answers[i])
		}
	}
}

// Through a Sentinel, the cache reaches the master the sentinel names.
func TestRedisSentinel(t *testing.T) {
	_, master := redisProcess(t)
	conf := filepath.Join(t.TempDir(), "sentinel.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("sentinel monitor mymaster 127.0.0.1 %d 1\n", master)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, sentinel := redisProcess(t, conf, "--sentinel")
	rc, err := NewRedisClient(fmt.Sprintf("redis://127.0.0.1:%d/0?master_name=mymaster", sentinel))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	eventually(t, "the sentinel's master", func(ctx context.Context) error { return rc.Ping(ctx).Err() })
	roundTrip(t, rc)
	direct := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", master)})
	defer direct.Close()
	if n, err := direct.DBSize(context.Background()).Result(); err != nil || n == 0 {
		t.Fatalf("the master holds %d keys (%v): the cache did not write through the sentinel", n, err)
	}
}

// Against a two-node cluster (slots split between them), one lookup's keys
// span both nodes.
func TestRedisCluster(t *testing.T) {
	var ports []int
	for range 2 {
		_, port := redisProcess(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
		ports = append(ports, port)
	}
	ctx := context.Background()
	slots := [][2]int{{0, 8191}, {8192, 16383}}
	for i, p := range ports {
		n := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", p)})
		defer n.Close()
		if err := n.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", slots[i][0], slots[i][1]).Err(); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			if err := n.Do(ctx, "CLUSTER", "MEET", "127.0.0.1", ports[0]).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, p := range ports {
		n := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", p)})
		defer n.Close()
		eventually(t, "cluster state ok", func(ctx context.Context) error {
			info, err := n.ClusterInfo(ctx).Result()
			if err == nil && !strings.Contains(info, "cluster_state:ok") {
				err = fmt.Errorf("not ok yet")
			}
			return err
		})
	}
	rc, err := NewRedisClient(fmt.Sprintf("redis://127.0.0.1:%d?addr=127.0.0.1:%d", ports[0], ports[1]))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, ok := rc.(clusterClient); !ok {
		t.Fatalf("client of type %T, want a cluster client", rc)
	}
	roundTrip(t, rc)
	for _, p := range ports {
		n := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", p)})
		defer n.Close()
		if k, err := n.DBSize(ctx).Result(); err != nil || k == 0 {
			t.Errorf("node %d holds %d keys (%v): the keys did not spread over the cluster", p, k, err)
		}
	}
}
