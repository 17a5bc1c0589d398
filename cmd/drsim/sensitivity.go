package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/whatif"
)

func newSensitivityCmd(e *env) *cobra.Command {
	var (
		f      simFlags
		sets   []string
		format formatValue
		out    string
		metric report.Metric
		minP   float64
		res    *resolver
	)
	c := &cobra.Command{
		Use:   "sensitivity FILE|NAME|-",
		Short: "rank the uncertain inputs of a scenario by their effect (tornado)",
		Long: `Finds which uncertain input drives the outcome. Every distribution of the
scenario that is not a constant (each outage's start and duration, phase
offsets and durations, detect, each step's duration, each replication lag,
each copy time) is pinned at its 10th and then at its 90th percentile, every
other input unchanged trial by trial (common random numbers: a pinned input
still takes its random number), and --metric is measured at each end:
P(meet both) by default, or rto_p95, rpo_p95, lost_mean. The rows are
sorted by swing, each end with its 95% CI. With k such inputs that is 2k+1
runs of the scenario's trials (or --trials). Inputs drawn many times a trial
(a lag per write, a copy time per backup) are pinned at every draw.

It also prints Spearman's rank correlation, over the incident trials of the
run of the scenario as written, between each single-draw input's random
number and the trial's RTO and RPO (an unrecovered trial ranks highest).

Inputs are named by their key paths, which --set accepts:
failover.steps[approve].duration. --out DIR writes sensitivity.json,
sensitivity.md and the tornado chart (SVG and PNG).`,
		Example: `  drsim sensitivity snowy
  drsim sensitivity snowy --metric rpo_p95 --out tornado/
  drsim sensitivity my-setup.toml --set failover.detect=2m --format json`,
		ValidArgsFunction: completeScenarios(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("sensitivity", "want one scenario (a file, a bundled name or -), got %d arguments", len(args))
			}
			overrides, err := parseSets(sets)
			if err != nil {
				return err
			}
			res.overrides = overrides
			cfg, err := res.resolve(args[0])
			if err != nil {
				return err
			}
			n, seed := f.trialsAndSeed(cfg)
			if err := checkMemory(e, "sensitivity", 2*n, memoryEstimate(2*n, cfg)); err != nil {
				return err
			}
			outs := &outputs{cmd: "sensitivity", dir: out, reserved: []string{render.SensitivityJSON, render.SensitivityMD}}
			if err := outs.check(); err != nil {
				return err
			}
			runs := whatif.SensitivityRuns(cfg)
			prog := newProgress(c.Context(), e, f.quiet, []string{fmt.Sprintf("%s: %d runs", cfg.Name, runs)}, runs*n)
			prog.bar(0).setPhase(phaseSimulating)
			s, err := whatif.Sensitivity(c.Context(), cfg, metric, minP, whatif.Options{Seed: seed, Trials: n, Workers: f.nWorkers(), Progress: prog.bar(0).whatifProgress()})
			if err == nil && c.Context().Err() == nil {
				s.Overrides = reportOverrides(overrides)
			}
			return finishWhatif(c.Context(), e, "sensitivity", "result", prog, outs, format.v, s, err,
				render.WriteSensitivityAll, report.WriteSensitivityJSON, render.WriteSensitivityMarkdown, render.WriteSensitivityText)
		},
	}
	f.register(c, e)
	res = newResolver(e, c)
	addSetFlag(c, &sets)
	addFormatFlag(c, &format, "text", "json", "markdown")
	addMetricFlag(c, &metric, "the metric the tornado measures")
	fs := c.Flags()
	fs.StringVar(&out, "out", "", "also write sensitivity.json, sensitivity.md and the tornado chart (SVG and PNG) into `DIR`, replacing its previous result as a whole")
	c.MarkFlagDirname("out")
	minP = 0.95
	fs.Var(&probValue{v: &minP}, "min-probability", "the bar the tornado marks on P(meet both), as --check's")
	c.RegisterFlagCompletionFunc("min-probability", cobra.NoFileCompletions)
	return c
}
