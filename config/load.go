package config

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// ErrInvalid marks a setting that could not be used: an unknown key in the
// config file, a value of the wrong type, a file that cannot be read.
var ErrInvalid = errors.New("invalid setting")

// Load gives every setting of fs that the command line left unset its value
// from the environment (ROLEGRAPH_…) or, failing that, from the YAML file
// named by --config (or ROLEGRAPH_CONFIG); the flag's default stays
// otherwise. Call it after fs.Parse. As in SpiceDB's own commands (cobrautil's
// SyncViperPreRunE), viper resolves each value and the flag is then Set with
// it, so every value goes through the flag's own parsing.
//
// An empty environment variable counts as unset. A key in the file that is
// no command's setting is an error (a typo would otherwise be ignored):
// one file may serve serve, migrate and reconcile alike.
func Load(fs *pflag.FlagSet) error {
	v := viper.New()
	path, source := fs.Lookup(configFlag).Value.String(), "--config"
	if !fs.Changed(configFlag) {
		if e := os.Getenv(EnvName(configFlag)); e != "" {
			path, source = e, EnvName(configFlag)
		}
	}
	if path != "" {
		v.SetConfigFile(path)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("%w: %s %s: %w", ErrInvalid, source, path, err)
		}
		if err := checkKeys(v.AllKeys(), path); err != nil {
			return err
		}
	}
	var errs []error
	fs.VisitAll(func(f *pflag.Flag) {
		env := Env(f)
		if env == "" || f.Changed || f.Name == configFlag {
			return
		}
		if err := v.BindEnv(f.Name, env); err != nil {
			errs = append(errs, err)
			return
		}
		if !v.IsSet(f.Name) {
			return
		}
		from := path + ": " + f.Name
		if os.Getenv(env) != "" {
			from = env
		}
		s, err := flagValue(f, v.Get(f.Name))
		if err == nil {
			err = fs.Set(f.Name, s)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s: %w", ErrInvalid, from, err))
		}
	})
	return errors.Join(errs...)
}

// flagValue is the text a flag's Set takes for a value viper found: the
// environment's text as is, YAML scalars printed, a YAML list of a list
// flag as CSV (what a list flag parses).
func flagValue(f *pflag.Flag, val any) (string, error) {
	switch x := val.(type) {
	case string:
		return x, nil
	case []any:
		if !strings.HasSuffix(f.Value.Type(), "Slice") {
			return "", fmt.Errorf("a list, but --%s takes one %s", f.Name, f.Value.Type())
		}
		rec := make([]string, len(x))
		for i, e := range x {
			if _, nested := e.(map[string]any); nested {
				return "", fmt.Errorf("--%s takes a list of values, not of maps", f.Name)
			}
			rec[i] = fmt.Sprint(e)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write(rec) // into a buffer: cannot fail
		w.Flush()
		return strings.TrimSuffix(b.String(), "\n"), nil
	case map[string]any:
		return "", fmt.Errorf("a map, but --%s takes a %s", f.Name, f.Value.Type())
	case nil:
		return "", nil
	default:
		return fmt.Sprint(x), nil
	}
}

// checkKeys refuses keys of a config file that are no command's setting.
func checkKeys(keys []string, path string) error {
	known := knownKeys()
	var unknown []string
	for _, k := range keys {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("%w: %s: unknown keys %s: the keys are flag names without --, such as %s",
		ErrInvalid, path, strings.Join(unknown, ", "), strings.Join(known[:min(4, len(known))], ", "))
}

// knownKeys are the names of every command's settings but --config itself.
func knownKeys() []string {
	var keys []string
	for _, c := range Commands() {
		c.Flags.VisitAll(func(f *pflag.Flag) {
			if Env(f) != "" && f.Name != configFlag && !slices.Contains(keys, f.Name) {
				keys = append(keys, f.Name)
			}
		})
	}
	return keys
}
