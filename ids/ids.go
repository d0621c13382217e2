// Package ids makes and reads rolegraph's identifiers: a kind prefix and
// 20 random base32 characters ("mem_…"). The prefix tells what an id names,
// which is how `can(permission, resourceId)` knows the resource's type, and
// the alphabet is one SpiceDB object ids accept.
package ids

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

type Kind string

const (
	Organization Kind = "org"
	Member       Kind = "mem"
	Team         Kind = "team"
	Role         Kind = "role"
	Interaction  Kind = "int"
	Evaluation   Kind = "eval"
	// AccessRequest: a request for access made at the point of denial (issue 13).
	AccessRequest Kind = "areq"
)

var kinds = []Kind{Organization, Member, Team, Role, Interaction, Evaluation, AccessRequest}

var nouns = map[Kind]string{Organization: "organization", Member: "member", Team: "team", Role: "role",
	Interaction: "interaction", Evaluation: "evaluation", AccessRequest: "access request"}

// Noun is what a person calls a thing of kind k, for messages: "member".
func (k Kind) Noun() string {
	if n, ok := nouns[k]; ok {
		return n
	}
	return string(k)
}

var enc = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// New returns a fresh id of kind k.
func New(k Kind) string {
	var b [13]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return string(k) + "_" + enc.EncodeToString(b[:])[:20]
}

// MaxLen bounds any id a client may send.
const MaxLen = 64

// Parse returns the kind of a well-formed id; ok is false for anything else,
// so malformed ids never reach the store or SpiceDB.
func Parse(id string) (Kind, bool) {
	if len(id) == 0 || len(id) > MaxLen {
		return "", false
	}
	prefix, rest, found := strings.Cut(id, "_")
	if !found || rest == "" {
		return "", false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "", false
		}
	}
	for _, k := range kinds {
		if string(k) == prefix {
			return k, true
		}
	}
	return "", false
}

// Is reports whether id is a well-formed id of kind k.
func Is(id string, k Kind) bool {
	got, ok := Parse(id)
	return ok && got == k
}
