package domain

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
)

// FuzzValidateInput: the text validators (names, descriptions, titles)
// never panic; what they accept is trimmed, valid UTF-8, within the limit
// in characters, free of control characters (a line break or tab inside
// is allowed), and accepted again unchanged (validation is idempotent);
// what they refuse is a BAD_USER_INPUT naming the field. The id check
// accepts exactly what ids.Parse says is an id of the kind, and each input
// also goes through the email properties of FuzzValidateEmail. Run longer with
//
//	go test -run='^$' -fuzz='^FuzzValidateInput$' -fuzztime=5m ./domain
func FuzzValidateInput(f *testing.F) {
	for _, s := range []string{"", " ", "Support", "  Support team  ", "a\tb", "a\nb", "\n", "line\r\nbreak", "nul\x00",
		"bell\a", "del\x7f", "c1\u0085", "\u00a0nbsp\u00a0", "\u2028sep", "\u200b", "\ufeffbom", "rtl\u202eoverride",
		"bad\xffutf8", "\xed\xa0\x80", "日本語のチーム", "emoji 👩‍👩‍👧", strings.Repeat("x", MaxNameLen), strings.Repeat("é", MaxNameLen+1),
		strings.Repeat(" ", 300) + "x", "mem_abcdefghijklmnopqrst", "role_x", "role_"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, v string, which uint8) {
		limits := []int{MaxNameLen, MaxDescriptionLen, MaxTitleLen, 1}
		max := limits[int(which)%len(limits)]
		for _, required := range []bool{true, false} {
			validate := optionalText
			if required {
				validate = text
			}
			out, err := validate("input.name", v, max)
			if err != nil {
				badInput(t, err, "input.name", v)
				continue
			}
			if required && out == "" {
				t.Fatalf("text(%q) accepted an empty value", v)
			}
			if out != strings.TrimSpace(out) || out != strings.TrimSpace(v) {
				t.Fatalf("accepted %q as %q: not the trimmed input", v, out)
			}
			if !utf8.ValidString(out) {
				t.Fatalf("accepted invalid UTF-8 %q", out)
			}
			if n := utf8.RuneCountInString(out); n > max {
				t.Fatalf("accepted %d characters, limit %d", n, max)
			}
			for _, r := range out {
				if unicode.IsControl(r) && r != '\n' && r != '\t' {
					t.Fatalf("accepted control character %U in %q", r, out)
				}
			}
			again, err := validate("input.name", out, max)
			if err != nil || again != out {
				t.Fatalf("validating the accepted %q again: %q, %v", out, again, err)
			}
		}
		for _, k := range []ids.Kind{ids.Member, ids.Role, ids.Team} {
			err := id("memberId", v, k)
			if (err == nil) != ids.Is(v, k) {
				t.Fatalf("id(%q, %s) = %v, ids.Is = %v", v, k, err, ids.Is(v, k))
			}
			if err != nil {
				badInput(t, err, "memberId", v)
			}
		}
		checkEmail(t, v)
	})
}

// FuzzValidateEmail: email never panics; an accepted address is trimmed,
// lower case, at most MaxEmailLen bytes, has exactly one "@" with a
// non-empty local part and a dotted domain, no spaces, control or format
// characters (found by this target: net/mail accepts C1 controls such as
// U+0088), and validates again to itself. Run longer with
//
//	go test -run='^$' -fuzz='^FuzzValidateEmail$' -fuzztime=5m ./domain
func FuzzValidateEmail(f *testing.F) {
	for _, s := range []string{"", "a@b.c", "Ann@Example.COM", "  ann@example.com  ", "ann@example", "@example.com", "ann@",
		"ann@@example.com", "a@b@example.com", `"a@b"@example.com`, `"a b"@example.com`, "Ann <ann@example.com>",
		"ann@example.com (Ann)", "ann @example.com", "ann@exa mple.com", "ann\x00@example.com", "ann@example.com\n",
		"ann@[127.0.0.1]", "ann+tag@example.com", "ÄNN@EXAMPLE.COM", "ann@exämple.com", "\u212aelvin@example.com",
		"İ@example.com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", "a@" + strings.Repeat("b.", 130) + "com",
		"=?utf-8?q?ann?=@example.com", "ann@\u0088.com", "ann\u200b@example.com", "ann@exa\u202emple.com", "\u00a4@\u0088.0", "ann.@example.com", ".ann@example.com", "a..b@example.com"} {
		f.Add(s)
	}
	f.Fuzz(checkEmail)
}

func checkEmail(t *testing.T, v string) {
	out, err := email("input.email", v)
	if err != nil {
		badInput(t, err, "input.email", v)
		return
	}
	if out != strings.TrimSpace(out) {
		t.Fatalf("accepted %q as untrimmed %q", v, out)
	}
	if out != strings.ToLower(out) {
		t.Fatalf("accepted %q as %q: not lower case", v, out)
	}
	if len(out) > MaxEmailLen {
		t.Fatalf("accepted %q: %d bytes > %d", out, len(out), MaxEmailLen)
	}
	if strings.Count(out, "@") != 1 {
		t.Fatalf("accepted %q: not exactly one @", out)
	}
	local, domain, _ := strings.Cut(out, "@")
	if local == "" || !strings.Contains(domain, ".") {
		t.Fatalf("accepted %q: local %q, domain %q", out, local, domain)
	}
	for _, r := range out {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			t.Fatalf("accepted %q: it holds %U", out, r)
		}
	}
	again, err := email("input.email", out)
	if err != nil || again != out {
		t.Fatalf("validating the accepted %q again: %q, %v", out, again, err)
	}
}

func badInput(t *testing.T, err error, field, v string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.BadUserInput || e.Field != field {
		t.Fatalf("refusing %q: want BAD_USER_INPUT on %s, got %#v", v, field, err)
	}
}
