//go:build unix

package whatif

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/drsim/drsim/report"
)

// cpuTime returns the CPU time (user and system) this process has used.
// On a machine shared with other work it is a steadier measure than wall
// time; the benchmarks report both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSweep3x3x3 is a 3×3×3 sweep of snowy at 10,000 trials a point
// (270,000 trials and their 27 reports), on every CPU (GOMAXPROCS): the
// issue's target is under 10 s on 2 cores. It reports the wall time per
// sweep (ns/op) and the CPU time ("cpu-s/op").
func BenchmarkSweep3x3x3(b *testing.B) {
	base := snowy(b)
	params := []Param{
		vary(b, 0, "failover.detect=1m,4m,10m"),
		vary(b, 1, "failover.steps[approve].duration=2m,uniform(5m,15m),20m"),
		vary(b, 2, "buckets.alerts.replication[0].lag=lognormal(median=6s,p99=90s),30s,2m"),
	}
	c0 := cpuTime()
	for b.Loop() {
		if _, err := Sweep(context.Background(), base, params, "", 0.95, Options{Seed: 7, Trials: 10000}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkSensitivitySnowy measures, in the same run, one plain run of
// snowy (5,000 trials and their report, through the same run-and-aggregate
// path: Run.extend, Run.report) and the sensitivity analysis of snowy at
// 5,000 trials, which makes 2k+1 such runs (k = 7 inputs that are not
// constant). It reports the ratio of the analysis to (2k+1) plain runs,
// in wall time ("ratio") and in CPU time ("cpu-ratio"): the target
// is at most 1.2. The plain run is timed before and after the analysis, and
// averaged, so that a change of load during the run weighs on both.
func BenchmarkSensitivitySnowy(b *testing.B) {
	cfg := snowy(b).Config
	runs := SensitivityRuns(cfg)
	const trials = 5000
	plainRun := func() (wall, cpu time.Duration) {
		t0, c0 := time.Now(), cpuTime()
		r := newRun(clonePinnable(cfg), 7, true)
		if err := r.extend(context.Background(), trials, 0, nil); err != nil {
			b.Fatal(err)
		}
		_ = r.report()
		return time.Since(t0), cpuTime() - c0
	}
	var plain, sens, plainCPU, sensCPU time.Duration
	for b.Loop() {
		w1, c1 := plainRun()
		t0, c0 := time.Now(), cpuTime()
		if _, err := Sensitivity(context.Background(), cfg, report.MetricMeetBoth, 0.95, Options{Seed: 7, Trials: trials}); err != nil {
			b.Fatal(err)
		}
		sens += time.Since(t0)
		sensCPU += cpuTime() - c0
		w2, c2 := plainRun()
		plain += (w1 + w2) / 2
		plainCPU += (c1 + c2) / 2
	}
	n := float64(b.N)
	b.ReportMetric(float64(runs), "runs")
	b.ReportMetric(plain.Seconds()*1000/n, "ms/run")
	b.ReportMetric(sens.Seconds()*1000/n, "ms/sensitivity")
	b.ReportMetric(float64(sens)/(float64(runs)*float64(plain)), "ratio")
	b.ReportMetric(float64(sensCPU)/(float64(runs)*float64(plainCPU)), "cpu-ratio")
}
