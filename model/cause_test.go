package model

import (
	"math"
	"slices"
	"testing"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// TestCausePacking checks that every field of a Cause reads back, that a
// field that does not apply or does not fit reads -1, and that causes sort
// by kind first.
func TestCausePacking(t *testing.T) {
	c := ReplicationCallCause(kms.AccessDenied, 7, 300, 2, 3, 4, 5)
	if c.Kind() != CauseReplicationCall || c.Reason() != kms.AccessDenied || c.Key() != 7 || c.Store() != 300 ||
		c.Region() != 2 || c.Target() != 3 || c.Dest() != 4 || c.Principal() != 5 || c.Op() != -1 {
		t.Errorf("replication cause reads back %v %v %d %d %d %d %d %d %d", c.Kind(), c.Reason(), c.Key(), c.Store(),
			c.Region(), c.Target(), c.Dest(), c.Principal(), c.Op())
	}
	k := KMSCallCause(kms.Unavailable, 1, 0, 1, 0, 0)
	if k.Dest() != -1 || k.Kind() != CauseKMSCall || k.WithoutStore().Store() != -1 || k.WithoutStore().Key() != 1 {
		t.Errorf("kms cause %x: dest %d, without store %x", uint64(k), k.Dest(), uint64(k.WithoutStore()))
	}
	s := StepCause(12)
	if s.Op() != 12 || s.Key() != -1 || s.Store() != -1 || s.Region() != -1 || s.Reason() != kms.OK {
		t.Errorf("step cause: op %d key %d", s.Op(), s.Key())
	}
	if d := SlowFailoverCause(-1); d.Op() != -1 || d.Kind() != CauseSlowFailover {
		t.Errorf("detection: op %d kind %v", d.Op(), d.Kind())
	}
	// out of range: unnamed, still recorded
	big := KMSCallCause(kms.NotFound, 5000, 4095, 255, 300, -3)
	if big.Key() != -1 || big.Store() != -1 || big.Region() != -1 || big.Target() != -1 || big.Principal() != -1 || big.Kind() != CauseKMSCall {
		t.Errorf("out of range: %x", uint64(big))
	}
	if !(KMSCallCause(kms.Throttling, 9, 9, 9, 9, 9) < ReplicationCallCause(kms.NotFound, 0, 0, 0, 0, 0, 0) &&
		ReplicationCallCause(kms.NotFound, 0, 0, 0, 0, 0, 0) < StaleCause(0, 0)) {
		t.Error("causes do not sort by kind first")
	}
	for k := CauseNone; k < numCauseKinds; k++ {
		if k.String() == "cause(?)" {
			t.Errorf("kind %d has no name", k)
		}
	}
}

// checkAttribution asserts that the failed calls by class add up to
// KMSFailures by reason and target region and are sorted, non-zero
// entries, and that the causes are sorted without duplicates.
func checkAttribution(t *testing.T, cfg *Config, res *TrialResult) {
	t.Helper()
	nR := len(cfg.Regions)
	sum := make([]float64, len(res.KMSFailures))
	for i, c := range res.KMSFailuresBy {
		if c.N == 0 || (i > 0 && res.KMSFailuresBy[i-1].Cause >= c.Cause) {
			t.Errorf("KMSFailuresBy[%d] = %+v: zero or out of order", i, c)
		}
		if k := c.Cause.Kind(); k != CauseKMSCall && k != CauseReplicationCall {
			t.Errorf("KMSFailuresBy[%d] is a %v", i, k)
		}
		sum[int(c.Cause.Reason())*nR+c.Cause.Target()] += c.N
	}
	for i, v := range res.KMSFailures {
		if !near(sum[i], v, 1e-9) {
			t.Errorf("reason %v region %d: by class %g, KMSFailures %g", kms.Reason(i/nR), i%nR, sum[i], v)
		}
	}
	if !slices.IsSorted(res.Causes) || len(slices.Compact(slices.Clone(res.Causes))) != len(res.Causes) {
		t.Errorf("causes not sorted or duplicated: %v", res.Causes)
	}
}

// TestCauses runs one trial of small setups and checks the causes the
// trial records, and that the outage itself is never one.
func TestCauses(t *testing.T) {
	nA := 0
	tests := []struct {
		name string
		cfg  func() *Config
		want []Cause
	}{
		{"outage only", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			return c
		}, nil},
		{"single-Region client key reached from us-west-2 (K12)", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Keys = append(c.Keys, Key{Name: "tokens", Primary: east, Users: []string{"alerts-app"}})
			c.Tables[0].ClientKey = 1
			return c
		}, []Cause{KMSCallCause(kms.Unavailable, 1, 1, west, east, 0)}},
		{"quota below the demand after the failover (K13)", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Regions[west].KMSRPS = 300
			return c
		}, []Cause{ThrottledCause(west)}},
		{"no copy of the table in us-west-2", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Tables[0].Regions, c.Tables[0].Keys = []int{east}, []int{0}
			return c
		}, []Cause{StoreUnavailableCause(1, west, kms.OK, -1, -1)}},
		{"replication role refused at the destination (S1)", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Keys[0].UsersIn = []RegionUsers{{Region: west, Users: []string{"alerts-app"}}}
			return c
		}, []Cause{ReplicationCallCause(kms.AccessDenied, 0, 0, west, west, west, 1)}},
		{"required step refused", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Regions = append(c.Regions, Region{Name: "eu-west-1", KMSRPS: 100000})
			c.Failover.Steps[1].Op = Op{Kind: OpEnableKey, Key: 0, Region: 2}
			return c
		}, []Cause{StepCause(nA + 1)}},
		{"required promotion held back (K8)", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Failover.Steps[2].Required = true
			return c
		}, []Cause{StepCause(nA + 2)}},
		{"slow failover: approve is the longest part", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Objectives.RTO = 15 * sim.Minute
			return c
		}, []Cause{SlowFailoverCause(nA + 0)}},
		{"slow failover: the detection is the longest part", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.HasRPO = false
			c.Objectives.RTO = 15 * sim.Minute
			c.Failover.Detect = sim.ConstDist(time(20 * sim.Minute))
			return c
		}, []Cause{SlowFailoverCause(-1)}},
		{"stale bucket", func() *Config {
			c := snowyFixed(5 * sim.Hour)
			c.Objectives.RPO = 0
			c.Buckets[0].Replication[0].Lag = sim.ConstDist(time(10 * sim.Minute))
			return c
		}, []Cause{StaleCause(0, west)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg()
			if err := cfg.Check(); err != nil {
				t.Fatal(err)
			}
			res := NewRunner(cfg).Trial(3, 0, nil)
			checkAttribution(t, cfg, &res)
			got := res.Causes
			if tt.name == "stale bucket" {
				// the table may be stale too; the bucket must be
				if !slices.Contains(got, tt.want[0]) {
					t.Errorf("causes %v lack %v", got, tt.want[0])
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("causes %s, want %s", causeList(got), causeList(tt.want))
			}
		})
	}
}

func causeList(cs []Cause) string {
	s := "["
	for i, c := range cs {
		if i > 0 {
			s += " "
		}
		s += c.Kind().String() + "/" + c.Reason().String()
	}
	return s + "]"
}

// TestCausesOfGrayAndSTS checks the causes of a gray failure of KMS in
// another region (a single-Region key's) and of an STS endpoint in another
// region (sts = "global" from an opt-in region, G3).
func TestCausesOfGrayAndSTS(t *testing.T) {
	// Gray: KMS in us-east-1 fails half its calls; the app serves from
	// us-west-2 with a single-Region key of us-east-1.
	cfg := baseConfig()
	cfg.Keys = append(cfg.Keys, Key{Name: "legacy", Primary: east, Users: []string{"app"}})
	cfg.App.Serve = []int{west}
	cfg.Tables = []Table{{Name: "t", Regions: []int{west}, Keys: []int{0}, Writes: 10, Reads: 10, ClientKey: 1, Lag: DefaultDynamoDBLag()}}
	o := regionOutage(east, SvcKMS, sim.Hour, sim.Hour)
	o.ErrorRate = 0.5
	cfg.Outages = []Outage{o}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	res := NewRunner(cfg).Trial(1, 0, nil)
	checkAttribution(t, cfg, &res)
	want := KMSCallCause(kms.Unavailable, 1, 0, west, east, 0)
	if !res.Incident || !slices.Equal(res.Causes, []Cause{want}) {
		t.Errorf("gray: incident %v, causes %s", res.Incident, causeList(res.Causes))
	}
	if len(res.KMSFailuresBy) != 1 || res.KMSFailuresBy[0].Cause != want || !near(res.KMSFailuresBy[0].N, 20*3600*0.5, 1e-9) {
		t.Errorf("gray: failed calls by class %+v, want 36000 of %x", res.KMSFailuresBy, uint64(want))
	}

	// STS: the app in il-central-1 uses the global endpoint, in us-east-1,
	// whose STS is down from 1h to 6h; credentials last at most 1h.
	c := baseConfig()
	c.Regions = []Region{{Name: "il-central-1", KMSRPS: 1e4}, {Name: "us-east-1", KMSRPS: 1e5}}
	c.Keys = []Key{{Name: "k", Primary: 0, Users: []string{"app"}}}
	c.Tables = []Table{{Name: "t", Regions: []int{0}, Keys: []int{0}, Writes: 20, ClientKey: -1, Lag: DefaultDynamoDBLag()}}
	c.App = App{Principal: "app", Serve: []int{0}, STS: STSGlobal, CredentialsTTL: sim.Hour}
	c.Outages = []Outage{regionOutage(1, SvcSTS, sim.Hour, 5*sim.Hour)}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	res = NewRunner(c).Trial(4, 0, nil)
	if !res.Incident || !slices.Equal(res.Causes, []Cause{STSCause(0, 1)}) {
		t.Errorf("sts: incident %v, causes %s", res.Incident, causeList(res.Causes))
	}
	// Regional: the same outage of us-east-1's STS does not touch the app.
	c.App.STS = STSRegional
	if res := NewRunner(c).Trial(4, 0, nil); res.Incident || res.Causes != nil {
		t.Errorf("regional sts: incident %v, causes %s", res.Incident, causeList(res.Causes))
	}
}

// TestAttributionDoesNotChangeResults checks that the attribution leaves
// every other metric as it was: a Runner's results are the same whether or
// not the trial asks for detail, and equal to the sums of the classes.
func TestAttributionDoesNotChangeResults(t *testing.T) {
	cfg := snowyConfig()
	cfg.Keys = append(cfg.Keys, Key{Name: "tokens", Primary: east, Users: []string{"alerts-app"}})
	cfg.Tables[0].ClientKey = 1
	r := NewRunner(cfg)
	for i := 0; i < 20; i++ {
		a := r.Trial(7, i, nil)
		var d Detail
		b := r.Trial(7, i, &d)
		if !slices.Equal(a.Causes, b.Causes) || !slices.Equal(a.KMSFailuresBy, b.KMSFailuresBy) || a.RTO != b.RTO {
			t.Fatalf("trial %d: attribution depends on the detail", i)
		}
		checkAttribution(t, cfg, &a)
		var total float64
		for _, c := range a.KMSFailuresBy {
			total += c.N
		}
		if math.IsNaN(total) {
			t.Fatal("NaN")
		}
	}
}

// TestPrincipals checks the order of Config.Principals.
func TestPrincipals(t *testing.T) {
	cfg := snowyConfig()
	cfg.Buckets[0].Replication = append(cfg.Buckets[0].Replication, Replication{To: west, Key: 0, Role: "other"}, Replication{To: west, Key: 0, Role: "alerts-app"})
	cfg.Actions = []Action{{Op: Op{Kind: OpPutBucketReplication, Key: 0, Region: -1, To: west}}}
	if got := cfg.Principals(); !slices.Equal(got, []string{"alerts-app", "s3-replication", "other"}) {
		t.Errorf("principals %v", got)
	}
	cfg.Buckets[0].Replication = nil
	if got := cfg.Principals(); !slices.Equal(got, []string{"alerts-app", DefaultRole}) {
		t.Errorf("principals %v", got)
	}
}
