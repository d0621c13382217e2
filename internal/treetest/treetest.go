// Package treetest lets a staleness test regenerate committed output in a
// copy of its sources and compare the two: the gqlgen code, the console
// bundle and the example's GraphQL types are each rebuilt in a temporary
// directory, so a test never writes to the work tree.
package treetest

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Copy copies the files below src to dst. skip, when not nil, names what
// to leave out by its path relative to src (a skipped directory is not
// entered).
func Copy(t testing.TB, src, dst string, skip func(rel string, d fs.DirEntry) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel != "." && skip != nil && skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Files reads every file below root, keyed by its path relative to root.
func Files(t testing.TB, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[rel], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Same fails unless built and committed hold the same files, byte for
// byte; each error names the file and ends with fix, what the developer
// runs to bring the committed copy up to date.
func Same(t testing.TB, built, committed, fix string) {
	t.Helper()
	b, c := Files(t, built), Files(t, committed)
	for name, data := range b {
		if old, ok := c[name]; !ok {
			t.Errorf("%s: the build makes %s, which is not committed: %s", committed, name, fix)
		} else if !bytes.Equal(old, data) {
			t.Errorf("%s: %s differs from what the build makes: %s", committed, name, fix)
		}
	}
	for name := range c {
		if _, ok := b[name]; !ok {
			t.Errorf("%s: %s is committed but the build no longer makes it: %s", committed, name, fix)
		}
	}
}

// NPM builds the npm project at root/project (web/console, examples/web)
// in a copy: its sources without what npm and codegen make (node_modules,
// dist, src/gql), beside a copy of root's schema.graphql at the same
// relative place, as the projects' codegen.ts expects. It runs `npm ci` and
// then each script, and returns the copy of the project. Without npm it
// fails under CI (scripts/test.sh installs it) and skips elsewhere.
func NPM(t testing.TB, root, project string, scripts ...string) string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("npm is missing: scripts/test.sh needs Node.js and npm to build %s", project)
		}
		t.Skipf("npm is missing: %s is not built", project)
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, project)
	made := map[string]bool{"node_modules": true, "dist": true, filepath.Join("src", "gql"): true}
	Copy(t, filepath.Join(root, project), dir, func(rel string, _ fs.DirEntry) bool { return made[rel] })
	sdl, err := os.ReadFile(filepath.Join(root, "schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "schema.graphql"), sdl, 0o644); err != nil {
		t.Fatal(err)
	}
	steps := [][]string{{"ci", "--no-audit", "--no-fund", "--prefer-offline"}}
	for _, s := range scripts {
		steps = append(steps, []string{"run", s})
	}
	for _, args := range steps {
		cmd := exec.Command(npm, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CI=1", "NO_COLOR=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm %s in %s: %v\n%s", strings.Join(args, " "), project, err, out)
		}
	}
	return dir
}
