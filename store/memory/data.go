package memory

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// This file is the store's data: what one organization holds, the ordered
// indexes its listings page through, the undo log that makes a
// transaction atomic, and the tables that tell the generic readers where
// each kind of entity lives. It is apart from the readers (readonly.go) and
// the writers (readwrite.go) because both work on it: the readers never
// record undo, the writers always do, through the functions here.

// orgData is everything one organization owns, so that "not found in that
// organization" is a single map miss.
type orgData struct {
	org     *model.Organization
	catalog string // MarkCatalog

	members     map[string]*model.Member
	emails      names             // email -> member id
	externals   map[string]string // Member.ExternalID -> member id (case-sensitive, as the issuer's sub)
	memberOrder *index

	teams     map[string]*model.Team
	teamNames names

	memberships map[membershipKey]*model.TeamMembership

	roles     map[string]*model.Role
	roleNames names
	roleKeys  map[string]string // key -> role id

	pools map[model.SeatKind]*model.SeatPool

	interactions     map[string]*model.Interaction
	interactionOrder *index

	evaluations     map[string]*model.Evaluation
	evaluationOrder *index

	audit      map[string]*model.AuditEvent
	auditOrder *index

	accessRequests map[string]*model.AccessRequest

	outbox []store.OutboxEntry
}

type membershipKey struct{ team, member string }

func newOrgData(o *model.Organization) *orgData {
	return &orgData{
		org:              o,
		members:          map[string]*model.Member{},
		emails:           names{},
		externals:        map[string]string{},
		memberOrder:      &index{},
		teams:            map[string]*model.Team{},
		teamNames:        names{},
		memberships:      map[membershipKey]*model.TeamMembership{},
		roles:            map[string]*model.Role{},
		roleNames:        names{},
		roleKeys:         map[string]string{},
		pools:            map[model.SeatKind]*model.SeatPool{},
		interactions:     map[string]*model.Interaction{},
		interactionOrder: &index{},
		evaluations:      map[string]*model.Evaluation{},
		evaluationOrder:  &index{},
		audit:            map[string]*model.AuditEvent{},
		auditOrder:       &index{},
		accessRequests:   map[string]*model.AccessRequest{},
	}
}

// externalTaken reports whether an entity other than id holds the external
// id ext in m; "" is never taken (it means none).
func externalTaken(m map[string]string, ext, id string) bool {
	owner, taken := m[ext]
	return ext != "" && taken && owner != id
}

// moveExternal moves id from the external id from to to in m ("" is none).
func moveExternal(u *undoLog, m map[string]string, from, to, id string) {
	if from != "" {
		del(u, m, from)
	}
	if to != "" {
		set(u, m, to, id)
	}
}

// names is a case-insensitive uniqueness index (member emails, team and
// role names): canon.Fold(name) -> id.
type names map[string]string

func (n names) lookup(name string) (id string, ok bool) {
	id, ok = n[canon.Fold(name)]
	return id, ok
}

// takenBy reports whether an entity other than id holds name.
func (n names) takenBy(name, id string) bool {
	owner, taken := n.lookup(name)
	return taken && owner != id
}

func (n names) put(u *undoLog, name, id string) { set(u, n, canon.Fold(name), id) }

func (n names) drop(u *undoLog, name string) { del(u, n, canon.Fold(name)) }

// rename moves id from the name from to the name to (the same or not).
func (n names) rename(u *undoLog, from, to, id string) {
	n.drop(u, from)
	n.put(u, to, id)
}

// ---- tables ----

// table describes one kind of organization-owned entity to the readers
// that are the same for every kind (get one, get several, page), as
// SpiceDB's memdb describes its tables in a schema.
type table[T any] struct {
	what  string                       // the entity in error messages
	rows  func(*orgData) map[string]*T // by id
	out   func(*T) *T                  // the copy a reader hands out
	order func(*orgData) *index        // listing order; nil when not paged
	key   func(*T) ordKey              // the entity's place in order
}

// The writers key the indexes with the tables' key functions too, so that
// an entity's place in its index and its place as a page cursor agree.

var (
	memberTable = table[model.Member]{
		what:  "member",
		rows:  func(od *orgData) map[string]*model.Member { return od.members },
		out:   copyMember,
		order: func(od *orgData) *index { return od.memberOrder },
		key:   func(m *model.Member) ordKey { return ordKey{m.CreatedAt, m.ID} },
	}
	teamTable = table[model.Team]{
		what: "team",
		rows: func(od *orgData) map[string]*model.Team { return od.teams },
		out:  copyTeam,
	}
	roleTable = table[model.Role]{
		what: "role",
		rows: func(od *orgData) map[string]*model.Role { return od.roles },
		out:  copyRole,
	}
	interactionTable = table[model.Interaction]{
		what:  "interaction",
		rows:  func(od *orgData) map[string]*model.Interaction { return od.interactions },
		out:   copyInteraction,
		order: func(od *orgData) *index { return od.interactionOrder },
		key:   func(i *model.Interaction) ordKey { return ordKey{i.CreatedAt, i.ID} },
	}
	evaluationTable = table[model.Evaluation]{
		what:  "evaluation",
		rows:  func(od *orgData) map[string]*model.Evaluation { return od.evaluations },
		out:   copyEvaluation,
		order: func(od *orgData) *index { return od.evaluationOrder },
		key:   func(e *model.Evaluation) ordKey { return ordKey{e.CreatedAt, e.ID} },
	}
	auditTable = table[model.AuditEvent]{
		what:  "audit event",
		rows:  func(od *orgData) map[string]*model.AuditEvent { return od.audit },
		out:   copyAudit,
		order: func(od *orgData) *index { return od.auditOrder },
		key:   func(e *model.AuditEvent) ordKey { return ordKey{e.At, e.ID} },
	}
)

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

func (x *index) insert(u *undoLog, k ordKey) {
	x.rawInsert(k)
	u.push(func() { x.rawRemove(k) })
}

func (x *index) remove(u *undoLog, k ordKey) {
	x.rawRemove(k)
	u.push(func() { x.rawInsert(k) })
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

// ---- undo log ----

// undoLog is how a transaction puts back what its writes replaced: one
// closure per write, replayed newest first. Stored values are never changed
// in place (a write swaps in a fresh copy), so each closure is a pointer
// swap and a transaction costs what it writes, not the size of the store.
type undoLog []func()

func (u *undoLog) push(f func()) { *u = append(*u, f) }

// rollbackTo undoes every write recorded after mark, newest first.
func (u *undoLog) rollbackTo(mark int) {
	for i := len(*u) - 1; i >= mark; i-- {
		(*u)[i]()
	}
	*u = (*u)[:mark]
}

// set is m[k] = v, undoably.
func set[K comparable, V any](u *undoLog, m map[K]V, k K, v V) {
	old, had := m[k]
	m[k] = v
	u.push(func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
}

// del is delete(m, k), undoably.
func del[K comparable, V any](u *undoLog, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	u.push(func() { m[k] = old })
}

// assign is *p = v, undoably.
func assign[T any](u *undoLog, p *T, v T) {
	old := *p
	*p = v
	u.push(func() { *p = old })
}
