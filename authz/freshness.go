package authz

import (
	"strconv"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
)

// Freshness identifies how fresh an answer must be for one organization:
// the revision and token the caller knows of (from its stored
// organization). The organization must be ready to be answered from: no
// committed change may be waiting in its outbox (outbox.Applier.Settle),
// or the answer would be as if that change had not been made.
type Freshness struct {
	OrgID    string
	Revision int64
	ZedToken string
	// Horizon is the soonest instant an answer may change without a write:
	// the organization's next role expiry (zero: none ahead). SpiceDB stops
	// counting an expiring relationship at its instant, and no revision is
	// bumped then, so a cached answer must not be served at or past it.
	Horizon time.Time
	// LastExpiry is the latest role expiry already past when the
	// organization was read (zero: none): answers must come from a SpiceDB
	// revision taken after it (expiry.go).
	LastExpiry time.Time
}

// cacheScope is how answers under f, asked at revision rev (freshest),
// may use the cache: the suffix that keys them by f's horizon (an answer
// cached before an expiry is never looked up after it, since the next
// request's horizon is a later one), and false when the cache must not be
// used at all:
//   - once the horizon has passed (the caller's organization was read
//     before it: ask SpiceDB);
//   - when rev is not f's own revision but a newer write this process
//     remembers (Remember). f's horizon describes the organization at
//     f.Revision, not at rev: a request that read its organization before
//     granting a temporary role (the grant's own request, or one running
//     alongside it) has no horizon, and an allow it cached under rev with
//     no horizon suffix would be found again by every request after the
//     role expired (their horizon is zero again, and rev unchanged until
//     the next write). That was the stale allow after expiry of issue 13.
func cacheScope(f Freshness, rev int64, now time.Time) (string, bool) {
	if rev != f.Revision {
		return "", false
	}
	if f.Horizon.IsZero() {
		return "", true
	}
	if !now.Before(f.Horizon) {
		return "", false
	}
	return "|h" + strconv.FormatInt(f.Horizon.UnixMilli(), 10), true
}

type orgToken struct {
	revision int64
	token    string
}

// Remember records a write applied to the organization's graph: the
// revision the store bumped with it and the ZedToken SpiceDB returned, so
// that answers here are at least as fresh as the write even before a
// caller's Freshness says so. An older revision than one already known
// changes nothing.
func (a *Authz) Remember(orgID string, revision int64, token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.tokens[orgID]; !ok || revision >= t.revision {
		a.tokens[orgID] = orgToken{revision: revision, token: token}
	}
}

// freshest picks the newest write known for the organization, from the
// caller or from this process's own writes: the revision decisions are
// cached under, and the consistency SpiceDB reads at. Both come from the
// same write, so a cached answer is never older than its key says.
func (a *Authz) freshest(f Freshness) (int64, *v1.Consistency) {
	rev, tok := f.Revision, f.ZedToken
	a.mu.Lock()
	if t, ok := a.tokens[f.OrgID]; ok && t.revision > rev {
		rev, tok = t.revision, t.token
	}
	a.mu.Unlock()
	if tok == "" {
		return rev, &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}}
	}
	return rev, &v1.Consistency{Requirement: &v1.Consistency_AtLeastAsFresh{AtLeastAsFresh: &v1.ZedToken{Token: tok}}}
}

func (a *Authz) consistency(f Freshness) *v1.Consistency {
	_, c := a.freshest(f)
	return c
}

// Revision is the newest revision of the organization known here.
func (a *Authz) Revision(f Freshness) int64 {
	rev, _ := a.freshest(f)
	return rev
}
