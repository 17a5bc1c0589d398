package model

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/drsim/drsim/sim"
)

// strandConfig is a table replicated from us-east-1 to us-west-2 with the
// given lag, written at rate writes/s from t=0 (an empty start) in us-east-1; us-east-1 fails
// entirely at t0 for longer than the failover, which moves traffic to
// us-west-2 after 2 minutes.
func strandConfig(lag sim.Dist, writes float64, t0 sim.Time) *Config {
	k := Key{Name: "k", MultiRegion: true, Primary: east, Replicas: []int{west}, Users: []string{"app"}}
	return &Config{
		Name:       "strand",
		Start:      StartEmpty,
		Horizon:    t0 + 4*sim.Hour,
		Account:    "111122223333",
		Objectives: Objectives{Success: 0.99},
		Regions:    twoRegions(),
		Keys:       []Key{k},
		App:        App{Principal: "app", Serve: []int{east}},
		Tables: []Table{{Name: "t", Regions: []int{east, west}, Keys: []int{0, 0}, ItemSize: 1024,
			Writes: writes, Lag: lag, ClientKey: -1}},
		Outages: []Outage{{Stream: "outage-1", Kind: RegionOutage, Region: east, Services: SvcAll,
			Start: sim.ConstDist(t0), Duration: sim.ConstDist(10 * sim.Hour), Probability: 1}},
		Failover: &Failover{From: east, To: west, Detect: sim.ConstDist(sim.Minute),
			Steps: []Step{{Name: "dns", Duration: sim.ConstDist(sim.Minute), Required: true, Retry: sim.Minute, Op: noOp()}}},
	}
}

// tailInt returns H(t) = ∫_t^∞ S(s) ds in seconds for the lag (t in
// seconds), computed independently of the model (upper-tail formulas).
func tailInt(d sim.Dist, t float64) float64 {
	switch d.Kind {
	case sim.Exponential:
		m := d.P1 / 1e9
		return m * math.Exp(-t/m)
	case sim.LogNormal:
		mu := math.Log(d.P1 / 1e9)
		sigma := (math.Log(d.P2/1e9) - mu) / distuv.UnitNormal.Quantile(0.99)
		mean := math.Exp(mu + sigma*sigma/2)
		if t <= 0 {
			return mean
		}
		lt := math.Log(t)
		return mean*distuv.UnitNormal.Survival((lt-mu-sigma*sigma)/sigma) - t*distuv.UnitNormal.Survival((lt-mu)/sigma)
	}
	panic("tailInt: unsupported lag")
}

// TestStrandedClosedForm checks the stranded-writes math against the closed
// form: with Poisson writes at rate λ and i.i.d. lags with survival S, the
// writes still missing at T0 are Poisson(λ ∫_0^T0 S(s) ds) (chi-square test)
// and P(RPO ≤ t) = exp(−λ ∫_t^T0 S(s) ds) (Kolmogorov–Smirnov test).
func TestStrandedClosedForm(t *testing.T) {
	const n = 2000
	t0 := 2 * sim.Hour
	T0 := float64(t0) / 1e9
	lags := []struct {
		name string
		lag  sim.Dist
	}{
		{"exponential(mean=20s)", sim.ExponentialDist(20 * sim.Second)},
		{"lognormal(median=6s,p99=90s)", sim.LogNormalDist(6*sim.Second, 90*sim.Second)},
	}
	seed := uint64(40)
	for _, lg := range lags {
		for _, rate := range []float64{10, 100000} {
			seed++
			cfg := strandConfig(lg.lag, rate, t0)
			res := RunTrials(cfg, seed, n, 2, nil)
			lambda := rate * (tailInt(lg.lag, 0) - tailInt(lg.lag, T0))
			counts := make([]float64, n)
			rpos := make([]float64, n)
			for i := range res {
				r := &res[i]
				if !r.Incident || !r.Recovered || r.T0 != t0 || r.RTO != 2*sim.Minute {
					t.Fatalf("%s λ=%g trial %d: incident=%v recovered=%v T0=%d RTO=%d", lg.name, rate, i, r.Incident, r.Recovered, r.T0, r.RTO)
				}
				counts[i] = float64(r.LostWrites[0])
				rpos[i] = float64(r.RPO) / 1e9
			}
			// Chi-square over 10 near-equiprobable bins of Poisson(Λ).
			p := distuv.Poisson{Lambda: lambda}
			var edges []float64 // bin i: (edges[i-1], edges[i]]
			for q := 1; q < 10; q++ {
				e := poissonQuantile(p, float64(q)/10)
				if len(edges) == 0 || e > edges[len(edges)-1] {
					edges = append(edges, e)
				}
			}
			obs := make([]float64, len(edges)+1)
			exp := make([]float64, len(edges)+1)
			for _, c := range counts {
				obs[binOf(edges, c)]++
			}
			prev := 0.0
			for i := range exp {
				cdf := 1.0
				if i < len(edges) {
					cdf = p.CDF(edges[i])
				}
				exp[i] = (cdf - prev) * n
				prev = cdf
			}
			chi := 0.0
			for i := range obs {
				chi += (obs[i] - exp[i]) * (obs[i] - exp[i]) / exp[i]
			}
			pv := distuv.ChiSquared{K: float64(len(obs) - 1)}.Survival(chi)
			mean := 0.0
			for _, c := range counts {
				mean += c / n
			}
			t.Logf("%s λ=%g/s: Λ=%.1f mean lost=%.1f chi2=%.2f (p=%.3f)", lg.name, rate, lambda, mean, chi, pv)
			if pv < 1e-3 {
				t.Errorf("%s λ=%g: stranded counts are not Poisson(%.1f): chi2=%.2f p=%.2g obs=%v exp=%v", lg.name, rate, lambda, chi, pv, obs, exp)
			}
			// Kolmogorov–Smirnov of RPO against exp(−λ ∫_t^T0 S).
			slices.Sort(rpos)
			F := func(x float64) float64 {
				return math.Exp(-rate * (tailInt(lg.lag, x) - tailInt(lg.lag, T0)))
			}
			D := 0.0
			for i, x := range rpos {
				f := F(x)
				D = math.Max(D, math.Max(f-float64(i)/n, float64(i+1)/n-f))
			}
			crit := 1.949 / math.Sqrt(n) // α = 0.001
			t.Logf("%s λ=%g/s: RPO median=%.3fs KS D=%.4f (critical %.4f)", lg.name, rate, rpos[n/2], D, crit)
			if D > crit {
				t.Errorf("%s λ=%g: RPO distribution differs from the closed form: D=%.4f > %.4f", lg.name, rate, D, crit)
			}
		}
	}
}

// poissonQuantile returns the smallest k with CDF(k) ≥ q.
func poissonQuantile(p distuv.Poisson, q float64) float64 {
	lo, hi := 0.0, p.Lambda+20*math.Sqrt(p.Lambda)+20
	for hi-lo > 1 {
		m := math.Floor((lo + hi) / 2)
		if p.CDF(m) >= q {
			hi = m
		} else {
			lo = m
		}
	}
	if p.CDF(lo) >= q {
		return lo
	}
	return hi
}

// binOf returns the bin of c: the first i with c ≤ edges[i], else len(edges).
func binOf(edges []float64, c float64) int {
	for i, e := range edges {
		if c <= e {
			return i
		}
	}
	return len(edges)
}
