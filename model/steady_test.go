package model

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/drsim/drsim/sim"
)

// chiSquarePoisson returns the chi-square statistic and p-value of counts
// against Poisson(lambda) over about ten near-equiprobable bins.
func chiSquarePoisson(counts []float64, lambda float64) (chi, pv float64, obs, exp []float64) {
	n := float64(len(counts))
	p := distuv.Poisson{Lambda: lambda}
	var edges []float64
	for q := 1; q < 10; q++ {
		e := poissonQuantile(p, float64(q)/10)
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	obs = make([]float64, len(edges)+1)
	exp = make([]float64, len(edges)+1)
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
	for i := range obs {
		chi += (obs[i] - exp[i]) * (obs[i] - exp[i]) / exp[i]
	}
	return chi, distuv.ChiSquared{K: float64(len(obs) - 1)}.Survival(chi), obs, exp
}

// ksOne returns the one-sample Kolmogorov–Smirnov statistic of x (sorted
// in place) against the CDF F.
func ksOne(x []float64, F func(float64) float64) float64 {
	slices.Sort(x)
	n := float64(len(x))
	D := 0.0
	for i, v := range x {
		f := F(v)
		D = math.Max(D, math.Max(f-float64(i)/n, float64(i+1)/n-f))
	}
	return D
}

// ksTwo returns the two-sample Kolmogorov–Smirnov statistic of a and b
// (sorted in place) and its asymptotic p-value.
func ksTwo(a, b []float64) (D, pv float64) {
	slices.Sort(a)
	slices.Sort(b)
	i, j := 0, 0
	na, nb := float64(len(a)), float64(len(b))
	for i < len(a) && j < len(b) {
		x := math.Min(a[i], b[j])
		for i < len(a) && a[i] <= x {
			i++
		}
		for j < len(b) && b[j] <= x {
			j++
		}
		D = math.Max(D, math.Abs(float64(i)/na-float64(j)/nb))
	}
	ne := na * nb / (na + nb)
	lam := (math.Sqrt(ne) + 0.12 + 0.11/math.Sqrt(ne)) * D
	// Kolmogorov distribution tail Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}.
	for k := 1; k <= 100; k++ {
		term := 2 * math.Exp(-2*float64(k*k)*lam*lam)
		if k%2 == 0 {
			term = -term
		}
		pv += term
		if math.Abs(term) < 1e-12 {
			break
		}
	}
	return D, math.Min(1, math.Max(0, pv))
}

// TestSteadyStartClosedForm checks lost writes and RPO under a steady start
// against the closed forms. Writes arrive as a Poisson process of rate λ
// since −∞ (a steady start: before 0 at the t=0 rate, every link healthy);
// at T0 the source region fails for longer than the failover, so a write
// accepted at t < T0 is missing at recovery exactly when its lag reaches
// past T0: M(t) = S(T0 − t). The missing writes are then Poisson with mean
// λ·∫_{−∞}^{T0} S(T0 − t) dt = λ·E[(L−T0)⁺] + λ·∫_0^{T0} S = λ·E[L] (the
// writes accepted before 0 plus those since), and the oldest of them obeys
// P(RPO ≤ r) = exp(−λ·E[(L − r)⁺]) for every r ≥ 0 (r may exceed T0):
// neither depends on T0.
func TestSteadyStartClosedForm(t *testing.T) {
	const n = 2000
	t0 := 2 * sim.Hour
	cases := []struct {
		name string
		lag  sim.Dist
		rate float64
	}{
		{"exponential(mean=20s)", sim.ExponentialDist(20 * sim.Second), 10},
		{"exponential(mean=20s)", sim.ExponentialDist(20 * sim.Second), 100000},
		{"lognormal(median=6s,p99=90s)", sim.LogNormalDist(6*sim.Second, 90*sim.Second), 10},
		{"lognormal(median=6s,p99=90s)", sim.LogNormalDist(6*sim.Second, 90*sim.Second), 100000},
		// S3 without RTC: the oldest missing write is often older than T0.
		{"lognormal(median=30s,p99=30m)", sim.LogNormalDist(30*sim.Second, 30*sim.Minute), 20},
	}
	seed := uint64(140)
	for _, c := range cases {
		seed++
		cfg := strandConfig(c.lag, c.rate, t0)
		cfg.Start = StartSteady
		res := RunTrials(cfg, seed, n, 2, nil)
		lambda := c.rate * c.lag.Mean() / 1e9
		counts := make([]float64, n)
		rpos := make([]float64, n)
		beyond := 0
		for i := range res {
			r := &res[i]
			if !r.Incident || !r.Recovered || r.T0 != t0 || r.RTO != 2*sim.Minute {
				t.Fatalf("%s λ=%g trial %d: incident=%v recovered=%v T0=%d RTO=%d", c.name, c.rate, i, r.Incident, r.Recovered, r.T0, r.RTO)
			}
			counts[i] = float64(r.LostWrites[0])
			rpos[i] = float64(r.RPO) / 1e9
			if r.RPO > t0 {
				beyond++
			}
			if r.StoreRPO[0] != r.RPO {
				t.Fatalf("store RPO %v, trial RPO %v", r.StoreRPO[0], r.RPO)
			}
		}
		chi, pv, obs, exp := chiSquarePoisson(counts, lambda)
		t.Logf("%s λ=%g/s: Λ = λE[L] = %.2f, chi2=%.2f (p=%.3f)", c.name, c.rate, lambda, chi, pv)
		if pv < 1e-3 {
			t.Errorf("%s λ=%g: lost writes are not Poisson(%.2f): chi2=%.2f p=%.2g obs=%v exp=%v", c.name, c.rate, lambda, chi, pv, obs, exp)
		}
		D := ksOne(rpos, func(x float64) float64 { return math.Exp(-c.rate * c.lag.TailMean(x*1e9) / 1e9) })
		crit := 1.949 / math.Sqrt(n) // α = 0.001
		t.Logf("%s λ=%g/s: RPO median=%.3fs, %d of %d beyond T0, KS D=%.4f (critical %.4f)", c.name, c.rate, rpos[n/2], beyond, n, D, crit)
		if D > crit {
			t.Errorf("%s λ=%g: RPO differs from exp(−λ·E[(L−r)⁺]): D=%.4f > %.4f", c.name, c.rate, D, crit)
		}
	}
}

// TestSteadyStartInvariance: under a steady start the RPO and lost-writes
// distributions of the no-RTC snowy variant are the same with the outage
// at 2 h (horizon 1 day) and at 200 h (horizon 224 h): two independent
// samples (different seeds), two-sample Kolmogorov–Smirnov tests. Under an
// empty start they are not (the RPO at 2 h is capped near 2 h).
func TestSteadyStartInvariance(t *testing.T) {
	const n = 2000
	run := func(start StartMode, at, horizon sim.Time, seed uint64) (rpo, lost []float64) {
		cfg := snowyConfig()
		cfg.Start = start
		cfg.Horizon = horizon
		cfg.Buckets[0].Replication[0].RTC = false
		cfg.Buckets[0].Replication[0].Lag = DefaultS3Lag(false)
		cfg.Outages[0].Start = sim.ConstDist(at)
		for _, r := range RunTrials(cfg, seed, n, 2, nil) {
			if !r.Recovered {
				t.Fatalf("trial %d not recovered", r.Trial)
			}
			rpo = append(rpo, float64(r.RPO)/1e9)
			lost = append(lost, float64(r.LostTotal))
		}
		return rpo, lost
	}
	rpo2, lost2 := run(StartSteady, 2*sim.Hour, 24*sim.Hour, 1)
	rpo200, lost200 := run(StartSteady, 200*sim.Hour, 224*sim.Hour, 2)
	med := func(x []float64) float64 { y := slices.Clone(x); slices.Sort(y); return y[len(y)/2] }
	t.Logf("steady: RPO median %.0fs at 2h, %.0fs at 200h; lost median %.0f, %.0f", med(rpo2), med(rpo200), med(lost2), med(lost200))
	D, pv := ksTwo(rpo2, rpo200)
	t.Logf("steady: RPO two-sample KS D=%.4f p=%.3f", D, pv)
	if pv < 1e-3 {
		t.Errorf("RPO distribution depends on the outage's position: D=%.4f p=%.2g", D, pv)
	}
	Dl, pl := ksTwo(lost2, lost200)
	t.Logf("steady: lost writes two-sample KS D=%.4f p=%.3f", Dl, pl)
	if pl < 1e-3 {
		t.Errorf("lost-writes distribution depends on the outage's position: D=%.4f p=%.2g", Dl, pl)
	}
	// The test can fail: an empty start gives different distributions.
	e2, _ := run(StartEmpty, 2*sim.Hour, 24*sim.Hour, 1)
	e200, _ := run(StartEmpty, 200*sim.Hour, 224*sim.Hour, 2)
	De, pe := ksTwo(e2, e200)
	t.Logf("empty: RPO median %.0fs at 2h, %.0fs at 200h; KS D=%.4f p=%.2g", med(e2), med(e200), De, pe)
	if pe > 1e-3 {
		t.Errorf("empty start: RPO at 2h and 200h do not differ (p=%.3f): the test has no power", pe)
	}
}

// TestSteadyStartUnboundedRPO: under a steady start, a store with writes
// that could never reach the recovery region (here a bucket with no copy
// in us-west-2, a tiny share of the traffic, so the service recovers
// there) has been missing writes for ever: its RPO is unbounded
// (sim.Forever) and its lost writes UnboundedLost, wherever the outage
// falls; the other stores keep their finite values, and the trial misses
// the RPO objective. Under an empty start the same store's RPO is the
// time since 0, T0 itself: it depends on the outage's position.
func TestSteadyStartUnboundedRPO(t *testing.T) {
	for _, start := range []StartMode{StartSteady, StartEmpty} {
		for _, at := range []sim.Time{2 * sim.Hour, 200 * sim.Hour} {
			cfg := snowyConfig()
			cfg.Start = start
			cfg.Horizon = at + 24*sim.Hour
			cfg.Outages[0].Start = sim.ConstDist(at)
			cfg.Buckets = append(cfg.Buckets, Bucket{Name: "audit", Region: east, Key: 0, ObjectSize: 1024, Writes: 0.1, Reads: 0.1})
			audit := 1 // buckets first, then tables
			for _, r := range RunTrials(cfg, 5, 50, 1, nil) {
				if !r.Recovered || r.RecoveredIn[0] != west {
					t.Fatalf("%v at %v: trial %d recovered %v in %v", start, at, r.Trial, r.Recovered, r.RecoveredIn)
				}
				_, rpoMet := r.Meets(&cfg.Objectives)
				switch start {
				case StartSteady:
					if r.RPO != sim.Forever || r.StoreRPO[audit] != sim.Forever || r.LostWrites[audit] != UnboundedLost || r.LostTotal != UnboundedLost || rpoMet {
						t.Fatalf("steady at %v: trial %d RPO %v (audit %v) lost %v total %d met %v, want unbounded", at, r.Trial, r.RPO, r.StoreRPO[audit], r.LostWrites, r.LostTotal, rpoMet)
					}
					if r.StoreRPO[0] == sim.Forever || r.LostWrites[0] == UnboundedLost || r.LostWrites[0] <= 0 {
						t.Fatalf("steady at %v: trial %d, the replicated bucket: RPO %v lost %d", at, r.Trial, r.StoreRPO[0], r.LostWrites[0])
					}
				case StartEmpty:
					if d := r.StoreRPO[audit] - at; d < -5*sim.Minute || d > 0 {
						t.Fatalf("empty at %v: trial %d audit RPO %v, want about T0", at, r.Trial, sim.FormatDuration(r.StoreRPO[audit]))
					}
				}
			}
		}
	}
}
