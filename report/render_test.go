package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
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
		t.Fatalf("%v (run go test ./report -update)", err)
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
			t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./report -update if the change is intended)", path, i+1, g, w)
		}
	}
}

// rpSnowyReport builds the report of 200 synthetic snowy trials with
// trial 1 as the representative.
func rpSnowyReport() (*model.Config, []model.TrialResult, *Report) {
	cfg := rpSnowyConfig()
	res := rpSynthetic(cfg, 200, 7)
	return cfg, res, Build(cfg, 7, res, rpDetail(&res[1]), 1)
}

func TestGoldenReport(t *testing.T) {
	cfg, res, r := rpSnowyReport()
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report_snowy.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
		{"report_snowy.txt", func(b *bytes.Buffer) error { return WriteText(b, r) }},
		{"report_snowy.md", func(b *bytes.Buffer) error {
			return WriteMarkdownOptions(b, r, MarkdownOptions{ChartLinks: []string{"rto_rpo_cdf.svg", "timeline.svg"}})
		}},
		{"report_snowy.csv", func(b *bytes.Buffer) error { return WriteCSV(b, cfg, res[:25]) }},
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
	_, _, r := rpSnowyReport()
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
	_, _, r := rpSnowyReport()
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

func TestCSV(t *testing.T) {
	cfg := rpSnowyConfig()
	m := sim.Minute
	res := []model.TrialResult{rpTrial(0, false, false, 0, 0, 0), rpTrial(1, true, true, 10*m, m, 3), rpTrial(2, true, false, 0, 0, 0)}
	res[1].FailoverAt = sim.Hour + 10*m
	var b bytes.Buffer
	if err := WriteCSV(&b, cfg, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := []string{
		"trial,t0_seconds,rto_seconds,rpo_seconds,lost_writes,lost_alerts,lost_alert-state,failures_NotFoundException,failures_KMSInvalidStateException,failures_DisabledException,failures_AccessDeniedException,failures_ThrottlingException,failures_KMSUnavailable,unavailable,availability,request_success,failover_at_seconds",
		"0,,,,,,,0,0,0,0,0,0,0,1,1,",
		"1,3600,600,60,3,3,0,0,0,0,0,0,0,0,0.993055556,1,4200",
		"2,3600,,,,,,0,0,0,0,0,0,0,1,1,",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(lines), b.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
}

func TestHumanFormats(t *testing.T) {
	durs := []struct {
		s    float64
		want string
	}{
		{0, "0s"}, {0.35, "350ms"}, {0.9996, "1.0s"}, {4.24, "4.2s"}, {9.96, "10s"}, {45.4, "45s"}, {59.6, "1m00s"},
		{245, "4m05s"}, {3599.6, "1h00m"}, {28860, "8h01m"}, {86399, "1d00h"}, {183600, "2d03h"}, {-90, "-1m30s"},
	}
	for _, d := range durs {
		if got := humanDur(d.s); got != d.want {
			t.Errorf("humanDur(%v) = %q, want %q", d.s, got, d.want)
		}
	}
	nums := []struct {
		x    float64
		want string
	}{{0, "0"}, {0.5, "0.5"}, {12.345, "12.35"}, {1234.6, "1,235"}, {-1234567, "-1,234,567"}, {1e-5, "1e-05"}, {-3.5, "-3.5"}}
	for _, n := range nums {
		if got := humanNum(n.x); got != n.want {
			t.Errorf("humanNum(%v) = %q, want %q", n.x, got, n.want)
		}
	}
	usd := []struct {
		x    float64
		want string
	}{{0, "$0.00"}, {1234567.891, "$1,234,567.89"}, {-12.5, "-$12.50"}, {999.999, "$1,000.00"}}
	for _, u := range usd {
		if got := humanUSD(u.x); got != u.want {
			t.Errorf("humanUSD(%v) = %q, want %q", u.x, got, u.want)
		}
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
	cfg := rpSnowyConfig()
	cfg.Name, cfg.Description = "quiet", ""
	cfg.Objectives.HasRTO, cfg.Objectives.HasRPO = false, false
	cfg.Failover = nil
	res := make([]model.TrialResult, 30)
	for i := range res {
		res[i] = rpTrial(i, false, false, 0, 0, 0)
		res[i].UpTime = cfg.Horizon
	}
	r := Build(cfg, 3, res, nil, -1)
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
