package zedcheck

import (
	"fmt"
	"regexp"
	"strings"
)

// A validation file's top-level keys start at column 0; everything inside a
// block (literal relationships, assertion lists, validation maps) is
// indented. The helpers here work on that layout as text, so they also work
// on files the YAML parser rejects.

var topLevelKey = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*:`)

// block is the 1-indexed line range of one top-level key: from its key line
// to its last line (trailing blank lines and column-0 comments, which
// introduce the next key, left out).
type block struct{ line, end int }

func splitLines(content []byte) []string {
	s := strings.TrimSuffix(string(content), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func topLevelBlocks(content []byte) map[string]block {
	lines := splitLines(content)
	out := map[string]block{}
	var starts []int
	var keys []string
	for i, l := range lines {
		if m := topLevelKey.FindStringSubmatch(l); m != nil {
			starts = append(starts, i+1)
			keys = append(keys, m[1])
		}
	}
	for i, k := range keys {
		end := len(lines)
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		for end > starts[i] {
			l := lines[end-1]
			if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") || l == "---" {
				end--
				continue
			}
			break
		}
		if _, dup := out[k]; !dup {
			out[k] = block{line: starts[i], end: end}
		}
	}
	return out
}

// blockAt names the top-level key whose block holds line, "" if none.
func blockAt(blocks map[string]block, line int) string {
	if line <= 0 {
		return ""
	}
	for k, b := range blocks {
		if line >= b.line && line <= b.end {
			return k
		}
	}
	return ""
}

// lineOf finds the line of b whose trimmed text is text; 0 if none.
func lineOf(content []byte, text string, b block) int {
	lines := splitLines(content)
	for i := b.line; i <= b.end && i <= len(lines); i++ {
		if strings.TrimSpace(lines[i-1]) == strings.TrimSpace(text) {
			return i
		}
	}
	return 0
}

// TopLevelBlock returns the text of the top-level key's block: its key line
// through its last line, newline-terminated. ok is false when the key is
// absent.
func TopLevelBlock(content []byte, key string) (text string, ok bool) {
	b, ok := topLevelBlocks(content)[key]
	if !ok {
		return "", false
	}
	lines := splitLines(content)
	return strings.Join(lines[b.line-1:b.end], "\n") + "\n", true
}

// ReplaceTopLevelBlock replaces the top-level key's block with text (which
// must start with "key:"), leaving comments and other blocks alone. A
// missing key is appended at the end.
func ReplaceTopLevelBlock(content []byte, key, text string) ([]byte, error) {
	if m := topLevelKey.FindStringSubmatch(text); m == nil || m[1] != key {
		return nil, fmt.Errorf("zedcheck: replacement for %q must start with %q", key, key+":")
	}
	text = strings.TrimRight(text, "\n")
	lines := splitLines(content)
	b, ok := topLevelBlocks(content)[key]
	var out []string
	if ok {
		out = append(out, lines[:b.line-1]...)
		out = append(out, text)
		out = append(out, lines[b.end:]...)
	} else {
		out = append(out, lines...)
		out = append(out, text)
	}
	return []byte(strings.Join(out, "\n") + "\n"), nil
}
