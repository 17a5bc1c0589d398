package findings

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("findings: writing JSON: %w", err)
	}
	return nil
}

// SARIF 2.1.0 (OASIS standard), the subset GitHub code scanning reads.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
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
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
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
// tool "drsim", for GitHub code scanning: tool.driver.rules holds every
// rule of the registry (id, name, short and full description, help text
// and link, default level, the AWS rule as a property); each result has its
// rule, level, message (with the fix), and a physical location: the file
// relative to opt.BaseDir with uriBaseId SrcRoot, and the line and column
// (Unicode code points, as load errors count them). Results keep the order
// of files and of each file's findings.
func WriteSARIF(w io.Writer, files []FileFindings, opt SARIFOptions) error {
	index := map[string]int{}
	var rs []sarifRule
	for i, r := range rules {
		index[r.ID] = i
		rs = append(rs, sarifRule{
			ID: r.ID, Name: r.Name,
			ShortDescription: sarifText{Text: r.Short},
			FullDescription:  sarifText{Text: r.Full},
			Help: sarifText{Text: r.Help + " See " + r.HelpURI(),
				Markdown: r.Help + " [" + r.ID + " " + r.Name + "](" + r.HelpURI() + ")"},
			HelpURI:              r.HelpURI(),
			DefaultConfiguration: sarifConfig{Level: r.Severity.Level()},
			Properties: map[string]any{
				"tags":         []string{"drsim", "disaster-recovery", "aws"},
				"aws_rule":     r.AWSRule,
				"aws_rule_url": AWSRuleURL(r.AWSRule),
			},
		})
	}
	results := []sarifResult{}
	for _, ff := range files {
		for _, f := range ff.Findings {
			i, ok := index[f.ID]
			if !ok {
				return fmt.Errorf("findings: writing SARIF: finding %s has no rule in the registry", f.ID)
			}
			phys := sarifPhysical{ArtifactLocation: artifact(f.Location.File, opt.BaseDir)}
			if f.Location.Line > 0 {
				phys.Region = &sarifRegion{StartLine: f.Location.Line, StartColumn: max(f.Location.Col, 1)}
			}
			results = append(results, sarifResult{
				RuleID: f.ID, RuleIndex: i, Level: f.Severity.Level(),
				Message:   sarifText{Text: f.Message + ". Fix: " + f.Fix + "."},
				Locations: []sarifLocation{{PhysicalLocation: phys}},
				Properties: map[string]any{
					"path":     f.Location.Path,
					"aws_rule": f.AWSRule,
					"kind":     f.Kind,
				},
			})
		}
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "drsim", InformationURI: "https://github.com/drsim/drsim", Version: opt.ToolVersion, Rules: rs,
		}},
		Results:    results,
		ColumnKind: "unicodeCodePoints",
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("findings: writing SARIF: %w", err)
	}
	return nil
}

// artifact returns the artifact location of file: relative to base (with
// forward slashes and uriBaseId SrcRoot) when it is inside base, else an
// absolute file: URI.
func artifact(file, base string) sarifArtifact {
	abs, err := filepath.Abs(file)
	if err != nil {
		return sarifArtifact{URI: filepath.ToSlash(file), URIBaseID: SrcRoot}
	}
	if base == "" {
		base = "."
	}
	if b, err := filepath.Abs(base); err == nil {
		if rel, err := filepath.Rel(b, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return sarifArtifact{URI: (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath(), URIBaseID: SrcRoot}
		}
	}
	return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}
}
