package reconcile

// The parts that need no SpiceDB. Everything that reads or writes SpiceDB
// is tested in e2e/outbox_test.go (the test binary that links SpiceDB).

import (
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/rels"
)

func mustParse(t *testing.T, s string) rels.Relationship {
	t.Helper()
	r, err := rels.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReconcileDiffAndUpdates(t *testing.T) {
	a := mustParse(t, "team:t1#org@organization:o1")
	b := mustParse(t, "member:m1#team@team:t1")
	c := mustParse(t, "grant:o1_interactions_read#all@role:r1#assignee")
	d := Diff(rels.NewSet(a, b), rels.NewSet(b, c))
	if len(d.Missing) != 1 || d.Missing[0] != a || len(d.Extra) != 1 || d.Extra[0] != c {
		t.Fatalf("diff = %+v", d)
	}
	u := d.Updates()
	// Deletes first, then touches: no update names a tuple twice.
	if len(u) != 2 || u[0].Op != rels.OpDelete || u[0].Rel != c || u[1].Op != rels.OpTouch || u[1].Rel != a {
		t.Fatalf("updates = %+v", u)
	}
	if !Diff(rels.NewSet(a), rels.NewSet(a)).Empty() {
		t.Fatal("equal sets drift")
	}
	if s := d.String(); !strings.Contains(s, "1 missing, 1 extra") || !strings.Contains(s, c.String()) {
		t.Fatalf("String() = %q", s)
	}
}

func TestReconcileOrgTies(t *testing.T) {
	tuples := []rels.Relationship{
		mustParse(t, "interaction:i1#org@organization:o1"),
		mustParse(t, "interaction:i1#owner@member:m1"),
	}
	if mine, other := orgTies(tuples, "o1"); !mine || other != "" {
		t.Fatalf("orgTies = %v %q", mine, other)
	}
	if mine, other := orgTies(tuples, "o2"); mine || other != "o1" {
		t.Fatalf("orgTies for another org = %v %q", mine, other)
	}
	tuples = append(tuples, mustParse(t, "interaction:i1#org@organization:o2"))
	if mine, other := orgTies(tuples, "o1"); !mine || other != "o2" {
		t.Fatalf("orgTies for a doubly tied object = %v %q", mine, other)
	}
}

func TestReconcileReportPrint(t *testing.T) {
	rep := &Report{OrgID: "o1", Expected: 3, Actual: 9, Pending: 2}
	for i := 0; i < 7; i++ {
		rep.Drift.Extra = append(rep.Drift.Extra, mustParse(t, "member:m"+string(rune('a'+i))+"#org@organization:o1"))
	}
	rep.Drift.Missing = []rels.Relationship{mustParse(t, "team:t1#org@organization:o1")}
	rep.Conflicts = []Conflict{{Object: "team:t9", Reason: "tied to organization o2 too"}}
	rep.Repaired = true
	var b strings.Builder
	rep.Print(&b, false)
	out := b.String()
	for _, want := range []string{
		"organization o1: 3 relationships expected, 9 in SpiceDB; applied 2 pending outbox entries first",
		"drift: 1 missing, 7 extra, 1 conflicts",
		"missing team:t1#org@organization:o1",
		"… 2 more extra",
		"conflict team:t9: tied to organization o2 too (left alone)",
		"repaired: 7 deleted, 1 written; drift after repair: 0 missing, 0 extra",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	rep.Print(&b, true)
	if strings.Contains(b.String(), "more extra") || strings.Count(b.String(), "    extra ") != 7 {
		t.Errorf("verbose report:\n%s", b.String())
	}
}
