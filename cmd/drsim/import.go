package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/importcmd"
	"github.com/drsim/drsim/internal/suggest"
)

// newImportCmd is 'drsim import SOURCE INPUT...'. The import itself is
// importer/importcmd's; this turns the command line into its Request and
// its errors into exit codes.
func newImportCmd(e *env) *cobra.Command {
	var out, overlay, name string
	var force bool
	var regions []string
	c := &cobra.Command{
		Use:   "import terraform|cloudformation|aws INPUT...",
		Short: "write a scenario from Terraform, CloudFormation or AWS CLI output",
		Long: `Writes a scenario from the setup your infrastructure code or your account
describes: the KMS keys with their copies and key policies (users, admins),
the S3 buckets with their encryption and replication, the DynamoDB tables
with their replicas and keys. Every item names its source in a comment.
What no infrastructure code holds (rates, objectives, outages, the runbook)
is a FILL-IN placeholder that drsim validate names until a file of yours
that extends the imported one sets it. The import summary, the static
findings on the imported infrastructure and the warnings go to stderr.
docs/import.md has the details.

Sources:
  terraform FILE.json         terraform show -json of a state or a saved plan
  cloudformation TEMPLATE...  templates, JSON or YAML, one per stack; give
                              each its stack's region: --region after each
                              template, in the same order (one for all)
  aws DIR                     a folder of saved AWS CLI outputs (docs/import.md
                              gives the commands and a script for an account)

A re-import rewrites -o FILE; a file that drsim import did not write is not
overwritten without --force. --overlay FILE is written once, never again.`,
		Example: `  drsim import terraform state.json -o infra.toml --overlay my-setup.toml
  drsim import cloudformation east.yaml --region us-east-1 west.json --region us-west-2 -o infra.toml
  drsim import aws ./aws-outputs -o infra.toml`,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			switch {
			case len(args) == 0:
				return cobra.FixedCompletions(importcmd.Sources, cobra.ShellCompDirectiveNoFileComp)(c, args, toComplete)
			case args[0] == importcmd.AWSCLI:
				return nil, cobra.ShellCompDirectiveFilterDirs
			}
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("import", "want a source: %s", strings.Join(importcmd.Sources, ", "))
			}
			source, files := args[0], args[1:]
			if !slices.Contains(importcmd.Sources, source) {
				msg := fmt.Sprintf("unknown source %q", source)
				if s := suggest.Closest(source, importcmd.Sources); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				return usageError("import", "%s; want one of %s", msg, strings.Join(importcmd.Sources, ", "))
			}
			switch {
			case source == importcmd.CloudFormation && len(files) > 0 && len(regions) != 1 && len(regions) != len(files):
				return usageError("import", "%d templates and %d --region: give one --region per template, in the same order, or one for all", len(files), len(regions))
			case source != importcmd.CloudFormation && len(regions) > 0:
				return usageError("import", "--region is for cloudformation templates; %s inputs say their regions", source)
			}
			req := importcmd.Request{Source: source, Output: out, Overlay: overlay, Name: name, Force: force,
				Command: "drsim import " + strings.Join(commandLine(c, args), " ")}
			for i, f := range files {
				in := importcmd.Input{Path: f}
				if source == importcmd.CloudFormation {
					in.Region = regions[min(i, len(regions)-1)]
				}
				req.Inputs = append(req.Inputs, in)
			}
			return importError(importcmd.Run(req, e.stdout, e.stderr), e)
		},
	}
	f := c.Flags()
	f.StringVarP(&out, "output", "o", "", "write the scenario to this file (default: stdout); a re-import rewrites it")
	f.StringVar(&overlay, "overlay", "", "also write, once, a starter for your own file that extends the scenario (same folder as -o)")
	f.StringVar(&name, "name", "", "the scenario's name (default: the input's file name)")
	f.BoolVar(&force, "force", false, "overwrite -o FILE even if drsim import did not write it")
	f.StringArrayVar(&regions, "region", nil, "cloudformation: the region of a template's stack, one after each template (or one for all)")
	c.RegisterFlagCompletionFunc("region", cobra.NoFileCompletions)
	return c
}

// commandLine returns the arguments and the flags set, for the header of
// the imported scenario.
func commandLine(c *cobra.Command, args []string) []string {
	out := slices.Clone(args)
	for _, n := range []string{"output", "overlay", "name", "force"} {
		if fl := c.Flags().Lookup(n); fl != nil && fl.Changed {
			if n == "force" {
				out = append(out, "--force")
				continue
			}
			out = append(out, "--"+n, fl.Value.String())
		}
	}
	return out
}

// importError maps an error of importcmd.Run to the CLI's exit codes.
func importError(err error, e *env) error {
	var ue *importcmd.UsageError
	var el importer.ErrorList
	var ie *importcmd.InputError
	var we *importcmd.WriteError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ue):
		return usageError("import", "%s", ue.Msg)
	case errors.As(err, &el):
		fmt.Fprintln(e.stderr, el)
		return silentError(exitInput)
	case errors.As(err, &ie):
		return inputError(ie)
	case errors.As(err, &we):
		return ioError(we)
	}
	return err
}
