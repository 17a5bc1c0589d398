package main

import (
	"context"
	"fmt"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/whatif"
)

// runToPrecision runs cfgs (paired: one seed) to the precision of pf in
// batches of batch trials (whatif.ToPrecision) and returns one simulation
// per scenario, every one with the same, final number of trials: exactly
// the simulations of a plain run of that many, ready to aggregate. When
// interrupted, the simulations hold the trials done and are marked so.
// Errors are bad input (a scenario without objectives).
func runToPrecision(ctx context.Context, cfgs []*model.Config, seed uint64, batch, workers int, pf precisionFlags, b *bar) ([]*simulation, *report.Precision, error) {
	for _, c := range cfgs {
		c.Seed = seed
	}
	b.setPhase(phaseSimulating)
	runs, p, err := whatif.ToPrecision(ctx, cfgs, whatif.Options{
		Seed: seed, Trials: batch, Workers: workers, Precision: pf.precision, MaxTrials: pf.maxTrials, Progress: b.whatifProgress(),
	})
	if runs == nil && err != nil {
		return nil, nil, inputError(fmt.Errorf("--precision: %w", err))
	}
	sims := make([]*simulation, len(runs))
	for i, r := range runs {
		asked := pf.maxTrials
		if p != nil && !p.Interrupted {
			asked = p.Trials
		}
		t := r.Records
		if t == nil {
			t = report.NewTrials(r.Cfg, seed, 0)
		}
		sims[i] = &simulation{cfg: r.Cfg, seed: seed, asked: asked, trials: t, interrupted: err != nil}
	}
	return sims, p, nil
}
