package render

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/docfixture"
	"github.com/drsim/drsim/report/internal/fixture"
)

// rpGolden compares got with testdata/name, or rewrites it with -update.
func rpGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/render -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./report/render -update if the change is intended)", path, i+1, g, w)
		}
	}
}

func TestGoldenReport(t *testing.T) {
	_, _, r := docfixture.SnowyReport()
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report_snowy.txt", func(b *bytes.Buffer) error { return WriteText(b, r) }},
		{"report_snowy.md", func(b *bytes.Buffer) error {
			return WriteMarkdownOptions(b, r, MarkdownOptions{ChartLinks: []string{"rto_rpo_cdf.svg", "timeline.svg"}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			rpGolden(t, tt.file, b.Bytes())
		})
	}
}

func TestTextContent(t *testing.T) {
	_, _, r := docfixture.SnowyReport()
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"snowy-alerting", "200 trials", "RTO", "RPO", "30m00s", "5m00s", "KMSUnavailable",
		"us-east-1", "Monthly cost: $", "kms_key_month: alerts (2 copies)", "promote-key", "Warnings", "p99 from"} {
		if !strings.Contains(s, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
}

func TestMarkdownCharts(t *testing.T) {
	_, _, r := docfixture.SnowyReport()
	links := []string{"timeline.svg", "rto-cdf.png", "kms-failures.svg"}
	var with, without bytes.Buffer
	if err := WriteMarkdownOptions(&with, r, MarkdownOptions{ChartLinks: links}); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&without, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(with.String(), "![timeline](timeline.svg)") || !strings.Contains(with.String(), "![kms-failures](kms-failures.svg)") {
		t.Error("chart links missing")
	}
	if strings.Contains(without.String(), "![") {
		t.Error("chart links without charts")
	}
	if !strings.Contains(without.String(), "**Meets its objectives (RTO ≤ 30m00s, RPO ≤ 5m00s) in ") {
		t.Errorf("verdict missing:\n%s", without.String())
	}
}

// mermaidBlock matches a Mermaid xychart-beta line chart.
var mermaidBlock = regexp.MustCompile("(?s)```mermaid\n%%\\{init: [^\n]*\\}%%\nxychart-beta\n    title \"([^\"]*)\"\n    x-axis \"[^\"]*\" 0 --> ([0-9.]+)\n    y-axis \"[^\"]*\" 0 --> 100\n    line \\[([^\\]]*)\\]\n```")

// TestMarkdownMermaid: a Markdown report pasted into a pull request shows
// its RTO and RPO distributions (GitHub renders Mermaid xychart-beta), and
// the curves are the empirical CDFs (issue: the charts were linked by
// relative path, so a pasted comment showed none).
func TestMarkdownMermaid(t *testing.T) {
	_, _, r := docfixture.SnowyReport()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	blocks := mermaidBlock.FindAllStringSubmatch(b.String(), -1)
	if len(blocks) != 2 {
		t.Fatalf("%d Mermaid charts, want 2 (RTO, RPO):\n%s", len(blocks), b.String())
	}
	for i, metric := range []string{"RTO", "RPO"} {
		m := blocks[i]
		if !strings.HasPrefix(m[1], metric+" over ") || !strings.Contains(m[1], "P("+metric+" ≤ ") {
			t.Errorf("title %q", m[1])
		}
		ys := strings.Split(m[3], ", ")
		if len(ys) != mermaidPoints {
			t.Fatalf("%s: %d points, want %d", metric, len(ys), mermaidPoints)
		}
		prev := -1.0
		for _, y := range ys {
			v, err := strconv.ParseFloat(y, 64)
			if err != nil || v < prev || v > 100 {
				t.Fatalf("%s: the curve %v is not a CDF in percent", metric, ys)
			}
			prev = v
		}
		if prev < 90 {
			t.Errorf("%s: the curve ends at %v%%: the x axis is too short", metric, prev)
		}
	}
	// The RTO at x = 0 is 0%, and F(x) matches the quantile grid: the
	// share of trials at most the grid's median is at least 50%.
	xmax, _ := strconv.ParseFloat(blocks[0][2], 64)
	med := *r.Metrics.RTOSeconds.P50 / 60
	ys := strings.Split(blocks[0][3], ", ")
	k := int(math.Ceil(med / xmax * float64(mermaidPoints-1)))
	if v, _ := strconv.ParseFloat(ys[k], 64); ys[0] != "0" || v < 50 {
		t.Errorf("RTO curve: F(0) = %s, F(%.3g min) = %v%%, want 0 and ≥ 50 (median %.3g min)", ys[0], float64(k)*xmax/float64(mermaidPoints-1), v, med)
	}
	// The line shows on a light and on a dark page: at least 3:1 against
	// white and against GitHub's dark background.
	if n := strings.Count(b.String(), mermaidInit); n != 2 {
		t.Errorf("%d charts set their line colour, want 2", n)
	}
	for _, bg := range []string{"#ffffff", "#0d1117"} {
		if c := contrast(mermaidLine, bg); c < 3 {
			t.Errorf("the line %s has a contrast of %.2f:1 against %s, want at least 3:1", mermaidLine, c, bg)
		}
	}
	// No distribution, no chart.
	empty := &report.Report{Schema: report.Schema, Scenario: "empty", Warnings: []string{}}
	b.Reset()
	if err := WriteMarkdown(&b, empty); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "```mermaid") {
		t.Error("a Mermaid chart without data")
	}
}

func TestTextTable(t *testing.T) {
	got := textTable("  ", [][]string{{"", "a", "bb"}, {"name", "1", "∞"}})
	want := "        a  bb\n  name  1   ∞\n"
	if got != want {
		t.Errorf("textTable:\n%q\nwant\n%q", got, want)
	}
	md := mdTable([]string{"x", "y"}, [][]string{{"a|b", "1"}}, false)
	if md != "| x | y |\n|---|---:|\n| a\\|b | 1 |\n" {
		t.Errorf("mdTable: %q", md)
	}
}

// TestGoldenQuiet renders a run without incidents and without objectives:
// every null path of the renderers.
func TestGoldenQuiet(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Name, cfg.Description = "quiet", ""
	cfg.Objectives.HasRTO, cfg.Objectives.HasRPO = false, false
	cfg.Failover = nil
	res := make([]model.TrialResult, 30)
	for i := range res {
		res[i] = fixture.Trial(i, false, false, 0, 0, 0)
		res[i].UpTime = cfg.Horizon
	}
	r := report.Build(cfg, 3, res, nil, -1)
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	b.WriteString("----\n")
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	rpGolden(t, "report_quiet.txt", b.Bytes())
}

func TestGoldenCompare(t *testing.T) {
	c := docfixture.SnowyComparison()
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"compare_snowy.txt", func(b *bytes.Buffer) error { return WriteCompareText(b, c) }},
		{"compare_snowy.md", func(b *bytes.Buffer) error { return WriteCompareMarkdown(b, c) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			rpGolden(t, tt.file, b.Bytes())
		})
	}
}

// TestRepresentativeTrialNamed: wherever a value of the representative
// trial appears it says so (issue: the Operations bullets described the
// representative trial without saying so).
func TestRepresentativeTrialNamed(t *testing.T) {
	_, _, r := docfixture.SnowyReport()
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return WriteText(b, r) },
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		"html":     func(b *bytes.Buffer) error { return WriteHTML(b, r, nil, nil) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, l := range strings.Split(b.String(), "\n") {
			// The one-line stories of the operations in that trial.
			if strings.Contains(l, "succeeded at") || strings.Contains(l, "last attempt at") {
				lines++
				if !strings.Contains(l, "in the representative trial") {
					t.Errorf("%s: %q does not say it is the representative trial", name, l)
				}
			}
			if strings.Contains(l, "down at ") && !strings.Contains(strings.ToLower(l), "representative trial") {
				t.Errorf("%s: %q does not say it is the representative trial", name, l)
			}
		}
		if lines < 4 {
			t.Errorf("%s: %d operation stories, want 4", name, lines)
		}
		if !strings.Contains(b.String(), "Representative trial 1 (the trial with the median RTO)") {
			t.Errorf("%s: no heading for the representative trial", name)
		}
	}
}

// TestOneNameForKMSFailures: failed KMS cryptographic calls are "KMS
// failures" in every format (issue: "Decrypt failures" in some).
func TestOneNameForKMSFailures(t *testing.T) {
	r := docfixture.SyntheticReport()
	c := docfixture.EightScenarios()
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":             func(b *bytes.Buffer) error { return WriteText(b, r) },
		"markdown":         func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		"html":             func(b *bytes.Buffer) error { return WriteHTML(b, r, nil, nil) },
		"compare text":     func(b *bytes.Buffer) error { return WriteCompareText(b, c) },
		"compare markdown": func(b *bytes.Buffer) error { return WriteCompareMarkdown(b, c) },
		"compare html":     func(b *bytes.Buffer) error { return WriteCompareHTML(b, c, nil, nil) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		s := strings.ToLower(b.String())
		if strings.Contains(s, "decrypt failure") {
			t.Errorf("%s says \"decrypt failures\"", name)
		}
		if !strings.Contains(s, "kms failures") {
			t.Errorf("%s does not name the KMS failures", name)
		}
	}
}

func TestPctPoints(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{{0.981, "+98.1pp"}, {-0.0133, "-1.3pp"}, {-0.0001, "+0.0pp"}, {0, "+0.0pp"}, {0.00049, "+0.0pp"}, {-0.5, "-50.0pp"}} {
		if got := pctPoints(tt.x); got != tt.want {
			t.Errorf("pctPoints(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

// TestOverridesAndPrecisionShown: a report made with overrides and run to
// precision says so under its run facts, in every format.
func TestOverridesAndPrecisionShown(t *testing.T) {
	_, _, r := docfixture.SnowyReport()
	r.Overrides = []report.Override{{Path: "failover.detect", Value: "2m"}, {Path: "failover.steps[approve].duration", Value: "uniform(2m,5m)"}}
	r.Precision = &report.Precision{Target: 0.01, HalfWidth: 0.0098, Batch: 1000, Trials: 7000, MaxTrials: 1000000, Reached: true}
	var txt, md, html bytes.Buffer
	if err := WriteText(&txt, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&html, r, nil, nil); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]string{"text": txt.String(), "markdown": md.String(), "html": html.String()} {
		for _, want := range []string{"With overrides: --set failover.detect=2m, --set failover.steps", "uniform(2m,5m)",
			"Precision ±1.00pp reached after 7,000 trials (7 batches of 1,000; half-width of P(meet both)"} {
			if !strings.Contains(doc, want) && !strings.Contains(doc, strings.ReplaceAll(want, "(", `\(`)) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	r.Precision.Reached, r.Precision.Trials = false, 1000000
	if got := r.Precision.Text(); !strings.HasPrefix(got, "precision ±1.00pp NOT reached: stopped at --max-trials, 1,000,000 trials") {
		t.Errorf("Text = %q", got)
	}
}

func TestGoldenWhatIf(t *testing.T) {
	sw := docfixture.SyntheticSweep(report.MetricMeetBoth)
	sw.Precision = &report.Precision{Target: 0.01, HalfWidth: 0.0099, Batch: 1000, Trials: 9000, MaxTrials: 1000000, Reached: true}
	se := docfixture.SyntheticSensitivity(report.MetricMeetBoth)
	se.Overrides = []report.Override{{Path: "failover.detect", Value: "normal(mean=5m, sd=1m)"}}
	rto := docfixture.SyntheticSensitivity(report.MetricRTOP95)
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"sweep.txt", func(b *bytes.Buffer) error { return WriteSweepText(b, sw) }},
		{"sweep.md", func(b *bytes.Buffer) error { return WriteSweepMarkdown(b, sw) }},
		{"sensitivity.txt", func(b *bytes.Buffer) error { return WriteSensitivityText(b, se) }},
		{"sensitivity.md", func(b *bytes.Buffer) error { return WriteSensitivityMarkdown(b, se) }},
		{"sensitivity_rto.txt", func(b *bytes.Buffer) error { return WriteSensitivityText(b, rto) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			rpGolden(t, tt.file, b.Bytes())
		})
	}
}

// TestWriteWhatIfAll: --out gets the document, its Markdown linking the
// charts, and every chart as SVG and PNG.
func TestWriteWhatIfAll(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteSweepAll(filepath.Join(dir, "sweep"), docfixture.SyntheticSweep(report.MetricMeetBoth)); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSensitivityAll(filepath.Join(dir, "sens"), docfixture.SyntheticSensitivity(report.MetricMeetBoth)); err != nil {
		t.Fatal(err)
	}
	for sub, files := range map[string][]string{
		"sweep": {"sweep.json", "sweep.md", "by-failover-detect.svg", "by-failover-detect.png", "by-buckets-alerts-replication-0-rtc.png", "cost-meet-both.svg", "cost-meet-both.png"},
		"sens":  {"sensitivity.json", "sensitivity.md", "tornado.svg", "tornado.png"},
	} {
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(dir, sub, f)); err != nil {
				t.Errorf("%s/%s: %v", sub, f, err)
			}
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "sens", "sensitivity.md"))
	if !strings.Contains(string(md), "](tornado.png)") {
		t.Errorf("sensitivity.md does not show the tornado:\n%s", md)
	}
}

// contrast returns the WCAG 2 contrast ratio of two "#rrggbb" colours.
func contrast(a, b string) float64 {
	lum := func(h string) float64 {
		var l float64
		for i, w := range []float64{0.2126, 0.7152, 0.0722} {
			v, _ := strconv.ParseUint(h[1+2*i:3+2*i], 16, 8)
			c := float64(v) / 255
			if c <= 0.03928 {
				c /= 12.92
			} else {
				c = math.Pow((c+0.055)/1.055, 2.4)
			}
			l += w * c
		}
		return l
	}
	la, lb := lum(a), lum(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestSensitivityPlurals: one trial and one incident trial are singular
// (issue: "15 runs of 1 trials", "Spearman, 1 incident trials").
func TestSensitivityPlurals(t *testing.T) {
	s := docfixture.SyntheticSensitivity(report.MetricMeetBoth)
	s.Trials, s.IncidentTrials = 1, 1
	var b bytes.Buffer
	if err := WriteSensitivityText(&b, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"runs of 1 trial (seed", "(Spearman, 1 incident trial)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}
