package e2e

// The OIDC issuer's keys change under a running rolegraph: a key the
// issuer starts signing with is picked up without a restart, and tokens
// naming made-up kids (a flood) cannot make rolegraph hammer the issuer's
// JWKS endpoint: at most one fetch per refetch interval, counted on the
// test's issuer.

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/server"
)

func TestOIDCKeyRotationAndKidFlood(t *testing.T) {
	// Short, so that the test waits seconds; production's is
	// authn.DefaultRefetchInterval (10 s).
	const interval = 2 * time.Second
	flood := 1000
	is := newIssuer(t)
	e := newEnvOn(t, memoryBackend, func(c *server.Config) {
		c.OIDC = authn.OIDCConfig{Issuer: is.url, Audience: oidcAudience, RefetchInterval: interval}
	})
	d := e.operator().ok(`mutation($in: CreateOrganizationInput!) { createOrganization(input: $in) { owner { id } } }`,
		map[string]any{"in": map[string]any{"name": "Rotor", "ownerEmail": "olivia@rotor.example", "ownerName": "Olivia",
			"externalId": "rotor", "ownerExternalId": "idp|olivia"}})
	ownerID := str(d, "createOrganization", "owner", "id")
	signedIn := func(tok string) (int, string) {
		r := bearer(e, tok).do(viewerQ, nil)
		if r.Status != http.StatusOK || len(r.Errors) > 0 {
			return r.Status, string(r.raw)
		}
		return r.Status, str(r.Data, "viewer", "id")
	}
	claims := func() map[string]any { return is.claims("rotor", "idp|olivia") }
	if st, got := signedIn(is.sign("rsa1", claims())); got != ownerID {
		t.Fatalf("before rotation: %d %s", st, got)
	}

	// Rotation: the issuer publishes a new key set (a new RSA key, the old
	// one withdrawn) and signs with the new key at once.
	rotated := newSigningKey(t, jose.RS256)
	is.mu.Lock()
	is.keys = map[string]signingKey{"rsa2": rotated}
	is.mu.Unlock()
	start, hitsBefore := time.Now(), is.jwksHits.Load()
	var took time.Duration
	for {
		st, got := signedIn(is.sign("rsa2", claims()))
		if got == ownerID {
			took = time.Since(start)
			break
		}
		if st != http.StatusUnauthorized {
			t.Fatalf("a token of the rotated key: %d %s", st, got)
		}
		if time.Since(start) > 3*interval {
			t.Fatalf("a token of the rotated key is still refused %v after the rotation (refetch interval %v)", time.Since(start), interval)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if took > interval+time.Second {
		t.Errorf("the rotated key was accepted after %v, more than the refetch interval %v", took, interval)
	}
	t.Logf("rotation: the new kid was accepted %v after the issuer started signing with it, %d JWKS fetch(es), no restart",
		took.Round(time.Millisecond), is.jwksHits.Load()-hitsBefore)

	// The flood: every token names a kid the issuer never published.
	stranger := newSigningKey(t, jose.ES256) // ES256 signs fast
	toks := make([]string, flood)
	for i := range toks {
		var b [8]byte
		rand.Read(b[:])
		toks[i] = signWith(t, "kid-"+hex.EncodeToString(b[:]), stranger, claims())
	}
	// Past the interval of the last fetch, so that the flood may cause
	// one; then in 5 waves half an interval apart, so that it spans
	// several intervals.
	time.Sleep(interval)
	hitsBefore = is.jwksHits.Load()
	var refused atomic.Int64
	start = time.Now()
	const waves = 5
	for w := range waves {
		if w > 0 {
			time.Sleep(interval / 2)
		}
		var next atomic.Int64
		wave := toks[w*flood/waves : (w+1)*flood/waves]
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for i := next.Add(1) - 1; i < int64(len(wave)); i = next.Add(1) - 1 {
					if r := bearer(e, wave[i]).do(viewerQ, nil); r.Status == http.StatusUnauthorized {
						refused.Add(1)
					}
				}
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	hits := is.jwksHits.Load() - hitsBefore
	// One fetch per interval at most, plus one for the interval the
	// flood started in.
	limit := int64(elapsed/interval) + 1
	t.Logf("flood: %d tokens with random kids in %v → %d refused, %d JWKS fetches (limit %d: one per %v), discovery fetched %d time(s) in all",
		flood, elapsed.Round(time.Millisecond), refused.Load(), hits, limit, interval, is.discoveryHits.Load())
	if refused.Load() != int64(flood) {
		t.Errorf("%d of %d tokens with unknown kids were refused, want all (401)", refused.Load(), flood)
	}
	if hits == 0 {
		t.Errorf("the flood caused no JWKS fetch: an unknown kid past the interval should refetch once")
	}
	if hits > limit {
		t.Errorf("the flood caused %d JWKS fetches in %v; at most %d (one per %v)", hits, elapsed, limit, interval)
	}
	if n := is.discoveryHits.Load(); n != 1 {
		t.Errorf("discovery fetched %d times, want once (at start)", n)
	}
	// The flood locked no one out.
	if st, got := signedIn(is.sign("rsa2", claims())); got != ownerID {
		t.Errorf("after the flood, a genuine token: %d %s", st, got)
	}
}
