// Command bench measures rolegraph at the size of a real customer, side by
// side in one run (issue 3): it starts the service in-process as replicas
// over real HTTP on embedded SpiceDB with the Postgres datastore, the
// Postgres entity store and Redis, bulk-seeds one organization, and prints
// p50/p95/p99 per measurement, the ratios the issue asks for, and a targets
// section with PASS/MISS for each.
//
// Full run (the defaults: 100k interactions, 1000 members, 50 teams, 1500
// can questions, 10 page iterations, 1000 revoke trials; about 1m45s on
// 2 cores):
//
//	cd /work/main && go run ./cmd/bench
//
// Quick scaled-down run:
//
//	go run ./cmd/bench --interactions 5000 --members 200 --teams 10 --trials 100
//
// Needs Postgres (--postgres-url; default the local trust-auth server as
// user postgres, or ROLEGRAPH_TEST_POSTGRES_URL) and Redis (--redis-url,
// default redis://127.0.0.1:6379/0). It creates two fresh databases,
// rolegraph_bench_<time>_entities_<random> and …_spicedb_<random>,
// and drops them at exit unless --keep. Decision-cache keys in Redis carry
// the organization's random id and expire with the cache TTL.
//
// Replicas: A and B run with the decision cache (in-process layer + Redis),
// each with its own embedded SpiceDB on the same datastore database, and
// share the entity database and Redis. C, started after seeding and the
// memory snapshot, runs with NoCache on the same databases; its own embedded
// SpiceDB also answers the direct CheckPermission and LookupResources
// baselines, so "direct" and "cache off" ask the very same SpiceDB.
//
// Seeding: the organization, system roles and one custom "probe" role go
// through the domain service (normal writes through the outbox); members,
// teams (a forest three levels deep), memberships and interactions are
// COPYed into the entity store in one transaction (postgres.Store.BulkLoad)
// and their relationships (package rels, as the domain derives them) are
// streamed into SpiceDB with ImportBulkRelationships; one final
// WriteRelationships' ZedToken is recorded with MarkApplied as the
// organization's new revision. Both databases are then ANALYZEd.
//
// Measurements:
//
//  1. can(permission, resourceId) on varied interactions for OWN
//     (recorder), TEAM (manager of a team with sub-teams) and ALL (analyst)
//     members: SpiceDB CheckPermission direct vs GraphQL with the cache off
//     (C) vs warm (A, in-process hit) vs warm in Redis only (B, warmed by
//     A). Direct and cache-off are measured twice: on fresh questions
//     (never asked; each asked one way only, alternating) and on repeated
//     ones (asked just before, so in SpiceDB's dispatch cache for its 5s
//     revision quantization window), since SpiceDB's own cache moves the
//     ratio by a factor of ten.
//
//  2. interactions(first: 50) for an ALL, a TEAM and an OWN member vs a full
//     LookupResources (and one limited to 50) for the same member; 2b. the
//     same for evaluations(first: 50). Each first page, cache off, <= 1 ×
//     that member's full LookupResources.
//
//  3. the same page with 4 viewerCan flags per interaction vs one can:
//     <= 4 × cache off, <= 2.5 × warm (worst member).
//
//  4. --trials revoke-then-check trials: setRoleGrants on the probe role via
//     A (grant interactions.read ALL), can via B twice (allow, then cached),
//     setRoleGrants via A (revoke), can via B at once: stale if allowed.
//
//  5. peak (VmHWM) and current (VmRSS) resident memory after seeding, with
//     the cache sizes configured, and again at the end.
//
//  6. explain(permission, resourceId) vs one can, both via C on fresh
//     questions (explain.go): one explain p50 <= 10 × one can p50.
//
//  7. previewRoleGrants widening the reads of a role held by
//     --preview-holders members to TEAM, via C (preview.go): p50 <= 2 s.
//     Alone: go run ./cmd/bench --preview-only --preview-runs 20
//     --preview-cpuprofile preview.prof
//
//  8. throughput with --concurrency-clients (32) clients for
//     --concurrency-seconds (20) each (concurrency.go): { __typename } and
//     warm-cache can on A, cache-off can on C and direct CheckPermission on
//     C's SpiceDB (fresh questions); req/s, p50/p99; warm can >= 0.8 ×
//     __typename, cache-off can >= 0.7 × direct. 0 seconds: skip it;
//     --concurrency-cpuprofile profiles it.
//
//  9. --tenants N (off by default; the figure: --tenants 10000,
//     about N/1000 minutes more) bulk-seeds N small organizations of
//     --tenant-members members beside the big one and measures server
//     start (catalog sync included, all organizations current and all
//     stale) in a replica process of its own with its RSS, and cache-off
//     can on a small organization vs the big one alone (tenants.go).
//     Alone: go run ./cmd/bench --interactions 5000 --members 200
//     --teams 10 --trials 100 --tenants 10000 --tenants-only
//
// Beside measurement 1 it times the fixed cost around a check: a GraphQL
// request that asks SpiceDB nothing, the authentication read and the
// existence read. --cpuprofile profiles measurements 1-3.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/spicedb"
)

// benchSecret signs the bench's tokens, in every replica and in the
// --serve-replica processes of measurement 9.
const benchSecret = "bench-secret-bench-secret-bench-secret-bench-secret-"

type config struct {
	interactions, members, teams int
	evaluations                  int
	assigneeFrac                 float64
	checks, pageIters, trials    int
	cheapRounds                  int
	explains                     int
	seed                         uint64
	postgresURL, redisURL        string
	keep, verbose                bool
	noHotCache                   bool
	decisionTimeout              time.Duration
	cpuProfile                   string
	previewHolders, previewRuns  int
	previewProfile               string
	previewOnly                  bool
	spice                        spicedb.Config
	concurrency                  uint
	concClients                  int
	concDuration                 time.Duration
	concProfile                  string
	// measurement 9 (tenants.go)
	tenants, tenantMembers      int
	tenantInteractions          int
	tenantChecks                int
	tenantsOnly                 bool
	tenantsStartProfile         string
	catalogSyncConcurrency      int
	serveReplica                bool
	serveNextRelease            bool
	servePool                   int
	tenantsStaleMax             int
	serveEntities, serveSpiceDB string
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.interactions, "interactions", 100_000, "interactions to seed")
	fs.IntVar(&c.members, "members", 1000, "members to seed (besides the owner and the probe member)")
	fs.IntVar(&c.evaluations, "evaluations", 20_000, "evaluations to seed (of random interactions)")
	fs.IntVar(&c.teams, "teams", 50, "teams to seed (a fifth top-level, the rest nested up to three levels)")
	fs.Float64Var(&c.assigneeFrac, "assignee-frac", 0.2, "fraction of interactions with an assignee besides the owner")
	fs.IntVar(&c.checks, "checks", 1500, "can questions per mode in measurement 1 (a third each OWN, TEAM, ALL)")
	fs.IntVar(&c.pageIters, "page-iters", 10, "timed full LookupResources per member (2, 2b)")
	// 30 rounds let one member's flags ratio move from 4.2× to 6.2× between
	// runs of the same code: the single can it divides by is under a
	// millisecond. The cheap steps cost ~12 ms a round.
	fs.IntVar(&c.cheapRounds, "cheap-rounds", 200, "timed rounds of the page, flags, can and limited-lookup steps per member (2, 2b, 3)")
	fs.IntVar(&c.trials, "trials", 1000, "revoke-then-check trials (4)")
	fs.IntVar(&c.explains, "explains", 200, "explain questions, and as many can questions, in measurement 6")
	fs.Uint64Var(&c.seed, "seed", 1, "RNG seed (organization shape and question order)")
	fs.StringVar(&c.postgresURL, "postgres-url", defaultPostgresURL(), "Postgres server to create the benchmark databases on")
	fs.StringVar(&c.redisURL, "redis-url", "redis://127.0.0.1:6379/0", "Redis shared by the replicas")
	fs.BoolVar(&c.keep, "keep", false, "keep the databases at exit (their names are printed)")
	fs.BoolVar(&c.verbose, "verbose", false, "log the service at INFO (default WARN)")
	fs.IntVar(&c.previewHolders, "preview-holders", 500, "recorders who also hold the role whose edit measurement 7 previews")
	fs.IntVar(&c.previewRuns, "preview-runs", 20, "timed previews in measurement 7 (0: skip it)")
	fs.BoolVar(&c.previewOnly, "preview-only", false, "seed, then run measurement 7 (previews) alone")
	fs.StringVar(&c.previewProfile, "preview-cpuprofile", "", "write a CPU profile of measurement 7 (previews) to this file")
	fs.DurationVar(&c.decisionTimeout, "decision-timeout", 0, "how long one SpiceDB question may take before UNAVAILABLE (default authz.DefaultDecisionTimeout; raise it on an overloaded machine)")
	fs.BoolVar(&c.noHotCache, "no-hot-cache", false, "read member status and existence from Postgres on every request (the way before store/postgres/watch.go), to compare")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of measurements 1-3 (the whole process: harness, replicas, embedded SpiceDBs) to this file")
	fs.StringVar(&c.spice.DispatchCacheMaxCost, "spicedb-dispatch-cache", "", "embedded SpiceDB dispatch cache size per replica (default: the spicedb package's, "+spicedb.DefaultDispatchCacheMaxCost+")")
	fs.StringVar(&c.spice.NamespaceCacheMaxCost, "spicedb-namespace-cache", "", "embedded SpiceDB namespace and stored-schema cache sizes (default "+spicedb.DefaultNamespaceCacheMaxCost+")")
	fs.UintVar(&c.concurrency, "spicedb-concurrency", 0, "embedded SpiceDB dispatch concurrency limit (default: the spicedb package's)")
	fs.IntVar(&c.spice.ReadConns, "spicedb-read-conns", 0, fmt.Sprintf("embedded SpiceDB datastore read pool (default %d)", spicedb.DefaultReadConns))
	fs.IntVar(&c.spice.WriteConns, "spicedb-write-conns", 0, fmt.Sprintf("embedded SpiceDB datastore write pool (default %d)", spicedb.DefaultWriteConns))
	fs.IntVar(&c.concClients, "concurrency-clients", 32, "concurrent clients in measurement 8")
	fs.StringVar(&c.concProfile, "concurrency-cpuprofile", "", "write a CPU profile of measurement 8 (concurrency) to this file")
	concSeconds := fs.Float64("concurrency-seconds", 20, "seconds each way of asking runs in measurement 8 (0: skip it)")
	fs.IntVar(&c.tenants, "tenants", 0, "small organizations to seed for measurement 9 (0: skip it; the issue's figure is 10000)")
	fs.IntVar(&c.tenantMembers, "tenant-members", 20, "members of each small organization, the owner included (9)")
	fs.IntVar(&c.tenantInteractions, "tenant-interactions", 10, "interactions of each small organization (9)")
	fs.IntVar(&c.tenantChecks, "tenant-checks", 600, "can questions per sample in measurement 9")
	fs.BoolVar(&c.tenantsOnly, "tenants-only", false, "seed, then run measurement 9 (tenants) alone")
	fs.StringVar(&c.tenantsStartProfile, "tenants-start-cpuprofile", "", "write a CPU profile of the all-stale start (9) to this file")
	fs.IntVar(&c.catalogSyncConcurrency, "catalog-sync-concurrency", 0, "organizations a starting replica reconciles at once (default server.DefaultCatalogSyncConcurrency)")
	fs.BoolVar(&c.serveReplica, "serve-replica", false, "internal (9): serve one replica on --serve-entities and --serve-spicedb until stdin closes")
	fs.IntVar(&c.servePool, "tenants-replica-pool", 0, "entity-store connections of the replica processes of measurement 9 (pool_max_conns; default pgxpool's, max(4, CPUs)); SyncCatalog runs at most half as many organizations at once")
	fs.IntVar(&c.tenantsStaleMax, "tenants-stale-max", 20000, "measure the all-stale start (9) only up to this many organizations (measured on 2 cores: about 0.2 ms per organization marked with a catalog whose derivation was saved, 0.1-0.24 s per one that must be compared with SpiceDB)")
	fs.BoolVar(&c.serveNextRelease, "serve-next-release", false, "internal (9): --serve-replica with a catalog that adds a permission (a release)")
	fs.StringVar(&c.serveEntities, "serve-entities", "", "internal (9): entity database of --serve-replica")
	fs.StringVar(&c.serveSpiceDB, "serve-spicedb", "", "internal (9): SpiceDB datastore database of --serve-replica")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.evaluations < 0 {
		return nil, errors.New("--evaluations must not be negative")
	}
	if c.interactions < 1 || c.members < 3 || c.teams < 1 || c.checks < 3 || c.pageIters < 1 || c.cheapRounds < 1 || c.trials < 0 {
		return nil, errors.New("--interactions, --members (>= 3), --teams, --checks (>= 3), --page-iters, --cheap-rounds must be positive; --trials >= 0")
	}
	if c.tenants < 0 || (c.tenants > 0 && (c.tenantMembers < 5 || c.tenantInteractions < 1 || c.tenantChecks < 3)) {
		return nil, errors.New("--tenants must not be negative; with tenants, --tenant-members >= 5, --tenant-interactions >= 1, --tenant-checks >= 3")
	}
	if c.tenantsOnly && c.tenants == 0 {
		return nil, errors.New("--tenants-only needs --tenants")
	}
	if c.explains < 1 {
		return nil, errors.New("--explains must be positive")
	}
	if c.concurrency > 65535 {
		return nil, errors.New("--spicedb-concurrency is at most 65535")
	}
	c.spice.ConcurrencyLimit = uint16(c.concurrency)
	if c.concClients < 1 || *concSeconds < 0 {
		return nil, errors.New("--concurrency-clients must be positive, --concurrency-seconds not negative")
	}
	c.concDuration = time.Duration(*concSeconds * float64(time.Second))
	return c, nil
}

// startCPUProfile profiles the process until the returned stop is called;
// an empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { pprof.StopCPUProfile(); f.Close() }) }, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil && cfg.serveReplica {
		err = serveReplica(ctx, cfg, os.Stdout)
	} else if err == nil {
		err = run(ctx, cfg, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// replica is one in-process rolegraph serving HTTP on a loopback port.
type replica struct {
	name   string
	srv    *server.Server
	url    string
	cancel context.CancelFunc
	done   chan error
}

func startReplica(ctx context.Context, name string, cfg server.Config) (*replica, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cfg.Addr = ln.Addr().String()
	cctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	srv, err := cfg.Complete(cctx)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("starting replica %s: %w", name, err)
	}
	sctx, stop := context.WithCancel(context.Background())
	r := &replica{name: name, srv: srv, url: "http://" + cfg.Addr, cancel: stop, done: make(chan error, 1)}
	go func() { r.done <- srv.Serve(sctx, ln) }()
	return r, nil
}

// serveOn serves h on a loopback port of this process, beside r's own
// handler: another way of answering on the same replica (HandlerWith). It
// returns h's base URL and what stops it.
func (r *replica) serveOn(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln) // ErrServerClosed once stopped
	}()
	return "http://" + ln.Addr().String(), func() { hs.Close(); <-done }, nil
}

func (r *replica) close() {
	if r == nil {
		return
	}
	r.cancel()
	<-r.done
	r.srv.Close()
}

// bench is one run.
type bench struct {
	cfg     *config
	a, b, c *replica
	w       *world
}

func run(ctx context.Context, cfg *config, out io.Writer) (err error) {
	runStart := time.Now()
	fmt.Fprintf(out, "rolegraph bench: %d interactions, %d members, %d teams, seed %d; GOMAXPROCS %d, %d CPUs, %s\n",
		cfg.interactions, cfg.members, cfg.teams, cfg.seed, runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version())

	// Databases.
	var dbs []*database
	defer func() {
		for _, d := range dbs {
			if cfg.keep {
				fmt.Fprintf(out, "kept database %s\n", d.url)
				continue
			}
			if derr := d.drop(); derr != nil {
				fmt.Fprintf(os.Stderr, "bench: dropping %s: %v\n", d.name, derr)
			}
		}
	}()
	prefix := fmt.Sprintf("rolegraph_bench_%d", time.Now().Unix())
	for _, suffix := range []string{"entities", "spicedb"} {
		d, err := createDatabase(ctx, cfg.postgresURL, prefix+"_"+suffix)
		if err != nil {
			return err
		}
		dbs = append(dbs, d)
	}

	level := slog.LevelWarn
	if cfg.verbose {
		level = slog.LevelInfo
	}
	base := server.Config{
		JWTSecret:        benchSecret,
		PostgresURL:      dbs[0].url,
		SpiceDBDatastore: dbs[1].url,
		RedisURL:         cfg.redisURL,
		RequestTimeout:   5 * time.Minute,
		SpiceDB:          cfg.spice,
		NoHotCache:       cfg.noHotCache,
		DecisionTimeout:  cfg.decisionTimeout,
		Log:              slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	}
	b := &bench{cfg: cfg}
	defer func() { b.c.close(); b.b.close(); b.a.close() }()
	phase := time.Now()
	if b.a, err = startReplica(ctx, "A", base); err != nil {
		return err
	}
	if b.b, err = startReplica(ctx, "B", base); err != nil {
		return err
	}
	fmt.Fprintf(out, "replicas A (%s) and B (%s) started in %s: embedded SpiceDB on Postgres %s each, entities in %s, Redis %s\n",
		b.a.url, b.b.url, time.Since(phase).Round(time.Millisecond), dbs[1].name, dbs[0].name, redactURL(cfg.redisURL))
	if b.a.srv.Cache == nil || b.b.srv.Cache == nil {
		return errors.New("replicas A and B have no decision cache")
	}

	// Seeding.
	fmt.Fprintln(out, "\nseeding (bulk) through A")
	w, st, err := seed(ctx, cfg, b.a.srv, dbs, out)
	if err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	b.w = w
	fmt.Fprintf(out, "  organization %s: %d analysts (ALL), %d managers (TEAM; %d manage a team), %d recorders (OWN), 1 probe\n",
		w.org.ID, len(w.analysts), len(w.managers), len(w.teamManagers), len(w.recorders))
	fmt.Fprintf(out, "  seeding took %s: organization+roles via domain %s, generate %s, entities COPY %s, SpiceDB import %s, final write+MarkApplied %s, ANALYZE %s\n",
		st.total.Round(time.Millisecond), st.org.Round(time.Millisecond), st.generate.Round(time.Millisecond),
		st.entities.Round(time.Millisecond), st.spicedb.Round(time.Millisecond), st.mark.Round(time.Millisecond), st.analyze.Round(time.Millisecond))

	// 5. Memory after seeding, before C exists and before any measurement.
	runtime.GC()
	debug.FreeOSMemory()
	memSeeded := readMemory()

	// C: cache off.
	noCache := base
	noCache.NoCache, noCache.RedisURL = true, ""
	if b.c, err = startReplica(ctx, "C", noCache); err != nil {
		return err
	}
	fmt.Fprintf(out, "replica C (%s) started with NoCache\n", b.c.url)

	if cfg.tenantsOnly {
		tenants, err := b.runTenants(ctx, dbs, out)
		if err != nil {
			return err
		}
		tenants.report(out)
		return nil
	}

	if cfg.previewOnly {
		fmt.Fprintf(out, "\n7. previews: %d previewRoleGrants of a role held by %d members\n", cfg.previewRuns, w.previewHolders)
		prev, err := b.measurePreview(ctx, out)
		if err != nil {
			return fmt.Errorf("measurement 7: %w", err)
		}
		fmt.Fprintln(out, "\ntargets")
		prev.report(out)
		return nil
	}

	rng := rand.New(rand.NewPCG(cfg.seed, 0xbe7c))
	stopProfile, err := startCPUProfile(cfg.cpuProfile)
	if err != nil {
		return err
	}

	phase = time.Now()
	fmt.Fprintf(out, "\n1. can: %d distinct questions: fresh (half direct, half via C), repeated (direct and via C), warm (A), Redis (B)\n", cfg.checks)
	checks, err := b.measureChecks(ctx, rng)
	if err != nil {
		return fmt.Errorf("measurement 1: %w", err)
	}
	fmt.Fprintf(out, "  done in %s: %d allowed, %d denied, %d answers differing between the ways of asking\n",
		time.Since(phase).Round(time.Millisecond), checks.allows, cfg.checks-checks.allows, checks.mismatches)
	fmt.Fprintf(out, "  decision-cache lookups: A during the timed warm pass %v; B during its pass %v\n", checks.cacheA, checks.cacheB)

	phase = time.Now()
	fmt.Fprintf(out, "\n2, 3. pages: %d timed rounds of the cheap steps and %d full lookups per member\n", cfg.cheapRounds, cfg.pageIters)
	members := []struct{ class, id string }{{"ALL", w.analysts[0]}, {"TEAM", w.teamManagers[0]}, {"OWN", w.recorders[0]}}
	var pages []*pageResults
	for _, m := range members {
		p, err := b.measurePages(ctx, m.class, m.id, out)
		if err != nil {
			return fmt.Errorf("measurement 2/3: %w", err)
		}
		pages = append(pages, p)
	}
	fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))
	stopProfile()

	var evals []*evaluationResults
	if cfg.evaluations > 0 {
		phase = time.Now()
		fmt.Fprintf(out, "\n2b. evaluations(first: 50) vs a full LookupResources\n")
		for _, m := range members {
			e, err := b.measureEvaluations(ctx, m.class, m.id, out)
			if err != nil {
				return fmt.Errorf("measurement 2b: %w", err)
			}
			evals = append(evals, e)
		}
		fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))
	}

	phase = time.Now()
	fmt.Fprintf(out, "\n4. revoke-then-check: %d trials (grant via A, check via B, revoke via A, check via B)\n", cfg.trials)
	rev, err := b.measureRevocation(ctx)
	if err != nil {
		return fmt.Errorf("measurement 4: %w", err)
	}
	fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))

	phase = time.Now()
	fmt.Fprintf(out, "\n6. explain: %d fresh questions asked with explain and %d with can, via C\n", cfg.explains, cfg.explains)
	expl, err := b.measureExplain(ctx, rng, cfg.explains)
	if err != nil {
		return fmt.Errorf("measurement 6: %w", err)
	}
	fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))
	var prev *previewResults
	if cfg.previewRuns > 0 {
		phase = time.Now()
		fmt.Fprintf(out, "\n7. previews: %d previewRoleGrants of a role held by %d members\n", cfg.previewRuns, w.previewHolders)
		if prev, err = b.measurePreview(ctx, out); err != nil {
			return fmt.Errorf("measurement 7: %w", err)
		}
		fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))
	}

	var conc *concurrencyResults
	if cfg.concDuration > 0 {
		phase = time.Now()
		fmt.Fprintf(out, "\n8. concurrency: %d clients, %s each way of asking\n", cfg.concClients, cfg.concDuration)
		stopProfile, err := startCPUProfile(cfg.concProfile)
		if err != nil {
			return err
		}
		conc, err = b.measureConcurrency(ctx, rng)
		stopProfile()
		if err != nil {
			return fmt.Errorf("measurement 8: %w", err)
		}
		fmt.Fprintf(out, "  done in %s\n", time.Since(phase).Round(time.Millisecond))
	}

	runtime.GC()
	memEnd := readMemory()

	// 9 last: the other measurements are of one organization.
	var tenants *tenantResults
	if cfg.tenants > 0 {
		if tenants, err = b.runTenants(ctx, dbs, out); err != nil {
			return err
		}
	}

	report(out, b, checks, pages, evals, rev, memSeeded, memEnd)
	fmt.Fprintln(out)
	reportExplain(out, expl)
	prev.report(out)
	conc.report(out)
	tenants.report(out)
	fmt.Fprintf(out, "\ntotal run time %s\n", time.Since(runStart).Round(time.Second))
	return nil
}
