package domain

// Reading what a request names. An id the organization does not have, or
// one the caller may not see, is BAD_INPUT on the argument that carried it,
// in words a client can act on; every other store error passes as is.

import (
	"context"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// unknownIn is the answer for an id the organization does not have.
func unknownIn(field, noun, id string) error {
	return errs.BadInput(field, "no %s with id %q in this organization", noun, id)
}

// unseen is the answer for an id the caller may not see, worded as for one
// that does not exist: a mutation's error tells nothing a read would not.
func unseen(field, noun, id string) error {
	return errs.BadInput(field, "no %s with id %q that you can see", noun, id)
}

func memberIn(ctx context.Context, r store.Reader, orgID, field, id string) (*model.Member, error) {
	m, err := r.GetMember(ctx, orgID, id)
	if err != nil {
		return nil, notFoundAs(err, unknownIn(field, "member", id))
	}
	return m, nil
}

func teamIn(ctx context.Context, r store.Reader, orgID, field, id string) (*model.Team, error) {
	t, err := r.GetTeam(ctx, orgID, id)
	if err != nil {
		return nil, notFoundAs(err, unknownIn(field, "team", id))
	}
	return t, nil
}

func roleIn(ctx context.Context, r store.Reader, orgID, field, id string) (*model.Role, error) {
	role, err := r.GetRole(ctx, orgID, id)
	if err != nil {
		return nil, notFoundAs(err, unknownIn(field, "role", id))
	}
	return role, nil
}

// readableInteraction reads the interaction id names if memberID may read
// it (interactions.read), and answers as if it did not exist otherwise.
func (s *Service) readableInteraction(ctx context.Context, r store.Reader, org *model.Organization, memberID, field, id string) (*model.Interaction, error) {
	i, err := r.GetInteraction(ctx, org.ID, id)
	if err != nil {
		return nil, notFoundAs(err, unseen(field, "interaction", id))
	}
	readable, err := s.check(ctx, org, memberID, "interactions.read", interactionObject(i.ID))
	if err != nil {
		return nil, err
	}
	if !readable {
		return nil, unseen(field, "interaction", id)
	}
	return i, nil
}

// changeTo is s.change on the one entity id names, read in the change's
// transaction by in (memberIn, teamIn, roleIn): unknown, it is BAD_INPUT on
// field and nothing is written.
func changeTo[T any](s *Service, ctx context.Context, c Caller, action string,
	in func(context.Context, store.Reader, string, string, string) (T, error), field, id string,
	fn func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, x T) error) error {
	return s.change(ctx, c, action, func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		x, err := in(ctx, tx, org.ID, field, id)
		if err != nil {
			return err
		}
		return fn(tx, org, ev, x)
	})
}
