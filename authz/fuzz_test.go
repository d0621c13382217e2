package authz

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// keyTuple is everything a decision key is about.
type keyTuple struct {
	org      string
	revision int64
	check    Check
}

func (k keyTuple) key() string { return DecisionKey(k.org, k.revision, k.check) }

func (k keyTuple) fields() []string {
	return []string{k.org, strconv.FormatInt(k.revision, 10), k.check.Object.Type, k.check.Object.ID, k.check.Permission, k.check.MemberID}
}

func tupleOf(f []string, revision int64) keyTuple {
	return keyTuple{org: f[0], revision: revision, check: Check{Object: Object{Type: f[2], ID: f[3]}, Permission: f[4], MemberID: f[5]}}
}

// decodeKey inverts DecisionKey: that it can is why distinct tuples never
// share a key.
func decodeKey(key string) ([]string, bool) {
	rest, ok := strings.CutPrefix(key, keyPrefix+"|")
	if !ok {
		return nil, false
	}
	var fields []string
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			if i+1 == len(rest) || (rest[i+1] != '|' && rest[i+1] != '\\') {
				return nil, false
			}
			i++
			b.WriteByte(rest[i])
		case '|':
			fields = append(fields, b.String())
			b.Reset()
		default:
			b.WriteByte(rest[i])
		}
	}
	return append(fields, b.String()), true
}

// FuzzDecisionKey: two question tuples share a cache key exactly when they
// are equal, whatever their fields hold ('|', '\\', empty, non-UTF-8), and
// every key decodes back to its tuple. The fuzzer mutates both tuples; each
// run also tries the near misses an escaping bug would confuse: the
// boundary between two adjacent fields moved by one byte, and a field with
// a separator or escape appended. Run longer with
//
//	go test -run='^$' -fuzz='^FuzzDecisionKey$' -fuzztime=5m ./authz
func FuzzDecisionKey(f *testing.F) {
	f.Add("org_a", int64(1), "grant", "org_a/interactions.read", "at_own", "mem_a",
		"org_a", int64(1), "grant", "org_a/interactions.read", "at_own", "mem_a")
	f.Add("org_a", int64(1), "grant", "x|y", "at_own", "mem_a",
		"org_a", int64(1), "grant|x", "y", "at_own", "mem_a")
	f.Add("a\\", int64(2), "|b", "", "", "",
		"a\\|", int64(2), "b", "", "", "")
	f.Add("a\\|b", int64(0), "\\", "|", "\\|", "|\\",
		"a", int64(0), "b\\", "\\|", "|", "\\\\")
	f.Add("", int64(-1), "", "", "", "",
		"", int64(1), "", "", "", "")
	f.Add("org_1", int64(12), "member", "mem_1", "members_write", "mem_2",
		"org_11", int64(2), "member", "mem_1", "members_write", "mem_2")
	f.Add("\xff|", int64(9223372036854775807), "rg1", "|rg1|", "\x00", "mem",
		"\xff", int64(-9223372036854775808), "|rg1", "rg1|", "\x00|", "mem")
	f.Fuzz(func(t *testing.T, o1 string, r1 int64, ty1, id1, p1, m1 string, o2 string, r2 int64, ty2, id2, p2, m2 string) {
		a := keyTuple{o1, r1, Check{Object{ty1, id1}, p1, m1}}
		b := keyTuple{o2, r2, Check{Object{ty2, id2}, p2, m2}}
		pair(t, a, b)

		// Near misses of a.
		fa := a.fields()
		for i := 0; i+1 < len(fa); i++ {
			if i == 1 || i+1 == 1 {
				continue // the revision is a number: no bytes to move
			}
			joined := fa[i] + fa[i+1]
			for _, cut := range []int{len(fa[i]) - 1, len(fa[i]) + 1} {
				if cut < 0 || cut > len(joined) {
					continue
				}
				g := append([]string(nil), fa...)
				g[i], g[i+1] = joined[:cut], joined[cut:]
				pair(t, a, tupleOf(g, a.revision))
			}
		}
		for i := range fa {
			if i == 1 {
				continue
			}
			for _, extra := range []string{"|", "\\", "\\|", "|\\"} {
				g := append([]string(nil), fa...)
				g[i] += extra
				pair(t, a, tupleOf(g, a.revision))
			}
		}
	})
}

func pair(t *testing.T, a, b keyTuple) {
	t.Helper()
	ka, kb := a.key(), b.key()
	if (a == b) != (ka == kb) {
		t.Fatalf("tuples %q and %q (equal: %v) have keys %q and %q", a.fields(), b.fields(), a == b, ka, kb)
	}
	for _, x := range []struct {
		t keyTuple
		k string
	}{{a, ka}, {b, kb}} {
		got, ok := decodeKey(x.k)
		if !ok || !slices.Equal(got, x.t.fields()) {
			t.Fatalf("key %q of %q decodes to %q (%v)", x.k, x.t.fields(), got, ok)
		}
	}
}
