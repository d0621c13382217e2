//go:build tools

// Package rolegraph pins code generators in go.mod.
package rolegraph

import _ "github.com/99designs/gqlgen"
