package e2e

import (
	"fmt"
	"testing"
)

// interactions(first, after, teamId) pages by the last row's id:
// every readable interaction exactly once, in pages of `first`, also when
// filtered by team; totalCount counts them all.
func TestInteractionsPaging(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Pager", "PRO", nil)
		o.team("A", "")
		o.team("B", "")
		rep := o.member("rep@pager.example", []string{"recorder"}, []string{"A"}, nil)
		analyst := o.member("analyst@pager.example", []string{"analyst"}, nil, nil)
		want, wantA := map[string]bool{}, map[string]bool{}
		for i := 0; i < 23; i++ {
			team := "B"
			if i%3 == 0 {
				team = "A"
			}
			id := o.interaction(fmt.Sprintf("call %d", i), rep, team)
			want[id] = true
			if team == "A" {
				wantA[id] = true
			}
		}
		collect := func(c *client, first int, teamID string) (map[string]bool, int) {
			got, pages, after := map[string]bool{}, 0, ""
			for {
				vars := map[string]any{"f": first, "a": nil, "t": nil}
				if after != "" {
					vars["a"] = after
				}
				if teamID != "" {
					vars["t"] = teamID
				}
				d := c.ok(`query($f: Int, $a: String, $t: ID) { interactions(first: $f, after: $a, teamId: $t) {
					totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, vars)
				edges := get(d, "interactions", "edges").([]any)
				if len(edges) > first {
					t.Fatalf("page of %d for first %d", len(edges), first)
				}
				for _, ed := range edges {
					id := str(ed, "node", "id")
					if got[id] {
						t.Fatalf("%s listed twice", id)
					}
					got[id] = true
				}
				pages++
				if get(d, "interactions", "pageInfo", "hasNextPage") != true {
					if n := int(get(d, "interactions", "totalCount").(float64)); n != len(got) {
						t.Fatalf("totalCount %d, listed %d", n, len(got))
					}
					return got, pages
				}
				if len(edges) != first {
					t.Fatalf("a short page (%d) claims a next page", len(edges))
				}
				after = str(d, "interactions", "pageInfo", "endCursor")
				if str(edges[len(edges)-1], "cursor") != after {
					t.Fatal("endCursor is not the last edge's cursor")
				}
			}
		}
		got, pages := collect(analyst, 5, "")
		if len(got) != len(want) || pages != 5 {
			t.Fatalf("listed %d in %d pages, want %d in 5", len(got), pages, len(want))
		}
		for id := range want {
			if !got[id] {
				t.Fatalf("%s missing", id)
			}
		}
		gotA, _ := collect(analyst, 3, o.teams["A"])
		if len(gotA) != len(wantA) {
			t.Fatalf("team A: listed %d, want %d", len(gotA), len(wantA))
		}
		for id := range gotA {
			if !wantA[id] {
				t.Fatalf("%s is not in team A", id)
			}
		}
		analyst.fails("BAD_USER_INPUT", "after", `{ interactions(first: 5, after: "bm90LWEtY3Vyc29y") { totalCount } }`, nil)
	})
}
