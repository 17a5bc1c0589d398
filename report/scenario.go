package report

import (
	"math"
	"slices"
	"sort"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

// OutageSummary describes one outage of the scenario as written: an event
// is listed once, with its phases.
type OutageSummary struct {
	Name string `json:"name"`
	// Kind is "region" or "partition".
	Kind string `json:"kind"`
	// Region is the region of a region outage; Regions the two regions of
	// a partition.
	Region  string   `json:"region,omitempty"`
	Regions []string `json:"regions,omitempty"`
	// Services, Duration and ErrorRate describe an outage without phases.
	Services    []string       `json:"services,omitempty"`
	ErrorRate   float64        `json:"error_rate,omitempty"`
	Start       string         `json:"start"`
	Duration    string         `json:"duration,omitempty"`
	Probability float64        `json:"probability"`
	Phases      []PhaseSummary `json:"phases,omitempty"`
}

// PhaseSummary is one phase of an outage: its services go down at its
// error rate from start+offset for duration.
type PhaseSummary struct {
	Services  []string `json:"services"`
	Offset    string   `json:"offset"`
	Duration  string   `json:"duration"`
	ErrorRate float64  `json:"error_rate"`
}

// ProfileSummary is a named outage profile the scenario uses
// (profile(NAME)), with the data points and sources it is built from.
type ProfileSummary struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Caveat      string `json:"caveat"`
	// Median, P90 and P99 are the profile's quantiles in seconds.
	MedianSeconds float64         `json:"median_seconds"`
	P90Seconds    float64         `json:"p90_seconds"`
	P99Seconds    float64         `json:"p99_seconds"`
	Events        []ProfileSource `json:"events"`
}

// ProfileSource is one published event a profile rests on.
type ProfileSource struct {
	Date   string  `json:"date"`
	Region string  `json:"region"`
	What   string  `json:"what"`
	Window string  `json:"window"`
	Hours  float64 `json:"hours"`
	Source string  `json:"source"`
}

// outageSummaries lists the outages of cfg in file order.
func outageSummaries(cfg *model.Config) []OutageSummary {
	out := []OutageSummary{}
	region := func(i int) string {
		if i >= 0 && i < len(cfg.Regions) {
			return cfg.Regions[i].Name
		}
		return ""
	}
	for i := range cfg.Outages {
		o := &cfg.Outages[i]
		s := OutageSummary{Name: o.Label(), Kind: "region", Start: o.Start.String(), Probability: human.Round(o.Probability)}
		if o.Kind == model.Partition {
			s.Kind = "partition"
			s.Regions = []string{region(o.Regions[0]), region(o.Regions[1])}
			s.Duration = o.Duration.String()
			out = append(out, s)
			continue
		}
		s.Region = region(o.Region)
		if len(o.Phases) == 0 {
			s.Services = serviceList(o.Services)
			s.Duration = o.Duration.String()
			s.ErrorRate = human.Round(model.Rate(o.ErrorRate))
		}
		for _, p := range o.Phases {
			s.Phases = append(s.Phases, PhaseSummary{Services: serviceList(p.Services), Offset: p.Offset.String(),
				Duration: p.Duration.String(), ErrorRate: human.Round(model.Rate(p.ErrorRate))})
		}
		out = append(out, s)
	}
	return out
}

// serviceList spells a set of services.
func serviceList(s model.Services) []string {
	var out []string
	for i, n := range model.ServiceNames {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// scenarioDists returns every distribution of cfg, for finding profiles.
func scenarioDists(cfg *model.Config) []sim.Dist {
	var ds []sim.Dist
	for _, o := range cfg.Outages {
		ds = append(ds, o.Start, o.Duration)
		for _, p := range o.Phases {
			ds = append(ds, p.Offset, p.Duration)
		}
	}
	for _, b := range cfg.Buckets {
		for _, r := range b.Replication {
			ds = append(ds, r.Lag)
		}
		if b.Backup != nil {
			ds = append(ds, b.Backup.Copy)
		}
	}
	for _, t := range cfg.Tables {
		ds = append(ds, t.Lag)
		if t.Backup != nil {
			ds = append(ds, t.Backup.Copy)
		}
	}
	if fo := cfg.Failover; fo != nil {
		ds = append(ds, fo.Detect)
		for _, s := range fo.Steps {
			ds = append(ds, s.Duration, s.Op.Copy)
		}
	}
	for _, a := range cfg.Actions {
		ds = append(ds, a.At, a.Op.Copy)
	}
	return ds
}

// profileSummaries lists the named profiles cfg uses, by name.
func profileSummaries(cfg *model.Config) []ProfileSummary {
	used := map[string]sim.Dist{}
	for _, d := range scenarioDists(cfg) {
		if n := d.Profile(); n != "" {
			used[n] = d
		}
	}
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []ProfileSummary{}
	for _, n := range names {
		p, ok := sim.LookupProfile(n)
		if !ok {
			continue
		}
		d := used[n]
		ps := ProfileSummary{Name: p.Name, Description: p.Description, Caveat: p.Caveat,
			MedianSeconds: human.Round(d.Quantile(0.5) / 1e9), P90Seconds: human.Round(d.Quantile(0.9) / 1e9), P99Seconds: human.Round(d.Quantile(0.99) / 1e9)}
		for _, e := range p.Events {
			ps.Events = append(ps.Events, ProfileSource(e))
		}
		out = append(out, ps)
	}
	return out
}

// linkLags returns the lags of the replication links by which store si's
// writes reach region y, nil when it has none: a bucket's rules (and
// put-bucket-replication ops) to y, a table's lag when y holds one of its
// replicas from the start or gets one from create-table-replica. A store
// without such a link reaches y only through a restored backup, or not at
// all: its RPO is not set by a replication lag.
func linkLags(cfg *model.Config, si, y int) []sim.Dist {
	var lags []sim.Dist
	ops := func(f func(op *model.Op)) {
		for i := range cfg.Actions {
			f(&cfg.Actions[i].Op)
		}
		if cfg.Failover != nil {
			for i := range cfg.Failover.Steps {
				f(&cfg.Failover.Steps[i].Op)
			}
		}
	}
	if si < len(cfg.Buckets) {
		b := &cfg.Buckets[si]
		if b.Region == y {
			return nil // the source itself: nothing to replicate
		}
		for _, r := range b.Replication {
			if r.To == y {
				lags = append(lags, r.Lag)
			}
		}
		ops(func(op *model.Op) {
			if op.Kind == model.OpPutBucketReplication && op.Store.Kind == model.StoreBucket && op.Store.Index == si && op.To == y {
				lags = append(lags, model.DefaultS3Lag(op.RTC))
			}
		})
		return lags
	}
	ti := si - len(cfg.Buckets)
	t := &cfg.Tables[ti]
	linked := len(t.Regions) > 1 && slices.Contains(t.Regions, y)
	ops(func(op *model.Op) {
		if op.Kind == model.OpCreateTableReplica && op.Store.Kind == model.StoreTable && op.Store.Index == ti && op.Region == y {
			linked = true
		}
	})
	if linked {
		lags = append(lags, t.Lag)
	}
	return lags
}

// storeLag returns the replication lag that sets store si's RPO: among
// the lags of its links (linkLags) to the region a trial recovers in (the
// failover's to; every region when the scenario has no failover), the one
// with the largest p99.99. ok is false when the store has no such link:
// its writes reach the recovery region only through a restored backup, or
// not at all, so its RPO is not set by a replication lag (no tail
// warning).
func storeLag(cfg *model.Config, si int) (lag sim.Dist, ok bool) {
	var regions []int
	if fo := cfg.Failover; fo != nil {
		regions = []int{fo.To}
	} else {
		for y := range cfg.Regions {
			regions = append(regions, y)
		}
	}
	best := math.Inf(-1)
	for _, y := range regions {
		for _, l := range linkLags(cfg, si, y) {
			if q := l.Quantile(tailP); !ok || q > best {
				lag, best, ok = l, q, true
			}
		}
	}
	return lag, ok
}

// tailP is the lag quantile beyond which a store's RPO rests on an
// extrapolated tail.
const tailP = 0.9999

// bounded reports whether the family of d has a bounded or data-given
// support (constant, uniform, triangular, empirical): no tail warning.
func bounded(d sim.Dist) bool {
	switch d.Kind {
	case sim.Const, sim.Uniform, sim.Triangular, sim.Empirical:
		return true
	}
	return false
}
