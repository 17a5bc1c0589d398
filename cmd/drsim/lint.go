package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/internal/escape"
)

func newLintCmd(e *env) *cobra.Command {
	var (
		format formatValue
		sets   []string
	)
	failOn := "error"
	var res *resolver
	c := &cobra.Command{
		Use:   "lint FILE|NAME|-...",
		Short: "report what cannot work in a setup, where and why (findings)",
		Long: `Reports the static findings of each scenario: setups that AWS accepts, or
that drsim loads, but that cannot work as intended (a replica key without a
copy in its region, a replication role missing from a key policy, a
single-Region key reached from another region after the failover, ...),
each with its id, severity, file:line:col, the AWS rule it rests on and a
fix. docs/findings.md documents every id. It does not simulate.

--format sarif is SARIF 2.1.0 for GitHub code scanning, with paths relative
to the current directory. --set applies to every scenario; a finding about
an overridden value points at its --set argument ("--set #1:1:COL"). SARIF
names only files on disk: a finding about a --set argument or a bundled
scenario is attached to the file linted, its message naming the origin.

Exit status: 0 no finding at or above --fail-on, 4 at least one, 2 bad
input (a file that does not load: its errors are printed).`,
		Example: `  drsim lint my-setup.toml
  drsim lint scenarios/*.toml --fail-on warning
  drsim lint my-setup.toml --format sarif > drsim.sarif
  drsim lint snowy --set 'keys.alerts.replicas=[]'`,
		ValidArgsFunction: completeScenarios(0),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("lint", "want at least one scenario file")
			}
			threshold, err := findings.ParseSeverity(failOn)
			if err != nil {
				return usageError("lint", "%v", err)
			}
			overrides, err := parseSets(sets)
			if err != nil {
				return err
			}
			res.overrides = overrides
			var files []findings.FileFindings
			var all []findings.Finding
			var bad []string
			for _, arg := range args {
				cfg, loc, err := res.resolveLocated(arg)
				if isInterrupted(err) {
					return err
				}
				if err != nil {
					bad = append(bad, displayName(arg))
					text, _ := errorText(unwrapExit(scenarioErrors(err, displayName(arg))))
					fmt.Fprintln(e.stderr, text)
					continue
				}
				fs := findings.Static(cfg, loc)
				files = append(files, findings.FileFindings{File: displayName(arg), Scenario: cfg.Name, Findings: fs})
				all = append(all, fs...)
			}
			switch format.v {
			case "json":
				err = findings.WriteJSON(e.stdout, files)
			case "sarif":
				err = findings.WriteSARIF(e.stdout, files, findings.SARIFOptions{ToolVersion: toolVersion(), BaseDir: ".", IsArtifact: isFile})
			default:
				// A finding's message may quote free text of the scenario
				// (an outage's name): escaped for the terminal.
				var b strings.Builder
				err = findings.WriteText(&b, all)
				if err == nil {
					_, err = io.WriteString(e.stdout, escape.Message(b.String()))
				}
				if err == nil && len(all) > 0 {
					_, err = fmt.Fprintf(e.stdout, "%s in %d %s\n", findings.Summary(all), len(files), plural(len(files), "file", "files"))
				}
			}
			if err != nil {
				return ioError(fmt.Errorf("lint: %w", err))
			}
			if len(bad) > 0 {
				fmt.Fprintf(e.stderr, "drsim: %d of %d %s invalid: %s\n", len(bad), len(args), plural(len(args), "scenario", "scenarios"), strings.Join(bad, ", "))
				return silentError(exitInput)
			}
			if m, ok := findings.Max(all); ok && m >= threshold {
				return silentError(exitLint)
			}
			return nil
		},
	}
	addFormatFlag(c, &format, "text", "json", "sarif")
	addSetFlag(c, &sets)
	severities := []string{"error", "warning", "info"}
	c.Flags().Var(&choiceValue{v: &failOn, choices: severities}, "fail-on", "exit with status 4 when a finding of this severity or worse is present: error, warning or info")
	c.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions(severities, cobra.ShellCompDirectiveNoFileComp))
	res = newResolver(e, c)
	return c
}

// unwrapExit returns the error an *exitError carries, for printing it
// alone.
func unwrapExit(err error) error {
	if ee, ok := err.(*exitError); ok && ee.err != nil {
		return ee.err
	}
	return err
}

// toolVersion is drsim's module version for the SARIF log, "" when unknown.
func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isFile reports whether name is a regular file on disk: a file of the
// user's, not a --set argument or a bundled scenario.
func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}
