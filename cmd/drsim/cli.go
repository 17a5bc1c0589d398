package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// command is one subcommand of drsim.
type command struct {
	name    string
	summary string
	usage   string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands returns the subcommands in the order help lists them.
func commands() []command {
	return []command{
		{"run", "simulate a scenario and print the report", runUsage, cmdRun},
		{"compare", "run several scenarios with the same seed and compare them", compareUsage, cmdCompare},
		{"validate", "check scenario files and print every error", validateUsage, cmdValidate},
		{"lint", "report what cannot work in a setup, where and why (findings)", lintUsage, cmdLint},
		{"trace", "print the event log of one trial as JSON lines", traceUsage, cmdTrace},
		{"list", "list the bundled scenarios", listUsage, cmdList},
		{"version", "print the version, the Go version and the report schema", versionUsage, cmdVersion},
		{"help", "show help for drsim or one of its commands", helpUsage, cmdHelp},
	}
}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run is the whole CLI: it runs the subcommand named by args[0] and returns
// an error whose exit code exitCode tells.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		io.WriteString(stderr, mainUsage())
		return silentError(exitInput)
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		io.WriteString(stdout, mainUsage())
		return nil
	case "-version", "--version":
		name = "version"
	}
	c, ok := findCommand(name)
	if !ok {
		return &exitError{code: exitInput, err: errors.New(unknownCommand(name)), hint: "Run 'drsim help' for usage."}
	}
	if err := c.run(args[1:], stdout, stderr); !errors.Is(err, errHelpShown) {
		return err
	}
	return nil
}

// unknownCommand says that name is no command, suggesting the closest one.
func unknownCommand(name string) string {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := suggest(name, commandNames()); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString(`drsim simulates disaster recovery for AWS KMS multi-Region keys, S3 replication
and DynamoDB global tables: RTO, RPO, lost writes, KMS failures by cause, the
chance of meeting the objectives and the monthly cost, over thousands of trials.

Usage:
  drsim COMMAND [arguments] [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString(`
A scenario is a TOML file or the name of a bundled scenario (see 'drsim list').

Examples:
  drsim run snowy
  drsim run my-setup.toml --trials 5000 --format json
  drsim compare backup-and-restore pilot-light warm-standby active-active
  drsim validate scenarios/*.toml

Exit codes: 0 ok, 1 internal error, 2 bad input, 3 --check failed, 4 lint findings.
Run 'drsim help COMMAND' for the flags of a command.
`)
	return b.String()
}

const helpUsage = `Usage: drsim help [COMMAND]

Shows the list of commands, or the usage of one command with examples.

Examples:
  drsim help
  drsim help run
`

func cmdHelp(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		io.WriteString(stdout, mainUsage())
		return nil
	}
	if len(args) > 1 {
		return usageError("help", "too many arguments")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		io.WriteString(stdout, helpUsage)
		return nil
	}
	c, ok := findCommand(args[0])
	if !ok {
		return usageError("help", "%s", unknownCommand(args[0]))
	}
	io.WriteString(stdout, c.usage)
	return nil
}

// newFlagSet returns a FlagSet that reports nothing itself: parseFlags
// turns its errors into usage errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// errHelpShown tells that a command's usage was printed for -h/--help: the
// command stops there and run reports success.
var errHelpShown = errors.New("help shown")

// parseFlags parses args, allowing flags before and after the positional
// arguments ("run snowy --trials 100" and "run --trials 100 snowy" are the
// same); everything after "--" is positional. It returns the positional
// arguments. On -h or --help it prints usage on stdout and returns
// errHelpShown.
func parseFlags(fs *flag.FlagSet, usage string, args []string, stdout io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				io.WriteString(stdout, usage)
				return nil, errHelpShown
			}
			return nil, usageError(fs.Name(), "%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagSet reports whether the flag named name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// formatFlag is a --format value restricted to a set of choices.
type formatFlag struct {
	value   string
	choices []string
}

func (f *formatFlag) String() string { return f.value }

func (f *formatFlag) Set(s string) error {
	for _, c := range f.choices {
		if s == c {
			f.value = s
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(f.choices, ", "))
}

// probFlag is a probability in [0, 1].
type probFlag float64

func (p *probFlag) String() string { return strconv.FormatFloat(float64(*p), 'g', -1, 64) }

func (p *probFlag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1 {
		return errors.New("must be a number between 0 and 1")
	}
	*p = probFlag(v)
	return nil
}

// suggest returns the candidate closest to s by edit distance, or "" when
// none is close.
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
