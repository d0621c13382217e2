package postgres

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The hot path of every request reads two things that rarely change: the
// caller's member row with its organization (authentication) and whether
// the resource a question names exists. Each read is a Postgres round trip,
// the largest cost of a `can` beside SpiceDB's check. This file keeps their
// answers in process, valid only while no transaction that wrote to the
// organization has committed since they were read:
//
//   - every write transaction notifies the channel rolegraph_org with the
//     organizations it wrote to ("w <org> <nonce>"), delivered by Postgres
//     at commit and never on rollback;
//   - every process LISTENs on a connection of its own, bumps its counter
//     of each organization named (watch.bump), which invalidates every
//     answer read before, and then acknowledges ("a <nonce> <process>");
//   - the committing process bumps its own counters right after COMMIT and
//     waits (bounded by ackWait) until every other live process has
//     acknowledged, so that once a change is acknowledged to its caller no
//     process answers from what it read before it. Processes say they are
//     live with a heartbeat ("h <process>") and leave with "b <process>";
//   - a process trusts its cache only while its listener is connected, and
//     only from two heartbeats after it connected (so every writer has
//     heard of it and waits for its acknowledgement); a reconnect starts a
//     new generation, so nothing read before it is trusted after. Until
//     then every read goes to Postgres, as it did before.
//
// An answer is read under the token taken BEFORE the read: a commit whose
// notification arrives during the read makes the token old, so the answer
// is never served.

// notifyChannel is the channel write transactions notify.
const notifyChannel = "rolegraph_org"

const (
	// heartbeat is how often a process says it is live.
	heartbeat = 500 * time.Millisecond
	// peerTTL: a process not heard from for this long is not waited for.
	peerTTL = 5 * time.Second
	// ackWait bounds a commit's wait for the other processes.
	ackWait = 2 * time.Second
)

// watchToken identifies the state of one organization as this process
// knows it: equal tokens mean no write to it was heard in between.
type watchToken struct{ gen, n uint64 }

// watch is this process's knowledge of which organizations were written
// to, and the cache of answers it keeps valid.
type watch struct {
	pool *pgxpool.Pool // sends acknowledgements and heartbeats

	mu      sync.Mutex
	live    bool
	trustAt time.Time // the cache is trusted from then on (while live)
	gen     uint64
	orgs    map[string]uint64

	self  string        // this process's name in notifications
	seq   atomic.Uint64 // nonces
	wmu   sync.Mutex
	peers map[string]time.Time    // other processes, last heard
	waits map[string]*pendingAcks // by nonce

	out   chan string // notifications to send (sender)
	cache answers
	hits  atomic.Uint64 // answers served from cache (tests)
	stop  context.CancelFunc
	done  chan struct{}
}

// pendingAcks is one commit waiting for the other processes.
type pendingAcks struct {
	need map[string]bool
	done chan struct{}
}

func newWatch(pool *pgxpool.Pool) *watch {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &watch{pool: pool, orgs: map[string]uint64{}, self: hex.EncodeToString(b),
		peers: map[string]time.Time{}, waits: map[string]*pendingAcks{}, cache: answers{m: map[string]answer{}},
		out: make(chan string, 1024)}
}

// token is the organization's current token; false while the cache may
// not be trusted.
func (w *watch) token(orgID string) (watchToken, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.live || time.Now().Before(w.trustAt) {
		return watchToken{}, false
	}
	return watchToken{gen: w.gen, n: w.orgs[orgID]}, true
}

// bump records a write to the organizations.
func (w *watch) bump(orgIDs ...string) {
	w.mu.Lock()
	for _, id := range orgIDs {
		w.orgs[id]++
	}
	w.mu.Unlock()
}

// setLive starts a new generation: connected or not, nothing read before
// is trusted after.
func (w *watch) setLive(live bool) {
	w.mu.Lock()
	w.live = live
	w.trustAt = time.Now().Add(2 * heartbeat)
	w.gen++
	w.mu.Unlock()
	w.cache.clear()
}

// nonce names one committing transaction's notification.
func (w *watch) nonce() string {
	return w.self + "-" + strconv.FormatUint(w.seq.Add(1), 36)
}

// expect registers, before COMMIT, the wait for every other live process
// to acknowledge nonce.
func (w *watch) expect(nonce string) *pendingAcks {
	p := &pendingAcks{need: map[string]bool{}, done: make(chan struct{})}
	w.wmu.Lock()
	for peer, at := range w.peers {
		if time.Since(at) < peerTTL {
			p.need[peer] = true
		} else {
			delete(w.peers, peer)
		}
	}
	if len(p.need) == 0 {
		close(p.done)
	} else {
		w.waits[nonce] = p
	}
	w.wmu.Unlock()
	return p
}

// send queues msg to be notified by sender; never blocks (a full queue
// drops it: a writer then waits out ackWait, nothing goes stale).
func (w *watch) send(msg string) {
	select {
	case w.out <- msg:
	default:
	}
}

// sender notifies the queued messages, all that are waiting in one
// statement, on at most one pooled connection at a time: acknowledgements
// and heartbeats must never take the pool from the requests.
func (w *watch) sender(ctx context.Context) {
	for {
		var batch []string
		select {
		case <-ctx.Done():
			return
		case m := <-w.out:
			batch = append(batch, m)
		}
	drain:
		for len(batch) < 256 {
			select {
			case m := <-w.out:
				batch = append(batch, m)
			default:
				break drain
			}
		}
		sctx, cancel := context.WithTimeout(ctx, ackWait)
		_, _ = w.pool.Exec(sctx, `SELECT pg_notify('`+notifyChannel+`', m) FROM unnest($1::text[]) AS m`, batch)
		cancel()
	}
}

// heard handles one notification.
func (w *watch) heard(payload string) {
	kind, rest, _ := strings.Cut(payload, " ")
	switch kind {
	case "w": // a write: "w <org> <nonce>"
		org, nonce, _ := strings.Cut(rest, " ")
		w.bump(org)
		if from, _, _ := strings.Cut(nonce, "-"); from != w.self {
			w.saw(from)
			w.send("a " + nonce + " " + w.self)
		}
	case "a": // an acknowledgement: "a <nonce> <process>"
		nonce, from, _ := strings.Cut(rest, " ")
		w.saw(from)
		w.wmu.Lock()
		if p := w.waits[nonce]; p != nil {
			delete(p.need, from)
			if len(p.need) == 0 {
				delete(w.waits, nonce)
				close(p.done)
			}
		}
		w.wmu.Unlock()
	case "h": // a heartbeat
		w.saw(rest)
	case "b": // a process leaving
		w.wmu.Lock()
		delete(w.peers, rest)
		for nonce, p := range w.waits {
			if p.need[rest] {
				delete(p.need, rest)
				if len(p.need) == 0 {
					delete(w.waits, nonce)
					close(p.done)
				}
			}
		}
		w.wmu.Unlock()
	}
}

// saw records that another process is live.
func (w *watch) saw(from string) {
	if from == "" || from == w.self {
		return
	}
	w.wmu.Lock()
	w.peers[from] = time.Now()
	w.wmu.Unlock()
}

// committed is called after a write transaction's COMMIT (whatever its
// outcome: an unknown one may have committed): this process forgets what
// it read of the organizations at once, then, when it committed, waits
// for the others.
func (w *watch) committed(ctx context.Context, orgIDs []string, nonce string, p *pendingAcks, ok bool) {
	w.bump(orgIDs...)
	if !ok {
		w.wmu.Lock()
		delete(w.waits, nonce)
		w.wmu.Unlock()
		return
	}
	t := time.NewTimer(ackWait)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
	case <-ctx.Done():
	}
	w.wmu.Lock()
	delete(w.waits, nonce)
	w.wmu.Unlock()
}

// listen keeps a LISTEN connection until ctx ends, reconnecting, and says
// this process is live every heartbeat.
func (w *watch) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(w.done)
	go w.sender(ctx)
	go func() {
		tick := time.NewTicker(heartbeat)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				w.mu.Lock()
				live := w.live
				w.mu.Unlock()
				if live {
					w.send("h " + w.self)
				}
			}
		}
	}()
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				w.setLive(true)
				w.send("h " + w.self)
				backoff = 50 * time.Millisecond
				for {
					n, err := conn.WaitForNotification(ctx)
					if err != nil {
						break
					}
					w.heard(n.Payload)
				}
			}
			w.setLive(false)
			cctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = conn.Close(cctx)
			cancel()
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// startWatch starts the listener of a store opened on pool.
func startWatch(pool *pgxpool.Pool) *watch {
	w := newWatch(pool)
	ctx, cancel := context.WithCancel(context.Background())
	w.stop, w.done = cancel, make(chan struct{})
	go w.listen(ctx, pool.Config().ConnConfig.Copy())
	return w
}

// close stops listening and tells the others not to wait for this process.
func (w *watch) close() {
	if w == nil || w.stop == nil {
		return
	}
	w.stop()
	<-w.done
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, _ = w.pool.Exec(ctx, `SELECT pg_notify('`+notifyChannel+`', $1)`, "b "+w.self)
}

// ---- the cached answers ----

// maxAnswers bounds the cache; past it the cache starts over (the answers
// are one round trip each to read again).
const maxAnswers = 200_000

type answer struct {
	tok watchToken
	v   any
}

type answers struct {
	mu  sync.RWMutex
	m   map[string]answer
	max int // 0: maxAnswers
}

func (a *answers) get(key string, tok watchToken) (any, bool) {
	a.mu.RLock()
	e, ok := a.m[key]
	a.mu.RUnlock()
	if !ok || e.tok != tok {
		return nil, false
	}
	return e.v, true
}

func (a *answers) put(key string, tok watchToken, v any) {
	a.mu.Lock()
	if a.m == nil || len(a.m) >= cmp.Or(a.max, maxAnswers) {
		a.m = map[string]answer{}
	}
	a.m[key] = answer{tok: tok, v: v}
	a.mu.Unlock()
}

func (a *answers) clear() {
	a.mu.Lock()
	a.m = map[string]answer{}
	a.mu.Unlock()
}
