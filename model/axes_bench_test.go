package model

import (
	"strconv"
	"testing"

	"github.com/drsim/drsim/sim"
)

// The benchmarks below grow snowy along one axis each; a trial's cost
// should grow at most linearly with what it adds, and not at all with the
// retry interval, the backup interval or the outage's length. Compare the
// ns/op of the sub-benchmarks of one run (the figures are in the package
// documentation).

// BenchmarkTrialStores: n buckets and n tables, each like snowy's.
func BenchmarkTrialStores(b *testing.B) {
	for _, n := range []int{1, 4, 16} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := snowyConfig()
			bk, tb := cfg.Buckets[0], cfg.Tables[0]
			cfg.Buckets, cfg.Tables = nil, nil
			for i := 0; i < n; i++ {
				bk.Name, tb.Name = "alerts-"+strconv.Itoa(i), "alert-state-"+strconv.Itoa(i)
				cfg.Buckets = append(cfg.Buckets, bk)
				cfg.Tables = append(cfg.Tables, tb)
			}
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialLinks: snowy's table replicated across n regions (n(n−1)
// links), the bucket to each of them.
func BenchmarkTrialLinks(b *testing.B) {
	names := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2", "eu-central-1", "sa-east-1", "ca-central-1"}
	for _, n := range []int{2, 4, 8} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := snowyConfig()
			cfg.Regions = nil
			for _, r := range names[:n] {
				cfg.Regions = append(cfg.Regions, Region{Name: r, KMSRPS: 100000})
			}
			k := &cfg.Keys[0]
			k.Replicas = nil
			t := &cfg.Tables[0]
			t.Regions, t.Keys = nil, nil
			bk := &cfg.Buckets[0]
			rule := bk.Replication[0]
			bk.Replication = nil
			for r := 0; r < n; r++ {
				t.Regions = append(t.Regions, r)
				t.Keys = append(t.Keys, 0)
				if r != east {
					k.Replicas = append(k.Replicas, r)
					rule.To = r
					bk.Replication = append(bk.Replication, rule)
				}
			}
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialPartitions: n partitions between us-east-1 and us-west-2,
// each with probability 1 and 10 minutes long at a uniform time in the
// day: each adds link pieces.
func BenchmarkTrialPartitions(b *testing.B) {
	for _, n := range []int{6, 24, 96} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := snowyConfig()
			for i := 0; i < n; i++ {
				cfg.Outages = append(cfg.Outages, Outage{Stream: "p" + strconv.Itoa(i), Kind: Partition, Regions: [2]int{east, west},
					Start: sim.UniformDist(0, 24*sim.Hour), Duration: sim.ConstDist(10 * sim.Minute), Probability: 1})
			}
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialOutages: n outages of us-west-2's KMS (each with
// probability 0.5, 10 minutes at a uniform time) besides snowy's.
func BenchmarkTrialOutages(b *testing.B) {
	for _, n := range []int{1, 4, 16} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := snowyConfig()
			for i := 0; i < n; i++ {
				cfg.Outages = append(cfg.Outages, Outage{Stream: "kms" + strconv.Itoa(i), Kind: RegionOutage, Region: west, Services: SvcKMS,
					Start: sim.UniformDist(0, 24*sim.Hour), Duration: sim.ConstDist(10 * sim.Minute), Probability: 0.5})
			}
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialSteps: n more optional steps after approve, each retrying
// an UpdatePrimaryRegion that fails for the whole outage.
func BenchmarkTrialSteps(b *testing.B) {
	for _, n := range []int{0, 4, 16} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := snowyConfig()
			promote := cfg.Failover.Steps[2]
			for i := 0; i < n; i++ {
				promote.Name = "promote-" + strconv.Itoa(i)
				cfg.Failover.Steps = append(cfg.Failover.Steps, promote)
			}
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialBackupInterval: snowy's table backed up to us-west-2 every
// interval, restored by a runbook step after the failover.
func BenchmarkTrialBackupInterval(b *testing.B) {
	for _, c := range []struct {
		name  string
		every sim.Time
	}{{"1h", sim.Hour}, {"1m", sim.Minute}, {"1s", sim.Second}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := snowyConfig()
			cfg.Tables[0].Backup = &Backup{To: west, Every: c.every, Copy: sim.UniformDist(10*sim.Minute, 30*sim.Minute), Key: 0}
			st := step("restore", 5*sim.Minute, 3)
			st.Required = false
			st.Op = Op{Kind: OpRestoreBackup, Key: -1, Region: -1, To: -1, Store: StoreRef{StoreTable, 0}}
			cfg.Failover.Steps = append(cfg.Failover.Steps, st)
			benchTrials(b, cfg)
		})
	}
}

// BenchmarkTrialOutageLength: backupRestoreConfig, 1-minute snapshots of a
// table whose region is down from before the first snapshot for the whole
// outage: a restore retried every minute finds none, for 1 hour, 1 day or
// 6 days (DESIGN: a 6-day outage with 1-minute snapshots costs at most 2×
// snowy).
func BenchmarkTrialOutageLength(b *testing.B) {
	for _, c := range []struct {
		name string
		d    sim.Time
	}{{"1h", sim.Hour}, {"1d", sim.Day}, {"6d", 6 * sim.Day}} {
		b.Run(c.name, func(b *testing.B) {
			benchTrials(b, backupRestoreConfig(c.d, sim.Minute, sim.UniformDist(sim.Second, 50*sim.Second)))
		})
	}
}
