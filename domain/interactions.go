package domain

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
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

// InteractionPage is one page of readable interactions, in the
// permission graph's order (stable across pages).
type InteractionPage struct {
	Items     []*model.Interaction
	Cursors   []string // Cursors[i] resumes right after Items[i]
	HasNext   bool
	EndCursor string
	total     func(context.Context) (int, error)
	// flags, when set, are the viewerCan flags of the first LookupResources
	// batch, asked beside the store read of its rows (PageOptions).
	flags *pageFlags
	// all, when set, is the caller's grant-level answer per viewer flag,
	// asked beside the page's LookupResources (flags.go).
	all *allScope
}

type pageFlags struct {
	ids  []string
	done chan struct{}
	out  []InteractionPermissions
	err  error
}

// PageOptions say what the caller will ask of a page beyond its rows.
type PageOptions struct {
	// ViewerCan: the page's viewerCan flags will be asked (PageViewerCan).
	// SpiceDB is then asked as soon as the page's ids are known, beside
	// the store read of its rows instead of after it.
	ViewerCan bool
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
	batch := first + 1
	if teamID != "" {
		batch = max(4*first, 100)
	}
	page := &InteractionPage{}
	if opt.ViewerCan {
		page.all = s.startAllScope(ctx, org, c.MemberID)
	}
	for len(page.Items) <= first {
		lr, err := s.lookupResources(ctx, org, rels.TypeInteraction, "interactions_read", c.MemberID, batch, cursor)
		if err != nil {
			return nil, storeErr(err)
		}
		if opt.ViewerCan && teamID == "" && page.flags == nil {
			// Without a team filter the page is these ids unless the
			// store lost some of them (then PageViewerCan asks again).
			f := &pageFlags{ids: lr.IDs[:min(first, len(lr.IDs))], done: make(chan struct{})}
			page.flags = f
			go func() {
				defer close(f.done)
				f.out, f.err = s.viewerCanWith(ctx, c, org, f.ids, true, page.all)
			}()
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
	return s.viewerCan(ctx, c, org, interactionIDs, false)
}

// PageViewerCan is ViewerCan for the interactions of a page: they came
// from a LookupResources of interactions_read at the same revision, so
// read is already answered and SpiceDB is asked the other three flags.
func (s *Service) PageViewerCan(ctx context.Context, c Caller, page *InteractionPage) ([]InteractionPermissions, error) {
	idList := make([]string, len(page.Items))
	for k, i := range page.Items {
		idList[k] = i.ID
	}
	if f := page.flags; f != nil {
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, storeErr(ctx.Err())
		}
		if f.err == nil && slices.Equal(f.ids, idList) {
			return f.out, nil
		}
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	all := page.all
	if all == nil {
		// The page's items are rows of org: the grant-level answer holds.
		all = s.startAllScope(ctx, org, c.MemberID)
	}
	return s.viewerCanWith(ctx, c, org, idList, true, all)
}

func setFlag(f *InteractionPermissions, perm string, v bool) {
	switch perm {
	case "interactions_read":
		f.Read = v
	case "interactions_write":
		f.Write = v
	case "interactions_delete":
		f.Delete = v
	case "interactions_download":
		f.Download = v
	}
}

// viewerPermissions are the flags of InteractionPermissions, in its order.
var viewerPermissions = [...]string{"interactions_read", "interactions_write", "interactions_delete", "interactions_download"}

func (s *Service) viewerCan(ctx context.Context, c Caller, org *model.Organization, interactionIDs []string, readable bool) ([]InteractionPermissions, error) {
	return s.viewerCanWith(ctx, c, org, interactionIDs, readable, nil)
}

// viewerCanWith is viewerCan; with all (only for interactions read from
// org's own rows: the answer at ALL holds for every interaction of org and
// no other), flags the member holds at ALL are answered for every
// interaction without asking SpiceDB about each (flags.go).
func (s *Service) viewerCanWith(ctx context.Context, c Caller, org *model.Organization, interactionIDs []string, readable bool, all *allScope) ([]InteractionPermissions, error) {
	held := make([]bool, len(viewerPermissions))
	if all != nil {
		var err error
		if held, err = all.wait(ctx); err != nil {
			return nil, storeErr(err)
		}
	}
	var perms, atAll []string
	for k, p := range viewerPermissions {
		switch {
		case k == 0 && readable:
		case held[k]:
			atAll = append(atAll, p)
		default:
			perms = append(perms, p)
		}
	}
	// Questions grouped by permission, ids sorted: SpiceDB batches each
	// permission's resources into one dispatch keyed by their order, so the
	// same set of interactions asked twice is a dispatch-cache hit however
	// the loader happened to collect them.
	order := make([]int, len(interactionIDs))
	for k := range order {
		order[k] = k
	}
	sort.Slice(order, func(x, y int) bool { return interactionIDs[order[x]] < interactionIDs[order[y]] })
	checks := make([]authz.Check, 0, len(interactionIDs)*len(perms))
	for _, p := range perms {
		for _, k := range order {
			checks = append(checks, authz.Check{Object: *interactionObject(interactionIDs[k]), Permission: p, MemberID: c.MemberID})
		}
	}
	answers := []bool{}
	if len(checks) > 0 {
		var err error
		if answers, err = s.askBulk(ctx, org, checks); err != nil {
			return nil, storeErr(err)
		}
	}
	out := make([]InteractionPermissions, len(interactionIDs))
	for _, p := range atAll {
		for k := range out {
			setFlag(&out[k], p, true)
		}
	}
	for j, p := range perms {
		for x, k := range order {
			setFlag(&out[k], p, answers[j*len(order)+x])
		}
	}
	if readable {
		for k := range out {
			out[k].Read = true
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
// first at a time after the evaluation after. It walks the store's
// newest-first listing a batch at a time (first, then twice as many each
// time) and asks SpiceDB about each batch in one bulk check, so a page of
// a member who reads much costs a batch or two, not the whole readable
// set. As soon as the rate seen so far says the batches left
// (WithEvaluationScan's batches in all) will not fill the page — a member who
// reads little — one LookupResources serves it instead, which is cheap
// exactly then. Both ways give the same page: readable at the
// organization's revision, in creation order after after's place (an
// unknown after gives an empty page).
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
	size := s.evaluationScanBatch
	if size <= 0 {
		size = first
	}
	var out []*model.Evaluation
	cursor, scanned := after, 0
	for batch := 1; batch <= s.evaluationScanBatches; batch++ {
		evs, err := s.store.ListEvaluations(ctx, org.ID, store.Page{After: cursor, Limit: size, NewestFirst: true})
		if errors.Is(err, store.ErrNotFound) {
			return []*model.Evaluation{}, nil
		}
		if err != nil {
			return nil, storeErr(err)
		}
		checks := make([]authz.Check, len(evs))
		for k, e := range evs {
			checks[k] = authz.Check{Object: authz.Object{Type: rels.TypeEvaluation, ID: e.ID}, Permission: "evaluations_read", MemberID: c.MemberID}
		}
		readable, err := s.askBulk(ctx, org, checks)
		if err != nil {
			return nil, storeErr(err)
		}
		for k, e := range evs {
			if readable[k] {
				out = append(out, e)
				if len(out) == first {
					return out, nil
				}
			}
		}
		if len(evs) < size {
			return nonNilEvaluations(out), nil // the listing ended
		}
		cursor, scanned = evs[len(evs)-1].ID, scanned+len(evs)
		// The batches left scan size*(2 + 4 + ...) more rows; at the rate
		// seen so far, would they fill the page?
		left := 0
		for k, n := 0, 2*size; k < s.evaluationScanBatches-batch; k, n = k+1, 2*n {
			left += n
		}
		if len(out) == 0 || (first-len(out))*scanned > len(out)*left {
			break
		}
		size *= 2
	}
	return s.evaluationsByLookup(ctx, c, org, first, after)
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
