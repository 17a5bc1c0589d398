package main

import (
	"cmp"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/scenarios"
)

// scenarioCompletions completes a scenario argument: the bundled names,
// then the folders and .toml files whose path starts with toComplete. A
// folder ends in a separator and keeps the cursor after it.
func scenarioCompletions(toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, in := range scenarios.Bundled() {
		if strings.HasPrefix(in.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(in.Name, in.Description))
		}
	}
	dir, base := filepath.Split(toComplete)
	entries, _ := os.ReadDir(cmp.Or(dir, "."))
	directive := cobra.ShellCompDirectiveNoFileComp
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		switch {
		case e.IsDir():
			out = append(out, dir+name+string(filepath.Separator))
			directive |= cobra.ShellCompDirectiveNoSpace
		case strings.HasSuffix(name, ".toml"):
			out = append(out, dir+name)
		}
	}
	return out, directive
}
