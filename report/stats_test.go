package report

import (
	"math"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

func fp(p *float64) string {
	if p == nil {
		return "null"
	}
	return human.Num(*p)
}

func eqP(p *float64, want float64) bool {
	if math.IsNaN(want) {
		return p == nil
	}
	return p != nil && approxEq(*p, want, 1e-8)
}

var null = math.NaN()

func TestSummarize(t *testing.T) {
	tests := []struct {
		name                     string
		values                   []float64
		inf                      int
		mean, p50, p90, p99, max float64
		min                      float64
		n                        int
	}{
		{"empty", nil, 0, null, null, null, null, null, null, 0},
		{"one", []float64{5}, 0, 5, 5, 5, 5, 5, 5, 1},
		// Empirical quantile: the ceil(p·n)-th smallest value.
		{"four", []float64{40, 10, 30, 20}, 0, 25, 20, 40, 40, 40, 10, 4},
		{"ten", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, 5.5, 5, 9, 10, 10, 1, 10},
		// Unrecovered trials: +Inf at the top, out of the mean.
		{"with inf", []float64{600, 1200, 2400}, 1, 1400, 1200, null, null, null, 600, 4},
		{"all inf", nil, 3, null, null, null, null, null, null, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize(append([]float64(nil), tt.values...), tt.inf)
			if s.N != tt.n {
				t.Errorf("n = %d, want %d", s.N, tt.n)
			}
			for _, c := range []struct {
				what string
				got  *float64
				want float64
			}{{"mean", s.Mean, tt.mean}, {"p50", s.P50, tt.p50}, {"p90", s.P90, tt.p90}, {"p99", s.P99, tt.p99}, {"max", s.Max, tt.max}, {"min", s.Min, tt.min}} {
				if !eqP(c.got, c.want) {
					t.Errorf("%s = %s, want %v", c.what, fp(c.got), c.want)
				}
			}
		})
	}
}

func TestMeanCI(t *testing.T) {
	// 1..10: mean 5.5, sd 3.02765, t(9, 0.975) = 2.262157.
	s := summarize([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0)
	h := 2.2621571627982 * 3.0276503540974917 / math.Sqrt(10)
	if s.MeanCI95 == nil || !approxEq(s.MeanCI95[0], 5.5-h, 1e-7) || !approxEq(s.MeanCI95[1], 5.5+h, 1e-7) {
		t.Errorf("mean CI = %v, want [%v, %v]", s.MeanCI95, 5.5-h, 5.5+h)
	}
	if s := summarize([]float64{3}, 0); s.MeanCI95 != nil {
		t.Errorf("mean CI of one value = %v, want none", s.MeanCI95)
	}
	// two request-success fractions an ulp apart: their squared deviations
	// are below the exact sum's resolution, and the variance came out
	// negative (a NaN interval the JSON report could not encode; found by
	// TestGeneratedScenarios)
	a := 7.018227202131902e-05
	s = summarize([]float64{a, math.Nextafter(a, 1)}, 0)
	if s.MeanCI95 == nil || math.IsNaN(s.MeanCI95[0]) || math.IsNaN(s.MeanCI95[1]) || s.MeanCI95[0] > s.MeanCI95[1] {
		t.Errorf("mean CI of two values an ulp apart = %v, want a finite interval", s.MeanCI95)
	}
}

func TestQuantileCI(t *testing.T) {
	x := make([]float64, 1000)
	for i := range x {
		x[i] = float64(i + 1)
	}
	tests := []struct {
		name   string
		x      []float64
		p      float64
		lo, hi float64
	}{
		// Binomial(1000, 0.5): 2.5% quantile 469, 97.5% quantile 531, so
		// x(469) and x(532).
		{"median of 1000", x, 0.5, 469, 532},
		// Binomial(1000, 0.99): 2.5% quantile 983, 97.5% quantile 996.
		{"p99 of 1000", x, 0.99, 983, 997},
		// Too few values: the upper bound is unbounded (Binomial(10,
		// 0.99) has its 2.5% quantile at 9).
		{"p99 of 10", x[:10], 0.99, 9, null},
		{"p50 of 3", x[:3], 0.5, null, null},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv := quantileCI(tt.x, tt.p)
			if !eqP(iv[0], tt.lo) || !eqP(iv[1], tt.hi) {
				t.Errorf("interval [%s, %s], want [%v, %v]", fp(iv[0]), fp(iv[1]), tt.lo, tt.hi)
			}
		})
	}
}

// TestQuantileCICoverage checks by simulation that the interval of the
// median covers the true median at least 95% of the time.
func TestQuantileCICoverage(t *testing.T) {
	const reps, n = 400, 50
	covered := 0
	state := uint64(1)
	next := func() float64 { // xorshift, uniform on (0, 1)
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return (float64(state>>11) + 0.5) / (1 << 53)
	}
	for r := 0; r < reps; r++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = next()
		}
		s := summarize(x, 0)
		iv := s.PCI95.P50
		if iv[0] != nil && iv[1] != nil && *iv[0] <= 0.5 && 0.5 <= *iv[1] {
			covered++
		}
	}
	if f := float64(covered) / reps; f < 0.92 {
		t.Errorf("median interval covered the true median in %.1f%% of samples, want ≥ 95%%", f*100)
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		met, n int
		lo, hi float64
	}{
		// Reference values: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
		{50, 100, 0.403831, 0.596169},
		{0, 10, 0, 0.277530},
		{10, 10, 0.722470, 1},
		{95, 100, 0.888250, 0.978456},
		{0, 0, 0, 1},
	}
	for _, tt := range tests {
		ci := wilson(tt.met, tt.n)
		if math.Abs(ci[0]-tt.lo) > 1e-5 || math.Abs(ci[1]-tt.hi) > 1e-5 {
			t.Errorf("wilson(%d, %d) = %v, want [%v, %v]", tt.met, tt.n, ci, tt.lo, tt.hi)
		}
	}
}

func TestBinomQuantile(t *testing.T) {
	tests := []struct {
		n    int
		p, q float64
		want int
	}{
		{10, 0.5, 0.5, 5},
		{1000, 0.5, 0.025, 469},
		{1000, 0.5, 0.975, 531},
		{10, 0.99, 0.025, 9},
		{10, 0.01, 0.975, 1},
	}
	for _, tt := range tests {
		if got := binomQuantile(tt.n, tt.p, tt.q); got != tt.want {
			t.Errorf("binomQuantile(%d, %v, %v) = %d, want %d", tt.n, tt.p, tt.q, got, tt.want)
		}
	}
}

// rpTrial is a compact trial for hand-made cases.

func TestObjectivesMet(t *testing.T) {
	m := sim.Minute
	trials := []model.TrialResult{
		fixture.Trial(0, false, false, 0, 0, 0),          // incident-free: meets both
		fixture.Trial(1, true, true, 10*m, 1*m, 3),       // both
		fixture.Trial(2, true, true, 20*m, 10*m, 4),      // RTO only
		fixture.Trial(3, true, true, 40*m, 0, 0),         // RPO only
		fixture.Trial(4, true, false, 0, 0, 0),           // unrecovered: neither
		fixture.Trial(5, true, true, 30*m, 5*m, 1),       // both (≤ is met)
		fixture.Trial(6, true, true, 30*m+1, 5*m+1, 100), // neither
	}
	tests := []struct {
		name             string
		hasRTO, hasRPO   bool
		rto, rpo, both   float64
		metRTO, metBoth  int
		rtoNull, rpoNull bool
	}{
		{"both set", true, true, 4.0 / 7, 4.0 / 7, 3.0 / 7, 4, 3, false, false},
		{"rto only", true, false, 4.0 / 7, null, 4.0 / 7, 4, 4, false, true},
		{"none", false, false, null, null, null, 7, 7, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fixture.SnowyConfig()
			cfg.Objectives.HasRTO, cfg.Objectives.HasRPO = tt.hasRTO, tt.hasRPO
			o := objectivesMet(cfg, trials)
			if !eqP(o.RTO.P, tt.rto) || !eqP(o.RPO.P, tt.rpo) || !eqP(o.Both.P, tt.both) {
				t.Errorf("p = rto %s rpo %s both %s, want %v %v %v", fp(o.RTO.P), fp(o.RPO.P), fp(o.Both.P), tt.rto, tt.rpo, tt.both)
			}
			if o.RTO.Met != tt.metRTO || o.Both.Met != tt.metBoth || o.Both.N != 7 {
				t.Errorf("met = %d, %d of %d, want %d, %d of 7", o.RTO.Met, o.Both.Met, o.Both.N, tt.metRTO, tt.metBoth)
			}
			if (o.RTO.CI95 == nil) != tt.rtoNull || (o.RPO.CI95 == nil) != tt.rpoNull {
				t.Errorf("ci95 nullness: rto %v rpo %v", o.RTO.CI95, o.RPO.CI95)
			}
			if o.Both.CI95 != nil && (o.Both.CI95[0] > *o.Both.P || o.Both.CI95[1] < *o.Both.P) {
				t.Errorf("both: p %v outside its interval %v", *o.Both.P, *o.Both.CI95)
			}
		})
	}
}

func TestRound(t *testing.T) {
	tests := []struct{ x, want float64 }{
		{0.1 + 0.2, 0.3}, {1234.5678912345, 1234.56789}, {-2.0000000004, -2}, {1e-12 / 3, 3.33333333e-13},
		{0, 0}, {math.Inf(1), math.Inf(1)}, {5e-324, 5e-324},
	}
	for _, tt := range tests {
		if got := human.Round(tt.x); got != tt.want {
			t.Errorf("human.Round(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	if got := human.Round(math.NaN()); !math.IsNaN(got) {
		t.Errorf("human.Round(NaN) = %v", got)
	}
}

func approxEq(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
