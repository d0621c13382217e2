package e2e

import (
	"sort"
	"strings"
	"testing"
)

// Seed 001 "Supersearch: organization-wide search on User": members(search:,
// teamId:), on the root and on the organization, case-insensitive on name
// and email, paged like every listing.
func TestMemberSearch(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Searching", "PRO", nil)
		o.team("Support", "")
		o.team("Sales", "")
		ann := o.member("ann.lee@search.example", []string{"agent"}, []string{"Support"}, nil)
		bob := o.member("bob@leeds.example", []string{"agent"}, []string{"Sales"}, nil)
		cat := o.member("cat@search.example", []string{"agent"}, []string{"Support"}, nil)
		o.manage("Support", bob)
		o.customRole("Nobody", "teams.read")
		nobody := o.member("nobody@search.example", []string{"Nobody"}, nil, nil)
		other := e.newOrg("Searching Elsewhere", "PRO", nil)
		other.member("lee@elsewhere.example", []string{"agent"}, nil, nil)

		search := func(c *client, vars map[string]any) (ids []string, total float64) {
			t.Helper()
			d := c.ok(`query($s: String, $t: ID, $f: Int, $a: String) { members(search: $s, teamId: $t, first: $f, after: $a) {
				totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`, vars)
			for _, x := range get(d, "members", "edges").([]any) {
				ids = append(ids, str(x, "node", "id"))
			}
			return ids, get(d, "members", "totalCount").(float64)
		}
		sorted := func(ids ...string) string {
			s := append([]string{}, ids...)
			sort.Strings(s)
			return strings.Join(s, ",")
		}

		for _, c := range []struct {
			name string
			vars map[string]any
			want []string
		}{
			{"name or email, any case", map[string]any{"s": "LEE"}, []string{ann.MemberID, bob.MemberID}},
			{"email domain", map[string]any{"s": "search.EXAMPLE"}, []string{ann.MemberID, cat.MemberID, nobody.MemberID}},
			{"team: members and managers", map[string]any{"t": o.teams["Support"]}, []string{ann.MemberID, bob.MemberID, cat.MemberID}},
			{"team and search", map[string]any{"t": o.teams["Support"], "s": "cat"}, []string{cat.MemberID}},
			{"wildcards match themselves", map[string]any{"s": "%"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, total := search(o.Owner, c.vars)
				if sorted(got...) != sorted(c.want...) || int(total) != len(c.want) {
					t.Errorf("got %v (totalCount %v), want %v", got, total, c.want)
				}
			})
		}
		// Paged: one at a time, the same members, totalCount of the whole match.
		var paged []string
		vars := map[string]any{"s": "search.example", "f": 1}
		for range 10 {
			d := o.Owner.ok(`query($s: String, $f: Int, $a: String) { members(search: $s, first: $f, after: $a) {
				totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`, vars)
			for _, x := range get(d, "members", "edges").([]any) {
				paged = append(paged, str(x, "node", "id"))
			}
			if get(d, "members", "totalCount") != float64(3) {
				t.Errorf("totalCount on a page = %v, want 3", get(d, "members", "totalCount"))
			}
			if get(d, "members", "pageInfo", "hasNextPage") != true {
				break
			}
			vars["a"] = str(d, "members", "pageInfo", "endCursor")
		}
		if sorted(paged...) != sorted(ann.MemberID, cat.MemberID, nobody.MemberID) {
			t.Errorf("paged search = %v", paged)
		}
		// The organization's field answers the same.
		d := o.Owner.ok(`query { organization { members(search: "lee") { totalCount } } }`, nil)
		if get(d, "organization", "members", "totalCount") != float64(2) {
			t.Errorf("organization.members(search:) = %v", d)
		}

		// members.read is needed; bad input names its argument.
		nobody.failsWith("FORBIDDEN", "members.read", `query { members(search: "lee") { totalCount } }`, nil)
		o.Owner.fails("BAD_USER_INPUT", "teamId", `query($t: ID) { members(teamId: $t) { totalCount } }`, map[string]any{"t": "not-a-team"})
		o.Owner.fails("BAD_USER_INPUT", "search", `query($s: String) { members(search: $s) { totalCount } }`, map[string]any{"s": strings.Repeat("x", 101)})
		// Another organization's team is unknown here.
		otherTeam := other.team("Their team", "")
		o.Owner.fails("BAD_USER_INPUT", "teamId", `query($t: ID) { members(teamId: $t) { totalCount } }`, map[string]any{"t": otherTeam})
	})
}
