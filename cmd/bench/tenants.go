package main

// Measurement 9 (issue 15, target 5): a real tenant base. --tenants small
// organizations of --tenant-members members each are bulk-seeded beside the
// big one, made of the very parts createOrganization writes
// (domain.NewOrganizationParts: system roles, seat pools, the owner, the
// graph), plus two teams (the second under the first), members holding
// analyst (ALL), manager (TEAM) and recorder (OWN), and
// --tenant-interactions interactions. Relationships are streamed into
// SpiceDB with ImportBulkRelationships while the organizations are
// generated; one final write's ZedToken becomes every new organization's
// revision; the entities are COPYed (postgres.Store.BulkLoad) with the
// current catalog fingerprint, as createOrganization records it.
//
// Then it measures:
//   - cache-off `can` (via C, fresh questions) on the big organization before
//     the tenants exist (the one-organization figure), and after: on the big
//     one and on small ones;
//   - server start, Config.Complete to serving, in a process of its own (this
//     binary re-executed with --serve-replica) so that its RSS is its own:
//     once with every organization on the current catalog (a normal
//     restart), once with a catalog that adds a permission (a release:
//     every organization is stale, and SyncCatalog repairs each one);
//   - the plan and time of the one query that finds stale organizations.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/internal/gqlclient"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres"
)

// tenantOrg is one seeded small organization, as the questions need it.
type tenantOrg struct {
	id             string
	all, team, own string // an analyst, the manager of the top team, a recorder
	owner          string
	interactions   []string
	// With tenantGen.keep (tests): what the organization was made of.
	members     []*model.Member
	memberships []*model.TeamMembership
	roles       []*model.Role
	teams       []*model.Team
	calls       []*model.Interaction
}

// tenantOrgsPerLoad is how many organizations one BulkLoad transaction
// copies.
const tenantOrgsPerLoad = 1000

// tenantShape is the shape of every small organization.
type tenantShape struct {
	members, interactions int
}

// tenantGen generates small organizations from a seeded RNG.
type tenantGen struct {
	shape tenantShape
	cat   *catalog.Catalog
	gen   idgen
	now   time.Time
	keep  bool // keep members and ids for tests
}

// org generates organization i into b and returns it with the
// relationships it contributes, exactly as the domain derives them.
func (g *tenantGen) org(i int, b *postgres.Bulk) (*tenantOrg, []rels.Relationship) {
	org := &model.Organization{ID: g.gen.new(ids.Organization), Name: fmt.Sprintf("Tenant %05d", i), Plan: model.PlanPro,
		Products: model.AllProducts, CreatedAt: g.now, Revision: 1}
	owner := &model.Member{ID: g.gen.new(ids.Member), OrgID: org.ID, Email: fmt.Sprintf("owner@t%05d.example", i),
		Name: fmt.Sprintf("Owner %05d", i), Status: model.StatusActive, CreatedAt: g.now}
	org.OwnerID = owner.ID
	parts := domain.NewOrganizationParts(g.cat, org, owner,
		map[model.SeatKind]int{model.SeatRecorder: g.shape.members}, g.gen.new)
	b.Organizations = append(b.Organizations, org)
	b.Roles = append(b.Roles, parts.Roles...)
	b.SeatPools = append(b.SeatPools, parts.SeatPools...)
	b.Members = append(b.Members, owner)
	out := make([]rels.Relationship, 0, len(parts.Graph)+10*g.shape.members+5*g.shape.interactions)
	for _, r := range parts.Graph {
		out = append(out, r)
	}
	role := map[string]string{}
	for _, r := range parts.Roles {
		role[r.Key] = r.ID
	}
	t := &tenantOrg{id: org.ID, owner: owner.ID}
	if g.keep {
		t.members, t.roles = []*model.Member{owner}, parts.Roles
	}
	teams := []*model.Team{{ID: g.gen.new(ids.Team), OrgID: org.ID, Name: "Floor"}}
	teams = append(teams, &model.Team{ID: g.gen.new(ids.Team), OrgID: org.ID, Name: "Floor East", ParentID: teams[0].ID})
	for _, tm := range teams {
		b.Teams = append(b.Teams, tm)
		out = append(out, rels.Team(tm).Sorted()...)
	}
	if g.keep {
		t.teams = teams
	}
	// Members besides the owner: an analyst, a manager of each team, the
	// rest recorders alternating between the teams.
	var owners []*model.Member
	teamOf := map[string]string{}
	for j := 1; j < g.shape.members; j++ {
		m := &model.Member{ID: g.gen.new(ids.Member), OrgID: org.ID, Email: fmt.Sprintf("m%03d@t%05d.example", j, i),
			Name: fmt.Sprintf("Member %03d", j), Status: model.StatusActive, CreatedAt: g.now.Add(time.Duration(j) * time.Second)}
		var ms *model.TeamMembership
		switch {
		case j == 1:
			m.RoleIDs = []string{role["analyst"]}
			t.all = m.ID
		case j <= 1+len(teams):
			m.RoleIDs, m.Seats = []string{role["manager"]}, []model.SeatKind{model.SeatRecorder}
			ms = &model.TeamMembership{OrgID: org.ID, TeamID: teams[j-2].ID, MemberID: m.ID, Manager: true}
			if j == 2 {
				t.team = m.ID
			}
		default:
			m.RoleIDs, m.Seats = []string{role["recorder"]}, []model.SeatKind{model.SeatRecorder}
			ms = &model.TeamMembership{OrgID: org.ID, TeamID: teams[j%len(teams)].ID, MemberID: m.ID}
			if t.own == "" {
				t.own = m.ID
			}
		}
		b.Members = append(b.Members, m)
		out = append(out, rels.Member(m).Sorted()...)
		if ms != nil {
			b.Memberships = append(b.Memberships, ms)
			out = append(out, rels.Membership(ms).Sorted()...)
			teamOf[m.ID] = ms.TeamID
			owners = append(owners, m)
			if g.keep {
				t.memberships = append(t.memberships, ms)
			}
		}
		if g.keep {
			t.members = append(t.members, m)
		}
	}
	for k := 0; k < g.shape.interactions && len(owners) > 0; k++ {
		o := owners[k%len(owners)]
		it := &model.Interaction{ID: g.gen.new(ids.Interaction), OrgID: org.ID, Title: fmt.Sprintf("Call %03d", k),
			OwnerID: o.ID, TeamID: teamOf[o.ID], CreatedAt: g.now.Add(-time.Duration(k) * time.Hour)}
		b.Interactions = append(b.Interactions, it)
		out = append(out, rels.Interaction(it).Sorted()...)
		t.interactions = append(t.interactions, it.ID)
		if g.keep {
			t.calls = append(t.calls, it)
		}
	}
	return t, out
}

// tenantSeedTimes are the phases of seeding the tenants.
type tenantSeedTimes struct {
	importing, mark, entities, analyze, total time.Duration
}

// seedTenantOrgs bulk-seeds n small organizations through a (SpiceDB
// import, then COPY into the entity store) and returns them with how many
// relationships were imported.
func seedTenantOrgs(ctx context.Context, a *server.Server, g *tenantGen, n int) ([]*tenantOrg, uint64, tenantSeedTimes, error) {
	var t tenantSeedTimes
	start := time.Now()
	pg, ok := a.Store.(*postgres.Store)
	if !ok {
		return nil, 0, t, errors.New("the entity store is not Postgres")
	}
	orgs := make([]*tenantOrg, 0, n)
	var loads []*postgres.Bulk
	all := iter.Seq[rels.Relationship](func(yield func(rels.Relationship) bool) {
		for i := 0; i < n; i++ {
			if i%tenantOrgsPerLoad == 0 {
				loads = append(loads, &postgres.Bulk{Catalog: rels.CatalogFingerprint(g.cat)})
			}
			o, rs := g.org(i, loads[len(loads)-1])
			orgs = append(orgs, o)
			for _, r := range rs {
				if !yield(r) {
					return
				}
			}
		}
	})
	imported, err := importRelationships(ctx, a.SpiceDB.Client, all)
	if err != nil {
		return nil, 0, t, err
	}
	t.importing = time.Since(start)

	// One final write (re-touching an imported relationship): its ZedToken
	// is every new organization's revision, so their reads are at least as
	// fresh as the import.
	phase := time.Now()
	touch := rels.Team(loads[0].Teams[0]).Sorted()[0]
	resp, err := a.SpiceDB.Client.WriteRelationships(ctx, &v1.WriteRelationshipsRequest{Updates: []*v1.RelationshipUpdate{
		{Operation: v1.RelationshipUpdate_OPERATION_TOUCH, Relationship: authz.ToV1(touch)}}})
	if err != nil {
		return nil, 0, t, fmt.Errorf("final write: %w", err)
	}
	t.mark = time.Since(phase)

	phase = time.Now()
	for _, b := range loads {
		for _, o := range b.Organizations {
			o.ZedToken = resp.WrittenAt.GetToken()
		}
		if err := pg.BulkLoad(ctx, *b); err != nil {
			return nil, 0, t, err
		}
	}
	t.entities = time.Since(phase)
	t.total = time.Since(start)
	return orgs, imported, t, nil
}

// tenantResults are measurement 9's numbers.
type tenantResults struct {
	orgs, members, interactions int
	relationships               uint64
	seed                        tenantSeedTimes
	oneOrg, bigAfter, small     *sample
	cold                        *sample // each in an organization asked nothing before
	mismatches                  int
	current, stale              *childStart
	staleLeft                   int
	staleQuery                  string // EXPLAIN ANALYZE of StaleCatalog's query, all current
}

// measureTenants is measurement 9.
func (b *bench) measureTenants(ctx context.Context, rng *rand.Rand, dbs []*database, out io.Writer) (*tenantResults, error) {
	cfg := b.cfg
	res := &tenantResults{orgs: cfg.tenants, members: cfg.tenantMembers, interactions: cfg.tenantInteractions,
		oneOrg:   &sample{name: "can, big organization alone (one-org figure)"},
		bigAfter: &sample{name: fmt.Sprintf("can, big organization among %d", cfg.tenants+1)},
		small:    &sample{name: fmt.Sprintf("can, 20 small organizations among %d", cfg.tenants+1)},
		cold:     &sample{name: "can, a small organization's first question"}}

	bigClient := func(m string) *gqlClient { return b.clientFor(b.c, m) }
	askBig := func(s *sample) error {
		for _, p := range b.checkPairs(rng, cfg.tenantChecks) {
			if err := b.timedCan(ctx, bigClient(p.member), s, p.permission, p.resource); err != nil {
				return err
			}
		}
		return nil
	}
	if err := askBig(res.oneOrg); err != nil {
		return nil, err
	}

	phase := time.Now()
	g := &tenantGen{shape: tenantShape{members: cfg.tenantMembers, interactions: cfg.tenantInteractions},
		cat: b.a.srv.Config.Catalog, gen: idgen{rand.New(rand.NewPCG(cfg.seed, 0x7e4a47))}, now: time.Now().UTC()}
	orgs, n, st, err := seedTenantOrgs(ctx, b.a.srv, g, cfg.tenants)
	if err != nil {
		return nil, fmt.Errorf("seeding tenants: %w", err)
	}
	res.relationships = n
	an := time.Now()
	for _, d := range dbs {
		if err := d.analyze(ctx); err != nil {
			return nil, err
		}
	}
	st.analyze = time.Since(an)
	st.total = time.Since(phase)
	res.seed = st
	fmt.Fprintf(out, "  seeded %d organizations (%d members, %d interactions each) in %s: generate+import %d relationships %s (%.0f/s), final write %s, entities COPY %s, ANALYZE %s\n",
		cfg.tenants, cfg.tenantMembers, cfg.tenantInteractions, st.total.Round(time.Millisecond), n,
		st.importing.Round(time.Millisecond), float64(n)/st.importing.Seconds(), st.mark.Round(time.Millisecond),
		st.entities.Round(time.Millisecond), st.analyze.Round(time.Millisecond))

	if err := askBig(res.bigAfter); err != nil {
		return nil, err
	}
	// Asked as the big organization is: 20 members per scope class (here
	// one per class in each of 20 organizations), fresh questions where
	// the organization has enough; and, apart, each question in an
	// organization nobody asked about before.
	pool := make([]*tenantOrg, 20)
	for i := range pool {
		pool[i] = orgs[rng.IntN(len(orgs))]
	}
	seen := map[string]bool{}
	for i, tries := 0, 0; i < cfg.tenantChecks; tries++ {
		o := pool[rng.IntN(len(pool))]
		member := [3]string{o.own, o.team, o.all}[i%3]
		p := checkPerms[rng.IntN(len(checkPerms))]
		resource := o.interactions[rng.IntN(len(o.interactions))]
		if q := member + p.key + resource; seen[q] && tries < 20*cfg.tenantChecks {
			continue
		} else {
			seen[q] = true
		}
		if err := b.timedCan(ctx, b.tenantClient(b.c.url, o.id, member), res.small, p.key, resource); err != nil {
			return nil, err
		}
		i++
	}
	for i := 0; i < cfg.tenantChecks; i++ {
		o := orgs[rng.IntN(len(orgs))]
		member := [3]string{o.own, o.team, o.all}[i%3]
		p := checkPerms[rng.IntN(len(checkPerms))]
		if err := b.timedCan(ctx, b.tenantClient(b.c.url, o.id, member), res.cold, p.key, o.interactions[rng.IntN(len(o.interactions))]); err != nil {
			return nil, err
		}
	}

	if res.staleQuery, err = explainStaleCatalog(ctx, dbs[0], rels.CatalogFingerprint(g.cat)); err != nil {
		return nil, err
	}
	// A normal restart: every organization on the current catalog.
	if res.current, err = b.startChild(ctx, dbs, orgs, "current", ""); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  start, all current: %s\n", res.current)
	// A release changed the catalog (benchRelease): every organization is
	// stale and has drifted, and the sync repairs each one.
	if cfg.tenants > cfg.tenantsStaleMax {
		fmt.Fprintf(out, "  start, all stale: not measured (more than --tenants-stale-max %d organizations)\n", cfg.tenantsStaleMax)
		return res, nil
	}
	if res.stale, err = b.startChild(ctx, dbs, orgs, "stale", cfg.tenantsStartProfile); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  start, all stale:   %s\n", res.stale)
	if res.staleLeft, err = countStale(ctx, dbs[0], rels.CatalogFingerprint(benchRelease())); err != nil {
		return nil, err
	}
	return res, nil
}

// timedCan asks can once untimed about the organization (so the member's
// row is read, as for every member who asked before) and then times the
// question.
func (b *bench) timedCan(ctx context.Context, c *gqlClient, s *sample, permission, resource string) error {
	if _, err := c.can(ctx, "members.read", ""); err != nil {
		return err
	}
	return s.time(func() error { _, err := c.can(ctx, permission, resource); return err })
}

// tenantClient is GraphQL at baseURL as a member of a small organization.
func (b *bench) tenantClient(baseURL, orgID, memberID string) *gqlClient {
	tok, err := b.a.srv.Token(orgID, memberID, 24*time.Hour)
	if err != nil {
		panic(err) // signing with a valid secret does not fail
	}
	return &gqlClient{gqlclient.Client{URL: baseURL, HTTP: httpClient}.Bearer(tok)}
}

// benchRelease is the catalog of a release that adds a permission: the
// all-stale start of measurement 9 runs with it.
func benchRelease() *catalog.Catalog {
	c := catalog.Default()
	return catalog.New(append(c.Modules, &catalog.Module{Key: "forecasts", Name: "Forecasts", Actions: []*catalog.Action{
		{Key: "read", Permission: "forecasts.read", Name: "Read forecasts", Scopes: []model.Scope{model.ScopeAll}, Resource: catalog.ResourceOrg}}})...)
}

func countStale(ctx context.Context, d *database, fp string) (int, error) {
	c, err := pgConnect(ctx, d.url)
	if err != nil {
		return 0, err
	}
	defer c.Close(ctx)
	var n int
	err = c.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE catalog <> $1`, fp).Scan(&n)
	return n, err
}

// explainStaleCatalog is the plan and time of Store.StaleCatalog's query
// (store/postgres/reader.go) when nothing is stale: what a normal restart
// pays to skip every organization.
func explainStaleCatalog(ctx context.Context, d *database, fp string) (string, error) {
	c, err := pgConnect(ctx, d.url)
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM organizations WHERE catalog <> $1 ORDER BY id`, fp)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return "", err
		}
		lines = append(lines, strings.TrimSpace(l))
	}
	return strings.Join(lines, "; "), rows.Err()
}

// childStart is one start of a serving replica in a process of its own.
type childStart struct {
	label string
	// wall: from starting the process to its listener serving; complete:
	// Config.Complete inside it; sync: its SyncCatalog.
	wall, complete time.Duration
	sync           server.CatalogSync
	hwm, rss       string // its /proc status after answering checks
	checked        int
	failed         int // checks that failed (the first is logged)
}

func (c *childStart) String() string {
	return fmt.Sprintf("%s to serving (Complete %s; catalog sync: %d stale, %d synced, %d repaired, %d by the catalogs' difference, concurrency %d, %s); VmHWM %s, VmRSS %s after %d checks (%d failed)",
		c.wall.Round(time.Millisecond), c.complete.Round(time.Millisecond), c.sync.Stale, c.sync.Synced, c.sync.Repaired,
		c.sync.Changed, c.sync.Concurrency, c.sync.Took.Round(time.Millisecond), kbToMiB(c.hwm), kbToMiB(c.rss), c.checked, c.failed)
}

// childReady is the line a --serve-replica process prints once serving.
type childReady struct {
	URL        string              `json:"url"`
	CompleteNS int64               `json:"completeNs"`
	Sync       *server.CatalogSync `json:"sync"`
}

// startChild starts this binary as one serving replica on the bench's
// databases, times it to serving, asks it a check in each of up to 200
// organizations, reads its memory and stops it.
func (b *bench) startChild(ctx context.Context, dbs []*database, orgs []*tenantOrg, label, profile string) (*childStart, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	entities := dbs[0].url
	if b.cfg.servePool > 0 {
		u, err := url.Parse(entities)
		if err != nil {
			return nil, err
		}
		q := u.Query()
		q.Set("pool_max_conns", fmt.Sprint(b.cfg.servePool))
		u.RawQuery = q.Encode()
		entities = u.String()
	}
	args := []string{"--serve-replica", "--serve-entities", entities, "--serve-spicedb", dbs[1].url,
		"--redis-url", b.cfg.redisURL, "--catalog-sync-concurrency", fmt.Sprint(b.cfg.catalogSyncConcurrency)}
	if label == "stale" {
		args = append(args, "--serve-next-release")
	}
	if profile != "" {
		args = append(args, "--cpuprofile", profile)
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, exe, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() { stdin.Close(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("replica process (%s start) did not get ready: %w", label, err)
	}
	cs := &childStart{label: label, wall: time.Since(start)}
	var ready childReady
	if err := json.Unmarshal(line, &ready); err != nil {
		return nil, fmt.Errorf("replica process said %q: %w", line, err)
	}
	cs.complete = time.Duration(ready.CompleteNS)
	if ready.Sync != nil {
		cs.sync = *ready.Sync
	}
	for i := 0; i < min(200, len(orgs)); i++ {
		o := orgs[i*len(orgs)/min(200, len(orgs))]
		if _, err := b.tenantClient(ready.URL, o.id, o.own).can(ctx, "interactions.read", o.interactions[0]); err != nil {
			cs.failed++
			if cs.failed == 1 {
				fmt.Fprintf(os.Stderr, "bench: asking the %s replica process: %v\n", label, err)
			}
			continue
		}
		cs.checked++
	}
	cs.hwm, cs.rss = procMemory(cmd.Process.Pid)
	return cs, nil
}

// procMemory reads a process's VmHWM and VmRSS.
func procMemory(pid int) (hwm, rss string) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?", "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		switch k {
		case "VmHWM":
			hwm = strings.TrimSpace(v)
		case "VmRSS":
			rss = strings.TrimSpace(v)
		}
	}
	return hwm, rss
}

// serveReplica is --serve-replica: one replica on the given databases,
// started and timed, serving until stdin closes (measurement 9's parent
// process closes it).
func serveReplica(ctx context.Context, cfg *config, out io.Writer) error {
	stopProfile, err := startCPUProfile(cfg.cpuProfile)
	if err != nil {
		return err
	}
	start := time.Now()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sc := server.Config{
		Addr:                   ln.Addr().String(),
		JWTSecret:              benchSecret,
		PostgresURL:            cfg.serveEntities,
		SpiceDBDatastore:       cfg.serveSpiceDB,
		RedisURL:               cfg.redisURL,
		RequestTimeout:         5 * time.Minute,
		CatalogSyncConcurrency: cfg.catalogSyncConcurrency,
		Log:                    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if cfg.serveNextRelease {
		sc.Catalog = benchRelease()
	}
	srv, err := sc.Complete(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()
	complete := time.Since(start)
	stopProfile()
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	line, err := json.Marshal(childReady{URL: "http://" + sc.Addr, CompleteNS: int64(complete), Sync: srv.LastCatalogSync()})
	if err != nil {
		stop()
		return err
	}
	fmt.Fprintf(out, "%s\n", line)
	_, _ = io.Copy(io.Discard, os.Stdin)
	stop()
	return <-done
}

// report prints measurement 9 and its targets.
func (r *tenantResults) report(out io.Writer) {
	if r == nil {
		return
	}
	t := &table{title: fmt.Sprintf("9. tenants: %d small organizations (%d members, %d interactions each) beside the big one; can via C (cache off, fresh)",
		r.orgs, r.members, r.interactions)}
	t.add(r.oneOrg, r.bigAfter, r.small, r.cold)
	t.print(out)
	fmt.Fprintf(out, "  StaleCatalog query, all current: %s\n", r.staleQuery)
	fmt.Fprintf(out, "  start, all current: %s\n", r.current)
	if r.stale != nil {
		fmt.Fprintf(out, "  start, all stale:   %s; stale after it: %d\n", r.stale, r.staleLeft)
	}
	one, small, big := p50(r.oneOrg), p50(r.small), p50(r.bigAfter)
	fmt.Fprintf(out, "  small-org can / one-org can (p50): %.2f×; a small organization's first question / one-org: %.2f×; big org after / before: %.2f×\n",
		ratio(small, one), ratio(p50(r.cold), one), ratio(big, one))
	ts := []target{
		{fmt.Sprintf("server start incl. catalog sync <= 30 s with %d organizations (all current)", r.orgs+1),
			fmt.Sprintf("%s (Complete %s)", r.current.wall.Round(time.Millisecond), r.current.complete.Round(time.Millisecond)),
			r.current.wall <= 30*time.Second},
		r.staleTarget(),
		{"small-org can p50 within 10% of the one-org figure (cache off)",
			fmt.Sprintf("%s ms vs %s ms (%.2f×)", ms(small), ms(one), ratio(small, one)), ratio(small, one) <= 1.10},
		{fmt.Sprintf("RSS of a serving replica with %d organizations stated", r.orgs+1),
			fmt.Sprintf("VmHWM %s, VmRSS %s (all-current start)", kbToMiB(r.current.hwm), kbToMiB(r.current.rss)), true},
	}
	printTargets(out, ts)
}

func (r *tenantResults) staleTarget() target {
	what := fmt.Sprintf("server start incl. catalog sync <= 30 s with %d organizations (all stale: a release)", r.orgs+1)
	if r.stale == nil {
		return target{what, "not measured (--tenants-stale-max)", false}
	}
	return target{what, fmt.Sprintf("%s (sync %s, %d of %d synced, %d at once; %d left stale; VmHWM %s)", r.stale.wall.Round(time.Millisecond),
		r.stale.sync.Took.Round(time.Millisecond), r.stale.sync.Synced, r.stale.sync.Stale, r.stale.sync.Concurrency, r.staleLeft,
		kbToMiB(r.stale.hwm)), r.stale.wall <= 30*time.Second && r.staleLeft == 0}
}

// runTenants runs measurement 9 and says how long it took.
func (b *bench) runTenants(ctx context.Context, dbs []*database, out io.Writer) (*tenantResults, error) {
	phase := time.Now()
	fmt.Fprintf(out, "\n9. tenants: %d small organizations; can before and after; replica starts in a process of their own\n", b.cfg.tenants)
	res, err := b.measureTenants(ctx, rand.New(rand.NewPCG(b.cfg.seed, 0x9)), dbs, out)
	if err != nil {
		return nil, fmt.Errorf("measurement 9: %w", err)
	}
	fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))
	return res, nil
}
