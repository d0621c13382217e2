package spicedb

import (
	"fmt"
	"net"
	"strings"

	authzed "github.com/authzed/authzed-go/v1"
	"github.com/authzed/grpcutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// dialRemote builds the client for a remote SpiceDB. gRPC connects lazily:
// waitReady makes the first call.
func (c Config) dialRemote(conn *Conn) error {
	opts, err := c.transport(c.Endpoint, c.Token)
	if err != nil {
		return err
	}
	opts = append(opts, c.DialOptions...)

	client, err := authzed.NewClient(c.Endpoint, opts...)
	if err != nil {
		return fmt.Errorf("spicedb: client for %s: %w", c.Endpoint, err)
	}
	conn.Client = client
	conn.Mode = ModeRemote
	conn.Addr = c.Endpoint
	conn.onClose(client.Close)
	return nil
}

// transport is how a client reaches target with key: TLS verified against
// CAPath when set (a private CA; loopback included, since a test or a
// sidecar proxy may well present a certificate there), else plaintext when
// Insecure or on this machine, else TLS verified against the system's CAs.
// The key travels as a bearer token either way.
func (c Config) transport(target, key string) ([]grpc.DialOption, error) {
	switch {
	case c.CAPath != "":
		certs, err := grpcutil.WithCustomCerts(grpcutil.VerifyCA, c.CAPath)
		if err != nil {
			return nil, fmt.Errorf("spicedb: CA file %s: %w", c.CAPath, err)
		}
		return []grpc.DialOption{certs, grpcutil.WithBearerToken(key)}, nil
	case c.Insecure || isLocalEndpoint(target):
		return []grpc.DialOption{
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpcutil.WithInsecureBearerToken(key),
		}, nil
	default:
		certs, err := grpcutil.WithSystemCerts(grpcutil.VerifyCA)
		if err != nil {
			return nil, fmt.Errorf("spicedb: loading system certificates: %w", err)
		}
		return []grpc.DialOption{certs, grpcutil.WithBearerToken(key)}, nil
	}
}

// isLocalEndpoint reports whether a gRPC target is on this machine
// (localhost, a loopback IP, or a unix socket), where plaintext is the
// default.
func isLocalEndpoint(target string) bool {
	if strings.HasPrefix(target, "unix:") || strings.HasPrefix(target, "unix-abstract:") {
		return true
	}
	// Strip a gRPC scheme and authority: "dns:///host:port",
	// "dns://resolver/host:port", "passthrough:///host:port".
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		if j := strings.Index(rest, "/"); j >= 0 {
			rest = rest[j+1:]
		}
		target = rest
	}
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		host = target
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
