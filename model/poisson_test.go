package model

import (
	"math"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/drsim/drsim/sim"
)

// TestPoissonInv compares the quantile with gonum's Poisson CDF: the result
// k must satisfy CDF(k−1) < u ≤ CDF(k) up to 1e-9.
func TestPoissonInv(t *testing.T) {
	st := sim.NewStream(1, "test", "poisson")
	// Reference quantiles computed with mpmath (40 digits); gonum's CDF is
	// off by about 1e-7 at mu = 3e7.
	refs := []struct {
		mu, u float64
		k     int64
	}{
		{3e7, 0.999999, 30026039}, {3e7, 0.5, 30000000}, {3e7, 0.000001, 29973968}, {3e7, 0.123456789, 29993658},
		{1.18e6, 0.999999, 1185167}, {1.18e6, 0.5, 1180000}, {1.18e6, 0.000001, 1174840},
	}
	for _, r := range refs {
		if got := poissonInv(r.mu, r.u); got != r.k {
			t.Errorf("poissonInv(%g, %g) = %d, want %d", r.mu, r.u, got, r.k)
		}
		if got := poissonInvSum(r.mu, r.u); got != r.k {
			t.Errorf("poissonInvSum(%g, %g) = %d, want %d", r.mu, r.u, got, r.k)
		}
	}
	for _, mu := range []float64{0.5, 7, 29.9, 30, 250, 999, 1000, 4321.5, 1e5, 1.18e6} {
		p := distuv.Poisson{Lambda: mu}
		for i := 0; i < 300; i++ {
			u := st.Uniform()
			if i < 4 {
				u = []float64{1e-12, 0.5, 1 - 1e-12, 0.999999}[i]
			}
			k := float64(poissonInv(mu, u))
			hi := p.CDF(k)
			lo := 0.0
			if k > 0 {
				lo = p.CDF(k - 1)
			}
			if !(lo < u+1e-9 && u <= hi+1e-9) {
				t.Errorf("mu=%g u=%.15g: k=%g, CDF(k-1)=%.15g CDF(k)=%.15g", mu, u, k, lo, hi)
			}
			if mu >= 1000 {
				if ks := poissonInvSum(mu, u); math.Abs(float64(ks)-k) > 1 {
					t.Errorf("mu=%g u=%g: quadrature %g, summation %d", mu, u, k, ks)
				}
			}
		}
	}
	if poissonInv(0, 0.5) != 0 || poissonInv(math.NaN(), 0.5) != 0 {
		t.Errorf("mean 0 or NaN: want 0")
	}
}

// TestGammaQ checks the quadrature against gonum's Poisson CDF.
func TestGammaQ(t *testing.T) {
	for _, mu := range []float64{1000, 12345.6, 1e5, 1.2e6} {
		p := distuv.Poisson{Lambda: mu}
		sd := math.Sqrt(mu)
		for z := -7.0; z <= 7; z += 0.5 {
			k := math.Floor(mu + z*sd)
			if got, want := gammaQ(k+1, mu), p.CDF(k); math.Abs(got-want) > 1e-9 {
				t.Errorf("mu=%g k=%g: Q=%.15g, CDF=%.15g", mu, k, got, want)
			}
		}
	}
}

func BenchmarkPoissonInv(b *testing.B) {
	for _, mu := range []float64{100, 1e4, 1.2e6} {
		b.Run(strconv.FormatFloat(mu, 'g', -1, 64), func(b *testing.B) {
			u := 0.3
			for b.Loop() {
				poissonInv(mu, u)
				u += 0.1
				if u >= 1 {
					u -= 0.999
				}
			}
		})
	}
}
