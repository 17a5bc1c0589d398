package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newCompletionCmd(e *env) *cobra.Command {
	shells := []string{"bash", "zsh", "fish", "powershell"}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "print a shell completion script",
		Long: `Prints the script that makes the shell complete drsim's commands, flags,
bundled scenario names, scenario files and format names. Load it in the
current shell, or install it where the shell looks for completions.

bash (needs the bash-completion package):
  source <(drsim completion bash)
  drsim completion bash > /etc/bash_completion.d/drsim
zsh:
  drsim completion zsh > "${fpath[1]}/_drsim"
fish:
  drsim completion fish > ~/.config/fish/completions/drsim.fish
PowerShell:
  drsim completion powershell | Out-String | Invoke-Expression`,
		Example: `  drsim completion bash > ~/.local/share/bash-completion/completions/drsim
  drsim completion zsh > "${fpath[1]}/_drsim"
  source <(drsim completion bash)`,
		ValidArgs: shells,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("completion", "want one shell (%s), got %d arguments", strings.Join(shells, ", "), len(args))
			}
			root, out := c.Root(), e.stdout
			var err error
			switch strings.ToLower(args[0]) {
			case "bash":
				err = root.GenBashCompletionV2(out, true)
			case "zsh":
				err = root.GenZshCompletion(out)
			case "fish":
				err = root.GenFishCompletion(out, true)
			case "powershell", "pwsh":
				err = root.GenPowerShellCompletionWithDesc(out)
			default:
				return usageError("completion", "unknown shell %q; want one of %s", args[0], strings.Join(shells, ", "))
			}
			if err != nil {
				return ioError(fmt.Errorf("completion: %w", err))
			}
			return nil
		},
	}
}
