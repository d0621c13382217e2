package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

type InviteMemberInput struct {
	Email   string
	Name    string
	RoleIDs []string
	TeamIDs []string
	Seats   []model.SeatKind
}

// memberSnapshot is what audit events show of a member.
func memberSnapshot(m *model.Member) map[string]any {
	snap := map[string]any{"email": m.Email, "name": m.Name, "status": m.Status, "roles": m.RoleIDs, "seats": m.Seats, "guest": m.IsGuest}
	if len(m.TempRoles) > 0 {
		snap["temporaryRoles"] = m.TempRoles
	}
	return snap
}

func newToken() (token, hash string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token)
}

// HashToken is how invitation tokens are stored: never in the clear.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func seatList(field string, seats []model.SeatKind) ([]model.SeatKind, error) {
	want := map[model.SeatKind]bool{}
	for _, k := range seats {
		if !k.Valid() {
			return nil, errs.BadInput(field, "unknown seat kind %q", k)
		}
		if want[k] {
			return nil, errs.BadInput(field, "%s is listed twice", k)
		}
		want[k] = true
	}
	out := []model.SeatKind{}
	for _, k := range model.AllSeatKinds {
		if want[k] {
			if r := k.Requires(); r != "" && !want[r] {
				return nil, &errs.Error{Code: errs.SeatRequired, Field: field,
					Message: fmt.Sprintf("a %s seat needs a %s seat too: add %s", k, r, r)}
			}
			out = append(out, k)
		}
	}
	return out, nil
}

// checkSeatRoom refuses seats beyond a pool's total. extra says how many
// more holders of each kind the change adds.
func checkSeatRoom(ctx context.Context, tx store.Tx, orgID string, kinds []model.SeatKind) error {
	pools, err := tx.ListSeatPools(ctx, orgID)
	if err != nil {
		return err
	}
	totals := map[model.SeatKind]int{}
	for _, p := range pools {
		totals[p.Kind] = p.Total
	}
	for _, k := range kinds {
		used, err := tx.CountSeatHolders(ctx, orgID, k)
		if err != nil {
			return err
		}
		if used+1 > totals[k] {
			return &errs.Error{Code: errs.SeatLimit, Field: "seats",
				Message: fmt.Sprintf("all %d %s seats are in use: release one or raise the total with setSeatTotal", totals[k], k)}
		}
	}
	return nil
}

// InviteMember creates an INVITED member and the token that activates them.
// members.write at ALL invites anyone; at TEAM only into teams the caller
// belongs to or manages, so teamIds are then required. Roles must be within
// the caller's grants; seats need seats.write.
func (s *Service) InviteMember(ctx context.Context, c Caller, in InviteMemberInput) (*model.Member, string, error) {
	mail, err := email("input.email", in.Email)
	if err != nil {
		return nil, "", err
	}
	name, err := text("input.name", in.Name, MaxNameLen)
	if err != nil {
		return nil, "", err
	}
	if len(in.RoleIDs) == 0 {
		return nil, "", errs.BadInput("input.roleIds", "give the new member at least one role")
	}
	if err := idList("input.roleIds", in.RoleIDs, ids.Role); err != nil {
		return nil, "", err
	}
	if err := idList("input.teamIds", in.TeamIDs, ids.Team); err != nil {
		return nil, "", err
	}
	seats, err := seatList("input.seats", in.Seats)
	if err != nil {
		return nil, "", err
	}
	var m *model.Member
	token, hash := newToken()
	err = s.change(ctx, c, "inviteMember", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if len(in.TeamIDs) == 0 {
			if err := s.requireAll(ctx, org, c.MemberID, "members.write"); err != nil {
				if e, _ := errs.As(err); e != nil && e.Code == errs.Forbidden {
					e.Message += "; with team scope, invite into a team you manage by passing teamIds"
				}
				return err
			}
		}
		for _, t := range in.TeamIDs {
			if _, err := teamIn(ctx, tx, org.ID, "input.teamIds", t); err != nil {
				return err
			}
			obj := authz.Object{Type: rels.TypeTeam, ID: t}
			if err := s.require(ctx, org, c.MemberID, "members.write", &obj); err != nil {
				return err
			}
		}
		roles, err := rolesIn(ctx, tx, org.ID, "input.roleIds", in.RoleIDs)
		if err != nil {
			return err
		}
		if err := s.guardRoles(ctx, c, org, roles); err != nil {
			return err
		}
		if len(seats) > 0 {
			if err := s.requireAll(ctx, org, c.MemberID, "seats.write"); err != nil {
				return err
			}
			if err := checkSeatRoom(ctx, tx, org.ID, seats); err != nil {
				return err
			}
		}
		if _, err := tx.GetMemberByEmail(ctx, org.ID, mail); err == nil {
			return &errs.Error{Code: errs.Conflict, Field: "input.email", Message: fmt.Sprintf("%s is already a member of this organization", mail)}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		m = &model.Member{ID: ids.New(ids.Member), OrgID: org.ID, Email: mail, Name: name, Status: model.StatusInvited,
			RoleIDs: sortedIDs(in.RoleIDs), Seats: seats, CreatedAt: s.now().UTC()}
		if err := tx.CreateMember(ctx, m); err != nil {
			return err
		}
		graph := rels.Member(m)
		for _, t := range in.TeamIDs {
			ms := &model.TeamMembership{OrgID: org.ID, TeamID: t, MemberID: m.ID}
			if err := tx.PutMembership(ctx, ms); err != nil {
				return err
			}
			graph = rels.Union(graph, rels.Membership(ms))
		}
		if err := tx.CreateInvitation(ctx, &model.Invitation{TokenHash: hash, OrgID: org.ID, MemberID: m.ID,
			CreatedBy: c.MemberID, ExpiresAt: s.now().Add(s.inviteTTL).UTC()}); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, nil, graph); err != nil {
			return err
		}
		snap := memberSnapshot(m)
		snap["teams"] = in.TeamIDs
		return record(ev, m.ID, nil, snap)
	})
	if err != nil {
		return nil, "", err
	}
	return m, token, nil
}

// AcceptInvitation activates an invited member, or, for a guest link,
// creates a guest holding the link's role (email and name then required).
func (s *Service) AcceptInvitation(ctx context.Context, token, guestEmail, guestName string) (*model.Member, error) {
	return s.AcceptInvitationAs(ctx, token, guestEmail, guestName, nil)
}

// SignIn is a person signed in at the OIDC issuer (an unbound token's
// claims): what acceptInvitation binds to the member it activates.
type SignIn struct {
	// OrgExternalID is the token's organization claim, Subject its sub.
	OrgExternalID, Subject string
	// Email counts only when the issuer verified it.
	Email         string
	EmailVerified bool
}

// bind sets m's ExternalID to the sign-in's sub, after checking that the
// sign-in is for org and, when its email is verified, for m's email.
// CONFLICT otherwise: the token is fine, it is the wrong person or
// organization for this invitation.
func (in *SignIn) bind(org *model.Organization, m *model.Member) error {
	if org.ExternalID == "" || in.OrgExternalID != org.ExternalID {
		return &errs.Error{Code: errs.Conflict, Field: "token",
			Message: fmt.Sprintf("your sign-in is for organization %q, and this invitation is for another: sign in to the invitation's organization, or accept it without your issuer's token", in.OrgExternalID)}
	}
	if in.EmailVerified && !strings.EqualFold(in.Email, m.Email) {
		return &errs.Error{Code: errs.Conflict, Field: "token",
			Message: fmt.Sprintf("this invitation is for %s and you signed in as %s: sign in with the invited address", m.Email, in.Email)}
	}
	m.ExternalID = in.Subject
	return nil
}

// errSubjectBound refuses binding a sub a member of the organization has.
var errSubjectBound = errs.New(errs.Conflict, "your sign-in is already bound to another member of this organization: sign in with it instead of accepting this invitation")

// AcceptInvitationAs is AcceptInvitation by a person signed in at the OIDC
// issuer (as nil: anyone holding the link): the member it activates, or
// the guest it makes, is bound to as's sub, so the issuer's tokens sign
// them in from then on.
func (s *Service) AcceptInvitationAs(ctx context.Context, token, guestEmail, guestName string, as *SignIn) (*model.Member, error) {
	invalid := errs.BadInput("token", "this invitation is not valid: ask for a new one")
	if token == "" || len(token) > 200 {
		return nil, invalid
	}
	inv, err := s.store.GetInvitation(ctx, HashToken(token))
	if err != nil {
		return nil, notFoundAs(err, invalid)
	}
	if s.now().After(inv.ExpiresAt) {
		return nil, errs.BadInput("token", "this invitation expired on %s: ask for a new one", inv.ExpiresAt.Format(time.RFC3339))
	}
	if inv.MemberID != "" && inv.UsedAt != nil {
		return nil, errs.BadInput("token", "this invitation was already accepted: sign in instead")
	}
	var m *model.Member
	if inv.MemberID != "" {
		c := Caller{OrgID: inv.OrgID, MemberID: inv.MemberID}
		err = s.change(ctx, c, "acceptInvitation", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
			got, err := tx.GetMember(ctx, org.ID, inv.MemberID)
			if err != nil {
				return notFoundAs(err, invalid)
			}
			if got.Status != model.StatusInvited {
				return errs.BadInput("token", "this invitation was already accepted: sign in instead")
			}
			before := rels.Member(got)
			got.Status = model.StatusActive
			if as != nil {
				if err := as.bind(org, got); err != nil {
					return err
				}
			}
			if err := tx.UpdateMember(ctx, got); errors.Is(err, store.ErrConflict) && as != nil {
				return errSubjectBound
			} else if err != nil {
				return err
			}
			if err := tx.MarkInvitationUsed(ctx, inv.TokenHash, s.now().UTC()); err != nil {
				return err
			}
			m = got
			if err := enqueue(ctx, tx, org.ID, before, rels.Member(got)); err != nil {
				return err
			}
			after := map[string]any{"status": model.StatusActive}
			if got.ExternalID != "" {
				after["externalId"] = got.ExternalID
			}
			return record(ev, got.ID, map[string]any{"status": model.StatusInvited}, after)
		})
		return m, err
	}
	// A guest link.
	mail, err := email("email", guestEmail)
	if err != nil {
		return nil, err
	}
	name, err := text("name", guestName, MaxNameLen)
	if err != nil {
		return nil, err
	}
	m = &model.Member{ID: ids.New(ids.Member), OrgID: inv.OrgID, Email: mail, Name: name, Status: model.StatusActive,
		IsGuest: true, RoleIDs: []string{inv.RoleID}, CreatedAt: s.now().UTC()}
	if !inv.AccessExpiresAt.IsZero() {
		// The link's role is the guest's only until the link says.
		if !s.now().Before(inv.AccessExpiresAt) {
			return nil, errs.BadInput("token", "the access this invitation gives ended on %s: ask for a new one", inv.AccessExpiresAt.Format(time.RFC3339))
		}
		m.RoleIDs = nil
		m.TempRoles = []model.RoleAssignment{{RoleID: inv.RoleID, ExpiresAt: inv.AccessExpiresAt, GrantedBy: inv.CreatedBy, Reason: "guest invitation"}}
	}
	c := Caller{OrgID: inv.OrgID, MemberID: m.ID}
	err = s.change(ctx, c, "acceptGuestInvitation", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if _, err := tx.GetRole(ctx, org.ID, inv.RoleID); err != nil {
			return notFoundAs(err, invalid)
		}
		if _, err := tx.GetMemberByEmail(ctx, org.ID, mail); err == nil {
			return &errs.Error{Code: errs.Conflict, Field: "email", Message: fmt.Sprintf("%s is already a member of this organization: sign in instead", mail)}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if as != nil {
			if err := as.bind(org, m); err != nil {
				return err
			}
			if _, _, err := tx.GetOrganizationMemberByExternalID(ctx, as.OrgExternalID, as.Subject); err == nil {
				return errSubjectBound
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if err := tx.CreateMember(ctx, m); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, nil, rels.Member(m)); err != nil {
			return err
		}
		return record(ev, m.ID, nil, memberSnapshot(m))
	})
	if err != nil {
		return nil, err
	}
	if len(m.TempRoles) > 0 {
		s.expiryScheduled()
	}
	return m, nil
}

// CreateGuestInvite makes an expiring link that lets guests join with one
// role (guests.write, and the role within the caller's grants).
// accessExpiresAt, when given, ends the guest's role at that instant.
func (s *Service) CreateGuestInvite(ctx context.Context, c Caller, roleID, expiresAt string, accessExpiresAt *string) (token, link string, err error) {
	if err := id("roleId", roleID, ids.Role); err != nil {
		return "", "", err
	}
	exp, perr := time.Parse(time.RFC3339, expiresAt)
	if perr != nil {
		return "", "", errs.BadInput("expiresAt", "expiresAt must be an RFC 3339 time such as 2026-12-01T00:00:00Z")
	}
	now := s.now()
	if !exp.After(now) {
		return "", "", errs.BadInput("expiresAt", "expiresAt must be in the future")
	}
	if exp.After(now.Add(90 * 24 * time.Hour)) {
		return "", "", errs.BadInput("expiresAt", "guest links last at most 90 days")
	}
	var access time.Time
	if accessExpiresAt != nil {
		if access, err = s.expiry("accessExpiresAt", *accessExpiresAt); err != nil {
			return "", "", err
		}
	}
	token, hash := newToken()
	err = s.change(ctx, c, "createGuestInvite", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if err := s.requireAll(ctx, org, c.MemberID, "guests.write"); err != nil {
			return err
		}
		roles, err := rolesIn(ctx, tx, org.ID, "roleId", []string{roleID})
		if err != nil {
			return err
		}
		if err := s.guardRoles(ctx, c, org, roles); err != nil {
			return err
		}
		if err := tx.CreateInvitation(ctx, &model.Invitation{TokenHash: hash, OrgID: org.ID, RoleID: roleID,
			CreatedBy: c.MemberID, ExpiresAt: exp.UTC(), AccessExpiresAt: access}); err != nil {
			return err
		}
		after := map[string]any{"guestLinkFor": roleID, "expiresAt": exp.UTC()}
		if !access.IsZero() {
			after["accessExpiresAt"] = access
		}
		return record(ev, roleID, nil, after)
	})
	if err != nil {
		return "", "", err
	}
	return token, s.baseURL + "/invitations/accept?token=" + url.QueryEscape(token), nil
}

// memberChange runs a change on one other member after the member guard.
func (s *Service) memberChange(ctx context.Context, c Caller, action, memberID, permission string,
	fn func(tx store.Tx, org *model.Organization, m *model.Member) error) (*model.Member, error) {
	if err := id("memberId", memberID, ids.Member); err != nil {
		return nil, err
	}
	var out *model.Member
	err := s.change(ctx, c, action, func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		m, err := memberFor(ctx, tx, org, memberID)
		if err != nil {
			return err
		}
		ev.TargetID, ev.Before = m.ID, jsonOf(memberSnapshot(m))
		if err := s.guardMemberChange(ctx, tx, c, org, m, permission); err != nil {
			return err
		}
		before := rels.Member(m)
		if err := fn(tx, org, m); err != nil {
			return err
		}
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		out = m
		ev.After = jsonOf(memberSnapshot(m))
		return enqueue(ctx, tx, org.ID, before, rels.Member(m))
	})
	return out, err
}

// memberFor reads the member a change names; unknown ids are bad input.
func memberFor(ctx context.Context, r store.Reader, org *model.Organization, memberID string) (*model.Member, error) {
	m, err := memberIn(ctx, r, org.ID, "memberId", memberID)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// guardMemberChange is what changing another member needs before anything
// changes (guardMember, and never the owner). Previews run it too.
func (s *Service) guardMemberChange(ctx context.Context, r store.Reader, c Caller, org *model.Organization, m *model.Member, permission string) error {
	if err := s.guardMember(ctx, r, c, org, m, permission); err != nil {
		return err
	}
	if m.ID == org.OwnerID {
		return errs.New(errs.Conflict, "the owner cannot be changed this way: the owner hands over with transferOwnership")
	}
	return nil
}

// SetMemberRoles replaces a member's roles.
func (s *Service) SetMemberRoles(ctx context.Context, c Caller, memberID string, roleIDs []string) (*model.Member, error) {
	m, _, err := s.setMemberRoles(ctx, c, memberID, roleIDs, false)
	return m, err
}

// SetMemberRolesWithImpact is SetMemberRoles that also says what the change
// did to everyone's access: what PreviewMemberRoles answered just before,
// computed in the change's own transaction.
func (s *Service) SetMemberRolesWithImpact(ctx context.Context, c Caller, memberID string, roleIDs []string) (*model.Member, *AccessDiff, error) {
	return s.setMemberRoles(ctx, c, memberID, roleIDs, true)
}

func (s *Service) setMemberRoles(ctx context.Context, c Caller, memberID string, roleIDs []string, impact bool) (*model.Member, *AccessDiff, error) {
	if err := validRoleIDs(roleIDs); err != nil {
		return nil, nil, err
	}
	var diff *AccessDiff
	m, err := s.memberChange(ctx, c, "setMemberRoles", memberID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		if err := s.assignRoles(ctx, tx, c, org, m, roleIDs); err != nil || !impact {
			return err
		}
		var err error
		diff, err = s.previewWorld(ctx, tx, org, replaceMember(m))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return m, diff, nil
}

// validRoleIDs is setMemberRoles' input check, before anything is read.
func validRoleIDs(roleIDs []string) error {
	if len(roleIDs) == 0 {
		return errs.BadInput("roleIds", "a member holds at least one role")
	}
	return idList("roleIds", roleIDs, ids.Role)
}

// assignRoles gives m the roles, each within the caller's grants.
func (s *Service) assignRoles(ctx context.Context, r store.Reader, c Caller, org *model.Organization, m *model.Member, roleIDs []string) error {
	roles, err := rolesIn(ctx, r, org.ID, "roleIds", roleIDs)
	if err != nil {
		return err
	}
	if err := s.guardRoles(ctx, c, org, roles); err != nil {
		return err
	}
	m.RoleIDs = sortedIDs(roleIDs)
	return nil
}

// DeactivateMember takes every permission away and frees their seats,
// keeping roles, seats and teams for reactivation.
func (s *Service) DeactivateMember(ctx context.Context, c Caller, memberID string) (*model.Member, error) {
	return s.memberChange(ctx, c, "deactivateMember", memberID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		m.Status = model.StatusDeactivated
		return nil
	})
}

// ReactivateMember restores a deactivated member as they were, if their
// seats still fit in the pools.
func (s *Service) ReactivateMember(ctx context.Context, c Caller, memberID string) (*model.Member, error) {
	return s.memberChange(ctx, c, "reactivateMember", memberID, "members.write", func(tx store.Tx, org *model.Organization, m *model.Member) error {
		if m.Status != model.StatusDeactivated {
			return errs.BadInput("memberId", "the member is %s, not DEACTIVATED", m.Status)
		}
		if err := checkSeatRoom(ctx, tx, org.ID, m.Seats); err != nil {
			return err
		}
		m.Status = model.StatusActive
		return nil
	})
}

// RemoveMember deletes a member (members.delete) and their team
// memberships; what they owned stays, under a removed owner.
func (s *Service) RemoveMember(ctx context.Context, c Caller, memberID string) error {
	if err := id("memberId", memberID, ids.Member); err != nil {
		return err
	}
	return changeTo(s, ctx, c, "removeMember", memberIn, "memberId", memberID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, m *model.Member) error {
			ev.TargetID, ev.Before = m.ID, jsonOf(memberSnapshot(m))
			if err := s.guardMember(ctx, tx, c, org, m, "members.delete"); err != nil {
				return err
			}
			if m.ID == org.OwnerID {
				return errs.New(errs.Conflict, "the owner cannot be removed: transfer ownership first")
			}
			graph := rels.Member(m)
			memberships, err := tx.ListMemberships(ctx, org.ID, "", m.ID)
			if err != nil {
				return err
			}
			for _, ms := range memberships {
				graph = rels.Union(graph, rels.Membership(ms))
			}
			if err := tx.DeleteMember(ctx, org.ID, m.ID); err != nil {
				return err
			}
			return enqueue(ctx, tx, org.ID, graph, nil)
		})
}
