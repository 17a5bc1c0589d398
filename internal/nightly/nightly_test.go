//go:build nightly

package nightly

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// target is one fuzz target: its package's import path and its name.
type target struct{ pkg, name string }

// moduleRoot returns the folder of the module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		t.Fatal("not inside a Go module")
	}
	return filepath.Dir(mod)
}

// listTargets returns every fuzz target of the module, as go test sees
// them (build constraints applied), package by package.
func listTargets(t *testing.T, root string) []target {
	t.Helper()
	cmd := exec.Command("go", "test", "-list", "^Fuzz", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test -list: %v\n%s", err, out)
	}
	return parseList(string(out))
}

// parseList reads the output of 'go test -list ^Fuzz ./...': the names
// each package lists, then "ok  PKG ..." (or "?   PKG [no test files]").
func parseList(out string) []target {
	var targets, pending []target
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 1 && strings.HasPrefix(f[0], "Fuzz"):
			pending = append(pending, target{name: f[0]})
		case len(f) >= 2 && f[0] == "ok":
			for _, p := range pending {
				targets = append(targets, target{pkg: f[1], name: p.name})
			}
			pending = nil
		}
	}
	return targets
}

// fuzzLine matches go test's progress line: "fuzz: elapsed: 1m0s, execs:
// 1234 (20/sec), new interesting: 3 (total: 40)".
var fuzzLine = regexp.MustCompile(`fuzz: elapsed: \S+, execs: (\d+) \(\d+/sec\), new interesting: (\d+)`)

// figures returns the executions and new interesting inputs of the last
// progress line of a fuzz run's output.
func figures(out []byte) (execs, interesting int64) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if m := fuzzLine.FindStringSubmatch(sc.Text()); m != nil {
			execs, _ = strconv.ParseInt(m[1], 10, 64)
			interesting, _ = strconv.ParseInt(m[2], 10, 64)
		}
	}
	return execs, interesting
}

// TestParseList checks the reading of 'go test -list' on a sample.
func TestParseList(t *testing.T) {
	out := "FuzzA\nFuzzB\nok  \texample.com/m/a\t0.010s\n?   \texample.com/m/b\t[no test files]\nok  \texample.com/m/c\t0.005s\nFuzzC\nok  \texample.com/m/d\t0.004s\n"
	got := parseList(out)
	want := []target{{"example.com/m/a", "FuzzA"}, {"example.com/m/a", "FuzzB"}, {"example.com/m/d", "FuzzC"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	e, n := figures([]byte("fuzz: elapsed: 3s, execs: 10 (3/sec), new interesting: 1 (total: 5)\nfuzz: elapsed: 6s, execs: 2500 (830/sec), new interesting: 4 (total: 8)\nPASS\n"))
	if e != 2500 || n != 4 {
		t.Fatalf("figures: %d execs, %d new, want 2500 and 4", e, n)
	}
}

// TestNightlyFuzz fuzzes every target of the module for DRSIM_FUZZTIME
// each, one target at a time.
func TestNightlyFuzz(t *testing.T) {
	fuzztime := 60 * time.Second
	if v := os.Getenv("DRSIM_FUZZTIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("DRSIM_FUZZTIME=%q: want a positive Go duration such as 60s", v)
		}
		fuzztime = d
	}
	var only *regexp.Regexp
	if v := os.Getenv("DRSIM_FUZZ"); v != "" {
		only = regexp.MustCompile(v)
	}
	root := moduleRoot(t)
	var targets []target
	for _, tg := range listTargets(t, root) {
		if only == nil || only.MatchString(tg.pkg+"."+tg.name) {
			targets = append(targets, tg)
		}
	}
	if len(targets) == 0 {
		t.Fatal("no fuzz target found")
	}
	// each run builds its package with coverage instrumentation first:
	// allow a minute per target for that, and stop before the deadline
	if dl, ok := t.Deadline(); ok {
		if need := time.Duration(len(targets)) * (fuzztime + time.Minute); time.Until(dl) < need {
			t.Fatalf("%d targets at %v need up to %v; run with -timeout %v or more", len(targets), fuzztime, need.Round(time.Minute), (need + 10*time.Minute).Round(time.Hour))
		}
	}
	var summary strings.Builder
	for _, tg := range targets {
		// go test's own -timeout (10m by default) also bounds a fuzz run
		args := []string{"test", "-run", "^$", "-fuzz", "^" + tg.name + "$", "-fuzztime", fuzztime.String(),
			"-timeout", (fuzztime + 10*time.Minute).String()}
		if p := os.Getenv("DRSIM_FUZZ_PARALLEL"); p != "" {
			args = append(args, "-parallel", p)
		}
		args = append(args, tg.pkg)
		// a hung target must not take the job with it: go test stops a
		// fuzz run at -fuzztime, the context at twice that plus the build
		ctx, cancel := context.WithTimeout(context.Background(), 2*fuzztime+5*time.Minute)
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		start := time.Now()
		out, err := cmd.CombinedOutput()
		cancel()
		el := time.Since(start)
		execs, interesting := figures(out)
		result := "ok"
		if err != nil {
			result = "FAIL"
			t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, tail(out, 60))
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%.0f\t%d\t%d\n", tg.pkg, tg.name, result, el.Seconds(), execs, interesting)
		summary.WriteString(line)
		t.Log(strings.TrimSpace(line))
	}
	if path := os.Getenv("DRSIM_NIGHTLY_SUMMARY"); path != "" {
		if err := os.WriteFile(path, []byte(summary.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
