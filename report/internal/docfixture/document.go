package docfixture

import (
	"math"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/cost"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// Ptr returns a pointer to x.
func Ptr(x float64) *float64 { return &x }

// SyntheticGrid returns a quantile grid p = 0, 0.01, ..., 1 of a lognormal
// sample with the given median (seconds) and spread; the top unrecovered
// points are null (+Inf).
func SyntheticGrid(median, sigma float64, unrecoveredPct int) []report.QuantilePoint {
	q := make([]report.QuantilePoint, 101)
	for i := range q {
		p := float64(i) / 100
		q[i].P = p
		if i > 100-unrecoveredPct {
			continue
		}
		// A smooth monotone stand-in for the normal quantile.
		z := math.Log(math.Max(p, 0.005)/math.Max(1-p, 0.005)) / 1.7
		q[i].Seconds = Ptr(math.Round(median*math.Exp(sigma*z)*10) / 10)
	}
	return q
}

// SyntheticReport is a Report as Build would make it for a snowy-like
// scenario: a us-east-1 outage at 3h, failover to us-west-2 after 25 min.
func SyntheticReport() *report.Report {
	h, m, s := sim.Hour, sim.Minute, sim.Second
	t0 := 3 * h
	rto := 25*m + 30*s
	up := t0 + rto
	horizon := 12 * h
	seg := func(lane string, a, b sim.Time, label string) model.Segment {
		return model.Segment{Lane: lane, Start: a, End: b, Label: label}
	}
	segs := []model.Segment{
		seg("service", 0, t0, "up"),
		seg("service", t0, up, "down"),
		seg("service", up, horizon, "up"),
		seg("outage us-east-1", t0-10*s, 6*h+12*m, "kms,s3,dynamodb,app"),
		seg("key alerts us-east-1", 0, horizon, "Enabled"),
		seg("key alerts us-west-2", 0, t0+19*m, "Enabled"),
		seg("key alerts us-west-2", t0+19*m, t0+19*m+20*s, "Updating"),
		seg("key alerts us-west-2", t0+19*m+20*s, horizon, "Enabled"),
		seg("key tokens us-east-1", 0, 2*h+30*m, "Enabled"),
		seg("key tokens us-east-1", 2*h+30*m, horizon, "Disabled"),
		seg("step approve", t0+3*m, t0+12*m, "running"),
		seg("step promote-key", t0+12*m, t0+14*m, "running"),
		seg("step promote-key", t0+14*m, t0+19*m, "retrying"),
		seg("step shift-traffic", t0+19*m, up, "running"),
		seg("serving", 0, up, "us-east-1"),
		seg("serving", up, horizon, "us-west-2"),
		seg("partition us-east-1<->us-west-2", 4*h, 4*h+20*m, "cut"),
	}
	rate := func(t sim.Time, unavail, thr, dis, success float64) model.RatePoint {
		var rp model.RatePoint
		rp.T = t
		rp.FailuresByReason[kms.Unavailable] = unavail
		rp.FailuresByReason[kms.Throttling] = thr
		rp.FailuresByReason[kms.Disabled] = dis
		rp.Success = success
		return rp
	}
	rates := []model.RatePoint{
		rate(0, 0, 0, 0, 1),
		rate(2*h+30*m, 0, 0, 12, 0.995),
		rate(t0, 480, 0, 12, 0.01),
		rate(up, 0, 35, 0, 0.995),
		rate(up+20*m, 0, 0, 0, 1),
	}
	var backlog []model.BacklogPoint
	for t := t0 - 10*m; t <= t0+10*m; t += 30 * s {
		x := float64(t-(t0-10*m)) / float64(m)
		ddb := 70.0
		s3 := 140 + 4*x
		if t >= t0 {
			ddb = 70
			s3 = 180
		}
		backlog = append(backlog,
			model.BacklogPoint{T: t, Store: "alerts", Region: "us-west-2", Writes: s3},
			model.BacklogPoint{T: t, Store: "alert-state", Region: "us-west-2", Writes: ddb})
	}
	events := []model.Event{
		{T: 2*h + 30*m, Kind: "action", Subject: "action 1: disable-key tokens us-east-1", Region: "us-east-1", Outcome: "ok", Message: "disable-key tokens in us-east-1"},
		{T: t0 - 10*s, Kind: "outage-start", Subject: "us-east-1 regional outage", Region: "us-east-1", Message: "kms, s3, dynamodb, app down in us-east-1"},
		{T: t0, Kind: "service-down", Message: "success 1.0% < 99% <script>alert(1)</script>"},
		{T: t0 + 3*m, Kind: "runbook-start", Message: "runbook starts"},
		{T: t0 + 14*m, Kind: "step-op", Subject: "promote-key", Outcome: "retry", Error: "KMSUnavailable", Message: "update-primary-region alerts us-west-2 failed"},
		{T: t0 + 19*m, Kind: "step-done", Subject: "promote-key", Message: "update-primary-region alerts us-west-2 ok"},
		{T: up, Kind: "traffic-moved", Region: "us-west-2", Message: "traffic moved to us-west-2"},
		{T: up, Kind: "service-up", Message: "service up in us-west-2"},
	}
	r := &report.Report{
		Schema:         report.Schema,
		Scenario:       "snowy-synthetic",
		Description:    "Alerts service in us-east-1 with a warm standby in us-west-2 & friends",
		File:           "snowy.toml",
		Trials:         1000,
		Seed:           7,
		HorizonSeconds: 12 * 3600,
		Objectives:     report.Objectives{RTOSeconds: Ptr(900), RPOSeconds: Ptr(60), Success: 0.99},
		Warnings:       []string{"p99 from 1000 trials is approximate", "3 trials did not recover <b>within</b> the horizon"},
		Distributions: report.Distributions{
			IncidentTrials: 1000,
			Unrecovered:    3,
			RTO:            SyntheticGrid(1100, 0.5, 1),
			RPO:            SyntheticGrid(25, 0.8, 0),
		},
		Representative: &report.Representative{
			Trial:             412,
			Incident:          true,
			Recovered:         true,
			T0Seconds:         Ptr(seconds(t0)),
			RTOSeconds:        Ptr(seconds(rto)),
			RPOSeconds:        Ptr(31.5),
			LostWrites:        new(int64),
			FailoverAtSeconds: Ptr(seconds(up)),
			Reasons:           kms.ReasonNames[:],
			Segments:          segs,
			Rates:             rates,
			Backlog:           backlog,
			Events:            events,
		},
	}
	*r.Representative.LostWrites = 212
	r.ObjectivesMet = report.ObjectivesMet{
		RTO:  report.Probability{P: Ptr(0.312), CI95: &[2]float64{0.284, 0.342}, Met: 312, N: 1000},
		RPO:  report.Probability{P: Ptr(0.874), CI95: &[2]float64{0.852, 0.893}, Met: 874, N: 1000},
		Both: report.Probability{P: Ptr(0.301), CI95: &[2]float64{0.273, 0.331}, Met: 301, N: 1000},
	}
	r.Metrics.IncidentTrials = 1000
	r.Metrics.RTOSeconds = report.RTOSummary{Summary: report.Summary{Mean: Ptr(1234.5), P50: Ptr(1100), P90: Ptr(2100), P95: Ptr(2500), P99: nil, Max: nil, N: 1000}, Unrecovered: 3}
	r.Metrics.RPOSeconds = report.RPOSummary{Summary: report.Summary{Mean: Ptr(30), P50: Ptr(25), P90: Ptr(55), P95: Ptr(70), P99: Ptr(120), Max: Ptr(300), N: 997}}
	r.Metrics.LostWrites = report.LostSummary{
		Summary: report.Summary{Mean: Ptr(180), P50: Ptr(170), P90: Ptr(260), P95: Ptr(300), P99: Ptr(420), Max: Ptr(610), N: 997},
		ByStore: map[string]report.Summary{
			"alerts":      {Mean: Ptr(120), P50: Ptr(110), P95: Ptr(200), N: 997},
			"alert-state": {Mean: Ptr(60), P50: Ptr(60), P95: Ptr(100), N: 997},
		},
	}
	r.Metrics.KMSFailures = report.Failures{
		TotalMean: 830000,
		ByReason:  map[string]float64{"KMSUnavailable": 720000, "ThrottlingException": 42000, "DisabledException": 68000},
		ByRegion:  map[string]float64{"us-east-1": 788000, "us-west-2": 42000},
	}
	r.Metrics.Availability = report.Summary{Mean: Ptr(0.9641), P50: Ptr(0.965), N: 1000}
	r.Cost = cost.Cost{MonthlyUSD: cost.Monthly{Total: 2043.17, Items: []cost.Item{
		{Name: "kms_key_month: KMS key copies", ID: "kms_key_month", USD: 4, Detail: "4 copies × $1.00"},
		{Name: "s3_transfer_gb: S3 replication transfer", ID: "s3_transfer_gb", USD: 239.17},
		{Name: "costs.monthly: standby-compute", ID: "costs.monthly", USD: 1800},
	}}}
	r.Operations = []report.OpSummary{
		{Name: "action 1: disable-key tokens us-east-1", Kind: "action", Op: "disable-key", TrialsStarted: 1000, TrialsDone: 1000, AttemptsMean: 1, Summary: "done in every trial"},
		{Name: "promote-key", Kind: "step", Op: "update-primary-region", Required: true, TrialsStarted: 1000, TrialsDone: 990, TrialsFailed: 10, AttemptsMean: 3.2,
			Errors: map[string]int{"KMSUnavailable": 2200}, Summary: "retried while us-east-1 KMS was down"},
	}
	return r
}

// SyntheticComparison compares the four DR strategies, plus a dominated
// variant and one whose RTO p95 is unrecovered.
func SyntheticComparison() *report.Comparison {
	sc := func(name string, cost, median, sigma float64, unrecPct int, metRTO float64) report.CompareScenario {
		grid := SyntheticGrid(median, sigma, unrecPct)
		s := report.CompareScenario{
			Scenario:        name,
			Trials:          1000,
			Seed:            1,
			IncidentTrials:  1000,
			Objectives:      report.Objectives{RTOSeconds: Ptr(900), RPOSeconds: Ptr(60), Success: 0.99},
			MonthlyUSD:      cost,
			RTODistribution: grid,
		}
		s.RTOSeconds.Unrecovered = unrecPct * 10
		s.RTOSeconds.P95 = grid[95].Seconds
		s.RTOSeconds.P50 = grid[50].Seconds
		s.ObjectivesMet.RTO = report.Probability{P: Ptr(metRTO), Met: int(metRTO * 1000), N: 1000}
		return s
	}
	return &report.Comparison{
		Schema:   report.CompareSchema,
		Baseline: "backup-restore",
		Scenarios: []report.CompareScenario{
			sc("backup-restore", 310.5, 3*3600, 0.4, 0, 0),
			sc("pilot-light", 820, 1500, 0.5, 0, 0.2),
			sc("warm-standby", 2043.17, 500, 0.4, 0, 0.91),
			sc("active-active", 4800, 60, 0.6, 0, 1),
			sc("warm-standby-slow", 2500, 2400, 0.5, 0, 0.05),
			sc("broken-keys", 900, 2000, 0.5, 10, 0.01),
		},
		Warnings: []string{},
	}
}

// seconds converts simulation time to seconds.
func seconds(t sim.Time) float64 { return float64(t) / float64(sim.Second) }

// SnowyReport builds the report of 200 synthetic snowy trials with trial 1
// as the representative, and returns it with its config and results.
func SnowyReport() (*model.Config, []model.TrialResult, *report.Report) {
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 200, 7)
	return cfg, res, report.Build(cfg, 7, res, fixture.Detail(&res[1]), 1)
}

// SnowyComparison compares fixture.CompareRuns.
func SnowyComparison() *report.Comparison {
	cfgs, results := fixture.CompareRuns()
	in := make([]report.CompareInput, len(cfgs))
	for i := range cfgs {
		in[i] = report.CompareInput{Cfg: cfgs[i], Results: results[i]}
	}
	return report.Compare(in)
}

// EightScenarios compares eight snowy-shaped scenarios named and shaped
// like the four DR strategies, snowy and three failure cases: RTOs from a
// minute to four hours, four different RTO objectives (two of them close),
// KMS failures in the millions, lost writes in the hundreds of thousands,
// long names, and two scenarios with the same RTO p95 and cost. It is the
// widest comparison a page must fit.
func EightScenarios() *report.Comparison {
	type variant struct {
		name       string
		rto        float64 // RTO scale
		objective  sim.Time
		kms, lost  float64 // scales of the KMS failures and lost writes
		standbyUSD float64
	}
	vs := []variant{
		{"backup-and-restore", 9, sim.Hour, 0, 1100, 300},
		{"pilot-light", 2, sim.Hour, 0, 1, 1700},
		{"warm-standby", 0.6, sim.Hour, 0, 1, 2800},
		{"active-active", 0.07, sim.Hour, 0, 0.5, 7100},
		{"snowy-alerting", 1, 30 * sim.Minute, 1, 1, 900},
		{"case-single-region-client-key", 12, 45 * sim.Minute, 15, 0.3, 100},
		{"case-promote-required", 12, 45 * sim.Minute, 0, 0, 100},
		{"case-failover-over-quota", 12.2, 30 * sim.Minute, 60, 0, 16000},
	}
	in := make([]report.CompareInput, len(vs))
	for i, v := range vs {
		cfg := fixture.SnowyConfig()
		cfg.Name = v.name
		cfg.Objectives.RTO = v.objective
		cfg.Costs[1].USD = v.standbyUSD
		res := fixture.Synthetic(cfg, 300, 7)
		for k := range res {
			t := &res[k]
			if t.Incident && t.Recovered {
				t.RTO = min(sim.Time(float64(t.RTO)*v.rto), cfg.Horizon-t.T0)
			}
			for j := range t.KMSFailures {
				t.KMSFailures[j] *= v.kms
			}
			t.LostTotal = 0
			for j := range t.LostWrites {
				t.LostWrites[j] = int64(float64(t.LostWrites[j]) * v.lost)
				t.LostTotal += t.LostWrites[j]
			}
		}
		in[i] = report.CompareInput{Cfg: cfg, Results: res}
	}
	return report.Compare(in)
}
