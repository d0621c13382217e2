package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/rolegraph/rolegraph/config"
	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/server"
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
	}
	if s.DecisionCacheSize == 0 {
		c.CacheLocalSize = -1 // the server's 0 is "default"; the flag's 0 is "none"
	}
	c.SpiceDB.CAPath, c.SpiceDB.Insecure = s.SpiceDB.CAPath, s.SpiceDB.Insecure
	c.SpiceDB.DispatchCacheMaxCost = s.DispatchCache
	c.SpiceDB.ReadConns, c.SpiceDB.WriteConns = s.ReadConns, s.WriteConns
	secret, err := signingSecret(s.JWTSecrets)
	c.JWTSecret = secret
	return c, err
}

// signingSecret is the secret tokens are signed and verified with.
// Verifying with several (rotation) comes with the authn package's
// verifier; until it is wired into the server, a list is refused rather
// than half-honoured.
func signingSecret(secrets []string) (string, error) {
	switch len(secrets) {
	case 0:
		return "", nil
	case 1:
		return secrets[0], nil
	}
	return "", errors.New("--jwt-secret: this build verifies with one secret only; pass one")
}

func serve(ctx context.Context, s config.Serve, stdout, stderr io.Writer) error {
	c, err := serverConfig(s)
	if err != nil {
		return err
	}
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
	if s.Demo {
		d, err := demo.Load(ctx, srv.Service)
		if err != nil {
			return fmt.Errorf("loading the demo organization: %w", err)
		}
		srv.SetDemo(d) // the console's and GraphiQL's sign-in list
		if err := d.PrintTokens(stdout, srv.Token, "http://"+c.Addr); err != nil {
			return err
		}
	}
	log.Info("rolegraph serving", "addr", c.Addr, "admin_addr", c.AdminAddr, "spicedb", srv.SpiceDB.Mode,
		"store", storeKind(c.PostgresURL), "production", c.Production, "version", buildVersion().Version)
	fmt.Fprintf(stdout, "rolegraph listening on http://%s  (GraphQL: /graphql, GraphiQL: /graphiql)\n", c.Addr)
	return srv.Run(ctx)
}

func storeKind(url string) string {
	if url == "" {
		return "memory"
	}
	return "postgres"
}
