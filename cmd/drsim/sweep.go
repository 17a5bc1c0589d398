package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/whatif"
)

func newSweepCmd(e *env) *cobra.Command {
	var (
		f      simFlags
		sets   []string
		varies []string
		pf     precisionFlags
		format formatValue
		out    string
		metric report.Metric
		minP   float64
		res    *resolver
	)
	c := &cobra.Command{
		Use:   "sweep FILE|NAME|- --vary PATH=V1,V2,... [--vary ...]",
		Short: "run a scenario at every point of a grid of overrides",
		Long: fmt.Sprintf(`Runs a scenario at every combination of the values given with --vary (a
grid; the last --vary changes fastest) and prints one table: P(meet both)
with its 95%% CI, RTO and RPO p50 and p95, lost writes, KMS failures and the
monthly cost of each point, and which points are on the Pareto front of
P(meet both) and cost. Every point runs the same trials with the same seed
(common random numbers), so that trial i sees the same outage everywhere
and differences come from the setups; a warning says when a varied value
breaks that (an outage's start or duration). A grid of more than %d points
is refused before anything runs.

PATH is a TOML key path of the scenario, with [i] to select an item of an
array (from 0) and [name=X], or [X], the item named X:
failover.detect, buckets.alerts.replication[0].rtc,
failover.steps[name=approve].duration. Each value is read as it would be
written in the file: a TOML value (20, 0.5, true, "text", ["a", "b"]), or
a bare word taken as the string it spells (2m, uniform(2m, 5m),
us-west-2). Values are split at the commas outside quotes and brackets.
--set changes the scenario for every point; errors point at the argument
("--vary #1:17").

--out DIR writes sweep.json, sweep.md and the charts: --metric against each
varied parameter (the objective or the check bar marked), and the monthly
cost against P(meet both) with the Pareto front.`, whatif.MaxGridPoints),
		Example: `  drsim sweep snowy --vary failover.detect=1m,4m,10m --vary buckets.alerts.replication[0].rtc=true,false
  drsim sweep snowy --vary 'failover.steps[approve].duration=1m,uniform(5m, 15m),30m' --out sweep/
  drsim sweep snowy --vary failover.detect=1m,10m --metric rto_p95 --format json
  drsim sweep snowy --vary failover.detect=1m,10m --precision 0.01`,
		ValidArgsFunction: completeScenarios(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("sweep", "want one scenario (a file, a bundled name or -), got %d arguments", len(args))
			}
			if len(varies) == 0 {
				return usageError("sweep", "nothing to vary: give --vary PATH=V1,V2,...")
			}
			if err := pf.check(c); err != nil {
				return err
			}
			// Every problem of the command line at once: the --set and
			// --vary arguments, the scenario with the overrides, the
			// values of every point.
			overrides, errs := parseSetArgs(sets)
			params, verrs := parseVaryArgs(varies)
			errs = append(errs, verrs...)
			res.overrides = overrides
			base, err := res.open(args[0])
			if err != nil {
				var el scenarios.ErrorList
				if !errors.As(err, &el) {
					return err
				}
				errs = appendNew(errs, el...)
				// The --vary values are checked against the scenario
				// without the --set overrides, so that their errors are
				// reported too (standard input can be read only once).
				res.overrides = nil
				if args[0] != "-" && len(params) > 0 {
					if bare, err := res.open(args[0]); err == nil {
						if err := whatif.Check(bare, params); errors.As(err, &el) {
							for _, e := range el {
								if strings.HasPrefix(e.File, "--vary ") {
									errs = appendNew(errs, e)
								}
							}
						}
					}
				}
				return inputError(errs)
			}
			if len(errs) > 0 {
				if err := whatif.Check(base, params); err != nil {
					var el scenarios.ErrorList
					if errors.As(err, &el) {
						errs = appendNew(errs, el...)
					}
				}
				return inputError(errs)
			}
			grid, err := whatif.Grid(base, params)
			if err != nil {
				return whatifError("sweep", err)
			}
			n, seed := f.trialsAndSeed(base.Config)
			most := n
			if pf.on() {
				most = max(n, pf.maxTrials)
			}
			if err := checkMemory(e, "sweep", most, memoryEstimate(most, base.Config)); err != nil {
				return err
			}
			outs := &outputs{cmd: "sweep", dir: out, reserved: []string{render.SweepJSON, render.SweepMD}}
			if err := outs.check(); err != nil {
				return err
			}
			prog := newProgress(c.Context(), e, f.quiet, []string{fmt.Sprintf("%s: %d points", base.Config.Name, len(grid))}, len(grid)*n)
			prog.bar(0).setPhase(phaseSimulating)
			s, err := whatif.Sweep(c.Context(), base, params, metric, minP, whatif.Options{
				Seed: seed, Trials: n, Workers: f.nWorkers(), Precision: pf.precision, MaxTrials: pf.maxTrials, Progress: prog.bar(0).whatifProgress(),
			})
			return finishWhatif(c.Context(), e, "sweep", "table", prog, outs, format.v, s, err,
				render.WriteSweepAll, report.WriteSweepJSON, render.WriteSweepMarkdown, render.WriteSweepText)
		},
	}
	f.register(c, e)
	res = newResolver(e, c)
	fs := c.Flags()
	fs.StringArrayVar(&varies, "vary", nil, "a value of the scenario and the values it takes, `PATH=V1,V2,...` (repeatable: the grid of all combinations)")
	c.RegisterFlagCompletionFunc("vary", cobra.NoFileCompletions)
	addSetFlag(c, &sets)
	pf.register(c)
	addFormatFlag(c, &format, "text", "json", "markdown")
	addMetricFlag(c, &metric, "the metric the charts plot against each parameter")
	fs.StringVar(&out, "out", "", "also write sweep.json, sweep.md and the charts (SVG and PNG) into `DIR`, replacing its previous sweep as a whole")
	c.MarkFlagDirname("out")
	minP = 0.95
	fs.Var(&probValue{v: &minP}, "min-probability", "the bar the charts and the verdict mark on P(meet both), as --check's")
	c.RegisterFlagCompletionFunc("min-probability", cobra.NoFileCompletions)
	return c
}
