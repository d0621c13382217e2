package spicedb

import (
	"context"
	"net"
	"testing"
	"time"

	authzed "github.com/authzed/authzed-go/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// A server that accepts TCP connections and never answers (as a hung or
// black-holed SpiceDB would look): Ping without a deadline must still return
// after about DefaultPingTimeout, and Complete after StartupTimeout.
func TestSilentServerBounded(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lis.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	addr := lis.Addr().String()

	client, err := authzed.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	conn := &Conn{Client: client, Mode: ModeRemote, Addr: addr}
	conn.onClose(client.Close)
	t.Cleanup(func() { _ = conn.Close() })

	start := time.Now()
	if err := conn.Ping(context.Background()); err == nil {
		t.Fatal("Ping of a silent server succeeded")
	}
	if took := time.Since(start); took > DefaultPingTimeout+time.Second {
		t.Errorf("Ping took %s; want about %s", took, DefaultPingTimeout)
	}

	start = time.Now()
	if _, err := (Config{Endpoint: addr, Token: "k", StartupTimeout: time.Second}).Complete(context.Background()); err == nil {
		t.Fatal("Complete against a silent server succeeded")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Complete took %s; want about the 1s StartupTimeout", took)
	}
}

func TestIsLocalEndpoint(t *testing.T) {
	for target, want := range map[string]bool{
		"localhost:50051":               true,
		"LOCALHOST:50051":               true,
		"127.0.0.1:50051":               true,
		"127.0.0.2:50051":               true,
		"[::1]:50051":                   true,
		"dns:///localhost:50051":        true,
		"passthrough:///127.0.0.1:1":    true,
		"unix:///run/spicedb.sock":      true,
		"spicedb.internal:50051":        false,
		"10.0.0.7:50051":                false,
		"grpc.authzed.com:443":          false,
		"dns:///spicedb:50051":          false,
		"dns://8.8.8.8/spicedb.io:443":  false,
		"localhost.example.com:50051":   false,
		"dns://127.0.0.1/spicedb:50051": false, // resolver on loopback, server is not
	} {
		if got := isLocalEndpoint(target); got != want {
			t.Errorf("isLocalEndpoint(%q) = %v, want %v", target, got, want)
		}
	}
}

func TestDefaultConcurrencyLimit(t *testing.T) {
	for procs, want := range map[int]uint16{1: 8, 2: 8, 4: 8, 8: 16, 16: 32, 25: 50, 64: 50} {
		if got := defaultConcurrencyLimit(procs); got != want {
			t.Errorf("defaultConcurrencyLimit(%d) = %d, want %d", procs, got, want)
		}
	}
}

func TestDialAddr(t *testing.T) {
	for listen, want := range map[string]string{
		":50051":          "127.0.0.1:50051",
		"0.0.0.0:50051":   "127.0.0.1:50051",
		"[::]:50051":      "127.0.0.1:50051",
		"127.0.0.1:50051": "127.0.0.1:50051",
		"10.1.2.3:50051":  "10.1.2.3:50051",
	} {
		if got := dialAddr(listen); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", listen, got, want)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	mem := Config{}.withDefaults()
	if mem.DispatchCacheMaxCost != "64MiB" || mem.NamespaceCacheMaxCost != "16MiB" ||
		mem.ReadConns != 8 || mem.WriteConns != 4 || mem.GCWindow != DefaultGCWindowMemory ||
		mem.StartupTimeout != DefaultStartupTimeout || mem.ConcurrencyLimit < 8 {
		t.Errorf("memory defaults: %+v", mem)
	}
	pg := Config{Datastore: "postgres://u@h/db"}.withDefaults()
	if pg.GCWindow != DefaultGCWindowPostgres {
		t.Errorf("postgres GCWindow = %s, want %s", pg.GCWindow, DefaultGCWindowPostgres)
	}
}
