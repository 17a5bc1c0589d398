package main

import (
	"fmt"
	"io"

	"github.com/drsim/drsim/scenarios"
)

const validateUsage = `Usage: drsim validate FILE|NAME...

Loads and checks each scenario without simulating it. Prints "ok: FILE (name)"
for each valid one and every error of each invalid one, as file:line:col and a
message. Exits with status 2 if any scenario is invalid.

Examples:
  drsim validate my-setup.toml
  drsim validate scenarios/*.toml
  drsim validate snowy
`

func cmdValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate")
	pos, err := parseFlags(fs, validateUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("validate", "want at least one scenario file")
	}
	bad := 0
	for _, arg := range pos {
		cfg, err := scenarios.Resolve(arg)
		if err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		fmt.Fprintf(stdout, "ok: %s (%s)\n", arg, cfg.Name)
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "drsim: %d of %d scenarios invalid\n", bad, len(pos))
		return silentError(exitInput)
	}
	return nil
}
