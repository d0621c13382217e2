package domain

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
)

// Input limits. A request past them is refused whole, before anything is
// read or written.
const (
	MaxNameLen        = 100
	MaxDescriptionLen = 1000
	MaxTitleLen       = 200
	MaxEmailLen       = 254
	MaxListLen        = 200
)

// text trims and checks a required human-readable string.
func text(field, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errs.BadInput(field, "%s must not be empty", field)
	}
	return optionalText(field, v, max)
}

// optionalText checks a string that may be empty.
func optionalText(field, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return "", errs.BadInput(field, "%s must be valid UTF-8", field)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", errs.BadInput(field, "%s is %d characters long; at most %d are allowed", field, n, max)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", errs.BadInput(field, "%s must not contain control characters", field)
		}
	}
	return v, nil
}

// email checks and lower-cases a bare email address.
func email(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errs.BadInput(field, "%s must not be empty", field)
	}
	if len(v) > MaxEmailLen {
		return "", errs.BadInput(field, "%s is longer than %d characters", field, MaxEmailLen)
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		return "", errs.BadInput(field, "%q is not an email address like name@example.com", v)
	}
	// net/mail takes UTF-8 (RFC 6532) as is, C1 controls and invisible
	// format characters (zero-width, bidi overrides) included.
	for _, r := range v {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return "", errs.BadInput(field, "%q is not an email address like name@example.com: it holds the invisible or control character %U", v, r)
		}
	}
	return strings.ToLower(v), nil
}

// id checks that v is a well-formed id of kind k.
func id(field, v string, k ids.Kind) error {
	if !ids.Is(v, k) {
		return errs.BadInput(field, "%q is not a %s id", v, k.Noun())
	}
	return nil
}

// idList checks ids: well formed, no duplicates, at most MaxListLen.
func idList(field string, vs []string, k ids.Kind) error {
	if len(vs) > MaxListLen {
		return errs.BadInput(field, "%s lists %d ids; at most %d are allowed", field, len(vs), MaxListLen)
	}
	seen := map[string]bool{}
	for _, v := range vs {
		if err := id(field, v, k); err != nil {
			return err
		}
		if seen[v] {
			return errs.BadInput(field, "%s lists %q twice", field, v)
		}
		seen[v] = true
	}
	return nil
}
