package report

import (
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// TestTailWarning: a store whose RPO p50 or p95 exceeds the p99.99 of its
// replication lag gets a warning naming the store and the distribution
// (with RTC, snowy's bucket: its p95, not its p50, which is set by the
// oldest of thousands of writes in flight); never for a bounded lag.
func TestTailWarning(t *testing.T) {
	run := func(edit func(c *model.Config)) *Report {
		cfg := fixture.SnowyConfig()
		cfg.Buckets[0].Replication[0].Role = "s3-replication"
		edit(cfg)
		res := model.RunTrials(cfg, 7, 300, 2, nil)
		return Build(cfg, 7, res, nil, -1)
	}
	has := func(r *Report, sub string) bool {
		for _, w := range r.Warnings {
			if strings.Contains(w, sub) {
				return true
			}
		}
		return false
	}
	rtc := run(func(*model.Config) {})
	if !has(rtc, `store "alerts": RPO p95 `) || has(rtc, "RPO p50") {
		t.Errorf("RTC: want a tail warning on the p95 only: %v", rtc.Warnings)
	}
	noRTC := run(func(c *model.Config) {
		c.Buckets[0].Replication[0].RTC = false
		c.Buckets[0].Replication[0].Lag = model.DefaultS3Lag(false)
	})
	want := `store "alerts": RPO p50 `
	if !has(noRTC, want) || !has(noRTC, "of its replication lag lognormal(median=30s, p99=30m)") {
		t.Errorf("no RTC: no tail warning %q naming the lag: %v", want, noRTC.Warnings)
	}
	if has(noRTC, `store "alert-state"`) {
		t.Errorf("the table's RPO is not on its lag's tail: %v", noRTC.Warnings)
	}
	bounded := run(func(c *model.Config) {
		c.Buckets[0].Replication[0].Lag = sim.UniformDist(sim.Hour, 30*sim.Hour)
	})
	if has(bounded, "extrapolated tail") {
		t.Errorf("bounded lag: unexpected tail warning: %v", bounded.Warnings)
	}
	// A table with one region is restored from its backup: its RPO (hours)
	// is set by the backup, not by the lag it leaves at its default
	// (issue: backup-and-restore warned that the orders table's RPO lay
	// beyond its lag's p99.99).
	restored := run(func(c *model.Config) {
		tb := &c.Tables[0]
		tb.Regions, tb.Keys = tb.Regions[:1], tb.Keys[:1]
		tb.Backup = &model.Backup{To: 1, Every: sim.Hour, Copy: sim.ConstDist(10 * sim.Minute), Key: 0}
		f := c.Failover
		f.Steps = append(f.Steps, model.Step{Name: "restore", After: []int{0}, Duration: sim.ConstDist(sim.Minute), Required: true, Retry: sim.Minute,
			Op: model.Op{Kind: model.OpRestoreBackup, Key: -1, Region: -1, To: -1, Store: model.StoreRef{Kind: model.StoreTable, Index: 0}}})
		f.Steps[3].After = append(f.Steps[3].After, 4)
	})
	if p50 := restored.Metrics.RPOSeconds.P50; p50 == nil || *p50 < 600 {
		t.Fatalf("restored table: RPO p50 %v, want the backup's (over 10 minutes)", p50)
	}
	if has(restored, `store "alert-state"`) {
		t.Errorf("a table restored from backup got a tail warning: %v", restored.Warnings)
	}
	// An empirical lag is bounded (sim: p100 = p90·(p99/p90)^(10/9)).
	empirical := run(func(c *model.Config) {
		c.Buckets[0].Replication[0].Lag = sim.EmpiricalDist(5*sim.Second, 20*sim.Second, 2*sim.Minute)
	})
	if has(empirical, "extrapolated tail") {
		t.Errorf("empirical lag: unexpected tail warning: %v", empirical.Warnings)
	}
	if p95 := empirical.Metrics.RPOSeconds.P95; p95 == nil || *p95 > 147 {
		t.Errorf("empirical lag: RPO p95 %v beyond the lag's p100 (2m26s)", p95)
	}
}

// TestOutagesListed: the report lists each event once, with its phases,
// and names the profiles it uses with their data points and sources
// (render's TestScenarioText checks how the text report prints them).
func TestOutagesListed(t *testing.T) {
	cfg := fixture.PhasedSnowyConfig()
	r := Build(cfg, 7, model.RunTrials(cfg, 7, 20, 2, nil), nil, -1)
	if len(r.Outages) != 2 || len(r.Outages[1].Phases) != 2 || r.Outages[0].Duration != "profile(aws-regional)" ||
		r.Outages[1].Phases[1].ErrorRate != 0.5 || r.Start != "steady" {
		t.Fatalf("outages %+v start %q", r.Outages, r.Start)
	}
	if len(r.Profiles) != 1 || r.Profiles[0].Name != "aws-regional" || len(r.Profiles[0].Events) != 8 ||
		r.Profiles[0].Events[5].Source != "https://aws.amazon.com/message/12721/" {
		t.Fatalf("profiles %+v", r.Profiles)
	}
}

// TestOpNeeds: a step's needs are listed with its operation summary, and a
// step with needs but no op counts its attempts.
func TestOpNeeds(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Failover.Steps[3].Needs = []model.Need{{Service: model.SvcRoute53Control, Region: 0}, {ARC: true, Region: -1}}
	r := Build(cfg, 7, model.RunTrials(cfg, 7, 20, 2, nil), nil, -1)
	dns := r.Operations[len(r.Operations)-1]
	if strings.Join(dns.Needs, " ") != "route53-control@us-east-1 arc-routing-control" || dns.AttemptsMean < 1 ||
		!strings.Contains(dns.Summary, "mean attempts") {
		t.Errorf("dns: needs %v, attempts %v, summary %q", dns.Needs, dns.AttemptsMean, dns.Summary)
	}
}
