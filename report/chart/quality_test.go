package chart

import (
	"fmt"
	"image/color"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/docfixture"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// typeName names the dynamic type of v.
func typeName(v any) string { return reflect.TypeOf(v).String() }

// variantReports are reports that stress the charts' layout, by name.
func variantReports() map[string]*report.Report {
	out := map[string]*report.Report{"synthetic": docfixture.SyntheticReport()}

	// An RTO distribution that rises to 99% just before a 30 m objective:
	// the objective's text once hid the curve between 26 and 28 minutes.
	near := docfixture.SyntheticReport()
	near.Distributions.RTO = docfixture.SyntheticGrid(21*60, 0.12, 0)
	near.Objectives.RTOSeconds = docfixture.Ptr(1800)
	out["objective near the curve"] = near

	// T0, the move of traffic 30 s later and the recovery 2 minutes after.
	close := docfixture.SyntheticReport()
	rp := close.Representative
	rp.FailoverAtSeconds = docfixture.Ptr(*rp.T0Seconds + 30)
	rp.RTOSeconds = docfixture.Ptr(150)
	out["T0 and traffic moved 30 s apart"] = close

	// Everything at once: T0, traffic moved and the recovery.
	same := docfixture.SyntheticReport()
	same.Representative.RTOSeconds = docfixture.Ptr(1)
	same.Representative.FailoverAtSeconds = docfixture.Ptr(*same.Representative.T0Seconds + 1)
	out["T0, move and recovery within a second"] = same

	// A 90 s step on a day-long timeline, and a short one at its edge.
	day := docfixture.SyntheticReport()
	day.HorizonSeconds = 86400
	day.Representative.Segments = append(day.Representative.Segments,
		model.Segment{Lane: "step dns", Start: 3*sim.Hour + 25*sim.Minute, End: 3*sim.Hour + 26*sim.Minute + 30*sim.Second, Label: "done"},
		model.Segment{Lane: "step dns", Start: 0, End: 20 * sim.Second, Label: "running"},
		model.Segment{Lane: "service", Start: 23 * sim.Hour, End: 24 * sim.Hour, Label: "up"},
		model.Segment{Lane: "serving", Start: 23 * sim.Hour, End: 24 * sim.Hour, Label: "us-east-1, us-west-2"})
	out["90 s step on a day"] = day

	// A real model trial: snowy-shaped, with the names the model gives.
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 50, 3)
	var d model.Detail
	model.NewRunner(cfg).Trial(cfg.Seed, 1, &d)
	out["model trial"] = report.Build(cfg, cfg.Seed, res, &d, 1)
	return out
}

// allChartSVGs renders every chart of the variant reports and of the
// comparisons, by "report/chart".
func allChartSVGs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	add := func(prefix string, charts []Chart) {
		for i := range charts {
			svg, err := charts[i].SVG()
			if err != nil {
				t.Fatalf("%s/%s: %v", prefix, charts[i].Name, err)
			}
			out[prefix+"/"+charts[i].Name] = svg
		}
	}
	for name, r := range variantReports() {
		charts, _, err := ForReport(r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		add(name, charts)
	}
	for name, c := range map[string]*report.Comparison{"comparison": docfixture.SyntheticComparison(), "8 scenarios": docfixture.EightScenarios()} {
		charts, _, err := ForComparison(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		add(name, charts)
	}
	for _, m := range report.MetricNames {
		charts, _, err := ForSensitivity(docfixture.SyntheticSensitivity(m))
		if err != nil {
			t.Fatalf("sensitivity %s: %v", m, err)
		}
		add("sensitivity "+string(m), charts)
		charts, _, err = ForSweep(docfixture.SyntheticSweep(m))
		if err != nil {
			t.Fatalf("sweep %s: %v", m, err)
		}
		add("sweep "+string(m), charts)
	}
	charts, _, err := ForSensitivity(longNameSensitivity())
	if err != nil {
		t.Fatalf("sensitivity long names: %v", err)
	}
	add("sensitivity long names", charts)
	charts, _, err = ForSweep(bigSweep())
	if err != nil {
		t.Fatalf("3×3×3 sweep: %v", err)
	}
	add("3×3×3 sweep", charts)
	return out
}

// bigSweep is a 3×3×3 sweep: nine settings of the others per parameter,
// and 27 points (some on top of each other) for the cost chart's texts.
func bigSweep() *report.Sweep {
	s := docfixture.SyntheticSweep(report.MetricMeetBoth)
	s.Parameters = []report.SweepParameter{
		{Path: "failover.detect", Values: []string{"1m", "4m", "10m"}},
		{Path: "failover.steps[approve].duration", Values: []string{"2m", "uniform(5m,15m)", "20m"}},
		{Path: "buckets.alerts.replication[0].lag", Values: []string{"lognormal(median=6s,p99=90s)", "30s", "2m"}},
	}
	s.Points = nil
	for i := 0; i < 27; i++ {
		p := 0.3 + 0.7*float64((i*7)%27)/26
		pt := report.SweepPoint{
			Values:     []string{s.Parameters[0].Values[i/9], s.Parameters[1].Values[(i/3)%3], s.Parameters[2].Values[i%3]},
			MeetBoth:   report.Probability{P: docfixture.Ptr(p), CI95: &[2]float64{p - 0.01, min(1, p+0.01)}, N: 10000},
			MonthlyUSD: 6400 + float64(i%3)*100,
			Metric:     report.Estimate{Value: docfixture.Ptr(p), CI95: report.Interval{docfixture.Ptr(p - 0.01), docfixture.Ptr(min(1, p+0.01))}},
		}
		s.Points = append(s.Points, pt)
	}
	report.MarkPareto(s.Points)
	return s
}

// TestLabelsNeverOverlap reads the rendered SVG of every chart: no text
// covers another text or a data line, and none leaves the canvas (issue:
// the objective's text hid the RTO curve; in an 8-scenario comparison the
// objectives' texts collided; the T0 and "traffic moved" texts overlapped).
func TestLabelsNeverOverlap(t *testing.T) {
	for name, doc := range allChartSVGs(t) {
		t.Run(name, func(t *testing.T) { checkLabels(t, name, doc) })
	}
}

// TestCheckLabelsCatches: the check fails on the layouts it is meant to
// catch, so that it cannot pass by not looking.
func TestCheckLabelsCatches(t *testing.T) {
	bad := []struct{ name, svg string }{
		{"two texts on each other", `<svg viewBox="0 0 200 100"><g transform="scale(1, -1) translate(0, -100)">
<text x="10" y="-50" transform="scale(1, -1)" style="font-size:9px">objective</text>
<text x="20" y="-50" transform="scale(1, -1)" style="font-size:9px">objective 45m</text></g></svg>`},
		{"a text on a curve", `<svg viewBox="0 0 200 100"><g transform="scale(1, -1) translate(0, -100)">
<path d="M0,52L200,52" style="fill:none;stroke:#332288;stroke-width:2" />
<text x="10" y="-50" transform="scale(1, -1)" style="font-size:9px">objective 30m</text></g></svg>`},
		{"a text off the canvas", `<svg viewBox="0 0 200 100"><g transform="scale(1, -1) translate(0, -100)">
<text x="180" y="-50" transform="scale(1, -1)" style="font-size:9px">objective 30m</text></g></svg>`},
	}
	for _, b := range bad {
		ft := &testing.T{}
		done := make(chan bool)
		go func() {
			defer func() { done <- true }()
			checkLabels(ft, b.name, []byte(b.svg))
		}()
		<-done
		if !ft.Failed() {
			t.Errorf("%s: not caught", b.name)
		}
	}
}

// TestTimelineMinimumWidth: a 90 s step on a day-long timeline is drawn at
// least minBarWidth points wide, and so is every other bar.
func TestTimelineMinimumWidth(t *testing.T) {
	r := variantReports()["90 s step on a day"]
	lo, hi := traceWindow(r)
	if lo != 0 || hi != 24*sim.Hour {
		t.Fatalf("window [%v, %v], want the whole day", lo, hi)
	}
	c, err := timelineChart(r)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, svg)
	narrow := 0
	for _, p := range d.Paths {
		if p.Fill == "" || p.Arcs || len(p.Pts) != 4 {
			continue
		}
		w := max(p.Pts[0].X, p.Pts[1].X, p.Pts[2].X, p.Pts[3].X) - min(p.Pts[0].X, p.Pts[1].X, p.Pts[2].X, p.Pts[3].X)
		if w < vg.Points(minBarWidth)-0.01 {
			t.Errorf("a %s bar is %.2f points wide, want ≥ %d", p.Fill, w, minBarWidth)
		}
		if w < vg.Points(minBarWidth)+0.01 {
			narrow++
		}
	}
	// The 90 s step and the 20 s one at the start: both widened.
	if narrow < 2 {
		t.Errorf("%d bars at the minimum width, want the two short steps", narrow)
	}
	if !strings.Contains(string(svg), "serving us-east-1, us-west-2") {
		t.Error(`the legend does not read "serving us-east-1, us-west-2"`)
	}
}

// TestOmittedCharts: a chart that would be empty is left out, with a
// sentence saying why (issue: the KMS chart was an empty 0–1 axis).
func TestOmittedCharts(t *testing.T) {
	noFailures := docfixture.SyntheticReport()
	for i := range noFailures.Representative.Rates {
		noFailures.Representative.Rates[i].FailuresByReason = [kms.NumReasons]float64{}
	}
	noBacklog := docfixture.SyntheticReport()
	for i := range noBacklog.Representative.Backlog {
		noBacklog.Representative.Backlog[i].Writes = 0
	}
	noRep := docfixture.SyntheticReport()
	noRep.Representative = nil
	noIncident := docfixture.SyntheticReport()
	noIncident.Distributions = report.Distributions{}
	unrecovered := docfixture.SyntheticReport()
	unrecovered.Distributions.Unrecovered = 1000
	for i := range unrecovered.Distributions.RTO {
		unrecovered.Distributions.RTO[i].Seconds = nil
	}
	tests := []struct {
		name    string
		r       *report.Report
		omitted map[string]string // chart → part of the sentence
	}{
		{"no failed KMS call", noFailures, map[string]string{"kms-failures": "No KMS call failed in the representative trial (#412)."}},
		{"nothing pending", noBacklog, map[string]string{"backlog": "No write was waiting for replication around T0"}},
		{"no representative", noRep, map[string]string{"timeline": "no representative trial"}},
		{"no incident", noIncident, map[string]string{"rto-cdf": "No trial had an incident", "rpo-cdf": "no RPO"}},
		{"all unrecovered", unrecovered, map[string]string{"rto-cdf": "every RTO is infinite"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			charts, omitted, err := ForReport(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, o := range omitted {
				got[o.Name] = o.Why
				if o.Title == "" || o.Why == "" {
					t.Errorf("omission %+v lacks a title or a reason", o)
				}
			}
			for name, want := range tt.omitted {
				if !strings.Contains(got[name], want) {
					t.Errorf("%s: omitted because %q, want %q (omitted: %v)", name, got[name], want, got)
				}
				for _, c := range charts {
					if c.Name == name {
						t.Errorf("%s drawn although omitted", name)
					}
				}
			}
			if len(charts)+len(omitted) < 3 {
				t.Errorf("%d charts and %d omissions: a chart vanished without a word", len(charts), len(omitted))
			}
		})
	}
	_, omitted, err := ForComparison(&report.Comparison{Scenarios: []report.CompareScenario{{Scenario: "x"}}})
	if err != nil || len(omitted) != 2 {
		t.Errorf("comparison without RTOs: omitted %v, err %v", omitted, err)
	}
}

// TestBacklogEveryDestination: the backlog chart draws every store →
// region of the document (the model samples every replica destination),
// with enough y ticks to read it (issue: two).
func TestBacklogEveryDestination(t *testing.T) {
	r := docfixture.SyntheticReport()
	var extra []model.BacklogPoint
	for _, b := range r.Representative.Backlog {
		if b.Store == "alerts" {
			b.Region = "eu-west-1"
			b.Writes *= 1.7
			extra = append(extra, b)
		}
	}
	r.Representative.Backlog = append(r.Representative.Backlog, extra...)
	c, err := backlogChart(r)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"alerts → us-west-2", "alert-state → us-west-2", "alerts → eu-west-1"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("backlog chart lacks %q", want)
		}
	}
	labels := 0
	for _, tk := range c.Plot.Y.Tick.Marker.Ticks(c.Plot.Y.Min, c.Plot.Y.Max) {
		if tk.Label != "" {
			labels++
		}
	}
	if labels < 4 {
		t.Errorf("backlog y axis has %d labelled ticks, want ≥ 4", labels)
	}
	if !strings.Contains(c.Caption, "every other region a failover could go to") {
		t.Errorf("caption: %s", c.Caption)
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		prefix string
		want   string
	}{
		{0, 287, "", "0 50 100 150 200 250"},
		{0, 26000, "$", "$0 $5,000 $10,000 $15,000 $20,000 $25,000"},
		{0, 1.15, "", "0 0.2 0.4 0.6 0.8 1"},
		{0, 0.3, "", "0 0.05 0.1 0.15 0.2 0.25 0.3"},
		{-30, 30, "", "-30 -20 -10 0 10 20 30"},
		{0, 575, "", "0 100 200 300 400 500"},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (niceTicks{prefix: tt.prefix}).Ticks(tt.lo, tt.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("ticks(%v, %v) = %s, want %s", tt.lo, tt.hi, g, tt.want)
		}
		if n := len(got); n < 4 || n > 8 {
			t.Errorf("ticks(%v, %v): %d labels", tt.lo, tt.hi, n)
		}
	}
	// Degenerate ranges fall back to the library's ticker without panic.
	for _, r := range [][2]float64{{0, 0}, {1, 1}, {0, 1e300}} {
		_ = niceTicks{}.Ticks(r[0], r[1])
	}
	var _ plot.Ticker = niceTicks{}
	_ = fmt.Sprint()
}

// TestChartNumbers: the numbers of four digits or more that the charts
// write (ticks, titles, legends) have thousands separators; trial numbers
// ("#412") and names are identifiers.
func TestChartNumbers(t *testing.T) {
	long := regexp.MustCompile(`(#|[A-Za-z_.]|)([0-9]{4,})`)
	for name, doc := range allChartSVGs(t) {
		for _, tx := range parseSVG(t, doc).Texts {
			for _, m := range long.FindAllStringSubmatch(tx.Text, -1) {
				if m[1] == "" {
					t.Errorf("%s: %q writes %s without thousands separators", name, tx.Text, m[2])
				}
			}
		}
	}
}

// TestTornadoTextsClearOfBars: the value of a tornado end is written
// beside its bar, never on a bar (issue: ends near 0 s had their texts
// pushed onto the bars by an axis that started at 0).
func TestTornadoTextsClearOfBars(t *testing.T) {
	s := docfixture.SyntheticSensitivity(report.MetricRPOP95)
	est := func(v float64) report.Estimate {
		return report.Estimate{Value: docfixture.Ptr(v), CI95: report.Interval{docfixture.Ptr(v * 0.9), docfixture.Ptr(v * 1.1)}}
	}
	s.Baseline = est(977)
	s.Inputs[0].Low, s.Inputs[0].High, s.Inputs[0].Swing = est(4.1), est(27), docfixture.Ptr(973)
	for i := 1; i < len(s.Inputs); i++ {
		s.Inputs[i].Low, s.Inputs[i].High, s.Inputs[i].Swing = est(977), est(977), docfixture.Ptr(0)
	}
	charts, _, err := ForSensitivity(s)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := charts[0].SVG()
	if err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, svg)
	bars := map[string]bool{hexOf(colLowEnd.R, colLowEnd.G, colLowEnd.B): true, hexOf(colHighEnd.R, colHighEnd.G, colHighEnd.B): true}
	n := 0
	for _, p := range d.Paths {
		if !bars[strings.ToUpper(p.Fill)] || len(p.Pts) < 3 {
			continue
		}
		n++
		r := vg.Rectangle{Min: p.Pts[0], Max: p.Pts[0]}
		for _, q := range p.Pts {
			r.Min.X, r.Min.Y = min(r.Min.X, q.X), min(r.Min.Y, q.Y)
			r.Max.X, r.Max.Y = max(r.Max.X, q.X), max(r.Max.Y, q.Y)
		}
		for _, tx := range d.Texts {
			if boxesOverlap(tx.Box, r, 0.5) {
				t.Errorf("text %q %v lies on a bar %v", tx.Text, tx.Box, r)
			}
		}
	}
	if n == 0 {
		t.Fatal("no bar found in the SVG")
	}
}

// TestTornadoTitleNoise: the tornado's title names a driver only when its
// end lies beyond the 95% interval of the scenario as written and the runs
// have report.MinTrials trials or more (issue: titles named a "driver"
// whose 0.1–0.3pp swing lay inside the interval, and one of 1 trial a run).
func TestTornadoTitleNoise(t *testing.T) {
	est := func(v, lo, hi float64) report.Estimate {
		return report.Estimate{Value: docfixture.Ptr(v), CI95: report.Interval{docfixture.Ptr(lo), docfixture.Ptr(hi)}}
	}
	title := func(s *report.Sensitivity) string {
		charts, _, err := ForSensitivity(s)
		if err != nil || len(charts) != 1 {
			t.Fatalf("charts %d, err %v", len(charts), err)
		}
		return charts[0].Plot.Title.Text
	}
	s := docfixture.SyntheticSensitivity(report.MetricMeetBoth)
	if got := title(s); !strings.Contains(got, "moves P(meet both) most") {
		t.Errorf("beyond noise: %q", got)
	}
	s.Baseline = est(0.95, 0.94, 0.96)
	for i := range s.Inputs {
		s.Inputs[i].Low, s.Inputs[i].High, s.Inputs[i].Swing = est(0.948, 0.93, 0.96), est(0.951, 0.94, 0.96), docfixture.Ptr(0.003)
	}
	if got := title(s); !strings.HasPrefix(got, "No input moves P(meet both) beyond noise") {
		t.Errorf("within noise: %q", got)
	}
	// The second input by swing leaves the interval: it is the one named
	// (issue: "every end lies within" while an end was at 100% over a
	// baseline interval to 99.9%).
	s.Inputs[1].High = est(0.97, 0.965, 0.975)
	if got := title(s); !strings.HasPrefix(got, upperFirst(s.Inputs[1].What)+" moves P(meet both) most") {
		t.Errorf("second input beyond noise: %q", got)
	}
	s = docfixture.SyntheticSensitivity(report.MetricMeetBoth)
	s.Trials = 1
	if got := title(s); !strings.HasPrefix(got, "Too few trials (1 a run)") {
		t.Errorf("1 trial: %q", got)
	}
}

// TestSweepAxes: a time metric spanning a factor of 20 or more goes on a
// logarithmic axis (issue: 1m15s, the 5m objective and 16m04s all sat at 0
// under 10h); evenly spaced category values that are numbers but not evenly
// spaced numbers say so (issue: 1m, 4m, 10m looked to scale); the series
// stay within ±0.1 of their tick (issue: points drifted far from it).
func TestSweepAxes(t *testing.T) {
	for _, tt := range []struct {
		m   report.Metric
		log bool
	}{{report.MetricRPOP95, true}, {report.MetricRTOP95, false}, {report.MetricMeetBoth, false}} {
		s := docfixture.SyntheticSweep(tt.m)
		c, err := paramChart(s, 0, "by-failover-detect")
		if err != nil || c == nil {
			t.Fatalf("%s: %v", tt.m, err)
		}
		_, isLog := c.Plot.Y.Tick.Marker.(log10TimeTicks)
		if isLog != tt.log || strings.Contains(c.Plot.Y.Label.Text, "logarithmic") != tt.log {
			t.Errorf("%s: log axis %v (%q), want %v", tt.m, isLog, c.Plot.Y.Label.Text, tt.log)
		}
		if !strings.Contains(c.Plot.X.Label.Text, "not to scale") {
			t.Errorf("%s: 1m, 4m, 10m drawn evenly without saying so: %q", tt.m, c.Plot.X.Label.Text)
		}
	}
	for _, tt := range []struct {
		values []string
		want   bool
	}{
		{[]string{"1m", "4m", "10m"}, true},
		{[]string{"1m", "2m", "3m"}, false},
		{[]string{"60s", "2m", "180s"}, false},
		{[]string{"1m", "uniform(3m, 6m)", "15m"}, false},
		{[]string{"true", "false"}, false},
		{[]string{"0.5", "1", "4"}, true},
	} {
		if got := notToScale(tt.values); got != tt.want {
			t.Errorf("notToScale(%q) = %v, want %v", tt.values, got, tt.want)
		}
	}
}

// TestCostRTOFinding: the compare cost chart's title states its finding
// (issue: "Monthly cost against RTO p95" stated none).
func TestCostRTOFinding(t *testing.T) {
	for _, tt := range []struct {
		xs, ys []float64
		want   string
	}{
		{[]float64{600, 3600}, []float64{900, 100}, "Fastest: a, RTO p95 10m at $900.00/month; cheapest: b, 1h at $100.00/month"},
		{[]float64{600, 3600}, []float64{100, 900}, "a is the fastest and the cheapest: RTO p95 10m at $100.00/month"},
		{[]float64{600, 600}, []float64{900, 100}, "b is the fastest and the cheapest: RTO p95 10m at $100.00/month"},
	} {
		if got := costRTOFinding([]string{"a", "b"}, tt.xs, tt.ys); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

// TestTornadoAxisLabels100: a P(meet both) tornado whose axis ends near
// 100% (at the check bar) labels 100% (issue: the check bar ended the axis
// and 100% had no label).
func TestTornadoAxisLabels100(t *testing.T) {
	s := docfixture.SyntheticSensitivity(report.MetricMeetBoth)
	est := func(v float64) report.Estimate {
		return report.Estimate{Value: docfixture.Ptr(v), CI95: report.Interval{docfixture.Ptr(v * 0.5), docfixture.Ptr(v * 2)}}
	}
	s.Baseline = est(0.003)
	for i := range s.Inputs {
		s.Inputs[i].Low, s.Inputs[i].High, s.Inputs[i].Swing = est(0.003), est(0.003), docfixture.Ptr(0)
	}
	s.Inputs[0].Low, s.Inputs[0].High, s.Inputs[0].Swing = est(0.0005), est(0.0005), docfixture.Ptr(0.0025)
	charts, _, err := ForSensitivity(s)
	if err != nil {
		t.Fatal(err)
	}
	p := charts[0].Plot
	found := false
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		found = found || tk.Label == "100%"
		if tk.Label != "" && (tk.Value < 0 || tk.Value > 1) {
			t.Errorf("tick %q at %v, outside 0..100%%", tk.Label, tk.Value)
		}
	}
	if !found {
		t.Errorf("no 100%% tick on an axis to %v", p.X.Max)
	}
}

// TestCostMeetFindingTies: of points that cost the same, the title names
// the likeliest (issue: a dominated point, 97% where another reached 100%
// for the same cost, was named the cheapest).
func TestCostMeetFindingTies(t *testing.T) {
	s := docfixture.SyntheticSweep(report.MetricMeetBoth)
	for i := range s.Points {
		s.Points[i].MonthlyUSD = 100
	}
	p := func(x float64) *float64 { return &x }
	s.Points[0].MeetBoth.P, s.Points[2].MeetBoth.P = p(0.97), p(1)
	got := costMeetFinding(s, []string{"detect", "rtc"})
	if want := "detect=4m, rtc=true, 100%"; !strings.Contains(got, want) {
		t.Errorf("got %q, want it to name %q", got, want)
	}
}

// TestFailoverChart: the failover chart shows the representative trial
// from a little before T0 to a little after its recovery, whatever the
// timeline's window (issue: a 14-minute failover was a sliver of a timeline
// zoomed to 4h45m–14h07m).
func TestFailoverChart(t *testing.T) {
	r := docfixture.SyntheticReport()
	rep := r.Representative
	t0, rto := *rep.T0Seconds, *rep.RTOSeconds
	lo, hi, ok := failoverWindow(r)
	pad := math.Max(rto/5, 60)
	if !ok || nsSeconds(lo) != math.Max(t0-pad, 0) || nsSeconds(hi) != math.Min(t0+rto+pad, r.HorizonSeconds) {
		t.Fatalf("window %v–%v (%v), want T0 %v to recovery %v, %v each side", nsSeconds(lo), nsSeconds(hi), ok, t0, t0+rto, pad)
	}
	c, err := failoverChart(r)
	if err != nil || c == nil {
		t.Fatalf("chart %v, err %v", c, err)
	}
	if c.Name != "failover" || c.Plot.X.Max-c.Plot.X.Min <= 0 {
		t.Errorf("chart %s, axis %v–%v", c.Name, c.Plot.X.Min, c.Plot.X.Max)
	}
	rep.RTOSeconds = nil
	if _, _, ok := failoverWindow(r); ok {
		t.Error("a window for an unrecovered trial")
	}
}

// longOutageName is an outage name of 200 characters: names are free text.
var longOutageName = strings.Repeat("us-east-1 regional outage of KMS, S3 and DynamoDB, ", 4)[:200]

// longNameSensitivity is the synthetic tornado whose outage has a
// 200-character name, driving the chart.
func longNameSensitivity() *report.Sensitivity {
	s := docfixture.SyntheticSensitivity(report.MetricMeetBoth)
	s.Inputs[0], s.Inputs[3] = s.Inputs[3], s.Inputs[0]
	s.Inputs[0].Name = "outages[" + longOutageName + "].start"
	s.Inputs[0].What = "start of outage " + longOutageName
	s.Inputs[0].Low.Value, s.Inputs[0].Swing = docfixture.Ptr(0.9), docfixture.Ptr(0.6)
	return s
}

// A tornado whose input names are long keeps its plot: each row's name is
// cut in its middle (its start and last key kept) to at most a third of
// the width, every text stays on the canvas, and the bars are drawn (issue: a 90-character outage name squeezed the plot
// to 200 px; one of 200 characters left no bars).
func TestTornadoLongNames(t *testing.T) {
	charts, _, err := ForSensitivity(longNameSensitivity())
	if err != nil {
		t.Fatal(err)
	}
	svg, err := charts[0].SVG()
	if err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, svg)
	found := false
	for _, tx := range d.Texts {
		if tx.Box.Min.X < 0 || float64(tx.Box.Max.X) > d.W+0.5 {
			t.Errorf("text %q %v leaves the %.0f-wide canvas", tx.Text, tx.Box, d.W)
		}
		if strings.Contains(tx.Text, longOutageName) {
			t.Errorf("the whole name is drawn: %q", tx.Text)
		}
		if strings.HasPrefix(tx.Text, "outages[us-east-1") && strings.HasSuffix(tx.Text, "].start") && strings.Contains(tx.Text, "…") {
			found = true
			if w := tx.Box.Max.X - tx.Box.Min.X; w > maxTornadoName+1 {
				t.Errorf("row name %q is %.0f wide, more than %.0f", tx.Text, w, maxTornadoName)
			}
		}
	}
	if !found {
		t.Error("no row name cut in its middle")
	}
	bars := map[string]bool{hexOf(colLowEnd.R, colLowEnd.G, colLowEnd.B): true, hexOf(colHighEnd.R, colHighEnd.G, colHighEnd.B): true}
	lo, hi := vg.Length(math.Inf(1)), vg.Length(math.Inf(-1))
	for _, p := range d.Paths {
		if !bars[strings.ToUpper(p.Fill)] {
			continue
		}
		for _, q := range p.Pts {
			lo, hi = min(lo, q.X), max(hi, q.X)
		}
	}
	if hi <= lo {
		t.Fatal("no bar drawn")
	}
	if !strings.Contains(charts[0].Plot.Title.Text, "…") {
		t.Errorf("title %q does not cut the name", charts[0].Plot.Title.Text)
	}
}

func TestFitMiddle(t *testing.T) {
	sty := tornadoNameStyle()
	for _, w := range []vg.Length{20, 80, 200} {
		got := fitMiddle(sty, "outages["+longOutageName+"].duration", w)
		if sty.Width(got) > w && len([]rune(got)) > 3 {
			t.Errorf("width %v: %q is %v wide", w, got, sty.Width(got))
		}
		if w == 200 && (!strings.HasPrefix(got, "outages[us") || !strings.HasSuffix(got, "].duration")) {
			t.Errorf("width %v: %q loses an end", w, got)
		}
	}
	if got := fitMiddle(sty, "failover.detect", 200); got != "failover.detect" {
		t.Errorf("a short name is changed: %q", got)
	}
}

// In a compare, a curve identical to an earlier one is drawn with gaps and
// its legend says "same curve as" (issue: snowy-alerting's curve lay
// under oct-2025's, unseen, though the legend listed it); no two scenarios
// of eight share both colour and dash pattern, and none takes the
// objective lines' colour.
func TestCompareCurvesApart(t *testing.T) {
	c := docfixture.EightScenarios()
	c.Scenarios[5].RTODistribution = c.Scenarios[2].RTODistribution
	charts, _, err := ForComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	var cdf *Chart
	for i := range charts {
		if charts[i].Name == "rto-cdf-compare" {
			cdf = &charts[i]
		}
	}
	if cdf == nil {
		t.Fatal("no rto-cdf-compare chart")
	}
	want := "; same curve as " + c.Scenarios[2].Name()
	n := 0
	for _, e := range cdf.below {
		if strings.HasSuffix(e.Label, want) {
			n++
			if !strings.HasPrefix(e.Label, c.Scenarios[5].Name()) || e.Line == nil || len(e.Line.Dashes) == 0 {
				t.Errorf("entry %q: %+v", e.Label, e.Line)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d legend entries end %q", n, want)
	}
	seen := map[string]int{}
	for i := range 8 {
		if scenarioColour(i) == color.Color(colObjective) {
			t.Errorf("scenario %d has the objective's colour", i)
		}
		k := fmt.Sprint(scenarioColour(i), scenarioDashes(i))
		if j, ok := seen[k]; ok {
			t.Errorf("scenarios %d and %d look the same", j, i)
		}
		seen[k] = i
	}
	// the pairs hardest to tell apart differ in dash pattern
	for _, pair := range [][2]color.NRGBA{{tolRose, tolPurple}, {tolOlive, tolSand}, {tolCyan, tolTeal}} {
		a, b := slices.Index(scenarioColours[:], pair[0]), slices.Index(scenarioColours[:], pair[1])
		if fmt.Sprint(scenarioDashes(a)) == fmt.Sprint(scenarioDashes(b)) {
			t.Errorf("%v and %v share a dash pattern", pair[0], pair[1])
		}
	}
}
