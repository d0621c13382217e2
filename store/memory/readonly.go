package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// This file is every read (store.Reader), on view. It is apart from the
// writes because the Store and a transaction share it: on the Store a read
// takes the read lock, in a transaction it runs under the write lock the
// transaction already holds. Reads never change the data and record no
// undo.

// view implements store.Reader for both the Store (taking the read lock)
// and a Tx (whose transaction already holds the write lock).
type view struct {
	s  *Store
	tx *tx
}

// read runs fn where it may read the data: under the read lock for the
// Store, inside the transaction for a Tx, and never once ctx has ended or
// the transaction is over.
func read[T any](ctx context.Context, v view, fn func() (T, error)) (T, error) {
	var none T
	if err := ctx.Err(); err != nil {
		return none, err
	}
	if v.tx == nil {
		v.s.mu.RLock()
		defer v.s.mu.RUnlock()
	} else if v.tx.done {
		return none, errTxDone
	}
	return fn()
}

// inOrg is read for one organization; od is nil when it does not exist,
// which most reads answer as they would an empty organization.
func inOrg[T any](ctx context.Context, v view, orgID string, fn func(od *orgData) (T, error)) (T, error) {
	return read(ctx, v, func() (T, error) { return fn(v.s.orgs[orgID]) })
}

// get reads one entity of a table by id.
func get[T any](ctx context.Context, v view, t table[T], orgID, id string) (*T, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (*T, error) {
		if od != nil {
			if x := t.rows(od)[id]; x != nil {
				return t.out(x), nil
			}
		}
		return nil, notFound(t.what, id)
	})
}

// getMany reads the entities with these ids, in the order asked, leaving
// out unknown ones.
func getMany[T any](ctx context.Context, v view, t table[T], orgID string, ids []string) ([]*T, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) ([]*T, error) {
		out := []*T{}
		if od != nil {
			rows := t.rows(od)
			for _, id := range ids {
				if x := rows[id]; x != nil {
					out = append(out, t.out(x))
				}
			}
		}
		return out, nil
	})
}

// page reads one page of an ordered table, keeping only the entities keep
// accepts (all when keep is nil). An unknown cursor is ErrNotFound rather
// than a first or empty page, as on Postgres; an unknown organization has
// an empty listing whatever the cursor.
func page[T any](ctx context.Context, v view, t table[T], orgID string, p store.Page, keep func(*T) bool) ([]*T, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) ([]*T, error) {
		if od == nil {
			return []*T{}, nil
		}
		rows := t.rows(od)
		var after *ordKey
		if p.After != "" {
			x := rows[p.After]
			if x == nil {
				return nil, notFound(t.what+" (page cursor)", p.After)
			}
			k := t.key(x)
			after = &k
		}
		ids := t.order(od).page(after, p.NewestFirst, func(id string) bool {
			return keep == nil || keep(rows[id])
		}, p.Limit)
		out := make([]*T, len(ids))
		for i, id := range ids {
			out[i] = t.out(rows[id])
		}
		return out, nil
	})
}

// sorted reads every entity of a table in cmp's order.
func sorted[T any](ctx context.Context, v view, t table[T], orgID string, cmp func(a, b *T) int) ([]*T, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) ([]*T, error) {
		out := []*T{}
		if od != nil {
			for _, x := range t.rows(od) {
				out = append(out, t.out(x))
			}
		}
		slices.SortFunc(out, cmp)
		return out, nil
	})
}

// countMembers counts the members keep accepts (all when keep is nil).
func countMembers(ctx context.Context, v view, orgID string, keep func(*model.Member) bool) (int, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (int, error) {
		if od == nil {
			return 0, nil
		}
		if keep == nil {
			return len(od.members), nil
		}
		n := 0
		for _, m := range od.members {
			if keep(m) {
				n++
			}
		}
		return n, nil
	})
}

// byName is the order of teams and roles: case-insensitively by name (the
// same key that makes names unique, so there are no ties), then by id.
func byName(a, b string, aid, bid string) int {
	if c := strings.Compare(canon.Fold(a), canon.Fold(b)); c != 0 {
		return c
	}
	return strings.Compare(aid, bid)
}

// ---- organizations ----

func (v view) GetOrganization(ctx context.Context, id string) (*model.Organization, error) {
	return inOrg(ctx, v, id, func(od *orgData) (*model.Organization, error) {
		if od == nil {
			return nil, notFound("organization", id)
		}
		return readOrg(od), nil
	})
}

// readOrg is the organization as readers see it, with Pending computed.
func readOrg(od *orgData) *model.Organization {
	o := copyOrg(od.org)
	o.Pending = len(od.outbox) > 0
	now := time.Now()
	for _, m := range od.members {
		for _, a := range m.TempRoles {
			if a.ExpiresAt.After(now) && (o.NextExpiry.IsZero() || a.ExpiresAt.Before(o.NextExpiry)) {
				o.NextExpiry = a.ExpiresAt
			}
			if !a.ExpiresAt.After(now) && a.ExpiresAt.After(o.LastExpiry) {
				o.LastExpiry = a.ExpiresAt
			}
		}
	}
	return o
}

func (v view) GetAccessRequest(ctx context.Context, orgID, id string) (*model.AccessRequest, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (*model.AccessRequest, error) {
		if od != nil {
			if r := od.accessRequests[id]; r != nil {
				return copyAccessRequest(r), nil
			}
		}
		return nil, notFound("access request", id)
	})
}

func (v view) ListAccessRequests(ctx context.Context, orgID string) ([]*model.AccessRequest, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) ([]*model.AccessRequest, error) {
		var out []*model.AccessRequest
		if od == nil {
			return out, nil
		}
		for _, r := range od.accessRequests {
			out = append(out, copyAccessRequest(r))
		}
		slices.SortFunc(out, func(a, b *model.AccessRequest) int {
			if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
				return c
			}
			return strings.Compare(b.ID, a.ID)
		})
		return out, nil
	})
}

func (v view) ListExpiringRoles(ctx context.Context, orgID string, after, until time.Time) ([]model.ExpiringRole, error) {
	return read(ctx, v, func() ([]model.ExpiringRole, error) {
		var out []model.ExpiringRole
		for id, od := range v.s.orgs {
			if orgID != "" && id != orgID {
				continue
			}
			for _, m := range od.members {
				for _, a := range m.TempRoles {
					if a.ExpiresAt.After(after) && !a.ExpiresAt.After(until) {
						out = append(out, model.ExpiringRole{OrgID: id, MemberID: m.ID, RoleAssignment: a})
					}
				}
			}
		}
		slices.SortFunc(out, func(a, b model.ExpiringRole) int {
			if c := a.ExpiresAt.Compare(b.ExpiresAt); c != 0 {
				return c
			}
			if c := strings.Compare(a.OrgID, b.OrgID); c != 0 {
				return c
			}
			if c := strings.Compare(a.MemberID, b.MemberID); c != 0 {
				return c
			}
			return strings.Compare(a.RoleID, b.RoleID)
		})
		return out, nil
	})
}

func (v view) StaleCatalog(ctx context.Context, fingerprint string) ([]store.CatalogMark, error) {
	return read(ctx, v, func() ([]store.CatalogMark, error) {
		var out []store.CatalogMark
		for id, od := range v.s.orgs {
			if od.catalog != fingerprint {
				out = append(out, store.CatalogMark{OrgID: id, Catalog: od.catalog})
			}
		}
		slices.SortFunc(out, func(a, b store.CatalogMark) int { return strings.Compare(a.OrgID, b.OrgID) })
		return out, nil
	})
}

func (v view) CatalogsOf(ctx context.Context, orgIDs []string) (map[string]string, error) {
	return read(ctx, v, func() (map[string]string, error) {
		out := make(map[string]string, len(orgIDs))
		for _, id := range orgIDs {
			if od := v.s.orgs[id]; od != nil {
				out[id] = od.catalog
			}
		}
		return out, nil
	})
}

func (v view) CatalogDerivation(ctx context.Context, fingerprint string) ([]string, error) {
	return read(ctx, v, func() ([]string, error) {
		d, ok := v.s.catalogs[fingerprint]
		if !ok {
			return nil, notFound("catalog", fingerprint)
		}
		return slices.Clone(d), nil
	})
}

func (v view) ListOrganizations(ctx context.Context) ([]*model.Organization, error) {
	return read(ctx, v, func() ([]*model.Organization, error) {
		out := make([]*model.Organization, 0, len(v.s.orgs))
		for _, od := range v.s.orgs {
			out = append(out, readOrg(od))
		}
		slices.SortFunc(out, func(a, b *model.Organization) int {
			return ordKey{a.CreatedAt, a.ID}.compare(ordKey{b.CreatedAt, b.ID})
		})
		return out, nil
	})
}

// ---- members ----

func (v view) GetMember(ctx context.Context, orgID, id string) (*model.Member, error) {
	return get(ctx, v, memberTable, orgID, id)
}

func (v view) GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error) {
	type both struct {
		o *model.Organization
		m *model.Member
	}
	r, err := inOrg(ctx, v, orgID, func(od *orgData) (both, error) {
		if od == nil {
			return both{}, notFound("organization", orgID)
		}
		m := od.members[memberID]
		if m == nil {
			return both{}, notFound("member", memberID)
		}
		return both{readOrg(od), copyMember(m)}, nil
	})
	return r.o, r.m, err
}

func (v view) GetOrganizationMemberByExternalID(ctx context.Context, orgExternalID, memberExternalID string) (*model.Organization, *model.Member, error) {
	type both struct {
		o *model.Organization
		m *model.Member
	}
	r, err := read(ctx, v, func() (both, error) {
		od := v.s.orgs[v.s.orgExternal[orgExternalID]]
		if orgExternalID == "" || od == nil {
			return both{}, notFound("organization with external id", orgExternalID)
		}
		m := od.members[od.externals[memberExternalID]]
		if memberExternalID == "" || m == nil {
			return both{}, notFound("member with external id", memberExternalID)
		}
		return both{readOrg(od), copyMember(m)}, nil
	})
	return r.o, r.m, err
}

func (v view) GetMembers(ctx context.Context, orgID string, ids []string) ([]*model.Member, error) {
	return getMany(ctx, v, memberTable, orgID, ids)
}

func (v view) GetMemberByEmail(ctx context.Context, orgID, email string) (*model.Member, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (*model.Member, error) {
		if od != nil {
			if id, ok := od.emails.lookup(email); ok {
				return copyMember(od.members[id]), nil
			}
		}
		return nil, notFound("member with email", email)
	})
}

func (v view) ListMembers(ctx context.Context, orgID string, f store.MemberFilter) ([]*model.Member, error) {
	keep, err := v.memberFilter(ctx, orgID, f)
	if err != nil {
		return nil, err
	}
	return page(ctx, v, memberTable, orgID, f.Page, keep)
}

func (v view) CountMatchingMembers(ctx context.Context, orgID string, f store.MemberFilter) (int, error) {
	keep, err := v.memberFilter(ctx, orgID, f)
	if err != nil {
		return 0, err
	}
	return countMembers(ctx, v, orgID, keep)
}

// memberFilter is f as a predicate (nil: keep all). The team's members are
// read first, in a read of their own: page's predicate sees only a member.
func (v view) memberFilter(ctx context.Context, orgID string, f store.MemberFilter) (func(*model.Member) bool, error) {
	if f.Status == "" && f.Search == "" && f.TeamID == "" {
		return nil, nil
	}
	var inTeam map[string]bool
	if f.TeamID != "" {
		ms, err := v.ListMemberships(ctx, orgID, f.TeamID, "")
		if err != nil {
			return nil, err
		}
		inTeam = make(map[string]bool, len(ms))
		for _, m := range ms {
			inTeam[m.MemberID] = true
		}
	}
	needle := strings.ToLower(f.Search)
	return func(m *model.Member) bool {
		if f.Status != "" && m.Status != f.Status {
			return false
		}
		if inTeam != nil && !inTeam[m.ID] {
			return false
		}
		return needle == "" || strings.Contains(strings.ToLower(m.Name), needle) || strings.Contains(strings.ToLower(m.Email), needle)
	}, nil
}

func (v view) CountMembers(ctx context.Context, orgID string, status model.MemberStatus) (int, error) {
	if status == "" {
		return countMembers(ctx, v, orgID, nil)
	}
	return countMembers(ctx, v, orgID, func(m *model.Member) bool { return m.Status == status })
}

func (v view) CountRoleHolders(ctx context.Context, orgID, roleID string) (int, error) {
	return countMembers(ctx, v, orgID, func(m *model.Member) bool {
		_, temp := m.TempRole(roleID)
		return m.HasRole(roleID) || temp
	})
}

func (v view) CountSeatHolders(ctx context.Context, orgID string, kind model.SeatKind) (int, error) {
	return countMembers(ctx, v, orgID, func(m *model.Member) bool {
		return m.Status != model.StatusDeactivated && m.HasSeat(kind)
	})
}

func (v view) Exists(ctx context.Context, orgID string, kind store.Entity, id string) (bool, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (bool, error) {
		if od == nil {
			return false, nil
		}
		switch kind {
		case store.EntityMember:
			return od.members[id] != nil, nil
		case store.EntityTeam:
			return od.teams[id] != nil, nil
		case store.EntityInteraction:
			return od.interactions[id] != nil, nil
		case store.EntityEvaluation:
			return od.evaluations[id] != nil, nil
		}
		return false, fmt.Errorf("memory: Exists of unknown kind %q", kind)
	})
}

// ---- teams ----

func (v view) GetTeam(ctx context.Context, orgID, id string) (*model.Team, error) {
	return get(ctx, v, teamTable, orgID, id)
}

func (v view) ListTeams(ctx context.Context, orgID string) ([]*model.Team, error) {
	return sorted(ctx, v, teamTable, orgID, func(a, b *model.Team) int { return byName(a.Name, b.Name, a.ID, b.ID) })
}

func (v view) ListMemberships(ctx context.Context, orgID, teamID, memberID string) ([]*model.TeamMembership, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) ([]*model.TeamMembership, error) {
		out := []*model.TeamMembership{}
		if od != nil {
			for k, m := range od.memberships {
				if (teamID == "" || k.team == teamID) && (memberID == "" || k.member == memberID) {
					out = append(out, copyMembership(m))
				}
			}
		}
		slices.SortFunc(out, func(a, b *model.TeamMembership) int {
			if c := strings.Compare(a.TeamID, b.TeamID); c != 0 {
				return c
			}
			return strings.Compare(a.MemberID, b.MemberID)
		})
		return out, nil
	})
}

// ---- roles and seats ----

func (v view) GetRole(ctx context.Context, orgID, id string) (*model.Role, error) {
	return get(ctx, v, roleTable, orgID, id)
}

func (v view) GetRoleByKey(ctx context.Context, orgID, key string) (*model.Role, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (*model.Role, error) {
		if od != nil && key != "" {
			if id, ok := od.roleKeys[key]; ok {
				return copyRole(od.roles[id]), nil
			}
		}
		return nil, notFound("role with key", key)
	})
}

func (v view) ListRoles(ctx context.Context, orgID string) ([]*model.Role, error) {
	return sorted(ctx, v, roleTable, orgID, func(a, b *model.Role) int { return byName(a.Name, b.Name, a.ID, b.ID) })
}

func (v view) ListSeatPools(ctx context.Context, orgID string) ([]*model.SeatPool, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) ([]*model.SeatPool, error) {
		out := []*model.SeatPool{}
		if od == nil {
			return out, nil
		}
		kinds := make([]model.SeatKind, 0, len(od.pools))
		for k := range od.pools {
			kinds = append(kinds, k)
		}
		for _, k := range canon.Seats(kinds) {
			out = append(out, copyPool(od.pools[k]))
		}
		return out, nil
	})
}

// ---- interactions, evaluations, audit ----

func (v view) GetInteraction(ctx context.Context, orgID, id string) (*model.Interaction, error) {
	return get(ctx, v, interactionTable, orgID, id)
}

func (v view) GetInteractions(ctx context.Context, orgID string, ids []string) ([]*model.Interaction, error) {
	return getMany(ctx, v, interactionTable, orgID, ids)
}

func (v view) ListInteractions(ctx context.Context, orgID string, p store.Page) ([]*model.Interaction, error) {
	return page(ctx, v, interactionTable, orgID, p, nil)
}

// ListInteractionsWhere: ListInteractions keeping what f keeps.
func (v view) ListInteractionsWhere(ctx context.Context, orgID string, f store.ResourceFilter) ([]*model.Interaction, error) {
	keep := resourceFilter(f)
	return page(ctx, v, interactionTable, orgID, f.Page, func(i *model.Interaction) bool {
		return keep(i.TeamID, append([]string{i.OwnerID}, i.AssigneeIDs...)...)
	})
}

// ListEvaluationsWhere: ListEvaluations keeping what f keeps; an
// evaluation's team is its interaction's, read first.
func (v view) ListEvaluationsWhere(ctx context.Context, orgID string, f store.ResourceFilter) ([]*model.Evaluation, error) {
	teamOf, err := inOrg(ctx, v, orgID, func(od *orgData) (map[string]string, error) {
		out := map[string]string{}
		if od != nil && (!f.All || f.TeamID != "") {
			for id, i := range od.interactions {
				out[id] = i.TeamID
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	keep := resourceFilter(f)
	return page(ctx, v, evaluationTable, orgID, f.Page, func(e *model.Evaluation) bool {
		return keep(teamOf[e.InteractionID], e.AgentID, e.EvaluatorID)
	})
}

// resourceFilter is f as a test of one row's team and involved members.
func resourceFilter(f store.ResourceFilter) func(team string, involved ...string) bool {
	teams := make(map[string]bool, len(f.TeamIDs))
	for _, t := range f.TeamIDs {
		teams[t] = true
	}
	return func(team string, involved ...string) bool {
		if f.TeamID != "" && team != f.TeamID {
			return false
		}
		if f.All || (team != "" && teams[team]) {
			return true
		}
		return f.InvolvedID != "" && slices.Contains(involved, f.InvolvedID)
	}
}

func (v view) GetEvaluation(ctx context.Context, orgID, id string) (*model.Evaluation, error) {
	return get(ctx, v, evaluationTable, orgID, id)
}

func (v view) GetEvaluations(ctx context.Context, orgID string, ids []string) ([]*model.Evaluation, error) {
	return getMany(ctx, v, evaluationTable, orgID, ids)
}

func (v view) ListEvaluations(ctx context.Context, orgID string, p store.Page) ([]*model.Evaluation, error) {
	return page(ctx, v, evaluationTable, orgID, p, nil)
}

// ListAudit is newest first whatever p.NewestFirst says.
func (v view) ListAudit(ctx context.Context, orgID string, p store.Page) ([]*model.AuditEvent, error) {
	p.NewestFirst = true
	return page(ctx, v, auditTable, orgID, p, nil)
}

func (v view) CountAudit(ctx context.Context, orgID string) (int, error) {
	return inOrg(ctx, v, orgID, func(od *orgData) (int, error) {
		if od == nil {
			return 0, nil
		}
		return len(od.audit), nil
	})
}

// ---- invitations ----

func (v view) GetInvitation(ctx context.Context, tokenHash string) (*model.Invitation, error) {
	return read(ctx, v, func() (*model.Invitation, error) {
		if inv := v.s.invitations[tokenHash]; inv != nil {
			return copyInvitation(inv), nil
		}
		return nil, notFound("invitation", tokenHash)
	})
}
