package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at link time:
//
//	go build -ldflags "-X main.version=v1.4.0 -X main.commit=$(git rev-parse HEAD)" ./cmd/rolegraph
//
// Left empty, they come from the build information (a module version, or
// the VCS revision when the go command recorded it), else "devel".
var version, commit string

const devel = "devel"

// versionInfo is what `rolegraph version` prints.
type versionInfo struct {
	Version, Commit, Go, SpiceDB string
}

func buildVersion() versionInfo {
	v := versionInfo{Version: version, Commit: commit, Go: runtime.Version(), SpiceDB: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if v.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && v.Commit == "" {
				v.Commit = s.Value
			}
		}
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/authzed/spicedb" {
				if dep.Replace != nil {
					dep = dep.Replace
				}
				v.SpiceDB = dep.Version
			}
		}
	}
	if v.Version == "" {
		v.Version = devel
	}
	if v.Commit == "" {
		v.Commit = devel
	}
	return v
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, Go version and SpiceDB version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := buildVersion()
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "rolegraph %s\ncommit:  %s\ngo:      %s\nspicedb: %s\n", v.Version, v.Commit, v.Go, v.SpiceDB)
			return err
		},
	}
}
