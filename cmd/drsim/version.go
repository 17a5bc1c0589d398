package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/report"
)

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version, the Go version and the report schema",
		Long: `Prints the version of drsim, the Go version it was built with and the schema
of the JSON report it writes.

The version is the module's, from the build information Go records in the
binary: the release tag (v1.2.0) for 'go install github.com/drsim/drsim/cmd/drsim@v1.2.0'
or a build at a tagged commit, a pseudo-version (v0.0.0-20260101120000-abcdef123456)
at an untagged commit, and "(devel)" when the build recorded no version
control information (go run, or -buildvcs=false). The revision, its time and
whether the work tree had local changes follow when they were recorded.`,
		Example: `  drsim version
  drsim --version`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("version", "takes no arguments")
			}
			return printVersion(e.stdout)
		},
	}
}

// printVersion prints the version lines of this binary.
func printVersion(w io.Writer) error {
	_, err := io.WriteString(w, strings.Join(versionLines(readBuildInfo()), "\n")+"\n")
	if err != nil {
		return ioError(fmt.Errorf("version: %w", err))
	}
	return nil
}

// readBuildInfo returns this binary's build information, nil when it has
// none.
func readBuildInfo() *debug.BuildInfo {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi
	}
	return nil
}

// versionLines describes a build: "drsim VERSION", then "revision REV
// (TIME, modified)" when version control information was recorded, the Go
// version and the report schema.
func versionLines(bi *debug.BuildInfo) []string {
	version := "(unknown)"
	var rev, when string
	modified := false
	goVersion := runtime.Version()
	if bi != nil {
		version = bi.Main.Version
		if version == "" {
			version = "(devel)"
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	lines := []string{"drsim " + version}
	if rev != "" {
		var notes []string
		if when != "" {
			notes = append(notes, when)
		}
		if modified {
			notes = append(notes, "modified")
		}
		line := "revision " + rev
		if len(notes) > 0 {
			line += " (" + strings.Join(notes, ", ") + ")"
		}
		lines = append(lines, line)
	}
	return append(lines, "go "+goVersion, "report schema "+report.Schema)
}

// buildID names this build in a partial result's header, so that merge
// can refuse partials of different builds: "drsim VERSION; revision REV
// (modified); go GO", the lines of 'drsim version' without the times and
// the report schema. A build that recorded no version control information
// (go run, go test, -buildvcs=false) is "drsim (devel); go GO": two such
// builds cannot be told apart, so shards should run one released or
// committed build (docs/limits.md, deploy/README.md).
func buildID(bi *debug.BuildInfo) string {
	var parts []string
	for _, l := range versionLines(bi) {
		switch {
		case strings.HasPrefix(l, "report schema "):
			continue
		case strings.HasPrefix(l, "revision "):
			rev, notes, _ := strings.Cut(strings.TrimPrefix(l, "revision "), " ")
			if strings.Contains(notes, "modified") {
				rev += " (modified)"
			}
			l = "revision " + rev
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, "; ")
}
