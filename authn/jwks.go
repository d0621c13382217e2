package authn

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// maxJWKSBytes bounds a key set document; real ones are a few KiB.
const maxJWKSBytes = 1 << 20

// errFetchedRecently: a fetch is due but the last one was less than the
// refetch interval ago.
var errFetchedRecently = errors.New("the key set was fetched moments ago")

// keySet is the issuer's public keys, fetched from its jwks_uri: at start,
// when a token names a kid not among them, and when they are older than
// maxAge; never more often than once per interval, however many tokens ask.
type keySet struct {
	url      string
	client   *http.Client
	interval time.Duration
	maxAge   time.Duration
	now      func() time.Time

	cache atomic.Pointer[keyCache]
	// fetching admits one fetch at a time (a channel, so a waiter can
	// give up with its context); its holder owns lastFetch.
	fetching  chan struct{}
	lastFetch time.Time
}

type keyCache struct {
	keys    []jose.JSONWebKey
	fetched time.Time
}

func newKeySet(url string, client *http.Client, interval, maxAge time.Duration, now func() time.Time) *keySet {
	s := &keySet{url: url, client: client, interval: interval, maxAge: maxAge, now: now, fetching: make(chan struct{}, 1)}
	s.cache.Store(&keyCache{})
	return s
}

// withKeyID returns the keys with this kid; all keys for a token without
// one (RFC 7515 makes kid optional).
func (c *keyCache) withKeyID(kid string) []jose.JSONWebKey {
	if kid == "" {
		return c.keys
	}
	var keys []jose.JSONWebKey
	for _, k := range c.keys {
		if k.KeyID == kid {
			keys = append(keys, k)
		}
	}
	return keys
}

// forKeyID returns the keys a token with this kid may have been signed
// with, fetching the key set first if it has none or they are too old.
func (s *keySet) forKeyID(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	c := s.cache.Load()
	if keys := c.withKeyID(kid); len(keys) > 0 && s.now().Sub(c.fetched) < s.maxAge {
		return keys, nil
	}
	err := s.refresh(ctx)
	// After a failed fetch the keys already held still count: an issuer
	// outage must not refuse tokens signed with keys we know.
	if keys := s.cache.Load().withKeyID(kid); len(keys) > 0 {
		return keys, nil
	}
	switch {
	case errors.Is(err, errFetchedRecently):
		return nil, fmt.Errorf("no key with this kid in the issuer's key set (fetched again at most every %s)", s.interval)
	case err != nil:
		return nil, fmt.Errorf("no key with this kid is known and the issuer's key set could not be fetched: %w", err)
	}
	return nil, errors.New("no key with this kid in the issuer's key set")
}

// refresh fetches the key set unless a fetch started less than interval
// ago. A caller that waited for another's fetch finds it recent and uses
// its result.
func (s *keySet) refresh(ctx context.Context) error {
	select {
	case s.fetching <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.fetching }()
	now := s.now()
	if !s.lastFetch.IsZero() && now.Sub(s.lastFetch) < s.interval {
		return errFetchedRecently
	}
	// Counted before the request, so failures are rate-limited too.
	s.lastFetch = now
	keys, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	s.cache.Store(&keyCache{keys: keys, fetched: now})
	return nil
}

// fetch GETs and parses the key set. The caller's cancellation does not
// cut it short (its result serves every later caller), fetchTimeout does.
func (s *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", s.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", s.url, err)
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("GET %s: key set larger than %d bytes", s.url, maxJWKSBytes)
	}
	return parseKeySet(body)
}

// parseKeySet keeps the public signing keys of a JWK Set. Keys of a type
// or curve go-jose does not know are skipped, as RFC 7517 section 5 asks,
// and so are symmetric and private keys: an issuer publishes neither, and
// holding one is no business of a verifier.
func parseKeySet(body []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the key set is not a JWK Set: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(raw) != nil || !k.Valid() {
			continue
		}
		switch k.Key.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("the key set has no RSA, EC or Ed25519 public key")
	}
	return keys, nil
}
