package main

import (
	"fmt"
	"io"

	"github.com/drsim/drsim/scenarios"
)

const listUsage = `Usage: drsim list

Lists the scenarios bundled with drsim, by the name that 'drsim run NAME'
accepts, with their descriptions.

Examples:
  drsim list
  drsim run $(drsim list | head -1 | cut -d' ' -f1)
`

func cmdList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("list")
	pos, err := parseFlags(fs, listUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("list", "takes no arguments")
	}
	infos := scenarios.Bundled()
	width := 0
	for _, in := range infos {
		width = max(width, len(in.Name))
	}
	for _, in := range infos {
		if in.Description == "" {
			fmt.Fprintln(stdout, in.Name)
			continue
		}
		fmt.Fprintf(stdout, "%-*s  %s\n", width, in.Name, in.Description)
	}
	return nil
}
