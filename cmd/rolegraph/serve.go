package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/config"
	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/telemetry"
)

func serveCommand() *cobra.Command {
	var s config.Serve
	return withSettings(&cobra.Command{
		Use:   "serve",
		Short: "Run the service",
		Long: `Run the service: GraphQL on --addr (/graphql, /graphiql outside production),
/healthz and /readyz, /metrics (on --admin-addr when set). SIGTERM or
SIGINT stop it gracefully within --shutdown-grace.

` + settingsHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), s, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}, config.ServeFlags(&s))
}

// serverConfig maps the serve settings onto the server's configuration.
func serverConfig(s config.Serve) (server.Config, error) {
	if err := s.Validate(); err != nil {
		return server.Config{}, err
	}
	c := server.Config{
		Addr:             s.Addr,
		AdminAddr:        s.AdminAddr,
		PublicURL:        s.PublicURL,
		PostgresURL:      s.PostgresURL,
		RedisURL:         s.RedisURL,
		SpiceDBEndpoint:  s.SpiceDB.Endpoint,
		SpiceDBToken:     s.SpiceDB.Token,
		SpiceDBDatastore: s.SpiceDB.Datastore,
		Production:       s.Production,
		CORSOrigins:      s.CORSOrigins,
		RequestTimeout:   s.RequestTimeout,
		DecisionTimeout:  s.DecisionTimeout,
		CacheLocalSize:   s.DecisionCacheSize,
		NoMigrate:        !s.Migrate,
		NoConsole:        !s.Console,
		ShutdownGrace:    s.ShutdownGrace,
		SweepInterval:    s.ExpirySweep,
	}
	c.Trace = telemetry.TraceConfig{Endpoint: s.OTelEndpoint, SampleRatio: s.OTelSampleRatio,
		ServiceName: "rolegraph", ServiceVersion: buildVersion().Version}
	if s.DecisionCacheSize == 0 {
		c.CacheLocalSize = -1 // the server's 0 is "default"; the flag's 0 is "none"
	}
	c.SpiceDB.CAPath, c.SpiceDB.Insecure = s.SpiceDB.CAPath, s.SpiceDB.Insecure
	c.SpiceDB.DispatchCacheMaxCost = s.DispatchCache
	c.SpiceDB.ReadConns, c.SpiceDB.WriteConns = s.ReadConns, s.WriteConns
	// The first secret signs, all verify (rotation).
	if len(s.JWTSecrets) > 0 {
		c.JWTSecret, c.JWTVerifySecrets = s.JWTSecrets[0], s.JWTSecrets[1:]
	}
	c.OIDC = authn.OIDCConfig{Issuer: s.OIDCIssuer, Audience: s.OIDCAudience}
	if s.OIDCIssuer != "" {
		c.OIDC.OrgClaim = s.OIDCOrgClaim
		c.OIDC.KeyMaxAge, c.OIDC.RefetchInterval = s.OIDCKeyMaxAge, s.OIDCKeyRefetch
	}
	c.OIDCClientID = s.OIDCClientID
	return c, nil
}

func serve(ctx context.Context, s config.Serve, stdout, stderr io.Writer) error {
	c, err := serverConfig(s)
	if err != nil {
		return err
	}
	log, err := telemetry.NewLogger(stderr, s.LogFormat, s.LogLevel)
	if err != nil {
		return err
	}
	// This process's libraries (gRPC, OpenTelemetry, the log package) log
	// through it too: with --log-format json, stderr is JSON lines only.
	telemetry.RouteProcessLogs(log)
	c.Log = log

	srv, err := c.Complete(ctx)
	if err != nil {
		return logged(log, err)
	}
	defer srv.Close()
	if srv.SecretGenerated {
		fmt.Fprintf(stdout, "JWT secret (dev mode, random): %s\n", srv.Secret)
	}
	if s.Demo {
		d, err := demo.Load(ctx, srv.Service)
		if err != nil {
			return logged(log, fmt.Errorf("loading the demo organization: %w", err))
		}
		srv.SetDemo(d) // the console's and GraphiQL's sign-in list
		if err := d.PrintTokens(stdout, srv.Token, "http://"+c.Addr); err != nil {
			return err
		}
	}
	log.Info("rolegraph serving", "addr", c.Addr, "admin_addr", c.AdminAddr, "spicedb", srv.SpiceDB.Mode,
		"store", storeKind(c.PostgresURL), "production", c.Production, "version", buildVersion().Version)
	fmt.Fprintf(stdout, "rolegraph listening on http://%s  (GraphQL: /graphql, GraphiQL: /graphiql)\n", c.Addr)
	return logged(log, srv.Run(ctx))
}

// loggedError is an error serve has logged already: main exits non-zero
// without printing it again (in plain text, which --log-format json rules
// out).
type loggedError struct{ error }

func (e loggedError) Unwrap() error { return e.error }

func logged(log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	log.Error("rolegraph serve failed", "err", err)
	return loggedError{err}
}

func storeKind(url string) string {
	if url == "" {
		return "memory"
	}
	return "postgres"
}
