package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/whatif"
)

// setHelp is the help of --set, shared by every command that loads a
// scenario for simulation or lint.
const setHelp = "override one value of the scenario, as if written in the file: `PATH=VALUE` (repeatable; " +
	"PATH is a TOML key path with [i] or [name=X] for array items, VALUE a TOML value or a bare word such as 2m)"

// addSetFlag adds --set to c.
func addSetFlag(c *cobra.Command, sets *[]string) {
	c.Flags().StringArrayVar(sets, "set", nil, setHelp)
	c.RegisterFlagCompletionFunc("set", cobra.NoFileCompletions)
}

// parseSets reads the --set arguments as overrides, named "--set #1",
// "--set #2", ... in errors. Bad ones are bad input (exit 2), every one
// reported.
func parseSets(sets []string) ([]scenarios.Override, error) {
	out, errs := parseSetArgs(sets)
	if len(errs) > 0 {
		return nil, inputError(errs)
	}
	return out, nil
}

// parseSetArgs reads the --set arguments that parse, and the errors of
// the others.
func parseSetArgs(sets []string) ([]scenarios.Override, scenarios.ErrorList) {
	var out []scenarios.Override
	var errs scenarios.ErrorList
	for i, s := range sets {
		o, err := scenarios.ParseOverride(fmt.Sprintf("--set #%d", i+1), s)
		if err != nil {
			errs = append(errs, errorList(err)...)
			continue
		}
		out = append(out, o)
	}
	return out, errs
}

// parseVaryArgs reads the --vary arguments that parse as parameters, and
// the errors of the others.
func parseVaryArgs(varies []string) ([]whatif.Param, scenarios.ErrorList) {
	var params []whatif.Param
	var errs scenarios.ErrorList
	for i, v := range varies {
		vs, err := scenarios.ParseVary(fmt.Sprintf("--vary #%d", i+1), v)
		if err != nil {
			errs = append(errs, errorList(err)...)
			continue
		}
		params = append(params, whatif.Param{Path: vs[0].Path, Values: vs})
	}
	return params, errs
}

// errorList returns the scenario errors err holds (ParseOverride and
// ParseVary return only those).
func errorList(err error) scenarios.ErrorList {
	var el scenarios.ErrorList
	if errors.As(err, &el) {
		return el
	}
	return scenarios.ErrorList{{Msg: err.Error()}}
}

// appendNew appends the errors of more that are not in errs yet.
func appendNew(errs scenarios.ErrorList, more ...*scenarios.Error) scenarios.ErrorList {
	for _, e := range more {
		dup := false
		for _, f := range errs {
			if *f == *e {
				dup = true
				break
			}
		}
		if !dup {
			errs = append(errs, e)
		}
	}
	return errs
}

// scenarioErrors names the scenario that an override broke, for a command
// that applies --set to several (compare, lint): each error positioned on
// an override gets " (in NAME)", since the same --set may fail in one
// scenario and not in another. Other errors already name their file.
func scenarioErrors(err error, name string) error {
	var el scenarios.ErrorList
	if !errors.As(err, &el) {
		return err
	}
	out := make(scenarios.ErrorList, len(el))
	for i, e := range el {
		c := *e
		if strings.HasPrefix(c.File, "--set ") {
			c.Msg += " (in " + name + ")"
		}
		out[i] = &c
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return &exitError{code: ee.code, err: out, hint: ee.hint}
	}
	return out
}

// whatifError is an error of package whatif for a what-if command: bad
// input (exit 2), printed with the command's name in place of the
// package's ("sweep: ..." for "whatif: sweep: ..."), with a pointer to the command's help when it is
// about the command line rather than the scenario.
func whatifError(cmd string, err error) error {
	var el scenarios.ErrorList
	if errors.As(err, &el) {
		return inputError(err)
	}
	// "whatif: sweep: ..." names the package: the command prints itself.
	return &exitError{code: exitInput, err: withoutPackages(err, "whatif: "), hint: fmt.Sprintf("Run 'drsim help %s' for usage.", cmd)}
}

// reportOverrides are the overrides as a document lists them.
func reportOverrides(ov []scenarios.Override) []report.Override {
	var out []report.Override
	for _, o := range ov {
		out = append(out, report.Override{Path: o.Path, Value: o.Value})
	}
	return out
}

// precisionFlags are --precision and --max-trials (run, compare, sweep).
type precisionFlags struct {
	precision float64
	maxTrials int
}

func (p *precisionFlags) register(c *cobra.Command) {
	p.maxTrials = whatif.DefaultMaxTrials
	c.Flags().Var(&halfWidthValue{v: &p.precision}, "precision", "add batches of trials (the scenario's trials, or --trials) until the 95% CI of P(meet both) is at most ±`H` "+
		"(a probability like 0.01, or 1%); the result is a plain run of the final count")
	c.Flags().Var(&countValue{v: &p.maxTrials, min: 1}, "max-trials", "the most trials --precision runs per scenario (per point of a sweep)")
	c.RegisterFlagCompletionFunc("precision", cobra.NoFileCompletions)
	c.RegisterFlagCompletionFunc("max-trials", cobra.NoFileCompletions)
}

// check reports --max-trials without --precision.
func (p *precisionFlags) check(c *cobra.Command) error { return needs(c, "max-trials", "precision") }

// on reports whether --precision was given.
func (p *precisionFlags) on() bool { return p.precision > 0 }

// halfWidthValue is --precision: a half-width in (0, 0.5), as a
// probability or a percentage ("1%").
type halfWidthValue struct{ v *float64 }

func (h *halfWidthValue) String() string {
	if *h.v == 0 {
		return ""
	}
	return fmt.Sprint(*h.v)
}
func (h *halfWidthValue) Type() string { return "H" }

func (h *halfWidthValue) Set(s string) error {
	var v float64
	if err := (&probValue{v: &v}).Set(s); err != nil || !(v > 0 && v < 0.5) {
		return errors.New("must be a half-width above 0 and below 0.5, like 0.01 or 1%")
	}
	*h.v = v
	return nil
}

// metricValue is --metric of sweep and sensitivity.
type metricValue struct{ v *report.Metric }

func (m *metricValue) String() string { return string(*m.v) }
func (m *metricValue) Type() string   { return "METRIC" }

func (m *metricValue) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	var names []string
	for _, x := range report.MetricNames {
		if s == string(x) {
			*m.v = x
			return nil
		}
		names = append(names, string(x))
	}
	return fmt.Errorf("must be one of %s", strings.Join(names, ", "))
}

func addMetricFlag(c *cobra.Command, m *report.Metric, what string) {
	*m = report.MetricMeetBoth
	var names []string
	for _, x := range report.MetricNames {
		names = append(names, string(x))
	}
	c.Flags().Var(&metricValue{v: m}, "metric", what+": "+strings.Join(names, ", "))
	c.RegisterFlagCompletionFunc("metric", cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
}

// tellOmitted says on stderr which charts --out left out and why (the
// Markdown says it too, but a user who only looks at the folder would not
// know a chart is missing).
func tellOmitted(e *env, cmd string, omitted []chart.Omission) {
	for _, o := range omitted {
		fmt.Fprintf(e.stderr, "drsim: %s: no chart %s (%s): %s\n", cmd, o.Name, o.Title, o.Why)
	}
}
