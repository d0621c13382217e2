package storetest

import (
	"fmt"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// The fixtures every area's tests build on, and the helpers that read
// listings back as ids.

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
