// Package storetest is the conformance suite of store.Store: every backend
// runs RunConformance, so that the contract written in store.go's doc
// comments means the same thing on each of them.
//
// A few behaviours store.go leaves open are pinned here too, so that the
// backends cannot drift apart on them (each such test says so): values come
// back in the model's canonical shape (sorted ids, catalog order, UTC
// microseconds); ids are unique per organization only; a write that points
// at a missing entity (organization, parent team, role, interaction) is
// ErrNotFound; an unknown page cursor is ErrNotFound; DeleteRole takes the
// role away from its holders; a failed write leaves its transaction usable;
// teams and roles sort case-insensitively, seat pools in AllSeatKinds
// order, organizations by creation.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// RunConformance runs every contract test against stores made by newStore.
// Each subtest gets its own empty store and runs in parallel with the
// others; newStore must register any cleanup with t.Cleanup.
func RunConformance(t *testing.T, newStore func(t *testing.T) store.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			c.run(&h{T: t, s: s, ctx: ctx})
		})
	}
}

type testCase struct {
	name string
	run  func(h *h)
}

// cases is filled by the files of this package, one area each.
var cases []testCase

func register(name string, run func(h *h)) struct{} {
	cases = append(cases, testCase{name, run})
	return struct{}{}
}

// h carries one subtest's store and context.
type h struct {
	*testing.T
	s   store.Store
	ctx context.Context
}

// inTx runs fn in a transaction that must commit.
func (h *h) inTx(fn func(tx store.Tx) error) {
	h.Helper()
	if err := h.s.InTx(h.ctx, fn); err != nil {
		h.Fatalf("InTx: %v", err)
	}
}

// seed creates every object in one transaction.
func (h *h) seed(objs ...any) {
	h.Helper()
	h.inTx(func(tx store.Tx) error {
		for _, o := range objs {
			if err := put(h.ctx, tx, o); err != nil {
				return fmt.Errorf("seed %T %s: %w", o, show(o), err)
			}
		}
		return nil
	})
}

// try runs one write in its own transaction and returns its error.
func (h *h) try(o any) error {
	return h.s.InTx(h.ctx, func(tx store.Tx) error { return put(h.ctx, tx, o) })
}

func put(ctx context.Context, tx store.Tx, o any) error {
	switch v := o.(type) {
	case *model.Organization:
		return tx.CreateOrganization(ctx, v)
	case *model.Member:
		return tx.CreateMember(ctx, v)
	case *model.Team:
		return tx.CreateTeam(ctx, v)
	case *model.TeamMembership:
		return tx.PutMembership(ctx, v)
	case *model.Role:
		return tx.CreateRole(ctx, v)
	case *model.SeatPool:
		return tx.PutSeatPool(ctx, v)
	case *model.Interaction:
		return tx.CreateInteraction(ctx, v)
	case *model.Evaluation:
		return tx.CreateEvaluation(ctx, v)
	case *model.AuditEvent:
		return tx.AppendAudit(ctx, v)
	case *model.Invitation:
		return tx.CreateInvitation(ctx, v)
	}
	panic(fmt.Sprintf("storetest: cannot create a %T", o))
}

func (h *h) ok(err error, what string) {
	h.Helper()
	if err != nil {
		h.Fatalf("%s: %v", what, err)
	}
}

// is fails unless err wraps target.
func (h *h) is(err, target error, what string) {
	h.Helper()
	if !errors.Is(err, target) {
		h.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func eq[T any](h *h, what string, got, want T) {
	h.Helper()
	if !reflect.DeepEqual(got, want) {
		h.Errorf("%s:\n got  %s\n want %s", what, show(got), show(want))
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}

// ---- fixtures ----

// t0 is an arbitrary fixed instant; fixtures use whole seconds after it so
// that both backends store them exactly.
var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func org(id string) *model.Organization {
	return &model.Organization{
		ID: id, Name: "Org " + id, Plan: model.PlanPro,
		Products:  []model.Product{model.ProductConversations, model.ProductQuality},
		CreatedAt: t0,
	}
}

func member(orgID, id string, sec int) *model.Member {
	return &model.Member{
		ID: id, OrgID: orgID, Email: id + "@example.com", Name: "Member " + id,
		Status: model.StatusActive, CreatedAt: at(sec),
	}
}

func team(orgID, id, name, parent string) *model.Team {
	return &model.Team{ID: id, OrgID: orgID, Name: name, ParentID: parent}
}

func role(orgID, id, key, name string) *model.Role {
	return &model.Role{ID: id, OrgID: orgID, Key: key, Name: name, System: key != ""}
}

func interaction(orgID, id string, sec int) *model.Interaction {
	return &model.Interaction{ID: id, OrgID: orgID, Title: "Call " + id, CreatedAt: at(sec)}
}

func evaluation(orgID, id, interactionID string, sec int) *model.Evaluation {
	return &model.Evaluation{ID: id, OrgID: orgID, InteractionID: interactionID, Score: 3, CreatedAt: at(sec)}
}

func ids[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func memberIDs(ms []*model.Member) []string {
	return ids(ms, func(m *model.Member) string { return m.ID })
}
func interactionIDs(is []*model.Interaction) []string {
	return ids(is, func(i *model.Interaction) string { return i.ID })
}
func evaluationIDs(es []*model.Evaluation) []string {
	return ids(es, func(e *model.Evaluation) string { return e.ID })
}
func auditIDs(es []*model.AuditEvent) []string {
	return ids(es, func(e *model.AuditEvent) string { return e.ID })
}
func teamNames(ts []*model.Team) []string {
	return ids(ts, func(t *model.Team) string { return t.Name })
}
func roleNames(rs []*model.Role) []string {
	return ids(rs, func(r *model.Role) string { return r.Name })
}

// pageAll walks a listing with the given page size and returns the ids in
// the order it saw them.
func pageAll(h *h, size int, list func(store.Page) ([]string, error)) []string {
	h.Helper()
	return pageAllFrom(h, store.Page{Limit: size}, list)
}

// pageAllFrom pages from p (its Limit the page size) to the end.
func pageAllFrom(h *h, p store.Page, list func(store.Page) ([]string, error)) []string {
	h.Helper()
	size := p.Limit
	var out []string
	for range 100 {
		got, err := list(p)
		h.ok(err, fmt.Sprintf("page after %q", p.After))
		if len(got) > size {
			h.Fatalf("page after %q: %d items, limit %d", p.After, len(got), size)
		}
		out = append(out, got...)
		if len(got) < size {
			return out
		}
		p.After = got[len(got)-1]
	}
	h.Fatalf("paging did not end")
	return nil
}
