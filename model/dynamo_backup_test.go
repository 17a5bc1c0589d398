package model

import (
	"math"
	"testing"

	"github.com/drsim/drsim/sim"
)

// ddbConfig: per-region single-Region keys ke (us-east-1) and kw
// (us-west-2); a big read-only bucket keeps the service up in us-west-2
// whatever happens to the small table tb (10 writes/s); us-east-1 fails at
// 30h and the runbook moves traffic to us-west-2 two minutes later.
func ddbConfig() *Config {
	users := []string{"app", "s3-replication"}
	cfg := baseConfig()
	cfg.Horizon = 48 * sim.Hour
	cfg.Keys = []Key{{Name: "ke", Primary: east, Users: users}, {Name: "kw", Primary: west, Users: users}}
	cfg.Buckets = []Bucket{{Name: "big", Region: east, Key: 0, BucketKey: true, Reads: 10000,
		Replication: []Replication{{To: west, Key: 1, Role: "s3-replication", RTC: true, Lag: DefaultS3Lag(true)}}}}
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east, west}, Keys: []int{0, 1}, Writes: 10,
		Lag: DefaultDynamoDBLag(), ClientKey: -1}}
	cfg.Outages = []Outage{regionOutage(east, SvcAll, 30*sim.Hour, 10*sim.Hour)}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", sim.Minute)}}
	return cfg
}

// TestDynamoDB20h: the us-west-2 replica's key is disabled at 1h. Enabled
// again at 10h, the replica catches up (nothing lost but the in-flight
// writes); enabled at 25h, the replica has left the group at 21h: it serves
// again as a single-Region table with what it held at 1h, so every write
// since 1h is missing in us-west-2 when us-east-1 fails (RPO ≈ 29h).
func TestDynamoDB20h(t *testing.T) {
	tests := []struct {
		name       string
		enableAt   sim.Time
		left       bool
		minRPO     sim.Time
		maxRPO     sim.Time
		lostLo     float64
		lostHi     float64
		wantEvents []string
	}{
		{"re-enabled at 10h", 10 * sim.Hour, false, 0, 10 * sim.Second, 0, 100, []string{"INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ACTIVE"}},
		{"re-enabled at 25h", 25 * sim.Hour, true, 29 * sim.Hour, 29*sim.Hour + 10*sim.Second,
			1044000 - 6*1022, 1044000 + 6*1022, []string{"INACCESSIBLE_ENCRYPTION_CREDENTIALS", "LEFT", "ACTIVE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ddbConfig()
			cfg.Actions = []Action{action(sim.Hour, OpDisableKey, 1, west), action(tt.enableAt, OpEnableKey, 1, west)}
			var d Detail
			res := NewRunner(cfg).Trial(9, 0, &d)
			if !res.Incident || res.T0 != 30*sim.Hour || !res.Recovered || res.RecoveredIn[0] != west {
				t.Fatalf("T0=%v recovered=%v in %v", sim.FormatDuration(res.T0), res.Recovered, res.RecoveredIn)
			}
			lost := float64(res.LostWrites[1])
			if res.RPO < tt.minRPO || res.RPO > tt.maxRPO || lost < tt.lostLo || lost > tt.lostHi {
				t.Errorf("RPO=%v lost=%g, want RPO in [%v, %v], lost in [%g, %g]", sim.FormatDuration(res.RPO), lost,
					sim.FormatDuration(tt.minRPO), sim.FormatDuration(tt.maxRPO), tt.lostLo, tt.lostHi)
			}
			for _, w := range tt.wantEvents {
				if !hasEvent(&d, "replication", w) {
					t.Errorf("no %s event", w)
				}
			}
			if got := hasEvent(&d, "replication", "LEFT"); got != tt.left {
				t.Errorf("left=%v, want %v", got, tt.left)
			}
			// Unavailable: everything during the 2 minutes of failover; a
			// replica that left the group still serves.
			want := 10010 * 120.0
			if !near(res.Unavailable, want, 1e-9) {
				t.Errorf("unavailable=%g, want %g", res.Unavailable, want)
			}
		})
	}
}

// backupConfig: table tb lives in us-east-1 only, backed up every hour to
// us-west-2 (copy uniform(10m, 30m), vault key kw); us-east-1 fails at t0
// and the runbook restores the backup in us-west-2, then moves traffic.
func backupConfig(t0 sim.Time) *Config {
	cfg := baseConfig()
	cfg.Keys = []Key{{Name: "ke", Primary: east, Users: []string{"app"}}, {Name: "kw", Primary: west, Users: []string{"app"}}}
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east}, Keys: []int{0}, Writes: 100, Reads: 100,
		Lag: DefaultDynamoDBLag(), ClientKey: -1,
		Backup: &Backup{To: west, Every: sim.Hour, Copy: sim.UniformDist(10*sim.Minute, 30*sim.Minute), Key: 1}}}
	cfg.Outages = []Outage{regionOutage(east, SvcAll, t0, 10*sim.Hour)}
	restore := Step{Name: "restore", Op: Op{Kind: OpRestoreBackup, Key: -1, Region: -1, Store: StoreRef{Kind: StoreTable, Index: 0}},
		Duration: sim.ConstDist(0), Required: true, Retry: sim.Minute}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute),
		Steps: []Step{restore, step("dns", sim.Minute, 0)}}
	return cfg
}

// TestBackupRestore: the restored copy's data is the snapshot time, so RPO
// ≈ T0 − snapshot time and the writes since the snapshot are lost; under an
// empty start a restore before the first copy is usable retries
// (BackupNotReady); under a steady start the snapshots taken at 0 and
// before exist (DESIGN "Steady start": k·every for every integer k), so
// RPO can exceed T0.
func TestBackupRestore(t *testing.T) {
	tests := []struct {
		name     string
		start    StartMode
		t0       sim.Time
		snap     sim.Time
		notReady bool
		// restoreAfter delays the restore step; snapshots that fall in
		// the outage are never taken, so the restore still gets the last
		// snapshot before T0.
		restoreAfter sim.Time
	}{
		{"snapshot 5h", StartEmpty, 5*sim.Hour + 30*sim.Minute, 5 * sim.Hour, false, 0},
		{"snapshot 5h, steady", StartSteady, 5*sim.Hour + 30*sim.Minute, 5 * sim.Hour, false, 0},
		{"first copy not ready", StartEmpty, sim.Hour + 5*sim.Minute, sim.Hour, true, 0},
		{"steady: the snapshot at 0", StartSteady, sim.Hour + 5*sim.Minute, 0, false, 0},
		{"steady: a snapshot before 0", StartSteady, 5 * sim.Minute, -sim.Hour, false, 0},
		{"no snapshot while the source is down", StartEmpty, 5*sim.Hour + 30*sim.Minute, 5 * sim.Hour, false, 3 * sim.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := backupConfig(tt.t0)
			cfg.Start = tt.start
			cfg.Failover.Steps[0].Duration = sim.ConstDist(tt.restoreAfter)
			var d Detail
			res := NewRunner(cfg).Trial(4, 0, &d)
			if !res.Recovered || res.RecoveredIn[0] != west {
				t.Fatalf("not recovered in us-west-2: %+v", res)
			}
			want := tt.t0 - tt.snap
			if res.RPO > want || res.RPO < want-sim.Second {
				t.Errorf("RPO=%v, want just under %v", sim.FormatDuration(res.RPO), sim.FormatDuration(want))
			}
			mean := 100 * float64(want) / 1e9
			if got := float64(res.LostWrites[0]); math.Abs(got-mean) > 6*math.Sqrt(mean) {
				t.Errorf("lost=%g, want about %g", got, mean)
			}
			op := res.Ops[0]
			if !op.Done {
				t.Fatalf("restore not done: %+v", op)
			}
			if gotNR := len(op.Errors) == 1 && op.Errors[0].Err == "BackupNotReady"; gotNR != tt.notReady {
				t.Errorf("restore errors = %+v, want BackupNotReady retries: %v", op.Errors, tt.notReady)
			}
			if tt.notReady && op.At < sim.Hour+10*sim.Minute {
				t.Errorf("restore done at %v, before the first copy can be usable", sim.FormatDuration(op.At))
			}
			if !hasEvent(&d, "backup", "from the snapshot of "+sim.FormatDuration(tt.snap)) {
				t.Errorf("no backup event naming the snapshot")
			}
		})
	}
}

// TestBackupVaultKeyRefused: a disabled vault key fails the restore step.
func TestBackupVaultKeyRefused(t *testing.T) {
	cfg := backupConfig(5 * sim.Hour)
	cfg.Actions = []Action{action(0, OpDisableKey, 1, west)}
	res := NewRunner(cfg).Trial(4, 0, nil)
	op := res.Ops[1]
	if op.Done || len(op.Errors) != 1 || op.Errors[0].Err != "DisabledException" || res.FailoverAt != -1 {
		t.Errorf("restore = %+v failover=%v, want refused with DisabledException and no failover", op, res.FailoverAt)
	}
}

// TestBackupCopyNeedsVaultKey: a copy that completes while the vault key is
// disabled never becomes usable, even once the key is enabled again: the
// restore gets the newest snapshot copied while the key worked.
func TestBackupCopyNeedsVaultKey(t *testing.T) {
	// kw is disabled from 2h45m to 5h45m: the copies of the 3h, 4h and 5h
	// snapshots (done at k·1h + 10..30m) fail; the 2h one (done by 2h30m)
	// holds. The restore at 6h06m comes before the 6h copy.
	t0 := 6*sim.Hour + 5*sim.Minute
	cfg := backupConfig(t0)
	cfg.Actions = []Action{action(2*sim.Hour+45*sim.Minute, OpDisableKey, 1, west), action(5*sim.Hour+45*sim.Minute, OpEnableKey, 1, west)}
	var d Detail
	res := NewRunner(cfg).Trial(4, 0, &d)
	op := res.Ops[len(cfg.Actions)]
	if !op.Done || op.At != t0+sim.Minute || !res.Recovered {
		t.Fatalf("restore = %+v recovered=%v, want done at %v", op, res.Recovered, sim.FormatDuration(t0+sim.Minute))
	}
	if !hasEvent(&d, "backup", "from the snapshot of 2h") {
		t.Errorf("restore did not use the 2h snapshot: %v", d.Events)
	}
	if want := t0 - 2*sim.Hour; res.RPO > want || res.RPO < want-sim.Second {
		t.Errorf("RPO=%v, want just under %v", sim.FormatDuration(res.RPO), sim.FormatDuration(want))
	}
}
