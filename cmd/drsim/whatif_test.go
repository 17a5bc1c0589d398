package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/drsim/drsim/report"
)

// jsonOf decodes a JSON document or fails the test.
func jsonOf(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	return m
}

// TestSetIsTheFileWritten: a run with --set gives the numbers of a run of
// the file with the value written in it, and its report lists the
// override in its header and its JSON.
func TestSetIsTheFileWritten(t *testing.T) {
	edited := writeScenario(t, "edited.toml", `extends = "snowy"
name = "snowy-alerting"
[failover]
detect = "2m"
[[failover.steps]]
name = "approve"
duration = "uniform(2m, 5m)"
[[failover.steps]]
name = "scale-up"
after = ["approve"]
duration = "uniform(3m, 8m)"
[[failover.steps]]
name = "promote-key"
after = ["approve"]
op = "update-primary-region"
key = "alerts"
region = "us-west-2"
duration = "30s"
required = false
retry = "5m"
[[failover.steps]]
name = "dns"
after = ["scale-up"]
duration = "90s"
`)
	code, out, errs := drsim(t, "run", "snowy", "--trials", "300", "--format", "json",
		"--set", "failover.detect=2m", "--set", "failover.steps[name=approve].duration=uniform(2m, 5m)")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, want, errs := drsim(t, "run", edited, "--trials", "300", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, w := jsonOf(t, out), jsonOf(t, want)
	for _, k := range []string{"metrics", "objectives_met", "cost", "operations"} {
		if !reflect.DeepEqual(got[k], w[k]) {
			t.Errorf("%s differs between --set and the file written so", k)
		}
	}
	ov, _ := json.Marshal(got["overrides"])
	if string(ov) != `[{"path":"failover.detect","value":"2m"},{"path":"failover.steps[name=approve].duration","value":"uniform(2m, 5m)"}]` {
		t.Errorf("overrides = %s", ov)
	}
	if _, ok := w["overrides"]; ok {
		t.Error("a run without --set lists overrides")
	}
	_, text, _ := drsim(t, "run", "snowy", "--trials", "50", "--set", "failover.detect=2m")
	if !strings.Contains(text, "With overrides: --set failover.detect=2m\n") {
		t.Errorf("the text report does not list the override:\n%s", text[:min(len(text), 600)])
	}
}

// TestSetErrors: bad overrides are bad input (exit 2), every one reported
// at its argument's column, before any trial; every command takes --set.
func TestSetErrors(t *testing.T) {
	for _, cmd := range [][]string{{"run", "snowy"}, {"compare", "snowy", "pilot-light"}, {"lint", "snowy"}, {"trace", "snowy", "--trial", "1"},
		{"sweep", "snowy", "--vary", "failover.detect=1m,2m"}, {"sensitivity", "snowy"}} {
		args := append(cmd, "--set", "failover.detet=2m", "--set", "failover.steps[aprove].duration=1m", "--trials", "10")
		if cmd[0] == "trace" || cmd[0] == "lint" {
			args = args[:len(args)-2]
		}
		code, _, errs := drsim(t, args...)
		if code != exitInput {
			t.Errorf("%s: exit %d, want 2: %s", cmd[0], code, errs)
		}
		for _, want := range []string{
			`scenarios: --set #1:10: failover.detet: unknown key (did you mean "detect"?)`,
			`scenarios: --set #2:15: failover.steps: no step named "aprove" (did you mean "approve"?)`,
		} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], want, errs)
			}
		}
	}
	code, _, errs := drsim(t, "run", "snowy", "--set", "failover.detect")
	if code != exitInput || !strings.Contains(errs, `scenarios: --set #1:1: expected PATH=VALUE, like failover.detect=2m, got "failover.detect"`) {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// TestLintSet: lint judges the scenario with its overrides, and a finding
// about an overridden value points at its argument.
func TestLintSet(t *testing.T) {
	code, out, errs := drsim(t, "lint", "snowy", "--set", "keys.alerts.replicas=[]", "--format", "json")
	if code != exitLint {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	if !strings.Contains(out, `"file": "--set #1"`) {
		t.Errorf("no finding points at --set #1:\n%s", out)
	}
}

// TestTraceSet: trace simulates the overridden scenario.
func TestTraceSet(t *testing.T) {
	_, plain, _ := drsim(t, "trace", "snowy", "--trial", "2")
	code, set, errs := drsim(t, "trace", "snowy", "--trial", "2", "--set", "failover.detect=10m")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if plain == set {
		t.Error("the override changed nothing in the trace")
	}
}

// TestPrecisionIsAPlainRun: a run to precision gives the bytes of a plain
// run with its final number of trials (the JSON but for its precision
// block, which is the only addition; the per-trial CSV whole), and says
// how many trials it took.
func TestPrecisionIsAPlainRun(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := drsim(t, "run", "snowy", "--precision", "0.02", "--trials", "250", "--format", "json",
		"--per-trial", filepath.Join(dir, "a.csv"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	p := r.Precision
	if p == nil || !p.Reached || p.Trials != r.Trials || p.Trials%250 != 0 || p.Trials <= 250 || p.HalfWidth > 0.02 || p.Batch != 250 {
		t.Fatalf("precision %+v, trials %d", p, r.Trials)
	}
	n := strconv.Itoa(r.Trials)
	code, plain, errs := drsim(t, "run", "snowy", "--trials", n, "--format", "json", "--per-trial", filepath.Join(dir, "b.csv"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r.Precision = nil
	var b bytes.Buffer
	if err := report.WriteJSON(&b, &r); err != nil {
		t.Fatal(err)
	}
	if b.String() != plain {
		t.Errorf("the run to precision differs from a plain run of %s trials beyond its precision block", n)
	}
	if readAll(t, filepath.Join(dir, "a.csv")) != readAll(t, filepath.Join(dir, "b.csv")) {
		t.Error("the per-trial CSVs differ")
	}
	_, text, _ := drsim(t, "run", "snowy", "--precision", "2%", "--trials", "250")
	if want := "Precision ±2.00pp reached after " + groupDigits(int64(r.Trials)) + " trials"; !strings.Contains(text, want) {
		t.Errorf("the text lacks %q", want)
	}
	// --max-trials stops it, and says so.
	_, text, _ = drsim(t, "run", "snowy", "--precision", "0.001", "--trials", "100", "--max-trials", "300")
	if !strings.Contains(text, "300 trials (seed 7") || !strings.Contains(text, "Precision ±0.10pp NOT reached: stopped at --max-trials, 300 trials") {
		t.Errorf("max-trials: %s", text[:min(len(text), 800)])
	}
	for _, bad := range [][]string{{"--precision", "0.7"}, {"--precision", "x"}, {"--max-trials", "10"}} {
		if code, _, errs := drsim(t, append([]string{"run", "snowy"}, bad...)...); code != exitInput {
			t.Errorf("%v: exit %d: %s", bad, code, errs)
		}
	}
	code, _, errs = drsim(t, "run", "snowy", "--set", "objectives={}", "--precision", "0.01")
	if code != exitInput || !strings.Contains(errs, "sets no RTO or RPO objective") {
		t.Errorf("no objectives: exit %d: %s", code, errs)
	}
}

// TestComparePrecision: every scenario runs the largest count any needs;
// the comparison is that of a plain one with that count.
func TestComparePrecision(t *testing.T) {
	code, out, errs := drsim(t, "compare", "snowy", "pilot-light", "--precision", "0.03", "--trials", "200", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c report.Comparison
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.Precision == nil || c.Scenarios[0].Trials != c.Precision.Trials || c.Scenarios[1].Trials != c.Precision.Trials {
		t.Fatalf("precision %+v, trials %d and %d", c.Precision, c.Scenarios[0].Trials, c.Scenarios[1].Trials)
	}
	_, plain, _ := drsim(t, "compare", "snowy", "pilot-light", "--trials", strconv.Itoa(c.Precision.Trials), "--format", "json")
	c.Precision = nil
	var b bytes.Buffer
	if err := report.WriteCompareJSON(&b, &c); err != nil {
		t.Fatal(err)
	}
	if b.String() != plain {
		t.Error("the comparison to precision differs from a plain one")
	}
}

// TestComparePairingWarning: compare warns when an outage exists in one
// scenario only, and labels two scenarios of the same name by their files.
func TestComparePairingWarning(t *testing.T) {
	dir := t.TempDir()
	renamed := filepath.Join(dir, "renamed.toml")
	longer := filepath.Join(dir, "longer.toml")
	os.WriteFile(renamed, []byte("extends = \"snowy\"\nname = \"snowy-alerting\"\n[[outages]]\nname = \"other\"\nregion = \"us-east-1\"\nstart = \"uniform(1h, 20h)\"\nduration = \"profile(aws-regional)\"\n"), 0o644)
	os.WriteFile(longer, []byte("extends = \"snowy\"\nname = \"longer\"\nhorizon = \"48h\"\n"), 0o644)
	code, out, errs := drsim(t, "compare", "snowy", renamed, longer, "--trials", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		`renamed: pairing with the baseline is broken, trial i does not see the same outage in both, so the paired differences compare different outages: outage "us-east-1 regional outage" exists only in snowy; outage "other" exists only in renamed`,
		"longer differs from the baseline in its horizon 2d, snowy's 1d (a difference between the setups; the trials stay paired)",
		"renamed (pairing broken)",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the comparison lacks %q:\n%s", want, out)
		}
	}
}

func TestSweepCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	code, out, errs := drsim(t, "sweep", "snowy", "--trials", "100", "--vary", "failover.detect=1m,10m",
		"--vary", "buckets.alerts.replication[0].rtc=true,false", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "4 points (failover.detect × buckets.alerts.replication[0].rtc), 100 trials each (seed 7") {
		t.Errorf("table:\n%s", out)
	}
	rows := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  1m ") || strings.HasPrefix(l, "  10m ") {
			rows++
		}
	}
	if rows != 4 {
		t.Errorf("%d rows, want 4:\n%s", rows, out)
	}
	for _, f := range []string{"sweep.json", "sweep.md", "by-failover-detect.png", "by-buckets-alerts-replication-0-rtc.svg", "cost-meet-both.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	_, js, _ := drsim(t, "sweep", "snowy", "--trials", "50", "--vary", "failover.detect=1m,10m", "--format", "json", "--metric", "rto_p95")
	var s report.Sweep
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != report.SweepSchema || len(s.Points) != 2 || s.Metric != report.MetricRTOP95 || *s.Points[1].Metric.Value <= *s.Points[0].Metric.Value {
		t.Errorf("sweep %+v", s)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--vary", "failover.detect=" + strings.Repeat("1m,", 40) + "1m", "--vary", "trials2=" + strings.Repeat("1,", 29) + "1"},
			"the grid has more than 1000 points (41 × 30 values), above the cap of 1000"},
		{[]string{"--vary", "failover.detect=1m,20"}, "scenarios: --vary #1:20: failover.detect: expected a duration"},
		{nil, "nothing to vary"},
		{[]string{"--vary", "failover.detect=1m", "--set", "failover.detect=2m"}, "both varied and set"},
	} {
		code, _, errs := drsim(t, append([]string{"sweep", "snowy", "--trials", "10"}, tt.args...)...)
		if code != exitInput || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %s; want %q", tt.args, code, errs, tt.want)
		}
	}
}

func TestSensitivityCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sens")
	code, out, errs := drsim(t, "sensitivity", "snowy", "--trials", "100", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"15 runs of 100 trials (seed 7)", "What moves P(meet both) most", "failover.steps[approve].duration",
		"outages[us-east-1 regional outage].start", "Rank correlation (Spearman, 100 incident trials)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"sensitivity.json", "sensitivity.md", "tornado.png", "tornado.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	_, js, _ := drsim(t, "sensitivity", "snowy", "--trials", "100", "--metric", "rto_p95", "--format", "json")
	var s report.Sensitivity
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	if s.Metric != report.MetricRTOP95 || len(s.Inputs) != 7 || s.Inputs[0].Name != "failover.steps[approve].duration" {
		t.Errorf("sensitivity %+v", s.Inputs)
	}
	if code, _, errs := drsim(t, "sensitivity", "snowy", "--metric", "rto"); code != exitInput || !strings.Contains(errs, "must be one of meet_both, rto_p95, rpo_p95, lost_mean") {
		t.Errorf("bad metric: exit %d: %s", code, errs)
	}
}
