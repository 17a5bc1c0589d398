package main

import (
	"fmt"
	"io"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
)

const traceUsage = `Usage: drsim trace FILE|NAME [--trial N] [flags]

Simulates one trial and prints its event log on stdout as JSON lines: one
object per event, in simulation order, with t_ns (nanoseconds from the start
of the trial), kind, subject, region, outcome, error and message. The same as
'drsim run --trace', for one trial only. Without --trial it runs all trials
first and traces the representative one.

Flags:
  --trial N      the trial to trace (0-based)
  --seed S       random seed (default: the scenario's seed)
  --trials N     trials to choose the representative one from, when --trial
                 is not given (default: the scenario's trials)
  --workers N    parallel workers (default: the number of CPUs)
  --quiet        no progress line on stderr

Examples:
  drsim trace snowy --trial 3
  drsim trace snowy --trial 3 | jq -r 'select(.kind == "kms-failure") | .message'
  drsim trace my-setup.toml --seed 9
`

func cmdTrace(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("trace")
	trial := fs.Int("trial", -1, "the trial to trace")
	var f simFlags
	f.register(fs)
	pos, err := parseFlags(fs, traceUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("trace", "want one scenario (a file or a bundled name), got %d arguments", len(pos))
	}
	if flagSet(fs, "trial") && *trial < 0 {
		return usageError("trace", "--trial must be at least 0, got %d", *trial)
	}
	if err := f.validate(fs); err != nil {
		return err
	}
	cfg, err := scenarios.Resolve(pos[0])
	if err != nil {
		return inputError(err)
	}
	n, seed := f.trialsAndSeed(fs, cfg)
	var d *model.Detail
	if *trial >= 0 {
		cfg.Seed = seed
		d = &model.Detail{}
		model.NewRunner(cfg).Trial(seed, *trial, d)
	} else {
		if n < 1 {
			return usageError("trace", "the scenario asks for %d trials; give --trial or --trials", n)
		}
		prog := newProgress(stderr, f.quiet, n)
		s := simulate(cfg, seed, n, f.workers, prog.offset(0))
		prog.finish()
		d = s.traceTrial(max(s.rep, 0))
	}
	if err := writeTrace(stdout, d); err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	return nil
}
