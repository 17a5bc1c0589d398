package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/drsim/drsim/scenarios"
)

// Exit codes.
const (
	exitOK       = 0
	exitInternal = 1
	exitInput    = 2
	exitCheck    = 3
	// exitLint: drsim lint found a finding at or above --fail-on.
	exitLint = 4
)

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

// usageError reports bad flags or arguments (exit code 2).
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
	if errors.As(err, &el) {
		return exitInput
	}
	return exitInternal
}

// reportError prints err on w unless it was already reported, and returns
// the exit code.
func reportError(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) || !ee.silent {
		fmt.Fprintf(w, "drsim: %v\n", err)
	}
	if ee != nil && ee.hint != "" {
		fmt.Fprintln(w, ee.hint)
	}
	return exitCode(err)
}
