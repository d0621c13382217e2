package e2e

// Previews as a property (issue 12): over random organizations and random
// edits — a role's grants, a member's roles, a product switched — the
// preview equals what the change then does, measured through the API:
// each member's Member.grants before and after, and each active member's
// full visible sets of interactions and evaluations. A preview writes
// nothing: the organization's revision, its outbox and its audit log are
// the same after it. The change's payload (impact) equals the preview.
//
// Organizations are set up through the domain service (fast); previews,
// changes and measurements go through GraphQL.
//
// ROLEGRAPH_PREVIEW_CASES sets the number of cases per backend (default
// 500 on memory, 100 on Postgres), ROLEGRAPH_PREVIEW_WORKERS how many
// organizations are under test at once (default 2).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/server"
)

// accessState is what the API says of every member at one moment.
type accessState struct {
	grants       map[string]map[string]model.Scope // member → permission → scope (non-DISABLED)
	interactions map[string]map[string]bool        // member → readable interaction ids
	evaluations  map[string]map[string]bool
}

// previewOrg is one random organization under test.
type previewOrg struct {
	e       *env
	id      string
	owner   *client
	ownerID string
	members []*model.Member // every member but the owner
	roles   []*model.Role   // every role but the owner role
	active  map[string]bool // member → ACTIVE (owner included)
}

func TestPreviewProperty(t *testing.T) {
	t.Parallel() // answers only (forEachBackendAtOnce)
	for _, b := range backends() {
		t.Run(string(b), func(t *testing.T) { t.Parallel(); runPreviewProperty(t, b) })
	}
}

// newPatientEnv is newEnv with a decision timeout of a minute: the
// property asks thousands of questions, and on a shared, loaded machine a
// bulk check past the default 2 s would fail the test for the machine's
// sake, not the preview's.
func newPatientEnv(t *testing.T, b backend) *env {
	return newEnvOn(t, b, func(c *server.Config) { c.DecisionTimeout = time.Minute })
}

func runPreviewProperty(t *testing.T, b backend) {
	n := 500
	if b == postgresBackend {
		n = 100
	}
	if v, err := strconv.Atoi(os.Getenv("ROLEGRAPH_PREVIEW_CASES")); err == nil && v > 0 {
		n = v
	}
	workers := 2
	if v, err := strconv.Atoi(os.Getenv("ROLEGRAPH_PREVIEW_WORKERS")); err == nil && v > 0 {
		workers = v
	}
	const editsPerOrg = 20
	orgs := (n + editsPerOrg - 1) / editsPerOrg
	start := time.Now()
	var mu sync.Mutex
	counts := map[string]int{}
	affected, withCounts := 0, 0
	// Organizations are independent. They are tested in batches of
	// orgsPerServer on a server of their own, workers batches at once: both
	// cores stay busy while one batch waits on a request, and no datastore
	// grows past a few organizations (SpiceDB's memory datastore scans:
	// with 13 organizations a server, 500 cases cost 1.8× the CPU of 60
	// scaled up). Each organization has its own random source, so a
	// failing one replays alone (-run 'TestPreviewProperty/memory/batch_1/org_7').
	const orgsPerServer = 4
	next := make(chan int)
	go func() {
		defer close(next)
		for k := 0; k < orgs; k += orgsPerServer {
			next <- k
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for first := range next {
				t.Run(fmt.Sprintf("batch_%d", first/orgsPerServer), func(t *testing.T) {
					srv := newPatientEnv(t, b)
					for k := first; k < min(first+orgsPerServer, orgs); k++ {
						edits := min(editsPerOrg, n-k*editsPerOrg)
						t.Run(fmt.Sprintf("org_%d", k), func(t *testing.T) {
							e := &env{t: t, srv: srv.srv, url: srv.url}
							r := rand.New(rand.NewPCG(12, uint64(k)))
							o := newPreviewOrg(t, e, r, k)
							before := o.measure(t)
							for range edits {
								kind, diff, after := o.previewAndApply(t, r, before)
								mu.Lock()
								counts[kind]++
								affected += len(diff.Members)
								for _, m := range diff.Members {
									if m.InteractionsGained+m.InteractionsLost+m.EvaluationsGained+m.EvaluationsLost > 0 {
										withCounts++
									}
								}
								mu.Unlock()
								before = after
							}
						})
					}
				})
			}
		}()
	}
	wg.Wait()
	if !t.Failed() {
		t.Logf("preview property: %d cases (%v) in %d organizations, %d at once, in %s; %d member changes previewed, %d of them with visible-set counts; 0 mismatches",
			n, counts, orgs, workers, time.Since(start).Round(time.Millisecond), affected, withCounts)
	}
}

// newPreviewOrg makes a random small organization: custom roles with random
// grants, a team forest, members with random roles, teams (as members or
// managers) and seats, some deactivated, interactions and evaluations, and
// a random set of products left enabled.
func newPreviewOrg(t *testing.T, e *env, r *rand.Rand, k int) *previewOrg {
	t.Helper()
	ctx := context.Background()
	svc := e.srv.Service
	org, owner, err := svc.CreateOrganization(ctx, domain.CreateOrganizationInput{Name: fmt.Sprintf("Preview %d", k),
		Plan: model.PlanEnterprise, OwnerEmail: "owner@preview.example", OwnerName: "Owner"})
	if err != nil {
		t.Fatal(err)
	}
	oc := domain.Caller{OrgID: org.ID, MemberID: owner.ID}
	o := &previewOrg{e: e, id: org.ID, owner: e.as(org.ID, owner.ID), ownerID: owner.ID, active: map[string]bool{owner.ID: true}}
	gen := &escalationGen{r: r, actions: svc.Catalog().Actions()}
	for j := range 1 + r.IntN(2) {
		if _, err := svc.CreateRole(ctx, oc, domain.CreateRoleInput{Name: fmt.Sprintf("Custom %d", j), Grants: gen.randomGrants(0.4).list()}); err != nil {
			t.Fatal(err)
		}
	}
	roles, err := svc.Roles(ctx, oc)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range roles {
		if role.Key != catalog.RoleOwner {
			o.roles = append(o.roles, role)
		}
	}
	var teams []string
	for j := range 2 + r.IntN(3) {
		in := domain.CreateTeamInput{Name: fmt.Sprintf("Team %d", j)}
		if len(teams) > 0 && r.IntN(3) > 0 {
			in.ParentID = teams[r.IntN(len(teams))]
		}
		tm, err := svc.CreateTeam(ctx, oc, in)
		if err != nil {
			t.Fatal(err)
		}
		teams = append(teams, tm.ID)
	}
	for j := range 3 + r.IntN(3) {
		var roleIDs []string
		for _, x := range r.Perm(len(o.roles))[:1+r.IntN(2)] {
			roleIDs = append(roleIDs, o.roles[x].ID)
		}
		var seats []model.SeatKind
		if r.IntN(2) == 0 {
			seats = append(seats, model.SeatRecorder)
			if r.IntN(2) == 0 {
				seats = append(seats, model.SeatVoice)
			}
		}
		if r.IntN(4) == 0 {
			seats = append(seats, model.SeatContactCenter)
		}
		in := domain.InviteMemberInput{Email: fmt.Sprintf("m%d@preview.example", j), Name: fmt.Sprintf("Member %d", j), RoleIDs: roleIDs, Seats: seats}
		m, token, err := svc.InviteMember(ctx, oc, in)
		if err != nil && strings.Contains(err.Error(), "seat") {
			in.Seats = nil
			m, token, err = svc.InviteMember(ctx, oc, in)
		}
		if err != nil {
			t.Fatal(err)
		}
		if m, err = svc.AcceptInvitation(ctx, token, "", ""); err != nil {
			t.Fatal(err)
		}
		for _, x := range r.Perm(len(teams))[:r.IntN(3)] {
			if _, err := svc.AddTeamMember(ctx, oc, teams[x], m.ID, r.IntN(3) == 0); err != nil {
				t.Fatal(err)
			}
		}
		o.members = append(o.members, m)
		o.active[m.ID] = true
	}
	everyone := append([]string{owner.ID}, o.ids()...)
	var interactions []string
	for j := range 5 + r.IntN(6) {
		in := domain.CreateInteractionInput{Title: fmt.Sprintf("Call %d", j), OwnerID: o.members[r.IntN(len(o.members))].ID}
		if r.IntN(4) > 0 {
			in.TeamID = teams[r.IntN(len(teams))]
		}
		for _, x := range r.Perm(len(everyone))[:r.IntN(3)] {
			if everyone[x] != in.OwnerID {
				in.AssigneeIDs = append(in.AssigneeIDs, everyone[x])
			}
		}
		i, err := svc.CreateInteraction(ctx, oc, in)
		if err != nil {
			t.Fatal(err)
		}
		interactions = append(interactions, i.ID)
	}
	for range 3 + r.IntN(4) {
		in := domain.CreateEvaluationInput{InteractionID: interactions[r.IntN(len(interactions))],
			AgentID: o.members[r.IntN(len(o.members))].ID, Score: r.IntN(100)}
		if _, err := svc.CreateEvaluation(ctx, oc, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range o.members {
		if r.IntN(7) == 0 {
			if _, err := svc.DeactivateMember(ctx, oc, m.ID); err != nil {
				t.Fatal(err)
			}
			o.active[m.ID] = false
		}
	}
	for _, p := range model.AllProducts {
		if r.IntN(4) == 0 {
			if _, err := svc.DisableProduct(ctx, oc, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	return o
}

func (o *previewOrg) ids() []string {
	var out []string
	for _, m := range o.members {
		out = append(out, m.ID)
	}
	return out
}

// measure reads every member's effective grants (as the owner) and every
// active member's readable interactions and evaluations (as them).
func (o *previewOrg) measure(t *testing.T) *accessState {
	t.Helper()
	st := &accessState{grants: map[string]map[string]model.Scope{}, interactions: map[string]map[string]bool{}, evaluations: map[string]map[string]bool{}}
	d := o.owner.ok(`{ organization { members(first: 100) { edges { node { id grants { permission scope } } } } } }`, nil)
	for _, ed := range get(d, "organization", "members", "edges").([]any) {
		g := map[string]model.Scope{}
		for _, x := range get(ed, "node", "grants").([]any) {
			g[str(x, "permission")] = model.Scope(str(x, "scope"))
		}
		st.grants[str(ed, "node", "id")] = g
	}
	for id, active := range o.active {
		is, es := map[string]bool{}, map[string]bool{}
		if active {
			d := o.e.as(o.id, id).ok(`{ interactions(first: 200) { edges { node { id } } } evaluations(first: 200) { id } }`, nil)
			for _, ed := range get(d, "interactions", "edges").([]any) {
				is[str(ed, "node", "id")] = true
			}
			for _, ev := range get(d, "evaluations").([]any) {
				es[str(ev, "id")] = true
			}
		}
		st.interactions[id], st.evaluations[id] = is, es
	}
	return st
}

const accessDiffFields = `membersAffected members { member { id } gained { permission from to } lost { permission from to }
	interactionsGained interactionsLost evaluationsGained evaluationsLost }`

// previewAndApply picks a random edit, previews it, checks the preview
// wrote nothing, applies it, measures, and compares.
func (o *previewOrg) previewAndApply(t *testing.T, r *rand.Rand, before *accessState) (string, *domain.AccessDiff, *accessState) {
	t.Helper()
	var kind, preview, apply string
	var vars map[string]any
	switch x := r.IntN(10); {
	case x < 5:
		kind = "previewRoleGrants"
		role := o.roles[r.IntN(len(o.roles))]
		grants := o.editGrants(r, role)
		var gv []any
		for _, g := range grants {
			gv = append(gv, map[string]any{"permission": g.Permission, "scope": string(g.Scope)})
		}
		if gv == nil {
			gv = []any{}
		}
		vars = map[string]any{"r": role.ID, "g": gv}
		preview = `query($r: ID!, $g: [GrantInput!]!) { d: previewRoleGrants(roleId: $r, grants: $g) { ` + accessDiffFields + ` } }`
		apply = `mutation($r: ID!, $g: [GrantInput!]!) { d: setRoleGrants(roleId: $r, grants: $g) { id impact { ` + accessDiffFields + ` } } }`
		defer func() { role.Grants = catalog.Normalize(grants) }()
	case x < 8:
		kind = "previewMemberRoles"
		m := o.members[r.IntN(len(o.members))]
		var roleIDs []any
		for _, k := range r.Perm(len(o.roles))[:1+r.IntN(2)] {
			roleIDs = append(roleIDs, o.roles[k].ID)
		}
		vars = map[string]any{"m": m.ID, "r": roleIDs}
		preview = `query($m: ID!, $r: [ID!]!) { d: previewMemberRoles(memberId: $m, roleIds: $r) { ` + accessDiffFields + ` } }`
		apply = `mutation($m: ID!, $r: [ID!]!) { d: setMemberRoles(memberId: $m, roleIds: $r) { id impact { ` + accessDiffFields + ` } } }`
	default:
		kind = "previewProductChange"
		p := model.AllProducts[r.IntN(len(model.AllProducts))]
		on := r.IntN(2) == 0
		vars = map[string]any{"p": string(p), "on": on}
		preview = `query($p: Product!, $on: Boolean!) { d: previewProductChange(product: $p, enabled: $on) { ` + accessDiffFields + ` } }`
		apply = `mutation($p: Product!) { d: disableProduct(product: $p) { id impact { ` + accessDiffFields + ` } } }`
		if on {
			apply = `mutation($p: Product!) { d: enableProduct(product: $p) { id impact { ` + accessDiffFields + ` } } }`
		}
	}
	written := o.written(t)
	d := o.owner.ok(preview, vars)
	if now := o.written(t); now != written {
		t.Fatalf("%s wrote something: (revision, outbox, audit events) %s before, %s after", kind, written, now)
	}
	got := decodeDiff(get(d, "d"))
	a := o.owner.ok(apply, vars)
	// The change's payload says what it did: the very preview.
	if get(a, "d", "impact") == nil {
		t.Fatalf("%s %v: no impact on the change's payload", kind, vars)
	}
	if impact := decodeDiff(get(a, "d", "impact")); !reflect.DeepEqual(impact, got) {
		t.Fatalf("%s %v: the change's impact differs from its preview\npreview: %s\nimpact:  %s", kind, vars, diffString(got), diffString(impact))
	}
	after := o.measure(t)
	want := measuredDiff(before, after)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s %v: preview differs from what the change did\npreview:  %s\nmeasured: %s", kind, vars, diffString(got), diffString(want))
	}
	if n := int(get(d, "d", "membersAffected").(float64)); n != len(got.Members) {
		t.Fatalf("membersAffected %d for %d members", n, len(got.Members))
	}
	return kind, got, after
}

// editGrants is a new matrix for role: mostly a few entries of its own
// moved (so changes are small, like an admin's), sometimes a fresh one.
func (o *previewOrg) editGrants(r *rand.Rand, role *model.Role) []model.Grant {
	actions := o.e.srv.Service.Catalog().Actions()
	if r.IntN(4) == 0 {
		return (&escalationGen{r: r, actions: actions}).randomGrants(0.3).list()
	}
	g := grantSet{}
	for _, x := range role.Grants {
		g[x.Permission] = x.Scope
	}
	// Favour the permissions whose scope decides what is visible.
	hot := []string{"interactions.read", "evaluations.read"}
	for range 1 + r.IntN(3) {
		var a *catalog.Action
		if r.IntN(2) == 0 {
			a, _ = o.e.srv.Service.Catalog().Action(hot[r.IntN(len(hot))])
		} else {
			a = actions[r.IntN(len(actions))]
		}
		if sc := append([]model.Scope{model.ScopeDisabled}, a.Scopes...)[r.IntN(len(a.Scopes)+1)]; sc == model.ScopeDisabled {
			delete(g, a.Permission)
		} else {
			g[a.Permission] = sc
		}
	}
	return g.list()
}

// written is what a write would move: the organization's revision, its
// queued outbox entries and its audit log's length.
func (o *previewOrg) written(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	st := o.e.srv.Store
	org, err := st.GetOrganization(ctx, o.id)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := st.PendingOutbox(ctx, o.id, 100)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := st.CountAudit(ctx, o.id)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("(%d, %d, %d)", org.Revision, len(pending), audit)
}

func decodeDiff(v any) *domain.AccessDiff {
	out := &domain.AccessDiff{Members: []*domain.MemberAccessChange{}}
	changes := func(l any) []domain.GrantChange {
		gc := []domain.GrantChange{}
		for _, x := range l.([]any) {
			gc = append(gc, domain.GrantChange{Permission: str(x, "permission"), From: model.Scope(str(x, "from")), To: model.Scope(str(x, "to"))})
		}
		sortChanges(gc)
		return gc
	}
	num := func(x any, k string) int { return int(get(x, k).(float64)) }
	for _, m := range get(v, "members").([]any) {
		out.Members = append(out.Members, &domain.MemberAccessChange{Member: &model.Member{ID: str(m, "member", "id")},
			Gained: changes(get(m, "gained")), Lost: changes(get(m, "lost")),
			InteractionsGained: num(m, "interactionsGained"), InteractionsLost: num(m, "interactionsLost"),
			EvaluationsGained: num(m, "evaluationsGained"), EvaluationsLost: num(m, "evaluationsLost")})
	}
	sortMembers(out)
	return out
}

// measuredDiff is the oracle: the difference of two measurements.
func measuredDiff(before, after *accessState) *domain.AccessDiff {
	out := &domain.AccessDiff{Members: []*domain.MemberAccessChange{}}
	for id, g1 := range after.grants {
		g0 := before.grants[id]
		ch := &domain.MemberAccessChange{Member: &model.Member{ID: id}, Gained: []domain.GrantChange{}, Lost: []domain.GrantChange{}}
		perms := map[string]bool{}
		for p := range g0 {
			perms[p] = true
		}
		for p := range g1 {
			perms[p] = true
		}
		scope := func(g map[string]model.Scope, p string) model.Scope {
			if s, ok := g[p]; ok {
				return s
			}
			return model.ScopeDisabled
		}
		for p := range perms {
			from, to := scope(g0, p), scope(g1, p)
			switch {
			case to.Rank() > from.Rank():
				ch.Gained = append(ch.Gained, domain.GrantChange{Permission: p, From: from, To: to})
			case to.Rank() < from.Rank():
				ch.Lost = append(ch.Lost, domain.GrantChange{Permission: p, From: from, To: to})
			}
		}
		ch.InteractionsGained, ch.InteractionsLost = setDelta(before.interactions[id], after.interactions[id])
		ch.EvaluationsGained, ch.EvaluationsLost = setDelta(before.evaluations[id], after.evaluations[id])
		if len(ch.Gained)+len(ch.Lost)+ch.InteractionsGained+ch.InteractionsLost+ch.EvaluationsGained+ch.EvaluationsLost == 0 {
			continue
		}
		sortChanges(ch.Gained)
		sortChanges(ch.Lost)
		out.Members = append(out.Members, ch)
	}
	sortMembers(out)
	return out
}

func setDelta(before, after map[string]bool) (gained, lost int) {
	for k := range after {
		if !before[k] {
			gained++
		}
	}
	for k := range before {
		if !after[k] {
			lost++
		}
	}
	return gained, lost
}

func sortChanges(g []domain.GrantChange) {
	sort.Slice(g, func(a, b int) bool { return g[a].Permission < g[b].Permission })
}

func sortMembers(d *domain.AccessDiff) {
	sort.Slice(d.Members, func(a, b int) bool { return d.Members[a].Member.ID < d.Members[b].Member.ID })
}

func diffString(d *domain.AccessDiff) string {
	var b strings.Builder
	for _, m := range d.Members {
		fmt.Fprintf(&b, "\n  %s gained %v lost %v interactions +%d -%d evaluations +%d -%d", m.Member.ID, m.Gained, m.Lost,
			m.InteractionsGained, m.InteractionsLost, m.EvaluationsGained, m.EvaluationsLost)
	}
	if b.Len() == 0 {
		return "no change"
	}
	return b.String()
}
