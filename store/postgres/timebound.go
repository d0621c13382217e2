package postgres

// Writes of time-bound access (issue 13): temporary role assignments and
// access requests.

import (
	"context"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// insertTempRoles writes temporary assignments from parallel arrays.
const insertTempRoles = `INSERT INTO member_roles (org_id, member_id, role_id, expires_at, granted_by, reason)
	SELECT $1, $2, r, e, g, w FROM unnest($3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS t(r, e, g, w)`

// tempRolesStmt is insertTempRoles for the member's temporary roles.
func tempRolesStmt(m *model.Member) stmt {
	as := canon.TempRoles(m.TempRoles)
	roles, grantors, reasons := make([]string, len(as)), make([]string, len(as)), make([]string, len(as))
	expiries := make([]time.Time, len(as))
	for i, a := range as {
		roles[i], expiries[i], grantors[i], reasons[i] = a.RoleID, a.ExpiresAt, a.GrantedBy, a.Reason
	}
	return stmt{insertTempRoles, []any{m.OrgID, m.ID, roles, expiries, grantors, reasons}}
}

// optTime is an optional timestamptz: the zero time is NULL.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	c := canon.Time(t)
	return &c
}

func (t *tx) CreateAccessRequest(ctx context.Context, r *model.AccessRequest) error {
	t.touch(r.OrgID)
	_, err := t.write(ctx, "create access request", stmt{
		`INSERT INTO access_requests (` + accessRequestCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		[]any{r.OrgID, r.ID, r.RequesterID, r.Permission, r.ResourceID, r.Reason, string(r.Status), r.DecidedBy,
			r.DecisionReason, r.RoleID, optTime(r.ExpiresAt), canon.Time(r.CreatedAt), optTime(r.DecidedAt)}})
	return err
}

func (t *tx) UpdateAccessRequest(ctx context.Context, r *model.AccessRequest) error {
	t.touch(r.OrgID)
	tags, err := t.write(ctx, "update access request", stmt{
		`UPDATE access_requests SET status = $3, decided_by = $4, decision_reason = $5, role_id = $6,
		        expires_at = $7, decided_at = $8 WHERE org_id = $1 AND id = $2`,
		[]any{r.OrgID, r.ID, string(r.Status), r.DecidedBy, r.DecisionReason, r.RoleID, optTime(r.ExpiresAt), optTime(r.DecidedAt)}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "access request", r.ID)
}
