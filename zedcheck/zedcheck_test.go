package zedcheck

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/zedcheck/fixture"
)

// update regenerates schema.validation.yaml's relationships block (from
// zedcheck/fixture) and its validation block (from what SpiceDB computes for
// the block's keys):
//
//	go test ./zedcheck/ -run TestSchemaValidationFile -update
//
// Assertions are written by hand and never regenerated. Review the diff
// before committing it: a regenerated validation block states what the
// schema does, which is only right if the schema is.
var update = flag.Bool("update", false, "rewrite schema.validation.yaml's relationships and validation blocks")

// validationFile is the repository's schema.validation.yaml.
func validationFile(t *testing.T) string {
	t.Helper()
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("runtime.Caller failed")
	}
	return filepath.Join(filepath.Dir(here), "..", "schema.validation.yaml")
}

func TestSchemaValidationFile(t *testing.T) {
	path := validationFile(t)
	if *update {
		regenerate(t, path)
	}
	r, err := ValidateFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r.String())
	if !r.OK() {
		t.Fatalf("%s does not validate:\n%s", path, r)
	}
	if r.SchemaFile == "" || filepath.Base(r.SchemaFile) != "schema.zed" {
		t.Errorf("schemaFile resolved to %q, want ../schema.zed", r.SchemaFile)
	}
	if r.Relationships == 0 || r.Assertions == 0 || r.ExpectedRelations == 0 {
		t.Errorf("nothing was checked: %d relationships, %d assertions, %d expected relations",
			r.Relationships, r.Assertions, r.ExpectedRelations)
	}
	// SpiceDB's schema lints fail the report (OK above); say so plainly
	// should OK ever stop counting them.
	for _, w := range r.Warnings {
		t.Errorf("schema warning: %s", w)
	}
}

// A lint alone fails a validation file, as `zed validate --fail-on-warn`
// does: schema.zed once arrowed to relations (product->enabled_for,
// seat->holder, org->owner), which works but is what zed's linter warns of.
func TestWarningsFail(t *testing.T) {
	const schema = `definition user {}

definition product {
    relation enabled_for: user:*
}

definition document {
    relation product: product
    relation viewer: user
    permission view = viewer & product->enabled_for
}`
	file := "schema: |-\n" + indent(schema, "  ") + `
relationships: |-
  document:readme#viewer@user:alice
  document:readme#product@product:p
  product:p#enabled_for@user:*
assertions:
  assertTrue:
    - document:readme#view@user:alice
`
	r, err := Validate(t.Context(), []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems()) != 0 {
		t.Fatalf("the file should only warn: %s", r)
	}
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0].Message, "arrow-references-relation") {
		t.Fatalf("want an arrow-references-relation warning, got %v", r.Warnings)
	}
	if r.OK() {
		t.Fatalf("a report with warnings passed: %s", r)
	}
	if !strings.Contains(r.String(), "warning") {
		t.Errorf("the summary does not show the warning: %s", r)
	}

	fixed := strings.Replace(strings.Replace(file, "relation enabled_for: user:*", "relation enabled_for: user:*\n      permission enabled = enabled_for", 1),
		"product->enabled_for", "product->enabled", 1)
	r, err = Validate(t.Context(), []byte(fixed))
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("arrowing to a permission should pass: %s", r)
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// Plausible mistakes in schema.zed must make schema.validation.yaml fail:
// each mutation below is applied to a copy of the schema, and the file run
// against it. A mutation whose target text is gone means schema.zed was
// rewritten: update the mutation to the new text.
func TestSchemaMutationsAreCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("a dozen full validations: skipped with -short")
	}
	path := validationFile(t)
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile(filepath.Join(filepath.Dir(path), "schema.zed"))
	if err != nil {
		t.Fatal(err)
	}
	mutations := []struct{ name, from, to string }{
		{"managers do not reach sub-teams", "permission managers_up = manager + parent->managers_up", "permission managers_up = manager"},
		{"team members are not the team's audience", "permission audience = member + managers_up", "permission audience = managers_up"},
		{"no seat gate", "permission usable = (product->enabled + ungated) & (seat->held + seatless)", "permission usable = product->enabled + ungated"},
		{"no product gate", "permission usable = (product->enabled + ungated) & (seat->held + seatless)", "permission usable = seat->held + seatless"},
		{"ownership grants nothing", "permission held_all = all + org->is_owner", "permission held_all = all"},
		{"TEAM does not imply OWN", "permission held_own = held_team + own", "permission held_own = held_all + own"},
		{"assignees are not involved", "permission involved = owner + assignee", "permission involved = owner"},
		{"the evaluator is not involved", "permission involved = agent + evaluator", "permission involved = agent"},
		{"products gate only at ALL", "permission at_team = held_team & usable", "permission at_team = held_team"},
		{"products gate only at ALL and TEAM", "permission at_own = held_own & usable", "permission at_own = held_own"},
		{"sub-team members see the parent team", "permission audience = member + managers_up", "permission audience = member + managers_up + parent->audience"},
		{"the parent team's members see sub-teams", "permission managers_up = manager + parent->managers_up", "permission managers_up = manager + parent->managers_up + parent->member"},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(string(schema), m.from) {
				t.Fatalf("schema.zed no longer contains %q: update this mutation", m.from)
			}
			dir := t.TempDir()
			mutated := strings.Replace(string(schema), m.from, m.to, 1)
			if err := os.WriteFile(filepath.Join(dir, "schema.zed"), []byte(mutated), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "schema.validation.yaml"), content, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := ValidateFile(t.Context(), filepath.Join(dir, "schema.validation.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() || len(r.SchemaErrors)+len(r.RelationshipErrors) > 0 {
				t.Fatalf("want assertion failures or validation diffs, got %s", r)
			}
			t.Logf("caught: %d assertion failures, %d validation diffs", len(r.AssertionFailures), len(r.ValidationDiffs))
		})
	}
}

func regenerate(t *testing.T, path string) {
	t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	content, err = ReplaceTopLevelBlock(content, "relationships", fixture.RelationshipsBlock(fixture.All()...))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Validate(t.Context(), content, WithBaseDir(filepath.Dir(path)), WithFileName(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.SchemaErrors)+len(r.RelationshipErrors)+len(r.ParseErrors) > 0 {
		t.Fatalf("cannot regenerate: %s", r)
	}
	if r.GeneratedValidation != nil {
		content, err = ReplaceTopLevelBlock(content, "validation", r.ValidationBlock())
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("rewrote %s", path)
}

// The relationships block is generated: a catalog, role or rels change that
// is not regenerated into the file fails here.
func TestRelationshipsBlockMatchesFixture(t *testing.T) {
	content, err := os.ReadFile(validationFile(t))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := TopLevelBlock(content, "relationships")
	if !ok {
		t.Fatal("schema.validation.yaml has no relationships block")
	}
	want := fixture.RelationshipsBlock(fixture.All()...)
	if got != want {
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("relationships block is stale (first difference at block line %d:\n file: %q\n want: %q)\n"+
					"regenerate: go test ./zedcheck/ -run TestSchemaValidationFile -update", i+1, g, w)
			}
		}
	}
}

// Every system role has a member holding only that role, and the
// assertions say both what that member may and may not do.
func TestAssertionsCoverEverySystemRole(t *testing.T) {
	content, err := os.ReadFile(validationFile(t))
	if err != nil {
		t.Fatal(err)
	}
	assertions, ok := TopLevelBlock(content, "assertions")
	if !ok {
		t.Fatal("no assertions block")
	}
	trueBlock, falseBlock, _ := strings.Cut(assertions, "assertFalse:")
	f := fixture.Acme()
	for _, sr := range f.Catalog.SystemRoles() {
		var holders []string
		for _, m := range f.Members {
			if m.Status == model.StatusActive && slices.Equal(m.RoleIDs, []string{fixture.RoleID(sr.Key)}) {
				holders = append(holders, m.ID)
			}
		}
		if len(holders) == 0 {
			t.Errorf("system role %s: no active member holds only it", sr.Key)
			continue
		}
		var inTrue, inFalse bool
		for _, h := range holders {
			inTrue = inTrue || strings.Contains(trueBlock, "@member:"+h+"\n") || strings.Contains(trueBlock, "@member:"+h+"\"")
			inFalse = inFalse || strings.Contains(falseBlock, "@member:"+h+"\n") || strings.Contains(falseBlock, "@member:"+h+"\"")
		}
		if !inTrue || !inFalse {
			t.Errorf("system role %s (members %v): assertTrue %v, assertFalse %v; want both", sr.Key, holders, inTrue, inFalse)
		}
	}
}

const tinySchema = `definition user {}

definition document {
    relation viewer: user
    relation editor: user
    permission view = viewer + edit
    permission edit = editor
}`

func tinyFile(schema, rels, assertions, validation string) []byte {
	var b strings.Builder
	b.WriteString("schema: |-\n")
	for _, l := range strings.Split(schema, "\n") {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("relationships: |-\n")
	for _, l := range strings.Split(rels, "\n") {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString(assertions)
	b.WriteString(validation)
	return []byte(b.String())
}

const tinyRels = "document:readme#viewer@user:alice\ndocument:readme#editor@user:bob"

const tinyAssertions = `assertions:
  assertTrue:
    - document:readme#view@user:alice
    - document:readme#edit@user:bob
  assertFalse:
    - document:readme#edit@user:alice
`

const tinyValidation = `validation:
  document:readme#view:
    - "[user:alice] is <document:readme#viewer>"
    - "[user:bob] is <document:readme#editor>"
`

func TestTinyFileValidates(t *testing.T) {
	r, err := Validate(t.Context(), tinyFile(tinySchema, tinyRels, tinyAssertions, tinyValidation))
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("want OK, got %s", r)
	}
	if r.Relationships != 2 || r.Assertions != 3 || r.ExpectedRelations != 1 {
		t.Errorf("counts: %d relationships, %d assertions, %d expected relations", r.Relationships, r.Assertions, r.ExpectedRelations)
	}
}

func TestBrokenSchemaFails(t *testing.T) {
	broken := strings.Replace(tinySchema, "permission edit = editor", "permission edit = editr", 1)
	r, err := Validate(t.Context(), tinyFile(broken, tinyRels, tinyAssertions, tinyValidation), WithFileName("tiny.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.SchemaErrors) != 1 {
		t.Fatalf("want one schema error, got %s", r)
	}
	p := r.SchemaErrors[0]
	// schema: is line 1, so the schema's line 7 is the file's line 8.
	if p.Line != 8 || !strings.Contains(p.Message, "editr") {
		t.Errorf("schema error %v: want line 8 naming editr", p)
	}

	syntax := strings.Replace(tinySchema, "relation editor: user", "relation editor user", 1)
	r, err = Validate(t.Context(), tinyFile(syntax, tinyRels, tinyAssertions, tinyValidation))
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.SchemaErrors) != 1 || r.SchemaErrors[0].Line != 6 {
		t.Fatalf("want one schema error on line 6, got %s", r)
	}
}

func TestWrongAssertTrueFails(t *testing.T) {
	wrong := strings.Replace(tinyAssertions, "document:readme#edit@user:bob", "document:readme#edit@user:alice", 1)
	content := tinyFile(tinySchema, tinyRels, wrong, tinyValidation)
	r, err := Validate(t.Context(), content)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.AssertionFailures) != 1 || len(r.Problems()) != 1 {
		t.Fatalf("want one assertion failure, got %s", r)
	}
	p := r.AssertionFailures[0]
	line := strings.Split(string(content), "\n")[p.Line-1]
	if p.Kind != "ASSERTION_FAILED" || !strings.Contains(line, "document:readme#edit@user:alice") {
		t.Errorf("failure %v points at line %d %q", p, p.Line, line)
	}

	// assertFalse that holds is a failure too.
	wrongFalse := strings.Replace(tinyAssertions, "document:readme#edit@user:alice", "document:readme#view@user:bob", 1)
	r, err = Validate(t.Context(), tinyFile(tinySchema, tinyRels, wrongFalse, tinyValidation))
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.AssertionFailures) != 1 {
		t.Fatalf("want one assertion failure, got %s", r)
	}

	// an assertion about a relation the schema does not have.
	unknown := strings.Replace(tinyAssertions, "document:readme#edit@user:alice", "document:readme#owner@user:alice", 1)
	r, err = Validate(t.Context(), tinyFile(tinySchema, tinyRels, unknown, tinyValidation))
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.AssertionFailures) != 1 {
		t.Fatalf("want one assertion failure, got %s", r)
	}
}

func TestValidationDiffsFail(t *testing.T) {
	cases := map[string]string{
		"missing subject": `validation:
  document:readme#view:
    - "[user:alice] is <document:readme#viewer>"
`,
		"extra subject": tinyValidation + `    - "[user:carol] is <document:readme#viewer>"
`,
		"wrong path": `validation:
  document:readme#view:
    - "[user:alice] is <document:readme#editor>"
    - "[user:bob] is <document:readme#editor>"
`,
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := Validate(t.Context(), tinyFile(tinySchema, tinyRels, tinyAssertions, v))
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() || len(r.ValidationDiffs) == 0 || len(r.Problems()) != len(r.ValidationDiffs) {
				t.Fatalf("want validation diffs only, got %s", r)
			}
			for _, p := range r.ValidationDiffs {
				if p.Line == 0 {
					t.Errorf("diff without a line: %v", p)
				}
			}
			// The generated block is the fix.
			fixed, err := ReplaceTopLevelBlock(tinyFile(tinySchema, tinyRels, tinyAssertions, v), "validation", r.ValidationBlock())
			if err != nil {
				t.Fatal(err)
			}
			r2, err := Validate(t.Context(), fixed)
			if err != nil {
				t.Fatal(err)
			}
			if !r2.OK() {
				t.Fatalf("regenerated block does not validate:\n%s\n%s", fixed, r2)
			}
		})
	}
}

func TestBadRelationshipsFail(t *testing.T) {
	cases := map[string]string{
		"unknown relation":  tinyRels + "\ndocument:readme#owner@user:carol",
		"unknown type":      tinyRels + "\nfolder:root#viewer@user:carol",
		"wrong subject":     tinyRels + "\ndocument:readme#viewer@document:other",
		"unparsable":        tinyRels + "\ndocument:readme#viewer",
		"repeated relation": tinyRels + "\ndocument:readme#viewer@user:alice",
	}
	for name, rels := range cases {
		t.Run(name, func(t *testing.T) {
			content := tinyFile(tinySchema, rels, tinyAssertions, tinyValidation)
			r, err := Validate(t.Context(), content)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() || len(r.RelationshipErrors) != 1 || len(r.Problems()) != 1 {
				t.Fatalf("want one relationship error, got %s", r)
			}
			p := r.RelationshipErrors[0]
			lines := strings.Split(string(content), "\n")
			if p.Line <= 0 || p.Line > len(lines) {
				t.Fatalf("relationship error %v has no line", p)
			}
			last := strings.Split(rels, "\n")
			if strings.TrimSpace(lines[p.Line-1]) != last[len(last)-1] {
				t.Errorf("relationship error %v points at line %d %q, want %q", p, p.Line, lines[p.Line-1], last[len(last)-1])
			}
		})
	}
}

func TestSchemaFileResolvesAgainstTheValidationFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "checks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tiny.zed"), []byte(tinySchema), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("schemaFile: ../tiny.zed\nrelationships: |-\n")
	for _, l := range strings.Split(tinyRels, "\n") {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString(tinyAssertions + tinyValidation)
	path := filepath.Join(dir, "checks", "tiny.validation.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// From another working directory: the test's own.
	r, err := ValidateFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("want OK, got %s", r)
	}
	if r.SchemaFile != filepath.Join(dir, "tiny.zed") {
		t.Errorf("SchemaFile = %q", r.SchemaFile)
	}

	// A schema error in the schema file is reported against that file.
	broken := strings.Replace(tinySchema, "permission edit = editor", "permission edit = editr", 1)
	if err := os.WriteFile(filepath.Join(dir, "tiny.zed"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err = ValidateFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.SchemaErrors) != 1 || r.SchemaErrors[0].File != filepath.Join(dir, "tiny.zed") || r.SchemaErrors[0].Line != 7 {
		t.Fatalf("want one error at tiny.zed:7, got %s", r)
	}

	// A missing schema file is a schema problem, not a Go error.
	if err := os.Remove(filepath.Join(dir, "tiny.zed")); err != nil {
		t.Fatal(err)
	}
	r, err = ValidateFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.SchemaErrors) != 1 || r.SchemaErrors[0].Line != 1 {
		t.Fatalf("want one schema error on line 1, got %s", r)
	}
}

// Text SpiceDB cannot even parse is reported under the block it is in,
// with its line.
func TestUnparsableBlocksFail(t *testing.T) {
	cases := []struct {
		name    string
		content []byte
		want    func(*Report) []Problem
		text    string // on the reported line
	}{
		{"assertion", tinyFile(tinySchema, tinyRels, tinyAssertions+"    - document:readme#view@\n", tinyValidation),
			func(r *Report) []Problem { return r.AssertionFailures }, "document:readme#view@"},
		{"validation key", tinyFile(tinySchema, tinyRels, tinyAssertions, tinyValidation+"  document:readme:\n    - \"[user:alice] is <document:readme#viewer>\"\n"),
			func(r *Report) []Problem { return r.ValidationDiffs }, "document:readme:"},
		{"validation subject", tinyFile(tinySchema, tinyRels, tinyAssertions, tinyValidation+"  document:readme#edit:\n    - \"[user:] is <document:readme#editor>\"\n"),
			func(r *Report) []Problem { return r.ValidationDiffs }, "[user:]"},
		{"yaml", []byte("schema: |-\n  definition user {}\nassertions: [unclosed\n"),
			func(r *Report) []Problem { return append(r.ParseErrors, r.AssertionFailures...) }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Validate(t.Context(), c.content)
			if err != nil {
				t.Fatal(err)
			}
			ps := c.want(r)
			if r.OK() || len(ps) != 1 || len(r.Problems()) != 1 {
				t.Fatalf("want one problem in its block, got %s", r)
			}
			if c.text == "" {
				return
			}
			lines := strings.Split(string(c.content), "\n")
			if ps[0].Line <= 0 || ps[0].Line > len(lines) || !strings.Contains(lines[ps[0].Line-1], c.text) {
				t.Errorf("problem %v: want a line holding %q", ps[0], c.text)
			}
		})
	}
}

func TestNoSchemaFails(t *testing.T) {
	r, err := Validate(t.Context(), []byte("relationships: |-\n  document:readme#viewer@user:alice\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.SchemaErrors) != 1 {
		t.Fatalf("want a schema error, got %s", r)
	}
}

func TestReplaceTopLevelBlock(t *testing.T) {
	in := "# head\nschema: |-\n  definition user {}\n\n# about rels\nrelationships: |-\n  a\n  b\n\nvalidation:\n  x: []\n"
	out, err := ReplaceTopLevelBlock([]byte(in), "relationships", "relationships: |-\n  c\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# head\nschema: |-\n  definition user {}\n\n# about rels\nrelationships: |-\n  c\n\nvalidation:\n  x: []\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	got, ok := TopLevelBlock(out, "relationships")
	if !ok || got != "relationships: |-\n  c\n" {
		t.Errorf("TopLevelBlock = %q, %v", got, ok)
	}
	out, err = ReplaceTopLevelBlock(out, "assertions", "assertions:\n  assertTrue: []\n")
	if err != nil || !strings.HasSuffix(string(out), "x: []\nassertions:\n  assertTrue: []\n") {
		t.Errorf("append: %q, %v", out, err)
	}
	if _, err := ReplaceTopLevelBlock(out, "assertions", "validation: {}\n"); err == nil {
		t.Error("a replacement with another key was accepted")
	}
}
