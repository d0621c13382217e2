package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/config"
	"github.com/rolegraph/rolegraph/graph"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/store/postgres"
	"github.com/rolegraph/rolegraph/zedcheck"
)

func migrateCommand() *cobra.Command {
	var m config.Migrate
	return withSettings(&cobra.Command{
		Use:   "migrate",
		Short: "Migrate the entity store and the embedded SpiceDB's Postgres datastore",
		Long: `Migrate the entity store (--postgres-url) and the embedded SpiceDB's Postgres
datastore (--spicedb-datastore), each when given. Safe to run again, and from
several processes at once. Run it before serve --migrate=false, e.g. as a
Kubernetes Job or a compose one-shot service.

` + settingsHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := m.Validate(); err != nil {
				return err
			}
			if m.PostgresURL != "" {
				if err := postgres.Migrate(cmd.Context(), m.PostgresURL); err != nil {
					return fmt.Errorf("migrating the entity store: %w", err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "entity store: migrated")
			}
			if m.SpiceDBDatastore != "" && m.SpiceDBDatastore != "memory" {
				if err := spicedb.Migrate(cmd.Context(), m.SpiceDBDatastore); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "SpiceDB datastore: migrated")
			}
			return nil
		},
	}, config.MigrateFlags(&m))
}

func schemaValidateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a zed validation file (schema, relationships, assertions, expected relations)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			rep, err := zedcheck.ValidateFile(cmd.Context(), path)
			if err != nil {
				return err
			}
			if !rep.OK() {
				fmt.Fprintln(cmd.OutOrStdout(), rep.String())
				return fmt.Errorf("%s: %d problems, %d schema warnings", path, len(rep.Problems()), len(rep.Warnings))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: schema, relationships, assertions and validation all hold\n", path)
			return nil
		},
	}
}

func schemaPrintCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "print",
		Short: "Write the GraphQL schema the service serves, as SDL (schema.graphql is its output)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out != "" {
				return os.WriteFile(out, []byte(graph.SDL()), 0o644)
			}
			_, err := io.WriteString(cmd.OutOrStdout(), graph.SDL())
			return err
		},
	}
	cmd.Flags().AddFlagSet(config.SchemaPrintFlags(&out))
	return cmd
}

func probeCommand() *cobra.Command {
	var p config.Probe
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "GET --url and pass on a 200: the healthcheck of an image without a shell or curl",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), p.Timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: %s %s", p.URL, resp.Status, strings.TrimSpace(string(body)))
			}
			return nil
		},
	}
	cmd.Flags().AddFlagSet(config.ProbeFlags(&p))
	return cmd
}

func tokenCommand() *cobra.Command {
	var t config.Token
	return withSettings(&cobra.Command{
		Use:   "token",
		Short: "Print a bearer token signed with --jwt-secret",
		Long: `Print a bearer token signed with the first of --jwt-secret: a member's
(--member and --org), an operator's (--operator), which may only call
createOrganization, or a service's (--service NAME --org ID): a product's
backend asking can, whoCan and member listings about any member of the
organization, which may change nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(t.JWTSecrets) == 0 || t.JWTSecrets[0] == "" {
				return errors.New("token needs --jwt-secret (or ROLEGRAPH_JWT_SECRET): the secret the server signs with")
			}
			claims, err := tokenClaims(t)
			if err != nil {
				return err
			}
			tok, err := authn.Issue([]byte(t.JWTSecrets[0]), claims, t.TTL)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			return nil
		},
	}, config.TokenFlags(&t))
}

// tokenClaims says who a token speaks for. Each kind of principal is one
// case here.
func tokenClaims(t config.Token) (authn.Claims, error) {
	switch {
	case t.Service != "":
		if t.Member != "" || t.Operator || t.Org == "" {
			return authn.Claims{}, errors.New("token: a service token names --service and --org, and no --member or --operator")
		}
		return authn.Claims{Service: t.Service, Org: t.Org}, nil
	case t.Operator:
		if t.Member != "" {
			return authn.Claims{}, errors.New("token: an operator token speaks for no member: drop --member")
		}
		return authn.Claims{Operator: true, Org: t.Org}, nil
	case t.Member != "" && t.Org != "":
		return authn.Claims{Subject: t.Member, Org: t.Org}, nil
	}
	return authn.Claims{}, errors.New("token: name --member and --org, --service and --org, or --operator")
}

// errDrift makes reconcile exit with status 2: the comparison ran and found
// drift (without --repair), as opposed to failing to run (status 1).
var errDrift = errors.New("drift found")

func reconcileCommand() *cobra.Command {
	var r config.Reconcile
	return withSettings(&cobra.Command{
		Use:   "reconcile",
		Short: "Compare SpiceDB with the entities, report drift (exit status 2), repair it with --repair",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := r.Validate(); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := postgres.Open(ctx, r.PostgresURL)
			if err != nil {
				return err
			}
			defer st.Close()
			sc := spicedb.Config{Endpoint: r.SpiceDB.Endpoint, Token: r.SpiceDB.Token, CAPath: r.SpiceDB.CAPath, Insecure: r.SpiceDB.Insecure}
			if sc.Endpoint == "" {
				sc.Datastore = r.SpiceDB.Datastore
			}
			conn, err := sc.Complete(ctx)
			if err != nil {
				return err
			}
			defer conn.Close()
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
			az := authz.New(conn.Client, authz.WithLogger(log))
			rec := reconcile.New(st, az, outbox.New(st, az, outbox.WithLogger(log)), conn.Client, catalog.Default())
			sum, err := rec.All(ctx, r.Orgs, r.Repair, r.Verbose, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if sum.Unrepaired > 0 {
				return fmt.Errorf("%d organizations still drifted after the repair", sum.Unrepaired)
			}
			if sum.Drifted > 0 && !r.Repair {
				return fmt.Errorf("%w in %d of %d organizations (run with --repair to fix)", errDrift, sum.Drifted, sum.Orgs)
			}
			return nil
		},
	}, config.ReconcileFlags(&r))
}
