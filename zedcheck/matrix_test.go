package zedcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"github.com/authzed/spicedb/pkg/development"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/zedcheck/fixture"
)

// TestFixtureMatrix is the exhaustive counterpart of the hand-written
// assertions: it checks every member of both fixture organizations against
// every grant object of both (held_* and at_* for every catalog permission)
// and every resource permission of every interaction, evaluation, member and
// team (about 20,000 checks), and compares
// SpiceDB's answer with an oracle that reads DESIGN.md's rules straight off
// the fixture's entities: the owner and the union of a member's roles' grants
// give a widest scope, ALL covers everything, TEAM covers resources of a team
// the member belongs to or manages (sub-teams of a managed team included),
// OWN covers resources they own / are assigned to / are agent or evaluator
// of / are; products and seats gate; only ACTIVE members hold anything, and
// only in their own organization.
//
// A catalog action with an OWN or TEAM scope that schema.zed does not
// traverse, or a schema permission this oracle does not know, fails here.
func TestFixtureMatrix(t *testing.T) {
	fs := fixture.All()
	o := newOracle(fs)
	dc := fixtureDevContext(t, fs)

	var items []checkItem
	expect := func(resType, resID, perm, memberID string, want bool, why string) {
		items = append(items, checkItem{resType, resID, perm, memberID, want, why})
	}

	// Grant objects: what the roles hold, and what passes the gates.
	scopes := map[string]model.Scope{"all": model.ScopeAll, "team": model.ScopeTeam, "own": model.ScopeOwn}
	for _, f := range fs {
		for _, m := range o.memberList {
			for _, a := range o.c.Actions() {
				gid := f.Org.ID + "_" + a.ObjectKey()
				held := o.held(m.ID, f.Org.ID, a.Permission)
				usable := o.usable(m.ID, f.Org.ID, a.Permission)
				for name, s := range scopes {
					h := held.Covers(s) && held != model.ScopeDisabled
					why := fmt.Sprintf("holds %s, usable %v", held, usable)
					expect("grant", gid, "held_"+name, m.ID, h, why)
					expect("grant", gid, "at_"+name, m.ID, h && usable, why)
				}
			}
		}
	}

	// Resource permissions.
	for _, rp := range o.resourcePerms() {
		for _, res := range o.resources(rp.resourceType) {
			for _, m := range o.memberList {
				want, why := o.allowed(m.ID, rp, res)
				expect(rp.resourceType, res.id, rp.permission, m.ID, want, why)
			}
		}
	}
	got := bulkCheck(t, dc, items)
	checked, failed := len(items), 0
	for i, it := range items {
		if got[i] != it.want {
			failed++
			if failed <= 40 {
				t.Errorf("%s:%s#%s@member:%s = %v, want %v (%s)", it.resType, it.resID, it.perm, it.memberID, got[i], it.want, it.why)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d checks disagree with the oracle", failed, checked)
	}
	t.Logf("%d checks agree with the oracle", checked)

	// Every permission of the resource definitions is covered above (or is
	// a helper the covered ones use).
	helpers := map[string]bool{"interaction#involved": true, "interaction#audience": true,
		"evaluation#involved": true, "team#managers_up": true, "team#audience": true}
	known := map[string]bool{}
	for _, rp := range o.resourcePerms() {
		known[rp.resourceType+"#"+rp.permission] = true
	}
	for _, def := range dc.CompiledSchema.ObjectDefinitions {
		switch def.Name {
		case "interaction", "evaluation", "member", "team":
		default:
			continue
		}
		for _, rel := range def.Relation {
			if rel.UsersetRewrite == nil {
				continue
			}
			k := def.Name + "#" + rel.Name
			if !known[k] && !helpers[k] {
				t.Errorf("schema permission %s is not covered by the oracle: add it to resourcePerms", k)
			}
		}
	}
}

// checkItem is one check and what the oracle expects of it.
type checkItem struct {
	resType, resID, perm, memberID string
	want                           bool
	why                            string
}

// bulkCheck answers the checks in order, through SpiceDB's v1 API served
// in memory over the development context (CheckBulkPermissions batches
// dispatches, so ten thousand checks take a second, not a minute).
func bulkCheck(t *testing.T, dc *development.DevContext, checks []checkItem) []bool {
	t.Helper()
	conn, stop, err := dc.RunV1InMemoryService()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	client := v1.NewPermissionsServiceClient(conn)
	var reqs []*v1.CheckBulkPermissionsRequestItem
	for _, c := range checks {
		reqs = append(reqs, &v1.CheckBulkPermissionsRequestItem{
			Resource:   &v1.ObjectReference{ObjectType: c.resType, ObjectId: c.resID},
			Permission: c.perm,
			Subject:    &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: "member", ObjectId: c.memberID}},
		})
	}
	out := make([]bool, 0, len(reqs))
	for start := 0; start < len(reqs); start += 1000 {
		batch := reqs[start:min(start+1000, len(reqs))]
		resp, err := client.CheckBulkPermissions(t.Context(), &v1.CheckBulkPermissionsRequest{
			Consistency: &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}},
			Items:       batch,
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, pair := range resp.Pairs {
			if e := pair.GetError(); e != nil {
				r := batch[i]
				t.Fatalf("check %s:%s#%s@member:%s: %s", r.Resource.ObjectType, r.Resource.ObjectId, r.Permission,
					r.Subject.Object.ObjectId, e.GetMessage())
			}
			out = append(out, pair.GetItem().GetPermissionship() == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION)
		}
	}
	return out
}

// fixtureDevContext loads schema.zed and the fixtures' relationships.
func fixtureDevContext(t *testing.T, fs []*fixture.Fixture) *development.DevContext {
	t.Helper()
	schema, err := os.ReadFile(filepath.Join(filepath.Dir(validationFile(t)), "schema.zed"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("schema: |-\n")
	for _, l := range strings.Split(string(schema), "\n") {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString(fixture.RelationshipsBlock(fs...))
	y, devErrs, err := development.NewDevContextForYAML(t.Context(), []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if devErrs != nil {
		t.Fatalf("loading the fixture: %v", devErrs.InputErrors)
	}
	t.Cleanup(y.DevContext.Dispose)
	return y.DevContext
}

type oracle struct {
	fs         []*fixture.Fixture
	c          *catalog.Catalog
	memberList []*model.Member
	members    map[string]*model.Member
	roles      map[string]*model.Role
	parent     map[string]string          // team -> parent team
	inTeam     map[string]map[string]bool // team -> members and managers
	manages    map[string]map[string]bool // team -> managers
	teamsOf    map[string][]string        // member -> teams (member or manager)
	owner      map[string]string          // organization -> owner
	products   map[string]map[model.Product]bool
}

func newOracle(fs []*fixture.Fixture) *oracle {
	o := &oracle{fs: fs, c: catalog.Default(), members: map[string]*model.Member{}, roles: map[string]*model.Role{},
		parent: map[string]string{}, inTeam: map[string]map[string]bool{}, manages: map[string]map[string]bool{},
		teamsOf: map[string][]string{}, owner: map[string]string{}, products: map[string]map[model.Product]bool{}}
	for _, f := range fs {
		o.owner[f.Org.ID] = f.Org.OwnerID
		o.products[f.Org.ID] = map[model.Product]bool{}
		for _, p := range f.Org.Products {
			o.products[f.Org.ID][p] = true
		}
		for _, m := range f.Members {
			o.members[m.ID] = m
			o.memberList = append(o.memberList, m)
		}
		for _, r := range f.Roles {
			o.roles[r.ID] = r
		}
		for _, tm := range f.Teams {
			o.parent[tm.ID] = tm.ParentID
			o.inTeam[tm.ID] = map[string]bool{}
			o.manages[tm.ID] = map[string]bool{}
		}
		for _, ms := range f.Memberships {
			o.inTeam[ms.TeamID][ms.MemberID] = true
			if ms.Manager {
				o.manages[ms.TeamID][ms.MemberID] = true
			}
			o.teamsOf[ms.MemberID] = append(o.teamsOf[ms.MemberID], ms.TeamID)
		}
	}
	return o
}

// held is the widest scope at which the member holds the permission in the
// organization: nothing outside their own, nothing unless ACTIVE; a
// temporary role counts until it expires.
func (o *oracle) held(memberID, orgID, perm string) model.Scope {
	m := o.members[memberID]
	if m.OrgID != orgID || m.Status != model.StatusActive {
		return model.ScopeDisabled
	}
	if memberID == o.owner[orgID] {
		return model.ScopeAll
	}
	best := model.ScopeDisabled
	roleIDs := slices.Clone(m.RoleIDs)
	for _, a := range m.ActiveTempRoles(time.Now()) {
		roleIDs = append(roleIDs, a.RoleID)
	}
	for _, rid := range roleIDs {
		for _, g := range o.roles[rid].Grants {
			if g.Permission == perm && g.Scope.Rank() > best.Rank() {
				best = g.Scope
			}
		}
	}
	return best
}

// usable: the permission's product is enabled in the organization and its
// seat held.
func (o *oracle) usable(memberID, orgID, perm string) bool {
	a, _ := o.c.Action(perm)
	if p := o.c.ProductOf(perm); p != "" && !o.products[orgID][p] {
		return false
	}
	m := o.members[memberID]
	return a.Seat == "" || (m.Status == model.StatusActive && m.HasSeat(a.Seat))
}

// inAudience: the member belongs to the team, manages it, or manages a team
// above it.
func (o *oracle) inAudience(memberID, team string) bool {
	if team == "" {
		return false
	}
	if o.inTeam[team][memberID] {
		return true
	}
	for t := o.parent[team]; t != ""; t = o.parent[t] {
		if o.manages[t][memberID] {
			return true
		}
	}
	return false
}

type resourcePerm struct {
	resourceType, permission string
	action                   string // catalog permission
	noOwn                    bool   // OWN does not apply, whatever the catalog says
	// othersAtTeam: TEAM covers every member but oneself, wherever they are
	// (member#team_staff: putting others in a team one writes).
	othersAtTeam bool
}

type resource struct {
	org   string
	id    string
	teams []string // TEAM: the member must be in the audience of one of these
	own   []string // OWN: these members
}

func (o *oracle) resourcePerms() []resourcePerm {
	var out []resourcePerm
	for _, a := range o.c.Actions() {
		if a.Resource != catalog.ResourceOrg {
			out = append(out, resourcePerm{resourceType: string(a.Resource), permission: a.ObjectKey(), action: a.Permission})
		}
	}
	// Permissions named for what they decide rather than for an action.
	out = append(out,
		// creating an evaluation on an interaction: evaluations.write at TEAM or ALL
		resourcePerm{resourceType: "interaction", permission: "evaluate", action: "evaluations.write", noOwn: true},
		// creating an interaction for a member: interactions.write covering them
		resourcePerm{resourceType: "member", permission: "interactions_write", action: "interactions.write"},
		// inviting into a team and managing its members: members.write covering the team
		resourcePerm{resourceType: "team", permission: "members_write", action: "members.write"},
		// moving an interaction into a team: interactions.write covering the team
		resourcePerm{resourceType: "team", permission: "interactions_write", action: "interactions.write", noOwn: true},
		// staffing a team (with team#teams_write): anyone but oneself at
		// TEAM, oneself too at ALL
		resourcePerm{resourceType: "member", permission: "team_staff", action: "teams.write", othersAtTeam: true},
	)
	return out
}

func (o *oracle) resources(resourceType string) []resource {
	var out []resource
	for _, f := range o.fs {
		for _, r := range o.resourcesOf(f, resourceType) {
			r.org = f.Org.ID
			out = append(out, r)
		}
	}
	return out
}

func (o *oracle) resourcesOf(f *fixture.Fixture, resourceType string) []resource {
	var out []resource
	switch resourceType {
	case "interaction":
		for _, i := range f.Interactions {
			out = append(out, resource{id: i.ID, teams: []string{i.TeamID}, own: append([]string{i.OwnerID}, i.AssigneeIDs...)})
		}
	case "evaluation":
		for _, e := range f.Evaluations {
			team := ""
			for _, i := range f.Interactions {
				if i.ID == e.InteractionID {
					team = i.TeamID
				}
			}
			out = append(out, resource{id: e.ID, teams: []string{team}, own: []string{e.AgentID, e.EvaluatorID}})
		}
	case "member":
		for _, m := range f.Members {
			out = append(out, resource{id: m.ID, teams: o.teamsOf[m.ID], own: []string{m.ID}})
		}
	case "team":
		for _, tm := range f.Teams {
			out = append(out, resource{id: tm.ID, teams: []string{tm.ID}})
		}
	default:
		panic("oracle: unknown resource type " + resourceType)
	}
	return out
}

func (o *oracle) allowed(memberID string, rp resourcePerm, res resource) (bool, string) {
	a, _ := o.c.Action(rp.action)
	held := o.held(memberID, res.org, rp.action)
	why := fmt.Sprintf("holds %s %s in %s", rp.action, held, res.org)
	if !o.usable(memberID, res.org, rp.action) {
		return false, why + ", not usable"
	}
	if held == model.ScopeAll {
		return true, why
	}
	if rp.othersAtTeam {
		if held.Covers(model.ScopeTeam) && memberID != res.id {
			return true, why + ", someone else"
		}
		return false, why + ", not covered"
	}
	if held.Covers(model.ScopeTeam) && a.Supports(model.ScopeTeam) {
		for _, team := range res.teams {
			if o.inAudience(memberID, team) {
				return true, why + ", in the audience of " + team
			}
		}
	}
	if held.Covers(model.ScopeOwn) && held != model.ScopeDisabled && a.Supports(model.ScopeOwn) && !rp.noOwn &&
		slices.Contains(res.own, memberID) {
		return true, why + ", involved"
	}
	return false, why + ", not covered"
}
