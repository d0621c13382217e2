package ids

import (
	"strings"
	"testing"
)

// FuzzParseID: Parse never panics, and accepts exactly the ids of the
// grammar — a known kind, "_", then 1+ characters of [a-z0-9_-], at most
// MaxLen bytes in all — which is what lets an id reach the store and
// SpiceDB unescaped. Run longer with
//
//	go test -run='^$' -fuzz='^FuzzParseID$' -fuzztime=5m ./ids
func FuzzParseID(f *testing.F) {
	for _, k := range kinds {
		f.Add(New(k))
		f.Add(string(k) + "_")
		f.Add(string(k) + "_a")
		f.Add(string(k) + "_" + strings.Repeat("a", MaxLen-len(k)-1))
		f.Add(string(k) + "_" + strings.Repeat("a", MaxLen-len(k)))
		f.Add(strings.ToUpper(string(k)) + "_abc")
	}
	for _, s := range []string{"", "_", "__", "mem", "mem__", "mem_-", "mem_a_b-c", "_mem_abc", "mem-abc", "mem_ABC",
		"mem_a b", "mem_a|b", "mem_a\\b", "mem_a:b", "mem_a#b", "mem_a/b", "mem_\x00", "mem_é", "mem_\u212a", "mem_ａ",
		"org_abc\n", " org_abc", "mem_a\xff", "xyz_abc", "member_abc", "int_abc", "eval_abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		kind, ok := Parse(id)
		want, wantOK := grammar(id)
		if ok != wantOK || kind != want {
			t.Fatalf("Parse(%q) = %q, %v; the grammar says %q, %v", id, kind, ok, want, wantOK)
		}
		if !ok {
			if kind != "" {
				t.Fatalf("Parse(%q) refused but named kind %q", id, kind)
			}
			for _, k := range kinds {
				if Is(id, k) {
					t.Fatalf("Is(%q, %s) though Parse refuses it", id, k)
				}
			}
			return
		}
		if len(id) > MaxLen {
			t.Fatalf("accepted %d bytes > MaxLen", len(id))
		}
		if !strings.HasPrefix(id, string(kind)+"_") {
			t.Fatalf("Parse(%q) = %s, which is not its prefix", id, kind)
		}
		for _, k := range kinds {
			if Is(id, k) != (k == kind) {
				t.Fatalf("Is(%q, %s) = %v with Parse = %s", id, k, Is(id, k), kind)
			}
		}
		// Accepted ids are their own canonical form: nothing a store or
		// SpiceDB might fold (case, Unicode) can make two of them equal.
		if strings.ToLower(id) != id || strings.ToValidUTF8(id, "?") != id {
			t.Fatalf("accepted %q is not canonical", id)
		}
	})
}

// grammar is Parse's specification, written independently.
func grammar(id string) (Kind, bool) {
	if len(id) == 0 || len(id) > MaxLen {
		return "", false
	}
	i := strings.IndexByte(id, '_')
	if i < 0 || i == len(id)-1 {
		return "", false
	}
	for j := i + 1; j < len(id); j++ {
		c := id[j]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return "", false
		}
	}
	switch p := Kind(id[:i]); p {
	case Organization, Member, Team, Role, Interaction, Evaluation, AccessRequest:
		return p, true
	}
	return "", false
}
