package domain

import (
	"context"
	"encoding/base64"
	"errors"
	"sort"
	"strings"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

func interactionObject(id string) *authz.Object {
	return &authz.Object{Type: rels.TypeInteraction, ID: id}
}

// Interaction is interaction(id): nil unless the caller may read it.
// Unreadable and nonexistent look the same.
func (s *Service) Interaction(ctx context.Context, c Caller, interactionID string) (*model.Interaction, error) {
	if !ids.Is(interactionID, ids.Interaction) {
		return nil, nil
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	i, err := s.store.GetInteraction(ctx, org.ID, interactionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	ok, err := s.check(ctx, org, c.MemberID, "interactions.read", interactionObject(i.ID))
	if err != nil || !ok {
		return nil, err
	}
	return i, nil
}

// InteractionsByID loads interactions for fields that already authorized them.
func (s *Service) InteractionsByID(ctx context.Context, orgID string, idList []string) ([]*model.Interaction, error) {
	is, err := s.store.GetInteractions(ctx, orgID, idList)
	return is, storeErr(err)
}

// InteractionPage is one page of readable interactions, in the
// permission graph's order (stable across pages).
type InteractionPage struct {
	Items     []*model.Interaction
	Cursors   []string // Cursors[i] resumes right after Items[i]
	HasNext   bool
	EndCursor string
	total     func(context.Context) (int, error)
}

// Total counts every readable interaction (of the team, when filtered). It
// costs a full LookupResources, so it is computed only when asked for.
func (p *InteractionPage) Total(ctx context.Context) (int, error) { return p.total(ctx) }

// MaxPageSize bounds first.
const MaxPageSize = 200

// cursorPrefix versions interaction cursors: they wrap SpiceDB's own.
const cursorPrefix = "lr1:"

func encodeCursor(spicedb string) string {
	if spicedb == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + spicedb))
}

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) || len(b) == len(cursorPrefix) {
		return "", errs.BadInput("after", "after is not a cursor this API returned: start again without it")
	}
	return strings.TrimPrefix(string(b), cursorPrefix), nil
}

// Interactions pages the interactions the caller may read with
// LookupResources cursors: the first page asks SpiceDB for first+1
// resources, never for the whole visible set. With teamId, pages are read
// until enough of them belong to the team.
func (s *Service) Interactions(ctx context.Context, c Caller, first int, after, teamID string) (*InteractionPage, error) {
	if first < 0 || first > MaxPageSize {
		return nil, errs.BadInput("first", "first must be between 0 and %d", MaxPageSize)
	}
	if first == 0 {
		first = 50
	}
	if teamID != "" {
		if err := id("teamId", teamID, ids.Team); err != nil {
			return nil, err
		}
	}
	cursor := ""
	if after != "" {
		var err error
		if cursor, err = decodeCursor(after); err != nil {
			return nil, err
		}
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	batch := first + 1
	if teamID != "" {
		batch = max(4*first, 100)
	}
	page := &InteractionPage{}
	for len(page.Items) <= first {
		lr, err := s.authz.LookupResources(ctx, fresh(org), rels.TypeInteraction, "interactions_read", c.MemberID, batch, cursor)
		if err != nil {
			return nil, storeErr(err)
		}
		items, err := s.store.GetInteractions(ctx, org.ID, lr.IDs)
		if err != nil {
			return nil, storeErr(err)
		}
		byID := make(map[string]*model.Interaction, len(items))
		for _, i := range items {
			byID[i.ID] = i
		}
		for k, id := range lr.IDs {
			i := byID[id]
			if i == nil || (teamID != "" && i.TeamID != teamID) {
				continue
			}
			page.Items, page.Cursors = append(page.Items, i), append(page.Cursors, lr.After[k])
			if len(page.Items) > first {
				break
			}
		}
		if lr.Cursor == "" {
			break
		}
		cursor = lr.Cursor
	}
	if len(page.Items) > first {
		page.Items, page.Cursors, page.HasNext = page.Items[:first], page.Cursors[:first], true
	}
	if n := len(page.Items); n > 0 {
		page.EndCursor = encodeCursor(page.Cursors[n-1])
	}
	page.total = func(ctx context.Context) (int, error) {
		lr, err := s.authz.LookupResources(ctx, fresh(org), rels.TypeInteraction, "interactions_read", c.MemberID, 0, "")
		if err != nil {
			return 0, storeErr(err)
		}
		if teamID == "" {
			return len(lr.IDs), nil
		}
		items, err := s.store.GetInteractions(ctx, org.ID, lr.IDs)
		if err != nil {
			return 0, storeErr(err)
		}
		n := 0
		for _, i := range items {
			if i.TeamID == teamID {
				n++
			}
		}
		return n, nil
	}
	return page, nil
}

// CursorOf is the cursor of the k-th item of a page.
func (p *InteractionPage) CursorOf(k int) string { return encodeCursor(p.Cursors[k]) }

// InteractionPermissions are the viewerCan flags of one interaction.
type InteractionPermissions struct{ Read, Write, Delete, Download bool }

// ViewerCan answers the four flags of many interactions in one bulk call.
func (s *Service) ViewerCan(ctx context.Context, c Caller, interactionIDs []string) ([]InteractionPermissions, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	perms := []string{"interactions_read", "interactions_write", "interactions_delete", "interactions_download"}
	checks := make([]authz.Check, 0, len(interactionIDs)*len(perms))
	for _, id := range interactionIDs {
		for _, p := range perms {
			checks = append(checks, authz.Check{Object: *interactionObject(id), Permission: p, MemberID: c.MemberID})
		}
	}
	answers, err := s.authz.CheckBulk(ctx, fresh(org), checks)
	if err != nil {
		return nil, storeErr(err)
	}
	out := make([]InteractionPermissions, len(interactionIDs))
	for k := range interactionIDs {
		a := answers[k*len(perms):]
		out[k] = InteractionPermissions{Read: a[0], Write: a[1], Delete: a[2], Download: a[3]}
	}
	return out, nil
}

type CreateInteractionInput struct {
	Title       string
	OwnerID     string // "" = the caller
	TeamID      string // "" = the owner's first team, if any
	AssigneeIDs []string
}

// CreateInteraction records a call. The caller's own call needs
// interactions.record (and so a RECORDER seat); another member's needs
// interactions.write at a scope covering that member.
func (s *Service) CreateInteraction(ctx context.Context, c Caller, in CreateInteractionInput) (*model.Interaction, error) {
	title, err := text("input.title", in.Title, MaxTitleLen)
	if err != nil {
		return nil, err
	}
	ownerID := in.OwnerID
	if ownerID == "" {
		ownerID = c.MemberID
	}
	if err := id("input.ownerId", ownerID, ids.Member); err != nil {
		return nil, err
	}
	if in.TeamID != "" {
		if err := id("input.teamId", in.TeamID, ids.Team); err != nil {
			return nil, err
		}
	}
	if err := idList("input.assigneeIds", in.AssigneeIDs, ids.Member); err != nil {
		return nil, err
	}
	var out *model.Interaction
	err = s.change(ctx, c, "createInteraction", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if _, err := tx.GetMember(ctx, org.ID, ownerID); err != nil {
			return notFoundAs(err, errs.BadInput("input.ownerId", "no member with id %q in this organization", ownerID))
		}
		if ownerID == c.MemberID {
			if err := s.require(ctx, org, c.MemberID, "interactions.record", nil); err != nil {
				return err
			}
		} else {
			obj := authz.Object{Type: rels.TypeMember, ID: ownerID}
			ok, err := s.authz.Check(ctx, fresh(org), authz.Check{Object: obj, Permission: "interactions_write", MemberID: c.MemberID})
			if err != nil {
				return storeErr(err)
			}
			if !ok {
				return s.denial(ctx, org, c.MemberID, "interactions.write")
			}
		}
		teamID := in.TeamID
		if teamID != "" {
			if _, err := tx.GetTeam(ctx, org.ID, teamID); err != nil {
				return notFoundAs(err, errs.BadInput("input.teamId", "no team with id %q in this organization", teamID))
			}
		} else {
			ms, err := tx.ListMemberships(ctx, org.ID, "", ownerID)
			if err != nil {
				return err
			}
			if len(ms) > 0 {
				teamID = ms[0].TeamID
			}
		}
		if len(in.AssigneeIDs) > 0 {
			found, err := tx.GetMembers(ctx, org.ID, in.AssigneeIDs)
			if err != nil {
				return err
			}
			if len(found) != len(in.AssigneeIDs) {
				return errs.BadInput("input.assigneeIds", "every assignee must be a member of this organization")
			}
		}
		out = &model.Interaction{ID: ids.New(ids.Interaction), OrgID: org.ID, Title: title, OwnerID: ownerID,
			TeamID: teamID, AssigneeIDs: sortedIDs(in.AssigneeIDs), CreatedAt: s.now().UTC()}
		if err := tx.CreateInteraction(ctx, out); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, nil, rels.Interaction(out)); err != nil {
			return err
		}
		return record(ev, out.ID, nil, map[string]any{"title": title, "owner": ownerID, "team": teamID, "assignees": out.AssigneeIDs})
	})
	return out, err
}

// DeleteInteraction deletes an interaction and its evaluations.
func (s *Service) DeleteInteraction(ctx context.Context, c Caller, interactionID string) error {
	if err := id("id", interactionID, ids.Interaction); err != nil {
		return err
	}
	return s.change(ctx, c, "deleteInteraction", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		i, err := tx.GetInteraction(ctx, org.ID, interactionID)
		unknown := errs.BadInput("id", "no interaction with id %q that you can see", interactionID)
		if err != nil {
			return notFoundAs(err, unknown)
		}
		readable, err := s.check(ctx, org, c.MemberID, "interactions.read", interactionObject(i.ID))
		if err != nil {
			return err
		}
		if !readable {
			return unknown
		}
		if err := s.require(ctx, org, c.MemberID, "interactions.delete", interactionObject(i.ID)); err != nil {
			return err
		}
		graph := rels.Interaction(i)
		page := store.Page{Limit: 1000}
		for {
			evs, err := tx.ListEvaluations(ctx, org.ID, page)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if e.InteractionID == i.ID {
					graph = rels.Union(graph, rels.Evaluation(e))
				}
			}
			if len(evs) < page.Limit {
				break
			}
			page.After = evs[len(evs)-1].ID
		}
		if err := tx.DeleteInteraction(ctx, org.ID, i.ID); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, graph, nil); err != nil {
			return err
		}
		return record(ev, i.ID, map[string]any{"title": i.Title, "owner": i.OwnerID, "team": i.TeamID}, nil)
	})
}

// Evaluations lists the evaluations the caller may read, newest first.
func (s *Service) Evaluations(ctx context.Context, c Caller, first int, after string) ([]*model.Evaluation, error) {
	if first < 0 || first > MaxPageSize {
		return nil, errs.BadInput("first", "first must be between 0 and %d", MaxPageSize)
	}
	if first == 0 {
		first = 50
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	lr, err := s.authz.LookupResources(ctx, fresh(org), rels.TypeEvaluation, "evaluations_read", c.MemberID, 0, "")
	if err != nil {
		return nil, storeErr(err)
	}
	evs, err := s.store.GetEvaluations(ctx, org.ID, lr.IDs)
	if err != nil {
		return nil, storeErr(err)
	}
	sort.Slice(evs, func(a, b int) bool {
		if !evs[a].CreatedAt.Equal(evs[b].CreatedAt) {
			return evs[a].CreatedAt.After(evs[b].CreatedAt)
		}
		return evs[a].ID > evs[b].ID
	})
	start := 0
	if after != "" {
		start = len(evs)
		for k, e := range evs {
			if e.ID == after {
				start = k + 1
			}
		}
	}
	return evs[start:min(start+first, len(evs))], nil
}

type CreateEvaluationInput struct {
	InteractionID string
	AgentID       string
	Score         int
}

// CreateEvaluation scores an agent on an interaction; the caller evaluates
// (evaluations.write at a scope covering the interaction).
func (s *Service) CreateEvaluation(ctx context.Context, c Caller, in CreateEvaluationInput) (*model.Evaluation, error) {
	if err := id("input.interactionId", in.InteractionID, ids.Interaction); err != nil {
		return nil, err
	}
	if err := id("input.agentId", in.AgentID, ids.Member); err != nil {
		return nil, err
	}
	if in.Score < 0 || in.Score > 100 {
		return nil, errs.BadInput("input.score", "score must be between 0 and 100")
	}
	var out *model.Evaluation
	err := s.change(ctx, c, "createEvaluation", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		unknown := errs.BadInput("input.interactionId", "no interaction with id %q that you can see", in.InteractionID)
		i, err := tx.GetInteraction(ctx, org.ID, in.InteractionID)
		if err != nil {
			return notFoundAs(err, unknown)
		}
		if readable, err := s.check(ctx, org, c.MemberID, "interactions.read", interactionObject(i.ID)); err != nil {
			return err
		} else if !readable {
			return unknown
		}
		if _, err := tx.GetMember(ctx, org.ID, in.AgentID); err != nil {
			return notFoundAs(err, errs.BadInput("input.agentId", "no member with id %q in this organization", in.AgentID))
		}
		ok, err := s.authz.Check(ctx, fresh(org), authz.Check{Object: *interactionObject(i.ID), Permission: "evaluate", MemberID: c.MemberID})
		if err != nil {
			return storeErr(err)
		}
		if !ok {
			return s.denial(ctx, org, c.MemberID, "evaluations.write")
		}
		out = &model.Evaluation{ID: ids.New(ids.Evaluation), OrgID: org.ID, InteractionID: i.ID, AgentID: in.AgentID,
			EvaluatorID: c.MemberID, Score: in.Score, CreatedAt: s.now().UTC()}
		if err := tx.CreateEvaluation(ctx, out); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, nil, rels.Evaluation(out)); err != nil {
			return err
		}
		return record(ev, out.ID, nil, map[string]any{"interaction": i.ID, "agent": in.AgentID, "score": in.Score})
	})
	return out, err
}

// EvaluationsByID loads evaluations for fields that already authorized them.
func (s *Service) EvaluationsByID(ctx context.Context, orgID string, idList []string) ([]*model.Evaluation, error) {
	es, err := s.store.GetEvaluations(ctx, orgID, idList)
	return es, storeErr(err)
}
