package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/internal/human"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
)

// simulation is one scenario run: its trials (compact records), the
// representative trial and the report built from them. An interrupted run
// holds the trials done before the interruption, which are trials 0 to
// trials.N()-1.
type simulation struct {
	cfg    *model.Config
	seed   uint64
	asked  int // the trials asked for
	trials *report.Trials
	rep    int
	// repResult and detail are the representative trial's full result and
	// trace, replayed.
	repResult *model.TrialResult
	detail    *model.Detail
	report    *report.Report
	// interrupted reports that the run stopped before asked trials.
	interrupted bool
}

// runTrials runs n trials of cfg with seed on workers goroutines until ctx
// is done, showing progress on b.
func runTrials(ctx context.Context, cfg *model.Config, seed uint64, n, workers int, b *bar) *simulation {
	return runTrialRange(ctx, cfg, seed, n, 0, n, workers, b)
}

// runTrialRange runs the trials [from, to) of a run of n trials of cfg
// with seed (a shard when it is not all of them): the one path every
// command runs trials by (report.Trials.Run, compact records, sums per
// worker).
func runTrialRange(ctx context.Context, cfg *model.Config, seed uint64, n, from, to, workers int, b *bar) *simulation {
	cfg.Seed = seed
	cfg.Trials = n
	b.setPhase(phaseSimulating)
	t := report.NewTrials(cfg, seed, from)
	err := t.Run(ctx, to, workers, b.progressFunc())
	return &simulation{cfg: cfg, seed: seed, asked: to - from, trials: t, interrupted: err != nil}
}

// aggregate replays the representative trial for its detail and builds
// the report. The report of an interrupted run is marked partial.
func (s *simulation) aggregate(b *bar) {
	b.setPhase(phaseAggregating)
	s.rep = s.trials.Representative()
	s.detail = &model.Detail{}
	s.repResult = nil
	if s.rep >= 0 {
		res := model.NewRunner(s.cfg).Trial(s.seed, s.rep, s.detail)
		s.repResult = &res
	}
	s.cfg.Trials = s.trials.N()
	s.report = report.BuildTrials(s.trials, s.repResult, s.detail)
	if s.interrupted {
		s.report.Warnings = append([]string{s.partialNote()}, s.report.Warnings...)
	}
}

// simulate runs and aggregates a whole run of n trials (never
// interrupted).
func simulate(cfg *model.Config, seed uint64, n, workers int) *simulation {
	s := runTrials(context.Background(), cfg, seed, n, workers, nil)
	s.aggregate(nil)
	return s
}

// interruptedMessage is what an interrupted run prints on stderr.
func (s *simulation) interruptedMessage() string {
	return fmt.Sprintf("interrupted after %s of %s trials", groupDigits(int64(s.trials.N())), groupDigits(int64(s.asked)))
}

// partialNote is the first warning of a partial report.
func (s *simulation) partialNote() string {
	done := s.trials.N()
	return fmt.Sprintf("PARTIAL REPORT: %s; it covers trials 0 to %d, the same as a run with --trials %d", s.interruptedMessage(), done-1, done)
}

// traceTrial returns the detail of trial i, reusing the representative
// trial's when it is the one asked for.
func (s *simulation) traceTrial(i int) *model.Detail {
	if i == s.rep && s.detail != nil {
		return s.detail
	}
	d := &model.Detail{}
	model.NewRunner(s.cfg).Trial(s.seed, i, d)
	return d
}

// writeTrace writes the events of d as JSON lines, one event a line, with
// no HTML escaping ("->" stays "->", not "-\u003e"), and the runes a
// terminal could obey escaped as in every other JSON drsim writes
// (escape.JSON: U+009B as \u009b).
func writeTrace(w io.Writer, d *model.Detail) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for i := range d.Events {
		b.Reset()
		if err := enc.Encode(&d.Events[i]); err != nil {
			return fmt.Errorf("trace: %w", err)
		}
		if _, err := w.Write(escape.JSON(b.Bytes())); err != nil {
			return fmt.Errorf("trace: %w", err)
		}
	}
	return nil
}

// checkObjectives prints on stderr why the scenario fails the check
// (objectives_met.both.p below minP) and reports whether it passed. A
// scenario without objectives cannot be checked: that is bad input.
func checkObjectives(stderr io.Writer, s *simulation, minP float64) (bool, error) {
	both := s.report.ObjectivesMet.Both
	if both.P == nil {
		return false, inputError(fmt.Errorf("check: %s sets no objectives (rto, rpo) to check", s.cfg.Name))
	}
	p := *both.P
	if p >= minP {
		return true, nil
	}
	var ci [2]float64
	if both.CI95 != nil {
		ci = *both.CI95
	}
	got, bar := human.PctApart(p, minP)
	fmt.Fprintf(stderr, "drsim: check failed: %s met its objectives (%s) in %s of %d trials (%d/%d, 95%% CI %.1f%%-%.1f%%), below the required %s\n",
		s.cfg.Name, objectivesText(s.cfg), got, s.trials.N(), both.Met, both.N, 100*ci[0], 100*ci[1], bar)
	return false, nil
}

// objectivesText describes the objectives of cfg, e.g. "RTO 30m, RPO 5m".
func objectivesText(cfg *model.Config) string {
	o := cfg.Objectives
	var s string
	if o.HasRTO {
		s = "RTO " + formatDuration(o.RTO)
	}
	if o.HasRPO {
		if s != "" {
			s += ", "
		}
		s += "RPO " + formatDuration(o.RPO)
	}
	if s == "" {
		s = "none set"
	}
	return s
}

// formatDuration prints a duration in nanoseconds without trailing zero
// units ("30m", "1h30m", "90s").
func formatDuration(ns int64) string {
	s := time.Duration(ns).String()
	for _, suf := range []string{"m0s", "h0m"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
			s = s[:len(s)-len(suf)+1]
		}
	}
	return s
}
