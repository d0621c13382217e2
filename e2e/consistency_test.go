package e2e

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/store"
)

// answers is everything a backend decides about the demo organization,
// keyed by demo labels and interaction titles so that two backends with
// different ids can be compared.
type answers struct {
	ViewerCan map[string]domain.InteractionPermissions // "person/title"
	Grants    map[string]string                        // "person" -> sorted grants
	Visible   map[string]int                           // "person" -> interactions listed
}

func decide(t *testing.T, e *env) answers {
	t.Helper()
	ctx, d := loadDemo(t, e)
	svc := e.srv.Service
	all, err := e.srv.Store.ListInteractions(ctx, d.OrgID, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != demo.Interactions {
		t.Fatalf("demo has %d interactions, want %d", len(all), demo.Interactions)
	}
	var idList []string
	for _, i := range all {
		idList = append(idList, i.ID)
	}
	a := answers{ViewerCan: map[string]domain.InteractionPermissions{}, Grants: map[string]string{}, Visible: map[string]int{}}
	for _, p := range d.People {
		c := domain.Caller{OrgID: d.OrgID, MemberID: p.ID}
		flags, err := svc.ViewerCan(ctx, c, idList)
		if err != nil {
			t.Fatal(err)
		}
		for k, i := range all {
			a.ViewerCan[p.Label+"/"+i.Title] = flags[k]
		}
		gs, err := svc.EffectiveGrants(ctx, c, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, g := range gs {
			s = append(s, g.Permission+":"+string(g.Scope))
		}
		sort.Strings(s)
		a.Grants[p.Label] = fmt.Sprint(s)
		page, err := svc.Interactions(ctx, c, domain.MaxPageSize, "", "", domain.PageOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Visible[p.Label], err = page.Total(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// The same organization on SpiceDB's memory datastore and on its Postgres
// datastore must get identical answers — 13 members × 200 interactions × 4
// flags, every member's effective grants and listing.
func TestBackendsAnswerIdentically(t *testing.T) {
	if len(backends()) < 2 {
		t.Skip("needs both backends")
	}
	t.Parallel() // answers only (forEachBackendAtOnce)
	mem := decide(t, newEnv(t, memoryBackend))
	pg := decide(t, newEnv(t, postgresBackend))
	if len(mem.ViewerCan) != 13*demo.Interactions {
		t.Fatalf("compared %d flag sets", len(mem.ViewerCan))
	}
	for k, v := range mem.ViewerCan {
		if pg.ViewerCan[k] != v {
			t.Errorf("%s: memory %+v, postgres %+v", k, v, pg.ViewerCan[k])
		}
	}
	if !reflect.DeepEqual(mem.Grants, pg.Grants) {
		t.Errorf("grants differ:\nmemory   %v\npostgres %v", mem.Grants, pg.Grants)
	}
	if !reflect.DeepEqual(mem.Visible, pg.Visible) {
		t.Errorf("listings differ: memory %v, postgres %v", mem.Visible, pg.Visible)
	}
	// The answers themselves, by scope: the owner and ALL roles see all 200,
	// the sales manager sees every sales call (sub-teams included), the EMEA
	// manager only EMEA's, a recorder only their own, the guest only theirs.
	want := map[string]int{"owner": 200, "admin": 200, "auditor": 200, "analyst": 200, "analyst-plus": 200}
	for label, n := range want {
		if mem.Visible[label] != n {
			t.Errorf("%s lists %d interactions, want %d", label, mem.Visible[label], n)
		}
	}
	if v := mem.Visible; !(v["manager-emea"] < v["manager-sales"] && v["recorder-emea-1"] < v["manager-emea"] &&
		v["guest"] > 0 && v["guest"] < v["recorder-emea-1"] && v["recorder-noseat"] > 0) {
		t.Errorf("scopes do not nest as they should: %v", v)
	}
}
