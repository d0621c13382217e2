package domain

import (
	"context"
	"errors"
	"sort"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

func notFoundAs(err error, replacement error) error {
	if errors.Is(err, store.ErrNotFound) {
		return replacement
	}
	return storeErr(err)
}

// Viewer is the calling member.
func (s *Service) Viewer(ctx context.Context, c Caller) (*model.Member, error) {
	m, err := s.store.GetMember(ctx, c.OrgID, c.MemberID)
	if err != nil {
		return nil, notFoundAs(err, errs.New(errs.Unauthenticated, "your member no longer exists: sign in again"))
	}
	return m, nil
}

// visibleMember returns a member the caller may see: themselves, or anyone
// with members.read. Unknown ids and ids of other organizations are nil.
func (s *Service) visibleMember(ctx context.Context, c Caller, org *model.Organization, id string) (*model.Member, error) {
	if !ids.Is(id, ids.Member) {
		return nil, nil
	}
	if id != c.MemberID {
		if err := s.mayReadMembers(ctx, org, c); err != nil {
			return nil, err
		}
	}
	m, err := s.store.GetMember(ctx, org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return m, storeErr(err)
}

// mayReadMembers is members.read at ALL for a member. A service (a
// product's backend, asking "may user X do Y") reads every member of its
// organization: the one rule of what a kind of principal reads, as
// opposed to what a member's roles grant, which SpiceDB answers.
func (s *Service) mayReadMembers(ctx context.Context, org *model.Organization, c Caller) error {
	if c.Service != "" {
		return nil
	}
	return s.requireAll(ctx, org, c.MemberID, "members.read")
}

// Member is member(id): nil when it does not exist in the organization.
func (s *Service) Member(ctx context.Context, c Caller, id string) (*model.Member, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.visibleMember(ctx, c, org, id)
}

// ListMembers pages the organization's members (needs members.read).
func (s *Service) ListMembers(ctx context.Context, c Caller, f store.MemberFilter) ([]*model.Member, int, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	if err := s.mayReadMembers(ctx, org, c); err != nil {
		return nil, 0, err
	}
	ms, err := s.store.ListMembers(ctx, org.ID, f)
	if err != nil {
		return nil, 0, storeErr(err)
	}
	n, err := s.store.CountMembers(ctx, org.ID, f.Status)
	return ms, n, storeErr(err)
}

// Can answers can(permission, resourceId, memberId).
func (s *Service) Can(ctx context.Context, c Caller, permission, resourceID, memberID string) (bool, error) {
	q, err := s.question(ctx, c, permission, memberID)
	if err != nil {
		return false, err
	}
	return s.decide(ctx, q, resourceID)
}

// question is what can and explain read before they ask SpiceDB: the
// caller's organization, the permission's action, and whose access is asked
// about (the caller, or memberId when the caller may see that member).
type question struct {
	org     *model.Organization
	action  *catalog.Action
	subject string
}

func (s *Service) question(ctx context.Context, c Caller, permission, memberID string) (question, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return question{}, err
	}
	a, ok := s.cat.Action(permission)
	if !ok {
		return question{}, errs.BadInput("permission", "unknown permission %q: see permissionCatalog for the keys", permission)
	}
	if c.Service != "" && memberID == "" {
		return question{}, errs.BadInput("memberId", "a service token asks about a member: give memberId")
	}
	q := question{org: org, action: a, subject: c.MemberID}
	if memberID != "" && memberID != c.MemberID {
		m, err := s.visibleMember(ctx, c, org, memberID)
		if err != nil {
			return question{}, err
		}
		if m == nil {
			return question{}, errs.BadInput("memberId", "no member with id %q in this organization", memberID)
		}
		q.subject = m.ID
	}
	return q, nil
}

// decide is can's answer to q on resourceID, or anywhere in the
// organization when resourceID is "".
func (s *Service) decide(ctx context.Context, q question, resourceID string) (bool, error) {
	if resourceID != "" {
		return s.checkResource(ctx, q.org, q.subject, q.action.Permission, "resourceId", resourceID)
	}
	return s.check(ctx, q.org, q.subject, q.action.Permission, nil)
}

// WhoCan lists the active members who may do permission on the resource
// (needs members.read): one LookupSubjects.
func (s *Service) WhoCan(ctx context.Context, c Caller, permission, resourceID string) ([]*model.Member, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	a, ok := s.cat.Action(permission)
	if !ok {
		return nil, errs.BadInput("permission", "unknown permission %q: see permissionCatalog for the keys", permission)
	}
	if err := s.mayReadMembers(ctx, org, c); err != nil {
		return nil, err
	}
	obj, err := s.objectFor(ctx, org, "resourceId", resourceID)
	if err != nil {
		return nil, err
	}
	if !s.resourceFits(a, obj) {
		return nil, errs.BadInput("resourceId", "%s is not asked of a %s", permission, obj.Type)
	}
	target, perm := *obj, a.ObjectKey()
	if a.Resource == catalog.ResourceOrg || obj.Type == rels.TypeOrganization {
		target, perm = grantObject(org.ID, permission), scopePermission("at", a.Max())
	}
	memberIDs, err := s.lookupSubjects(ctx, org, target, perm)
	if err != nil {
		return nil, storeErr(err)
	}
	sort.Strings(memberIDs)
	ms, err := s.store.GetMembers(ctx, org.ID, memberIDs)
	if err != nil {
		return nil, storeErr(err)
	}
	out := ms[:0]
	for _, m := range ms {
		if m.Status == model.StatusActive {
			out = append(out, m)
		}
	}
	return out, nil
}

// PermissionCatalog is the whole catalog; Modules are those of enabled products.
func (s *Service) Modules(org *model.Organization) []*catalog.Module {
	var out []*catalog.Module
	for _, m := range s.cat.Modules {
		if m.Product == "" || org.HasProduct(m.Product) {
			out = append(out, m)
		}
	}
	return out
}

// SeatPool is a pool with its use.
type SeatPool struct {
	Kind  model.SeatKind
	Total int
	Used  int
}

// SeatPools lists the pools with their use (needs seats.read, or
// members.read: seed 004 shows used licences on the users page).
func (s *Service) SeatPools(ctx context.Context, c Caller) ([]SeatPool, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "seats.read"); err != nil {
		if ok, _ := s.check(ctx, org, c.MemberID, "members.read", nil); !ok {
			return nil, err
		}
	}
	pools, err := s.store.ListSeatPools(ctx, org.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	totals := map[model.SeatKind]int{}
	for _, p := range pools {
		totals[p.Kind] = p.Total
	}
	out := make([]SeatPool, 0, len(model.AllSeatKinds))
	for _, k := range model.AllSeatKinds {
		used, err := s.store.CountSeatHolders(ctx, org.ID, k)
		if err != nil {
			return nil, storeErr(err)
		}
		out = append(out, SeatPool{Kind: k, Total: totals[k], Used: used})
	}
	return out, nil
}

// AuditLog pages audit events (needs audit_log.read).
func (s *Service) AuditLog(ctx context.Context, c Caller, p store.Page) ([]*model.AuditEvent, int, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "audit_log.read"); err != nil {
		return nil, 0, err
	}
	evs, err := s.store.ListAudit(ctx, org.ID, p)
	if err != nil {
		return nil, 0, storeErr(err)
	}
	n, err := s.store.CountAudit(ctx, org.ID)
	return evs, n, storeErr(err)
}
