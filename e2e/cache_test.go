package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/outbox"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// redisURL is the Redis the cache tests share; keys carry random
// organization ids, so runs never see each other's entries.
func redisURL() string {
	if u := os.Getenv("ROLEGRAPH_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// startServer starts a rolegraph from a config, for tests that need more
// than one replica.
func startServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	lean(&cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := cfg.Complete(ctx)
	if err != nil {
		t.Fatalf("starting rolegraph: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// uncachedService is a domain service over srv's store and SpiceDB that
// asks SpiceDB every question: its own Authz (no cache, no remembered
// tokens) and its own outbox applier (no test hooks).
func uncachedService(srv *server.Server) *domain.Service {
	az := authz.New(srv.SpiceDB.Client)
	return domain.New(srv.Store, az, outbox.New(srv.Store, az), catalog.Default(), nil)
}

// world is a randomized organization driven through the domain service.
type world struct {
	t       *testing.T
	rng     *rand.Rand
	svc     *domain.Service
	org     string
	owner   domain.Caller
	members []string
	roles   map[string]string
	custom  string
	teams   []string
	inters  []string
}

func newWorld(t *testing.T, svc *domain.Service, seed uint64) *world {
	ctx := context.Background()
	w := &world{t: t, rng: rand.New(rand.NewPCG(seed, 1)), svc: svc, roles: map[string]string{}}
	org, owner, err := svc.CreateOrganization(ctx, domain.CreateOrganizationInput{Name: "Random", Plan: model.PlanPro,
		OwnerEmail: "owner@random.example", OwnerName: "Owner", SeatTotals: map[model.SeatKind]int{model.SeatRecorder: 100}})
	if err != nil {
		t.Fatal(err)
	}
	w.org, w.owner = org.ID, domain.Caller{OrgID: org.ID, MemberID: owner.ID}
	roles, err := svc.Roles(ctx, w.owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		w.roles[r.Key] = r.ID
	}
	custom, err := svc.CreateRole(ctx, w.owner, domain.CreateRoleInput{Name: "Random role"})
	if err != nil {
		t.Fatal(err)
	}
	w.custom = custom.ID
	parent, err := svc.CreateTeam(ctx, w.owner, domain.CreateTeamInput{Name: "Parent"})
	if err != nil {
		t.Fatal(err)
	}
	child, err := svc.CreateTeam(ctx, w.owner, domain.CreateTeamInput{Name: "Child", ParentID: parent.ID})
	if err != nil {
		t.Fatal(err)
	}
	w.teams = []string{parent.ID, child.ID}
	for i := 0; i < 6; i++ {
		m, tok, err := svc.InviteMember(ctx, w.owner, domain.InviteMemberInput{Email: fmt.Sprintf("m%d@random.example", i),
			Name: fmt.Sprintf("M%d", i), RoleIDs: []string{w.custom}, TeamIDs: []string{w.teams[i%2]}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AcceptInvitation(ctx, tok, "", ""); err != nil {
			t.Fatal(err)
		}
		w.members = append(w.members, m.ID)
	}
	for i := 0; i < 12; i++ {
		in := domain.CreateInteractionInput{Title: fmt.Sprintf("call %d", i), OwnerID: w.members[i%len(w.members)],
			TeamID: w.teams[i%2]}
		if i%3 == 0 {
			in.AssigneeIDs = []string{w.members[(i+1)%len(w.members)]}
		}
		it, err := svc.CreateInteraction(ctx, w.owner, in)
		if err != nil {
			t.Fatal(err)
		}
		w.inters = append(w.inters, it.ID)
	}
	return w
}

var randomPerms = []string{"interactions.read", "interactions.download", "interactions.delete", "interactions.record", "members.write"}

// step makes one random change: a role edit, a role assignment, a team or
// seat change, a product switch, a (de)activation.
func (w *world) step(ctx context.Context) string {
	m := w.members[w.rng.IntN(len(w.members))]
	pick := func(s []model.Scope) model.Scope { return s[w.rng.IntN(len(s))] }
	var err error
	var what string
	switch w.rng.IntN(7) {
	case 0:
		var gs []model.Grant
		for _, p := range randomPerms {
			a, _ := w.svc.Catalog().Action(p)
			if sc := pick(append([]model.Scope{model.ScopeDisabled}, a.Scopes...)); sc != model.ScopeDisabled {
				gs = append(gs, model.Grant{Permission: p, Scope: sc})
			}
		}
		what = fmt.Sprintf("setRoleGrants %v", gs)
		_, err = w.svc.SetRoleGrants(ctx, w.owner, w.custom, gs)
	case 1:
		keys := []string{"recorder", "manager", "agent", "analyst"}
		roles := []string{w.custom}
		if w.rng.IntN(2) == 0 {
			roles = []string{w.roles[keys[w.rng.IntN(len(keys))]]}
		}
		what = "setMemberRoles " + m
		_, err = w.svc.SetMemberRoles(ctx, w.owner, m, roles)
	case 2:
		what = "addTeamMember " + m
		_, err = w.svc.AddTeamMember(ctx, w.owner, w.teams[w.rng.IntN(2)], m, w.rng.IntN(2) == 0)
	case 3:
		what = "removeTeamMember " + m
		_, err = w.svc.RemoveTeamMember(ctx, w.owner, w.teams[w.rng.IntN(2)], m)
	case 4:
		if w.rng.IntN(2) == 0 {
			what = "assignSeat " + m
			_, err = w.svc.AssignSeat(ctx, w.owner, m, model.SeatRecorder)
		} else {
			what = "releaseSeat " + m
			_, err = w.svc.ReleaseSeat(ctx, w.owner, m, model.SeatRecorder)
		}
	case 5:
		if w.rng.IntN(2) == 0 {
			what = "disableProduct"
			_, err = w.svc.DisableProduct(ctx, w.owner, model.ProductConversations)
		} else {
			what = "enableProduct"
			_, err = w.svc.EnableProduct(ctx, w.owner, model.ProductConversations)
		}
	case 6:
		if w.rng.IntN(2) == 0 {
			what = "deactivate " + m
			_, err = w.svc.DeactivateMember(ctx, w.owner, m)
		} else {
			what = "reactivate " + m
			_, err = w.svc.ReactivateMember(ctx, w.owner, m)
		}
	}
	// Refusals (removing a member from a team they are not in, reactivating
	// an active member) are part of the sequence; anything else is a failure.
	if err != nil && !strings.Contains(err.Error(), "not in that team") && !strings.Contains(err.Error(), "not DEACTIVATED") &&
		!strings.Contains(err.Error(), "is deactivated") {
		w.t.Fatalf("%s: %v", what, err)
	}
	return what
}

// questions are every (member, interaction, permission) plus grant-level
// checks, asked of the service as the organization's owner sees them.
func (w *world) answers(ctx context.Context, svc *domain.Service) []bool {
	var out []bool
	for _, m := range w.members {
		c := domain.Caller{OrgID: w.org, MemberID: m}
		flags, err := svc.ViewerCan(ctx, c, w.inters)
		if err != nil {
			w.t.Fatal(err)
		}
		for _, f := range flags {
			out = append(out, f.Read, f.Write, f.Delete, f.Download)
		}
		for _, p := range randomPerms {
			ok, err := svc.Can(domain.WithMemo(ctx), w.owner, p, "", m)
			if err != nil {
				w.t.Fatal(err)
			}
			out = append(out, ok)
		}
	}
	return out
}

// Cached answers (in-process and Redis layers) must equal SpiceDB's own on
// a randomized sequence of grants, revocations and checks — including the
// check right after each revocation.
func TestCachedAnswersEqualUncached(t *testing.T) {
	t.Parallel() // answers only (forEachBackendAtOnce)
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			cfg := server.Config{RedisURL: redisURL()}
			if b == postgresBackend {
				cfg.PostgresURL, cfg.SpiceDBDatastore = pgtest.NewDatabase(t), pgtest.NewDatabase(t)
			}
			srv := startServer(t, cfg)
			if srv.Cache == nil {
				t.Fatal("the server has no decision cache")
			}
			uncached := uncachedService(srv)
			ctx := context.Background()
			w := newWorld(t, srv.Service, 42)
			steps, compared := 60, 0
			if testing.Short() {
				steps = 15
			}
			for i := 0; i < steps; i++ {
				what := w.step(ctx)
				want := w.answers(ctx, uncached)
				for round := 0; round < 2; round++ { // the second round is answered from the cache
					got := w.answers(ctx, srv.Service)
					for k := range want {
						if got[k] != want[k] {
							t.Fatalf("step %d (%s), round %d: cached answer %d is %v, SpiceDB says %v", i, what, round, k, got[k], want[k])
						}
					}
					compared += len(want)
				}
			}
			t.Logf("%d steps, %d answers compared", steps, compared)
		})
	}
}

// A revocation through one replica is denied on the very next request
// through another replica sharing Postgres, SpiceDB's datastore and Redis.
func TestRevocationVisibleOnOtherReplica(t *testing.T) {
	cfg := server.Config{RedisURL: redisURL(), PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t)}
	a := startServer(t, cfg)
	b := startServer(t, cfg)
	ctx := context.Background()
	w := newWorld(t, a.Service, 7)
	member, target := w.members[0], w.inters[1] // member 0 neither owns nor is assigned call 1
	readAll := []model.Grant{{Permission: "interactions.read", Scope: model.ScopeAll}}
	check := func(svc *domain.Service) bool {
		ok, err := svc.Can(domain.WithMemo(ctx), domain.Caller{OrgID: w.org, MemberID: member}, "interactions.read", target, "")
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	stale := 0
	trials := 30
	for i := 0; i < trials; i++ {
		if _, err := a.Service.SetRoleGrants(ctx, w.owner, w.custom, readAll); err != nil {
			t.Fatal(err)
		}
		if !check(b.Service) || !check(b.Service) { // warm B's caches with the allow
			t.Fatalf("trial %d: grant not visible on replica B", i)
		}
		if _, err := a.Service.SetRoleGrants(ctx, w.owner, w.custom, nil); err != nil {
			t.Fatal(err)
		}
		if check(b.Service) {
			stale++
		}
	}
	if stale != 0 {
		t.Fatalf("%d of %d checks on replica B were stale after a revocation on A", stale, trials)
	}
}
