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
	"github.com/drsim/drsim/scenarios"
)

// newImportCmd is 'drsim import SOURCE INPUT...'. The import itself is
// importer/importcmd's; this turns the command line into its Request and
// its errors into exit codes.
func newImportCmd(e *env) *cobra.Command {
	var out, overlay, name string
	var force bool
	var regions, stacks []string
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
                              template, in the same order (one for all);
                              --stack names a stack (default: the file's stem)
  aws DIR                     a folder of saved AWS CLI outputs (docs/import.md
                              gives the commands and a script for an account)

- as an input is standard input, and -o - is standard output (the default).
A re-import rewrites -o FILE; a file that drsim import did not write is not
overwritten without --force, and only a regular file is (a symbolic link is
followed). --overlay FILE is written once, never again; when it exists it must
extend -o FILE. The first SIGINT or SIGTERM ends an import: nothing is written.`,
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
				return usageError("import", "%d %s and %d --region: give one --region per template, in the same order, or one for all", len(files), plural(len(files), "template", "templates"), len(regions))
			case source == importcmd.CloudFormation && len(stacks) > 0 && len(stacks) != len(files):
				return usageError("import", "%d %s and %d --stack: give one --stack per template, in the same order, or none", len(files), plural(len(files), "template", "templates"), len(stacks))
			case source != importcmd.CloudFormation && (len(regions) > 0 || len(stacks) > 0):
				return usageError("import", "--region and --stack are for cloudformation templates; %s inputs say their regions", source)
			}
			req := importcmd.Request{Source: source, Output: out, Overlay: overlay, Name: name, Force: force, Stdin: e.stdin,
				Command: "drsim import " + strings.Join(commandLine(c, args, regions, stacks), " ")}
			for i, f := range files {
				in := importcmd.Input{Path: f}
				if source == importcmd.CloudFormation {
					in.Region = regions[min(i, len(regions)-1)]
					if len(stacks) > 0 {
						in.Stack = stacks[i]
					}
				}
				req.Inputs = append(req.Inputs, in)
			}
			return importError(importcmd.Run(c.Context(), req, e.stdout, e.stderr), e)
		},
	}
	f := c.Flags()
	f.StringVarP(&out, "output", "o", "", "write the scenario to this file (default: stdout); a re-import rewrites it")
	f.StringVar(&overlay, "overlay", "", "also write, once, a starter for your own file that extends the scenario (same folder as -o)")
	f.StringVar(&name, "name", "", "the scenario's name (default: the input's file name)")
	c.MarkFlagFilename("output", "toml")
	c.MarkFlagFilename("overlay", "toml")
	f.BoolVar(&force, "force", false, "overwrite -o FILE even if drsim import did not write it")
	f.StringArrayVar(&regions, "region", nil, "cloudformation: the region of a template's stack, one after each template (or one for all)")
	f.StringArrayVar(&stacks, "stack", nil, "cloudformation: the name of a template's stack, one after each template (default: the file's stem)")
	c.RegisterFlagCompletionFunc("region", cobra.FixedCompletions(scenarios.AWSRegions(), cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("stack", cobra.NoFileCompletions)
	return c
}

// commandLine returns the arguments and the flags set, for the header of
// the imported scenario: each template followed by its --region and
// --stack, then the other flags, each quoted for a shell where it needs
// to be.
func commandLine(c *cobra.Command, args, regions, stacks []string) []string {
	out := args[:1:1]
	for i, f := range args[1:] {
		out = append(out, f)
		if len(regions) > 0 && (len(regions) > 1 || i == len(args)-2) {
			out = append(out, "--region", regions[min(i, len(regions)-1)])
		}
		if len(stacks) > i {
			out = append(out, "--stack", stacks[i])
		}
	}
	for _, n := range []string{"output", "overlay", "name", "force"} {
		if fl := c.Flags().Lookup(n); fl != nil && fl.Changed {
			if n == "force" {
				out = append(out, "--force")
				continue
			}
			out = append(out, "--"+n, fl.Value.String())
		}
	}
	for i, a := range out {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`;&|<>()*?[]#~") {
			out[i] = shellQuote(a)
		}
	}
	return out
}

// shellQuote quotes s for a POSIX shell, so that the command line in the
// imported file's header can be run again as written.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
	case errors.Is(err, importcmd.ErrInterrupted):
		fmt.Fprintln(e.stderr, "drsim: import: interrupted; nothing written")
		return silentError(exitInterrupted)
	case errors.As(err, &el):
		text, _ := errorText(el)
		fmt.Fprintln(e.stderr, text)
		return silentError(exitInput)
	case errors.As(err, &ie):
		return inputError(ie)
	case errors.As(err, &we):
		return ioError(we)
	}
	return err
}
