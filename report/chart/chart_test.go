package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/docfixture"
	"github.com/drsim/drsim/sim"
)

// TestChartsGolden checks every chart of the synthetic report against its
// golden SVG (go test ./report/chart -run Golden -update rewrites them).
func TestChartsGolden(t *testing.T) {
	charts, _, err := ForReport(docfixture.SyntheticReport())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"timeline", "failover", "rto-cdf", "rpo-cdf", "backlog", "kms-failures"}
	var got []string
	for _, c := range charts {
		got = append(got, c.Name)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("charts = %v, want %v", got, want)
	}
	for _, c := range charts {
		t.Run(c.Name, func(t *testing.T) {
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "chart-"+c.Name+".svg"), svg)
		})
	}
}

// TestWhatIfChartsGolden checks the tornado and sweep charts of the
// synthetic documents against their golden SVGs.
func TestWhatIfChartsGolden(t *testing.T) {
	var charts []Chart
	for _, m := range []report.Metric{report.MetricMeetBoth, report.MetricRTOP95} {
		cs, _, err := ForSensitivity(docfixture.SyntheticSensitivity(m))
		if err != nil {
			t.Fatal(err)
		}
		cs[0].Name += "-" + string(m)
		charts = append(charts, cs...)
	}
	cs, _, err := ForSweep(docfixture.SyntheticSweep(report.MetricMeetBoth))
	if err != nil {
		t.Fatal(err)
	}
	charts = append(charts, cs...)
	var got []string
	for _, c := range charts {
		got = append(got, c.Name)
	}
	want := []string{"tornado-meet_both", "tornado-rto_p95", "by-failover-detect", "by-buckets-alerts-replication-0-rtc", "cost-meet-both"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("charts = %v, want %v", got, want)
	}
	for _, c := range charts {
		t.Run(c.Name, func(t *testing.T) {
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "chart-"+c.Name+".svg"), svg)
		})
	}
}

// TestWhatIfChartTitles: each title states the finding, so that the
// chart reads without the document.
func TestWhatIfChartTitles(t *testing.T) {
	title := func(cs []Chart, err error, i int) string {
		t.Helper()
		if err != nil || len(cs) <= i {
			t.Fatalf("charts %v, err %v", cs, err)
		}
		return cs[i].Plot.Title.Text
	}
	cs, _, err := ForSensitivity(docfixture.SyntheticSensitivity(report.MetricMeetBoth))
	// Both ends of the lag lie above the baseline: the title says so.
	if got, want := title(cs, err, 0), "S3 replication lag of alerts moves P(meet both) most: 39% → 100% at p10, 97% at p90"; got != want {
		t.Errorf("tornado title %q, want %q", got, want)
	}
	cs, _, err = ForSensitivity(docfixture.SyntheticSensitivity(report.MetricRTOP95))
	if got, want := title(cs, err, 0), "Duration of outage us-east-1 regional outage moves RTO p95 most: 20m → ∞"; got != want {
		t.Errorf("tornado title %q, want %q", got, want)
	}
	cs, _, err = ForSweep(docfixture.SyntheticSweep(report.MetricMeetBoth))
	for i, want := range []string{
		"Best detect: 1m, P(meet both) 97% with rtc=true (60% at 10m)",
		"Best rtc: true, P(meet both) 97% with detect=1m (31% at false)",
		"Cheapest to meet both in ≥ 95% of trials: detect=1m, rtc=true, 97% at $6,613.68/month",
	} {
		if got := title(cs, err, i); got != want {
			t.Errorf("sweep chart %d: title %q, want %q", i, got, want)
		}
	}
	s := docfixture.SyntheticSweep(report.MetricMeetBoth)
	s.MinProbability = 0.99
	cs, _, err = ForSweep(s)
	if got, want := title(cs, err, 2), "No setting meets both in 99% of trials; the best: detect=1m, rtc=true, 97% at $6,613.68/month"; got != want {
		t.Errorf("cost title %q, want %q", got, want)
	}
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/chart -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		out := "(not saved)"
		if dir, err := os.MkdirTemp("", "drsim-golden-"); err == nil {
			out = filepath.Join(dir, filepath.Base(path))
			_ = os.WriteFile(out, got, 0o644)
		}
		t.Errorf("%s differs from the golden file (got %d bytes, want %d; output in %s); run with -update if the change is intended",
			path, len(got), len(want), out)
	}
}

// TestChartsDeterministic renders the charts of two separately built
// reports and requires byte-identical SVG and PNG.
func TestChartsDeterministic(t *testing.T) {
	render := func() (svgs, pngs [][]byte) {
		charts, _, err := ForReport(docfixture.SyntheticReport())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range charts {
			var s, p bytes.Buffer
			if err := c.WriteSVG(&s); err != nil {
				t.Fatal(err)
			}
			if err := c.WritePNG(&p); err != nil {
				t.Fatal(err)
			}
			svgs, pngs = append(svgs, s.Bytes()), append(pngs, p.Bytes())
		}
		return svgs, pngs
	}
	s1, p1 := render()
	s2, p2 := render()
	for i := range s1 {
		if !bytes.Equal(s1[i], s2[i]) {
			t.Errorf("chart %d: SVG differs between runs", i)
		}
		if !bytes.Equal(p1[i], p2[i]) {
			t.Errorf("chart %d: PNG differs between runs", i)
		}
	}
}

// TestChartsPNG checks that every chart encodes as a PNG of the expected
// size that is not blank.
func TestChartsPNG(t *testing.T) {
	charts, _, err := ForReport(docfixture.SyntheticReport())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		var b bytes.Buffer
		if err := c.WritePNG(&b); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("%s: decoding: %v", c.Name, err)
		}
		w, h := c.size()
		wantW := int(math.Ceil(w.Dots(DPI)))
		wantH := int(math.Ceil(h.Dots(DPI)))
		bd := img.Bounds()
		if d := bd.Dx() - wantW; d < -1 || d > 1 {
			t.Errorf("%s: width %d, want %d", c.Name, bd.Dx(), wantW)
		}
		if d := bd.Dy() - wantH; d < -1 || d > 1 {
			t.Errorf("%s: height %d, want %d", c.Name, bd.Dy(), wantH)
		}
		colours := map[uint32]bool{}
		for y := bd.Min.Y; y < bd.Max.Y; y += 7 {
			for x := bd.Min.X; x < bd.Max.X; x += 7 {
				r, g, b, _ := img.At(x, y).RGBA()
				colours[r>>8<<16|g>>8<<8|b>>8] = true
			}
		}
		if len(colours) < 5 {
			t.Errorf("%s: PNG looks blank (%d colours)", c.Name, len(colours))
		}
	}
}

// TestChartsContent checks what the charts say, through their SVG text.
func TestChartsContent(t *testing.T) {
	charts, _, err := ForReport(docfixture.SyntheticReport())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, c := range charts {
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		byName[c.Name] = string(svg)
		if c.Title == "" || c.Caption == "" {
			t.Errorf("%s: missing title or caption", c.Name)
		}
	}
	tests := []struct {
		chart string
		want  []string
	}{
		{"timeline", []string{
			"Representative trial #412 (median RTO): RTO 25m30s, RPO 32s",
			"time since trial start",
			"key alerts us-west-2", "step promote-key", "outage us-east-1", "partition us-east-1&lt;-&gt;us-west-2", "service", "serving",
			"T0 3h", "recovered, traffic moved 3h26m", "T0: service down", "service up again as traffic moved (RTO 25m30s)",
			"Enabled", "Disabled", "Updating", "regional outage", "serving us-west-2",
			"fill:#117733", "fill:#CC6677", "fill:#DDCC77", // healthy green, broken rose, transition sand
		}},
		{"rto-cdf", []string{
			"RTO over 1,000 incident trials: P(RTO ≤ 15m) = 31.2%",
			"share of incident trials with RTO ≤ x",
			"objective 15m: met in 31.2% of all 1,000 trials (95% CI 28.4%–34.2%)",
			"3 unrecovered (curve stops at 99.7%)",
		}},
		{"rpo-cdf", []string{"RPO over 997 recovered incident trials: P(RPO ≤ 1m) = 87.4%", "objective 1m"}},
		{"backlog", []string{"writes not yet replicated (expected)", "alerts → us-west-2", "alert-state → us-west-2", "T0: service down"}},
		{"kms-failures", []string{"failed KMS calls per second", "KMSUnavailable", "ThrottlingException", "DisabledException", "service up again"}},
	}
	for _, tt := range tests {
		svg, ok := byName[tt.chart]
		if !ok {
			t.Errorf("chart %s missing", tt.chart)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(svg, w) {
				t.Errorf("%s: SVG lacks %q", tt.chart, w)
			}
		}
	}
	if strings.Contains(byName["kms-failures"], "AccessDeniedException") {
		t.Errorf("kms-failures: a reason that never failed is in the legend")
	}
}

func TestChartsPartialReports(t *testing.T) {
	noRep := docfixture.SyntheticReport()
	noRep.Representative = nil
	noIncident := docfixture.SyntheticReport()
	noIncident.Distributions = report.Distributions{RTO: []report.QuantilePoint{}, RPO: []report.QuantilePoint{}}
	noIncident.Representative.Incident = false
	noIncident.Representative.T0Seconds = nil
	noIncident.Representative.RTOSeconds = nil
	noIncident.Representative.RPOSeconds = nil
	noIncident.Representative.Backlog = nil
	allUnrecovered := docfixture.SyntheticReport()
	allUnrecovered.Distributions.Unrecovered = 1000
	for i := range allUnrecovered.Distributions.RTO {
		allUnrecovered.Distributions.RTO[i].Seconds = nil
	}
	allUnrecovered.Distributions.RPO = nil
	allUnrecovered.Representative.Recovered = false
	allUnrecovered.Representative.RTOSeconds = nil
	noObjectives := docfixture.SyntheticReport()
	noObjectives.Objectives = report.Objectives{Success: 0.99}
	noObjectives.ObjectivesMet = report.ObjectivesMet{}
	odd := docfixture.SyntheticReport()
	odd.HorizonSeconds = 0
	odd.Representative.Rates = []model.RatePoint{{T: 5 * sim.Second}}
	odd.Representative.Backlog = []model.BacklogPoint{{T: 0, Store: "x", Region: "y", Writes: math.NaN()}}
	odd.Representative.Segments = []model.Segment{{Lane: "weird", Start: 10, End: 5, Label: ""}}
	odd.Distributions.RTO = []report.QuantilePoint{{P: 0, Seconds: docfixture.Ptr(0)}, {P: 1, Seconds: docfixture.Ptr(0)}}
	odd.Distributions.RPO = []report.QuantilePoint{{P: 0, Seconds: docfixture.Ptr(math.NaN())}, {P: 0.5, Seconds: docfixture.Ptr(math.Inf(1))}, {P: math.NaN(), Seconds: docfixture.Ptr(3)}, {P: 1, Seconds: docfixture.Ptr(1e300)}}
	odd.Objectives.RPOSeconds = docfixture.Ptr(math.Inf(1))
	huge := docfixture.SyntheticReport()
	huge.HorizonSeconds = 1e12
	for i := 0; i < 300; i++ {
		huge.Representative.Segments = append(huge.Representative.Segments, model.Segment{
			Lane: fmt.Sprintf("key k%03d us-east-1", i), Start: sim.Time(i) * sim.Minute, End: sim.Time(i+1) * sim.Hour, Label: "Enabled"})
	}
	huge.Representative.Rates = append(huge.Representative.Rates, model.RatePoint{T: math.MaxInt64 / 2})

	tests := []struct {
		name string
		r    *report.Report
		want []string
	}{
		{"no representative", noRep, []string{"rto-cdf", "rpo-cdf"}},
		{"no incident", noIncident, []string{"timeline", "kms-failures"}},
		{"all unrecovered", allUnrecovered, []string{"timeline", "backlog", "kms-failures"}},
		{"no objectives", noObjectives, []string{"timeline", "failover", "rto-cdf", "rpo-cdf", "backlog", "kms-failures"}},
		{"degenerate", odd, []string{"timeline", "failover", "rto-cdf", "rpo-cdf"}},
		{"huge", huge, []string{"timeline", "failover", "rto-cdf", "rpo-cdf", "backlog", "kms-failures"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			charts, _, err := ForReport(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range charts {
				got = append(got, c.Name)
				if _, h := c.size(); h > 20*vg.Inch {
					t.Errorf("%s: %v tall", c.Name, h)
				}
				if err := c.WriteSVG(&bytes.Buffer{}); err != nil {
					t.Errorf("%s: %v", c.Name, err)
				}
				if err := c.WritePNG(&bytes.Buffer{}); err != nil {
					t.Errorf("%s: %v", c.Name, err)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("charts = %v, want %v", got, tt.want)
			}
		})
	}
	if _, _, err := ForReport(nil); err == nil {
		t.Error("ForReport(nil): no error")
	}
	empty := Chart{Name: "empty"}
	if err := empty.WriteSVG(&bytes.Buffer{}); err == nil || !strings.HasPrefix(err.Error(), "chart: ") {
		t.Errorf("WriteSVG without plot: err = %v", err)
	}
}

func TestPickUnit(t *testing.T) {
	tests := []struct {
		span sim.Time
		want string
	}{
		{90 * sim.Second, "seconds"},
		{45 * sim.Minute, "minutes"},
		{3 * sim.Hour, "minutes"},
		{12 * sim.Hour, "hours"},
		{30 * 24 * sim.Hour, "days"},
	}
	for _, tt := range tests {
		if got := pickUnit(float64(tt.span)).name; got != tt.want {
			t.Errorf("pickUnit(%v) = %s, want %s", tt.span, got, tt.want)
		}
	}
}

func TestTimelineLanesOrder(t *testing.T) {
	segs := []model.Segment{
		{Lane: "serving"}, {Lane: "service"}, {Lane: "step b"}, {Lane: "key k us-west-2"},
		{Lane: "step a"}, {Lane: "outage us-west-2"}, {Lane: "key k us-east-1"},
		{Lane: "partition a<->b"}, {Lane: "outage us-east-1"}, {Lane: "step b"},
	}
	got := strings.Join(timelineLanes(segs), "|")
	want := "outage us-west-2|outage us-east-1|partition a<->b|key k us-west-2|key k us-east-1|step b|step a|service|serving"
	if got != want {
		t.Errorf("lanes = %s\nwant   %s", got, want)
	}
}

func TestStateColour(t *testing.T) {
	idx := func(string) int { return 0 }
	tests := []struct {
		lane, label string
		want        any
	}{
		{"key a us-east-1", "Enabled", colHealthy},
		{"key a us-east-1", "Disabled", colBroken},
		{"key a us-east-1", "PendingDeletion", colBroken},
		{"key a us-east-1", "PendingReplicaDeletion", colBroken},
		{"key a us-east-1", "Creating", colTransition},
		{"key a us-east-1", "Updating", colTransition},
		{"service", "up", colHealthy},
		{"service", "down", colBroken},
		{"step x", "failed", colBroken},
		{"step x", "done", colHealthy},
		{"step x", "running", colRunning},
		{"outage us-east-1", "kms", colOutage},
		{"key a us-east-1", "Unreachable: KMS down", colBroken},
		{"key a us-east-1", "Unreachable from us-west-2: partition", colBroken},
		{"partition a<->b", "cut", colPartition},
		{"serving", "us-east-1", servingColours[0]},
		{"serving", "none", colBroken},
		{"other", "whatever", colGrey},
	}
	for _, tt := range tests {
		if got := stateColour(tt.lane, tt.label, idx); got != tt.want {
			t.Errorf("stateColour(%q, %q) = %v, want %v", tt.lane, tt.label, got, tt.want)
		}
	}
}

func TestTraceWindow(t *testing.T) {
	r := docfixture.SyntheticReport()
	lo, hi := traceWindow(r)
	// Events and segments span 2h30m (disable-key) to 6h12m (outage end).
	if lo > 2*sim.Hour+30*sim.Minute || hi < 6*sim.Hour+12*sim.Minute || lo < 0 || hi > 12*sim.Hour {
		t.Errorf("window = [%v, %v]", lo, hi)
	}
	r.Representative.Segments = r.Representative.Segments[:16] // drop the partition
	r.Representative.Events = nil
	// Changes from 2h30m (key disabled) to 6h12m (outage end): padded by
	// an eighth of the span on each side.
	lo, hi = traceWindow(r)
	pad := (6*sim.Hour + 12*sim.Minute - (2*sim.Hour + 30*sim.Minute)) / 8
	if lo != 2*sim.Hour+30*sim.Minute-pad || hi != 6*sim.Hour+12*sim.Minute+pad {
		t.Errorf("window = [%v, %v], want [2h30m-%v, 6h12m+%v]", lo, hi, pad, pad)
	}
	r.Representative.Segments = []model.Segment{{Lane: "service", Start: 0, End: 12 * sim.Hour, Label: "up"}}
	r.Representative.T0Seconds = nil
	if lo, hi = traceWindow(r); lo != 0 || hi != 12*sim.Hour {
		t.Errorf("quiet trial: window = [%v, %v], want the horizon", lo, hi)
	}
}

func TestCompareCharts(t *testing.T) {
	c := docfixture.SyntheticComparison()
	charts, _, err := ForComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 2 || charts[0].Name != "cost-rto" || charts[1].Name != "rto-cdf-compare" {
		t.Fatalf("charts = %v", charts)
	}
	for _, ch := range charts {
		t.Run(ch.Name, func(t *testing.T) {
			svg, err := ch.SVG()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "chart-"+ch.Name+".svg"), svg)
			if err := ch.WritePNG(&bytes.Buffer{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	svg, _ := charts[0].SVG()
	for _, w := range []string{"Pareto front", ">backup-restore<", ">active-active<", ">warm-standby-slow<", "dominated: another is as cheap",
		"(1 not shown: p95 unrecovered)", "monthly cost, USD (lower is better)", "RTO p95 (logarithmic scale; lower is better)"} {
		if !strings.Contains(string(svg), w) {
			t.Errorf("cost-rto: SVG lacks %q", w)
		}
	}
	if !strings.Contains(charts[0].Caption, "broken-keys") {
		t.Errorf("cost-rto caption does not name the scenario left out: %s", charts[0].Caption)
	}
	svg, _ = charts[1].SVG()
	for _, w := range []string{"backup-restore (n = 1,000): meets RTO in 0.0%", "broken-keys (n = 1,000, 100 unrecovered)", "RTO objective 15m"} {
		if !strings.Contains(string(svg), w) {
			t.Errorf("rto-cdf-compare: SVG lacks %q", w)
		}
	}

	if charts, _, err := ForComparison(&report.Comparison{}); err != nil || len(charts) != 0 {
		t.Errorf("empty comparison: %d charts, err %v", len(charts), err)
	}
	if _, _, err := ForComparison(nil); err == nil {
		t.Error("ForComparison(nil): no error")
	}
}

func TestParetoFront(t *testing.T) {
	tests := []struct {
		name   string
		xs, ys []float64
		want   []int
	}{
		{"one", []float64{1}, []float64{1}, []int{0}},
		{"chain", []float64{10, 5, 1}, []float64{1, 5, 10}, []int{2, 1, 0}},
		{"dominated", []float64{1, 2, 3}, []float64{3, 4, 1}, []int{0, 2}},
		{"ties keep both", []float64{1, 1}, []float64{2, 2}, []int{0, 1}},
		{"same x, cheaper wins", []float64{1, 1}, []float64{3, 2}, []int{1}},
	}
	for _, tt := range tests {
		got := paretoFront(tt.xs, tt.ys)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: front = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func BenchmarkCharts(b *testing.B) {
	r := docfixture.SyntheticReport()
	for b.Loop() {
		if _, _, err := ForReport(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChartsSVG(b *testing.B) {
	charts, _, err := ForReport(docfixture.SyntheticReport())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for i := range charts {
			if err := charts[i].WriteSVG(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkChartsPNG(b *testing.B) {
	charts, _, err := ForReport(docfixture.SyntheticReport())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for i := range charts {
			if err := charts[i].WritePNG(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestChartsFromJSON checks that the charts render the JSON document: a
// report read back from its JSON gives the same SVG.
func TestChartsFromJSON(t *testing.T) {
	r := docfixture.SyntheticReport()
	var js bytes.Buffer
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back report.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	a, _, err := ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := ForReport(&back)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d charts from the report, %d from its JSON", len(a), len(b))
	}
	for i := range a {
		sa, _ := a[i].SVG()
		sb, _ := b[i].SVG()
		if !bytes.Equal(sa, sb) {
			t.Errorf("%s: SVG from the JSON differs", a[i].Name)
		}
	}
}

// TestChartRedraw checks that drawing a chart twice gives the same SVG (the
// line texts' layout is per drawing).
func TestChartRedraw(t *testing.T) {
	r := docfixture.SyntheticReport()
	// T0 and the recovery 30 s apart: their texts must be stacked.
	r.Representative.RTOSeconds = docfixture.Ptr(30)
	charts, _, err := ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	for i := range charts {
		a, _ := charts[i].SVG()
		if err := charts[i].WritePNG(io.Discard); err != nil {
			t.Fatal(err)
		}
		b, _ := charts[i].SVG()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: second drawing differs", charts[i].Name)
		}
	}
}

// A label is moved right past the lines it would cross and the move ends,
// also where rounding puts (lx+pad)−pad just below lx: the loop then moved
// the label to the same place for ever (an interrupted run's --out hung in
// TestInterruptedRun).
func TestClearOfEnds(t *testing.T) {
	pad := vg.Points(3)
	// just below a power of two, lx+pad rounds to a coarser step
	lx := vg.Length(126)
	for i := 0; (lx+pad)-pad >= lx; i++ {
		if i == 1000 {
			t.Fatal("found no line position that rounding moves")
		}
		lx = vg.Length(math.Nextafter(float64(lx), math.Inf(1)))
	}
	done := make(chan vg.Length, 1)
	go func() { done <- clearOf(lx-pad/2, 10, pad, []vg.Length{lx}) }()
	select {
	case x := <-done:
		if x != lx+pad {
			t.Errorf("clearOf = %v, want %v (pad past the line)", x, lx+pad)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("clearOf does not end")
	}
	// several lines: past each one the text would cross, whatever their
	// order (the text from 12 to 28 then crosses none)
	if x := clearOf(0, 10, 3, []vg.Length{30, 12, 5}); x != 15 {
		t.Errorf("clearOf over lines 5, 12, 30 = %v, want 15", x)
	}
	if x := clearOf(0, 10, 3, []vg.Length{50}); x != 0 {
		t.Errorf("a line out of the way moved the text to %v", x)
	}
}
