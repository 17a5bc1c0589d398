package model

import (
	"math"
	"strings"
	"testing"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// baseConfig has two regions, one multi-Region key "k" (primary us-east-1,
// replica us-west-2) and an app serving from us-east-1; no store, no outage.
func baseConfig() *Config {
	k := Key{Name: "k", MultiRegion: true, Primary: east, Replicas: []int{west},
		Users: []string{"app", "dr-operator", "s3-replication"}}
	return &Config{
		Name:       "test",
		Horizon:    24 * sim.Hour,
		Account:    "111122223333",
		Objectives: Objectives{Success: 0.99},
		Regions:    twoRegions(),
		Keys:       []Key{k},
		App:        App{Principal: "app", Serve: []int{east}},
	}
}

func action(at sim.Time, kind OpKind, key, region int) Action {
	return Action{At: sim.ConstDist(at), Op: Op{Kind: kind, Key: key, Region: region}}
}

func regionOutage(region int, svc Services, start, dur sim.Time) Outage {
	return Outage{Stream: "o", Kind: RegionOutage, Region: region, Services: svc,
		Start: sim.ConstDist(start), Duration: sim.ConstDist(dur), Probability: 1}
}

func step(name string, dur sim.Time, after ...int) Step {
	return Step{Name: name, After: after, Duration: sim.ConstDist(dur), Required: true, Retry: sim.Minute, Op: noOp()}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func hasEvent(d *Detail, kind, substr string) bool {
	for _, e := range d.Events {
		if e.Kind == kind && strings.Contains(e.Message, substr) {
			return true
		}
	}
	return false
}

// TestDisabledKeyOnlyCause: a disabled key is the only cause of the
// incident: T0 is when it is disabled, RTO when it is re-enabled, and the
// failed calls are DisabledException in the key's region (K10).
func TestDisabledKeyOnlyCause(t *testing.T) {
	cfg := baseConfig()
	// The table's at-rest key is another key: disabling k fails its
	// client-side calls, not its at-rest access.
	cfg.Keys = append(cfg.Keys, Key{Name: "ddb", MultiRegion: true, Primary: east, Replicas: []int{west}})
	cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, BucketKey: true, Writes: 20, Reads: 50}}
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east, west}, Keys: []int{1, 1}, Writes: 100, Reads: 400,
		Lag: DefaultDynamoDBLag(), ClientKey: 0}}
	cfg.Actions = []Action{action(sim.Hour, OpDisableKey, 0, east), action(2*sim.Hour, OpEnableKey, 0, east)}
	var d Detail
	res := NewRunner(cfg).Trial(1, 0, &d)
	if !res.Incident || res.T0 != sim.Hour || !res.Recovered || res.RTO != sim.Hour {
		t.Fatalf("T0=%v RTO=%v incident=%v recovered=%v, want 1h, 1h", res.T0, res.RTO, res.Incident, res.Recovered)
	}
	if res.RPO != 0 || res.LostTotal != 0 {
		t.Errorf("recovered in the same region: RPO=%v lost=%d, want 0", res.RPO, res.LostTotal)
	}
	// S3: 70 req/s × 1% calls with bucket keys; table: 500 client-side calls/s.
	want := (70*0.01 + 500) * 3600.0
	if got := res.KMSFailure(kms.Disabled, east, 2); !near(got, want, 1e-9) {
		t.Errorf("DisabledException in us-east-1 = %g, want %g", got, want)
	}
	var other float64
	for i, v := range res.KMSFailures {
		if i != int(kms.Disabled)*2+east {
			other += v
		}
	}
	if other != 0 {
		t.Errorf("other KMS failures = %g, want 0", other)
	}
	if res.Unavailable != 0 {
		t.Errorf("unavailable = %g, want 0", res.Unavailable)
	}
	if want := 570 * 86400.0; !near(res.Offered, want, 1e-12) {
		t.Errorf("offered = %g, want %g", res.Offered, want)
	}
	if want := 570 * (86400.0 - 3600); !near(res.Succeeded, want, 1e-12) {
		t.Errorf("succeeded = %g, want %g", res.Succeeded, want)
	}
	if res.UpTime != 23*sim.Hour {
		t.Errorf("up time = %v, want 23h", res.UpTime)
	}
	for i, op := range res.Ops {
		if !op.Started || !op.Done || op.Attempts != 1 {
			t.Errorf("op %d = %+v, want started, done, 1 attempt", i, op)
		}
	}
	if !hasEvent(&d, "kms-failure", "Decrypt by app on key k in us-east-1: DisabledException (copy Disabled") {
		t.Errorf("the trace does not explain the decrypt failures:\n%v", d.Events)
	}
	if !hasEvent(&d, "service-down", "") || !hasEvent(&d, "service-up", "") {
		t.Errorf("service down/up missing from the trace")
	}
}

// TestThrottling: demand over the quota fails the excess fraction of every
// call with ThrottlingException (K13); S3 replication adds one call per
// object at the source and one at the destination.
func TestThrottling(t *testing.T) {
	repl := []Replication{{To: west, Key: 0, Role: "s3-replication", Lag: DefaultS3Lag(true)}}
	tests := []struct {
		name      string
		quota     float64
		writes    float64
		reads     float64
		repl      []Replication
		throttled float64 // failed calls/s in us-east-1
		success   float64
		westCalls float64 // demand in us-west-2 (no failure)
	}{
		// demand 1500/s, quota 1000/s: θ = 1/3.
		{"app only", 1000, 1000, 500, nil, 500, 2.0 / 3, 0},
		// demand 1000 PUT + 1000 replication Decrypt = 2000/s, quota
		// 1500/s: θ = 1/4; replication calls fail at the accepted rate 750/s.
		{"with replication", 1500, 1000, 0, repl, 1000*0.25 + 750*0.25, 0.75, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.Horizon = sim.Hour
			cfg.Regions[east].KMSRPS = tt.quota
			cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, Writes: tt.writes, Reads: tt.reads, Replication: tt.repl}}
			var d Detail
			r := NewRunner(cfg)
			res := r.Trial(1, 0, &d)
			if got := r.cur.demand[west]; got != tt.westCalls {
				t.Errorf("demand in us-west-2 = %g, want %g", got, tt.westCalls)
			}
			if got, want := res.KMSFailure(kms.Throttling, east, 2), tt.throttled*3600; !near(got, want, 1e-9) {
				t.Errorf("throttled calls = %g, want %g", got, want)
			}
			if !res.Incident || res.T0 != 0 || res.Recovered {
				t.Errorf("incident=%v T0=%v recovered=%v, want down from t=0 for good", res.Incident, res.T0, res.Recovered)
			}
			if got := res.Succeeded / res.Offered; !near(got, tt.success, 1e-12) {
				t.Errorf("success fraction = %g, want %g", got, tt.success)
			}
			if !hasEvent(&d, "kms-failure", "ThrottlingException (demand") {
				t.Errorf("no kms-failure event explaining the throttling")
			}
		})
	}
}

// snowyFixed is snowy with constant durations and a fixed outage of
// us-east-1 from 2h for dur.
func snowyFixed(dur sim.Time) *Config {
	cfg := snowyConfig()
	cfg.Outages[0].Start = sim.ConstDist(2 * sim.Hour)
	cfg.Outages[0].Duration = sim.ConstDist(dur)
	fo := cfg.Failover
	fo.Detect = sim.ConstDist(4 * sim.Minute)
	fo.Steps[0].Duration = sim.ConstDist(10 * sim.Minute) // approve
	fo.Steps[1].Duration = sim.ConstDist(5 * sim.Minute)  // scale-up
	return cfg
}

// TestRunbook: steps form a DAG; the failover waits for the required steps
// only; an optional step retries its transient failure (UpdatePrimaryRegion
// needs the primary's region, K8) and succeeds after the failover.
func TestRunbook(t *testing.T) {
	cfg := snowyFixed(5 * sim.Hour)
	var d Detail
	res := NewRunner(cfg).Trial(3, 0, &d)
	t0 := 2 * sim.Hour
	failAt := t0 + 4*sim.Minute + 10*sim.Minute + 5*sim.Minute + 90*sim.Second
	if res.T0 != t0 || res.FailoverAt != failAt || !res.Recovered || res.RTO != failAt-t0 {
		t.Fatalf("T0=%v failover=%v RTO=%v, want %v %v %v", res.T0, res.FailoverAt, res.RTO, t0, failAt, failAt-t0)
	}
	if len(res.RecoveredIn) != 1 || res.RecoveredIn[0] != west {
		t.Errorf("recovered in %v, want [us-west-2]", res.RecoveredIn)
	}
	nA := len(cfg.Actions)
	approve, scale, promote, dns := res.Ops[nA], res.Ops[nA+1], res.Ops[nA+2], res.Ops[nA+3]
	if !approve.Done || approve.At != t0+14*sim.Minute || !scale.Done || !dns.Done || dns.At != failAt {
		t.Errorf("approve=%+v scale=%+v dns=%+v", approve, scale, dns)
	}
	// promote-key: first attempt at 2h14m30s, then every 5m while KMS is
	// down in us-east-1 (until 7h): attempts at 2h14m30s + k·5m.
	firstTry := t0 + 14*sim.Minute + 30*sim.Second
	k := (7*sim.Hour - firstTry + 5*sim.Minute - 1) / (5 * sim.Minute)
	if !promote.Done || promote.At != firstTry+k*5*sim.Minute || promote.Attempts != int(k)+1 {
		t.Errorf("promote-key = %+v, want done at %v after %d attempts", promote, sim.FormatDuration(firstTry+k*5*sim.Minute), k+1)
	}
	if len(promote.Errors) != 1 || promote.Errors[0].Err != "KMSUnavailable" || promote.Errors[0].N != int(k) {
		t.Errorf("promote-key errors = %+v, want KMSUnavailable × %d", promote.Errors, k)
	}
	if !hasEvent(&d, "traffic-moved", "us-west-2") || !hasEvent(&d, "runbook-start", "") {
		t.Errorf("trace lacks runbook-start/traffic-moved")
	}
}

// TestRunbookRequiredStepFails: a required step whose op is refused fails
// and there is no failover.
func TestRunbookRequiredStepFails(t *testing.T) {
	cfg := snowyFixed(5 * sim.Hour)
	// scale-up now needs an op that is refused: enable a key in a region
	// where it has no copy.
	cfg.Regions = append(cfg.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
	cfg.Failover.Steps[1].Op = Op{Kind: OpEnableKey, Key: 0, Region: 2}
	res := NewRunner(cfg).Trial(3, 0, nil)
	if res.FailoverAt != -1 || res.Recovered != true || res.RTO != 5*sim.Hour {
		t.Errorf("failover=%v recovered=%v RTO=%v, want no failover and recovery when us-east-1 is back (5h)", res.FailoverAt, res.Recovered, res.RTO)
	}
	nA := len(cfg.Actions)
	if op := res.Ops[nA+1]; op.Done || op.Attempts != 1 || len(op.Errors) != 1 {
		t.Errorf("scale-up = %+v, want one refused attempt", op)
	}
	if op := res.Ops[nA+3]; op.Started {
		t.Errorf("dns started after a failed required step: %+v", op)
	}
}

// TestRunbookAbandoned: the original region recovers before the failover:
// traffic stays, the runbook stops, RPO is 0.
func TestRunbookAbandoned(t *testing.T) {
	cfg := snowyFixed(8 * sim.Minute)
	var d Detail
	res := NewRunner(cfg).Trial(3, 0, &d)
	if res.RTO != 8*sim.Minute || res.FailoverAt != -1 || res.RPO != 0 || res.LostTotal != 0 {
		t.Errorf("RTO=%v failover=%v RPO=%v lost=%d, want 8m, -1, 0, 0", res.RTO, res.FailoverAt, res.RPO, res.LostTotal)
	}
	if !hasEvent(&d, "runbook-abandoned", "") {
		t.Errorf("no runbook-abandoned event")
	}
	nA := len(cfg.Actions)
	if op := res.Ops[nA]; !op.Started || op.Done {
		t.Errorf("approve = %+v, want started (at 2h4m), not done (abandoned at 2h8m)", op)
	}
	if op := res.Ops[nA+3]; op.Started {
		t.Errorf("dns = %+v, want not started", op)
	}
}

// TestRouteBack: after the failover us-west-2 cannot serve (its key copy is
// disabled) but us-east-1 can again: health-checked routing sends traffic
// back a detect delay later.
func TestRouteBack(t *testing.T) {
	cfg := snowyFixed(time(1 * sim.Hour))
	cfg.Actions = []Action{action(0, OpDisableKey, 0, west)}
	var d Detail
	res := NewRunner(cfg).Trial(3, 0, &d)
	if !res.RoutedBack || res.FailoverAt < 0 {
		t.Fatalf("routed back=%v failover=%v, want a failover then a route back", res.RoutedBack, res.FailoverAt)
	}
	if want := sim.Hour + 4*sim.Minute; res.RTO != want {
		t.Errorf("RTO=%v, want %v (outage end + detect)", sim.FormatDuration(res.RTO), sim.FormatDuration(want))
	}
	if len(res.RecoveredIn) != 1 || res.RecoveredIn[0] != east || res.RPO != 0 || res.LostTotal != 0 {
		t.Errorf("recovered in %v RPO=%v lost=%d, want us-east-1, 0, 0", res.RecoveredIn, res.RPO, res.LostTotal)
	}
	if !hasEvent(&d, "routed-back", "us-east-1") {
		t.Errorf("no routed-back event")
	}
}

func time(t sim.Time) sim.Time { return t }

// TestPartition: a single-Region key in us-west-2 used client-side from
// us-east-1 fails with KMSUnavailable while the link is cut; replication is
// PENDING across the partition, so writes since the partition are stranded
// when us-east-1 fails.
func TestPartition(t *testing.T) {
	cfg := baseConfig()
	cfg.Keys = append(cfg.Keys, Key{Name: "w", Primary: west, Users: []string{"app"}})
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east, west}, Keys: []int{0, 0}, Writes: 10, Reads: 10,
		Lag: DefaultDynamoDBLag(), ClientKey: 1}}
	cfg.Outages = []Outage{{Stream: "p", Kind: Partition, Regions: [2]int{east, west},
		Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(30 * sim.Minute), Probability: 1}}
	res := NewRunner(cfg).Trial(1, 0, nil)
	if got, want := res.KMSFailure(kms.Unavailable, west, 2), 20*1800.0; !near(got, want, 1e-9) {
		t.Errorf("KMSUnavailable in us-west-2 = %g, want %g", got, want)
	}
	if res.T0 != sim.Hour || res.RTO != 30*sim.Minute {
		t.Errorf("T0=%v RTO=%v, want 1h, 30m", res.T0, res.RTO)
	}

	// Replication across a partition: stranded writes since its start.
	cfg = baseConfig()
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east, west}, Keys: []int{0, 0}, Writes: 10,
		Lag: DefaultDynamoDBLag(), ClientKey: -1}}
	cfg.Outages = []Outage{
		{Stream: "p", Kind: Partition, Regions: [2]int{east, west}, Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(10 * sim.Hour), Probability: 1},
		regionOutage(east, SvcAll, 2*sim.Hour, 10*sim.Hour),
	}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", sim.Minute)}}
	res = NewRunner(cfg).Trial(1, 0, nil)
	if !res.Recovered || res.RecoveredIn[0] != west {
		t.Fatalf("not recovered in us-west-2: %+v", res)
	}
	if res.RPO < sim.Hour || res.RPO > sim.Hour+10*sim.Second {
		t.Errorf("RPO=%v, want about 1h (writes since the partition are PENDING)", sim.FormatDuration(res.RPO))
	}
	if mean := 36000.0; math.Abs(float64(res.LostWrites[0])-mean) > 6*math.Sqrt(mean) {
		t.Errorf("lost=%d, want about %g", res.LostWrites[0], mean)
	}
}

// TestS3FailedVsPending: a refused destination key makes replicated objects
// FAILED (never arrive, even after the key is enabled again); a KMS outage
// in the destination leaves them PENDING (they arrive later).
func TestS3FailedVsPending(t *testing.T) {
	mk := func() *Config {
		cfg := baseConfig()
		cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, Writes: 10,
			Replication: []Replication{{To: west, Key: 0, Role: "s3-replication", RTC: true, Lag: DefaultS3Lag(true)}}}}
		cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", sim.Minute)}}
		return cfg
	}
	failed := mk()
	failed.Actions = []Action{action(sim.Hour, OpDisableKey, 0, west), action(90*sim.Minute, OpEnableKey, 0, west)}
	failed.Outages = []Outage{regionOutage(east, SvcAll, 3*sim.Hour, 10*sim.Hour)}
	pending := mk()
	pending.Outages = []Outage{regionOutage(west, SvcKMS, sim.Hour, 30*sim.Minute), regionOutage(east, SvcAll, 3*sim.Hour, 10*sim.Hour)}
	pending.Outages[1].Stream = "o2"

	rf := NewRunner(failed).Trial(5, 0, nil)
	rp := NewRunner(pending).Trial(5, 0, nil)
	if !rf.Recovered || !rp.Recovered {
		t.Fatalf("not recovered: %+v %+v", rf, rp)
	}
	// FAILED: the writes of [1h, 1h30m) (minus those that arrived before
	// 1h) never arrive: RPO about 2h, about 18000 lost.
	if rf.RPO < 2*sim.Hour || rf.RPO > 2*sim.Hour+15*sim.Minute {
		t.Errorf("FAILED: RPO=%v, want 2h plus the lag tail", sim.FormatDuration(rf.RPO))
	}
	if n := float64(rf.LostWrites[0]); math.Abs(n-18000) > 1000 {
		t.Errorf("FAILED: lost=%g, want about 18000", n)
	}
	if rf.KMSFailure(kms.Disabled, west, 2) == 0 {
		t.Errorf("FAILED: the replication role's Encrypt failures are not counted")
	}
	// PENDING: they arrived after 1h30m; only the in-flight writes at T0 are lost.
	if rp.RPO > 15*sim.Minute {
		t.Errorf("PENDING: RPO=%v, want the lag tail only", sim.FormatDuration(rp.RPO))
	}
	if rp.LostWrites[0] > 1000 {
		t.Errorf("PENDING: lost=%d, want only the in-flight writes", rp.LostWrites[0])
	}
	if rp.KMSFailure(kms.Unavailable, west, 2) == 0 || rp.KMSFailure(kms.Disabled, west, 2) != 0 {
		t.Errorf("PENDING: the replication role's Encrypt fails with KMSUnavailable, got %v", rp.KMSFailures)
	}
}

// TestDefaultLags: the built-in lag models (docs/scenario-format.md, "buckets" and "tables").
func TestDefaultLags(t *testing.T) {
	tests := []struct {
		name   string
		lag    sim.Dist
		at     sim.Time
		lo, hi float64 // bounds on P(lag > at)
	}{
		{"s3 rtc beyond 15m", DefaultS3Lag(true), 15 * sim.Minute, 0, 1e-4},
		{"s3 rtc median", DefaultS3Lag(true), 6 * sim.Second, 0.4999, 0.5001},
		{"s3 no rtc beyond 15m", DefaultS3Lag(false), 15 * sim.Minute, 0.02, 0.04},
		{"s3 no rtc p99", DefaultS3Lag(false), 30 * sim.Minute, 0.0099, 0.0101},
		{"dynamodb p99", DefaultDynamoDBLag(), 2500 * sim.Millisecond, 0.0099, 0.0101},
	}
	for _, tt := range tests {
		if p := tt.lag.Survival(float64(tt.at)); p < tt.lo || p > tt.hi {
			t.Errorf("%s: P = %g, want in [%g, %g]", tt.name, p, tt.lo, tt.hi)
		}
	}
}

// TestActiveActive: with two serving regions, losing one halves the success
// fraction; the failover drops the failed region (the target already
// serves), and the writes accepted in the failed region before T0 count.
func TestActiveActive(t *testing.T) {
	cfg := baseConfig()
	cfg.App.Serve = []int{east, west}
	cfg.Tables = []Table{{Name: "tb", Regions: []int{east, west}, Keys: []int{0, 0}, Writes: 1000, Reads: 1000,
		Lag: DefaultDynamoDBLag(), ClientKey: -1}}
	cfg.Outages = []Outage{regionOutage(east, SvcAll, sim.Hour, 5*sim.Hour)}
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{step("dns", sim.Minute)}}
	var d Detail
	res := NewRunner(cfg).Trial(2, 0, &d)
	if res.T0 != sim.Hour || res.RTO != 2*sim.Minute || res.FailoverAt != sim.Hour+2*sim.Minute {
		t.Fatalf("T0=%v RTO=%v failover=%v", res.T0, res.RTO, res.FailoverAt)
	}
	if len(res.RecoveredIn) != 1 || res.RecoveredIn[0] != west {
		t.Errorf("recovered in %v, want [us-west-2]", res.RecoveredIn)
	}
	// 500 writes/s in us-east-1, DynamoDB lag mean ≈ 0.85 s: a few hundred
	// in flight at T0.
	if res.LostWrites[0] < 200 || res.LostWrites[0] > 800 || res.RPO <= 0 || res.RPO > 30*sim.Second {
		t.Errorf("lost=%d RPO=%v, want the in-flight writes of us-east-1", res.LostWrites[0], sim.FormatDuration(res.RPO))
	}
	if d.Rates[1].Success != 0.5 {
		t.Errorf("success during the outage = %g, want 0.5", d.Rates[1].Success)
	}
}

// TestNoStores: with no offered load the service is up iff the app is up
// in a serving region.
func TestNoStores(t *testing.T) {
	cfg := baseConfig()
	cfg.Outages = []Outage{regionOutage(east, SvcApp, sim.Hour, 30*sim.Minute)}
	res := NewRunner(cfg).Trial(2, 0, nil)
	if res.T0 != sim.Hour || res.RTO != 30*sim.Minute || res.Offered != 0 || res.UpTime != cfg.Horizon-30*sim.Minute {
		t.Errorf("T0=%v RTO=%v offered=%g up=%v", res.T0, res.RTO, res.Offered, res.UpTime)
	}
}

// TestOptionalStepFailureDoesNotBlock: a refused optional step does not
// hold back the steps that follow it.
func TestOptionalStepFailureDoesNotBlock(t *testing.T) {
	cfg := snowyFixed(5 * sim.Hour)
	cfg.Regions = append(cfg.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
	// dns now follows promote-key, which is refused (no copy in eu-west-1).
	cfg.Failover.Steps[2].Op = Op{Kind: OpEnableKey, Key: 0, Region: 2}
	cfg.Failover.Steps[3].After = []int{1, 2}
	res := NewRunner(cfg).Trial(3, 0, nil)
	nA := len(cfg.Actions)
	if op := res.Ops[nA+2]; op.Done || op.Attempts != 1 || op.Err == "" {
		t.Errorf("promote-key = %+v, want refused once with its error", op)
	}
	if res.FailoverAt < 0 || !res.Ops[nA+3].Done {
		t.Errorf("failover=%v dns=%+v, want the failover despite the failed optional step", res.FailoverAt, res.Ops[nA+3])
	}
}

// TestRetryDefault: a step whose Retry is left zero retries every minute,
// and its trace says so.
func TestRetryDefault(t *testing.T) {
	cfg := snowyFixed(5 * sim.Hour)
	cfg.Failover.Steps[2].Retry = 0 // promote-key
	var d Detail
	res := NewRunner(cfg).Trial(3, 0, &d)
	promote := res.Ops[len(cfg.Actions)+2]
	firstTry := 2*sim.Hour + 14*sim.Minute + 30*sim.Second
	k := (7*sim.Hour - firstTry + sim.Minute - 1) / sim.Minute
	if !promote.Done || promote.At != firstTry+k*sim.Minute || promote.Attempts != int(k)+1 {
		t.Errorf("promote-key = %+v, want done at %v after %d attempts", promote, sim.FormatDuration(firstTry+k*sim.Minute), k+1)
	}
	if !hasEvent(&d, "step-op", "retrying every 1m") || hasEvent(&d, "step-op", "every 0s") {
		t.Errorf("trace does not say the step retries in 1m")
	}
}

// TestOptionalStepFailureAfterMove: an optional step refused after the
// failover releases the steps that follow it, as a success would.
func TestOptionalStepFailureAfterMove(t *testing.T) {
	cfg := snowyFixed(5 * sim.Hour)
	cfg.Regions = append(cfg.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
	fo := cfg.Failover
	// promote-key is refused (no copy in eu-west-1) at 2h44m, after the
	// move at 2h20m30s; notify follows it.
	fo.Steps[2].Op = Op{Kind: OpEnableKey, Key: 0, Region: 2}
	fo.Steps[2].Duration = sim.ConstDist(30 * sim.Minute)
	notify := step("notify", sim.Minute, 2)
	notify.Required = false
	fo.Steps = append(fo.Steps, notify)
	res := NewRunner(cfg).Trial(3, 0, nil)
	nA := len(cfg.Actions)
	promote := res.Ops[nA+2]
	if res.FailoverAt != 2*sim.Hour+20*sim.Minute+30*sim.Second || promote.Done || promote.At <= res.FailoverAt {
		t.Fatalf("failover=%v promote-key=%+v, want promote-key refused after the move", res.FailoverAt, promote)
	}
	if op := res.Ops[nA+4]; !op.Started || !op.Done || op.At != promote.At+sim.Minute {
		t.Errorf("notify = %+v, want started when promote-key failed and done a minute later", op)
	}
}
