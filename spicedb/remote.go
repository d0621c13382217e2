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
	var opts []grpc.DialOption
	if c.Insecure || isLocalEndpoint(c.Endpoint) {
		opts = append(opts,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpcutil.WithInsecureBearerToken(c.Token),
		)
	} else {
		certs, err := grpcutil.WithSystemCerts(grpcutil.VerifyCA)
		if err != nil {
			return fmt.Errorf("spicedb: loading system certificates: %w", err)
		}
		opts = append(opts, certs, grpcutil.WithBearerToken(c.Token))
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
