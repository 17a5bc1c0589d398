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

// TestPoissonInvCF: from poissonCFMin on, the Cornish–Fisher quantile is
// the exact one: against mpmath (50 digits, bisection on the regularized
// incomplete gamma function), and against the quadrature walk, still
// accurate at 1e9 and 3e9 away from the far tails.
func TestPoissonInvCF(t *testing.T) {
	refs := []struct {
		mu, u float64
		k     int64
	}{
		{1e9, 1e-12, 999777558}, {1e9, 0.123456789, 999963385}, {1e9, 0.5, 1000000000},
		{1e9, 0.999999, 1000150320}, {1e9, 0.999999999999, 1000222458},
		{3e9, 1e-12, 2999614714}, {3e9, 0.123456789, 2999936580}, {3e9, 0.5, 3000000000},
		{3e9, 0.999999, 3000260359}, {3e9, 0.999999999999, 3000385303},
		{1e12, 1e-12, 999992965524}, {1e12, 0.123456789, 999998842121}, {1e12, 0.5, 1000000000000},
		{1e12, 0.999999, 1000004753428},
	}
	for _, r := range refs {
		if got := poissonInv(r.mu, r.u); got != r.k {
			t.Errorf("poissonInv(%g, %g) = %d, want %d", r.mu, r.u, got, r.k)
		}
	}
	st := sim.NewStream(1, "test", "poisson-cf")
	for _, mu := range []float64{poissonCFMin, 3e9} {
		for i := 0; i < 20000; i++ {
			u := st.Uniform()
			if u < 1e-9 || u > 1-1e-9 {
				continue
			}
			if cf, q := poissonInvCF(mu, u), poissonInvQuad(mu, u); cf != q {
				t.Errorf("mu=%g u=%.17g: Cornish–Fisher %d, quadrature %d", mu, u, cf, q)
			}
		}
	}
}

// TestPoissonInvHugeMean: the quantile of any mean comes back at once
// (writes = 1e30 used to loop forever once k + 1 == k in float64), is
// non-decreasing in u, never negative, and saturates at math.MaxInt64 at
// and above 2^63 instead of overflowing into a negative count (writes = 1e20
// printed −9.22e18 lost writes).
func TestPoissonInvHugeMean(t *testing.T) {
	us := []float64{0x1p-53, 1e-12, 0.001, 0.3, 0.5, 0.7, 0.999, 1 - 1e-12, 1 - 0x1p-53}
	for _, mu := range []float64{0.5, 100, 5000, 1e6, 1e10, 1e12, 0x1p52, 1e17, 3.2e18, 9e18, 1e19, 1e20, 1e30, 1e308, math.MaxFloat64, math.Inf(1)} {
		prev := int64(-1)
		for _, u := range us {
			k := poissonInv(mu, u)
			if k < prev {
				t.Errorf("poissonInv(%g, %g) = %d, below %d at a smaller u (or negative)", mu, u, k, prev)
			}
			prev = k
			sd := math.Sqrt(mu)
			if mu >= 1000 && mu < 1e18 && math.Abs(float64(k)-mu) > 8.3*sd {
				t.Errorf("poissonInv(%g, %g) = %d, more than 8.3 sd from the mean", mu, u, k)
			}
		}
		for _, u := range []float64{0, -1, 1, 2, math.NaN()} { // outside (0, 1): clamped
			if k := poissonInv(mu, u); k < 0 {
				t.Errorf("poissonInv(%g, %g) = %d", mu, u, k)
			}
		}
	}
	for _, mu := range []float64{1e19, 1e20, 1e30, math.MaxFloat64, math.Inf(1)} {
		if k := poissonInv(mu, 0.5); k != math.MaxInt64 {
			t.Errorf("poissonInv(%g, 0.5) = %d, want math.MaxInt64 (saturated)", mu, k)
		}
	}
}
