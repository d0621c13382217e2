package e2e

// The escalation guard as a property: over thousands of random (caller
// grants, requested grants) cases, createRole, setRoleGrants and
// setMemberRoles succeed exactly when everything they would grant is
// within what the caller holds, scope-wise, per catalog action — and a
// refusal is ESCALATION and is audited. Most cases call the domain service
// directly (the same code the resolvers call, minus HTTP); a few percent
// go through GraphQL with the caller's token.
//
// ROLEGRAPH_ESCALATION_CASES sets the number of cases per backend
// (default 10000 on memory, 2000 on Postgres).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// grantSet is a role's matrix: permission → scope, DISABLED omitted.
type grantSet map[string]model.Scope

func (g grantSet) list() []model.Grant {
	out := make([]model.Grant, 0, len(g))
	for p, s := range g {
		out = append(out, model.Grant{Permission: p, Scope: s})
	}
	return catalog.Normalize(out)
}

// within is the property's oracle, written from the contract rather than
// from the guard: every grant at most the scope held for its permission.
func within(req []model.Grant, held grantSet) bool {
	for _, g := range req {
		if g.Scope.Rank() > held[g.Permission].Rank() {
			return false
		}
	}
	return true
}

type escalationGen struct {
	r       *rand.Rand
	actions []*catalog.Action
}

// randomGrants picks each action with probability p at a random supported
// scope.
func (gen *escalationGen) randomGrants(p float64) grantSet {
	out := grantSet{}
	for _, a := range gen.actions {
		if gen.r.Float64() < p {
			out[a.Permission] = a.Scopes[gen.r.IntN(len(a.Scopes))]
		}
	}
	return out
}

// request makes requested grants relative to held: inside it, one grant
// past it, or unrelated. DISABLED entries are sprinkled in (they grant
// nothing). The order is shuffled: the guard must not depend on it.
func (gen *escalationGen) request(held grantSet) []model.Grant {
	return gen.requestMode(held, gen.r.IntN(10))
}

// inside is a request within held three times in four, otherwise past it.
func (gen *escalationGen) inside(held grantSet) []model.Grant {
	return gen.requestMode(held, []int{0, 1, 2, 4}[gen.r.IntN(4)])
}

// requestMode: 0-3 within held, 4-7 one grant past it, 8-9 unrelated.
func (gen *escalationGen) requestMode(held grantSet, mode int) []model.Grant {
	var out []model.Grant
	if mode < 8 {
		for _, a := range gen.actions {
			h := held[a.Permission]
			if h == "" || gen.r.IntN(3) == 0 {
				continue
			}
			var ok []model.Scope
			for _, s := range a.Scopes {
				if s.Rank() <= h.Rank() {
					ok = append(ok, s)
				}
			}
			if len(ok) > 0 {
				out = append(out, model.Grant{Permission: a.Permission, Scope: ok[gen.r.IntN(len(ok))]})
			}
		}
		if mode >= 4 {
			// One grant past what is held, when there is one to make.
			var past []model.Grant
			for _, a := range gen.actions {
				for _, s := range a.Scopes {
					if s.Rank() > held[a.Permission].Rank() {
						past = append(past, model.Grant{Permission: a.Permission, Scope: s})
					}
				}
			}
			if len(past) > 0 {
				g := past[gen.r.IntN(len(past))]
				kept := out[:0]
				for _, x := range out {
					if x.Permission != g.Permission {
						kept = append(kept, x)
					}
				}
				out = append(kept, g)
			}
		}
	} else {
		out = gen.randomGrants(0.3).list()
	}
	seen := map[string]bool{}
	for _, g := range out {
		seen[g.Permission] = true
	}
	for _, a := range gen.actions {
		if !seen[a.Permission] && gen.r.IntN(20) == 0 {
			out = append(out, model.Grant{Permission: a.Permission, Scope: model.ScopeDisabled})
		}
	}
	gen.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// escalationCounts are the figures the test reports.
type escalationCounts struct {
	cases, viaGraphQL, allowed, refused, selfEdits, configs int
	byOp                                                    map[string][2]int // op → {allowed, refused}
	allowedTime, refusedTime                                time.Duration
}

func TestEscalationProperty(t *testing.T) {
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		n := 10000
		if e.srv.Config.PostgresURL != "" {
			n = 2000
		}
		if v, err := strconv.Atoi(os.Getenv("ROLEGRAPH_ESCALATION_CASES")); err == nil && v > 0 {
			n = v
		}
		// On Postgres two organizations, each with its own caller and
		// model, run side by side (the memory store runs one change at a
		// time, so there it would gain nothing).
		workers := 1
		if e.srv.Config.PostgresURL != "" {
			workers = 2
		}
		var mu sync.Mutex
		var total escalationCounts
		t.Cleanup(func() {
			t.Logf("escalation property, all workers: %s", total)
		})
		for w := range workers {
			t.Run(fmt.Sprintf("worker %d", w), func(t *testing.T) {
				t.Parallel()
				we := &env{t: t, srv: e.srv, url: e.url}
				c := runEscalationProperty(t, we, n/workers, uint64(w+1))
				mu.Lock()
				total.add(c)
				mu.Unlock()
			})
		}
	})
}

func (c escalationCounts) String() string {
	return fmt.Sprintf("%d cases (%d through GraphQL) in %d caller configurations: %d allowed, %d refused (%d self-edits FORBIDDEN, %d ESCALATION); "+
		"by operation (allowed/refused): createRole %v, setRoleGrants %v, setMemberRoles %v; 0 mismatches",
		c.cases, c.viaGraphQL, c.configs, c.allowed, c.refused, c.selfEdits, c.refused-c.selfEdits,
		c.byOp["createRole"], c.byOp["setRoleGrants"], c.byOp["setMemberRoles"])
}

func (c *escalationCounts) add(o escalationCounts) {
	c.cases += o.cases
	c.viaGraphQL += o.viaGraphQL
	c.configs += o.configs
	c.allowed += o.allowed
	c.refused += o.refused
	c.selfEdits += o.selfEdits
	if c.byOp == nil {
		c.byOp = map[string][2]int{}
	}
	for k, v := range o.byOp {
		x := c.byOp[k]
		c.byOp[k] = [2]int{x[0] + v[0], x[1] + v[1]}
	}
}

func runEscalationProperty(t *testing.T, e *env, cases int, seed uint64) escalationCounts {
	ctx := context.Background()
	svc := e.srv.Service
	o := e.newOrg("Escalation Property", "PRO", nil)
	owner := domain.Caller{OrgID: o.ID, MemberID: o.Owner.MemberID}
	gen := &escalationGen{r: rand.New(rand.NewPCG(seed, 42)), actions: svc.Catalog().Actions()}
	t.Logf("seed %d; catalog of %d actions", seed, len(gen.actions))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// The caller holds exactly one custom role, whose grants each
	// configuration randomizes; roles.write and members.write at ALL are
	// always among them (the operations need them).
	callerRole, err := svc.CreateRole(ctx, owner, domain.CreateRoleInput{Name: "Caller"})
	must(err)
	target, err := svc.CreateRole(ctx, owner, domain.CreateRoleInput{Name: "Target"})
	must(err)
	subjectRole, err := svc.CreateRole(ctx, owner, domain.CreateRoleInput{Name: "Subject"})
	must(err)
	var assignable []string
	for i := range 2 {
		r, err := svc.CreateRole(ctx, owner, domain.CreateRoleInput{Name: fmt.Sprintf("Assignable %d", i)})
		must(err)
		assignable = append(assignable, r.ID)
	}
	invite := func(email string, roleID string) string {
		m, tok, err := svc.InviteMember(ctx, owner, domain.InviteMemberInput{Email: email, Name: strings.Split(email, "@")[0], RoleIDs: []string{roleID}})
		must(err)
		_, err = svc.AcceptInvitation(ctx, tok, "", "")
		must(err)
		return m.ID
	}
	callerID := invite("caller@escalation.example", callerRole.ID)
	memberID := invite("subject@escalation.example", subjectRole.ID)
	caller := domain.Caller{OrgID: o.ID, MemberID: callerID}
	gql := e.as(o.ID, callerID)

	// Roles to assign: every system role with its real grants (the owner
	// role is never assignable), random custom ones, and two whose grants
	// each configuration draws near the caller's.
	pool := map[string]grantSet{}
	roleKey := map[string]string{}
	var poolIDs []string
	for _, r := range svc.Catalog().SystemRoles() {
		g := grantSet{}
		for _, x := range r.Grants {
			g[x.Permission] = x.Scope
		}
		id := o.role(r.Key)
		pool[id], roleKey[id] = g, r.Key
		poolIDs = append(poolIDs, id)
	}
	for i := range 6 {
		g := gen.randomGrants([]float64{0.05, 0.2, 0.5, 0.8, 0.95, 0.3}[i])
		r, err := svc.CreateRole(ctx, owner, domain.CreateRoleInput{Name: fmt.Sprintf("Pool %d", i), Grants: g.list()})
		must(err)
		pool[r.ID] = g
		poolIDs = append(poolIDs, r.ID)
	}
	setRole := func(id string, grants []model.Grant) grantSet {
		_, err := svc.SetRoleGrants(ctx, owner, id, grants)
		must(err)
		g := grantSet{}
		for _, x := range catalog.Normalize(grants) {
			g[x.Permission] = x.Scope
		}
		return g
	}

	auditBefore, err := e.srv.Store.CountAudit(ctx, o.ID)
	must(err)
	ownerOps := 0
	var held, targetGrants grantSet
	var memberRoles []string
	var createdIDs []string
	configure := func() {
		// Roles the caller created are deleted, so that the organization
		// stays a realistic size (every role is in every grant check).
		for _, id := range createdIDs {
			must(svc.DeleteRole(ctx, owner, id, ""))
			ownerOps++
		}
		createdIDs = createdIDs[:0]
		held = gen.randomGrants([]float64{0.1, 0.3, 0.6, 0.9}[gen.r.IntN(4)])
		held["roles.write"], held["members.write"] = model.ScopeAll, model.ScopeAll
		setRole(callerRole.ID, held.list())
		// The role the caller edits and the subject's role are within the
		// caller's grants three times in four.
		targetGrants = setRole(target.ID, gen.inside(held))
		pool[subjectRole.ID] = setRole(subjectRole.ID, gen.inside(held))
		for _, id := range assignable {
			pool[id] = setRole(id, gen.request(held))
		}
		memberRoles = []string{subjectRole.ID}
		_, err = svc.SetMemberRoles(ctx, owner, memberID, memberRoles)
		must(err)
		ownerOps += 4 + len(assignable)
	}

	counts := escalationCounts{byOp: map[string][2]int{}}
	start := time.Now()
	created := 0
	for i := range cases {
		if i%50 == 0 {
			configure()
			counts.configs++
		}
		viaGraphQL := gen.r.IntN(100) < 3
		op := []string{"createRole", "createRole", "setRoleGrants", "setMemberRoles"}[gen.r.IntN(4)]
		var want bool
		var wantCode errs.Code = errs.Escalation
		var err error
		var gerr *gqlError
		var newRole *model.Role
		caseStart := time.Now()
		requested := gen.request(held)
		selfEdit := op != "createRole" && gen.r.IntN(50) == 0
		var assigned string
		switch op {
		case "createRole":
			want = within(requested, held)
			name := fmt.Sprintf("Case %d", i)
			if viaGraphQL {
				var d map[string]any
				d, gerr = gqlData(t, gql, `mutation($in: CreateRoleInput!) { createRole(input: $in) { id } }`,
					map[string]any{"in": map[string]any{"name": name, "grants": escGrantInputs(requested)}})
				if gerr == nil {
					newRole = &model.Role{ID: str(d, "createRole", "id")}
				}
			} else {
				newRole, err = svc.CreateRole(domain.WithMemo(ctx), caller, domain.CreateRoleInput{Name: name, Grants: requested})
			}
		case "setRoleGrants":
			roleID := target.ID
			want = within(targetGrants.list(), held) && within(requested, held)
			if selfEdit {
				roleID, want, wantCode = callerRole.ID, false, errs.Forbidden
			}
			if viaGraphQL {
				gerr = gqlCall(t, gql, `mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`,
					map[string]any{"r": roleID, "g": escGrantInputs(requested)})
			} else {
				_, err = svc.SetRoleGrants(domain.WithMemo(ctx), caller, roleID, requested)
			}
		case "setMemberRoles":
			assigned = poolIDs[gen.r.IntN(len(poolIDs))]
			if gen.r.IntN(2) == 0 {
				assigned = assignable[gen.r.IntN(len(assignable))]
			}
			want = roleKey[assigned] != catalog.RoleOwner && within(pool[assigned].list(), held)
			for _, r := range memberRoles {
				want = want && within(pool[r].list(), held)
			}
			subject := memberID
			if selfEdit {
				subject, want, wantCode = callerID, false, errs.Forbidden
			}
			if viaGraphQL {
				gerr = gqlCall(t, gql, `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
					map[string]any{"m": subject, "r": []string{assigned}})
			} else {
				_, err = svc.SetMemberRoles(domain.WithMemo(ctx), caller, subject, []string{assigned})
			}
		}
		got, code, permission := true, errs.Code(""), ""
		switch {
		case gerr != nil:
			got, code = false, errs.Code(gerr.Code())
			permission, _ = gerr.Extensions["permission"].(string)
		case err != nil:
			got = false
			if e, ok := errs.As(err); ok {
				code, permission = e.Code, e.Permission
			} else {
				code = errs.Code(err.Error())
			}
		}
		if got != want || (!got && code != wantCode) {
			t.Fatalf("case %d (%s, graphql=%v, self=%v): want allowed=%v (%s), got allowed=%v code=%s permission=%s err=%v\nheld: %v\nrequested: %v\ntarget role: %v\nsubject roles: %v, assigned %s: %v",
				i, op, viaGraphQL, selfEdit, want, wantCode, got, code, permission, errOf(err, gerr), held.list(), requested, targetGrants.list(), memberRoles, assigned, pool[assigned].list())
		}
		if !got && code == errs.Escalation && permission != "" {
			// The permission named is one that is in fact past the caller's.
			if s := held[permission]; !(escalates(requested, permission, s) || (op == "setRoleGrants" && escalates(targetGrants.list(), permission, s)) ||
				(op == "setMemberRoles" && (escalates(pool[assigned].list(), permission, s) || escalates(pool[memberRoles[0]].list(), permission, s)))) {
				t.Fatalf("case %d: the refusal names %s, which the caller holds at %s and the request does not exceed", i, permission, s)
			}
		}
		// Track what changed.
		if got {
			switch op {
			case "createRole":
				created++
				createdIDs = append(createdIDs, newRole.ID)
			case "setRoleGrants":
				targetGrants = grantSet{}
				for _, g := range catalog.Normalize(requested) {
					targetGrants[g.Permission] = g.Scope
				}
			case "setMemberRoles":
				memberRoles = []string{assigned}
			}
		}
		counts.cases++
		if viaGraphQL {
			counts.viaGraphQL++
		}
		if selfEdit {
			counts.selfEdits++
		}
		c := counts.byOp[op]
		if got {
			counts.allowed++
			c[0]++
		} else {
			counts.refused++
			c[1]++
		}
		counts.byOp[op] = c
		if got {
			counts.allowedTime += time.Since(caseStart)
		} else {
			counts.refusedTime += time.Since(caseStart)
		}
		if i%1000 == 999 {
			t.Logf("%d cases, %s (allowed cases %s, refused %s)", i+1, time.Since(start).Round(time.Millisecond),
				counts.allowedTime.Round(time.Millisecond), counts.refusedTime.Round(time.Millisecond))
		}
	}

	// Every change and every refused escalation is one audit event; a
	// FORBIDDEN self-edit is not an escalation attempt.
	auditAfter, err := e.srv.Store.CountAudit(ctx, o.ID)
	must(err)
	escalations := counts.refused - counts.selfEdits
	if want := auditBefore + ownerOps + counts.allowed + escalations; auditAfter != want {
		t.Errorf("audit events: %d, want %d (%d before + %d owner changes + %d allowed + %d refused escalations)",
			auditAfter, want, auditBefore, ownerOps, counts.allowed, escalations)
		evs, _ := e.srv.Store.ListAudit(ctx, o.ID, store.Page{Limit: 100000})
		by := map[string]int{}
		for _, ev := range evs {
			by[ev.Action]++
		}
		t.Logf("audit events by action: %v", by)
	}
	// Nothing the refusals touched changed: the subject holds what the
	// model says, the target role has the model's grants.
	m, err := e.srv.Store.GetMember(ctx, o.ID, memberID)
	must(err)
	if strings.Join(m.RoleIDs, ",") != strings.Join(memberRoles, ",") {
		t.Errorf("the subject holds %v; the model says %v", m.RoleIDs, memberRoles)
	}
	r, err := e.srv.Store.GetRole(ctx, o.ID, target.ID)
	must(err)
	if fmt.Sprint(r.Grants) != fmt.Sprint(targetGrants.list()) {
		t.Errorf("the target role holds %v; the model says %v", r.Grants, targetGrants.list())
	}
	t.Logf("escalation property (seed %d), %s: %s; %d roles created (and deleted by the owner)", seed, time.Since(start).Round(time.Millisecond), counts, created)
	return counts
}

func escalates(grants []model.Grant, permission string, held model.Scope) bool {
	for _, g := range grants {
		if g.Permission == permission && g.Scope.Rank() > held.Rank() {
			return true
		}
	}
	return false
}

func escGrantInputs(gs []model.Grant) []map[string]any {
	out := []map[string]any{}
	for _, g := range gs {
		out = append(out, map[string]any{"permission": g.Permission, "scope": string(g.Scope)})
	}
	return out
}

// gqlCall sends a mutation and returns its first error (nil on success).
func gqlCall(t *testing.T, c *client, query string, vars map[string]any) *gqlError {
	t.Helper()
	_, err := gqlData(t, c, query, vars)
	return err
}

func gqlData(t *testing.T, c *client, query string, vars map[string]any) (map[string]any, *gqlError) {
	t.Helper()
	r := doAs(t, c, query, vars)
	if len(r.Errors) == 0 {
		return r.Data, nil
	}
	return nil, &r.Errors[0]
}

func errOf(err error, g *gqlError) string {
	if g != nil {
		return g.Message
	}
	if err != nil {
		return err.Error()
	}
	return "<nil>"
}
