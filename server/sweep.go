package server

// The expiry sweeper's loop (domain.Service.SweepExpired): every replica
// runs one; the domain makes concurrent sweeps of one store safe.

import (
	"context"
	"time"
)

// DefaultSweepInterval: a temporary role's expiry is recorded (and the
// assignment removed from the store) within about this long, well inside
// the minute the issue allows; one sweep with nothing due is one indexed
// query (member_roles_expiry).
const DefaultSweepInterval = 30 * time.Second

// The sweeper wakes at the next expiry it knows of, this long after it
// (the store's "due" is at or before now), and sweeps at most once per
// sweepMinGap: expiries a few milliseconds apart are swept together.
const (
	sweepSlack  = 5 * time.Millisecond
	sweepMinGap = 200 * time.Millisecond
)

func (c Config) sweepInterval() time.Duration {
	if c.SweepInterval == 0 {
		return DefaultSweepInterval
	}
	return c.SweepInterval
}

// sweepExpired sweeps at start, then at each expiry it knows of and at
// least every interval, until ctx ends (never when interval < 0).
//
// Waking at the instant matters beyond the audit record: until a sweep
// bumps the organization's revision, authz asks that organization's
// questions fully consistent, past the decision cache (authz/expiry.go),
// so an interval-only sweeper left every organization with an expiry up to
// an interval of uncached checks. A role granted on this replica makes it
// look again (domain.Service.ExpiryScheduled); one granted on another
// replica since its last look, ending less than an interval ahead, is
// swept within an interval, as before.
func (s *Server) sweepExpired(ctx context.Context, interval time.Duration) {
	if interval < 0 {
		return
	}
	t := time.NewTimer(0)
	defer t.Stop()
	var swept time.Time // what the last sweep removed expiries up to
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.Service.ExpiryScheduled():
			// A role granted here may end before the planned wake: look
			// again, without sweeping.
			if !swept.IsZero() {
				t.Reset(s.nextSweep(ctx, swept, interval))
			}
			continue
		case <-t.C:
		}
		swept = s.sweepOnce(ctx)
		t.Reset(s.nextSweep(ctx, swept, interval))
	}
}

// sweepOnce sweeps and returns the instant it swept up to.
func (s *Server) sweepOnce(ctx context.Context) time.Time {
	res, err := s.Service.SweepExpired(ctx)
	for _, x := range res.Expired {
		s.Metrics.RolesExpired.Inc()
		s.Metrics.ExpirySweepLag.Observe(time.Since(x.ExpiresAt).Seconds())
	}
	if len(res.Expired) > 0 {
		s.log.Info("swept expired role assignments", "count", len(res.Expired), "lag", res.Lag)
	}
	if err != nil && ctx.Err() == nil {
		s.log.Warn("sweeping expired role assignments", "err", err)
	}
	return res.At
}

// nextSweep is how long to wait for the next sweep: until just after the
// next known expiry since the last sweep's instant if that comes within
// interval, else interval.
func (s *Server) nextSweep(ctx context.Context, since time.Time, interval time.Duration) time.Duration {
	next, err := s.Service.NextExpiry(ctx, since, interval)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("looking for the next role expiry; sweeping on the interval", "err", err)
		}
		return interval
	}
	if next.IsZero() {
		return interval
	}
	return min(interval, max(sweepMinGap, time.Until(next)+sweepSlack))
}
