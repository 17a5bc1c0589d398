package docfixture

import (
	"github.com/drsim/drsim/report"
)

// est is an estimate with its interval.
func est(v, lo, hi float64) report.Estimate {
	return report.Estimate{Value: Ptr(v), CI95: report.Interval{Ptr(lo), Ptr(hi)}}
}

// SyntheticSensitivity is a sensitivity document shaped like snowy's
// with the metric m: a dominant row, two smaller ones, a heavy-tailed lag
// whose two ends lie on one side of the baseline, a row that does not
// move and one whose high end is infinite (an RTO percentile on an
// unrecovered trial).
func SyntheticSensitivity(m report.Metric) *report.Sensitivity {
	s := &report.Sensitivity{
		Schema: report.SensitivitySchema, Scenario: "snowy-alerting", File: "snowy", Trials: 1000, Seed: 7,
		Objectives: report.Objectives{RTOSeconds: Ptr(1800), RPOSeconds: Ptr(300), Success: 0.99},
		Metric:     m, MinProbability: 0.95, IncidentTrials: 1000,
		Constant: []report.ConstantInput{{Name: "failover.steps[dns].duration", Value: "1m30s"}},
		Warnings: []string{},
	}
	row := func(name, what, dist, draws string, p10, p90 float64, lo, hi report.Estimate, swing *float64) report.SensitivityInput {
		return report.SensitivityInput{Name: name, What: what, Dist: dist, Draws: draws, P10Seconds: p10, P90Seconds: p90, Low: lo, High: hi, Swing: swing}
	}
	if m == report.MetricRTOP95 {
		s.Baseline = est(1588, 1561, 1611)
		s.Inputs = []report.SensitivityInput{
			row("outages[us-east-1 regional outage].duration", "duration of outage us-east-1 regional outage", "profile(aws-regional)", "once", 9420, 53160,
				est(1200, 1180, 1230), report.Estimate{CI95: report.Interval{Ptr(2400), nil}}, nil),
			row("failover.steps[approve].duration", "duration of step approve", "uniform(5m, 15m)", "once", 360, 840, est(1186, 1178, 1201), est(1666, 1658, 1681), Ptr(480)),
			row("failover.detect", "detection time", "normal(mean=4m, sd=1m)", "once", 163, 317, est(1502, 1479, 1512), est(1655, 1633, 1665), Ptr(153)),
			row("tables.alert-state.lag", "DynamoDB replication lag of alert-state", "lognormal(median=700ms, p99=2.5s)", "many", 0.35, 1.4, est(1588, 1561, 1611), est(1588, 1561, 1611), Ptr(0)),
		}
	} else {
		s.Baseline = est(0.388, 0.358, 0.419)
		s.Inputs = []report.SensitivityInput{
			row("buckets.alerts.replication[0].lag", "S3 replication lag of alerts", "lognormal(median=6s, p99=1m30s)", "many", 1.3, 27, est(1, 0.996, 1), est(0.97, 0.958, 0.979), Ptr(0.612)),
			row("failover.steps[approve].duration", "duration of step approve", "uniform(5m, 15m)", "once", 360, 840, est(0.61, 0.58, 0.64), est(0.22, 0.195, 0.247), Ptr(0.39)),
			row("failover.detect", "detection time", "normal(mean=4m, sd=1m)", "once", 163, 317, est(0.41, 0.38, 0.44), est(0.35, 0.321, 0.38), Ptr(0.06)),
			row("outages[us-east-1 regional outage].start", "start of outage us-east-1 regional outage", "uniform(1h, 20h)", "once", 10440, 65160, est(0.388, 0.358, 0.419), est(0.388, 0.358, 0.419), Ptr(0)),
		}
		s.Inputs[0].Default = true
	}
	s.Ranking = []report.RankCorrelation{
		{Name: "failover.steps[approve].duration", What: "duration of step approve", RTO: Ptr(0.87), RPO: Ptr(0.01), N: 1000},
		{Name: "failover.detect", What: "detection time", RTO: Ptr(0.29), RPO: Ptr(-0.02), N: 1000},
		{Name: "outages[us-east-1 regional outage].start", What: "start of outage us-east-1 regional outage", RTO: Ptr(0.01), N: 1000},
	}
	return s
}

// SyntheticSweep is a 3 × 2 sweep of snowy: detect and RTC, P(meet both)
// falling with detect and collapsing without RTC, which is cheaper.
func SyntheticSweep(m report.Metric) *report.Sweep {
	s := &report.Sweep{
		Schema: report.SweepSchema, Scenario: "snowy-alerting", File: "snowy", Trials: 1000, Seed: 7,
		Overrides:  []report.Override{{Path: "objectives.rpo", Value: "10m"}},
		Objectives: report.Objectives{RTOSeconds: Ptr(1800), RPOSeconds: Ptr(600), Success: 0.99},
		Metric:     m, MinProbability: 0.95,
		Parameters: []report.SweepParameter{
			{Path: "failover.detect", Values: []string{"1m", "4m", "10m"}},
			{Path: "buckets.alerts.replication[0].rtc", Values: []string{"true", "false"}},
		},
		Warnings: []string{},
	}
	type pt struct {
		p, lo, hi, rto95, rpo95, cost float64
	}
	pts := []pt{
		{0.972, 0.961, 0.980, 1400, 280, 6613.68}, {0.31, 0.282, 0.339, 1400, 9000, 6421.2},
		{0.955, 0.941, 0.966, 1580, 280, 6613.68}, {0.30, 0.272, 0.329, 1580, 9000, 6421.2},
		{0.60, 0.569, 0.630, 1940, 280, 6613.68}, {0.18, 0.157, 0.205, 1940, 9000, 6421.2},
	}
	for i, p := range pts {
		sp := report.SweepPoint{
			Values:         []string{s.Parameters[0].Values[i/2], s.Parameters[1].Values[i%2]},
			IncidentTrials: 1000,
			MeetBoth:       report.Probability{P: Ptr(p.p), CI95: &[2]float64{p.lo, p.hi}, Met: int(p.p * 1000), N: 1000},
			RTOP50Seconds:  Ptr(p.rto95 - 300), RTOP95Seconds: Ptr(p.rto95), RPOP50Seconds: Ptr(p.rpo95 / 3), RPOP95Seconds: Ptr(p.rpo95),
			LostWritesMean: Ptr(317), MonthlyUSD: p.cost,
		}
		switch m {
		case report.MetricRTOP95:
			sp.Metric = est(p.rto95, p.rto95-25, p.rto95+25)
		case report.MetricRPOP95:
			sp.Metric = est(p.rpo95, p.rpo95*0.95, p.rpo95*1.05)
		case report.MetricLostMean:
			sp.Metric = est(317, 310, 324)
		default:
			sp.Metric = est(p.p, p.lo, p.hi)
		}
		s.Points = append(s.Points, sp)
	}
	report.MarkPareto(s.Points)
	return s
}
