package model

import "drsim/sim"

// Runner simulates trials of one scenario. A Runner is not safe for
// concurrent use: use one per worker. It reuses its memory across trials.
type Runner struct {
	cfg *Config
	eng *sim.Engine
}

// NewRunner returns a Runner for cfg.
func NewRunner(cfg *Config) *Runner {
	return &Runner{cfg: cfg, eng: sim.NewEngine()}
}

// Trial simulates trial index i of a run with the given seed and returns its
// metrics. If d is non-nil it is filled with the trial's trace and timeline.
// The result depends only on (cfg, seed, i).
func (r *Runner) Trial(seed uint64, i int, d *Detail) TrialResult {
	// TODO(model): replaced by the full model.
	return TrialResult{Trial: i, FailoverAt: -1}
}
