package cost

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/report/internal/human"
)

// TestCostAtInputLimits: with every input the cost depends on at the
// largest value the scenario loader accepts (docs/limits.md: rates 1e9 per
// second, sizes 1 PiB, prices 1e6 USD, [costs.monthly] items 1e9 USD, and
// as many keys and stores), every item and the total are finite and
// non-negative, the text shows no "Inf", and the JSON encodes (it failed
// with "unsupported value: +Inf" for kms_key_month = 1e308).
func TestCostAtInputLimits(t *testing.T) {
	const (
		maxRate  = 1e9
		maxSize  = 1 << 50
		maxPrice = 1e6
		maxCost  = 1e9
	)
	cfg := fixture.SnowyConfig()
	for i := range cfg.Buckets {
		b := &cfg.Buckets[i]
		b.Writes, b.Reads, b.ObjectSize, b.BucketKey = maxRate, maxRate, maxSize, false
	}
	for i := range cfg.Tables {
		tb := &cfg.Tables[i]
		tb.Writes, tb.Reads, tb.ItemSize = maxRate, maxRate, maxSize
	}
	// many stores and keys, each at the limits
	for i := 0; i < 1000; i++ {
		cfg.Buckets = append(cfg.Buckets, cfg.Buckets[0])
		cfg.Tables = append(cfg.Tables, cfg.Tables[0])
		cfg.Keys = append(cfg.Keys, cfg.Keys[0])
		cfg.Costs = append(cfg.Costs, model.CostItem{Name: "c", USD: maxCost})
	}
	cfg.Prices = map[string]float64{}
	for _, id := range PriceIDs() {
		cfg.Prices[id] = maxPrice
	}
	c := ComputeCost(cfg)
	for _, it := range c.MonthlyUSD.Items {
		if math.IsInf(it.USD, 0) || math.IsNaN(it.USD) || it.USD < 0 {
			t.Fatalf("item %s: %v", it.Name, it.USD)
		}
	}
	if tot := c.MonthlyUSD.Total; math.IsInf(tot, 0) || math.IsNaN(tot) || tot <= 0 {
		t.Fatalf("total %v", tot)
	}
	if _, err := json.Marshal(c); err != nil {
		t.Fatal(err)
	}
	if s := human.USD(c.MonthlyUSD.Total); strings.Contains(s, "Inf") || strings.Contains(s, "NaN") {
		t.Errorf("total printed as %s", s)
	}
}
