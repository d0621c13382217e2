// Command rolegraph is the roles-and-permissions service: serve, migrate,
// schema validate, token.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/store/postgres"
	"github.com/rolegraph/rolegraph/zedcheck"
)

const usage = `rolegraph: roles and permissions over GraphQL on SpiceDB.

Usage:
  rolegraph serve [flags]              run the service (see --help for flags)
  rolegraph migrate --postgres-url URL apply the entity store's SQL migrations
  rolegraph schema validate FILE       check a zed validation file (schema + relationships + assertions)
  rolegraph token --member ID --org ID [--operator] [--ttl 1h]
                                       print a bearer token signed with --jwt-secret
  rolegraph reconcile --postgres-url URL (--spicedb-endpoint ADDR | --spicedb-datastore URL)
                    [--org ID]... [--repair] [--verbose]
                                       compare SpiceDB with the entities, report drift
                                       (exit status 2), and repair it with --repair
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rolegraph:", err)
		if errors.Is(err, errDrift) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("name a command")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stderr)
	case "schema":
		if len(args) < 3 || args[1] != "validate" {
			return errors.New("usage: rolegraph schema validate FILE")
		}
		return validate(ctx, args[2], stdout)
	case "token":
		return token(args[1:], stdout, stderr)
	case "reconcile":
		return reconcileCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// env returns the environment's value for a flag's variable, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envDuration reads a Go duration (2s, 500ms); unset is 0.
func envDuration(name string) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: want a duration such as 2s or 500ms", name, v)
	}
	return d, nil
}

func envBool(name string) bool {
	v := strings.ToLower(os.Getenv(name))
	return v == "1" || v == "true" || v == "yes"
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c server.Config
	fs.StringVar(&c.Addr, "addr", env("ROLEGRAPH_ADDR", "127.0.0.1:8080"), "HTTP listen address (ROLEGRAPH_ADDR)")
	fs.StringVar(&c.JWTSecret, "jwt-secret", env("ROLEGRAPH_JWT_SECRET", ""), "HS256 key that signs bearer tokens; random and printed when empty, outside production (ROLEGRAPH_JWT_SECRET)")
	fs.StringVar(&c.PostgresURL, "postgres-url", env("ROLEGRAPH_POSTGRES_URL", ""), "entity store and outbox; empty: in memory (ROLEGRAPH_POSTGRES_URL)")
	fs.StringVar(&c.RedisURL, "redis-url", env("ROLEGRAPH_REDIS_URL", ""), "shared decision cache; empty: in-process only (ROLEGRAPH_REDIS_URL)")
	fs.StringVar(&c.SpiceDBEndpoint, "spicedb-endpoint", env("ROLEGRAPH_SPICEDB_ENDPOINT", ""), "remote SpiceDB gRPC address, key in ROLEGRAPH_SPICEDB_TOKEN; empty: embedded (ROLEGRAPH_SPICEDB_ENDPOINT)")
	fs.StringVar(&c.SpiceDBDatastore, "spicedb-datastore", env("ROLEGRAPH_SPICEDB_DATASTORE", "memory"), "embedded SpiceDB datastore: memory or a postgres:// URL, migrated at start (ROLEGRAPH_SPICEDB_DATASTORE)")
	fs.StringVar(&c.PublicURL, "public-url", env("ROLEGRAPH_PUBLIC_URL", ""), "base URL of invitation links; default http://ADDR (ROLEGRAPH_PUBLIC_URL)")
	fs.StringVar(&c.SpiceDB.DispatchCacheMaxCost, "spicedb-dispatch-cache", env("ROLEGRAPH_SPICEDB_DISPATCH_CACHE", ""), "embedded SpiceDB dispatch cache size, e.g. 64MiB (ROLEGRAPH_SPICEDB_DISPATCH_CACHE)")
	decisionTimeout, err := envDuration("ROLEGRAPH_DECISION_TIMEOUT")
	if err != nil {
		return err
	}
	fs.DurationVar(&c.DecisionTimeout, "decision-timeout", decisionTimeout, "bound on one SpiceDB check before it is answered UNAVAILABLE; 0: 2s (ROLEGRAPH_DECISION_TIMEOUT)")
	demoFlag := fs.Bool("demo", envBool("ROLEGRAPH_DEMO"), "load a demo organization and print a token per demo member (ROLEGRAPH_DEMO)")
	fs.BoolVar(&c.Production, "production", envBool("ROLEGRAPH_PRODUCTION"), "no introspection, no GraphiQL, no field suggestions, secrets required (ROLEGRAPH_PRODUCTION)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c.SpiceDBToken = os.Getenv("ROLEGRAPH_SPICEDB_TOKEN")
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c.Log = log

	srv, err := c.Complete(ctx)
	if err != nil {
		return err
	}
	defer srv.Close()
	if srv.SecretGenerated {
		fmt.Fprintf(stdout, "JWT secret (dev mode, random): %s\n", srv.Secret)
	}
	if *demoFlag {
		d, err := demo.Load(ctx, srv.Service)
		if err != nil {
			return fmt.Errorf("loading the demo organization: %w", err)
		}
		srv.SetDemo(d) // sign-in as a demo member in /console and /graphiql
		if err := d.PrintTokens(stdout, srv.Token, "http://"+c.Addr); err != nil {
			return err
		}
	}
	log.Info("rolegraph serving", "addr", c.Addr, "spicedb", srv.SpiceDB.Mode, "store", storeKind(c.PostgresURL),
		"graphiql", !c.Production)
	fmt.Fprintf(stdout, "rolegraph listening on http://%s  (GraphQL: /graphql", c.Addr)
	if !c.Production {
		fmt.Fprint(stdout, ", GraphiQL: /graphiql")
	}
	fmt.Fprintln(stdout, ")")
	return srv.Run(ctx)
}

func storeKind(url string) string {
	if url == "" {
		return "memory"
	}
	return "postgres"
}

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("postgres-url", env("ROLEGRAPH_POSTGRES_URL", ""), "entity store (ROLEGRAPH_POSTGRES_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return errors.New("migrate needs --postgres-url (or ROLEGRAPH_POSTGRES_URL)")
	}
	return postgres.Migrate(ctx, *url)
}

func validate(ctx context.Context, path string, stdout io.Writer) error {
	rep, err := zedcheck.ValidateFile(ctx, path)
	if err != nil {
		return err
	}
	if !rep.OK() {
		fmt.Fprint(stdout, rep.String())
		return fmt.Errorf("%s: %d problems", path, len(rep.Problems()))
	}
	fmt.Fprintf(stdout, "%s: schema, relationships, assertions and validation all hold\n", path)
	return nil
}

func token(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	member := fs.String("member", "", "member id (claim sub)")
	org := fs.String("org", "", "organization id (claim org)")
	operator := fs.Bool("operator", false, "an operator token: may only call createOrganization")
	ttl := fs.Duration("ttl", time.Hour, "lifetime")
	secret := fs.String("jwt-secret", env("ROLEGRAPH_JWT_SECRET", ""), "the server's secret (ROLEGRAPH_JWT_SECRET)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *secret == "" {
		return errors.New("token needs --jwt-secret (or ROLEGRAPH_JWT_SECRET): the secret the server signs with")
	}
	t, err := authn.Issue([]byte(*secret), authn.Claims{Subject: *member, Org: *org, Operator: *operator}, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, t)
	return nil
}

// errDrift makes reconcile exit with status 2: the comparison ran and found
// drift (without --repair), as opposed to failing to run (status 1).
var errDrift = errors.New("drift found")

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func reconcileCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pgURL := fs.String("postgres-url", env("ROLEGRAPH_POSTGRES_URL", ""), "entity store and outbox (ROLEGRAPH_POSTGRES_URL)")
	endpoint := fs.String("spicedb-endpoint", env("ROLEGRAPH_SPICEDB_ENDPOINT", ""), "remote SpiceDB gRPC address, key in ROLEGRAPH_SPICEDB_TOKEN (ROLEGRAPH_SPICEDB_ENDPOINT)")
	datastore := fs.String("spicedb-datastore", env("ROLEGRAPH_SPICEDB_DATASTORE", ""), "the embedded SpiceDB's postgres:// datastore, when SpiceDB is embedded (ROLEGRAPH_SPICEDB_DATASTORE)")
	var orgs listFlag
	fs.Var(&orgs, "org", "organization id to reconcile (repeatable); default: every organization")
	repair := fs.Bool("repair", false, "write the missing relationships and delete the extra ones")
	verbose := fs.Bool("verbose", false, "list every drifted relationship")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pgURL == "" {
		return errors.New("reconcile needs --postgres-url (or ROLEGRAPH_POSTGRES_URL): the memory store lives only inside a serving process")
	}
	if *endpoint == "" && (*datastore == "" || *datastore == "memory") {
		return errors.New("reconcile needs --spicedb-endpoint, or --spicedb-datastore with the embedded SpiceDB's postgres:// datastore")
	}
	st, err := postgres.Open(ctx, *pgURL)
	if err != nil {
		return err
	}
	defer st.Close()
	sc := spicedb.Config{Endpoint: *endpoint, Token: os.Getenv("ROLEGRAPH_SPICEDB_TOKEN")}
	if *endpoint == "" {
		sc.Datastore = *datastore
	}
	conn, err := sc.Complete(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	az := authz.New(conn.Client, authz.WithLogger(log))
	r := reconcile.New(st, az, outbox.New(st, az, outbox.WithLogger(log)), conn.Client, catalog.Default())
	sum, err := r.All(ctx, orgs, *repair, *verbose, stdout)
	if err != nil {
		return err
	}
	if sum.Unrepaired > 0 {
		return fmt.Errorf("%d organizations still drifted after the repair", sum.Unrepaired)
	}
	if sum.Drifted > 0 && !*repair {
		return fmt.Errorf("%w in %d of %d organizations (run with --repair to fix)", errDrift, sum.Drifted, sum.Orgs)
	}
	return nil
}
