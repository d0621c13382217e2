package identity

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rolegraph/rolegraph/authn"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/memory"
)

var secret = []byte(strings.Repeat("k", 32))

// world is one organization with members of every status, in the memory
// store, behind a store that counts reads and can be made to fail.
type world struct {
	t     *testing.T
	st    *countingStore
	svc   *domain.Service
	orgID string
}

type countingStore struct {
	store.Store
	orgReads, authReads atomic.Int64
	down                atomic.Bool
}

func (c *countingStore) GetOrganization(ctx context.Context, id string) (*model.Organization, error) {
	c.orgReads.Add(1)
	return c.Store.GetOrganization(ctx, id)
}

func (c *countingStore) GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error) {
	c.authReads.Add(1)
	if c.down.Load() {
		return nil, nil, fmt.Errorf("reading: %w", store.ErrUnavailable)
	}
	return c.Store.GetOrganizationMember(ctx, orgID, memberID)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, st: &countingStore{Store: memory.New()}, orgID: "org_a"}
	w.change(func(ctx context.Context, tx store.Tx) error {
		for _, o := range []*model.Organization{
			{ID: "org_a", Name: "A", Plan: model.PlanPro, OwnerID: "mem_active", ExternalID: "acme", CreatedAt: time.Now()},
			{ID: "org_b", Name: "B", Plan: model.PlanPro, OwnerID: "mem_b", CreatedAt: time.Now()},
		} {
			if err := tx.CreateOrganization(ctx, o); err != nil {
				return err
			}
		}
		for _, m := range []*model.Member{
			{ID: "mem_active", OrgID: "org_a", Email: "active@a.example", Name: "Active", Status: model.StatusActive, ExternalID: "idp|active"},
			{ID: "mem_invited", OrgID: "org_a", Email: "invited@a.example", Name: "Invited", Status: model.StatusInvited},
			{ID: "mem_gone", OrgID: "org_a", Email: "gone@a.example", Name: "Gone", Status: model.StatusDeactivated, ExternalID: "idp|gone"},
			{ID: "mem_b", OrgID: "org_b", Email: "b@b.example", Name: "B", Status: model.StatusActive},
		} {
			m.CreatedAt = time.Now()
			if err := tx.CreateMember(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	// Only its Organization is asked: the organization a request sees.
	w.svc = domain.New(w.st, nil, nil, catalog.Default(), nil)
	return w
}

func (w *world) token(c authn.Claims) string {
	w.t.Helper()
	tok, err := authn.Issue(secret, c, time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

func (w *world) member(id string) string {
	return w.token(authn.Claims{Org: w.orgID, Subject: id})
}

// change runs f in one store transaction.
func (w *world) change(f func(ctx context.Context, tx store.Tx) error) {
	w.t.Helper()
	ctx := context.Background()
	if err := w.st.InTx(ctx, func(tx store.Tx) error { return f(ctx, tx) }); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) setPlan(p model.Plan) {
	w.change(func(ctx context.Context, tx store.Tx) error {
		o, err := tx.GetOrganization(ctx, w.orgID)
		if err == nil {
			o.Plan = p
			err = tx.UpdateOrganization(ctx, o)
		}
		return err
	})
}

func (w *world) setStatus(id string, s model.MemberStatus) {
	w.change(func(ctx context.Context, tx store.Tx) error {
		m, err := tx.GetMember(ctx, w.orgID, id)
		if err == nil {
			m.Status = s
			err = tx.UpdateMember(ctx, m)
		}
		return err
	})
}

// seen is what one run of the handler behind the middleware saw.
type seen struct {
	principal   *Principal
	plan        model.Plan // the organization domain answers with
	orgReads    int64      // store reads that answer took: 0 when authentication handed it over
	speculative bool
}

// probe is the handler behind the middleware: it records what it saw and
// answers with the plan it saw; change, when set, runs as a GraphQL
// mutation's operation would, through ChangesWait.
type probe struct {
	w      *world
	runs   []seen
	change func(ctx context.Context) (context.Context, bool)
}

func (p *probe) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if p.change != nil {
		var ok bool
		if ctx, ok = p.change(ctx); !ok {
			fmt.Fprint(rw, "refused")
			return
		}
	}
	s := seen{principal: FromContext(ctx), speculative: ctx.Value(gateKey{}) != nil}
	if s.principal != nil && s.principal.Kind == Member {
		before := p.w.st.orgReads.Load()
		org, err := p.w.svc.Organization(ctx, domain.Caller{OrgID: s.principal.OrgID, MemberID: s.principal.MemberID})
		if err != nil {
			p.w.t.Errorf("the organization: %v", err)
		} else {
			s.plan = org.Plan
		}
		s.orgReads = p.w.st.orgReads.Load() - before
	}
	p.runs = append(p.runs, s)
	fmt.Fprint(rw, s.plan)
}

type counter struct{ n atomic.Int64 }

func (c *counter) Inc() { c.n.Add(1) }

func (w *world) send(h http.Handler, auth ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ viewer { id } }"}`))
	for _, a := range auth {
		r.Header.Add("Authorization", a)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func code(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
		t.Fatalf("not one GraphQL error: %d %s", rec.Code, rec.Body)
	}
	c, _ := body.Errors[0].Extensions["code"].(string)
	return c
}

// external is a verifier that says every token is an OIDC sign-in of sub
// at org.
func external(org, sub string) Verifier {
	return func(context.Context, string) (authn.Claims, error) {
		return authn.Claims{Kind: authn.KindExternal, ExternalOrg: org, ExternalSubject: sub, Email: "x@a.example", EmailVerified: true}, nil
	}
}

// Who is asking, on a process that has not seen the organization: every
// refusal, and what a request that passes runs with.
func TestMiddleware(t *testing.T) {
	w := newWorld(t)
	expired, err := authn.Issue(secret, authn.Claims{Org: w.orgID, Subject: "mem_active", ExpiresAt: time.Now().Add(-time.Minute)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := authn.Issue([]byte(strings.Repeat("x", 32)), authn.Claims{Org: w.orgID, Subject: "mem_active"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		auth      []string
		verify    Verifier // nil: HS256(secret)
		down      bool
		status    int
		code      string
		principal *Principal // of the run, when it runs
		authReads int64
	}{
		{name: "no token: anonymous", status: 200},
		{name: "not a bearer token", auth: []string{"Basic YTpi"}, status: 401, code: "UNAUTHENTICATED"},
		{name: "two bearer tokens", auth: []string{"Bearer " + w.member("mem_active"), "Bearer " + w.member("mem_active")}, status: 401, code: "UNAUTHENTICATED"},
		{name: "another secret", auth: []string{"Bearer " + forged}, status: 401, code: "UNAUTHENTICATED"},
		{name: "expired", auth: []string{"Bearer " + expired}, status: 401, code: "UNAUTHENTICATED"},
		{name: "unknown member", auth: []string{"Bearer " + w.member("mem_nobody")}, status: 401, code: "UNAUTHENTICATED", authReads: 1},
		{name: "member of another organization", auth: []string{"Bearer " + w.member("mem_b")}, status: 401, code: "UNAUTHENTICATED", authReads: 1},
		{name: "invited member", auth: []string{"Bearer " + w.member("mem_invited")}, status: 401, code: "UNAUTHENTICATED", authReads: 1},
		{name: "deactivated member", auth: []string{"Bearer " + w.member("mem_gone")}, status: 401, code: "UNAUTHENTICATED", authReads: 1},
		{name: "store down", auth: []string{"Bearer " + w.member("mem_active")}, down: true, status: 503, code: "UNAVAILABLE", authReads: 1},
		{name: "service: nothing read", auth: []string{"Bearer " + w.token(authn.Claims{Service: "billing", Org: w.orgID})}, status: 200,
			principal: &Principal{Kind: Service, OrgID: w.orgID, Service: "billing"}},
		{name: "OIDC sign-in bound to no member: runs as External", auth: []string{"Bearer x"}, status: 200, verify: external("acme", "idp|nobody"),
			principal: &Principal{Kind: External, OrgExternalID: "acme", Subject: "idp|nobody", Email: "x@a.example", EmailVerified: true}},
		{name: "OIDC sign-in of another organization's sub", auth: []string{"Bearer x"}, status: 200, verify: external("globex", "idp|active"),
			principal: &Principal{Kind: External, OrgExternalID: "globex", Subject: "idp|active", Email: "x@a.example", EmailVerified: true}},
		{name: "OIDC sign-in of a deactivated member", auth: []string{"Bearer x"}, status: 401, code: "UNAUTHENTICATED", verify: external("acme", "idp|gone")},
		{name: "OIDC sign-in of an active member", auth: []string{"Bearer x"}, status: 200, verify: external("acme", "idp|active"),
			principal: &Principal{Kind: Member, OrgID: w.orgID, MemberID: "mem_active", OrgExternalID: "acme", Subject: "idp|active",
				Email: "x@a.example", EmailVerified: true}},
		{name: "operator: nothing read", auth: []string{"Bearer " + w.token(authn.Claims{Operator: true})}, status: 200,
			principal: &Principal{Kind: Operator}},
		{name: "active member", auth: []string{"Bearer " + w.member("mem_active")}, status: 200,
			principal: &Principal{Kind: Member, OrgID: w.orgID, MemberID: "mem_active"}, authReads: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			verify := c.verify
			if verify == nil {
				verify = HS256(secret)
			}
			a := New(Config{Store: w.st, Verify: verify})
			p := &probe{w: w}
			w.st.down.Store(c.down)
			defer w.st.down.Store(false)
			reads := w.st.authReads.Load()
			rec := w.send(a.Middleware(p), c.auth...)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			if got := w.st.authReads.Load() - reads; got != c.authReads {
				t.Errorf("%d authentication reads, want %d", got, c.authReads)
			}
			if c.status != 200 {
				if got := code(t, rec); got != c.code {
					t.Errorf("code %s, want %s", got, c.code)
				}
				if len(p.runs) != 0 {
					t.Errorf("a refused request ran: %+v", p.runs)
				}
				return
			}
			if len(p.runs) != 1 {
				t.Fatalf("ran %d times, want once", len(p.runs))
			}
			got := p.runs[0]
			if fmt.Sprint(got.principal) != fmt.Sprint(c.principal) {
				t.Errorf("principal %+v, want %+v", got.principal, c.principal)
			}
			if got.speculative {
				t.Error("ran on speculation on an organization never seen")
			}
			if c.principal != nil && c.principal.Kind == Member && (got.plan != model.PlanPro || got.orgReads != 0) {
				t.Errorf("domain saw plan %q after %d more organization reads; want the organization authentication read, handed over",
					got.plan, got.orgReads)
			}
		})
	}
}

// On an organization it has seen, a query runs beside the read: released
// as is when nothing changed, answered again on the new organization when
// something did, refused when the member may no longer act.
func TestSpeculation(t *testing.T) {
	w := newWorld(t)
	misses := &counter{}
	a := New(Config{Store: w.st, Verify: HS256(secret), Misses: misses})
	p := &probe{w: w}
	h := a.Middleware(p)
	tok := "Bearer " + w.member("mem_active")

	step := func(name string, status int, body string, runs []seen, missed int64) {
		t.Helper()
		p.runs = nil
		before := misses.n.Load()
		rec := w.send(h, tok)
		if rec.Code != status || (body != "" && rec.Body.String() != body) {
			t.Fatalf("%s: %d %s, want %d %s", name, rec.Code, rec.Body, status, body)
		}
		if len(p.runs) != len(runs) {
			t.Fatalf("%s: %d runs %+v, want %d", name, len(p.runs), p.runs, len(runs))
		}
		for k, want := range runs {
			if got := p.runs[k]; got.plan != want.plan || got.speculative != want.speculative || got.orgReads != 0 {
				t.Errorf("%s: run %d saw %+v, want plan %s speculative %v and no organization read", name, k, got, want.plan, want.speculative)
			}
		}
		if got := misses.n.Load() - before; got != missed {
			t.Errorf("%s: %d misses counted, want %d", name, got, missed)
		}
	}
	step("first: waits for the read", 200, "PRO", []seen{{plan: model.PlanPro}}, 0)
	step("seen, unchanged", 200, "PRO", []seen{{plan: model.PlanPro, speculative: true}}, 0)
	w.setPlan(model.PlanEnterprise)
	step("changed since seen", 200, "ENTERPRISE", []seen{{plan: model.PlanPro, speculative: true}, {plan: model.PlanEnterprise}}, 1)
	step("seen again", 200, "ENTERPRISE", []seen{{plan: model.PlanEnterprise, speculative: true}}, 0)
	w.setStatus("mem_active", model.StatusDeactivated)
	step("deactivated meanwhile", 401, "", []seen{{plan: model.PlanEnterprise, speculative: true}}, 0)
	w.setStatus("mem_active", model.StatusActive)

	// A body too large to buffer waits for the read.
	p.runs = nil
	small := New(Config{Store: w.st, Verify: HS256(secret), MaxBody: 8})
	for range 2 {
		if rec := w.send(small.Middleware(p), tok); rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	if len(p.runs) != 2 || p.runs[1].speculative {
		t.Errorf("a body over MaxBody ran on speculation: %+v", p.runs)
	}
}

// A change in a request on speculation waits for the read and acts on the
// organization it returned, or does not run at all; a query does not wait.
func TestChangesWait(t *testing.T) {
	operation := func(kind ast.Operation) func(ctx context.Context) (context.Context, bool) {
		return func(ctx context.Context) (context.Context, bool) {
			ctx = graphql.WithOperationContext(ctx, &graphql.OperationContext{Operation: &ast.OperationDefinition{Operation: kind}})
			var inner context.Context
			ChangesWait{}.InterceptOperation(ctx, func(ctx context.Context) graphql.ResponseHandler {
				inner = ctx
				return graphql.OneShot(&graphql.Response{})
			})
			return inner, inner != nil
		}
	}
	w := newWorld(t)
	misses := &counter{}
	a := New(Config{Store: w.st, Verify: HS256(secret), Misses: misses})
	tok := "Bearer " + w.member("mem_active")
	query, mutation := &probe{w: w, change: operation(ast.Query)}, &probe{w: w, change: operation(ast.Mutation)}
	if rec := w.send(a.Middleware(mutation), tok); rec.Code != 200 || rec.Body.String() != "PRO" {
		t.Fatalf("a change without speculation: %d %s", rec.Code, rec.Body)
	}

	w.setPlan(model.PlanEnterprise)
	mutation.runs = nil
	if rec := w.send(a.Middleware(mutation), tok); rec.Code != 200 || rec.Body.String() != "ENTERPRISE" {
		t.Fatalf("a change on speculation answered %d %s, want the organization read", rec.Code, rec.Body)
	}
	if len(mutation.runs) != 1 || mutation.runs[0].orgReads != 0 || misses.n.Load() != 0 {
		t.Errorf("a change that waited: runs %+v, %d misses; want one run on what authentication read, not answered again",
			mutation.runs, misses.n.Load())
	}

	w.setPlan(model.PlanPro)
	if rec := w.send(a.Middleware(query), tok); rec.Code != 200 || rec.Body.String() != "PRO" || len(query.runs) != 2 || query.runs[0].plan != model.PlanEnterprise {
		t.Fatalf("a query on speculation: %d %s, runs %+v; want it to run on the organization as last seen, then again", rec.Code, rec.Body, query.runs)
	}

	w.setStatus("mem_active", model.StatusDeactivated)
	mutation.runs = nil
	if rec := w.send(a.Middleware(mutation), tok); rec.Code != 401 || len(mutation.runs) != 0 {
		t.Fatalf("a deactivated member's change: %d %s, %d runs; want 401 and the change not run", rec.Code, rec.Body, len(mutation.runs))
	}
}
