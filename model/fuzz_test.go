package model

import (
	"testing"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// fuzzConfig builds a variant of snowy from fuzz inputs: outage timing and
// services, a partition, quotas, rates, serving regions, an operator action
// and step durations.
func fuzzConfig(b []byte) *Config {
	at := func(i int) byte {
		if i < len(b) {
			return b[i]
		}
		return 0
	}
	cfg := snowyConfig()
	cfg.Regions = append(cfg.Regions, Region{Name: "eu-west-1", KMSRPS: 10000})
	o := &cfg.Outages[0]
	o.Region = int(at(0)) % 3
	o.Services = Services(at(1)) & SvcAll
	o.Start = sim.ConstDist(sim.Time(at(2)) * 5 * sim.Minute)
	o.Duration = sim.ConstDist(sim.Time(at(3)) * 5 * sim.Minute)
	cfg.Outages = append(cfg.Outages, Outage{Stream: "p", Kind: Partition, Regions: [2]int{int(at(4)) % 3, (int(at(4))%3 + 1 + int(at(5))%2) % 3},
		Start: sim.ConstDist(sim.Time(at(6)) * 5 * sim.Minute), Duration: sim.ConstDist(sim.Time(at(7)) * sim.Minute), Probability: float64(at(8)) / 255})
	cfg.Regions[east].KMSRPS = float64(at(9)) * 10
	cfg.Buckets[0].Writes = float64(at(10)) * float64(at(10))
	cfg.Buckets[0].BucketKey = at(11)&1 == 0
	cfg.Tables[0].Writes = float64(at(12)) * 7
	if at(13)&1 == 1 {
		cfg.App.Serve = []int{east, west}
	}
	kinds := []OpKind{OpReplicateKey, OpUpdatePrimaryRegion, OpEnableKey, OpDisableKey, OpScheduleKeyDeletion,
		OpCancelKeyDeletion, OpRotateKey, OpPutKeyPolicy}
	for i := 0; i < 3; i++ {
		k := kinds[int(at(14+3*i))%len(kinds)]
		cfg.Actions = append(cfg.Actions, Action{At: sim.ConstDist(sim.Time(at(15+3*i)) * 5 * sim.Minute),
			Op: Op{Kind: k, Key: 0, Region: int(at(16+3*i)) % 3, Window: 7 * sim.Day, Users: []string{"dr-operator"}, HasUsers: at(16+3*i)&4 != 0}})
	}
	cfg.Failover.Steps[0].Duration = sim.ConstDist(sim.Time(at(23)) * sim.Minute)
	cfg.Failover.Steps[2].Retry = sim.Time(at(24)%10+1) * sim.Minute
	if at(25)&1 == 1 {
		cfg.Tables[0].Backup = &Backup{To: west, Every: sim.Time(at(26)%12+1) * 10 * sim.Minute, Copy: sim.UniformDist(0, 20*sim.Minute), Key: 0}
		cfg.Failover.Steps[1].Op = Op{Kind: OpRestoreBackup, Key: -1, Region: -1, Store: StoreRef{Kind: StoreTable, Index: 0}}
	}
	// Format 1.1: the start, a gray failure, phases, needs, admins and the
	// replica and rule ops.
	if at(27)&1 == 1 {
		cfg.Start = StartEmpty
	}
	if e := at(28); e > 0 {
		o.ErrorRate = float64(e) / 255
	}
	if at(29)&1 == 1 {
		o.Phases = []Phase{
			{Services: Services(at(30)) & SvcAll, Offset: sim.ConstDist(0), Duration: o.Duration, ErrorRate: float64(at(31)%10+1) / 10},
			{Services: Services(at(32)) & SvcAll, Offset: sim.ConstDist(sim.Time(at(33)) * sim.Minute), Duration: sim.ConstDist(sim.Time(at(34)) * 5 * sim.Minute)},
		}
		o.ErrorRate = 0
	}
	if at(35)&1 == 1 {
		cfg.Failover.Steps[3].Needs = []Need{{Service: Services(1) << (at(36) % 7), Region: int(at(37)) % 3}, {ARC: at(36)&8 != 0, Region: -1}}
		if cfg.Failover.Steps[3].Needs[0].Service == SvcApp {
			cfg.Failover.Steps[3].Needs[0].Service = SvcSTS
		}
	}
	if at(38)&1 == 1 {
		cfg.Keys[0].Admins = []string{"dr-operator"}
		cfg.Failover.Operator = []string{"", "dr-operator", "intruder"}[at(38)%3]
	}
	ops := []Op{
		{Kind: OpCreateTableReplica, Store: StoreRef{StoreTable, 0}, Region: 2, Key: -1, To: -1, Copy: sim.ConstDist(sim.Time(at(40)) * sim.Minute), HasCopy: true},
		{Kind: OpDeleteTableReplica, Store: StoreRef{StoreTable, 0}, Region: int(at(40)) % 3, Key: -1, To: -1},
		{Kind: OpPutBucketReplication, Store: StoreRef{StoreBucket, 0}, To: 1 + int(at(40))%2, Key: 0, Region: -1, RTC: at(40)&4 != 0},
		{Kind: OpDeleteBucketReplication, Store: StoreRef{StoreBucket, 0}, To: 1 + int(at(40))%2, Key: -1, Region: -1},
	}
	if k := at(39); k != 0 {
		cfg.Actions = append(cfg.Actions, Action{At: sim.ConstDist(sim.Time(at(41)) * 5 * sim.Minute), Op: ops[int(k)%len(ops)]})
	}
	return cfg
}

// checkInvariants fails t if res breaks an invariant of every trial.
func checkInvariants(t *testing.T, cfg *Config, res *TrialResult) {
	t.Helper()
	if res.Succeeded > res.Offered*(1+1e-12) || res.Succeeded < 0 || res.Unavailable < 0 {
		t.Errorf("succeeded=%g offered=%g unavailable=%g", res.Succeeded, res.Offered, res.Unavailable)
	}
	if res.UpTime < 0 || res.UpTime > cfg.Horizon {
		t.Errorf("up time %v out of [0, horizon]", res.UpTime)
	}
	if res.Incident && (res.T0 < 0 || res.T0 > cfg.Horizon) {
		t.Errorf("T0=%v", res.T0)
	}
	if res.Recovered && (res.RTO <= 0 || res.T0+res.RTO > cfg.Horizon || len(res.RecoveredIn) == 0) {
		t.Errorf("RTO=%v recovered in %v", res.RTO, res.RecoveredIn)
	}
	var sum int64
	unbounded := false
	for i, n := range res.LostWrites {
		if n < 0 {
			t.Errorf("negative lost writes %v", res.LostWrites)
		}
		if n == UnboundedLost {
			// Only under a steady start, with the store's RPO unbounded
			// too, and then the trial's.
			unbounded = true
			if cfg.Start != StartSteady || res.StoreRPO[i] != sim.Forever {
				t.Errorf("store %d: unbounded lost writes with RPO %v, start %v", i, res.StoreRPO[i], cfg.Start)
			}
			continue
		}
		sum = min(sum+n, UnboundedLost-1)
	}
	if unbounded {
		if res.LostTotal != UnboundedLost || res.RPO != sim.Forever {
			t.Errorf("unbounded store: total %d RPO %v", res.LostTotal, res.RPO)
		}
	} else if sum != res.LostTotal || res.RPO < 0 || (cfg.Start == StartEmpty && res.RPO > res.T0) || (sum > 0) != (res.RPO > 0 || res.LostTotal > 0) {
		t.Errorf("lost=%v total=%d RPO=%v T0=%v", res.LostWrites, res.LostTotal, res.RPO, res.T0)
	}
	for i, v := range res.KMSFailures {
		if v < 0 || (i < len(cfg.Regions) && v != 0) { // reason OK never fails
			t.Errorf("KMS failures[%d]=%g", i, v)
		}
	}
	if len(res.KMSFailures) != int(kms.NumReasons)*len(cfg.Regions) || len(res.Ops) != len(cfg.Actions)+len(cfg.Failover.Steps) {
		t.Errorf("result sizes: %d failures, %d ops", len(res.KMSFailures), len(res.Ops))
	}
}

func FuzzTrial(f *testing.F) {
	f.Add([]byte{0, 15, 12, 36, 0, 1, 20, 30, 200, 255, 5, 0, 10, 0, 3, 6, 1, 1, 8, 0, 2, 10, 1, 10, 5, 1, 6})
	f.Add([]byte{1, 1, 0, 255, 2, 0, 1, 255, 255, 1, 255, 1, 255, 1, 7, 0, 2, 4, 1, 1, 5, 2, 2, 0, 0, 0, 0})
	f.Add([]byte{})
	f.Add([]byte{0, 127, 12, 36, 0, 1, 20, 30, 200, 255, 5, 0, 10, 0, 3, 6, 1, 1, 8, 0, 2, 10, 1, 10, 5, 1, 6,
		0, 80, 1, 127, 3, 16, 157, 100, 1, 6, 0, 2, 1, 30, 40})
	f.Add([]byte{0, 127, 12, 36, 0, 1, 20, 30, 200, 255, 5, 0, 10, 0, 3, 6, 1, 1, 8, 0, 2, 10, 1, 10, 5, 1, 6,
		1, 0, 0, 0, 0, 0, 0, 0, 1, 13, 1, 1, 3, 12, 20})
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg := fuzzConfig(b)
		if err := cfg.Check(); err != nil {
			t.Skip()
		}
		r := NewRunner(cfg)
		var d Detail
		res := r.Trial(3, 1, &d)
		checkInvariants(t, cfg, &res)
		if res2 := r.Trial(3, 1, nil); res2.RPO != res.RPO || res2.LostTotal != res.LostTotal || res2.UpTime != res.UpTime {
			t.Errorf("detail changed the result")
		}
	})
}

// TestTraceExplainsFailures: whenever a KMS failure rate changes to a
// non-zero value, the trace has a kms-failure event for it at that time.
func TestTraceExplainsFailures(t *testing.T) {
	for _, b := range [][]byte{{0, 15, 12, 36, 0, 1, 20, 30, 200, 255, 5, 0, 10, 0, 3, 6, 1, 1, 8, 0, 2, 10, 1, 10, 5, 1, 6},
		{0, 1, 12, 36, 0, 0, 30, 30, 255, 1, 40, 0, 10, 1, 3, 6, 1, 7, 8, 2, 2, 10, 1, 10, 5, 0, 0}} {
		cfg := fuzzConfig(b)
		var d Detail
		for i := 0; i < 20; i++ {
			NewRunner(cfg).Trial(5, i, &d)
			var prev [kms.NumReasons]float64
			failing := 0
			for _, rp := range d.Rates {
				for reason, v := range rp.FailuresByReason {
					if v == 0 || v == prev[reason] {
						continue
					}
					failing++
					found := false
					for _, e := range d.Events {
						if e.T == rp.T && e.Kind == "kms-failure" && e.Error == kms.Reason(reason).String() && e.Outcome == "failing" {
							found = true
						}
					}
					if !found {
						t.Errorf("trial %d: %s at %v (%g/s) is not explained", i, kms.Reason(reason), sim.FormatDuration(rp.T), v)
					}
				}
				prev = rp.FailuresByReason
			}
			if i == 0 && failing == 0 {
				t.Errorf("config %v: no KMS failure to explain", b[:4])
			}
		}
	}
}

func TestInvariantsSeeds(t *testing.T) {
	for _, cfg := range []*Config{snowyConfig(), ddbConfig(), backupConfig(3 * sim.Hour)} {
		r := NewRunner(cfg)
		for i := 0; i < 200; i++ {
			res := r.Trial(77, i, nil)
			checkInvariants(t, cfg, &res)
		}
	}
}
