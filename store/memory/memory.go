// Package memory is the embedded store.Store: maps guarded by one RWMutex.
//
// A transaction holds the write lock from start to end, so transactions are
// serial and see their own writes trivially. Atomicity comes from undo
// closures: every write records how to put back what it replaced, and a
// failed transaction replays them in reverse. Stored values are never
// changed in place (a write swaps in a fresh copy), which is what makes an
// undo closure a pointer swap and keeps a transaction's cost proportional to
// what it writes, not to the size of the store.
//
// While fn runs inside InTx, the Store's own methods must not be called from
// the same goroutine (they would wait for the lock fn's transaction holds);
// use the Tx.
package memory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// Store is the in-memory backend. The zero value is not usable; call New.
type Store struct {
	view

	mu           sync.RWMutex
	orgs         map[string]*orgData
	invitations  map[string]*model.Invitation
	nextOutboxID int64

	outboxMu sync.Mutex
	// outboxLocks holds one single-slot channel per organization rather than
	// a sync.Mutex so that waiting for it can give up when ctx ends. Entries
	// are never removed: there are few organizations and a lock must stay
	// the same object for as long as anyone may wait on it.
	outboxLocks map[string]chan struct{}
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	s := &Store{
		orgs:        map[string]*orgData{},
		invitations: map[string]*model.Invitation{},
		outboxLocks: map[string]chan struct{}{},
	}
	s.view = view{s: s}
	return s
}

// orgData is everything one organization owns, so that "not found in that
// organization" is a single map miss.
type orgData struct {
	org     *model.Organization
	catalog string // MarkCatalog

	members     map[string]*model.Member
	emails      map[string]string // foldKey(email) -> member id
	memberOrder *index

	teams     map[string]*model.Team
	teamNames map[string]string // foldKey(name) -> team id

	memberships map[membershipKey]*model.TeamMembership

	roles     map[string]*model.Role
	roleNames map[string]string // foldKey(name) -> role id
	roleKeys  map[string]string // key -> role id

	pools map[model.SeatKind]*model.SeatPool

	interactions     map[string]*model.Interaction
	interactionOrder *index

	evaluations     map[string]*model.Evaluation
	evaluationOrder *index

	audit      map[string]*model.AuditEvent
	auditOrder *index

	outbox []store.OutboxEntry
}

type membershipKey struct{ team, member string }

func newOrgData(o *model.Organization) *orgData {
	return &orgData{
		org:              o,
		members:          map[string]*model.Member{},
		emails:           map[string]string{},
		memberOrder:      &index{},
		teams:            map[string]*model.Team{},
		teamNames:        map[string]string{},
		memberships:      map[membershipKey]*model.TeamMembership{},
		roles:            map[string]*model.Role{},
		roleNames:        map[string]string{},
		roleKeys:         map[string]string{},
		pools:            map[model.SeatKind]*model.SeatPool{},
		interactions:     map[string]*model.Interaction{},
		interactionOrder: &index{},
		evaluations:      map[string]*model.Evaluation{},
		evaluationOrder:  &index{},
		audit:            map[string]*model.AuditEvent{},
		auditOrder:       &index{},
	}
}

var errTxDone = errors.New("memory: transaction already ended")

func notFound(what, id string) error {
	return fmt.Errorf("memory: %s %q: %w", what, id, store.ErrNotFound)
}

func conflict(what, id string) error {
	return fmt.Errorf("memory: %s %q: %w", what, id, store.ErrConflict)
}

// ---- ordered index ----

// index keeps (time, id) keys sorted so that listings page in O(log n + k)
// rather than sorting the whole organization on every call. Inserts are
// almost always appends: entities are usually created in time order.
type index struct{ keys []ordKey }

type ordKey struct {
	at time.Time
	id string
}

func (a ordKey) compare(b ordKey) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// search returns the position of the first key >= k.
func (x *index) search(k ordKey) int {
	return sort.Search(len(x.keys), func(i int) bool { return x.keys[i].compare(k) >= 0 })
}

func (x *index) rawInsert(k ordKey) {
	x.keys = slices.Insert(x.keys, x.search(k), k)
}

func (x *index) rawRemove(k ordKey) {
	if i := x.search(k); i < len(x.keys) && x.keys[i] == k {
		x.keys = slices.Delete(x.keys, i, i+1)
	}
}

func (x *index) insert(t *tx, k ordKey) {
	x.rawInsert(k)
	t.undo = append(t.undo, func() { x.rawRemove(k) })
}

func (x *index) remove(t *tx, k ordKey) {
	x.rawRemove(k)
	t.undo = append(t.undo, func() { x.rawInsert(k) })
}

// page returns the ids of one page. after's key must be in the index;
// descending walks newest first.
func (x *index) page(after *ordKey, descending bool, keep func(id string) bool, limit int) []string {
	var out []string
	full := func() bool { return limit > 0 && len(out) >= limit }
	if descending {
		i := len(x.keys) - 1
		if after != nil {
			i = x.search(*after) - 1
		}
		for ; i >= 0 && !full(); i-- {
			if keep(x.keys[i].id) {
				out = append(out, x.keys[i].id)
			}
		}
		return out
	}
	i := 0
	if after != nil {
		i = x.search(*after) + 1
	}
	for ; i < len(x.keys) && !full(); i++ {
		if keep(x.keys[i].id) {
			out = append(out, x.keys[i].id)
		}
	}
	return out
}

// ---- undo-recording writes ----

func set[K comparable, V any](t *tx, m map[K]V, k K, v V) {
	old, had := m[k]
	m[k] = v
	t.undo = append(t.undo, func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
}

func del[K comparable, V any](t *tx, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	t.undo = append(t.undo, func() { m[k] = old })
}

func assign[T any](t *tx, p *T, v T) {
	old := *p
	*p = v
	t.undo = append(t.undo, func() { *p = old })
}

// ---- reads ----

// view implements store.Reader for both the Store (taking the read lock)
// and a Tx (whose transaction already holds the write lock).
type view struct {
	s  *Store
	tx *tx
}

func (v view) enter(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if v.tx == nil {
		v.s.mu.RLock()
		return v.s.mu.RUnlock, nil
	}
	if v.tx.done {
		return nil, errTxDone
	}
	return func() {}, nil
}

func (v view) GetOrganization(ctx context.Context, id string) (*model.Organization, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	od := v.s.orgs[id]
	if od == nil {
		return nil, notFound("organization", id)
	}
	return readOrg(od), nil
}

// readOrg is the organization as readers see it, with Pending computed.
func readOrg(od *orgData) *model.Organization {
	o := copyOrg(od.org)
	o.Pending = len(od.outbox) > 0
	return o
}

func (v view) StaleCatalog(ctx context.Context, fingerprint string) ([]string, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	var out []string
	for id, od := range v.s.orgs {
		if od.catalog != fingerprint {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (v view) ListOrganizations(ctx context.Context) ([]*model.Organization, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := make([]*model.Organization, 0, len(v.s.orgs))
	for _, od := range v.s.orgs {
		out = append(out, readOrg(od))
	}
	slices.SortFunc(out, func(a, b *model.Organization) int {
		return ordKey{a.CreatedAt, a.ID}.compare(ordKey{b.CreatedAt, b.ID})
	})
	return out, nil
}

func (v view) GetMember(ctx context.Context, orgID, id string) (*model.Member, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		if m := od.members[id]; m != nil {
			return copyMember(m), nil
		}
	}
	return nil, notFound("member", id)
}

func (v view) GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer leave()
	od := v.s.orgs[orgID]
	if od == nil {
		return nil, nil, notFound("organization", orgID)
	}
	m := od.members[memberID]
	if m == nil {
		return nil, nil, notFound("member", memberID)
	}
	return readOrg(od), copyMember(m), nil
}

func (v view) GetMembers(ctx context.Context, orgID string, ids []string) ([]*model.Member, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.Member{}
	if od := v.s.orgs[orgID]; od != nil {
		for _, id := range ids {
			if m := od.members[id]; m != nil {
				out = append(out, copyMember(m))
			}
		}
	}
	return out, nil
}

func (v view) GetMemberByEmail(ctx context.Context, orgID, email string) (*model.Member, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		if id, ok := od.emails[foldKey(email)]; ok {
			return copyMember(od.members[id]), nil
		}
	}
	return nil, notFound("member with email", email)
}

func (v view) ListMembers(ctx context.Context, orgID string, f store.MemberFilter) ([]*model.Member, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	od := v.s.orgs[orgID]
	if od == nil {
		return []*model.Member{}, nil
	}
	var after *ordKey
	if f.After != "" {
		m := od.members[f.After]
		if m == nil {
			return nil, notFound("member (page cursor)", f.After)
		}
		after = &ordKey{m.CreatedAt, m.ID}
	}
	ids := od.memberOrder.page(after, f.NewestFirst, func(id string) bool {
		return f.Status == "" || od.members[id].Status == f.Status
	}, f.Limit)
	out := make([]*model.Member, len(ids))
	for i, id := range ids {
		out[i] = copyMember(od.members[id])
	}
	return out, nil
}

func (v view) CountMembers(ctx context.Context, orgID string, status model.MemberStatus) (int, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return 0, err
	}
	defer leave()
	od := v.s.orgs[orgID]
	if od == nil {
		return 0, nil
	}
	if status == "" {
		return len(od.members), nil
	}
	n := 0
	for _, m := range od.members {
		if m.Status == status {
			n++
		}
	}
	return n, nil
}

func (v view) CountRoleHolders(ctx context.Context, orgID, roleID string) (int, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return 0, err
	}
	defer leave()
	n := 0
	if od := v.s.orgs[orgID]; od != nil {
		for _, m := range od.members {
			if m.HasRole(roleID) {
				n++
			}
		}
	}
	return n, nil
}

func (v view) CountSeatHolders(ctx context.Context, orgID string, kind model.SeatKind) (int, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return 0, err
	}
	defer leave()
	n := 0
	if od := v.s.orgs[orgID]; od != nil {
		for _, m := range od.members {
			if m.Status != model.StatusDeactivated && m.HasSeat(kind) {
				n++
			}
		}
	}
	return n, nil
}

func (v view) Exists(ctx context.Context, orgID string, kind store.Entity, id string) (bool, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return false, err
	}
	defer leave()
	od := v.s.orgs[orgID]
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
}

func (v view) GetTeam(ctx context.Context, orgID, id string) (*model.Team, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		if t := od.teams[id]; t != nil {
			return copyTeam(t), nil
		}
	}
	return nil, notFound("team", id)
}

// byName is the order of teams and roles: case-insensitively by name (the
// same key that makes names unique, so there are no ties), then by id.
func byName(a, b string, aid, bid string) int {
	if c := strings.Compare(foldKey(a), foldKey(b)); c != 0 {
		return c
	}
	return strings.Compare(aid, bid)
}

func (v view) ListTeams(ctx context.Context, orgID string) ([]*model.Team, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.Team{}
	if od := v.s.orgs[orgID]; od != nil {
		for _, t := range od.teams {
			out = append(out, copyTeam(t))
		}
	}
	slices.SortFunc(out, func(a, b *model.Team) int { return byName(a.Name, b.Name, a.ID, b.ID) })
	return out, nil
}

func (v view) ListMemberships(ctx context.Context, orgID, teamID, memberID string) ([]*model.TeamMembership, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.TeamMembership{}
	if od := v.s.orgs[orgID]; od != nil {
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
}

func (v view) GetRole(ctx context.Context, orgID, id string) (*model.Role, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		if r := od.roles[id]; r != nil {
			return copyRole(r), nil
		}
	}
	return nil, notFound("role", id)
}

func (v view) GetRoleByKey(ctx context.Context, orgID, key string) (*model.Role, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil && key != "" {
		if id, ok := od.roleKeys[key]; ok {
			return copyRole(od.roles[id]), nil
		}
	}
	return nil, notFound("role with key", key)
}

func (v view) ListRoles(ctx context.Context, orgID string) ([]*model.Role, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.Role{}
	if od := v.s.orgs[orgID]; od != nil {
		for _, r := range od.roles {
			out = append(out, copyRole(r))
		}
	}
	slices.SortFunc(out, func(a, b *model.Role) int { return byName(a.Name, b.Name, a.ID, b.ID) })
	return out, nil
}

func (v view) ListSeatPools(ctx context.Context, orgID string) ([]*model.SeatPool, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.SeatPool{}
	od := v.s.orgs[orgID]
	if od == nil {
		return out, nil
	}
	kinds := make([]model.SeatKind, 0, len(od.pools))
	for k := range od.pools {
		kinds = append(kinds, k)
	}
	for _, k := range canonicalOrder(kinds, model.AllSeatKinds) {
		out = append(out, copyPool(od.pools[k]))
	}
	return out, nil
}

func (v view) GetInteraction(ctx context.Context, orgID, id string) (*model.Interaction, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		if i := od.interactions[id]; i != nil {
			return copyInteraction(i), nil
		}
	}
	return nil, notFound("interaction", id)
}

func (v view) GetInteractions(ctx context.Context, orgID string, ids []string) ([]*model.Interaction, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.Interaction{}
	if od := v.s.orgs[orgID]; od != nil {
		for _, id := range ids {
			if i := od.interactions[id]; i != nil {
				out = append(out, copyInteraction(i))
			}
		}
	}
	return out, nil
}

func (v view) ListInteractions(ctx context.Context, orgID string, p store.Page) ([]*model.Interaction, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	od := v.s.orgs[orgID]
	if od == nil {
		return []*model.Interaction{}, nil
	}
	var after *ordKey
	if p.After != "" {
		i := od.interactions[p.After]
		if i == nil {
			return nil, notFound("interaction (page cursor)", p.After)
		}
		after = &ordKey{i.CreatedAt, i.ID}
	}
	ids := od.interactionOrder.page(after, p.NewestFirst, func(string) bool { return true }, p.Limit)
	out := make([]*model.Interaction, len(ids))
	for n, id := range ids {
		out[n] = copyInteraction(od.interactions[id])
	}
	return out, nil
}

func (v view) GetEvaluation(ctx context.Context, orgID, id string) (*model.Evaluation, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		if e := od.evaluations[id]; e != nil {
			return copyEvaluation(e), nil
		}
	}
	return nil, notFound("evaluation", id)
}

func (v view) GetEvaluations(ctx context.Context, orgID string, ids []string) ([]*model.Evaluation, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	out := []*model.Evaluation{}
	if od := v.s.orgs[orgID]; od != nil {
		for _, id := range ids {
			if e := od.evaluations[id]; e != nil {
				out = append(out, copyEvaluation(e))
			}
		}
	}
	return out, nil
}

func (v view) ListEvaluations(ctx context.Context, orgID string, p store.Page) ([]*model.Evaluation, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	od := v.s.orgs[orgID]
	if od == nil {
		return []*model.Evaluation{}, nil
	}
	var after *ordKey
	if p.After != "" {
		e := od.evaluations[p.After]
		if e == nil {
			return nil, notFound("evaluation (page cursor)", p.After)
		}
		after = &ordKey{e.CreatedAt, e.ID}
	}
	ids := od.evaluationOrder.page(after, p.NewestFirst, func(string) bool { return true }, p.Limit)
	out := make([]*model.Evaluation, len(ids))
	for n, id := range ids {
		out[n] = copyEvaluation(od.evaluations[id])
	}
	return out, nil
}

func (v view) ListAudit(ctx context.Context, orgID string, p store.Page) ([]*model.AuditEvent, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	od := v.s.orgs[orgID]
	if od == nil {
		return []*model.AuditEvent{}, nil
	}
	var after *ordKey
	if p.After != "" {
		e := od.audit[p.After]
		if e == nil {
			return nil, notFound("audit event (page cursor)", p.After)
		}
		after = &ordKey{e.At, e.ID}
	}
	ids := od.auditOrder.page(after, true, func(string) bool { return true }, p.Limit)
	out := make([]*model.AuditEvent, len(ids))
	for n, id := range ids {
		out[n] = copyAudit(od.audit[id])
	}
	return out, nil
}

func (v view) CountAudit(ctx context.Context, orgID string) (int, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return 0, err
	}
	defer leave()
	if od := v.s.orgs[orgID]; od != nil {
		return len(od.audit), nil
	}
	return 0, nil
}

func (v view) GetInvitation(ctx context.Context, tokenHash string) (*model.Invitation, error) {
	leave, err := v.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	if inv := v.s.invitations[tokenHash]; inv != nil {
		return copyInvitation(inv), nil
	}
	return nil, notFound("invitation", tokenHash)
}

// ---- transactions ----

type tx struct {
	view
	undo []func()
	done bool
}

var _ store.Tx = (*tx)(nil)

func (t *tx) rollbackTo(mark int) {
	for i := len(t.undo) - 1; i >= mark; i-- {
		t.undo[i]()
	}
	t.undo = t.undo[:mark]
}

// write runs one Tx method: a method that fails changes nothing, so the
// caller may handle the error and go on with the transaction, as it can on
// Postgres (where each write runs under a savepoint).
func (t *tx) write(ctx context.Context, orgID string, fn func(od *orgData) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.done {
		return errTxDone
	}
	var od *orgData
	if orgID != "" {
		if od = t.s.orgs[orgID]; od == nil {
			return notFound("organization", orgID)
		}
	}
	mark := len(t.undo)
	if err := fn(od); err != nil {
		t.rollbackTo(mark)
		return err
	}
	return nil
}

// InTx holds the write lock for the whole of fn: transactions run one at a
// time, and readers outside wait for them, so nobody sees half a
// transaction.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tx{}
	t.view = view{s: s, tx: t}
	committed := false
	defer func() {
		// Also on panic: the lock is released with the state as it was.
		if !committed {
			t.rollbackTo(0)
		}
		t.done = true
	}()
	if err := fn(t); err != nil {
		return err
	}
	// Postgres cannot commit on a dead context; neither do we, so callers
	// see the same outcome on both backends.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: commit: %w", err)
	}
	committed = true
	return nil
}

// LockOrganization has nothing to do: InTx already holds the store-wide
// write lock, which serializes every transaction, not only those of one
// organization. It still reports an unknown organization, as Postgres does.
func (t *tx) LockOrganization(ctx context.Context, orgID string) error {
	return t.write(ctx, orgID, func(*orgData) error { return nil })
}

func (t *tx) CreateOrganization(ctx context.Context, o *model.Organization) error {
	return t.write(ctx, "", func(*orgData) error {
		if t.s.orgs[o.ID] != nil {
			return conflict("organization", o.ID)
		}
		set(t, t.s.orgs, o.ID, newOrgData(copyOrg(o)))
		return nil
	})
}

func (t *tx) MarkCatalog(ctx context.Context, orgID, fingerprint string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		assign(t, &od.catalog, fingerprint)
		return nil
	})
}

func (t *tx) UpdateOrganization(ctx context.Context, o *model.Organization) error {
	return t.write(ctx, o.ID, func(od *orgData) error {
		n := copyOrg(od.org)
		n.Name, n.Plan, n.OwnerID = o.Name, o.Plan, o.OwnerID
		n.Products = canonicalOrder(o.Products, model.AllProducts)
		assign(t, &od.org, n)
		return nil
	})
}

func (t *tx) checkRoles(od *orgData, ids []string) error {
	for _, id := range ids {
		if od.roles[id] == nil {
			return notFound("role", id)
		}
	}
	return nil
}

func (t *tx) CreateMember(ctx context.Context, m *model.Member) error {
	return t.write(ctx, m.OrgID, func(od *orgData) error {
		if od.members[m.ID] != nil {
			return conflict("member", m.ID)
		}
		key := foldKey(m.Email)
		if _, taken := od.emails[key]; taken {
			return conflict("member email", m.Email)
		}
		if err := t.checkRoles(od, m.RoleIDs); err != nil {
			return err
		}
		n := copyMember(m)
		set(t, od.members, n.ID, n)
		set(t, od.emails, key, n.ID)
		od.memberOrder.insert(t, ordKey{n.CreatedAt, n.ID})
		return nil
	})
}

func (t *tx) UpdateMember(ctx context.Context, m *model.Member) error {
	return t.write(ctx, m.OrgID, func(od *orgData) error {
		old := od.members[m.ID]
		if old == nil {
			return notFound("member", m.ID)
		}
		key := foldKey(m.Email)
		if owner, taken := od.emails[key]; taken && owner != m.ID {
			return conflict("member email", m.Email)
		}
		if err := t.checkRoles(od, m.RoleIDs); err != nil {
			return err
		}
		n := copyMember(m)
		n.CreatedAt = old.CreatedAt
		del(t, od.emails, foldKey(old.Email))
		set(t, od.emails, key, n.ID)
		set(t, od.members, n.ID, n)
		return nil
	})
}

func (t *tx) DeleteMember(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.members[id]
		if old == nil {
			return notFound("member", id)
		}
		for k := range od.memberships {
			if k.member == id {
				del(t, od.memberships, k)
			}
		}
		del(t, od.emails, foldKey(old.Email))
		del(t, od.members, id)
		od.memberOrder.remove(t, ordKey{old.CreatedAt, old.ID})
		return nil
	})
}

func (t *tx) CreateTeam(ctx context.Context, tm *model.Team) error {
	return t.write(ctx, tm.OrgID, func(od *orgData) error {
		if od.teams[tm.ID] != nil {
			return conflict("team", tm.ID)
		}
		key := foldKey(tm.Name)
		if _, taken := od.teamNames[key]; taken {
			return conflict("team name", tm.Name)
		}
		if tm.ParentID != "" && od.teams[tm.ParentID] == nil {
			return notFound("parent team", tm.ParentID)
		}
		set(t, od.teams, tm.ID, copyTeam(tm))
		set(t, od.teamNames, key, tm.ID)
		return nil
	})
}

func (t *tx) UpdateTeam(ctx context.Context, tm *model.Team) error {
	return t.write(ctx, tm.OrgID, func(od *orgData) error {
		old := od.teams[tm.ID]
		if old == nil {
			return notFound("team", tm.ID)
		}
		key := foldKey(tm.Name)
		if owner, taken := od.teamNames[key]; taken && owner != tm.ID {
			return conflict("team name", tm.Name)
		}
		if tm.ParentID != "" && od.teams[tm.ParentID] == nil {
			return notFound("parent team", tm.ParentID)
		}
		n := copyTeam(old)
		n.Name, n.ParentID = tm.Name, tm.ParentID
		del(t, od.teamNames, foldKey(old.Name))
		set(t, od.teamNames, key, n.ID)
		set(t, od.teams, n.ID, n)
		return nil
	})
}

func (t *tx) DeleteTeam(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.teams[id]
		if old == nil {
			return notFound("team", id)
		}
		for _, c := range od.teams {
			if c.ParentID == id {
				n := copyTeam(c)
				n.ParentID = old.ParentID
				set(t, od.teams, n.ID, n)
			}
		}
		for _, i := range od.interactions {
			if i.TeamID == id {
				n := copyInteraction(i)
				n.TeamID = ""
				set(t, od.interactions, n.ID, n)
			}
		}
		for k := range od.memberships {
			if k.team == id {
				del(t, od.memberships, k)
			}
		}
		del(t, od.teamNames, foldKey(old.Name))
		del(t, od.teams, id)
		return nil
	})
}

func (t *tx) PutMembership(ctx context.Context, m *model.TeamMembership) error {
	return t.write(ctx, m.OrgID, func(od *orgData) error {
		if od.teams[m.TeamID] == nil {
			return notFound("team", m.TeamID)
		}
		if od.members[m.MemberID] == nil {
			return notFound("member", m.MemberID)
		}
		set(t, od.memberships, membershipKey{m.TeamID, m.MemberID}, copyMembership(m))
		return nil
	})
}

func (t *tx) DeleteMembership(ctx context.Context, orgID, teamID, memberID string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		k := membershipKey{teamID, memberID}
		if od.memberships[k] == nil {
			return notFound("membership", teamID+"/"+memberID)
		}
		del(t, od.memberships, k)
		return nil
	})
}

func (t *tx) CreateRole(ctx context.Context, r *model.Role) error {
	return t.write(ctx, r.OrgID, func(od *orgData) error {
		if od.roles[r.ID] != nil {
			return conflict("role", r.ID)
		}
		key := foldKey(r.Name)
		if _, taken := od.roleNames[key]; taken {
			return conflict("role name", r.Name)
		}
		if r.Key != "" {
			if _, taken := od.roleKeys[r.Key]; taken {
				return conflict("role key", r.Key)
			}
			set(t, od.roleKeys, r.Key, r.ID)
		}
		set(t, od.roles, r.ID, copyRole(r))
		set(t, od.roleNames, key, r.ID)
		return nil
	})
}

func (t *tx) UpdateRole(ctx context.Context, r *model.Role) error {
	return t.write(ctx, r.OrgID, func(od *orgData) error {
		old := od.roles[r.ID]
		if old == nil {
			return notFound("role", r.ID)
		}
		key := foldKey(r.Name)
		if owner, taken := od.roleNames[key]; taken && owner != r.ID {
			return conflict("role name", r.Name)
		}
		n := copyRole(old)
		n.Name, n.Description, n.Grants = r.Name, r.Description, sortedGrants(r.Grants)
		del(t, od.roleNames, foldKey(old.Name))
		set(t, od.roleNames, key, n.ID)
		set(t, od.roles, n.ID, n)
		return nil
	})
}

// DeleteRole also takes the role away from its holders, as the foreign key
// of the Postgres schema does: a member never holds a role that is gone.
func (t *tx) DeleteRole(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.roles[id]
		if old == nil {
			return notFound("role", id)
		}
		for _, m := range od.members {
			if m.HasRole(id) {
				n := copyMember(m)
				n.RoleIDs = slices.DeleteFunc(n.RoleIDs, func(r string) bool { return r == id })
				if len(n.RoleIDs) == 0 {
					n.RoleIDs = nil
				}
				set(t, od.members, n.ID, n)
			}
		}
		if old.Key != "" {
			del(t, od.roleKeys, old.Key)
		}
		del(t, od.roleNames, foldKey(old.Name))
		del(t, od.roles, id)
		return nil
	})
}

func (t *tx) PutSeatPool(ctx context.Context, p *model.SeatPool) error {
	return t.write(ctx, p.OrgID, func(od *orgData) error {
		set(t, od.pools, p.Kind, copyPool(p))
		return nil
	})
}

func (t *tx) CreateInteraction(ctx context.Context, i *model.Interaction) error {
	return t.write(ctx, i.OrgID, func(od *orgData) error {
		if od.interactions[i.ID] != nil {
			return conflict("interaction", i.ID)
		}
		if i.TeamID != "" && od.teams[i.TeamID] == nil {
			return notFound("team", i.TeamID)
		}
		n := copyInteraction(i)
		set(t, od.interactions, n.ID, n)
		od.interactionOrder.insert(t, ordKey{n.CreatedAt, n.ID})
		return nil
	})
}

func (t *tx) DeleteInteraction(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.interactions[id]
		if old == nil {
			return notFound("interaction", id)
		}
		for _, e := range od.evaluations {
			if e.InteractionID == id {
				del(t, od.evaluations, e.ID)
				od.evaluationOrder.remove(t, ordKey{e.CreatedAt, e.ID})
			}
		}
		del(t, od.interactions, id)
		od.interactionOrder.remove(t, ordKey{old.CreatedAt, old.ID})
		return nil
	})
}

func (t *tx) CreateEvaluation(ctx context.Context, e *model.Evaluation) error {
	return t.write(ctx, e.OrgID, func(od *orgData) error {
		if od.evaluations[e.ID] != nil {
			return conflict("evaluation", e.ID)
		}
		if od.interactions[e.InteractionID] == nil {
			return notFound("interaction", e.InteractionID)
		}
		n := copyEvaluation(e)
		set(t, od.evaluations, n.ID, n)
		od.evaluationOrder.insert(t, ordKey{n.CreatedAt, n.ID})
		return nil
	})
}

func (t *tx) AppendAudit(ctx context.Context, e *model.AuditEvent) error {
	return t.write(ctx, e.OrgID, func(od *orgData) error {
		if e.ID == "" || e.At.IsZero() {
			id, at := newEventID()
			if e.ID == "" {
				e.ID = id
			}
			if e.At.IsZero() {
				e.At = normTime(at)
			}
		}
		if od.audit[e.ID] != nil {
			return conflict("audit event", e.ID)
		}
		n := copyAudit(e)
		set(t, od.audit, n.ID, n)
		od.auditOrder.insert(t, ordKey{n.At, n.ID})
		return nil
	})
}

func (t *tx) CreateInvitation(ctx context.Context, inv *model.Invitation) error {
	return t.write(ctx, inv.OrgID, func(*orgData) error {
		if t.s.invitations[inv.TokenHash] != nil {
			return conflict("invitation", inv.TokenHash)
		}
		set(t, t.s.invitations, inv.TokenHash, copyInvitation(inv))
		return nil
	})
}

func (t *tx) MarkInvitationUsed(ctx context.Context, tokenHash string, at time.Time) error {
	return t.write(ctx, "", func(*orgData) error {
		old := t.s.invitations[tokenHash]
		if old == nil {
			return notFound("invitation", tokenHash)
		}
		n := copyInvitation(old)
		n.UsedAt = normTimePtr(&at)
		set(t, t.s.invitations, tokenHash, n)
		return nil
	})
}

func (t *tx) Enqueue(ctx context.Context, orgID string, updates []rels.Update) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		if len(updates) == 0 {
			return nil
		}
		// Ids are not given back on rollback: they only need to increase,
		// and a gap is harmless.
		q := slices.Clip(od.outbox)
		for _, u := range updates {
			t.s.nextOutboxID++
			q = append(q, store.OutboxEntry{ID: t.s.nextOutboxID, OrgID: orgID, Update: u})
		}
		assign(t, &od.outbox, q)
		return nil
	})
}

// ---- outbox ----

func (s *Store) outboxLock(orgID string) chan struct{} {
	s.outboxMu.Lock()
	defer s.outboxMu.Unlock()
	c := s.outboxLocks[orgID]
	if c == nil {
		c = make(chan struct{}, 1)
		s.outboxLocks[orgID] = c
	}
	return c
}

func (s *Store) WithOutboxLock(ctx context.Context, orgID string, fn func() error) error {
	c := s.outboxLock(orgID)
	select {
	case c <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("memory: outbox lock of %q: %w", orgID, ctx.Err())
	}
	defer func() { <-c }()
	return fn()
}

func (s *Store) PendingOutbox(ctx context.Context, orgID string, limit int) ([]store.OutboxEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var q []store.OutboxEntry
	if od := s.orgs[orgID]; od != nil {
		q = od.outbox
	}
	if limit > 0 && len(q) > limit {
		q = q[:limit]
	}
	// OutboxEntry holds only values (Update is plain strings), so a slice
	// copy is a deep copy.
	return append([]store.OutboxEntry{}, q...), nil
}

func (s *Store) OrgsWithPending(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []string{}
	for id, od := range s.orgs {
		if len(od.outbox) > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (s *Store) MarkApplied(ctx context.Context, orgID string, upTo int64, zedToken string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	od := s.orgs[orgID]
	if od == nil {
		return notFound("organization", orgID)
	}
	i := sort.Search(len(od.outbox), func(i int) bool { return od.outbox[i].ID > upTo })
	// Clone so the applied prefix's backing array can be freed.
	if rest := od.outbox[i:]; len(rest) > 0 {
		od.outbox = slices.Clone(rest)
	} else {
		od.outbox = nil
	}
	n := copyOrg(od.org)
	n.Revision++
	n.ZedToken = zedToken
	od.org = n
	return nil
}

func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

func (s *Store) Close() {}
