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

// InteractionPage is one page of readable interactions, oldest first
// (creation time, then id: stable across pages whatever is added).
type InteractionPage struct {
	Items   []*model.Interaction
	HasNext bool
	total   func(context.Context) (int, error)
	// scopes are the caller's answers the page was listed from (scope.go),
	// for the viewer permissions too when PageOptions.ViewerCan.
	scopes   *scopes
	memberID string
}

// PageOptions say what the caller will ask of a page beyond its rows.
type PageOptions struct {
	// ViewerCan: the page's viewerCan flags will be asked (PageViewerCan);
	// their scopes are asked with the page's own, in one bulk check.
	ViewerCan bool
}

// Total counts every readable interaction (of the team, when filtered). It
// costs a full LookupResources, so it is computed only when asked for.
func (p *InteractionPage) Total(ctx context.Context) (int, error) { return p.total(ctx) }

// MaxPageSize bounds first.
const MaxPageSize = 200

// cursorPrefix versions interaction cursors: the id of the interaction
// the page follows.
const cursorPrefix = "id1:"

func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) || len(b) == len(cursorPrefix) {
		return "", errs.BadInput("after", "after is not a cursor this API returned: start again without it")
	}
	return strings.TrimPrefix(string(b), cursorPrefix), nil
}

// Interactions pages the interactions the caller may read. The caller's
// read scope comes first (one bulk check, scope.go), then the store lists
// exactly the rows it covers, first+1 of them: an ALL member's page is
// the organization's listing, an OWN member's the few rows they own or are
// assigned, a TEAM member's their teams' rows and their own; no page asks
// SpiceDB for the whole visible set.
func (s *Service) Interactions(ctx context.Context, c Caller, first int, after, teamID string, opt PageOptions) (*InteractionPage, error) {
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
	keys := []string{"interactions.read"}
	if opt.ViewerCan {
		keys = viewerKeys[:]
	}
	sc, err := s.scopesOf(ctx, org, c.MemberID, keys)
	if err != nil {
		return nil, storeErr(err)
	}
	f := sc.filter("interactions.read", c.MemberID)
	f.TeamID, f.Page = teamID, store.Page{After: cursor, Limit: first + 1}
	items, err := s.store.ListInteractionsWhere(ctx, org.ID, f)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.BadInput("after", "the interaction after points at is gone: start again without it")
	}
	if err != nil {
		return nil, storeErr(err)
	}
	page := &InteractionPage{Items: items, scopes: sc, memberID: c.MemberID}
	if len(items) > first {
		page.Items, page.HasNext = items[:first], true
	}
	page.total = func(ctx context.Context) (int, error) {
		lr, err := s.lookupResources(ctx, org, rels.TypeInteraction, "interactions_read", c.MemberID, 0, "")
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

// EndCursor resumes after the page's last item ("" for an empty page).
func (p *InteractionPage) EndCursor() string {
	if len(p.Items) == 0 {
		return ""
	}
	return p.CursorOf(len(p.Items) - 1)
}

// CursorOf is the cursor of the k-th item of a page.
func (p *InteractionPage) CursorOf(k int) string { return encodeCursor(p.Items[k].ID) }

// InteractionPermissions are the viewerCan flags of one interaction.
type InteractionPermissions struct{ Read, Write, Delete, Download bool }

// ViewerCan answers the four flags of many interactions in one bulk call.
func (s *Service) ViewerCan(ctx context.Context, c Caller, interactionIDs []string) ([]InteractionPermissions, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.viewerCan(ctx, c, org, interactionIDs)
}

// PageViewerCan is ViewerCan for the interactions of a page: they are
// store rows listed by the caller's scopes, so each flag follows from the
// scopes of its permission and the row's team and people (scope.go), with
// no question per interaction. The scopes were asked with the page when
// PageOptions.ViewerCan said so, else now.
func (s *Service) PageViewerCan(ctx context.Context, c Caller, page *InteractionPage) ([]InteractionPermissions, error) {
	sc := page.scopes
	if !sc.has(viewerKeys[len(viewerKeys)-1]) || page.memberID != c.MemberID {
		org, err := s.Organization(ctx, c)
		if err != nil {
			return nil, err
		}
		if sc, err = s.scopesOf(ctx, org, c.MemberID, viewerKeys[:]); err != nil {
			return nil, storeErr(err)
		}
	}
	out := make([]InteractionPermissions, len(page.Items))
	for k, i := range page.Items {
		involved := append([]string{i.OwnerID}, i.AssigneeIDs...)
		for _, key := range viewerKeys {
			setFlag(&out[k], key, sc.covers(key, c.MemberID, i.TeamID, involved...))
		}
	}
	return out, nil
}

func setFlag(f *InteractionPermissions, key string, v bool) {
	switch key {
	case "interactions.read":
		f.Read = v
	case "interactions.write":
		f.Write = v
	case "interactions.delete":
		f.Delete = v
	case "interactions.download":
		f.Download = v
	}
}

// viewerKeys are the flags of InteractionPermissions, in its order.
var viewerKeys = [...]string{"interactions.read", "interactions.write", "interactions.delete", "interactions.download"}

// viewerCan asks SpiceDB each flag of each interaction (any ids: they are
// not known to be the caller's organization's rows), in one bulk call.
func (s *Service) viewerCan(ctx context.Context, c Caller, org *model.Organization, interactionIDs []string) ([]InteractionPermissions, error) {
	// Questions grouped by permission, ids sorted: SpiceDB batches each
	// permission's resources into one dispatch keyed by their order, so the
	// same set of interactions asked twice is a dispatch-cache hit however
	// the loader happened to collect them.
	order := make([]int, len(interactionIDs))
	for k := range order {
		order[k] = k
	}
	sort.Slice(order, func(x, y int) bool { return interactionIDs[order[x]] < interactionIDs[order[y]] })
	checks := make([]authz.Check, 0, len(interactionIDs)*len(viewerKeys))
	for _, key := range viewerKeys {
		for _, k := range order {
			checks = append(checks, authz.Check{Object: *interactionObject(interactionIDs[k]), Permission: strings.Replace(key, ".", "_", 1), MemberID: c.MemberID})
		}
	}
	out := make([]InteractionPermissions, len(interactionIDs))
	if len(checks) == 0 {
		return out, nil
	}
	answers, err := s.askBulk(ctx, org, checks)
	if err != nil {
		return nil, storeErr(err)
	}
	for j, key := range viewerKeys {
		for x, k := range order {
			setFlag(&out[k], key, answers[j*len(order)+x])
		}
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
		if _, err := memberIn(ctx, tx, org.ID, "input.ownerId", ownerID); err != nil {
			return err
		}
		if ownerID == c.MemberID {
			if err := s.require(ctx, org, c.MemberID, "interactions.record", nil); err != nil {
				return err
			}
		} else {
			obj := authz.Object{Type: rels.TypeMember, ID: ownerID}
			ok, err := s.ask(ctx, org, authz.Check{Object: obj, Permission: "interactions_write", MemberID: c.MemberID})
			if err != nil {
				return storeErr(err)
			}
			if !ok {
				return s.denial(ctx, org, c.MemberID, "interactions.write")
			}
		}
		teamID := in.TeamID
		if teamID != "" {
			if _, err := teamIn(ctx, tx, org.ID, "input.teamId", teamID); err != nil {
				return err
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
		i, err := s.readableInteraction(ctx, tx, org, c.MemberID, "id", interactionID)
		if err != nil {
			return err
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

// Evaluations lists the evaluations the caller may read, newest first,
// first at a time after the evaluation after (an unknown after gives an
// empty page). The caller's read scope comes first (one bulk check,
// scope.go), then the store lists exactly the rows it covers: an ALL
// member's page is the newest rows, an OWN member's the few they are the
// agent or evaluator of, a TEAM member's their teams' and their own.
// WithEvaluationsByLookup answers from one LookupResources instead (the
// way to compare with).
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
	if s.evaluationsByLookupOnly {
		return s.evaluationsByLookup(ctx, c, org, first, after)
	}
	sc, err := s.scopesOf(ctx, org, c.MemberID, []string{"evaluations.read"})
	if err != nil {
		return nil, storeErr(err)
	}
	f := sc.filter("evaluations.read", c.MemberID)
	f.Page = store.Page{After: after, Limit: first, NewestFirst: true}
	evs, err := s.store.ListEvaluationsWhere(ctx, org.ID, f)
	if errors.Is(err, store.ErrNotFound) {
		return []*model.Evaluation{}, nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	return evs, nil
}

// evaluationsByLookup is Evaluations from one LookupResources of every
// readable evaluation, sorted and placed like the store's listing.
func (s *Service) evaluationsByLookup(ctx context.Context, c Caller, org *model.Organization, first int, after string) ([]*model.Evaluation, error) {
	var from *model.Evaluation
	if after != "" {
		e, err := s.store.GetEvaluation(ctx, org.ID, after)
		if errors.Is(err, store.ErrNotFound) {
			return []*model.Evaluation{}, nil
		}
		if err != nil {
			return nil, storeErr(err)
		}
		from = e
	}
	lr, err := s.lookupResources(ctx, org, rels.TypeEvaluation, "evaluations_read", c.MemberID, 0, "")
	if err != nil {
		return nil, storeErr(err)
	}
	evs, err := s.store.GetEvaluations(ctx, org.ID, lr.IDs)
	if err != nil {
		return nil, storeErr(err)
	}
	newer := func(a, b *model.Evaluation) bool {
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.After(b.CreatedAt)
		}
		return a.ID > b.ID
	}
	sort.Slice(evs, func(a, b int) bool { return newer(evs[a], evs[b]) })
	start := 0
	if from != nil {
		start = sort.Search(len(evs), func(k int) bool { return newer(from, evs[k]) })
	}
	return nonNilEvaluations(evs[start:min(start+first, len(evs))]), nil
}

func nonNilEvaluations(evs []*model.Evaluation) []*model.Evaluation {
	if evs == nil {
		return []*model.Evaluation{}
	}
	return evs
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
		i, err := s.readableInteraction(ctx, tx, org, c.MemberID, "input.interactionId", in.InteractionID)
		if err != nil {
			return err
		}
		if _, err := memberIn(ctx, tx, org.ID, "input.agentId", in.AgentID); err != nil {
			return err
		}
		ok, err := s.ask(ctx, org, authz.Check{Object: *interactionObject(i.ID), Permission: "evaluate", MemberID: c.MemberID})
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
