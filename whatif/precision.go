package whatif

import (
	"context"
	"errors"
	"fmt"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
)

// Options are the settings every what-if run shares.
type Options struct {
	// Seed is the seed of every run; Trials the trials of each (the batch
	// of a run to precision).
	Seed   uint64
	Trials int
	// Workers is the number of goroutines of each run (0: GOMAXPROCS).
	Workers int
	// Precision, when positive, is the target half-width of the Wilson 95%
	// interval of P(meet both): batches of Trials are added until it is
	// reached or MaxTrials is (see ToPrecision).
	Precision float64
	MaxTrials int
	// Progress, when set, is told the trials done so far and the trials
	// planned, over the whole what-if; planned grows with a run to
	// precision. Calls come from one goroutine at a time.
	Progress func(done, planned int)
}

// DefaultMaxTrials is the default of --max-trials: the most trials a run
// to precision makes per scenario.
const DefaultMaxTrials = 1_000_000

// tracker adds up the progress of consecutive runs for Options.Progress.
type tracker struct {
	f             func(done, planned int)
	base, planned int
}

func (t *tracker) plan(planned int) { t.planned = planned }

// fn returns the progress callback of the next run (done within it).
func (t *tracker) fn() func(done int) {
	if t.f == nil {
		return nil
	}
	base := t.base
	return func(done int) { t.f(base+done, max(t.planned, base+done)) }
}

// finish records that a run did done trials.
func (t *tracker) finish(done int) {
	t.base += done
	if t.f != nil {
		t.f(t.base, max(t.planned, t.base))
	}
}

// checkPrecision validates the precision settings for cfgs.
func checkPrecision(cfgs []*model.Config, o *Options) error {
	if !(o.Precision > 0 && o.Precision < 0.5) {
		return fmt.Errorf("whatif: precision %v: want a half-width between 0 and 0.5 (0.01 is ±1 percentage point)", o.Precision)
	}
	if o.Trials < 1 {
		return errors.New("whatif: precision: the batch must be at least 1 trial")
	}
	if o.MaxTrials <= 0 {
		o.MaxTrials = DefaultMaxTrials
	}
	for _, c := range cfgs {
		if !c.Objectives.HasRTO && !c.Objectives.HasRPO {
			return fmt.Errorf("whatif: precision: %s sets no RTO or RPO objective, so P(meet both) does not exist", c.Name)
		}
	}
	return nil
}

// ToPrecision runs each of cfgs (with the same seed: paired) to precision
// and returns the runs, all with the same number of trials, and how they
// stopped. Each run adds batches of o.Trials trials until the half-width
// (hi − lo)/2 of the Wilson 95% interval of its P(meet both) is at most
// o.Precision, or it has o.MaxTrials trials; then every run is extended to
// the largest count of them (DESIGN: compare and sweep use the largest
// count for all). The runs keep their results: they are exactly the runs
// of that many trials. Errors: precision settings that cannot work, a
// scenario without objectives; when ctx is done, the runs so far, the
// state they reached (Interrupted) and ctx's error.
func ToPrecision(ctx context.Context, cfgs []*model.Config, o Options) ([]*Run, *report.Precision, error) {
	if err := checkPrecision(cfgs, &o); err != nil {
		return nil, nil, err
	}
	t := &tracker{f: o.Progress}
	runs := make([]*Run, len(cfgs))
	for i, c := range cfgs {
		runs[i] = newRun(c, o.Seed, true)
	}
	p := &report.Precision{Target: o.Precision, Batch: o.Trials, MaxTrials: o.MaxTrials, Reached: true}
	counts := make([]int, len(runs))
	for i, r := range runs {
		t.plan(t.base + min(o.Trials, o.MaxTrials))
		reached, err := toPrecision(ctx, r, o, t)
		if err != nil {
			return runs, interrupted(p, runs), err
		}
		p.Reached = p.Reached && reached
		counts[i] = r.Trials()
	}
	if err := extendAll(ctx, runs, counts, o, t, p); err != nil {
		return runs, interrupted(p, runs), err
	}
	return runs, p, nil
}

// interrupted records in p the state an interrupted run to precision
// reached: not reached, the trials of the shortest run (every run has at
// least those), the largest half-width over the runs.
func interrupted(p *report.Precision, runs []*Run) *report.Precision {
	p.Reached, p.Interrupted, p.HalfWidth = false, true, 0
	p.Trials = -1
	for _, r := range runs {
		if p.Trials < 0 || r.Trials() < p.Trials {
			p.Trials = r.Trials()
		}
		p.HalfWidth = max(p.HalfWidth, round9(r.HalfWidth()))
	}
	p.Trials = max(p.Trials, 0)
	return p
}

// toPrecision adds batches to r until its half-width is at most the
// target (true) or it has MaxTrials trials (false).
func toPrecision(ctx context.Context, r *Run, o Options, t *tracker) (bool, error) {
	for {
		n := min(r.Trials()+o.Trials, o.MaxTrials)
		t.plan(t.base + n - r.Trials())
		from := r.Trials()
		err := r.extend(ctx, n, o.Workers, t.fn())
		t.finish(r.Trials() - from)
		if err != nil {
			return false, err
		}
		if r.HalfWidth() <= o.Precision {
			return true, nil
		}
		if r.Trials() >= o.MaxTrials {
			return false, nil
		}
	}
}

// extendAll extends every run to the largest of counts and fills in the
// final count and half-width of p.
func extendAll(ctx context.Context, runs []*Run, counts []int, o Options, t *tracker, p *report.Precision) error {
	final := 0
	for _, n := range counts {
		final = max(final, n)
	}
	for _, r := range runs {
		from := r.Trials()
		t.plan(t.base + final - from)
		err := r.extend(ctx, final, o.Workers, t.fn())
		t.finish(r.Trials() - from)
		if err != nil {
			return err
		}
		p.HalfWidth = max(p.HalfWidth, round9(r.HalfWidth()))
	}
	p.Trials = final
	return nil
}

// counts finds the trial count a run to precision of each of cfgs stops
// at, without keeping the trials' results (a sweep: memory stays bounded
// whatever the grid; the points are then run again with the final count,
// which costs at most as much again). It returns the largest count and
// whether every run reached the target; HalfWidth is left to the caller.
func counts(ctx context.Context, cfgs []*model.Config, o Options, t *tracker) (*report.Precision, error) {
	if err := checkPrecision(cfgs, &o); err != nil {
		return nil, err
	}
	p := &report.Precision{Target: o.Precision, Batch: o.Trials, MaxTrials: o.MaxTrials, Reached: true}
	for _, c := range cfgs {
		r := newRun(c, o.Seed, false)
		reached, err := toPrecision(ctx, r, o, t)
		if err != nil {
			return nil, err
		}
		p.Reached = p.Reached && reached
		p.Trials = max(p.Trials, r.Trials())
	}
	return p, nil
}
