// Package config is rolegraph's command line: the flags of every
// subcommand, the plain settings they fill, and how a setting's value is
// found — its default, then a YAML file (--config), then a ROLEGRAPH_…
// environment variable, then the flag itself, each overriding the one
// before. It knows nothing of the server (cmd/rolegraph maps the settings
// onto server.Config), so the flags, their loading and their documentation
// (README.md's tables, generated from these flag sets) are tested without
// linking SpiceDB.
//
//	var s config.Serve
//	fs := config.ServeFlags(&s)
//	_ = fs.Parse(os.Args[2:])
//	err := config.Load(fs) // file and environment fill what the command line left unset
package config

import (
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Defaults of the serve flags. The embedded SpiceDB's sizing repeats the
// spicedb package's defaults (this package must not import it);
// cmd/rolegraph's tests check they agree.
const (
	DefaultAddr              = "127.0.0.1:8080"
	DefaultSpiceDBDatastore  = "memory"
	DefaultDispatchCache     = "64MiB"
	DefaultSpiceDBReadConns  = 8
	DefaultSpiceDBWriteConns = 4
	DefaultDecisionTimeout   = 2 * time.Second
	DefaultExpirySweep       = 30 * time.Second
	DefaultRequestTimeout    = 30 * time.Second
	DefaultDecisionCacheSize = 100_000
	DefaultShutdownGrace     = 15 * time.Second
	DefaultOIDCKeyMaxAge     = time.Hour
	DefaultOIDCKeyRefetch    = 10 * time.Second
	DefaultTokenTTL          = time.Hour
	DefaultLogFormat         = "text"
	DefaultLogLevel          = "info"
	DefaultOTelSampleRatio   = 1.0
	annotationEnv            = "rolegraph_env"
	envPrefix                = "ROLEGRAPH_"
	configFlag               = "config"
)

// SpiceDB says where SpiceDB is. Endpoint empty: embedded, on Datastore.
type SpiceDB struct {
	Endpoint  string
	Token     string
	CAPath    string
	Insecure  bool
	Datastore string
}

// Serve is what `rolegraph serve` reads (API.md, "Running" and "Operations").
type Serve struct {
	Addr      string
	AdminAddr string
	// JWTSecrets: the first signs, all verify.
	JWTSecrets []string
	// OIDC: tokens of one OpenID Connect issuer (API.md, "Real identity").
	OIDCIssuer, OIDCAudience, OIDCOrgClaim string
	// OIDCClientID: the public client the console and GraphiQL sign in as.
	OIDCClientID string
	// OIDCKeyMaxAge and OIDCKeyRefetch: authn.OIDCConfig's KeyMaxAge and
	// RefetchInterval.
	OIDCKeyMaxAge, OIDCKeyRefetch time.Duration
	PublicURL                     string
	PostgresURL                   string
	RedisURL                      string
	SpiceDB                       SpiceDB
	// Embedded SpiceDB sizing.
	DispatchCache         string
	ReadConns, WriteConns int
	Demo, Production      bool
	// CORSOrigins may call /graphql from a browser (server/cors.go).
	CORSOrigins       []string
	Migrate           bool
	Console           bool
	RequestTimeout    time.Duration
	DecisionTimeout   time.Duration
	DecisionCacheSize int
	ShutdownGrace     time.Duration
	// ExpirySweep is how often the expiry sweeper runs (server.Config.SweepInterval).
	ExpirySweep time.Duration
	// Logs and traces (package telemetry).
	LogFormat, LogLevel string
	OTelEndpoint        string
	OTelSampleRatio     float64
}

// Migrate is what `rolegraph migrate` reads.
type Migrate struct {
	PostgresURL      string
	SpiceDBDatastore string
}

// Token is what `rolegraph token` reads.
type Token struct {
	Member, Org string
	// Service names a product's backend: a service token (claims service
	// and org, no sub).
	Service    string
	Operator   bool
	TTL        time.Duration
	JWTSecrets []string
}

// Reconcile is what `rolegraph reconcile` reads.
type Reconcile struct {
	PostgresURL     string
	SpiceDB         SpiceDB
	Orgs            []string
	Repair, Verbose bool
}

// EnvName is the environment variable of a flag: ROLEGRAPH_ and the flag's
// name in upper case with - as _ (--spicedb-ca-path: ROLEGRAPH_SPICEDB_CA_PATH).
func EnvName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// settings marks flags as settings: they also come from the environment
// and the config file. A command's one-off arguments (token --member,
// reconcile --repair) are not marked.
func settings(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		if err := fs.SetAnnotation(n, annotationEnv, []string{EnvName(n)}); err != nil {
			panic(err) // a flag registered in this file is missing: a bug here
		}
	}
}

// Env returns the environment variable of a flag that is a setting, or "".
func Env(f *pflag.Flag) string {
	if v := f.Annotations[annotationEnv]; len(v) == 1 {
		return v[0]
	}
	return ""
}

func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.String(configFlag, "", "YAML file whose keys are flag names (lists as [a, b], durations as 5s); the environment overrides it, flags override both")
	settings(fs, configFlag)
	return fs
}

func jwtSecretsFlag(fs *pflag.FlagSet, p *[]string, usage string) {
	fs.StringSliceVar(p, "jwt-secret", nil, usage)
	settings(fs, "jwt-secret")
}

func spicedbRemoteFlags(fs *pflag.FlagSet, s *SpiceDB) {
	fs.StringVar(&s.Endpoint, "spicedb-endpoint", "", "remote SpiceDB gRPC address (host:port); empty: SpiceDB runs embedded")
	fs.StringVar(&s.Token, "spicedb-token", "", "remote SpiceDB's preshared key (prefer the environment or the config file to the command line, where other users can read it)")
	fs.StringVar(&s.CAPath, "spicedb-ca-path", "", "PEM file of the private CA that signed the remote SpiceDB's certificate (TLS, even to a loopback address)")
	fs.BoolVar(&s.Insecure, "spicedb-insecure", false, "plaintext gRPC to the remote SpiceDB, e.g. a sidecar or inside a cluster's network (loopback addresses are plaintext anyway unless --spicedb-ca-path is set)")
	settings(fs, "spicedb-endpoint", "spicedb-token", "spicedb-ca-path", "spicedb-insecure")
}

// ServeFlags returns the flags of `rolegraph serve`, bound to s.
func ServeFlags(s *Serve) *pflag.FlagSet {
	fs := newFlagSet("serve")
	fs.StringVar(&s.Addr, "addr", DefaultAddr, "HTTP listen address")
	fs.StringVar(&s.AdminAddr, "admin-addr", "", "second listener for /metrics and /debug/pprof/ (/healthz and /readyz answer on both); empty: none, /metrics stays on --addr and pprof is off")
	jwtSecretsFlag(fs, &s.JWTSecrets, "HS256 secrets of bearer tokens, comma-separated: the first signs, all verify; empty: random and printed at start (not with --production)")
	fs.StringVar(&s.OIDCIssuer, "oidc-issuer", "", "accept tokens of this OpenID Connect issuer (its exact URL): keys from its discovery document's jwks_uri, refetched on an unknown kid; RS256, ES256 and EdDSA")
	fs.StringVar(&s.OIDCAudience, "oidc-audience", "", "the aud the OIDC issuer's tokens must carry (required with --oidc-issuer)")
	fs.StringVar(&s.OIDCOrgClaim, "oidc-org-claim", "org_id", "the OIDC token claim naming the organization, matched to Organization.externalId")
	fs.StringVar(&s.OIDCClientID, "oidc-client-id", "", "client id of the console and GraphiQL at the OIDC issuer: they sign in there by authorization code + PKCE (a public client whose redirect URIs are /console/ and /graphiql at the address browsers use); empty: no OIDC sign-in in the browser")
	fs.DurationVar(&s.OIDCKeyMaxAge, "oidc-key-max-age", DefaultOIDCKeyMaxAge, "how long the OIDC issuer's fetched keys verify before they are fetched again: a key the issuer withdraws stops verifying within this (while the issuer is unreachable the fetched keys stay in use)")
	fs.DurationVar(&s.OIDCKeyRefetch, "oidc-key-refetch-interval", DefaultOIDCKeyRefetch, "at most one fetch of the OIDC issuer's keys per this, however many tokens name an unknown kid: a new key is accepted at the latest this long after its first use")
	fs.StringVar(&s.PublicURL, "public-url", "", "base URL of invitation links; empty: http:// and --addr")
	fs.StringVar(&s.PostgresURL, "postgres-url", "", "entity store and outbox (postgres:// URL); empty: in memory, lost at exit")
	fs.StringVar(&s.RedisURL, "redis-url", "", "shared decision cache: redis://[user:pass@]host:port/db (rediss:// for TLS); Sentinel: add ?master_name=NAME (host:port is a sentinel, more with &addr=host:port); Cluster: list two or more nodes with &addr=host:port; empty: in-process cache only")
	spicedbRemoteFlags(fs, &s.SpiceDB)
	fs.StringVar(&s.SpiceDB.Datastore, "spicedb-datastore", DefaultSpiceDBDatastore, "embedded SpiceDB's datastore: memory, or a postgres:// URL (migrated at start unless --migrate=false)")
	fs.StringVar(&s.DispatchCache, "spicedb-dispatch-cache", DefaultDispatchCache, "embedded SpiceDB's dispatch cache: bytes (64MiB) or a share of memory (5%)")
	fs.IntVar(&s.ReadConns, "spicedb-read-conns", DefaultSpiceDBReadConns, "embedded SpiceDB's Postgres datastore: read pool size (a quarter kept open)")
	fs.IntVar(&s.WriteConns, "spicedb-write-conns", DefaultSpiceDBWriteConns, "embedded SpiceDB's Postgres datastore: write pool size (a quarter kept open)")
	fs.BoolVar(&s.Migrate, "migrate", true, "migrate the entity store and the embedded SpiceDB datastore at start; false: refuse to start on an unmigrated database (run rolegraph migrate)")
	fs.BoolVar(&s.Demo, "demo", false, "load a demo organization and print a token per demo member")
	fs.BoolVar(&s.Console, "console", true, "serve the admin console at /console (also with --production)")
	fs.BoolVar(&s.Production, "production", false, "introspection and field suggestions only for callers holding api.explore (GraphiQL stays); a JWT secret of at least 32 bytes required")
	fs.StringSliceVar(&s.CORSOrigins, "cors-origins", nil, "origins (scheme://host[:port], comma-separated) whose pages may call /graphql from a browser: preflights answered, Authorization and Content-Type allowed; empty: no CORS headers at all")
	fs.DurationVar(&s.RequestTimeout, "request-timeout", DefaultRequestTimeout, "bound on one GraphQL request, authentication included (503 past it)")
	fs.DurationVar(&s.DecisionTimeout, "decision-timeout", DefaultDecisionTimeout, "bound on one SpiceDB question before it is answered UNAVAILABLE")
	fs.IntVar(&s.DecisionCacheSize, "decision-cache-size", DefaultDecisionCacheSize, "decisions kept in process (about 200 bytes each), in front of Redis and SpiceDB; 0: none")
	fs.DurationVar(&s.ShutdownGrace, "shutdown-grace", DefaultShutdownGrace, "on SIGTERM: /readyz fails at once, the listener accepts for half of it (at most 5s), in-flight requests finish within it")
	fs.DurationVar(&s.ExpirySweep, "expiry-sweep-interval", DefaultExpirySweep, "how long at most before this replica records an expired temporary role (audit event roleAssignmentExpired) and removes it from the store; it wakes at each expiry it knows of and looks again after each grant it makes, so this bounds only roles granted on another replica less than an interval before they end; replicas sharing Postgres sweep safely together")
	settings(fs, "addr", "admin-addr", "oidc-issuer", "oidc-audience", "oidc-org-claim", "oidc-client-id", "oidc-key-max-age", "oidc-key-refetch-interval", "public-url", "postgres-url", "redis-url", "spicedb-datastore",
		"spicedb-dispatch-cache", "spicedb-read-conns", "spicedb-write-conns", "migrate", "demo", "console", "production",
		"cors-origins", "request-timeout", "decision-timeout", "decision-cache-size", "shutdown-grace", "expiry-sweep-interval")
	telemetryFlags(fs, s)
	return fs
}

// telemetryFlags are serve's logs and traces (API.md, "Operations").
func telemetryFlags(fs *pflag.FlagSet, s *Serve) {
	fs.StringVar(&s.LogFormat, "log-format", DefaultLogFormat, "logs on stderr: json (one object a line, nothing else printed there) or text")
	fs.StringVar(&s.LogLevel, "log-level", DefaultLogLevel, "least severe log level shown: debug (also an access line per probe), info (an access line per request), warn or error")
	fs.StringVar(&s.OTelEndpoint, "otel-endpoint", "", "OpenTelemetry collector receiving traces: http://host:4318 (OTLP/HTTP; /v1/traces is added) or grpc://host:4317 (OTLP/gRPC; https:// and grpcs:// for TLS); empty: no tracing")
	fs.Float64Var(&s.OTelSampleRatio, "otel-sample-ratio", DefaultOTelSampleRatio, "share of the traces started here that are recorded (0 to 1); a caller's W3C traceparent decides for the traces it continues")
	settings(fs, "log-format", "log-level", "otel-endpoint", "otel-sample-ratio")
}

// MigrateFlags returns the flags of `rolegraph migrate`, bound to m.
func MigrateFlags(m *Migrate) *pflag.FlagSet {
	fs := newFlagSet("migrate")
	fs.StringVar(&m.PostgresURL, "postgres-url", "", "entity store to migrate (postgres:// URL)")
	fs.StringVar(&m.SpiceDBDatastore, "spicedb-datastore", "", "embedded SpiceDB's Postgres datastore to migrate (postgres:// URL)")
	settings(fs, "postgres-url", "spicedb-datastore")
	return fs
}

// TokenFlags returns the flags of `rolegraph token`, bound to t.
func TokenFlags(t *Token) *pflag.FlagSet {
	fs := newFlagSet("token")
	fs.StringVar(&t.Member, "member", "", "member id (claim sub)")
	fs.StringVar(&t.Org, "org", "", "organization id (claim org)")
	fs.BoolVar(&t.Operator, "operator", false, "an operator token: may only call createOrganization")
	fs.StringVar(&t.Service, "service", "", "a service token for this backend's name (with --org): may ask can, whoCan and member listings about any member of the organization, never change anything")
	fs.DurationVar(&t.TTL, "ttl", DefaultTokenTTL, "lifetime")
	jwtSecretsFlag(fs, &t.JWTSecrets, "the server's secrets; the first signs")
	return fs
}

// ReconcileFlags returns the flags of `rolegraph reconcile`, bound to r.
func ReconcileFlags(r *Reconcile) *pflag.FlagSet {
	fs := newFlagSet("reconcile")
	fs.StringVar(&r.PostgresURL, "postgres-url", "", "entity store and outbox (postgres:// URL)")
	spicedbRemoteFlags(fs, &r.SpiceDB)
	fs.StringVar(&r.SpiceDB.Datastore, "spicedb-datastore", "", "the embedded SpiceDB's postgres:// datastore, when SpiceDB is embedded")
	fs.StringSliceVar(&r.Orgs, "org", nil, "organization ids to reconcile (repeatable or comma-separated); default: every organization")
	fs.BoolVar(&r.Repair, "repair", false, "write the missing relationships and delete the extra ones")
	fs.BoolVar(&r.Verbose, "verbose", false, "list every drifted relationship")
	settings(fs, "postgres-url", "spicedb-datastore")
	return fs
}

// Probe is what `rolegraph probe` reads.
type Probe struct {
	URL     string
	Timeout time.Duration
}

// ProbeFlags returns the flags of `rolegraph probe`, bound to p.
func ProbeFlags(p *Probe) *pflag.FlagSet {
	fs := pflag.NewFlagSet("probe", pflag.ContinueOnError)
	fs.StringVar(&p.URL, "url", "http://127.0.0.1:8080/readyz", "what to GET; the probe passes on a 200")
	fs.DurationVar(&p.Timeout, "timeout", 3*time.Second, "give up after this long")
	return fs
}

// SchemaPrintFlags returns the flags of `rolegraph schema print`.
func SchemaPrintFlags(out *string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("schema print", pflag.ContinueOnError)
	fs.StringVarP(out, "out", "o", "", "write to this file instead of standard output")
	return fs
}

// Commands lists every subcommand that has flags, with a fresh flag set
// each (bound to throwaway settings): for the documentation and for
// telling a config file's keys from typos.
func Commands() []Command {
	return []Command{
		{"serve", ServeFlags(&Serve{})},
		{"migrate", MigrateFlags(&Migrate{})},
		{"token", TokenFlags(&Token{})},
		{"reconcile", ReconcileFlags(&Reconcile{})},
		{"schema print", SchemaPrintFlags(new(string))},
		{"probe", ProbeFlags(&Probe{})},
	}
}

// Command is a subcommand's name and flags.
type Command struct {
	Name  string
	Flags *pflag.FlagSet
}
