package report

import (
	"math"
	"math/rand/v2"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// rpSnowyConfig mirrors /work/shared/scenarios/snowy.toml as package
// scenarios would validate it.
func rpSnowyConfig() *model.Config {
	const east, west = 0, 1
	return &model.Config{
		Name:        "snowy-alerting",
		Description: "Alert pipeline in us-east-1 with a warm standby in us-west-2, one multi-Region key",
		File:        "snowy.toml",
		Horizon:     24 * sim.Hour,
		Trials:      1000,
		Seed:        7,
		Objectives: model.Objectives{
			RTO: 30 * sim.Minute, RPO: 5 * sim.Minute, HasRTO: true, HasRPO: true, Success: 0.99,
		},
		Regions: []model.Region{
			{Name: "us-east-1", KMSRPS: kms.DefaultQuota("us-east-1")},
			{Name: "us-west-2", KMSRPS: kms.DefaultQuota("us-west-2")},
		},
		Keys: []model.Key{{
			Name: "alerts", MultiRegion: true, Primary: east, Replicas: []int{west},
			Users:    []string{"alerts-app", "dr-operator", "s3-replication"},
			Rotation: 365 * sim.Day,
		}},
		App: model.App{Principal: "alerts-app", Serve: []int{east}},
		Buckets: []model.Bucket{{
			Name: "alerts", Region: east, Key: 0, BucketKey: true, ObjectSize: 256 << 10,
			Writes: 20, Reads: 50,
			Replication: []model.Replication{{To: west, Key: 0, RTC: true, Lag: model.DefaultS3Lag(true), LagDefault: true}},
		}},
		Tables: []model.Table{{
			Name: "alert-state", Regions: []int{east, west}, Keys: []int{0, 0}, ItemSize: 1 << 10,
			Writes: 100, Reads: 400, Lag: model.DefaultDynamoDBLag(), LagDefault: true, ClientKey: 0,
		}},
		Outages: []model.Outage{{
			Name: "us-east-1 regional outage", Stream: "us-east-1 regional outage", Kind: model.RegionOutage,
			Region: east, Services: model.SvcAll,
			Start:       sim.UniformDist(1*sim.Hour, 20*sim.Hour),
			Duration:    sim.LogNormalDist(3*sim.Hour, 12*sim.Hour),
			Probability: 1,
		}},
		Failover: &model.Failover{
			From: east, To: west,
			Detect: sim.NormalDist(4*sim.Minute, 1*sim.Minute),
			Steps: []model.Step{
				{Name: "approve", Duration: sim.UniformDist(5*sim.Minute, 15*sim.Minute), Required: true, Retry: sim.Minute, Op: model.Op{Key: -1, Region: -1}},
				{Name: "scale-up", After: []int{0}, Duration: sim.UniformDist(3*sim.Minute, 8*sim.Minute), Required: true, Retry: sim.Minute, Op: model.Op{Key: -1, Region: -1}},
				{Name: "promote-key", After: []int{0}, Op: model.Op{Kind: model.OpUpdatePrimaryRegion, Key: 0, Region: west},
					Duration: sim.ConstDist(30 * sim.Second), Required: false, Retry: 5 * sim.Minute},
				{Name: "dns", After: []int{1}, Duration: sim.ConstDist(90 * sim.Second), Required: true, Retry: sim.Minute, Op: model.Op{Key: -1, Region: -1}},
			},
		},
		Costs: []model.CostItem{{Name: "route53-health-checks", USD: 1.0}, {Name: "standby-compute", USD: 900}},
	}
}

// rpSynthetic returns n synthetic, deterministic trial results shaped like
// snowy's: most trials have an incident, a few do not recover, the optional
// promote-key step often fails with KMSUnavailable first.
func rpSynthetic(cfg *model.Config, n int, seed uint64) []model.TrialResult {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	nRegions := len(cfg.Regions)
	nStores := len(cfg.Buckets) + len(cfg.Tables)
	nOps := len(cfg.Actions)
	if cfg.Failover != nil {
		nOps += len(cfg.Failover.Steps)
	}
	out := make([]model.TrialResult, n)
	for i := range out {
		t := model.TrialResult{
			Trial:       i,
			LostWrites:  make([]int64, nStores),
			KMSFailures: make([]float64, int(kms.NumReasons)*nRegions),
			FailoverAt:  -1,
			Ops:         make([]model.OpResult, nOps),
			Offered:     float64(cfg.Horizon/sim.Second) * 570,
			UpTime:      cfg.Horizon,
		}
		t.Succeeded = t.Offered
		u := rng.Float64()
		if u < 0.85 {
			t.Incident = true
			t.T0 = sim.Hour + sim.Time(rng.Float64()*float64(19*sim.Hour))
			if u < 0.82 {
				t.Recovered = true
				t.RTO = sim.Time(math.Exp(math.Log(float64(20*sim.Minute))+0.5*rng.NormFloat64())) + sim.Second
				if t.T0+t.RTO > cfg.Horizon {
					t.RTO = cfg.Horizon - t.T0
				}
				t.RecoveredIn = []int{1}
				t.RPO = sim.Time(rng.ExpFloat64() * float64(2*sim.Minute))
				for s := range t.LostWrites {
					t.LostWrites[s] = int64(rng.IntN(50 * (s + 1)))
					t.LostTotal += t.LostWrites[s]
				}
				t.FailoverAt = t.T0 + t.RTO
			}
			down := t.RTO
			if !t.Recovered {
				down = cfg.Horizon - t.T0
			}
			t.UpTime = cfg.Horizon - down
			t.Unavailable = float64(down/sim.Second) * 570 * 0.6
			unavail := float64(down/sim.Second) * 570 * 0.4
			t.KMSFailures[int(kms.Unavailable)*nRegions+0] = unavail
			t.KMSFailures[int(kms.Throttling)*nRegions+1] = float64(rng.IntN(100))
			t.Succeeded = t.Offered - t.Unavailable - unavail
			for j := range t.Ops {
				o := &t.Ops[j]
				o.Started = true
				o.At = t.T0 + sim.Time(j+1)*5*sim.Minute
				if j == 2 { // promote-key
					fails := rng.IntN(6)
					o.Attempts = fails + 1
					if fails > 0 {
						o.Errors = []model.ErrCount{{Err: "KMSUnavailable", N: fails}}
					}
					o.Done = rng.Float64() < 0.7
					if !o.Done {
						o.Err, o.Code = "kms: UpdatePrimaryRegion alerts to us-west-2: KMSUnavailable: KMS is unavailable in us-east-1", "KMSUnavailable"
					}
					o.At += sim.Time(fails) * 5 * sim.Minute
					continue
				}
				o.Done = t.Recovered || j == 0
			}
		}
		out[i] = t
	}
	return out
}

// rpDetail is a small representative trial detail.
func rpDetail(t *model.TrialResult) *model.Detail {
	d := &model.Detail{
		Events: []model.Event{
			{T: t.T0, Kind: "service-down", Message: "service down"},
			{T: t.T0 + t.RTO, Kind: "service-up", Region: "us-west-2", Message: "service up"},
		},
		Segments: []model.Segment{{Lane: "service", Start: t.T0, End: t.T0 + t.RTO, Label: "down"}},
		Rates:    []model.RatePoint{{T: t.T0, Unavailable: 342, Success: 0.4}},
		Backlog:  []model.BacklogPoint{{T: t.T0, Store: "alerts", Region: "us-west-2", Writes: 12.5}},
	}
	d.Rates[0].FailuresByReason[kms.Unavailable] = 228
	return d
}
