// Package spicedbtest starts embedded SpiceDB servers and scratch Postgres
// databases for tests. It is imported by tests only.
package spicedbtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// Config is the embedded configuration tests use: small caches and pools
// (many test packages run at once against one Postgres), and a GC window
// longer than any test yet short enough that the memory datastore does not
// hoard history in long benchmarks.
func Config(datastore, schema string) spicedb.Config {
	return spicedb.Config{
		Datastore:             datastore,
		Schema:                schema,
		DispatchCacheMaxCost:  "16MiB",
		NamespaceCacheMaxCost: "4MiB",
		ReadConns:             4,
		WriteConns:            2,
		GCWindow:              10 * time.Minute,
	}
}

// New starts an embedded SpiceDB on datastore ("" or "memory", or a
// postgres:// URL such as one from NewPostgresDatabase), writes schema when
// non-empty, and closes it when the test ends.
func New(t testing.TB, datastore, schema string) *spicedb.Conn {
	t.Helper()
	return Start(t, Config(datastore, schema))
}

// Start completes cfg and closes the Conn when the test ends.
func Start(t testing.TB, cfg spicedb.Config) *spicedb.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := cfg.Complete(ctx)
	if err != nil {
		t.Fatalf("starting SpiceDB: %v", err)
	}
	t.Cleanup(func() {
		if err := conn.Close(); err != nil {
			t.Errorf("closing SpiceDB: %v", err)
		}
	})
	return conn
}

// NewPostgresDatabase is a scratch database on the test Postgres server
// (pgtest.NewDatabase), dropped when the test ends.
func NewPostgresDatabase(t testing.TB) string { return pgtest.NewDatabase(t) }

// FreeAddr returns a 127.0.0.1 TCP address that was free a moment ago, for
// an embedded SpiceDB's ListenAddr.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	return addr
}

// NewKey returns a random preshared key.
func NewKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("test-%x", b)
}

// TLSFiles are PEM files of a private CA and a server certificate it signed
// for 127.0.0.1 and localhost, written by NewTLSFiles.
type TLSFiles struct {
	CA, Cert, Key string
}

// NewTLSFiles creates a CA and a server certificate for 127.0.0.1 and
// localhost signed by it, in the test's temporary directory: what a
// SpiceDB behind a private CA presents (spicedb.Config TLSCertPath,
// TLSKeyPath; clients trust CA).
func NewTLSFiles(t testing.TB) TLSFiles {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "rolegraph test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "spicedb"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	f := TLSFiles{CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "server.pem"), Key: filepath.Join(dir, "server-key.pem")}
	for path, block := range map[string]*pem.Block{
		f.CA:   {Type: "CERTIFICATE", Bytes: caDER},
		f.Cert: {Type: "CERTIFICATE", Bytes: der},
		f.Key:  {Type: "EC PRIVATE KEY", Bytes: keyDER},
	} {
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}
