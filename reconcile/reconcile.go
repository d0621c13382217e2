// Package reconcile proves that SpiceDB holds exactly the relationships
// rolegraph's entities imply, and repairs it when it does not.
//
// The expected graph of an organization is the union of what every one of
// its entities contributes (package rels: the organization with its grant,
// product and seat objects, roles, members, teams, memberships,
// interactions, evaluations), read from the store. The actual graph is read
// from SpiceDB, restricted to the organization's own objects, so that
// another organization's relationships are never read into the diff and
// never written:
//
//   - organization:<org> itself;
//   - grant, product and seat objects, whose ids start with "<org>_": those
//     this organization names (from the catalog and the product and seat
//     lists) and any grant that points at this organization, each read by
//     its exact id (see reader.prefixed);
//   - members, teams, interactions and evaluations: those of the store,
//     plus any SpiceDB says belong to the organization (an `org`
//     relationship to it), which is how stray objects are found;
//   - roles: those of the store, plus any this organization's grants name.
//
// An object that is not in the organization's store and that SpiceDB ties
// to another organization too is reported as a conflict and left alone.
//
// Reconciler.Org does the whole job under the organization's outbox lock:
// it applies pending outbox entries first (package outbox, so
// committed-but-unapplied changes are not mistaken for drift), reads the expected graph while
// holding the organization's row lock (a consistent snapshot), checks that
// no change was committed in between, reads SpiceDB, diffs, and on request
// repairs (chunked writes, then a revision bump so no decision cached
// before the repair is served after it).
//
// Reconciler.ChangeCatalogs (catalog.go) is the catalog sync's shortcut
// when the catalog an organization was marked with is known: it writes the
// two catalogs' difference without reading the organization's graph.
package reconcile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	authzed "github.com/authzed/authzed-go/v1"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// pageSize is the page of store listings and of SpiceDB reads.
const pageSize = 1000

// readConcurrency bounds the per-object SpiceDB reads in flight.
const readConcurrency = 8

// Scope is which of an organization's objects a reconcile compares.
type Scope int

const (
	// ScopeAll compares every object of the organization.
	ScopeAll Scope = iota
	// ScopeCatalog compares only the objects a catalog change touches: the
	// organization object and its grant, product and seat objects (what
	// rels.Organization derives from the catalog, with the roles' grants
	// and the members' seats that point into them). A few reads instead of
	// one per member, team and resource: what SyncCatalog needs when a
	// release changed the catalog of every organization.
	ScopeCatalog
)

// catalogTypes are the object types ScopeCatalog compares.
var catalogTypes = map[string]bool{rels.TypeOrganization: true, rels.TypeGrant: true, rels.TypeProduct: true, rels.TypeSeat: true}

// in reports whether the relationship's object is compared under s.
func (s Scope) in(r rels.Relationship) bool { return s == ScopeAll || catalogTypes[r.ResourceType] }

// Expected is the graph the organization's entities imply.
func Expected(ctx context.Context, st store.Reader, cat *catalog.Catalog, orgID string) (rels.Set, error) {
	return expectedScope(ctx, st, cat, orgID, ScopeAll)
}

// expectedScope is the part of Expected that scope compares: only the
// organization, its roles and its members contribute to catalog objects,
// so ScopeCatalog lists nothing else.
func expectedScope(ctx context.Context, st store.Reader, cat *catalog.Catalog, orgID string, scope Scope) (rels.Set, error) {
	org, err := st.GetOrganization(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("reconcile: organization %s: %w", orgID, err)
	}
	out := rels.Organization(cat, org)
	roles, err := st.ListRoles(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("reconcile: roles: %w", err)
	}
	for _, r := range roles {
		out.Add(rels.Role(r).Sorted()...)
	}
	for f := (store.MemberFilter{Page: store.Page{Limit: pageSize}}); ; {
		ms, err := st.ListMembers(ctx, orgID, f)
		if err != nil {
			return nil, fmt.Errorf("reconcile: members: %w", err)
		}
		for _, m := range ms {
			out.Add(rels.Member(m).Sorted()...)
		}
		if len(ms) < pageSize {
			break
		}
		f.After = ms[len(ms)-1].ID
	}
	if scope == ScopeCatalog {
		for k, r := range out {
			if !scope.in(r) {
				delete(out, k)
			}
		}
		return out.Unexpired(time.Now()), nil
	}
	teams, err := st.ListTeams(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("reconcile: teams: %w", err)
	}
	for _, t := range teams {
		out.Add(rels.Team(t).Sorted()...)
	}
	memberships, err := st.ListMemberships(ctx, orgID, "", "")
	if err != nil {
		return nil, fmt.Errorf("reconcile: memberships: %w", err)
	}
	for _, m := range memberships {
		out.Add(rels.Membership(m).Sorted()...)
	}
	for p := (store.Page{Limit: pageSize}); ; {
		is, err := st.ListInteractions(ctx, orgID, p)
		if err != nil {
			return nil, fmt.Errorf("reconcile: interactions: %w", err)
		}
		for _, i := range is {
			out.Add(rels.Interaction(i).Sorted()...)
		}
		if len(is) < pageSize {
			break
		}
		p.After = is[len(is)-1].ID
	}
	for p := (store.Page{Limit: pageSize}); ; {
		es, err := st.ListEvaluations(ctx, orgID, p)
		if err != nil {
			return nil, fmt.Errorf("reconcile: evaluations: %w", err)
		}
		for _, e := range es {
			out.Add(rels.Evaluation(e).Sorted()...)
		}
		if len(es) < pageSize {
			break
		}
		p.After = es[len(es)-1].ID
	}
	// SpiceDB neither counts nor reads back what has expired.
	return out.Unexpired(time.Now()), nil
}

// Conflict is an object that both this organization and another one claim
// in SpiceDB; reconcile reports it and never writes it.
type Conflict struct {
	Object string // type:id
	Reason string
}

func (c Conflict) String() string { return c.Object + ": " + c.Reason }

// Actual reads SpiceDB's relationships on the organization's objects (see
// the package comment for which objects those are). expected, usually from
// Expected, names the objects the store knows of; nil reads only what
// SpiceDB itself ties to the organization.
func Actual(ctx context.Context, client *authzed.Client, orgID string, expected rels.Set) (rels.Set, []Conflict, error) {
	return actualScope(ctx, client, orgID, expected, ScopeAll)
}

func actualScope(ctx context.Context, client *authzed.Client, orgID string, expected rels.Set, scope Scope) (rels.Set, []Conflict, error) {
	r := &reader{client: client, orgID: orgID, out: rels.NewSet(), known: map[string]map[string]bool{}, scope: scope}
	for _, t := range []string{rels.TypeOrganization, rels.TypeGrant, rels.TypeProduct, rels.TypeSeat, rels.TypeRole,
		rels.TypeMember, rels.TypeTeam, rels.TypeInteraction, rels.TypeEvaluation} {
		r.known[t] = map[string]bool{}
	}
	for _, x := range expected {
		if r.known[x.ResourceType] != nil {
			r.known[x.ResourceType][x.ResourceID] = true
		}
	}
	for _, p := range model.AllProducts {
		r.known[rels.TypeProduct][rels.ProductID(orgID, p)] = true
	}
	for _, k := range model.AllSeatKinds {
		r.known[rels.TypeSeat][rels.SeatID(orgID, k)] = true
	}
	if err := r.run(ctx); err != nil {
		return nil, nil, err
	}
	sort.Slice(r.conflicts, func(i, j int) bool { return r.conflicts[i].Object < r.conflicts[j].Object })
	return r.out, r.conflicts, nil
}

type reader struct {
	client *authzed.Client
	orgID  string
	known  map[string]map[string]bool // type → ids the store names
	scope  Scope

	mu        sync.Mutex
	out       rels.Set
	conflicts []Conflict
}

func (r *reader) add(rs []rels.Relationship) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out.Add(rs...)
}

func (r *reader) conflict(typ, id, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conflicts = append(r.conflicts, Conflict{Object: typ + ":" + id, Reason: reason})
}

func (r *reader) run(ctx context.Context) error {
	// The organization object.
	own, err := read(ctx, r.client, &v1.RelationshipFilter{ResourceType: rels.TypeOrganization, OptionalResourceId: r.orgID})
	if err != nil {
		return err
	}
	r.add(own)

	claimedGrants, err := r.prefixed(ctx)
	if err != nil {
		return err
	}

	if r.scope == ScopeCatalog {
		return nil
	}

	// Unprefixed objects: the store's, plus those SpiceDB ties to the
	// organization.
	type candidate struct {
		typ, id string
		known   bool
	}
	var cands []candidate
	for _, typ := range []string{rels.TypeMember, rels.TypeTeam, rels.TypeInteraction, rels.TypeEvaluation} {
		ids := map[string]bool{}
		for id := range r.known[typ] {
			ids[id] = true
		}
		tied, err := read(ctx, r.client, &v1.RelationshipFilter{ResourceType: typ, OptionalRelation: "org",
			OptionalSubjectFilter: &v1.SubjectFilter{SubjectType: rels.TypeOrganization, OptionalSubjectId: r.orgID}})
		if err != nil {
			return err
		}
		for _, t := range tied {
			ids[t.ResourceID] = true
		}
		for id := range ids {
			cands = append(cands, candidate{typ, id, r.known[typ][id]})
		}
	}
	roles := map[string]bool{}
	for id := range r.known[rels.TypeRole] {
		roles[id] = true
	}
	for _, x := range r.out {
		if x.ResourceType == rels.TypeGrant && x.SubjectType == rels.TypeRole {
			roles[x.SubjectID] = true
		}
	}
	for id := range roles {
		cands = append(cands, candidate{rels.TypeRole, id, r.known[rels.TypeRole][id]})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].typ != cands[j].typ {
			return cands[i].typ < cands[j].typ
		}
		return cands[i].id < cands[j].id
	})

	return concurrently(cands, func(c candidate) error {
		return r.object(ctx, c.typ, c.id, c.known, claimedGrants)
	})
}

// concurrently runs f on every item, readConcurrency at a time, and
// returns the first error.
func concurrently[T any](items []T, f func(T) error) error {
	sem := make(chan struct{}, readConcurrency)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	for _, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := f(it); err != nil {
				errMu.Lock()
				firstErr = cmpErr(firstErr, err)
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// prefixed reads the grant, product and seat objects (ids "<org>_…"): the
// ones the organization names, and any grant SpiceDB ties to it (a grant
// of a permission the catalog no longer has), each by its exact id. A
// read by id prefix would be one call, but the Postgres datastore answers
// it by scanning every organization's grants (LIKE cannot use its index):
// seconds per read with 10,000 organizations. It returns the grants that
// are this organization's.
func (r *reader) prefixed(ctx context.Context) (map[string]bool, error) {
	tied, err := read(ctx, r.client, &v1.RelationshipFilter{ResourceType: rels.TypeGrant, OptionalRelation: "org",
		OptionalSubjectFilter: &v1.SubjectFilter{SubjectType: rels.TypeOrganization, OptionalSubjectId: r.orgID}})
	if err != nil {
		return nil, err
	}
	type object struct{ typ, id string }
	var objs []object
	for _, typ := range []string{rels.TypeGrant, rels.TypeProduct, rels.TypeSeat} {
		for id := range r.known[typ] {
			objs = append(objs, object{typ, id})
		}
	}
	for _, t := range tied {
		if !r.known[rels.TypeGrant][t.ResourceID] {
			objs = append(objs, object{rels.TypeGrant, t.ResourceID})
		}
	}
	var mu sync.Mutex
	claimed := map[string]bool{}
	err = concurrently(objs, func(o object) error {
		tuples, err := read(ctx, r.client, &v1.RelationshipFilter{ResourceType: o.typ, OptionalResourceId: o.id})
		if err != nil {
			return err
		}
		if o.typ == rels.TypeGrant && !r.known[o.typ][o.id] {
			mine, other := orgTies(tuples, r.orgID)
			if !mine {
				return nil
			}
			if other != "" {
				r.conflict(o.typ, o.id, "not a grant of this organization's catalog, and tied to organization "+other+" too")
				return nil
			}
		}
		if o.typ == rels.TypeGrant {
			mu.Lock()
			claimed[o.id] = true
			mu.Unlock()
		}
		r.add(tuples)
		return nil
	})
	return claimed, err
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// object reads one unprefixed object and keeps its relationships when the
// object is this organization's.
func (r *reader) object(ctx context.Context, typ, id string, known bool, claimedGrants map[string]bool) error {
	tuples, err := read(ctx, r.client, &v1.RelationshipFilter{ResourceType: typ, OptionalResourceId: id})
	if err != nil {
		return err
	}
	if !known {
		if typ == rels.TypeRole {
			// A role the store does not know, named by this organization's
			// grants: ours unless another organization's grants name it too.
			refs, err := read(ctx, r.client, &v1.RelationshipFilter{ResourceType: rels.TypeGrant,
				OptionalSubjectFilter: &v1.SubjectFilter{SubjectType: rels.TypeRole, OptionalSubjectId: id}})
			if err != nil {
				return err
			}
			for _, g := range refs {
				if !claimedGrants[g.ResourceID] {
					r.conflict(typ, id, "also named by grant "+g.ResourceID+", not this organization's")
					return nil
				}
			}
		} else if _, other := orgTies(tuples, r.orgID); other != "" {
			r.conflict(typ, id, "not in this organization's store, and tied to organization "+other+" too")
			return nil
		}
	}
	r.add(tuples)
	return nil
}

// orgTies says whether tuples tie their object to orgID (an `org`
// relationship) and names another organization they tie it to, if any.
func orgTies(tuples []rels.Relationship, orgID string) (mine bool, other string) {
	for _, t := range tuples {
		if t.Relation != "org" || t.SubjectType != rels.TypeOrganization {
			continue
		}
		if t.SubjectID == orgID {
			mine = true
		} else {
			other = t.SubjectID
		}
	}
	return mine, other
}

// read pages through ReadRelationships, fully consistent (a cursor
// carries the first page's revision, so every page reads the same one).
func read(ctx context.Context, client *authzed.Client, filter *v1.RelationshipFilter) ([]rels.Relationship, error) {
	var out []rels.Relationship
	var cursor *v1.Cursor
	for {
		req := &v1.ReadRelationshipsRequest{RelationshipFilter: filter, OptionalLimit: pageSize, OptionalCursor: cursor,
			Consistency: &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}}}
		stream, err := client.ReadRelationships(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("reconcile: read %s relationships: %w", filter.ResourceType, err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("reconcile: read %s relationships: %w", filter.ResourceType, err)
			}
			n++
			out = append(out, fromV1(resp.Relationship))
			cursor = resp.AfterResultCursor
		}
		if n < pageSize || cursor == nil {
			return out, nil
		}
	}
}

func fromV1(r *v1.Relationship) rels.Relationship {
	return rels.Relationship{
		ResourceType:    r.GetResource().GetObjectType(),
		ResourceID:      r.GetResource().GetObjectId(),
		Relation:        r.GetRelation(),
		SubjectType:     r.GetSubject().GetObject().GetObjectType(),
		SubjectID:       r.GetSubject().GetObject().GetObjectId(),
		SubjectRelation: r.GetSubject().GetOptionalRelation(),
		Expires:         expiresOf(r),
	}
}

func expiresOf(r *v1.Relationship) int64 {
	if r.GetOptionalExpiresAt() == nil {
		return 0
	}
	return r.GetOptionalExpiresAt().AsTime().UnixMilli()
}

// Drift is how SpiceDB differs from the store for one organization.
type Drift struct {
	Missing []rels.Relationship // implied by the store, absent from SpiceDB
	Extra   []rels.Relationship // in SpiceDB on the organization's objects, implied by nothing
}

// Empty reports no drift.
func (d Drift) Empty() bool { return len(d.Missing) == 0 && len(d.Extra) == 0 }

// Updates are the writes that remove the drift: deletes of the extra,
// touches of the missing.
func (d Drift) Updates() []rels.Update {
	out := make([]rels.Update, 0, len(d.Missing)+len(d.Extra))
	for _, r := range d.Extra {
		out = append(out, rels.Update{Op: rels.OpDelete, Rel: r})
	}
	for _, r := range d.Missing {
		out = append(out, rels.Update{Op: rels.OpTouch, Rel: r})
	}
	return out
}

// Diff compares the expected graph with the actual one.
func Diff(expected, actual rels.Set) Drift {
	var d Drift
	for _, r := range expected.Sorted() {
		// A tuple SpiceDB holds with another expiry than the store's is
		// missing as it should be: touching it writes the right expiry.
		if a, ok := actual[r.String()]; !ok || a.Expires != r.Expires {
			d.Missing = append(d.Missing, r)
		}
	}
	for _, r := range actual.Sorted() {
		if _, ok := expected[r.String()]; !ok {
			d.Extra = append(d.Extra, r)
		}
	}
	return d
}

// Repair writes the drift's updates (chunked by authz.Write, at most
// authz.MaxUpdatesPerWrite per call) and returns the ZedToken of the last
// write, "" when there was nothing to write. It does not bump the
// organization's revision: Reconciler.Org does, under the outbox lock.
func Repair(ctx context.Context, az *authz.Authz, d Drift) (string, error) {
	u := d.Updates()
	if len(u) == 0 {
		return "", nil
	}
	return az.Write(ctx, u)
}

// Reconciler compares and repairs organizations.
type Reconciler struct {
	store   store.Store
	authz   *authz.Authz    // writes repairs
	outbox  *outbox.Applier // applies the pending outbox, records repairs
	client  *authzed.Client // reads SpiceDB's side
	catalog *catalog.Catalog
	fp      string // the catalog's fingerprint, which markCatalog records
}

// New returns a Reconciler of st's organizations against SpiceDB (read
// through client, written through az), deriving the expected graph with
// cat. ob applies what is pending first; it should have no test hooks of
// a serving process (a reconcile runs as its own process).
func New(st store.Store, az *authz.Authz, ob *outbox.Applier, client *authzed.Client, cat *catalog.Catalog) *Reconciler {
	return &Reconciler{store: st, authz: az, outbox: ob, client: client, catalog: cat, fp: rels.CatalogFingerprint(cat)}
}

// Report is the outcome for one organization.
type Report struct {
	OrgID string
	// Pending is how many outbox entries were waiting and were applied
	// before comparing.
	Pending   int
	Expected  int // relationships the store implies
	Actual    int // relationships SpiceDB holds on the organization's objects
	Drift     Drift
	Conflicts []Conflict
	// Repaired is true when drift was written away; After is the drift
	// read back after the repair (empty when the repair worked; ScopeCatalog
	// does not read back, see OrgScope).
	Repaired bool
	After    Drift
}

// ErrBusy: changes kept being committed while reconcile tried to take a
// consistent snapshot.
var ErrBusy = errors.New("reconcile: the organization kept changing; try again")

// snapshotAttempts bounds the tries at a snapshot with nothing pending.
const snapshotAttempts = 5

// Org reconciles one organization, repairing when repair is set. Drift is
// not an error: look at Report.Drift.
func (r *Reconciler) Org(ctx context.Context, orgID string, repair bool) (*Report, error) {
	return r.OrgScope(ctx, orgID, repair, ScopeAll)
}

// OrgScope is Org comparing only the objects of scope. Either records, once
// SpiceDB holds what the store implies, that the organization follows the
// Reconciler's catalog: ScopeCatalog compares everything a catalog derives.
func (r *Reconciler) OrgScope(ctx context.Context, orgID string, repair bool, scope Scope) (*Report, error) {
	rep := &Report{OrgID: orgID}
	err := r.store.WithOutboxLock(ctx, orgID, func() error {
		var expected rels.Set
		for attempt := 1; ; attempt++ {
			pending, err := r.store.PendingOutbox(ctx, orgID, 0)
			if err != nil {
				return fmt.Errorf("reconcile: read outbox: %w", err)
			}
			rep.Pending += len(pending)
			if err := r.outbox.ApplyPending(ctx, orgID); err != nil {
				return fmt.Errorf("reconcile: applying the pending outbox first: %w", err)
			}
			// Nothing is pending now and, holding the outbox lock, nothing
			// else applies. Read the store with the organization locked
			// (changes wait), then make sure no change committed between
			// the apply and the snapshot.
			err = r.store.InTx(ctx, func(tx store.Tx) error {
				if err := tx.LockOrganization(ctx, orgID); err != nil {
					return err
				}
				var err error
				expected, err = expectedScope(ctx, tx, r.catalog, orgID, scope)
				return err
			})
			if err != nil {
				return err
			}
			later, err := r.store.PendingOutbox(ctx, orgID, 1)
			if err != nil {
				return fmt.Errorf("reconcile: read outbox: %w", err)
			}
			if len(later) == 0 {
				break
			}
			if attempt == snapshotAttempts {
				return ErrBusy
			}
		}
		// Changes committed from here on queue in the outbox and wait for
		// the lock: SpiceDB holds exactly the snapshot's graph unless it
		// drifted.
		actual, conflicts, err := actualScope(ctx, r.client, orgID, expected, scope)
		if err != nil {
			return err
		}
		rep.Expected, rep.Actual, rep.Conflicts = len(expected), len(actual), conflicts
		rep.Drift = Diff(expected, actual)
		if rep.Drift.Empty() {
			return r.markCatalog(ctx, orgID)
		}
		if !repair {
			return nil
		}
		token, err := Repair(ctx, r.authz, rep.Drift)
		if err != nil {
			return fmt.Errorf("reconcile: repair: %w", err)
		}
		// Decisions are cached under the organization's revision: bump it,
		// so nothing cached from the drifted graph is served after the
		// repair.
		if err := r.outbox.Record(ctx, orgID, token); err != nil {
			return fmt.Errorf("reconcile: repaired, but bumping the revision failed: %w", err)
		}
		rep.Repaired = true
		if scope == ScopeCatalog {
			// The write was the diff itself (deletes of the extra, touches
			// of the missing) on objects nothing else writes while the
			// outbox lock is held, so SpiceDB now holds expected: reading
			// every object back would double a catalog sync's reads (~85
			// per organization) to learn nothing. rolegraph reconcile
			// (ScopeAll) still reads back what it repaired.
			return r.markCatalog(ctx, orgID)
		}
		after, _, err := actualScope(ctx, r.client, orgID, expected, scope)
		if err != nil {
			return fmt.Errorf("reconcile: reading back the repair: %w", err)
		}
		rep.After = Diff(expected, after)
		if rep.After.Empty() {
			return r.markCatalog(ctx, orgID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// markCatalog records that the organization's graph follows r.catalog:
// SpiceDB was just found (or made) to hold what it derives.
func (r *Reconciler) markCatalog(ctx context.Context, orgID string) error {
	err := r.store.InTx(ctx, func(tx store.Tx) error { return tx.MarkCatalog(ctx, orgID, r.fp) })
	if err != nil {
		return fmt.Errorf("reconcile: recording the catalog: %w", err)
	}
	return nil
}
