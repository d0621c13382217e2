package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Measurement 8 (issue 15, target 4): throughput under concurrency. For
// --concurrency-seconds each, --concurrency-clients goroutines ask as fast
// as they are answered, one way at a time:
//
//   - { __typename } on warm replica A (HTTP, authentication, GraphQL; no
//     question to SpiceDB): the ceiling a GraphQL request can reach;
//   - can on A, every question answered before (in-process cache hit);
//   - can on C (cache off), fresh questions;
//   - CheckPermission on C's own SpiceDB, fresh questions.
//
// Targets: warm can throughput >= 0.8 × __typename's; cache-off can >= 0.7 ×
// direct SpiceDB's, at the same concurrency.
//
// Cache-off and direct both ask questions never asked before in this run,
// drawn from one source, so neither finds its exact question in SpiceDB's
// dispatch cache (a repeated question is answered there about ten times
// faster, measurement 1) and both share sub-problems with earlier questions
// equally. Each pair of ways runs interleaved (alternate), so that neither
// always runs on a dispatch cache the other filled, or in a quieter second.

type concurrencyResults struct {
	clients                           int
	typename, warm, off, direct       *loadSample
	warmSet, freshAsked, freshWrapped int
}

// loadSample is the latencies and the wall time of one way of asking
// under load.
type loadSample struct {
	sample
	wall time.Duration
	errs int
}

func (l *loadSample) throughput() float64 {
	if l.wall <= 0 {
		return 0
	}
	return float64(len(l.d)) / l.wall.Seconds()
}

// freshSource hands out questions never handed out before; safe for
// concurrent use.
type freshSource struct {
	mu      sync.Mutex
	b       *bench
	rng     *rand.Rand
	seen    map[checkPair]bool
	buf     []checkPair
	asked   int
	wrapped int // questions handed out again: the organization ran out of new ones
}

func (s *freshSource) next() checkPair {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.buf) == 0 {
		batch := s.b.checkPairs(s.rng, 3000)
		for _, p := range batch {
			if !s.seen[p] {
				s.seen[p] = true
				s.buf = append(s.buf, p)
			}
		}
		if len(s.buf) == 0 { // nothing new left: repeat, and say so
			s.buf, s.wrapped = batch, s.wrapped+len(batch)
		}
	}
	p := s.buf[len(s.buf)-1]
	s.buf = s.buf[:len(s.buf)-1]
	s.asked++
	return p
}

// loadClients is GraphQL as each member, on one replica, over a transport
// that keeps a connection per concurrent client (the shared one keeps 16
// per host: more clients would reconnect on every request).
type loadClients struct {
	b   *bench
	url string
	hc  *http.Client
	mu  sync.Mutex
	m   map[string]*gqlClient
}

func (c *loadClients) get(member string) *gqlClient {
	c.mu.Lock()
	defer c.mu.Unlock()
	if g := c.m[member]; g != nil {
		return g
	}
	g := c.b.clientAt(c.url, member)
	g.HTTP = c.hc
	c.m[member] = g
	return g
}

func loadHTTPClient(clients int) *http.Client {
	return &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{
		MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients, IdleConnTimeout: 5 * time.Minute, DisableCompression: true,
	}}
}

// load runs f from n goroutines for d, adding each call's latency to s.
func load(ctx context.Context, n int, d time.Duration, s *loadSample, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lat := make([][]time.Duration, n)
	var failed atomic.Int64
	var firstErr error
	var once sync.Once
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				if err := f(ctx); err != nil {
					if failed.Add(1) > 100 {
						once.Do(func() { firstErr = err; cancel() })
					}
					continue
				}
				lat[i] = append(lat[i], time.Since(t))
			}
		})
	}
	wg.Wait()
	s.wall += time.Since(start)
	for _, l := range lat {
		s.d = append(s.d, l...)
	}
	s.errs += int(failed.Load())
	if firstErr != nil {
		return fmt.Errorf("%s: more than 100 errors, the first after them: %w", s.name, firstErr)
	}
	return ctx.Err()
}

// alternate runs two ways of asking for d each, in slices of at most 2 s
// taken ABBA, ABBA, …: this machine's other load changes from second to
// second, and a ratio of two throughputs measured one after the other
// moved by a third between runs of the same code.
func alternate(ctx context.Context, n int, d time.Duration, sa *loadSample, fa func(context.Context) error, sb *loadSample, fb func(context.Context) error) error {
	slice := min(2*time.Second, d/2)
	if slice <= 0 {
		return nil
	}
	rounds := max(1, int(d/(2*slice)))
	slice = d / time.Duration(2*rounds)
	for i := range 2 * rounds {
		first, second := sa, sb
		f1, f2 := fa, fb
		if i%2 == 1 {
			first, second, f1, f2 = sb, sa, fb, fa
		}
		if err := load(ctx, n, slice, first, f1); err != nil {
			return err
		}
		if err := load(ctx, n, slice, second, f2); err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) measureConcurrency(ctx context.Context, rng *rand.Rand) (*concurrencyResults, error) {
	n, d := b.cfg.concClients, b.cfg.concDuration
	r := &concurrencyResults{clients: n,
		typename: &loadSample{sample: sample{name: fmt.Sprintf("8. { __typename } on A, %d clients", n)}},
		warm:     &loadSample{sample: sample{name: fmt.Sprintf("8. can, warm cache (A), %d clients", n)}},
		off:      &loadSample{sample: sample{name: fmt.Sprintf("8. can, cache off (C), fresh, %d clients", n)}},
		direct:   &loadSample{sample: sample{name: fmt.Sprintf("8. SpiceDB CheckPermission direct, fresh, %d clients", n)}},
	}
	hc := loadHTTPClient(n)
	defer hc.CloseIdleConnections()
	onA := &loadClients{b: b, url: b.a.url, hc: hc, m: map[string]*gqlClient{}}
	onC := &loadClients{b: b, url: b.c.url, hc: hc, m: map[string]*gqlClient{}}

	// Warm: a fixed set, asked once on A (by all the clients at once)
	// before it is timed, so every timed question is an in-process hit at
	// the organization's current revision.
	warmSet := b.checkPairs(rng, min(2000, 10*b.cfg.checks))
	r.warmSet = len(warmSet)
	var next atomic.Int64
	var wg sync.WaitGroup
	var warmErr error
	var errOnce sync.Once
	for range n {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(warmSet)); i = next.Add(1) - 1 {
				p := warmSet[i]
				if _, err := onA.get(p.member).can(ctx, p.permission, p.resource); err != nil {
					errOnce.Do(func() { warmErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	if warmErr != nil {
		return nil, fmt.Errorf("warming A: %w", warmErr)
	}

	typenameAs := onA.get(b.w.recorders[0])
	if err := alternate(ctx, n, d, r.typename, func(ctx context.Context) error {
		return typenameAs.do(ctx, `{ __typename }`, nil, nil)
	}, r.warm, func(ctx context.Context) error {
		p := warmSet[int(next.Add(1)-1)%len(warmSet)]
		_, err := onA.get(p.member).can(ctx, p.permission, p.resource)
		return err
	}); err != nil {
		return nil, err
	}

	cons, err := b.consistency(ctx)
	if err != nil {
		return nil, err
	}
	spice := b.c.srv.SpiceDB.Client
	fresh := &freshSource{b: b, rng: rand.New(rand.NewPCG(b.cfg.seed, 0xc0c0)), seen: map[checkPair]bool{}}
	offAsk := func(ctx context.Context) error {
		p := fresh.next()
		_, err := onC.get(p.member).can(ctx, p.permission, p.resource)
		return err
	}
	directAsk := func(ctx context.Context) error {
		p := fresh.next()
		_, err := directCheck(ctx, spice, cons, p.resource, p.object, p.member)
		return err
	}
	// Untimed: connections to C open, its first requests done.
	if err := load(ctx, n, min(d/10, time.Second), &loadSample{}, offAsk); err != nil {
		return nil, err
	}
	if err := alternate(ctx, n, d, r.off, offAsk, r.direct, directAsk); err != nil {
		return nil, err
	}
	r.freshAsked, r.freshWrapped = fresh.asked, fresh.wrapped
	return r, nil
}

func (r *concurrencyResults) report(out io.Writer) {
	if r == nil {
		return
	}
	t := &table{title: fmt.Sprintf("8. throughput with %d concurrent clients", r.clients)}
	rows := []*loadSample{r.typename, r.warm, r.off, r.direct}
	for _, l := range rows {
		t.add(&l.sample)
	}
	t.print(out)
	for _, l := range rows {
		fmt.Fprintf(out, "  %-*s %8.0f req/s over %s (p50 %s ms, p99 %s ms, %d errors)\n", 52, l.name, l.throughput(),
			l.wall.Round(time.Millisecond), ms(l.summary().p50), ms(l.summary().p99), l.errs)
	}
	fmt.Fprintf(out, "  warm set %d questions; fresh questions asked %d (%d of them not new: the organization ran out)\n",
		r.warmSet, r.freshAsked, r.freshWrapped)
	warm := r.warm.throughput() / r.typename.throughput()
	off := r.off.throughput() / r.direct.throughput()
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "MISS"
	}
	fmt.Fprintf(out, "  %s  warm-cache can throughput >= 0.8 × { __typename } throughput (%d clients)  %.2f× (%.0f / %.0f req/s)\n",
		verdict(warm >= 0.8), r.clients, warm, r.warm.throughput(), r.typename.throughput())
	fmt.Fprintf(out, "  %s  cache-off can throughput >= 0.7 × direct SpiceDB throughput (%d clients, fresh)  %.2f× (%.0f / %.0f req/s)\n",
		verdict(off >= 0.7), r.clients, off, r.off.throughput(), r.direct.throughput())
}
