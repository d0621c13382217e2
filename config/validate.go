package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Validate refuses values no flag's type catches: out-of-range numbers and
// combinations that contradict each other. Messages name the flags.
func (s Serve) Validate() error {
	var errs []error
	for _, p := range []struct {
		flag string
		ok   bool
	}{
		{"--request-timeout", s.RequestTimeout > 0},
		{"--decision-timeout", s.DecisionTimeout > 0},
		{"--expiry-sweep-interval", s.ExpirySweep > 0},
		{"--shutdown-grace", s.ShutdownGrace > 0},
		{"--spicedb-read-conns", s.ReadConns > 0},
		{"--spicedb-write-conns", s.WriteConns > 0},
	} {
		if !p.ok {
			errs = append(errs, fmt.Errorf("%w: %s must be more than 0", ErrInvalid, p.flag))
		}
	}
	if s.DecisionCacheSize < 0 {
		errs = append(errs, fmt.Errorf("%w: --decision-cache-size must be 0 (none) or more", ErrInvalid))
	}
	if s.AdminAddr != "" && s.AdminAddr == s.Addr {
		errs = append(errs, fmt.Errorf("%w: --admin-addr must differ from --addr", ErrInvalid))
	}
	errs = append(errs, s.SpiceDB.validate(), s.validateTelemetry())
	for _, secret := range s.JWTSecrets {
		if strings.TrimSpace(secret) == "" {
			errs = append(errs, fmt.Errorf("%w: --jwt-secret has an empty secret in its list", ErrInvalid))
			break
		}
	}
	if s.OIDCIssuer == "" && s.OIDCAudience != "" {
		errs = append(errs, fmt.Errorf("%w: --oidc-audience is for the tokens of --oidc-issuer: set the issuer too", ErrInvalid))
	}
	if s.OIDCIssuer != "" && s.OIDCAudience == "" {
		errs = append(errs, fmt.Errorf("%w: --oidc-issuer needs --oidc-audience, the aud its tokens carry for rolegraph", ErrInvalid))
	}
	if s.OIDCKeyMaxAge <= 0 || s.OIDCKeyRefetch <= 0 {
		errs = append(errs, fmt.Errorf("%w: --oidc-key-max-age and --oidc-key-refetch-interval must be positive durations (defaults %v and %v)", ErrInvalid, DefaultOIDCKeyMaxAge, DefaultOIDCKeyRefetch))
	} else if s.OIDCKeyRefetch > s.OIDCKeyMaxAge {
		errs = append(errs, fmt.Errorf("%w: --oidc-key-refetch-interval (%v) is longer than --oidc-key-max-age (%v): keys would be due before a fetch is allowed; shorten the interval", ErrInvalid, s.OIDCKeyRefetch, s.OIDCKeyMaxAge))
	}
	if s.OIDCIssuer == "" && s.OIDCClientID != "" {
		errs = append(errs, fmt.Errorf("%w: --oidc-client-id is the console's client at --oidc-issuer: set the issuer too", ErrInvalid))
	}
	for _, o := range s.CORSOrigins {
		if err := validOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("%w: --cors-origins: %w", ErrInvalid, err))
		}
	}
	return errors.Join(errs...)
}

// validOrigin accepts what a browser sends as Origin: scheme://host[:port],
// nothing after. "*" is refused: a wildcard would let any page call the
// API with its visitors' tokens.
func validOrigin(o string) error {
	if o == "*" || strings.Contains(o, "*") {
		return fmt.Errorf("%q: wildcards are not allowed; list each origin (https://app.example.com)", o)
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q is not an origin: write scheme://host[:port] (https://app.example.com), without a path", o)
	}
	return nil
}

// Validate refuses a reconcile without somewhere to compare against.
func (r Reconcile) Validate() error {
	var errs []error
	if r.PostgresURL == "" {
		errs = append(errs, fmt.Errorf("%w: reconcile needs --postgres-url (ROLEGRAPH_POSTGRES_URL): the memory store lives only inside a serving process", ErrInvalid))
	}
	if r.SpiceDB.Endpoint == "" && (r.SpiceDB.Datastore == "" || r.SpiceDB.Datastore == "memory") {
		errs = append(errs, fmt.Errorf("%w: reconcile needs --spicedb-endpoint, or --spicedb-datastore with the embedded SpiceDB's postgres:// datastore", ErrInvalid))
	}
	return errors.Join(append(errs, r.SpiceDB.validate())...)
}

// Validate refuses a migrate with nothing to migrate.
func (m Migrate) Validate() error {
	if m.PostgresURL == "" && (m.SpiceDBDatastore == "" || m.SpiceDBDatastore == "memory") {
		return fmt.Errorf("%w: migrate needs --postgres-url, --spicedb-datastore (a postgres:// URL), or both", ErrInvalid)
	}
	return nil
}

func (s SpiceDB) validate() error {
	if s.Endpoint == "" && (s.CAPath != "" || s.Insecure) {
		return fmt.Errorf("%w: --spicedb-ca-path and --spicedb-insecure are for a remote SpiceDB: set --spicedb-endpoint", ErrInvalid)
	}
	if s.CAPath != "" && s.Insecure {
		return fmt.Errorf("%w: --spicedb-ca-path is for TLS and --spicedb-insecure for plaintext: choose one", ErrInvalid)
	}
	return nil
}

func (s Serve) validateTelemetry() error {
	var errs []error
	if !slices.Contains([]string{"json", "text"}, s.LogFormat) {
		errs = append(errs, fmt.Errorf("%w: --log-format %q: want json or text", ErrInvalid, s.LogFormat))
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, s.LogLevel) {
		errs = append(errs, fmt.Errorf("%w: --log-level %q: want debug, info, warn or error", ErrInvalid, s.LogLevel))
	}
	if !(s.OTelSampleRatio >= 0 && s.OTelSampleRatio <= 1) {
		errs = append(errs, fmt.Errorf("%w: --otel-sample-ratio %g: want 0 to 1", ErrInvalid, s.OTelSampleRatio))
	}
	if s.OTelEndpoint != "" {
		u, err := url.Parse(s.OTelEndpoint)
		if err != nil || u.Host == "" || !slices.Contains([]string{"http", "https", "grpc", "grpcs"}, u.Scheme) {
			errs = append(errs, fmt.Errorf("%w: --otel-endpoint %q: want http://host:4318 (OTLP/HTTP) or grpc://host:4317 (OTLP/gRPC)", ErrInvalid, s.OTelEndpoint))
		}
	}
	return errors.Join(errs...)
}
