package config

import (
	"os"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestReadmeDocumentsEveryFlag: README.md's flag tables are what the flag
// sets generate; after adding or changing a flag run go generate ./config.
func TestReadmeDocumentsEveryFlag(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	want, err := UpdateReadme(readme)
	if err != nil {
		t.Fatal(err)
	}
	if want != readme {
		t.Errorf("README.md's flag tables are stale: run go generate ./config and commit README.md")
	}
	// The generator itself must not drop a flag: each command's table has
	// a row per flag.
	tables := strings.Split(Markdown(), "`rolegraph ")
	for i, c := range Commands() {
		table := tables[i+1]
		if !strings.HasPrefix(table, c.Name+"`") {
			t.Fatalf("table %d is not rolegraph %s's", i, c.Name)
		}
		c.Flags.VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(table, "| `--"+f.Name+"` |") {
				t.Errorf("rolegraph %s --%s has no row in README.md", c.Name, f.Name)
			}
		})
	}
}

// Every setting's variable is named after its flag, and nothing else is
// a setting.
func TestEnvironmentNames(t *testing.T) {
	for _, c := range Commands() {
		c.Flags.VisitAll(func(f *pflag.Flag) {
			if env := Env(f); env != "" && env != EnvName(f.Name) {
				t.Errorf("%s --%s: variable %s, want %s", c.Name, f.Name, env, EnvName(f.Name))
			}
		})
	}
	if got := EnvName("spicedb-ca-path"); got != "ROLEGRAPH_SPICEDB_CA_PATH" {
		t.Errorf("EnvName: %s", got)
	}
}
