// Package health is what a process has learned of SpiceDB from its own
// calls and its gRPC connection — down, hung, probing — so that callers
// fail closed and fail fast. It sits apart from package spicedb, which
// links the embedded SpiceDB server, so that the packages that only ask
// (authz) do not link SpiceDB into their test binaries.
package health

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
)

// Health is what this process has learned of SpiceDB from its own calls
// and its connection, so that callers can fail closed and fail fast:
//
//   - Down: a call found SpiceDB unavailable, or the connection ended, and
//     no call has been answered since. Callers that keep answers of their
//     own (a decision cache) must not serve them while it is down: an
//     admin who cannot reach SpiceDB to revoke should not see access go on.
//   - Hung: a call ran out of its deadline while its caller still waited.
//     SpiceDB holds connections but does not answer (a stopped process, a
//     black-holed network), so until a probe gets an answer calls fail at
//     once (Admit) instead of each waiting out its deadline.
//
// Health is also the gRPC stats handler of the connection
// (grpc.WithStatsHandler in Config.DialOptions): when the connection ends
// — a remote SpiceDB went away — it is down from that moment, not from the
// first failed call. Safe for concurrent use; the zero value is not, use
// New.
type Health struct {
	log *slog.Logger
	// down is set when a call fails as unavailable or the connection
	// ends, and cleared by the next call that is answered.
	down atomic.Bool
	// hungUntil (unix nanos; 0: not hung) is set when a call ran out of
	// its deadline. Until then calls fail at once; after it, one call goes
	// through as a probe while the others keep failing fast (Admit).
	hungUntil atomic.Int64
}

// New returns a Health that knows of no trouble yet. log (nil: none)
// receives a warning each time SpiceDB starts failing.
func New(log *slog.Logger) *Health {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Health{log: log}
}

// ProbeInterval is how long calls fail fast after one ran out of its
// deadline, before the next is let through to see whether SpiceDB answers
// again.
const ProbeInterval = time.Second

// ErrHung is Admit's answer while SpiceDB hangs.
var ErrHung = errors.New("SpiceDB did not answer within the decision timeout; failing fast until a probe gets an answer")

// Admit lets a call go to SpiceDB, or fails it at once with ErrHung while
// SpiceDB is known to hang. When the wait is over, exactly one call goes as
// the probe (the wait moves past the probe's own timeout first), and the
// others keep failing fast until it is answered or times out.
func (h *Health) Admit(probeTimeout time.Duration) error {
	for {
		until := h.hungUntil.Load()
		if until == 0 {
			return nil
		}
		now := time.Now()
		if now.UnixNano() < until {
			return ErrHung
		}
		if h.hungUntil.CompareAndSwap(until, now.Add(probeTimeout+ProbeInterval).UnixNano()) {
			return nil
		}
	}
}

// Failed records a call's error and returns it. A call its caller gave up
// on says nothing about SpiceDB: its error comes back wrapped in the
// caller's, and nothing is recorded. A deadline the caller did not set was
// the call's own: SpiceDB hangs.
func (h *Health) Failed(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	if status.Code(err) == codes.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded) {
		h.hungUntil.Store(time.Now().Add(ProbeInterval).UnixNano())
	}
	h.Observe(err)
	return err
}

// Observe records the outcome of a call: nil (answered) clears down and
// hung; an error that says SpiceDB did not answer (Unavailable) sets down.
// Other errors — SpiceDB answered with a refusal — change nothing.
func (h *Health) Observe(err error) {
	switch {
	case err == nil:
		if h.down.Load() {
			h.down.Store(false)
		}
		if h.hungUntil.Load() != 0 {
			h.hungUntil.Store(0)
		}
	case Unavailable(err):
		if !h.down.Load() {
			h.log.Warn("SpiceDB unavailable: decisions bypass the cache until it answers", "err", err)
		}
		h.down.Store(true)
	}
}

// Down reports whether SpiceDB is known to be failing: a lost connection
// or an unavailable answer, not yet followed by an answer.
func (h *Health) Down() bool { return h.down.Load() }

// Unavailable reports whether err says SpiceDB did not answer — it is
// unreachable, overloaded, the call ran out of time or was cut off — as
// opposed to an answer, even a refusal.
func Unavailable(err error) bool {
	if s, ok := status.FromError(err); ok {
		switch s.Code() {
		case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled, codes.ResourceExhausted, codes.Unknown:
			return true
		}
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// The stats handler: only the end of a connection matters.

func (h *Health) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context   { return ctx }
func (h *Health) HandleRPC(context.Context, stats.RPCStats)                         {}
func (h *Health) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

// HandleConn marks SpiceDB down when a connection ends. Silently: a
// connection also ends when the process shuts down.
func (h *Health) HandleConn(_ context.Context, s stats.ConnStats) {
	if _, ok := s.(*stats.ConnEnd); ok {
		h.down.Store(true)
	}
}
