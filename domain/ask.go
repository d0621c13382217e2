package domain

import (
	"context"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/model"
)

// Every question this package asks SpiceDB goes through these, so none can
// skip the step before it: the organization is settled first
// (outbox.Applier.Settle: its pending changes applied, or an error and no
// answer), and authz receives a ready Freshness. Errors come back as authz
// and the outbox return them; callers turn them into user errors (storeErr).

// fresh is how fresh an answer about org must be. A pending organization
// is settled, and the settled one replaces the request's memoized
// organization, so the rest of the request reads it rather than settling
// again.
func (s *Service) fresh(ctx context.Context, org *model.Organization) (authz.Freshness, error) {
	if org.Pending {
		settled, err := s.outbox.Settle(ctx, org)
		if err != nil {
			return authz.Freshness{}, err
		}
		remember(ctx, settled)
		org = settled
	}
	return authz.Freshness{OrgID: org.ID, Revision: org.Revision, ZedToken: org.ZedToken, Horizon: org.NextExpiry, LastExpiry: org.LastExpiry}, nil
}

// ask is authz.Check on a settled org.
func (s *Service) ask(ctx context.Context, org *model.Organization, c authz.Check) (bool, error) {
	f, err := s.fresh(ctx, org)
	if err != nil {
		return false, err
	}
	return s.authz.Check(ctx, f, c)
}

// askBulk is authz.CheckBulk on a settled org.
func (s *Service) askBulk(ctx context.Context, org *model.Organization, checks []authz.Check) ([]bool, error) {
	f, err := s.fresh(ctx, org)
	if err != nil {
		return nil, err
	}
	return s.authz.CheckBulk(ctx, f, checks)
}

// lookupResources is authz.LookupResources on a settled org.
func (s *Service) lookupResources(ctx context.Context, org *model.Organization, resourceType, permission, memberID string, limit int, cursor string) (authz.LookupPage, error) {
	f, err := s.fresh(ctx, org)
	if err != nil {
		return authz.LookupPage{}, err
	}
	return s.authz.LookupResources(ctx, f, resourceType, permission, memberID, limit, cursor)
}

// lookupSubjects is authz.LookupSubjects on a settled org.
func (s *Service) lookupSubjects(ctx context.Context, org *model.Organization, obj authz.Object, permission string) ([]string, error) {
	f, err := s.fresh(ctx, org)
	if err != nil {
		return nil, err
	}
	return s.authz.LookupSubjects(ctx, f, obj, permission)
}
