package model

import (
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

// TestKeyLaneUnreachable: the timeline does not draw a key copy Enabled
// while its region's KMS is down, or while the calls to it cross a
// partition; it draws the state again afterwards.
func TestKeyLaneUnreachable(t *testing.T) {
	labelsAt := func(d *Detail, lane string, at sim.Time) string {
		for _, s := range d.Segments {
			if s.Lane == lane && s.Start <= at && at < s.End {
				return s.Label
			}
		}
		return ""
	}
	// snowy: us-east-1 (KMS included) is down from 2h to 7h.
	var d Detail
	NewRunner(snowyFixed(5*sim.Hour)).Trial(3, 0, &d)
	for _, c := range []struct {
		lane string
		at   sim.Time
		want string
	}{
		{"key alerts us-east-1", sim.Hour, "Enabled"},
		{"key alerts us-east-1", 3 * sim.Hour, "Unreachable: KMS down"},
		{"key alerts us-east-1", 8 * sim.Hour, "Enabled"},
		{"key alerts us-west-2", 3 * sim.Hour, "Enabled"},
	} {
		if got := labelsAt(&d, c.lane, c.at); got != c.want {
			t.Errorf("%s at %v: %q, want %q", c.lane, sim.FormatDuration(c.at), got, c.want)
		}
	}
	for _, s := range d.Segments {
		if s.End <= s.Start {
			t.Errorf("empty segment %+v", s)
		}
	}

	// A single-Region key in us-west-2 used from us-east-1 across a
	// partition (1h to 1h30m).
	cfg := baseConfig()
	cfg.Keys = append(cfg.Keys, Key{Name: "w", Primary: west, Users: []string{"app"}})
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east, west}, Keys: []int{0, 0}, Writes: 10, Reads: 10,
		Lag: DefaultDynamoDBLag(), ClientKey: 1}}
	cfg.Outages = []Outage{{Stream: "p", Kind: Partition, Regions: [2]int{east, west},
		Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(30 * sim.Minute), Probability: 1}}
	d = Detail{}
	NewRunner(cfg).Trial(1, 0, &d)
	if got, want := labelsAt(&d, "key w us-west-2", sim.Hour+sim.Minute), "Unreachable from us-east-1: partition"; got != want {
		t.Errorf("key w us-west-2 during the partition: %q, want %q", got, want)
	}
	if got := labelsAt(&d, "key w us-west-2", 2*sim.Hour); got != "Enabled" {
		t.Errorf("key w us-west-2 after the partition: %q, want Enabled", got)
	}
	// The multi-Region key's us-east-1 copy is called locally: reachable.
	if got := labelsAt(&d, "key k us-east-1", sim.Hour+sim.Minute); got != "Enabled" {
		t.Errorf("key k us-east-1 during the partition: %q, want Enabled", got)
	}
}

// TestServingLabel: the regions serving are listed with a space after each
// comma.
func TestServingLabel(t *testing.T) {
	cfg := baseConfig()
	cfg.App.Serve = []int{east, west}
	var d Detail
	NewRunner(cfg).Trial(1, 0, &d)
	found := false
	for _, s := range d.Segments {
		if s.Lane == "serving" {
			found = true
			if s.Label != "us-east-1, us-west-2" {
				t.Errorf("serving label %q, want %q", s.Label, "us-east-1, us-west-2")
			}
		}
	}
	if !found {
		t.Error("no serving segment")
	}
}

// TestBacklogEveryReplica: the backlog is sampled towards every region a
// store replicates into from the regions serving at T0, not only towards
// the recovery region; a global table's reverse link (from the failover
// region back) is not one of them.
func TestBacklogEveryReplica(t *testing.T) {
	cfg := baseConfig()
	cfg.Regions = append(cfg.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
	cfg.Keys[0].Replicas = []int{west, 2}
	cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, Writes: 10, Replication: []Replication{
		{To: west, Key: 0, Role: "s3-replication", Lag: sim.ExponentialDist(20 * sim.Second)},
		{To: 2, Key: 0, Role: "s3-replication", Lag: sim.ExponentialDist(40 * sim.Second)},
	}}}
	cfg.Tables = []Table{{Name: "t", Regions: []int{east, west}, Keys: []int{0, 0}, Writes: 10,
		Lag: sim.ExponentialDist(20 * sim.Second), ClientKey: -1}}
	cfg.Outages = []Outage{regionOutage(east, SvcAll, 2*sim.Hour, 10*sim.Hour)}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", sim.Minute)}}
	var d Detail
	NewRunner(cfg).Trial(1, 0, &d)
	series := map[string]float64{} // store → region: backlog at T0
	var order []string
	for _, p := range d.Backlog {
		k := p.Store + " → " + p.Region
		if _, ok := series[k]; !ok {
			order = append(order, k)
		}
		if p.T <= 2*sim.Hour {
			series[k] = p.Writes
		}
	}
	want := []string{"b → us-west-2", "b → eu-west-1", "t → us-west-2"}
	if strings.Join(order, ", ") != strings.Join(want, ", ") {
		t.Fatalf("backlog series %v, want %v", order, want)
	}
	// Steady state: λ × mean lag.
	for k, w := range map[string]float64{"b → us-west-2": 200, "b → eu-west-1": 400, "t → us-west-2": 200} {
		if !near(series[k], w, 0.01) {
			t.Errorf("%s at T0 = %g, want about %g", k, series[k], w)
		}
	}

	// Both regions serve: the table also replicates from us-west-2 to
	// us-east-1, but us-east-1 is down at T0, so no failover goes there
	// and its pile of writes from us-west-2 is not drawn.
	cfg.App.Serve = []int{east, west}
	d = Detail{}
	NewRunner(cfg).Trial(1, 0, &d)
	seen := map[string]bool{}
	for _, p := range d.Backlog {
		seen[p.Store+" → "+p.Region] = true
	}
	if seen["t → us-east-1"] || !seen["t → us-west-2"] {
		t.Errorf("active/active: backlog series %v, want t → us-west-2 and not t → us-east-1 (down)", seen)
	}
}
