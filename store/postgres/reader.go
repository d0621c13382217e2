package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// querier is what the pool and a transaction have in common, so that every
// read is written once for both.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

type reader struct{ q querier }

// query builds SQL whose shape depends on the request (filters, cursor,
// limit), so that each shape gets a plan that can use the listing indexes
// instead of one plan full of "$n IS NULL OR" branches.
type query struct {
	sql  strings.Builder
	args []any
}

func (q *query) add(sql string, args ...any) *query {
	for _, a := range args {
		q.args = append(q.args, a)
		sql = strings.Replace(sql, "?", "$"+strconv.Itoa(len(q.args)), 1)
	}
	q.sql.WriteString(sql)
	return q
}

func newQuery(sql string, args ...any) *query { return new(query).add(sql, args...) }

func (q *query) limit(n int) *query {
	if n > 0 {
		q.add(" LIMIT ?", n)
	}
	return q
}

func limitArg(n int) any {
	if n <= 0 {
		return nil // LIMIT NULL: no limit
	}
	return n
}

func collect[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

func list[T any](ctx context.Context, r reader, op string, q *query, scan func(pgx.Row) (T, error)) ([]T, error) {
	rows, err := r.q.Query(ctx, q.sql.String(), q.args...)
	out, err := collect(rows, err, scan)
	return out, mapErr(op, err)
}

func one[T any](ctx context.Context, r reader, what, id string, q *query, scan func(pgx.Row) (T, error)) (T, error) {
	v, err := scan(r.q.QueryRow(ctx, q.sql.String(), q.args...))
	return v, mapErr(fmt.Sprintf("%s %q", what, id), err)
}

func (r reader) count(ctx context.Context, op string, sql string, args ...any) (int, error) {
	var n int
	err := r.q.QueryRow(ctx, sql, args...).Scan(&n)
	return n, mapErr(op, err)
}

// cursor finds the listing position of the page cursor after. An unknown
// cursor is ErrNotFound rather than a first or empty page: either would
// make a client that pages past a deleted row silently loop or stop.
func (r reader) cursor(ctx context.Context, table, timeCol, orgID, after string) (time.Time, error) {
	var at time.Time
	err := r.q.QueryRow(ctx, `SELECT `+timeCol+` FROM `+table+` WHERE org_id = $1 AND id = $2`, orgID, after).Scan(&at)
	return at, mapErr(fmt.Sprintf("page cursor %q", after), err)
}

// entity is a table of organization-owned rows that every kind reads the
// same way: one by id, several by id in the order asked, and a page in
// creation order.
type entity[T any] struct {
	what  string // the row in error messages
	table string
	alias string // the table's alias in cols
	cols  string
	scan  func(pgx.Row) (T, error)
}

var (
	memberTable      = entity[*model.Member]{"member", "members", "m", memberCols, scanMember}
	interactionTable = entity[*model.Interaction]{"interaction", "interactions", "i", interactionCols, scanInteraction}
	evaluationTable  = entity[*model.Evaluation]{"evaluation", "evaluations", "e", evaluationCols, scanEvaluation}
)

func (e entity[T]) get(ctx context.Context, r reader, orgID, id string) (T, error) {
	return one(ctx, r, e.what, id, newQuery(`SELECT `+e.cols+` FROM `+e.table+` `+e.alias+`
		WHERE `+e.alias+`.org_id = ? AND `+e.alias+`.id = ?`, orgID, id), e.scan)
}

func (e entity[T]) getMany(ctx context.Context, r reader, orgID string, ids []string) ([]T, error) {
	return list(ctx, r, "get "+e.table, newQuery(`SELECT `+e.cols+`
		FROM unnest(?::text[]) WITH ORDINALITY AS a(id, ord)
		JOIN `+e.table+` `+e.alias+` ON `+e.alias+`.org_id = ? AND `+e.alias+`.id = a.id
		ORDER BY a.ord`, nonNil(ids), orgID), e.scan)
}

// page lists one page by (created_at, id): oldest first, or newest first;
// After is the id of the row the page follows. where, when not nil, adds
// conditions (" AND ...") to the organization's.
func (e entity[T]) page(ctx context.Context, r reader, orgID string, p store.Page, where func(*query)) ([]T, error) {
	a := e.alias
	q := newQuery(`SELECT `+e.cols+` FROM `+e.table+` `+a+` WHERE `+a+`.org_id = ?`, orgID)
	if where != nil {
		where(q)
	}
	cmp, dir := ">", ""
	if p.NewestFirst {
		cmp, dir = "<", " DESC"
	}
	if p.After != "" {
		at, err := r.cursor(ctx, e.table, "created_at", orgID, p.After)
		if err != nil {
			return nil, err
		}
		q.add(` AND (`+a+`.created_at, `+a+`.id) `+cmp+` (?, ?)`, at, p.After)
	}
	q.add(` ORDER BY ` + a + `.created_at` + dir + `, ` + a + `.id` + dir).limit(p.Limit)
	return list(ctx, r, "list "+e.table, q, e.scan)
}

// existsSQL is Exists' statement per kind: an index probe, no row read.
var existsSQL = map[store.Entity]string{
	store.EntityMember:      `SELECT EXISTS (SELECT 1 FROM members WHERE org_id = $1 AND id = $2)`,
	store.EntityTeam:        `SELECT EXISTS (SELECT 1 FROM teams WHERE org_id = $1 AND id = $2)`,
	store.EntityInteraction: `SELECT EXISTS (SELECT 1 FROM interactions WHERE org_id = $1 AND id = $2)`,
	store.EntityEvaluation:  `SELECT EXISTS (SELECT 1 FROM evaluations WHERE org_id = $1 AND id = $2)`,
}

func (r reader) Exists(ctx context.Context, orgID string, kind store.Entity, id string) (bool, error) {
	q, ok := existsSQL[kind]
	if !ok {
		return false, fmt.Errorf("postgres: Exists of unknown kind %q", kind)
	}
	var found bool
	err := r.q.QueryRow(ctx, q, orgID, id).Scan(&found)
	return found, mapErr(fmt.Sprintf("%s %q exists", kind, id), err)
}

// ---- organizations ----

// Pending is one probe of the outbox's (org_id, id) index, normally empty.
// NextExpiry is one probe of member_roles' (org_id, expires_at) index, at
// the clock's time rather than the transaction's start.
const orgCols = `o.id, o.name, o.plan, o.products, o.owner_id, COALESCE(o.external_id, ''), o.created_at, o.revision, o.zed_token,
	EXISTS (SELECT 1 FROM outbox x WHERE x.org_id = o.id),
	(SELECT min(r.expires_at) FROM member_roles r WHERE r.org_id = o.id AND r.expires_at > clock_timestamp()),
	(SELECT max(r.expires_at) FROM member_roles r WHERE r.org_id = o.id AND r.expires_at <= clock_timestamp())`

// orgRow receives orgCols; done finishes the organization.
type orgRow struct {
	o          model.Organization
	plan       string
	products   []string
	nextExpiry *time.Time
	lastExpiry *time.Time
}

func (r *orgRow) dest() []any {
	return []any{&r.o.ID, &r.o.Name, &r.plan, &r.products, &r.o.OwnerID, &r.o.ExternalID, &r.o.CreatedAt, &r.o.Revision, &r.o.ZedToken, &r.o.Pending, &r.nextExpiry, &r.lastExpiry}
}

func (r *orgRow) done() *model.Organization {
	r.o.Plan, r.o.Products, r.o.CreatedAt = model.Plan(r.plan), fromStrs[model.Product](r.products), canon.Time(r.o.CreatedAt)
	if r.nextExpiry != nil {
		r.o.NextExpiry = canon.Time(*r.nextExpiry)
	}
	if r.lastExpiry != nil {
		r.o.LastExpiry = canon.Time(*r.lastExpiry)
	}
	return &r.o
}

func scanOrg(r pgx.Row) (*model.Organization, error) {
	var o orgRow
	if err := r.Scan(o.dest()...); err != nil {
		return nil, err
	}
	return o.done(), nil
}

func (r reader) GetOrganization(ctx context.Context, id string) (*model.Organization, error) {
	return one(ctx, r, "organization", id, newQuery(`SELECT `+orgCols+` FROM organizations o WHERE o.id = ?`, id), scanOrg)
}

func (r reader) ListOrganizations(ctx context.Context) ([]*model.Organization, error) {
	return list(ctx, r, "list organizations", newQuery(`SELECT `+orgCols+` FROM organizations o ORDER BY o.created_at, o.id`), scanOrg)
}

// ---- members ----

// Role ids come from the join table in the same statement, so a bulk read
// stays one query.
// Temporary ones (expires_at set) come as JSON in the same statement.
const memberCols = `m.id, m.org_id, m.email, m.name, m.status, m.is_guest, m.seats, m.created_at, COALESCE(m.external_id, ''),
	ARRAY(SELECT r.role_id FROM member_roles r WHERE r.org_id = m.org_id AND r.member_id = m.id
	      AND r.expires_at IS NULL ORDER BY r.role_id),
	(SELECT jsonb_agg(jsonb_build_object('roleId', r.role_id, 'expiresAt', r.expires_at,
	        'grantedBy', r.granted_by, 'reason', r.reason) ORDER BY r.role_id)
	 FROM member_roles r WHERE r.org_id = m.org_id AND r.member_id = m.id AND r.expires_at IS NOT NULL),
	m.preferences`

// memberRow receives memberCols; done finishes the member.
type memberRow struct {
	m            model.Member
	status       string
	seats, roles []string
	temp         []model.RoleAssignment
}

func (r *memberRow) dest() []any {
	return []any{&r.m.ID, &r.m.OrgID, &r.m.Email, &r.m.Name, &r.status, &r.m.IsGuest, &r.seats, &r.m.CreatedAt, &r.m.ExternalID, &r.roles, &r.temp, &r.m.Preferences}
}

func (r *memberRow) done() *model.Member {
	r.m.Status, r.m.Seats, r.m.RoleIDs = model.MemberStatus(r.status), fromStrs[model.SeatKind](r.seats), fromStrs[string](r.roles)
	r.m.CreatedAt = canon.Time(r.m.CreatedAt)
	r.m.TempRoles = canon.TempRoles(r.temp)
	return &r.m
}

func scanMember(r pgx.Row) (*model.Member, error) {
	var m memberRow
	if err := r.Scan(m.dest()...); err != nil {
		return nil, err
	}
	return m.done(), nil
}

func (r reader) GetMember(ctx context.Context, orgID, id string) (*model.Member, error) {
	return memberTable.get(ctx, r, orgID, id)
}

// GetOrganizationMember reads both rows in one statement: the per-request
// cost of authentication is this one round trip.
func (r reader) GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error) {
	var o orgRow
	var m memberRow
	err := r.q.QueryRow(ctx, `SELECT `+orgCols+`, `+memberCols+`
		FROM organizations o JOIN members m ON m.org_id = o.id AND m.id = $2
		WHERE o.id = $1`, orgID, memberID).Scan(append(o.dest(), m.dest()...)...)
	if err != nil {
		return nil, nil, mapErr(fmt.Sprintf("member %q of organization %q", memberID, orgID), err)
	}
	return o.done(), m.done(), nil
}

// GetOrganizationMemberByExternalID is GetOrganizationMember by the OIDC
// issuer's ids, in one statement too (both columns have a unique index).
func (r reader) GetOrganizationMemberByExternalID(ctx context.Context, orgExternalID, memberExternalID string) (*model.Organization, *model.Member, error) {
	var o orgRow
	var m memberRow
	err := r.q.QueryRow(ctx, `SELECT `+orgCols+`, `+memberCols+`
		FROM organizations o JOIN members m ON m.org_id = o.id AND m.external_id = $2
		WHERE o.external_id = $1`, orgExternalID, memberExternalID).Scan(append(o.dest(), m.dest()...)...)
	if err != nil {
		return nil, nil, mapErr(fmt.Sprintf("member with external id %q of organization with external id %q", memberExternalID, orgExternalID), err)
	}
	return o.done(), m.done(), nil
}

func (r reader) GetMembers(ctx context.Context, orgID string, ids []string) ([]*model.Member, error) {
	return memberTable.getMany(ctx, r, orgID, ids)
}

func (r reader) GetMemberByEmail(ctx context.Context, orgID, email string) (*model.Member, error) {
	return one(ctx, r, "member with email", email,
		newQuery(`SELECT `+memberCols+` FROM members m WHERE m.org_id = ? AND m.email_key = ?`, orgID, canon.Fold(email)),
		scanMember)
}

func (r reader) ListMembers(ctx context.Context, orgID string, f store.MemberFilter) ([]*model.Member, error) {
	return memberTable.page(ctx, r, orgID, f.Page, memberWhere(f))
}

func (r reader) CountMatchingMembers(ctx context.Context, orgID string, f store.MemberFilter) (int, error) {
	q := newQuery(`SELECT count(*) FROM members m WHERE m.org_id = ?`, orgID)
	if w := memberWhere(f); w != nil {
		w(q)
	}
	return r.count(ctx, "count members", q.sql.String(), q.args...)
}

// likeEscaper makes a search string match itself inside LIKE's '%…%'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// memberWhere is f's conditions; the search is served by the trigram
// indexes of migration 0003 (ILIKE on each column, a BitmapOr).
func memberWhere(f store.MemberFilter) func(*query) {
	if f.Status == "" && f.Search == "" && f.TeamID == "" {
		return nil
	}
	return func(q *query) {
		if f.Status != "" {
			q.add(` AND m.status = ?`, string(f.Status))
		}
		if f.Search != "" {
			like := "%" + likeEscaper.Replace(f.Search) + "%"
			q.add(` AND (m.name ILIKE ? OR m.email ILIKE ?)`, like, like)
		}
		if f.TeamID != "" {
			q.add(` AND EXISTS (SELECT 1 FROM team_memberships tm WHERE tm.org_id = m.org_id AND tm.team_id = ? AND tm.member_id = m.id)`, f.TeamID)
		}
	}
}

func (r reader) CountMembers(ctx context.Context, orgID string, status model.MemberStatus) (int, error) {
	if status == "" {
		return r.count(ctx, "count members", `SELECT count(*) FROM members WHERE org_id = $1`, orgID)
	}
	return r.count(ctx, "count members", `SELECT count(*) FROM members WHERE org_id = $1 AND status = $2`,
		orgID, string(status))
}

func (r reader) CountRoleHolders(ctx context.Context, orgID, roleID string) (int, error) {
	return r.count(ctx, "count role holders",
		`SELECT count(*) FROM member_roles WHERE org_id = $1 AND role_id = $2`, orgID, roleID)
}

func (r reader) CountSeatHolders(ctx context.Context, orgID string, kind model.SeatKind) (int, error) {
	return r.count(ctx, "count seat holders",
		`SELECT count(*) FROM members WHERE org_id = $1 AND $2::text = ANY (seats) AND status <> $3`,
		orgID, string(kind), string(model.StatusDeactivated))
}

// ---- teams ----

const teamCols = `org_id, id, name, COALESCE(parent_id, '')`

func scanTeam(r pgx.Row) (*model.Team, error) {
	var t model.Team
	if err := r.Scan(&t.OrgID, &t.ID, &t.Name, &t.ParentID); err != nil {
		return nil, err
	}
	return &t, nil
}

func (r reader) GetTeam(ctx context.Context, orgID, id string) (*model.Team, error) {
	return one(ctx, r, "team", id, newQuery(`SELECT `+teamCols+` FROM teams WHERE org_id = ? AND id = ?`, orgID, id), scanTeam)
}

// ListTeams orders by the case-folded name, the key that makes names
// unique, so the order is total and matches the memory backend.
func (r reader) ListTeams(ctx context.Context, orgID string) ([]*model.Team, error) {
	return list(ctx, r, "list teams",
		newQuery(`SELECT `+teamCols+` FROM teams WHERE org_id = ? ORDER BY name_key, id`, orgID), scanTeam)
}

func (r reader) ListMemberships(ctx context.Context, orgID, teamID, memberID string) ([]*model.TeamMembership, error) {
	q := newQuery(`SELECT org_id, team_id, member_id, manager FROM team_memberships WHERE org_id = ?`, orgID)
	if teamID != "" {
		q.add(` AND team_id = ?`, teamID)
	}
	if memberID != "" {
		q.add(` AND member_id = ?`, memberID)
	}
	q.add(` ORDER BY team_id, member_id`)
	return list(ctx, r, "list memberships", q, func(r pgx.Row) (*model.TeamMembership, error) {
		var m model.TeamMembership
		if err := r.Scan(&m.OrgID, &m.TeamID, &m.MemberID, &m.Manager); err != nil {
			return nil, err
		}
		return &m, nil
	})
}

// ---- roles ----

const roleCols = `org_id, id, key, name, description, system, grants`

func scanRole(r pgx.Row) (*model.Role, error) {
	var x model.Role
	if err := r.Scan(&x.OrgID, &x.ID, &x.Key, &x.Name, &x.Description, &x.System, &x.Grants); err != nil {
		return nil, err
	}
	if len(x.Grants) == 0 {
		x.Grants = nil
	}
	return &x, nil
}

func (r reader) GetRole(ctx context.Context, orgID, id string) (*model.Role, error) {
	return one(ctx, r, "role", id, newQuery(`SELECT `+roleCols+` FROM roles WHERE org_id = ? AND id = ?`, orgID, id), scanRole)
}

func (r reader) GetRoleByKey(ctx context.Context, orgID, key string) (*model.Role, error) {
	return one(ctx, r, "role with key", key,
		newQuery(`SELECT `+roleCols+` FROM roles WHERE org_id = ? AND key = ? AND key <> ''`, orgID, key), scanRole)
}

func (r reader) ListRoles(ctx context.Context, orgID string) ([]*model.Role, error) {
	return list(ctx, r, "list roles",
		newQuery(`SELECT `+roleCols+` FROM roles WHERE org_id = ? ORDER BY name_key, id`, orgID), scanRole)
}

func (r reader) ListSeatPools(ctx context.Context, orgID string) ([]*model.SeatPool, error) {
	return list(ctx, r, "list seat pools", newQuery(`SELECT org_id, kind, total FROM seat_pools WHERE org_id = ?
		ORDER BY array_position(?::text[], kind::text), kind`, orgID, strs(model.AllSeatKinds)),
		func(r pgx.Row) (*model.SeatPool, error) {
			var p model.SeatPool
			var kind string
			if err := r.Scan(&p.OrgID, &kind, &p.Total); err != nil {
				return nil, err
			}
			p.Kind = model.SeatKind(kind)
			return &p, nil
		})
}

// ---- interactions and evaluations ----

const interactionCols = `i.id, i.org_id, i.title, i.owner_id, COALESCE(i.team_id, ''), i.created_at,
	ARRAY(SELECT a.member_id FROM interaction_assignees a
	      WHERE a.org_id = i.org_id AND a.interaction_id = i.id ORDER BY a.member_id)`

func scanInteraction(r pgx.Row) (*model.Interaction, error) {
	var i model.Interaction
	var assignees []string
	if err := r.Scan(&i.ID, &i.OrgID, &i.Title, &i.OwnerID, &i.TeamID, &i.CreatedAt, &assignees); err != nil {
		return nil, err
	}
	i.AssigneeIDs, i.CreatedAt = fromStrs[string](assignees), canon.Time(i.CreatedAt)
	return &i, nil
}

func (r reader) GetInteraction(ctx context.Context, orgID, id string) (*model.Interaction, error) {
	return interactionTable.get(ctx, r, orgID, id)
}

func (r reader) GetInteractions(ctx context.Context, orgID string, ids []string) ([]*model.Interaction, error) {
	return interactionTable.getMany(ctx, r, orgID, ids)
}

func (r reader) ListInteractions(ctx context.Context, orgID string, p store.Page) ([]*model.Interaction, error) {
	return interactionTable.page(ctx, r, orgID, p, nil)
}

// ListInteractionsWhere: the planner picks, from its statistics, between
// walking the creation-order index and testing each row (a reader of many
// rows meets a page of them at once) and a bitmap of the team, owner and
// assignee indexes, sorted (a reader of a few rows among 100k). The
// assignee ids are collected once (ARRAY(...) is not correlated), so the
// three conditions are each an index's.
func (r reader) ListInteractionsWhere(ctx context.Context, orgID string, f store.ResourceFilter) ([]*model.Interaction, error) {
	return interactionTable.page(ctx, r, orgID, f.Page, func(q *query) {
		if f.TeamID != "" {
			q.add(` AND i.team_id = ?`, f.TeamID)
		}
		if f.All {
			return
		}
		q.add(` AND (false`)
		if len(f.TeamIDs) > 0 {
			q.add(` OR i.team_id = ANY(?::text[])`, f.TeamIDs)
		}
		if f.InvolvedID != "" {
			q.add(` OR i.owner_id = ? OR i.id = ANY(ARRAY(
				SELECT interaction_id FROM interaction_assignees WHERE org_id = ? AND member_id = ?))`, f.InvolvedID, orgID, f.InvolvedID)
		}
		q.add(`)`)
	})
}

const evaluationCols = `e.id, e.org_id, e.interaction_id, e.agent_id, e.evaluator_id, e.score, e.created_at`

func scanEvaluation(r pgx.Row) (*model.Evaluation, error) {
	var e model.Evaluation
	if err := r.Scan(&e.ID, &e.OrgID, &e.InteractionID, &e.AgentID, &e.EvaluatorID, &e.Score, &e.CreatedAt); err != nil {
		return nil, err
	}
	e.CreatedAt = canon.Time(e.CreatedAt)
	return &e, nil
}

func (r reader) GetEvaluation(ctx context.Context, orgID, id string) (*model.Evaluation, error) {
	return evaluationTable.get(ctx, r, orgID, id)
}

func (r reader) GetEvaluations(ctx context.Context, orgID string, ids []string) ([]*model.Evaluation, error) {
	return evaluationTable.getMany(ctx, r, orgID, ids)
}

func (r reader) ListEvaluations(ctx context.Context, orgID string, p store.Page) ([]*model.Evaluation, error) {
	return evaluationTable.page(ctx, r, orgID, p, nil)
}

// ListEvaluationsWhere is ListInteractionsWhere for evaluations, whose
// team is their interaction's: a scalar subquery, one primary-key probe
// per row tested (EXISTS would be planned as a hash of every interaction
// of the teams: 75 ms for 30k of them).
func (r reader) ListEvaluationsWhere(ctx context.Context, orgID string, f store.ResourceFilter) ([]*model.Evaluation, error) {
	return evaluationTable.page(ctx, r, orgID, f.Page, func(q *query) {
		if f.TeamID != "" {
			q.add(` AND (`+evaluationTeam+`) = ?`, f.TeamID)
		}
		if f.All {
			return
		}
		q.add(` AND (false`)
		if len(f.TeamIDs) > 0 {
			q.add(` OR (`+evaluationTeam+`) = ANY(?::text[])`, f.TeamIDs)
		}
		if f.InvolvedID != "" {
			q.add(` OR e.agent_id = ? OR e.evaluator_id = ?`, f.InvolvedID, f.InvolvedID)
		}
		q.add(`)`)
	})
}

const evaluationTeam = `SELECT i.team_id FROM interactions i WHERE i.org_id = e.org_id AND i.id = e.interaction_id`

// ---- audit ----

const auditCols = `id, org_id, at, actor_id, action, target_id, before, after`

func scanAudit(r pgx.Row) (*model.AuditEvent, error) {
	var e model.AuditEvent
	if err := r.Scan(&e.ID, &e.OrgID, &e.At, &e.ActorID, &e.Action, &e.TargetID, &e.Before, &e.After); err != nil {
		return nil, err
	}
	e.At = canon.Time(e.At)
	return &e, nil
}

func (r reader) ListAudit(ctx context.Context, orgID string, p store.Page) ([]*model.AuditEvent, error) {
	q := newQuery(`SELECT `+auditCols+` FROM audit_events WHERE org_id = ?`, orgID)
	if p.After != "" {
		at, err := r.cursor(ctx, "audit_events", "at", orgID, p.After)
		if err != nil {
			return nil, err
		}
		q.add(` AND (at, id) < (?, ?)`, at, p.After)
	}
	q.add(` ORDER BY at DESC, id DESC`).limit(p.Limit)
	return list(ctx, r, "list audit", q, scanAudit)
}

func (r reader) CountAudit(ctx context.Context, orgID string) (int, error) {
	return r.count(ctx, "count audit", `SELECT count(*) FROM audit_events WHERE org_id = $1`, orgID)
}

// ---- invitations ----

func (r reader) GetInvitation(ctx context.Context, tokenHash string) (*model.Invitation, error) {
	return one(ctx, r, "invitation", tokenHash, newQuery(`SELECT token_hash, org_id, member_id, role_id, created_by,
		expires_at, used_at, access_expires_at FROM invitations WHERE token_hash = ?`, tokenHash),
		func(r pgx.Row) (*model.Invitation, error) {
			var inv model.Invitation
			var access *time.Time
			if err := r.Scan(&inv.TokenHash, &inv.OrgID, &inv.MemberID, &inv.RoleID, &inv.CreatedBy,
				&inv.ExpiresAt, &inv.UsedAt, &access); err != nil {
				return nil, err
			}
			inv.ExpiresAt, inv.UsedAt = canon.Time(inv.ExpiresAt), canon.TimePtr(inv.UsedAt)
			if access != nil {
				inv.AccessExpiresAt = canon.Time(*access)
			}
			return &inv, nil
		})
}

// ---- access requests ----

const accessRequestCols = `org_id, id, requester_id, permission, resource_id, reason, status, decided_by,
	decision_reason, role_id, expires_at, created_at, decided_at`

func scanAccessRequest(r pgx.Row) (*model.AccessRequest, error) {
	var a model.AccessRequest
	var status string
	var expires, decided *time.Time
	if err := r.Scan(&a.OrgID, &a.ID, &a.RequesterID, &a.Permission, &a.ResourceID, &a.Reason, &status, &a.DecidedBy,
		&a.DecisionReason, &a.RoleID, &expires, &a.CreatedAt, &decided); err != nil {
		return nil, err
	}
	a.Status, a.CreatedAt = model.AccessRequestStatus(status), canon.Time(a.CreatedAt)
	if expires != nil {
		a.ExpiresAt = canon.Time(*expires)
	}
	if decided != nil {
		a.DecidedAt = canon.Time(*decided)
	}
	return &a, nil
}

func (r reader) GetAccessRequest(ctx context.Context, orgID, id string) (*model.AccessRequest, error) {
	return one(ctx, r, "access request", id, newQuery(`SELECT `+accessRequestCols+` FROM access_requests
		WHERE org_id = ? AND id = ?`, orgID, id), scanAccessRequest)
}

func (r reader) ListAccessRequests(ctx context.Context, orgID string) ([]*model.AccessRequest, error) {
	return list(ctx, r, "list access requests", newQuery(`SELECT `+accessRequestCols+` FROM access_requests
		WHERE org_id = ? ORDER BY created_at DESC, id DESC`, orgID), scanAccessRequest)
}

func (r reader) ListExpiringRoles(ctx context.Context, orgID string, after, until time.Time) ([]model.ExpiringRole, error) {
	q := newQuery(`SELECT org_id, member_id, role_id, expires_at, granted_by, reason FROM member_roles
		WHERE expires_at > ? AND expires_at <= ?`, canon.Time(after), canon.Time(until))
	if orgID != "" {
		q.add(` AND org_id = ?`, orgID)
	}
	q.add(` ORDER BY expires_at, org_id, member_id, role_id`)
	out, err := list(ctx, r, "list expiring roles", q, func(r pgx.Row) (model.ExpiringRole, error) {
		var e model.ExpiringRole
		err := r.Scan(&e.OrgID, &e.MemberID, &e.RoleID, &e.ExpiresAt, &e.GrantedBy, &e.Reason)
		e.ExpiresAt = canon.Time(e.ExpiresAt)
		return e, err
	})
	return out, err
}

// nonNil keeps an empty id list an empty array: a nil slice would be NULL.
func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
