package domain

import (
	"context"
	"strings"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/model"
)

// A page's viewerCan flags are one question per interaction and flag. For
// a flag the member holds at ALL the answer is the same for every
// interaction of the organization, and it is exact by schema.zed: an
// interaction's interactions_<x> is org->interactions_<x>_all + …, and the
// organization's interactions_<x>_all is its grant's at_all. So one
// grant-level question per flag comes first (asked as soon as the page is
// asked for, beside its LookupResources), and only the flags not held at
// ALL are asked per interaction.

// allScope is the member's grant-level answer for each of viewerPermissions.
type allScope struct {
	done chan struct{}
	held []bool
	err  error
}

// grantKey is the catalog key of a viewer permission: interactions_write →
// interactions.write.
func grantKey(perm string) string { return strings.Replace(perm, "_", ".", 1) }

// startAllScope asks, in the background, which viewer permissions the
// member holds at ALL.
func (s *Service) startAllScope(ctx context.Context, org *model.Organization, memberID string) *allScope {
	a := &allScope{done: make(chan struct{})}
	go func() {
		defer close(a.done)
		checks := make([]authz.Check, len(viewerPermissions))
		for k, p := range viewerPermissions {
			checks[k] = authz.Check{Object: grantObject(org.ID, grantKey(p)), Permission: "at_all", MemberID: memberID}
		}
		a.held, a.err = s.askBulk(ctx, org, checks)
	}()
	return a
}

// wait is the answer: held[k] for viewerPermissions[k].
func (a *allScope) wait(ctx context.Context) ([]bool, error) {
	select {
	case <-a.done:
		return a.held, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
