// Package gqlmodel holds the GraphQL input, enum and payload types gqlgen
// generates for the schema's types that have no Go model of their own in
// package model (models_gen.go, regenerated with gqlgen), and the one type
// that writes its own JSON (viewercan.go: a page's viewerCan flags).
package gqlmodel
