package domain

import (
	"context"
	"fmt"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// MaxSeatTotal bounds a pool.
const MaxSeatTotal = 100000

// seatChange changes one member's seats (seats.write). Seats are licenses,
// not permissions: an administrator may assign one to themselves.
func (s *Service) seatChange(ctx context.Context, c Caller, action, memberID string, kind model.SeatKind,
	fn func(tx store.Tx, org *model.Organization, m *model.Member) error) (*model.Member, error) {
	if err := id("memberId", memberID, ids.Member); err != nil {
		return nil, err
	}
	if !kind.Valid() {
		return nil, errs.BadInput("kind", "unknown seat kind %q", kind)
	}
	var out *model.Member
	err := s.change(ctx, c, action, func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if err := s.requireAll(ctx, org, c.MemberID, "seats.write"); err != nil {
			return err
		}
		m, err := memberIn(ctx, tx, org.ID, "memberId", memberID)
		if err != nil {
			return err
		}
		before, seatsBefore := rels.Member(m), m.Seats
		if err := fn(tx, org, m); err != nil {
			return err
		}
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		out = m
		if err := enqueue(ctx, tx, org.ID, before, rels.Member(m)); err != nil {
			return err
		}
		return record(ev, m.ID, map[string]any{"seats": seatsBefore}, map[string]any{"seats": m.Seats})
	})
	return out, err
}

// AssignSeat gives a member a seat from its pool.
func (s *Service) AssignSeat(ctx context.Context, c Caller, memberID string, kind model.SeatKind) (*model.Member, error) {
	return s.seatChange(ctx, c, "assignSeat", memberID, kind, func(tx store.Tx, org *model.Organization, m *model.Member) error {
		if m.HasSeat(kind) {
			return nil
		}
		if m.Status == model.StatusDeactivated {
			return errs.BadInput("memberId", "the member is deactivated: reactivate them first")
		}
		if r := kind.Requires(); r != "" && !m.HasSeat(r) {
			return &errs.Error{Code: errs.SeatRequired, Field: "kind",
				Message: fmt.Sprintf("a %s seat needs a %s seat first: assign %s, then %s", kind, r, r, kind)}
		}
		if err := checkSeatRoom(ctx, tx, org.ID, []model.SeatKind{kind}); err != nil {
			return err
		}
		m.Seats = withSeat(m.Seats, kind, true)
		return nil
	})
}

// ReleaseSeat takes a seat back; releasing RECORDER releases VOICE too.
func (s *Service) ReleaseSeat(ctx context.Context, c Caller, memberID string, kind model.SeatKind) (*model.Member, error) {
	return s.seatChange(ctx, c, "releaseSeat", memberID, kind, func(tx store.Tx, org *model.Organization, m *model.Member) error {
		m.Seats = withSeat(m.Seats, kind, false)
		for _, k := range model.AllSeatKinds {
			if k.Requires() == kind {
				m.Seats = withSeat(m.Seats, k, false)
			}
		}
		return nil
	})
}

func withSeat(seats []model.SeatKind, kind model.SeatKind, on bool) []model.SeatKind {
	out := []model.SeatKind{}
	for _, k := range model.AllSeatKinds {
		has := false
		for _, x := range seats {
			if x == k {
				has = true
			}
		}
		if k == kind {
			has = on
		}
		if has {
			out = append(out, k)
		}
	}
	return out
}

// SetSeatTotal sets a pool's size (account.write); it never drops below the
// seats in use.
func (s *Service) SetSeatTotal(ctx context.Context, c Caller, kind model.SeatKind, total int) (*SeatPool, error) {
	if !kind.Valid() {
		return nil, errs.BadInput("kind", "unknown seat kind %q", kind)
	}
	if total < 0 || total > MaxSeatTotal {
		return nil, errs.BadInput("total", "total must be between 0 and %d", MaxSeatTotal)
	}
	var out *SeatPool
	err := s.change(ctx, c, "setSeatTotal", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		// Buying licences is an account matter (seed 001: "To purchase
		// additional licenses, Account permission is required");
		// distributing them is seats.write.
		if err := s.requireAll(ctx, org, c.MemberID, "account.write"); err != nil {
			return err
		}
		used, err := tx.CountSeatHolders(ctx, org.ID, kind)
		if err != nil {
			return err
		}
		if total < used {
			return &errs.Error{Code: errs.SeatLimit, Field: "total",
				Message: fmt.Sprintf("%d %s seats are in use: release some before lowering the total to %d", used, kind, total)}
		}
		pools, err := tx.ListSeatPools(ctx, org.ID)
		if err != nil {
			return err
		}
		before := 0
		for _, p := range pools {
			if p.Kind == kind {
				before = p.Total
			}
		}
		if err := tx.PutSeatPool(ctx, &model.SeatPool{OrgID: org.ID, Kind: kind, Total: total}); err != nil {
			return err
		}
		out = &SeatPool{Kind: kind, Total: total, Used: used}
		return record(ev, string(kind), map[string]any{"total": before}, map[string]any{"total": total})
	})
	return out, err
}
