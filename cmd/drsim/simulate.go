package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
)

// simulation is one scenario run: its trials, the representative trial
// and the report built from them.
type simulation struct {
	cfg     *model.Config
	seed    uint64
	results []model.TrialResult
	rep     int
	detail  *model.Detail
	report  *report.Report
}

// simulate runs n trials of cfg with seed on workers goroutines, simulates
// the representative trial again for its detail and builds the report.
// progress, if not nil, is called with the number of trials done.
func simulate(cfg *model.Config, seed uint64, n, workers int, progress func(done int)) *simulation {
	cfg.Seed = seed
	cfg.Trials = n
	results := model.RunTrials(cfg, seed, n, workers, progress)
	rep := model.Representative(results)
	detail := &model.Detail{}
	if rep >= 0 && rep < len(results) {
		model.NewRunner(cfg).Trial(seed, rep, detail)
	}
	return &simulation{
		cfg:     cfg,
		seed:    seed,
		results: results,
		rep:     rep,
		detail:  detail,
		report:  report.Build(cfg, seed, results, detail, rep),
	}
}

// traceTrial returns the detail of trial i, reusing the representative
// trial's when it is the one asked for.
func (s *simulation) traceTrial(i int) *model.Detail {
	if i == s.rep {
		return s.detail
	}
	d := &model.Detail{}
	model.NewRunner(s.cfg).Trial(s.seed, i, d)
	return d
}

// writeTrace writes the events of d as JSON lines, one event a line.
func writeTrace(w io.Writer, d *model.Detail) error {
	enc := json.NewEncoder(w)
	for i := range d.Events {
		if err := enc.Encode(&d.Events[i]); err != nil {
			return fmt.Errorf("trace: %w", err)
		}
	}
	return nil
}

// writeFile creates path and writes to it with fn.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
	fmt.Fprintf(stderr, "drsim: check failed: %s met its objectives (%s) in %.1f%% of %d trials (%d/%d, 95%% CI %.1f%%-%.1f%%), below the required %.1f%%\n",
		s.cfg.Name, objectivesText(s.cfg), 100*p, len(s.results), both.Met, both.N, 100*ci[0], 100*ci[1], 100*minP)
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

// defaultWorkers is the default of --workers.
func defaultWorkers() int { return runtime.NumCPU() }

// progressLine shows "  4200/10000 trials  42%  1.3s" on a terminal,
// updated in place, once a run has taken more than a second. It is safe
// for concurrent use.
type progressLine struct {
	w       io.Writer
	total   int
	start   time.Time
	mu      sync.Mutex
	last    time.Time
	shown   bool
	enabled bool
}

// newProgress returns a progress line on stderr for total trials. It stays
// silent when quiet is set or stderr is not a terminal.
func newProgress(stderr io.Writer, quiet bool, total int) *progressLine {
	return &progressLine{w: stderr, total: total, start: time.Now(), enabled: !quiet && isTerminal(stderr)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// offset returns a progress callback for a run whose trials count from base.
func (p *progressLine) offset(base int) func(done int) {
	if !p.enabled {
		return nil
	}
	return func(done int) { p.update(base + done) }
}

func (p *progressLine) update(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < time.Second || (now.Sub(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = now
	p.shown = true
	pct := 0
	if p.total > 0 {
		pct = 100 * done / p.total
	}
	fmt.Fprintf(p.w, "\r  %d/%d trials  %d%%  %.1fs ", done, p.total, pct, now.Sub(p.start).Seconds())
}

// finish clears the progress line if it was shown.
func (p *progressLine) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintf(p.w, "\r%*s\r", 50, "")
		p.shown = false
	}
}
