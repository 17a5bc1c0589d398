package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/model"
)

func newTraceCmd(e *env) *cobra.Command {
	var (
		f     simFlags
		trial int
		sets  []string
	)
	var res *resolver
	c := &cobra.Command{
		Use:   "trace FILE|NAME|- [--trial N]",
		Short: "print the event log of one trial as JSON lines",
		Long: `Simulates one trial and prints its event log on stdout as JSON lines: one
object per event, in simulation order, with t_ns (nanoseconds from the start
of the trial), kind, subject, region, outcome, error and message. The same as
'drsim run --trace', for one trial only. Without --trial it runs all trials
first and traces the representative one (the trial with the median RTO).`,
		Example: `  drsim trace snowy --trial 3
  drsim trace snowy --trial 3 | jq -r 'select(.kind == "kms-failure") | .message'
  drsim trace my-setup.toml --seed 9
  drsim trace snowy --trial 3 --set failover.detect=10m`,
		ValidArgsFunction: completeScenarios(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("trace", "want one scenario (a file, a bundled name or -), got %d arguments", len(args))
			}
			withTrial := c.Flags().Changed("trial")
			if withTrial && c.Flags().Changed("trials") {
				return usageError("trace", "--trials has no effect with --trial (it sets the trials the representative trial is chosen from)")
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
			var d *model.Detail
			if withTrial {
				cfg.Seed = seed
				d = &model.Detail{}
				model.NewRunner(cfg).Trial(seed, trial, d)
			} else {
				if n < 1 {
					return usageError("trace", "the scenario asks for %d trials; give --trial or --trials", n)
				}
				if err := checkMemory(e, "trace", n, memoryEstimate(n, cfg)); err != nil {
					return err
				}
				setMemoryLimit(n, cfg)
				prog := newProgress(c.Context(), e, f.quiet, []string{cfg.Name}, n)
				s := runTrials(c.Context(), cfg, seed, n, f.nWorkers(), prog.bar(0))
				if s.interrupted || c.Context().Err() != nil {
					prog.abort()
					fmt.Fprintf(e.stderr, "drsim: trace: %s\n", s.interruptedMessage())
					return silentError(exitInterrupted)
				}
				prog.stop()
				d = s.traceTrial(max(s.trials.Representative(), 0))
			}
			if err := writeTrace(e.stdout, d); err != nil {
				return ioError(fmt.Errorf("trace: writing the trace: %w", err))
			}
			return nil
		},
	}
	c.Flags().Var(&countValue{v: &trial, min: 0}, "trial", "the trial to trace, from 0")
	c.RegisterFlagCompletionFunc("trial", cobra.NoFileCompletions)
	f.register(c, e)
	res = newResolver(e, c)
	addSetFlag(c, &sets)
	return c
}
