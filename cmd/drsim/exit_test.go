package main

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
)

// panicWriter panics on the first write: a stand-in for any bug below run.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom in a writer") }

// failWriter fails every write, like a full disk or a closed pipe.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Every documented exit code, each from a real command line.
func TestEveryExitCode(t *testing.T) {
	mini := writeScenario(t, "mini.toml", miniScenario)
	impossible := writeScenario(t, "impossible.toml", strings.Replace(miniScenario, `rto = "30m"`, `rto = "1s"`, 1))
	aFile := writeScenario(t, "file.txt", "not a folder")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		args   []string
		setup  func(e *env)
		ctx    context.Context
		code   int
		stderr string
	}{
		{name: "ok", args: []string{"validate", mini}, code: exitOK},
		{name: "internal error", args: []string{"list"}, setup: func(e *env) { e.stdout = panicWriter{} }, code: exitInternal,
			stderr: "drsim: internal error, please report it with this output: boom in a writer\ndrsim "},
		{name: "bad input", args: []string{"run", mini, "--trails", "5"}, code: exitInput, stderr: "unknown flag: --trails"},
		{name: "check failed", args: []string{"run", impossible, "--trials", "20", "--check", "--quiet"}, code: exitCheck, stderr: "check failed"},
		{name: "I/O error, --out is a file", args: []string{"run", mini, "--trials", "5", "--out", aFile}, code: exitIO,
			stderr: "drsim: run: --out " + aFile + ": " + aFile + " is a file, not a folder"},
		{name: "I/O error, stdout", args: []string{"list"}, setup: func(e *env) { e.stdout = failWriter{} }, code: exitIO,
			stderr: "drsim: list: no space left on device"},
		{name: "memory", args: []string{"run", mini, "--trials", "100000000"}, setup: func(e *env) {
			e.memory = func() (uint64, bool) { return 1 << 30, true }
		}, code: exitMemory, stderr: "drsim: run: 100,000,000 trials need about "},
		{name: "interrupted", args: []string{"run", mini, "--trials", "1000"}, ctx: cancelled, code: exitInterrupted,
			stderr: "drsim: run: interrupted after 0 of 1,000 trials\n"},
	}
	seen := map[int]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errb := testEnv("")
			if tt.setup != nil {
				tt.setup(e)
			}
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			code := drsimEnv(t, ctx, e, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, errb)
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, errb)
			}
			if tt.code == exitInterrupted && out.Len() != 0 {
				t.Errorf("an interrupted run printed a report:\n%s", out)
			}
			if tt.code == exitInternal && !strings.Contains(errb.String(), "goroutine ") {
				t.Errorf("no stack on stderr:\n%s", errb)
			}
			seen[code] = true
		})
	}
	// exit code 4 belongs to 'drsim lint' (not in this build): it is
	// documented with the others
	for _, c := range []string{"0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "130 "} {
		if !strings.Contains(exitCodesHelp("  "), "\n  "+c) {
			t.Errorf("exit code %s is not in the help", c)
		}
	}
	if len(seen) != 7 {
		t.Errorf("ran exit codes %v, want 0, 1, 2, 3, 5, 6 and 130", seen)
	}
}

// The real machine's memory is known on Linux and stops an absurd run
// before it starts (issue 14: --trials 1000000000000). Above the fixed cap
// of scenarios.MaxTrials the count is bad input; at the cap the estimate
// exceeds the memory of any machine these tests run on.
func TestMemoryEstimateStopsAbsurdRuns(t *testing.T) {
	have, ok := machineMemory()
	if !ok {
		t.Skip("this system's memory is unknown")
	}
	code, stdout, stderr := drsim(t, "run", "snowy", "--trials", "1000000000000")
	if code != 2 || stdout != "" || !strings.Contains(stderr, `invalid argument "1000000000000" for "--trials" flag: must be at most 100,000,000`) {
		t.Errorf("above the cap: code %d, stderr %q", code, stderr)
	}
	snowy, err := scenarios.LoadBundled("snowy")
	if err != nil {
		t.Fatal(err)
	}
	if need := memoryEstimate(scenarios.MaxTrials, snowy); need <= float64(have) {
		t.Skipf("this machine has %d bytes, enough for %d trials of snowy", have, scenarios.MaxTrials)
	}
	code, stdout, stderr = drsim(t, "run", "snowy", "--trials", "1e8")
	if code != exitMemory || stdout != "" || !strings.Contains(stderr, "100,000,000 trials need about") || !regexp.MustCompile(`need about [0-9.]+ [KMGTPE]iB of memory \(estimate\), more than this machine.s [0-9.]+ [KMGT]iB; run fewer trials`).MatchString(stderr) {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := drsim(t, "compare", "snowy", "pilot-light", "--trials", "1e8"); code != exitMemory {
		t.Errorf("compare: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := drsim(t, "trace", "snowy", "--trials", "1e8"); code != exitMemory {
		t.Errorf("trace: code %d, stderr %q", code, stderr)
	}
}

func TestMemoryEstimate(t *testing.T) {
	cfg := loadMini(t)
	one := memoryEstimate(1, cfg)
	if one <= fixedBytes || one > fixedBytes+4096 {
		t.Errorf("one trial: %.0f bytes over the fixed %d", one-fixedBytes, fixedBytes)
	}
	per := memoryEstimate(1001, cfg) - memoryEstimate(1, cfg)
	if got := memoryEstimate(1e12, cfg); got < 1e12*per/1000 || got != got { // no overflow, no NaN
		t.Errorf("1e12 trials: %g bytes", got)
	}
	if two := memoryEstimate(1000, cfg, cfg); two-fixedBytes != 2*(memoryEstimate(1000, cfg)-fixedBytes) {
		t.Error("two scenarios do not need twice the trial memory of one")
	}
	if mem, ok := machineMemory(); ok && (mem < 64<<20 || mem > 1<<50) {
		t.Errorf("machine memory %d bytes", mem)
	}
}

func loadMini(t *testing.T) *model.Config {
	t.Helper()
	cfg, err := scenarios.Parse("mini.toml", []byte(miniScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The estimate errs high: for 1,000,000 snowy trials it says 194 MiB,
// where the measured peak resident set was 145 MiB (/usr/bin/time -v drsim
// run snowy --trials 1000000 --workers 2 --format json; compact records).
func TestMemoryEstimateSnowy(t *testing.T) {
	cfg, err := scenarios.LoadBundled("snowy")
	if err != nil {
		t.Fatal(err)
	}
	const peak = 145 << 20
	got := memoryEstimate(1_000_000, cfg)
	t.Logf("snowy, 1e6 trials: estimate %s, %.0f bytes per trial", formatBytes(got), trialBytes(cfg))
	if got < peak {
		t.Errorf("estimate %s is below the measured peak of 145 MiB", formatBytes(got))
	}
	if got > 3*peak {
		t.Errorf("estimate %s is over three times the measured peak of 145 MiB", formatBytes(got))
	}
}

// The README's table of exit codes is the one 'drsim help' prints.
func TestREADMEExitCodes(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(exitCodeTable, "\n"), "\n") {
		code, meaning, _ := strings.Cut(line, " ")
		row := "| " + code + " | " + strings.TrimSpace(meaning) + " |"
		if !strings.Contains(string(readme), row+"\n") {
			t.Errorf("README.md lacks the row %q", row)
		}
	}
}
