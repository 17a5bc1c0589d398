package cost

import (
	"math"
	"slices"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
)

// TestSnowyCost recomputes snowy's monthly cost by hand, item by item.
func TestSnowyCost(t *testing.T) {
	const month = 730 * 3600.0 // seconds
	const gb = 1 << 30
	// Objects replicated per month: 20 PUT/s on the source bucket.
	objs := 20 * month
	repGB := objs * 256 * 1024 / gb // 12832.03125
	ddbGB := 100 * month * 1024 / gb
	want := []struct {
		name string
		usd  float64
	}{
		{"kms_key_month: alerts (2 copies)", 2 * 1.00},
		{"kms_rotation_month: alerts (2 copies × 2 rotations)", 2 * 2 * 1.00},
		// us-east-1: S3 PUT+GET (20+50)×0.01 with bucket keys, replication
		// source 20×0.01, client-side table reads+writes 100+400.
		{"kms_requests_per_10k: us-east-1 (500.9 calls/s)", (70*0.01 + 20*0.01 + 500) * month / 10000 * 0.03},
		// us-west-2: replication destination 20×0.01.
		{"kms_requests_per_10k: us-west-2 (0.2 calls/s)", 20 * 0.01 * month / 10000 * 0.03},
		{"s3_transfer_gb: alerts → us-west-2", repGB * 0.02},
		{"s3_rtc_gb: alerts → us-west-2", repGB * 0.015},
		{"s3_put_per_1000: alerts → us-west-2 replica PUTs", objs / 1000 * 0.005},
		{"s3_storage_gb_month: alerts (2 copies)", repGB * 2 * 0.023},
		// 1 KiB items: one write unit per write, in both regions.
		{"ddb_write_per_million: alert-state (2 regions)", 100 * month * 2 / 1e6 * 0.625},
		{"ddb_storage_gb_month: alert-state (2 replicas)", ddbGB * 2 * 0.25},
		{"costs.monthly: route53-health-checks", 1},
		{"costs.monthly: standby-compute", 900},
	}
	// The same figures, as literal numbers, so a wrong constant shows.
	literal := []float64{2, 4, 3949.0956, 1.5768, 256.640625, 192.48046875, 262.8, 590.2734375, 328.5, 125.31280517578125, 1, 900}
	c := ComputeCost(fixture.SnowyConfig())
	if len(c.MonthlyUSD.Items) != len(want) {
		for _, it := range c.MonthlyUSD.Items {
			t.Logf("item %q %v", it.Name, it.USD)
		}
		t.Fatalf("got %d items, want %d", len(c.MonthlyUSD.Items), len(want))
	}
	var total float64
	for i, w := range want {
		it := c.MonthlyUSD.Items[i]
		if it.Name != w.name {
			t.Errorf("item %d: name %q, want %q", i, it.Name, w.name)
		}
		if !approxEq(it.USD, w.usd, 1e-8) || !approxEq(it.USD, literal[i], 1e-8) {
			t.Errorf("item %q: $%v, want $%v (literal $%v)", w.name, it.USD, w.usd, literal[i])
		}
		total += w.usd
	}
	if !approxEq(c.MonthlyUSD.Total, total, 1e-8) {
		t.Errorf("total $%v, want $%v", c.MonthlyUSD.Total, total)
	}
	if c.PriceBook.Date == "" || len(c.PriceBook.Entries) != len(PriceIDs()) {
		t.Errorf("price book info incomplete: %+v", c.PriceBook)
	}
}

func approxEq(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestPriceOverrides(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Prices = map[string]float64{PriceKMSKey: 2.5, PriceDDBWrite: 0}
	c := ComputeCost(cfg)
	if got := c.MonthlyUSD.Items[0].USD; got != 5 {
		t.Errorf("kms_key_month with override 2.5: got $%v, want $5", got)
	}
	for _, it := range c.MonthlyUSD.Items {
		if it.ID == PriceDDBWrite && it.USD != 0 {
			t.Errorf("ddb_write_per_million overridden to 0: got $%v", it.USD)
		}
	}
	var over []string
	for _, e := range c.PriceBook.Entries {
		if e.Overridden {
			over = append(over, e.ID)
		}
	}
	if !slices.Equal(over, []string{PriceKMSKey, PriceDDBWrite}) {
		t.Errorf("overridden entries %v", over)
	}
	// The embedded book is not mutated by an override.
	if PriceBook(nil)[0].USD != 1 {
		t.Error("price book mutated by an override")
	}
}

func TestPriceIDs(t *testing.T) {
	ids := PriceIDs()
	want := []string{"kms_key_month", "kms_rotation_month", "kms_requests_per_10k", "s3_transfer_gb", "s3_rtc_gb",
		"s3_put_per_1000", "s3_storage_gb_month", "ddb_write_per_million", "ddb_storage_gb_month",
		"route53_health_check_month", "cloudwatch_alarm_month"}
	if !slices.Equal(ids, want) {
		t.Errorf("PriceIDs() = %v, want %v", ids, want)
	}
	for _, e := range PriceBook(nil) {
		if e.Source == "" || e.Unit == "" || e.USD <= 0 {
			t.Errorf("entry %s incomplete: %+v", e.ID, e)
		}
	}
	ids[0] = "mutated"
	if PriceIDs()[0] != "kms_key_month" {
		t.Error("PriceIDs shares its slice")
	}
}

func TestDemand(t *testing.T) {
	single := func(c *model.Config) {
		c.Keys[0].MultiRegion = false
		c.Keys[0].Replicas = nil
	}
	tests := []struct {
		name   string
		modify func(*model.Config)
		want   []float64
	}{
		{"snowy", func(*model.Config) {}, []float64{500.9, 0.2}},
		{"no bucket key", func(c *model.Config) { c.Buckets[0].BucketKey = false }, []float64{500 + 70 + 20, 20}},
		// A single-Region key is called in its home region: the
		// destination's replication Encrypt goes to us-east-1.
		{"single-Region key", single, []float64{501.1, 0}},
		{"serve from both", func(c *model.Config) { c.App.Serve = []int{0, 1} },
			// Each region gets half: S3 (70/2)×0.01 on its copy, tables
			// 250 each; replication of the 10 PUT/s on the source.
			[]float64{0.35 + 250 + 0.1, 0.35 + 250 + 0.1}},
		{"no client key", func(c *model.Config) { c.Tables[0].ClientKey = -1 }, []float64{0.9, 0.2}},
		{"served where no copy", func(c *model.Config) {
			c.Regions = append(c.Regions, model.Region{Name: "eu-west-1"})
			c.App.Serve = []int{2}
		}, []float64{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fixture.SnowyConfig()
			tt.modify(cfg)
			got := Demand(cfg)
			if len(got) != len(tt.want) {
				t.Fatalf("Demand = %v, want %v", got, tt.want)
			}
			for i := range got {
				if !approxEq(got[i], tt.want[i], 1e-9) {
					t.Errorf("Demand = %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}

// TestS3StorageServedFromReplica checks that the writes an active/active
// app makes to a bucket's replica copy add storage there (they are not
// replicated back), besides the source's writes stored in both copies.
func TestS3StorageServedFromReplica(t *testing.T) {
	const month = 730 * 3600.0
	perWrite := 256 * 1024.0 / (1 << 30) // GB
	tests := []struct {
		name   string
		serve  []int
		usd    float64
		detail string
	}{
		// 20 PUT/s on the source, stored in both copies.
		{"source only", []int{0}, 20 * month * perWrite * 2 * 0.023, "12,832 GB added per copy per month"},
		// 10 PUT/s on each copy; the source's are replicated, the
		// replica's stay there: 10×2 + 10 copies' worth.
		{"both serve", []int{0, 1}, (10*2 + 10) * month * perWrite * 0.023, "19,248 GB added per month over the 2 copies"},
		// Only the replica is written: nothing is replicated.
		{"replica serves", []int{1}, 20 * month * perWrite * 0.023, "12,832 GB added per month over the 2 copies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fixture.SnowyConfig()
			cfg.App.Serve = tt.serve
			var got *Item
			items := ComputeCost(cfg).MonthlyUSD.Items
			for i := range items {
				if items[i].ID == PriceS3Storage {
					got = &items[i]
				}
			}
			if got == nil {
				t.Fatal("no S3 storage item")
			}
			if !approxEq(got.USD, tt.usd, 1e-8) || got.Detail != tt.detail {
				t.Errorf("S3 storage $%v (%q), want $%v (%q)", got.USD, got.Detail, tt.usd, tt.detail)
			}
		})
	}
}

func TestCostEdgeCases(t *testing.T) {
	cfg := &model.Config{Name: "empty"}
	c := ComputeCost(cfg)
	if c.MonthlyUSD.Total != 0 || c.MonthlyUSD.Items == nil || len(c.MonthlyUSD.Items) != 0 {
		t.Errorf("empty config: %+v", c.MonthlyUSD)
	}
	// A 1.5 KiB item takes two write units.
	cfg = fixture.SnowyConfig()
	cfg.Tables[0].ItemSize = 1536
	for _, it := range ComputeCost(cfg).MonthlyUSD.Items {
		if it.ID == PriceDDBWrite && !approxEq(it.USD, 100*730*3600.0*2*2/1e6*0.625, 1e-9) {
			t.Errorf("1.5 KiB items: $%v", it.USD)
		}
	}
}
