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

func newMergeCmd(e *env) *cobra.Command {
	var (
		f        runFlags
		perTrial string
	)
	c := &cobra.Command{
		Use:   "merge PARTIAL...",
		Short: "join the partial results of a sharded run into its report",
		Long: `Joins the partial results that drsim run --shard i/n wrote (in any order)
into the report of the whole run: the same bytes, in every format, as the
run without shards would write. The partials must be of the same scenario
(the resolved scenario they embed), seed and trial count, and cover every
trial exactly once: merge names the trials that are missing or in more
than one partial. The scenario's files are not needed: the partials embed
it, and merge replays the representative trial from it.`,
		Example: `  drsim run snowy --trials 1000000 --shard 1/2 --out-partial a.drsim
  drsim run snowy --trials 1000000 --shard 2/2 --out-partial b.drsim
  drsim merge a.drsim b.drsim --out report/ --check`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("merge", "want the partial results to merge (files written by drsim run --shard)")
			}
			if err := f.checkDeps(c); err != nil {
				return err
			}
			for _, fl := range []string{"trials", "seed", "partial-ok"} {
				if c.Flags().Changed(fl) {
					return usageError("merge", "--%s has no effect: the partials say what run they are of", fl)
				}
			}
			parts, err := readPartials(args)
			if err != nil {
				return err
			}
			h := &parts[0].Header
			cfg, err := scenarios.Parse(h.File, []byte(h.ResolvedTOML), nil)
			if err != nil {
				return inputError(fmt.Errorf("merge: %s: the embedded scenario: %w", args[0], err))
			}
			cfg.File = h.File
			var loc model.Locator
			if len(h.Locator) > 0 {
				if loc, err = scenarios.UnmarshalLocator(h.Locator); err != nil {
					return inputError(fmt.Errorf("merge: %s: %w", args[0], err))
				}
			}
			if err := checkMemory(e, "merge", h.Trials, memoryEstimate(h.Trials, cfg)); err != nil {
				return err
			}
			setMemoryLimit(h.Trials, cfg)
			outs := &outputs{cmd: "merge", dir: f.out, reserved: []string{render.ReportJSON, render.ReportMarkdown, render.ReportHTML}}
			perTrialOut := outs.addFile("per-trial", perTrial)
			if err := outs.check(); err != nil {
				return err
			}
			t, err := report.Merge(cfg, parts)
			if err != nil {
				var me *report.MergeError
				if errors.As(err, &me) {
					return inputError(err)
				}
				return err
			}
			cfg.Seed, cfg.Trials = h.Seed, h.Trials
			s := &simulation{cfg: cfg, seed: h.Seed, asked: h.Trials, trials: t}
			prog := newProgress(c.Context(), e, f.quiet, []string{cfg.Name}, 0)
			s.aggregate(prog.bar(0))
			s.report.Overrides = h.Overrides
			return emitRun(c, e, s, loc, &f, prog, outs, perTrialOut, nil, 0, false)
		},
	}
	f.register(c, e, "also write report.json, report.md, report.html and the charts into `DIR`, replacing its previous report as a whole")
	fs := c.Flags()
	fs.StringVar(&perTrial, "per-trial", "", "also write one CSV row per trial to `FILE` (it may lie inside --out)")
	c.MarkFlagFilename("per-trial", "csv")
	return c
}
