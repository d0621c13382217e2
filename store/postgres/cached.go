package postgres

import (
	"context"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// The Store's own GetOrganizationMember and Exists answer from the
// in-process cache of watch.go when they can; a transaction's reads never
// do (they must see the transaction's own writes and locks).

type memberAnswer struct {
	org    model.Organization
	member model.Member
}

// GetOrganizationMember is reader.GetOrganizationMember, cached while no
// write to the organization has committed since the read. Not found is
// not cached (a member may be created; it is rare and cheap to ask again).
func (s *Store) GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error) {
	// The token is taken before the read: a write committed during the
	// read makes it stale, so what was read is never cached as current.
	tok, ok := s.watch.token(orgID)
	if ok {
		if o, m, hit := s.cachedMember(orgID, memberID, tok); hit {
			return o, m, nil
		}
	}
	o, m, err := s.reader.GetOrganizationMember(ctx, orgID, memberID)
	if err == nil && ok {
		s.watch.cache.put(memberKey(orgID, memberID), tok, &memberAnswer{org: *o, member: *m})
	}
	return o, m, err
}

// CachedOrganizationMember is what GetOrganizationMember answers from
// memory, without reading Postgres; hit is false when it would have to
// read. The request path (package identity) reads synchronously on a hit,
// a map lookup, and runs a miss beside other work.
func (s *Store) CachedOrganizationMember(orgID, memberID string) (_ *model.Organization, _ *model.Member, hit bool) {
	tok, ok := s.watch.token(orgID)
	if !ok {
		return nil, nil, false
	}
	return s.cachedMember(orgID, memberID, tok)
}

func memberKey(orgID, memberID string) string { return "m\x00" + orgID + "\x00" + memberID }

func (s *Store) cachedMember(orgID, memberID string, tok watchToken) (*model.Organization, *model.Member, bool) {
	v, hit := s.watch.cache.get(memberKey(orgID, memberID), tok)
	// An answer read before the organization's next role expiry is not
	// served past it: its NextExpiry and LastExpiry would say the expiry
	// is still ahead, and every request would then bypass the decision
	// cache (authz.Freshness.Horizon) until the next write.
	if !hit || expiredSince(v.(*memberAnswer).org, time.Now()) {
		return nil, nil, false
	}
	s.watch.hits.Add(1)
	a := v.(*memberAnswer)
	// Copies: callers must not change what the next request reads.
	o, m := a.org, a.member
	return &o, &m, true
}

// Exists is reader.Exists, cached (found or not) while no write to the
// organization has committed since the read.
func (s *Store) Exists(ctx context.Context, orgID string, kind store.Entity, id string) (bool, error) {
	tok, ok := s.watch.token(orgID) // before the read, as above
	if ok {
		if found, hit := s.cachedExists(orgID, kind, id, tok); hit {
			return found, nil
		}
	}
	found, err := s.reader.Exists(ctx, orgID, kind, id)
	if err == nil && ok {
		s.watch.cache.put(existsKey(orgID, kind, id), tok, found)
	}
	return found, err
}

// CachedExists is what Exists answers from memory, without reading
// Postgres; hit is false when it would have to read.
func (s *Store) CachedExists(orgID string, kind store.Entity, id string) (found, hit bool) {
	tok, ok := s.watch.token(orgID)
	if !ok {
		return false, false
	}
	return s.cachedExists(orgID, kind, id, tok)
}

func existsKey(orgID string, kind store.Entity, id string) string {
	return "e\x00" + orgID + "\x00" + string(kind) + "\x00" + id
}

func (s *Store) cachedExists(orgID string, kind store.Entity, id string, tok watchToken) (found, hit bool) {
	v, hit := s.watch.cache.get(existsKey(orgID, kind, id), tok)
	if !hit {
		return false, false
	}
	s.watch.hits.Add(1)
	return v.(bool), true
}

// expiredSince reports whether o, as read, had a role expiry ahead that has
// now passed.
func expiredSince(o model.Organization, now time.Time) bool {
	return !o.NextExpiry.IsZero() && !now.Before(o.NextExpiry)
}
