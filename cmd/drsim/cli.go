package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/drsim/drsim/internal/suggest"
)

// run is the whole CLI: it runs the command that args name and returns an
// error whose exit code exitCode tells. SIGINT and SIGTERM cancel the
// command's context (a simulating command stops its trials and exits 130);
// a second signal ends the process at once, with exit code 130 too (see
// watchSignals).
func run(args []string, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go watchSignals(sigs, done, cancel, func() {
		fmt.Fprintln(stderr, "drsim: interrupted again: stopping at once")
		os.Exit(exitInterrupted)
	})
	return newEnv(os.Stdin, stdout, stderr).run(ctx, args)
}

// sameInterruption is how soon after the first signal another counts as
// the same interruption delivered twice: timeout(1) signals the process,
// then its process group, so drsim receives its SIGTERM (or SIGINT) twice
// within microseconds. A person's second Ctrl-C comes later than this.
const sameInterruption = 250 * time.Millisecond

// watchSignals treats SIGINT and SIGTERM alike, until done is closed: the
// first calls cancel; another, sameInterruption or more after it, calls
// exit. drsim keeps its handler installed throughout, rather than
// restoring the default action after the first signal, under which a
// second SIGTERM would end it silently with status 143 (and a second
// SIGINT would be ignored or fatal depending on how it was started).
func watchSignals(sigs <-chan os.Signal, done <-chan struct{}, cancel func(), exit func()) {
	var first time.Time
	for {
		select {
		case <-done:
			return
		case <-sigs:
		}
		switch {
		case first.IsZero():
			first = time.Now()
			cancel()
		case time.Since(first) >= sameInterruption:
			exit()
			return
		}
	}
}

// env is what one run of the CLI reads, writes and asks of the machine.
// Tests replace parts of it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// isTerminal reports whether w is a terminal (for the progress bars).
	isTerminal func(w io.Writer) bool
	// memory returns this machine's memory in bytes, false when unknown.
	memory func() (uint64, bool)
	// workers is the default of --workers.
	workers int
	// progressDelay is how long a run lasts before its progress bars
	// appear, so that quick runs print nothing.
	progressDelay time.Duration
	// lookupEnv reads the environment (--shard env): os.LookupEnv.
	lookupEnv func(string) (string, bool)
}

func newEnv(stdin io.Reader, stdout, stderr io.Writer) *env {
	return &env{
		stdin:      stdin,
		stdout:     stdout,
		stderr:     stderr,
		isTerminal: isTerminal,
		memory:     machineMemory,
		lookupEnv:  os.LookupEnv,
		workers:    runtime.NumCPU(),

		progressDelay: time.Second,
	}
}

// run builds a fresh command tree and executes args in it. A panic
// anywhere below is recovered here: "internal error, please report" with
// the stack on stderr, and exit code 1.
func (e *env) run(ctx context.Context, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "drsim: internal error, please report it with this output: %v\n%s\n\n%s", r, strings.Join(versionLines(readBuildInfo()), "\n"), debug.Stack())
			err = silentError(exitInternal)
		}
	}()
	root := newRootCmd(e)
	root.SetArgs(args)
	err = root.ExecuteContext(ctx)
	var ee *exitError
	if err != nil && !errors.As(err, &ee) {
		// Our commands return classified errors (see classifyErrors): an
		// unclassified one comes from cobra's own checks of the command
		// line, for example the argument count of a cobra command.
		name := "drsim"
		if c, _, ferr := root.Find(args); ferr == nil && c != nil {
			name = c.Name()
		}
		return usageError(name, "%v", err)
	}
	return err
}

// classifyErrors makes every command of the tree return an *exitError: an
// error that a command leaves unclassified is a bug, exit code 1.
func classifyErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(c *cobra.Command, args []string) error {
			if err := checkPathFlags(c); err != nil {
				return err
			}
			err := run(c, args)
			var ee *exitError
			if err != nil && !errors.As(err, &ee) {
				return &exitError{code: exitInternal, err: fmt.Errorf("internal error, please report it: %s: %w", c.Name(), err)}
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		classifyErrors(sub)
	}
}

// isPathFlag reports whether f names a file or a folder: the flags marked
// with MarkFlagFilename or MarkFlagDirname (which also make the shells
// complete them as paths).
func isPathFlag(f *pflag.Flag) bool {
	_, file := f.Annotations[cobra.BashCompFilenameExt]
	_, dir := f.Annotations[cobra.BashCompSubdirsInDir]
	return file || dir
}

// checkPathFlags refuses a path flag given explicitly as "" (an unset
// variable in a script, --out "$DIR"): leaving the flag out means no such
// output, so an empty value would silently do that instead of what was
// meant.
func checkPathFlags(c *cobra.Command) error {
	var err error
	c.Flags().Visit(func(f *pflag.Flag) {
		if err == nil && isPathFlag(f) && strings.TrimSpace(f.Value.String()) == "" {
			err = usageError(c.Name(), "--%s: empty path (an unset variable?): give a path, or leave the flag out", f.Name)
		}
	})
	return err
}

// rootIntro opens drsim's help.
const rootIntro = `drsim simulates disaster recovery for AWS KMS multi-Region keys, S3 replication
and DynamoDB global tables: RTO, RPO, lost writes, KMS failures by cause, the
chance of meeting the objectives and the monthly cost, over thousands of trials.

A scenario is a TOML file, the name of a bundled scenario (see 'drsim list'),
or - for standard input.`

// commandGroups returns the command groups, in the order help lists them;
// a command in no group is listed under "Other commands".
func commandGroups() []*cobra.Group {
	return []*cobra.Group{
		{ID: "simulate", Title: "Simulate:"},
		{ID: "scenarios", Title: "Scenarios:"},
	}
}

// newRootCmd returns the command tree of drsim, writing to e's streams.
func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "drsim",
		Short: "disaster-recovery simulator for AWS KMS multi-Region keys, S3 replication and DynamoDB global tables",
		Long:  rootIntro + "\n\n" + exitCodesHelp("    "),
		Example: `  drsim run snowy
  drsim run my-setup.toml --trials 5000 --format json
  drsim compare backup-and-restore pilot-light warm-standby active-active
  drsim sensitivity snowy
  drsim sweep snowy --vary failover.detect=1m,4m,10m
  drsim init --strategy warm-standby my-setup.toml
  drsim validate scenarios/*.toml`,
		Args:               cobra.ArbitraryArgs,
		SilenceErrors:      true,
		SilenceUsage:       true,
		DisableAutoGenTag:  true,
		DisableSuggestions: true,
		CompletionOptions:  cobra.CompletionOptions{DisableDefaultCmd: true},
		RunE: func(c *cobra.Command, args []string) error {
			if v, _ := c.Flags().GetBool("version"); v {
				if len(args) > 0 {
					return usageError("version", "takes no arguments")
				}
				return printVersion(e.stdout)
			}
			if len(args) == 0 {
				io.WriteString(e.stderr, mainHelp(c))
				return silentError(exitInput)
			}
			return &exitError{code: exitInput, err: errors.New(unknownCommand(c, args[0])), hint: "Run 'drsim help' for usage."}
		},
	}
	root.Flags().Bool("version", false, "print the version (the same as 'drsim version')")
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { io.WriteString(c.OutOrStdout(), commandHelp(c)) })
	root.SetUsageFunc(func(c *cobra.Command) error {
		_, err := io.WriteString(c.OutOrStderr(), commandHelp(c))
		return err
	})
	root.SetFlagErrorFunc(flagError)
	root.AddGroup(commandGroups()...)
	root.SetHelpCommand(newHelpCmd())
	for _, c := range []*cobra.Command{newRunCmd(e), newMergeCmd(e), newCompareCmd(e), newSweepCmd(e), newSensitivityCmd(e), newTraceCmd(e)} {
		c.GroupID = "simulate"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newValidateCmd(e), newLintCmd(e), newInitCmd(e), newImportCmd(e), newListCmd(e), newSchemaCmd(e)} {
		c.GroupID = "scenarios"
		root.AddCommand(c)
	}
	root.AddCommand(newVersionCmd(e), newCompletionCmd(e))
	root.InitDefaultHelpCmd() // now, so that help is listed before a command runs
	classifyErrors(root)
	return root
}

// unknownCommand says that name is no command of root, suggesting the
// closest one.
func unknownCommand(root *cobra.Command, name string) string {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := suggest.Closest(name, commandNames(root)); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

// commandNames lists the commands a user can run, help included.
func commandNames(root *cobra.Command) []string {
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			names = append(names, c.Name())
		}
	}
	return names
}

// findCommand returns root's available command called name.
func findCommand(root *cobra.Command, name string) (*cobra.Command, bool) {
	for _, c := range root.Commands() {
		if c.Name() == name && (c.IsAvailableCommand() || c.Name() == "help") {
			return c, true
		}
	}
	return nil, false
}

// flagError turns a flag parsing error into a usage error of the command,
// in GNU style (--flag), with a did-you-mean for an unknown flag.
func flagError(c *cobra.Command, err error) error {
	msg := err.Error()
	var ne *pflag.NotExistError
	if errors.As(err, &ne) {
		if group := ne.GetSpecifiedShortnames(); group != "" {
			// "-trials": a long flag written with one dash (Go's flag style)
			if c.Flags().Lookup(group) != nil {
				msg += fmt.Sprintf(" (did you mean --%s?)", group)
			} else if s := suggest.Closest(group, flagNames(c)); s != "" {
				msg += fmt.Sprintf(" (did you mean --%s?)", s)
			}
		} else if s := suggest.Closest(ne.GetSpecifiedName(), flagNames(c)); s != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", s)
		}
	}
	return usageError(c.Name(), "%s", msg)
}

// flagNames lists the long flags of c, sorted.
func flagNames(c *cobra.Command) []string {
	var names []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	return names
}

// newHelpCmd is 'drsim help [COMMAND]'.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "show help for drsim or one of its commands",
		Long:  "Shows the list of commands, or the usage of one command with examples.",
		Example: `  drsim help
  drsim help run`,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range c.Root().Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			switch len(args) {
			case 0:
				if _, err := io.WriteString(c.OutOrStdout(), mainHelp(root)); err != nil {
					return ioError(fmt.Errorf("help: %w", err))
				}
				return nil
			case 1:
			default:
				return usageError("help", "too many arguments")
			}
			sub, ok := findCommand(root, args[0])
			if !ok {
				return usageError("help", "%s", unknownCommand(root, args[0]))
			}
			if _, err := io.WriteString(c.OutOrStdout(), commandHelp(sub)); err != nil {
				return ioError(fmt.Errorf("help: %w", err))
			}
			return nil
		},
	}
}

// commandHelp is the help of c: the main help for the root, else the
// command's usage line, description, flags and examples.
func commandHelp(c *cobra.Command) string {
	if !c.HasParent() {
		return mainHelp(c)
	}
	c.InitDefaultHelpFlag() // so that -h is listed whether or not c ran
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n", c.UseLine())
	b.WriteString(strings.TrimSpace(c.Long))
	b.WriteString("\n")
	if c.HasAvailableLocalFlags() {
		b.WriteString("\nFlags:\n")
		b.WriteString(c.LocalFlags().FlagUsagesWrapped(80))
	}
	if c.Example != "" {
		b.WriteString("\nExamples:\n")
		b.WriteString(strings.TrimRight(c.Example, "\n"))
		b.WriteString("\n")
	}
	return b.String()
}

// mainHelp is the help of drsim itself: what it does, its commands by
// group, examples and the exit codes.
func mainHelp(root *cobra.Command) string {
	var b strings.Builder
	b.WriteString(rootIntro)
	b.WriteString("\n\nUsage:\n  drsim COMMAND [arguments] [flags]\n")
	width := 0
	for _, c := range root.Commands() {
		width = max(width, len(c.Name()))
	}
	list := func(title, group string) {
		var lines []string
		for _, c := range root.Commands() {
			if c.GroupID == group && (c.IsAvailableCommand() || c.Name() == "help") {
				lines = append(lines, fmt.Sprintf("  %-*s  %s\n", width, c.Name(), c.Short))
			}
		}
		if len(lines) > 0 {
			b.WriteString("\n" + title + "\n" + strings.Join(lines, ""))
		}
	}
	for _, g := range root.Groups() {
		list(g.Title, g.ID)
	}
	list("Other commands:", "")
	b.WriteString("\nExamples:\n")
	b.WriteString(root.Example)
	b.WriteString("\n\n")
	b.WriteString(exitCodesHelp("  "))
	b.WriteString("\nRun 'drsim help COMMAND' for the flags of a command.\n")
	return b.String()
}
