package e2e

// GraphQL over HTTP (the GraphQL-over-HTTP spec; API.md, "Real identity,
// browsers and clients"): the same requests under both media types a
// client may accept. Under application/json a parse or validation error is
// 200 with errors (Apollo and urql clients show it rather than a network
// failure); under application/graphql-response+json the answer has that
// media type, an operation that was not executed is 4xx without "data",
// and one that was executed is 200 with "data".

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpAnswer is an answer read as bytes: status, media type, and whether
// "data" is there at all (absent is not null).
type httpAnswer struct {
	status      int
	contentType string
	hasData     bool
	code        string // the first error's extensions.code
	raw         []byte
}

func sendRaw(t *testing.T, req *http.Request) httpAnswer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s /graphql: %v", req.Method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := httpAnswer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), raw: raw}
	var body struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("the answer is not JSON: %v: %.500s", err, raw)
	}
	a.hasData = body.Data != nil
	if len(body.Errors) > 0 {
		a.code, _ = body.Errors[0].Extensions["code"].(string)
	}
	return a
}

func TestGraphQLOverHTTP(t *testing.T) {
	e := newEnv(t, memoryBackend)
	o := e.newOrg("Media Types", "PRO", nil)
	svc, err := e.srv.ServiceToken(o.ID, "billing", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var aliases strings.Builder
	for i := range 60 {
		fmt.Fprintf(&aliases, " a%d: __typename", i)
	}

	type want struct {
		status  int
		code    string // "" no error
		hasData bool
	}
	cases := []struct {
		name     string
		method   string // POST unless GET
		token    string
		body     string // POST body; for GET the query string
		ctype    string // POST Content-Type, application/json unless set
		json, gr want   // under application/json, under application/graphql-response+json
	}{
		{name: "executed", token: o.Owner.token, body: `{"query":"{ viewer { id } }"}`,
			json: want{200, "", true}, gr: want{200, "", true}},
		// Executed: "data" is there, null when the error reached the root.
		{name: "executed, a field error", token: o.Owner.token,
			body: `{"query":"{ can(permission: \"no.such\") }"}`,
			json: want{200, "BAD_USER_INPUT", true}, gr: want{200, "BAD_USER_INPUT", true}},
		{name: "executed, anonymous", body: `{"query":"{ viewer { id } }"}`,
			json: want{200, "UNAUTHENTICATED", true}, gr: want{200, "UNAUTHENTICATED", true}},
		{name: "does not parse", token: o.Owner.token, body: `{"query":"{ viewer { id "}`,
			json: want{200, "GRAPHQL_PARSE_FAILED", true}, gr: want{400, "GRAPHQL_PARSE_FAILED", false}},
		{name: "does not validate", token: o.Owner.token, body: `{"query":"{ viewer { nope } }"}`,
			json: want{200, "GRAPHQL_VALIDATION_FAILED", true}, gr: want{400, "GRAPHQL_VALIDATION_FAILED", false}},
		{name: "unknown operation name", token: o.Owner.token, body: `{"query":"query A { viewer { id } }","operationName":"B"}`,
			json: want{200, "GRAPHQL_VALIDATION_FAILED", true}, gr: want{400, "GRAPHQL_VALIDATION_FAILED", false}},
		{name: "a variable that does not fit", token: o.Owner.token,
			body: `{"query":"query($id: ID!) { member(id: $id) { id } }","variables":{"id":{"no":1}}}`,
			json: want{200, "BAD_USER_INPUT", true}, gr: want{400, "BAD_USER_INPUT", false}},
		{name: "past a limit", token: o.Owner.token, body: `{"query":"{` + aliases.String() + ` }"}`,
			json: want{422, "COMPLEXITY_LIMIT", true}, gr: want{400, "COMPLEXITY_LIMIT", false}},
		{name: "persisted query not yet known", token: o.Owner.token,
			body: `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("ab", 32) + `"}}}`,
			json: want{200, "PERSISTED_QUERY_NOT_FOUND", true}, gr: want{400, "PERSISTED_QUERY_NOT_FOUND", false}},
		{name: "a service's mutation", token: svc, body: `{"query":"mutation { setPlan(plan: STARTER) { id } }"}`,
			json: want{200, "FORBIDDEN", true}, gr: want{403, "FORBIDDEN", false}},
		{name: "a token that does not verify", token: o.Owner.token + "x", body: `{"query":"{ viewer { id } }"}`,
			json: want{401, "UNAUTHENTICATED", false}, gr: want{401, "UNAUTHENTICATED", false}},
		{name: "not JSON", token: o.Owner.token, body: `{"query":`,
			json: want{400, "BAD_USER_INPUT", false}, gr: want{400, "BAD_USER_INPUT", false}},
		{name: "wrong content type", token: o.Owner.token, body: `query=x`, ctype: "application/x-www-form-urlencoded",
			json: want{415, "BAD_USER_INPUT", false}, gr: want{415, "BAD_USER_INPUT", false}},
		{name: "GET, executed", method: http.MethodGet, token: o.Owner.token, body: "{ viewer { id } }",
			json: want{200, "", true}, gr: want{200, "", true}},
		{name: "GET, does not validate", method: http.MethodGet, token: o.Owner.token, body: "{ viewer { nope } }",
			json: want{200, "GRAPHQL_VALIDATION_FAILED", true}, gr: want{400, "GRAPHQL_VALIDATION_FAILED", false}},
	}
	for _, c := range cases {
		for _, accept := range []string{mediaJSON, mediaGraphQLResponse} {
			t.Run(c.name+"/"+accept, func(t *testing.T) {
				w, wantType := c.json, mediaJSON
				if accept == mediaGraphQLResponse {
					w, wantType = c.gr, mediaGraphQLResponse
				}
				var req *http.Request
				if c.method == http.MethodGet {
					req, _ = http.NewRequest(http.MethodGet, e.url+"/graphql?query="+url.QueryEscape(c.body), nil)
				} else {
					req, _ = http.NewRequest(http.MethodPost, e.url+"/graphql", bytes.NewBufferString(c.body))
					ctype := c.ctype
					if ctype == "" {
						ctype = mediaJSON
					}
					req.Header.Set("Content-Type", ctype)
				}
				req.Header.Set("Accept", accept)
				if c.token != "" {
					req.Header.Set("Authorization", "Bearer "+c.token)
				}
				a := sendRaw(t, req)
				if a.status != w.status || a.code != w.code || a.hasData != w.hasData || !strings.HasPrefix(a.contentType, wantType) {
					t.Errorf("got %d %s, code %q, data present %v; want %d %s, code %q, data present %v\n%.500s",
						a.status, a.contentType, a.code, a.hasData, w.status, wantType, w.code, w.hasData, a.raw)
				}
			})
		}
	}
}

// Which media type an Accept header gets: the supported type with the
// highest q, application/json when it names neither.
func TestGraphQLOverHTTPAccept(t *testing.T) {
	e := newEnv(t, memoryBackend)
	o := e.newOrg("Accept", "STARTER", nil)
	for _, c := range []struct{ accept, want string }{
		{"", mediaJSON},
		{"*/*", mediaJSON},
		{"application/json", mediaJSON},
		{"application/graphql-response+json", mediaGraphQLResponse},
		// What Apollo Client and urql send.
		{"application/graphql-response+json, application/json;q=0.9", mediaGraphQLResponse},
		{"application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed", mediaGraphQLResponse},
		{"application/json, application/graphql-response+json", mediaJSON},
		{"application/graphql-response+json;q=0.5, application/json", mediaJSON},
		{"application/graphql-response+json;q=0, application/json;q=0.1", mediaJSON},
		{"text/html", mediaJSON},
	} {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/graphql", bytes.NewBufferString(`{"query":"{ viewer { nope } }"}`))
		req.Header.Set("Content-Type", mediaJSON)
		req.Header.Set("Authorization", "Bearer "+o.Owner.token)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		a := sendRaw(t, req)
		wantStatus := map[string]int{mediaJSON: 200, mediaGraphQLResponse: 400}[c.want]
		if !strings.HasPrefix(a.contentType, c.want) || a.status != wantStatus {
			t.Errorf("Accept %q: %d %s; want %d %s", c.accept, a.status, a.contentType, wantStatus, c.want)
		}
	}
}
