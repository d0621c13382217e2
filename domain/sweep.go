package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// The expiry sweeper (issue 13). SpiceDB ends a temporary role at its
// instant by itself, and every reader here already leaves expired
// assignments out; what the sweeper adds is the record of the expiry (an
// audit event, actor none) and the removal of the expired assignment from
// the entity store and from SpiceDB, so both stop carrying it.
//
// Several replicas sweep the same store. Each organization is swept in one
// transaction that holds its organization lock (LockOrganization) and
// reads its members again under it: the first replica removes the expired
// assignments and writes their events, a second one waiting on the lock
// then finds nothing left to remove and writes nothing. The event is
// written in the transaction that removes the assignment, so a replica
// stopped mid-way has either done both or neither, and the next sweep (on
// any replica) finds what it left: no expiry goes unrecorded.

// ActionRoleExpired is the audit action of a temporary role assignment
// the sweeper found expired.
const ActionRoleExpired = "roleAssignmentExpired"

// ErrSweep wraps what stopped a sweep.
var ErrSweep = errors.New("sweeping expired role assignments")

// SweepResult is what one sweep did.
type SweepResult struct {
	// Expired are the assignments removed, each with its audit event.
	Expired []model.ExpiringRole
	// Lag is the longest time between an expiry and its removal in this
	// sweep (zero when nothing was removed).
	Lag time.Duration
	// At is the instant the sweep removed expiries up to.
	At time.Time
}

// SweepExpired removes every temporary role assignment expired by now
// from the store and SpiceDB, recording one audit event for each.
// Organizations are swept one by one; one that fails does not stop the
// others, and its error is returned after them.
func (s *Service) SweepExpired(ctx context.Context) (SweepResult, error) {
	now := s.now()
	res := SweepResult{At: now}
	due, err := s.store.ListExpiringRoles(ctx, "", time.Time{}, now)
	if err != nil {
		return res, fmt.Errorf("%w: listing: %w", ErrSweep, err)
	}
	var orgs []string
	for _, x := range due {
		if !slices.Contains(orgs, x.OrgID) {
			orgs = append(orgs, x.OrgID)
		}
	}
	var failures []error
	for _, orgID := range orgs {
		expired, err := s.sweepOrg(ctx, orgID, now)
		if err != nil {
			failures = append(failures, fmt.Errorf("%w: organization %s: %w", ErrSweep, orgID, err))
			continue
		}
		done := s.now()
		for _, x := range expired {
			res.Lag = max(res.Lag, done.Sub(x.ExpiresAt))
		}
		res.Expired = append(res.Expired, expired...)
	}
	return res, errors.Join(failures...)
}

// sweepOrg removes the organization's assignments expired at now, under
// its lock, and applies the relationship deletes.
func (s *Service) sweepOrg(ctx context.Context, orgID string, now time.Time) ([]model.ExpiringRole, error) {
	var expired []model.ExpiringRole
	err := s.store.InTx(ctx, func(tx store.Tx) error {
		expired = nil // a retried transaction starts over
		if err := tx.LockOrganization(ctx, orgID); err != nil {
			return err
		}
		// Under the lock: another replica's sweep of this organization has
		// committed or not started, and what it removed is gone from here.
		due, err := tx.ListExpiringRoles(ctx, orgID, time.Time{}, now)
		if err != nil {
			return err
		}
		var memberIDs []string
		for _, x := range due {
			if !slices.Contains(memberIDs, x.MemberID) {
				memberIDs = append(memberIDs, x.MemberID)
			}
		}
		members, err := tx.GetMembers(ctx, orgID, memberIDs)
		if err != nil {
			return err
		}
		for _, m := range members {
			gone := slices.DeleteFunc(slices.Clone(m.TempRoles), func(a model.RoleAssignment) bool { return now.Before(a.ExpiresAt) })
			if len(gone) == 0 {
				continue
			}
			before := rels.Member(m)
			m.TempRoles = m.ActiveTempRoles(now)
			if err := tx.UpdateMember(ctx, m); err != nil {
				return err
			}
			if err := enqueue(ctx, tx, orgID, before, rels.Member(m)); err != nil {
				return err
			}
			for _, a := range gone {
				ev := &model.AuditEvent{OrgID: orgID, Action: ActionRoleExpired, TargetID: m.ID, At: s.now().UTC(),
					Before: jsonOf(map[string]any{"roleId": a.RoleID, "expiresAt": a.ExpiresAt, "grantedBy": a.GrantedBy, "reason": a.Reason})}
				if err := tx.AppendAudit(ctx, ev); err != nil {
					return err
				}
				expired = append(expired, model.ExpiringRole{OrgID: orgID, MemberID: m.ID, RoleAssignment: a})
			}
		}
		return nil
	})
	if err != nil || len(expired) == 0 {
		return nil, err
	}
	// Committed: the deletes reach SpiceDB now, or through the background
	// applier if it is down (the expiry itself is SpiceDB's already).
	if err := s.outbox.Flush(ctx, orgID); err != nil {
		s.log.Warn("applying swept expiries; queued for the applier", "org", orgID, "err", err)
	}
	return expired, nil
}

// NextExpiry is the soonest temporary role expiry, in any organization,
// after since and at most within from now (zero: none), for a sweeper that
// wakes at the instant instead of an interval later. since is when the
// last sweep looked: an expiry that passed while it swept is returned
// (due now), not lost until an interval later.
func (s *Service) NextExpiry(ctx context.Context, since time.Time, within time.Duration) (time.Time, error) {
	next, err := s.store.ListExpiringRoles(ctx, "", since, s.now().Add(within))
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: looking for the next expiry: %w", ErrSweep, err)
	}
	if len(next) == 0 {
		return time.Time{}, nil
	}
	return next[0].ExpiresAt, nil // soonest first
}

// ExpiryScheduled receives after this service committed a temporary role
// whose end the sweeper may not know of yet (a grant, an extension, a
// guest's access), so that it looks for its next expiry again; several
// commits may be one receive. Other replicas' grants reach it by its
// interval.
func (s *Service) ExpiryScheduled() <-chan struct{} { return s.expiries }

// expiryScheduled pokes ExpiryScheduled without waiting.
func (s *Service) expiryScheduled() {
	select {
	case s.expiries <- struct{}{}:
	default:
	}
}
