package model

import (
	"math"
	"testing"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// grayConfig: the app serves from us-east-1; a bucket without bucket keys
// (one KMS call per request) with 20 writes and 50 reads per second, and a
// table without client-side encryption with 100 writes and 400 reads.
func grayConfig(outages ...Outage) *Config {
	cfg := baseConfig()
	cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, Writes: 20, Reads: 50,
		Replication: []Replication{{To: west, Key: 0, Role: "s3-replication", Lag: DefaultS3Lag(true)}}}}
	cfg.Tables = []Table{{Name: "t", Regions: []int{east, west}, Keys: []int{0, 0}, Writes: 100, Reads: 400,
		Lag: DefaultDynamoDBLag(), ClientKey: -1}}
	cfg.Outages = outages
	return cfg
}

func grayOutage(svc Services, e float64, start, dur sim.Time) Outage {
	o := regionOutage(east, svc, start, dur)
	o.ErrorRate = e
	return o
}

// TestGrayFailureCounts: a gray failure at error rate e fails exactly e ×
// the calls and requests that reach the service during its window; rates
// combine as 1 − Π(1 − e_i), in the order app, store, KMS, throttling.
func TestGrayFailureCounts(t *testing.T) {
	const win = 2 * 3600.0 // seconds of the gray window
	bucketReq, tableReq := 70.0, 500.0
	tests := []struct {
		name         string
		outages      []Outage
		kmsRPS       float64
		unavailable  float64 // requests failed other than by KMS
		kmsUnavail   float64 // KMSUnavailable calls (bucket)
		throttled    float64
		incident     bool
		wantWrittenS float64 // accepted bucket writes per second in the window
	}{
		{name: "kms 30%", outages: []Outage{grayOutage(SvcKMS, 0.3, sim.Hour, 2*sim.Hour)},
			// KMS gray fails 30% of the bucket's calls (KMSUnavailable) and,
			// at rest, 30% of the table's requests (unavailable).
			unavailable: 0.3 * tableReq * win, kmsUnavail: 0.3 * bucketReq * win, incident: true, wantWrittenS: 20 * 0.7},
		{name: "app 30%", outages: []Outage{grayOutage(SvcApp, 0.3, sim.Hour, 2*sim.Hour)},
			unavailable: 0.3 * (bucketReq + tableReq) * win, incident: true, wantWrittenS: 20 * 0.7},
		{name: "s3 20% and app 30%", outages: []Outage{grayOutage(SvcS3, 0.2, sim.Hour, 2*sim.Hour), grayOutage(SvcApp, 0.3, sim.Hour, 2*sim.Hour)},
			unavailable: (1-0.7*0.8)*bucketReq*win + 0.3*tableReq*win, incident: true, wantWrittenS: 20 * 0.7 * 0.8},
		{name: "two app outages 30% and 50% combine to 65%", outages: []Outage{grayOutage(SvcApp, 0.3, sim.Hour, 2*sim.Hour), grayOutage(SvcApp, 0.5, sim.Hour, 2*sim.Hour)},
			unavailable: 0.65 * (bucketReq + tableReq) * win, incident: true, wantWrittenS: 20 * 0.35},
		// Throttling takes the excess fraction θ of the calls that would
		// otherwise succeed: demand 70 calls/s (gray-failed calls reach KMS),
		// quota 35: θ = 0.5 of the 70% that pass the gray failure.
		{name: "kms 30% and throttling", outages: []Outage{grayOutage(SvcKMS, 0.3, sim.Hour, 2*sim.Hour)}, kmsRPS: 35,
			unavailable: 0.3 * tableReq * win, kmsUnavail: 0.3 * bucketReq * win, throttled: 0.7 * 0.5 * bucketReq * win, incident: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := grayConfig(tt.outages...)
			cfg.Buckets[0].Replication = nil // replication's calls: TestGrayReplication
			if tt.kmsRPS > 0 {
				// over quota for the whole horizon: demand 70 calls/s
				cfg.Regions[east].KMSRPS = tt.kmsRPS
			}
			cfg.Horizon = 4 * sim.Hour
			res := NewRunner(cfg).Trial(1, 0, nil)
			if res.Incident != tt.incident {
				t.Errorf("incident = %v, want %v", res.Incident, tt.incident)
			}
			if !near(res.Unavailable, tt.unavailable, 1e-9) {
				t.Errorf("unavailable = %.6g, want %.6g", res.Unavailable, tt.unavailable)
			}
			if got := res.KMSFailure(kms.Unavailable, east, 2); !near(got, tt.kmsUnavail, 1e-9) {
				t.Errorf("KMSUnavailable = %.6g, want %.6g", got, tt.kmsUnavail)
			}
			wantThr := tt.throttled
			if tt.kmsRPS > 0 {
				// outside the window: θ = 0.5 of all 70 calls/s for 2 h
				wantThr += 0.5 * bucketReq * win
			}
			if got := res.KMSFailure(kms.Throttling, east, 2); !near(got, wantThr, 1e-9) {
				t.Errorf("ThrottlingException = %.6g, want %.6g", got, wantThr)
			}
			if tt.wantWrittenS > 0 {
				r := NewRunner(cfg)
				r.Trial(1, 0, nil)
				pts := r.stores[0].w[east]
				found := false
				for _, p := range pts {
					if p.t == sim.Hour {
						found = near(p.w, tt.wantWrittenS, 1e-12)
					}
				}
				if !found {
					t.Errorf("accepted writes at 1h: %v, want %g/s", pts, tt.wantWrittenS)
				}
			}
		})
	}
}

// TestGrayFailureJudgedBySuccess: the service is judged as before: a 30%
// error rate is an incident with success = 0.99, and not with 0.6.
func TestGrayFailureJudgedBySuccess(t *testing.T) {
	for _, c := range []struct {
		success  float64
		incident bool
	}{{0.99, true}, {0.6, false}} {
		cfg := grayConfig(grayOutage(SvcApp, 0.3, sim.Hour, 2*sim.Hour))
		cfg.Objectives.Success = c.success
		res := NewRunner(cfg).Trial(1, 0, nil)
		if res.Incident != c.incident {
			t.Errorf("success %g: incident = %v, want %v", c.success, res.Incident, c.incident)
		}
		if c.incident && (res.T0 != sim.Hour || res.RTO != 2*sim.Hour) {
			t.Errorf("T0 %v RTO %v, want 1h, 2h", res.T0, res.RTO)
		}
		want := cfg.Horizon
		if c.incident {
			want -= 2 * sim.Hour
		}
		if res.UpTime != want {
			t.Errorf("success %g: up time %v, want %v", c.success, res.UpTime, want)
		}
	}
}

// TestGrayReplication: a gray failure of S3 or DynamoDB at either end of a
// link leaves that fraction of the writes arriving PENDING; KMS's at the
// destination key too; an outage of the app alone does not touch
// replication.
func TestGrayReplication(t *testing.T) {
	at := func(pts []linkPt, t sim.Time) linkPt {
		var p linkPt
		for _, q := range pts {
			if q.t <= t {
				p = q
			}
		}
		return p
	}
	tests := []struct {
		name   string
		o      Outage
		bucket float64 // pending fraction on the bucket's link
		table  float64 // pending fraction on the table's east→west link
	}{
		{"s3 25%", grayOutage(SvcS3, 0.25, sim.Hour, sim.Hour), 0.25, 0},
		{"dynamodb 40%", grayOutage(SvcDynamoDB, 0.4, sim.Hour, sim.Hour), 0, 0.4},
		{"kms 30% at the source", grayOutage(SvcKMS, 0.3, sim.Hour, sim.Hour), 0.3, 0},
		{"app 50%", grayOutage(SvcApp, 0.5, sim.Hour, sim.Hour), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := grayConfig(tt.o)
			r := NewRunner(cfg)
			r.Trial(1, 0, nil)
			b := at(r.stores[0].links[0].pts, sim.Hour)
			tb := at(r.stores[1].links[r.stores[1].linkAt[east*2+west]].pts, sim.Hour)
			if !near(b.f, tt.bucket, 1e-12) || b.r != 0 || !near(tb.f, tt.table, 1e-12) || tb.r != 0 {
				t.Errorf("pending: bucket %+v, table %+v; want %g, %g", b, tb, tt.bucket, tt.table)
			}
			if after := at(r.stores[0].links[0].pts, 2*sim.Hour); after.f != 0 {
				t.Errorf("after the window: %+v", after)
			}
		})
	}
	// The replication role's Decrypt at the source fails like any call: 30%
	// of the accepted writes (70% of 20/s) for the hour, with the app's.
	res := NewRunner(grayConfig(grayOutage(SvcKMS, 0.3, sim.Hour, sim.Hour))).Trial(1, 0, nil)
	if got, want := res.KMSFailure(kms.Unavailable, east, 2), 0.3*(70+0.7*20)*3600; !near(got, want, 1e-9) {
		t.Errorf("KMSUnavailable with replication = %g, want %g", got, want)
	}
	// The table's destination in a gray failure of KMS: at-rest use of its key.
	o := grayOutage(SvcKMS, 0.3, sim.Hour, sim.Hour)
	o.Region = west
	r := NewRunner(grayConfig(o))
	r.Trial(1, 0, nil)
	if tb := at(r.stores[1].links[r.stores[1].linkAt[east*2+west]].pts, sim.Hour); !near(tb.f, 0.3, 1e-12) {
		t.Errorf("table link into a gray KMS: %+v, want f = 0.3", tb)
	}
}

// TestGrayControlPlaneAttempts: a control-plane attempt in a region with a
// gray failure of KMS fails with probability e (one uniform per attempt from
// the step's stream); a needs check on a service in a gray failure too.
// Over 4000 trials the first attempt fails in a fraction e of them.
func TestGrayControlPlaneAttempts(t *testing.T) {
	const n = 4000
	for _, c := range []struct {
		name  string
		svc   Services
		needs []Need
		op    Op
		code  string
	}{
		{"kms op", SvcKMS, nil, Op{Kind: OpDisableKey, Key: 0, Region: east, To: -1}, "KMSUnavailable"},
		{"needs sts", SvcSTS, []Need{{Service: SvcSTS, Region: east}}, noOp(), "STSUnavailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			const e = 0.3
			cfg := baseConfig()
			cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, BucketKey: true, Writes: 1, Reads: 1}}
			cfg.Outages = []Outage{regionOutage(east, SvcApp, sim.Hour, 10*sim.Hour), grayOutage(c.svc, e, 0, 20*sim.Hour)}
			cfg.Outages[1].Stream = "gray"
			st := step("op", sim.Minute)
			st.Op, st.Needs = c.op, c.needs
			cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
			r := NewRunner(cfg)
			failed := 0
			for i := 0; i < n; i++ {
				res := r.Trial(7, i, nil)
				op := res.Ops[0]
				if !op.Done || op.Attempts < 1 {
					t.Fatalf("trial %d: %+v", i, op)
				}
				if op.Attempts > 1 {
					failed++
					if op.Errors[0].Err != c.code || op.Errors[0].N != op.Attempts-1 {
						t.Fatalf("trial %d: errors %+v", i, op.Errors)
					}
				}
			}
			p := float64(failed) / n
			sd := math.Sqrt(e * (1 - e) / n)
			t.Logf("%s: first attempt failed in %.4f of trials (e = %g ± %.4f)", c.name, p, e, sd)
			if math.Abs(p-e) > 4*sd {
				t.Errorf("first attempt failed in %.4f of trials, want %g ± %.4f", p, e, 4*sd)
			}
		})
	}
}

// TestPhases: an outage in phases draws its probability and start once;
// each phase draws its offset and duration from "outage/NAME/phase-i" and
// takes its services down over [start+offset, start+offset+duration). Its
// draws are made whether or not the outage happens, so they do not move
// another outage's draws; the trace lists the event with its phases.
func TestPhases(t *testing.T) {
	mk := func(p float64) *Config {
		cfg := grayConfig()
		cfg.Objectives.Success = 0.99
		cfg.Outages = []Outage{{Name: "dns event", Stream: "dns event", Kind: RegionOutage, Region: east,
			Start: sim.UniformDist(2*sim.Hour, 4*sim.Hour), Probability: p, Phases: []Phase{
				{Services: SvcDynamoDB, Offset: sim.ConstDist(0), Duration: sim.ConstDist(2*sim.Hour + 52*sim.Minute), ErrorRate: 1},
				{Services: SvcApp, Offset: sim.ConstDist(2*sim.Hour + 37*sim.Minute), Duration: sim.UniformDist(6*sim.Hour, 10*sim.Hour), ErrorRate: 0.5},
			}}, regionOutage(west, SvcKMS, 30*sim.Hour, sim.Hour)}
		cfg.Outages[1].Stream = "other"
		cfg.Outages[1].Start = sim.UniformDist(20*sim.Hour, 22*sim.Hour)
		cfg.Horizon = 2 * sim.Day
		return cfg
	}
	for i := 0; i < 20; i++ {
		var d Detail
		res := NewRunner(mk(1)).Trial(3, i, &d)
		ts := sim.TrialSeed(3, i)
		st := sim.NewStream(ts, "outage/dns event", "outage")
		st.Uniform()
		start := st.Draw(sim.UniformDist(2*sim.Hour, 4*sim.Hour))
		p2 := sim.NewStream(ts, "outage/dns event/phase-2", "outage")
		off2 := p2.Draw(sim.ConstDist(0))
		dur2 := p2.Draw(sim.UniformDist(6*sim.Hour, 10*sim.Hour))
		if !res.Incident || res.T0 != start {
			t.Fatalf("trial %d: T0 %v, want the event's start %v", i, res.T0, start)
		}
		// Down from the start (DynamoDB) through phase 2 (app at 50%):
		// up again when phase 2 ends.
		if want := off2 + dur2 - 0; !res.Recovered || res.RTO != 2*sim.Hour+37*sim.Minute+want-off2 {
			t.Fatalf("trial %d: RTO %v, want %v", i, res.RTO, 2*sim.Hour+37*sim.Minute+dur2)
		}
		var starts []string
		for _, e := range d.Events {
			if e.Kind == "outage-start" {
				starts = append(starts, e.Subject+": "+e.Message)
			}
		}
		if len(starts) != 3 || starts[0] != "dns event: phases[0] (of 2): outage of dynamodb in us-east-1 starts" ||
			starts[1] != "dns event: phases[1] (of 2): outage of app in us-east-1 at an error rate of 50% starts" {
			t.Fatalf("trial %d: outage starts %q", i, starts)
		}
		// The other outage's draws do not depend on whether this one happens.
		other := func(p float64) sim.Time {
			var d Detail
			NewRunner(mk(p)).Trial(3, i, &d)
			for _, e := range d.Events {
				if e.Kind == "outage-start" && e.Subject == "other" {
					return e.T
				}
			}
			return -1
		}
		if a, b := other(1), other(0); a != b || a < 0 {
			t.Fatalf("trial %d: the other outage starts at %v with the event, %v without", i, a, b)
		}
	}
}

// TestGrayPhasesNoPerRequestEvents: gray failures and phases add no
// per-request events: a trial evaluates the same instants and traces the
// same events at 10 and at 100,000 writes per second.
func TestGrayPhasesNoPerRequestEvents(t *testing.T) {
	for i := 0; i < 20; i++ {
		var counts [2][2]int
		for j, rate := range []float64{10, 100000} {
			cfg := snowy11Config()
			cfg.Buckets[0].Writes, cfg.Tables[0].Writes = rate, rate
			cfg.Regions[east].KMSRPS, cfg.Regions[west].KMSRPS = 1e12, 1e12
			var d Detail
			NewRunner(cfg).Trial(9, i, &d)
			counts[j] = [2]int{len(d.Rates), len(d.Events)}
		}
		if counts[0] != counts[1] {
			t.Fatalf("trial %d: (rate points, events) %v at 10/s, %v at 100,000/s", i, counts[0], counts[1])
		}
	}
}
