package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// unboundedTrial is a recovered incident trial whose RPO is unbounded: the
// store "alerts" has writes that never reach the recovery region.
func unboundedTrial(i int) model.TrialResult {
	t := fixture.Trial(i, true, true, 10*sim.Minute, sim.Forever, model.UnboundedLost)
	t.StoreRPO = []sim.Time{sim.Forever, 0}
	return t
}

// TestUnboundedRPO: a trial with an unbounded RPO counts as +Inf in the RPO
// and lost-writes percentiles (null where they fall on it), is left out of
// their means, misses the RPO objective, is "inf" in the per-trial CSV and
// has no RPO difference in a comparison.
func TestUnboundedRPO(t *testing.T) {
	m := sim.Minute
	cfg := fixture.SnowyConfig()
	trials := []model.TrialResult{
		fixture.Trial(0, true, true, 10*m, 1*m, 3),
		fixture.Trial(1, true, true, 20*m, 3*m, 5),
		unboundedTrial(2),
		fixture.Trial(3, true, false, 0, 0, 0),
	}
	r := Build(cfg, 7, trials, nil, -1)
	rpo, lost := r.Metrics.RPOSeconds, r.Metrics.LostWrites
	if rpo.N != 3 || rpo.Unbounded != 1 || !eqP(rpo.Mean, 120) || !eqP(rpo.P50, 180) || rpo.P99 != nil || rpo.Max != nil {
		t.Errorf("rpo: n %d unbounded %d mean %s p50 %s p99 %s max %s", rpo.N, rpo.Unbounded, fp(rpo.Mean), fp(rpo.P50), fp(rpo.P99), fp(rpo.Max))
	}
	if lost.N != 3 || lost.Unbounded != 1 || !eqP(lost.Mean, 4) || lost.Max != nil {
		t.Errorf("lost: n %d unbounded %d mean %s max %s", lost.N, lost.Unbounded, fp(lost.Mean), fp(lost.Max))
	}
	if s := lost.ByStore["alerts"]; s.Max != nil || !eqP(s.Mean, 4) {
		t.Errorf("lost of alerts: max %s mean %s", fp(s.Max), fp(s.Mean))
	}
	if s := lost.ByStore["alert-state"]; !eqP(s.Max, 0) {
		t.Errorf("lost of alert-state: max %s", fp(s.Max))
	}
	if o := r.ObjectivesMet; o.RPO.Met != 2 || o.Both.Met != 2 {
		t.Errorf("objectives met: rpo %d both %d, want 2 2", o.RPO.Met, o.Both.Met)
	}
	if d := r.Distributions.RPO; d[100].Seconds != nil || d[0].Seconds == nil || *d[0].Seconds != 60 {
		t.Errorf("RPO distribution ends %v %v", d[0].Seconds, d[100].Seconds)
	}
	var csv bytes.Buffer
	if err := WriteCSV(&csv, cfg, trials); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(csv.String(), "\n")
	if !strings.HasPrefix(rows[3], "2,3600,600,inf,inf,inf,0,") {
		t.Errorf("CSV row of the unbounded trial: %q", rows[3])
	}

	// LostTotal saturates below UnboundedLost without an unbounded store.
	big := fixture.Trial(0, true, true, m, m, model.UnboundedLost-1)
	big.LostWrites = []int64{model.UnboundedLost - 1, model.UnboundedLost - 1}
	tr := NewTrials(cfg, 0, 0)
	tr.Add(big, unboundedTrial(1))
	if got := tr.LostTotal(0); got != model.UnboundedLost-1 {
		t.Errorf("saturated total %d", got)
	}
	if got := tr.LostTotal(1); got != model.UnboundedLost || !tr.Record(1).UnboundedRPO() {
		t.Errorf("unbounded total %d", got)
	}

	// Paired with a bounded run, the unbounded trial has no RPO difference.
	b := []model.TrialResult{trials[0], trials[1], fixture.Trial(2, true, true, 10*m, 2*m, 4), trials[3]}
	ta, tb := NewTrials(cfg, 7, 0), NewTrials(cfg, 7, 0)
	ta.Add(trials...)
	tb.Add(b...)
	pd, _ := pairedDiff(ta, tb)
	if pd.RPOSeconds.N != 2 || pd.RTOSeconds.N != 3 || pd.LostWrites.N != 2 {
		t.Errorf("paired n: rpo %d rto %d lost %d, want 2 3 2", pd.RPOSeconds.N, pd.RTOSeconds.N, pd.LostWrites.N)
	}
}
