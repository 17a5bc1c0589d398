package sim

import (
	"math"
	"testing"
)

// FuzzDist checks, for any parameters that Validate accepts, that Quantile,
// Survival, Mean and LimitedMean are never NaN, that Survival is within
// [0, 1] and does not increase, that Quantile does not decrease, and that
// LimitedMean(y) is within [0, min(y, Mean)] and does not decrease.
func FuzzDist(f *testing.F) {
	f.Add(uint8(LogNormal), 6e9, 90e9, 0.0, 0.3, 0.7, 5e9)
	f.Add(uint8(Normal), -60e9, 60e9, 0.0, 1e-9, 0.5, 1.0)
	f.Add(uint8(Empirical), 1e9, 1e9, 300e9, 0.5, 0.95, 2e9)
	f.Add(uint8(Weibull), 0.3, 3600e9, 0.0, 0.01, 0.99, 1e12)
	f.Add(uint8(Triangular), 0.0, 0.0, 10.0, 0.2, 0.4, 3.0)
	f.Fuzz(func(t *testing.T, kind uint8, p1, p2, p3, u1, u2, y float64) {
		d := Dist{Kind: DistKind(kind % 8), P1: p1, P2: p2, P3: p3}
		switch d.Kind {
		case LogNormal:
			d = newLogNormal(p1, p2)
		case Empirical:
			d = newEmpirical(p1, p2, p3)
		}
		if d.Validate() != nil || d.P1 > 1e18 || d.P2 > 1e18 || d.P3 > 1e18 {
			return
		}
		if d.Kind == Weibull && (d.P1 < 0.05 || d.P1 > 100) {
			return // shapes outside the range a scenario could mean
		}
		u1, u2 = math.Abs(math.Mod(u1, 1)), math.Abs(math.Mod(u2, 1))
		if !(u1 > 0 && u2 > 0) || math.IsNaN(y) {
			return
		}
		if u1 > u2 {
			u1, u2 = u2, u1
		}
		q1, q2 := d.Quantile(u1), d.Quantile(u2)
		s1, s2 := d.Survival(q1), d.Survival(q2)
		mean := d.Mean()
		for _, v := range []float64{q1, q2, s1, s2, mean} {
			if math.IsNaN(v) {
				t.Fatalf("%v: NaN (u=%g, %g: q=%g, %g, S=%g, %g, mean=%g)", d, u1, u2, q1, q2, s1, s2, mean)
			}
		}
		if q1 > q2 || s1 < s2 || s1 < 0 || s2 < 0 || s1 > 1 || s2 > 1 {
			t.Fatalf("%v: not monotone or out of range: q(%g)=%g q(%g)=%g, S=%g, %g", d, u1, q1, u2, q2, s1, s2)
		}
		y = math.Abs(y)
		l1, l2 := d.LimitedMean(y), d.LimitedMean(2*y+1)
		if math.IsNaN(l1) || math.IsNaN(l2) || l1 < 0 || l1 > l2*(1+1e-12) || l1 > y*(1+1e-9)+1e-9 || l2 > mean*(1+1e-9)+1e-9 {
			t.Fatalf("%v: LimitedMean(%g)=%g, LimitedMean(%g)=%g, mean %g", d, y, l1, 2*y+1, l2, mean)
		}
	})
}
