package main

import (
	"testing"

	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/sim"
)

// TestStrategyRTOBands checks that the four bundled DR strategies land in
// the RTO bands of the AWS disaster-recovery whitepaper (hours; tens of
// minutes; minutes; near zero) and that their monthly cost rises in that
// order. All four run the same trials (common random numbers).
func TestStrategyRTOBands(t *testing.T) {
	const trials = 300
	bands := []struct {
		name   string
		lo, hi sim.Time // the RTO's p50 and p90 must lie in [lo, hi]
	}{
		{name: "backup-and-restore", lo: sim.Hour, hi: 12 * sim.Hour},
		{name: "pilot-light", lo: 10 * sim.Minute, hi: sim.Hour},
		{name: "warm-standby", lo: sim.Minute, hi: 20 * sim.Minute},
		{name: "active-active", lo: 0, hi: 3 * sim.Minute},
	}
	prevCost := 0.0
	for _, b := range bands {
		cfg, err := scenarios.LoadBundled(b.name)
		if err != nil {
			t.Fatal(err)
		}
		s := simulate(cfg, cfg.Seed, trials, 2)
		m := s.report.Metrics.RTOSeconds
		if m.N < trials/2 || m.Unrecovered > 0 {
			t.Errorf("%s: %d incident trials, %d unrecovered: the shared outage should hit most trials and every strategy should recover", b.name, m.N, m.Unrecovered)
			continue
		}
		lo, hi := float64(b.lo)/float64(sim.Second), float64(b.hi)/float64(sim.Second)
		if m.P50 == nil || m.P90 == nil || *m.P50 < lo || *m.P90 > hi {
			t.Errorf("%s: RTO p50 %v, p90 %v; want both within [%v, %v]", b.name, fmtSec(m.P50), fmtSec(m.P90),
				sim.FormatDuration(b.lo), sim.FormatDuration(b.hi))
		}
		cost := s.report.Cost.MonthlyUSD.Total
		if cost <= prevCost {
			t.Errorf("%s: monthly cost $%.2f does not rise above the cheaper strategy's $%.2f", b.name, cost, prevCost)
		}
		prevCost = cost
	}
}

func fmtSec(p *float64) string {
	if p == nil {
		return "null"
	}
	return sim.FormatDuration(sim.Time(*p * float64(sim.Second)))
}
