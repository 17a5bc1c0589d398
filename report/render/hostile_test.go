package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/fixture"
)

// foreignLink returns a Markdown link or image in s whose target is not
// one of the chart files WriteAll links ("timeline.png"), or "".
func foreignLink(s string) string {
	for _, m := range regexp.MustCompile(`(^|[^\\])\]\(([^)]*)\)`).FindAllStringSubmatch(s, -1) {
		if !regexp.MustCompile(`^[a-z0-9-]+\.png$`).MatchString(m[2]) {
			return m[0]
		}
	}
	return ""
}

// hostileRun simulates a snowy-shaped scenario whose every name a user
// chooses (scenario, description, key, bucket, table, steps, outage, cost
// items) is one of fixture.HostileStrings, and returns its config,
// results, report and comparison.
func hostileRun(t *testing.T) (*model.Config, []model.TrialResult, *report.Report, *report.Comparison) {
	t.Helper()
	h := fixture.HostileStrings()
	pick := func(i int) string { return h[i%len(h)] }
	cfg := fixture.SnowyConfig()
	cfg.Name, cfg.Description = pick(0), pick(1)+" "+pick(6)
	cfg.Keys[0].Name = pick(2)
	cfg.Buckets[0].Name = pick(0) + " " + pick(7)
	cfg.Tables[0].Name = pick(5) + " " + pick(8)
	cfg.Outages[0].Name, cfg.Outages[0].Stream = pick(9)+" "+pick(1), pick(9)
	for i := range cfg.Failover.Steps {
		cfg.Failover.Steps[i].Name = pick(3 + i*3)
	}
	cfg.Costs[0].Name, cfg.Costs[1].Name = pick(10), pick(11)
	cfg.Actions = []model.Action{{At: cfg.Outages[0].Start, Op: model.Op{Kind: model.OpRotateKey, Key: 0, Region: -1}}}
	runner := model.NewRunner(cfg)
	var results []model.TrialResult
	for i := 0; i < 20; i++ {
		results = append(results, runner.Trial(cfg.Seed, i, nil))
	}
	var d model.Detail
	runner.Trial(cfg.Seed, 3, &d)
	r := report.Build(cfg, cfg.Seed, results, &d, 3)
	other := fixture.SnowyConfig()
	other.Name = pick(12)
	c := report.Compare([]report.CompareInput{{Cfg: cfg, Results: results, Report: r}, {Cfg: other, Results: results}})
	return cfg, results, r, c
}

// TestHostileStrings feeds the names of hostileRun through every format:
// terminal text and the per-trial CSV show escapes instead of obeying them
// and cannot forge a line; Markdown opens no link, image or HTML; HTML and
// SVG carry no control character (and the SVG stays well-formed XML);
// JSON keeps the names exactly, with nothing raw a terminal would obey.
func TestHostileStrings(t *testing.T) {
	cfg, results, r, c := hostileRun(t)
	outputs := map[string][]byte{}
	write := func(name string, f func(io.Writer) error) {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		outputs[name] = b.Bytes()
	}
	write("text", func(w io.Writer) error { return WriteText(w, r) })
	write("markdown", func(w io.Writer) error { return WriteMarkdown(w, r) })
	write("json", func(w io.Writer) error { return report.WriteJSON(w, r) })
	write("csv", func(w io.Writer) error { return report.WriteCSV(w, cfg, results) })
	write("compare text", func(w io.Writer) error { return WriteCompareText(w, c) })
	write("compare markdown", func(w io.Writer) error { return WriteCompareMarkdown(w, c) })
	write("compare json", func(w io.Writer) error { return report.WriteCompareJSON(w, c) })
	dir := t.TempDir()
	if err := WriteAll(filepath.Join(dir, "run"), r); err != nil {
		t.Fatal(err)
	}
	if err := WriteCompareAll(filepath.Join(dir, "compare"), c); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".png") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f)] = b
	}
	if len(outputs) < 15 {
		t.Fatalf("only %d outputs", len(outputs))
	}
	// The strings must have reached the outputs at all: the escaped
	// scenario name is in the text report.
	if !bytes.Contains(outputs["text"], []byte(escape.Text(cfg.Name))) {
		t.Fatalf("text report lacks the escaped scenario name %q", escape.Text(cfg.Name))
	}

	for name, out := range outputs {
		s := string(out)
		kind := filepath.Ext(name)
		if kind == "" {
			kind = "." + strings.Fields(name)[len(strings.Fields(name))-1]
		}
		t.Run(name, func(t *testing.T) {
			for i, r := range s {
				if r != '\n' && escape.Unsafe(r) && (r != '\t' || kind == ".text" || kind == ".txt" || kind == ".csv" || kind == ".md" || kind == ".markdown") {
					t.Errorf("raw %U at byte %d: %q", r, i, s[max(0, i-30):min(len(s), i+10)])
					break
				}
			}
			switch kind {
			case ".text", ".txt", ".csv":
				for _, line := range strings.Split(s, "\n") {
					if strings.HasPrefix(strings.TrimSpace(line), "Monthly cost: $0.00") {
						t.Errorf("a name forged the line %q", line)
					}
				}
			case ".markdown", ".md":
				// drsim writes no HTML in Markdown: any < came from a name.
				if strings.Contains(s, "<") {
					t.Errorf("markdown holds a raw <: %q", s[strings.Index(s, "<"):min(len(s), strings.Index(s, "<")+30)])
				}
				if m := foreignLink(s); m != "" {
					t.Errorf("markdown holds a link or image from a name: %q", m)
				}
			case ".html":
				for _, bad := range []string{"<script", "<img", "<iframe", "javascript:alert(1)\">"} {
					if strings.Contains(strings.ToLower(s), bad) {
						t.Errorf("html holds %q", bad)
					}
				}
			case ".svg":
				dec := xml.NewDecoder(bytes.NewReader(out))
				for {
					_, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Errorf("not well-formed XML: %v", err)
						break
					}
				}
			case ".json":
				var back struct {
					Scenario, Description string
				}
				if err := json.Unmarshal(out, &back); err != nil {
					t.Fatalf("invalid JSON: %v", err)
				}
				if name == "json" && (back.Scenario != cfg.Name || back.Description != cfg.Description) {
					t.Errorf("JSON changed the names: %q %q", back.Scenario, back.Description)
				}
			}
		})
	}
	// Every chart, drawn from the same report.
	charts, _, err := chart.ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) < 3 {
		t.Errorf("%d charts", len(charts))
	}
}
