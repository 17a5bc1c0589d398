package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRootFlag: extends may climb out of the scenario's folder only under
// --root, on every command that loads scenarios (issue 14, extends is
// confined).
func TestRootFlag(t *testing.T) {
	file := filepath.Join("..", "..", "scenarios", "testdata", "extends", "sub", "grandchild.toml")
	root := filepath.Join("..", "..", "scenarios", "testdata", "extends")
	for _, cmd := range [][]string{
		{"validate", file},
		{"lint", file},
		{"run", file, "--trials", "3", "--quiet", "--format", "json"},
		{"trace", file, "--trial", "0", "--quiet"},
		{"compare", file, file, "--trials", "3", "--quiet"},
	} {
		t.Run(cmd[0], func(t *testing.T) {
			code, _, stderr := drsim(t, cmd...)
			if code != exitInput || !strings.Contains(stderr, "--root") {
				t.Fatalf("without --root: exit %d, stderr %q; want %d and a hint to --root", code, stderr, exitInput)
			}
			code, _, stderr = drsim(t, append(cmd, "--root", root)...)
			if code != 0 && code != exitLint {
				t.Fatalf("with --root %s: exit %d, stderr %q", root, code, stderr)
			}
		})
	}
}

// TestRunWithoutFailover: a scenario with no [failover] runs (the memory
// estimate once dereferenced the missing runbook).
func TestRunWithoutFailover(t *testing.T) {
	file := writeScenario(t, "nofailover.toml", `name = "no-failover"
horizon = "2h"
[regions.us-east-1]
[keys.k]
region = "us-east-1"
users = ["app"]
[app]
principal = "app"
serve = ["us-east-1"]
[tables.t]
regions = ["us-east-1"]
key = "k"
writes = 5
[[outages]]
region = "us-east-1"
start = "30m"
duration = "10m"
`)
	for _, cmd := range [][]string{
		{"run", file, "--trials", "5", "--quiet"},
		{"compare", file, file, "--trials", "5", "--quiet"},
		{"trace", file, "--trial", "0"},
	} {
		if code, _, stderr := drsim(t, cmd...); code != 0 {
			t.Errorf("%v: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}
