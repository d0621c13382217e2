package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/store"
)

const explainQ = `query($p: String!, $r: ID, $m: ID) { explain(permission: $p, resourceId: $r, memberId: $m) {
	allowed summary
	reasons { kind text scope seat product role { id name } team { id name } }
	remedies { kind text callerCanApply scope seat product role { id name grants { permission scope } } team { id name } }
} }`

// explanation is explain's answer, decoded.
type explanation struct {
	Allowed  bool
	Summary  string
	Reasons  []map[string]any
	Remedies []map[string]any
}

func (x explanation) kinds(of []map[string]any) []string {
	var out []string
	for _, r := range of {
		out = append(out, r["kind"].(string))
	}
	return out
}

func (x explanation) String() string {
	return fmt.Sprintf("allowed=%v reasons=%v remedies=%v\n  %s", x.Allowed, x.kinds(x.Reasons), x.kinds(x.Remedies), x.Summary)
}

// explain asks explain as c about member (c itself when nil).
func (c *client) explain(permission, resourceID string, member *client) explanation {
	c.e.t.Helper()
	vars := map[string]any{"p": permission}
	if resourceID != "" {
		vars["r"] = resourceID
	}
	if member != nil {
		vars["m"] = member.MemberID
	}
	d := get(c.ok(explainQ, vars), "explain").(map[string]any)
	x := explanation{Allowed: d["allowed"].(bool), Summary: d["summary"].(string)}
	for _, r := range d["reasons"].([]any) {
		x.Reasons = append(x.Reasons, r.(map[string]any))
	}
	for _, r := range d["remedies"].([]any) {
		x.Remedies = append(x.Remedies, r.(map[string]any))
	}
	return x
}

// applyRemedies makes each remedy's change through the API, as c.
func (o *org) applyRemedies(c *client, member *client, x explanation) {
	o.e.t.Helper()
	for _, r := range x.Remedies {
		switch r["kind"] {
		case "REACTIVATE":
			c.ok(`mutation($m: ID!) { reactivateMember(memberId: $m) { id } }`, map[string]any{"m": member.MemberID})
		case "ENABLE_PRODUCT":
			c.ok(`mutation($p: Product!) { enableProduct(product: $p) { id } }`, map[string]any{"p": r["product"]})
		case "BUY_SEAT":
			d := c.ok(`{ organization { seats { kind total used } } }`, nil)
			for _, p := range get(d, "organization", "seats").([]any) {
				if str(p, "kind") == r["seat"] {
					c.ok(`mutation($k: SeatKind!, $t: Int!) { setSeatTotal(kind: $k, total: $t) { total } }`,
						map[string]any{"k": r["seat"], "t": int(get(p, "used").(float64)) + 1})
				}
			}
		case "ASSIGN_SEAT":
			c.ok(`mutation($m: ID!, $k: SeatKind!) { assignSeat(memberId: $m, kind: $k) { id } }`, map[string]any{"m": member.MemberID, "k": r["seat"]})
		case "ADD_TO_TEAM":
			c.ok(`mutation($t: ID!, $m: ID!) { addTeamMember(teamId: $t, memberId: $m) { id } }`,
				map[string]any{"t": str(r, "team", "id"), "m": member.MemberID})
		case "WIDEN_ROLE_GRANT":
			var grants []map[string]any
			for _, g := range get(r, "role", "grants").([]any) {
				if str(g, "permission") != "" {
					grants = append(grants, map[string]any{"permission": str(g, "permission"), "scope": str(g, "scope")})
				}
			}
			// The remedy's scope for the permission it names.
			perm := ""
			for _, w := range strings.Fields(r["text"].(string)) {
				if strings.Contains(w, ".") {
					perm = strings.TrimSuffix(w, "'s")
					break
				}
			}
			replaced := false
			for _, g := range grants {
				if g["permission"] == perm {
					g["scope"], replaced = r["scope"], true
				}
			}
			if !replaced {
				grants = append(grants, map[string]any{"permission": perm, "scope": r["scope"]})
			}
			c.ok(`mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`,
				map[string]any{"r": str(r, "role", "id"), "g": grants})
		case "ASSIGN_ROLE":
			d := c.ok(`query($m: ID!) { member(id: $m) { roles { id } } }`, map[string]any{"m": member.MemberID})
			ids := []string{str(r, "role", "id")}
			for _, x := range get(d, "member", "roles").([]any) {
				ids = append(ids, str(x, "id"))
			}
			c.ok(`mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`, map[string]any{"m": member.MemberID, "r": ids})
		default:
			o.e.t.Fatalf("no way to apply remedy %v", r)
		}
	}
}

func has(kinds []string, k string) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func auditCount(c *client) int {
	d := c.ok(`{ auditLog(first: 1) { totalCount } }`, nil)
	return int(get(d, "auditLog", "totalCount").(float64))
}

// Every reason and remedy kind, through GraphQL; each denial's remedies,
// applied through the API, make can say yes; explaining writes nothing.
func TestExplainReasonsAndRemedies(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Explain Co", "ENTERPRISE", []string{"CONVERSATIONS", "TELEPHONY"})
		o.team("Sales", "")
		o.team("Sales EMEA", "Sales")
		o.team("Support", "")
		mia := o.member("mia@explain.example", []string{"manager"}, nil, nil)
		o.manage("Sales", mia)
		tom := o.member("tom@explain.example", []string{"manager"}, []string{"Sales EMEA"}, nil)
		rep := o.member("rep@explain.example", []string{"recorder"}, []string{"Sales EMEA"}, []string{"RECORDER"})
		ann := o.member("ann@explain.example", []string{"agent"}, []string{"Support"}, nil)
		ben := o.member("ben@explain.example", []string{"agent"}, nil, nil)
		call := o.interaction("Renewal call", rep, "Sales EMEA", ann)
		support := o.interaction("Support ticket", ann, "Support")

		type want struct {
			allowed  bool
			reasons  []string
			remedies []string
			summary  string
		}
		cases := []struct {
			name     string
			as       *client
			who      *client
			perm     string
			resource string
			want     want
		}{
			{"owner", o.Owner, nil, "interactions.delete", call, want{true, []string{"OWNER"}, nil, "owns the organization"}},
			{"manager of the parent team", mia, nil, "interactions.read", call,
				want{true, []string{"ROLE_GRANT", "TEAM_MANAGER"}, nil, "manages Sales, the parent of Sales EMEA, which owns it"}},
			{"team member", tom, nil, "interactions.read", call, want{true, []string{"ROLE_GRANT", "TEAM_MEMBER"}, nil, "is in Sales EMEA, which owns it"}},
			{"owns it", rep, nil, "interactions.read", call, want{true, []string{"ROLE_GRANT", "OWNS"}, nil, "owns it"}},
			{"assigned", ann, nil, "interactions.read", call, want{true, []string{"ROLE_GRANT", "ASSIGNED"}, nil, "is assigned to it"}},
			{"scope too narrow: team", o.Owner, mia, "interactions.read", support,
				want{false, []string{"ROLE_GRANT", "SCOPE_TOO_NARROW"}, []string{"ADD_TO_TEAM"}, "add mia to the team Support"}},
			{"scope too narrow: own", o.Owner, ben, "interactions.read", support,
				want{false, []string{"ROLE_GRANT", "SCOPE_TOO_NARROW"}, []string{"WIDEN_ROLE_GRANT"}, "widen the Agent role"}},
			{"not granted", o.Owner, ann, "interactions.delete", support,
				want{false, []string{"NOT_GRANTED"}, []string{"ASSIGN_ROLE"}, "no role of ann grants interactions.delete"}},
			{"product disabled", o.Owner, tom, "evaluations.read", "",
				want{false, []string{"PRODUCT_DISABLED"}, []string{"ENABLE_PRODUCT"}, "QUALITY"}},
			{"seat missing, not granted: two blockers", o.Owner, ben, "interactions.record", "",
				want{false, []string{"SEAT_MISSING", "NOT_GRANTED"}, []string{"ASSIGN_SEAT", "ASSIGN_ROLE"}, "needs a RECORDER seat"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(o.Owner)
				x := tc.as.explain(tc.perm, tc.resource, tc.who)
				t.Log(x)
				who := tc.who
				if who == nil {
					who = tc.as
				}
				if can := o.Owner.canFor(who.MemberID, tc.perm, tc.resource); x.Allowed != can || can != tc.want.allowed {
					t.Fatalf("explain.allowed %v, can %v, want %v", x.Allowed, can, tc.want.allowed)
				}
				for _, k := range tc.want.reasons {
					if !has(x.kinds(x.Reasons), k) {
						t.Errorf("reasons %v lack %s", x.kinds(x.Reasons), k)
					}
				}
				if got := strings.Join(x.kinds(x.Remedies), ","); got != strings.Join(tc.want.remedies, ",") {
					t.Errorf("remedies %s, want %v", got, tc.want.remedies)
				}
				if !strings.Contains(x.Summary, tc.want.summary) {
					t.Errorf("summary %q lacks %q", x.Summary, tc.want.summary)
				}
				if after := auditCount(o.Owner); after != before {
					t.Fatalf("explaining wrote %d audit events", after-before)
				}
				if tc.want.allowed {
					return
				}
				for _, r := range x.Remedies {
					if r["callerCanApply"] != true {
						t.Errorf("the owner cannot apply %v", r)
					}
				}
				// Asked by the member themselves: nobody changes their own roles.
				if self := who.explain(tc.perm, tc.resource, nil); self.Allowed || len(self.Remedies) != len(x.Remedies) {
					t.Errorf("asked by the member: %v", self)
				}
				o.applyRemedies(o.Owner, who, x)
				if !o.Owner.canFor(who.MemberID, tc.perm, tc.resource) {
					t.Fatalf("after applying %v, can is still false", x.kinds(x.Remedies))
				}
				if y := o.Owner.explain(tc.perm, tc.resource, who); !y.Allowed || len(y.Remedies) > 0 {
					t.Fatalf("after the remedies: %v", y)
				}
			})
		}

		t.Run("member inactive", func(t *testing.T) {
			o.Owner.ok(`mutation($m: ID!) { deactivateMember(memberId: $m) { id } }`, map[string]any{"m": rep.MemberID})
			x := o.Owner.explain("interactions.read", call, rep)
			t.Log(x)
			if x.Allowed || !has(x.kinds(x.Reasons), "MEMBER_INACTIVE") || strings.Join(x.kinds(x.Remedies), ",") != "REACTIVATE" {
				t.Fatalf("deactivated: %v", x)
			}
			o.applyRemedies(o.Owner, rep, x)
			if !o.Owner.canFor(rep.MemberID, "interactions.read", call) {
				t.Fatal("reactivated, still refused")
			}
		})

		t.Run("pool full: buy, then assign", func(t *testing.T) {
			cara := o.member("cara@explain.example", []string{"recorder"}, nil, nil)
			d := o.Owner.ok(`{ organization { seats { kind used } } }`, nil)
			for _, p := range get(d, "organization", "seats").([]any) {
				if str(p, "kind") == "RECORDER" {
					o.Owner.ok(`mutation($t: Int!) { setSeatTotal(kind: RECORDER, total: $t) { total } }`, map[string]any{"t": int(get(p, "used").(float64))})
				}
			}
			x := o.Owner.explain("interactions.record", "", cara)
			t.Log(x)
			if strings.Join(x.kinds(x.Remedies), ",") != "BUY_SEAT,ASSIGN_SEAT" {
				t.Fatalf("full pool: %v", x)
			}
			for _, r := range x.Remedies {
				if r["callerCanApply"] != true {
					t.Errorf("the owner cannot apply %v", r)
				}
			}
			o.applyRemedies(o.Owner, cara, x)
			if !o.Owner.canFor(cara.MemberID, "interactions.record", "") {
				t.Fatal("bought and assigned, still refused")
			}
		})

		t.Run("callerCanApply is the mutation's own guard", func(t *testing.T) {
			// tom (Manager: members.write at TEAM) manages dan's team, yet may
			// not hand out the Admin role: the escalation guard says no.
			dan := o.member("dan@explain.example", []string{"agent"}, []string{"Sales EMEA"}, nil)
			x := o.Owner.explain("interactions.delete", call, dan)
			y := tom.explain("interactions.delete", call, dan)
			if strings.Join(x.kinds(x.Remedies), ",") != "ASSIGN_ROLE" || len(y.Remedies) != 1 {
				t.Fatalf("owner %v, tom %v", x, y)
			}
			if x.Remedies[0]["callerCanApply"] != true || y.Remedies[0]["callerCanApply"] != false {
				t.Fatalf("callerCanApply: owner %v, tom %v", x.Remedies[0], y.Remedies[0])
			}
			tom.fails("ESCALATION", "", `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`,
				map[string]any{"m": dan.MemberID, "r": []string{o.role("agent"), str(y.Remedies[0], "role", "id")}})
		})
	})
}

func TestExplainBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		o := e.newOrg("Explain Bad", "PRO", nil)
		other := e.newOrg("Explain Other", "PRO", nil)
		o.team("Floor", "")
		rep := o.member("rep@bad.example", []string{"recorder"}, []string{"Floor"}, []string{"RECORDER"})
		guest := o.member("guest@bad.example", []string{"guest"}, nil, nil)
		call := o.interaction("mine", rep, "Floor")
		theirs := other.interaction("theirs", other.member("orep@other.example", []string{"recorder"}, nil, []string{"RECORDER"}), "")
		unknown := "int_" + strings.Repeat("0", 26)
		q := `query($p: String!, $r: ID, $m: ID) { explain(permission: $p, resourceId: $r, memberId: $m) { allowed } }`
		o.Owner.fails("BAD_USER_INPUT", "permission", q, map[string]any{"p": "interactions.fly"})
		foreign := o.Owner.fails("BAD_USER_INPUT", "resourceId", q, map[string]any{"p": "interactions.read", "r": theirs})
		missing := o.Owner.fails("BAD_USER_INPUT", "resourceId", q, map[string]any{"p": "interactions.read", "r": unknown})
		if strings.ReplaceAll(foreign.Message, theirs, "X") != strings.ReplaceAll(missing.Message, unknown, "X") {
			t.Errorf("a foreign id reads differently from an unknown one: %q vs %q", foreign.Message, missing.Message)
		}
		o.Owner.fails("BAD_USER_INPUT", "memberId", q, map[string]any{"p": "interactions.read", "m": other.Owner.MemberID})
		o.Owner.fails("BAD_USER_INPUT", "resourceId", q, map[string]any{"p": "interactions.read", "r": rep.MemberID})
		guest.fails("FORBIDDEN", "", q, map[string]any{"p": "interactions.read", "r": call, "m": rep.MemberID})
		if x := guest.explain("interactions.read", call, nil); x.Allowed || !has(x.kinds(x.Reasons), "SCOPE_TOO_NARROW") {
			t.Errorf("guest on a call they are not on: %v", x)
		}
	})
}

// explain's allowed equals can over the demo organization: every member ×
// every interaction × four permissions on the memory backend, a sample on
// Postgres (each explain there is several round trips).
func TestExplainAgreesWithCanOnDemo(t *testing.T) {
	perms := []string{"interactions.read", "interactions.write", "interactions.delete", "interactions.coach"}
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		ctx, d := loadDemo(t, e)
		svc := e.srv.Service
		ownerC := domain.Caller{OrgID: d.OrgID, MemberID: d.People[0].ID}
		all, err := e.srv.Store.ListInteractions(ctx, d.OrgID, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var calls []string
		for _, i := range all {
			calls = append(calls, i.ID)
		}
		if len(calls) < demo.Interactions {
			t.Fatalf("the demo has %d interactions", len(calls))
		}
		step := 1
		if strings.HasSuffix(t.Name(), "/"+string(postgresBackend)) {
			step = 10
		}
		// Four askers at once: the questions are independent, and SpiceDB
		// answers them on both cores (one asker leaves one idle).
		type question struct {
			member, perm, call string
			c                  domain.Caller
		}
		questions := make(chan question)
		var mu sync.Mutex
		n, allowed := 0, 0
		kinds := map[domain.ReasonKind]int{}
		examples := map[domain.ReasonKind][3]string{} // member, permission, interaction
		g, gctx := errgroup.WithContext(ctx)
		for range 4 {
			g.Go(func() error {
				for q := range questions {
					can, err := svc.Can(domain.WithMemo(gctx), q.c, q.perm, q.call, "")
					if err != nil {
						return err
					}
					x, err := svc.Explain(domain.WithMemo(gctx), q.c, q.perm, q.call, "")
					if err != nil {
						return err
					}
					if x.Allowed != can {
						return fmt.Errorf("%s %s %s: explain %v, can %v: %s", q.member, q.perm, q.call, x.Allowed, can, x.Summary)
					}
					if len(x.Reasons) == 0 || x.Summary == "" {
						return fmt.Errorf("%s %s %s: no reasons", q.member, q.perm, q.call)
					}
					mu.Lock()
					for _, r := range x.Reasons {
						kinds[r.Kind]++
						if _, ok := examples[r.Kind]; !ok && (r.Kind == domain.ReasonTeamManager || r.Kind == domain.ReasonScopeTooNarrow || r.Kind == domain.ReasonNotGranted) {
							examples[r.Kind] = [3]string{q.c.MemberID, q.perm, q.call}
						}
					}
					n++
					if can {
						allowed++
					}
					mu.Unlock()
				}
				return nil
			})
		}
		g.Go(func() error {
			defer close(questions)
			for _, p := range d.People {
				c := domain.Caller{OrgID: d.OrgID, MemberID: p.ID}
				for k := 0; k < len(calls); k += step {
					for _, perm := range perms {
						select {
						case questions <- question{p.Label, perm, calls[k], c}:
						case <-gctx.Done():
							return nil
						}
					}
				}
			}
			return nil
		})
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d explanations agree with can (%d allowed); reasons %v", n, allowed, kinds)
		// Three in full, as the owner asks them (remedies then applicable).
		for _, k := range []domain.ReasonKind{domain.ReasonTeamManager, domain.ReasonScopeTooNarrow, domain.ReasonNotGranted} {
			ex, ok := examples[k]
			if !ok {
				t.Errorf("no demo question explained with %s", k)
				continue
			}
			x, err := svc.Explain(domain.WithMemo(ctx), ownerC, ex[1], ex[2], ex[0])
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("explain(%s, %s, %s):\n%s", ex[1], ex[2], ex[0], fullExplanation(x))
		}
		if allowed == 0 || allowed == n {
			t.Fatal("the demo allows everything or nothing: the comparison shows nothing")
		}
	})
}

// fullExplanation is an explanation as a support agent would read it.
func fullExplanation(x *domain.Explanation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  allowed: %v\n  summary: %s\n", x.Allowed, x.Summary)
	for _, r := range x.Reasons {
		fmt.Fprintf(&b, "  reason %s: %s\n", r.Kind, r.Text)
	}
	for _, r := range x.Remedies {
		fmt.Fprintf(&b, "  remedy %s (callerCanApply %v): %s\n", r.Kind, r.CallerCanApply, r.Text)
	}
	return b.String()
}
