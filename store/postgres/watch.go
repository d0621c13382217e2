package postgres

import (
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
//     organizations it wrote to, delivered by Postgres at commit;
//   - every process LISTENs on a connection of its own and bumps its
//     counter of each organization named (watch.bump), which invalidates
//     every answer read before;
//   - the process that committed bumps its own counters right after the
//     commit, and before returning waits (bounded) for its listener to hear
//     its own notification, so that by the time a change is acknowledged
//     Postgres has delivered it to every listener;
//   - while the listener is not connected (start, a lost connection) no
//     answer is cached or served from the cache: every read goes to
//     Postgres, as it did before. A reconnect starts a new generation, so
//     nothing read before it is trusted after.
//
// An answer is read under the token taken BEFORE the read: a commit whose
// notification arrives during the read makes the token old, so the answer
// is never served.

// notifyChannel is the channel write transactions notify.
const notifyChannel = "rolegraph_org"

// echoWait bounds how long a committing transaction waits for its own
// notification to come back to this process's listener.
const echoWait = time.Second

// watchToken identifies the state of one organization as this process
// knows it: equal tokens mean no write to it was heard in between.
type watchToken struct{ gen, n uint64 }

// watch is this process's knowledge of which organizations were written
// to, and the cache of answers it keeps valid.
type watch struct {
	mu   sync.Mutex
	live bool
	gen  uint64
	orgs map[string]uint64

	prefix string        // this process's nonce prefix
	seq    atomic.Uint64 // nonces
	wmu    sync.Mutex
	waits  map[string]chan struct{}

	cache answers
	stop  context.CancelFunc
	done  chan struct{}
}

func newWatch() *watch {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &watch{orgs: map[string]uint64{}, prefix: hex.EncodeToString(b), waits: map[string]chan struct{}{},
		cache: answers{m: map[string]answer{}}}
}

// token is the organization's current token; false while the listener
// is not connected (nothing may be cached or trusted).
func (w *watch) token(orgID string) (watchToken, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.live {
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
	w.gen++
	w.mu.Unlock()
	w.cache.clear()
}

// nonce names one committing transaction's notification.
func (w *watch) nonce() string {
	return w.prefix + "-" + strconv.FormatUint(w.seq.Add(1), 36)
}

// expect registers a wait for the notification carrying nonce.
func (w *watch) expect(nonce string) chan struct{} {
	ch := make(chan struct{})
	w.wmu.Lock()
	w.waits[nonce] = ch
	w.wmu.Unlock()
	return ch
}

func (w *watch) forget(nonce string) {
	w.wmu.Lock()
	delete(w.waits, nonce)
	w.wmu.Unlock()
}

// heard handles one notification: "<org id> <nonce>".
func (w *watch) heard(payload string) {
	org, nonce, _ := strings.Cut(payload, " ")
	w.bump(org)
	if strings.HasPrefix(nonce, w.prefix) {
		w.wmu.Lock()
		ch := w.waits[nonce]
		delete(w.waits, nonce)
		w.wmu.Unlock()
		if ch != nil {
			close(ch)
		}
	}
}

// committed is called after a write transaction's COMMIT (whatever its
// outcome: an unknown one may have committed): this process forgets what
// it read of the organizations at once, and waits for the listener to
// hear the notification (when it listens).
func (w *watch) committed(ctx context.Context, orgIDs []string, nonce string, echo chan struct{}) {
	w.bump(orgIDs...)
	if echo == nil {
		return
	}
	defer w.forget(nonce)
	if _, ok := w.token(""); !ok {
		return
	}
	t := time.NewTimer(echoWait)
	defer t.Stop()
	select {
	case <-echo:
	case <-t.C:
	case <-ctx.Done():
	}
}

// listen keeps a LISTEN connection until ctx ends, reconnecting.
func (w *watch) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(w.done)
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				w.setLive(true)
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
	w := newWatch()
	ctx, cancel := context.WithCancel(context.Background())
	w.stop, w.done = cancel, make(chan struct{})
	go w.listen(ctx, pool.Config().ConnConfig.Copy())
	return w
}

func (w *watch) close() {
	if w == nil || w.stop == nil {
		return
	}
	w.stop()
	<-w.done
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
	mu sync.RWMutex
	m  map[string]answer
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
	if len(a.m) >= maxAnswers {
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
