package gqlclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rolegraph/rolegraph/internal/gqlclient"
)

// A small GraphQL-shaped server: it echoes what the client sent, so each
// case can see the request the client built and how it read the answer.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/graphql" || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "<html>wrong request</html>", http.StatusNotFound)
			return
		}
		var in struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if in.Query == "fail" {
			json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
				"message": "pick another name", "extensions": map[string]any{"code": "BAD_USER_INPUT", "field": "name"}}}})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{
			"auth": r.Header.Get("Authorization"), "query": in.Query, "vars": in.Variables}})
	}))
	t.Cleanup(hs.Close)
	return hs
}

func TestClient(t *testing.T) {
	hs := server(t)
	ctx := context.Background()
	type echo struct {
		Auth  string         `json:"auth"`
		Query string         `json:"query"`
		Vars  map[string]any `json:"vars"`
	}
	cases := []struct {
		name      string
		client    gqlclient.Client
		query     string
		wantAuth  string
		wantCode  string
		wantField string
		wantErr   error
	}{
		{name: "anonymous", client: gqlclient.Client{URL: hs.URL}, query: "{ a }"},
		{name: "bearer", client: gqlclient.Client{URL: hs.URL + "/"}.Bearer("tok"), query: "{ a }", wantAuth: "Bearer tok"},
		{name: "bearer empty is anonymous", client: gqlclient.Client{URL: hs.URL, Authorization: "x"}.Bearer(""), query: "{ a }"},
		{name: "verbatim header", client: gqlclient.Client{URL: hs.URL, Authorization: "Basic abc"}, query: "{ a }", wantAuth: "Basic abc"},
		{name: "graphql error", client: gqlclient.Client{URL: hs.URL}, query: "fail", wantCode: "BAD_USER_INPUT", wantField: "name"},
		{name: "not json", client: gqlclient.Client{URL: hs.URL + "/nowhere"}, query: "{ a }", wantErr: gqlclient.ErrNotJSON},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got echo
			err := tc.client.Do(ctx, tc.query, map[string]any{"n": 1}, &got)
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			case tc.wantCode != "":
				var ge gqlclient.Error
				if !errors.As(err, &ge) || ge.Code() != tc.wantCode || ge.Field() != tc.wantField {
					t.Fatalf("err = %#v, want code %s field %s", err, tc.wantCode, tc.wantField)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got.Auth != tc.wantAuth || got.Query != tc.query || got.Vars["n"] != float64(1) {
					t.Fatalf("server saw %+v", got)
				}
			}
		})
	}
}

func TestPostKeepsStatusAndRaw(t *testing.T) {
	hs := server(t)
	r, err := gqlclient.Client{URL: hs.URL}.Post(context.Background(), "fail", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != http.StatusOK || len(r.Raw) == 0 || r.Err() == nil || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("response %+v", r)
	}
}
