package model

import (
	"math"
	"testing"

	"github.com/drsim/drsim/sim"
)

// replicaConfig: a table written 100/s in us-east-1 only, at-rest key "k"
// (multi-Region, replica in us-west-2); us-east-1 fails at t0 for 10 h and
// the runbook moves traffic to us-west-2 three minutes later (detect 1m,
// step 2m).
func replicaConfig(t0 sim.Time, actions ...Action) *Config {
	cfg := baseConfig()
	cfg.Horizon = t0 + 12*sim.Hour
	cfg.Tables = []Table{{Name: "t", Regions: []int{east}, Keys: []int{0}, Writes: 100, Reads: 100,
		Lag: DefaultDynamoDBLag(), ClientKey: -1}}
	cfg.Outages = []Outage{regionOutage(east, SvcAll, t0, 10*sim.Hour)}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", 2*sim.Minute)}}
	cfg.Actions = actions
	return cfg
}

func createReplica(at sim.Time, region, key int, copy sim.Time) Action {
	return Action{At: sim.ConstDist(at), Op: Op{Kind: OpCreateTableReplica, Store: StoreRef{StoreTable, 0},
		Region: region, Key: key, To: -1, Copy: sim.ConstDist(copy), HasCopy: true}}
}

// TestG6_CreateTableReplicaNeedsKeyInRegion: AWS refuses a table replica in
// a region without its key (ValidationException, a refusal); a region that
// already has a replica is refused too.
func TestG6_CreateTableReplicaNeedsKeyInRegion(t *testing.T) {
	cases := []struct {
		name string
		keys []Key
		key  int
		at   int // region of the new replica
		code string
	}{
		{"multi-Region key without a copy there", []Key{{Name: "k", MultiRegion: true, Primary: east, Users: []string{"app"}}}, 0, west, "ValidationException"},
		{"single-Region key of another region", []Key{{Name: "k", Primary: east, Users: []string{"app"}}}, 0, west, "ValidationException"},
		{"a replica already there", nil, 0, east, "ValidationException"},
		{"a copy there", nil, 0, west, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := replicaConfig(5*sim.Hour, createReplica(sim.Hour, c.at, c.key, 30*sim.Minute))
			if c.keys != nil {
				cfg.Keys = c.keys
			}
			res := NewRunner(cfg).Trial(1, 0, nil)
			op := res.Ops[0]
			if c.code == "" {
				if !op.Done {
					t.Fatalf("not done: %+v", op)
				}
				return
			}
			if op.Done || op.Code != c.code || !op.Refused {
				t.Errorf("op %+v, want %s (refusal)", op, c.code)
			}
		})
	}
}

// TestCreateTableReplica: the new replica holds what its source held when
// the copy started, is usable after its copy draw (requests there fail as
// unavailable before), and from then on replicates normally; writes
// accepted after the copy started arrive at max(usable time, t + lag).
func TestCreateTableReplica(t *testing.T) {
	const n = 300
	lagMean := DefaultDynamoDBLag().Mean() / 1e9
	// Created at 1h, usable at 1h30m; us-east-1 fails at 5h: like any
	// replica, only the writes in flight at 5h are lost (mean 100·E[L]).
	cfg := replicaConfig(5*sim.Hour, createReplica(sim.Hour, west, 0, 30*sim.Minute))
	sum := 0.0
	for _, r := range RunTrials(cfg, 3, n, 2, nil) {
		if !r.Recovered || r.RTO != 3*sim.Minute || r.RPO > 30*sim.Second {
			t.Fatalf("trial %d: RTO %v RPO %v", r.Trial, r.RTO, r.RPO)
		}
		sum += float64(r.LostTotal)
	}
	if mean, want := sum/n, 100*lagMean; math.Abs(mean-want) > 5*math.Sqrt(want/n) {
		t.Errorf("lost mean %.2f, want 100·E[L] = %.2f", mean, want)
	}
	// us-east-1 fails at 1h10m, before the copy is usable at 1h30m: the
	// service comes back in us-west-2 at 1h30m with what the source held at
	// 1h, and the writes of [1h, 1h10m) that arrived before 1h10m (held
	// until 1h30m): again only the in-flight ones at T0 are lost.
	cfg = replicaConfig(sim.Hour+10*sim.Minute, createReplica(sim.Hour, west, 0, 30*sim.Minute))
	var d Detail
	r := NewRunner(cfg).Trial(3, 0, &d)
	if !r.Recovered || r.T0+r.RTO != sim.Hour+30*sim.Minute || r.RPO > 30*sim.Second || r.LostTotal > 1000 {
		t.Errorf("before usable: T0 %v back at %v RPO %v lost %d", r.T0, r.T0+r.RTO, r.RPO, r.LostTotal)
	}
	if !hasEvent(&d, "replication", "CREATING") || !hasEvent(&d, "replication", "initial copy done") {
		t.Error("no CREATING / ACTIVE events")
	}
}

// TestCreateTableReplicaSnapshot: a replica copied from a source that had
// not received every write holds only what the source held: writes of
// us-east-1 pending towards eu-west-1 when the copy started never reach the
// new replica in us-west-2 (it replicates only the writes accepted after
// the copy started).
func TestCreateTableReplicaSnapshot(t *testing.T) {
	cfg := replicaConfig(3*sim.Hour, createReplica(2*sim.Hour, west, 0, 10*sim.Minute))
	cfg.Regions = []Region{{Name: "eu-west-1", KMSRPS: 1e5}, {Name: "us-east-1", KMSRPS: 1e5}, {Name: "us-west-2", KMSRPS: 1e5}}
	const euw1, use1, usw2 = 0, 1, 2
	cfg.Keys[0].Primary, cfg.Keys[0].Replicas = use1, []int{euw1, usw2}
	cfg.App.Serve = []int{use1}
	cfg.Tables[0].Regions, cfg.Tables[0].Keys = []int{euw1, use1}, []int{0, 0}
	cfg.Outages = []Outage{regionOutage(use1, SvcAll, 3*sim.Hour, 10*sim.Hour),
		// DynamoDB in eu-west-1 down 1h..2h: replication into it pending.
		{Stream: "euw1", Kind: RegionOutage, Region: euw1, Services: SvcDynamoDB, Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(sim.Hour), Probability: 1}}
	cfg.Failover.From, cfg.Failover.To = use1, usw2
	cfg.Actions[0].Op.Region = usw2
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		r := NewRunner(cfg).Trial(5, i, nil)
		// The writes of [1h, 2h) reached eu-west-1 after 2h (pending, then a
		// fresh lag): missing in us-west-2. Mean 360,000; RPO ≈ 2h.
		if !r.Recovered || r.RPO < 2*sim.Hour-10*sim.Second || r.RPO > 2*sim.Hour+10*sim.Second ||
			math.Abs(float64(r.LostTotal)-360000) > 6*600 {
			t.Fatalf("trial %d: RPO %v lost %d, want about 2h and 360,000", i, r.RPO, r.LostTotal)
		}
	}
}

// TestDeleteTableReplica: requests to a deleted replica fail as
// unavailable, and the writes only it held are gone: the app served from
// us-west-2, whose replica is deleted; the writes still in flight from it
// never reach us-east-1.
func TestDeleteTableReplica(t *testing.T) {
	const n = 300
	cfg := replicaConfig(100 * sim.Hour)
	cfg.Outages = nil
	cfg.Tables[0].Regions, cfg.Tables[0].Keys = []int{east, west}, []int{0, 0}
	cfg.App.Serve = []int{west}
	cfg.Failover.From, cfg.Failover.To = west, east
	cfg.Horizon = 6 * sim.Hour
	cfg.Actions = []Action{{At: sim.ConstDist(2 * sim.Hour), Op: Op{Kind: OpDeleteTableReplica, Store: StoreRef{StoreTable, 0}, Region: west, Key: -1, To: -1}}}
	sum := 0.0
	for _, r := range RunTrials(cfg, 4, n, 2, nil) {
		if !r.Incident || r.T0 != 2*sim.Hour || r.RTO != 3*sim.Minute || !r.Ops[0].Done {
			t.Fatalf("trial %d: T0 %v RTO %v op %+v", r.Trial, r.T0, r.RTO, r.Ops[0])
		}
		sum += float64(r.LostTotal)
	}
	if mean, want := sum/n, 100*DefaultDynamoDBLag().Mean()/1e9; math.Abs(mean-want) > 5*math.Sqrt(want/n) {
		t.Errorf("lost mean %.2f, want 100·E[L] = %.2f", mean, want)
	}
	// No live replica with DynamoDB up: the UpdateTable call waits
	// (DynamoDBUnavailable, transient; an action fails).
	cfg.Outages = []Outage{regionOutage(east, SvcDynamoDB, sim.Hour, 2*sim.Hour), regionOutage(west, SvcDynamoDB, sim.Hour, 2*sim.Hour)}
	cfg.Outages[1].Stream = "w"
	if r := NewRunner(cfg).Trial(4, 0, nil); r.Ops[0].Code != "DynamoDBUnavailable" || r.Ops[0].Refused {
		t.Errorf("op %+v, want DynamoDBUnavailable (transient)", r.Ops[0])
	}
}

// bucketRuleConfig: a bucket in us-east-1 written 20/s, with no
// replication rule; us-east-1 fails at 4h and traffic moves to us-west-2.
func bucketRuleConfig(actions ...Action) *Config {
	cfg := baseConfig()
	cfg.Start = StartEmpty
	cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, BucketKey: true, Writes: 20, Reads: 20}}
	cfg.Outages = []Outage{regionOutage(east, SvcAll, 4*sim.Hour, 10*sim.Hour)}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", 2*sim.Minute)}}
	cfg.Actions = actions
	return cfg
}

func bucketRule(kind OpKind, at sim.Time, key int, rtc bool) Action {
	return Action{At: sim.ConstDist(at), Op: Op{Kind: kind, Store: StoreRef{StoreBucket, 0}, To: west, Key: key, Region: -1, RTC: rtc}}
}

// TestPutBucketReplication: objects written from then on replicate (no
// batch replication of older ones); the rule's role is s3-replication and
// its lag the built-in one for its rtc. Without the rule there is no
// destination bucket: the service cannot come back in us-west-2.
func TestPutBucketReplication(t *testing.T) {
	res := NewRunner(bucketRuleConfig()).Trial(1, 0, nil)
	if res.Recovered && res.RecoveredIn[0] == west {
		t.Fatalf("no rule: recovered in us-west-2")
	}
	for _, start := range []StartMode{StartEmpty, StartSteady} {
		cfg := bucketRuleConfig(bucketRule(OpPutBucketReplication, sim.Hour, 0, true))
		cfg.Start = start
		for i := 0; i < 10; i++ {
			r := NewRunner(cfg).Trial(1, i, nil)
			if !r.Ops[0].Done || !r.Recovered || r.RecoveredIn[0] != west {
				t.Fatalf("%v trial %d: op %+v recovered %v in %v", start, i, r.Ops[0], r.Recovered, r.RecoveredIn)
			}
			if start == StartSteady {
				// The objects written before 0 never replicate either: the
				// missing writes have no finite count.
				if r.RPO != sim.Forever || r.LostTotal != UnboundedLost || r.StoreRPO[0] != sim.Forever {
					t.Fatalf("steady trial %d: RPO %v lost %d, want unbounded", i, r.RPO, r.LostTotal)
				}
				continue
			}
			// The objects of [0, 1h) never replicate: 72,000 lost, RPO 4h.
			if r.RPO > 4*sim.Hour || r.RPO < 4*sim.Hour-sim.Minute || math.Abs(float64(r.LostTotal)-72000) > 6*math.Sqrt(72000) {
				t.Fatalf("%v trial %d: RPO %v lost %d", start, i, r.RPO, r.LostTotal)
			}
		}
	}
	// The rule needs S3 up in the source bucket's region (G7: it is
	// configured on the source bucket).
	cfg := bucketRuleConfig(bucketRule(OpPutBucketReplication, 5*sim.Hour, 0, true))
	if r := NewRunner(cfg).Trial(1, 0, nil); r.Ops[0].Code != "S3Unavailable" || r.Ops[0].Refused {
		t.Errorf("put while S3 is down at the source: %+v", r.Ops[0])
	}
}

// TestG7_BucketRuleKeyInDestination: a rule's replica key must be usable in
// the destination region: without a copy there, the replication role's
// Encrypt there fails (NotFoundException, a refusal) and every object the
// rule sends FAILs: it never arrives.
func TestG7_BucketRuleKeyInDestination(t *testing.T) {
	cfg := bucketRuleConfig(bucketRule(OpPutBucketReplication, 0, 1, false))
	cfg.Keys = append(cfg.Keys, Key{Name: "east-only", MultiRegion: true, Primary: east, Users: []string{"app", "s3-replication"}})
	cfg.Horizon = 4 * sim.Hour
	r := NewRunner(cfg)
	res := r.Trial(1, 0, nil)
	// 20 objects/s × 1% of the calls (bucket keys), for 4 hours.
	if got, want := res.KMSFailure(1 /* NotFound */, west, 2), 20*0.01*4*3600.0; !near(got, want, 1e-9) {
		t.Errorf("NotFoundException in us-west-2 = %g, want %g", got, want)
	}
	if p := r.stores[0].links[0].pts[0]; p.t != 0 || p.r != 1 || p.f != 0 {
		t.Errorf("link from 0: %+v, want every object FAILED", p)
	}
	// The destination bucket is encrypted with that key: it cannot serve.
	cfg.Horizon = 24 * sim.Hour
	if res := NewRunner(cfg).Trial(1, 0, nil); res.FailoverAt < 0 || res.Recovered && res.RecoveredIn[0] == west {
		t.Errorf("failover at %v, recovered in %v", res.FailoverAt, res.RecoveredIn)
	}
}

// TestDeleteBucketReplication: after the rule goes nothing more replicates,
// objects not arrived by then never arrive, and the destination bucket
// keeps what it received and serves it after a failover.
func TestDeleteBucketReplication(t *testing.T) {
	cfg := bucketRuleConfig(bucketRule(OpDeleteBucketReplication, 2*sim.Hour, -1, false))
	cfg.Buckets[0].Replication = []Replication{{To: west, Key: 0, Role: "s3-replication", RTC: true, Lag: DefaultS3Lag(true)}}
	for _, start := range []StartMode{StartEmpty, StartSteady} {
		cfg.Start = start
		for i := 0; i < 10; i++ {
			r := NewRunner(cfg).Trial(2, i, nil)
			// 2 h of objects (144,000) plus those in flight at 2h.
			want := 20*2*3600.0 + 20*DefaultS3Lag(true).Mean()/1e9
			if !r.Recovered || r.RecoveredIn[0] != west || r.RPO < 2*sim.Hour || r.RPO > 3*sim.Hour ||
				math.Abs(float64(r.LostTotal)-want) > 6*math.Sqrt(want) {
				t.Fatalf("%v trial %d: RPO %v lost %d, want about 2h and %.0f", start, i, r.RPO, r.LostTotal, want)
			}
		}
	}
	// Put again after the delete: objects written from then on replicate.
	cfg.Actions = append(cfg.Actions, bucketRule(OpPutBucketReplication, 3*sim.Hour, 0, true))
	r := NewRunner(cfg).Trial(2, 0, nil)
	if want := 20 * 3600.0; math.Abs(float64(r.LostTotal)-want) > 6*math.Sqrt(want)+100 || r.RPO < 2*sim.Hour {
		t.Errorf("put after delete: RPO %v lost %d, want ≥ 2h and about %.0f", r.RPO, r.LostTotal, want)
	}
}
