// Package rolegraph holds the files the whole service is built around and
// that live at the repository root: the SpiceDB schema and its validation
// file.
package rolegraph

import _ "embed"

// SchemaZed is schema.zed, written to SpiceDB at start.
//
//go:embed schema.zed
var SchemaZed string
