package model

import (
	"testing"

	"github.com/drsim/drsim/sim"
)

func benchTrials(b *testing.B, cfg *Config) {
	r := NewRunner(cfg)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r.TrialRef(1, i, nil)
	}
}

// BenchmarkTrialWriteRate: the cost of a trial does not grow with the write
// rate (target: /100000 at most 1.5× /10).
func BenchmarkTrialWriteRate(b *testing.B) {
	for _, c := range []struct {
		name string
		rate float64
	}{{"10", 10}, {"100000", 100000}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := snowyConfig()
			cfg.Buckets[0].Writes = c.rate
			cfg.Tables[0].Writes = c.rate
			cfg.Regions[east].KMSRPS = 1e9
			cfg.Regions[west].KMSRPS = 1e9
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialHorizon: the cost of a trial does not grow with the horizon
// (target: /30d at most 2× /1d), with the same outages.
func BenchmarkTrialHorizon(b *testing.B) {
	for _, c := range []struct {
		name string
		h    sim.Time
	}{{"1d", sim.Day}, {"30d", 30 * sim.Day}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := snowyConfig()
			cfg.Horizon = c.h
			cfg.Tables[0].Backup = &Backup{To: west, Every: sim.Hour, Copy: sim.UniformDist(10*sim.Minute, 30*sim.Minute), Key: 0}
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkSnowyTrial: one trial of the snowy scenario.
func BenchmarkSnowyTrial(b *testing.B) {
	benchTrials(b, snowyConfig())
}

// BenchmarkSnowyTrialDetail: one trial of the snowy scenario with its trace.
func BenchmarkSnowyTrialDetail(b *testing.B) {
	cfg := snowyConfig()
	r := NewRunner(cfg)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var d Detail
		r.Trial(1, i, &d)
	}
}

// BenchmarkSnowyTrialEmpty: one trial of the snowy scenario with
// start = "empty" (format 1.0's start), to measure the steady start's cost
// in the same run.
func BenchmarkSnowyTrialEmpty(b *testing.B) {
	cfg := snowyConfig()
	cfg.Start = StartEmpty
	benchTrials(b, cfg)
}

// snowy11Config is snowy with format 1.1 constructs on top: a gray failure
// of the app, the outage in phases (the control planes for 7 h), a step
// that needs Route 53's control plane and admins on the key.
func snowy11Config() *Config {
	cfg := snowyConfig()
	o := &cfg.Outages[0]
	o.Phases = []Phase{
		{Services: SvcAll &^ SvcRoute53Control, Offset: sim.ConstDist(0), Duration: o.Duration, ErrorRate: 1},
		{Services: SvcRoute53Control, Offset: sim.ConstDist(0), Duration: sim.ConstDist(7 * sim.Hour), ErrorRate: 1},
	}
	cfg.Outages = append(cfg.Outages, Outage{Name: "gray app", Stream: "gray app", Kind: RegionOutage, Region: west,
		Services: SvcApp, ErrorRate: 0.2, Start: sim.UniformDist(0, 20*sim.Hour), Duration: sim.ConstDist(2 * sim.Hour), Probability: 1})
	cfg.Keys[0].Admins = []string{"dr-operator"}
	cfg.Failover.Operator = "dr-operator"
	cfg.Failover.Steps[3].Needs = []Need{{Service: SvcRoute53Control, Region: east}}
	return cfg
}

// BenchmarkSnowyTrial11: one trial of snowy11Config.
func BenchmarkSnowyTrial11(b *testing.B) {
	benchTrials(b, snowy11Config())
}

// BenchmarkTrialRetry: the cost of a trial does not depend on how often a
// failing step retries (target: /1ms at most 1.2× /1h). promote-key (an
// optional UpdatePrimaryRegion sent to the failed region) fails for the
// whole outage, hours long; its retries are counted in closed form.
func BenchmarkTrialRetry(b *testing.B) {
	for _, c := range []struct {
		name  string
		retry sim.Time
	}{{"1ms", sim.Millisecond}, {"1s", sim.Second}, {"1m", sim.Minute}, {"1h", sim.Hour}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := snowyConfig()
			cfg.Failover.Steps[2].Retry = c.retry
			benchTrials(b, cfg)
		})
	}
}
