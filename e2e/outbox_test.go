package e2e

// The dual write: entity changes and their relationship updates commit
// together (the outbox) and reach SpiceDB idempotently; reconcile proves
// the two stores agree and repairs them when they do not. The reconcile
// package's tests live here, since they need a real SpiceDB and this is the
// test binary that links it.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"google.golang.org/grpc"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/reconcile"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// outboxServer starts a rolegraph from cfg on backend b: the memory store
// with SpiceDB's memory datastore, or the Postgres store with SpiceDB's
// memory datastore (the outbox is what these tests are about; SpiceDB's
// own storage is not).
func outboxServer(t *testing.T, b backend, cfg server.Config) *server.Server {
	t.Helper()
	if b == postgresBackend {
		cfg.PostgresURL = pgtest.NewDatabase(t)
	}
	return startServer(t, cfg)
}

// withOutbox is a config whose server applies its outbox with opts (test
// hooks: fail points, small chunks).
func withOutbox(opts ...outbox.Option) server.Config {
	return server.Config{OutboxOptions: opts}
}

// applier is an outbox applier as another process would make it: its own
// Authz, without this process's fail points or remembered tokens.
func applier(srv *server.Server, opts ...outbox.Option) *outbox.Applier {
	return outbox.New(srv.Store, authz.New(srv.SpiceDB.Client), opts...)
}

// reconciler is a reconcile run as a separate process would make it: its
// own Authz and applier, without this process's fail points or
// remembered tokens.
func reconciler(srv *server.Server) *reconcile.Reconciler {
	az := authz.New(srv.SpiceDB.Client)
	return reconcile.New(srv.Store, az, outbox.New(srv.Store, az), srv.SpiceDB.Client, catalog.Default())
}

func write(t *testing.T, srv *server.Server, op v1.RelationshipUpdate_Operation, rs ...rels.Relationship) {
	t.Helper()
	var u []*v1.RelationshipUpdate
	for _, r := range rs {
		u = append(u, &v1.RelationshipUpdate{Operation: op, Relationship: &v1.Relationship{
			Resource: &v1.ObjectReference{ObjectType: r.ResourceType, ObjectId: r.ResourceID},
			Relation: r.Relation,
			Subject: &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: r.SubjectType, ObjectId: r.SubjectID},
				OptionalRelation: r.SubjectRelation},
		}})
	}
	if _, err := srv.SpiceDB.Client.WriteRelationships(context.Background(), &v1.WriteRelationshipsRequest{Updates: u}); err != nil {
		t.Fatalf("writing to SpiceDB directly: %v", err)
	}
}

func tuple(s string) rels.Relationship {
	r, err := rels.Parse(s)
	if err != nil {
		panic(err)
	}
	return r
}

func tupleStrings(rs []rels.Relationship) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	sort.Strings(out)
	return out
}

// sameStrings compares two lists as sets of lines, leaving both as they are.
func sameStrings(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}

// Drift made directly in SpiceDB — a lost tuple, a stray grant, stray
// objects — is reported exactly, repaired, and another organization's
// relationships are neither reported nor touched.
func TestReconcileDetectsAndRepairsDrift(t *testing.T) {
	forEachBackendOnly(t, func(t *testing.T, b backend) {
		srv := outboxServer(t, b, server.Config{})
		ctx := context.Background()
		w := newWorld(t, srv.Service, 11)
		other := newWorld(t, srv.Service, 12)
		ev, err := srv.Service.CreateEvaluation(ctx, w.owner, domain.CreateEvaluationInput{InteractionID: w.inters[0], AgentID: w.members[0], Score: 80})
		if err != nil {
			t.Fatal(err)
		}
		rc := reconciler(srv)

		for _, o := range []string{w.org, other.org} {
			rep, err := rc.Org(ctx, o, false)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Drift.Empty() || len(rep.Conflicts) > 0 {
				t.Fatalf("drift right after the changes of a healthy run in %s: %s %v", o, rep.Drift, rep.Conflicts)
			}
			if rep.Expected < 100 || rep.Actual != rep.Expected {
				t.Fatalf("%s: %d relationships expected, %d in SpiceDB", o, rep.Expected, rep.Actual)
			}
		}

		// Which member reads which interaction, straight from SpiceDB,
		// fully consistent (direct writes bypass the organization's token).
		reads := func(member, inter string) bool {
			resp, err := srv.SpiceDB.Client.CheckPermission(ctx, &v1.CheckPermissionRequest{
				Consistency: &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}},
				Resource:    &v1.ObjectReference{ObjectType: rels.TypeInteraction, ObjectId: inter},
				Permission:  "interactions_read",
				Subject:     &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: member}},
			})
			if err != nil {
				t.Fatal(err)
			}
			return resp.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION
		}
		// Member 1 neither owns call 0 nor is assigned to it, and belongs to
		// the other team: the custom role grants nothing yet.
		if reads(w.members[1], w.inters[0]) {
			t.Fatal("member 1 reads call 0 before any drift")
		}

		owner0 := fmt.Sprintf("interaction:%s#owner@member:%s", w.inters[0], w.members[0])
		lost := []string{owner0, fmt.Sprintf("evaluation:%s#agent@member:%s", ev.ID, w.members[0])}
		stray := []string{
			// An escalation nobody made: the custom role reads everything.
			fmt.Sprintf("grant:%s#all@role:%s#assignee", rels.GrantID(w.org, "interactions.read"), w.custom),
			// A stray object the store never had, tied to the organization.
			fmt.Sprintf("interaction:int_strayaaaaaaaaaaaaaaaa#org@organization:%s", w.org),
			fmt.Sprintf("interaction:int_strayaaaaaaaaaaaaaaaa#owner@member:%s", w.members[1]),
			// A role the store never had, named by one of the org's grants.
			fmt.Sprintf("grant:%s#team@role:role_ghostaaaaaaaaaaaaaaa#assignee", rels.GrantID(w.org, "members.write")),
			fmt.Sprintf("role:role_ghostaaaaaaaaaaaaaaa#assignee@member:%s", w.members[2]),
			// A stray tuple on a real member.
			fmt.Sprintf("member:%s#team@team:%s", w.members[3], w.teams[1-3%2]),
		}
		// The other organization's drift, and one of its interactions also
		// claiming to be ours: a conflict, never written by our reconcile.
		otherStray := fmt.Sprintf("interaction:%s#assignee@member:%s", other.inters[1], other.members[0])
		conflict := fmt.Sprintf("interaction:%s#org@organization:%s", other.inters[2], w.org)
		var del, add []rels.Relationship
		for _, s := range lost {
			del = append(del, tuple(s))
		}
		for _, s := range append(append([]string{}, stray...), otherStray, conflict) {
			add = append(add, tuple(s))
		}
		write(t, srv, v1.RelationshipUpdate_OPERATION_DELETE, del...)
		write(t, srv, v1.RelationshipUpdate_OPERATION_TOUCH, add...)
		if !reads(w.members[1], w.inters[0]) {
			t.Fatal("the stray grant did not take effect: the test does not test anything")
		}

		for round := 0; round < 2; round++ { // a dry run changes nothing
			rep, err := rc.Org(ctx, w.org, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := tupleStrings(rep.Drift.Missing); !sameStrings(got, append([]string{}, lost...)) {
				t.Fatalf("round %d: missing = %v, want %v", round, got, lost)
			}
			if got := tupleStrings(rep.Drift.Extra); !sameStrings(got, append([]string{}, stray...)) {
				t.Fatalf("round %d: extra = %v, want %v", round, got, stray)
			}
			if len(rep.Conflicts) != 1 || rep.Conflicts[0].Object != "interaction:"+other.inters[2] {
				t.Fatalf("round %d: conflicts = %v, want interaction:%s", round, rep.Conflicts, other.inters[2])
			}
			if rep.Repaired {
				t.Fatal("a dry run repaired")
			}
		}

		// Warm the server's decision cache with the wrong allow, then repair:
		// the repair bumps the revision, so the cached allow is never served.
		cachedReads := func() bool {
			ok, err := srv.Service.Can(domain.WithMemo(ctx), domain.Caller{OrgID: w.org, MemberID: w.members[1]}, "interactions.read", w.inters[0], "")
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !cachedReads() || !cachedReads() {
			// at_least_as_fresh may read a revision older than the
			// direct write; the cache then holds a deny, which is fine.
			t.Log("the server did not (yet) see the drifted grant")
		}
		var out strings.Builder
		sum, err := rc.All(ctx, []string{w.org}, true, true, &out)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("reconcile --repair:\n%s", out.String())
		if sum.Drifted != 1 || sum.Unrepaired != 0 || sum.Missing != len(lost) || sum.Extra != len(stray) {
			t.Fatalf("summary %+v", sum)
		}
		if reads(w.members[1], w.inters[0]) || cachedReads() {
			t.Fatal("after the repair, the stray grant still allows")
		}
		rep, err := rc.Org(ctx, w.org, false)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Drift.Empty() {
			t.Fatalf("drift after repair: %s", rep.Drift)
		}

		// The other organization was not touched: its stray tuple is still
		// there; its own reconcile finds it and the tuple claiming its
		// interaction for us, and repairs both.
		rep, err = rc.Org(ctx, other.org, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := tupleStrings(rep.Drift.Extra); !sameStrings(got, []string{otherStray, conflict}) {
			t.Fatalf("other organization: extra = %v, want %v", got, []string{otherStray, conflict})
		}
		if len(rep.Drift.Missing) != 0 || !rep.After.Empty() {
			t.Fatalf("other organization: %s; after repair %s", rep.Drift, rep.After)
		}
		rep, err = rc.Org(ctx, w.org, false)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Drift.Empty() || len(rep.Conflicts) != 0 {
			t.Fatalf("after both repairs: %s, conflicts %v", rep.Drift, rep.Conflicts)
		}
	})
}

// forEachBackendOnly runs f per backend, leaving the server to f.
func forEachBackendOnly(t *testing.T, f func(t *testing.T, b backend)) {
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) { f(t, b) })
	}
}

// failingWrites makes an outbox applier's SpiceDB writes fail while on (as
// if SpiceDB were unreachable from that process); point is its fail point
// (outbox.WithFailPoint).
type failingWrites struct{ on atomic.Bool }

var errInjected = errors.New("injected: SpiceDB write refused")

func (f *failingWrites) point(stage string) error {
	if f.on.Load() && stage == "write" {
		return fmt.Errorf("%w (%w)", authz.ErrUnavailable, errInjected)
	}
	return nil
}

// Changes committed but not yet applied (the outbox) are applied before
// comparing: they are not reported as drift, and without that step they
// would have been.
func TestReconcileAppliesPendingOutboxFirst(t *testing.T) {
	forEachBackendOnly(t, func(t *testing.T, b backend) {
		fw := &failingWrites{}
		srv := outboxServer(t, b, withOutbox(outbox.WithFailPoint(fw.point)))
		ctx := context.Background()
		w := newWorld(t, srv.Service, 21)
		fw.on.Store(true)
		// Changes while SpiceDB "is down": committed, queued, UNAVAILABLE.
		if _, err := srv.Service.SetRoleGrants(ctx, w.owner, w.custom, []model.Grant{{Permission: "interactions.read", Scope: model.ScopeAll}}); !errs.Is(err, errs.Unavailable) {
			t.Fatalf("setRoleGrants while SpiceDB writes fail: %v, want UNAVAILABLE", err)
		}
		if err := srv.Service.DeleteInteraction(ctx, w.owner, w.inters[3]); !errs.Is(err, errs.Unavailable) {
			t.Fatalf("deleteInteraction while SpiceDB writes fail: %v, want UNAVAILABLE", err)
		}
		pending, err := srv.Store.PendingOutbox(ctx, w.org, 0)
		if err != nil || len(pending) == 0 {
			t.Fatalf("no pending outbox entries (%v)", err)
		}
		// Compared naively, the queued changes look like drift.
		expected, err := reconcile.Expected(ctx, srv.Store, catalog.Default(), w.org)
		if err != nil {
			t.Fatal(err)
		}
		actual, _, err := reconcile.Actual(ctx, srv.SpiceDB.Client, w.org, expected)
		if err != nil {
			t.Fatal(err)
		}
		if naive := reconcile.Diff(expected, actual); naive.Empty() {
			t.Fatal("pending entries made no difference: the test does not test anything")
		} else {
			t.Logf("a naive compare with %d pending entries: %s", len(pending), naive)
		}
		rep, err := reconciler(srv).Org(ctx, w.org, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Pending != len(pending) || !rep.Drift.Empty() {
			t.Fatalf("reconcile applied %d pending (want %d) and found %s", rep.Pending, len(pending), rep.Drift)
		}
		if left, _ := srv.Store.PendingOutbox(ctx, w.org, 0); len(left) != 0 {
			t.Fatalf("%d entries still pending", len(left))
		}
	})
}

// writeCounter counts WriteRelationships calls and their sizes.
type writeCounter struct {
	mu    sync.Mutex
	sizes []int
}

func (c *writeCounter) interceptor() grpc.DialOption {
	return grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if w, ok := req.(*v1.WriteRelationshipsRequest); ok {
			c.mu.Lock()
			c.sizes = append(c.sizes, len(w.Updates))
			c.mu.Unlock()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	})
}

func (c *writeCounter) reset() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sizes
	c.sizes = nil
	return s
}

// An organization whose pending outbox holds more than SpiceDB takes in one
// call (1000 updates) is applied in chunks, every one within the limit, and
// ends up exactly as the store says.
func TestOutboxLargeBatchIsChunked(t *testing.T) {
	wc := &writeCounter{}
	cfg := server.Config{}
	cfg.SpiceDB.DialOptions = []grpc.DialOption{wc.interceptor()}
	srv := outboxServer(t, postgresBackend, cfg)
	ctx := context.Background()
	w := newWorld(t, srv.Service, 31)

	// SpiceDB itself refuses a call over the limit: chunking is required.
	var tooMany []*v1.RelationshipUpdate
	for i := 0; i <= authz.MaxUpdatesPerWrite; i++ {
		tooMany = append(tooMany, &v1.RelationshipUpdate{Operation: v1.RelationshipUpdate_OPERATION_TOUCH, Relationship: &v1.Relationship{
			Resource: &v1.ObjectReference{ObjectType: rels.TypeInteraction, ObjectId: fmt.Sprintf("int_limit%d", i)},
			Relation: "org", Subject: &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeOrganization, ObjectId: "org_limitprobe"}}}})
	}
	if _, err := srv.SpiceDB.Client.WriteRelationships(ctx, &v1.WriteRelationshipsRequest{Updates: tooMany}); err == nil {
		t.Fatalf("SpiceDB accepted %d updates in one call", len(tooMany))
	}

	// 500 interactions committed in one transaction with their outbox
	// entries (as a bulk import would), none applied yet.
	const n = 500
	err := srv.Store.InTx(ctx, func(tx store.Tx) error {
		var updates []rels.Update
		for i := 0; i < n; i++ {
			it := &model.Interaction{ID: ids.New(ids.Interaction), OrgID: w.org, Title: fmt.Sprintf("bulk %d", i),
				OwnerID: w.members[i%len(w.members)], TeamID: w.teams[i%2], CreatedAt: time.Now().UTC(),
				AssigneeIDs: []string{w.members[(i+1)%len(w.members)]}}
			if err := tx.CreateInteraction(ctx, it); err != nil {
				return err
			}
			updates = append(updates, rels.Touches(rels.Interaction(it))...)
		}
		return tx.Enqueue(ctx, w.org, updates)
	})
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := srv.Store.PendingOutbox(ctx, w.org, 0)
	if len(pending) <= authz.MaxUpdatesPerWrite {
		t.Fatalf("only %d pending updates", len(pending))
	}
	wc.reset()
	if err := srv.Outbox.Flush(ctx, w.org); err != nil {
		t.Fatal(err)
	}
	sizes := wc.reset()
	total := 0
	for _, s := range sizes {
		total += s
		if s > authz.MaxUpdatesPerWrite {
			t.Fatalf("a WriteRelationships call carried %d updates", s)
		}
	}
	if len(sizes) < 2 || total != len(pending) {
		t.Fatalf("%d pending updates went out in %d calls %v (%d updates)", len(pending), len(sizes), sizes, total)
	}
	t.Logf("%d pending updates applied in %d WriteRelationships calls: %v", len(pending), len(sizes), sizes)
	rep, err := reconciler(srv).Org(ctx, w.org, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Drift.Empty() || rep.Pending != 0 {
		t.Fatalf("after the chunked apply: %d pending, %s", rep.Pending, rep.Drift)
	}

	// A repair larger than one call is chunked too.
	var drop []rels.Relationship
	is, _ := srv.Store.ListInteractions(ctx, w.org, store.Page{Limit: n})
	for _, it := range is {
		drop = append(drop, rels.Interaction(it).Sorted()...)
	}
	for start := 0; start < len(drop); start += authz.MaxUpdatesPerWrite {
		write(t, srv, v1.RelationshipUpdate_OPERATION_DELETE, drop[start:min(start+authz.MaxUpdatesPerWrite, len(drop))]...)
	}
	wc.reset()
	rep, err = reconciler(srv).Org(ctx, w.org, true)
	if err != nil {
		t.Fatal(err)
	}
	sizes = wc.reset()
	if len(rep.Drift.Missing) != len(drop) || !rep.After.Empty() {
		t.Fatalf("repair of %d deleted tuples: %s; after %s", len(drop), rep.Drift, rep.After)
	}
	for _, s := range sizes {
		if s > authz.MaxUpdatesPerWrite {
			t.Fatalf("a repair call carried %d updates", s)
		}
	}
	t.Logf("repair of %d missing tuples in %d calls: %v", len(drop), len(sizes), sizes)
}

// ---- killing the applier ----

// killer makes an outbox applier "die" once at an armed point: the n-th
// time it reaches stage. Dying is returning an error there: nothing after
// that point of the apply runs, exactly as if the process had been killed.
type killer struct {
	mu        sync.Mutex
	stage     string
	countdown int
	always    bool // fail every time (SpiceDB unreachable for this process)
	chunks    int
	fired     map[string]int // deaths by where they happened
}

var errKilled = errors.New("killed by the test")

func (k *killer) arm(stage string, countdown int, always bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stage, k.countdown, k.always = stage, countdown, always
}

func (k *killer) disarm() { k.arm("", 0, false) }

func (k *killer) point(stage string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	written := k.chunks // chunks this apply already wrote
	switch stage {
	case "write":
		k.chunks++
	case "mark":
		k.chunks = 0
	}
	if k.stage == "" || stage != k.stage {
		return nil
	}
	if k.always {
		k.chunks = 0
		return fmt.Errorf("%w: %w", authz.ErrUnavailable, errKilled)
	}
	if k.countdown > 0 {
		k.countdown--
		return nil
	}
	k.chunks = 0
	where := map[string]string{"mark": "after SpiceDB write, before MarkApplied", "remember": "after MarkApplied"}[stage]
	if stage == "write" {
		where = "before the first write"
		if written > 0 {
			where = "between write chunks"
		}
	}
	k.fired[where]++
	k.stage = ""
	return fmt.Errorf("%w: %w", authz.ErrUnavailable, errKilled)
}

func (k *killer) total() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, v := range k.fired {
		n += v
	}
	return n
}

// mutator drives random changes as the owner, tolerating the outcomes a
// healthy service may give: refusals, and UNAVAILABLE when the change was
// committed but its apply died (queued for the applier).
type mutator struct {
	t     *testing.T
	svc   *domain.Service
	st    store.Store
	rng   *rand.Rand
	w     *world
	n     int
	queue int // changes answered UNAVAILABLE (saved and queued)
	// forbidden counts changes the owner was refused while an ownership
	// change was still queued.
	forbidden int
}

func (m *mutator) refresh(ctx context.Context) (members, teams, inters []string) {
	ms, err := m.st.ListMembers(ctx, m.w.org, store.MemberFilter{})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, x := range ms {
		if x.ID != m.w.owner.MemberID {
			members = append(members, x.ID)
		}
	}
	ts, err := m.st.ListTeams(ctx, m.w.org)
	if err != nil {
		m.t.Fatal(err)
	}
	for _, x := range ts {
		teams = append(teams, x.ID)
	}
	is, err := m.st.ListInteractions(ctx, m.w.org, store.Page{})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, x := range is {
		inters = append(inters, x.ID)
	}
	return
}

func (m *mutator) step(ctx context.Context) {
	members, teams, inters := m.refresh(ctx)
	pick := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[m.rng.IntN(len(s))]
	}
	owner := m.w.owner
	mem, team, inter := pick(members), pick(teams), pick(inters)
	var err error
	var what string
	switch m.rng.IntN(13) {
	case 0:
		var gs []model.Grant
		for _, p := range randomPerms {
			a, _ := m.svc.Catalog().Action(p)
			scopes := append([]model.Scope{model.ScopeDisabled}, a.Scopes...)
			if sc := scopes[m.rng.IntN(len(scopes))]; sc != model.ScopeDisabled {
				gs = append(gs, model.Grant{Permission: p, Scope: sc})
			}
		}
		what = "setRoleGrants"
		_, err = m.svc.SetRoleGrants(ctx, owner, m.w.custom, gs)
	case 1:
		keys := []string{"recorder", "manager", "agent", "analyst"}
		roles := []string{m.w.custom, m.w.roles[keys[m.rng.IntN(len(keys))]]}[:1+m.rng.IntN(2)]
		what = "setMemberRoles"
		_, err = m.svc.SetMemberRoles(ctx, owner, mem, roles)
	case 2:
		what = "addTeamMember"
		_, err = m.svc.AddTeamMember(ctx, owner, team, mem, m.rng.IntN(2) == 0)
	case 3:
		what = "removeTeamMember"
		_, err = m.svc.RemoveTeamMember(ctx, owner, team, mem)
	case 4:
		if m.rng.IntN(2) == 0 {
			what = "assignSeat"
			_, err = m.svc.AssignSeat(ctx, owner, mem, model.SeatRecorder)
		} else {
			what = "releaseSeat"
			_, err = m.svc.ReleaseSeat(ctx, owner, mem, model.SeatRecorder)
		}
	case 5:
		p := []model.Product{model.ProductConversations, model.ProductQuality, model.ProductAI}[m.rng.IntN(3)]
		if m.rng.IntN(2) == 0 {
			what = "disableProduct"
			_, err = m.svc.DisableProduct(ctx, owner, p)
		} else {
			what = "enableProduct"
			_, err = m.svc.EnableProduct(ctx, owner, p)
		}
	case 6:
		if m.rng.IntN(2) == 0 {
			what = "deactivate"
			_, err = m.svc.DeactivateMember(ctx, owner, mem)
		} else {
			what = "reactivate"
			_, err = m.svc.ReactivateMember(ctx, owner, mem)
		}
	case 7:
		what = "createInteraction"
		in := domain.CreateInteractionInput{Title: "call", OwnerID: mem, TeamID: team}
		if m.rng.IntN(2) == 0 {
			in.AssigneeIDs = []string{pick(members)}
		}
		_, err = m.svc.CreateInteraction(ctx, owner, in)
	case 8:
		if len(inters) < 8 {
			return
		}
		what = "deleteInteraction"
		err = m.svc.DeleteInteraction(ctx, owner, inter)
	case 9:
		what = "createEvaluation"
		_, err = m.svc.CreateEvaluation(ctx, owner, domain.CreateEvaluationInput{InteractionID: inter, AgentID: mem, Score: m.rng.IntN(101)})
	case 10:
		if len(teams) > 4 {
			what = "deleteTeam"
			err = m.svc.DeleteTeam(ctx, owner, team)
		} else {
			what = "createTeam"
			in := domain.CreateTeamInput{Name: fmt.Sprintf("team %d", m.rng.Int64())}
			if m.rng.IntN(2) == 0 {
				in.ParentID = team
			}
			_, err = m.svc.CreateTeam(ctx, owner, in)
		}
	case 11:
		if len(members) > 8 {
			what = "removeMember"
			err = m.svc.RemoveMember(ctx, owner, mem)
		} else {
			what = "inviteMember"
			var tok string
			_, tok, err = m.svc.InviteMember(ctx, owner, domain.InviteMemberInput{Email: fmt.Sprintf("k%d@random.example", m.rng.Int64()),
				Name: "K", RoleIDs: []string{m.w.custom}, TeamIDs: []string{team}})
			if err == nil && m.rng.IntN(3) > 0 {
				what = "acceptInvitation"
				_, err = m.svc.AcceptInvitation(ctx, tok, "", "")
			}
		}
	case 12:
		what = "transferOwnership"
		// Ownership goes out and comes straight back, so the owner the
		// mutator acts as stays the owner.
		// UNAVAILABLE means either "saved and queued" or "nothing was
		// changed" (earlier changes still being applied): the store says which.
		_, err = m.svc.TransferOwnership(ctx, owner, mem)
		if err != nil && errs.Is(err, errs.Unavailable) {
			if o, gerr := m.st.GetOrganization(ctx, m.w.org); gerr != nil || o.OwnerID != mem {
				break
			}
		}
		if err == nil || errs.Is(err, errs.Unavailable) {
			m.count(what, err)
			_, err = m.svc.TransferOwnership(ctx, domain.Caller{OrgID: m.w.org, MemberID: mem}, owner.MemberID)
			if err != nil && !errs.Is(err, errs.Unavailable) {
				m.t.Fatalf("transferring ownership back: %v", err)
			}
		}
	}
	m.count(what, err)
}

func (m *mutator) count(what string, err error) {
	m.n++
	if err == nil {
		return
	}
	e, ok := errs.As(err)
	if !ok {
		m.t.Fatalf("%s: %v", what, err)
	}
	switch e.Code {
	case errs.Unavailable:
		m.queue++
	case errs.BadUserInput, errs.Conflict, errs.SeatLimit, errs.SeatRequired, errs.ProductDisabled:
	case errs.Forbidden:
		// While an ownership hand-back is queued, SpiceDB still names the
		// other member as owner, and the owner is refused until it is
		// applied (failing closed, as it should).
		m.forbidden++
	default:
		m.t.Fatalf("%s: %v", what, err)
	}
}

// The applier dies at random points — before a SpiceDB write, between the
// chunks of one apply, after SpiceDB took the updates but before the outbox
// was marked, after marking, or when its context is cancelled mid-call —
// while changes keep committing. After every death a restarted applier
// flushes, and reconcile must find zero drift. Reconciles also run while
// the trial is in flight: they must never report drift either.
func TestOutboxKillApplier(t *testing.T) {
	// The service's own flushes (one per change) die at the armed point;
	// small chunks put chunk boundaries inside ordinary changes.
	dk := &killer{fired: map[string]int{}}
	srv := outboxServer(t, postgresBackend, withOutbox(outbox.WithFailPoint(dk.point), outbox.WithWriteChunk(3)))
	ctx := context.Background()
	w := newWorld(t, srv.Service, 41)
	// A background applier, as Run in another replica.
	bk := &killer{fired: map[string]int{}}
	bg := applier(srv, outbox.WithFailPoint(bk.point))
	rc := reconciler(srv)
	m := &mutator{t: t, svc: srv.Service, st: srv.Store, rng: rand.New(rand.NewPCG(41, 2)), w: w}
	rng := rand.New(rand.NewPCG(41, 3))

	// Trials go on until minTrials of them killed an applier: about two in
	// five do, so maxTrials is only a bound (250 once ended at 93 deaths).
	minTrials, maxTrials := 100, 600
	if faultLong() {
		minTrials, maxTrials = 500, 1200
	}
	stages := []string{"write", "write-later-chunk", "mark", "remember", "cancel"}
	var trials, cancels, cancelKills, liveReconciles, drifted int
	started := time.Now()
	for trials = 0; trials < maxTrials && (trials < minTrials || dk.total()+bk.total()+cancelKills < minTrials); trials++ {
		stage := stages[rng.IntN(len(stages))]
		target := dk
		if stage != "cancel" && rng.IntN(3) == 0 {
			// The background applier dies: the service cannot reach
			// SpiceDB, so everything queues for the background applier.
			target = bk
			dk.arm("write", 0, true)
		}
		switch stage {
		case "write-later-chunk": // a later chunk, or a later apply
			target.arm("write", 1+rng.IntN(3), false)
		case "cancel":
			dk.arm("write", 0, true) // the service cannot reach SpiceDB: everything queues
		default:
			target.arm(stage, rng.IntN(2), false)
		}

		// Changes, with the background applier looping concurrently.
		bgCtx, stopBG := context.WithCancel(ctx)
		var bgDone sync.WaitGroup
		if stage != "cancel" {
			bgDone.Add(1)
			go func() {
				defer bgDone.Done()
				for bgCtx.Err() == nil {
					_ = bg.FlushAll(bgCtx)
					time.Sleep(time.Duration(rng2(trials)) * time.Millisecond)
				}
			}()
		}
		live := trials%4 == 1
		var liveErr error
		var liveDone sync.WaitGroup
		if live {
			liveDone.Add(1)
			go func() {
				defer liveDone.Done()
				rep, err := rc.Org(ctx, w.org, false)
				if err == nil && !rep.Drift.Empty() {
					err = fmt.Errorf("drift while changes were in flight: %s", rep.Drift)
				}
				if !errors.Is(err, reconcile.ErrBusy) {
					liveErr = err
				}
			}()
		}
		for i, k := 0, 2+rng.IntN(5); i < k; i++ {
			m.step(ctx)
		}
		stopBG()
		bgDone.Wait()
		liveDone.Wait()
		if liveErr != nil {
			t.Fatalf("trial %d (%s): live reconcile: %v", trials, stage, liveErr)
		}
		if live {
			liveReconciles++
		}

		if stage == "cancel" {
			// Another replica's applier is cut off at a random moment.
			cancels++
			cctx, cancel := context.WithTimeout(ctx, time.Duration(rng.IntN(8000))*time.Microsecond)
			if err := bg.FlushAll(cctx); err != nil {
				cancelKills++
			}
			cancel()
		}
		dk.disarm()
		bk.disarm()

		// Restart: a new process flushes what is pending.
		if err := applier(srv).FlushAll(ctx); err != nil {
			t.Fatalf("trial %d (%s): flush after restart: %v", trials, stage, err)
		}
		rep, err := rc.Org(ctx, w.org, false)
		if err != nil {
			t.Fatalf("trial %d (%s): reconcile: %v", trials, stage, err)
		}
		if rep.Pending != 0 {
			t.Fatalf("trial %d (%s): %d entries pending after the restarted flush", trials, stage, rep.Pending)
		}
		if !rep.Drift.Empty() || len(rep.Conflicts) > 0 {
			drifted++
			t.Errorf("trial %d (%s): drift after the kill: %s %v", trials, stage, rep.Drift, rep.Conflicts)
			if _, err := rc.Org(ctx, w.org, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	kills := dk.total() + bk.total() + cancelKills
	t.Logf("%d trials in %s: %d changes (%d answered UNAVAILABLE: saved and queued; %d refused while an ownership change was queued); %d applier deaths "+
		"(service applier %v, background applier %v, %d of %d cancellations interrupted an apply); "+
		"%d reconciles during trials; drift after kills: %d",
		trials, time.Since(started).Round(time.Millisecond), m.n, m.queue, m.forbidden, kills, dk.fired, bk.fired, cancelKills, cancels,
		liveReconciles, drifted)
	if kills < minTrials {
		t.Fatalf("only %d applier deaths in %d trials", kills, trials)
	}
}

// rng2 is the background applier's pause (ms), varied per trial.
func rng2(trial int) int { return trial % 5 }
