package catalog

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/model"
)

// The API contract's table: every permission must exist with these scopes,
// product and seat.
func TestContractPermissions(t *testing.T) {
	c := Default()
	cases := []struct {
		perms   string
		scopes  string
		product model.Product
		seat    model.SeatKind
	}{
		{"interactions.read interactions.write interactions.delete interactions.download", "OWN TEAM ALL", model.ProductConversations, ""},
		{"interactions.record", "OWN", model.ProductConversations, model.SeatRecorder},
		{"interactions.join_live interactions.coach", "TEAM ALL", model.ProductConversations, ""},
		{"voice.dial", "OWN", model.ProductTelephony, model.SeatVoice},
		{"evaluations.read evaluations.write", "OWN TEAM ALL", model.ProductQuality, ""},
		{"evaluations.delete", "TEAM ALL", model.ProductQuality, ""},
		{"analytics.read", "OWN TEAM ALL", model.ProductConversations, ""},
		{"members.read members.delete teams.read teams.delete roles.read roles.write roles.delete seats.read seats.write guests.read guests.write guests.delete integrations.read integrations.write integrations.delete account.read account.write audit_log.read api.explore", "ALL", "", ""},
		{"members.write teams.write", "TEAM ALL", "", ""},
		{"ai_transcription.read ai_transcription.write", "ALL", model.ProductAI, ""},
		{"contact_center.read contact_center.write", "ALL", model.ProductContactCenter, model.SeatContactCenter},
	}
	for _, tc := range cases {
		for _, p := range strings.Fields(tc.perms) {
			a, ok := c.Action(p)
			if !ok {
				t.Errorf("%s is missing from the catalog", p)
				continue
			}
			var got []string
			for _, s := range a.Scopes {
				got = append(got, string(s))
			}
			if strings.Join(got, " ") != tc.scopes {
				t.Errorf("%s scopes = %v, want %s", p, got, tc.scopes)
			}
			if c.ProductOf(p) != tc.product || a.Seat != tc.seat {
				t.Errorf("%s product/seat = %s/%s, want %s/%s", p, c.ProductOf(p), a.Seat, tc.product, tc.seat)
			}
		}
	}
}

// An action whose OWN or TEAM scope is about a resource needs its
// traversal in schema.zed; an organization-level one is checked on its
// grant and must not pretend to have OWN/TEAM resources.
func TestCatalogMatchesSchema(t *testing.T) {
	b, err := os.ReadFile("../schema.zed")
	if err != nil {
		t.Fatal(err)
	}
	schema := string(b)
	c := Default()
	for _, a := range c.Actions() {
		rel := regexp.MustCompile(`(?m)^\s*relation ` + a.ObjectKey() + `: grant$`)
		hasRel := rel.MatchString(schema)
		if a.Resource == ResourceOrg {
			if hasRel {
				t.Errorf("%s is organization-level but schema.zed has a relation for it", a.Permission)
			}
			continue
		}
		if !hasRel {
			t.Errorf("%s is about a %s but schema.zed has no `relation %s: grant` on organization", a.Permission, a.Resource, a.ObjectKey())
		}
		perm := regexp.MustCompile(`(?m)^\s*permission ` + a.ObjectKey() + ` = `)
		if !perm.MatchString(schema) {
			t.Errorf("schema.zed has no `permission %s` on its %s", a.ObjectKey(), a.Resource)
		}
		if a.Resource == ResourceOrg && a.Max() != model.ScopeAll && !(len(a.Scopes) == 1 && a.Scopes[0] == model.ScopeOwn) {
			t.Errorf("%s is organization-level with scopes %v", a.Permission, a.Scopes)
		}
	}
}

func TestSystemRoles(t *testing.T) {
	c := Default()
	keys := map[string]bool{}
	for _, r := range c.SystemRoles() {
		keys[r.Key] = true
		if i, err := c.Validate(r.Grants); err != nil {
			t.Errorf("%s grant %d: %v", r.Key, i, err)
		}
	}
	for _, k := range []string{"owner", "admin", "manager", "auditor", "recorder", "analyst_plus", "analyst", "agent", "team_lead"} {
		if !keys[k] {
			t.Errorf("system role %s is missing", k)
		}
	}
	scope := func(role, perm string) model.Scope {
		r, _ := c.SystemRole(role)
		for _, g := range r.Grants {
			if g.Permission == perm {
				return g.Scope
			}
		}
		return model.ScopeDisabled
	}
	for _, tc := range []struct {
		role, perm string
		want       model.Scope
	}{
		{"owner", "account.write", model.ScopeAll},
		{"admin", "roles.write", model.ScopeDisabled},
		{"admin", "roles.delete", model.ScopeDisabled},
		{"admin", "account.write", model.ScopeDisabled},
		{"admin", "members.write", model.ScopeAll},
		{"manager", "interactions.read", model.ScopeTeam},
		{"manager", "members.write", model.ScopeTeam},
		{"manager", "interactions.record", model.ScopeOwn},
		{"auditor", "evaluations.write", model.ScopeAll},
		{"auditor", "interactions.record", model.ScopeDisabled},
		{"recorder", "interactions.record", model.ScopeOwn},
		{"recorder", "interactions.read", model.ScopeOwn},
		{"analyst_plus", "interactions.download", model.ScopeAll},
		{"analyst_plus", "interactions.record", model.ScopeDisabled},
		{"analyst", "interactions.download", model.ScopeDisabled},
		{"analyst", "interactions.coach", model.ScopeAll},
		{"agent", "interactions.read", model.ScopeOwn},
		{"agent", "evaluations.read", model.ScopeOwn},
		{"owner", "api.explore", model.ScopeAll},
		{"admin", "api.explore", model.ScopeAll},
		{"manager", "api.explore", model.ScopeDisabled},
		{"agent", "api.explore", model.ScopeDisabled},
		// Seed 002 "Team Lead": their teams' interactions, evaluations and
		// analytics; no member or team administration.
		{"team_lead", "interactions.read", model.ScopeTeam},
		{"team_lead", "interactions.coach", model.ScopeTeam},
		{"team_lead", "evaluations.write", model.ScopeTeam},
		{"team_lead", "analytics.read", model.ScopeTeam},
		{"team_lead", "members.write", model.ScopeDisabled},
		{"team_lead", "teams.write", model.ScopeDisabled},
		{"team_lead", "preferences.write", model.ScopeOwn},
	} {
		if got := scope(tc.role, tc.perm); got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.role, tc.perm, got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name   string
		grants []model.Grant
		bad    int
	}{
		{"ok", []model.Grant{gr("interactions.read", model.ScopeTeam), gr("members.read", model.ScopeAll)}, -1},
		{"disabled is always fine", []model.Grant{gr("members.read", model.ScopeDisabled)}, -1},
		{"unknown permission", []model.Grant{gr("members.read", model.ScopeAll), gr("nope.read", model.ScopeAll)}, 1},
		{"unsupported scope", []model.Grant{gr("members.read", model.ScopeOwn)}, 0},
		{"record at team", []model.Grant{gr("interactions.record", model.ScopeTeam)}, 0},
		{"duplicate", []model.Grant{gr("members.read", model.ScopeAll), gr("members.read", model.ScopeAll)}, 1},
		{"bad scope", []model.Grant{gr("members.read", "EVERYTHING")}, 0},
	} {
		i, err := c.Validate(tc.grants)
		if i != tc.bad || (tc.bad >= 0) != (err != nil) {
			t.Errorf("%s: index %d err %v, want index %d", tc.name, i, err, tc.bad)
		}
	}
}

func TestClamp(t *testing.T) {
	c := Default()
	ta, _ := c.Action("teams.write")
	all, _ := c.Action("members.read")
	own, _ := c.Action("interactions.record")
	for _, tc := range []struct {
		a    *Action
		in   model.Scope
		want model.Scope
	}{
		{ta, model.ScopeOwn, model.ScopeDisabled},
		{ta, model.ScopeTeam, model.ScopeTeam},
		{all, model.ScopeTeam, model.ScopeDisabled},
		{own, model.ScopeAll, model.ScopeOwn},
	} {
		if got := tc.a.Clamp(tc.in); got != tc.want {
			t.Errorf("%s.Clamp(%s) = %s, want %s", tc.a.Permission, tc.in, got, tc.want)
		}
	}
}

func gr(p string, s model.Scope) model.Grant { return model.Grant{Permission: p, Scope: s} }
