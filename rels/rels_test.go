package rels

import (
	"reflect"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	for _, s := range []string{
		"grant:org_a_interactions_read#all@role:role_x#assignee",
		"product:org_a_ai#enabled_for@member:*",
		"team:team_a#manager@member:mem_b",
	} {
		r, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if r.String() != s {
			t.Errorf("round trip %q -> %q", s, r.String())
		}
	}
	for _, bad := range []string{"", "a:b#c", "a#c@d:e", "a:b@d:e", "a:b#c@d"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestDiff(t *testing.T) {
	r := func(s string) Relationship { x, _ := Parse(s); return x }
	a, b, c := r("a:1#r@m:1"), r("a:1#r@m:2"), r("a:1#r@m:3")
	got := Diff(NewSet(a, b), NewSet(b, c))
	want := []Update{{OpDelete, a}, {OpTouch, c}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff = %v, want %v", got, want)
	}
	if len(Diff(NewSet(a), NewSet(a))) != 0 {
		t.Error("Diff of equal sets is not empty")
	}
	if u := Touches(NewSet(a, b)); len(u) != 2 || u[0].Op != OpTouch {
		t.Errorf("Touches = %v", u)
	}
}
