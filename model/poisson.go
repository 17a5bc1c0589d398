package model

import "math"

// poissonInv returns the u-quantile of the Poisson distribution with mean mu:
// the smallest k with P(X ≤ k) ≥ u. Below mu = 1000 it sums probabilities
// from 0 (or from where the lower tail is negligible); above, it starts from
// a Cornish–Fisher guess, computes P(X ≤ k) = Q(k+1, mu) by Gauss–Legendre
// quadrature of the gamma density, and walks the few steps to the quantile,
// so its cost does not grow with mu. The CDF is accurate to about 1e-10 at
// mu = 1e6 (the limit is float64 cancellation in the log of the Poisson
// probabilities, shared by every method), so the quantile is exact but with
// a probability of that order.
func poissonInv(mu, u float64) int64 {
	if !(mu > 0) {
		return 0
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
	sd := math.Sqrt(mu)
	z := math.Sqrt2 * math.Erfinv(2*u-1)
	k := math.Max(0, math.Floor(mu+sd*z+(z*z-1)/6))
	f := gammaQ(k+1, mu) // P(X ≤ k)
	p := math.Exp(poissonLogPMF(k, mu))
	if f >= u {
		// down while P(X ≤ k−1) ≥ u
		for k > 0 && f-p >= u {
			f -= p
			p *= k / mu
			k--
		}
		return int64(k)
	}
	for f < u {
		k++
		p *= mu / k
		f += p
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
