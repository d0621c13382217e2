package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/internal/treetest"
)

// exampleQuery is what examples/web/src/main.ts asks; the test asks it
// too, over its own client, to know what the example must print.
const exampleQuery = `{ viewer { name } interactions(first: 5) { totalCount edges { node { id title viewerCan { read write delete download } } } } }`

// The typed client of examples/web, as its README runs it: `npm ci`,
// codegen from the committed schema.graphql, `tsc` (which type-checks the
// generated types against the query), then `node dist/main.js` against a
// demo server. Its table must show what the API answers the same token,
// and a token the server refuses must make it fail. The build runs in a
// copy, so the work tree is never touched; the regenerated src/gql must
// equal the committed one.
func TestExampleWeb(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the example's npm install and build take half a minute")
	}
	t.Parallel() // answers only (forEachBackendAtOnce): npm waits on disk, not on the cores
	// codegen, then tsc: fails on a type error, emits dist/.
	dir := treetest.NPM(t, "..", filepath.Join("examples", "web"), "codegen", "build")
	treetest.Same(t, filepath.Join(dir, "src", "gql"), filepath.Join("..", "examples", "web", "src", "gql"),
		"run `npm ci && npm run codegen` in examples/web and commit examples/web/src/gql")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("npm is installed but node is not on PATH")
	}

	e := newEnv(t, memoryBackend)
	_, d := loadDemo(t, e)
	run := func(t *testing.T, token string) (stdout, stderr string, err error) {
		t.Helper()
		cmd := exec.Command(node, filepath.Join("dist", "main.js"))
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ROLEGRAPH_URL="+e.url, "ROLEGRAPH_TOKEN="+token, "NO_COLOR=1")
		var o, x bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &x
		err = cmd.Run()
		return o.String(), x.String(), err
	}

	for _, label := range []string{"manager-sales", "owner", "guest"} {
		t.Run(label, func(t *testing.T) {
			var id string
			for _, p := range d.People {
				if p.Label == label {
					id = p.ID
				}
			}
			if id == "" {
				t.Fatalf("the demo has no %s", label)
			}
			c := e.as(d.OrgID, id)
			want := c.ok(exampleQuery, nil)
			out, errOut, err := run(t, c.token)
			if err != nil {
				t.Fatalf("node dist/main.js: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
			}
			t.Logf("the example printed:\n%s", out)
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			edges := get(want, "interactions", "edges").([]any)
			head := []string{
				"viewer: " + str(want, "viewer", "name"),
				fmt.Sprintf("interactions: %d of %v", len(edges), get(want, "interactions", "totalCount")),
				"id title read write delete download", // padded columns
			}
			if len(lines) != len(head)+len(edges) {
				t.Fatalf("the example printed %d lines, want %d:\n%s", len(lines), len(head)+len(edges), out)
			}
			for i, h := range head {
				got := lines[i]
				if i == 2 {
					got = strings.Join(strings.Fields(got), " ")
				}
				if got != h {
					t.Errorf("line %d: %q, want %q", i+1, got, h)
				}
			}
			if label != "guest" && len(edges) == 0 {
				t.Fatalf("the demo %s reads no interactions, nothing to compare", label)
			}
			yn := map[bool]string{true: "yes", false: "no"}
			for i, ed := range edges {
				n := get(ed, "node")
				f := strings.Fields(lines[len(head)+i])
				if len(f) < 6 {
					t.Fatalf("row %d has %d columns: %q", i+1, len(f), lines[len(head)+i])
				}
				got := []string{f[0], strings.Join(f[1:len(f)-4], " ")}
				got = append(got, f[len(f)-4:]...)
				exp := []string{str(n, "id"), strings.Join(strings.Fields(str(n, "title")), " ")}
				for _, p := range []string{"read", "write", "delete", "download"} {
					exp = append(exp, yn[get(n, "viewerCan", p) == true])
				}
				if strings.Join(got, "|") != strings.Join(exp, "|") {
					t.Errorf("row %d: %q, want %q", i+1, got, exp)
				}
			}
		})
	}

	t.Run("refused token fails", func(t *testing.T) {
		// A token for a member who does not exist: well signed, refused.
		tok, err := e.srv.Token(d.OrgID, "00000000-0000-0000-0000-000000000000", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for name, token := range map[string]string{"unknown member": tok, "garbage": "not-a-token"} {
			out, errOut, err := run(t, token)
			if err == nil {
				t.Errorf("%s: the example exited 0 on a refused token:\n%s", name, out)
			} else if !strings.Contains(errOut, "UNAUTHENTICATED") {
				t.Errorf("%s: stderr does not name UNAUTHENTICATED:\n%s", name, errOut)
			}
		}
	})
}
