package domain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	// Time zones are checked against the IANA database compiled into the
	// binary, so the answer does not depend on the host's /usr/share/zoneinfo
	// (absent from slim images).
	_ "time/tzdata"

	"golang.org/x/text/language"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// Seed fidelity (issue 9): editing and finding members, personal settings,
// editing interactions and evaluations.

// MaxSearchLen bounds members(search:).
const MaxSearchLen = 100

// UpdateMemberInput: nil leaves a field as it is.
type UpdateMemberInput struct {
	Name  *string
	Email *string
}

// UpdateMember edits a member's name and email (seed 001 "Create and edit
// users", "search and edit other users"). Another member: members.write at
// a scope covering them (the owner: only themselves). Oneself: the personal
// settings permission, preferences.write. Emails are unique per
// organization: CONFLICT.
func (s *Service) UpdateMember(ctx context.Context, c Caller, memberID string, in UpdateMemberInput) (*model.Member, error) {
	if err := id("id", memberID, ids.Member); err != nil {
		return nil, err
	}
	if in.Name == nil && in.Email == nil {
		return nil, errs.BadInput("input", "give input.name, input.email or both")
	}
	var name, mail string
	var err error
	if in.Name != nil {
		if name, err = text("input.name", *in.Name, MaxNameLen); err != nil {
			return nil, err
		}
	}
	if in.Email != nil {
		if mail, err = email("input.email", *in.Email); err != nil {
			return nil, err
		}
	}
	var out *model.Member
	err = changeTo(s, ctx, c, "updateMember", memberIn, "id", memberID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, m *model.Member) error {
			if m.ID == c.MemberID {
				if err := s.require(ctx, org, c.MemberID, "preferences.write", memberObject(m.ID)); err != nil {
					return err
				}
			} else {
				if err := s.require(ctx, org, c.MemberID, "members.write", memberObject(m.ID)); err != nil {
					return err
				}
				// Name and email grant nothing, so no escalation guard (seed
				// 001's "Internal administration" edits every user); but the
				// owner's are the owner's alone, as everything else about them.
				if m.ID == org.OwnerID {
					return errs.Denied("members.write", "only the owner changes the owner's name or email")
				}
			}
			before := map[string]any{"name": m.Name, "email": m.Email}
			if in.Name != nil {
				m.Name = name
			}
			if in.Email != nil {
				m.Email = mail
			}
			if err := tx.UpdateMember(ctx, m); err != nil {
				if errors.Is(err, store.ErrConflict) {
					return &errs.Error{Code: errs.Conflict, Field: "input.email", Err: err,
						Message: fmt.Sprintf("another member of this organization has the email %s: pick another", mail)}
				}
				return err
			}
			out = m
			return record(ev, m.ID, before, map[string]any{"name": m.Name, "email": m.Email})
		})
	return out, err
}

// PreferencesInput: nil leaves a setting as it is.
type PreferencesInput struct {
	Locale             *string
	Timezone           *string
	EmailNotifications *bool
}

// locale checks a BCP 47 language tag and returns its canonical form
// ("en-us" → "en-US").
func locale(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errs.BadInput(field, "%s must not be empty: give a BCP 47 language tag such as en-US", field)
	}
	tag, err := language.Parse(v)
	if err != nil {
		return "", errs.BadInput(field, "%q is not a BCP 47 language tag: give one such as en-US or pt-BR", v)
	}
	return tag.String(), nil
}

// timezone checks an IANA time zone name ("Europe/Berlin", "UTC").
func timezone(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	// "" and "Local" load too, as UTC and the server's zone: neither is a
	// zone a person lives in.
	if v == "" || v == "Local" || len(v) > 64 {
		return "", errs.BadInput(field, "%q is not an IANA time zone: give one such as Europe/Berlin or UTC", v)
	}
	if _, err := time.LoadLocation(v); err != nil {
		return "", errs.BadInput(field, "%q is not an IANA time zone: give one such as Europe/Berlin or UTC", v)
	}
	return v, nil
}

// SetMemberPreferences changes personal settings: preferences.write, which
// is OWN for one's own (seed 002: "Agents can update their own preferences
// only") and ALL for another's (seed 001: "edit another user's personal
// settings"). The graph decides: member#preferences_write.
func (s *Service) SetMemberPreferences(ctx context.Context, c Caller, memberID string, in PreferencesInput) (*model.Member, error) {
	if err := id("memberId", memberID, ids.Member); err != nil {
		return nil, err
	}
	if in.Locale == nil && in.Timezone == nil && in.EmailNotifications == nil {
		return nil, errs.BadInput("input", "give at least one of input.locale, input.timezone, input.emailNotifications")
	}
	var loc, tz string
	var err error
	if in.Locale != nil {
		if loc, err = locale("input.locale", *in.Locale); err != nil {
			return nil, err
		}
	}
	if in.Timezone != nil {
		if tz, err = timezone("input.timezone", *in.Timezone); err != nil {
			return nil, err
		}
	}
	var out *model.Member
	err = changeTo(s, ctx, c, "setMemberPreferences", memberIn, "memberId", memberID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, m *model.Member) error {
			if err := s.require(ctx, org, c.MemberID, "preferences.write", memberObject(m.ID)); err != nil {
				return err
			}
			before := m.Prefs()
			p := before
			if in.Locale != nil {
				p.Locale = loc
			}
			if in.Timezone != nil {
				p.Timezone = tz
			}
			if in.EmailNotifications != nil {
				p.EmailNotifications = *in.EmailNotifications
			}
			m.Preferences = &p
			if err := tx.UpdateMember(ctx, m); err != nil {
				return err
			}
			out = m
			return record(ev, m.ID, before, p)
		})
	return out, err
}

// MemberSearch narrows ListMembers.
type MemberSearch struct {
	Status model.MemberStatus
	Search string
	TeamID string
}

// FindMembers pages the organization's members matching q (members.read):
// seed 001's Supersearch, by name or email, optionally within one team.
func (s *Service) FindMembers(ctx context.Context, c Caller, q MemberSearch, p store.Page) ([]*model.Member, int, error) {
	search, err := optionalText("search", q.Search, MaxSearchLen)
	if err != nil {
		return nil, 0, err
	}
	if q.TeamID != "" {
		if err := id("teamId", q.TeamID, ids.Team); err != nil {
			return nil, 0, err
		}
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	if err := s.mayReadMembers(ctx, org, c); err != nil {
		return nil, 0, err
	}
	if q.TeamID != "" {
		if _, err := teamIn(ctx, s.store, org.ID, "teamId", q.TeamID); err != nil {
			return nil, 0, err
		}
	}
	f := store.MemberFilter{Status: q.Status, Search: search, TeamID: q.TeamID, Page: p}
	ms, err := s.store.ListMembers(ctx, org.ID, f)
	if err != nil {
		return nil, 0, storeErr(err)
	}
	n, err := s.store.CountMatchingMembers(ctx, org.ID, f)
	return ms, n, storeErr(err)
}

// UpdateInteractionInput: nil leaves a field as it is; AssigneeIDs set to
// an empty list removes every assignee.
type UpdateInteractionInput struct {
	Title       *string
	TeamID      *string
	AssigneeIDs *[]string
}

// UpdateInteraction edits an interaction (interactions.write at a scope
// covering it); moving it to a team needs that scope to cover the target
// team too (team#interactions_write), or a TEAM-scoped member could push
// calls into teams they do not see. Its relationships change through the
// outbox, so a reassignment shows on the very next request.
func (s *Service) UpdateInteraction(ctx context.Context, c Caller, interactionID string, in UpdateInteractionInput) (*model.Interaction, error) {
	if err := id("id", interactionID, ids.Interaction); err != nil {
		return nil, err
	}
	if in.Title == nil && in.TeamID == nil && in.AssigneeIDs == nil {
		return nil, errs.BadInput("input", "give at least one of input.title, input.teamId, input.assigneeIds")
	}
	var title string
	var err error
	if in.Title != nil {
		if title, err = text("input.title", *in.Title, MaxTitleLen); err != nil {
			return nil, err
		}
	}
	if in.TeamID != nil {
		if err := id("input.teamId", *in.TeamID, ids.Team); err != nil {
			return nil, err
		}
	}
	if in.AssigneeIDs != nil {
		if err := idList("input.assigneeIds", *in.AssigneeIDs, ids.Member); err != nil {
			return nil, err
		}
	}
	var out *model.Interaction
	err = s.change(ctx, c, "updateInteraction", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		i, err := s.readableInteraction(ctx, tx, org, c.MemberID, "id", interactionID)
		if err != nil {
			return err
		}
		if err := s.require(ctx, org, c.MemberID, "interactions.write", interactionObject(i.ID)); err != nil {
			return err
		}
		next := *i
		if in.Title != nil {
			next.Title = title
		}
		if in.TeamID != nil && *in.TeamID != i.TeamID {
			if _, err := teamIn(ctx, tx, org.ID, "input.teamId", *in.TeamID); err != nil {
				return err
			}
			ok, err := s.ask(ctx, org, authz.Check{Object: *teamObject(*in.TeamID), Permission: "interactions_write", MemberID: c.MemberID})
			if err != nil {
				return storeErr(err)
			}
			if !ok {
				return errs.Denied("interactions.write", "your interactions.write permission does not reach the team you are moving it to: move it to a team you belong to or manage")
			}
			next.TeamID = *in.TeamID
		}
		if in.AssigneeIDs != nil {
			if len(*in.AssigneeIDs) > 0 {
				found, err := tx.GetMembers(ctx, org.ID, *in.AssigneeIDs)
				if err != nil {
					return err
				}
				if len(found) != len(*in.AssigneeIDs) {
					return errs.BadInput("input.assigneeIds", "every assignee must be a member of this organization")
				}
			}
			next.AssigneeIDs = sortedIDs(*in.AssigneeIDs)
		}
		if err := tx.UpdateInteraction(ctx, &next); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, rels.Interaction(i), rels.Interaction(&next)); err != nil {
			return err
		}
		out = &next
		return record(ev, i.ID, map[string]any{"title": i.Title, "team": i.TeamID, "assignees": i.AssigneeIDs},
			map[string]any{"title": next.Title, "team": next.TeamID, "assignees": next.AssigneeIDs})
	})
	return out, err
}

// evaluationChange runs a change on one evaluation the caller can read and
// may act on with permission (evaluation#evaluations_write or _delete).
func (s *Service) evaluationChange(ctx context.Context, c Caller, action, evaluationID, permission string,
	fn func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, e *model.Evaluation) error) error {
	if err := id("id", evaluationID, ids.Evaluation); err != nil {
		return err
	}
	return s.change(ctx, c, action, func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		e, err := tx.GetEvaluation(ctx, org.ID, evaluationID)
		unknown := unseen("id", "evaluation", evaluationID)
		if err != nil {
			return notFoundAs(err, unknown)
		}
		obj := &authz.Object{Type: rels.TypeEvaluation, ID: e.ID}
		if readable, err := s.check(ctx, org, c.MemberID, "evaluations.read", obj); err != nil {
			return err
		} else if !readable {
			return unknown
		}
		if err := s.require(ctx, org, c.MemberID, permission, obj); err != nil {
			return err
		}
		return fn(tx, org, ev, e)
	})
}

// UpdateEvaluation changes a score (evaluations.write covering it: its
// evaluator or agent at OWN, its interaction's team at TEAM).
func (s *Service) UpdateEvaluation(ctx context.Context, c Caller, evaluationID string, score int) (*model.Evaluation, error) {
	if score < 0 || score > 100 {
		return nil, errs.BadInput("score", "score must be between 0 and 100")
	}
	var out *model.Evaluation
	err := s.evaluationChange(ctx, c, "updateEvaluation", evaluationID, "evaluations.write",
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, e *model.Evaluation) error {
			before := e.Score
			e.Score = score
			if err := tx.UpdateEvaluation(ctx, e); err != nil {
				return err
			}
			out = e
			return record(ev, e.ID, map[string]any{"score": before}, map[string]any{"score": score})
		})
	return out, err
}

// DeleteEvaluation deletes an evaluation (evaluations.delete covering it)
// and its relationships.
func (s *Service) DeleteEvaluation(ctx context.Context, c Caller, evaluationID string) error {
	return s.evaluationChange(ctx, c, "deleteEvaluation", evaluationID, "evaluations.delete",
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, e *model.Evaluation) error {
			if err := tx.DeleteEvaluation(ctx, org.ID, e.ID); err != nil {
				return err
			}
			if err := enqueue(ctx, tx, org.ID, rels.Evaluation(e), nil); err != nil {
				return err
			}
			return record(ev, e.ID, map[string]any{"interaction": e.InteractionID, "agent": e.AgentID, "score": e.Score}, nil)
		})
}
