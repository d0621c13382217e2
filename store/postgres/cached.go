package postgres

import (
	"context"
	"fmt"
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
	key := "m\x00" + orgID + "\x00" + memberID
	tok, ok := s.watch.token(orgID)
	if ok {
		// An answer read before the organization's next role expiry is
		// not served past it: its NextExpiry and LastExpiry would say the
		// expiry is still ahead, and every request would then bypass the
		// decision cache (authz.Freshness.Horizon) until the next write.
		if v, hit := s.watch.cache.get(key, tok); hit && !expiredSince(v.(*memberAnswer).org, time.Now()) {
			s.watch.hits.Add(1)
			a := v.(*memberAnswer)
			// Copies: callers must not change what the next request reads.
			o, m := a.org, a.member
			return &o, &m, nil
		}
	}
	o, m, err := s.reader.GetOrganizationMember(ctx, orgID, memberID)
	if err == nil && ok {
		s.watch.cache.put(key, tok, &memberAnswer{org: *o, member: *m})
	}
	return o, m, err
}

// Exists is reader.Exists, cached (found or not) while no write to the
// organization has committed since the read.
func (s *Store) Exists(ctx context.Context, orgID string, kind store.Entity, id string) (bool, error) {
	key := fmt.Sprintf("e\x00%s\x00%s\x00%s", orgID, kind, id)
	tok, ok := s.watch.token(orgID)
	if ok {
		if v, hit := s.watch.cache.get(key, tok); hit {
			s.watch.hits.Add(1)
			return v.(bool), nil
		}
	}
	found, err := s.reader.Exists(ctx, orgID, kind, id)
	if err == nil && ok {
		s.watch.cache.put(key, tok, found)
	}
	return found, err
}

// expiredSince reports whether o, as read, had a role expiry ahead that has
// now passed.
func expiredSince(o model.Organization, now time.Time) bool {
	return !o.NextExpiry.IsZero() && !now.Before(o.NextExpiry)
}
