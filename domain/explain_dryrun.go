package domain

import (
	"context"
	"errors"
)

// A dry run answers "would this mutation be allowed for this caller now?"
// by running the mutation itself — its validation, its guards (escalation,
// plan, seat pool, product, who may act on whom) and its writes — inside
// its transaction, then rolling the transaction back: no entity, no
// relationship, no audit event, no revision bump. Explain's remedies ask it
// for callerCanApply, so the rules are never copied.

type dryRunKey struct{}

// errDryRun rolls a dry run's transaction back once every guard has passed.
var errDryRun = errors.New("dry run: rolled back")

// dryRun marks ctx so that change() rolls back instead of committing.
func dryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

func isDryRun(ctx context.Context) bool {
	v, _ := ctx.Value(dryRunKey{}).(bool)
	return v
}

// wouldAllow runs one mutation as a dry run: nil when it would succeed.
func wouldAllow(ctx context.Context, mutate func(ctx context.Context) error) error {
	return mutate(dryRun(ctx))
}
