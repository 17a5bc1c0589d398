package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLostWritesArePoisson checks the example of docs/scenario-format.md
// ("How a trial runs", Traffic): a restore 30 minutes after a snapshot at
// 10 writes/s loses 18,000 writes on average with a standard deviation of
// about √18,000 ≈ 134 and a p99 of about 18,300: a Poisson count, not the
// exact product the request counts are.
func TestLostWritesArePoisson(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "scenario-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "loses 18,000 writes on average,\n  with a standard deviation of about 134 (p99 about 18,300)") {
		t.Fatal("docs/scenario-format.md no longer gives the example this test checks")
	}
	file := filepath.Join(t.TempDir(), "backup.toml")
	scenario := `name = "backup"
horizon = "1d"
trials = 4000
seed = 1
[regions.us-east-1]
[regions.us-west-2]
[keys.k]
multi_region = true
primary = "us-east-1"
replicas = ["us-west-2"]
users = ["app"]
[app]
principal = "app"
serve = ["us-east-1"]
[tables.t]
regions = ["us-east-1"]
key = "k"
writes = 10
[tables.t.backup]
to = "us-west-2"
every = "1h"
copy = "10m"
key = "k"
[[outages]]
region = "us-east-1"
start = "5h30m"
duration = "10h"
[failover]
from = "us-east-1"
to = "us-west-2"
detect = "5m"
[[failover.steps]]
name = "restore"
op = "restore-backup"
store = "t"
duration = "20m"
`
	if err := os.WriteFile(file, []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := drsim(t, "run", file, "--format", "json", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Metrics struct {
			LostWrites struct {
				Mean, P99, Min, Max float64
				N                   int
			} `json:"lost_writes"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	lw := r.Metrics.LostWrites
	se := math.Sqrt(18000 / float64(lw.N)) // standard error of the mean of a Poisson(18,000)
	if lw.N != 4000 || math.Abs(lw.Mean-18000) > 4*se {
		t.Errorf("mean %v over %d trials, want 18,000 ± %.1f", lw.Mean, lw.N, 4*se)
	}
	if lw.P99 < 18250 || lw.P99 > 18360 {
		t.Errorf("p99 %v, want about 18,300 (18,000 + 2.33·134)", lw.P99)
	}
	if lw.Max-lw.Min < 500 {
		t.Errorf("lost writes range [%v, %v]: a Poisson count spreads over about ±4·134", lw.Min, lw.Max)
	}
}
