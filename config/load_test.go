package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// parse runs the serve flags over args, the environment and the file like
// the command does.
func parse(t *testing.T, args []string) (*Serve, error) {
	t.Helper()
	var s Serve
	fs := ServeFlags(&s)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return &s, Load(fs)
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rolegraph.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPrecedence: for a setting of each type, the default is overridden by
// the file, the file by the environment, and both by the flag.
func TestPrecedence(t *testing.T) {
	cases := []struct {
		name string
		get  func(*Serve) any
		// yaml is the file's line; env, flag the other layers' text; want
		// the value each layer produces: default, file, env, flag.
		yaml, env, flag string
		want            [4]any
	}{
		{"addr", func(s *Serve) any { return s.Addr },
			"addr: 127.0.0.1:1001", "127.0.0.1:1002", "127.0.0.1:1003",
			[4]any{DefaultAddr, "127.0.0.1:1001", "127.0.0.1:1002", "127.0.0.1:1003"}},
		{"production", func(s *Serve) any { return s.Production },
			"production: true", "false", "true",
			[4]any{false, true, false, true}},
		{"migrate", func(s *Serve) any { return s.Migrate },
			"migrate: false", "true", "false",
			[4]any{true, false, true, false}},
		{"shutdown-grace", func(s *Serve) any { return s.ShutdownGrace },
			"shutdown-grace: 5s", "7s", "9s",
			[4]any{DefaultShutdownGrace, 5 * time.Second, 7 * time.Second, 9 * time.Second}},
		{"decision-cache-size", func(s *Serve) any { return s.DecisionCacheSize },
			"decision-cache-size: 10", "20", "30",
			[4]any{DefaultDecisionCacheSize, 10, 20, 30}},
		{"jwt-secret", func(s *Serve) any { return s.JWTSecrets },
			"jwt-secret: [file1, file2]", "env1,env2", "flag1,flag2",
			[4]any{[]string(nil), []string{"file1", "file2"}, []string{"env1", "env2"}, []string{"flag1", "flag2"}}},
		{"spicedb-insecure", func(s *Serve) any { return s.SpiceDB.Insecure },
			"spicedb-insecure: true", "false", "true",
			[4]any{false, true, false, true}},
		{"request-timeout", func(s *Serve) any { return s.RequestTimeout },
			"request-timeout: 1m", "2m", "3m",
			[4]any{DefaultRequestTimeout, time.Minute, 2 * time.Minute, 3 * time.Minute}},
	}
	for _, c := range cases {
		for layer, name := range []string{"default", "file", "env", "flag"} {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				var args []string
				if layer >= 1 {
					args = append(args, "--config", writeFile(t, c.yaml+"\n"))
				}
				if layer >= 2 {
					t.Setenv(EnvName(c.name), c.env)
				}
				if layer >= 3 {
					args = append(args, "--"+c.name+"="+c.flag)
				}
				s, err := parse(t, args)
				if err != nil {
					t.Fatal(err)
				}
				if got := c.get(s); !reflect.DeepEqual(got, c.want[layer]) {
					t.Errorf("%s with %v: got %#v, want %#v", c.name, args, got, c.want[layer])
				}
			})
		}
	}
}

// A list in the file whose element holds a comma stays one element; a
// list in the environment is comma-separated.
func TestListValues(t *testing.T) {
	p := writeFile(t, "jwt-secret:\n  - \"a,b\"\n  - c\n")
	s, err := parse(t, []string{"--config", p})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a,b", "c"}; !reflect.DeepEqual(s.JWTSecrets, want) {
		t.Errorf("got %q, want %q", s.JWTSecrets, want)
	}
}

// ROLEGRAPH_CONFIG names the file when --config does not; --config wins.
func TestConfigFileFromEnvironment(t *testing.T) {
	fromEnv := writeFile(t, "addr: 127.0.0.1:2001\n")
	fromFlag := writeFile(t, "addr: 127.0.0.1:2002\n")
	t.Setenv("ROLEGRAPH_CONFIG", fromEnv)
	s, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:2001" {
		t.Errorf("ROLEGRAPH_CONFIG: addr %q", s.Addr)
	}
	s, err = parse(t, []string{"--config", fromFlag})
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:2002" {
		t.Errorf("--config over ROLEGRAPH_CONFIG: addr %q", s.Addr)
	}
}

// An empty variable is unset: the file's value stays.
func TestEmptyEnvironmentIsUnset(t *testing.T) {
	t.Setenv("ROLEGRAPH_ADDR", "")
	s, err := parse(t, []string{"--config", writeFile(t, "addr: 127.0.0.1:3001\n")})
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:3001" {
		t.Errorf("addr %q", s.Addr)
	}
}

// Bad values say where they came from; unknown keys are refused.
func TestInvalidSettings(t *testing.T) {
	cases := []struct {
		name, yaml, envName, envValue string
		wantIn                        []string
	}{
		{"unknown key", "adr: x\n", "", "", []string{"unknown keys adr", "flag names"}},
		{"nested key", "spicedb:\n  endpoint: x\n", "", "", []string{"spicedb.endpoint"}},
		{"config inside config", "config: other.yaml\n", "", "", []string{"unknown keys config"}},
		{"duration without unit", "shutdown-grace: 5\n", "", "", []string{"rolegraph.yaml: shutdown-grace", "missing unit"}},
		{"list for a scalar", "addr: [a, b]\n", "", "", []string{"a list, but --addr takes one string"}},
		{"map for a scalar", "addr:\n  a: b\n", "", "", []string{"unknown keys addr.a"}},
		{"bad int in environment", "", "ROLEGRAPH_DECISION_CACHE_SIZE", "many", []string{"ROLEGRAPH_DECISION_CACHE_SIZE", "many"}},
		{"bad bool in environment", "", "ROLEGRAPH_MIGRATE", "perhaps", []string{"ROLEGRAPH_MIGRATE", "perhaps"}},
		{"not YAML", "addr: [\n", "", "", []string{"--config"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var args []string
			if c.yaml != "" {
				args = []string{"--config", writeFile(t, c.yaml)}
			}
			if c.envName != "" {
				t.Setenv(c.envName, c.envValue)
			}
			_, err := parse(t, args)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			for _, w := range c.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// One file serves every command: a key another command reads is no error,
// and a command takes only its own settings from it.
func TestSharedFile(t *testing.T) {
	p := writeFile(t, "addr: 127.0.0.1:4001\npostgres-url: postgres://db/x\nspicedb-datastore: postgres://db/s\n")
	var m Migrate
	fs := MigrateFlags(&m)
	if err := fs.Parse([]string{"--config", p}); err != nil {
		t.Fatal(err)
	}
	if err := Load(fs); err != nil {
		t.Fatal(err)
	}
	if m.PostgresURL != "postgres://db/x" || m.SpiceDBDatastore != "postgres://db/s" {
		t.Errorf("migrate read %+v", m)
	}
}

// One-off arguments (token --member) are not settings: the environment
// does not reach them.
func TestArgumentsAreNotSettings(t *testing.T) {
	t.Setenv("ROLEGRAPH_MEMBER", "mem_from_env")
	t.Setenv("ROLEGRAPH_JWT_SECRET", "s1")
	var tok Token
	fs := TokenFlags(&tok)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := Load(fs); err != nil {
		t.Fatal(err)
	}
	if tok.Member != "" || !reflect.DeepEqual(tok.JWTSecrets, []string{"s1"}) {
		t.Errorf("token read %+v", tok)
	}
}

// Validate names the flag whose value cannot work.
func TestValidate(t *testing.T) {
	for _, c := range []struct {
		args   []string
		wantIn string
	}{
		{[]string{"--shutdown-grace=0s"}, "--shutdown-grace"},
		{[]string{"--request-timeout=-1s"}, "--request-timeout"},
		{[]string{"--spicedb-read-conns=0"}, "--spicedb-read-conns"},
		{[]string{"--decision-cache-size=-1"}, "--decision-cache-size"},
		{[]string{"--admin-addr=127.0.0.1:8080"}, "--admin-addr"},
		{[]string{"--spicedb-insecure"}, "--spicedb-endpoint"},
		{[]string{"--spicedb-endpoint=s:50051", "--spicedb-insecure", "--spicedb-ca-path=ca.pem"}, "choose one"},
		{[]string{"--jwt-secret=a,,b"}, "empty secret"},
		{[]string{"--oidc-client-id=rolegraph-console"}, "--oidc-issuer"},
		{[]string{"--oidc-key-max-age=0s"}, "--oidc-key-max-age"},
		{[]string{"--oidc-key-refetch-interval=-1s"}, "--oidc-key-refetch-interval"},
		{[]string{"--oidc-key-max-age=5s", "--oidc-key-refetch-interval=10s"}, "shorten the interval"},
		{[]string{"--oidc-key-max-age=5m", "--oidc-key-refetch-interval=2s"}, ""},
		{[]string{"--oidc-issuer=https://idp.example", "--oidc-audience=rg", "--oidc-client-id=rolegraph-console"}, ""},
		{[]string{"--log-format=yaml"}, "--log-format"},
		{[]string{"--log-level=trace"}, "--log-level"},
		{[]string{"--otel-sample-ratio=1.5"}, "--otel-sample-ratio"},
		{[]string{"--otel-endpoint=collector:4318"}, "--otel-endpoint"},
		{[]string{"--otel-endpoint=ftp://collector:4318"}, "--otel-endpoint"},
		{[]string{"--log-format=json", "--log-level=debug", "--otel-endpoint=grpcs://c:4317", "--otel-sample-ratio=0"}, ""},
		{nil, ""},
		{[]string{"--decision-cache-size=0", "--spicedb-endpoint=s:50051", "--spicedb-ca-path=ca.pem"}, ""},
	} {
		s, err := parse(t, c.args)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate()
		if c.wantIn == "" {
			if err != nil {
				t.Errorf("%v: %v", c.args, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.wantIn) {
			t.Errorf("%v: got %v, want an error naming %s", c.args, err, c.wantIn)
		}
	}
	if err := (Migrate{}).Validate(); err == nil {
		t.Error("migrate with nothing to migrate")
	}
	if err := (Reconcile{PostgresURL: "postgres://x"}).Validate(); err == nil {
		t.Error("reconcile without SpiceDB")
	}
}
