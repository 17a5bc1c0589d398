package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/scenarios"
)

const runUsage = `Usage: drsim run FILE|NAME [flags]

Simulates a scenario (a TOML file, or the name of a bundled scenario) over
many randomized trials and prints the report. Flags may come before or after
the scenario.

Flags:
  --trials N             number of trials (default: the scenario's trials)
  --seed S               random seed (default: the scenario's seed)
  --workers N            parallel workers (default: the number of CPUs);
                         the report does not depend on it
  --format F             text, json or markdown (default text)
  --per-trial FILE.csv   also write one CSV row per trial
  --out DIR              also write report.json, report.md, report.html and
                         the charts into DIR
  --trace FILE.jsonl     also write the event log of one trial as JSON lines
  --trace-trial N        the trial --trace writes (default: the
                         representative trial)
  --check                exit with status 3 when the objectives are met in
                         fewer than --min-probability of the trials
  --min-probability P    the bar of --check (default 0.95)
  --quiet                no progress line on stderr

Examples:
  drsim run snowy
  drsim run snowy --trials 10000 --seed 42 --format json > report.json
  drsim run my-setup.toml --out out/ --per-trial out/trials.csv
  drsim run warm-standby --check --min-probability 0.99
  drsim run snowy --trace trial.jsonl --trace-trial 17
`

// simFlags are the flags of every command that simulates: run, compare
// and trace.
type simFlags struct {
	trials  int
	seed    uint64
	workers int
	quiet   bool
}

func (f *simFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&f.trials, "trials", 0, "number of trials")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed")
	fs.IntVar(&f.workers, "workers", defaultWorkers(), "parallel workers")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress line")
}

// runFlags are the flags run and compare share.
type runFlags struct {
	simFlags
	format formatFlag
	out    string
	check  bool
	minP   probFlag
}

func (f *runFlags) register(fs *flag.FlagSet) {
	f.simFlags.register(fs)
	f.format = formatFlag{value: "text", choices: []string{"text", "json", "markdown"}}
	f.minP = 0.95
	fs.Var(&f.format, "format", "text, json or markdown")
	fs.StringVar(&f.out, "out", "", "output directory")
	fs.BoolVar(&f.check, "check", false, "fail when objectives are not met")
	fs.Var(&f.minP, "min-probability", "the bar of --check")
}

// validate checks the values of the shared flags.
func (f *simFlags) validate(fs *flag.FlagSet) error {
	if flagSet(fs, "trials") && f.trials < 1 {
		return usageError(fs.Name(), "--trials must be at least 1, got %d", f.trials)
	}
	if f.workers < 1 {
		return usageError(fs.Name(), "--workers must be at least 1, got %d", f.workers)
	}
	return nil
}

// trialsAndSeed returns the number of trials and the seed of a run of cfg:
// the scenario's unless --trials or --seed is given.
func (f *simFlags) trialsAndSeed(fs *flag.FlagSet, cfg *model.Config) (int, uint64) {
	n, seed := cfg.Trials, cfg.Seed
	if flagSet(fs, "trials") {
		n = f.trials
	}
	if flagSet(fs, "seed") {
		seed = f.seed
	}
	return n, seed
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run")
	var f runFlags
	f.register(fs)
	perTrial := fs.String("per-trial", "", "CSV file with one row per trial")
	tracePath := fs.String("trace", "", "JSON lines file with the event log of one trial")
	traceTrial := fs.Int("trace-trial", -1, "the trial --trace writes")
	pos, err := parseFlags(fs, runUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("run", "want one scenario (a file or a bundled name), got %d arguments", len(pos))
	}
	if err := f.validate(fs); err != nil {
		return err
	}
	cfg, loc, err := scenarios.ResolveLocated(pos[0])
	if err != nil {
		return inputError(err)
	}
	n, seed := f.trialsAndSeed(fs, cfg)
	if n < 1 {
		return usageError("run", "the scenario asks for %d trials; give --trials", n)
	}
	if flagSet(fs, "trace-trial") {
		if *tracePath == "" {
			return usageError("run", "--trace-trial needs --trace")
		}
		if *traceTrial < 0 || *traceTrial >= n {
			return usageError("run", "--trace-trial must be between 0 and %d, got %d", n-1, *traceTrial)
		}
	}

	prog := newProgress(stderr, f.quiet, n)
	s := simulate(cfg, seed, n, f.workers, prog.offset(0))
	prog.finish()
	s.report.SetFindings(findings.Static(cfg, loc))

	if *tracePath != "" {
		i := *traceTrial
		if i < 0 {
			i = max(s.rep, 0)
		}
		d := s.traceTrial(i)
		if err := writeFile(*tracePath, func(w io.Writer) error { return writeTrace(w, d) }); err != nil {
			return fmt.Errorf("run: writing the trace: %w", err)
		}
	}
	if *perTrial != "" {
		if err := writeFile(*perTrial, func(w io.Writer) error { return report.WriteCSV(w, cfg, s.results) }); err != nil {
			return fmt.Errorf("run: writing the per-trial CSV: %w", err)
		}
	}
	if f.out != "" {
		if err := render.WriteAll(f.out, s.report); err != nil {
			return fmt.Errorf("run: writing %s: %w", f.out, err)
		}
	}
	if err := writeFormat(stdout, f.format.value, s.report, report.WriteJSON, render.WriteMarkdown, render.WriteText); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if f.check {
		ok, err := checkObjectives(stderr, s, float64(f.minP))
		if err != nil {
			return err
		}
		if !ok {
			return silentError(exitCheck)
		}
	}
	return nil
}

// writeFormat renders v on w with the writer of the given --format: json,
// markdown, else text.
func writeFormat[T any](w io.Writer, format string, v T, json, markdown, text func(io.Writer, T) error) error {
	switch format {
	case "json":
		return json(w, v)
	case "markdown":
		return markdown(w, v)
	default:
		return text(w, v)
	}
}
