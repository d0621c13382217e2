package server

// The expiry sweeper's loop (domain.Service.SweepExpired): every replica
// runs one; the domain makes concurrent sweeps of one store safe.

import (
	"context"
	"time"

	"github.com/rolegraph/rolegraph/internal/every"
)

// DefaultSweepInterval: a temporary role's expiry is recorded (and the
// assignment removed from the store) within about this long, well inside
// the minute the issue allows; one sweep with nothing due is one indexed
// query (member_roles_expiry).
const DefaultSweepInterval = 30 * time.Second

func (c Config) sweepInterval() time.Duration {
	if c.SweepInterval == 0 {
		return DefaultSweepInterval
	}
	return c.SweepInterval
}

// sweepExpired sweeps every interval until ctx ends (never when interval < 0).
func (s *Server) sweepExpired(ctx context.Context, interval time.Duration) {
	if interval < 0 {
		return
	}
	every.Tick(ctx, interval, func(ctx context.Context) bool {
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
		return true
	})
}
