// Package rels holds the relationships rolegraph keeps in SpiceDB as plain
// values, so that the store can queue them in its outbox and the authz
// package can apply them, without either linking the other.
package rels

import (
	"fmt"
	"sort"
	"strings"
	"time"
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
	// Expires is when SpiceDB stops counting the relationship, in Unix
	// milliseconds (the precision every store and SpiceDB keep exactly);
	// 0 is never. It is not part of the tuple's identity: String leaves it
	// out, and a changed expiry is a TOUCH of the same tuple.
	Expires int64 `json:"exp,omitempty"`
}

// ExpiresAt is Expires as a time; zero for never.
func (r Relationship) ExpiresAt() time.Time {
	if r.Expires == 0 {
		return time.Time{}
	}
	return time.UnixMilli(r.Expires).UTC()
}

// ExpiredAt reports whether the relationship has expired at now.
func (r Relationship) ExpiredAt(now time.Time) bool {
	return r.Expires != 0 && now.UnixMilli() >= r.Expires
}

// ExpiryMillis converts an expiry to Relationship.Expires (zero: 0).
func ExpiryMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// ZedString is String with the expiration, as the validation file writes
// it: resource#relation@subject[expiration:2026-12-01T00:00:00Z].
func (r Relationship) ZedString() string {
	if r.Expires == 0 {
		return r.String()
	}
	return r.String() + "[expiration:" + r.ExpiresAt().Format(time.RFC3339Nano) + "]"
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
// that a replayed batch never leaves a stale tuple behind a fresh one. A
// tuple in both whose expiry changed is touched with its new expiry.
func Diff(before, after Set) []Update {
	var out []Update
	for _, r := range before.Sorted() {
		if _, ok := after[r.String()]; !ok {
			out = append(out, Update{Op: OpDelete, Rel: r})
		}
	}
	for _, r := range after.Sorted() {
		if b, ok := before[r.String()]; !ok || b.Expires != r.Expires {
			out = append(out, Update{Op: OpTouch, Rel: r})
		}
	}
	return out
}

// Unexpired is s without the relationships expired at now: what SpiceDB
// answers from and reads back.
func (s Set) Unexpired(now time.Time) Set {
	out := NewSet()
	for k, r := range s {
		if !r.ExpiredAt(now) {
			out[k] = r
		}
	}
	return out
}

// Touches returns TOUCH updates for every relationship of s.
func Touches(s Set) []Update { return Diff(nil, s) }

// Deletes returns DELETE updates for every relationship of s.
func Deletes(s Set) []Update { return Diff(s, nil) }
