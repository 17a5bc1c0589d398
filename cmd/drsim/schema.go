package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/scenarios"
)

// newSchemaCmd is 'drsim schema': the JSON Schema of the scenario format.
func newSchemaCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "print the JSON Schema of the scenario format, for editors",
		Long: `Prints the JSON Schema (draft-07) of the scenario format: every key of every
table with its type, allowed values, default and description, and the syntax
of durations, distributions, rates and sizes. It is written from the same
table of keys drsim's own checks use, and it is the file the repository ships
as schema/drsim-scenario.schema.json.

Editors with a TOML language server use it to complete keys, describe them on
hover and mark mistakes as you type: Even Better TOML (taplo) and tombi read
a first line '#:schema PATH-OR-URL' in the scenario, or a setting that maps
file names to the schema (docs/editors.md). The schema checks the shape of a
file; 'drsim validate' remains the full check (references between tables,
values that depend on one another, extends).`,
		Example: `  drsim schema > drsim-scenario.schema.json
  taplo check --schema "file://$PWD/drsim-scenario.schema.json" my-setup.toml`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("schema", "takes no arguments")
			}
			if _, err := e.stdout.Write(scenarios.Schema()); err != nil {
				return ioError(fmt.Errorf("schema: %w", err))
			}
			return nil
		},
	}
}
