// Package rels holds the relationships rolegraph keeps in SpiceDB as plain
// values, so that the store can queue them in its outbox and the authz
// package can apply them, without either linking the other.
package rels

import (
	"fmt"
	"sort"
	"strings"
)

// Relationship is one SpiceDB tuple: resource#relation@subject[#subjectRelation].
// SubjectID "*" is a wildcard.
type Relationship struct {
	ResourceType    string `json:"rt"`
	ResourceID      string `json:"ri"`
	Relation        string `json:"r"`
	SubjectType     string `json:"st"`
	SubjectID       string `json:"si"`
	SubjectRelation string `json:"sr,omitempty"`
}

// String renders the tuple in zed's syntax, which is also the syntax of the
// validation file's relationships block.
func (r Relationship) String() string {
	s := fmt.Sprintf("%s:%s#%s@%s:%s", r.ResourceType, r.ResourceID, r.Relation, r.SubjectType, r.SubjectID)
	if r.SubjectRelation != "" {
		s += "#" + r.SubjectRelation
	}
	return s
}

// Parse reads the form String writes.
func Parse(s string) (Relationship, error) {
	var r Relationship
	res, sub, ok := strings.Cut(s, "@")
	if !ok {
		return r, fmt.Errorf("relationship %q: missing @", s)
	}
	obj, rel, ok := strings.Cut(res, "#")
	if !ok {
		return r, fmt.Errorf("relationship %q: missing #relation", s)
	}
	r.Relation = rel
	if r.ResourceType, r.ResourceID, ok = strings.Cut(obj, ":"); !ok {
		return r, fmt.Errorf("relationship %q: resource needs type:id", s)
	}
	subObj, subRel, _ := strings.Cut(sub, "#")
	r.SubjectRelation = subRel
	if r.SubjectType, r.SubjectID, ok = strings.Cut(subObj, ":"); !ok {
		return r, fmt.Errorf("relationship %q: subject needs type:id", s)
	}
	return r, nil
}

// Op is what an outbox entry does to its relationship. Both are idempotent
// in SpiceDB (TOUCH writes or keeps, DELETE removes or finds nothing), which
// is what makes replaying the outbox after a crash safe.
type Op string

const (
	OpTouch  Op = "TOUCH"
	OpDelete Op = "DELETE"
)

type Update struct {
	Op  Op           `json:"op"`
	Rel Relationship `json:"rel"`
}

// Set is a set of relationships keyed by their string form.
type Set map[string]Relationship

func NewSet(rs ...Relationship) Set {
	s := Set{}
	s.Add(rs...)
	return s
}

func (s Set) Add(rs ...Relationship) {
	for _, r := range rs {
		s[r.String()] = r
	}
}

// Sorted returns the set's relationships in a stable order.
func (s Set) Sorted() []Relationship {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Relationship, len(keys))
	for i, k := range keys {
		out[i] = s[k]
	}
	return out
}

// Diff returns the updates that turn before into after: deletes first, so
// that a replayed batch never leaves a stale tuple behind a fresh one.
func Diff(before, after Set) []Update {
	var out []Update
	for _, r := range before.Sorted() {
		if _, ok := after[r.String()]; !ok {
			out = append(out, Update{Op: OpDelete, Rel: r})
		}
	}
	for _, r := range after.Sorted() {
		if _, ok := before[r.String()]; !ok {
			out = append(out, Update{Op: OpTouch, Rel: r})
		}
	}
	return out
}

// Touches returns TOUCH updates for every relationship of s.
func Touches(s Set) []Update { return Diff(nil, s) }

// Deletes returns DELETE updates for every relationship of s.
func Deletes(s Set) []Update { return Diff(s, nil) }
