package domain

import (
	"context"

	"github.com/rolegraph/rolegraph/catalog"
)

// RequireExplore is nil when the caller may explore the API (introspection
// and field suggestions on a production server): api.explore at ALL, asked
// like every other permission (cached, fail-closed); FORBIDDEN naming
// api.explore otherwise, UNAVAILABLE when SpiceDB does not answer.
func (s *Service) RequireExplore(ctx context.Context, c Caller) error {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return err
	}
	return s.requireAll(ctx, org, c.MemberID, catalog.PermissionExplore)
}
