package authz

import (
	"testing"
	"time"
)

// TestCacheScope: an answer is cached under the horizon of the revision it
// was asked at, and not at all when that horizon is unknown or past.
func TestCacheScope(t *testing.T) {
	now := time.UnixMilli(1_000_000)
	soon := now.Add(time.Second)
	for _, c := range []struct {
		name      string
		f         Freshness
		rev       int64
		suffix    string
		cacheable bool
	}{
		{"no expiry ahead", Freshness{Revision: 4}, 4, "", true},
		{"an expiry ahead", Freshness{Revision: 4, Horizon: soon}, 4, "|h1001000", true},
		{"the horizon reached", Freshness{Revision: 4, Horizon: now}, 4, "", false},
		{"the horizon passed", Freshness{Revision: 4, Horizon: now.Add(-time.Millisecond)}, 4, "", false},
		// The request read its organization before this process wrote
		// revision 5 (a temporary grant): its horizon is not revision 5's.
		{"a newer remembered write, no horizon", Freshness{Revision: 4}, 5, "", false},
		{"a newer remembered write, a horizon", Freshness{Revision: 4, Horizon: soon}, 5, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			suffix, ok := cacheScope(c.f, c.rev, now)
			if suffix != c.suffix || ok != c.cacheable {
				t.Fatalf("cacheScope = %q, %v; want %q, %v", suffix, ok, c.suffix, c.cacheable)
			}
		})
	}
}
