package cost_test

import (
	"fmt"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/cost"
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
	c := cost.ComputeCost(cfg)
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
