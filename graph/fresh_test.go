package graph_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/internal/treetest"
)

// TestGeneratedCodeIsFresh regenerates the gqlgen code in a copy of the
// module and fails when it differs from what is committed: edit
// schema/*.graphqls or gqlgen.yml, then run
// `go run github.com/99designs/gqlgen generate` and commit the result.
func TestGeneratedCodeIsFresh(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	// The module's Go code and what gqlgen reads: nothing under dot
	// directories (.git), nothing gqlgen neither reads nor writes.
	inputs := map[string]bool{"go.mod": true, "go.sum": true, "gqlgen.yml": true}
	treetest.Copy(t, root, work, func(rel string, d fs.DirEntry) bool {
		if d.IsDir() {
			return strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules"
		}
		switch filepath.Ext(rel) {
		case ".go", ".graphqls", ".zed", ".sql":
			return false
		}
		return !inputs[rel]
	})
	cmd := exec.Command("go", "run", "github.com/99designs/gqlgen", "generate")
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gqlgen generate: %v\n%s", err, out)
	}
	for _, dir := range []string{"graph", "resolvers"} {
		err := filepath.WalkDir(filepath.Join(work, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel, _ := filepath.Rel(work, path)
			want, _ := os.ReadFile(path)
			got, err := os.ReadFile(filepath.Join(root, rel))
			if err != nil {
				t.Errorf("%s is generated but not committed", rel)
				return nil
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s is stale: run `go run github.com/99designs/gqlgen generate` and commit", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
