// Package every runs a function on a ticker until its context ends. It is
// the one loop behind rolegraph's background work (the outbox applier, the
// expiry sweeper, the catalog sync, the gauges), so each of those says only
// what it does on a tick.
package every

import (
	"context"
	"time"
)

// Tick calls f every interval, the first time one interval from now, until
// ctx ends or f returns false.
func Tick(ctx context.Context, interval time.Duration, f func(context.Context) (more bool)) {
	loop(ctx, interval, false, f)
}

// TickNow is Tick with a first call at once, for work whose result is wanted
// from the start (a gauge that would read zero for a whole interval).
func TickNow(ctx context.Context, interval time.Duration, f func(context.Context) (more bool)) {
	loop(ctx, interval, true, f)
}

func loop(ctx context.Context, interval time.Duration, now bool, f func(context.Context) bool) {
	t := time.NewTicker(interval)
	defer t.Stop()
	if now && ctx.Err() == nil && !f(ctx) {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !f(ctx) {
			return
		}
	}
}
