package outbox

import (
	"context"
	"fmt"

	"github.com/rolegraph/rolegraph/model"
)

// Settle makes an organization safe to answer from. An organization with
// pending changes (model.Organization.Pending) would be answered as if they
// had not been made — by SpiceDB and by every decision cached under its
// revision — so they are applied first, by this call or by one already
// applying them, and the organization is read again: the result carries
// the revision and token that include them. If they cannot be applied,
// Settle fails and nothing may be answered: a revocation saved while
// SpiceDB was unreachable is never allowed past, on any replica.
//
// An organization with nothing pending comes back as it is. The result
// may be pending again (a change committed after the flush started): an
// answer from it is ordered before that change, as any read that started
// before its commit.
func (a *Applier) Settle(ctx context.Context, org *model.Organization) (*model.Organization, error) {
	if !org.Pending {
		return org, nil
	}
	done := a.settling.DoChan(org.ID, func() (any, error) {
		// Shared by every waiting read: one caller's cancellation must not
		// fail the others.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.timeout)
		defer cancel()
		return nil, a.Flush(fctx, org.ID)
	})
	var err error
	select {
	case r := <-done:
		err = r.Err
	case <-ctx.Done():
		// This read gives up; the flush goes on for the others.
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("apply the pending changes of %s: %w", org.ID, err)
	}
	settled, err := a.store.GetOrganization(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("re-read %s after applying its pending changes: %w", org.ID, err)
	}
	return settled, nil
}
