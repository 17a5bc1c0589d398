package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsim/drsim/internal/atomicfile"
)

// The example of 'drsim help run': --per-trial inside --out (issue 14: the
// CSV was written before the folder existed).
func TestHelpExamplePerTrialInsideOut(t *testing.T) {
	code, help, _ := drsim(t, "help", "run")
	if code != 0 || !strings.Contains(help, "drsim run my-setup.toml --out out/ --per-trial out/trials.csv") {
		t.Fatalf("the example is not in the help:\n%s", help)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("my-setup.toml", []byte(miniScenario), 0o644)
	code, stdout, stderr := drsim(t, "run", "my-setup.toml", "--out", "out/", "--per-trial", "out/trials.csv", "--trials", "30")
	if code != 0 || stdout == "" {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	names := dirNames(t, "out")
	for _, want := range []string{"trials.csv", "report.json", "report.md", "report.html"} {
		if !slices.Contains(names, want) {
			t.Errorf("out/ lacks %s: %q", want, names)
		}
	}
	if rows := strings.Count(readAll(t, "out/trials.csv"), "\n"); rows != 31 {
		t.Errorf("trials.csv has %d lines, want 31", rows)
	}
	if got := dirNames(t, "."); !slices.Equal(got, []string{"my-setup.toml", "out"}) {
		t.Errorf("the folder holds %q: temporary files left", got)
	}
}

// A second run replaces the --out set as a whole, files inside it
// included, and leaves no temporary files.
func TestOutReplacesTheSet(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	seedOf := func() float64 {
		var r struct{ Seed float64 }
		if err := json.Unmarshal([]byte(readAll(t, filepath.Join(out, "report.json"))), &r); err != nil {
			t.Fatal(err)
		}
		return r.Seed
	}
	for _, seed := range []string{"1", "2"} {
		code, _, stderr := drsim(t, "run", "snowy", "--trials", "20", "--seed", seed, "--out", out,
			"--per-trial", filepath.Join(out, "csv", "trials.csv"), "--trace", filepath.Join(dir, "trace.jsonl"), "--quiet")
		if code != 0 {
			t.Fatalf("seed %s: exit code %d; stderr:\n%s", seed, code, stderr)
		}
	}
	if s := seedOf(); s != 2 {
		t.Errorf("report.json has seed %v after the second run", s)
	}
	if md := readAll(t, filepath.Join(out, "report.md")); !strings.Contains(md, "seed 2") {
		t.Error("report.md is not the second run's")
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"out", "trace.jsonl"}) {
		t.Errorf("the parent folder holds %q", got)
	}
	if got := dirNames(t, filepath.Join(out, "csv")); !slices.Equal(got, []string{"trials.csv"}) {
		t.Errorf("out/csv holds %q", got)
	}
}

// drsim's own stale temporary files are removed; young ones and other
// files are kept.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	stale := []string{atomicfile.TempPrefix + "trials.csv-123", atomicfile.StagePrefix + "out-456"}
	os.WriteFile(filepath.Join(dir, stale[0]), []byte("half"), 0o644)
	os.Mkdir(filepath.Join(dir, stale[1]), 0o755)
	young := atomicfile.TempPrefix + "report.json-789"
	os.WriteFile(filepath.Join(dir, young), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)
	for _, s := range stale {
		os.Chtimes(filepath.Join(dir, s), old, old)
	}
	code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--per-trial", filepath.Join(dir, "trials.csv"), "--quiet")
	if code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	want := []string{young, "notes.txt", "trials.csv"}
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("folder holds %q, want %q", got, want)
	}
}

// Output paths are checked before any trial runs: a run of two million
// trials fails at once, not after the simulation (issue 14: 9 s and
// 1.45 GB, then exit 1).
func TestOutputPathsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"out is a file", []string{"--out", file}, exitIO, "--out " + file + ": " + file + " is a file, not a folder"},
		{"out under a file", []string{"--out", filepath.Join(file, "out")}, exitIO, "is a file, not a folder"},
		{"per-trial is a folder", []string{"--per-trial", dir}, exitIO, "--per-trial " + dir + ": " + dir + " is a folder, not a file"},
		{"trace under a file", []string{"--trace", filepath.Join(file, "t.jsonl")}, exitIO, "is a file, not a folder"},
		{"per-trial and trace alike", []string{"--per-trial", filepath.Join(dir, "x"), "--trace", filepath.Join(dir, "x")}, exitInput, "--per-trial and --trace name the same file"},
		{"per-trial is out", []string{"--out", filepath.Join(dir, "o"), "--per-trial", filepath.Join(dir, "o")}, exitInput, "is the --out folder; name a file in it"},
		{"per-trial takes a report name", []string{"--out", filepath.Join(dir, "o"), "--per-trial", filepath.Join(dir, "o", "report.json")}, exitInput, "would replace the report's own report.json"},
		{"compare out is a file", nil, exitIO, "compare: --out " + file},
		{"out is the root", []string{"--out", "/"}, exitIO, "--out /: / is the root folder, which cannot be an output folder"},
		{"out is the root, doubled", []string{"--out", "//"}, exitIO, "--out //: / is the root folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "snowy", "--trials", "2000000"}, tt.args...)
			if tt.args == nil {
				args = []string{"compare", "snowy", "pilot-light", "--trials", "2000000", "--out", file}
			}
			start := time.Now()
			code, stdout, stderr := drsim(t, args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit code %d (want %d), stderr:\n%s\nwant %q", code, tt.code, stderr, tt.stderr)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v: the check came after the trials", d)
			}
			if stdout != "" {
				t.Errorf("printed a report: %.80s", stdout)
			}
		})
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"file"}) {
		t.Errorf("the checks left %q", got)
	}
}

// A file outside --out (--trace) is written after the folder's set is
// swapped in, so that a run killed between the two never leaves a new
// trace beside the previous folder (issue: tr.jsonl was from the killed
// run, out/ from the one before).
func TestTraceWrittenAfterTheOutSwap(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	o := &outputs{cmd: "run", dir: out}
	var sawNewSet bool
	f := o.addFile("trace", filepath.Join(dir, "tr.jsonl"))
	f.write = func(w io.Writer) error {
		b, err := os.ReadFile(filepath.Join(out, "report.json"))
		sawNewSet = err == nil && string(b) == "new"
		_, err = io.WriteString(w, "{}\n")
		return err
	}
	err := o.write(func(stage string) error {
		if _, err := os.Stat(filepath.Join(dir, "tr.jsonl")); err == nil {
			t.Error("the trace was written before the folder's set")
		}
		return os.WriteFile(filepath.Join(stage, "report.json"), []byte("new"), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sawNewSet {
		t.Error("the trace was written before the new set was in place")
	}
}
