package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/drsim/drsim/internal/atomicfile"
	"github.com/drsim/drsim/scenarios"
)

// outputFile is a file a command writes besides stdout: --per-trial or
// --trace.
type outputFile struct {
	flag  string // the flag that names it, "per-trial"
	path  string
	write func(io.Writer) error
}

// outputs are the files and the --out folder of one command. They are
// checked before any trial runs and written after: every file atomically
// (atomicfile.WriteFile), the folder as a set (staged beside it, then
// swapped in), and a file inside the folder as part of the set.
type outputs struct {
	cmd string
	// dir is --out, "" for none; reserved are the names the folder's writer
	// uses, which a file flag must not take.
	dir      string
	reserved []string
	files    []*outputFile
	// inputs are the files the command reads (the scenario files, the
	// partial results): no output may be one of them. bases are the files
	// those scenarios extend (scenarios.Resolved.Bases), no output either.
	inputs []string
	bases  []base
}

// base is a file a scenario extends: path, and the scenario file that
// names it (directly or through other bases).
type base struct{ path, by string }

// addBases registers the files the scenario arg extends.
func (o *outputs) addBases(arg string, res *scenarios.Resolved) {
	for _, b := range res.Bases {
		o.bases = append(o.bases, base{path: b, by: displayName(arg)})
	}
}

// sameAsInput names the input that path is (the same file, however spelt:
// os.SameFile), "the input x.toml" or "the input base.toml (extended by
// x.toml)", or returns "" when it is none or does not exist yet.
func (o *outputs) sameAsInput(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	for _, in := range o.inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
			return "the input " + in
		}
	}
	for _, b := range o.bases {
		if ist, err := os.Stat(b.path); err == nil && os.SameFile(st, ist) {
			return fmt.Sprintf("the input %s (extended by %s)", b.path, b.by)
		}
	}
	return ""
}

// addFile registers --flag path; an empty path is no output.
func (o *outputs) addFile(flag, path string) *outputFile {
	if path == "" {
		return nil
	}
	f := &outputFile{flag: flag, path: path}
	o.files = append(o.files, f)
	return f
}

// inDir returns path relative to the --out folder when it lies inside it.
func (o *outputs) inDir(path string) (string, bool) {
	if o.dir == "" {
		return "", false
	}
	dir, err1 := filepath.Abs(o.dir)
	p, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// check reports, before anything runs, outputs that clash (usage errors,
// exit 2) or cannot be written (I/O errors, exit 5): a folder where a file
// is wanted or the reverse, a folder where files cannot be created.
func (o *outputs) check() error {
	seen := map[string]string{}
	for _, f := range o.files {
		abs, err := filepath.Abs(f.path)
		if err != nil {
			return usageError(o.cmd, "--%s %s: %v", f.flag, f.path, err)
		}
		if other, dup := seen[abs]; dup {
			return usageError(o.cmd, "--%s and --%s name the same file %s", other, f.flag, f.path)
		}
		seen[abs] = f.flag
		if in := o.sameAsInput(f.path); in != "" {
			return inputError(fmt.Errorf("%s: --%s %s is %s: refusing to overwrite it; name another file", o.cmd, f.flag, f.path, in))
		}
		rel, inside := o.inDir(f.path)
		switch {
		case inside && rel == ".":
			return usageError(o.cmd, "--%s %s is the --out folder; name a file in it, like %s", f.flag, f.path, filepath.Join(o.dir, "trials.csv"))
		case inside && containsFold(o.reserved, rel):
			return usageError(o.cmd, "--%s %s would replace the report's own %s in --out", f.flag, f.path, rel)
		case !inside:
			if err := atomicfile.CheckFile(f.path); err != nil {
				return ioError(fmt.Errorf("%s: --%s %s: %w", o.cmd, f.flag, f.path, err))
			}
		}
	}
	if o.dir != "" {
		for _, name := range o.reserved {
			if in := o.sameAsInput(filepath.Join(o.dir, name)); in != "" {
				return inputError(fmt.Errorf("%s: --out %s would replace %s with its %s: name another folder", o.cmd, o.dir, in, name))
			}
		}
		if err := atomicfile.CheckDir(o.dir); err != nil {
			return ioError(fmt.Errorf("%s: --out %s: %w", o.cmd, o.dir, err))
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// write writes every output: the --out folder's set first (writeDir fills
// the staging folder; the files inside --out join it), swapped in whole,
// then the files outside the folder (--trace, --per-trial elsewhere), each
// atomically. A file outside is thus never newer than the folder: a run
// killed between the two leaves the new folder beside the previous files,
// and a --trace always belongs to a completed set. drsim's stale temporary
// files are removed from each folder written to first. Errors are I/O
// errors (exit 5).
func (o *outputs) write(writeDir func(dir string) error) error {
	if o.dir != "" {
		if err := o.writeDir(writeDir); err != nil {
			return err
		}
	}
	for _, f := range o.files {
		if _, inside := o.inDir(f.path); inside {
			continue
		}
		atomicfile.RemoveStale(filepath.Dir(f.path), atomicfile.StaleAfter)
		if err := atomicfile.WriteFile(f.path, 0o644, f.write); err != nil {
			return ioError(fmt.Errorf("%s: --%s: %w", o.cmd, f.flag, err))
		}
	}
	return nil
}

// writeDir stages the --out folder's set and swaps it in.
func (o *outputs) writeDir(writeDir func(dir string) error) error {
	atomicfile.RemoveStale(filepath.Dir(filepath.Clean(o.dir)), atomicfile.StaleAfter)
	atomicfile.RemoveStale(o.dir, atomicfile.StaleAfter)
	stage, err := atomicfile.NewStage(o.dir)
	if err != nil {
		return ioError(fmt.Errorf("%s: --out %s: %w", o.cmd, o.dir, err))
	}
	defer stage.Abort()
	if err := writeDir(stage.Dir()); err != nil {
		return ioError(fmt.Errorf("%s: --out %s: %w", o.cmd, o.dir, err))
	}
	for _, f := range o.files {
		rel, inside := o.inDir(f.path)
		if !inside {
			continue
		}
		if err := atomicfile.WriteFile(filepath.Join(stage.Dir(), rel), 0o644, f.write); err != nil {
			return ioError(fmt.Errorf("%s: --%s: %w", o.cmd, f.flag, err))
		}
	}
	if _, err := stage.Commit(); err != nil {
		return ioError(fmt.Errorf("%s: --out %s: %w", o.cmd, o.dir, err))
	}
	return nil
}
