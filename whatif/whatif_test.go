package whatif

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/sim"
)

func snowy(t testing.TB, sets ...string) *scenarios.Resolved {
	t.Helper()
	var ov []scenarios.Override
	for i, s := range sets {
		o, err := scenarios.ParseOverride("--set #"+string(rune('1'+i)), s)
		if err != nil {
			t.Fatal(err)
		}
		ov = append(ov, o)
	}
	r, err := scenarios.Open("snowy", scenarios.WithOverrides(ov...))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func vary(t testing.TB, i int, arg string) Param {
	t.Helper()
	vs, err := scenarios.ParseVary("--vary #"+string(rune('1'+i)), arg)
	if err != nil {
		t.Fatal(err)
	}
	return Param{Path: vs[0].Path, Values: vs}
}

// TestToPrecisionStopsAtTheRightCount: a run to precision stops at the
// first batch whose half-width is at most the target, and its results are
// those of a plain run of that many trials.
func TestToPrecisionStopsAtTheRightCount(t *testing.T) {
	cfg := snowy(t).Config
	const batch = 100
	runs, p, err := ToPrecision(context.Background(), []*model.Config{cfg}, Options{Seed: 7, Trials: batch, Precision: 0.03, MaxTrials: 100000})
	if err != nil {
		t.Fatal(err)
	}
	n := p.Trials
	if !p.Reached || n%batch != 0 || n != runs[0].Trials() {
		t.Fatalf("precision %+v, run of %d", p, runs[0].Trials())
	}
	plain := model.RunTrials(cfg, 7, n, 2, nil)
	pt := report.NewTrials(cfg, 7, 0)
	pt.Add(plain...)
	if a, b := report.BuildTrials(pt, nil, nil), report.BuildTrials(runs[0].Records, nil, nil); !reflect.DeepEqual(a, b) {
		t.Fatal("the run to precision differs from a plain run of as many trials")
	}
	met := func(k int) int {
		m := 0
		for i := range plain[:k] {
			if report.MeetsBoth(cfg, &plain[i]) {
				m++
			}
		}
		return m
	}
	if hw := report.WilsonHalfWidth(met(n), n); hw > 0.03 || hw != p.HalfWidth {
		t.Errorf("half-width %v at %d trials, reported %v", hw, n, p.HalfWidth)
	}
	if n > batch {
		if hw := report.WilsonHalfWidth(met(n-batch), n-batch); hw <= 0.03 {
			t.Errorf("half-width %v already at %d trials: it ran a batch too many", hw, n-batch)
		}
	}
}

// TestToPrecisionLargestCount: every scenario gets the largest count any
// needs; MaxTrials stops a run that cannot reach the target.
func TestToPrecisionLargestCount(t *testing.T) {
	a := snowy(t).Config
	b := snowy(t, "objectives.rpo=1h").Config // P(meet both) near 1: a narrow interval early
	runs, p, err := ToPrecision(context.Background(), []*model.Config{b, a}, Options{Seed: 7, Trials: 200, Precision: 0.03, MaxTrials: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if runs[0].Trials() != p.Trials || runs[1].Trials() != p.Trials || p.Trials <= 200 {
		t.Errorf("trials %d and %d, precision %+v", runs[0].Trials(), runs[1].Trials(), p)
	}
	runs, p, err = ToPrecision(context.Background(), []*model.Config{a}, Options{Seed: 7, Trials: 200, Precision: 0.001, MaxTrials: 500})
	if err != nil {
		t.Fatal(err)
	}
	if p.Reached || p.Trials != 500 || runs[0].Trials() != 500 {
		t.Errorf("precision %+v, want 500 trials, not reached", p)
	}
	if _, _, err := ToPrecision(context.Background(), []*model.Config{snowy(t, "objectives={}").Config}, Options{Seed: 7, Trials: 10, Precision: 0.01}); err == nil ||
		!strings.Contains(err.Error(), "sets no RTO or RPO objective") {
		t.Errorf("no objectives: %v", err)
	}
}

// TestSensitivityCommonRandomNumbers: a variant changes its input only:
// pinning detect leaves every trial's T0 as it was, and pinning the
// outage's start (the second uniform of its stream) leaves its duration.
func TestSensitivityCommonRandomNumbers(t *testing.T) {
	cfg := snowy(t, "horizon=30d").Config // every outage ends within it
	var detect, start input
	for _, in := range inputs(cfg) {
		switch in.name {
		case "failover.detect":
			detect = in
		case "outages[us-east-1 regional outage].start":
			start = in
		}
	}
	if detect.pin == nil || start.pin == nil {
		t.Fatal("inputs not found")
	}
	run := func(c *model.Config, i int) (model.TrialResult, *model.Detail) {
		var d model.Detail
		res := model.NewRunner(c).Trial(7, i, &d)
		return res, &d
	}
	pd := clonePinnable(cfg)
	detect.pin(pd, pinned(detect.dist, pHigh))
	ps := clonePinnable(cfg)
	start.pin(ps, pinned(start.dist, pLow))
	outage := func(d *model.Detail) sim.Time {
		var s, e sim.Time = -1, -1
		for _, ev := range d.Events {
			if ev.Kind == "outage-start" && s < 0 {
				s = ev.T
			}
			if ev.Kind == "outage-end" && e < 0 {
				e = ev.T
			}
		}
		return e - s
	}
	for i := range 20 {
		b, bd := run(cfg, i)
		v, _ := run(pd, i)
		if b.T0 != v.T0 {
			t.Errorf("trial %d: pinning detect moved T0 from %v to %v", i, b.T0, v.T0)
		}
		_, sd := run(ps, i)
		if got, want := outage(sd), outage(bd); got != want || got <= 0 {
			t.Errorf("trial %d: pinning the start changed the outage's duration from %v to %v", i, want, got)
		}
	}
	if cfg.Failover.Detect != detect.dist || cfg.Outages[0].Start != start.dist {
		t.Error("pinning changed the original Config")
	}
}

func TestSensitivitySnowy(t *testing.T) {
	cfg := snowy(t).Config
	s, err := Sensitivity(context.Background(), cfg, report.MetricMeetBoth, 0.95, Options{Seed: 7, Trials: 300})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range s.Inputs {
		names = append(names, in.Name)
	}
	want := []string{
		"buckets.alerts.replication[0].lag", "failover.detect", "failover.steps[approve].duration",
		"failover.steps[scale-up].duration", "outages[us-east-1 regional outage].duration",
		"outages[us-east-1 regional outage].start", "tables.alert-state.lag",
	}
	got := append([]string(nil), names...)
	sortStrings(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if len(s.Constant) != 2 || s.Constant[0].Name != "failover.steps[promote-key].duration" || s.Constant[1].Name != "failover.steps[dns].duration" {
		t.Errorf("constant inputs %+v", s.Constant)
	}
	if SensitivityRuns(cfg) != 2*7+1 {
		t.Errorf("SensitivityRuns = %d", SensitivityRuns(cfg))
	}
	for i := 1; i < len(s.Inputs); i++ {
		a, b := s.Inputs[i-1].Swing, s.Inputs[i].Swing
		if a != nil && b != nil && *a < *b {
			t.Errorf("rows not sorted by swing: %s %v before %s %v", s.Inputs[i-1].Name, *a, s.Inputs[i].Name, *b)
		}
	}
	// The baseline is a plain run's P(meet both).
	rep := report.Build(cfg, 7, model.RunTrials(cfg, 7, 300, 2, nil), nil, -1)
	if *s.Baseline.Value != *rep.ObjectivesMet.Both.P {
		t.Errorf("baseline %v, a plain run %v", *s.Baseline.Value, *rep.ObjectivesMet.Both.P)
	}
	// Each end is a plain run of the scenario with the input set to its
	// percentile as a constant.
	for _, row := range s.Inputs {
		if row.Name != "failover.detect" {
			continue
		}
		c := clonePinnable(cfg)
		c.Failover.Detect = sim.ConstDist(sim.Time(row.P90Seconds * 1e9))
		r := report.Build(c, 7, model.RunTrials(c, 7, 300, 2, nil), nil, -1)
		if *row.High.Value != *r.ObjectivesMet.Both.P {
			t.Errorf("detect at p90: %v, a plain run %v", *row.High.Value, *r.ObjectivesMet.Both.P)
		}
	}
	// Detection time delays the runbook, so it ranks with RTO; the
	// outage's start does not (the steady start makes the outage's
	// position irrelevant).
	for _, rc := range s.Ranking {
		switch rc.Name {
		case "failover.detect":
			if rc.RTO == nil || *rc.RTO < 0.2 {
				t.Errorf("detect vs RTO: rho %v, want clearly positive", rc.RTO)
			}
		case "outages[us-east-1 regional outage].start":
			if rc.RTO == nil || *rc.RTO > 0.15 || *rc.RTO < -0.15 {
				t.Errorf("start vs RTO: rho %v, want near 0", rc.RTO)
			}
		}
		if rc.N != s.IncidentTrials {
			t.Errorf("%s: n %d, incident trials %d", rc.Name, rc.N, s.IncidentTrials)
		}
	}
	if len(s.Ranking) != 5 {
		t.Errorf("ranking has %d inputs, want the 5 single-draw ones", len(s.Ranking))
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestGrid(t *testing.T) {
	p := []Param{vary(t, 0, "failover.detect=1m,2m"), vary(t, 1, "buckets.alerts.replication[0].rtc=true,false,true")}
	g, err := Grid(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pt := range g {
		got = append(got, pt[0].Value+"/"+pt[1].Value)
	}
	if want := []string{"1m/true", "1m/false", "1m/true", "2m/true", "2m/false", "2m/true"}; !reflect.DeepEqual(got, want) {
		t.Errorf("grid %v, want %v", got, want)
	}
	big := []Param{vary(t, 0, "failover.detect="+strings.Repeat("1m,", 19)+"1m"), vary(t, 1, "trials2="+strings.Repeat("1,", 49)+"1"),
		vary(t, 2, "horizon="+strings.Repeat("1d,", 2)+"1d")}
	set, _ := scenarios.ParseOverride("--set #1", "failover.detect=3m")
	for _, tt := range []struct {
		params []Param
		set    []scenarios.Override
		want   string
	}{
		{nil, nil, "nothing to vary"},
		{big, nil, "the grid has more than 1000 points (20 × 50 × 3 values), above the cap of 1000"},
		{[]Param{vary(t, 0, "trials=1,2")}, nil, "trials is a setting of the run"},
		{[]Param{vary(t, 0, "failover.detect=1m"), vary(t, 1, "failover.detect=2m")}, nil, "varied twice"},
		{[]Param{vary(t, 0, "failover.detect=1m")}, []scenarios.Override{set}, "both varied and set (--set failover.detect=3m)"},
	} {
		if _, err := Grid(tt.params, tt.set); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}

// TestSweepPointsArePlainRuns: every point is a plain run of the
// scenario with its overrides, on the same seed and trials; the table
// marks the Pareto front of P(meet both) and cost.
func TestSweepPointsArePlainRuns(t *testing.T) {
	base := snowy(t)
	params := []Param{vary(t, 0, "failover.detect=1m,10m"), vary(t, 1, "buckets.alerts.replication[0].rtc=true,false")}
	s, err := Sweep(context.Background(), base, params, report.MetricRPOP95, 0.95, Options{Seed: 7, Trials: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 4 || s.Trials != 200 || len(s.Warnings) != 0 {
		t.Fatalf("points %d trials %d warnings %v", len(s.Points), s.Trials, s.Warnings)
	}
	grid, _ := Grid(params, nil)
	for i, pt := range grid {
		r, err := base.With(pt...)
		if err != nil {
			t.Fatal(err)
		}
		rep := report.Build(r.Config, 7, model.RunTrials(r.Config, 7, 200, 2, nil), nil, -1)
		want := report.SweepPointOf(rep, []string{pt[0].Value, pt[1].Value}, report.MetricRPOP95)
		want.Pareto = s.Points[i].Pareto
		if !reflect.DeepEqual(s.Points[i], want) {
			t.Errorf("point %d: %+v\nwant %+v", i, s.Points[i], want)
		}
	}
	// Without RTC the cost is lower: the cheapest point with the best
	// P(meet both) at its cost is on the front.
	front := 0
	for _, p := range s.Points {
		if p.Pareto {
			front++
		}
	}
	if front == 0 || front == 4 {
		t.Errorf("%d points on the front", front)
	}
	// A bad value is reported on its --vary argument, before any trial.
	_, err = Sweep(context.Background(), base, []Param{vary(t, 0, "failover.detect=1m,20")}, "", 0.95, Options{Seed: 7, Trials: 10})
	if err == nil || !strings.Contains(err.Error(), "scenarios: --vary #1:20: failover.detect: expected a duration") {
		t.Errorf("got %v", err)
	}
}

// TestSweepPrecisionIsAPlainSweep: a sweep to precision gives the
// document of a plain sweep with the final count, but for its precision.
func TestSweepPrecisionIsAPlainSweep(t *testing.T) {
	base := snowy(t)
	params := []Param{vary(t, 0, "failover.detect=1m,10m")}
	sp, err := Sweep(context.Background(), base, params, "", 0.95, Options{Seed: 7, Trials: 100, Precision: 0.04, MaxTrials: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Precision == nil || !sp.Precision.Reached || sp.Precision.HalfWidth > 0.04 || sp.Trials <= 100 {
		t.Fatalf("precision %+v trials %d", sp.Precision, sp.Trials)
	}
	plain, err := Sweep(context.Background(), base, params, "", 0.95, Options{Seed: 7, Trials: sp.Trials})
	if err != nil {
		t.Fatal(err)
	}
	sp.Precision = nil
	var a, b bytes.Buffer
	_ = report.WriteSweepJSON(&a, sp)
	_ = report.WriteSweepJSON(&b, plain)
	if a.String() != b.String() {
		t.Errorf("the sweep to precision differs from a plain sweep of %d trials", sp.Trials)
	}
}

func TestMarkPareto(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	pts := []report.SweepPoint{
		{MeetBoth: report.Probability{P: p(0.5)}, MonthlyUSD: 10},
		{MeetBoth: report.Probability{P: p(0.9)}, MonthlyUSD: 20},
		{MeetBoth: report.Probability{P: p(0.8)}, MonthlyUSD: 30}, // dominated by the second
		{MeetBoth: report.Probability{P: p(0.5)}, MonthlyUSD: 10}, // equal to the first: both stay
		{MonthlyUSD: 1}, // no P(meet both)
	}
	report.MarkPareto(pts)
	var got []bool
	for _, x := range pts {
		got = append(got, x.Pareto)
	}
	if want := []bool{true, true, false, true, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("front %v, want %v", got, want)
	}
}
