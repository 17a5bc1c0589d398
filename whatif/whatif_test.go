package whatif

import (
	"bytes"
	"context"
	"fmt"
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
	if hw := report.WilsonHalfWidth(met(n), n); hw > 0.03 || round9(hw) != p.HalfWidth {
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
	base := snowy(t)
	p := []Param{vary(t, 0, "failover.detect=1m,2m"), vary(t, 1, "buckets.alerts.replication[0].rtc=true,false")}
	g, err := Grid(base, p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pt := range g {
		got = append(got, pt[0].Value+"/"+pt[1].Value)
	}
	if want := []string{"1m/true", "1m/false", "2m/true", "2m/false"}; !reflect.DeepEqual(got, want) {
		t.Errorf("grid %v, want %v", got, want)
	}
	big := []Param{vary(t, 0, "failover.detect="+strings.Repeat("1m,", 19)+"20m"), vary(t, 1, "app.credentials_ttl="+strings.Repeat("1h,", 49)+"50h"),
		vary(t, 2, "objectives.rpo=1m,2m,3m")}
	for i := range big[0].Values {
		big[0].Values[i].Value = fmt.Sprintf("%dm", i+1)
	}
	for i := range big[1].Values {
		big[1].Values[i].Value = fmt.Sprintf("%dh", i+1)
	}
	for _, tt := range []struct {
		params []Param
		set    []string
		want   []string
	}{
		{nil, nil, []string{"nothing to vary"}},
		{big, nil, []string{"the grid has more than 1000 points (20 × 50 × 3 values), above the cap of 1000"}},
		{[]Param{vary(t, 0, "trials=1,2")}, nil, []string{"--vary #1 trials: the number of trials is a setting of the run", "(give --trials)"}},
		{[]Param{vary(t, 0, "name=a,b")}, nil, []string{"--vary #1 name: the name labels the report and changes nothing that is simulated: vary a value of the setup"}},
		// The horizon is what P(meet both) would measure (issue: a sweep
		// of it recommended the shortest).
		{[]Param{vary(t, 0, "horizon=12h,2h")}, nil, []string{"--vary #1 horizon: the horizon is how long each trial watches", "--set horizon="}},
		{[]Param{vary(t, 0, `"horizon"=12h,2h`)}, nil, []string{"--vary #1 \"horizon\": the horizon"}},
		{[]Param{vary(t, 0, "failover.detect=1m"), vary(t, 1, "failover.detect=2m")}, nil,
			[]string{"--vary #1 failover.detect and --vary #2 failover.detect name the same value, failover.detect: give all its values in one --vary"}},
		{[]Param{vary(t, 0, "failover.detect=1m")}, []string{"failover.detect=3m"}, []string{"--vary #1 failover.detect is both varied and set (--set #1 failover.detect=3m)"}},
		// The same value spelt differently is the same path (issue: the
		// --set was silently ignored, or a grid column had no effect).
		{[]Param{vary(t, 0, "failover.steps[approve].duration=1m,2m")}, []string{"failover.steps[0].duration=30m"},
			[]string{"--vary #1 failover.steps[approve].duration is both varied and set (--set #1 failover.steps[0].duration=30m)"}},
		{[]Param{vary(t, 0, "failover.steps[approve].duration=1m,2m"), vary(t, 1, "failover.steps[name=approve].duration=5m,6m")}, nil,
			[]string{"--vary #1 failover.steps[approve].duration and --vary #2 failover.steps[name=approve].duration name the same value, failover.steps[0].duration"}},
		{[]Param{vary(t, 0, "failover.detect=1m,2m"), vary(t, 1, `failover."detect"=5m,6m`)}, nil, []string{"name the same value, failover.detect"}},
		{[]Param{vary(t, 0, `failover.steps[0]={name="approve", duration="1m"},{name="approve", duration="2m"}`), vary(t, 1, "failover.steps[approve].duration=5m,6m")}, nil,
			[]string{"overlap (failover.steps[0] holds failover.steps[0].duration): vary one of them"}},
		{[]Param{vary(t, 0, "failover.steps[1]={name=\"scale-up\", after=[\"approve\"], duration=\"1m\"}")}, []string{"failover.steps[scale-up].duration=3m"},
			[]string{"is both varied and set (--set #1 failover.steps[scale-up].duration=3m)"}},
		// Duplicated values (issue: duplicate rows, silently).
		{[]Param{vary(t, 0, "failover.detect=1m,2m,1m")}, nil, []string{"--vary #1 failover.detect: the value 1m is given twice"}},
		// Every problem at once.
		{[]Param{vary(t, 0, "seed=1,2"), vary(t, 1, "failover.detect=1m,1m")}, []string{"failover.detect=2m"},
			[]string{"--vary #1 seed: the seed", "--vary #2 failover.detect is both varied and set", "the value 1m is given twice"}},
	} {
		b := base
		if tt.set != nil {
			b = snowy(t, tt.set...)
		}
		_, err := Grid(b, tt.params)
		for _, w := range tt.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: got %v, want %q", tt.params, err, w)
			}
		}
		if err != nil && strings.Contains(err.Error(), "sweep: whatif") {
			t.Errorf("the error stutters: %v", err)
		}
	}
	// A --set of a path that holds a varied one is applied first: allowed.
	if _, err := Grid(snowy(t, `failover.steps[1]={name="scale-up", after=["approve"], duration="1m"}`),
		[]Param{vary(t, 0, "failover.steps[scale-up].duration=5m,6m")}); err != nil {
		t.Errorf("--set of a table, --vary inside it: %v", err)
	}
}

// TestSweepPointErrors: a value's own error is reported once, on its
// --vary argument; an error only a combination of values gives names the
// point (issue: "failover.to: is the same region as from" did not say
// where); two values that give the same scenario are an error (issue: 1m
// and 1m gave duplicate rows).
func TestSweepPointErrors(t *testing.T) {
	base := snowy(t)
	_, err := Sweep(context.Background(), base, []Param{vary(t, 0, "failover.from=us-east-1,us-west-2"), vary(t, 1, "failover.to=us-west-2,us-east-1")},
		"", 0.95, Options{Seed: 7, Trials: 10})
	want := []string{
		`scenarios: --vary #2:13: failover.to: is the same region as from ("us-west-2") (at the point failover.from=us-west-2, failover.to=us-west-2)`,
		`scenarios: --vary #2:23: failover.to: is the same region as from ("us-east-1") (at the point failover.from=us-east-1, failover.to=us-east-1)`,
	}
	if err == nil || !reflect.DeepEqual(strings.Split(err.Error(), "\n"), want) {
		t.Errorf("got %v\nwant %q", err, want)
	}
	_, err = Sweep(context.Background(), base, []Param{vary(t, 0, "failover.detect=20,1m"), vary(t, 1, "objectives.rpo=5m,15m")}, "", 0.95, Options{Seed: 7, Trials: 10})
	if err == nil || strings.Count(err.Error(), "\n") != 0 || strings.Contains(err.Error(), "(at ") {
		t.Errorf("a value's own error, once and without a point: %v", err)
	}
	_, err = Sweep(context.Background(), base, []Param{vary(t, 0, "failover.steps[aprove].duration=1m,2m"), vary(t, 1, "objectives.rpo=5m,15m")}, "", 0.95, Options{Seed: 7, Trials: 10})
	if err == nil || err.Error() != `scenarios: --vary #1:15: failover.steps: no step named "aprove" (did you mean "approve"?)` {
		t.Errorf("a path every value of which fails, once and without a point: %v", err)
	}
	_, err = Sweep(context.Background(), base, []Param{vary(t, 0, "failover.detect=1m,60s,2m")}, "", 0.95, Options{Seed: 7, Trials: 10})
	if err == nil || !strings.Contains(err.Error(), "--vary #1 failover.detect: the values 1m and 60s give the same scenario") {
		t.Errorf("the same scenario twice: %v", err)
	}
}

// TestSweepPointWarnings: every point's warnings are in the document, in
// the point and grouped with the points that have them (issue: rtc=false
// points showed an RPO p95 of days without the tail caveat their run has).
func TestSweepPointWarnings(t *testing.T) {
	s, err := Sweep(context.Background(), snowy(t), []Param{vary(t, 0, "buckets.alerts.replication[0].rtc=true,false")}, "", 0.95, Options{Seed: 7, Trials: 300})
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range s.Points {
		r, _ := snowy(t).With(scenarios.Override{Source: "--vary #1", Path: "buckets.alerts.replication[0].rtc", Value: s.Parameters[0].Values[i]})
		rep := report.Build(r.Config, 7, model.RunTrials(r.Config, 7, 300, 2, nil), nil, -1)
		if !reflect.DeepEqual(pt.Warnings, rep.Warnings) {
			t.Errorf("point %d: warnings %q, its run's %q", i, pt.Warnings, rep.Warnings)
		}
	}
	w := strings.Join(s.Warnings, "\n")
	for _, want := range []string{"at every point: p99 from 300 incident trials is not reliable",
		`at buckets.alerts.replication[0].rtc=false: store "alerts": RPO p50`} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

// TestSweepNoEffect: a parameter that changes no simulated outcome is
// named, with the reason when it is rtc under an explicit lag (issue: the
// sweep recommended rtc=false with an RTC-grade lag as "cheapest").
func TestSweepNoEffect(t *testing.T) {
	base := snowy(t, "buckets.alerts.replication[0].lag=lognormal(median=6s, p99=90s)")
	s, err := Sweep(context.Background(), base, []Param{vary(t, 0, "buckets.alerts.replication[0].rtc=true,false"), vary(t, 1, "objectives.rpo=5m,30m")},
		"", 0.95, Options{Seed: 7, Trials: 200})
	if err != nil {
		t.Fatal(err)
	}
	if ne := s.Parameters[0].NoEffect; !strings.Contains(ne, "the rule sets its lag explicitly (lognormal(median=6s, p99=1m30s))") {
		t.Errorf("rtc: no_effect %q", ne)
	}
	if s.Parameters[1].NoEffect != "" {
		t.Errorf("the RPO objective changes P(meet both): no_effect %q", s.Parameters[1].NoEffect)
	}
	if !strings.Contains(strings.Join(s.Warnings, "\n"), "buckets.alerts.replication[0].rtc changes no simulated outcome, only the cost") {
		t.Errorf("warnings: %q", s.Warnings)
	}
	// With the default lag, rtc changes the lag: it has an effect.
	s, err = Sweep(context.Background(), snowy(t), []Param{vary(t, 0, "buckets.alerts.replication[0].rtc=true,false")}, "", 0.95, Options{Seed: 7, Trials: 200})
	if err != nil || s.Parameters[0].NoEffect != "" {
		t.Errorf("default lag: %v, no_effect %q", err, s.Parameters[0].NoEffect)
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
	if len(s.Points) != 4 || s.Trials != 200 {
		t.Fatalf("points %d trials %d warnings %v", len(s.Points), s.Trials, s.Warnings)
	}
	grid, _ := Grid(base, params)
	for i, pt := range grid {
		r, err := base.With(pt...)
		if err != nil {
			t.Fatal(err)
		}
		rep := report.Build(r.Config, 7, model.RunTrials(r.Config, 7, 200, 2, nil), nil, -1)
		want := report.SweepPointOf(rep, []string{pt[0].Value, pt[1].Value}, report.MetricRPOP95)
		want.Pareto = s.Points[i].Pareto
		want.Warnings = rep.Warnings
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

// TestMarkPareto: a point is dominated when another is at least as likely
// for at most its cost and better in one; points tied on both are all on
// the front or all off it (issue: the definition and the chart's legend
// did not say what happens to ties).
func TestMarkPareto(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	pts := []report.SweepPoint{
		{MeetBoth: report.Probability{P: p(0.5)}, MonthlyUSD: 10},
		{MeetBoth: report.Probability{P: p(0.9)}, MonthlyUSD: 20},
		{MeetBoth: report.Probability{P: p(0.8)}, MonthlyUSD: 30}, // dominated by the second
		{MeetBoth: report.Probability{P: p(0.5)}, MonthlyUSD: 10}, // tied with the first: both stay
		{MonthlyUSD: 1}, // no P(meet both)
		{MeetBoth: report.Probability{P: p(0.9)}, MonthlyUSD: 25}, // as likely as the second, dearer
		{MeetBoth: report.Probability{P: p(0.4)}, MonthlyUSD: 10}, // as cheap as the first, less likely
		{MeetBoth: report.Probability{P: p(0.4)}, MonthlyUSD: 10}, // tied with the one before: both off
	}
	report.MarkPareto(pts)
	var got []bool
	for _, x := range pts {
		got = append(got, x.Pareto)
	}
	if want := []bool{true, true, false, true, false, false, false, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("front %v, want %v", got, want)
	}
}

// TestInputNamesAreSetPaths: every input's name, whatever the names it
// holds (]  =  quotes, a number), is a path --set accepts, and setting it
// sets that input (issue: outages["eu.west]1 = event"].start, as printed,
// failed in --set).
func TestInputNamesAreSetPaths(t *testing.T) {
	for _, file := range []string{"testdata/odd-names.toml", "testdata/payments.toml", "snowy"} {
		base, err := scenarios.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range inputs(base.Config) {
			o, err := scenarios.ParseOverride("--set #1", in.name+"=17m")
			if err != nil {
				t.Errorf("%s: %s: %v", file, in.name, err)
				continue
			}
			r, err := base.With(o)
			if err != nil {
				t.Errorf("%s: %s: %v", file, in.name, err)
				continue
			}
			want := clonePinnable(base.Config)
			in.pin(want, sim.ConstDist(17*sim.Minute))
			want.File = r.Config.File
			// A lag written in the file is no longer the default.
			for bi := range want.Buckets {
				for ri := range want.Buckets[bi].Replication {
					want.Buckets[bi].Replication[ri].LagDefault = r.Config.Buckets[bi].Replication[ri].LagDefault
				}
			}
			want.Tables = append([]model.Table(nil), want.Tables...)
			for ti := range want.Tables {
				want.Tables[ti].LagDefault = r.Config.Tables[ti].LagDefault
			}
			if !reflect.DeepEqual(r.Config, want) {
				t.Errorf("%s: --set %s=17m does not set that input", file, in.name)
			}
		}
	}
}

// TestSensitivityFewTrials: a run of few trials is warned about and its
// rank correlations are not computed from fewer than report.MinRankTrials
// incident trials (issue: --trials 1 printed Spearman ±1.00 and named a
// "100pp" driver with only the p99 warning).
func TestSensitivityFewTrials(t *testing.T) {
	s, err := Sensitivity(context.Background(), snowy(t).Config, report.MetricMeetBoth, 0.95, Options{Seed: 7, Trials: 5})
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(s.Warnings, "\n")
	for _, want := range []string{"only 5 trials a run: the 95% intervals are wide", "no rank correlation: it needs at least 10 incident trials, the run has 5"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	for _, rc := range s.Ranking {
		if rc.RTO != nil || rc.RPO != nil {
			t.Errorf("%s: rho %v %v from %d trials", rc.Name, rc.RTO, rc.RPO, rc.N)
		}
	}
	s, err = Sensitivity(context.Background(), snowy(t).Config, report.MetricMeetBoth, 0.95, Options{Seed: 7, Trials: 100})
	if err != nil || strings.Contains(strings.Join(s.Warnings, "\n"), "only ") || s.Ranking[0].RTO == nil {
		t.Errorf("100 trials: %v %q", err, s.Warnings)
	}
}

// TestToPrecisionInterrupted: an interrupted run to precision returns the
// state it reached (issue: a partial run, --partial-ok, lost its precision
// block).
func TestToPrecisionInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	o := Options{Seed: 7, Trials: 100, Precision: 0.001, MaxTrials: 1000000, Workers: 1}
	o.Progress = func(done, planned int) {
		if done >= 300 {
			cancel()
		}
	}
	runs, p, err := ToPrecision(ctx, []*model.Config{snowy(t).Config}, o)
	if err == nil || p == nil {
		t.Fatalf("err %v, precision %+v", err, p)
	}
	if !p.Interrupted || p.Reached || p.Trials != runs[0].Trials() || p.Trials < 300 || p.HalfWidth != round9(runs[0].HalfWidth()) || p.Target != 0.001 {
		t.Errorf("precision %+v, run of %d trials", p, runs[0].Trials())
	}
}

// TestSharedValue: a sweep warning names the parameter value its points
// share when they are exactly the points with that value (issue: "at 6
// points (a, b, c, d, e, f and 4 more)" could not be read apart).
func TestSharedValue(t *testing.T) {
	p := []Param{vary(t, 0, "failover.detect=1m,2m,3m"), vary(t, 1, "buckets.alerts.replication[0].rtc=true,false")}
	grid, err := Grid(snowy(t), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ps   []int
		want string
	}{
		{[]int{1, 3, 5}, "buckets.alerts.replication[0].rtc=false"},
		{[]int{2, 3}, "failover.detect=2m"},
		{[]int{1, 3}, ""},
		{[]int{0, 1, 2, 3}, ""},
	} {
		if got := sharedValue(grid, tt.ps); got != tt.want {
			t.Errorf("sharedValue(%v) = %q, want %q", tt.ps, got, tt.want)
		}
	}
}
