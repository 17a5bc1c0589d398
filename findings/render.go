package findings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/drsim/drsim/internal/escape"
)

// Schema identifies the JSON document WriteJSON writes.
const Schema = "drsim.findings/v1"

// FileFindings are the findings of one scenario file.
type FileFindings struct {
	// File is the scenario as named on the command line; Scenario is its
	// name.
	File     string    `json:"file"`
	Scenario string    `json:"scenario"`
	Findings []Finding `json:"findings"`
}

// WriteText writes fs the way a compiler reports problems: one line
// "file:line:col: severity ID: message" per finding, then the fix on an
// indented line "    fix: ...". It returns the writer's error.
func WriteText(w io.Writer, fs []Finding) error {
	var b strings.Builder
	for i := range fs {
		fmt.Fprintf(&b, "%s\n    fix: %s\n", fs[i].String(), fs[i].Fix)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary says how many findings of each severity there are, e.g.
// "2 errors, 1 warning, 0 info".
func Summary(fs []Finding) string {
	n := Count(fs)
	plural := func(k int, one, many string) string {
		if k == 1 {
			return fmt.Sprintf("%d %s", k, one)
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	return plural(n[Error], "error", "errors") + ", " + plural(n[Warning], "warning", "warnings") + ", " + fmt.Sprintf("%d info", n[Info])
}

// WriteJSON writes {"schema": Schema, "files": files} as indented JSON.
func WriteJSON(w io.Writer, files []FileFindings) error {
	doc := struct {
		Schema string         `json:"schema"`
		Files  []FileFindings `json:"files"`
	}{Schema, files}
	if doc.Files == nil {
		doc.Files = []FileFindings{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("findings: writing JSON: %w", err)
	}
	// The runes a terminal could obey, escaped as in every JSON of drsim.
	if _, err := w.Write(escape.JSON(b.Bytes())); err != nil {
		return fmt.Errorf("findings: writing JSON: %w", err)
	}
	return nil
}

// SARIF 2.1.0 (OASIS standard), the subset GitHub code scanning reads.
const (
	// SrcRoot is the uriBaseId of every artifact location: the directory
	// the paths are relative to (the repository's root in CI).
	SrcRoot = "%SRCROOT%"
)

// SARIFOptions parameterise WriteSARIF.
type SARIFOptions struct {
	// ToolVersion is drsim's version ("" leaves it out).
	ToolVersion string
	// BaseDir is the directory artifact URIs are relative to (uriBaseId
	// SrcRoot); a file outside it is written as an absolute file: URI.
	BaseDir string
	// IsArtifact reports whether a finding's file is a file of the user's
	// (one on disk), rather than a --set argument ("--set #1") or a
	// scenario bundled with drsim that a file extends; nil: every file
	// is. A finding whose file is not one is attached to the scenario file
	// as named on the command line (FileFindings.File), when that is one,
	// with its message naming where the value really is; else it has only
	// a logical location (its key path). SARIF never points at an
	// artifact that does not exist.
	IsArtifact func(file string) bool
}

// Level returns the SARIF level of a severity: error, warning or note.
func (s Severity) Level() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the findings of files as one SARIF 2.1.0 run of the
// tool "drsim", for GitHub code scanning, with the SARIF object model of
// github.com/owenrumney/go-sarif: tool.driver.rules holds every rule of the
// registry (id, name, short and full description, help text and link,
// default level, the AWS rule as a property); each result has its rule,
// level, message (with the fix), and a physical location: the file
// relative to opt.BaseDir with uriBaseId SrcRoot, and the line and column
// (Unicode code points, as load errors count them), and a logical location:
// the value's key path. A finding in a file that is not the user's
// (opt.IsArtifact) is attached to the user's file, or has only its logical
// location. Results keep the order of files and of each file's findings.
// It returns an error for a finding whose id is not in the registry, or the
// writer's.
func WriteSARIF(w io.Writer, files []FileFindings, opt SARIFOptions) error {
	run := sarif.NewRunWithInformationURI("drsim", "https://github.com/drsim/drsim").WithColumnKind("unicodeCodePoints")
	if opt.ToolVersion != "" {
		run.Tool.Driver.WithVersion(opt.ToolVersion)
	}
	isArtifact := opt.IsArtifact
	if isArtifact == nil {
		isArtifact = func(string) bool { return true }
	}
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
		run.Tool.Driver.AddRule(sarif.NewRule(r.ID).WithName(r.Name).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(r.Short)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(r.Full)).
			WithHelp(sarif.NewMultiformatMessageString().WithText(r.Help + " See " + r.HelpURI()).
				WithMarkdown(r.Help + " [" + r.ID + " " + r.Name + "](" + r.HelpURI() + ")")).
			WithHelpURI(r.HelpURI()).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(r.Severity.Level())).
			WithProperties(sarif.NewPropertyBag().
				WithTags([]string{"drsim", "disaster-recovery", "aws"}).
				Add("aws_rule", r.AWSRule).
				Add("aws_rule_url", AWSRuleURL(r.AWSRule))))
	}
	for _, ff := range files {
		for _, f := range ff.Findings {
			i, ok := index[f.ID]
			if !ok {
				return fmt.Errorf("findings: writing SARIF: finding %s has no rule in the registry", f.ID)
			}
			l := f.Location
			logical := sarif.NewLogicalLocation().WithName(l.Path).WithFullyQualifiedName(l.Path).WithKind("member")
			where := sarif.NewLocation().AddLogicalLocation(logical)
			note := ""
			switch {
			case isArtifact(l.File):
				phys := sarif.NewPhysicalLocation().WithArtifactLocation(artifact(l.File, opt.BaseDir))
				if l.Line > 0 {
					phys.WithRegion(sarif.NewRegion().WithStartLine(l.Line).WithStartColumn(max(l.Col, 1)))
				}
				where.WithPhysicalLocation(phys)
			case isArtifact(ff.File):
				where.WithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(artifact(ff.File, opt.BaseDir)))
				note = " " + originNote(l, ff.File)
			default:
				note = " " + originNote(l, "")
			}
			run.AddResult(sarif.NewRuleResult(f.ID).WithRuleIndex(i).WithLevel(f.Severity.Level()).
				WithMessage(sarif.NewTextMessage(f.Message + ". Fix: " + f.Fix + "." + note)).
				AddLocation(where).
				WithProperties(sarif.NewPropertyBag().
					Add("path", f.Location.Path).
					Add("aws_rule", f.AWSRule).
					Add("kind", f.Kind)))
		}
	}
	log := sarif.NewReport().AddRun(run)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("findings: writing SARIF: %w", err)
	}
	return nil
}

// originNote says where the value of a finding is when its file is not one
// of the user's: a --set argument, or a bundled scenario that user (the
// file on the command line, "" for none) extends.
func originNote(l Location, user string) string {
	at := l.File
	if l.Line > 0 {
		at = fmt.Sprintf("%s, line %d, column %d", l.File, l.Line, l.Col)
	}
	switch {
	case strings.HasPrefix(l.File, "--set"):
		if l.Col > 0 {
			at = fmt.Sprintf("%s, column %d", l.File, l.Col)
		}
		return fmt.Sprintf("(The value %s comes from the command-line argument %s.)", l.Path, at)
	case user != "":
		return fmt.Sprintf("(The value %s is in %s, a scenario bundled with drsim that %s extends.)", l.Path, at, user)
	}
	return fmt.Sprintf("(The value %s is in %s, a scenario bundled with drsim.)", l.Path, at)
}

// artifact returns the artifact location of file: relative to base (with
// forward slashes and uriBaseId SrcRoot) when it is inside base, else an
// absolute file: URI.
func artifact(file, base string) *sarif.ArtifactLocation {
	abs, err := filepath.Abs(file)
	if err != nil {
		return sarif.NewSimpleArtifactLocation(filepath.ToSlash(file)).WithURIBaseID(SrcRoot)
	}
	if base == "" {
		base = "."
	}
	if b, err := filepath.Abs(base); err == nil {
		if rel, err := filepath.Rel(b, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return sarif.NewSimpleArtifactLocation((&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath()).WithURIBaseID(SrcRoot)
		}
	}
	return sarif.NewSimpleArtifactLocation((&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String())
}
