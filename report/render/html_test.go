package render

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/docfixture"
)

// TestWriteHTMLGolden checks the HTML report and comparison of the
// synthetic documents against testdata (-update rewrites them).
func TestWriteHTMLGolden(t *testing.T) {
	r := docfixture.SyntheticReport()
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, r, charts, omitted); err != nil {
		t.Fatal(err)
	}
	rpGolden(t, "html-report.html", b.Bytes())

	c := docfixture.SyntheticComparison()
	cc, comitted, err := chart.ForComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := WriteCompareHTML(&b, c, cc, comitted); err != nil {
		t.Fatal(err)
	}
	rpGolden(t, "html-compare.html", b.Bytes())
}

// externalRef matches attributes and CSS that would load something.
var externalRef = regexp.MustCompile(`(?i)(\s(src|href|action|poster|srcset)\s*=)|url\(|@import|<(script|link|iframe|object|embed)\b`)

// TestWriteHTMLSelfContained checks the page loads nothing from outside,
// has no script, prints, escapes what it shows and inlines every chart.
func TestWriteHTMLSelfContained(t *testing.T) {
	r := docfixture.SyntheticReport()
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, r, charts, omitted); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if m := externalRef.FindString(page); m != "" {
		t.Errorf("page references an external resource or script: %q", m)
	}
	// The only URLs are the SVG namespaces.
	for _, u := range regexp.MustCompile(`https?://[^"'\s<>]+`).FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("page contains URL %s", u)
		}
	}
	tests := []struct {
		what, want string
		count      int
	}{
		{"doctype", "<!DOCTYPE html>", 1},
		{"content security policy", `http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`, 1},
		{"print styles", "@media print", 1},
		{"title", "<title>DR simulation: snowy-synthetic</title>", 1},
		{"one inline svg per chart", "<svg class=\"chart\"", len(charts)},
		{"one caption per chart", "<figcaption>", len(charts)},
		{"no xml prolog inside html", "<?xml", 0},
		{"collapsible trace", "<details>", 1},
		{"trace rows", "<td class=\"num mono\">", len(r.Representative.Events)},
		{"trace time format", "<td class=\"num mono\">3:00:00.000</td>", 1},
		{"event message escaped", "&lt;script&gt;alert(1)&lt;/script&gt;", 1},
		{"warning escaped", "3 trials did not recover &lt;b&gt;within&lt;/b&gt; the horizon", 1},
		{"verdict bold", "<strong>Meets its objectives", 1},
		{"description escaped", "warm standby in us-west-2 &amp; friends", 1},
		{"cost total row", `<tr class="total"><th scope="row">total</th><td class="num">$2,043.17</td>`, 1},
		{"failures total row", `<tr class="total"><th scope="row">total</th>`, 2},
		{"unrecovered card", `<div class="label">unrecovered</div><div class="value">3</div>`, 1},
		{"operation errors", "KMSUnavailable ×2,200", 1},
	}
	for _, tt := range tests {
		if got := strings.Count(page, tt.want); got != tt.count {
			t.Errorf("%s: %q appears %d times, want %d", tt.what, tt.want, got, tt.count)
		}
	}
}

func TestWriteHTMLPartial(t *testing.T) {
	bare := &report.Report{Schema: report.Schema, Scenario: "bare", Warnings: []string{}}
	noRep := docfixture.SyntheticReport()
	noRep.Representative = nil
	noObj := docfixture.SyntheticReport()
	noObj.Objectives = report.Objectives{Success: 0.99}
	noObj.ObjectivesMet = report.ObjectivesMet{}
	tests := []struct {
		name    string
		r       *report.Report
		charts  bool
		want    []string
		notWant []string
	}{
		{"empty report", bare, true, []string{"<h1>bare</h1>", "No trials were run."}, []string{"<details>", "<figure"}},
		{"no representative", noRep, true, []string{`id="chart-rto-cdf"`}, []string{"<details>", `id="chart-timeline"`}},
		{"no charts", docfixture.SyntheticReport(), false, []string{"<details>"}, []string{"<figure", "<h2>Charts</h2>"}},
		{"no objectives", noObj, true, []string{"has no RTO or RPO objective"}, []string{"meets objectives"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var charts []chart.Chart
			if tt.charts {
				var err error
				if charts, _, err = chart.ForReport(tt.r); err != nil {
					t.Fatal(err)
				}
			}
			var b bytes.Buffer
			if err := WriteHTML(&b, tt.r, charts, nil); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(b.String(), w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteHTMLErrors(t *testing.T) {
	if err := WriteHTML(&bytes.Buffer{}, nil, nil, nil); err == nil || !strings.HasPrefix(err.Error(), "render: ") {
		t.Errorf("nil report: err = %v", err)
	}
	if err := WriteCompareHTML(&bytes.Buffer{}, nil, nil, nil); err == nil {
		t.Error("nil comparison: no error")
	}
	err := WriteHTML(failWriter{}, docfixture.SyntheticReport(), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.HasPrefix(err.Error(), "render: ") {
		t.Errorf("failing writer: err = %v", err)
	}
	bad := []chart.Chart{{Name: "no-plot", Title: "x"}}
	if err := WriteHTML(&bytes.Buffer{}, docfixture.SyntheticReport(), bad, nil); err == nil {
		t.Error("chart without plot: no error")
	}
}

func TestSpans(t *testing.T) {
	spans := []span{{Text: "x <y> **z**", Bold: true}, {Text: " and \x1b[31mred"}}
	if got, want := string(htmlSpans(spans)), "<strong>x &lt;y&gt; **z**</strong> and [31mred"; got != want {
		t.Errorf("htmlSpans = %q, want %q", got, want)
	}
	if got, want := mdSpans(spans), `**x &lt;y&gt; \*\*z\*\*** and \\x1b\[31mred`; got != want {
		t.Errorf("mdSpans = %q, want %q", got, want)
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		s    float64
		want string
	}{
		{0, "0:00:00.000"},
		{3661.5, "1:01:01.500"},
		{36 * 3600, "36:00:00.000"},
		{-1.25, "-0:00:01.250"},
	}
	for _, tt := range tests {
		if got := clock(tt.s); got != tt.want {
			t.Errorf("clock(%v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	r := docfixture.SyntheticReport()
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	want := []string{"backlog.png", "backlog.svg", "failover.png", "failover.svg", "kms-failures.png", "kms-failures.svg", "report.html", "report.json", "report.md",
		"rpo-cdf.png", "rpo-cdf.svg", "rto-cdf.png", "rto-cdf.svg", "timeline.png", "timeline.svg"}
	checkDir(t, dir, want)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"(timeline.png)", "(rto-cdf.png)", "(kms-failures.png)", "```mermaid\n" + mermaidInit + "\nxychart-beta"} {
		if !bytes.Contains(md, []byte(l)) {
			t.Errorf("report.md lacks %s", l)
		}
	}
	// A chart left out is named, with the reason, in report.md and
	// report.html.
	quiet := docfixture.SyntheticReport()
	for i := range quiet.Representative.Rates {
		quiet.Representative.Rates[i].FailuresByReason = [kms.NumReasons]float64{}
	}
	qdir := t.TempDir()
	if err := WriteAll(qdir, quiet); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.md", "report.html"} {
		b, err := os.ReadFile(filepath.Join(qdir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("KMS failures by cause: No KMS call failed in the representative trial (#412).")) {
			t.Errorf("%s does not say why the KMS chart is left out", f)
		}
	}
	if _, err := os.Stat(filepath.Join(qdir, "kms-failures.png")); err == nil {
		t.Error("an empty KMS chart was written")
	}
	js, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want1 bytes.Buffer
	if err := report.WriteJSON(&want1, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, want1.Bytes()) {
		t.Error("report.json is not WriteJSON's output")
	}
	// Writing again over the same directory gives the same files.
	before := readDir(t, dir)
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	after := readDir(t, dir)
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("%s changed when written again", name)
		}
	}

	cdir := t.TempDir()
	if err := WriteCompareAll(cdir, docfixture.SyntheticComparison()); err != nil {
		t.Fatal(err)
	}
	checkDir(t, cdir, []string{"compare.html", "compare.json", "compare.md", "cost-rto.png", "cost-rto.svg", "rto-cdf-compare.png", "rto-cdf-compare.svg"})
	cmd, err := os.ReadFile(filepath.Join(cdir, "compare.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(cmd, []byte("![Monthly cost against RTO p95](cost-rto.png)")) {
		t.Errorf("compare.md does not link the cost chart:\n%s", cmd)
	}

	// A file where the directory should be.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(file, r); err == nil || !strings.HasPrefix(err.Error(), "render: ") {
		t.Errorf("WriteAll over a file: err = %v", err)
	}
	if err := WriteAll(t.TempDir(), nil); err == nil {
		t.Error("WriteAll(nil): no error")
	}
	if err := WriteCompareAll(t.TempDir(), nil); err == nil {
		t.Error("WriteCompareAll(nil): no error")
	}
}

func checkDir(t *testing.T, dir string, want []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
		if info, err := e.Info(); err != nil || info.Size() == 0 {
			t.Errorf("%s is empty", e.Name())
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files = %v\nwant    %v", got, want)
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

func TestValidChartName(t *testing.T) {
	for _, s := range []string{"timeline", "rto-cdf", "a_1"} {
		if !validChartName(s) {
			t.Errorf("%q rejected", s)
		}
	}
	for _, s := range []string{"", "../x", "a/b", "A", "x.svg", strings.Repeat("a", 65)} {
		if validChartName(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	r := docfixture.SyntheticReport()
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := WriteHTML(io.Discard, r, charts, omitted); err != nil {
			b.Fatal(err)
		}
	}
}
