// Package postgres is the store.Store on PostgreSQL, through pgx.
//
// The schema lives in migrations/ and is applied by Migrate, never by Open:
// the service and `rolegraph migrate` call Migrate explicitly, so a process
// that only reads never needs DDL rights.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/canon"
	"github.com/rolegraph/rolegraph/store/internal/keylock"
)

// Store is the Postgres backend.
type Store struct {
	reader
	pool *pgxpool.Pool

	// gates queue this process's callers of WithOutboxLock per organization
	// in Go, so that only one of them at a time holds a pooled connection
	// blocked in pg_advisory_lock; otherwise waiters could take every
	// connection and leave the holder's fn none to work with.
	gates keylock.Locks

	// watch caches the hot reads while no write to their organization has
	// committed (watch.go); lists, the listings by scope (cached_lists.go).
	watch *watch
	lists answers
}

var _ store.Store = (*Store)(nil)

// Open connects to url (a postgres:// URL or key=value DSN, pgxpool
// options such as pool_max_conns allowed) and checks that the server
// answers, so that a wrong URL fails at start rather than at the first
// request. The schema must already be migrated (see Migrate).
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.tracer != nil {
		cfg.ConnConfig.Tracer = o.tracer
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, mapErr("open", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, mapErr("open", err)
	}
	s := &Store{reader: reader{q: pool}, pool: pool, lists: answers{max: maxListings}}
	if o.noHotCache {
		s.watch = newWatch(pool) // never live: nothing cached
	} else {
		s.watch = startWatch(pool)
	}
	return s, nil
}

// Option changes what Open does.
type Option func(*options)

type options struct {
	tracer     pgx.QueryTracer
	noHotCache bool
}

// WithTracer traces every query of the pool (telemetry.Tracing.PgxTracer);
// nil leaves queries untraced.
func WithTracer(t pgx.QueryTracer) Option { return func(o *options) { o.tracer = t } }

// WithoutHotCache reads the member and existence answers from Postgres on
// every request (watch.go), as before the cache: for comparing.
func WithoutHotCache() Option { return func(o *options) { o.noHotCache = true } }

func (s *Store) Ping(ctx context.Context) error { return mapErr("ping", s.pool.Ping(ctx)) }

func (s *Store) Close() {
	s.watch.close()
	s.pool.Close()
}

// ---- errors ----

// mapErr wraps err with the store error it means, keeping err in the chain.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var kind error
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		kind = store.ErrNotFound
	case errors.As(err, &pgErr):
		switch {
		case pgErr.Code == "23505": // unique_violation
			kind = store.ErrConflict
		case pgErr.Code == "23503": // foreign_key_violation: what it points at is not there
			kind = store.ErrNotFound
		case strings.HasPrefix(pgErr.Code, "08"), // connection_exception
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // shutdown, cannot connect now
			pgErr.Code == "53300": // too_many_connections
			kind = store.ErrUnavailable
		}
	case unreachable(err):
		kind = store.ErrUnavailable
	}
	if kind == nil {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	return fmt.Errorf("postgres: %s: %w: %w", op, kind, err)
}

// unreachable reports errors that mean the server could not be talked to.
// Outside COMMIT they also mean nothing was changed: every write runs in a
// transaction, and a transaction whose connection breaks is rolled back.
func unreachable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	// A connection that drops mid-statement surfaces as an unexpected EOF;
	// outside COMMIT (mapCommitErr) the transaction is rolled back with it.
	return errors.As(err, &connectErr) || pgconn.SafeToRetry(err) || errors.As(err, &netErr) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// mapCommitErr is mapErr for COMMIT, where a broken connection leaves the
// outcome unknown: only an error pgx knows was raised before anything
// reached the server may claim ErrUnavailable ("nothing was changed"), and
// only an error the server raised while deciding (a deferred constraint, a
// serialization failure) says the transaction was rolled back. A server
// that is shutting down or whose connection breaks may answer COMMIT with
// FATAL 57P01 or 08xxx after the commit record is already durable.
func mapCommitErr(err error) error {
	if err == nil {
		return nil
	}
	if pgconn.SafeToRetry(err) {
		return mapErr("commit", err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && !strings.HasPrefix(pgErr.Code, "08") && !strings.HasPrefix(pgErr.Code, "57") {
		return mapErr("commit", err)
	}
	return fmt.Errorf("postgres: commit: %w: %w", store.ErrOutcomeUnknown, err)
}

// ---- transactions ----

// InTx runs fn in a READ COMMITTED transaction. Invariants that span rows
// are protected by LockOrganization, not by a stricter isolation level, so
// that callers never have to retry serialization failures.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return mapErr("begin", err)
	}
	committed := false
	defer func() {
		if committed {
			return
		}
		// Roll back even when ctx is what ended the transaction, so the
		// connection goes back to the pool clean (also on panic).
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = ptx.Rollback(rctx)
	}()
	t := &tx{reader: reader{q: ptx}, tx: ptx}
	if err := fn(t); err != nil {
		return err
	}
	if len(t.touched) == 0 {
		if err := ptx.Commit(ctx); err != nil {
			return mapCommitErr(err)
		}
		committed = true
		return nil
	}
	// Tell every process's cache of hot reads (watch.go) which
	// organizations this transaction wrote to; Postgres delivers it at
	// commit, and not at all on rollback.
	orgs := make([]string, 0, len(t.touched))
	for id := range t.touched {
		orgs = append(orgs, id)
	}
	nonce := s.watch.nonce()
	if _, err := ptx.Exec(ctx, `SELECT pg_notify('`+notifyChannel+`', 'w ' || o || ' ' || $2) FROM unnest($1::text[]) AS o`, orgs, nonce); err != nil {
		return mapErr("notify", err)
	}
	acks := s.watch.expect(nonce)
	err = ptx.Commit(ctx)
	committed = err == nil
	s.watch.committed(ctx, orgs, nonce, acks, err == nil)
	return mapCommitErr(err)
}

type tx struct {
	reader
	tx pgx.Tx
	// touched are the organizations this transaction wrote to.
	touched map[string]struct{}
}

// touch records a write to the organization (see watch.go).
func (t *tx) touch(orgID string) {
	if t.touched == nil {
		t.touched = map[string]struct{}{}
	}
	t.touched[orgID] = struct{}{}
}

var _ store.Tx = (*tx)(nil)

type stmt struct {
	sql  string
	args []any
}

// write runs the statements of one Tx method under a savepoint, pipelined
// in a single round trip. A constraint violation aborts a Postgres
// transaction; rolling back to the savepoint undoes just this method, so
// callers can handle ErrConflict or ErrNotFound and carry on, as they can
// with the memory backend.
func (t *tx) write(ctx context.Context, op string, stmts ...stmt) ([]pgconn.CommandTag, error) {
	b := &pgx.Batch{}
	b.Queue("SAVEPOINT rolegraph_write")
	for _, s := range stmts {
		b.Queue(s.sql, s.args...)
	}
	b.Queue("RELEASE SAVEPOINT rolegraph_write")
	br := t.tx.SendBatch(ctx, b)
	tags := make([]pgconn.CommandTag, 0, len(stmts))
	_, err := br.Exec()
	for i := 0; err == nil && i < len(stmts); i++ {
		var tag pgconn.CommandTag
		if tag, err = br.Exec(); err == nil {
			tags = append(tags, tag)
		}
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if _, rerr := t.tx.Exec(ctx, "ROLLBACK TO SAVEPOINT rolegraph_write; RELEASE SAVEPOINT rolegraph_write"); rerr != nil {
			// The transaction is beyond saving (connection gone, context
			// ended); the caller's error return will roll it all back.
			return nil, mapErr(op, errors.Join(err, rerr))
		}
		return nil, mapErr(op, err)
	}
	return tags, nil
}

// mustTouch turns "no row matched" into ErrNotFound.
func mustTouch(tag pgconn.CommandTag, what, id string) error {
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s %q: %w", what, id, store.ErrNotFound)
	}
	return nil
}

// LockOrganization takes FOR NO KEY UPDATE rather than FOR UPDATE: every
// row that references the organization takes FOR KEY SHARE on it through
// its foreign key, which FOR UPDATE would wait for. A lock that conflicts
// with every insert in the organization would deadlock two transactions
// that each insert a row and then lock; NO KEY UPDATE still excludes other
// lockers, UpdateOrganization and MarkApplied.
func (t *tx) LockOrganization(ctx context.Context, orgID string) error {
	var one int
	err := t.tx.QueryRow(ctx, `SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE`, orgID).Scan(&one)
	return mapErr("lock organization "+orgID, err)
}

func (t *tx) CreateOrganization(ctx context.Context, o *model.Organization) error {
	t.touch(o.ID)
	_, err := t.write(ctx, "create organization", stmt{
		`INSERT INTO organizations (id, name, plan, products, owner_id, created_at, revision, zed_token, external_id)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''))`,
		[]any{o.ID, o.Name, string(o.Plan), strs(canon.Products(o.Products)), o.OwnerID,
			canon.Time(o.CreatedAt), o.Revision, o.ZedToken, o.ExternalID}})
	return err
}

func (t *tx) UpdateOrganization(ctx context.Context, o *model.Organization) error {
	t.touch(o.ID)
	tags, err := t.write(ctx, "update organization", stmt{
		`UPDATE organizations SET name = $2, plan = $3, products = $4, owner_id = $5 WHERE id = $1`,
		[]any{o.ID, o.Name, string(o.Plan), strs(canon.Products(o.Products)), o.OwnerID}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "organization", o.ID)
}

const insertMemberRoles = `INSERT INTO member_roles (org_id, member_id, role_id)
	SELECT $1, $2, r FROM unnest($3::text[]) AS r`

func (t *tx) CreateMember(ctx context.Context, m *model.Member) error {
	t.touch(m.OrgID)
	_, err := t.write(ctx, "create member",
		stmt{`INSERT INTO members (org_id, id, email, email_key, name, status, is_guest, seats, created_at, external_id, preferences)
		      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), $11)`,
			[]any{m.OrgID, m.ID, m.Email, canon.Fold(m.Email), m.Name, string(m.Status), m.IsGuest,
				strs(canon.Seats(m.Seats)), canon.Time(m.CreatedAt), m.ExternalID, m.Preferences}},
		stmt{insertMemberRoles, []any{m.OrgID, m.ID, canon.IDs(m.RoleIDs)}},
		tempRolesStmt(m))
	return err
}

func (t *tx) UpdateMember(ctx context.Context, m *model.Member) error {
	t.touch(m.OrgID)
	tags, err := t.write(ctx, "update member",
		stmt{`UPDATE members SET email = $3, email_key = $4, name = $5, status = $6, is_guest = $7, seats = $8,
		      external_id = NULLIF($9, ''), preferences = $10 WHERE org_id = $1 AND id = $2`,
			[]any{m.OrgID, m.ID, m.Email, canon.Fold(m.Email), m.Name, string(m.Status), m.IsGuest,
				strs(canon.Seats(m.Seats)), m.ExternalID, m.Preferences}},
		stmt{`DELETE FROM member_roles WHERE org_id = $1 AND member_id = $2`, []any{m.OrgID, m.ID}},
		stmt{insertMemberRoles, []any{m.OrgID, m.ID, canon.IDs(m.RoleIDs)}},
		tempRolesStmt(m))
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "member", m.ID)
}

func (t *tx) DeleteMember(ctx context.Context, orgID, id string) error {
	t.touch(orgID)
	// Memberships and role grants go with the row (ON DELETE CASCADE).
	tags, err := t.write(ctx, "delete member",
		stmt{`DELETE FROM members WHERE org_id = $1 AND id = $2`, []any{orgID, id}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "member", id)
}

func (t *tx) CreateTeam(ctx context.Context, tm *model.Team) error {
	t.touch(tm.OrgID)
	_, err := t.write(ctx, "create team", stmt{
		`INSERT INTO teams (org_id, id, name, name_key, parent_id) VALUES ($1, $2, $3, $4, NULLIF($5, ''))`,
		[]any{tm.OrgID, tm.ID, tm.Name, canon.Fold(tm.Name), tm.ParentID}})
	return err
}

func (t *tx) UpdateTeam(ctx context.Context, tm *model.Team) error {
	t.touch(tm.OrgID)
	tags, err := t.write(ctx, "update team", stmt{
		`UPDATE teams SET name = $3, name_key = $4, parent_id = NULLIF($5, '') WHERE org_id = $1 AND id = $2`,
		[]any{tm.OrgID, tm.ID, tm.Name, canon.Fold(tm.Name), tm.ParentID}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "team", tm.ID)
}

func (t *tx) DeleteTeam(ctx context.Context, orgID, id string) error {
	t.touch(orgID)
	args := []any{orgID, id}
	tags, err := t.write(ctx, "delete team",
		stmt{`UPDATE teams SET parent_id = (SELECT p.parent_id FROM teams p WHERE p.org_id = $1 AND p.id = $2)
		      WHERE org_id = $1 AND parent_id = $2`, args},
		stmt{`UPDATE interactions SET team_id = NULL WHERE org_id = $1 AND team_id = $2`, args},
		stmt{`DELETE FROM teams WHERE org_id = $1 AND id = $2`, args})
	if err != nil {
		return err
	}
	return mustTouch(tags[2], "team", id)
}

func (t *tx) PutMembership(ctx context.Context, m *model.TeamMembership) error {
	t.touch(m.OrgID)
	_, err := t.write(ctx, "put membership", stmt{
		`INSERT INTO team_memberships (org_id, team_id, member_id, manager) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (org_id, team_id, member_id) DO UPDATE SET manager = EXCLUDED.manager`,
		[]any{m.OrgID, m.TeamID, m.MemberID, m.Manager}})
	return err
}

func (t *tx) DeleteMembership(ctx context.Context, orgID, teamID, memberID string) error {
	t.touch(orgID)
	tags, err := t.write(ctx, "delete membership", stmt{
		`DELETE FROM team_memberships WHERE org_id = $1 AND team_id = $2 AND member_id = $3`,
		[]any{orgID, teamID, memberID}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "membership", teamID+"/"+memberID)
}

func (t *tx) CreateRole(ctx context.Context, r *model.Role) error {
	t.touch(r.OrgID)
	_, err := t.write(ctx, "create role", stmt{
		`INSERT INTO roles (org_id, id, key, name, name_key, description, system, grants)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		[]any{r.OrgID, r.ID, r.Key, r.Name, canon.Fold(r.Name), r.Description, r.System, grantsJSON(r.Grants)}})
	return err
}

func (t *tx) UpdateRole(ctx context.Context, r *model.Role) error {
	t.touch(r.OrgID)
	tags, err := t.write(ctx, "update role", stmt{
		`UPDATE roles SET name = $3, name_key = $4, description = $5, grants = $6 WHERE org_id = $1 AND id = $2`,
		[]any{r.OrgID, r.ID, r.Name, canon.Fold(r.Name), r.Description, grantsJSON(r.Grants)}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "role", r.ID)
}

// DeleteRole takes the role from its holders too (member_roles cascades).
func (t *tx) DeleteRole(ctx context.Context, orgID, id string) error {
	t.touch(orgID)
	tags, err := t.write(ctx, "delete role",
		stmt{`DELETE FROM roles WHERE org_id = $1 AND id = $2`, []any{orgID, id}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "role", id)
}

func (t *tx) PutSeatPool(ctx context.Context, p *model.SeatPool) error {
	t.touch(p.OrgID)
	_, err := t.write(ctx, "put seat pool", stmt{
		`INSERT INTO seat_pools (org_id, kind, total) VALUES ($1, $2, $3)
		 ON CONFLICT (org_id, kind) DO UPDATE SET total = EXCLUDED.total`,
		[]any{p.OrgID, string(p.Kind), p.Total}})
	return err
}

func (t *tx) CreateInteraction(ctx context.Context, i *model.Interaction) error {
	t.touch(i.OrgID)
	_, err := t.write(ctx, "create interaction",
		stmt{`INSERT INTO interactions (org_id, id, title, owner_id, team_id, created_at)
		      VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6)`,
			[]any{i.OrgID, i.ID, i.Title, i.OwnerID, i.TeamID, canon.Time(i.CreatedAt)}},
		stmt{`INSERT INTO interaction_assignees (org_id, interaction_id, member_id)
		      SELECT $1, $2, a FROM unnest($3::text[]) AS a`,
			[]any{i.OrgID, i.ID, canon.IDs(i.AssigneeIDs)}})
	return err
}

func (t *tx) UpdateInteraction(ctx context.Context, i *model.Interaction) error {
	t.touch(i.OrgID)
	tags, err := t.write(ctx, "update interaction",
		stmt{`UPDATE interactions SET title = $3, team_id = NULLIF($4, '') WHERE org_id = $1 AND id = $2`,
			[]any{i.OrgID, i.ID, i.Title, i.TeamID}},
		stmt{`DELETE FROM interaction_assignees WHERE org_id = $1 AND interaction_id = $2`, []any{i.OrgID, i.ID}},
		stmt{`INSERT INTO interaction_assignees (org_id, interaction_id, member_id)
		      SELECT $1, $2, a FROM unnest($3::text[]) AS a`,
			[]any{i.OrgID, i.ID, canon.IDs(i.AssigneeIDs)}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "interaction", i.ID)
}

func (t *tx) UpdateEvaluation(ctx context.Context, e *model.Evaluation) error {
	t.touch(e.OrgID)
	tags, err := t.write(ctx, "update evaluation",
		stmt{`UPDATE evaluations SET score = $3 WHERE org_id = $1 AND id = $2`, []any{e.OrgID, e.ID, e.Score}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "evaluation", e.ID)
}

func (t *tx) DeleteEvaluation(ctx context.Context, orgID, id string) error {
	t.touch(orgID)
	tags, err := t.write(ctx, "delete evaluation",
		stmt{`DELETE FROM evaluations WHERE org_id = $1 AND id = $2`, []any{orgID, id}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "evaluation", id)
}

func (t *tx) DeleteInteraction(ctx context.Context, orgID, id string) error {
	t.touch(orgID)
	// Evaluations and assignees go with the row (ON DELETE CASCADE).
	tags, err := t.write(ctx, "delete interaction",
		stmt{`DELETE FROM interactions WHERE org_id = $1 AND id = $2`, []any{orgID, id}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "interaction", id)
}

func (t *tx) CreateEvaluation(ctx context.Context, e *model.Evaluation) error {
	t.touch(e.OrgID)
	_, err := t.write(ctx, "create evaluation", stmt{
		`INSERT INTO evaluations (org_id, id, interaction_id, agent_id, evaluator_id, score, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		[]any{e.OrgID, e.ID, e.InteractionID, e.AgentID, e.EvaluatorID, e.Score, canon.Time(e.CreatedAt)}})
	return err
}

func (t *tx) AppendAudit(ctx context.Context, e *model.AuditEvent) error {
	canon.AuditDefaults(e)
	_, err := t.write(ctx, "append audit", stmt{
		`INSERT INTO audit_events (org_id, id, at, actor_id, action, target_id, before, after)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		[]any{e.OrgID, e.ID, canon.Time(e.At), e.ActorID, e.Action, e.TargetID, e.Before, e.After}})
	return err
}

func (t *tx) CreateInvitation(ctx context.Context, inv *model.Invitation) error {
	t.touch(inv.OrgID)
	var access *time.Time
	if !inv.AccessExpiresAt.IsZero() {
		t := canon.Time(inv.AccessExpiresAt)
		access = &t
	}
	_, err := t.write(ctx, "create invitation", stmt{
		`INSERT INTO invitations (token_hash, org_id, member_id, role_id, created_by, expires_at, used_at, access_expires_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		[]any{inv.TokenHash, inv.OrgID, inv.MemberID, inv.RoleID, inv.CreatedBy, canon.Time(inv.ExpiresAt),
			canon.TimePtr(inv.UsedAt), access}})
	return err
}

func (t *tx) MarkInvitationUsed(ctx context.Context, tokenHash string, at time.Time) error {
	tags, err := t.write(ctx, "mark invitation used", stmt{
		`UPDATE invitations SET used_at = $2 WHERE token_hash = $1`, []any{tokenHash, canon.Time(at)}})
	if err != nil {
		return err
	}
	return mustTouch(tags[0], "invitation", tokenHash)
}

// Enqueue takes a transaction-scoped lock on the organization's outbox
// order before drawing ids, held to commit. bigserial hands ids out when a
// row is inserted, not when it commits: without the lock a transaction
// could draw id 5, commit after another drew and committed 6, and an
// applier that had already applied 6 would apply 5 after it. With the lock
// a later enqueuer draws its ids only once the earlier one has committed.
// It is an advisory lock, not LockOrganization's row lock, so that enqueuers
// wait only for each other, not for whoever holds the organization.
func (t *tx) Enqueue(ctx context.Context, orgID string, updates []rels.Update) error {
	t.touch(orgID)
	if len(updates) == 0 {
		return nil
	}
	stmts := []stmt{{`SELECT pg_advisory_xact_lock(hashtext('outbox-order:' || $1::text))`, []any{orgID}}}
	// One INSERT per update, in order: a multi-row INSERT ... SELECT does not
	// promise to draw sequence values in row order.
	for _, u := range updates {
		stmts = append(stmts, stmt{`INSERT INTO outbox (org_id, op, rel) VALUES ($1, $2, $3)`,
			[]any{orgID, string(u.Op), u.Rel}})
	}
	_, err := t.write(ctx, "enqueue", stmts...)
	return err
}

// ---- outbox ----

// WithOutboxLock holds a session-level advisory lock on a connection of its
// own for as long as fn runs, so that the lock is shared with every process
// on the same database. fn runs its queries on other pooled connections:
// a process should keep fewer organizations locked at once than its pool
// has connections.
func (s *Store) WithOutboxLock(ctx context.Context, orgID string, fn func() error) error {
	return s.WithOutboxLocks(ctx, []string{orgID}, fn)
}

// WithOutboxLocks is WithOutboxLock over several organizations on one
// connection. They are taken in id order, and every other caller holds one
// at a time, so no two callers ever wait on each other in a cycle.
func (s *Store) WithOutboxLocks(ctx context.Context, orgIDs []string, fn func() error) error {
	ids := slices.Compact(slices.Sorted(slices.Values(orgIDs)))
	for _, id := range ids {
		leave, err := s.gates.Lock(ctx, id)
		if err != nil {
			return fmt.Errorf("postgres: outbox lock %s: %w", id, err)
		}
		defer leave()
	}

	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return mapErr("outbox lock", err)
	}
	lock := &pgx.Batch{}
	for _, id := range ids {
		lock.Queue(`SELECT pg_advisory_lock(hashtext($1))`, "outbox:"+id)
	}
	if err := conn.SendBatch(ctx, lock).Close(); err != nil {
		// Which locks were taken before the error is unknown; ending the
		// session drops them either way.
		destroy(conn)
		return mapErr(fmt.Sprintf("outbox lock %s", strings.Join(ids, ", ")), err)
	}
	defer func() {
		// Unlock on a context of its own: fn may have used up ctx, and a
		// lock left on a pooled connection would stall the organization's
		// outbox until that connection dies. The connection holds no other
		// advisory lock than these.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock_all()`); err != nil {
			destroy(conn)
			return
		}
		conn.Release()
	}()
	return fn()
}

// destroy closes a pooled connection (and with it the session's advisory
// locks) instead of returning it to the pool.
func destroy(conn *pgxpool.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = conn.Conn().Close(ctx)
	conn.Release()
}

func (s *Store) PendingOutbox(ctx context.Context, orgID string, limit int) ([]store.OutboxEntry, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT id, org_id, op, rel FROM outbox WHERE org_id = $1 ORDER BY id LIMIT $2`, orgID, limitArg(limit))
	out, err := collect(rows, err, func(r pgx.Row) (store.OutboxEntry, error) {
		var e store.OutboxEntry
		var op string
		err := r.Scan(&e.ID, &e.OrgID, &op, &e.Update.Rel)
		e.Update.Op = rels.Op(op)
		return e, err
	})
	return out, mapErr("pending outbox", err)
}

func (s *Store) OrgsWithPending(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT org_id FROM outbox ORDER BY org_id`)
	out, err := collect(rows, err, func(r pgx.Row) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	return out, mapErr("orgs with pending", err)
}

func (s *Store) MarkApplied(ctx context.Context, orgID string, upTo int64, zedToken string) error {
	return s.InTx(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		t.touch(orgID)
		tags, err := t.write(ctx, "mark applied",
			stmt{`DELETE FROM outbox WHERE org_id = $1 AND id <= $2`, []any{orgID, upTo}},
			stmt{`UPDATE organizations SET revision = revision + 1, zed_token = $2 WHERE id = $1`,
				[]any{orgID, zedToken}})
		if err != nil {
			return err
		}
		return mustTouch(tags[1], "organization", orgID)
	})
}

// MaxConns is the size of the store's connection pool (pool_max_conns in
// the URL; pgxpool's default otherwise): callers that hold several
// connections per task bound their parallelism by it.
func (s *Store) MaxConns() int { return int(s.pool.Config().MaxConns) }
