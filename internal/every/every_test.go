package every

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestTick(t *testing.T) {
	for _, tc := range []struct {
		name      string
		now       bool
		stopAfter int32 // f returns false on this call
		wantCalls int32
		firstBy   time.Duration // the first call happened within this
	}{
		{"waits one interval, stops when f says so", false, 3, 3, time.Second},
		{"first call at once", true, 1, 1, 5 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			var first time.Duration
			start := time.Now()
			f := func(context.Context) bool {
				if calls.Add(1) == 1 {
					first = time.Since(start)
				}
				return calls.Load() < tc.stopAfter
			}
			interval := 20 * time.Millisecond
			if tc.now {
				TickNow(context.Background(), time.Hour, f)
			} else {
				Tick(context.Background(), interval, f)
				if first < interval {
					t.Errorf("first call after %v, before one interval (%v)", first, interval)
				}
			}
			if calls.Load() != tc.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), tc.wantCalls)
			}
			if first > tc.firstBy {
				t.Errorf("first call after %v, want within %v", first, tc.firstBy)
			}
		})
	}
}

func TestTickEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var calls atomic.Int32
	go func() {
		defer close(done)
		Tick(ctx, time.Millisecond, func(context.Context) bool { calls.Add(1); return true })
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Tick still running a second after its context ended")
	}
	if calls.Load() == 0 {
		t.Error("f never called in 20 ms at a 1 ms interval")
	}
}
