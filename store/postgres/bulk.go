package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// Bulk is a batch of entities, loaded by BulkLoad: of existing
// organizations, or of Organizations created in the same batch (with their
// Roles and SeatPools, as domain.NewOrganizationParts derives them). Teams
// must list parents before their children.
type Bulk struct {
	// Organizations are created with their Revision and ZedToken as given
	// and Catalog recorded as their catalog fingerprint (MarkCatalog).
	Organizations []*model.Organization
	Catalog       string
	Roles         []*model.Role
	SeatPools     []*model.SeatPool
	Members       []*model.Member
	Teams         []*model.Team
	Memberships   []*model.TeamMembership
	Interactions  []*model.Interaction
	Evaluations   []*model.Evaluation // of Interactions or of stored ones
}

// BulkLoad inserts a batch with COPY, in one transaction, for seeding and
// imports (cmd/bench): it writes no outbox entries and no audit events, so
// the caller writes the batch's relationships to SpiceDB itself (e.g. with
// ImportBulkRelationships) and then records the write with MarkApplied.
// Values are stored in the canonical shape the other writes use.
func (s *Store) BulkLoad(ctx context.Context, b Bulk) error {
	return s.InTx(ctx, func(stx store.Tx) error {
		wt := stx.(*tx)
		t := wt.tx
		touchEach(wt, b.Organizations, func(o *model.Organization) string { return o.ID })
		touchEach(wt, b.Roles, func(r *model.Role) string { return r.OrgID })
		touchEach(wt, b.SeatPools, func(p *model.SeatPool) string { return p.OrgID })
		touchEach(wt, b.Members, func(m *model.Member) string { return m.OrgID })
		touchEach(wt, b.Teams, func(tm *model.Team) string { return tm.OrgID })
		touchEach(wt, b.Memberships, func(m *model.TeamMembership) string { return m.OrgID })
		touchEach(wt, b.Interactions, func(i *model.Interaction) string { return i.OrgID })
		touchEach(wt, b.Evaluations, func(e *model.Evaluation) string { return e.OrgID })
		cp := func(table string, cols []string, rows [][]any) error {
			if len(rows) == 0 {
				return nil
			}
			n, err := t.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			if err != nil {
				return mapErr("bulk load "+table, err)
			}
			if int(n) != len(rows) {
				return fmt.Errorf("postgres: bulk load %s: copied %d of %d rows", table, n, len(rows))
			}
			return nil
		}

		orgs := rowsOf(b.Organizations, func(o *model.Organization) []any {
			return []any{o.ID, o.Name, string(o.Plan), strs(canon.Products(o.Products)), o.OwnerID,
				canon.Time(o.CreatedAt), o.Revision, o.ZedToken, nullIfEmpty(o.ExternalID), b.Catalog}
		})
		if err := cp("organizations", []string{"id", "name", "plan", "products", "owner_id", "created_at", "revision",
			"zed_token", "external_id", "catalog"}, orgs); err != nil {
			return err
		}
		roles := rowsOf(b.Roles, func(r *model.Role) []any {
			return []any{r.OrgID, r.ID, r.Key, r.Name, canon.Fold(r.Name), r.Description, r.System, grantsJSON(r.Grants)}
		})
		if err := cp("roles", []string{"org_id", "id", "key", "name", "name_key", "description", "system", "grants"}, roles); err != nil {
			return err
		}
		pools := rowsOf(b.SeatPools, func(p *model.SeatPool) []any { return []any{p.OrgID, string(p.Kind), p.Total} })
		if err := cp("seat_pools", []string{"org_id", "kind", "total"}, pools); err != nil {
			return err
		}

		members := make([][]any, 0, len(b.Members))
		var memberRoles [][]any
		for _, m := range b.Members {
			seats := strs(canon.Seats(m.Seats))
			if seats == nil {
				seats = []string{}
			}
			members = append(members, []any{m.OrgID, m.ID, m.Email, canon.Fold(m.Email), m.Name, string(m.Status),
				m.IsGuest, seats, canon.Time(m.CreatedAt)})
			for _, r := range canon.IDs(m.RoleIDs) {
				memberRoles = append(memberRoles, []any{m.OrgID, m.ID, r, nil, "", ""})
			}
			for _, a := range canon.TempRoles(m.TempRoles) {
				memberRoles = append(memberRoles, []any{m.OrgID, m.ID, a.RoleID, a.ExpiresAt, a.GrantedBy, a.Reason})
			}
		}
		if err := cp("members", []string{"org_id", "id", "email", "email_key", "name", "status", "is_guest", "seats", "created_at"}, members); err != nil {
			return err
		}
		if err := cp("member_roles", []string{"org_id", "member_id", "role_id", "expires_at", "granted_by", "reason"}, memberRoles); err != nil {
			return err
		}

		teams := rowsOf(b.Teams, func(tm *model.Team) []any {
			return []any{tm.OrgID, tm.ID, tm.Name, canon.Fold(tm.Name), nullIfEmpty(tm.ParentID)}
		})
		if err := cp("teams", []string{"org_id", "id", "name", "name_key", "parent_id"}, teams); err != nil {
			return err
		}
		ms := rowsOf(b.Memberships, func(m *model.TeamMembership) []any { return []any{m.OrgID, m.TeamID, m.MemberID, m.Manager} })
		if err := cp("team_memberships", []string{"org_id", "team_id", "member_id", "manager"}, ms); err != nil {
			return err
		}

		is := make([][]any, 0, len(b.Interactions))
		var assignees [][]any
		for _, i := range b.Interactions {
			is = append(is, []any{i.OrgID, i.ID, i.Title, i.OwnerID, nullIfEmpty(i.TeamID), canon.Time(i.CreatedAt)})
			for _, a := range canon.IDs(i.AssigneeIDs) {
				assignees = append(assignees, []any{i.OrgID, i.ID, a})
			}
		}
		if err := cp("interactions", []string{"org_id", "id", "title", "owner_id", "team_id", "created_at"}, is); err != nil {
			return err
		}
		if err := cp("interaction_assignees", []string{"org_id", "interaction_id", "member_id"}, assignees); err != nil {
			return err
		}

		evs := rowsOf(b.Evaluations, func(e *model.Evaluation) []any {
			return []any{e.OrgID, e.ID, e.InteractionID, e.AgentID, e.EvaluatorID, e.Score, canon.Time(e.CreatedAt)}
		})
		return cp("evaluations", []string{"org_id", "id", "interaction_id", "agent_id", "evaluator_id", "score", "created_at"}, evs)
	})
}

// touchEach records a write to the organization of each of xs.
func touchEach[T any](t *tx, xs []T, orgOf func(T) string) {
	for _, x := range xs {
		t.touch(orgOf(x))
	}
}

// rowsOf is COPY's rows for xs, one row a value.
func rowsOf[T any](xs []T, row func(T) []any) [][]any {
	rows := make([][]any, 0, len(xs))
	for _, x := range xs {
		rows = append(rows, row(x))
	}
	return rows
}

// nullIfEmpty stores "" as NULL, as the store's writes do for optional
// references.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
