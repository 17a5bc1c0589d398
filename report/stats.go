package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/human"
)

// z95 is the two-sided 95% standard normal quantile.
var z95 = distuv.UnitNormal.Quantile(0.975)

// summarize describes the finite values plus inf values of +Inf. The mean
// and its interval are over the finite values only. values is sorted in
// place.
func summarize(values []float64, inf int) Summary {
	n := len(values) + inf
	s := Summary{N: n}
	if n == 0 {
		return s
	}
	sort.Float64s(values)
	if len(values) > 0 {
		mean, ci := meanCI(values)
		s.Mean, s.MeanCI95 = ptr(human.Round(mean)), ci
	}
	sorted := values
	if inf > 0 {
		sorted = make([]float64, n)
		copy(sorted, values)
		for i := len(values); i < n; i++ {
			sorted[i] = math.Inf(1)
		}
	}
	q := func(p float64) *float64 { return finite(stat.Quantile(p, stat.Empirical, sorted, nil)) }
	s.P50, s.P90, s.P95, s.P99 = q(0.50), q(0.90), q(0.95), q(0.99)
	s.Max = finite(sorted[n-1])
	s.Min = finite(sorted[0])
	s.PCI95 = &PercentileCIs{
		P50: quantileCI(sorted, 0.50),
		P90: quantileCI(sorted, 0.90),
		P95: quantileCI(sorted, 0.95),
		P99: quantileCI(sorted, 0.99),
	}
	return s
}

// finite returns a pointer to the rounded x, or nil when x is not finite.
func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return ptr(human.Round(x))
}

// quantileCI returns the distribution-free 95% interval of the p-quantile of
// the sorted sample: order statistics x(l) and x(u) (1-based) with l the
// 2.5% and u−1 the 97.5% quantile of Binomial(n, p), so that at least 95%
// of the binomial mass lies in [l, u). A bound outside the sample is null.
func quantileCI(sorted []float64, p float64) Interval {
	n := len(sorted)
	var iv Interval
	if n == 0 {
		return iv
	}
	l := binomQuantile(n, p, 0.025)
	u := binomQuantile(n, p, 0.975) + 1
	if l >= 1 && l <= n {
		iv[0] = finite(sorted[l-1])
	}
	if u >= 1 && u <= n {
		iv[1] = finite(sorted[u-1])
	}
	return iv
}

// binomQuantile returns the smallest k in [0, n] with P(B ≤ k) ≥ q, B ~
// Binomial(n, p).
func binomQuantile(n int, p, q float64) int {
	b := distuv.Binomial{N: float64(n), P: p}
	lo, hi := 0, n
	for lo < hi {
		mid := (lo + hi) / 2
		if b.CDF(float64(mid)) >= q {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// wilson returns the Wilson score 95% interval of met successes in n trials.
func wilson(met, n int) [2]float64 {
	if n == 0 {
		return [2]float64{0, 1}
	}
	nf := float64(n)
	p := float64(met) / nf
	z2 := z95 * z95
	den := 1 + z2/nf
	c := (p + z2/(2*nf)) / den
	h := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	lo, hi := math.Max(0, c-h), math.Min(1, c+h)
	if met == 0 {
		lo = 0
	}
	if met == n {
		hi = 1
	}
	return [2]float64{human.Round(lo), human.Round(hi)}
}

// meanCI returns the mean of d and its 95% interval (Student t).
func meanCI(d []float64) (mean float64, ci *[2]float64) {
	if len(d) == 0 {
		return 0, nil
	}
	mean, sd := stat.MeanStdDev(d, nil)
	if len(d) < 2 {
		return mean, nil
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.Quantile(0.975)
	h := t * sd / math.Sqrt(float64(len(d)))
	return mean, &[2]float64{human.Round(mean - h), human.Round(mean + h)}
}

// buildMetrics aggregates the per-trial metrics. It also returns the number
// of non-finite values (NaN, ±Inf) found in the results' counts, which are
// left out.
func buildMetrics(cfg *model.Config, results []model.TrialResult) (Metrics, int) {
	var m Metrics
	bad := 0
	fin := func(x float64) float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			bad++
			return 0
		}
		return x
	}
	nStores := len(cfg.Buckets) + len(cfg.Tables)
	var rto, rpo, lost []float64
	byStore := make([][]float64, nStores)
	unrecovered := 0
	var avail, success, incSuccess []float64
	nRegions := len(cfg.Regions)
	fails := make([]float64, int(kms.NumReasons)*nRegions)
	// by key and by store: [reason*(n+1)+index], index n for "(unnamed)"
	nKeys := len(cfg.Keys)
	kmsByKey := make([]float64, int(kms.NumReasons)*(nKeys+1))
	kmsByStore := make([]float64, int(kms.NumReasons)*(nStores+1))
	var unavailable, offered float64
	for i := range results {
		t := &results[i]
		if t.Incident {
			m.IncidentTrials++
			if t.Recovered {
				rto = append(rto, seconds(t.RTO))
				rpo = append(rpo, seconds(t.RPO))
				lost = append(lost, float64(t.LostTotal))
				for s := 0; s < nStores; s++ {
					var v float64
					if s < len(t.LostWrites) {
						v = float64(t.LostWrites[s])
					}
					byStore[s] = append(byStore[s], v)
				}
			} else {
				unrecovered++
			}
		}
		if cfg.Horizon > 0 {
			avail = append(avail, float64(t.UpTime)/float64(cfg.Horizon))
		}
		o := fin(t.Offered)
		if o > 0 {
			success = append(success, fin(fin(t.Succeeded)/o))
		}
		offered += o
		if io := fin(t.IncidentOffered); t.Incident && io > 0 {
			incSuccess = append(incSuccess, fin(fin(t.IncidentSucceeded)/io))
		}
		for k := range fails {
			if k < len(t.KMSFailures) {
				fails[k] += fin(t.KMSFailures[k])
			}
		}
		for _, c := range t.KMSFailuresBy {
			v := fin(c.N)
			r := int(c.Cause.Reason())
			kmsByKey[r*(nKeys+1)+slot(c.Cause.Key(), nKeys)] += v
			kmsByStore[r*(nStores+1)+slot(c.Cause.Store(), nStores)] += v
		}
		unavailable += fin(t.Unavailable)
	}
	m.RTOSeconds = RTOSummary{Summary: summarize(rto, unrecovered), Unrecovered: unrecovered}
	m.RPOSeconds = summarize(rpo, 0)
	m.LostWrites = LostSummary{Summary: summarize(lost, 0), ByStore: map[string]Summary{}}
	for s, name := range storeKeys(cfg) {
		m.LostWrites.ByStore[name] = summarize(byStore[s], 0)
	}
	m.Availability = summarize(avail, 0)
	m.RequestSuccess = summarize(success, 0)
	m.IncidentRequestSuccess = summarize(incSuccess, 0)
	if offered > 0 {
		m.UnavailableShare = finite(unavailable / offered)
	}
	n := float64(len(results))
	if n > 0 {
		unavailable /= n
		offered /= n
		for k := range fails {
			fails[k] /= n
		}
		for k := range kmsByKey {
			kmsByKey[k] /= n
		}
		for k := range kmsByStore {
			kmsByStore[k] /= n
		}
	}
	m.Unavailable = human.Round(unavailable)
	m.OfferedMean = human.Round(offered)
	if h := seconds(cfg.Horizon); h > 0 {
		m.UnavailablePerSecond = human.Round(unavailable / h)
	}
	m.KMSFailures = failures(cfg, fails)
	keyNames := make([]string, nKeys)
	for i := range cfg.Keys {
		keyNames[i] = cfg.Keys[i].Name
	}
	m.KMSFailures.ByKey, m.KMSFailures.ByKeyReason = breakdown(keyNames, kmsByKey)
	m.KMSFailures.ByStore, m.KMSFailures.ByStoreReason = breakdown(storeKeys(cfg), kmsByStore)
	return m, bad
}

// unnamed names the failed calls whose key or store a trial could not
// name.
const unnamed = "(unnamed)"

// slot returns the index of i among n named things, n for an unnamed one
// (-1 or out of range).
func slot(i, n int) int {
	if i < 0 || i >= n {
		return n
	}
	return i
}

// breakdown folds mean failed calls indexed [reason*(len(names)+1)+i] (i
// = len(names) for the unnamed ones) into totals by name, every name with
// an entry and "(unnamed)" only when not zero, and by name then reason,
// zero entries left out.
func breakdown(names []string, v []float64) (map[string]float64, map[string]map[string]float64) {
	n := len(names) + 1
	total := map[string]float64{}
	byReason := map[string]map[string]float64{}
	for i := 0; i < n; i++ {
		name := unnamed
		if i < len(names) {
			name = names[i]
		}
		var sum float64
		for r := kms.Reason(1); r < kms.NumReasons; r++ {
			x := v[int(r)*n+i]
			if x == 0 {
				continue
			}
			sum += x
			if byReason[name] == nil {
				byReason[name] = map[string]float64{}
			}
			byReason[name][r.String()] = human.Round(x)
		}
		if i < len(names) || sum != 0 {
			total[name] = human.Round(sum)
		}
	}
	return total, byReason
}

// failures folds mean failures per trial, indexed [reason*nRegions+region],
// into by-reason and by-region maps. Every reason and region has an entry.
func failures(cfg *model.Config, fails []float64) Failures {
	nRegions := len(cfg.Regions)
	f := Failures{
		ByReason:       map[string]float64{},
		ByRegion:       map[string]float64{},
		ByReasonRegion: map[string]map[string]float64{},
	}
	byRegion := make([]float64, nRegions)
	var total float64
	for r := kms.Reason(1); r < kms.NumReasons; r++ {
		var sum float64
		for g := 0; g < nRegions; g++ {
			v := fails[int(r)*nRegions+g]
			sum += v
			byRegion[g] += v
			if v != 0 {
				if f.ByReasonRegion[r.String()] == nil {
					f.ByReasonRegion[r.String()] = map[string]float64{}
				}
				f.ByReasonRegion[r.String()][cfg.Regions[g].Name] = human.Round(v)
			}
		}
		f.ByReason[r.String()] = human.Round(sum)
		total += sum
	}
	for g := 0; g < nRegions; g++ {
		f.ByRegion[cfg.Regions[g].Name] = human.Round(byRegion[g])
	}
	f.TotalMean = human.Round(total)
	return f
}

// storeKeys returns the ByStore key of each store in result order.
func storeKeys(cfg *model.Config) []string {
	buckets := make(map[string]bool, len(cfg.Buckets))
	for i := range cfg.Buckets {
		buckets[cfg.Buckets[i].Name] = true
	}
	clash := map[string]bool{}
	for i := range cfg.Tables {
		if buckets[cfg.Tables[i].Name] {
			clash[cfg.Tables[i].Name] = true
		}
	}
	keys := make([]string, 0, len(cfg.Buckets)+len(cfg.Tables))
	for i := range cfg.Buckets {
		name := cfg.Buckets[i].Name
		if clash[name] {
			name = "bucket/" + name
		}
		keys = append(keys, name)
	}
	for i := range cfg.Tables {
		name := cfg.Tables[i].Name
		if clash[name] {
			name = "table/" + name
		}
		keys = append(keys, name)
	}
	return keys
}

// meets reports whether trial t meets the RTO and the RPO objectives: an
// objective that is not set is met, an incident-free trial meets both, an
// unrecovered trial neither of those set.
func meets(cfg *model.Config, t *model.TrialResult) (rto, rpo bool) {
	o := &cfg.Objectives
	switch {
	case !t.Incident:
		return true, true
	case !t.Recovered:
		return !o.HasRTO, !o.HasRPO
	}
	return !o.HasRTO || t.RTO <= o.RTO, !o.HasRPO || t.RPO <= o.RPO
}

// objectivesMet estimates the probability of meeting the objectives over all
// trials. An objective that is not set is not judged: its p is null, and
// "both" judges the objectives that are set (null when none is).
func objectivesMet(cfg *model.Config, results []model.TrialResult) ObjectivesMet {
	var o ObjectivesMet
	n := len(results)
	var mr, mp, mb int
	for i := range results {
		a, b := meets(cfg, &results[i])
		if a {
			mr++
		}
		if b {
			mp++
		}
		if a && b {
			mb++
		}
	}
	prob := func(set bool, met int) Probability {
		p := Probability{Met: met, N: n}
		if set && n > 0 {
			p.P = ptr(human.Round(float64(met) / float64(n)))
			ci := wilson(met, n)
			p.CI95 = &ci
		}
		return p
	}
	o.RTO = prob(cfg.Objectives.HasRTO, mr)
	o.RPO = prob(cfg.Objectives.HasRPO, mp)
	o.Both = prob(cfg.Objectives.HasRTO || cfg.Objectives.HasRPO, mb)
	return o
}

// distributions returns the quantile grids of RTO and RPO.
func distributions(results []model.TrialResult) Distributions {
	var d Distributions
	var rto, rpo []float64
	for i := range results {
		t := &results[i]
		if !t.Incident {
			continue
		}
		d.IncidentTrials++
		if !t.Recovered {
			d.Unrecovered++
			rto = append(rto, math.Inf(1))
			continue
		}
		rto = append(rto, seconds(t.RTO))
		rpo = append(rpo, seconds(t.RPO))
	}
	d.RTO, d.RPO = grid(rto), grid(rpo)
	return d
}

// grid returns the empirical quantiles of x at p = 0, 0.01, ..., 1.
func grid(x []float64) []QuantilePoint {
	out := []QuantilePoint{}
	if len(x) == 0 {
		return out
	}
	sort.Float64s(x)
	for i := 0; i <= 100; i++ {
		p := float64(i) / 100
		out = append(out, QuantilePoint{P: p, Seconds: finite(stat.Quantile(p, stat.Empirical, x, nil))})
	}
	return out
}

// reliableTrials is the number of incident trials below which the p99 is
// flagged as unreliable.
const reliableTrials = 1000

func warnings(cfg *model.Config, r *Report) []string {
	w := []string{}
	m := &r.Metrics
	switch {
	case r.Trials == 0:
		w = append(w, "no trials were run")
	case m.IncidentTrials == 0:
		w = append(w, "no incident in any trial: RTO, RPO and lost writes have no values")
	case m.IncidentTrials < reliableTrials:
		w = append(w, fmt.Sprintf("p99 from %s incident trials is not reliable; run ≥%s", human.Int(m.IncidentTrials), human.Int(reliableTrials)))
	}
	if u := m.RTOSeconds.Unrecovered; u > 0 {
		w = append(w, fmt.Sprintf("%s %s did not recover within the horizon (%s): their RTO counts as infinite, RPO and lost writes are unknown",
			human.Int(u), human.Plural(u, "trial", "trials"), human.Dur(r.HorizonSeconds)))
	}
	if r.Trials > 0 {
		if !cfg.Objectives.HasRTO {
			w = append(w, "no RTO objective: objectives_met.rto is not judged")
		}
		if !cfg.Objectives.HasRPO {
			w = append(w, "no RPO objective: objectives_met.rpo is not judged")
		}
	}
	for _, op := range r.Operations {
		// A step that is not done but was never refused was overtaken (the
		// original region came back, the horizon ended while it retried):
		// no warning.
		switch {
		case op.Kind == "action" && op.TrialsFailed > 0:
			w = append(w, fmt.Sprintf("%s failed in %s of %s started trials (%s)", op.Name, human.Int(op.TrialsFailed), human.Int(op.TrialsStarted), countList(op.LastErrors)))
		case op.Required && op.TrialsRefused > 0:
			w = append(w, fmt.Sprintf("required step %q was refused in %s of %s started trials (%s)", op.Name, human.Int(op.TrialsRefused), human.Int(op.TrialsStarted), countList(op.LastErrors)))
		}
	}
	return w
}

// countList spells counts by name, sorted by name: "3 DisabledException,
// 1 KMSUnavailable".
func countList(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, human.Int(m[k])+" "+k)
	}
	if len(parts) == 0 {
		return "no error"
	}
	return strings.Join(parts, ", ")
}
