package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cancelAfter returns a context cancelled after d.
func cancelAfter(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

var interruptedRE = regexp.MustCompile(`interrupted after ([0-9,]+) of 5,000,000 trials`)

// An interrupted run writes nothing and exits 130; with --partial-ok it
// writes a report over the trials done, marked partial, that equals a run
// of that many trials.
func TestInterruptedRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	e, stdout, stderr := testEnv("")
	code := drsimEnv(t, cancelAfter(t, 300*time.Millisecond), e, "run", "snowy", "--trials", "5000000", "--out", out, "--per-trial", filepath.Join(dir, "t.csv"))
	if code != exitInterrupted || stdout.Len() != 0 || !interruptedRE.MatchString(stderr.String()) {
		t.Fatalf("exit code %d, stdout %d bytes, stderr %q", code, stdout.Len(), stderr)
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("an interrupted run wrote %q", got)
	}

	e, stdout, stderr = testEnv("")
	code = drsimEnv(t, cancelAfter(t, 300*time.Millisecond), e, "run", "snowy", "--trials", "5000000", "--out", out, "--format", "json", "--partial-ok")
	m := interruptedRE.FindStringSubmatch(stderr.String())
	if code != exitInterrupted || m == nil {
		t.Fatalf("--partial-ok: exit code %d, stderr %q", code, stderr)
	}
	done := strings.ReplaceAll(m[1], ",", "")
	if done == "0" {
		t.Skip("no trial finished in 300 ms on this machine")
	}
	var partial map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &partial); err != nil {
		t.Fatal(err)
	}
	ws, _ := partial["warnings"].([]any)
	if len(ws) == 0 || !strings.HasPrefix(fmt.Sprint(ws[0]), "PARTIAL REPORT: interrupted after "+m[1]+" of 5,000,000 trials; it covers trials 0 to ") {
		t.Errorf("the partial report's first warning is %v", ws)
	}
	if fmt.Sprint(partial["trials"]) != done {
		t.Errorf("the partial report has %v trials, want %s", partial["trials"], done)
	}
	if j := readAll(t, filepath.Join(out, "report.json")); j != stdout.String() {
		t.Error("--out report.json differs from the partial report on stdout")
	}
	if md := readAll(t, filepath.Join(out, "report.md")); !strings.Contains(md, "PARTIAL REPORT") {
		t.Error("report.md is not marked partial")
	}
	// the same trials as a run of that many, apart from the mark
	code, full, _ := drsim(t, "run", "snowy", "--trials", done, "--format", "json")
	if code != 0 {
		t.Fatal(code)
	}
	var whole map[string]any
	json.Unmarshal([]byte(full), &whole)
	partial["warnings"] = ws[1:]
	a, _ := json.Marshal(partial)
	b, _ := json.Marshal(whole)
	if string(a) != string(b) {
		t.Error("the partial report differs from a run of the trials it covers")
	}
}

func TestInterruptedCompare(t *testing.T) {
	e, stdout, stderr := testEnv("")
	code := drsimEnv(t, cancelAfter(t, time.Second), e, "compare", "snowy", "pilot-light", "--trials", "5000000", "--partial-ok")
	if code != exitInterrupted || !strings.Contains(stderr.String(), "drsim: compare: snowy-alerting: interrupted after ") || !strings.Contains(stderr.String(), "(0 of 2 scenarios complete)") {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if strings.Contains(stderr.String(), "interrupted after 0 of") {
		t.Skip("no trial finished in a second on this machine")
	}
	if !strings.HasPrefix(stdout.String(), "PARTIAL COMPARISON: interrupted; 1 of 2 scenarios run, the last with ") {
		t.Errorf("the partial comparison is not marked:\n%.300s", stdout)
	}
}

// SIGINT and SIGTERM stop a real process cleanly: the message, exit 130,
// no output files, no temporary files.
func TestSignals(t *testing.T) {
	bin := drsimBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, "run", "snowy", "--trials", "5000000", "--out", filepath.Join(dir, "out"), "--per-trial", filepath.Join(dir, "out", "t.csv"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			if cmd.ProcessState.ExitCode() != exitInterrupted {
				t.Errorf("exit %v, want code 130; stderr %q", err, stderr.String())
			}
			if !interruptedRE.MatchString(stderr.String()) {
				t.Errorf("stderr %q", stderr.String())
			}
			if got := dirNames(t, dir); len(got) != 0 {
				t.Errorf("wrote %q", got)
			}
		})
	}
}

// Killing a run at any moment leaves the previous outputs intact: the
// folder holds one run's complete set, never a mix.
func TestKillLeavesACompleteSet(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a dozen runs")
	}
	bin := drsimBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	run := func(seed int) *exec.Cmd {
		return exec.Command(bin, "run", "snowy", "--trials", "3000", "--seed", fmt.Sprint(seed), "--out", out,
			"--per-trial", filepath.Join(out, "trials.csv"), "--format", "json", "--quiet")
	}
	if b, err := run(1).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	want := dirNames(t, out)
	rng := rand.New(rand.NewPCG(1, 2))
	changed := 0
	prev := 1
	for i := range 12 {
		cmd := run(100 + i)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(1500)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		if got := dirNames(t, out); !slices.Equal(got, want) {
			t.Fatalf("kill %d: out holds %q, want %q", i, got, want)
		}
		var r struct{ Seed int }
		if err := json.Unmarshal([]byte(readAll(t, filepath.Join(out, "report.json"))), &r); err != nil {
			t.Fatalf("kill %d: report.json: %v", i, err)
		}
		if r.Seed != prev {
			changed++
			prev = r.Seed
		}
		md := readAll(t, filepath.Join(out, "report.md"))
		if !strings.Contains(md, fmt.Sprintf("seed %d,", r.Seed)) {
			t.Fatalf("kill %d: report.json has seed %d, report.md another:\n%.300s", i, r.Seed, md)
		}
		if rows := strings.Count(readAll(t, filepath.Join(out, "trials.csv")), "\n"); rows != 3001 {
			t.Fatalf("kill %d: trials.csv has %d lines", i, rows)
		}
	}
	t.Logf("%d of 12 killed runs had replaced the set", changed)
	// what a killed run left behind is removed by the next one once stale;
	// nothing but out is ever visible beside it
	for _, n := range dirNames(t, dir) {
		if n != "out" && !strings.HasPrefix(n, ".drsim-") {
			t.Errorf("unexpected %s beside out", n)
		}
	}
	os.RemoveAll(out)
}
