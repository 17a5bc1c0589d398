package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/fixture"
)

// TestReportFindings checks that Build carries the static findings of the
// scenario, then the dynamic findings of its trials, most harmful first,
// that SetFindings replaces them, and that the JSON document has them (an
// empty array, never null).
func TestReportFindings(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Buckets[0].Replication[0].Role = "replicator" // not in the key's policy
	r := report.Build(cfg, 7, fixture.Synthetic(cfg, 50, 1), nil, -1)
	ids := []string{}
	for _, f := range r.Findings {
		ids = append(ids, f.ID)
		if f.Location.File != "snowy.toml" || f.Location.Path == "" {
			t.Errorf("%s: location %+v", f.ID, f.Location)
		}
		if (f.Kind == findings.KindDynamic) != (f.Effect != nil) {
			t.Errorf("%s: kind %s, effect %v", f.ID, f.Kind, f.Effect)
		}
	}
	// the synthetic trials: 3 stale (RPO over 5m), 1 unrecovered
	if strings.Join(ids, ",") != "DR105,DR106,DR507,DR501" {
		t.Fatalf("findings %v, want DR105, DR106, then DR507 and DR501", ids)
	}
	if e := r.Findings[2].Effect; e.Trials <= r.Findings[3].Effect.Trials || *e.MissBothOfAll < *r.Findings[3].Effect.MissBothOfAll {
		t.Errorf("dynamic findings out of order: %+v, %+v", *e, *r.Findings[3].Effect)
	}
	r.SetFindings(nil)
	var js bytes.Buffer
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || string(doc["findings"]) != "[]" {
		t.Errorf("findings in JSON: %s (%v)", doc["findings"], err)
	}
	r.SetFindings([]findings.Finding{{ID: "DR101"}})
	if len(r.Findings) != 1 || r.Findings[0].ID != "DR101" {
		t.Error("SetFindings")
	}
}
