package spicedb_test

// One test binary for the package on purpose: linking SpiceDB is slow.

import (
	"context"
	"strings"
	"testing"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rolegraph/rolegraph/spicedb"
	"github.com/rolegraph/rolegraph/spicedb/spicedbtest"
)

const testSchema = `
definition user {}

definition document {
    relation viewer: user
    permission view = viewer
}
`

func obj(typ, id string) *v1.ObjectReference {
	return &v1.ObjectReference{ObjectType: typ, ObjectId: id}
}

// grantView writes document:readme#viewer@user:<user> and returns the ZedToken.
func grantView(t *testing.T, conn *spicedb.Conn, user string) *v1.ZedToken {
	t.Helper()
	resp, err := conn.Client.WriteRelationships(t.Context(), &v1.WriteRelationshipsRequest{
		Updates: []*v1.RelationshipUpdate{{
			Operation: v1.RelationshipUpdate_OPERATION_TOUCH,
			Relationship: &v1.Relationship{
				Resource: obj("document", "readme"),
				Relation: "viewer",
				Subject:  &v1.SubjectReference{Object: obj("user", user)},
			},
		}},
	})
	if err != nil {
		t.Fatalf("WriteRelationships: %v", err)
	}
	return resp.WrittenAt
}

// canView checks document:readme#view for user, fully consistent.
func canView(t *testing.T, conn *spicedb.Conn, user string) bool {
	t.Helper()
	resp, err := conn.Client.CheckPermission(t.Context(), &v1.CheckPermissionRequest{
		Consistency: &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}},
		Resource:    obj("document", "readme"),
		Permission:  "view",
		Subject:     &v1.SubjectReference{Object: obj("user", user)},
	})
	if err != nil {
		t.Fatalf("CheckPermission: %v", err)
	}
	return resp.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION
}

func assertAliceOnly(t *testing.T, conn *spicedb.Conn) {
	t.Helper()
	if !canView(t, conn, "alice") {
		t.Error("alice: want view, got no permission")
	}
	if canView(t, conn, "bob") {
		t.Error("bob: want no permission, got view")
	}
}

func TestEmbeddedMemory(t *testing.T) {
	conn := spicedbtest.New(t, "", testSchema)
	if conn.Mode != spicedb.ModeEmbeddedMemory {
		t.Errorf("Mode = %q, want %q", conn.Mode, spicedb.ModeEmbeddedMemory)
	}
	if conn.Addr != "" {
		t.Errorf("Addr = %q, want none (in-process)", conn.Addr)
	}
	if err := conn.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	token := grantView(t, conn, "alice")
	assertAliceOnly(t, conn)

	// at_least_as_fresh with the write's token sees the write.
	resp, err := conn.Client.CheckPermission(t.Context(), &v1.CheckPermissionRequest{
		Consistency: &v1.Consistency{Requirement: &v1.Consistency_AtLeastAsFresh{AtLeastAsFresh: token}},
		Resource:    obj("document", "readme"),
		Permission:  "view",
		Subject:     &v1.SubjectReference{Object: obj("user", "alice")},
	})
	if err != nil || resp.Permissionship != v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION {
		t.Errorf("at_least_as_fresh check = %v, %v; want HAS_PERMISSION", resp.GetPermissionship(), err)
	}

	if gatherer := conn.Gatherer(); gatherer == nil {
		t.Error("Gatherer() = nil for an embedded server")
	} else if families, err := gatherer.Gather(); err != nil || len(families) == 0 {
		t.Errorf("Gather() = %d families, %v; want SpiceDB's metrics", len(families), err)
	}

	if err := conn.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := conn.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := conn.Ping(t.Context()); err == nil {
		t.Fatal("Ping after Close succeeded")
	}
}

func TestEmbeddedPostgresPersists(t *testing.T) {
	dsURL := spicedbtest.NewPostgresDatabase(t)

	first, err := spicedbtest.Config(dsURL, testSchema).Complete(t.Context())
	if err != nil {
		t.Fatalf("first server: %v", err)
	}
	if first.Mode != spicedb.ModeEmbeddedPostgres {
		t.Errorf("Mode = %q, want %q", first.Mode, spicedb.ModeEmbeddedPostgres)
	}
	grantView(t, first, "alice")
	assertAliceOnly(t, first)
	if err := first.Close(); err != nil {
		t.Fatalf("closing first server: %v", err)
	}

	// A second server on the same database (migration is a no-op now, no
	// schema written) sees the schema and the relationship.
	second := spicedbtest.New(t, dsURL, "")
	schema, err := second.Client.ReadSchema(t.Context(), &v1.ReadSchemaRequest{})
	if err != nil {
		t.Fatalf("ReadSchema on second server: %v", err)
	}
	if !strings.Contains(schema.SchemaText, "definition document") {
		t.Errorf("schema after restart:\n%s", schema.SchemaText)
	}
	assertAliceOnly(t, second)
	if err := second.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestRemote(t *testing.T) {
	key := spicedbtest.NewKey()
	addr := spicedbtest.FreeAddr(t)
	serverCfg := spicedbtest.Config("", testSchema)
	serverCfg.ListenAddr = addr
	serverCfg.Token = key
	srv := spicedbtest.Start(t, serverCfg)
	if srv.Addr != addr {
		t.Errorf("server Addr = %q, want %q", srv.Addr, addr)
	}

	remote := spicedbtest.Start(t, spicedb.Config{Endpoint: addr, Token: key})
	if remote.Mode != spicedb.ModeRemote {
		t.Errorf("Mode = %q, want %q", remote.Mode, spicedb.ModeRemote)
	}
	grantView(t, remote, "alice")
	assertAliceOnly(t, remote)
	if err := remote.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	t.Run("wrong token", func(t *testing.T) {
		_, err := spicedb.Config{Endpoint: addr, Token: "not-" + key}.Complete(t.Context())
		if status.Code(err) != codes.Unauthenticated {
			t.Fatalf("Complete with a wrong token: %v; want code Unauthenticated", err)
		}
	})

	t.Run("unreachable at start", func(t *testing.T) {
		start := time.Now()
		_, err := spicedb.Config{
			Endpoint:       spicedbtest.FreeAddr(t),
			Token:          key,
			StartupTimeout: time.Second,
		}.Complete(t.Context())
		if err == nil {
			t.Fatal("Complete against a closed port succeeded")
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Complete took %s; want about the 1s StartupTimeout", took)
		}
	})

	t.Run("unreachable after start", func(t *testing.T) {
		if err := srv.Close(); err != nil {
			t.Fatalf("stopping the server: %v", err)
		}
		start := time.Now()
		err := remote.Ping(context.Background()) // no deadline: Ping bounds itself
		if err == nil {
			t.Fatal("Ping succeeded with the server stopped")
		}
		if took := time.Since(start); took > spicedb.DefaultPingTimeout+time.Second {
			t.Errorf("Ping took %s; want at most about %s", took, spicedb.DefaultPingTimeout)
		}
	})
}

func TestBadSchemaStopsServer(t *testing.T) {
	_, err := spicedbtest.Config("", "definition user { relation ").Complete(t.Context())
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("Complete with a broken schema: %v; want code InvalidArgument", err)
	}
}

func TestConfigRejected(t *testing.T) {
	for name, cfg := range map[string]spicedb.Config{
		"unknown datastore":           {Datastore: "mysql://x"},
		"datastore with endpoint":     {Endpoint: "spicedb:50051", Token: "k", Datastore: "postgres://u@h/db"},
		"remote without token":        {Endpoint: "spicedb:50051"},
		"listen without token":        {ListenAddr: "127.0.0.1:0"},
		"listen with endpoint":        {Endpoint: "spicedb:50051", Token: "k", ListenAddr: "127.0.0.1:0"},
		"bad listen address":          {ListenAddr: "nonsense", Token: "k"},
		"gc window under quantum":     {GCWindow: time.Second},
		"negative pool":               {ReadConns: -1},
		"password kept out of errors": {Datastore: "mongodb://user:hunter2@db"},
		"CA file and insecure":        {Endpoint: "spicedb:50051", Token: "k", CAPath: "ca.pem", Insecure: true},
		"insecure without endpoint":   {Insecure: true},
		"CA file without endpoint":    {CAPath: "ca.pem"},
		"TLS certificate without key": {ListenAddr: "127.0.0.1:0", Token: "k", TLSCertPath: "c.pem", CAPath: "ca.pem"},
		"TLS without a listener":      {TLSCertPath: "c.pem", TLSKeyPath: "k.pem", CAPath: "ca.pem"},
		"TLS without its CA":          {ListenAddr: "127.0.0.1:0", Token: "k", TLSCertPath: "c.pem", TLSKeyPath: "k.pem"},
		"TLS serving with endpoint":   {Endpoint: "spicedb:50051", Token: "k", TLSCertPath: "c.pem", TLSKeyPath: "k.pem"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := cfg.Complete(t.Context())
			if err == nil {
				t.Fatal("Complete accepted the config")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}
