package report_test

import (
	"math"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/fixture"
)

// TestKMSFailuresByKeyAndStore runs snowy with a hidden single-Region
// client-side key and checks the KMS failures by key and by store: every
// failed call is the table's, made with that key, and the breakdowns add
// up to the total by reason and region.
func TestKMSFailuresByKeyAndStore(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Keys = append(cfg.Keys, model.Key{Name: "tokens", Primary: 0, Users: []string{"alerts-app"}})
	cfg.Tables[0].ClientKey = 1
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	results := model.RunTrials(cfg, 7, 60, 2, nil)
	f := report.Build(cfg, 7, results, nil, -1).Metrics.KMSFailures
	if f.TotalMean <= 0 {
		t.Fatal("no KMS failures")
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
	if !near(f.ByKey["tokens"], f.TotalMean) || f.ByKey["alerts"] != 0 || len(f.ByKey) != 2 {
		t.Errorf("by key %v, total %v", f.ByKey, f.TotalMean)
	}
	if !near(f.ByStore["alert-state"], f.TotalMean) || f.ByStore["alerts"] != 0 || len(f.ByStore) != 2 {
		t.Errorf("by store %v, total %v", f.ByStore, f.TotalMean)
	}
	un := kms.Unavailable.String()
	if !near(f.ByKeyReason["tokens"][un], f.ByReason[un]) || !near(f.ByStoreReason["alert-state"][un], f.ByReason[un]) {
		t.Errorf("by key and reason %v, by store and reason %v, by reason %v", f.ByKeyReason, f.ByStoreReason, f.ByReason)
	}
	if _, ok := f.ByKeyReason["alerts"]; ok {
		t.Errorf("a key without failures has reasons: %v", f.ByKeyReason)
	}
}
