package e2e

// Helpers of badinput_test.go: requests that report to the calling subtest
// (the harness's client reports to the backend's test), state snapshots
// of both organizations, and message normalization for leak checks.

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// doAs sends one GraphQL request as c, failing t (not the backend's test)
// when the transport fails.
func doAs(t *testing.T, c *client, query string, vars map[string]any) *response {
	t.Helper()
	return post(t, c.gql(), query, vars)
}

// okAs sends a request that must succeed.
func okAs(t *testing.T, c *client, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := doAs(t, c, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %.2000s\nquery: %s", r.raw, query)
	}
	return r.Data
}

// orgStateQuery is everything an owner sees of their organization that a
// mutation could change: members with roles, seats and teams, seat pools,
// roles with grants and holders, teams with members, interactions,
// evaluations, and the audit log's size and newest events.
const orgStateQuery = `{
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

// orgState is a flattened snapshot: JSON path → value.
type orgState map[string]string

// snapshot reads the state of both organizations and counts organizations.
func (f *badInputFixture) snapshot(t *testing.T) orgState {
	t.Helper()
	out := orgState{}
	for label, c := range map[string]*client{"A": f.a.Owner, "B": f.b.Owner} {
		flattenState(label, okAs(t, c, orgStateQuery, nil), out)
	}
	orgs, err := f.e.srv.Store.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("listing organizations: %v", err)
	}
	out["organizations"] = fmt.Sprint(len(orgs))
	return out
}

func flattenState(prefix string, v any, out orgState) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out[prefix] = "{}"
		}
		for k, e := range x {
			flattenState(prefix+"."+k, e, out)
		}
	case []any:
		out[prefix+".#"] = fmt.Sprint(len(x))
		for i, e := range x {
			flattenState(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	default:
		b, _ := json.Marshal(x)
		out[prefix] = string(b)
	}
}

// stateDiff lists what changed between two snapshots ("" when nothing did).
func stateDiff(before, after orgState) string {
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

var idPattern = regexp.MustCompile(`\b(org|mem|team|role|int|eval|areq)_[a-z2-7]{20}\b`)

// maskIDs replaces ids in a message, so that the messages about an
// unknown id and about another organization's id can be compared.
func maskIDs(msg string) string { return idPattern.ReplaceAllString(msg, "<id>") }

// hasData reports whether a failed request still returned some data.
func hasData(r *response) bool {
	for _, v := range r.Data {
		if v != nil {
			return true
		}
	}
	return false
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func extensionsOf(e gqlError) string {
	ext := map[string]any{}
	for k, v := range e.Extensions {
		ext[k] = v
	}
	return toJSON(ext)
}
