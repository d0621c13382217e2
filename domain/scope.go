package domain

import (
	"context"
	"strings"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// What a member reads of interactions and evaluations, and the page's
// viewerCan flags, follow from a few questions instead of one per resource.
// In schema.zed every permission P of those kinds has one shape:
//
//	P = org->P_all + (audience & org->P_team) + (involved & org->P_own)
//
// (an evaluation's audience is its interaction's, interaction->audience =
// team->audience). So SpiceDB is asked, per P, the organization's P_all,
// P_team and P_own, and, when some P holds at TEAM but not at ALL, which
// teams' audience the member is in; a resource then has P exactly when
// P_all holds, or its team is one of those with P_team, or the member is
// involved in it (owner or assignee; evaluated agent or evaluator) with
// P_own. The store lists the rows that covers (ResourceFilter) in its
// own order, so a member who reads a few rows of 100k reads those few.
// e2e/scope_test.go holds every demo member's pages and flags to
// LookupResources and CheckPermission, on both stores.

// scopes are one member's answers for some permissions (catalog keys).
type scopes struct {
	held map[string]scopeHeld
	// teams: the teams whose audience the member is in; asked only when
	// some permission is held at TEAM but not at ALL.
	teams map[string]bool
}

type scopeHeld struct{ all, team, own bool }

// teamsPage is how many teams one lookup of a member's audience lists.
const teamsPage = 1000

// scopesOf asks SpiceDB, in one bulk check, the organization's _all,
// _team and _own permissions of each key for the member, and beside it
// the teams whose audience they are in: needed only for a TEAM reader, and
// dropped (canceled) otherwise, but asked at once so that a TEAM reader's
// page waits for one round trip, not two.
func (s *Service) scopesOf(ctx context.Context, org *model.Organization, memberID string, keys []string) (*scopes, error) {
	type teamsAnswer struct {
		teams map[string]bool
		err   error
	}
	teamsCh := make(chan teamsAnswer, 1)
	ask := func(ctx context.Context) {
		t, err := s.audience(ctx, org, memberID)
		teamsCh <- teamsAnswer{t, err}
	}
	// A pending organization is settled by the first question; the two
	// must not both settle it.
	speculate := !org.Pending
	if speculate {
		lctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go ask(lctx)
	}
	suffixes := [...]string{"_all", "_team", "_own"}
	checks := make([]authz.Check, 0, len(keys)*len(suffixes))
	for _, k := range keys {
		for _, suf := range suffixes {
			checks = append(checks, authz.Check{Object: authz.Object{Type: rels.TypeOrganization, ID: org.ID},
				Permission: strings.ReplaceAll(k, ".", "_") + suf, MemberID: memberID})
		}
	}
	answers, err := s.askBulk(ctx, org, checks)
	if err != nil {
		return nil, err
	}
	sc := &scopes{held: make(map[string]scopeHeld, len(keys))}
	needTeams := false
	for i, k := range keys {
		h := scopeHeld{all: answers[3*i], team: answers[3*i+1], own: answers[3*i+2]}
		sc.held[k] = h
		needTeams = needTeams || (h.team && !h.all)
	}
	if !needTeams {
		return sc, nil
	}
	if !speculate {
		ask(ctx)
	}
	t := <-teamsCh
	if t.err != nil {
		return nil, t.err
	}
	sc.teams = t.teams
	return sc, nil
}

// audience lists the teams whose audience the member is in, in limited
// pages, which the decision cache keeps by revision (full listings it
// does not).
func (s *Service) audience(ctx context.Context, org *model.Organization, memberID string) (map[string]bool, error) {
	teams := map[string]bool{}
	for cursor := ""; ; {
		lr, err := s.lookupResources(ctx, org, rels.TypeTeam, "audience", memberID, teamsPage, cursor)
		if err != nil {
			return nil, err
		}
		for _, id := range lr.IDs {
			teams[id] = true
		}
		if lr.Cursor == "" {
			return teams, nil
		}
		cursor = lr.Cursor
	}
}

// has reports whether sc answered key.
func (sc *scopes) has(key string) bool {
	if sc == nil {
		return false
	}
	_, ok := sc.held[key]
	return ok
}

// filter is the store filter keeping exactly the rows on which the member
// has key (answered by scopesOf).
func (sc *scopes) filter(key, memberID string) store.ResourceFilter {
	h := sc.held[key]
	f := store.ResourceFilter{All: h.all}
	if h.team && !h.all {
		for id := range sc.teams {
			f.TeamIDs = append(f.TeamIDs, id)
		}
	}
	if h.own {
		f.InvolvedID = memberID
	}
	return f
}

// covers is filter for one row: its team ("" for none) and the members
// involved in it.
func (sc *scopes) covers(key, memberID, team string, involved ...string) bool {
	h := sc.held[key]
	switch {
	case h.all:
		return true
	case h.team && team != "" && sc.teams[team]:
		return true
	case h.own:
		for _, m := range involved {
			if m == memberID {
				return true
			}
		}
	}
	return false
}
