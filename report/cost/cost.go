package cost

import (
	"fmt"
	"slices"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/human"
)

// Cost model constants (see the package doc).
const (
	// HoursPerMonth is the length of a billing month.
	HoursPerMonth = 730
	// SecondsPerMonth is HoursPerMonth in seconds.
	SecondsPerMonth = HoursPerMonth * 3600
	// BytesPerGB is the size of a billed GB (2^30 bytes).
	BytesPerGB = 1 << 30
)

// Cost is the steady-state monthly cost.
type Cost struct {
	MonthlyUSD Monthly       `json:"monthly_usd"`
	PriceBook  PriceBookInfo `json:"price_book"`
}

// Monthly is the monthly total and its items.
type Monthly struct {
	Total float64 `json:"total"`
	Items []Item  `json:"items"`
}

// Item is one line of the monthly cost.
type Item struct {
	// Name is the price entry id and what it covers, or "costs.monthly: NAME".
	Name string `json:"name"`
	// ID is the price entry id, or "costs.monthly".
	ID     string  `json:"id"`
	USD    float64 `json:"usd"`
	Detail string  `json:"detail,omitempty"`
}

// PriceBookInfo says which prices were used.
type PriceBookInfo struct {
	Date    string       `json:"date"`
	Source  string       `json:"source"`
	Entries []PriceEntry `json:"entries"`
}

// Demand is the steady-state KMS request rate (calls per second) of each
// region under normal routing, indexed like Config.Regions: model.Demand
// with the regions that serve at t=0.
func Demand(cfg *model.Config) []float64 { return model.Demand(cfg, cfg.App.Serve) }

// servingShare is the share of a store's traffic each serving region gets.
func servingShare(cfg *model.Config) float64 {
	if len(cfg.App.Serve) == 0 {
		return 0
	}
	return 1 / float64(len(cfg.App.Serve))
}

// bucketKeyIn returns the key of bucket b's copy in region r (the source or
// a replication destination), or -1 when there is no copy there.
func bucketKeyIn(b *model.Bucket, r int) int {
	if b.Region == r {
		return b.Key
	}
	for _, rule := range b.Replication {
		if rule.To == r {
			return rule.Key
		}
	}
	return -1
}

// sourceWrites is the rate of PUTs that land on the source bucket (and are
// replicated by its rules) under normal routing.
func sourceWrites(cfg *model.Config, b *model.Bucket) float64 {
	if slices.Contains(cfg.App.Serve, b.Region) {
		return b.Writes * servingShare(cfg)
	}
	return 0
}

// replicaWrites is the rate of PUTs that land on bucket b's replica copies
// (an app serving from a destination region writes to its copy there) under
// normal routing; they are not replicated.
func replicaWrites(cfg *model.Config, b *model.Bucket) float64 {
	var w float64
	for _, r := range cfg.App.Serve {
		if r != b.Region && bucketKeyIn(b, r) >= 0 {
			w += b.Writes * servingShare(cfg)
		}
	}
	return w
}

// tableWrites is the rate of writes a table accepts under normal routing:
// the share of the serving regions that hold a replica.
func tableWrites(cfg *model.Config, t *model.Table) float64 {
	var w float64
	for _, r := range cfg.App.Serve {
		if slices.Contains(t.Regions, r) {
			w += t.Writes * servingShare(cfg)
		}
	}
	return w
}

// keyCopies returns the number of regional copies of a key at t=0.
func keyCopies(k *model.Key) int {
	if !k.MultiRegion {
		return 1
	}
	n := 1
	for _, r := range k.Replicas {
		if r != k.Primary {
			n++
		}
	}
	return n
}

// ComputeCost returns the steady-state monthly cost of cfg under the model
// the package doc describes. Items are in price book order, each in Config
// order, then the [costs.monthly] items by name.
func ComputeCost(cfg *model.Config) Cost {
	book := PriceBook(cfg.Prices)
	price := map[string]float64{}
	for _, e := range book {
		price[e.ID] = e.USD
	}
	var items []Item
	var total float64
	add := func(id, what string, usd float64, detail string) {
		total += usd
		items = append(items, Item{Name: id + ": " + what, ID: id, USD: human.Round(usd), Detail: detail})
	}
	for i := range cfg.Keys {
		k := &cfg.Keys[i]
		n := keyCopies(k)
		add(PriceKMSKey, fmt.Sprintf("%s (%d %s)", k.Name, n, human.Plural(n, "copy", "copies")),
			float64(n)*price[PriceKMSKey], fmt.Sprintf("%d × $%s", n, human.Num(price[PriceKMSKey])))
	}
	for i := range cfg.Keys {
		k := &cfg.Keys[i]
		if k.Rotation <= 0 {
			continue
		}
		n := keyCopies(k)
		add(PriceKMSRotation, fmt.Sprintf("%s (%d %s × 2 rotations)", k.Name, n, human.Plural(n, "copy", "copies")),
			float64(n)*2*price[PriceKMSRotation], fmt.Sprintf("%d × 2 × $%s", n, human.Num(price[PriceKMSRotation])))
	}
	for r, rate := range Demand(cfg) {
		if rate <= 0 {
			continue
		}
		calls := rate * SecondsPerMonth
		add(PriceKMSRequests, fmt.Sprintf("%s (%s calls/s)", cfg.Regions[r].Name, human.Num(human.Round(rate))),
			calls/10000*price[PriceKMSRequests], fmt.Sprintf("%s calls/month", human.Num(human.Round(calls))))
	}
	type rep struct {
		b    *model.Bucket
		rule *model.Replication
		objs float64 // objects per month
		gb   float64
	}
	var reps []rep
	for i := range cfg.Buckets {
		b := &cfg.Buckets[i]
		objs := sourceWrites(cfg, b) * SecondsPerMonth
		for j := range b.Replication {
			reps = append(reps, rep{b, &b.Replication[j], objs, objs * float64(b.ObjectSize) / BytesPerGB})
		}
	}
	repName := func(x rep) string { return fmt.Sprintf("%s → %s", x.b.Name, cfg.Regions[x.rule.To].Name) }
	for _, x := range reps {
		if x.rule.To == x.b.Region || x.gb == 0 {
			continue
		}
		add(PriceS3Transfer, repName(x), x.gb*price[PriceS3Transfer], fmt.Sprintf("%s GB/month", human.Num(human.Round(x.gb))))
	}
	for _, x := range reps {
		if !x.rule.RTC || x.gb == 0 {
			continue
		}
		add(PriceS3RTC, repName(x), x.gb*price[PriceS3RTC], fmt.Sprintf("%s GB/month", human.Num(human.Round(x.gb))))
	}
	for _, x := range reps {
		if x.objs == 0 {
			continue
		}
		add(PriceS3Put, repName(x)+" replica PUTs", x.objs/1000*price[PriceS3Put], fmt.Sprintf("%s PUTs/month", human.Num(human.Round(x.objs))))
	}
	for i := range cfg.Buckets {
		b := &cfg.Buckets[i]
		perWrite := SecondsPerMonth * float64(b.ObjectSize) / BytesPerGB
		copies := 1 + len(b.Replication)
		// The source's writes are stored in every copy; the writes that
		// land on a replica copy stay there (they are not replicated back).
		src := sourceWrites(cfg, b) * perWrite
		gb := src*float64(copies) + replicaWrites(cfg, b)*perWrite
		if gb == 0 {
			continue
		}
		detail := fmt.Sprintf("%s GB added per copy per month", human.Num(human.Round(src)))
		if gb != src*float64(copies) {
			detail = fmt.Sprintf("%s GB added per month over the %d copies", human.Num(human.Round(gb)), copies)
		}
		add(PriceS3Storage, fmt.Sprintf("%s (%d %s)", b.Name, copies, human.Plural(copies, "copy", "copies")),
			gb*price[PriceS3Storage], detail)
	}
	for i := range cfg.Tables {
		t := &cfg.Tables[i]
		units := (t.ItemSize + 1023) / 1024
		if units < 1 {
			units = 1
		}
		n := len(t.Regions)
		wu := tableWrites(cfg, t) * SecondsPerMonth * float64(units) * float64(n)
		if wu == 0 {
			continue
		}
		add(PriceDDBWrite, fmt.Sprintf("%s (%d %s)", t.Name, n, human.Plural(n, "region", "regions")),
			wu/1e6*price[PriceDDBWrite], fmt.Sprintf("%s write units/month", human.Num(human.Round(wu))))
	}
	for i := range cfg.Tables {
		t := &cfg.Tables[i]
		gb := tableWrites(cfg, t) * SecondsPerMonth * float64(t.ItemSize) / BytesPerGB
		n := len(t.Regions)
		if gb == 0 {
			continue
		}
		add(PriceDDBStorage, fmt.Sprintf("%s (%d %s)", t.Name, n, human.Plural(n, "replica", "replicas")),
			gb*float64(n)*price[PriceDDBStorage], fmt.Sprintf("%s GB added per replica per month", human.Num(human.Round(gb))))
	}
	for _, c := range cfg.Costs {
		total += c.USD
		items = append(items, Item{Name: "costs.monthly: " + c.Name, ID: "costs.monthly", USD: human.Round(c.USD), Detail: "as given"})
	}
	if items == nil {
		items = []Item{}
	}
	return Cost{
		MonthlyUSD: Monthly{Total: human.Round(total), Items: items},
		PriceBook:  PriceBookInfo{Date: PriceBookDate, Source: PriceBookSource, Entries: book},
	}
}
