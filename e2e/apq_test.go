package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

func sha(q string) string { s := sha256.Sum256([]byte(q)); return hex.EncodeToString(s[:]) }

// apqPost sends an Apollo persisted-query request to base: the hash, with
// the query when query is not "".
func apqPost(t *testing.T, base, token, query, hash string) *rawResponse {
	t.Helper()
	body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		body["query"] = query
	}
	b, _ := json.Marshal(body)
	h := map[string]string{}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return rawPost(t, base, bytes.NewReader(b), int64(len(b)), h)
}

// uniqueQuery is a query no earlier run has registered (Redis outlives
// test runs).
func uniqueQuery(t *testing.T) string {
	return fmt.Sprintf("query Viewer { viewer { id } } # %s %d", t.Name(), time.Now().UnixNano())
}

func TestAPQ(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("APQ", "PRO", nil)
		q := uniqueQuery(t)
		h := sha(q)

		// Miss: Apollo's client then sends the query with its hash.
		r := apqPost(t, e.url, o.Owner.token, "", h)
		if r.Status != 200 || len(r.Errors) != 1 || r.Errors[0].Code() != "PERSISTED_QUERY_NOT_FOUND" || r.Errors[0].Message != "PersistedQueryNotFound" {
			t.Fatalf("unknown hash: want 200 PERSISTED_QUERY_NOT_FOUND, got %d %.300s", r.Status, r.Body)
		}
		// Register: answered, and remembered.
		if r := apqPost(t, e.url, o.Owner.token, q, h); len(r.Errors) > 0 || str(r.Data, "viewer", "id") != o.Owner.MemberID {
			t.Fatalf("register: %.300s", r.Body)
		}
		// Hit: the hash alone, by POST and by GET (Apollo's GET for queries).
		for i := 0; i < 2; i++ {
			if r := apqPost(t, e.url, o.Owner.token, "", h); len(r.Errors) > 0 || str(r.Data, "viewer", "id") != o.Owner.MemberID {
				t.Fatalf("hit %d: %.300s", i, r.Body)
			}
		}
		ext := fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":%q}}`, h)
		res, body := httpDo(t, "GET", e.url+"/graphql?extensions="+url.QueryEscape(ext), "",
			map[string]string{"Authorization": "Bearer " + o.Owner.token})
		if res.StatusCode != 200 || !bytes.Contains([]byte(body), []byte(o.Owner.MemberID)) {
			t.Errorf("GET by hash: %d %.300s", res.StatusCode, body)
		}
		// A hit is answered as its caller: another member gets their own id.
		agent := o.member("agent@apq.example", []string{"agent"}, nil, nil)
		if r := apqPost(t, e.url, agent.token, "", h); str(r.Data, "viewer", "id") != agent.MemberID {
			t.Errorf("hit as another member: %.300s", r.Body)
		}

		// Refused, and nothing registered.
		other := uniqueQuery(t) + " other"
		for _, c := range []struct {
			name  string
			query string
			ext   any
			hint  string
		}{
			{"a hash that is not the query's", other, map[string]any{"version": 1, "sha256Hash": sha(other + " ")}, "is not the SHA-256"},
			{"another version", other, map[string]any{"version": 2, "sha256Hash": sha(other)}, "version"},
			{"not an object", other, "abc", "persistedQuery"},
		} {
			b, _ := json.Marshal(map[string]any{"query": c.query, "extensions": map[string]any{"persistedQuery": c.ext}})
			r := rawPost(t, e.url, bytes.NewReader(b), int64(len(b)), map[string]string{"Authorization": "Bearer " + o.Owner.token})
			r.refused(t, 422, "BAD_USER_INPUT", c.hint)
			if f := r.Errors[0].Field(); f != "extensions.persistedQuery" {
				t.Errorf("%s: field %q", c.name, f)
			}
		}
		if r := apqPost(t, e.url, o.Owner.token, "", sha(other)); len(r.Errors) == 0 || r.Errors[0].Code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Errorf("a refused registration was remembered: %.300s", r.Body)
		}
	})
}

// TestAPQAcrossReplicas: two servers on one Postgres and one Redis; a hash
// registered on A is known to B, which never saw the query.
func TestAPQAcrossReplicas(t *testing.T) {
	cfg := server.Config{RedisURL: redisURL(), PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	a, b := startServer(t, cfg), startServer(t, cfg)
	ha, hb := httptest.NewServer(a.Handler), httptest.NewServer(b.Handler)
	defer ha.Close()
	defer hb.Close()
	e := &env{t: t, srv: a, url: ha.URL}
	o := e.newOrg("APQ replicas", "PRO", nil)

	q := uniqueQuery(t)
	h := sha(q)
	for _, base := range []string{ha.URL, hb.URL} {
		if r := apqPost(t, base, o.Owner.token, "", h); len(r.Errors) != 1 || r.Errors[0].Code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Fatalf("before registration, %s: %.300s", base, r.Body)
		}
	}
	if r := apqPost(t, ha.URL, o.Owner.token, q, h); len(r.Errors) > 0 {
		t.Fatalf("register on A: %.300s", r.Body)
	}
	if r := apqPost(t, hb.URL, o.Owner.token, "", h); len(r.Errors) > 0 || str(r.Data, "viewer", "id") != o.Owner.MemberID {
		t.Fatalf("hash registered on A, asked of B: %.300s", r.Body)
	}

	// Without Redis each replica knows only its own.
	c := newEnvWith(t, func(*server.Config) {})
	d := newEnvWith(t, func(*server.Config) {})
	oc := c.newOrg("APQ alone", "PRO", nil)
	q2 := uniqueQuery(t) + " alone"
	if r := apqPost(t, c.url, oc.Owner.token, q2, sha(q2)); len(r.Errors) > 0 {
		t.Fatalf("register in process: %.300s", r.Body)
	}
	if r := apqPost(t, c.url, oc.Owner.token, "", sha(q2)); len(r.Errors) > 0 {
		t.Fatalf("hit in process: %.300s", r.Body)
	}
	if r := apqPost(t, d.url, "", "", sha(q2)); len(r.Errors) == 0 || r.Errors[0].Code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Errorf("another process without Redis knew the hash: %.300s", r.Body)
	}
}
