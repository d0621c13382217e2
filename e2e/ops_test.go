package e2e

// Operating rolegraph as a process (issue 11): graceful drain, migrations
// left to `rolegraph migrate`, the admin listener, readiness through a
// Redis outage, a remote SpiceDB behind a private CA, the outbox gauge,
// version, and the image.

import (
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/spicedb/spicedbtest"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// SIGTERM during a slow request: /readyz fails within 100ms, the listener
// still accepts for half the grace and then stops, the request completes,
// and the process exits 0 within the grace.
func TestOpsGracefulDrain(t *testing.T) {
	const grace = 6 * time.Second // accepts for 3s after SIGTERM
	p := serveProcess(t, false, nil, "--shutdown-grace", grace.String())
	host := strings.TrimPrefix(p.URL, "http://")

	// A request whose body arrives slowly: half now, the rest after the
	// listener has stopped accepting.
	body, bodyW := io.Pipe()
	type result struct {
		code int
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		done <- result{res.StatusCode, string(b), err}
	}()
	if _, err := bodyW.Write([]byte(`{"query": "{ __typ`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the request is in flight

	stopped := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil { // child.signal would wait for the exit
		t.Fatal(err)
	}
	for {
		code, _, err := httpGet(p.URL + "/readyz")
		if err == nil && code == http.StatusServiceUnavailable {
			break
		}
		if since := time.Since(stopped); since > 100*time.Millisecond {
			t.Fatalf("/readyz still %d (%v) %s after SIGTERM", code, err, since)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("/readyz 503 %s after SIGTERM", time.Since(stopped).Round(time.Millisecond))

	// Still accepting a second in: a request routed here before the
	// balancer noticed is answered.
	time.Sleep(time.Second)
	if code, _, err := httpGet(p.URL + "/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("1s after SIGTERM, a new request: %d %v; want it answered", code, err)
	}
	// Past half the grace the listener is closed.
	time.Sleep(grace/2 - time.Second + 500*time.Millisecond)
	if c, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		c.Close()
		t.Fatalf("%s after SIGTERM the listener still accepts", time.Since(stopped).Round(time.Millisecond))
	}
	// The in-flight request completes.
	if _, err := bodyW.Write([]byte(`ename }"}`)); err != nil {
		t.Fatal(err)
	}
	bodyW.Close()
	r := <-done
	if r.err != nil || r.code != http.StatusOK || !strings.Contains(r.body, `"__typename":"Query"`) {
		t.Fatalf("the in-flight request: %d %q %v", r.code, r.body, r.err)
	}
	if code := p.exitCode(t, grace); code != 0 {
		t.Fatalf("exit status %d, want 0", code)
	}
	if took := time.Since(stopped); took > grace+time.Second {
		t.Errorf("stopped %s after SIGTERM, grace %s", took, grace)
	}
	if !strings.Contains(p.log.String(), "stopped") {
		t.Errorf("no \"stopped\" in the log:\n%s", tail(p.log.String(), 2000))
	}
}

// --migrate=false refuses unmigrated databases, naming rolegraph migrate;
// rolegraph migrate migrates both; then serve --migrate=false starts.
func TestOpsMigrateFalse(t *testing.T) {
	entities, datastore := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	serveArgs := []string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--migrate=false",
		"--postgres-url", entities, "--spicedb-datastore", datastore}
	refused := func(what string) {
		t.Helper()
		out, err := rolegraphCmd(t, nil, serveArgs...).CombinedOutput()
		if err == nil {
			t.Fatalf("serve --migrate=false on %s started", what)
		}
		if !strings.Contains(string(out), "rolegraph migrate") || !strings.Contains(string(out), "not migrated") {
			t.Fatalf("serve --migrate=false on %s: %v, and the message does not say to run rolegraph migrate:\n%s", what, err, out)
		}
		t.Logf("%s: %s", what, strings.TrimSpace(string(out)))
	}
	refused("an unmigrated entity store")

	// Only the entity store migrated (as from the environment): SpiceDB's
	// datastore still refuses.
	if out, err := rolegraphCmd(t, []string{"ROLEGRAPH_POSTGRES_URL=" + entities}, "migrate").CombinedOutput(); err != nil {
		t.Fatalf("rolegraph migrate: %v\n%s", err, out)
	}
	refused("an unmigrated SpiceDB datastore")

	if out, err := rolegraphCmd(t, nil, "migrate", "--postgres-url", entities, "--spicedb-datastore", datastore).CombinedOutput(); err != nil {
		t.Fatalf("rolegraph migrate: %v\n%s", err, out)
	}
	p := serveProcess(t, false, nil, serveArgs[3:]...)
	if code, body := readyz(t, p.URL); code != http.StatusOK || body["store"] != "ok" || body["spicedb"] != "ok" {
		t.Fatalf("after rolegraph migrate: /readyz %d %v", code, body)
	}
}

// --admin-addr moves /metrics off the public port and serves pprof there;
// the probes answer on both. Refusals before GraphQL are counted. Settings
// come from a config file and the environment here.
func TestOpsAdminListener(t *testing.T) {
	adminAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfg := filepath.Join(t.TempDir(), "rolegraph.yaml")
	if err := os.WriteFile(cfg, []byte("admin-addr: 127.0.0.1:1\nrequest-timeout: 20s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The environment overrides the file's (unusable) admin address.
	p := serveProcess(t, false, []string{"ROLEGRAPH_ADMIN_ADDR=" + adminAddr}, "--config", cfg)
	admin := "http://" + adminAddr
	for _, c := range []struct {
		url  string
		want int
	}{
		{p.URL + "/metrics", http.StatusNotFound},
		{p.URL + "/debug/pprof/", http.StatusNotFound},
		{p.URL + "/healthz", http.StatusOK},
		{p.URL + "/readyz", http.StatusOK},
		{admin + "/metrics", http.StatusOK},
		{admin + "/debug/pprof/", http.StatusOK},
		{admin + "/debug/pprof/cmdline", http.StatusOK},
		{admin + "/healthz", http.StatusOK},
		{admin + "/readyz", http.StatusOK},
		{admin + "/graphql", http.StatusNotFound},
	} {
		if code, _, err := httpGet(c.url); err != nil || code != c.want {
			t.Errorf("GET %s: %d %v, want %d", c.url, code, err, c.want)
		}
	}

	post := func(contentType, auth, body string) int {
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for range 2 {
		if code := post("application/json", "Bearer not.a.token", `{"query":"{ viewer { id } }"}`); code != http.StatusUnauthorized {
			t.Fatalf("bad token: %d", code)
		}
	}
	if code := post("text/plain", "", `{ __typename }`); code != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain: %d", code)
	}
	if code := post("application/json", "", `{"query":"{ __typename }"}`); code != http.StatusOK {
		t.Fatalf("a good request: %d", code)
	}
	for sample, want := range map[string]float64{
		`rolegraph_http_refused_total{status="401"}`:                       2,
		`rolegraph_http_refused_total{status="415"}`:                       1,
		`rolegraph_http_refused_total{status="413"}`:                       0,
		`rolegraph_graphql_requests_total{operation="query",outcome="ok"}`: 1,
	} {
		if got := metric(t, admin, sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}

	// Without --admin-addr: /metrics on the main port, no pprof anywhere.
	plain := serveProcess(t, false, nil)
	if code, body, _ := httpGet(plain.URL + "/metrics"); code != http.StatusOK || !strings.Contains(body, "rolegraph_outbox_pending") {
		t.Errorf("/metrics without --admin-addr: %d", code)
	}
	if code, _, _ := httpGet(plain.URL + "/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("pprof without --admin-addr: %d", code)
	}
}

// Redis killed: /readyz stays 200 and says redis is degraded; back when
// Redis is.
func TestOpsReadyzRedisKilled(t *testing.T) {
	rp := startRedis(t)
	p := serveProcess(t, true, nil, "--redis-url", rp.URL())
	if code, body := readyz(t, p.URL); code != http.StatusOK || body["redis"] != "ok" {
		t.Fatalf("with Redis: /readyz %d %v", code, body)
	}
	rp.kill()
	for _, base := range []string{p.URL, p.AdminURL} {
		code, body := readyz(t, base)
		if code != http.StatusOK || body["redis"] != "degraded" || body["store"] != "ok" || body["spicedb"] != "ok" {
			t.Fatalf("Redis killed: %s/readyz %d %v; want 200 with redis degraded", base, code, body)
		}
	}
	restartRedis(t, rp)
	waitFor(t, "redis ok in /readyz", 10*time.Second, func() error {
		if code, body := readyz(t, p.URL); code != http.StatusOK || body["redis"] != "ok" {
			return fmt.Errorf("%d %v", code, body)
		}
		return nil
	}, p.child)
}

// --spicedb-ca-path reaches a SpiceDB serving TLS from a CA the test made;
// --spicedb-insecure (plaintext) does not.
func TestOpsRemoteSpiceDBTLS(t *testing.T) {
	files := spicedbtest.NewTLSFiles(t)
	key := spicedbtest.NewKey()
	addr := spicedbtest.FreeAddr(t)
	cfg := spicedbtest.Config("", "")
	cfg.ListenAddr, cfg.Token = addr, key
	cfg.TLSCertPath, cfg.TLSKeyPath, cfg.CAPath = files.Cert, files.Key, files.CA
	spicedbtest.Start(t, cfg)

	env := []string{"ROLEGRAPH_SPICEDB_TOKEN=" + key}
	p := serveProcess(t, false, env, "--spicedb-endpoint", addr, "--spicedb-ca-path", files.CA)
	if code, body := readyz(t, p.URL); code != http.StatusOK || body["spicedb"] != "ok" {
		t.Fatalf("/readyz %d %v", code, body)
	}
	out, err := rolegraphCmd(t, env, "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		"--spicedb-endpoint", addr, "--spicedb-insecure").CombinedOutput()
	if err == nil {
		t.Fatalf("plaintext to a TLS SpiceDB started:\n%s", out)
	}
}

// rolegraph_outbox_pending counts changes committed but not yet applied,
// and drops back once SpiceDB takes them.
func TestOpsOutboxPendingGauge(t *testing.T) {
	var refuse atomic.Bool
	var cfg server.Config
	cfg.SpiceDB.DialOptions = []grpc.DialOption{grpc.WithChainUnaryInterceptor(
		func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			if _, ok := req.(*v1.WriteRelationshipsRequest); ok && refuse.Load() {
				return status.Error(codes.Unavailable, "injected: SpiceDB refuses writes")
			}
			return invoker(ctx, method, req, reply, cc, opts...)
		})}
	srv := startServer(t, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-served })
	url := "http://" + ln.Addr().String()

	w := newWorld(t, srv.Service, 7)
	refuse.Store(true)
	if _, err := srv.Service.SetRoleGrants(ctx, w.owner, w.custom, []model.Grant{{Permission: "interactions.read", Scope: model.ScopeAll}}); !errs.Is(err, errs.Unavailable) {
		t.Fatalf("a change while SpiceDB refuses writes: %v, want UNAVAILABLE (queued)", err)
	}
	pending, err := srv.Store.PendingOutbox(ctx, w.org, 0)
	if err != nil || len(pending) == 0 {
		t.Fatalf("nothing pending (%v): the test does not test anything", err)
	}
	waitFor(t, "rolegraph_outbox_pending", 3*outboxGaugeWait, func() error {
		if got := metric(t, url, "rolegraph_outbox_pending"); got != float64(len(pending)) {
			return fmt.Errorf("gauge %v, want %d", got, len(pending))
		}
		return nil
	}, nil)
	refuse.Store(false)
	waitFor(t, "rolegraph_outbox_pending back to 0", 3*outboxGaugeWait, func() error {
		if got := metric(t, url, "rolegraph_outbox_pending"); got != 0 {
			return fmt.Errorf("gauge %v", got)
		}
		return nil
	}, nil)
}

// outboxGaugeWait is how often the server measures the outbox.
const outboxGaugeWait = 5 * time.Second

// version prints what was linked in, the Go version and SpiceDB's.
func TestOpsVersion(t *testing.T) {
	out, err := rolegraphCmd(t, nil, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"rolegraph " + testVersion, "commit:  " + testCommit, "go:      " + runtime.Version(), "spicedb: v1."} {
		if !strings.Contains(string(out), want) {
			t.Errorf("rolegraph version lacks %q:\n%s", want, out)
		}
	}
}

// The image's runtime stage, built with podman from the binary built here
// (images cannot be pulled on this machine, so the build stage is a
// FROM scratch one holding it): a static binary, a non-root user, the
// entrypoint.
func TestOpsImage(t *testing.T) {
	podman, err := exec.LookPath("podman")
	if err != nil {
		t.Skip("podman is not installed (scripts/test.sh installs it)")
	}
	bin := rolegraphBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader: not static (CGO_ENABLED=0)")
		}
	}
	f.Close()

	dockerfile, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(dockerfile), "FROM scratch AS runtime")
	if i < 0 {
		t.Fatal("the Dockerfile has no FROM scratch AS runtime stage")
	}
	dir := t.TempDir()
	copyFile(t, bin, filepath.Join(dir, "out/rolegraph"), 0o755)
	certs := filepath.Join(dir, "out/etc/ssl/certs/ca-certificates.crt")
	if _, err := os.Stat("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		copyFile(t, "/etc/ssl/certs/ca-certificates.crt", certs, 0o644)
	} else {
		copyFile(t, os.DevNull, certs, 0o644)
	}
	test := "FROM scratch AS build\nCOPY out/ /out/\n\n" + string(dockerfile[i:])
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile.e2e"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("localhost/rolegraph-e2e:%d", time.Now().UnixNano())
	build := exec.Command(podman, "build", "--layers=false", "--target", "runtime", "-f", "Dockerfile.e2e", "-t", tag, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("podman build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(podman, "rmi", "-f", tag).Run() })
	out, err := exec.Command(podman, "image", "inspect", tag).Output()
	if err != nil {
		t.Fatalf("podman image inspect: %v", err)
	}
	var images []struct {
		Config struct {
			User         string
			Entrypoint   []string
			Cmd          []string
			Env          []string
			ExposedPorts map[string]any
		}
	}
	if err := json.Unmarshal(out, &images); err != nil || len(images) != 1 {
		t.Fatalf("podman image inspect: %v\n%s", err, out)
	}
	c := images[0].Config
	if c.User != "65532:65532" {
		t.Errorf("user %q, want 65532:65532 (not root)", c.User)
	}
	if strings.Join(c.Entrypoint, " ") != "/rolegraph" || strings.Join(c.Cmd, " ") != "serve" {
		t.Errorf("entrypoint %q cmd %q, want /rolegraph serve", c.Entrypoint, c.Cmd)
	}
	if !strings.Contains(strings.Join(c.Env, " "), "ROLEGRAPH_ADMIN_ADDR=0.0.0.0:9090") || c.ExposedPorts["9090/tcp"] == nil {
		t.Errorf("env %v ports %v: want the admin port", c.Env, c.ExposedPorts)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}
