package e2e

// Helpers of badinput_test.go: requests that report to the calling subtest
// (the harness's client reports to the backend's test), state snapshots
// of both organizations, and message normalization for leak checks.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// biDo sends one GraphQL request as c, failing t (not the backend's test)
// when the transport fails.
func biDo(t *testing.T, c *client, query string, vars map[string]any) *response {
	t.Helper()
	auth := ""
	if c.token != "" {
		auth = "Bearer " + c.token
	}
	return biPost(t, c.e.url, auth, query, vars)
}

// biPost sends one GraphQL request with the given Authorization header
// ("" for none).
func biPost(t *testing.T, url, auth, query string, vars map[string]any) *response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatalf("encoding request: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &response{Status: res.StatusCode, raw: raw}
	var decoded struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatalf("response is not JSON (%d): %.500s", res.StatusCode, raw)
	}
	out.Data, out.Errors = decoded.Data, decoded.Errors
	return out
}

// biOK sends a request that must succeed.
func biOK(t *testing.T, c *client, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := biDo(t, c, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %.2000s\nquery: %s", r.raw, query)
	}
	return r.Data
}

// biStateQuery is everything an owner sees of their organization that a
// mutation could change: members with roles, seats and teams, seat pools,
// roles with grants and holders, teams with members, interactions,
// evaluations, and the audit log's size and newest events.
const biStateQuery = `{
  organization {
    id name plan products
    seats { kind total used }
    members(first: 200) { totalCount edges { node {
      id email name status isOwner isGuest seats roles { id } teams { id } managedTeams { id }
      preferences { locale timezone emailNotifications } } } }
    roles { id key name description system memberCount grants { permission scope } }
    teams { id name parent { id } members { id } managers { id } }
  }
  interactions(first: 200) { totalCount edges { node { id title owner { id } team { id } assignees { id } } } }
  evaluations(first: 200) { id score agent { id } evaluator { id } interaction { id } }
  auditLog(first: 3) { totalCount edges { node { action targetId } } }
}`

// biState is a flattened snapshot: JSON path → value.
type biState map[string]string

// snapshot reads the state of both organizations and counts organizations.
func (f *biFixture) snapshot(t *testing.T) biState {
	t.Helper()
	out := biState{}
	for label, c := range map[string]*client{"A": f.a.Owner, "B": f.b.Owner} {
		biFlatten(label, biOK(t, c, biStateQuery, nil), out)
	}
	orgs, err := f.e.srv.Store.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("listing organizations: %v", err)
	}
	out["organizations"] = fmt.Sprint(len(orgs))
	return out
}

func biFlatten(prefix string, v any, out biState) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out[prefix] = "{}"
		}
		for k, e := range x {
			biFlatten(prefix+"."+k, e, out)
		}
	case []any:
		out[prefix+".#"] = fmt.Sprint(len(x))
		for i, e := range x {
			biFlatten(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	default:
		b, _ := json.Marshal(x)
		out[prefix] = string(b)
	}
}

// biDiff lists what changed between two snapshots ("" when nothing did).
func biDiff(before, after biState) string {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var lines []string
	for k := range keys {
		b, okB := before[k]
		a, okA := after[k]
		if okB && okA && a == b {
			continue
		}
		if !okB {
			b = "(absent)"
		}
		if !okA {
			a = "(absent)"
		}
		lines = append(lines, fmt.Sprintf("  %s: %.120s -> %.120s", k, b, a))
	}
	sort.Strings(lines)
	if len(lines) > 25 {
		lines = append(lines[:25], fmt.Sprintf("  … and %d more", len(lines)-25))
	}
	return strings.Join(lines, "\n")
}

var biIDPattern = regexp.MustCompile(`\b(org|mem|team|role|int|eval)_[a-z2-7]{20}\b`)

// biNormalize replaces ids in a message, so that the messages about an
// unknown id and about another organization's id can be compared.
func biNormalize(msg string) string { return biIDPattern.ReplaceAllString(msg, "<id>") }

// biHasData reports whether a failed request still returned some data.
func biHasData(r *response) bool {
	for _, v := range r.Data {
		if v != nil {
			return true
		}
	}
	return false
}

func biJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func biExt(e gqlError) string {
	ext := map[string]any{}
	for k, v := range e.Extensions {
		ext[k] = v
	}
	return biJSON(ext)
}
