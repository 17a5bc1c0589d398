// Package importcmd is the drsim import command: it reads the input files of
// one source (Terraform, CloudFormation or a folder of AWS CLI outputs),
// writes the imported scenario (to stdout or a file), writes a starter
// overlay file once, loads what it wrote to check it, runs drsim's static
// findings on the imported infrastructure, and prints the import summary.
// The CLI (cmd/drsim) only turns its arguments into a Request.
//
// The files it writes follow the rule of drsim's other outputs
// (internal/atomicfile): they are checked before any input is read (a
// folder, a device, a FIFO or a socket is refused, a symbolic link is
// followed to the file it points to, the nearest existing folder must take
// new files), written atomically, and missing folders are created, which
// the summary says.
package importcmd

import (
	"bufio"
	"context"
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
	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/internal/suggest"
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

// Stdio is the name that stands for standard input as an input, and for
// standard output as -o.
const Stdio = "-"

// stdinName is how messages and comments name standard input.
const stdinName = "<stdin>"

// Input is one input: a file (a folder for AWSCLI; Stdio for standard
// input) and, for CloudFormation, the region its stack is deployed in and
// the stack's name ("" for the file's stem).
type Input struct {
	Path, Region, Stack string
}

// Request is one drsim import.
type Request struct {
	// Source is Terraform, CloudFormation or AWSCLI.
	Source string
	// Inputs: one file for Terraform, one or more templates for
	// CloudFormation (each with its Region), one folder for AWSCLI.
	Inputs []Input
	// Stdin is read for an input named Stdio.
	Stdin io.Reader
	// Output is the file to write, "" or Stdio for stdout. A file that
	// exists and was not written by drsim import is not overwritten unless
	// Force.
	Output string
	Force  bool
	// Overlay, when set, is the user's own file, which extends Output: it
	// is written (a starter with every placeholder) only when it does not
	// exist, and never touched after. It must be in Output's folder; when
	// it exists, it must extend Output.
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
// it would overwrite, a missing file, an overlay that does not extend the
// import, an input with nothing to import, an imported scenario drsim
// could not load.
type InputError struct{ Err error }

// Error returns the wrapped error's message.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error (an *fs.PathError for a missing file).
func (e *InputError) Unwrap() error { return e.Err }

// ErrInterrupted is returned when the context is cancelled (SIGINT,
// SIGTERM) before the import is written: nothing is written.
var ErrInterrupted = errors.New("import: interrupted; nothing written")

// Run carries out req: the scenario goes to stdout (or req.Output), the
// summary to stderr. It returns a *UsageError for a malformed request, an
// importer.ErrorList for bad input (file:line:col), an *InputError for a
// file it will not read or overwrite, a *WriteError for an output it cannot
// write, and ErrInterrupted when ctx is cancelled first (reading an input
// from a FIFO or a terminal may block: it is abandoned).
func Run(ctx context.Context, req Request, stdout, stderr io.Writer) error {
	if req.Output == Stdio {
		req.Output = ""
	}
	notes, err := check(req)
	if err != nil {
		return err
	}
	outs, err := checkOutputs(ctx, req)
	if err != nil {
		return err
	}
	var inv *importer.Inventory
	if err := cancellable(ctx, func() (err error) {
		inv, err = decode(req)
		return err
	}); err != nil {
		return err
	}
	for _, n := range notes {
		inv.Warn("%s", n)
	}
	inv.Finish()
	if err := nothingToImport(inv); err != nil {
		return err
	}
	opt := importer.Options{Name: req.Name, Command: req.Command, Output: req.Output}
	r := importer.Render(inv, opt)
	if len(r.Text) > scenarios.MaxFileSize {
		c := inv.Count()
		return &InputError{fmt.Errorf("import: the imported scenario would be %.1f MB (%s, %s, %s), over the 1 MiB drsim reads in a scenario file: nothing written; import a part of the setup at a time (a Terraform module's state, some of the templates, a folder per service)",
			float64(len(r.Text))/1e6, importer.Plural(c.Keys, "key"), importer.Plural(c.Buckets, "bucket"), importer.Plural(c.Tables, "table"))}
	}
	opt.Neutral = true
	problems, found := lint(importer.Render(inv, opt).Text, displayName(req.Output), unknownPolicies(inv))

	var fill *importer.Fill
	var overlayProblems []string
	if outs.overlayData != nil {
		fill, overlayProblems, err = readOverlay(req, outs.overlayData, r.Text)
		if err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return ErrInterrupted
	}

	if req.Output == "" {
		if err := cancellable(ctx, func() error {
			if _, err := stdout.Write(r.Text); err != nil {
				return &WriteError{fmt.Errorf("import: %w", err)}
			}
			return nil
		}); err != nil {
			return err
		}
	} else if err := writeFile(req.Output, r.Text); err != nil {
		return err
	}
	overlayNote := ""
	switch {
	case req.Overlay == "":
	case outs.overlayData != nil:
		overlayNote = req.Overlay + " exists: left as it is"
	default:
		if err := writeFile(req.Overlay, importer.Overlay(r, req.Output)); err != nil {
			return err
		}
		overlayNote = req.Overlay + " written: fill in its FILL-IN values (drsim import never writes it again)"
	}

	var b strings.Builder
	importer.Summary(&b, inv, r, fill)
	if len(outs.created) > 0 {
		fmt.Fprintf(&b, "  folders created for %s: %s\n", req.Output, strings.Join(outs.created, ", "))
	}
	if len(problems) > 0 {
		fmt.Fprintf(&b, "  problems in the imported scenario (beyond the placeholders): drsim cannot load it as written\n")
		for _, p := range problems {
			fmt.Fprintf(&b, "    %s\n", p)
		}
	}
	if found != nil {
		if len(found) == 0 {
			fmt.Fprintf(&b, "  static findings on the imported infrastructure: none\n")
		} else {
			fmt.Fprintf(&b, "  static findings on the imported infrastructure (docs/findings.md):\n")
			for _, f := range found {
				fmt.Fprintf(&b, "    %s\n", f.String())
			}
		}
	}
	if overlayNote != "" {
		fmt.Fprintf(&b, "  overlay: %s\n", overlayNote)
	}
	if len(overlayProblems) > 0 {
		fmt.Fprintf(&b, "  problems in %s beyond its placeholders (drsim validate %s lists them too):\n", req.Overlay, req.Overlay)
		for _, p := range overlayProblems {
			fmt.Fprintf(&b, "    %s\n", p)
		}
	}
	fmt.Fprintf(&b, "  next: %s\n", next(req, fill, overlayProblems))
	w := bufio.NewWriter(stderr)
	// The summary quotes what the inputs hold (names, addresses): escaped
	// for the terminal.
	io.WriteString(w, escape.Message(b.String()))
	if err := w.Flush(); err != nil {
		return &WriteError{fmt.Errorf("import: %w", err)}
	}
	if len(problems) > 0 {
		return &InputError{fmt.Errorf("import: drsim cannot load the imported scenario %s (the problems are listed above): the input holds something drsim does not model", displayName(req.Output))}
	}
	return nil
}

// next is the summary's last line: what to do now.
func next(req Request, fill *importer.Fill, overlayProblems []string) string {
	switch {
	case req.Overlay == "":
		return "fill in the placeholders in a file of yours that extends " + displayName(req.Output) + ", then drsim validate it"
	case fill == nil:
		return "fill in the placeholders in " + req.Overlay + ", then drsim validate it"
	case len(fill.Left) > 0:
		return fmt.Sprintf("fill in the %s left in %s, then drsim validate it", importer.Plural(len(fill.Left), "placeholder"), req.Overlay)
	case len(overlayProblems) > 0:
		return "correct " + req.Overlay + ", then drsim validate it"
	}
	return "drsim run " + req.Overlay
}

// nothingToImport returns an *InputError when inv holds no key and no store
// drsim models: an empty input, or only resources of other types.
func nothingToImport(inv *importer.Inventory) error {
	c := inv.Count()
	if c.Keys > 0 || c.Buckets > 0 || c.Tables > 0 {
		return nil
	}
	what := "no KMS key, S3 bucket or DynamoDB table"
	var other []string
	for _, u := range inv.Unsupported {
		other = append(other, fmt.Sprintf("%s (%d)", u.Type, len(u.Addresses)))
	}
	other = append(other, inv.NotImported()...)
	if len(other) > 0 {
		what += "; it holds " + importer.Summarize(other, 5)
	}
	return &InputError{fmt.Errorf("import: nothing to import from %s: %s (docs/import.md lists what drsim reads)", strings.Join(inv.Inputs, ", "), what)}
}

// check validates a request; it returns notes to add to the import's
// warnings (a region drsim does not know).
func check(req Request) ([]string, error) {
	if !slices.Contains(Sources, req.Source) {
		return nil, &UsageError{fmt.Sprintf("unknown source %q: want one of %s", req.Source, strings.Join(Sources, ", "))}
	}
	switch {
	case len(req.Inputs) == 0:
		return nil, &UsageError{map[string]string{
			Terraform:      "terraform takes the JSON file of terraform show -json (a state or a saved plan), or - for standard input",
			CloudFormation: "cloudformation takes one or more templates, each with its stack's --region",
			AWSCLI:         "aws takes a folder of saved AWS CLI outputs (docs/import.md gives the commands)",
		}[req.Source]}
	case req.Source != CloudFormation && len(req.Inputs) > 1:
		return nil, &UsageError{fmt.Sprintf("%s takes one input, got %d", req.Source, len(req.Inputs))}
	}
	var notes []string
	stdin := 0
	for _, in := range req.Inputs {
		if in.Path == Stdio {
			stdin++
			if req.Source == AWSCLI {
				return nil, &UsageError{"aws reads a folder of saved AWS CLI outputs; standard input (-) cannot hold one"}
			}
		}
		if req.Source != CloudFormation && (in.Region != "" || in.Stack != "") {
			return nil, &UsageError{"--region and --stack are for cloudformation templates; " + req.Source + " inputs say their regions"}
		}
		if req.Source != CloudFormation {
			continue
		}
		if in.Region == "" {
			return nil, &UsageError{fmt.Sprintf("%s: give the region its stack is deployed in with --region", displayInput(in.Path))}
		}
		note, err := checkRegion(in.Region)
		if err != nil {
			return nil, err
		}
		if note != "" && !slices.Contains(notes, note) {
			notes = append(notes, note)
		}
		if in.Stack != "" && !stackName(in.Stack) {
			return nil, &UsageError{fmt.Sprintf("--stack %q: a CloudFormation stack name has letters, digits and \"-\", starts with a letter and is at most 128 characters", in.Stack)}
		}
	}
	if stdin > 1 {
		return nil, &UsageError{"standard input (-) can be read only once"}
	}
	if req.Name != "" && !scenarios.ValidName(req.Name) {
		hint := ""
		if s := importer.Sanitize(req.Name); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, &UsageError{fmt.Sprintf("--name %q is not a valid scenario name: %s%s", req.Name, scenarios.NameRule, hint)}
	}
	if req.Output != "" {
		for _, in := range req.Inputs {
			if in.Path != Stdio && samePath(in.Path, req.Output) {
				return nil, &UsageError{fmt.Sprintf("-o %s is an input of this import", req.Output)}
			}
		}
	}
	if req.Overlay != "" {
		switch {
		case req.Overlay == Stdio:
			return nil, &UsageError{"--overlay - : the overlay is a file of yours beside the imported one, not standard output"}
		case req.Output == "":
			return nil, &UsageError{"--overlay needs -o FILE: the overlay extends the imported file"}
		case samePath(req.Overlay, req.Output):
			return nil, &UsageError{"the overlay and the imported file must be two files"}
		case !samePath(filepath.Dir(req.Overlay), filepath.Dir(req.Output)):
			return nil, &UsageError{fmt.Sprintf("the overlay %s must be in the folder of %s, the file it extends", req.Overlay, req.Output)}
		}
	}
	return notes, nil
}

// checkRegion checks a --region: an AWS Region code drsim knows; one of
// that shape that drsim does not know is a note for the warnings (AWS opens
// new Regions); anything else a usage error.
func checkRegion(r string) (string, error) {
	shaped, known := scenarios.RegionCode(r)
	switch {
	case known:
		return "", nil
	case shaped:
		return fmt.Sprintf("--region %s: not an AWS Region drsim knows (a typo? a new Region?); imported as given", r), nil
	}
	hint := ""
	lower := strings.ToLower(strings.TrimSpace(r))
	if first, _, _ := strings.Cut(lower, ","); slices.Contains(scenarios.AWSRegions(), first) {
		hint = fmt.Sprintf(" (did you mean %q?)", first)
	} else if s := suggest.Closest(lower, scenarios.AWSRegions()); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	if strings.Contains(r, ",") {
		hint += "; give one --region per template, after it"
	}
	return "", &UsageError{fmt.Sprintf("--region %q is not an AWS Region code like us-east-1%s", r, hint)}
}

// stackName reports whether s is a valid CloudFormation stack name
// (AWS CloudFormation API Reference, CreateStack: StackName).
func stackName(s string) bool {
	if s == "" || len(s) > 128 || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// samePath reports whether a and b name the same path, compared as cleaned
// absolute paths.
func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return aa == bb
}

// cancellable runs f and returns its error, or ErrInterrupted as soon as
// ctx is cancelled: f may block (reading a FIFO, a terminal, a stalled
// pipe), and the command must end at the first SIGINT or SIGTERM. f is
// then abandoned; it writes nothing that stays (inputs are only read, and
// outputs are written atomically after it).
func cancellable(ctx context.Context, f func() error) error {
	if ctx == nil {
		return f()
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ErrInterrupted
	}
}

// decode reads the inputs.
func decode(req Request) (*importer.Inventory, error) {
	switch req.Source {
	case Terraform:
		data, err := readInput(req.Inputs[0].Path, req.Stdin)
		if err != nil {
			return nil, err
		}
		return terraform.Decode(displayInput(req.Inputs[0].Path), data)
	case CloudFormation:
		var ts []cloudformation.Template
		for _, in := range req.Inputs {
			data, err := readInput(in.Path, req.Stdin)
			if err != nil {
				return nil, err
			}
			ts = append(ts, cloudformation.Template{File: displayInput(in.Path), Data: data, Region: in.Region, Stack: in.Stack})
		}
		return cloudformation.Decode(ts)
	}
	dir := req.Inputs[0].Path
	st, err := os.Stat(dir)
	if err != nil {
		return nil, openInputError("folder", dir, err)
	}
	if !st.IsDir() {
		return nil, &UsageError{dir + " is not a folder: drsim import aws reads a folder of saved AWS CLI outputs (docs/import.md)"}
	}
	return awscli.Decode(os.DirFS(dir), dir)
}

// maxInput bounds the size of an input file (a state of a large account is
// tens of megabytes).
const maxInput = 256 << 20

// readInput reads an input file, or standard input for Stdio. A FIFO or a
// device is read like a file (a process substitution is a pipe); the size
// bound keeps /dev/zero from exhausting memory, and Run's context ends a
// read that blocks.
func readInput(path string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if path == Stdio {
		if stdin == nil {
			return nil, &InputError{errors.New("import: no standard input")}
		}
		r = stdin
	} else {
		st, err := os.Stat(path)
		if err == nil && st.IsDir() {
			return nil, &InputError{fmt.Errorf("import: %s is a folder, not a file", path)}
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, openInputError("file", path, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, &InputError{fmt.Errorf("import: %s: %w", displayInput(path), err)}
	}
	if len(data) > maxInput {
		return nil, &InputError{fmt.Errorf("import: %s is larger than %d MiB", displayInput(path), maxInput>>20)}
	}
	return data, nil
}

// openInputError says, as a sentence, why the input file or folder at
// path cannot be opened: `no file "x.json"`, or the system's reason
// ("permission denied") without the name of the call that failed.
func openInputError(kind, path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &InputError{fmt.Errorf("import: no %s %q", kind, path)}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &InputError{fmt.Errorf("import: cannot read %s: %w", path, err)}
}

// displayInput is how messages and comments name an input.
func displayInput(path string) string {
	if path == Stdio {
		return stdinName
	}
	return path
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
		if k.External || k.Primary == nil {
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
