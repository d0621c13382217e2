package e2e

// The rolegraph binary, built once per test run for the process-level
// tests (ops_test.go): started as a child with flags, environment and a
// config file, as an operator would.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Linked into the binary the tests build: what `rolegraph version` must print.
const (
	testVersion = "v0.0.0-e2e"
	testCommit  = "e2e0c0ffee"
)

var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// TestMain removes the binary built for the process tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// rolegraphBinary builds cmd/rolegraph as the image does (static, no cgo,
// version and commit linked in), once per test run.
func rolegraphBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "rolegraph-e2e-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "rolegraph")
		cmd := exec.Command("go", "build",
			"-ldflags", fmt.Sprintf("-X main.version=%s -X main.commit=%s", testVersion, testCommit),
			"-o", built.path, "./cmd/rolegraph")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/rolegraph: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// rolegraphProc is a `rolegraph serve` child process.
type rolegraphProc struct {
	*child
	URL      string // http://addr
	AdminURL string // http://admin-addr, or "" without one
}

// rolegraphCmd is the binary with args and extra environment (on top of
// this process's, less every ROLEGRAPH_ variable a developer may have set).
func rolegraphCmd(t testing.TB, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(rolegraphBinary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ROLEGRAPH_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "GOMAXPROCS=2")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// serveProcess starts `rolegraph serve` on free ports (an admin port too
// when admin) with args and env, and waits until /readyz answers 200.
func serveProcess(t testing.TB, admin bool, env []string, args ...string) *rolegraphProc {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args = append([]string{"serve", "--addr", addr, "--jwt-secret", strings.Repeat("s", 32),
		"--spicedb-dispatch-cache", "16MiB"}, args...)
	p := &rolegraphProc{URL: "http://" + addr}
	if admin {
		adminAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		args = append(args, "--admin-addr", adminAddr)
		p.AdminURL = "http://" + adminAddr
	}
	p.child = startChild(t, "rolegraph", rolegraphCmd(t, env, args...))
	waitFor(t, "rolegraph /readyz", 90*time.Second, func() error {
		code, body, err := httpGet(p.URL + "/readyz")
		if err == nil && code != http.StatusOK {
			err = fmt.Errorf("%d %s", code, body)
		}
		return err
	}, p.child)
	return p
}

// exitCode waits up to d for the process to exit and returns its status
// (-1 if it had to be killed).
func (c *child) exitCode(t testing.TB, d time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(d):
		t.Errorf("%s still running %s after it was told to stop", c.name, d)
		c.kill()
		return -1
	}
	return c.cmd.ProcessState.ExitCode()
}

func httpGet(url string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// readyz returns /readyz's status and JSON body.
func readyz(t testing.TB, base string) (int, map[string]string) {
	t.Helper()
	code, body, err := httpGet(base + "/readyz")
	if err != nil {
		t.Fatalf("/readyz: %v", err)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	return code, m
}
