package report_test

import (
	"fmt"
	"os"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/sim"
)

// A single-Region key used by one bucket of 1 MiB objects, 10 PUTs and 100
// GETs a second without bucket keys: 110 KMS calls a second in us-east-1.
func ExampleComputeCost() {
	cfg := &model.Config{
		Regions: []model.Region{{Name: "us-east-1"}},
		Keys:    []model.Key{{Name: "k", Primary: 0}},
		App:     model.App{Serve: []int{0}},
		Buckets: []model.Bucket{{Name: "b", Region: 0, Key: 0, ObjectSize: 1 << 20, Writes: 10, Reads: 100}},
	}
	c := report.ComputeCost(cfg)
	for _, it := range c.MonthlyUSD.Items {
		fmt.Printf("%-45s %9.2f\n", it.Name, it.USD)
	}
	fmt.Printf("%-45s %9.2f\n", "total", c.MonthlyUSD.Total)
	// Output:
	// kms_key_month: k (1 copy)                          1.00
	// kms_requests_per_10k: us-east-1 (110 calls/s)    867.24
	// s3_storage_gb_month: b (1 copy)                  590.27
	// total                                           1458.51
}

func ExampleWriteText() {
	cfg := &model.Config{Name: "tiny", Horizon: sim.Day, Regions: []model.Region{{Name: "us-east-1"}},
		Objectives: model.Objectives{RTO: sim.Hour, HasRTO: true, Success: 0.99}}
	results := []model.TrialResult{
		{Trial: 0, UpTime: sim.Day, FailoverAt: -1},
		{Trial: 1, Incident: true, Recovered: true, T0: sim.Hour, RTO: 20 * sim.Minute, UpTime: sim.Day - 20*sim.Minute, FailoverAt: -1},
	}
	r := report.Build(cfg, 1, results, nil, -1)
	fmt.Printf("P(meet RTO) = %v of %d trials; RTO p50 = %vs\n", *r.ObjectivesMet.RTO.P, r.Trials, *r.Metrics.RTOSeconds.P50)
	_ = report.WriteText(os.Stdout, r) // the full text report
}
