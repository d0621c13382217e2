package config

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// compose.yaml, as far as it can be checked without a container engine.
type composeFile struct {
	Services map[string]struct {
		Image       string         `yaml:"image"`
		Build       any            `yaml:"build"`
		Command     []string       `yaml:"command"`
		Environment map[string]any `yaml:"environment"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck *struct {
			Test    []string `yaml:"test"`
			Disable bool     `yaml:"disable"`
		} `yaml:"healthcheck"`
		Ports []string `yaml:"ports"`
	} `yaml:"services"`
}

func readCompose(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile("../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c
}

// TestCompose: two rolegraph replicas behind one Postgres, Redis and a
// SpiceDB on Postgres, migrated by one-shot services, every long-running
// service with a healthcheck that needs no shell in rolegraph's image.
func TestCompose(t *testing.T) {
	c := readCompose(t)
	for _, name := range []string{"postgres", "redis", "spicedb-migrate", "spicedb", "rolegraph-migrate", "rolegraph-1", "rolegraph-2"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("no service %s", name)
		}
	}
	if t.Failed() {
		return
	}
	for _, name := range []string{"postgres", "redis", "spicedb", "rolegraph-1", "rolegraph-2"} {
		hc := c.Services[name].Healthcheck
		if hc == nil || hc.Disable || len(hc.Test) < 2 || (hc.Test[0] != "CMD" && hc.Test[0] != "CMD-SHELL") {
			t.Errorf("%s: no healthcheck: %+v", name, hc)
		}
	}
	one, two := c.Services["rolegraph-1"], c.Services["rolegraph-2"]
	if one.Image == "" || one.Image != two.Image || one.Build == nil {
		t.Errorf("the replicas do not run the one image built here: %q %q", one.Image, two.Image)
	}
	if slices.Equal(one.Ports, two.Ports) {
		t.Errorf("the replicas publish the same ports %v", one.Ports)
	}
	for _, name := range []string{"rolegraph-1", "rolegraph-2"} {
		s := c.Services[name]
		if len(s.Command) != 0 && s.Command[0] != "serve" {
			t.Errorf("%s runs %v, not serve", name, s.Command)
		}
		if fmt.Sprint(s.Environment["ROLEGRAPH_MIGRATE"]) != "false" {
			t.Errorf("%s migrates at start: migrations belong to the one-shot services", name)
		}
		if s.DependsOn["rolegraph-migrate"].Condition != "service_completed_successfully" ||
			s.DependsOn["spicedb"].Condition != "service_healthy" {
			t.Errorf("%s does not wait for its migration and SpiceDB: %+v", name, s.DependsOn)
		}
		if hc := s.Healthcheck.Test; hc[0] != "CMD" || hc[1] != "/rolegraph" || !slices.Contains(hc, "probe") {
			t.Errorf("%s: the image has no shell, its healthcheck must run /rolegraph probe: %v", name, hc)
		}
		if s.Environment["ROLEGRAPH_POSTGRES_URL"] == nil || s.Environment["ROLEGRAPH_REDIS_URL"] == nil || s.Environment["ROLEGRAPH_SPICEDB_ENDPOINT"] == nil {
			t.Errorf("%s does not use the shared Postgres, Redis and SpiceDB: %v", name, s.Environment)
		}
	}
	if m := c.Services["rolegraph-migrate"]; !slices.Equal(m.Command, []string{"migrate"}) || m.Image != one.Image {
		t.Errorf("rolegraph-migrate: %v on %q", m.Command, m.Image)
	}
	if m := c.Services["spicedb-migrate"]; !slices.Contains(m.Command, "migrate") || m.Environment["SPICEDB_DATASTORE_ENGINE"] != "postgres" {
		t.Errorf("spicedb-migrate: %v %v", m.Command, m.Environment)
	}
	if s := c.Services["spicedb"]; s.Environment["SPICEDB_DATASTORE_ENGINE"] != "postgres" || s.DependsOn["spicedb-migrate"].Condition != "service_completed_successfully" {
		t.Errorf("spicedb is not on a migrated Postgres datastore: %v %v", s.Environment, s.DependsOn)
	}
}

// Every ROLEGRAPH_ variable compose.yaml sets is a setting of the command
// its service runs (serve, or migrate); a misspelt one would be ignored.
func TestComposeVariablesAreSettings(t *testing.T) {
	settingsOf := map[string][]string{}
	for _, cmd := range Commands() {
		cmd.Flags.VisitAll(func(f *pflag.Flag) {
			if env := Env(f); env != "" {
				settingsOf[cmd.Name] = append(settingsOf[cmd.Name], env)
			}
		})
	}
	seen := 0
	for name, s := range readCompose(t).Services {
		cmd := "serve"
		if len(s.Command) > 0 {
			cmd = s.Command[0]
		}
		for v := range s.Environment {
			if !strings.HasPrefix(v, envPrefix) {
				continue
			}
			seen++
			if !slices.Contains(settingsOf["serve"], v) && !slices.Contains(settingsOf[cmd], v) {
				t.Errorf("%s sets %s, which is no setting of rolegraph %s", name, v, cmd)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no ROLEGRAPH_ variables found: the test does not test anything")
	}
}

// The Dockerfile's runtime stage is an empty base with the binary, run as
// a non-root user, built without cgo (e2e/ops_test.go builds it).
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := string(b)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^FROM scratch AS runtime$`),
		regexp.MustCompile(`(?m)CGO_ENABLED=0`),
		regexp.MustCompile(`(?m)^USER 65532:65532$`),
		regexp.MustCompile(`(?m)^ENTRYPOINT \["/rolegraph"\]$`),
		regexp.MustCompile(`(?m)-X main\.version=\$\{VERSION\} -X main\.commit=\$\{COMMIT\}`),
	} {
		if !want.MatchString(d) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	runtime := d[strings.Index(d, "FROM scratch AS runtime"):]
	if strings.Contains(runtime, "RUN ") {
		t.Error("the runtime stage RUNs something: it has no shell")
	}
	for _, v := range regexp.MustCompile(`ROLEGRAPH_[A-Z_]+`).FindAllString(d, -1) {
		found := false
		for _, cmd := range Commands() {
			cmd.Flags.VisitAll(func(f *pflag.Flag) { found = found || Env(f) == v })
		}
		if !found {
			t.Errorf("Dockerfile sets %s, which is no setting", v)
		}
	}
}
