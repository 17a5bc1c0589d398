package model

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// poissonInv returns the u-quantile of the Poisson distribution with mean mu:
// the smallest k with P(X ≤ k) ≥ u. Below mu = 1000 it sums probabilities
// from 0 (or from where the lower tail is negligible); above, it starts from
// a Cornish–Fisher guess, computes P(X ≤ k) = Q(k+1, mu) by Gauss–Legendre
// quadrature of the gamma density, and walks the few steps to the quantile,
// so its cost does not grow with mu. The CDF is accurate to about 1e-10 at
// mu = 1e6 (the limit is float64 cancellation in the log of the Poisson
// probabilities, shared by every method), so the quantile is exact but with
// a probability of that order.
//
// From mu = poissonCFMin (1e9) on, where the quadrature loses accuracy, it
// returns the Cornish–Fisher expansion instead (poissonInvCF). Its cost is
// thus bounded for every mean, and a quantile at or above 2^63 (mu = +Inf
// included) saturates at math.MaxInt64 instead of overflowing into a
// negative count. A mean that is not positive (NaN included) gives 0; u is
// clamped to [2^-53, 1 − 2^-53], the range of sim.Stream.Uniform.
func poissonInv(mu, u float64) int64 {
	if !(mu > 0) {
		return 0
	}
	if !(u >= 0x1p-53) { // NaN included
		u = 0x1p-53
	} else if u > 1-0x1p-53 {
		u = 1 - 0x1p-53
	}
	if mu >= poissonCFMin {
		return poissonInvCF(mu, u)
	}
	if mu < 30 {
		p := math.Exp(-mu)
		c := p
		k := int64(0)
		for c < u && k < 1000 {
			k++
			p *= mu / float64(k)
			c += p
		}
		return k
	}
	if mu < 1000 {
		return poissonInvSum(mu, u)
	}
	return poissonInvQuad(mu, u)
}

// poissonInvQuad is poissonInv for 1000 ≤ mu < poissonCFMin: a walk from a
// Cornish–Fisher guess with P(X ≤ k) by quadrature. The walk takes at most
// poissonMaxSteps steps; the guess is within a few counts of the quantile,
// and the bound only stops a walk that float64 rounding near u = 1 keeps
// from reaching u.
func poissonInvQuad(mu, u float64) int64 {
	sd := math.Sqrt(mu)
	z := math.Sqrt2 * math.Erfinv(2*u-1)
	k := math.Max(0, math.Floor(mu+sd*z+(z*z-1)/6))
	f := gammaQ(k+1, mu) // P(X ≤ k)
	p := math.Exp(poissonLogPMF(k, mu))
	if f >= u {
		// down while P(X ≤ k−1) ≥ u
		for n := 0; k > 0 && f-p >= u && n < poissonMaxSteps; n++ {
			f -= p
			p *= k / mu
			k--
		}
		return int64(k)
	}
	for n := 0; f < u && n < poissonMaxSteps; n++ {
		k++
		p *= mu / k
		f += p
	}
	return int64(k)
}

const (
	// poissonCFMin is the mean from which poissonInv uses poissonInvCF. The
	// quadrature of gammaQ is accurate to about 1e-10 at mu = 1e6 and loses
	// digits as mu grows (at 1e11 its walk ends hundreds of counts off);
	// at 1e9 and 3e9 both methods agree on 20,000 uniforms away from the far
	// tails, where the quadrature is the one off by a count against mpmath
	// (TestPoissonInvCF).
	poissonCFMin = 1e9
	// poissonMaxSteps bounds the walk of poissonInvQuad.
	poissonMaxSteps = 1000
)

// poissonInvCF returns the u-quantile of the Poisson distribution with a
// large mean mu by the Cornish–Fisher expansion with continuity correction,
// k = ⌈mu + σz + (z² − 1)/6 + (z³ − 7z)/(72σ) − ½⌉ with σ = √mu and z the
// standard normal u-quantile (Johnson, Kemp and Kotz, Univariate Discrete
// Distributions, 3rd ed., ch. 4). The next term is O(1/mu), below 1e-9
// counts from mu = 1e9 on. O(1) for every mu; a quantile at or above 2^63
// (mu = +Inf included) gives math.MaxInt64.
func poissonInvCF(mu, u float64) int64 {
	if math.IsInf(mu, 1) {
		return math.MaxInt64
	}
	sd := math.Sqrt(mu)
	// gonum's Φ⁻¹ keeps full precision in the tails, where Erfinv(2u − 1)
	// loses the digits of u that decide the last count
	z := mathext.NormalQuantile(u)
	k := math.Ceil(mu + sd*z + (z*z-1)/6 + (z*z*z-7*z)/(72*sd) - 0.5)
	switch {
	case !(k > 0): // NaN cannot happen for finite mu and u in (0, 1); be safe
		return 0
	case k >= 1<<63:
		return math.MaxInt64
	}
	return int64(k)
}

// poissonLogPMF returns log P(X = k) for X ~ Poisson(mu), in the form
// k·(log1p(ε) − ε) − ½log(2πk) − δ(k), ε = (mu−k)/k, which avoids the
// cancellation of k·log(mu) − mu − log k! for large k.
func poissonLogPMF(k, mu float64) float64 {
	if k <= 0 {
		return -mu
	}
	return k*log1pmx((mu-k)/k) - 0.5*math.Log(2*math.Pi*k) - stirlingErr(k)
}

// log1pmx returns log(1+e) − e accurately for small e.
func log1pmx(e float64) float64 {
	if math.Abs(e) > 0.5 {
		return math.Log1p(e) - e
	}
	// Σ_{n≥2} (−1)^{n+1} eⁿ/n
	sum := 0.0
	pow := e
	for n := 2; n < 200; n++ {
		pow *= -e
		term := pow / float64(n)
		sum += term
		if math.Abs(term) <= 1e-17*math.Abs(sum) {
			break
		}
	}
	return sum
}

// stirlingErr returns δ(n) = log n! − (n log n − n + ½ log(2πn)).
func stirlingErr(n float64) float64 {
	if n < 100 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n*math.Log(n) - n + 0.5*math.Log(2*math.Pi*n))
	}
	n2 := n * n
	return (1.0/12 - (1.0/360-(1.0/1260-1.0/(1680*n2))/n2)/n2) / n
}

// poissonInvSum is poissonInv by summing probabilities from the side of the
// median that u is on, starting where the tail mass beyond is below float64
// resolution (cost O(sqrt(mu))).
func poissonInvSum(mu, u float64) int64 {
	sd := math.Sqrt(mu)
	if u <= 0.5 {
		// From below: the mass under mu − 8.5 sd is below 1e-17 (the
		// Poisson lower tail is lighter than the normal one).
		k := math.Max(0, math.Floor(mu-8.5*sd))
		p := math.Exp(poissonLogPMF(k, mu))
		c := p
		for c < u {
			k++
			p *= mu / k
			c += p
		}
		return int64(k)
	}
	// From above: tail(k) = P(X ≥ k); the answer is the largest k with
	// tail(k) > 1−u. The mass over mu + 10 sd + 10 is below 1e-16.
	q := 1 - u
	k := math.Ceil(mu + 10*sd + 10)
	p := math.Exp(poissonLogPMF(k, mu))
	tail := p
	for tail <= q && k > 0 {
		p *= k / mu
		k--
		tail += p
	}
	return int64(k)
}

// gaussLegendre returns the n Gauss–Legendre nodes and weights on [0, 1].
func gaussLegendre(n int) (y, w []float64) {
	for i := 1; i <= n; i++ {
		x := math.Cos(math.Pi * (float64(i) - 0.25) / (float64(n) + 0.5))
		var dp float64
		for it := 0; it < 100; it++ {
			p1, p2 := 1.0, 0.0
			for j := 1; j <= n; j++ {
				p3 := p2
				p2 = p1
				p1 = ((2*float64(j)-1)*x*p2 - (float64(j)-1)*p3) / float64(j)
			}
			dp = float64(n) * (x*p1 - p2) / (x*x - 1)
			dx := p1 / dp
			x -= dx
			if math.Abs(dx) < 1e-16 {
				break
			}
		}
		y = append(y, (1-x)/2)
		w = append(w, 1/((1-x*x)*dp*dp))
	}
	return y, w
}

// glNodes and glWeights are a 32-point Gauss–Legendre rule on [0, 1],
// computed once and never modified.
var glNodes, glWeights = gaussLegendre(32)

// gammaQ returns the regularized upper incomplete gamma function Q(a, x)
// for large a (a > 100) by quadrature of the gamma density between x and a
// point far in the tail on x's side of the mode (Numerical Recipes, 3rd
// ed., §6.2, with 32 nodes).
func gammaQ(a, x float64) float64 {
	a1 := a - 1
	sq := math.Sqrt(a1)
	var xu float64
	if x > a1 {
		xu = math.Max(a1+11.5*sq, x+6*sq)
	} else {
		xu = math.Max(0, math.Min(a1-7.5*sq, x-5*sq))
	}
	sum := 0.0
	for j, y := range glNodes {
		t := x + (xu-x)*y
		sum += glWeights[j] * math.Exp(a1*log1pmx((t-a1)/a1))
	}
	// t^{a−1}e^{−t}/Γ(a) = exp(a1·log1pmx((t−a1)/a1)) · exp(a1·log a1 − a1 −
	// log Γ(a)), and the second factor is exp(−½log(2π·a1) − δ(a1)).
	ans := sum * (xu - x) * math.Exp(-0.5*math.Log(2*math.Pi*a1)-stirlingErr(a1))
	if ans >= 0 {
		return ans // x above the mode: the integral is the upper tail
	}
	return 1 + ans // x below: −ans is the lower tail P(a, x)
}
