package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/scenarios"
)

func newMergeCmd(e *env) *cobra.Command {
	var (
		f        runFlags
		perTrial string
	)
	c := &cobra.Command{
		Use:   "merge PARTIAL...|-",
		Short: "join the partial results of a sharded run into its report",
		Long: `Joins the partial results that drsim run --shard i/n wrote (in any order;
- reads one from standard input) into the report of the whole run: the
same bytes, in every format, as the run without shards would write. The
partials must be of the same scenario (the resolved scenario they embed,
wherever it was read from), drsim build, seed and trial count, and cover
every trial exactly once: merge names the files and shards that differ,
the trials (and shards) that are missing and those in more than one
partial. The scenario's files are not needed: the partials embed it, and
merge replays the representative trial from it.

Merge reads every partial's header first, then decodes the trials straight
into the run's records: it needs the memory of the unsharded run (see
docs/limits.md), checks that estimate like run (exit 6), and, on SIGINT or
SIGTERM, stops, writes nothing and exits 130.`,
		Example: `  drsim run snowy --trials 1000000 --shard 1/2 --out-partial a.drsim
  drsim run snowy --trials 1000000 --shard 2/2 --out-partial b.drsim
  drsim merge a.drsim b.drsim --out report/ --check
  drsim run snowy --format partial | drsim merge - --format json`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("merge", "want the partial results to merge (files written by drsim run --shard)")
			}
			if err := f.checkDeps(c); err != nil {
				return err
			}
			if n := countOf(args, "-"); n > 1 {
				return usageError("merge", "standard input (-) can be read only once")
			}
			outs := &outputs{cmd: "merge", dir: f.out, reserved: []string{render.ReportJSON, render.ReportMarkdown, render.ReportHTML}, inputs: args}
			perTrialOut := outs.addFile("per-trial", perTrial)
			if err := outs.check(); err != nil {
				return err
			}
			return mergePartials(c, e, &f, args, outs, perTrialOut)
		},
	}
	f.registerReport(c, "also write report.json, report.md, report.html and the charts into `DIR`, replacing its previous report as a whole")
	fs := c.Flags()
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bars on stderr (they are shown only on a terminal)")
	fs.StringVar(&perTrial, "per-trial", "", "also write one CSV row per trial to `FILE` (it may lie inside --out)")
	c.MarkFlagFilename("per-trial", "csv")
	return c
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// mergeInput is one partial given to merge: its path and header, and for
// standard input the reader left open after the header.
type mergeInput struct {
	report.PartialInfo
	path  string
	stdin *report.PartialReader
}

// mergePartials reads the headers of the partials, checks them, then
// decodes them one at a time into the run's records and writes the report.
func mergePartials(c *cobra.Command, e *env, f *runFlags, args []string, outs *outputs, perTrialOut *outputFile) error {
	ctx := c.Context()
	interrupted := func() error {
		fmt.Fprintln(e.stderr, "drsim: merge: interrupted; nothing written")
		return silentError(exitInterrupted)
	}
	ins := make([]mergeInput, len(args))
	defer func() {
		for _, in := range ins {
			if in.stdin != nil {
				in.stdin.Close()
			}
		}
	}()
	for i, path := range args {
		if ctx.Err() != nil {
			return interrupted()
		}
		in := mergeInput{PartialInfo: report.PartialInfo{Name: displayPartial(path)}, path: path}
		p, fh, err := openPartial(e, path)
		if err != nil {
			return err
		}
		in.Header = p.Header
		if fh == nil {
			in.stdin = p
		} else {
			p.Close()
			fh.Close()
		}
		ins[i] = in
	}
	infos := make([]report.PartialInfo, len(ins))
	for i := range ins {
		infos[i] = ins[i].PartialInfo
	}
	if err := report.CheckPartials(infos); err != nil {
		return inputError(err)
	}
	// In trial order: the first partial's header names the run (its file,
	// its overrides), whatever order the arguments come in.
	slices.SortStableFunc(ins, func(a, b mergeInput) int { return a.Header.From - b.Header.From })
	first := &ins[0]
	h := &first.Header
	for _, in := range ins[1:] {
		if !slices.Equal(in.Header.Overrides, h.Overrides) {
			fmt.Fprintf(e.stderr, "drsim: merge: note: %s was run with other --set overrides than %s, which resolve to the same scenario; the report lists those of %s\n",
				in.Name, first.Name, first.Name)
			break
		}
	}
	cfg, err := scenarios.Parse(h.File, []byte(h.ResolvedTOML), nil)
	if err != nil {
		return inputError(fmt.Errorf("merge: %s: the embedded scenario: %w", first.Name, err))
	}
	cfg.File = h.File
	var loc model.Locator
	if len(h.Locator) > 0 {
		if loc, err = scenarios.UnmarshalLocator(h.Locator); err != nil {
			return inputError(fmt.Errorf("merge: %s: %w", first.Name, err))
		}
	}
	if err := checkMemory(e, "merge", h.Trials, memoryEstimate(h.Trials, cfg)); err != nil {
		return err
	}
	setMemoryLimit(h.Trials, cfg)
	prog := newProgress(ctx, e, f.quiet, []string{cfg.Name}, 0)
	m, err := report.NewMerger(cfg, h)
	if err != nil {
		prog.abort()
		return inputError(err)
	}
	for i := range ins {
		in := &ins[i]
		if err := readPartialInto(ctx, e, m, in); err != nil {
			prog.abort()
			if ctx.Err() != nil {
				return interrupted()
			}
			return err
		}
	}
	cfg.Seed, cfg.Trials = h.Seed, h.Trials
	s := &simulation{cfg: cfg, seed: h.Seed, asked: h.Trials, trials: m.Trials()}
	s.aggregate(prog.bar(0))
	if ctx.Err() != nil {
		prog.abort()
		return interrupted()
	}
	s.report.Overrides = h.Overrides
	return emitRun(c, e, s, loc, f, prog, outs, perTrialOut, nil, 0, false)
}

// displayPartial is how messages name a partial argument.
func displayPartial(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// openPartial opens path (or standard input for -) and reads its header;
// the caller closes the reader, and the file (nil for standard input). A
// file that cannot be opened, or is not a partial result, is bad input
// (exit 2), named with the file.
func openPartial(e *env, path string) (*report.PartialReader, io.Closer, error) {
	if path == "-" {
		p, err := report.OpenPartial(e.stdin)
		if err != nil {
			return nil, nil, partialError(path, "", err)
		}
		return p, nil, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, inputError(fmt.Errorf("merge: %w", err))
	}
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		fh.Close()
		return nil, nil, inputError(fmt.Errorf("merge: %s is a folder, not a partial result", path))
	}
	p, err := report.OpenPartial(fh)
	if err != nil {
		fh.Close()
		return nil, nil, partialError(path, "", err)
	}
	return p, fh, nil
}

// readPartialInto decodes the trials of in into m: standard input from
// the reader left open after its header, a file opened again (so that a
// merge of many shards holds one file open at a time).
func readPartialInto(ctx context.Context, e *env, m *report.Merger, in *mergeInput) error {
	p := in.stdin
	if p == nil {
		var fh io.Closer
		var err error
		if p, fh, err = openPartial(e, in.path); err != nil {
			return err
		}
		defer fh.Close()
		defer p.Close()
		if p.Header.From != in.Header.From || p.Header.To != in.Header.To || p.Header.Digest != in.Header.Digest {
			return inputError(fmt.Errorf("merge: %s changed while merge read it", in.Name))
		}
	}
	if err := m.Read(ctx, p); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return partialError(in.path, in.Header.Shard, err)
	}
	return nil
}

// partialError words a partial that cannot be read: "FILE: damaged or
// truncated partial (shard i/n): what; re-run that shard", or "FILE: not
// a partial result (...)". Exit 2.
func partialError(path, shard string, err error) error {
	name := displayPartial(path)
	var de *report.DamagedError
	if errors.As(err, &de) {
		sh := ""
		if shard != "" {
			sh = " (shard " + shard + ")"
		}
		return inputError(fmt.Errorf("merge: %s: damaged or truncated partial%s: %s; re-run that shard", name, sh, de.What))
	}
	var np *report.NotPartialError
	if errors.As(err, &np) {
		return inputError(fmt.Errorf("merge: %s: not a partial result (%s); merge reads the files drsim run --shard writes", name, np.What))
	}
	var me *report.MergeError
	if errors.As(err, &me) {
		return inputError(fmt.Errorf("merge: %s: %w", name, err))
	}
	return ioError(fmt.Errorf("merge: %s: %w", name, err))
}
