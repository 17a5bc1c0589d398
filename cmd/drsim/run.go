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
number of trials, and says how many it took.`,
		Example: `  drsim run snowy
  drsim run snowy --trials 10000 --seed 42 --format json > report.json
  drsim run my-setup.toml --out out/ --per-trial out/trials.csv
  drsim run warm-standby --check --min-probability 0.99
  drsim run snowy --trace trial.jsonl --trace-trial 17
  drsim run snowy --set failover.detect=2m --set 'failover.steps[approve].duration=uniform(2m, 5m)'
  drsim run snowy --precision 0.01
  drsim init --strategy pilot-light - | drsim run -`,
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
			overrides, err := parseSets(sets)
			if err != nil {
				return err
			}
			res.overrides = overrides
			cfg, loc, err := res.resolveLocated(args[0])
			if err != nil {
				return err
			}
			n, seed := f.trialsAndSeed(cfg)
			if n < 1 {
				return usageError("run", "the scenario asks for %d trials; give --trials", n)
			}
			if c.Flags().Changed("trace-trial") && traceTrial >= n && !pf.on() {
				return usageError("run", "--trace-trial must be between 0 and %d, got %d", n-1, traceTrial)
			}
			most := n
			if pf.on() {
				most = max(n, pf.maxTrials)
			}
			if err := checkMemory(e, "run", most, memoryEstimate(most, cfg)); err != nil {
				return err
			}
			setMemoryLimit(n, cfg)
			outs := &outputs{cmd: "run", dir: f.out, reserved: []string{render.ReportJSON, render.ReportMarkdown, render.ReportHTML}}
			perTrialOut := outs.addFile("per-trial", perTrial)
			traceOut := outs.addFile("trace", tracePath)
			if err := outs.check(); err != nil {
				return err
			}

			prog := newProgress(c.Context(), e, f.quiet, []string{cfg.Name}, n)
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
				s = runTrials(c.Context(), cfg, seed, n, f.nWorkers(), prog.bar(0))
			}
			interrupted := s.interrupted || c.Context().Err() != nil
			if interrupted {
				prog.abort()
				fmt.Fprintf(e.stderr, "drsim: run: %s\n", s.interruptedMessage())
				if !f.partialOK || s.trials.N() == 0 {
					return silentError(exitInterrupted)
				}
			}
			s.aggregate(prog.bar(0))
			s.report.LocateFindings(cfg, loc)
			s.report.Overrides = reportOverrides(overrides)
			s.report.Precision = prec
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
			err = outs.write(func(dir string) error { return render.WriteAll(dir, s.report) })
			prog.stop()
			if err != nil {
				return err
			}
			if err := writeReport(e.stdout, f.format.v, s.report, s.interrupted, s.partialNote,
				report.WriteJSON, render.WriteMarkdown, render.WriteText); err != nil {
				return ioError(fmt.Errorf("run: writing the report: %w", err))
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
		},
	}
	f.register(c, e, "also write report.json, report.md, report.html and the charts into `DIR`, replacing its previous report as a whole")
	addSetFlag(c, &sets)
	pf.register(c)
	fs := c.Flags()
	fs.StringVar(&perTrial, "per-trial", "", "also write one CSV row per trial to `FILE` (it may lie inside --out)")
	c.MarkFlagFilename("per-trial", "csv")
	fs.StringVar(&tracePath, "trace", "", "also write the event log of one trial as JSON lines to `FILE`")
	c.MarkFlagFilename("trace", "jsonl")
	fs.Var(&countValue{v: &traceTrial, min: 0}, "trace-trial", "the trial --trace writes, from 0 (default: the representative trial)")
	c.RegisterFlagCompletionFunc("trace-trial", cobra.NoFileCompletions)
	res = newResolver(e, c)
	return c
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
