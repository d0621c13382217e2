package e2e

// Process helpers for the fault tests: Redis, Postgres and SpiceDB started
// by the test itself as child processes on free ports, so that killing them
// never touches the shared services other tests and agents use.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	rolegraph "github.com/rolegraph/rolegraph"
	"github.com/rolegraph/rolegraph/internal/proctest"
	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/spicedb/spicedbtest"
)

// faultLong reports whether the long fault modes were asked for.
func faultLong() bool { return os.Getenv("ROLEGRAPH_FAULT_LONG") == "1" }

// child is a process started by a test, killed when the test ends.
type child struct {
	t    testing.TB
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	log  *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() < 1<<20 {
		l.b.Write(p)
	}
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startChild starts cmd, collecting its output (shown when the test fails).
func startChild(t testing.TB, name string, cmd *exec.Cmd) *child {
	t.Helper()
	c := &child{t: t, name: name, cmd: cmd, done: make(chan struct{}), log: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = c.log, c.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		c.kill()
		if t.Failed() {
			t.Logf("%s output:\n%s", name, tail(c.log.String(), 4000))
		}
	})
	return c
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// signal sends sig: SIGSTOP and SIGCONT return once they took effect; a
// terminating signal waits up to 30s for the exit (then kills).
func (c *child) signal(sig syscall.Signal) {
	if c.exited() {
		return
	}
	if sig == syscall.SIGSTOP || sig == syscall.SIGCONT {
		proctest.Signal(c.t, c.cmd.Process, sig)
		return
	}
	_ = c.cmd.Process.Signal(sig)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// kill ends the process abruptly (SIGKILL) and waits for it.
func (c *child) kill() {
	if c.exited() {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGCONT) // a stopped process cannot die otherwise
	_ = c.cmd.Process.Kill()
	<-c.done
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	_, port, _ := net.SplitHostPort(spicedbtest.FreeAddr(t))
	n, _ := strconv.Atoi(port)
	return n
}

// waitFor polls ok every 50ms until it holds or timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, ok func() error, c *child) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = ok(); err == nil {
			return
		}
		if c != nil && c.exited() {
			t.Fatalf("%s exited while waiting for it to be ready:\n%s", c.name, tail(c.log.String(), 4000))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not ready after %s: %v", what, timeout, err)
}

// ---- Redis ----

type redisProc struct {
	*child
	Addr string
	bin  string
	port int
}

// startRedis starts a private redis-server without persistence.
func startRedis(t testing.TB) *redisProc {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skipf("redis-server not installed: %v", err)
	}
	return startRedisOn(t, bin, freePort(t))
}

// startRedisOn starts redis-server on port (again, after a kill).
func startRedisOn(t testing.TB, bin string, port int) *redisProc {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--protected-mode", "no")
	r := &redisProc{child: startChild(t, "redis-server", cmd), Addr: fmt.Sprintf("127.0.0.1:%d", port), bin: bin, port: port}
	rc := redis.NewClient(&redis.Options{Addr: r.Addr, MaxRetries: -1})
	defer rc.Close()
	waitFor(t, "redis-server", 15*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return rc.Ping(ctx).Err()
	}, r.child)
	return r
}

func (r *redisProc) URL() string { return "redis://" + r.Addr + "/0" }

// ---- Postgres ----

// pgProc is a private PostgreSQL cluster: initdb into a temporary directory,
// postgres on a free port, run as the postgres user when the test runs as
// root (postgres refuses root).
type pgProc struct {
	t       testing.TB
	bin     string
	dir     string // data directory, also the socket directory
	port    int
	cred    *syscall.Credential
	current *child
}

func postgresBinDir(t testing.TB) string {
	t.Helper()
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p)
		}
		t.Skip("no PostgreSQL server binaries (initdb) installed")
	}
	sort.Slice(matches, func(i, j int) bool { return pgVersion(matches[i]) > pgVersion(matches[j]) })
	return filepath.Dir(matches[0])
}

func pgVersion(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

// startPostgres initializes a cluster and starts it.
func startPostgres(t testing.TB) *pgProc {
	t.Helper()
	p := &pgProc{t: t, bin: postgresBinDir(t), port: freePort(t)}
	// Not t.TempDir: its parents are root-only, and the server may run
	// as another user.
	base, err := os.MkdirTemp("", "rolegraph-fault-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	p.dir = filepath.Join(base, "data")
	if err := os.Mkdir(p.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root and there is no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(p.dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(p.bin, "initdb"), "-D", p.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-sync", "--locale=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.Start()
	return p
}

// URL is the cluster's postgres database, for rolegraph and pgx.
func (p *pgProc) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", p.port)
}

// Start starts the server (again) and waits until it accepts connections.
func (p *pgProc) Start() {
	p.t.Helper()
	cmd := exec.Command(filepath.Join(p.bin, "postgres"), "-D", p.dir, "-p", strconv.Itoa(p.port), "-k", p.dir,
		// fsync=off is safe here: the tests kill the server, not the
		// machine. synchronous_commit stays on: an acknowledged commit must
		// survive an immediate shutdown.
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
		"-c", "full_page_writes=off", "-c", "max_connections=60", "-c", "shared_buffers=32MB")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	p.current = startChild(p.t, "postgres", cmd)
	waitFor(p.t, "postgres", 60*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, p.URL())
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	}, p.current)
}

// Stop stops the server: "immediate" (SIGQUIT: every backend ends at once,
// crash recovery at the next start) or "fast" (SIGINT: sessions end,
// a clean shutdown).
func (p *pgProc) Stop(mode string) {
	p.t.Helper()
	sig := syscall.SIGQUIT
	if mode == "fast" {
		sig = syscall.SIGINT
	}
	p.current.signal(sig)
}

// ---- SpiceDB as a remote ----

// spicedbHelperEnv makes the test binary, re-executed, serve an embedded
// SpiceDB on a TCP address instead of running tests.
const spicedbHelperEnv = "ROLEGRAPH_E2E_SPICEDB_HELPER"

// TestHelperSpiceDBProcess is not a test: re-executed with spicedbHelperEnv
// set to "addr key", it serves SpiceDB (memory datastore, rolegraph's
// schema) on addr until it is killed.
func TestHelperSpiceDBProcess(t *testing.T) {
	v := os.Getenv(spicedbHelperEnv)
	if v == "" {
		t.Skip("helper process for the fault tests")
	}
	addr, key, _ := strings.Cut(v, " ")
	cfg := spicedbtest.Config("", rolegraph.SchemaZed)
	cfg.ListenAddr, cfg.Token = addr, key
	conn, err := cfg.Complete(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "spicedb helper:", err)
		os.Exit(3)
	}
	defer conn.Close()
	fmt.Println("SPICEDB READY")
	select {} // until killed
}

type spicedbProc struct {
	*child
	Addr, Key string
}

// startSpiceDBProcess runs SpiceDB in a child process (this test binary,
// re-executed) and waits until it answers.
func startSpiceDBProcess(t testing.TB) *spicedbProc {
	t.Helper()
	return startSpiceDBProcessOn(t, spicedbtest.FreeAddr(t), spicedbtest.NewKey())
}

// startSpiceDBProcessOn starts the SpiceDB child on addr with key (again,
// after a kill: it starts empty).
func startSpiceDBProcessOn(t testing.TB, addr, key string) *spicedbProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSpiceDBProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), spicedbHelperEnv+"="+addr+" "+key, "GOMAXPROCS=2")
	p := &spicedbProc{child: startChild(t, "spicedb", cmd), Addr: addr, Key: key}
	waitFor(t, "spicedb", 90*time.Second, func() error {
		if !strings.Contains(p.log.String(), "SPICEDB READY") {
			return fmt.Errorf("not ready yet")
		}
		return nil
	}, p.child)
	return p
}

// remoteConfig is a spicedb.Config reaching the child as a remote.
func (p *spicedbProc) remoteConfig() spicedb.Config {
	return spicedb.Config{Endpoint: p.Addr, Token: p.Key}
}

// scanLines returns the lines of s that contain substr.
func scanLines(s, substr string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if strings.Contains(sc.Text(), substr) {
			out = append(out, sc.Text())
		}
	}
	return out
}
