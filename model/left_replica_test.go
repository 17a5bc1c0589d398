package model

import (
	"testing"

	"github.com/drsim/drsim/sim"
)

// TestDynamoDBLeftReplica: a replica that left the replication group is not
// deleted (AWS API Reference, ReplicaDescription, status
// INACCESSIBLE_ENCRYPTION_CREDENTIALS: "The replica will not be deleted and
// replication will stop from and to this region"): once its key is usable it
// serves, as a single-Region table, what reached it before its key was
// disabled. Archived after 7 days of inaccessibility, it is gone even if the
// key comes back.
func TestDynamoDBLeftReplica(t *testing.T) {
	const day = 24 * sim.Hour
	tests := []struct {
		name     string
		enableAt sim.Time
		archived bool
	}{
		{"key back after 6 days: serves", 6*day + sim.Hour, false},
		{"key back after 8 days: archived", 8*day + sim.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ddbConfig()
			cfg.Horizon = 10 * day
			t0 := 9 * day
			cfg.Outages = []Outage{regionOutage(east, SvcAll, t0, 10*sim.Hour)}
			cfg.Actions = []Action{action(sim.Hour, OpDisableKey, 1, west), action(tt.enableAt, OpEnableKey, 1, west)}
			var d Detail
			res := NewRunner(cfg).Trial(9, 0, &d)
			if !res.Incident || res.T0 != t0 || !res.Recovered || res.RecoveredIn[0] != west {
				t.Fatalf("T0=%v recovered=%v in %v", sim.FormatDuration(res.T0), res.Recovered, res.RecoveredIn)
			}
			if !hasEvent(&d, "replication", "LEFT") {
				t.Errorf("the replica did not leave the group")
			}
			if got := hasEvent(&d, "replication", "ARCHIVED"); got != tt.archived {
				t.Errorf("archived=%v, want %v", got, tt.archived)
			}
			// Served: only what reached us-west-2 before 1h is there (RPO ≈
			// T0 − 1h); archived: nothing is, not even the writes of the
			// steady history before 0 (RPO unbounded, lost writes
			// UnboundedLost), and the table's writes in us-west-2 fail as
			// unavailable.
			minRPO, maxRPO := t0-sim.Hour, t0-sim.Hour+10*sim.Second
			unavailable := 10010 * 120.0
			if tt.archived {
				minRPO, maxRPO = sim.Forever, sim.Forever
				unavailable += 10 * (24*3600 - 120) // until the horizon: no route back, the bucket keeps the service up
				if res.LostWrites[1] != UnboundedLost || res.LostTotal != UnboundedLost {
					t.Errorf("lost %v (total %d), want the table's UnboundedLost", res.LostWrites, res.LostTotal)
				}
			}
			if res.RPO < minRPO || res.RPO > maxRPO {
				t.Errorf("RPO=%v, want in [%v, %v]", sim.FormatDuration(res.RPO), sim.FormatDuration(minRPO), sim.FormatDuration(maxRPO))
			}
			if !near(res.Unavailable, unavailable, 1e-9) {
				t.Errorf("unavailable=%g, want %g", res.Unavailable, unavailable)
			}
		})
	}
}
