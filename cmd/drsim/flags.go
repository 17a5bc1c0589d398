package main

import (
	"errors"
	"fmt"
	"github.com/drsim/drsim/internal/suggest"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
)

// countValue is a flag holding a whole number of at least min (and at most
// max, for trials: scenarios.MaxTrials): trials, workers, a trial index. It accepts "10000", "10_000" and "1e4".
type countValue struct {
	v   *int
	min int
	max int // 0: none
}

func (c *countValue) String() string { return strconv.Itoa(*c.v) }
func (c *countValue) Type() string   { return "N" }

func (c *countValue) Set(s string) error {
	n, err := parseCount(s)
	if err != nil {
		return err
	}
	if n < int64(c.min) {
		return fmt.Errorf("must be at least %d", c.min)
	}
	if c.max > 0 && n > int64(c.max) {
		return fmt.Errorf("must be at most %s (docs/limits.md)", groupDigits(int64(c.max)))
	}
	*c.v = int(n)
	return nil
}

// parseCount parses a whole number written as digits (with optional _
// separators) or in e-notation ("1e6").
func parseCount(s string) (int64, error) {
	t := strings.ReplaceAll(s, "_", "")
	n, err := strconv.ParseInt(t, 10, 64)
	if err == nil {
		return n, nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("must be a whole number below %d", int64(math.MaxInt64))
	}
	f, ferr := strconv.ParseFloat(t, 64)
	if ferr != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		return 0, errors.New("must be a whole number")
	}
	if f >= math.MaxInt64 || f <= math.MinInt64 {
		return 0, fmt.Errorf("must be a whole number below %d", int64(math.MaxInt64))
	}
	return int64(f), nil
}

// seedValue is --seed: any 64-bit unsigned number.
type seedValue struct{ v *uint64 }

func (s *seedValue) String() string { return strconv.FormatUint(*s.v, 10) }
func (s *seedValue) Type() string   { return "S" }

func (s *seedValue) Set(v string) error {
	// The range of a scenario's seed: TOML integers are 64-bit signed.
	n, err := strconv.ParseUint(strings.ReplaceAll(v, "_", ""), 10, 63)
	if err != nil {
		return fmt.Errorf("must be a whole number from 0 to %d, as a scenario's seed", int64(math.MaxInt64))
	}
	*s.v = n
	return nil
}

// probValue is a probability: a number from 0 to 1, or a percentage
// ("99%").
type probValue struct{ v *float64 }

func (p *probValue) String() string { return strconv.FormatFloat(*p.v, 'g', -1, 64) }
func (p *probValue) Type() string   { return "P" }

func (p *probValue) Set(s string) error {
	t, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(t, 64)
	if pct {
		v /= 100
	}
	if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
		return errors.New("must be a number between 0 and 1, or a percentage like 99%")
	}
	*p.v = v
	return nil
}

// formatAlias returns the format name an alias stands for ("md" is
// "markdown", "txt" is "text"), or "" for no alias. Names and aliases are
// matched case-insensitively.
func formatAlias(a string) string {
	switch a {
	case "md":
		return "markdown"
	case "txt":
		return "text"
	}
	return ""
}

// didYouMean returns "did you mean X? " for the choice nearest s
// (internal/suggest), or "".
func didYouMean(s string, choices []string) string {
	if c := suggest.Closest(s, choices); c != "" {
		return fmt.Sprintf("did you mean %q? ", c)
	}
	return ""
}

// formatValue is a --format value, one of choices, case-insensitive, with
// the aliases of formatAlias.
type formatValue struct {
	v       string
	choices []string
}

func (f *formatValue) String() string { return f.v }
func (f *formatValue) Type() string   { return "FORMAT" }

func (f *formatValue) Set(s string) error {
	name := strings.ToLower(strings.TrimSpace(s))
	if a := formatAlias(name); a != "" {
		name = a
	}
	for _, c := range f.choices {
		if name == c {
			f.v = c
			return nil
		}
	}
	return fmt.Errorf("%smust be one of %s%s", didYouMean(name, f.choices), strings.Join(f.choices, ", "), f.aliasHelp())
}

// aliasHelp lists the aliases of the choices, " (or md, txt)".
func (f *formatValue) aliasHelp() string {
	var as []string
	for _, a := range []string{"md", "txt"} {
		for _, c := range f.choices {
			if formatAlias(a) == c {
				as = append(as, a)
			}
		}
	}
	if len(as) == 0 {
		return ""
	}
	return " (or " + strings.Join(as, ", ") + ")"
}

// addFormatFlag adds --format with the given choices (the first is the
// default) and its completion.
func addFormatFlag(c *cobra.Command, f *formatValue, choices ...string) {
	*f = formatValue{v: choices[0], choices: choices}
	c.Flags().Var(f, "format", "output format: "+strings.Join(choices, ", ")+" (case-insensitive"+strings.TrimSuffix(strings.Replace(f.aliasHelp(), " (or", "; also", 1), ")")+")")
	c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp))
}

// needs returns a usage error when flag is given without other, on which
// it depends: a flag that would have no effect is an error, not ignored.
func needs(c *cobra.Command, flag, other string) error {
	if c.Flags().Changed(flag) && !c.Flags().Changed(other) {
		return usageError(c.Name(), "--%s has no effect without --%s", flag, other)
	}
	return nil
}

// simFlags are the flags of every command that simulates: run, compare
// and trace.
type simFlags struct {
	trials  int
	seed    uint64
	workers int
	quiet   bool
	// set reports whether a flag was given; defaultWorkers is the
	// default of --workers.
	set            func(name string) bool
	defaultWorkers int
}

func (f *simFlags) register(c *cobra.Command, e *env) {
	fs := c.Flags()
	fs.Var(&countValue{v: &f.trials, min: 1, max: scenarios.MaxTrials}, "trials", "number of trials (default: the scenario's)")
	fs.Var(&seedValue{v: &f.seed}, "seed", "random seed, 0 to 9223372036854775807 (default: the scenario's)")
	fs.Var(&countValue{v: &f.workers, min: 1}, "workers", "parallel workers; the report does not depend on them (default: the number of CPUs)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bars on stderr (they are shown only on a terminal)")
	c.RegisterFlagCompletionFunc("trials", cobra.NoFileCompletions)
	c.RegisterFlagCompletionFunc("seed", cobra.NoFileCompletions)
	c.RegisterFlagCompletionFunc("workers", cobra.NoFileCompletions)
	f.set = fs.Changed
	f.defaultWorkers = max(1, e.workers)
}

// nWorkers returns --workers, by default the number of CPUs.
func (f *simFlags) nWorkers() int {
	if f.set("workers") {
		return f.workers
	}
	return f.defaultWorkers
}

// trialsAndSeed returns the number of trials and the seed of a run of cfg:
// the scenario's unless --trials or --seed is given.
func (f *simFlags) trialsAndSeed(cfg *model.Config) (int, uint64) {
	n, seed := cfg.Trials, cfg.Seed
	if f.set("trials") {
		n = f.trials
	}
	if f.set("seed") {
		seed = f.seed
	}
	return n, seed
}

// runFlags are the flags run and compare share.
type runFlags struct {
	simFlags
	format    formatValue
	out       string
	check     bool
	minP      float64
	partialOK bool
}

func (f *runFlags) register(c *cobra.Command, e *env, outHelp string, moreFormats ...string) {
	f.simFlags.register(c, e)
	f.registerReport(c, outHelp, moreFormats...)
	c.Flags().BoolVar(&f.partialOK, "partial-ok", false, "when interrupted, still write a report (marked partial) over the trials done")
}

// registerReport registers the flags of f that say what to do with a
// report (--format, --out, --check, --min-probability): all that merge
// takes, besides --quiet.
func (f *runFlags) registerReport(c *cobra.Command, outHelp string, moreFormats ...string) {
	fs := c.Flags()
	addFormatFlag(c, &f.format, append([]string{"text", "json", "markdown"}, moreFormats...)...)
	fs.StringVar(&f.out, "out", "", outHelp)
	c.MarkFlagDirname("out")
	fs.BoolVar(&f.check, "check", false, "exit with status 3 when the objectives are met in fewer than --min-probability of the trials")
	f.minP = 0.95
	fs.Var(&probValue{v: &f.minP}, "min-probability", "the bar of --check: a probability or a percentage")
	c.RegisterFlagCompletionFunc("min-probability", cobra.NoFileCompletions)
}

// checkDeps reports the flags of f given without the flag they need.
func (f *runFlags) checkDeps(c *cobra.Command) error {
	return needs(c, "min-probability", "check")
}
