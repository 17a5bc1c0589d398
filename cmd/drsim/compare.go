package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/scenarios"
)

func newCompareCmd(e *env) *cobra.Command {
	var (
		f    runFlags
		sets []string
		pf   precisionFlags
		res  *resolver
	)
	c := &cobra.Command{
		Use:   "compare A B ...",
		Short: "run several scenarios with the same seed and compare them",
		Long: `Runs two or more scenarios (files, bundled names, or - once for standard
input) with the same seed and the same number of trials, and prints them
side by side. Trial i of every scenario sees the same outage draws (common
random numbers), so differences come from the setups, not from luck. The
seed and trials are the first scenario's unless --seed or --trials is given.
A warning says when that pairing does not hold: an outage that exists in
only one scenario, or one drawn from other distributions, gives trial i
other outages in the two. Scenarios with the same name are labelled by
their file stems.

--set applies to every scenario. With --precision every scenario runs in
batches until its P(meet both) is as precise as asked, then all run to the
largest count any needed.

On SIGINT or SIGTERM the trials stop and nothing is written unless
--partial-ok is given: then the comparison covers the scenarios run so far,
the last one with the trials it completed, and is marked partial.`,
		Example: `  drsim compare backup-and-restore pilot-light warm-standby active-active
  drsim compare snowy snowy-with-rtc.toml --trials 5000 --format markdown
  drsim compare a.toml b.toml --out cmp/ --check
  drsim compare pilot-light warm-standby --set failover.detect=2m --precision 0.01`,
		ValidArgsFunction: completeScenarios(0),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageError("compare", "want at least two scenarios, got %d", len(args))
			}
			if err := f.checkDeps(c); err != nil {
				return err
			}
			if err := pf.check(c); err != nil {
				return err
			}
			overrides, err := parseSets(sets)
			if err != nil {
				return err
			}
			res.overrides = overrides
			cfgs := make([]*model.Config, len(args))
			resolved := make([]*scenarios.Resolved, len(args))
			var errs []error
			for i, arg := range args {
				r, err := res.open(arg)
				if isInterrupted(err) {
					return err
				}
				if err != nil {
					errs = append(errs, scenarioErrors(err, displayName(arg)))
					continue
				}
				cfgs[i], resolved[i] = r.Config, r
			}
			if len(errs) > 0 {
				return inputError(errors.Join(errs...))
			}
			n, seed := f.trialsAndSeed(cfgs[0])
			if n < 1 {
				return usageError("compare", "the first scenario asks for %d trials; give --trials", n)
			}
			most := n
			if pf.on() {
				most = max(n, pf.maxTrials)
			}
			if err := checkMemory(e, "compare", most*len(cfgs), memoryEstimate(most, cfgs...)); err != nil {
				return err
			}
			setMemoryLimit(n, cfgs...)
			outs := &outputs{cmd: "compare", dir: f.out, reserved: []string{render.CompareJSON, render.CompareMD, render.CompareHTML}, inputs: args}
			for i, r := range resolved {
				outs.addBases(args[i], r)
			}
			if err := outs.check(); err != nil {
				return err
			}

			names := make([]string, len(cfgs))
			for i, cfg := range cfgs {
				names[i] = cfg.Name
			}
			var sims []*simulation
			var prec *report.Precision
			interrupted := false
			if pf.on() {
				prog := newProgress(c.Context(), e, f.quiet, []string{fmt.Sprintf("%d scenarios to ±%.2fpp", len(cfgs), 100*pf.precision)}, n)
				all, p, err := runToPrecision(c.Context(), cfgs, seed, n, f.nWorkers(), pf, prog.bar(0))
				if err != nil {
					prog.abort()
					return err
				}
				prec = p
				if all[0].interrupted || c.Context().Err() != nil {
					prog.abort()
					fmt.Fprintf(e.stderr, "drsim: compare: interrupted while running to precision\n")
					return silentError(exitInterrupted)
				}
				for _, s := range all {
					s.aggregate(nil)
				}
				sims = all
				prog.stop()
			}
			prog := newProgress(c.Context(), e, f.quiet || pf.on(), names, n)
			for i, cfg := range cfgs {
				if pf.on() {
					break
				}
				s := runTrials(c.Context(), cfg, seed, n, f.nWorkers(), prog.bar(i))
				if s.interrupted || c.Context().Err() != nil {
					interrupted = true
					prog.abort()
					fmt.Fprintf(e.stderr, "drsim: compare: %s: %s (%d of %d scenarios complete)\n", cfg.Name, s.interruptedMessage(), i, len(cfgs))
					if s.trials.N() > 0 {
						sims = append(sims, s)
					}
					break
				}
				s.aggregate(prog.bar(i))
				prog.bar(i).setPhase(phaseDone)
				sims = append(sims, s)
			}
			if interrupted {
				if !f.partialOK || len(sims) == 0 {
					return silentError(exitInterrupted)
				}
				if last := sims[len(sims)-1]; last.report == nil {
					last.aggregate(nil)
				}
			}
			inputs := make([]report.CompareInput, len(sims))
			for i, s := range sims {
				inputs[i] = report.CompareInput{Cfg: s.cfg, Trials: s.trials, Report: s.report}
			}
			cmp := report.Compare(inputs)
			cmp.Overrides = reportOverrides(overrides)
			cmp.Precision = prec
			note := func() string {
				return fmt.Sprintf("PARTIAL COMPARISON: interrupted; %d of %d scenarios run, the last with %s of %s trials",
					len(sims), len(cfgs), groupDigits(int64(sims[len(sims)-1].trials.N())), groupDigits(int64(n)))
			}
			if interrupted {
				cmp.Warnings = append([]string{note()}, cmp.Warnings...)
			}
			prog.setPhase(phaseRendering)
			err = outs.write(func(dir string) error { return render.WriteCompareAll(dir, cmp) })
			prog.stop()
			if err != nil {
				return err
			}
			if err := writeReport(e.stdout, f.format.v, cmp, interrupted, note,
				report.WriteCompareJSON, render.WriteCompareMarkdown, render.WriteCompareText); err != nil {
				return ioError(fmt.Errorf("compare: writing the comparison: %w", err))
			}
			if interrupted {
				return silentError(exitInterrupted)
			}
			if f.check {
				failed := 0
				for _, s := range sims {
					ok, err := checkObjectives(e.stderr, s, f.minP)
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
		},
	}
	f.register(c, e, "also write compare.json, compare.md, compare.html and the charts into `DIR`, replacing its previous comparison as a whole")
	res = newResolver(e, c)
	addSetFlag(c, &sets)
	pf.register(c)
	return c
}
