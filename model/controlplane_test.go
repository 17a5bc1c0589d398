package model

import (
	"testing"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// cpConfig: the app serves from us-east-1 (a bucket replicated to
// us-west-2); the runbook's one step "switch" (2 minutes, retry 1m) moves
// traffic to us-west-2 once its needs are available.
func cpConfig(needs []Need, outages ...Outage) *Config {
	cfg := baseConfig()
	cfg.Buckets = []Bucket{{Name: "b", Region: east, Key: 0, BucketKey: true, Writes: 10, Reads: 10,
		Replication: []Replication{{To: west, Key: 0, Role: "s3-replication", RTC: true, Lag: DefaultS3Lag(true)}}}}
	st := step("switch", 2*sim.Minute)
	st.Needs = needs
	cfg.Failover = &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
	cfg.Outages = outages
	for i := range cfg.Outages {
		cfg.Outages[i].Stream = "o" + string(rune('1'+i))
	}
	return cfg
}

// phased returns an outage of us-east-1 at start in the given phases.
func phased(start sim.Time, phases ...Phase) Outage {
	return Outage{Kind: RegionOutage, Region: east, Start: sim.ConstDist(start), Probability: 1, Phases: phases}
}

func phase(svc Services, off, dur sim.Time) Phase {
	return Phase{Services: svc, Offset: sim.ConstDist(off), Duration: sim.ConstDist(dur), ErrorRate: 1}
}

// TestG1_Route53ControlPlane: the Route 53 control plane is in us-east-1;
// a runbook step that edits records needs it and waits, re-checking every
// retry (Route53ControlPlaneUnavailable), for the length of its outage
// (Dec 2021: 7 h while DNS kept answering). A step that relies on health
// checks (the global data plane) needs nothing. An outage of the control
// plane alone does not take the service down.
func TestG1_Route53ControlPlane(t *testing.T) {
	event := phased(sim.Hour, phase(SvcAll&^SvcRoute53Control, 0, 10*sim.Hour), phase(SvcRoute53Control, 0, 7*sim.Hour))
	edit := cpConfig([]Need{{Service: SvcRoute53Control, Region: east}}, event)
	res := NewRunner(edit).Trial(1, 0, nil)
	// detect 1m, step 2m: first check at 1h03m, then every minute until the
	// control plane is back at 8h: done at 8h, 7h after T0.
	if !res.Recovered || res.RTO != 7*sim.Hour || res.FailoverAt != 8*sim.Hour {
		t.Fatalf("record edit: RTO %v failover at %v, want 7h, 8h", res.RTO, res.FailoverAt)
	}
	op := res.Ops[0]
	if op.Attempts != 7*60-3+1 || len(op.Errors) != 1 || op.Errors[0].Err != "Route53ControlPlaneUnavailable" || op.Errors[0].N != op.Attempts-1 {
		t.Errorf("attempts %d, errors %+v", op.Attempts, op.Errors)
	}
	health := cpConfig(nil, event)
	if res := NewRunner(health).Trial(1, 0, nil); res.RTO != 3*sim.Minute {
		t.Errorf("health-check failover: RTO %v, want 3m", res.RTO)
	}
	// The data plane keeps answering: the control plane alone is no incident.
	alone := cpConfig([]Need{{Service: SvcRoute53Control, Region: east}}, phased(sim.Hour, phase(SvcRoute53Control, 0, 7*sim.Hour)))
	if res := NewRunner(alone).Trial(1, 0, nil); res.Incident {
		t.Errorf("route53-control outage alone: incident at %v", res.T0)
	}
}

// TestG2_IAMControlPlane: the IAM control plane is in us-east-1; a step
// that needs it waits for its outage to end (IAMControlPlaneUnavailable).
func TestG2_IAMControlPlane(t *testing.T) {
	cfg := cpConfig([]Need{{Service: SvcIAMControl, Region: east}},
		phased(sim.Hour, phase(SvcApp, 0, 10*sim.Hour), phase(SvcIAMControl, 0, 3*sim.Hour)))
	res := NewRunner(cfg).Trial(1, 0, nil)
	if res.FailoverAt != 4*sim.Hour || res.Ops[0].Errors[0].Err != "IAMControlPlaneUnavailable" {
		t.Errorf("failover at %v, errors %+v; want 4h, IAMControlPlaneUnavailable", res.FailoverAt, res.Ops[0].Errors)
	}
}

// TestG3_STS: the app's credentials come from its region's STS endpoint,
// or with sts = "global" from us-east-1 when it serves from an opt-in
// region. When that endpoint fails, cached credentials last a further
// uniform(0, credentials_ttl] (one uniform of "app/sts" per failure), then
// the app's requests there fail as unavailable until STS is back.
func TestG3_STS(t *testing.T) {
	if STSEndpointRegion(STSGlobal, "il-central-1") != "us-east-1" || STSEndpointRegion(STSGlobal, "us-west-2") != "us-west-2" ||
		STSEndpointRegion(STSRegional, "il-central-1") != "il-central-1" {
		t.Error("STSEndpointRegion")
	}
	// Regional: STS of us-east-1 down 1h..5h.
	cfg := cpConfig(nil, phased(sim.Hour, phase(SvcSTS, 0, 4*sim.Hour)))
	cfg.Failover = nil
	cfg.App.CredentialsTTL = 30 * sim.Minute
	for i := 0; i < 5; i++ {
		res := NewRunner(cfg).Trial(2, i, nil)
		// The first failure of us-east-1's endpoint: counter 1 of ("app/sts", "us-east-1").
		u := sim.NewSubstreams(sim.TrialSeed(2, i), "app/sts", "us-east-1").Uniform(1)
		want := sim.Hour + sim.Time(u*float64(30*sim.Minute))
		if !res.Incident || res.T0 != want || res.T0+res.RTO != 5*sim.Hour {
			t.Errorf("trial %d: T0 %v (want %v), back at %v (want 5h)", i, res.T0, want, res.T0+res.RTO)
		}
	}
	// The whole region down 1h..3h, STS alone until 6h: when the app comes
	// back at 3h its credentials (from 1h, at most 30m) are gone, so the
	// service stays down until STS is back.
	cfg.Outages = []Outage{regionOutage(east, SvcAll, sim.Hour, 2*sim.Hour), regionOutage(east, SvcSTS, sim.Hour, 5*sim.Hour)}
	cfg.Outages[1].Stream = "sts"
	if res := NewRunner(cfg).Trial(2, 0, nil); res.T0 != sim.Hour || res.T0+res.RTO != 6*sim.Hour {
		t.Errorf("app back before STS: T0 %v, back at %v; want 1h, 6h", res.T0, res.T0+res.RTO)
	}
	// Global, from the opt-in il-central-1 (and me-central-1): us-east-1's
	// STS failure reaches both, at the same instant (one draw per failure).
	global := func(sts STSEndpoint, serve ...int) TrialResult {
		c := baseConfig()
		c.Regions = []Region{{Name: "il-central-1", KMSRPS: 1e4}, {Name: "me-central-1", KMSRPS: 1e4}, {Name: "us-east-1", KMSRPS: 1e5}, {Name: "us-west-2", KMSRPS: 1e5}}
		c.Keys = []Key{{Name: "k", Primary: 0, Users: []string{"app"}}, {Name: "m", Primary: 1, Users: []string{"app"}}}
		c.Tables = []Table{{Name: "t", Regions: []int{0, 1}, Keys: []int{0, 1}, Writes: 20, ClientKey: -1, Lag: DefaultDynamoDBLag()}}
		c.App = App{Principal: "app", Serve: serve, STS: sts, CredentialsTTL: sim.Hour}
		o := Outage{Stream: "sts", Kind: RegionOutage, Region: 2, Services: SvcSTS, Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(5 * sim.Hour), Probability: 1}
		c.Outages = []Outage{o}
		if err := c.Check(); err != nil {
			t.Fatal(err)
		}
		var d Detail
		res := NewRunner(c).Trial(4, 0, &d)
		return res
	}
	if res := global(STSGlobal, 0, 1); !res.Incident || res.T0 <= sim.Hour || res.T0 > 2*sim.Hour || res.Succeeded == 0 {
		t.Errorf("global from opt-in regions: T0 %v, want in (1h, 2h]", res.T0)
	} else {
		// both regions failed together: nothing succeeds from T0 to 6h.
		total := 20 * float64(24*sim.Hour) / 1e9
		want := total - 20*float64(6*sim.Hour-res.T0)/1e9
		if !near(res.Succeeded, want, 1e-9) {
			t.Errorf("succeeded %g, want %g (both regions down from T0 to 6h)", res.Succeeded, want)
		}
	}
	if res := global(STSRegional, 0, 1); res.Incident {
		t.Errorf("regional endpoints in opt-in regions: incident at %v", res.T0)
	}
}

// TestG4_ARCRoutingControl: "arc-routing-control" is available while at
// least 3 of the cluster's 5 regions are up; a region counts as down only
// under an outage of all its services at an error rate of 1; the default
// regions need no declaration (undeclared ones are never down).
func TestG4_ARCRoutingControl(t *testing.T) {
	regs := []Region{{Name: "eu-west-1", KMSRPS: 1e5}, {Name: "us-east-1", KMSRPS: 1e5}, {Name: "us-west-2", KMSRPS: 1e5}}
	const euw1, use1, usw2 = 0, 1, 2
	run := func(extra ...Outage) TrialResult {
		cfg := baseConfig()
		cfg.Regions = regs
		cfg.Keys[0].Primary, cfg.Keys[0].Replicas = use1, []int{usw2}
		cfg.App.Serve = []int{use1}
		cfg.Buckets = []Bucket{{Name: "b", Region: use1, Key: 0, BucketKey: true, Writes: 10, Reads: 10,
			Replication: []Replication{{To: usw2, Key: 0, Role: "s3-replication", RTC: true, Lag: DefaultS3Lag(true)}}}}
		st := step("flip", 2*sim.Minute)
		st.Needs = []Need{{ARC: true, Region: -1}}
		cfg.Failover = &Failover{From: use1, To: usw2, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
		cfg.Outages = append([]Outage{{Stream: "east", Kind: RegionOutage, Region: use1, Services: SvcAll,
			Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(10 * sim.Hour), Probability: 1}}, extra...)
		if err := cfg.Check(); err != nil {
			t.Fatal(err)
		}
		return NewRunner(cfg).Trial(1, 0, nil)
	}
	regionOut := func(name string, reg int, svc Services, e float64, dur sim.Time) Outage {
		return Outage{Stream: name, Kind: RegionOutage, Region: reg, Services: svc, ErrorRate: e,
			Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(dur), Probability: 1}
	}
	// us-east-1 down: 4 of 5 up.
	if res := run(); res.FailoverAt != sim.Hour+3*sim.Minute {
		t.Errorf("one region down: failover at %v", res.FailoverAt)
	}
	// us-east-1 and eu-west-1 down, ap-* undeclared: 3 of 5 up.
	if res := run(regionOut("euw1", euw1, SvcAll, 1, 5*sim.Hour)); res.FailoverAt != sim.Hour+3*sim.Minute {
		t.Errorf("two regions down: failover at %v", res.FailoverAt)
	}
	// us-west-2 down too until 3h: 2 of 5 up: wait for it. (The failover
	// region's own outage: the step waits, then traffic moves at 3h.)
	res := run(regionOut("euw1", euw1, SvcAll, 1, 5*sim.Hour), regionOut("usw2", usw2, SvcAll, 1, 2*sim.Hour))
	if res.FailoverAt != 3*sim.Hour || res.Ops[0].Errors[0].Err != "EndpointTemporarilyUnavailableException" {
		t.Errorf("three regions down: failover at %v, errors %+v; want 3h, EndpointTemporarilyUnavailableException", res.FailoverAt, res.Ops[0].Errors)
	}
	// [arc] regions: a cluster with only us-east-1 and us-west-2 declared
	// keeps three regions up whatever happens to them.
	custom := func(arc []string) TrialResult {
		cfg := baseConfig()
		cfg.Regions = regs
		cfg.ARCRegions = arc
		cfg.Keys[0].Primary, cfg.Keys[0].Replicas = use1, []int{usw2}
		cfg.App.Serve = []int{use1}
		cfg.Buckets = []Bucket{{Name: "b", Region: use1, Key: 0, BucketKey: true, Writes: 10, Reads: 10}}
		st := step("flip", 2*sim.Minute)
		st.Needs = []Need{{ARC: true, Region: -1}}
		cfg.Failover = &Failover{From: use1, To: usw2, Detect: sim.ConstDist(sim.Minute), Steps: []Step{st}}
		cfg.Outages = []Outage{regionOut("east", use1, SvcAll, 1, 10*sim.Hour), regionOut("euw1", euw1, SvcAll, 1, 5*sim.Hour),
			regionOut("usw2", usw2, SvcAll, 1, 2*sim.Hour)}
		if err := cfg.Check(); err != nil {
			t.Fatal(err)
		}
		return NewRunner(cfg).Trial(1, 0, nil)
	}
	if r := custom([]string{"us-east-1", "us-west-2", "ap-south-1", "sa-east-1", "ca-central-1"}); len(r.Ops[0].Errors) != 0 {
		t.Errorf("custom cluster with two declared regions: errors %+v", r.Ops[0].Errors)
	}
	if r := custom([]string{"us-east-1", "us-west-2", "eu-west-1", "sa-east-1", "ca-central-1"}); len(r.Ops[0].Errors) == 0 {
		t.Errorf("custom cluster with three declared regions down: no wait")
	}
	// A region with only some services down, or all at an error rate
	// below 1, is not down.
	for _, o := range []Outage{regionOut("kms", euw1, SvcKMS, 1, 5*sim.Hour), regionOut("gray", euw1, SvcAll, 0.9, 5*sim.Hour)} {
		r := run(o, regionOut("usw2", usw2, SvcApp, 1, 2*sim.Hour))
		if len(r.Ops[0].Errors) != 0 {
			t.Errorf("%s: errors %+v, want ARC available", o.Stream, r.Ops[0].Errors)
		}
	}
}

// TestNeedReasons: the reason reported while a need is unavailable.
func TestNeedReasons(t *testing.T) {
	want := map[Services]string{SvcKMS: "KMSUnavailable", SvcS3: "S3Unavailable", SvcDynamoDB: "DynamoDBUnavailable",
		SvcSTS: "STSUnavailable", SvcRoute53Control: "Route53ControlPlaneUnavailable", SvcIAMControl: "IAMControlPlaneUnavailable"}
	for svc, w := range want {
		if got := NeedReason(Need{Service: svc}); got != w {
			t.Errorf("NeedReason(%v) = %q, want %q", svc, got, w)
		}
	}
	if got := NeedReason(Need{ARC: true}); got != "EndpointTemporarilyUnavailableException" {
		t.Errorf("ARC: %q", got)
	}
}

// TestNeedsAndOpOneAttempt: a needs check and the op at the same instant
// are one attempt: while a need is unavailable each attempt counts once
// with the need's reason; when it is available the op runs in that same
// attempt; an implied need (KMS where the op is sent) after the needs.
func TestNeedsAndOpOneAttempt(t *testing.T) {
	cfg := cpConfig([]Need{{Service: SvcS3, Region: west}},
		regionOutage(east, SvcApp, sim.Hour, 10*sim.Hour),
		Outage{Kind: RegionOutage, Region: west, Services: SvcS3, Start: sim.ConstDist(0), Duration: sim.ConstDist(sim.Hour + 10*sim.Minute), Probability: 1},
		Outage{Kind: RegionOutage, Region: west, Services: SvcKMS, Start: sim.ConstDist(0), Duration: sim.ConstDist(sim.Hour + 20*sim.Minute), Probability: 1})
	cfg.Failover.Steps[0].Op = Op{Kind: OpUpdatePrimaryRegion, Key: 0, Region: west, To: -1}
	res := NewRunner(cfg).Trial(1, 0, nil)
	op := res.Ops[0]
	// Attempts at 1h03m ... 1h09m: S3Unavailable (7); 1h10m ... 1h19m:
	// KMSUnavailable (10); 1h20m: done.
	if op.Attempts != 18 || len(op.Errors) != 2 || op.Errors[0] != (ErrCount{"KMSUnavailable", 10}) || op.Errors[1] != (ErrCount{"S3Unavailable", 7}) ||
		!op.Done || op.At != sim.Hour+20*sim.Minute {
		t.Errorf("op %+v", op)
	}
}

// TestG5_RunbookPrincipal: each control-plane op is made by the step's
// principal, else failover.operator, else "operator", and checked against
// the admins of the copies involved: a miss is AccessDeniedException, a
// refusal that fails the step.
func TestG5_RunbookPrincipal(t *testing.T) {
	mk := func(stepPrincipal, operator string) TrialResult {
		cfg := cpConfig(nil, regionOutage(east, SvcApp, sim.Hour, 10*sim.Hour))
		cfg.Keys[0].Admins = []string{"platform-admin"}
		cfg.Keys[0].AdminsIn = []RegionUsers{{Region: west, Users: []string{"dr-operator", "platform-admin"}}}
		cfg.Failover.Operator = operator
		cfg.Failover.Steps[0].Op = Op{Kind: OpUpdatePrimaryRegion, Key: 0, Region: west, To: -1, Principal: stepPrincipal}
		return NewRunner(cfg).Trial(1, 0, nil)
	}
	for _, c := range []struct {
		step, operator string
		denied         bool
	}{{"", "", true}, {"", "dr-operator", true}, {"", "platform-admin", false}, {"platform-admin", "dr-operator", false}, {"dr-operator", "platform-admin", true}} {
		res := mk(c.step, c.operator)
		op := res.Ops[0]
		if c.denied != (op.Code == "AccessDeniedException" && op.Refused && !op.Done && res.FailoverAt < 0) || !c.denied && !op.Done {
			t.Errorf("principal %q, operator %q: %+v, failover %v", c.step, c.operator, op, res.FailoverAt)
		}
	}
	cfg := &Config{}
	if cfg.Principal(&Op{}) != DefaultOperator {
		t.Error("default principal")
	}
}

// TestAttemptSeesTheInstant: an attempt sees the state after every change
// of its instant. The second action is scheduled (at trial start) for the
// very instant the first one's UpdatePrimaryRegion leaves Updating (an
// event scheduled later, at 1h): it runs after that change, so the copy is
// Enabled again and DisableKey succeeds (before it, it would have failed
// with KMSInvalidStateException).
func TestAttemptSeesTheInstant(t *testing.T) {
	for i := 0; i < 5; i++ {
		st := sim.NewStream(sim.TrialSeed(3, i), "kms/k", "updating")
		d := st.Draw(kms.DefaultParams().Updating)
		cfg := baseConfig()
		cfg.Actions = []Action{action(sim.Hour, OpUpdatePrimaryRegion, 0, west), action(sim.Hour+d, OpDisableKey, 0, west)}
		res := NewRunner(cfg).Trial(3, i, nil)
		if !res.Ops[0].Done || !res.Ops[1].Done {
			t.Fatalf("trial %d: ops %+v", i, res.Ops)
		}
	}
}
