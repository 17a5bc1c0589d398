package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/importcmd"
)

const importUsage = `Usage: drsim import terraform FILE.json [flags]
       drsim import cloudformation TEMPLATE... --region R... [flags]
       drsim import aws DIR [flags]

Writes a scenario from the setup your infrastructure code or your account
describes: the KMS keys with their copies and key policies (users, admins),
the S3 buckets with their encryption and replication, the DynamoDB tables
with their replicas and keys. Every item names its source in a comment.
What no infrastructure code holds (rates, objectives, outages, the runbook)
is a FILL-IN placeholder that drsim validate names until a file of yours
that extends the imported one sets it. The import summary, the static
findings on the imported infrastructure and the warnings go to stderr.

Sources:
  terraform FILE.json        terraform show -json of a state or a saved plan
  cloudformation TEMPLATE... templates, JSON or YAML, one per stack; give each
                             its stack's region: --region after each template,
                             in the same order (one --region for all)
  aws DIR                    a folder of saved AWS CLI outputs (docs/import.md
                             gives the commands and a script for an account)

Flags:
  -o FILE          write the scenario to FILE (default: stdout). A re-import
                   rewrites it; a file not written by drsim import is not
                   overwritten without --force
  --overlay FILE   also write a starter for your own file, which extends the
                   scenario, in the same folder; written once, never again
  --name NAME      the scenario's name (default: the input's file name)
  --force          overwrite -o FILE even if drsim import did not write it

Examples:
  drsim import terraform state.json -o infra.toml --overlay my-setup.toml
      (state.json from: terraform show -json > state.json)
  drsim import cloudformation east.yaml --region us-east-1 west.json --region us-west-2 -o infra.toml
  drsim import aws ./aws-outputs -o infra.toml
`

// regionsFlag collects every --region in order.
type regionsFlag []string

func (r *regionsFlag) String() string { return strings.Join(*r, ",") }

func (r *regionsFlag) Set(s string) error {
	*r = append(*r, s)
	return nil
}

func cmdImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import")
	var regions regionsFlag
	out := fs.String("o", "", "the file to write")
	overlay := fs.String("overlay", "", "the starter overlay to write once")
	name := fs.String("name", "", "the scenario's name")
	force := fs.Bool("force", false, "overwrite -o FILE even if drsim import did not write it")
	fs.Var(&regions, "region", "a template's region")
	pos, err := parseFlags(fs, importUsage, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("import", "want a source: %s", strings.Join(importcmd.Sources, ", "))
	}
	source, files := pos[0], pos[1:]
	if !slices.Contains(importcmd.Sources, source) {
		msg := fmt.Sprintf("unknown source %q", source)
		if s := suggest(source, importcmd.Sources); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return usageError("import", "%s; want one of %s", msg, strings.Join(importcmd.Sources, ", "))
	}
	req := importcmd.Request{Source: source, Output: *out, Overlay: *overlay, Name: *name, Force: *force,
		Command: "drsim import " + strings.Join(args, " ")}
	switch {
	case source == importcmd.CloudFormation && len(regions) != 1 && len(regions) != len(files):
		return usageError("import", "%d templates and %d --region: give one --region per template, in the same order, or one for all", len(files), len(regions))
	case source != importcmd.CloudFormation && len(regions) > 0:
		return usageError("import", "--region is for cloudformation templates; %s inputs say their regions", source)
	}
	for i, f := range files {
		in := importcmd.Input{Path: f}
		if source == importcmd.CloudFormation {
			in.Region = regions[min(i, len(regions)-1)]
		}
		req.Inputs = append(req.Inputs, in)
	}
	err = importcmd.Run(req, stdout, stderr)
	var ue *importcmd.UsageError
	var ie *importcmd.InputError
	var el importer.ErrorList
	switch {
	case errors.As(err, &ue):
		return usageError("import", "%s", ue.Msg)
	case errors.As(err, &el):
		fmt.Fprintln(stderr, el)
		return silentError(exitInput)
	case errors.As(err, &ie):
		return inputError(ie)
	}
	return err
}
