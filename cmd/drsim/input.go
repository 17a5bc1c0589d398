package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
)

// stdinName is how errors name a scenario read from standard input; its
// relative extends resolve against the current folder.
const stdinName = "<stdin>"

// readGrace is how long an interrupted read of a scenario may still take
// to finish: far longer than reading a file, far shorter than a reader
// notices.
const readGrace = 100 * time.Millisecond

// maxStdin bounds what is read from standard input: far above any
// scenario, it keeps "drsim run - < /dev/zero" from exhausting memory. The
// decoder applies its own, tighter limits.
const maxStdin = 16 << 20

// resolver loads the scenarios named on a command line: a file, a bundled
// name, or "-" for standard input, which can be read once.
type resolver struct {
	stdin     io.Reader
	stdinUsed bool
	// root is --root: the folder extends may read under (default: the
	// folder of the file that names the base).
	root string
	// overrides are --set: every scenario gets them.
	overrides []scenarios.Override
	// cmd is the command the resolver reads for: its context, cancelled by
	// SIGINT or SIGTERM, interrupts a read that blocks.
	cmd *cobra.Command
}

// newResolver returns a resolver reading standard input from e and
// registers its --root flag on c.
func newResolver(e *env, c *cobra.Command) *resolver {
	r := &resolver{stdin: e.stdin, cmd: c}
	c.Flags().StringVar(&r.root, "root", "", "let extends read files anywhere under `DIR` (default: under the folder of the file that names them)")
	c.MarkFlagDirname("root")
	return r
}

// options returns the loader options of the command line.
func (r *resolver) options() []scenarios.Option {
	var opts []scenarios.Option
	if r.root != "" {
		opts = append(opts, scenarios.WithRoot(r.root))
	}
	if len(r.overrides) > 0 {
		opts = append(opts, scenarios.WithOverrides(r.overrides...))
	}
	return opts
}

// resolve loads arg; errors are bad input (exit code 2).
func (r *resolver) resolve(arg string) (*model.Config, error) {
	cfg, _, err := r.resolveLocated(arg)
	return cfg, err
}

// resolveLocated is resolve that also returns where each value of the
// scenario was written (for the findings).
func (r *resolver) resolveLocated(arg string) (*model.Config, model.Locator, error) {
	res, err := r.open(arg)
	if err != nil {
		return nil, nil, err
	}
	return res.Config, res.Locator, nil
}

// open loads arg with the options of the command line (--root, --set).
// Reading may block for as long as a writer pleases: a named pipe (FIFO)
// or a process substitution (<(cmd)) with no writer yet, or standard input
// from a terminal. A SIGINT or SIGTERM (the command's context) interrupts
// it at once with exit code 130; the blocked read is abandoned, and the
// process exits.
func (r *resolver) open(arg string) (*scenarios.Resolved, error) {
	ctx := context.Background()
	if r.cmd != nil && r.cmd.Context() != nil {
		ctx = r.cmd.Context()
	}
	type result struct {
		res *scenarios.Resolved
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := r.openBlocking(arg)
		done <- result{res, err}
	}()
	select {
	case out := <-done:
		return out.res, out.err
	case <-ctx.Done():
	}
	// A read that was about to finish (a file, already cancelled context)
	// still counts: the command then stops at its own next check.
	select {
	case out := <-done:
		return out.res, out.err
	case <-time.After(readGrace):
		return nil, &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted while reading %s", displayName(arg))}
	}
}

// openBlocking is open without the interruption.
func (r *resolver) openBlocking(arg string) (*scenarios.Resolved, error) {
	if arg != "-" {
		res, err := scenarios.Open(arg, r.options()...)
		if err != nil {
			return nil, inputError(err)
		}
		return res, nil
	}
	if r.stdinUsed {
		return nil, inputError(fmt.Errorf("drsim: standard input (-) can be read only once; give it once, and the other scenarios as files"))
	}
	r.stdinUsed = true
	data, err := io.ReadAll(io.LimitReader(r.stdin, maxStdin+1))
	if err != nil {
		return nil, inputError(fmt.Errorf("reading standard input: %w", err))
	}
	if len(data) > maxStdin {
		return nil, inputError(fmt.Errorf("standard input: more than %d MiB; a scenario is a small text file", maxStdin>>20))
	}
	res, err := scenarios.OpenData(stdinName, data, nil, append(r.options(), scenarios.FilesOnDisk())...)
	if err != nil {
		return nil, inputError(err)
	}
	return res, nil
}

// displayName is how output names a scenario argument.
func displayName(arg string) string {
	if arg == "-" {
		return stdinName
	}
	return arg
}
