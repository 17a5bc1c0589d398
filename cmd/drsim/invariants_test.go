package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/scenarios"
)

// checkReport checks the invariants of a report document of a run of
// trials trials, whatever the scenario (it is given the document as it
// decodes from JSON, so that it checks what a consumer reads): every
// probability in [0, 1] inside its Wilson interval and equal to met/n,
// percentiles ordered min ≤ p50 ≤ p90 ≤ p95 ≤ p99 ≤ max and inside their
// intervals, counts and means of counts ≥ 0, counts of trials at most the
// trials, shares in [0, 1], costs finite and ≥ 0 summing to the total, the
// operations' trial counts adding up, the quantile grids monotone. It
// returns every broken invariant, nil when none is.
func checkReport(r *report.Report, trials int) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	m := &r.Metrics
	if r.Trials != trials {
		bad("trials = %d, want %d", r.Trials, trials)
	}
	if !(r.HorizonSeconds > 0) || math.IsInf(r.HorizonSeconds, 0) {
		bad("horizon_seconds = %g", r.HorizonSeconds)
	}
	if m.IncidentTrials < 0 || m.IncidentTrials > trials {
		bad("incident_trials = %d of %d trials", m.IncidentTrials, trials)
	}

	// the summaries
	rto := &m.RTOSeconds
	checkSummary("rto_seconds", &rto.Summary, 0, math.Inf(1), true, bad)
	if rto.N != m.IncidentTrials || rto.Unrecovered < 0 || rto.Unrecovered > rto.N {
		bad("rto_seconds: n = %d, unrecovered = %d, incident trials = %d", rto.N, rto.Unrecovered, m.IncidentTrials)
	}
	recovered := m.IncidentTrials - rto.Unrecovered
	// An unbounded RPO (and its lost writes) counts as +Inf.
	checkSummary("rpo_seconds", &m.RPOSeconds.Summary, 0, math.Inf(1), m.RPOSeconds.Unbounded > 0, bad)
	checkSummary("lost_writes", &m.LostWrites.Summary, 0, math.Inf(1), m.LostWrites.Unbounded > 0, bad)
	if m.RPOSeconds.Unbounded != m.LostWrites.Unbounded || m.RPOSeconds.Unbounded < 0 || m.RPOSeconds.Unbounded > m.RPOSeconds.N {
		bad("unbounded: rpo %d, lost writes %d, of %d", m.RPOSeconds.Unbounded, m.LostWrites.Unbounded, m.RPOSeconds.N)
	}
	for _, s := range []struct {
		name string
		n    int
	}{{"rpo_seconds", m.RPOSeconds.N}, {"lost_writes", m.LostWrites.N}} {
		if s.n != recovered {
			bad("%s: n = %d, want the %d recovered incident trials", s.name, s.n, recovered)
		}
	}
	for _, name := range sortedKeysOf(m.LostWrites.ByStore) {
		s := m.LostWrites.ByStore[name]
		checkSummary("lost_writes.by_store."+name, &s, 0, math.Inf(1), m.LostWrites.Unbounded > 0, bad)
		if s.N != recovered {
			bad("lost_writes.by_store.%s: n = %d, want %d", name, s.N, recovered)
		}
		if s.Max != nil && m.LostWrites.Max != nil && *s.Max > *m.LostWrites.Max*(1+1e-8) {
			bad("lost_writes.by_store.%s: max %g above the total's %g", name, *s.Max, *m.LostWrites.Max)
		}
	}
	checkSummary("availability", &m.Availability, 0, 1, false, bad)
	checkSummary("request_success", &m.RequestSuccess, 0, 1, false, bad)
	checkSummary("incident_request_success", &m.IncidentRequestSuccess, 0, 1, false, bad)
	if m.Availability.N != trials {
		bad("availability: n = %d, want %d", m.Availability.N, trials)
	}
	if m.RequestSuccess.N > trials || m.IncidentRequestSuccess.N > m.IncidentTrials {
		bad("request_success n = %d, incident_request_success n = %d", m.RequestSuccess.N, m.IncidentRequestSuccess.N)
	}

	// requests and KMS failures
	for name, v := range map[string]float64{"unavailable_requests_mean": m.Unavailable,
		"unavailable_requests_per_second": m.UnavailablePerSecond, "offered_requests_mean": m.OfferedMean,
		"decrypt_failures.total_mean": m.KMSFailures.TotalMean} {
		if !(v >= 0) {
			bad("%s = %g", name, v)
		}
	}
	if s := m.UnavailableShare; s != nil && !(*s >= 0 && *s <= 1) {
		bad("unavailable_requests_share = %g", *s)
	}
	checkSum := func(what string, parts map[string]float64) {
		var sum float64
		for _, k := range sortedKeysOf(parts) {
			if !(parts[k] >= 0) {
				bad("%s.%s = %g", what, k, parts[k])
			}
			sum += parts[k]
		}
		if !near(sum, m.KMSFailures.TotalMean) {
			bad("%s sums to %g, total_mean is %g", what, sum, m.KMSFailures.TotalMean)
		}
	}
	checkSum("decrypt_failures.by_reason", m.KMSFailures.ByReason)
	checkSum("decrypt_failures.by_region", m.KMSFailures.ByRegion)
	for _, reason := range sortedKeysOf(m.KMSFailures.ByReasonRegion) {
		var sum float64
		for _, v := range m.KMSFailures.ByReasonRegion[reason] {
			sum += v
		}
		if !near(sum, m.KMSFailures.ByReason[reason]) {
			bad("decrypt_failures.by_reason_region.%s sums to %g, by_reason says %g", reason, sum, m.KMSFailures.ByReason[reason])
		}
	}

	// P(meet)
	o := &r.ObjectivesMet
	for _, p := range []struct {
		name string
		p    *report.Probability
		set  bool
	}{{"rto", &o.RTO, r.Objectives.RTOSeconds != nil}, {"rpo", &o.RPO, r.Objectives.RPOSeconds != nil},
		{"both", &o.Both, r.Objectives.RTOSeconds != nil || r.Objectives.RPOSeconds != nil}} {
		checkProbability("objectives_met."+p.name, p.p, p.set, trials, bad)
	}
	if o.Both.Met > o.RTO.Met || o.Both.Met > o.RPO.Met {
		bad("objectives_met: both met %d times, rto %d, rpo %d", o.Both.Met, o.RTO.Met, o.RPO.Met)
	}

	// cost
	c := &r.Cost.MonthlyUSD
	var sum float64
	for _, it := range c.Items {
		if !(it.USD >= 0) || math.IsInf(it.USD, 0) {
			bad("cost item %s = %g", it.Name, it.USD)
		}
		sum += it.USD
	}
	if !(c.Total >= 0) || math.IsInf(c.Total, 0) || !near(sum, c.Total) {
		bad("cost total %g, items sum to %g", c.Total, sum)
	}
	for _, e := range r.Cost.PriceBook.Entries {
		if !(e.USD >= 0) || math.IsInf(e.USD, 0) {
			bad("price %s = %g", e.ID, e.USD)
		}
	}

	// operations
	for _, op := range r.Operations {
		if op.TrialsStarted != op.TrialsDone+op.TrialsFailed+op.TrialsAbandoned || op.TrialsStarted+op.TrialsNotStarted != trials ||
			min(op.TrialsDone, op.TrialsFailed, op.TrialsAbandoned, op.TrialsNotStarted) < 0 {
			bad("operation %s: started %d = done %d + failed %d + abandoned %d, + not started %d = %d trials",
				op.Name, op.TrialsStarted, op.TrialsDone, op.TrialsFailed, op.TrialsAbandoned, op.TrialsNotStarted, trials)
		}
		if op.TrialsRefused < 0 || op.TrialsRefused > op.TrialsFailed {
			bad("operation %s: refused in %d trials, failed in %d", op.Name, op.TrialsRefused, op.TrialsFailed)
		}
		if !(op.AttemptsMean >= 0) || (op.TrialsStarted == 0 && op.AttemptsMean != 0) {
			bad("operation %s: attempts_mean = %g", op.Name, op.AttemptsMean)
		}
		for _, e := range sortedKeysOf(op.Errors) {
			if op.Errors[e] < 0 {
				bad("operation %s: errors.%s = %d", op.Name, e, op.Errors[e])
			}
		}
		checkOrdered("operation "+op.Name+" done_at", []*float64{op.DoneAtP50Seconds, op.DoneAtP90Seconds, op.DoneAtP99Seconds}, 0, r.HorizonSeconds, bad)
		checkOrdered("operation "+op.Name+" done_after_t0", []*float64{op.DoneAfterT0P50Seconds, op.DoneAfterT0P90Seconds}, 0, r.HorizonSeconds, bad)
		if (op.DoneAtP50Seconds != nil) != (op.TrialsDone > 0) {
			bad("operation %s: done_at_p50 %v with %d trials done", op.Name, op.DoneAtP50Seconds, op.TrialsDone)
		}
	}

	// the quantile grids
	d := &r.Distributions
	if d.IncidentTrials != m.IncidentTrials || d.Unrecovered != rto.Unrecovered {
		bad("distributions: %d incident trials, %d unrecovered; metrics say %d, %d", d.IncidentTrials, d.Unrecovered, m.IncidentTrials, rto.Unrecovered)
	}
	checkGrid("distributions.rto", d.RTO, true, bad)
	checkGrid("distributions.rpo", d.RPO, r.Metrics.RPOSeconds.Unbounded > 0, bad)

	if rp := r.Representative; rp != nil {
		if rp.Trial < 0 || rp.Trial >= trials {
			bad("representative trial %d of %d", rp.Trial, trials)
		}
		if rp.LostWrites != nil && *rp.LostWrites < 0 {
			bad("representative lost writes %d", *rp.LostWrites)
		}
		for _, v := range []*float64{rp.T0Seconds, rp.RTOSeconds, rp.RPOSeconds, rp.FailoverAtSeconds} {
			if v != nil && !(*v >= 0) {
				bad("representative: a negative time %g", *v)
			}
		}
		for _, s := range rp.Segments {
			if s.End < s.Start {
				bad("representative segment %s %q ends at %d before its start %d", s.Lane, s.Label, s.End, s.Start)
			}
		}
		for i := 1; i < len(rp.Events); i++ {
			if rp.Events[i].T < rp.Events[i-1].T {
				bad("representative events out of order: %d after %d", rp.Events[i].T, rp.Events[i-1].T)
				break
			}
		}
	}
	if r.Findings == nil || r.Warnings == nil || r.Operations == nil {
		bad("findings, warnings or operations is null")
	}
	return errors.Join(errs...)
}

// checkSummary checks a Summary of values in [lo, hi]: every figure set is
// in range, min ≤ p50 ≤ p90 ≤ p95 ≤ p99 ≤ max, the mean in [min, max] and
// inside its interval, each percentile inside its interval. A null
// percentile is +Inf where infAllowed (the RTO of unrecovered trials), and
// otherwise only allowed when n is 0.
func checkSummary(name string, s *report.Summary, lo, hi float64, infAllowed bool, bad func(string, ...any)) {
	if s.N < 0 {
		bad("%s: n = %d", name, s.N)
	}
	if s.N == 0 {
		if s.Mean != nil || s.P50 != nil || s.Max != nil || s.Min != nil {
			bad("%s: figures without values", name)
		}
		return
	}
	ps := []*float64{s.Min, s.P50, s.P90, s.P95, s.P99, s.Max}
	if !infAllowed {
		for i, p := range ps {
			if p == nil {
				bad("%s: figure %d is null with n = %d", name, i, s.N)
				return
			}
		}
		if s.Mean == nil {
			bad("%s: no mean with n = %d", name, s.N)
		}
	}
	checkOrdered(name, ps, lo, hi, bad)
	if s.Mean != nil {
		if !inRange(*s.Mean, lo, hi) || (s.Min != nil && *s.Mean < *s.Min-tol(*s.Min)) ||
			(s.Max != nil && *s.Mean > *s.Max+tol(*s.Max)) {
			bad("%s: mean %g outside [%v, %v]", name, *s.Mean, deref(s.Min), deref(s.Max))
		}
		if ci := s.MeanCI95; ci != nil && (ci[0] > *s.Mean+tol(*s.Mean) || ci[1] < *s.Mean-tol(*s.Mean)) {
			bad("%s: mean %g outside its interval %v", name, *s.Mean, *ci)
		}
	}
	if c := s.PCI95; c != nil {
		for _, pc := range []struct {
			p  *float64
			iv report.Interval
		}{{s.P50, c.P50}, {s.P90, c.P90}, {s.P95, c.P95}, {s.P99, c.P99}} {
			if pc.p == nil {
				continue
			}
			if pc.iv[0] != nil && *pc.iv[0] > *pc.p+tol(*pc.p) || pc.iv[1] != nil && *pc.iv[1] < *pc.p-tol(*pc.p) {
				bad("%s: percentile %g outside its interval [%v, %v]", name, *pc.p, deref(pc.iv[0]), deref(pc.iv[1]))
			}
		}
	}
}

// checkOrdered checks that the figures set are in [lo, hi] and
// nondecreasing, and that a null one (+Inf) is followed only by nulls.
func checkOrdered(name string, ps []*float64, lo, hi float64, bad func(string, ...any)) {
	prev := math.Inf(-1)
	for i, p := range ps {
		if p == nil {
			prev = math.Inf(1)
			continue
		}
		if !inRange(*p, lo, hi) {
			bad("%s: figure %d = %g outside [%g, %g]", name, i, *p, lo, hi)
		}
		if *p < prev-tol(prev) {
			bad("%s: figure %d = %g below the one before, %g", name, i, *p, prev)
		}
		prev = *p
	}
}

// checkProbability checks an estimated probability of trials trials.
func checkProbability(name string, p *report.Probability, set bool, trials int, bad func(string, ...any)) {
	if p.N != trials || p.Met < 0 || p.Met > p.N {
		bad("%s: met %d of %d, %d trials", name, p.Met, p.N, trials)
	}
	if (p.P != nil) != set || (p.CI95 != nil) != set {
		bad("%s: p %v, ci95 %v with the objective set: %v", name, p.P, p.CI95, set)
		return
	}
	if !set {
		return
	}
	v, ci := *p.P, *p.CI95
	if !(v >= 0 && v <= 1) || !(ci[0] >= 0 && ci[0] <= v+tol(v) && v <= ci[1]+tol(v) && ci[1] <= 1) {
		bad("%s: p = %g, ci95 = %v", name, v, ci)
	}
	if p.N > 0 && !near(v, float64(p.Met)/float64(p.N)) {
		bad("%s: p = %g, met/n = %d/%d", name, v, p.Met, p.N)
	}
}

// checkGrid checks a quantile grid: p from 0 to 1 increasing, the seconds
// nondecreasing and ≥ 0, null (+Inf) only at the end and only for the RTO
// and an RPO with unbounded trials.
func checkGrid(name string, q []report.QuantilePoint, infAllowed bool, bad func(string, ...any)) {
	prevP := -1.0
	ps := make([]*float64, len(q))
	for i, pt := range q {
		if !(pt.P > prevP && pt.P >= 0 && pt.P <= 1) {
			bad("%s: p = %g after %g", name, pt.P, prevP)
		}
		prevP = pt.P
		if pt.Seconds == nil && !infAllowed {
			bad("%s: null at p = %g", name, pt.P)
		}
		ps[i] = pt.Seconds
	}
	checkOrdered(name, ps, 0, math.Inf(1), bad)
}

func inRange(x, lo, hi float64) bool {
	return x >= lo-tol(lo) && x <= hi+tol(hi) && !math.IsNaN(x)
}

// tol is the tolerance of a comparison of figures rounded to 9
// significant digits.
func tol(x float64) float64 {
	if math.IsInf(x, 0) {
		return 0
	}
	return 1e-8 * math.Max(1, math.Abs(x))
}

// near reports whether a and b agree to the 9 significant digits of the
// result documents (with some slack for sums of rounded figures).
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-7*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func sortedKeysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestCheckReportDetects: checkReport passes a real report and finds each
// broken invariant planted in a copy of it.
func TestCheckReportDetects(t *testing.T) {
	cfg, err := scenarios.LoadBundled("snowy")
	if err != nil {
		t.Fatal(err)
	}
	s := simulate(cfg, 7, 40, 1)
	var doc bytes.Buffer
	if err := report.WriteJSON(&doc, s.report); err != nil {
		t.Fatal(err)
	}
	fresh := func() *report.Report {
		var r report.Report
		if err := json.Unmarshal(doc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	if err := checkReport(fresh(), 40); err != nil {
		t.Fatalf("snowy's report breaks an invariant: %v", err)
	}
	f := func(x float64) *float64 { return &x }
	for _, tc := range []struct {
		name  string
		plant func(r *report.Report)
	}{
		{"trials", func(r *report.Report) { r.Trials = 41 }},
		{"incident trials", func(r *report.Report) { r.Metrics.IncidentTrials = 41 }},
		{"p above 1", func(r *report.Report) { r.ObjectivesMet.Both.P = f(1.5) }},
		{"p outside its interval", func(r *report.Report) { r.ObjectivesMet.RTO.CI95 = &[2]float64{0, 0} }},
		{"p not met/n", func(r *report.Report) { r.ObjectivesMet.RPO.Met-- }},
		{"percentiles out of order", func(r *report.Report) { r.Metrics.RTOSeconds.P90 = f(*r.Metrics.RTOSeconds.P50 / 2) }},
		{"max below p99", func(r *report.Report) { r.Metrics.RPOSeconds.Max = f(-1) }},
		{"negative lost writes", func(r *report.Report) { r.Metrics.LostWrites.Min = f(-3) }},
		{"mean outside min and max", func(r *report.Report) { r.Metrics.Availability.Mean = f(2) }},
		{"cost item NaN", func(r *report.Report) { r.Cost.MonthlyUSD.Items[0].USD = math.NaN() }},
		{"cost total", func(r *report.Report) { r.Cost.MonthlyUSD.Total += 10 }},
		{"cost +Inf", func(r *report.Report) { r.Cost.MonthlyUSD.Total = math.Inf(1) }},
		{"operation counts", func(r *report.Report) { r.Operations[0].TrialsDone++ }},
		{"failures by reason", func(r *report.Report) { r.Metrics.KMSFailures.ByReason["ThrottlingException"] += 1 }},
		{"grid decreasing", func(r *report.Report) {
			q := r.Distributions.RPO
			q[len(q)-1].Seconds = f(-1)
		}},
		{"representative trial", func(r *report.Report) { r.Representative.Trial = 40 }},
	} {
		r := fresh()
		tc.plant(r)
		if err := checkReport(r, 40); err == nil {
			t.Errorf("%s: not detected", tc.name)
		}
	}
}
