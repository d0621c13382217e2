package authn

import (
	"sync"
	"time"
)

// Every GraphQL request presents the same bearer token as the one before
// it, and verifying an HS256 token (decode the header and claims, HMAC,
// validate) cost ~30 µs of CPU per request under load (cmd/bench,
// measurement 8) — more than a decision-cache hit. A Verifier remembers
// the tokens it verified, keyed by the whole token text: only a token that
// verified is remembered, so a changed signature, header or claim is
// another key and is verified in full. What verification decided from the
// clock is decided again at each use (the token's exp; tokens with nbf are
// not remembered), and the secrets a Verifier holds never change.

// maxVerified bounds the remembered tokens; past it the memory starts over
// (tokens of ~200 bytes: about 2 MB).
const maxVerified = 10_000

type verifiedTokens struct {
	mu sync.RWMutex
	m  map[string]Claims
}

// get is the claims of raw if it verified before and has not expired at
// now.
func (v *verifiedTokens) get(raw string, now time.Time) (Claims, bool) {
	v.mu.RLock()
	c, ok := v.m[raw]
	v.mu.RUnlock()
	if !ok || !now.Before(c.ExpiresAt) {
		return Claims{}, false // expired: verified again, for its error
	}
	return c, true
}

func (v *verifiedTokens) put(raw string, c Claims) {
	v.mu.Lock()
	if v.m == nil || len(v.m) >= maxVerified {
		v.m = make(map[string]Claims)
	}
	v.m[raw] = c
	v.mu.Unlock()
}
