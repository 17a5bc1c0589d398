package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/scenarios"
)

func newListCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "list the bundled scenarios",
		Long: `Lists the scenarios bundled with drsim, by the name that 'drsim run NAME'
accepts, with their descriptions.`,
		Example: `  drsim list
  drsim run $(drsim list | head -1 | cut -d' ' -f1)`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("list", "takes no arguments")
			}
			infos := scenarios.Bundled()
			width := 0
			for _, in := range infos {
				width = max(width, len(in.Name))
			}
			for _, in := range infos {
				var err error
				if in.Description == "" {
					_, err = fmt.Fprintln(e.stdout, in.Name)
				} else {
					_, err = fmt.Fprintf(e.stdout, "%-*s  %s\n", width, in.Name, in.Description)
				}
				if err != nil {
					return ioError(fmt.Errorf("list: %w", err))
				}
			}
			return nil
		},
	}
}
