package model

import (
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

// eventAt returns the time of the first event of kind whose message
// contains substr, -1 when there is none.
func eventAt(d *Detail, kind, substr string) sim.Time {
	for _, e := range d.Events {
		if e.Kind == kind && strings.Contains(e.Message, substr) {
			return e.T
		}
	}
	return -1
}

// TestInputDrawsAreTheModelsDraws: the uniforms InputDraws recomputes are
// those the Runner draws: the trace shows each input at Dist.Sample(u).
func TestInputDrawsAreTheModelsDraws(t *testing.T) {
	u := func(lo, hi sim.Time) sim.Dist { return sim.UniformDist(lo, hi) }
	cfg := replicaConfig(0, Action{At: u(sim.Hour, 2*sim.Hour), Op: Op{Kind: OpCreateTableReplica, Store: StoreRef{StoreTable, 0},
		Region: west, Key: 0, To: -1, Copy: u(10*sim.Minute, 50*sim.Minute), HasCopy: true}})
	cfg.Outages = []Outage{
		{Name: "main", Stream: "main", Kind: RegionOutage, Region: east, Services: SvcAll, Probability: 1,
			Start: u(3*sim.Hour, 4*sim.Hour), Duration: u(5*sim.Hour, 6*sim.Hour)},
		{Name: "phased", Stream: "phased", Kind: RegionOutage, Region: west, Services: SvcKMS, Probability: 1,
			Start: u(20*sim.Hour, 21*sim.Hour), Duration: u(sim.Hour, 2*sim.Hour),
			Phases: []Phase{{Services: SvcKMS, Offset: u(0, sim.Minute), Duration: u(sim.Minute, 2*sim.Minute), ErrorRate: 0.1},
				{Services: SvcKMS, Offset: u(10*sim.Minute, 11*sim.Minute), Duration: u(sim.Minute, 2*sim.Minute), ErrorRate: 0.1}}},
	}
	cfg.Failover.Detect = u(sim.Minute, 3*sim.Minute)
	cfg.Failover.Steps = []Step{
		{Name: "a", Duration: u(sim.Minute, 5*sim.Minute), Required: true, Retry: sim.Minute, Op: noOp()},
		{Name: "b", After: []int{0}, Duration: u(sim.Minute, 5*sim.Minute), Required: true, Retry: sim.Minute, Op: noOp()},
	}
	cfg.Horizon = 24 * sim.Hour
	inputs := SingleDrawInputs(cfg)
	want := []Input{{InputOutageStart, 0, 0}, {InputOutageDuration, 0, 0}, {InputOutageStart, 1, 0},
		{InputPhaseOffset, 1, 0}, {InputPhaseDuration, 1, 0}, {InputPhaseOffset, 1, 1}, {InputPhaseDuration, 1, 1},
		{InputDetect, 0, 0}, {InputStepDuration, 0, 0}, {InputStepDuration, 1, 0}, {InputActionAt, 0, 0}, {InputActionCopy, 0, 0}}
	if len(inputs) != len(want) {
		t.Fatalf("inputs = %v, want %v", inputs, want)
	}
	for i := range want {
		if inputs[i] != want[i] {
			t.Fatalf("inputs = %v, want %v", inputs, want)
		}
	}
	draws := NewInputDraws(cfg, inputs)
	us := make([]float64, len(inputs))
	for trial := range 5 {
		var d Detail
		NewRunner(cfg).Trial(3, trial, &d)
		draws.Uniforms(3, trial, us)
		v := func(k int) sim.Time { return inputs[k].Dist(cfg).Sample(us[k]) }
		start := v(0)
		check := func(what string, got, want sim.Time) {
			t.Helper()
			if got != want {
				t.Errorf("trial %d: %s at %s, the recomputed draw says %s", trial, what, sim.FormatDuration(got), sim.FormatDuration(want))
			}
		}
		check("outage start", eventAt(&d, "outage-start", "us-east-1"), start)
		check("outage end", eventAt(&d, "outage-end", "us-east-1"), start+v(1))
		pStart := v(2)
		check("phase 1 start", eventAt(&d, "outage-start", "phases[0] (of 2)"), pStart+v(3))
		check("phase 1 end", eventAt(&d, "outage-end", "phases[0] (of 2)"), pStart+v(3)+v(4))
		check("phase 2 start", eventAt(&d, "outage-start", "phases[1] (of 2)"), pStart+v(5))
		check("phase 2 end", eventAt(&d, "outage-end", "phases[1] (of 2)"), pStart+v(5)+v(6))
		t0 := eventAt(&d, "service-down", "")
		rb := eventAt(&d, "runbook-start", "")
		check("runbook start", rb, t0+v(7))
		check("step a done", eventAt(&d, "step-done", "step a"), rb+v(8))
		check("step b done", eventAt(&d, "step-done", "step b"), rb+v(8)+v(9))
		at := v(10)
		check("action", eventAt(&d, "action", ""), at)
		if !hasEvent(&d, "replication", "usable at "+sim.FormatDuration(at+v(11))) {
			t.Errorf("trial %d: no replica usable at %s (action at %s + copy %s)", trial, sim.FormatDuration(at+v(11)), sim.FormatDuration(at), sim.FormatDuration(v(11)))
		}
	}
}
