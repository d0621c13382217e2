package domain

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/model"
)

// Explanation is explain(permission, resourceId, memberId): the decision can
// gives, why, and for a denial the changes that would allow it.
type Explanation struct {
	Allowed  bool
	Summary  string
	Reasons  []Reason
	Remedies []Remedy
}

// Reason is one fact behind a decision; the pointers name what it is about.
type Reason struct {
	Kind    ReasonKind
	Text    string
	Role    *model.Role
	Scope   *model.Scope
	Team    *model.Team
	Seat    *model.SeatKind
	Product *model.Product
}

// Remedy is one change that lifts a blocker. CallerCanApply is the answer of
// the mutation itself, run as a dry run by the caller (explain_dryrun.go).
type Remedy struct {
	Kind           RemedyKind
	Text           string
	CallerCanApply bool
	Role           *model.Role
	Seat           *model.SeatKind
	Product        *model.Product
	Team           *model.Team
	Scope          *model.Scope
}

type ReasonKind string

const (
	ReasonOwner          ReasonKind = "OWNER"
	ReasonRoleGrant      ReasonKind = "ROLE_GRANT"
	ReasonOwns           ReasonKind = "OWNS"
	ReasonAssigned       ReasonKind = "ASSIGNED"
	ReasonTeamMember     ReasonKind = "TEAM_MEMBER"
	ReasonTeamManager    ReasonKind = "TEAM_MANAGER"
	ReasonNotGranted     ReasonKind = "NOT_GRANTED"
	ReasonScopeTooNarrow ReasonKind = "SCOPE_TOO_NARROW"
	ReasonProductOff     ReasonKind = "PRODUCT_DISABLED"
	ReasonSeatMissing    ReasonKind = "SEAT_MISSING"
	ReasonMemberInactive ReasonKind = "MEMBER_INACTIVE"
	// ReasonAccessExpired: a temporary role that would allow it has ended
	// (explain_reasons.go expiredReasons).
	ReasonAccessExpired ReasonKind = "ACCESS_EXPIRED"
)

type RemedyKind string

const (
	RemedyAssignRole    RemedyKind = "ASSIGN_ROLE"
	RemedyWidenGrant    RemedyKind = "WIDEN_ROLE_GRANT"
	RemedyAssignSeat    RemedyKind = "ASSIGN_SEAT"
	RemedyBuySeat       RemedyKind = "BUY_SEAT"
	RemedyEnableProduct RemedyKind = "ENABLE_PRODUCT"
	RemedyAddToTeam     RemedyKind = "ADD_TO_TEAM"
	RemedyReactivate    RemedyKind = "REACTIVATE"
)

var reasonKinds = map[ReasonKind]bool{ReasonOwner: true, ReasonRoleGrant: true, ReasonOwns: true, ReasonAssigned: true,
	ReasonTeamMember: true, ReasonTeamManager: true, ReasonNotGranted: true, ReasonScopeTooNarrow: true,
	ReasonProductOff: true, ReasonSeatMissing: true, ReasonMemberInactive: true, ReasonAccessExpired: true}

var remedyKinds = map[RemedyKind]bool{RemedyAssignRole: true, RemedyWidenGrant: true, RemedyAssignSeat: true,
	RemedyBuySeat: true, RemedyEnableProduct: true, RemedyAddToTeam: true, RemedyReactivate: true}

func (k ReasonKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }
func (k *ReasonKind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if !reasonKinds[ReasonKind(s)] {
		return fmt.Errorf("%v is not a ReasonKind", v)
	}
	*k = ReasonKind(s)
	return nil
}

func (k RemedyKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }
func (k *RemedyKind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if !remedyKinds[RemedyKind(s)] {
		return fmt.Errorf("%v is not a RemedyKind", v)
	}
	*k = RemedyKind(s)
	return nil
}

// Explain answers explain(permission, resourceId, memberId). allowed is the
// very check can asks; the reasons are further SpiceDB answers (which
// scope the member holds and may use, whether the product and seat gates
// pass, which relation to the resource holds), attributed to the roles and
// teams the store names; remedies are dry runs of the mutations that would
// lift each blocker.
func (s *Service) Explain(ctx context.Context, c Caller, permission, resourceID, memberID string) (*Explanation, error) {
	q, err := s.question(ctx, c, permission, memberID)
	if err != nil {
		return nil, err
	}
	org, a, subjectID := q.org, q.action, q.subject
	// The decision: exactly can's.
	allowed, err := s.decide(ctx, q, resourceID)
	if err != nil {
		return nil, err
	}
	var obj *authz.Object
	if resourceID != "" {
		obj, _ = objectOf(org, resourceID)
	}
	subject, err := memberIn(ctx, s.store, org.ID, "memberId", subjectID)
	if err != nil {
		return nil, err
	}
	f, err := s.explainFacts(ctx, org, a, subject, obj)
	if err != nil {
		return nil, err
	}
	x := &Explanation{Allowed: allowed}
	if allowed {
		x.Reasons = f.allowReasons()
	} else {
		x.Reasons = f.denyReasons()
		x.Remedies = s.remedies(ctx, c, org, f)
	}
	x.Summary = f.summary(x)
	return x, nil
}
