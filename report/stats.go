package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/human"
)

// z95 is the two-sided 95% standard normal quantile.
var z95 = distuv.UnitNormal.Quantile(0.975)

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
	return objectivesFromCounts(cfg, len(results), mr, mp, mb)
}

// studentTQuantile returns the 97.5% quantile of Student's t with nu
// degrees of freedom.
func studentTQuantile(nu int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(nu)}.Quantile(0.975)
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
		w = append(w, fmt.Sprintf("p99 from %s incident %s is not reliable; run ≥%s", human.Int(m.IncidentTrials), human.Plural(m.IncidentTrials, "trial", "trials"), human.Int(reliableTrials)))
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
