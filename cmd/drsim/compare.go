package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/scenarios"
)

const compareUsage = `Usage: drsim compare A B ... [flags]

Runs two or more scenarios (files or bundled names) with the same seed and
the same number of trials, and prints them side by side. Trial i of every
scenario sees the same outage draws (common random numbers), so differences
come from the setups, not from luck. The seed and trials are the first
scenario's unless --seed or --trials is given.

Flags:
  --trials N             number of trials of each scenario
  --seed S               random seed shared by all scenarios
  --workers N            parallel workers (default: the number of CPUs)
  --format F             text, json or markdown (default text)
  --out DIR              also write compare.json, compare.md, compare.html
                         and the charts into DIR
  --check                exit with status 3 when any scenario meets its
                         objectives in fewer than --min-probability of trials
  --min-probability P    the bar of --check (default 0.95)
  --quiet                no progress line on stderr

Examples:
  drsim compare backup-and-restore pilot-light warm-standby active-active
  drsim compare snowy snowy-with-rtc.toml --trials 5000 --format markdown
  drsim compare a.toml b.toml --out cmp/ --check
`

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare")
	var f runFlags
	f.register(fs)
	pos, err := parseFlags(fs, compareUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usageError("compare", "want at least two scenarios, got %d", len(pos))
	}
	if err := f.validate(fs); err != nil {
		return err
	}
	cfgs := make([]*model.Config, len(pos))
	var errs []error
	for i, arg := range pos {
		cfg, err := scenarios.Resolve(arg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfgs[i] = cfg
	}
	if len(errs) > 0 {
		return inputError(errors.Join(errs...))
	}
	n, seed := f.trialsAndSeed(fs, cfgs[0])
	if n < 1 {
		return usageError("compare", "the first scenario asks for %d trials; give --trials", n)
	}

	prog := newProgress(stderr, f.quiet, n*len(cfgs))
	sims := make([]*simulation, len(cfgs))
	inputs := make([]report.CompareInput, len(cfgs))
	for i, cfg := range cfgs {
		sims[i] = simulate(cfg, seed, n, f.workers, prog.offset(i*n))
		inputs[i] = report.CompareInput{Cfg: cfg, Results: sims[i].results, Report: sims[i].report}
	}
	prog.finish()
	c := report.Compare(inputs)

	if f.out != "" {
		if err := render.WriteCompareAll(f.out, c); err != nil {
			return fmt.Errorf("compare: writing %s: %w", f.out, err)
		}
	}
	if err := writeFormat(stdout, f.format.value, c, report.WriteCompareJSON, render.WriteCompareMarkdown, render.WriteCompareText); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if f.check {
		failed := 0
		for _, s := range sims {
			ok, err := checkObjectives(stderr, s, float64(f.minP))
			if err != nil {
				return err
			}
			if !ok {
				failed++
			}
		}
		if failed > 0 {
			return silentError(exitCheck)
		}
	}
	return nil
}
