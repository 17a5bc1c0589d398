package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/drsim/drsim/report"
)

// TestShardMergeByteIdentical: a run split in 4 shards and merged writes
// the same bytes as the run in one piece, for text, JSON, Markdown and the
// --out folder (the HTML report, its JSON and Markdown, the charts) and
// the per-trial CSV; for a bundled scenario, one that extends another, and
// a file. This is the CI test of sharding (go test runs it).
func TestShardMergeByteIdentical(t *testing.T) {
	for _, scen := range []string{"snowy", "pilot-light", filepath.Join("testdata", "cases", "promote-optional.toml")} {
		t.Run(filepath.Base(scen), func(t *testing.T) {
			dir := t.TempDir()
			const trials = "1003" // not a multiple of 4
			var parts []string
			for _, i := range []string{"3", "1", "4", "2"} {
				p := filepath.Join(dir, "part-"+i+".drsim")
				if code, _, stderr := drsim(t, "run", scen, "--trials", trials, "--shard", i+"/4", "--out-partial", p, "--quiet"); code != 0 {
					t.Fatalf("shard %s: exit %d: %s", i, code, stderr)
				}
				parts = append(parts, p)
			}
			for _, format := range []string{"text", "json", "markdown"} {
				code, whole, stderr := drsim(t, "run", scen, "--trials", trials, "--format", format, "--quiet")
				if code != 0 {
					t.Fatalf("run: exit %d: %s", code, stderr)
				}
				code, merged, stderr := drsim(t, append(append([]string{"merge"}, parts...), "--format", format, "--quiet")...)
				if code != 0 {
					t.Fatalf("merge: exit %d: %s", code, stderr)
				}
				if merged != whole {
					t.Errorf("%s: the merged report differs from the unsharded run's", format)
				}
			}
			wholeDir, mergedDir := filepath.Join(dir, "whole"), filepath.Join(dir, "merged")
			if code, _, stderr := drsim(t, "run", scen, "--trials", trials, "--out", wholeDir, "--per-trial", filepath.Join(wholeDir, "trials.csv"), "--format", "json", "--quiet"); code != 0 {
				t.Fatalf("run --out: exit %d: %s", code, stderr)
			}
			if code, _, stderr := drsim(t, append(append([]string{"merge"}, parts...), "--out", mergedDir, "--per-trial", filepath.Join(mergedDir, "trials.csv"), "--format", "json", "--quiet")...); code != 0 {
				t.Fatalf("merge --out: exit %d: %s", code, stderr)
			}
			names := dirNames(t, wholeDir)
			if !strings.Contains(strings.Join(names, " "), "report.html") {
				t.Fatalf("--out wrote %v", names)
			}
			for _, name := range names {
				if readAll(t, filepath.Join(wholeDir, name)) != readAll(t, filepath.Join(mergedDir, name)) {
					t.Errorf("--out: %s differs", name)
				}
			}
		})
	}
}

// TestShardFlags: --shard's values, --shard env from each engine's
// variable, and the flags a partial result has no use for.
func TestShardFlags(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "0/4", "--out-partial", p("a")}, "want i/n with 1 ≤ i ≤ n"},
		{[]string{"--shard", "5/4", "--out-partial", p("a")}, "want i/n"},
		{[]string{"--shard", "x", "--out-partial", p("a")}, "want i/n"},
		{[]string{"--shard", "1/4"}, "give --out-partial FILE, or --format partial"},
		{[]string{"--shard", "env", "--out-partial", p("a")}, "--shard env needs --shard-count"},
		{[]string{"--shard", "1/4", "--shard-count", "4", "--out-partial", p("a")}, "--shard-count goes with --shard env"},
		{[]string{"--shard-count", "4"}, "--shard-count has no effect without --shard"},
		{[]string{"--shard", "1/4", "--out-partial", p("a"), "--out", p("o")}, "--out has no effect on a partial result"},
		{[]string{"--format", "partial", "--check"}, "--check has no effect on a partial result"},
		{[]string{"--shard", "1/2", "--format", "json", "--out-partial", p("a")}, "--format json has no effect on a shard"},
		{[]string{"--shard", "1/2", "--format", "markdown", "--out-partial", p("a")}, "--format markdown has no effect on a shard"},
		{[]string{"--shard", "1/100001", "--out-partial", p("a")}, "1 ≤ i ≤ n ≤ 100,000"},
		{[]string{"--shard", "1/99999999999999999999", "--out-partial", p("a")}, "1 ≤ i ≤ n ≤ 100,000"},
		{[]string{"--shard", "env", "--shard-count", "100001", "--out-partial", p("a")}, "at most 100,000 shards"},
	}
	for _, b := range bad {
		code, _, stderr := drsim(t, append([]string{"run", "snowy", "--trials", "10", "--quiet"}, b.args...)...)
		if code != exitInput || !strings.Contains(stderr, b.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", b.args, code, stderr, b.want)
		}
	}
	// --shard env: neither variable set, then each engine's (0-based).
	unset := func() {
		for _, v := range []string{envK8sIndex, envBatchIndex} {
			t.Setenv(v, "") // restored after the test
			os.Unsetenv(v)
		}
	}
	unset()
	if code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--shard", "env", "--shard-count", "2", "--out-partial", p("e"), "--quiet"); code != exitInput ||
		!strings.Contains(stderr, envK8sIndex) || !strings.Contains(stderr, envBatchIndex) {
		t.Errorf("no index: exit %d, stderr %q", code, stderr)
	}
	for _, v := range []string{envK8sIndex, envBatchIndex} {
		unset()
		t.Setenv(v, "1")
		if code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--shard", "env", "--shard-count", "2", "--out-partial", p(v), "--quiet"); code != 0 {
			t.Fatalf("%s=1: exit %d: %s", v, code, stderr)
		}
		if code, _, _ := drsim(t, "run", "snowy", "--trials", "10", "--shard", "2/2", "--out-partial", p(v+".want"), "--quiet"); code != 0 {
			t.Fatal("--shard 2/2")
		}
		if readAll(t, p(v)) != readAll(t, p(v+".want")) {
			t.Errorf("%s=1 is not --shard 2/2", v)
		}
		t.Setenv(v, "2")
		if code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--shard", "env", "--shard-count", "2", "--out-partial", p("x"), "--quiet"); code != exitInput || !strings.Contains(stderr, "is not an index from 0 to 1") {
			t.Errorf("%s=2 of 2: exit %d, stderr %q", v, code, stderr)
		}
	}
	// Both set: they must agree; an empty one is an error naming it.
	for _, c := range []struct{ k, b, want string }{
		{"1", "0", "are both set and differ"},
		{"", "1", "are both set and differ"},
		{" ", "", envK8sIndex + " is set but empty"},
	} {
		unset()
		t.Setenv(envK8sIndex, c.k)
		t.Setenv(envBatchIndex, c.b)
		code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--shard", "env", "--shard-count", "2", "--out-partial", p("x"), "--quiet")
		if code != exitInput || !strings.Contains(stderr, c.want) || (strings.Contains(c.want, "both") && !strings.Contains(stderr, envBatchIndex)) {
			t.Errorf("%s=%q %s=%q: exit %d, stderr %q; want %q", envK8sIndex, c.k, envBatchIndex, c.b, code, stderr, c.want)
		}
	}
	unset()
	t.Setenv(envK8sIndex, "1")
	t.Setenv(envBatchIndex, "1")
	if code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--shard", "env", "--shard-count", "2", "--out-partial", p("x"), "--quiet"); code != 0 {
		t.Errorf("both set to 1: exit %d: %s", code, stderr)
	}
}

// TestShardRangeNoOverflow: the largest shard counts and trial counts give
// ranges that tile the trials (the last shard ends at the last trial).
func TestShardRangeNoOverflow(t *testing.T) {
	for _, c := range []struct{ n, trials int }{{maxShards, 100_000_000}, {maxShards, 1000}, {7, 1 << 62}, {maxShards, 1<<63 - 1}} {
		for _, i := range []int{1, 2, c.n / 2, c.n - 1, c.n} {
			from, to := report.ShardRange(i, c.n, c.trials)
			if from < 0 || to < from || to > c.trials {
				t.Fatalf("shard %d/%d of %d: [%d, %d)", i, c.n, c.trials, from, to)
			}
			if i == 1 && from != 0 || i == c.n && to != c.trials {
				t.Errorf("shard %d/%d of %d: [%d, %d)", i, c.n, c.trials, from, to)
			}
		}
	}
	// contiguous: shard i ends where shard i+1 starts
	for i := 1; i < 1000; i++ {
		_, to := report.ShardRange(i, 1000, 999_999_937)
		from, _ := report.ShardRange(i+1, 1000, 999_999_937)
		if to != from {
			t.Fatalf("shard %d ends at %d, shard %d starts at %d", i, to, i+1, from)
		}
	}
}

// TestMergeCLI: merge refuses partials of other runs and incomplete sets
// (exit 2, naming the problem), reads a partial written to standard
// output, and applies --check.
func TestMergeCLI(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	shard := func(name string, args ...string) {
		t.Helper()
		if code, _, stderr := drsim(t, append([]string{"run", "snowy", "--quiet"}, append(args, "--out-partial", p(name))...)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
	}
	shard("a1", "--trials", "100", "--shard", "1/2")
	shard("a2", "--trials", "100", "--shard", "2/2")
	shard("seed", "--trials", "100", "--shard", "2/2", "--seed", "99")
	shard("n", "--trials", "200", "--shard", "2/2")
	if code, _, _ := drsim(t, "run", "warm-standby", "--trials", "100", "--shard", "2/2", "--out-partial", p("other"), "--quiet"); code != 0 {
		t.Fatal("warm-standby shard")
	}
	for _, c := range []struct {
		files []string
		want  string
	}{
		{[]string{"a1"}, "trials 50 to 99 are missing"},
		{[]string{"a1", "a2", "a2"}, "trials 50 to 99 are in more than one partial"},
		{[]string{"a1", "seed"}, "different seeds"},
		{[]string{"a1", "n"}, "different trial counts"},
		{[]string{"a1", "other"}, "different scenarios"},
	} {
		args := []string{"merge", "--quiet"}
		for _, f := range c.files {
			args = append(args, p(f))
		}
		if code, _, stderr := drsim(t, args...); code != exitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.files, code, stderr, c.want)
		}
	}
	if err := os.WriteFile(p("junk"), []byte("not a partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := drsim(t, "merge", p("junk")); code != exitInput || !strings.Contains(stderr, "not a partial result") {
		t.Errorf("junk: exit %d, stderr %q", code, stderr)
	}
	if err := os.WriteFile(p("short"), []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := drsim(t, "merge", p("short")); code != exitInput || !strings.Contains(stderr, "not a partial result") || strings.Contains(stderr, "damaged") {
		t.Errorf("3-byte text file: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := drsim(t, "merge", p("missing")); code != exitInput {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
	// --format partial writes the partial to standard output.
	code, out, stderr := drsim(t, "run", "snowy", "--trials", "100", "--format", "partial", "--quiet")
	if code != 0 {
		t.Fatalf("--format partial: exit %d: %s", code, stderr)
	}
	if err := os.WriteFile(p("stdout"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	_, whole, _ := drsim(t, "run", "snowy", "--trials", "100", "--format", "json", "--quiet")
	if _, merged, _ := drsim(t, "merge", p("stdout"), "--format", "json", "--quiet"); merged != whole {
		t.Error("the merge of --format partial's output differs from the run's report")
	}
	// --check applies at merge: snowy meets its objectives in about 39% of
	// the trials.
	if code, _, stderr := drsim(t, "merge", p("a1"), p("a2"), "--check", "--quiet"); code != exitCheck || !strings.Contains(stderr, "check failed") {
		t.Errorf("merge --check: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := drsim(t, "merge", p("a1"), p("a2"), "--check", "--min-probability", "0.2", "--quiet"); code != 0 {
		t.Errorf("merge --check --min-probability 0.2: exit %d", code)
	}
	for _, fl := range []string{"--trials", "--seed", "--partial-ok", "--workers"} {
		if code, _, stderr := drsim(t, "merge", p("a1"), p("a2"), fl, "5"); code != exitInput || !strings.Contains(stderr, "unknown flag: "+fl) {
			t.Errorf("merge %s: exit %d, stderr %q", fl, code, stderr)
		}
	}
	if _, help, _ := drsim(t, "help", "merge"); regexp.MustCompile(`(?m)^\s+--(seed|trials|partial-ok|workers)\b`).MatchString(help) {
		t.Errorf("drsim help merge lists flags merge does not take:\n%s", help)
	}
}
