package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/drsim/drsim/report"
)

const versionUsage = `Usage: drsim version

Prints the version of drsim (the module version, with the VCS revision when
built from a git checkout), the Go version it was built with and the schema
of the JSON report it writes.

Examples:
  drsim version
`

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version")
	pos, err := parseFlags(fs, versionUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("version", "takes no arguments")
	}
	version, revision := "unknown", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		if version == "" {
			version = "(devel)"
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				if s.Value == "true" && revision != "" {
					revision += "+dirty"
				}
			}
		}
	}
	fmt.Fprintf(stdout, "drsim %s\n", version)
	if revision != "" {
		fmt.Fprintf(stdout, "revision %s\n", revision)
	}
	fmt.Fprintf(stdout, "go %s\n", runtime.Version())
	fmt.Fprintf(stdout, "report schema %s\n", report.Schema)
	return nil
}
