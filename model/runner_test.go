package model

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestDeterminism: a trial's result depends only on (cfg, seed, index): not
// on the number of workers, on the trials a Runner ran before, or on
// whether a Detail is recorded.
func TestDeterminism(t *testing.T) {
	for _, cfg := range []*Config{snowyConfig(), ddbConfig(), backupConfig(5 * sim.Hour)} {
		a := RunTrials(cfg, 11, 40, 1, nil)
		b := RunTrials(cfg, 11, 40, 2, nil)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: results differ between 1 and 2 workers", cfg.Name)
		}
		r := NewRunner(cfg)
		for _, i := range []int{39, 3, 17} {
			var d Detail
			got := r.Trial(11, i, &d)
			if !reflect.DeepEqual(got, a[i]) {
				t.Errorf("%s: trial %d differs when run out of order with a Detail:\n%+v\n%+v", cfg.Name, i, got, a[i])
			}
		}
	}
}

// TestRunTrialsProgress: progress is monotone and ends with every trial
// done.
func TestRunTrialsProgress(t *testing.T) {
	last, calls := 0, 0
	res := RunTrials(snowyConfig(), 1, 25, 2, func(done int) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last = done
		calls++
	})
	if len(res) != 25 || calls == 0 || last != 25 {
		t.Errorf("results=%d progress calls=%d last=%d, want 25 results and a last call with 25", len(res), calls, last)
	}
	for i := range res {
		if res[i].Trial != i {
			t.Errorf("result %d has Trial %d", i, res[i].Trial)
		}
	}
	if RunTrials(snowyConfig(), 1, 0, 2, nil) != nil {
		t.Errorf("0 trials: want nil")
	}
}

func TestRepresentative(t *testing.T) {
	rec := func(rto sim.Time) TrialResult { return TrialResult{Incident: true, Recovered: true, RTO: rto} }
	tests := []struct {
		name string
		in   []TrialResult
		want int
	}{
		{"no incident", []TrialResult{{}, {}}, 0},
		{"empty", nil, 0},
		{"median of three", []TrialResult{rec(5), {}, rec(1), rec(3)}, 3},
		{"lower median of four", []TrialResult{rec(4), rec(1), rec(3), rec(2)}, 3},
		{"ties take the lowest index", []TrialResult{rec(9), rec(2), rec(2), rec(2), rec(1)}, 1},
		{"unrecovered ignored", []TrialResult{{Incident: true}, rec(7), rec(8), rec(6)}, 1},
		{"only unrecovered", []TrialResult{{}, {Incident: true}, {Incident: true}}, 1},
	}
	for _, tt := range tests {
		if got := Representative(tt.in); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestBacklog: with the closed-form configuration, the expected backlog
// towards us-west-2 at T0 is λ∫_0^T0 S, and stays so until the recovery
// (the pending writes wait for us-east-1).
func TestBacklog(t *testing.T) {
	lag := sim.ExponentialDist(20 * sim.Second)
	t0 := 2 * sim.Hour
	cfg := strandConfig(lag, 10, t0)
	var d Detail
	res := NewRunner(cfg).Trial(1, 0, &d)
	if len(d.Backlog) < 100 {
		t.Fatalf("backlog has %d points", len(d.Backlog))
	}
	want := 10 * 20 * (1 - math.Exp(-7200.0/20))
	found := 0
	for _, p := range d.Backlog {
		if p.Store != "t" || p.Region != "us-west-2" {
			t.Fatalf("backlog point %+v", p)
		}
		if p.T < t0-30*sim.Minute || p.T > t0+res.RTO+10*sim.Minute {
			t.Errorf("backlog point at %v outside the window", sim.FormatDuration(p.T))
		}
		if p.T >= t0 && p.T <= t0+res.RTO {
			found++
			if !near(p.Writes, want, 1e-9) {
				t.Errorf("backlog at %v = %g, want %g", sim.FormatDuration(p.T), p.Writes, want)
			}
		}
		if p.T < t0-5*sim.Minute && !near(p.Writes, want, 1e-9) {
			t.Errorf("steady backlog at %v = %g, want %g", sim.FormatDuration(p.T), p.Writes, want)
		}
	}
	if found == 0 {
		t.Errorf("no backlog point between T0 and the recovery")
	}
}

// TestSegments: every segment is closed and within the horizon, and the
// lanes the timeline needs are there.
func TestSegments(t *testing.T) {
	cfg := ddbConfig()
	cfg.Actions = []Action{action(sim.Hour, OpDisableKey, 1, west), action(25*sim.Hour, OpEnableKey, 1, west)}
	cfg.Outages = append(cfg.Outages, Outage{Stream: "p", Kind: Partition, Regions: [2]int{east, west},
		Start: sim.ConstDist(2 * sim.Hour), Duration: sim.ConstDist(sim.Hour), Probability: 1})
	var d Detail
	NewRunner(cfg).Trial(1, 0, &d)
	lanes := map[string]bool{}
	for _, s := range d.Segments {
		if s.Start < 0 || s.End < s.Start || s.End > cfg.Horizon {
			t.Errorf("segment %+v out of range", s)
		}
		lanes[s.Lane] = true
	}
	for _, l := range []string{"outage us-east-1", "partition us-east-1<->us-west-2", "key kw us-west-2",
		"step dns", "service", "serving", "replica tb us-west-2"} {
		if !lanes[l] {
			t.Errorf("no %q lane", l)
		}
	}
	if len(d.Rates) == 0 || d.Rates[0].T != 0 {
		t.Errorf("rates do not start at 0: %v", d.Rates)
	}
}

// TestTraceGolden compares the trace of a few trials with golden files
// (go test ./model -run TraceGolden -update rewrites them).
func TestTraceGolden(t *testing.T) {
	disabled := snowyFixed(5 * sim.Hour)
	disabled.Actions = []Action{action(sim.Hour, OpDisableKey, 0, east), action(90*sim.Minute, OpEnableKey, 0, east)}
	ddb := ddbConfig()
	ddb.Actions = []Action{action(sim.Hour, OpDisableKey, 1, west), action(25*sim.Hour, OpEnableKey, 1, west)}
	tests := []struct {
		name string
		cfg  *Config
	}{
		{"snowy", snowyConfig()},
		{"snowy-disabled-key", disabled},
		{"ddb-20h", ddb},
		{"backup", backupConfig(5*sim.Hour + 30*sim.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Detail
			res := NewRunner(tt.cfg).Trial(7, 0, &d)
			var b strings.Builder
			fmt.Fprintf(&b, "incident=%v T0=%s recovered=%v RTO=%s RPO=%s lost=%v failover=%d routed-back=%v\n",
				res.Incident, sim.FormatDuration(res.T0), res.Recovered, sim.FormatDuration(res.RTO),
				sim.FormatDuration(res.RPO), res.LostWrites, res.FailoverAt, res.RoutedBack)
			for _, e := range d.Events {
				fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sim.FormatDuration(e.T), e.Kind, e.Subject, e.Region, e.Outcome, e.Error, e.Message)
			}
			path := filepath.Join("testdata", tt.name+".trace")
			if *update {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if b.String() != string(want) {
				t.Errorf("trace differs from %s (run with -update after checking):\n%s", path, b.String())
			}
		})
	}
}
