package resolvers

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/rolegraph/rolegraph/model"
)

// roleByID loads a role of the caller's organization; a role deleted
// since is an error rather than a null, as Role! says.
func (r *Resolver) roleByID(ctx context.Context, id string) (*model.Role, error) {
	l := loadersOf(ctx)
	if l == nil {
		return nil, errUnauthenticated
	}
	role, err := l.roles().Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, errors.New("the role was deleted")
	}
	return role, err
}
