package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

func TestBuildHandMade(t *testing.T) {
	m := sim.Minute
	cfg := fixture.SnowyConfig()
	trials := []model.TrialResult{
		fixture.Trial(0, false, false, 0, 0, 0),
		fixture.Trial(1, true, true, 10*m, 1*m, 3),
		fixture.Trial(2, true, true, 20*m, 10*m, 4),
		fixture.Trial(3, true, true, 40*m, 0, 0),
		fixture.Trial(4, true, false, 0, 0, 0),
	}
	trials[1].KMSFailures[6*2+0] = 10 // KMSUnavailable in us-east-1
	trials[2].KMSFailures[3*2+1] = 5  // DisabledException in us-west-2
	trials[4].Offered = 0
	r := Build(cfg, 7, trials, nil, -1)
	if r.Schema != Schema || r.Scenario != "snowy-alerting" || r.Trials != 5 || r.Seed != 7 || r.HorizonSeconds != 86400 {
		t.Errorf("header: %+v", r)
	}
	if *r.Objectives.RTOSeconds != 1800 || *r.Objectives.RPOSeconds != 300 {
		t.Errorf("objectives: %+v", r.Objectives)
	}
	mt := r.Metrics
	if mt.IncidentTrials != 4 || mt.RTOSeconds.Unrecovered != 1 || mt.RTOSeconds.N != 4 {
		t.Errorf("incident %d, unrecovered %d, n %d", mt.IncidentTrials, mt.RTOSeconds.Unrecovered, mt.RTOSeconds.N)
	}
	// RTO over 600, 1200, 2400, +Inf.
	if !eqP(mt.RTOSeconds.Mean, 1400) || !eqP(mt.RTOSeconds.P50, 1200) || mt.RTOSeconds.P90 != nil || mt.RTOSeconds.Max != nil {
		t.Errorf("rto: mean %s p50 %s p90 %s max %s", fp(mt.RTOSeconds.Mean), fp(mt.RTOSeconds.P50), fp(mt.RTOSeconds.P90), fp(mt.RTOSeconds.Max))
	}
	// RPO and lost writes over the 3 recovered incident trials.
	if mt.RPOSeconds.N != 3 || !eqP(mt.RPOSeconds.Max, 600) || !eqP(mt.RPOSeconds.Mean, 220) {
		t.Errorf("rpo: %+v", mt.RPOSeconds)
	}
	if mt.LostWrites.N != 3 || !eqP(mt.LostWrites.Mean, 7.0/3) || !eqP(mt.LostWrites.Max, 4) {
		t.Errorf("lost: %+v", mt.LostWrites.Summary)
	}
	if s, ok := mt.LostWrites.ByStore["alerts"]; !ok || !eqP(s.Max, 4) {
		t.Errorf("lost by store: %+v", mt.LostWrites.ByStore)
	}
	if s := mt.LostWrites.ByStore["alert-state"]; !eqP(s.Max, 0) {
		t.Errorf("lost alert-state: %+v", s)
	}
	f := mt.KMSFailures
	if f.ByReason["KMSUnavailable"] != 2 || f.ByReason["DisabledException"] != 1 || f.ByReason["AccessDeniedException"] != 0 || len(f.ByReason) != 6 {
		t.Errorf("by reason: %v", f.ByReason)
	}
	if f.ByRegion["us-east-1"] != 2 || f.ByRegion["us-west-2"] != 1 || f.TotalMean != 3 {
		t.Errorf("by region: %v total %v", f.ByRegion, f.TotalMean)
	}
	if f.ByReasonRegion["KMSUnavailable"]["us-east-1"] != 2 || len(f.ByReasonRegion) != 2 {
		t.Errorf("by reason and region: %v", f.ByReasonRegion)
	}
	if mt.RequestSuccess.N != 4 {
		t.Errorf("request success over trials with offered requests: n = %d, want 4", mt.RequestSuccess.N)
	}
	if o := r.ObjectivesMet; o.RTO.Met != 3 || o.RPO.Met != 3 || o.Both.Met != 2 {
		t.Errorf("objectives met: rto %d rpo %d both %d, want 3 3 2", o.RTO.Met, o.RPO.Met, o.Both.Met)
	}
	if d := r.Distributions; len(d.RTO) != 101 || d.RTO[0].Seconds == nil || *d.RTO[0].Seconds != 600 || d.RTO[100].Seconds != nil || len(d.RPO) != 101 {
		t.Errorf("distributions: %+v", d)
	}
	wantWarn := []string{"p99 from 4 incident trials is not reliable", "1 trial did not recover"}
	all := strings.Join(r.Warnings, "\n")
	for _, w := range wantWarn {
		if !strings.Contains(all, w) {
			t.Errorf("warnings %q lack %q", r.Warnings, w)
		}
	}
	if r.Representative != nil {
		t.Error("representative without detail")
	}
}

func TestBuildEmpty(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Failover = nil
	r := Build(cfg, 1, nil, nil, -1)
	if r.Trials != 0 || r.Metrics.RTOSeconds.N != 0 || r.ObjectivesMet.Both.P != nil || len(r.Operations) != 0 {
		t.Errorf("empty run: %+v", r)
	}
	if len(r.Warnings) == 0 || r.Warnings[0] != "no trials were run" {
		t.Errorf("warnings: %q", r.Warnings)
	}
	var buf bytes.Buffer
	for name, w := range map[string]func() error{
		"json": func() error { return WriteJSON(&buf, r) },
		"csv":  func() error { return WriteCSV(&buf, cfg, nil) },
	} {
		if err := w(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// No incident at all.
	res := []model.TrialResult{fixture.Trial(0, false, false, 0, 0, 0), fixture.Trial(1, false, false, 0, 0, 0)}
	r = Build(cfg, 1, res, nil, -1)
	if !strings.HasPrefix(r.Warnings[0], "no incident in any trial") || *r.ObjectivesMet.Both.P != 1 {
		t.Errorf("incident-free run: warnings %q, p %v", r.Warnings, r.ObjectivesMet.Both.P)
	}
}

// TestBuildBadInput checks that inconsistent results do not panic.
func TestBuildBadInput(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := []model.TrialResult{
		{Trial: 0, Incident: true, Recovered: true, RTO: sim.Minute},                          // short slices
		{Trial: 1, Incident: true, Recovered: true, RTO: -sim.Minute, LostTotal: -4},          // negative values
		{Trial: 1, Incident: true, Ops: make([]model.OpResult, 9), KMSFailures: []float64{1}}, // duplicate index, long ops
	}
	res[0].Unavailable = math.NaN()
	res[1].Offered, res[1].Succeeded = math.Inf(1), 3
	r := Build(cfg, 1, res, &model.Detail{}, 1)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if r.Warnings[0] != "2 non-finite values in the trial results were counted as 0" {
		t.Errorf("warnings: %q", r.Warnings)
	}
	if r := Build(nil, 1, res, nil, -1); len(r.Warnings) == 0 || !strings.HasPrefix(r.Warnings[0], "no scenario configuration") {
		t.Errorf("nil config: %q", r.Warnings)
	}
	if c := Compare([]CompareInput{{Results: res}, {Cfg: cfg, Results: res}}); len(c.Scenarios) != 1 || !strings.Contains(c.Warnings[0], "scenario 1 has no configuration") {
		t.Errorf("compare without config: %+v", c)
	}
	if err := WriteCSV(&buf, cfg, res); err != nil {
		t.Fatal(err)
	}
	if r.Representative == nil || r.Representative.Trial != 1 || r.Representative.Segments == nil {
		t.Errorf("representative: %+v", r.Representative)
	}
}

func TestBuildDeterministic(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 500, 3)
	var a, b bytes.Buffer
	if err := WriteJSON(&a, Build(cfg, 7, res, fixture.Detail(&res[1]), 1)); err != nil {
		t.Fatal(err)
	}
	// Build must not modify its input: build again from the same slice.
	if err := WriteJSON(&b, Build(cfg, 7, res, fixture.Detail(&res[1]), 1)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two builds differ")
	}
	var doc map[string]any
	if err := json.Unmarshal(a.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// The report contract (docs/report.md).
	for _, path := range [][]string{
		{"schema"}, {"scenario"}, {"trials"}, {"seed"}, {"objectives"},
		{"metrics", "rto_seconds", "mean"}, {"metrics", "rto_seconds", "p50"}, {"metrics", "rto_seconds", "p90"},
		{"metrics", "rto_seconds", "p95"}, {"metrics", "rto_seconds", "p99"}, {"metrics", "rto_seconds", "max"},
		{"metrics", "rto_seconds", "n"}, {"metrics", "rto_seconds", "unrecovered"},
		{"metrics", "rpo_seconds", "p99"}, {"metrics", "lost_writes", "max"}, {"metrics", "lost_writes", "n"},
		{"metrics", "decrypt_failures", "by_reason", "KMSUnavailable"}, {"metrics", "decrypt_failures", "by_region", "us-east-1"},
		{"objectives_met", "rto", "p"}, {"objectives_met", "rpo", "ci95"}, {"objectives_met", "both", "ci95"},
		{"cost", "monthly_usd", "total"}, {"cost", "monthly_usd", "items"},
	} {
		var v any = doc
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			if v, ok = m[k]; !ok {
				t.Errorf("contract field %s missing", strings.Join(path, "."))
				break
			}
		}
	}
	items := doc["cost"].(map[string]any)["monthly_usd"].(map[string]any)["items"].([]any)
	if it := items[0].(map[string]any); it["name"] == nil || it["usd"] == nil {
		t.Errorf("cost item lacks name/usd: %v", it)
	}
	if ci := doc["objectives_met"].(map[string]any)["both"].(map[string]any)["ci95"].([]any); len(ci) != 2 {
		t.Errorf("ci95 = %v", ci)
	}
}

func TestOperations(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Actions = []model.Action{{At: sim.ConstDist(sim.Hour), Op: model.Op{Kind: model.OpDisableKey, Key: 0, Region: 1}}}
	res := []model.TrialResult{
		{Trial: 0, Ops: []model.OpResult{{Started: true, Attempts: 1, Done: true, At: sim.Hour}, {}, {}, {}, {}}},
		{Trial: 1, Incident: true, Recovered: true, T0: sim.Hour, RTO: 2 * sim.Hour, Ops: []model.OpResult{
			{Started: true, Attempts: 1, Errors: []model.ErrCount{{Err: "KMSUnavailable", N: 1}}, At: sim.Hour, Err: "kms: DisableKey alerts in us-west-2: KMSUnavailable: KMS is unavailable in us-west-2", Code: "KMSUnavailable"},
			{Started: true, Done: true, At: sim.Hour + 10*sim.Minute},
			{Started: true, Done: true, At: sim.Hour + 15*sim.Minute},
			{Started: true, Attempts: 6, Errors: []model.ErrCount{{Err: "KMSUnavailable", N: 5}}, Done: true, At: 8*sim.Hour + sim.Minute},
			{Started: true, Done: true, At: sim.Hour + 17*sim.Minute},
		}},
	}
	r := Build(cfg, 1, res, &model.Detail{}, 1)
	ops := r.Operations
	if len(ops) != 5 {
		t.Fatalf("%d ops, want 5", len(ops))
	}
	if ops[0].Name != "actions[0]: disable-key alerts us-west-2" || ops[0].Kind != "action" || ops[0].TrialsStarted != 2 || ops[0].TrialsFailed != 1 {
		t.Errorf("action: %+v", ops[0])
	}
	if ops[0].LastErrors["KMSUnavailable"] != 1 {
		t.Errorf("action last errors: %v", ops[0].LastErrors)
	}
	p := ops[3]
	if p.Name != "promote-key" || p.Op != "update-primary-region" || p.Required || p.Errors["KMSUnavailable"] != 5 || p.AttemptsMean != 6 {
		t.Errorf("promote-key: %+v", p)
	}
	if want := "5 attempts failed with KMSUnavailable, succeeded at 8h01m (T0+7h01m)"; p.Representative != want {
		t.Errorf("representative text %q, want %q", p.Representative, want)
	}
	if !strings.HasPrefix(p.Summary, "promote-key: in the representative trial, 5 attempts failed") || !strings.Contains(p.Summary, "; over all trials, done in 1 of 1 started") {
		t.Errorf("summary %q", p.Summary)
	}
	if !eqP(p.DoneAfterT0P50Seconds, 7*3600+60) {
		t.Errorf("done after T0: %s", fp(p.DoneAfterT0P50Seconds))
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "actions[0]: disable-key alerts us-west-2 failed in 1 of 2 started trials") {
		t.Errorf("warnings: %q", r.Warnings)
	}
}

func BenchmarkBuild10k(b *testing.B) {
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 10000, 1)
	b.ReportAllocs()
	for b.Loop() {
		Build(cfg, 7, res, nil, -1)
	}
}

// TestRequiredStepWarning: a required step warns only when it was refused,
// not when it was still retrying a transient error when the runbook ended.
func TestRequiredStepWarning(t *testing.T) {
	for _, tc := range []struct {
		name    string
		refused bool
		code    string
		want    bool
	}{
		{"refused", true, "DisabledException", true},
		{"still retrying", false, "KMSUnavailable", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fixture.SnowyConfig()
			cfg.Failover.Steps[0].Op = model.Op{Kind: model.OpUpdatePrimaryRegion, Key: 0, Region: 1}
			ops := make([]model.OpResult, len(cfg.Failover.Steps))
			ops[0] = model.OpResult{Started: true, Attempts: 3, Errors: []model.ErrCount{{Err: tc.code, N: 3}},
				At: 2 * sim.Hour, Err: "kms: " + tc.code, Code: tc.code, Refused: tc.refused}
			res := []model.TrialResult{{Trial: 0, Incident: true, T0: sim.Hour, Ops: ops}}
			r := Build(cfg, 1, res, nil, -1)
			got := false
			for _, w := range r.Warnings {
				if strings.Contains(w, "required step") && strings.Contains(w, tc.code) {
					got = true
				}
			}
			if got != tc.want {
				t.Errorf("warning about the required step: %v, want %v (warnings %q)", got, tc.want, r.Warnings)
			}
			if op := r.Operations[0]; op.LastErrors[tc.code] != 1 || (op.TrialsRefused == 1) != tc.refused {
				t.Errorf("op summary %+v", op)
			}
		})
	}
}

// TestOperationOutcomes: failed, abandoned and not started are counted
// apart (issue: "page-and-approve … failed 6" for steps overtaken by the
// recovery), from OpResult.Outcome, or from Done for results without one.
func TestOperationOutcomes(t *testing.T) {
	cfg := fixture.SnowyConfig()
	step := func(o model.OpResult) model.TrialResult {
		ops := make([]model.OpResult, len(cfg.Failover.Steps))
		ops[0] = o
		return model.TrialResult{Trial: 0, Incident: true, Recovered: true, T0: sim.Hour, RTO: sim.Hour, Ops: ops}
	}
	res := []model.TrialResult{
		step(model.OpResult{Started: true, Done: true, At: 2 * sim.Hour, Outcome: model.OpDone}),
		step(model.OpResult{Started: true, Outcome: model.OpAbandoned}),
		step(model.OpResult{Started: true, Outcome: model.OpAbandoned}),
		step(model.OpResult{Started: true, Refused: true, Code: "DisabledException", Outcome: model.OpFailed}),
		step(model.OpResult{Started: true}),             // no outcome: failed
		step(model.OpResult{Started: true, Done: true}), // no outcome: done
		step(model.OpResult{}),
	}
	for i := range res {
		res[i].Trial = i
	}
	r := Build(cfg, 1, res, nil, -1)
	op := r.Operations[0]
	if op.TrialsStarted != 6 || op.TrialsDone != 2 || op.TrialsFailed != 2 || op.TrialsAbandoned != 2 || op.TrialsNotStarted != 1 {
		t.Errorf("started %d done %d failed %d abandoned %d not started %d, want 6 2 2 2 1",
			op.TrialsStarted, op.TrialsDone, op.TrialsFailed, op.TrialsAbandoned, op.TrialsNotStarted)
	}
	if !strings.Contains(op.Summary, "done in 2 of 6 started, failed in 2, abandoned in 2") {
		t.Errorf("summary %q", op.Summary)
	}
	r = Build(cfg, 1, res, &model.Detail{}, 1)
	if want := "abandoned when the service came back before the failover"; r.Operations[0].Representative != want {
		t.Errorf("representative %q, want %q", r.Operations[0].Representative, want)
	}
}

// TestIncidentAvailability: the request success over the incident window
// is over incident trials, beside the horizon-bound availability, and the
// requests failed other than by KMS come with a rate and a share.
func TestIncidentAvailability(t *testing.T) {
	cfg := fixture.SnowyConfig()
	m := sim.Minute
	res := []model.TrialResult{
		fixture.Trial(0, false, false, 0, 0, 0),
		fixture.Trial(1, true, true, 10*m, m, 3),
		fixture.Trial(2, true, true, 20*m, m, 3),
	}
	res[1].IncidentOffered, res[1].IncidentSucceeded = 600, 150
	res[2].IncidentOffered, res[2].IncidentSucceeded = 1200, 0
	res[1].Unavailable, res[2].Unavailable = 30, 60 // of 100 offered each
	r := Build(cfg, 1, res, nil, -1)
	mt := r.Metrics
	if s := mt.IncidentRequestSuccess; s.N != 2 || !eqP(s.Mean, 0.125) || !eqP(s.Min, 0) || !eqP(s.Max, 0.25) {
		t.Errorf("incident request success: %+v", s)
	}
	if !eqP(mt.UnavailableShare, 0.3) || mt.Unavailable != 30 || !approxEq(mt.UnavailablePerSecond, 30.0/86400, 1e-8) || mt.OfferedMean != 100 {
		t.Errorf("unavailable: share %s, mean %v, per second %v, offered %v", fp(mt.UnavailableShare), mt.Unavailable, mt.UnavailablePerSecond, mt.OfferedMean)
	}
}

// TestRepresentativeReasons: the reason names start with "OK" (the slot of
// succeeded calls), not an empty string, and stay aligned with
// FailuresByReason.
func TestRepresentativeReasons(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 10, 1)
	r := Build(cfg, 1, res, fixture.Detail(&res[1]), 1)
	rs := r.Representative.Reasons
	if len(rs) != int(kms.NumReasons) || rs[0] != "OK" || rs[kms.Unavailable] != "KMSUnavailable" {
		t.Errorf("reasons %q", rs)
	}
	for i, n := range rs {
		if n == "" {
			t.Errorf("reason %d has no name", i)
		}
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte(`"reasons": [
      "",`)) {
		t.Error("reasons start with an empty string in the JSON")
	}
}

// TestJSONNoHTMLEscapes: <, > and & are written as they are.
func TestJSONNoHTMLEscapes(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Description = "a <-> b & c"
	var b bytes.Buffer
	if err := WriteJSON(&b, Build(cfg, 1, nil, nil, -1)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte(`"description": "a <-> b & c"`)) || bytes.Contains(b.Bytes(), []byte(`\u003c`)) {
		t.Errorf("JSON escapes HTML characters:\n%.300s", b.String())
	}
}

// TestPrecisionText: the precision line says how the final count splits
// into batches, also when --max-trials cut the last one short, shows a
// tiny target with its digits, and says when the run was interrupted
// (issue: "500 trials (1 batch of 1,000...)", "1,000 trials (4 batches of
// 300...)", "±0.00pp NOT reached" for --precision 1e-9).
func TestPrecisionText(t *testing.T) {
	for _, tt := range []struct {
		p    Precision
		want string
	}{
		{Precision{Target: 0.01, HalfWidth: 0.0098, Batch: 1000, Trials: 7000, MaxTrials: 1000000, Reached: true},
			"precision ±1.00pp reached after 7,000 trials (7 batches of 1,000; half-width of P(meet both)'s 95% CI 0.98pp)"},
		{Precision{Target: 0.01, HalfWidth: 0.0425, Batch: 1000, Trials: 500, MaxTrials: 500},
			"precision ±1.00pp NOT reached: stopped at --max-trials, 500 trials (less than one batch of 1,000; half-width of P(meet both)'s 95% CI 4.25pp)"},
		{Precision{Target: 0.01, HalfWidth: 0.0255, Batch: 300, Trials: 1000, MaxTrials: 1000},
			"precision ±1.00pp NOT reached: stopped at --max-trials, 1,000 trials (4 batches: 3 of 300 and one of 100; half-width of P(meet both)'s 95% CI 2.55pp)"},
		{Precision{Target: 1e-9, HalfWidth: 0.0301, Batch: 1000, Trials: 1000, MaxTrials: 1000},
			"precision ±0.000000100pp NOT reached: stopped at --max-trials, 1,000 trials (1 batch of 1,000; half-width of P(meet both)'s 95% CI 3.01pp)"},
		{Precision{Target: 0.001, HalfWidth: 0.0122, Batch: 1000, Trials: 3000, MaxTrials: 1000000, Interrupted: true},
			"precision ±0.10pp NOT reached: interrupted after 3,000 trials (3 batches of 1,000; half-width of P(meet both)'s 95% CI 1.22pp)"},
		{Precision{Target: 0.00004, HalfWidth: 0.00003, Batch: 1000, Trials: 9000, MaxTrials: 1000000, Reached: true},
			"precision ±0.00400pp reached after 9,000 trials (9 batches of 1,000; half-width of P(meet both)'s 95% CI 0.00300pp)"},
	} {
		if got := tt.p.Text(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

// TestFormatCIDecimals: both bounds of a mean's interval have the same
// decimals (issue: lost writes "[316, 318.2]").
func TestFormatCIDecimals(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	for _, tt := range []struct {
		lo, hi float64
		want   string
	}{{316, 318.2, "[316.0, 318.2]"}, {316.04, 318.25, "[316.0, 318.2]"}, {0.5, 1.25, "[0.50, 1.25]"}, {1234, 5678.9, "[1,234, 5,679]"}, {3, 4, "[3, 4]"}} {
		if got := MetricLostMean.FormatCI(Interval{p(tt.lo), p(tt.hi)}); got != tt.want {
			t.Errorf("FormatCI(%v, %v) = %s, want %s", tt.lo, tt.hi, got, tt.want)
		}
	}
}
