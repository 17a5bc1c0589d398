package main

import (
	"context"
	"fmt"
	"io"

	"github.com/drsim/drsim/report/chart"
)

// finishWhatif ends sweep and sensitivity after their runs: on an
// interruption it writes nothing (exit 130), on runErr it fails; else it
// writes the --out folder (writeAll) and then the result v on standard
// output in format. what names the result in an I/O error ("table").
func finishWhatif[T any](ctx context.Context, e *env, cmd, what string, prog *progress, outs *outputs, format string, v T, runErr error,
	writeAll func(dir string, v T) ([]chart.Omission, error), json, markdown, text func(io.Writer, T) error) error {
	if ctx.Err() != nil {
		prog.abort()
		fmt.Fprintf(e.stderr, "drsim: %s: interrupted; nothing written\n", cmd)
		return silentError(exitInterrupted)
	}
	if runErr != nil {
		prog.abort()
		return whatifError(cmd, runErr)
	}
	prog.setPhase(phaseRendering)
	var omitted []chart.Omission
	err := outs.write(func(dir string) (err error) {
		omitted, err = writeAll(dir, v)
		return err
	})
	prog.stop()
	if err != nil {
		return err
	}
	tellOmitted(e, cmd, omitted)
	if err := writeReport(e.stdout, format, v, false, nil, json, markdown, text); err != nil {
		return ioError(fmt.Errorf("%s: writing the %s: %w", cmd, what, err))
	}
	return nil
}
