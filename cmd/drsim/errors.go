package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/scenarios"
)

// Exit codes. They are documented in one place for users: the README's
// "Exit codes" table and 'drsim help' (exitCodesHelp); a test runs each.
const (
	exitOK          = 0   // success
	exitInternal    = 1   // a bug in drsim: an unexpected error or a recovered panic
	exitInput       = 2   // bad input: an invalid scenario, bad flags or arguments
	exitCheck       = 3   // --check: objectives met in fewer trials than --min-probability
	exitLint        = 4   // drsim lint found a finding at or above --fail-on
	exitIO          = 5   // an output could not be written (or read back), stdout included
	exitMemory      = 6   // the run's memory estimate exceeds this machine's memory
	exitInterrupted = 130 // SIGINT or SIGTERM (128 + SIGINT, the shell convention)
)

// exitCodeTable lists the exit codes, one a line, for 'drsim help', the
// generated command reference and the README.
const exitCodeTable = `0    ok
1    internal error (a bug: please report it)
2    bad input: invalid scenario, bad flags or arguments
3    --check failed: objectives met in fewer trials than --min-probability
4    lint findings at or above --fail-on
5    I/O error: an output could not be written
6    the run's memory estimate exceeds this machine's memory
130  interrupted (SIGINT or SIGTERM)
`

// exitCodesHelp is the exit code section of a help text: "Exit codes:" and
// the table, each line indented by indent.
func exitCodesHelp(indent string) string {
	var b strings.Builder
	b.WriteString("Exit codes:\n")
	if len(indent) >= 4 {
		b.WriteString("\n") // a Markdown code block needs a blank line before it
	}
	for _, l := range strings.SplitAfter(exitCodeTable, "\n") {
		if l != "" {
			b.WriteString(indent + l)
		}
	}
	return b.String()
}

// exitError carries the exit code of a failed command. A silent error has
// already been reported on stderr by the command itself.
type exitError struct {
	code   int
	err    error
	silent bool
	// hint is printed on a line of its own after the error.
	hint string
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError reports bad flags or arguments of cmd (exit code 2), with a
// pointer to its help.
func usageError(cmd, format string, args ...any) error {
	return &exitError{
		code: exitInput,
		err:  fmt.Errorf("%s: %s", cmd, fmt.Sprintf(format, args...)),
		hint: fmt.Sprintf("Run 'drsim help %s' for usage.", cmd),
	}
}

// inputError marks err as bad input (exit code 2).
func inputError(err error) error {
	return &exitError{code: exitInput, err: err}
}

// isInterrupted reports whether err ends the command with exit code 130.
func isInterrupted(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.code == exitInterrupted
}

// ioError marks err as an I/O error on an output (exit code 5). The
// message loses the names of drsim's internal packages ("atomicfile: "),
// which mean nothing to a user; the error chain is kept.
func ioError(err error) error {
	return &exitError{code: exitIO, err: withoutPackages(err, "atomicfile: ")}
}

// withoutPackages returns err with its message cleared of the package
// prefixes given, at the start of any line or after ": "; errors.Is and
// errors.As still see err.
func withoutPackages(err error, prefixes ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, p := range prefixes {
		lines := strings.Split(clean, "\n")
		for i, l := range lines {
			l = strings.TrimPrefix(l, p)
			lines[i] = strings.ReplaceAll(l, ": "+p, ": ")
		}
		clean = strings.Join(lines, "\n")
	}
	if clean == msg {
		return err
	}
	return &renamedError{msg: clean, err: err}
}

// renamedError is err with another message.
type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }

// silentError is an error the command has already reported.
func silentError(code int) error {
	return &exitError{code: code, silent: true}
}

// exitCode maps an error returned by run to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var el scenarios.ErrorList
	var il importer.ErrorList
	if errors.As(err, &el) || errors.As(err, &il) {
		return exitInput
	}
	return exitInternal
}

// reportError prints err on w unless it was already reported, and returns
// the exit code. A list of positioned errors (an invalid scenario, a bad
// import input) is printed as validate prints it, one error a line, each
// starting with its package ("scenarios: file:line:col: ..."); any other
// error as "drsim: message". Either is escaped for the terminal
// (errorText).
func reportError(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) || !ee.silent {
		if text, list := errorText(err); list {
			fmt.Fprintln(w, text)
		} else if strings.HasPrefix(text, "drsim: ") {
			fmt.Fprintln(w, text)
		} else {
			fmt.Fprintf(w, "drsim: %s\n", text)
		}
	}
	if ee != nil && ee.hint != "" {
		fmt.Fprintln(w, ee.hint)
	}
	return exitCode(err)
}

// errorText returns err's message as drsim prints it on a terminal, and
// whether it is a bare list of positioned errors (scenarios.ErrorList or
// importer.ErrorList). The message quotes what the user's files hold (a
// bucket name, an address), which may hold control characters: each error
// of a list is escaped whole (escape.Text: an embedded newline shows as
// \n), any other message line by line (escape.Message).
func errorText(err error) (string, bool) {
	msg := err.Error()
	var lines []string
	var sl scenarios.ErrorList
	var il importer.ErrorList
	switch {
	case errors.As(err, &sl) && sl.Error() == msg:
		for _, e := range sl {
			lines = append(lines, escape.Text(e.Error()))
		}
	case errors.As(err, &il) && il.Error() == msg:
		for _, e := range il {
			lines = append(lines, escape.Text(e.Error()))
		}
	default:
		return escape.Message(msg), false
	}
	return strings.Join(lines, "\n"), true
}
