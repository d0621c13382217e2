package postgres

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// The conversions between model values and column values. The canonical
// shape itself (sorted ids, catalog order, UTC microseconds) is package
// canon's, shared with the memory backend; what is here is Postgres' own:
// NOT NULL arrays and JSON columns want empty, not nil.

// strs is for text[] columns, which are NOT NULL: empty is {} not NULL.
func strs[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// fromStrs is strs backwards, with empty as nil as the model has it.
func fromStrs[T ~string](vals []string) []T {
	if len(vals) == 0 {
		return nil
	}
	out := make([]T, len(vals))
	for i, v := range vals {
		out[i] = T(v)
	}
	return out
}

// grantsJSON is what the grants column stores: [] rather than null for none.
func grantsJSON(gs []model.Grant) []model.Grant {
	if out := canon.Grants(gs); out != nil {
		return out
	}
	return []model.Grant{}
}
