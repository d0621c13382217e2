package ids

import "testing"

func TestNewParses(t *testing.T) {
	for _, k := range kinds {
		id := New(k)
		got, ok := Parse(id)
		if !ok || got != k {
			t.Errorf("Parse(New(%s)) = %s, %v", k, got, ok)
		}
		if New(k) == id {
			t.Errorf("two ids of %s are equal", k)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, id := range []string{"", "mem", "mem_", "_abc", "xyz_abc", "mem_ABC", "mem_a b", "mem_a.b", "mem_a/b",
		"mem_" + string(make([]byte, 70)), "mem_é"} {
		if _, ok := Parse(id); ok {
			t.Errorf("Parse(%q) accepted", id)
		}
	}
	if Is("team_abc", Member) || !Is("team_abc", Team) {
		t.Error("Is confuses kinds")
	}
}

// Every kind reads as a word in messages ("is not a member id"), not as a
// prefix such as "mem" that Noun falls back to.
func TestEveryKindHasANoun(t *testing.T) {
	for _, k := range kinds {
		if _, ok := nouns[k]; !ok {
			t.Errorf("kind %q has no noun: add it to nouns", k)
		}
	}
	if got := Member.Noun(); got != "member" {
		t.Errorf("Member.Noun() = %q, want member", got)
	}
}
