package whatif

import (
	"context"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
)

// Run is one scenario being simulated: its config, seed and the trials
// run so far, which are always trials 0 to N−1 (N = Trials()). It is the
// one place whatif runs trials (extend) and aggregates them (report): every
// sweep point, sensitivity variant and precision batch goes through these
// two methods, on the run path of package report (report.Trials: compact
// records, sums per worker, byte-identical whatever the workers).
type Run struct {
	Cfg  *model.Config
	Seed uint64
	// Records are the trials' compact results when kept (keep), else nil.
	Records *report.Trials

	keep bool
	n    int // trials run
	met  int // of them, trials meeting both objectives
}

// newRun returns a run of cfg with seed; keep says whether it keeps the
// trials' results (a run that only counts, to find a precision, does not).
func newRun(cfg *model.Config, seed uint64, keep bool) *Run {
	return &Run{Cfg: cfg, Seed: seed, keep: keep}
}

// Trials returns the number of trials run.
func (r *Run) Trials() int { return r.n }

// HalfWidth returns the half-width of the Wilson 95% interval of P(meet
// both) over the trials run.
func (r *Run) HalfWidth() float64 { return report.WilsonHalfWidth(r.met, r.n) }

// extend runs trials Trials() to n−1 on workers goroutines, reporting
// the trials done in this call to progress (nil: none). When ctx is done
// it stops early: the trials run are still 0 to Trials()−1, and ctx's
// error is returned.
func (r *Run) extend(ctx context.Context, n, workers int, progress func(done int)) error {
	from := r.n
	if n <= from {
		return nil
	}
	t := r.Records
	if t == nil {
		t = report.NewTrials(r.Cfg, r.Seed, from)
	}
	have := t.From() + t.N()
	err := t.Run(ctx, n, workers, progress)
	for i := have; i < t.From()+t.N(); i++ {
		if report.RecordMeetsBoth(r.Cfg, t.Record(i)) {
			r.met++
		}
	}
	r.n = t.From() + t.N()
	if r.keep {
		r.Records = t
	}
	return err
}

// report aggregates the kept trials into the run's report, without the
// representative trial's detail (what a sweep point or a sensitivity
// variant needs). The config's Trials and Seed are the run's.
func (r *Run) report() *report.Report {
	t := r.Records
	if t == nil {
		t = report.NewTrials(r.Cfg, r.Seed, 0)
	}
	r.Cfg.Trials, r.Cfg.Seed = t.N(), r.Seed
	return report.BuildTrials(t, nil, nil)
}
