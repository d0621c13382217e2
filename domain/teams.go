package domain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

func teamObject(id string) *authz.Object { return &authz.Object{Type: rels.TypeTeam, ID: id} }

func memberObject(id string) *authz.Object { return &authz.Object{Type: rels.TypeMember, ID: id} }

// Team is team(id) (teams.read): nil when it does not exist.
func (s *Service) Team(ctx context.Context, c Caller, teamID string) (*model.Team, error) {
	if !ids.Is(teamID, ids.Team) {
		return nil, nil
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "teams.read"); err != nil {
		return nil, err
	}
	t, err := s.store.GetTeam(ctx, org.ID, teamID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return t, storeErr(err)
}

// Teams lists the organization's teams (teams.read).
func (s *Service) Teams(ctx context.Context, c Caller) ([]*model.Team, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "teams.read"); err != nil {
		return nil, err
	}
	ts, err := s.store.ListTeams(ctx, org.ID)
	return ts, storeErr(err)
}

// field is the argument that carries the name (input.name, name).
func uniqueTeamName(ctx context.Context, tx store.Tx, field, orgID, name, except string) error {
	ts, err := tx.ListTeams(ctx, orgID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.ID != except && strings.EqualFold(t.Name, name) {
			return &errs.Error{Code: errs.Conflict, Field: field, Message: fmt.Sprintf("a team named %q already exists: pick another name", t.Name)}
		}
	}
	return nil
}

type CreateTeamInput struct {
	Name     string
	ParentID string
}

// CreateTeam makes a team. With teams.write at TEAM scope, only a sub-team
// of a team the caller belongs to or manages, and the caller becomes a
// member of it unless they manage the parent: "users can administer the
// teams they are part of" (seed 001), and a plain member of the parent is
// not in the new team's audience otherwise — they could make a team they could not then staff
// or rename. Being in a new, empty team shows them nothing new.
func (s *Service) CreateTeam(ctx context.Context, c Caller, in CreateTeamInput) (*model.Team, error) {
	name, err := text("input.name", in.Name, MaxNameLen)
	if err != nil {
		return nil, err
	}
	if in.ParentID != "" {
		if err := id("input.parentId", in.ParentID, ids.Team); err != nil {
			return nil, err
		}
	}
	var t *model.Team
	err = s.change(ctx, c, "createTeam", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if in.ParentID == "" {
			if err := s.requireAll(ctx, org, c.MemberID, "teams.write"); err != nil {
				return err
			}
		} else {
			if _, err := teamIn(ctx, tx, org.ID, "input.parentId", in.ParentID); err != nil {
				return err
			}
			if err := s.require(ctx, org, c.MemberID, "teams.write", teamObject(in.ParentID)); err != nil {
				return err
			}
		}
		t = &model.Team{ID: ids.New(ids.Team), OrgID: org.ID, Name: name, ParentID: in.ParentID}
		if err := tx.CreateTeam(ctx, t); err != nil {
			return nameTaken(err, "input.name", "team", name)
		}
		after := rels.Team(t)
		joined := false
		if in.ParentID != "" {
			// Those who write every team, or manage the parent (and so,
			// through managers_up, the new team), administer it already.
			answers, err := s.askBulk(ctx, org, []authz.Check{
				{Object: grantObject(org.ID, "teams.write"), Permission: "at_all", MemberID: c.MemberID},
				{Object: *teamObject(in.ParentID), Permission: "managers_up", MemberID: c.MemberID},
			})
			if err != nil {
				return storeErr(err)
			}
			if !answers[0] && !answers[1] {
				m := &model.TeamMembership{OrgID: org.ID, TeamID: t.ID, MemberID: c.MemberID}
				if err := tx.PutMembership(ctx, m); err != nil {
					return err
				}
				after.Add(rels.Membership(m).Sorted()...)
				joined = true
			}
		}
		if err := enqueue(ctx, tx, org.ID, nil, after); err != nil {
			return err
		}
		rec := map[string]any{"name": name, "parent": in.ParentID}
		if joined {
			rec["members"] = []string{c.MemberID}
		}
		return record(ev, t.ID, nil, rec)
	})
	return t, err
}

// RenameTeam renames a team the caller may write.
func (s *Service) RenameTeam(ctx context.Context, c Caller, teamID, newName string) (*model.Team, error) {
	if err := id("id", teamID, ids.Team); err != nil {
		return nil, err
	}
	name, err := text("name", newName, MaxNameLen)
	if err != nil {
		return nil, err
	}
	var t *model.Team
	err = changeTo(s, ctx, c, "renameTeam", teamIn, "id", teamID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, got *model.Team) error {
			if err := s.require(ctx, org, c.MemberID, "teams.write", teamObject(teamID)); err != nil {
				return err
			}
			if err := uniqueTeamName(ctx, tx, "name", org.ID, name, teamID); err != nil {
				return err
			}
			before := got.Name
			got.Name = name
			if err := tx.UpdateTeam(ctx, got); err != nil {
				return err
			}
			t = got
			return record(ev, t.ID, map[string]any{"name": before}, map[string]any{"name": name})
		})
	return t, err
}

// DeleteTeam deletes a team (teams.delete): its sub-teams move up to its
// parent, its interactions keep their owners but lose the team.
func (s *Service) DeleteTeam(ctx context.Context, c Caller, teamID string) error {
	if err := id("id", teamID, ids.Team); err != nil {
		return err
	}
	return changeTo(s, ctx, c, "deleteTeam", teamIn, "id", teamID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, t *model.Team) error {
			if err := s.requireAll(ctx, org, c.MemberID, "teams.delete"); err != nil {
				return err
			}
			before, after := rels.Team(t), rels.NewSet()
			ms, err := tx.ListMemberships(ctx, org.ID, teamID, "")
			if err != nil {
				return err
			}
			for _, m := range ms {
				before = rels.Union(before, rels.Membership(m))
			}
			teams, err := tx.ListTeams(ctx, org.ID)
			if err != nil {
				return err
			}
			for _, child := range teams {
				if child.ParentID == teamID {
					before = rels.Union(before, rels.Team(child))
					moved := *child
					moved.ParentID = t.ParentID
					after = rels.Union(after, rels.Team(&moved))
				}
			}
			// Interactions of the team lose it; page through them all, a rare
			// administrative act that may be slow on very large organizations.
			page := store.Page{Limit: 1000}
			for {
				is, err := tx.ListInteractions(ctx, org.ID, page)
				if err != nil {
					return err
				}
				for _, i := range is {
					if i.TeamID == teamID {
						before.Add(rels.Relationship{ResourceType: rels.TypeInteraction, ResourceID: i.ID, Relation: "team",
							SubjectType: rels.TypeTeam, SubjectID: teamID})
					}
				}
				if len(is) < page.Limit {
					break
				}
				page.After = is[len(is)-1].ID
			}
			if err := tx.DeleteTeam(ctx, org.ID, teamID); err != nil {
				return err
			}
			if err := enqueue(ctx, tx, org.ID, before, after); err != nil {
				return err
			}
			return record(ev, teamID, map[string]any{"name": t.Name, "parent": t.ParentID, "members": len(ms)}, nil)
		})
}

// AddTeamMember puts a member in a team, or changes whether they manage it.
// The caller needs teams.write at a scope covering the team: the people who
// administer a team staff it (seed 001). Making someone a manager widens
// what they see (the team and its sub-teams at their TEAM scopes), so it
// also passes the escalation guard: nobody empowers someone above them.
func (s *Service) AddTeamMember(ctx context.Context, c Caller, teamID, memberID string, manager bool) (*model.Team, error) {
	return s.membershipChange(ctx, c, "addTeamMember", teamID, memberID, func(tx store.Tx, org *model.Organization, target *model.Member, existing *model.TeamMembership) (rels.Set, rels.Set, error) {
		if manager && (existing == nil || !existing.Manager) && target.ID != org.OwnerID {
			if err := s.guardAbove(ctx, tx, c, org, target, "make them a team manager"); err != nil {
				return nil, nil, err
			}
		}
		m := &model.TeamMembership{OrgID: org.ID, TeamID: teamID, MemberID: memberID, Manager: manager}
		before := rels.NewSet()
		if existing != nil {
			before = rels.Membership(existing)
		}
		return before, rels.Membership(m), tx.PutMembership(ctx, m)
	})
}

// RemoveTeamMember takes a member out of a team.
func (s *Service) RemoveTeamMember(ctx context.Context, c Caller, teamID, memberID string) (*model.Team, error) {
	return s.membershipChange(ctx, c, "removeTeamMember", teamID, memberID, func(tx store.Tx, org *model.Organization, _ *model.Member, existing *model.TeamMembership) (rels.Set, rels.Set, error) {
		if existing == nil {
			return nil, nil, errs.BadInput("memberId", "the member is not in that team")
		}
		return rels.Membership(existing), nil, tx.DeleteMembership(ctx, org.ID, teamID, memberID)
	})
}

// errOwnMembership is the refusal of team:T#teams_write without
// member:X#team_staff: X is the caller and their teams.write is not ALL.
func errOwnMembership() error {
	return errs.Denied("teams.write", "changing your own team memberships widens what you see: it needs teams.write at ALL, ask an administrator")
}

func (s *Service) membershipChange(ctx context.Context, c Caller, action, teamID, memberID string,
	fn func(tx store.Tx, org *model.Organization, target *model.Member, existing *model.TeamMembership) (rels.Set, rels.Set, error)) (*model.Team, error) {
	if err := id("teamId", teamID, ids.Team); err != nil {
		return nil, err
	}
	if err := id("memberId", memberID, ids.Member); err != nil {
		return nil, err
	}
	var t *model.Team
	err := changeTo(s, ctx, c, action, teamIn, "teamId", teamID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, got *model.Team) error {
			target, err := memberIn(ctx, tx, org.ID, "memberId", memberID)
			if err != nil {
				return err
			}
			// Both halves of the decision are the graph's: teams_write on the
			// team, and team_staff on the member (which excludes oneself
			// unless teams.write is held at ALL).
			answers, err := s.askBulk(ctx, org, []authz.Check{
				{Object: *teamObject(teamID), Permission: "teams_write", MemberID: c.MemberID},
				{Object: *memberObject(memberID), Permission: "team_staff", MemberID: c.MemberID},
			})
			if err != nil {
				return storeErr(err)
			}
			if !answers[0] {
				return s.denial(ctx, org, c.MemberID, "teams.write")
			}
			if !answers[1] {
				if memberID == c.MemberID {
					return errOwnMembership()
				}
				return s.denial(ctx, org, c.MemberID, "teams.write")
			}
			var existing *model.TeamMembership
			ms, err := tx.ListMemberships(ctx, org.ID, teamID, memberID)
			if err != nil {
				return err
			}
			if len(ms) > 0 {
				existing = ms[0]
			}
			before, after, err := fn(tx, org, target, existing)
			if err != nil {
				return err
			}
			if err := enqueue(ctx, tx, org.ID, before, after); err != nil {
				return err
			}
			t = got
			var was any
			if existing != nil {
				was = map[string]any{"manager": existing.Manager}
			}
			var now any
			if len(after) > 0 {
				now = map[string]any{"team": teamID, "member": memberID, "manager": hasManager(after)}
			}
			return record(ev, memberID, was, now)
		})
	return t, err
}

func hasManager(s rels.Set) bool {
	for _, r := range s {
		if r.Relation == "manager" {
			return true
		}
	}
	return false
}
