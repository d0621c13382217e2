package gqlmodel

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// InteractionPermissions is the GraphQL InteractionPermissions: an
// interaction's four viewerCan flags. It writes itself (MarshalGQLContext)
// instead of being resolved field by field: a page of 50 interactions
// asks for 200 flags, and gqlgen's way — a field set, a field context and a
// resolveField call per flag, on each interaction's own goroutine — cost
// more than the rest of the page's node. What it writes is what gqlgen
// would: the selected fields in query order under their response names,
// through fragments, aliases, @skip/@include and __typename, since the
// fields come from graphql.CollectFields as gqlgen's own do. A deferred
// fragment's flags are written in place, as gqlgen writes them while no
// incremental (multipart) transport is served; one added must make this
// defer them too.
type InteractionPermissions struct{ Read, Write, Delete, Download bool }

var interactionPermissionsImplementors = []string{"InteractionPermissions"}

// MarshalGQLContext writes the flags the query selects.
func (p InteractionPermissions) MarshalGQLContext(ctx context.Context, w io.Writer) error {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return errors.New("InteractionPermissions marshaled outside a field")
	}
	b := make([]byte, 0, 96)
	b = append(b, '{')
	for i, f := range graphql.CollectFields(oc, fc.Field.Selections, interactionPermissionsImplementors) {
		if i > 0 {
			b = append(b, ',')
		}
		// Response names are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): no
		// character of theirs needs escaping in JSON.
		b = append(b, '"')
		b = append(b, f.Alias...)
		b = append(b, '"', ':')
		switch f.Name {
		case "__typename":
			b = append(b, `"InteractionPermissions"`...)
		case "read":
			b = strconv.AppendBool(b, p.Read)
		case "write":
			b = strconv.AppendBool(b, p.Write)
		case "delete":
			b = strconv.AppendBool(b, p.Delete)
		case "download":
			b = strconv.AppendBool(b, p.Download)
		default:
			// Validation admits no other field; a schema change that adds
			// one must add it here.
			return errors.New("InteractionPermissions has no field " + strconv.Quote(f.Name))
		}
	}
	b = append(b, '}')
	_, err := w.Write(b)
	return err
}

// UnmarshalGQLContext: InteractionPermissions is an output type only.
func (p *InteractionPermissions) UnmarshalGQLContext(context.Context, any) error {
	return errors.New("InteractionPermissions is not an input")
}
