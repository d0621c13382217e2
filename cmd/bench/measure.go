package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	authzed "github.com/authzed/authzed-go/v1"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/internal/gqlclient"
	"github.com/rolegraph/rolegraph/metrics"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// clientFor is GraphQL on one replica as one member.
func (b *bench) clientFor(r *replica, memberID string) *gqlClient {
	return b.clientAt(r.url, memberID)
}

// clientAt is GraphQL at a replica's base URL as one member.
func (b *bench) clientAt(baseURL, memberID string) *gqlClient {
	tok, err := b.a.srv.Token(b.w.org.ID, memberID, 24*time.Hour)
	if err != nil {
		panic(err) // signing with a valid secret does not fail
	}
	return &gqlClient{gqlclient.Client{URL: baseURL, HTTP: httpClient}.Bearer(tok)}
}

// consistency is what rolegraph itself asks SpiceDB for: at least as fresh
// as the organization's last applied write.
func (b *bench) consistency(ctx context.Context) (*v1.Consistency, error) {
	org, err := b.a.srv.Store.GetOrganization(ctx, b.w.org.ID)
	if err != nil {
		return nil, err
	}
	return &v1.Consistency{Requirement: &v1.Consistency_AtLeastAsFresh{AtLeastAsFresh: &v1.ZedToken{Token: org.ZedToken}}}, nil
}

func directCheck(ctx context.Context, c *authzed.Client, cons *v1.Consistency, resourceID, permission, memberID string) (bool, error) {
	resp, err := c.CheckPermission(ctx, &v1.CheckPermissionRequest{
		Consistency: cons,
		Resource:    &v1.ObjectReference{ObjectType: rels.TypeInteraction, ObjectId: resourceID},
		Permission:  permission,
		Subject:     &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: memberID}},
	})
	if err != nil {
		return false, err
	}
	return resp.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION, nil
}

// lookupAll counts every interaction the member may read (a full
// LookupResources), or the first limit of them.
func lookupAll(ctx context.Context, c *authzed.Client, cons *v1.Consistency, memberID string, limit uint32) (int, error) {
	stream, err := c.LookupResources(ctx, &v1.LookupResourcesRequest{
		Consistency:        cons,
		ResourceObjectType: rels.TypeInteraction,
		Permission:         "interactions_read",
		Subject:            &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: memberID}},
		OptionalLimit:      limit,
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if r.Permissionship == v1.LookupPermissionship_LOOKUP_PERMISSIONSHIP_HAS_PERMISSION {
			n++
		}
	}
}

// ---- 1. can: direct SpiceDB vs GraphQL cache off vs warm cache ----

type checkPair struct {
	class              string // OWN, TEAM, ALL
	member, resource   string
	permission, object string // catalog key, SpiceDB permission
}

var checkPerms = []struct{ key, object string }{
	{"interactions.read", "interactions_read"},
	{"interactions.download", "interactions_download"},
	{"interactions.delete", "interactions_delete"},
}

// checkPairs draws questions: per scope class, members of that class and
// interactions half related to them (owned or assigned, in the managed
// subtree) and half random, so answers mix allows and denies.
func (b *bench) checkPairs(rng *rand.Rand, n int) []checkPair {
	w := b.w
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	firstN := func(s []string, k int) []string { return s[:min(k, len(s))] }
	own, team, all := firstN(w.recorders, 20), firstN(w.teamManagers, 20), firstN(w.analysts, 20)
	randomInteraction := func() string { return w.interactions[rng.IntN(len(w.interactions))].id }
	var out []checkPair
	seen := map[checkPair]bool{}
	for i, tries := 0, 0; i < n; tries++ {
		p := checkPerms[rng.IntN(len(checkPerms))]
		c := checkPair{permission: p.key, object: p.object, resource: randomInteraction()}
		related := rng.IntN(2) == 0
		switch i % 3 {
		case 0:
			c.class, c.member = "OWN", pick(own)
			if mine := w.byOwner[c.member]; related && len(mine) > 0 {
				c.resource = w.interactions[mine[rng.IntN(len(mine))]].id
			}
		case 1:
			c.class = "TEAM"
			k := rng.IntN(len(team))
			c.member = team[k]
			if sub := w.subtree[w.teams[k]]; related {
				if in := w.byTeam[sub[rng.IntN(len(sub))]]; len(in) > 0 {
					c.resource = w.interactions[in[rng.IntN(len(in))]].id
				}
			}
		default:
			c.class, c.member = "ALL", pick(all)
		}
		// Every question once (a repeat would not be fresh), unless the
		// organization is too small to have enough distinct ones.
		if seen[c] && tries < 20*n {
			continue
		}
		seen[c] = true
		out = append(out, c)
		i++
	}
	return out
}

type checkResults struct {
	// fresh: a question SpiceDB has not been asked before (only sub-problems
	// shared with earlier questions can come from its dispatch cache), each
	// asked one way only. repeat: the same question was just asked, so
	// SpiceDB's dispatch cache holds it (for the 5s revision quantization
	// window).
	directFresh, offFresh, directRepeat, offRepeat *sample
	warm, redis                                    *sample
	// what a cache-off can costs besides the check itself
	overhead           []*sample
	byClass            map[string][]*sample
	allows, mismatches int
	// decision-cache lookups (layer result → count) during the timed warm
	// pass on A and the Redis pass on B
	cacheA, cacheB map[string]float64
}

// cacheCounts reads a replica's decision-cache counters.
func cacheCounts(m *metrics.Metrics) map[string]float64 {
	out := map[string]float64{}
	for _, layer := range []string{"local", "redis"} {
		for _, result := range []string{"hit", "miss", "error", "skipped"} {
			var d dto.Metric
			if err := m.CacheRequests.WithLabelValues(layer, result).Write(&d); err == nil {
				out[layer+" "+result] = d.GetCounter().GetValue()
			}
		}
	}
	return out
}

func countsSince(before, after map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

func (b *bench) measureChecks(ctx context.Context, rng *rand.Rand) (*checkResults, error) {
	pairs := b.checkPairs(rng, b.cfg.checks)
	cons, err := b.consistency(ctx)
	if err != nil {
		return nil, err
	}
	spice := b.c.srv.SpiceDB.Client // C's own SpiceDB: the same one its cache-off GraphQL asks
	clients := map[string][3]*gqlClient{}
	for _, p := range pairs {
		if _, ok := clients[p.member]; !ok {
			clients[p.member] = [3]*gqlClient{b.clientFor(b.c, p.member), b.clientFor(b.a, p.member), b.clientFor(b.b, p.member)}
		}
	}
	res := &checkResults{
		directFresh:  &sample{name: "1. SpiceDB CheckPermission direct, fresh question"},
		offFresh:     &sample{name: "1. GraphQL can, cache off (C), fresh question"},
		directRepeat: &sample{name: "1. SpiceDB CheckPermission direct, repeated question"},
		offRepeat:    &sample{name: "1. GraphQL can, cache off (C), repeated question"},
		warm:         &sample{name: "1. GraphQL can, warm cache (A, in-process hit)"},
		redis:        &sample{name: "1. GraphQL can, Redis hit (B, warmed by A)"},
		byClass:      map[string][]*sample{},
	}
	const (
		direct = iota
		off
		warm
		viaB
	)
	for _, cl := range []string{"OWN", "TEAM", "ALL"} {
		res.byClass[cl] = []*sample{
			{name: "   " + cl + " members: direct, fresh"},
			{name: "   " + cl + " members: cache off, fresh"},
			{name: "   " + cl + " members: direct, repeated"},
			{name: "   " + cl + " members: cache off, repeated"},
			{name: "   " + cl + " members: warm cache"},
		}
	}
	ask := func(k int, p checkPair) (bool, error) {
		switch k {
		case direct:
			return directCheck(ctx, spice, cons, p.resource, p.object, p.member)
		case off:
			return clients[p.member][0].can(ctx, p.permission, p.resource)
		case warm:
			return clients[p.member][1].can(ctx, p.permission, p.resource)
		default:
			return clients[p.member][2].can(ctx, p.permission, p.resource)
		}
	}
	timed := func(k int, p checkPair, s ...*sample) (bool, error) {
		start := time.Now()
		ok, err := ask(k, p)
		d := time.Since(start)
		for _, x := range s {
			x.add(d)
		}
		return ok, err
	}
	want := make([]bool, len(pairs))
	check := func(i int, got bool) {
		if got != want[i] {
			res.mismatches++
		}
	}
	// Fresh: each question asked once, alternately direct or through C.
	// A few untimed questions first warm connections and the schema.
	for _, p := range pairs[:min(len(pairs), 30)] {
		q := p
		q.resource = b.w.interactions[len(b.w.interactions)-1-rng.IntN(len(b.w.interactions))].id
		for _, k := range []int{direct, off} {
			if _, err := ask(k, q); err != nil {
				return nil, fmt.Errorf("warm-up: %w", err)
			}
		}
	}
	for i, p := range pairs {
		k := i % 2
		s := []*sample{res.directFresh, res.byClass[p.class][0]}
		if k == off {
			s = []*sample{res.offFresh, res.byClass[p.class][1]}
		}
		ok, err := timed(k, p, s...)
		if err != nil {
			return nil, err
		}
		want[i] = ok
		if ok {
			res.allows++
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	// Repeated: the question is asked (untimed) right before, then timed
	// direct and through C, in alternating order.
	for i, p := range pairs {
		got, err := ask(direct, p)
		if err != nil {
			return nil, err
		}
		check(i, got)
		order := []int{direct, off}
		if i%2 == 1 {
			order = []int{off, direct}
		}
		for _, k := range order {
			s := []*sample{res.directRepeat, res.byClass[p.class][2]}
			if k == off {
				s = []*sample{res.offRepeat, res.byClass[p.class][3]}
			}
			got, err := timed(k, p, s...)
			if err != nil {
				return nil, err
			}
			check(i, got)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	// The fixed cost around the check, measured the same way: a GraphQL
	// request that asks nothing of SpiceDB (HTTP, JWT, the authentication
	// reads, GraphQL), and the store reads a cache-off can makes.
	noop := &sample{name: "1. overhead: GraphQL { __typename } via C (no check)"}
	authReads := &sample{name: "1. overhead: store GetOrganizationMember (authentication)"}
	exists := &sample{name: "1. overhead: store Exists (interaction, beside the check)"}
	// The layers of a repeated cache-off can, each timed on a question
	// asked directly just before: SpiceDB itself, C's authz (consistency,
	// deadline, health), C's domain service (organization, catalog,
	// existence beside the check), and the whole GraphQL request.
	layerDirect := &sample{name: "1. layers, repeated: SpiceDB CheckPermission direct"}
	layerAuthz := &sample{name: "1. layers, repeated: authz.Check (C), no HTTP or GraphQL"}
	layerDomain := &sample{name: "1. layers, repeated: domain Service.Can (C), no HTTP or GraphQL"}
	layerHandler := &sample{name: "1. layers, repeated: C's HTTP handler called in process (no TCP)"}
	layerGraphQL := &sample{name: "1. layers, repeated: GraphQL can via C"}
	res.overhead = []*sample{noop, authReads, exists, layerDirect, layerAuthz, layerDomain, layerHandler, layerGraphQL}
	handler := b.c.srv.HandlerWith()
	cst := b.c.srv.Store
	org, err := cst.GetOrganization(ctx, b.w.org.ID)
	if err != nil {
		return nil, err
	}
	fresh := authz.Freshness{OrgID: org.ID, Revision: org.Revision, ZedToken: org.ZedToken}
	for i, p := range pairs[:min(len(pairs), 300)] {
		if _, err := ask(direct, p); err != nil {
			return nil, err
		}
		layers := []struct {
			s *sample
			f func() (bool, error)
		}{
			{layerDirect, func() (bool, error) { return ask(direct, p) }},
			{layerAuthz, func() (bool, error) {
				return b.c.srv.Authz.Check(ctx, fresh, authz.Check{Object: authz.Object{Type: rels.TypeInteraction, ID: p.resource}, Permission: p.object, MemberID: p.member})
			}},
			{layerDomain, func() (bool, error) {
				return b.c.srv.Service.Can(domain.WithOrganization(ctx, org), domain.Caller{OrgID: org.ID, MemberID: p.member}, p.permission, p.resource, "")
			}},
			{layerHandler, func() (bool, error) { return serveInProcess(ctx, handler, clients[p.member][0], p) }},
			{layerGraphQL, func() (bool, error) { return ask(off, p) }},
		}
		for k := range layers {
			l := layers[(i+k)%len(layers)]
			start := time.Now()
			got, err := l.f()
			l.s.add(time.Since(start))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", l.s.name, err)
			}
			check(i, got)
		}
		if err := noop.time(func() error { return clients[p.member][0].do(ctx, `{ __typename }`, nil, nil) }); err != nil {
			return nil, err
		}
		if err := authReads.time(func() error {
			_, _, err := cst.GetOrganizationMember(ctx, b.w.org.ID, p.member)
			return err
		}); err != nil {
			return nil, err
		}
		if err := exists.time(func() error {
			_, err := cst.Exists(ctx, b.w.org.ID, store.EntityInteraction, pairs[len(pairs)-1-i].resource)
			return err
		}); err != nil {
			return nil, err
		}
	}
	// Warm: A answers every question once (untimed, filling its in-process
	// layer and Redis), then again, timed, in another order.
	for i, p := range pairs {
		got, err := ask(warm, p)
		if err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
		check(i, got)
	}
	order := rng.Perm(len(pairs))
	beforeA := cacheCounts(b.a.srv.Metrics)
	for _, i := range order {
		got, err := timed(warm, pairs[i], res.warm, res.byClass[pairs[i].class][4])
		if err != nil {
			return nil, err
		}
		check(i, got)
	}
	res.cacheA = countsSince(beforeA, cacheCounts(b.a.srv.Metrics))
	// B has never seen these questions; A cached them in Redis: B's first
	// ask is a local miss and a Redis hit.
	beforeB := cacheCounts(b.b.srv.Metrics)
	for _, i := range order {
		got, err := timed(viaB, pairs[i], res.redis)
		if err != nil {
			return nil, err
		}
		check(i, got)
	}
	res.cacheB = countsSince(beforeB, cacheCounts(b.b.srv.Metrics))
	return res, nil
}

// serveInProcess asks c's can question of h in this goroutine, without a
// connection: what the server's handlers cost apart from TCP.
func serveInProcess(ctx context.Context, h http.Handler, c *gqlClient, p checkPair) (bool, error) {
	body, err := json.Marshal(map[string]any{"query": canQuery, "variables": map[string]any{"p": p.permission, "r": p.resource}})
	if err != nil {
		return false, err
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", c.Authorization)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out struct {
		Data   struct{ Can bool }
		Errors []gqlclient.Error
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		return false, fmt.Errorf("HTTP %d: %w", rec.Code, err)
	}
	if len(out.Errors) > 0 {
		return false, out.Errors[0]
	}
	return out.Data.Can, nil
}

// ---- 2 and 3: first page, full LookupResources, 50 × 4 flags ----

type pageResults struct {
	class, member string
	visible       int // full LookupResources count

	pageA, pageC   *sample // interactions(first: 50) { id title }
	flagsA, flagsC *sample // … with viewerCan { read write delete download }
	canA, canC     *sample // a single can on an interaction of the page
	lr50, lrFull   *sample // raw LookupResources, limit 50 and all
	load51         *sample // the store read of a page's 51 interactions
}

func (b *bench) measurePages(ctx context.Context, class, member string, out io.Writer) (*pageResults, error) {
	cons, err := b.consistency(ctx)
	if err != nil {
		return nil, err
	}
	spice := b.c.srv.SpiceDB.Client
	ca, cc := b.clientFor(b.a, member), b.clientFor(b.c, member)
	r := &pageResults{class: class, member: member,
		pageA:  &sample{name: "2. " + class + ": interactions(first:50), warm cache (A)"},
		pageC:  &sample{name: "2. " + class + ": interactions(first:50), cache off (C)"},
		lr50:   &sample{name: "2. " + class + ": SpiceDB LookupResources limit 50 (direct)"},
		lrFull: &sample{name: "2. " + class + ": SpiceDB LookupResources, full (direct)"},
		load51: &sample{name: "2. " + class + ": store GetInteractions of the page's 51 ids"},
		flagsA: &sample{name: "3. " + class + ": first:50 + 4 viewerCan each, warm cache (A)"},
		flagsC: &sample{name: "3. " + class + ": first:50 + 4 viewerCan each, cache off (C)"},
		canA:   &sample{name: "3. " + class + ": single can, warm cache (A)"},
		canC:   &sample{name: "3. " + class + ": single can, cache off (C)"},
	}
	first, err := ca.page(ctx, true, 50)
	if err != nil {
		return nil, err
	}
	if len(first.Interactions.Edges) == 0 {
		return nil, fmt.Errorf("%s member %s sees no interactions", class, member)
	}
	target := first.Interactions.Edges[0].Node.ID
	pageIDs := make([]string, 0, len(first.Interactions.Edges)+1)
	for _, e := range first.Interactions.Edges {
		pageIDs = append(pageIDs, e.Node.ID)
	}
	pageIDs = append(pageIDs, b.w.interactions[0].id) // the page asks for first+1
	steps := []step{
		{r.pageA, func() error { _, err := ca.page(ctx, false, 50); return err }},
		{r.pageC, func() error { _, err := cc.page(ctx, false, 50); return err }},
		{r.flagsA, func() error { return checkFlags(ca.page(ctx, true, 50)) }},
		{r.flagsC, func() error { return checkFlags(cc.page(ctx, true, 50)) }},
		{r.canA, func() error { return mustAllow(ca.can(ctx, "interactions.read", target)) }},
		{r.canC, func() error { return mustAllow(cc.can(ctx, "interactions.read", target)) }},
		{r.lr50, func() error { _, err := lookupAll(ctx, spice, cons, member, 50); return err }},
		{r.load51, func() error { _, err := b.c.srv.Store.GetInteractions(ctx, b.w.org.ID, pageIDs); return err }},
	}
	full := step{r.lrFull, func() error {
		n, err := lookupAll(ctx, spice, cons, member, 0)
		r.visible = n
		return err
	}}
	// The cheap steps take turns; the full LookupResources (seconds,
	// hundreds of MiB of garbage for 100k interactions) runs in a block of
	// its own afterwards, so that no cheap step pays for recovering from it.
	if err := rotate(ctx, steps, b.cfg.cheapRounds, false); err != nil {
		return nil, err
	}
	if err := rotate(ctx, []step{full}, b.cfg.pageIters, true); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  %s member %s: %d readable interactions\n", class, member, r.visible)
	return r, nil
}

func checkFlags(p *pageResult, err error) error {
	if err != nil {
		return err
	}
	for _, e := range p.Interactions.Edges {
		if e.Node.ViewerCan == nil || !e.Node.ViewerCan.Read {
			return fmt.Errorf("interaction %s is on the page but viewerCan.read is false", e.Node.ID)
		}
	}
	return nil
}

func mustAllow(ok bool, err error) error {
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("can is false for an interaction on the member's first page")
	}
	return nil
}

// ---- 4: revoke on A, check on B ----

type revokeResults struct {
	trials, stale, notVisible int
	// reanswered: B's queries answered again because the organization had
	// changed while B speculated on it as last read
	reanswered          float64
	grant, revoke       *sample // setRoleGrants through A
	checkMiss, checkHit *sample // can through B after the grant
	afterRevoke         *sample // can through B right after the revocation
}

func (b *bench) measureRevocation(ctx context.Context) (*revokeResults, error) {
	ownerA := b.clientFor(b.a, b.w.owner)
	probeB := b.clientFor(b.b, b.w.probe)
	target := b.w.interactions[0].id // the probe owns nothing and is in no team
	readAll := []map[string]string{{"permission": "interactions.read", "scope": "ALL"}}
	r := &revokeResults{
		grant:       &sample{name: "4. setRoleGrants via A: grant interactions.read ALL"},
		checkMiss:   &sample{name: "4. can via B after the grant (first ask)"},
		checkHit:    &sample{name: "4. can via B after the grant (second ask, cached)"},
		revoke:      &sample{name: "4. setRoleGrants via A: revoke (no grants)"},
		afterRevoke: &sample{name: "4. can via B right after the revocation"},
	}
	missesBefore := counter(b.b.srv.Metrics.SpeculationMisses)
	// Warm-up: one untimed trial.
	if err := ownerA.setRoleGrants(ctx, b.w.probeRole, readAll); err != nil {
		return nil, err
	}
	if _, err := probeB.can(ctx, "interactions.read", target); err != nil {
		return nil, err
	}
	if err := ownerA.setRoleGrants(ctx, b.w.probeRole, nil); err != nil {
		return nil, err
	}
	for i := 0; i < b.cfg.trials; i++ {
		if err := r.grant.time(func() error { return ownerA.setRoleGrants(ctx, b.w.probeRole, readAll) }); err != nil {
			return nil, fmt.Errorf("trial %d: grant: %w", i, err)
		}
		var first, second bool
		if err := r.checkMiss.time(func() (err error) { first, err = probeB.can(ctx, "interactions.read", target); return }); err != nil {
			return nil, fmt.Errorf("trial %d: check: %w", i, err)
		}
		if err := r.checkHit.time(func() (err error) { second, err = probeB.can(ctx, "interactions.read", target); return }); err != nil {
			return nil, fmt.Errorf("trial %d: check: %w", i, err)
		}
		if !first || !second {
			r.notVisible++
		}
		if err := r.revoke.time(func() error { return ownerA.setRoleGrants(ctx, b.w.probeRole, nil) }); err != nil {
			return nil, fmt.Errorf("trial %d: revoke: %w", i, err)
		}
		var after bool
		if err := r.afterRevoke.time(func() (err error) { after, err = probeB.can(ctx, "interactions.read", target); return }); err != nil {
			return nil, fmt.Errorf("trial %d: check after revoke: %w", i, err)
		}
		if after {
			r.stale++
		}
		r.trials++
	}
	r.reanswered = counter(b.b.srv.Metrics.SpeculationMisses) - missesBefore
	return r, nil
}

func counter(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}

// ---- 2b: evaluations(first: 50) vs one lookup ----

type evaluationResults struct {
	class, member string
	visible       int // full LookupResources count

	pageC, pageA *sample // evaluations(first: 50), listed from the caller's scopes
	lrFull       *sample // a full LookupResources of readable evaluations, direct
}

func (b *bench) measureEvaluations(ctx context.Context, class, member string, out io.Writer) (*evaluationResults, error) {
	cons, err := b.consistency(ctx)
	if err != nil {
		return nil, err
	}
	spice := b.c.srv.SpiceDB.Client
	ca, cc := b.clientFor(b.a, member), b.clientFor(b.c, member)
	r := &evaluationResults{class: class, member: member,
		pageC:  &sample{name: "2b. " + class + ": evaluations(first:50), cache off (C)"},
		pageA:  &sample{name: "2b. " + class + ": evaluations(first:50), warm cache (A)"},
		lrFull: &sample{name: "2b. " + class + ": SpiceDB LookupResources of evaluations, full (direct)"},
	}
	page := func(c *gqlClient) error {
		n, err := c.evaluations(ctx, 50)
		if err == nil && n == 0 {
			err = fmt.Errorf("%s member %s reads no evaluations", class, member)
		}
		return err
	}
	cheap := []step{
		{r.pageC, func() error { return page(cc) }},
		{r.pageA, func() error { return page(ca) }},
	}
	full := step{r.lrFull, func() error {
		stream, err := spice.LookupResources(ctx, &v1.LookupResourcesRequest{Consistency: cons,
			ResourceObjectType: rels.TypeEvaluation, Permission: "evaluations_read",
			Subject: &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: member}}})
		if err != nil {
			return err
		}
		n := 0
		for {
			if _, err := stream.Recv(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return err
			}
			n++
		}
		r.visible = n
		return nil
	}}
	if err := rotate(ctx, cheap, b.cfg.cheapRounds, false); err != nil {
		return nil, err
	}
	if err := rotate(ctx, []step{full}, b.cfg.pageIters, true); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  %s member %s: %d readable evaluations\n", class, member, r.visible)
	return r, nil
}

// step is one timed way of asking.
type step struct {
	s *sample
	f func() error
}

// rotate runs the steps round after round (a first, untimed round warms
// up), each once per round and in turn first, so that none is always
// measured right after the same other. It collects garbage before the
// rounds, and before every step when gcEach: a heavy step's garbage is its
// own cost, not the next one's.
func rotate(ctx context.Context, steps []step, rounds int, gcEach bool) error {
	runtime.GC()
	for i := -1; i < rounds; i++ {
		for j := range steps {
			st := steps[(i+1+j)%len(steps)]
			if gcEach {
				runtime.GC()
			}
			start := time.Now()
			if err := st.f(); err != nil {
				return fmt.Errorf("%s: %w", st.s.name, err)
			}
			if i >= 0 {
				st.s.add(time.Since(start))
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}
