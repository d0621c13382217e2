package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/config"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/spicedb"
)

// config repeats defaults it cannot import without linking SpiceDB.
func TestDefaultsAgree(t *testing.T) {
	for _, c := range []struct {
		name     string
		got, the any
	}{
		{"dispatch cache", config.DefaultDispatchCache, spicedb.DefaultDispatchCacheMaxCost},
		{"read conns", config.DefaultSpiceDBReadConns, spicedb.DefaultReadConns},
		{"write conns", config.DefaultSpiceDBWriteConns, spicedb.DefaultWriteConns},
		{"decision timeout", config.DefaultDecisionTimeout, authz.DefaultDecisionTimeout},
		{"shutdown grace", config.DefaultShutdownGrace, server.DefaultShutdownGrace},
		{"expiry sweep", config.DefaultExpirySweep, server.DefaultSweepInterval},
		{"OIDC key max age", config.DefaultOIDCKeyMaxAge, authn.DefaultKeyMaxAge},
		{"OIDC key refetch interval", config.DefaultOIDCKeyRefetch, authn.DefaultRefetchInterval},
	} {
		if c.got != c.the {
			t.Errorf("%s: config says %v, the package %v", c.name, c.got, c.the)
		}
	}
}

// Every serve flag reaches server.Config (but --config, read by the
// loader, and --demo, acted on by serve itself).
func TestServeFlagsReachTheServer(t *testing.T) {
	cases := []struct {
		args []string
		ok   func(server.Config) bool
	}{
		{[]string{"--addr=127.0.0.1:9999"}, func(c server.Config) bool { return c.Addr == "127.0.0.1:9999" }},
		{[]string{"--admin-addr=127.0.0.1:9998"}, func(c server.Config) bool { return c.AdminAddr == "127.0.0.1:9998" }},
		{[]string{"--jwt-secret=s3cr3t"}, func(c server.Config) bool { return c.JWTSecret == "s3cr3t" }},
		{[]string{"--jwt-secret=s1,s2,s3"}, func(c server.Config) bool {
			return c.JWTSecret == "s1" && strings.Join(c.JWTVerifySecrets, ",") == "s2,s3"
		}},
		{[]string{"--oidc-issuer=https://idp.example", "--oidc-audience=rg"}, func(c server.Config) bool {
			return c.OIDC.Issuer == "https://idp.example" && c.OIDC.Audience == "rg" && c.OIDC.OrgClaim == "org_id"
		}},
		{[]string{"--oidc-audience=rg", "--oidc-issuer=https://idp.example"}, func(c server.Config) bool { return c.OIDC.Issuer == "https://idp.example" }},
		{[]string{"--oidc-issuer=https://idp.example", "--oidc-audience=rg", "--oidc-org-claim=tenant"}, func(c server.Config) bool { return c.OIDC.OrgClaim == "tenant" }},
		{[]string{"--oidc-issuer=https://idp.example", "--oidc-audience=rg", "--oidc-client-id=rolegraph-console"}, func(c server.Config) bool {
			return c.OIDCClientID == "rolegraph-console"
		}},
		{[]string{"--oidc-issuer=https://idp.example", "--oidc-audience=rg", "--oidc-key-max-age=5m"}, func(c server.Config) bool {
			return c.OIDC.KeyMaxAge == 5*time.Minute && c.OIDC.RefetchInterval == authn.DefaultRefetchInterval
		}},
		{[]string{"--oidc-issuer=https://idp.example", "--oidc-audience=rg", "--oidc-key-refetch-interval=2s"}, func(c server.Config) bool {
			return c.OIDC.RefetchInterval == 2*time.Second && c.OIDC.KeyMaxAge == authn.DefaultKeyMaxAge
		}},
		{[]string{"--cors-origins=https://app.example,http://localhost:5173"}, func(c server.Config) bool {
			return strings.Join(c.CORSOrigins, " ") == "https://app.example http://localhost:5173"
		}},
		{[]string{"--public-url=https://rg.example"}, func(c server.Config) bool { return c.PublicURL == "https://rg.example" }},
		{[]string{"--postgres-url=postgres://db/x"}, func(c server.Config) bool { return c.PostgresURL == "postgres://db/x" }},
		{[]string{"--redis-url=redis://r:6379/0"}, func(c server.Config) bool { return c.RedisURL == "redis://r:6379/0" }},
		{[]string{"--spicedb-endpoint=s:50051"}, func(c server.Config) bool { return c.SpiceDBEndpoint == "s:50051" }},
		{[]string{"--spicedb-token=k"}, func(c server.Config) bool { return c.SpiceDBToken == "k" }},
		{[]string{"--spicedb-endpoint=s:50051", "--spicedb-ca-path=ca.pem"}, func(c server.Config) bool { return c.SpiceDB.CAPath == "ca.pem" }},
		{[]string{"--spicedb-endpoint=s:50051", "--spicedb-insecure"}, func(c server.Config) bool { return c.SpiceDB.Insecure }},
		{[]string{"--spicedb-datastore=postgres://db/s"}, func(c server.Config) bool { return c.SpiceDBDatastore == "postgres://db/s" }},
		{[]string{"--spicedb-dispatch-cache=5%"}, func(c server.Config) bool { return c.SpiceDB.DispatchCacheMaxCost == "5%" }},
		{[]string{"--spicedb-read-conns=3"}, func(c server.Config) bool { return c.SpiceDB.ReadConns == 3 }},
		{[]string{"--spicedb-write-conns=2"}, func(c server.Config) bool { return c.SpiceDB.WriteConns == 2 }},
		{[]string{"--migrate=false"}, func(c server.Config) bool { return c.NoMigrate }},
		{[]string{"--production"}, func(c server.Config) bool { return c.Production }},
		{[]string{"--console=false"}, func(c server.Config) bool { return c.NoConsole }},
		{[]string{"--request-timeout=7s"}, func(c server.Config) bool { return c.RequestTimeout == 7*time.Second }},
		{[]string{"--decision-timeout=300ms"}, func(c server.Config) bool { return c.DecisionTimeout == 300*time.Millisecond }},
		{[]string{"--decision-cache-size=5"}, func(c server.Config) bool { return c.CacheLocalSize == 5 }},
		{[]string{"--decision-cache-size=0"}, func(c server.Config) bool { return c.CacheLocalSize < 0 }},
		{[]string{"--shutdown-grace=3s"}, func(c server.Config) bool { return c.ShutdownGrace == 3*time.Second }},
		{[]string{"--expiry-sweep-interval=5s"}, func(c server.Config) bool { return c.SweepInterval == 5*time.Second }},
		{[]string{"--otel-endpoint=grpc://c:4317"}, func(c server.Config) bool { return c.Trace.Endpoint == "grpc://c:4317" }},
		{[]string{"--otel-sample-ratio=0.25"}, func(c server.Config) bool { return c.Trace.SampleRatio == 0.25 }},
	}
	// --log-format and --log-level build serve's logger, before the
	// server: e2e/telemetry_test.go runs the binary with them.
	covered := map[string]bool{"config": true, "demo": true, "log-format": true, "log-level": true}
	for _, c := range cases {
		var s config.Serve
		fs := config.ServeFlags(&s)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := serverConfig(s)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if !c.ok(cfg) {
			t.Errorf("%v did not reach server.Config: %+v", c.args, cfg)
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(c.args[len(c.args)-1], "--"), "=")
		covered[name] = true
	}
	config.ServeFlags(&config.Serve{}).VisitAll(func(f *pflag.Flag) {
		if !covered[f.Name] {
			t.Errorf("--%s has no case here: does it reach the server?", f.Name)
		}
	})
	var s config.Serve
	fs := config.ServeFlags(&s)
	_ = fs.Parse(nil)
	def, err := serverConfig(s)
	if err != nil || def.NoMigrate || def.NoConsole || def.CacheLocalSize != config.DefaultDecisionCacheSize || def.SpiceDBDatastore != "memory" {
		t.Errorf("defaults map to %+v (%v)", def, err)
	}
}

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

// token signs with the first secret, from the flag or the environment.
func TestToken(t *testing.T) {
	secret := strings.Repeat("k", 32)
	out, err := execute(t, "token", "--member", "mem_1", "--org", "org_1", "--jwt-secret", secret, "--ttl", "5m")
	if err != nil {
		t.Fatal(err)
	}
	c, err := authn.Verify([]byte(secret), strings.TrimSpace(out), time.Now())
	if err != nil || c.Subject != "mem_1" || c.Org != "org_1" || time.Until(c.ExpiresAt) > 5*time.Minute {
		t.Fatalf("token %q: %+v %v", out, c, err)
	}
	t.Setenv("ROLEGRAPH_JWT_SECRET", secret)
	out, err = execute(t, "token", "--operator")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := authn.Verify([]byte(secret), strings.TrimSpace(out), time.Now()); err != nil || !c.Operator {
		t.Fatalf("operator token: %+v %v", c, err)
	}
	if _, err := execute(t, "token", "--member", "mem_1"); err == nil {
		t.Error("a member token without --org")
	}

	// A service token: service and org, no sub; signed with the first of
	// two secrets (rotation).
	out, err = execute(t, "token", "--service", "billing", "--org", "org_1", "--jwt-secret", secret+","+strings.Repeat("o", 32))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := authn.Verify([]byte(secret), strings.TrimSpace(out), time.Now()); err != nil || c.Kind != authn.KindService ||
		c.Service != "billing" || c.Org != "org_1" || c.Subject != "" {
		t.Fatalf("service token: %+v %v", c, err)
	}
	for _, args := range [][]string{
		{"--service", "billing"},
		{"--service", "billing", "--org", "org_1", "--member", "mem_1"},
		{"--service", "billing", "--org", "org_1", "--operator"},
	} {
		if _, err := execute(t, append([]string{"token"}, args...)...); err == nil {
			t.Errorf("token %v: accepted", args)
		}
	}
}

func TestUnknownCommandAndFlag(t *testing.T) {
	if _, err := execute(t, "serv"); err == nil {
		t.Error("unknown command accepted")
	}
	if _, err := execute(t, "serve", "--adr", "x"); err == nil || !strings.Contains(err.Error(), "adr") {
		t.Errorf("unknown flag: %v", err)
	}
	if _, err := execute(t, "migrate"); err == nil || !strings.Contains(err.Error(), "--postgres-url") {
		t.Errorf("migrate with nothing to migrate: %v", err)
	}
}

// probe passes on a 200 only.
func TestProbe(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"stopping"}`))
	}))
	defer srv.Close()
	if _, err := execute(t, "probe", "--url", srv.URL+"/readyz"); err != nil {
		t.Fatal(err)
	}
	status = http.StatusServiceUnavailable
	if _, err := execute(t, "probe", "--url", srv.URL+"/readyz"); err == nil || !strings.Contains(err.Error(), "stopping") {
		t.Fatalf("a 503: %v", err)
	}
	srv.Close()
	if _, err := execute(t, "probe", "--url", srv.URL+"/readyz", "--timeout", "1s"); err == nil {
		t.Fatal("nothing listening: passed")
	}
}

// Without -ldflags -X, version and commit say devel (go test records no
// VCS stamp); the Go and SpiceDB versions come from the build.
func TestVersionDevel(t *testing.T) {
	v := buildVersion()
	if v.Version != devel || v.Commit != devel || !strings.HasPrefix(v.SpiceDB, "v1.") || !strings.HasPrefix(v.Go, "go1.") {
		t.Errorf("%+v", v)
	}
	out, err := execute(t, "version")
	if err != nil || !strings.Contains(out, "rolegraph devel\n") {
		t.Errorf("%q %v", out, err)
	}
}
