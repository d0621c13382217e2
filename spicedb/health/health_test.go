package health_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"

	"github.com/rolegraph/rolegraph/spicedb/health"
)

// What a call's outcome teaches Health: only errors that say SpiceDB did
// not answer mark it down; only a deadline the caller did not set makes it
// hung; a call its caller gave up on teaches nothing.
func TestHealthLearnsFromCalls(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		err      error
		down     bool
		hung     bool
		wrapsCtx bool
	}{
		{"refused", context.Background(), status.Error(codes.Unavailable, "connection refused"), true, false, false},
		{"our deadline", context.Background(), status.Error(codes.DeadlineExceeded, "deadline"), true, true, false},
		{"our deadline, wrapped", context.Background(), fmt.Errorf("check: %w", context.DeadlineExceeded), true, true, false},
		{"overloaded", context.Background(), fmt.Errorf("bulk: %w", status.Error(codes.ResourceExhausted, "busy")), true, false, false},
		{"a refusal is an answer", context.Background(), status.Error(codes.PermissionDenied, "no"), false, false, false},
		{"a plain error is an answer", context.Background(), errors.New("bulk check: 2 answers for 3 questions"), false, false, false},
		{"the asker gave up", cancelled, status.Error(codes.Canceled, "context canceled"), false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := health.New(nil)
			err := h.Failed(tc.ctx, tc.err)
			if !errors.Is(err, tc.err) {
				t.Fatalf("Failed returned %v, which does not wrap the call's error", err)
			}
			if got := errors.Is(err, context.Canceled); got != tc.wrapsCtx {
				t.Fatalf("Failed returned %v: wraps the asker's cancellation %v, want %v", err, got, tc.wrapsCtx)
			}
			if h.Down() != tc.down {
				t.Fatalf("down %v, want %v", h.Down(), tc.down)
			}
			if hung := errors.Is(h.Admit(time.Second), health.ErrHung); hung != tc.hung {
				t.Fatalf("hung %v, want %v", hung, tc.hung)
			}
			h.Observe(nil)
			if h.Down() || h.Admit(time.Second) != nil {
				t.Fatalf("after an answer: down %v, admit %v; want up and admitted", h.Down(), h.Admit(time.Second))
			}
		})
	}
}

// While SpiceDB hangs, calls fail at once; once ProbeInterval has passed,
// exactly one of many concurrent calls goes through as the probe, and the
// others keep failing fast until it is answered.
func TestHealthProbesOneAtATime(t *testing.T) {
	h := health.New(nil)
	_ = h.Failed(context.Background(), status.Error(codes.DeadlineExceeded, "deadline"))
	start := time.Now()
	if err := h.Admit(time.Second); !errors.Is(err, health.ErrHung) {
		t.Fatalf("right after a timeout: %v, want ErrHung", err)
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Fatalf("failing fast took %s", d)
	}
	time.Sleep(health.ProbeInterval + 50*time.Millisecond)
	var admitted atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h.Admit(time.Second) == nil {
				admitted.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := admitted.Load(); n != 1 {
		t.Fatalf("%d calls admitted after the wait, want exactly one probe", n)
	}
	h.Observe(nil)
	if err := h.Admit(time.Second); err != nil {
		t.Fatalf("after the probe was answered: %v", err)
	}
}

// A connection that ends marks SpiceDB down before any call fails; one
// that begins changes nothing.
func TestHealthWatchesTheConnection(t *testing.T) {
	h := health.New(nil)
	var _ stats.Handler = h
	h.HandleConn(context.Background(), &stats.ConnBegin{})
	if h.Down() {
		t.Fatal("down after a connection began")
	}
	h.HandleConn(context.Background(), &stats.ConnEnd{})
	if !h.Down() {
		t.Fatal("not down after the connection ended")
	}
}
