package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/scenarios"
)

const lintUsage = `Usage: drsim lint FILE|NAME... [flags]

Reports the static findings of each scenario: setups that AWS accepts, or
that drsim loads, but that cannot work as intended (a replica key without a
copy in its region, a replication role missing from a key policy, a
single-Region key reached from another region after the failover, ...),
each with its id, severity, file:line:col, the AWS rule it rests on and a
fix. docs/findings.md documents every id. It does not simulate.

Flags:
  --format F     text, json or sarif (default text). sarif is SARIF 2.1.0
                 for GitHub code scanning, with paths relative to the
                 current directory
  --fail-on S    exit with status 4 when a finding of severity S or worse
                 is present: error, warning or info (default error)

Exit status: 0 no finding at or above --fail-on, 4 at least one, 2 bad
input (a file that does not load: its errors are printed).

Examples:
  drsim lint my-setup.toml
  drsim lint scenarios/*.toml --fail-on warning
  drsim lint my-setup.toml --format sarif > drsim.sarif
`

func cmdLint(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lint")
	format := formatFlag{value: "text", choices: []string{"text", "json", "sarif"}}
	failOn := formatFlag{value: "error", choices: []string{"error", "warning", "info"}}
	fs.Var(&format, "format", "text, json or sarif")
	fs.Var(&failOn, "fail-on", "error, warning or info")
	pos, err := parseFlags(fs, lintUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("lint", "want at least one scenario file")
	}
	threshold, err := findings.ParseSeverity(failOn.value)
	if err != nil {
		return usageError("lint", "%v", err)
	}
	var files []findings.FileFindings
	var all []findings.Finding
	bad := 0
	for _, arg := range pos {
		cfg, loc, err := scenarios.ResolveLocated(arg)
		if err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		fs := findings.Static(cfg, loc)
		files = append(files, findings.FileFindings{File: arg, Scenario: cfg.Name, Findings: fs})
		all = append(all, fs...)
	}
	switch format.value {
	case "json":
		err = findings.WriteJSON(stdout, files)
	case "sarif":
		err = findings.WriteSARIF(stdout, files, findings.SARIFOptions{ToolVersion: toolVersion(), BaseDir: "."})
	default:
		err = findings.WriteText(stdout, all)
		if err == nil && len(all) > 0 {
			_, err = fmt.Fprintf(stdout, "%s in %d %s\n", findings.Summary(all), len(files), plural(len(files), "file", "files"))
		}
	}
	if err != nil {
		return fmt.Errorf("lint: %w", err)
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "drsim: %d of %d scenarios invalid\n", bad, len(pos))
		return silentError(exitInput)
	}
	if m, ok := findings.Max(all); ok && m >= threshold {
		return silentError(exitLint)
	}
	return nil
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
