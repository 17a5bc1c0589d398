package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
)

func newRunCmd(e *env) *cobra.Command {
	var (
		f          runFlags
		sets       []string
		pf         precisionFlags
		perTrial   string
		tracePath  string
		traceTrial int
		shardArg   string
		shardCount int
		outPartial string
	)
	var res *resolver
	c := &cobra.Command{
		Use:   "run FILE|NAME|-",
		Short: "simulate a scenario and print the report",
		Long: `Simulates a scenario (a TOML file, the name of a bundled scenario, or - for
standard input) over many randomized trials and prints the report. Flags may
come before or after the scenario.

Every output file is written atomically, and --out replaces its folder's
report as a whole; output paths are checked before the first trial. On
SIGINT or SIGTERM the trials stop, "interrupted after N of M trials" is
printed and nothing is written (unless --partial-ok); the exit status is 130.

--set PATH=VALUE changes one value of the scenario as if it were written in
the file (after extends), and the report lists it; see 'drsim help sweep'
for the syntax. --precision H adds batches of the scenario's trials (or
--trials) until the 95% interval of P(meet both) is at most ±H, or
--max-trials is reached: the report is that of a plain run with the final
number of trials, and says how many it took.

With --shard i/n (n at most 100,000) the run computes only the trials
[⌊(i−1)N/n⌋, ⌊iN/n⌋) of its N and writes them as a partial result (--out-partial FILE, or standard
output with --format partial): a compact, versioned file that embeds the
resolved scenario (--set included). drsim merge joins the n partials into
the report the whole run writes, byte for byte. --shard env takes i from
the environment of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or an
AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX), 0-based there, and n from
--shard-count; when both are set they must agree, and an empty one is an
error. A shard writes no report: --format takes only partial there.`,
		Example: `  drsim run snowy
  drsim run snowy --trials 10000 --seed 42 --format json > report.json
  drsim run my-setup.toml --out out/ --per-trial out/trials.csv
  drsim run warm-standby --check --min-probability 0.99
  drsim run snowy --trace trial.jsonl --trace-trial 17
  drsim run snowy --set failover.detect=2m --set 'failover.steps[approve].duration=uniform(2m, 5m)'
  drsim run snowy --precision 0.01
  drsim init --strategy pilot-light - | drsim run -
  drsim run snowy --trials 1000000 --shard 2/4 --out-partial part-2.drsim
  drsim run snowy --trials 1000000 --shard env --shard-count 4 --out-partial /shared/part-$JOB_COMPLETION_INDEX.drsim`,
		ValidArgsFunction: completeScenarios(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("run", "want one scenario (a file, a bundled name or -), got %d arguments", len(args))
			}
			if err := f.checkDeps(c); err != nil {
				return err
			}
			if err := needs(c, "trace-trial", "trace"); err != nil {
				return err
			}
			if err := pf.check(c); err != nil {
				return err
			}
			if err := needs(c, "shard-count", "shard"); err != nil {
				return err
			}
			var shard shardSpec
			if c.Flags().Changed("shard") {
				var err error
				if shard, err = parseShard(shardArg, shardCount, c.Flags().Changed("shard-count"), e.lookupEnv); err != nil {
					return err
				}
			}
			partialOnly := shard.set || f.format.v == "partial"
			if shard.set && outPartial == "" && f.format.v != "partial" {
				return usageError("run", "--shard writes a partial result: give --out-partial FILE, or --format partial for standard output")
			}
			if shard.set && c.Flags().Changed("format") && f.format.v != "partial" {
				return usageError("run", "--format %s has no effect on a shard: it writes a partial result (--out-partial FILE, or --format partial for standard output); drsim merge writes the report in any format", f.format.v)
			}
			if partialOnly {
				for _, fl := range []string{"out", "per-trial", "trace", "check", "partial-ok", "precision"} {
					if c.Flags().Changed(fl) {
						return usageError("run", "--%s has no effect on a partial result (--shard, --format partial): drsim merge writes the report, the per-trial CSV, and checks", fl)
					}
				}
			}
			if pf.on() && outPartial != "" {
				return usageError("run", "--out-partial and --precision: a run to precision is not a shard of a known trial count")
			}
			overrides, err := parseSets(sets)
			if err != nil {
				return err
			}
			res.overrides = overrides
			resolved, err := res.open(args[0])
			if err != nil {
				return err
			}
			cfg, loc := resolved.Config, resolved.Locator
			n, seed := f.trialsAndSeed(cfg)
			if n < 1 {
				return usageError("run", "the scenario asks for %d trials; give --trials", n)
			}
			if c.Flags().Changed("trace-trial") && traceTrial >= n && !pf.on() {
				return usageError("run", "--trace-trial must be between 0 and %d, got %d", n-1, traceTrial)
			}
			from, to := 0, n
			if shard.set {
				from, to = report.ShardRange(shard.i, shard.n, n)
			}
			most := to - from
			if pf.on() {
				most = max(n, pf.maxTrials)
			}
			if err := checkMemory(e, "run", most, memoryEstimate(most, cfg)); err != nil {
				return err
			}
			setMemoryLimit(most, cfg)
			outs := &outputs{cmd: "run", dir: f.out, reserved: []string{render.ReportJSON, render.ReportMarkdown, render.ReportHTML}, inputs: args}
			outs.addBases(args[0], resolved)
			perTrialOut := outs.addFile("per-trial", perTrial)
			traceOut := outs.addFile("trace", tracePath)
			partialOut := outs.addFile("out-partial", outPartial)
			if err := outs.check(); err != nil {
				return err
			}
			header, err := partialHeader(resolved, n, shard)
			if err != nil {
				return err
			}

			prog := newProgress(c.Context(), e, f.quiet, []string{cfg.Name}, to-from)
			var s *simulation
			var prec *report.Precision
			if pf.on() {
				sims, p, err := runToPrecision(c.Context(), []*model.Config{cfg}, seed, n, f.nWorkers(), pf, prog.bar(0))
				if err != nil {
					return err
				}
				s, prec = sims[0], p
				if c.Flags().Changed("trace-trial") && traceTrial >= s.trials.N() && !s.interrupted {
					prog.abort()
					return usageError("run", "--trace-trial must be between 0 and %d (the trials --precision ran), got %d", s.trials.N()-1, traceTrial)
				}
			} else {
				s = runTrialRange(c.Context(), cfg, seed, n, from, to, f.nWorkers(), prog.bar(0))
			}
			interrupted := s.interrupted || c.Context().Err() != nil
			if partialOnly {
				if interrupted {
					prog.abort()
					fmt.Fprintf(e.stderr, "drsim: run: %s; no partial result written\n", s.interruptedMessage())
					return silentError(exitInterrupted)
				}
				prog.bar(0).setPhase(phaseRendering)
				if partialOut != nil {
					partialOut.write = func(w io.Writer) error { return writePartialTo(w, s, header) }
					err = outs.write(nil)
				} else if err = writePartialTo(e.stdout, s, header); err != nil {
					err = ioError(fmt.Errorf("run: %w", err))
				}
				prog.stop()
				return err
			}
			if interrupted {
				prog.abort()
				fmt.Fprintf(e.stderr, "drsim: run: %s\n", s.interruptedMessage())
				if !f.partialOK || s.trials.N() == 0 {
					return silentError(exitInterrupted)
				}
			}
			s.aggregate(prog.bar(0))
			s.report.Overrides = reportOverrides(overrides)
			s.report.Precision = prec
			if partialOut != nil {
				partialOut.write = func(w io.Writer) error { return writePartialTo(w, s, header) }
			}
			return emitRun(c, e, s, loc, &f, prog, outs, perTrialOut, traceOut, traceTrial, interrupted)
		},
	}
	f.register(c, e, "also write report.json, report.md, report.html and the charts into `DIR`, replacing its previous report as a whole", "partial")
	addSetFlag(c, &sets)
	pf.register(c)
	fs := c.Flags()
	fs.StringVar(&perTrial, "per-trial", "", "also write one CSV row per trial to `FILE` (it may lie inside --out)")
	c.MarkFlagFilename("per-trial", "csv")
	fs.StringVar(&tracePath, "trace", "", "also write the event log of one trial as JSON lines to `FILE`")
	c.MarkFlagFilename("trace", "jsonl")
	fs.Var(&countValue{v: &traceTrial, min: 0}, "trace-trial", "the trial --trace writes, from 0 (default: the representative trial)")
	c.RegisterFlagCompletionFunc("trace-trial", cobra.NoFileCompletions)
	fs.StringVar(&shardArg, "shard", "", "compute only shard `i/n` of the trials (1-based), or env: i from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (0-based) and n from --shard-count; writes a partial result")
	c.RegisterFlagCompletionFunc("shard", cobra.FixedCompletions([]string{"env"}, cobra.ShellCompDirectiveNoFileComp))
	fs.Var(&countValue{v: &shardCount, min: 1}, "shard-count", "the number of shards, with --shard env")
	c.RegisterFlagCompletionFunc("shard-count", cobra.NoFileCompletions)
	fs.StringVar(&outPartial, "out-partial", "", "write the trials as a partial result to `FILE`, for drsim merge")
	c.MarkFlagFilename("out-partial", "json")
	res = newResolver(e, c)
	return c
}

// emitRun writes what a run (or a merge) outputs once its report is
// built: the findings placed in the scenario's files, the --out folder,
// the per-trial CSV, the trace, the report on stdout, then --check.
func emitRun(c *cobra.Command, e *env, s *simulation, loc model.Locator, f *runFlags, prog *progress, outs *outputs,
	perTrialOut, traceOut *outputFile, traceTrial int, interrupted bool) error {
	s.report.LocateFindings(s.cfg, loc)
	prog.bar(0).setPhase(phaseRendering)
	if perTrialOut != nil {
		perTrialOut.write = func(w io.Writer) error { return report.WriteTrialsCSV(w, s.trials) }
	}
	if traceOut != nil {
		i := traceTrial
		if !c.Flags().Changed("trace-trial") {
			i = max(s.rep, 0)
		}
		traceOut.write = func(w io.Writer) error { return writeTrace(w, s.traceTrial(i)) }
	}
	err := outs.write(func(dir string) error { return render.WriteAll(dir, s.report) })
	prog.stop()
	if err != nil {
		return err
	}
	if err := writeReport(e.stdout, f.format.v, s.report, s.interrupted, s.partialNote,
		report.WriteJSON, render.WriteMarkdown, render.WriteText); err != nil {
		return ioError(fmt.Errorf("%s: writing the report: %w", c.Name(), err))
	}
	if interrupted {
		return silentError(exitInterrupted)
	}
	if f.check {
		ok, err := checkObjectives(e.stderr, s, f.minP)
		if err != nil {
			return err
		}
		if !ok {
			return silentError(exitCheck)
		}
	}
	return nil
}

// writeReport renders v on w in format (json, markdown or text). A partial
// report's text and Markdown start with a banner saying so; its JSON says
// so in its first warning.
func writeReport[T any](w io.Writer, format string, v T, partial bool, note func() string, json, markdown, text func(io.Writer, T) error) error {
	switch format {
	case "json":
		return json(w, v)
	case "markdown":
		if partial {
			if _, err := fmt.Fprintf(w, "> **%s**\n\n", note()); err != nil {
				return err
			}
		}
		return markdown(w, v)
	default:
		if partial {
			if _, err := fmt.Fprintf(w, "%s\n\n", note()); err != nil {
				return err
			}
		}
		return text(w, v)
	}
}

// completeScenarios completes up to max scenario arguments (0: any
// number): the bundled names, the .toml files and the folders that start
// with what was typed.
func completeScenarios(max int) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max > 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return scenarioCompletions(toComplete)
	}
}
