package domain

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// Time-bound access (issue 13): roles held until an instant. The expiry is
// SpiceDB's own (an expiring relationship, rels.Member), so access ends at
// the instant whether or not anything here runs then; the store keeps the
// assignment (who granted it, why) and every reader here leaves expired
// ones out. Decisions are never cached past the organization's next expiry
// (model.Organization.NextExpiry, authz.Freshness.Horizon).

// MaxTemporaryAccess is how far ahead a temporary role may end.
const MaxTemporaryAccess = 90 * 24 * time.Hour

// MaxReasonLen bounds reasons given for access.
const MaxReasonLen = 500

// expiry parses an expiry that must be in the future and at most
// MaxTemporaryAccess away. Milliseconds are what SpiceDB and both stores
// keep exactly, so the instant stored is the instant enforced.
func (s *Service) expiry(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, errs.BadInput(field, "%s must be an RFC 3339 time such as 2026-12-01T00:00:00Z", field)
	}
	t = t.UTC().Truncate(time.Millisecond)
	now := s.now()
	if !t.After(now) {
		return time.Time{}, errs.BadInput(field, "%s must be in the future", field)
	}
	if t.After(now.Add(MaxTemporaryAccess)) {
		return time.Time{}, errs.BadInput(field, "%s must be at most 90 days away", field)
	}
	return t, nil
}

// RoleAssignments are the member's roles as assignments: permanent ones
// (zero ExpiresAt) and the temporary ones not yet expired, by role id.
func (s *Service) RoleAssignments(m *model.Member) []model.RoleAssignment {
	out := make([]model.RoleAssignment, 0, len(m.RoleIDs)+len(m.TempRoles))
	for _, r := range m.RoleIDs {
		out = append(out, model.RoleAssignment{RoleID: r})
	}
	out = append(out, m.ActiveTempRoles(s.now())...)
	slices.SortFunc(out, func(a, b model.RoleAssignment) int {
		switch {
		case a.RoleID < b.RoleID:
			return -1
		case a.RoleID > b.RoleID:
			return 1
		}
		return 0
	})
	return out
}

// HeldRoleIDs is what Member.roles shows: permanent roles and unexpired
// temporary ones.
func (s *Service) HeldRoleIDs(m *model.Member) []string {
	as := s.RoleAssignments(m)
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.RoleID
	}
	return out
}

// withoutTemp drops the member's temporary assignment of the role.
func withoutTemp(m *model.Member, roleID string) {
	m.TempRoles = slices.DeleteFunc(slices.Clone(m.TempRoles), func(a model.RoleAssignment) bool { return a.RoleID == roleID })
}

// grantTemp gives m the role until exp; the guard and the member checks
// are memberChange's, the role's the caller's grants.
func (s *Service) grantTemp(ctx context.Context, c Caller, tx store.Tx, org *model.Organization, m *model.Member,
	field, roleID string, exp time.Time, reason string) error {
	roles, err := rolesIn(ctx, tx, org.ID, field, []string{roleID})
	if err != nil {
		return err
	}
	if err := s.guardRoles(ctx, c, org, roles); err != nil {
		return err
	}
	if m.HasRole(roleID) {
		return errs.BadInput(field, "the member already holds this role permanently")
	}
	withoutTemp(m, roleID)
	m.TempRoles = append(m.TempRoles, model.RoleAssignment{RoleID: roleID, ExpiresAt: exp, GrantedBy: c.MemberID, Reason: reason})
	return nil
}

// GrantTemporaryRole gives a member a role until expiresAt (members.write
// on them, the role within the caller's grants, a reason). Granting a role
// the member holds temporarily already replaces that assignment.
func (s *Service) GrantTemporaryRole(ctx context.Context, c Caller, memberID, roleID, expiresAt, reason string) (*model.Member, error) {
	if err := id("roleId", roleID, ids.Role); err != nil {
		return nil, err
	}
	exp, err := s.expiry("expiresAt", expiresAt)
	if err != nil {
		return nil, err
	}
	why, err := text("reason", reason, MaxReasonLen)
	if err != nil {
		return nil, err
	}
	m, err := s.memberChange(ctx, c, "grantTemporaryRole", memberID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		return s.grantTemp(ctx, c, tx, org, m, "roleId", roleID, exp, why)
	})
	if err == nil {
		s.expiryScheduled()
	}
	return m, err
}

// ExtendRoleAssignment moves the end of an unexpired temporary role.
func (s *Service) ExtendRoleAssignment(ctx context.Context, c Caller, memberID, roleID, expiresAt string) (*model.Member, error) {
	if err := id("roleId", roleID, ids.Role); err != nil {
		return nil, err
	}
	exp, err := s.expiry("expiresAt", expiresAt)
	if err != nil {
		return nil, err
	}
	m, err := s.memberChange(ctx, c, "extendRoleAssignment", memberID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		a, ok := m.TempRole(roleID)
		if !ok || !s.now().Before(a.ExpiresAt) {
			return errs.BadInput("roleId", "the member holds no unexpired temporary assignment of this role: grant it with grantTemporaryRole")
		}
		roles, err := rolesIn(ctx, tx, org.ID, "roleId", []string{roleID})
		if err != nil {
			return err
		}
		if err := s.guardRoles(ctx, c, org, roles); err != nil {
			return err
		}
		withoutTemp(m, roleID)
		a.ExpiresAt = exp
		m.TempRoles = append(m.TempRoles, a)
		return nil
	})
	if err == nil {
		s.expiryScheduled()
	}
	return m, err
}

// RevokeRoleAssignment takes a role away now: a temporary one, or a
// permanent one other than the member's last.
func (s *Service) RevokeRoleAssignment(ctx context.Context, c Caller, memberID, roleID string) (*model.Member, error) {
	if err := id("roleId", roleID, ids.Role); err != nil {
		return nil, err
	}
	return s.memberChange(ctx, c, "revokeRoleAssignment", memberID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		if a, ok := m.TempRole(roleID); ok && s.now().Before(a.ExpiresAt) {
			withoutTemp(m, roleID)
			return nil
		}
		if !m.HasRole(roleID) {
			return errs.BadInput("roleId", "the member does not hold this role")
		}
		if len(m.RoleIDs) == 1 {
			return errs.BadInput("roleId", "this is the member's last permanent role: give them another with setMemberRoles first")
		}
		m.RoleIDs = slices.DeleteFunc(slices.Clone(m.RoleIDs), func(r string) bool { return r == roleID })
		return nil
	})
}

// MaxExpiringWithinHours bounds expiringAccess's window (90 days).
const MaxExpiringWithinHours = 90 * 24

// ExpiringAccess lists temporary roles ending within the next withinHours,
// soonest first (members.read).
func (s *Service) ExpiringAccess(ctx context.Context, c Caller, withinHours int) ([]model.ExpiringRole, error) {
	if withinHours < 1 || withinHours > MaxExpiringWithinHours {
		return nil, errs.BadInput("withinHours", "withinHours must be between 1 and %d", MaxExpiringWithinHours)
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "members.read"); err != nil {
		return nil, err
	}
	now := s.now()
	out, err := s.store.ListExpiringRoles(ctx, org.ID, now, now.Add(time.Duration(withinHours)*time.Hour))
	return out, storeErr(err)
}

// --- access requests ---

// RequestAccess records the caller's request for a permission they were
// denied, optionally on one resource.
func (s *Service) RequestAccess(ctx context.Context, c Caller, permission string, resourceID *string, reason string) (*model.AccessRequest, error) {
	if _, ok := s.cat.Action(permission); !ok {
		return nil, errs.BadInput("permission", "unknown permission %q: use a key of the permission catalog such as interactions.read", permission)
	}
	why, err := text("reason", reason, MaxReasonLen)
	if err != nil {
		return nil, err
	}
	r := &model.AccessRequest{ID: ids.New(ids.AccessRequest), OrgID: c.OrgID, RequesterID: c.MemberID,
		Permission: permission, Reason: why, Status: model.AccessPending, CreatedAt: s.now().UTC()}
	if resourceID != nil {
		// Before the transaction, not in it: objectFor reads through the
		// store, whose memory implementation holds its lock for the whole
		// transaction (a read from inside waited forever).
		org, err := s.Organization(ctx, c)
		if err != nil {
			return nil, err
		}
		if _, err := s.objectFor(ctx, org, "resourceId", *resourceID); err != nil {
			return nil, err
		}
		r.ResourceID = *resourceID
	}
	err = s.change(ctx, c, "requestAccess", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if err := tx.CreateAccessRequest(ctx, r); err != nil {
			return err
		}
		return record(ev, r.ID, nil, map[string]any{"permission": r.Permission, "resourceId": r.ResourceID, "reason": r.Reason})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// AccessRequests lists requests newest first, of one status or all:
// everyone's for a caller with members.read, else the caller's own.
func (s *Service) AccessRequests(ctx context.Context, c Caller, status *model.AccessRequestStatus) ([]*model.AccessRequest, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	all, err := s.check(ctx, org, c.MemberID, "members.read", nil)
	if err != nil {
		return nil, storeErr(err)
	}
	rs, err := s.store.ListAccessRequests(ctx, org.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	now := s.now()
	out := rs[:0]
	for _, r := range rs {
		r.Status = r.StatusAt(now)
		if (all || r.RequesterID == c.MemberID) && (status == nil || r.Status == *status) {
			out = append(out, r)
		}
	}
	return out, nil
}

// AccessRequestStatusAt is how a request reads now (EXPIRED when pending too long).
func (s *Service) AccessRequestStatusAt(r *model.AccessRequest) model.AccessRequestStatus {
	return r.StatusAt(s.now())
}

// pendingRequest reads a request the caller may decide: it exists in the
// organization (NOT_FOUND otherwise), is still pending, and is not theirs.
func (s *Service) pendingRequest(ctx context.Context, r store.Reader, c Caller, requestID string) (*model.AccessRequest, error) {
	if err := id("id", requestID, ids.AccessRequest); err != nil {
		return nil, err
	}
	req, err := r.GetAccessRequest(ctx, c.OrgID, requestID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &errs.Error{Code: errs.NotFound, Field: "id", Message: "no access request with id " + requestID + " in this organization"}
	}
	if err != nil {
		return nil, err
	}
	if req.RequesterID == c.MemberID {
		return nil, errs.Denied("members.write", "nobody decides their own access request: ask another administrator")
	}
	if st := req.StatusAt(s.now()); st != model.AccessPending {
		return nil, &errs.Error{Code: errs.Conflict, Field: "id", Message: "this access request is " + string(st) + ", no longer pending: the requester can ask again"}
	}
	return req, nil
}

// ApproveAccessRequest grants the requester roleId until expiresAt, as
// grantTemporaryRole would (the same guard: the approver must be able to
// assign the role), and records the decision.
func (s *Service) ApproveAccessRequest(ctx context.Context, c Caller, requestID, roleID, expiresAt string) (*model.AccessRequest, error) {
	if err := id("roleId", roleID, ids.Role); err != nil {
		return nil, err
	}
	exp, err := s.expiry("expiresAt", expiresAt)
	if err != nil {
		return nil, err
	}
	req, err := s.pendingRequest(ctx, s.store, c, requestID)
	if err != nil {
		return nil, storeErr(err)
	}
	_, err = s.memberChange(ctx, c, "approveAccessRequest", req.RequesterID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		// Again inside the transaction: a concurrent decision wins once.
		if req, err = s.pendingRequest(ctx, tx, c, requestID); err != nil {
			return err
		}
		if err := s.grantTemp(ctx, c, tx, org, m, "roleId", roleID, exp, req.Reason); err != nil {
			return err
		}
		req.Status, req.DecidedBy, req.RoleID, req.ExpiresAt, req.DecidedAt = model.AccessApproved, c.MemberID, roleID, exp, s.now().UTC()
		return tx.UpdateAccessRequest(ctx, req)
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// DenyAccessRequest closes a request with a reason (members.write on the requester).
func (s *Service) DenyAccessRequest(ctx context.Context, c Caller, requestID, reason string) (*model.AccessRequest, error) {
	why, err := text("reason", reason, MaxReasonLen)
	if err != nil {
		return nil, err
	}
	if err := id("id", requestID, ids.AccessRequest); err != nil {
		return nil, err
	}
	var req *model.AccessRequest
	err = s.change(ctx, c, "denyAccessRequest", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if req, err = s.pendingRequest(ctx, tx, c, requestID); err != nil {
			return err
		}
		target, err := tx.GetMember(ctx, org.ID, req.RequesterID)
		if err != nil {
			return err
		}
		if err := s.guardMember(ctx, tx, c, org, target, "members.write"); err != nil {
			return err
		}
		req.Status, req.DecidedBy, req.DecisionReason, req.DecidedAt = model.AccessDenied, c.MemberID, why, s.now().UTC()
		if err := tx.UpdateAccessRequest(ctx, req); err != nil {
			return err
		}
		return record(ev, req.ID, map[string]any{"status": model.AccessPending}, map[string]any{"status": model.AccessDenied, "reason": why})
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}
