// Package zedcheck checks a zed-format validation file — the format `zed
// validate` reads: `schema:` or `schemaFile:`, `relationships:`,
// `assertions:` (assertTrue / assertFalse / assertCaveated) and `validation:`
// (expected relations) — with SpiceDB's own code: pkg/validationfile parses
// the file and pkg/development compiles the schema, loads the relationships
// into an in-memory datastore, runs the assertions and expands the expected
// relations, exactly as zed and the SpiceDB playground do.
//
// It is the only rolegraph package that links SpiceDB's development code;
// keep it that way so that one test binary pays for it.
//
// Regenerating the `validation:` block the way zed-style `--update`
// workflows do: list the keys you want (an empty list `[]` is fine), run the
// check, and write Report.ValidationBlock back into the file with
// ReplaceTopLevelBlock. For rolegraph's own schema.validation.yaml this is
//
//	go test ./zedcheck/ -run TestSchemaValidationFile -update
//
// which also rewrites the relationships block from zedcheck/fixture. Review
// the diff: the regenerated block is what the schema computes, not what it
// should compute.
package zedcheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/authzed/spicedb/pkg/development"
	devinterface "github.com/authzed/spicedb/pkg/proto/developer/v1"
	"github.com/authzed/spicedb/pkg/spiceerrors"
	"github.com/authzed/spicedb/pkg/validationfile"
)

// Source says which part of the validation file a problem is about.
type Source string

const (
	SourceParse        Source = "parse"        // the YAML itself, outside any block
	SourceSchema       Source = "schema"       // the schema (inline or schemaFile)
	SourceRelationship Source = "relationship" // the relationships block
	SourceAssertion    Source = "assertion"    // the assertions block
	SourceValidation   Source = "validation"   // the validation (expected relations) block
)

// Problem is one error SpiceDB found.
type Problem struct {
	Source Source
	// Kind is SpiceDB's error kind (ASSERTION_FAILED, SCHEMA_ISSUE,
	// MISSING_EXPECTED_RELATIONSHIP, …), or PARSE_ERROR.
	Kind string
	// File is the file Line and Column refer to: the validation file, or the
	// schema file for errors in a schemaFile. "" when validating bytes that
	// have no name.
	File string
	// Line and Column are 1-indexed; 0 when SpiceDB does not say.
	Line, Column int
	Message      string
	// Context is the offending text: the relationship, the assertion, the
	// schema excerpt, the validation string.
	Context string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(":")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, "%d:", p.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "%s: %s", p.Source, p.Message)
	if p.Context != "" && !strings.Contains(p.Message, p.Context) {
		fmt.Fprintf(&b, " (%s)", p.Context)
	}
	return b.String()
}

// Warning is a schema lint SpiceDB reports (an unused relation, a
// permission that mixes operators without parentheses, an arrow to a
// relation rather than a permission, …). A warning fails the report, as
// `zed validate --fail-on-warn` does: each lint names a schema that works
// today but reads one way and breaks another when it is edited.
type Warning struct {
	File         string
	Line, Column int
	Message      string
	Context      string
}

func (w Warning) String() string {
	return Problem{Source: SourceSchema, File: w.File, Line: w.Line, Column: w.Column, Message: w.Message, Context: w.Context}.String()
}

// Report is the outcome of checking one validation file.
type Report struct {
	// File is the validation file's path ("" for Validate without WithFileName).
	File string
	// SchemaFile is the resolved path of `schemaFile:`, "" for an inline schema.
	SchemaFile string

	SchemaErrors       []Problem
	RelationshipErrors []Problem
	AssertionFailures  []Problem
	ValidationDiffs    []Problem
	// ParseErrors are YAML problems outside any known block.
	ParseErrors []Problem
	Warnings    []Warning

	// What was run: zero when the file did not get that far.
	Relationships     int
	Assertions        int // assertTrue + assertFalse + assertCaveated
	ExpectedRelations int // keys of the validation block

	// GeneratedValidation is what SpiceDB computed for each key of the
	// validation block, in the block's own syntax ("[member:x] is
	// <role:y#assignee>/…"), sorted; see ValidationBlock.
	GeneratedValidation map[string][]string
}

// OK reports whether the file passed: the schema compiled without
// warnings, every relationship loaded, every assertion held and every
// expected relation matched.
func (r *Report) OK() bool { return len(r.Problems()) == 0 && len(r.Warnings) == 0 }

// Problems is every problem of the report, ordered by file and line.
func (r *Report) Problems() []Problem {
	var all []Problem
	all = append(all, r.ParseErrors...)
	all = append(all, r.SchemaErrors...)
	all = append(all, r.RelationshipErrors...)
	all = append(all, r.AssertionFailures...)
	all = append(all, r.ValidationDiffs...)
	sortProblems(all)
	return all
}

// String summarizes the report the way zed does, one problem a line.
func (r *Report) String() string {
	var b strings.Builder
	probs := r.Problems()
	switch {
	case len(probs) == 0 && len(r.Warnings) == 0:
		fmt.Fprintf(&b, "Success! %d relationships loaded, %d assertions run, %d expected relations validated",
			r.Relationships, r.Assertions, r.ExpectedRelations)
	case len(probs) == 0:
		fmt.Fprintf(&b, "%d schema warning(s): fix the schema as each says (assertions and validation held)", len(r.Warnings))
	default:
		fmt.Fprintf(&b, "%d problem(s): %d schema, %d relationship, %d assertion, %d validation, %d parse",
			len(probs), len(r.SchemaErrors), len(r.RelationshipErrors), len(r.AssertionFailures),
			len(r.ValidationDiffs), len(r.ParseErrors))
		for _, p := range probs {
			b.WriteString("\n  ")
			b.WriteString(p.String())
		}
	}
	for _, w := range r.Warnings {
		b.WriteString("\n  warning: ")
		b.WriteString(w.String())
	}
	return b.String()
}

// ValidationBlock renders GeneratedValidation as the file's top-level
// `validation:` block, keys sorted, ready for ReplaceTopLevelBlock.
func (r *Report) ValidationBlock() string {
	keys := make([]string, 0, len(r.GeneratedValidation))
	for k := range r.GeneratedValidation {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("validation:\n")
	for _, k := range keys {
		subjects := r.GeneratedValidation[k]
		if len(subjects) == 0 {
			fmt.Fprintf(&b, "  %s: []\n", k)
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", k)
		for _, s := range subjects {
			fmt.Fprintf(&b, "    - %q\n", s)
		}
	}
	return b.String()
}

// Option configures Validate.
type Option func(*options)

type options struct {
	baseDir  string
	fileName string
}

// WithBaseDir sets the directory `schemaFile:` is resolved against
// (default: the working directory).
func WithBaseDir(dir string) Option { return func(o *options) { o.baseDir = dir } }

// WithFileName names the validation file in problems.
func WithFileName(name string) Option { return func(o *options) { o.fileName = name } }

// ValidateFile checks the validation file at path. `schemaFile:` resolves
// relative to the file's directory. The error is for I/O and internal
// failures only: everything wrong with the file's content is in the Report.
func ValidateFile(ctx context.Context, path string) (*Report, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Validate(ctx, content, WithBaseDir(filepath.Dir(path)), WithFileName(path))
}

// Validate checks a validation file's content. `schemaFile:` resolves
// relative to WithBaseDir (default: the working directory). The error is for
// internal failures only: everything wrong with the content is in the
// Report.
func Validate(ctx context.Context, yamlContent []byte, opts ...Option) (*Report, error) {
	o := options{baseDir: "."}
	for _, opt := range opts {
		opt(&o)
	}
	r := &Report{File: o.fileName}
	blocks := topLevelBlocks(yamlContent)

	vf, err := validationfile.DecodeValidationFile(yamlContent)
	if err != nil {
		r.addSourceError(err, yamlContent, blocks)
		return r, nil
	}
	r.Relationships = len(vf.Relationships.Relationships)

	if len(vf.NamespaceConfigs) > 0 || len(vf.ValidationTuples) > 0 {
		r.ParseErrors = append(r.ParseErrors, Problem{Source: SourceParse, Kind: "PARSE_ERROR", File: r.File,
			Message: "namespace_configs and validation_tuples are not supported: use schema (or schemaFile) and relationships"})
		return r, nil
	}

	var copts []development.CompileOption
	schemaLineOffset := 0
	schemaFileName := r.File
	switch {
	case vf.SchemaFile != "" && strings.TrimSpace(vf.Schema.Schema) != "":
		r.SchemaErrors = append(r.SchemaErrors, Problem{Source: SourceSchema, Kind: "PARSE_ERROR", File: r.File,
			Line: blocks["schemaFile"].line, Message: "only one of schema or schemaFile can be specified"})
		return r, nil
	case vf.SchemaFile != "":
		p := vf.SchemaFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(o.baseDir, p)
		}
		r.SchemaFile = p
		schemaFileName = p
		if _, err := os.Stat(p); err != nil {
			r.SchemaErrors = append(r.SchemaErrors, Problem{Source: SourceSchema, Kind: "PARSE_ERROR", File: r.File,
				Line: blocks["schemaFile"].line, Message: fmt.Sprintf("schemaFile %q: %v", vf.SchemaFile, err),
				Context: vf.SchemaFile})
			return r, nil
		}
		// SpiceDB reads schemaFile (and resolves its imports) through an
		// fs.FS rooted at the schema's directory; fs paths cannot hold "./"
		// or "../", so the root moves to the file's directory instead.
		vf.SchemaFile = filepath.Base(p)
		copts = append(copts, development.WithSourceFS(os.DirFS(filepath.Dir(p))))
	default:
		schemaLineOffset = vf.Schema.SourcePosition.LineNumber
		if strings.TrimSpace(vf.Schema.Schema) == "" {
			r.SchemaErrors = append(r.SchemaErrors, Problem{Source: SourceSchema, Kind: "PARSE_ERROR", File: r.File,
				Message: "no schema: the file needs `schema:` or `schemaFile:`"})
			return r, nil
		}
	}

	yctx, devErrs, err := development.NewDevContextForValidationFile(ctx, vf, copts...)
	if err != nil {
		return nil, fmt.Errorf("zedcheck: building the development context: %w", err)
	}
	if devErrs != nil {
		for _, de := range devErrs.InputErrors {
			r.add(de, schemaFileName)
		}
		if len(r.Problems()) == 0 { // SpiceDB said no but gave no reason; never report success
			r.ParseErrors = append(r.ParseErrors, Problem{Source: SourceParse, File: r.File, Message: "the development context could not be built"})
		}
		return r, nil
	}
	devCtx := yctx.DevContext
	defer devCtx.Dispose()

	warnings, err := development.GetWarnings(ctx, devCtx)
	if err != nil {
		return nil, fmt.Errorf("zedcheck: computing schema warnings: %w", err)
	}
	for _, w := range warnings {
		line := int(w.Line)
		if line > 0 {
			line += schemaLineOffset
		}
		r.Warnings = append(r.Warnings, Warning{File: schemaFileName, Line: line, Column: int(w.Column),
			Message: w.Message, Context: w.SourceCode})
	}

	as := &vf.Assertions
	r.Assertions = len(as.AssertTrue) + len(as.AssertFalse) + len(as.AssertCaveated)
	failures, err := development.RunAllAssertions(devCtx, as)
	if err != nil {
		return nil, fmt.Errorf("zedcheck: running assertions: %w", err)
	}
	for _, de := range failures {
		r.add(de, schemaFileName)
	}

	r.ExpectedRelations = len(vf.ExpectedRelations.ValidationMap)
	if r.ExpectedRelations > 0 {
		membership, diffs, err := development.RunValidation(devCtx, &vf.ExpectedRelations)
		if err != nil {
			return nil, fmt.Errorf("zedcheck: running validation: %w", err)
		}
		for _, de := range diffs {
			r.add(de, schemaFileName)
		}
		if membership != nil {
			generated, err := development.GenerateValidation(membership)
			if err != nil {
				return nil, fmt.Errorf("zedcheck: generating validation: %w", err)
			}
			r.GeneratedValidation = map[string][]string{}
			if err := yaml.Unmarshal([]byte(generated), &r.GeneratedValidation); err != nil {
				return nil, fmt.Errorf("zedcheck: reading generated validation: %w", err)
			}
			// Keys whose expansion found nobody are absent from the
			// membership set; keep them, empty, so the block keeps its keys.
			for k := range vf.ExpectedRelations.ValidationMap {
				if _, ok := r.GeneratedValidation[k.ObjectRelationString]; !ok {
					r.GeneratedValidation[k.ObjectRelationString] = nil
				}
			}
		}
	}

	for _, l := range [][]Problem{r.SchemaErrors, r.RelationshipErrors, r.AssertionFailures, r.ValidationDiffs} {
		sortProblems(l)
	}
	return r, nil
}

// add files a SpiceDB developer error under its source.
func (r *Report) add(de *devinterface.DeveloperError, schemaFileName string) {
	p := Problem{Kind: de.Kind.String(), File: r.File, Line: int(de.Line), Column: int(de.Column),
		Message: de.Message, Context: de.Context}
	switch de.Source {
	case devinterface.DeveloperError_SCHEMA:
		p.Source = SourceSchema
		p.File = schemaFileName
		if r.SchemaFile != "" && len(de.Path) > 0 && de.Path[0] != filepath.Base(r.SchemaFile) {
			// an error in an imported file: its path is relative to the schema's directory
			p.File = filepath.Join(filepath.Dir(r.SchemaFile), de.Path[0])
		}
		r.SchemaErrors = append(r.SchemaErrors, p)
	case devinterface.DeveloperError_RELATIONSHIP:
		p.Source = SourceRelationship
		r.RelationshipErrors = append(r.RelationshipErrors, p)
	case devinterface.DeveloperError_ASSERTION:
		p.Source = SourceAssertion
		r.AssertionFailures = append(r.AssertionFailures, p)
	case devinterface.DeveloperError_VALIDATION_YAML:
		p.Source = SourceValidation
		r.ValidationDiffs = append(r.ValidationDiffs, p)
	default:
		p.Source = SourceParse
		r.ParseErrors = append(r.ParseErrors, p)
	}
}

// addSourceError files an error of the YAML decoder under the block its
// line falls in.
func (r *Report) addSourceError(err error, content []byte, blocks map[string]block) {
	p := Problem{Source: SourceParse, Kind: "PARSE_ERROR", File: r.File, Message: err.Error()}
	var serr *spiceerrors.WithSourceError
	if errors.As(err, &serr) {
		p.Line, p.Column, p.Context = int(serr.LineNumber), int(serr.ColumnPosition), serr.SourceCodeString
		p.Message = serr.Error()
	}
	key := blockAt(blocks, p.Line)
	if p.Context != "" && (key == "relationships" || strings.Contains(p.Message, "relationship `")) {
		// SpiceDB's line for a bad relationship counts the block's lines
		// twice (and can point past the block); find the line itself.
		key = "relationships"
		if l := lineOf(content, p.Context, blocks[key]); l > 0 {
			p.Line = l
		}
	}
	switch key {
	case "schema", "schemaFile":
		p.Source = SourceSchema
		r.SchemaErrors = append(r.SchemaErrors, p)
	case "relationships":
		p.Source = SourceRelationship
		r.RelationshipErrors = append(r.RelationshipErrors, p)
	case "assertions":
		p.Source = SourceAssertion
		r.AssertionFailures = append(r.AssertionFailures, p)
	case "validation":
		p.Source = SourceValidation
		r.ValidationDiffs = append(r.ValidationDiffs, p)
	default:
		if strings.Contains(p.Message, "error parsing relationship `") ||
			strings.Contains(p.Message, "found repeated relationship") {
			p.Source = SourceRelationship
			r.RelationshipErrors = append(r.RelationshipErrors, p)
			return
		}
		r.ParseErrors = append(r.ParseErrors, p)
	}
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Message < ps[j].Message
	})
}
