// Command rolegraph is the roles-and-permissions service: serve, migrate,
// schema validate|print, token, reconcile, probe, version. Its flags, their
// environment variables and config file keys are package config's; this
// command maps them onto the packages that do the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rolegraph/rolegraph/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.As(err, new(loggedError)) {
			fmt.Fprintln(os.Stderr, "rolegraph:", err)
		}
		if errors.Is(err, errDrift) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run executes the command line args.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root.ExecuteContext(ctx)
}

const settingsHelp = `Settings (every flag of serve and migrate, and those of token and reconcile
that README.md's tables give a variable) also come from the environment
(ROLEGRAPH_ and the flag's name in upper case with - as _: --redis-url is
ROLEGRAPH_REDIS_URL) and from the YAML file named by --config (or
ROLEGRAPH_CONFIG), whose keys are flag names. The environment overrides the
file; flags override both.`

func rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "rolegraph",
		Short:         "Roles and permissions over GraphQL on SpiceDB",
		Long:          "rolegraph: roles and permissions over GraphQL on SpiceDB.\n\n" + settingsHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	schema := &cobra.Command{Use: "schema", Short: "The permission schema and the GraphQL schema"}
	schema.AddCommand(schemaValidateCommand(), schemaPrintCommand())
	root.AddCommand(serveCommand(), migrateCommand(), schema, tokenCommand(), reconcileCommand(), probeCommand(), versionCommand())
	return root
}

// withSettings gives cmd the flag set fs and, before it runs, fills the
// settings the command line left unset from the environment and the
// config file (config.Load).
func withSettings(cmd *cobra.Command, fs *pflag.FlagSet) *cobra.Command {
	cmd.Flags().SortFlags = false // grouped as package config lists them
	cmd.Flags().AddFlagSet(fs)
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error { return config.Load(cmd.Flags()) }
	return cmd
}
