package whatif

import (
	"context"
	"testing"
	"time"

	"github.com/drsim/drsim/report"
)

// BenchmarkSweep3x3x3 is a 3×3×3 sweep of snowy at 10,000 trials a point
// (270,000 trials), on every CPU (GOMAXPROCS): the target is under
// 10 s on 2 cores.
func BenchmarkSweep3x3x3(b *testing.B) {
	base := snowy(b)
	params := []Param{
		vary(b, 0, "failover.detect=1m,4m,10m"),
		vary(b, 1, "failover.steps[approve].duration=2m,uniform(5m,15m),20m"),
		vary(b, 2, "buckets.alerts.replication[0].lag=lognormal(median=6s,p99=90s),30s,2m"),
	}
	for b.Loop() {
		if _, err := Sweep(context.Background(), base, params, "", 0.95, Options{Seed: 7, Trials: 10000}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSensitivitySnowy measures, in the same run, one plain run of
// snowy (its trials and report, through the same run-and-aggregate path)
// and the sensitivity analysis of snowy, which makes 2k+1 such runs (k = 7
// inputs that are not constant). It reports the ratio of the analysis to
// (2k+1) plain runs: the target is at most 1.2.
func BenchmarkSensitivitySnowy(b *testing.B) {
	cfg := snowy(b).Config
	runs := SensitivityRuns(cfg)
	const trials = 1000
	var plain, sens time.Duration
	for b.Loop() {
		t0 := time.Now()
		r := newRun(clonePinnable(cfg), 7, true)
		if err := r.extend(context.Background(), trials, 0, nil); err != nil {
			b.Fatal(err)
		}
		_ = r.report()
		t1 := time.Now()
		if _, err := Sensitivity(context.Background(), cfg, report.MetricMeetBoth, 0.95, Options{Seed: 7, Trials: trials}); err != nil {
			b.Fatal(err)
		}
		plain += t1.Sub(t0)
		sens += time.Since(t1)
	}
	b.ReportMetric(float64(runs), "runs")
	b.ReportMetric(float64(plain.Microseconds())/float64(b.N)/1000, "ms/run")
	b.ReportMetric(float64(sens.Microseconds())/float64(b.N)/1000, "ms/sensitivity")
	b.ReportMetric(float64(sens)/(float64(runs)*float64(plain)), "ratio")
}
