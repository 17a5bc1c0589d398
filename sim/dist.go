package sim

import (
	"fmt"
	"math"
)

// DistKind names a family of distributions.
type DistKind uint8

// The distribution families of scenario format v1.
const (
	Const       DistKind = iota // P1 = value
	Uniform                     // P1 = min, P2 = max
	Normal                      // P1 = mean, P2 = sd; truncated at 0
	LogNormal                   // P1 = median, P2 = p99
	Exponential                 // P1 = mean
	Triangular                  // P1 = min, P2 = mode, P3 = max
	Weibull                     // P1 = shape k, P2 = scale
)

// Dist is a non-negative duration distribution. It is a small value type:
// no interface, no allocation per draw. Parameters are in nanoseconds except
// Weibull's shape. Every variate is produced by the inverse CDF from exactly
// one uniform, so common random numbers hold.
type Dist struct {
	Kind       DistKind
	P1, P2, P3 float64
	// derived parameters (set by the constructors)
	mu, sigma float64
}

// ConstDist returns the constant d.
func ConstDist(d Time) Dist { return Dist{Kind: Const, P1: float64(d)} }

// UniformDist returns uniform(min, max).
func UniformDist(min, max Time) Dist { return Dist{Kind: Uniform, P1: float64(min), P2: float64(max)} }

// NormalDist returns normal(mean, sd) truncated at 0.
func NormalDist(mean, sd Time) Dist { return Dist{Kind: Normal, P1: float64(mean), P2: float64(sd)} }

// LogNormalDist returns the lognormal with the given median and 99th percentile.
// It requires 0 < median and p99 >= median.
func LogNormalDist(median, p99 Time) Dist {
	d := Dist{Kind: LogNormal, P1: float64(median), P2: float64(p99)}
	d.mu = math.Log(float64(median))
	d.sigma = (math.Log(float64(p99)) - d.mu) / z99
	return d
}

// ExponentialDist returns the exponential with the given mean.
func ExponentialDist(mean Time) Dist { return Dist{Kind: Exponential, P1: float64(mean)} }

// TriangularDist returns triangular(min, mode, max).
func TriangularDist(min, mode, max Time) Dist {
	return Dist{Kind: Triangular, P1: float64(min), P2: float64(mode), P3: float64(max)}
}

// z99 is the standard normal 99th percentile.
var z99 = math.Sqrt2 * math.Erfinv(2*0.99-1)

func stdNormalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }
func stdNormalCDF(x float64) float64      { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// Quantile returns the u-quantile in nanoseconds, u in (0, 1).
func (d Dist) Quantile(u float64) float64 {
	switch d.Kind {
	case Const:
		return d.P1
	case Uniform:
		return d.P1 + u*(d.P2-d.P1)
	case Normal:
		if d.P2 <= 0 {
			return math.Max(d.P1, 0)
		}
		lo := stdNormalCDF(-d.P1 / d.P2)
		return math.Max(0, d.P1+d.P2*stdNormalQuantile(lo+u*(1-lo)))
	case LogNormal:
		return math.Exp(d.mu + d.sigma*stdNormalQuantile(u))
	case Exponential:
		return -d.P1 * math.Log1p(-u)
	case Triangular:
		a, c, b := d.P1, d.P2, d.P3
		if b <= a {
			return a
		}
		f := (c - a) / (b - a)
		if u < f {
			return a + math.Sqrt(u*(b-a)*(c-a))
		}
		return b - math.Sqrt((1-u)*(b-a)*(b-c))
	case Weibull:
		return d.P2 * math.Pow(-math.Log1p(-u), 1/d.P1)
	}
	panic(fmt.Sprintf("sim: unknown distribution kind %d", d.Kind))
}

// Sample returns the u-quantile rounded to a Time.
func (d Dist) Sample(u float64) Time {
	q := d.Quantile(u)
	if q >= float64(Forever) {
		return Forever
	}
	return Time(math.Round(q))
}

// Survival returns P(X > x), x in nanoseconds.
func (d Dist) Survival(x float64) float64 {
	if x < 0 {
		return 1
	}
	switch d.Kind {
	case Const:
		if x < d.P1 {
			return 1
		}
		return 0
	case Uniform:
		if x < d.P1 {
			return 1
		}
		if x >= d.P2 {
			return 0
		}
		return (d.P2 - x) / (d.P2 - d.P1)
	case Normal:
		if d.P2 <= 0 {
			if x < d.P1 {
				return 1
			}
			return 0
		}
		lo := stdNormalCDF(-d.P1 / d.P2)
		return (1 - stdNormalCDF((x-d.P1)/d.P2)) / (1 - lo)
	case LogNormal:
		if x <= 0 {
			return 1
		}
		return 1 - stdNormalCDF((math.Log(x)-d.mu)/d.sigma)
	case Exponential:
		return math.Exp(-x / d.P1)
	case Triangular:
		a, c, b := d.P1, d.P2, d.P3
		switch {
		case x <= a:
			return 1
		case x >= b:
			return 0
		case x <= c:
			return 1 - (x-a)*(x-a)/((b-a)*(c-a))
		default:
			return (b - x) * (b - x) / ((b - a) * (b - c))
		}
	case Weibull:
		return math.Exp(-math.Pow(x/d.P2, d.P1))
	}
	panic(fmt.Sprintf("sim: unknown distribution kind %d", d.Kind))
}
