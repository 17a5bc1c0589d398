package render

import (
	"bytes"
	"os"
	"path/filepath"
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

func TestTextTable(t *testing.T) {
	got := textTable("  ", [][]string{{"", "a", "bb"}, {"name", "1", "∞"}})
	want := "        a  bb\n  name  1   ∞\n"
	if got != want {
		t.Errorf("textTable:\n%q\nwant\n%q", got, want)
	}
	md := mdTable([]string{"x", "y"}, [][]string{{"a|b", "1"}})
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
