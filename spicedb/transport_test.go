package spicedb_test

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/spicedb/spicedbtest"
)

// A remote SpiceDB behind a private CA: reached with CAPath, refused with
// plaintext, with the system's CAs and with another CA.
func TestRemoteTLSWithPrivateCA(t *testing.T) {
	files := spicedbtest.NewTLSFiles(t)
	key := spicedbtest.NewKey()
	addr := spicedbtest.FreeAddr(t)
	serverCfg := spicedbtest.Config("", testSchema)
	serverCfg.ListenAddr, serverCfg.Token = addr, key
	serverCfg.TLSCertPath, serverCfg.TLSKeyPath, serverCfg.CAPath = files.Cert, files.Key, files.CA
	spicedbtest.Start(t, serverCfg)

	remote := spicedbtest.Start(t, spicedb.Config{Endpoint: addr, Token: key, CAPath: files.CA})
	grantView(t, remote, "alice")
	assertAliceOnly(t, remote)

	other := spicedbtest.NewTLSFiles(t)
	for name, c := range map[string]struct {
		cfg    spicedb.Config
		wantIn string
	}{
		// A loopback endpoint without a CA file is plaintext.
		"plaintext":     {spicedb.Config{Endpoint: addr, Token: key}, ""},
		"insecure":      {spicedb.Config{Endpoint: addr, Token: key, Insecure: true}, ""},
		"another CA":    {spicedb.Config{Endpoint: addr, Token: key, CAPath: other.CA}, "certificate"},
		"missing file":  {spicedb.Config{Endpoint: addr, Token: key, CAPath: files.CA + ".missing"}, "CA file"},
		"not a CA file": {spicedb.Config{Endpoint: addr, Token: key, CAPath: files.Key}, "CA file"},
	} {
		t.Run(name, func(t *testing.T) {
			c.cfg.StartupTimeout = 2 * time.Second
			conn, err := c.cfg.Complete(t.Context())
			if err == nil {
				conn.Close()
				t.Fatal("connected")
			}
			if !strings.Contains(err.Error(), c.wantIn) {
				t.Errorf("error %q does not mention %q", err, c.wantIn)
			}
		})
	}
}

// Insecure reaches a plaintext SpiceDB at a name that is not obviously this
// machine (a sidecar, a cluster-internal service), which is TLS otherwise.
func TestRemoteInsecure(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	addrs, err := net.LookupHost(host)
	if err != nil || len(addrs) == 0 {
		t.Skipf("this machine's name %q does not resolve: %v", host, err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			t.Skipf("this machine's name %q resolves to %s, not only to loopback", host, a)
		}
	}
	key := spicedbtest.NewKey()
	addr := spicedbtest.FreeAddr(t)
	serverCfg := spicedbtest.Config("", testSchema)
	serverCfg.ListenAddr, serverCfg.Token = addr, key
	spicedbtest.Start(t, serverCfg)
	_, port, _ := net.SplitHostPort(addr)
	byName := net.JoinHostPort(host, port)

	remote := spicedbtest.Start(t, spicedb.Config{Endpoint: byName, Token: key, Insecure: true})
	grantView(t, remote, "alice")
	assertAliceOnly(t, remote)

	conn, err := spicedb.Config{Endpoint: byName, Token: key, StartupTimeout: 2 * time.Second}.Complete(t.Context())
	if err == nil {
		conn.Close()
		t.Fatal("TLS (the default for a name) reached a plaintext server")
	}
}

// NoMigrate refuses an unmigrated Postgres datastore, saying so; Migrate
// brings it to head, after which NoMigrate starts.
func TestNoMigrate(t *testing.T) {
	ds := spicedbtest.NewPostgresDatabase(t)
	cfg := spicedbtest.Config(ds, testSchema)
	cfg.NoMigrate = true
	_, err := cfg.Complete(t.Context())
	if !errors.Is(err, spicedb.ErrNotMigrated) {
		t.Fatalf("unmigrated datastore: %v, want ErrNotMigrated", err)
	}
	if err := spicedb.CheckMigrated(t.Context(), ds); !errors.Is(err, spicedb.ErrNotMigrated) {
		t.Fatalf("CheckMigrated before: %v", err)
	}
	if err := spicedb.Migrate(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	if err := spicedb.CheckMigrated(t.Context(), ds); err != nil {
		t.Fatalf("CheckMigrated after Migrate: %v", err)
	}
	conn := spicedbtest.Start(t, cfg)
	grantView(t, conn, "alice")
	assertAliceOnly(t, conn)
	if err := spicedb.Migrate(t.Context(), "memory"); err == nil {
		t.Error("Migrate accepted the memory datastore")
	}
}
