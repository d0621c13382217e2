package e2e

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/store"
)

// A page's viewerCan flags are answered for the whole page at once (read
// taken from the listing itself); evaluations' interactions go through the
// loader. Both must say exactly what a single can says, for every demo
// member, whether the flags are asked directly, through a named fragment
// or an inline one.
func TestViewerCanEqualsCan(t *testing.T) {
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		ctx, d := loadDemo(t, e)
		svc := e.srv.Service
		perms := []string{"interactions.read", "interactions.write", "interactions.delete", "interactions.download"}
		queries := []string{
			`query { interactions(first: 40) { edges { node { id viewerCan { read write delete download } } } } }`,
			`query { interactions(first: 40) { edges { ...E } } } fragment E on InteractionEdge { node { id ...F } } fragment F on Interaction { viewerCan { read write delete download } }`,
			`query { interactions(first: 40) { edges { node { ... on Interaction { id viewerCan { read write delete download } } } } } }`,
		}
		compared := 0
		for _, p := range d.People {
			c := e.as(d.OrgID, p.ID)
			caller := domain.Caller{OrgID: d.OrgID, MemberID: p.ID}
			want := func(id string) [4]bool {
				var w [4]bool
				for k, perm := range perms {
					ok, err := svc.Can(ctx, caller, perm, id, "")
					if err != nil {
						t.Fatalf("%s: can(%s, %s): %v", p.Label, perm, id, err)
					}
					w[k] = ok
				}
				return w
			}
			flags := func(v any) [4]bool {
				return [4]bool{get(v, "read") == true, get(v, "write") == true, get(v, "delete") == true, get(v, "download") == true}
			}
			for qi, q := range queries {
				for _, ed := range get(c.ok(q, nil), "interactions", "edges").([]any) {
					id := str(ed, "node", "id")
					if got, w := flags(get(ed, "node", "viewerCan")), want(id); got != w {
						t.Errorf("%s, page query %d, %s: viewerCan %v, can says %v", p.Label, qi, id, got, w)
					}
					if !flags(get(ed, "node", "viewerCan"))[0] {
						t.Errorf("%s: %s is listed but viewerCan.read is false", p.Label, id)
					}
					compared++
				}
			}
			r := c.do(`query { evaluations(first: 30) { interaction { id viewerCan { read write delete download } } } }`, nil)
			if len(r.Errors) > 0 {
				continue // members without evaluations.read
			}
			for _, ev := range get(r.Data, "evaluations").([]any) {
				id := str(ev, "interaction", "id")
				if got, w := flags(get(ev, "interaction", "viewerCan")), want(id); got != w {
					t.Errorf("%s, evaluation's interaction %s: viewerCan %v, can says %v", p.Label, id, got, w)
				}
				compared++
			}
		}
		if compared < 500 {
			t.Fatalf("only %d interactions compared: the demo should give far more", compared)
		}

		// Demo members' flags are mostly the same on every item they list,
		// so a flag given to the wrong item of a page would pass above. This
		// member reads everything, deletes their own calls, downloads their
		// team's and edits nothing: the flags differ from item to item.
		o := e.newOrg("Mixed", "PRO", nil)
		o.team("Floor", "")
		o.team("Other", "")
		mixed := o.member("mixed@mixed.example", []string{"agent"}, []string{"Floor"}, nil)
		peer := o.member("peer@mixed.example", []string{"agent"}, []string{"Floor"}, nil)
		far := o.member("far@mixed.example", []string{"agent"}, []string{"Other"}, nil)
		d2 := o.Owner.ok(`mutation($in: CreateRoleInput!) { createRole(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "Mixed", "grants": []any{
				map[string]any{"permission": "interactions.read", "scope": "ALL"},
				map[string]any{"permission": "interactions.delete", "scope": "OWN"},
				map[string]any{"permission": "interactions.download", "scope": "TEAM"},
			}}})
		o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
			map[string]any{"m": mixed.MemberID, "r": []string{str(d2, "createRole", "id")}})
		for k := 0; k < 4; k++ {
			o.interaction(fmt.Sprint("own ", k), mixed, "Floor")
			o.interaction(fmt.Sprint("team ", k), peer, "Floor")
			o.interaction(fmt.Sprint("far ", k), far, "Other")
		}
		caller := domain.Caller{OrgID: o.ID, MemberID: mixed.MemberID}
		kinds := map[[4]bool]int{}
		for qi, q := range queries {
			for _, ed := range get(mixed.ok(q, nil), "interactions", "edges").([]any) {
				id := str(ed, "node", "id")
				v := get(ed, "node", "viewerCan")
				got := [4]bool{get(v, "read") == true, get(v, "write") == true, get(v, "delete") == true, get(v, "download") == true}
				var w [4]bool
				for k, perm := range perms {
					ok, err := svc.Can(ctx, caller, perm, id, "")
					if err != nil {
						t.Fatal(err)
					}
					w[k] = ok
				}
				if got != w {
					t.Errorf("mixed member, page query %d, %s: viewerCan %v, can says %v", qi, id, got, w)
				}
				kinds[w]++
			}
		}
		if len(kinds) < 3 {
			t.Fatalf("the mixed member's flags take %d shapes (%v), want 3: the check above cannot catch a misplaced flag", len(kinds), kinds)
		}
	})
}

// A resource seen once is afterwards checked while its existence is read,
// not after: deleting it must still make can answer "no such resource",
// never a decision about it.
func TestCanOnDeletedResourceIsNotFound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Deleter", "PRO", nil)
		o.team("Floor", "")
		rep := o.member("rep@deleter.example", []string{"recorder"}, []string{"Floor"}, []string{"RECORDER"})
		other := o.member("other@deleter.example", []string{"agent"}, []string{"Floor"}, nil)
		call := o.interaction("to delete", rep, "Floor")
		canQ := `query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`
		for i := 0; i < 3; i++ { // seen, and in every cache there is
			if !o.Owner.can("interactions.read", call) || !o.Owner.can("members.write", other.MemberID) || !o.Owner.can("teams.write", o.teams["Floor"]) {
				t.Fatal("the owner is refused on their own organization's resources")
			}
		}
		o.Owner.ok(`mutation($i: ID!) { deleteInteraction(id: $i) }`, map[string]any{"i": call})
		o.Owner.ok(`mutation($m: ID!) { removeMember(memberId: $m) }`, map[string]any{"m": other.MemberID})
		o.Owner.ok(`mutation($t: ID!) { deleteTeam(id: $t) }`, map[string]any{"t": o.teams["Floor"]})
		for _, q := range []struct{ perm, id string }{
			{"interactions.read", call},
			{"members.write", other.MemberID},
			{"teams.write", o.teams["Floor"]},
		} {
			o.Owner.fails("BAD_USER_INPUT", "resourceId", canQ, map[string]any{"p": q.perm, "r": q.id})
		}
	})
}

// evaluations(first, after) lists the store's rows the caller's scopes
// cover, or (WithEvaluationsByLookup) pages one LookupResources: every way,
// every page size, every demo member must page through exactly the
// evaluations can(evaluations.read) allows, newest first.
func TestEvaluationsPagingWaysAgree(t *testing.T) {
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		ctx, d := loadDemo(t, e)
		svc := e.srv.Service
		all, err := e.srv.Store.ListEvaluations(ctx, d.OrgID, store.Page{NewestFirst: true})
		if err != nil {
			t.Fatal(err)
		}
		ways := []struct {
			name string
			opts []domain.Option // none: the server's own handler
		}{
			{"by the caller's scopes", nil},
			{"one lookup", []domain.Option{domain.WithEvaluationsByLookup()}},
		}
		// Each other way is the same server's GraphQL over a domain service
		// built with it, beside the one every other request uses.
		urls := make([]string, len(ways))
		for k, w := range ways {
			urls[k] = e.url
			if w.opts != nil {
				hs := httptest.NewServer(e.srv.HandlerWith(w.opts...))
				t.Cleanup(hs.Close)
				urls[k] = hs.URL
			}
		}
		readers := 0
		for _, p := range d.People {
			var want []string
			for _, ev := range all {
				ok, err := svc.Can(ctx, domain.Caller{OrgID: d.OrgID, MemberID: p.ID}, "evaluations.read", ev.ID, "")
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					want = append(want, ev.ID)
				}
			}
			if len(want) > 0 {
				readers++
			}
			for k, w := range ways {
				c := (&env{t: t, srv: e.srv, url: urls[k]}).as(d.OrgID, p.ID)
				for _, first := range []int{1, 7, 50} {
					var got []string
					after := ""
					for pages := 0; ; pages++ {
						if pages > len(all)+2 {
							t.Fatalf("%s, %s, first %d: paging does not end", p.Label, w.name, first)
						}
						vars := map[string]any{"f": first, "a": nil}
						if after != "" {
							vars["a"] = after
						}
						r := c.do(`query($f: Int, $a: String) { evaluations(first: $f, after: $a) { id } }`, vars)
						if len(r.Errors) > 0 {
							if r.Errors[0].Code() != "FORBIDDEN" || len(want) > 0 {
								t.Fatalf("%s: %s", p.Label, r.raw)
							}
							break
						}
						page := get(r.Data, "evaluations").([]any)
						for _, ev := range page {
							got = append(got, str(ev, "id"))
						}
						if len(page) < first {
							break
						}
						after = got[len(got)-1]
					}
					if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
						t.Errorf("%s, %s, first %d:\n got %v\nwant %v", p.Label, w.name, first, got, want)
					}
				}
				for _, bad := range []string{"eval_doesnotexist00000000"} {
					r := c.do(`query($a: String) { evaluations(first: 5, after: $a) { id } }`, map[string]any{"a": bad})
					if len(r.Errors) == 0 && len(get(r.Data, "evaluations").([]any)) != 0 {
						t.Errorf("%s, %s: after an unknown evaluation gives %s", p.Label, w.name, r.raw)
					}
				}
			}
		}
		if readers < 3 {
			t.Fatalf("only %d demo members read evaluations", readers)
		}
	})
}

// An interaction outlives its owner's removal; the owner then shows as a
// removed member, and every Member field of it answers (isOwner once
// failed with an internal error: the stand-in had no organization).
func TestRemovedOwnerShowsAsRemoved(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Leavers", "PRO", nil)
		rep := o.member("rep@leavers.example", []string{"recorder"}, nil, []string{"RECORDER"})
		call := o.interaction("left behind", rep, "")
		o.Owner.ok(`mutation($m: ID!) { removeMember(memberId: $m) }`, map[string]any{"m": rep.MemberID})
		d := o.Owner.ok(`query($i: ID!) { interaction(id: $i) { owner { id name status isOwner isGuest roles { id } } } }`, map[string]any{"i": call})
		owner := get(d, "interaction", "owner")
		if str(owner, "id") != rep.MemberID || str(owner, "status") != "DEACTIVATED" || get(owner, "isOwner") != false {
			t.Fatalf("removed owner shows as %v", owner)
		}
	})
}

// viewerCan's object writes itself (graph/gqlmodel/viewercan.go) rather
// than through gqlgen's per-field execution: what it writes must be what
// gqlgen writes for any other object — the selected fields in query order
// under their response names, through aliases, __typename, @skip/@include,
// @defer and fragments (merged where they repeat a field) — on a page and on
// interaction(id). The expected bodies are what gqlgen's own marshaling
// gave before (this test passed on both).
func TestViewerCanWrittenAsSelected(t *testing.T) {
	e := newEnv(t, memoryBackend)
	o := e.newOrg("Selections", "PRO", nil)
	o.team("Floor", "")
	o.team("Other", "")
	m := o.member("m@selections.example", []string{"agent"}, []string{"Floor"}, nil)
	far := o.member("far@selections.example", []string{"agent"}, []string{"Other"}, nil)
	r := o.Owner.ok(`mutation($in: CreateRoleInput!) { createRole(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "Mixed", "grants": []any{
			map[string]any{"permission": "interactions.read", "scope": "ALL"},
			map[string]any{"permission": "interactions.delete", "scope": "OWN"},
			map[string]any{"permission": "interactions.download", "scope": "TEAM"},
		}}})
	o.Owner.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
		map[string]any{"m": m.MemberID, "r": []string{str(r, "createRole", "id")}})
	own := o.interaction("own", m, "Floor")
	other := o.interaction("far", far, "Other")
	for _, c := range []struct {
		name, selection string
		vars            map[string]any
		id              string
		want            string
	}{
		{"all four", `viewerCan { read write delete download }`, nil, own,
			`{"read":true,"write":false,"delete":true,"download":true}`},
		{"another team's", `viewerCan { read write delete download }`, nil, other,
			`{"read":true,"write":false,"delete":false,"download":false}`},
		{"aliases, in query order", `viewerCan { dl: download r: read again: read }`, nil, own,
			`{"dl":true,"r":true,"again":true}`},
		{"__typename", `viewerCan { __typename delete }`, nil, own,
			`{"__typename":"InteractionPermissions","delete":true}`},
		{"skip and include", `viewerCan { read @skip(if: $s) write @include(if: $s) delete @include(if: false) }`,
			map[string]any{"s": true}, own, `{"write":false}`},
		{"none left", `viewerCan { read @skip(if: $s) }`, map[string]any{"s": true}, own, `{}`},
		{"fragments merged", `viewerCan { ...P read ... on InteractionPermissions { delete read } }`, nil, own,
			`{"read":true,"download":true,"delete":true}`},
		// Plain POST has no incremental delivery: gqlgen answers a
		// deferred fragment's fields at once, in place.
		{"@defer", `viewerCan { read ... @defer { write } }`, nil, own, `{"read":true,"write":false}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			frag := ` fragment P on InteractionPermissions { read download }`
			if !strings.Contains(c.selection, "...P") {
				frag = ""
			}
			vars := map[string]any{"i": c.id}
			for k, v := range c.vars {
				vars[k] = v
			}
			decl, pageDecl := `($i: ID!)`, ``
			if _, ok := c.vars["s"]; ok {
				decl, pageDecl = `($i: ID!, $s: Boolean!)`, `($s: Boolean!)`
			}
			one := m.do(`query`+decl+` { interaction(id: $i) { `+c.selection+` } }`+frag, vars)
			if want := `{"data":{"interaction":{"viewerCan":` + c.want + `}}}`; len(one.Errors) > 0 || strings.TrimSpace(string(one.raw)) != want {
				t.Errorf("interaction(id):\n got %s\nwant %s", one.raw, want)
			}
			page := m.do(`query`+pageDecl+` { interactions(first: 10) { edges { node { id `+c.selection+` } } } }`+frag, c.vars)
			if len(page.Errors) > 0 {
				t.Fatalf("page: %v", page.Errors)
			}
			want := `{"id":"` + c.id + `","viewerCan":` + c.want + `}`
			if !strings.Contains(string(page.raw), want) {
				t.Errorf("page: %s holds no %s", page.raw, want)
			}
		})
	}
}
