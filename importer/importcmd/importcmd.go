// Package importcmd is the drsim import command: it reads the input files of
// one source (Terraform, CloudFormation or a folder of AWS CLI outputs),
// writes the imported scenario (to stdout or a file), writes a starter
// overlay file once, loads what it wrote to check it, runs drsim's static
// findings on the imported infrastructure, and prints the import summary.
// The CLI (cmd/drsim) only turns its arguments into a Request.
package importcmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/awscli"
	"github.com/drsim/drsim/importer/cloudformation"
	"github.com/drsim/drsim/importer/terraform"
	"github.com/drsim/drsim/internal/atomicfile"
	"github.com/drsim/drsim/scenarios"
)

// The sources, as the command names them.
const (
	Terraform      = "terraform"
	CloudFormation = "cloudformation"
	AWSCLI         = "aws"
)

// Sources lists the sources in the order the help lists them.
var Sources = []string{Terraform, CloudFormation, AWSCLI}

// Input is one input: a file (a folder for AWSCLI) and, for
// CloudFormation, the region its stack is deployed in.
type Input struct {
	Path, Region string
}

// Request is one drsim import.
type Request struct {
	// Source is Terraform, CloudFormation or AWSCLI.
	Source string
	// Inputs: one file for Terraform, one or more templates for
	// CloudFormation (each with its Region), one folder for AWSCLI.
	Inputs []Input
	// Output is the file to write, "" for stdout. A file that exists and
	// was not written by drsim import is not overwritten unless Force.
	Output string
	Force  bool
	// Overlay, when set, is the user's own file, which extends Output: it
	// is written (a starter with every placeholder) only when it does not
	// exist, and never touched after. It must be in Output's folder.
	Overlay string
	// Name is the scenario's name; "" takes the first input's stem.
	Name string
	// Command is the command line, quoted in the scenario's header.
	Command string
}

// UsageError is a request that cannot run as given (exit status 2, with a
// usage hint).
type UsageError struct{ Msg string }

// Error returns the message, without a prefix: the CLI adds "import: ".
func (e *UsageError) Error() string { return e.Msg }

// WriteError is an output that could not be written (exit status 5).
type WriteError struct{ Err error }

// Error returns the wrapped error's message.
func (e *WriteError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *WriteError) Unwrap() error { return e.Err }

// InputError is an input that drsim import refuses (exit status 2): a file
// it would overwrite, a missing file.
type InputError struct{ Err error }

// Error returns the wrapped error's message.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error (an *fs.PathError for a missing file).
func (e *InputError) Unwrap() error { return e.Err }

// Run carries out req: the scenario goes to stdout (or req.Output), the
// summary to stderr. It returns a *UsageError for a malformed request, an
// importer.ErrorList for bad input (file:line:col), an *InputError for a
// file it will not read or overwrite, and a *WriteError for a failed write.
func Run(req Request, stdout, stderr io.Writer) error {
	if err := check(req); err != nil {
		return err
	}
	inv, err := decode(req)
	if err != nil {
		return err
	}
	inv.Finish()
	opt := importer.Options{Name: req.Name, Command: req.Command, Output: req.Output}
	r := importer.Render(inv, opt)
	opt.Neutral = true
	problems, found := lint(importer.Render(inv, opt).Text, displayName(req.Output), unknownPolicies(inv))

	if req.Output == "" {
		if _, err := stdout.Write(r.Text); err != nil {
			return &WriteError{fmt.Errorf("import: %w", err)}
		}
	} else if err := writeImported(req.Output, r.Text, req.Force); err != nil {
		return err
	}
	overlayNote := ""
	if req.Overlay != "" {
		if _, err := os.Stat(req.Overlay); err == nil {
			overlayNote = req.Overlay + " exists: left as it is"
		} else if !errors.Is(err, fs.ErrNotExist) {
			return &InputError{fmt.Errorf("import: %w", err)}
		} else {
			if err := writeFile(req.Overlay, importer.Overlay(r, req.Output)); err != nil {
				return err
			}
			overlayNote = req.Overlay + " written: fill in its FILL-IN values (drsim import never writes it again)"
		}
	}

	w := bufio.NewWriter(stderr)
	importer.Summary(w, inv, r)
	if len(problems) > 0 {
		fmt.Fprintf(w, "  problems in the imported scenario (beyond the placeholders):\n")
		for _, p := range problems {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
	if found != nil {
		if len(found) == 0 {
			fmt.Fprintf(w, "  static findings on the imported infrastructure: none\n")
		} else {
			fmt.Fprintf(w, "  static findings on the imported infrastructure (docs/findings.md):\n")
			for _, f := range found {
				fmt.Fprintf(w, "    %s\n", f.String())
			}
		}
	}
	if overlayNote != "" {
		fmt.Fprintf(w, "  overlay: %s\n", overlayNote)
	}
	next := req.Overlay
	if next == "" {
		next = "a file of yours that extends " + displayName(req.Output)
	}
	fmt.Fprintf(w, "  next: fill in the placeholders in %s, then drsim validate it\n", next)
	if err := w.Flush(); err != nil {
		return &WriteError{fmt.Errorf("import: %w", err)}
	}
	return nil
}

// check validates a request.
func check(req Request) error {
	if !slices.Contains(Sources, req.Source) {
		return &UsageError{fmt.Sprintf("unknown source %q: want one of %s", req.Source, strings.Join(Sources, ", "))}
	}
	switch {
	case len(req.Inputs) == 0:
		return &UsageError{"want an input file"}
	case req.Source != CloudFormation && len(req.Inputs) > 1:
		return &UsageError{fmt.Sprintf("%s takes one input, got %d", req.Source, len(req.Inputs))}
	}
	for _, in := range req.Inputs {
		if req.Source == CloudFormation && in.Region == "" {
			return &UsageError{fmt.Sprintf("%s: give the region its stack is deployed in with --region", in.Path)}
		}
		if req.Source != CloudFormation && in.Region != "" {
			return &UsageError{"--region is for cloudformation templates; " + req.Source + " inputs say their regions"}
		}
	}
	if req.Overlay != "" {
		if req.Output == "" {
			return &UsageError{"--overlay needs -o: the overlay extends the imported file"}
		}
		if filepath.Clean(filepath.Dir(req.Overlay)) != filepath.Clean(filepath.Dir(req.Output)) {
			return &UsageError{fmt.Sprintf("the overlay %s must be in the folder of %s, the file it extends", req.Overlay, req.Output)}
		}
		if filepath.Clean(req.Overlay) == filepath.Clean(req.Output) {
			return &UsageError{"the overlay and the imported file must be two files"}
		}
	}
	return nil
}

// decode reads the inputs.
func decode(req Request) (*importer.Inventory, error) {
	switch req.Source {
	case Terraform:
		data, err := readInput(req.Inputs[0].Path)
		if err != nil {
			return nil, err
		}
		return terraform.Decode(req.Inputs[0].Path, data)
	case CloudFormation:
		var ts []cloudformation.Template
		for _, in := range req.Inputs {
			data, err := readInput(in.Path)
			if err != nil {
				return nil, err
			}
			ts = append(ts, cloudformation.Template{File: in.Path, Data: data, Region: in.Region})
		}
		return cloudformation.Decode(ts)
	}
	dir := req.Inputs[0].Path
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &InputError{fmt.Errorf("import: %w", err)}
	}
	if !st.IsDir() {
		return nil, &UsageError{dir + " is not a folder: drsim import aws reads a folder of saved AWS CLI outputs (docs/import.md)"}
	}
	return awscli.Decode(os.DirFS(dir), dir)
}

// maxInput bounds the size of an input file (a state of a large account is
// tens of megabytes).
const maxInput = 256 << 20

func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{fmt.Errorf("import: %w", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, &InputError{fmt.Errorf("import: %w", err)}
	}
	if len(data) > maxInput {
		return nil, &InputError{fmt.Errorf("import: %s is larger than %d MiB", path, maxInput>>20)}
	}
	return data, nil
}

func displayName(output string) string {
	if output == "" {
		return "the imported scenario"
	}
	return output
}

// importFindings are the static findings that depend only on what an
// import reads (keys, policies, stores, replication), not on the values
// the user fills in (the app, the rates, the runbook).
var importFindings = []string{
	findings.TableReplicaKeyNotInRegion, findings.ReplicaKeyNotInDestination,
	findings.ReplicationRoleNotInDestination, findings.ReplicationRoleNotInSource,
}

// unknownPolicies lists the key copies whose policy is unknown, as
// "KEY@REGION": the neutral rendering lets anyone use them, so a finding
// about them says nothing.
func unknownPolicies(inv *importer.Inventory) []string {
	var out []string
	for _, k := range inv.Keys {
		for _, c := range k.Copies() {
			if c.Policy == nil {
				out = append(out, k.Name+"@"+c.Region)
			}
		}
		if k.External {
			for _, r := range k.Refs {
				out = append(out, k.Name+"@"+r)
			}
		}
	}
	return out
}

// lint loads the neutral rendering of the import (same lines as the file
// written) and returns its load errors, if any, else the static findings
// on the infrastructure (an empty, non-nil slice when there are none),
// leaving out those about a key copy whose policy is unknown.
func lint(neutral []byte, name string, unknown []string) ([]string, []findings.Finding) {
	file := name
	if name == displayName("") {
		file = "stdout"
	}
	cfg, loc, err := scenarios.ParseLocated(file, neutral, nil)
	if err != nil {
		var el scenarios.ErrorList
		if !errors.As(err, &el) {
			return []string{err.Error()}, nil
		}
		var out []string
		for _, e := range el {
			out = append(out, e.Error())
		}
		return out, nil
	}
	out := []findings.Finding{}
	for _, f := range findings.Static(cfg, loc) {
		if slices.Contains(importFindings, f.ID) && !aboutUnknown(f, unknown) {
			out = append(out, f)
		}
	}
	return nil, out
}

func aboutUnknown(f findings.Finding, unknown []string) bool {
	for _, k := range f.Subjects.Keys {
		for _, r := range f.Subjects.Regions {
			if slices.Contains(unknown, k+"@"+r) {
				return true
			}
		}
	}
	return false
}

// writeImported writes the imported scenario to path, unless a file there
// was not written by drsim import (its first line is not importer.Header)
// and force is false.
func writeImported(path string, text []byte, force bool) error {
	old, err := os.ReadFile(path)
	switch {
	case err == nil && !force && !bytes.HasPrefix(old, []byte(importer.Header)):
		return &InputError{fmt.Errorf("import: %s exists and was not written by drsim import: not overwritten (write to another file, or use --force)", path)}
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return &InputError{fmt.Errorf("import: %w", err)}
	}
	return writeFile(path, text)
}

// writeFile writes data to path atomically (internal/atomicfile): a failed
// write leaves the old file.
func writeFile(path string, data []byte) error {
	err := atomicfile.WriteFile(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return &WriteError{fmt.Errorf("import: %w", err)}
	}
	return nil
}
