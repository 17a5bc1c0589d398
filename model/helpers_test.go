package model

import (
	"github.com/drsim/drsim/sim"
)

// Region indices of the test configs.
const (
	east = 0 // us-east-1
	west = 1 // us-west-2
)

func twoRegions() []Region {
	return []Region{{Name: "us-east-1", KMSRPS: 100000}, {Name: "us-west-2", KMSRPS: 100000}}
}

// snowyConfig builds the snowy scenario (shared/scenarios/snowy.toml) in Go.
func snowyConfig() *Config {
	alerts := Key{Name: "alerts", MultiRegion: true, Primary: east, Replicas: []int{west},
		Users: []string{"alerts-app", "dr-operator", "s3-replication"}, Rotation: 365 * sim.Day}
	return &Config{
		Name:       "snowy-alerting",
		Horizon:    24 * sim.Hour,
		Trials:     1000,
		Seed:       7,
		Account:    "111122223333",
		Objectives: Objectives{RTO: 30 * sim.Minute, RPO: 5 * sim.Minute, HasRTO: true, HasRPO: true, Success: 0.99},
		Regions:    twoRegions(),
		Keys:       []Key{alerts},
		App:        App{Principal: "alerts-app", Serve: []int{east}},
		Buckets: []Bucket{{Name: "alerts", Region: east, Key: 0, BucketKey: true, ObjectSize: 256 << 10,
			Writes: 20, Reads: 50,
			Replication: []Replication{{To: west, Key: 0, Role: "s3-replication", RTC: true, Lag: DefaultS3Lag(true), LagDefault: true}}}},
		Tables: []Table{{Name: "alert-state", Regions: []int{east, west}, Keys: []int{0, 0}, ItemSize: 1024,
			Writes: 100, Reads: 400, Lag: DefaultDynamoDBLag(), LagDefault: true, ClientKey: 0}},
		Outages: []Outage{{Name: "us-east-1 regional outage", Stream: "us-east-1 regional outage", Kind: RegionOutage,
			Region: east, Services: SvcAll, Start: sim.UniformDist(sim.Hour, 20*sim.Hour),
			Duration: sim.LogNormalDist(3*sim.Hour, 12*sim.Hour), Probability: 1}},
		Failover: &Failover{From: east, To: west, Detect: sim.NormalDist(4*sim.Minute, sim.Minute),
			Steps: []Step{
				{Name: "approve", Duration: sim.UniformDist(5*sim.Minute, 15*sim.Minute), Required: true, Retry: sim.Minute, Op: noOp()},
				{Name: "scale-up", After: []int{0}, Duration: sim.UniformDist(3*sim.Minute, 8*sim.Minute), Required: true, Retry: sim.Minute, Op: noOp()},
				{Name: "promote-key", After: []int{0}, Op: Op{Kind: OpUpdatePrimaryRegion, Key: 0, Region: west},
					Duration: sim.ConstDist(30 * sim.Second), Required: false, Retry: 5 * sim.Minute},
				{Name: "dns", After: []int{1}, Duration: sim.ConstDist(90 * sim.Second), Required: true, Retry: sim.Minute, Op: noOp()},
			}},
		Costs: []CostItem{{Name: "route53-health-checks", USD: 1}, {Name: "standby-compute", USD: 900}},
	}
}

func noOp() Op { return Op{Kind: OpNone, Key: -1, Region: -1} }
