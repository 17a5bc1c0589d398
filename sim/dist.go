package sim

import (
	"fmt"
	"math"
	"strconv"
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
	// Empirical is a three-point family: P1 = p50, P2 = p90, P3 = p99. Its
	// quantile function is log-linear in the probability: ln Q(u) is the
	// straight line through (0.5, ln p50) and (0.9, ln p90) for u ≤ 0.9, and
	// through (0.9, ln p90) and (0.99, ln p99) above, each continued to the
	// end of [0, 1]. Between two given percentiles the values are
	// log-uniform; the distribution is bounded, from p0 = p50·(p50/p90)^(5/4)
	// to p100 = p90·(p99/p90)^(10/9) (for p50 = 5 s, p90 = 20 s, p99 = 2 m:
	// 0.88 s to 2m26s). A measured tail beyond p99 is not extrapolated: a
	// user who knows it gives it with another family.
	Empirical
)

// Dist is a non-negative duration distribution. It is a small comparable
// value type: no interface, no allocation per draw. Parameters are in
// nanoseconds except Weibull's shape. Every variate is produced by the inverse
// CDF from exactly one uniform, so common random numbers hold.
//
// Build a Dist with its constructor: LogNormal and Empirical keep derived
// parameters. (A literal with those left zero still works: the methods derive
// them on the fly, more slowly.) Constructors validate nothing; see Validate.
type Dist struct {
	Kind DistKind
	// profile is the index+1 of the named profile the Dist was built from
	// (ProfileDist), 0 for none; it changes only how the Dist prints.
	profile    uint8
	P1, P2, P3 float64
	// derived parameters (set by the constructors). LogNormal: mu = ln median,
	// sigma = log-sd, mean = E[X] = exp(mu + sigma²/2). Empirical: mu = ln
	// p50, sigma and sigma2 the slopes of ln Q(u) per unit of u below and
	// above u = 0.9.
	mu, sigma, sigma2 float64
	mean              float64
}

// ConstDist returns the constant d.
func ConstDist(d Time) Dist { return Dist{Kind: Const, P1: float64(d)} }

// UniformDist returns uniform(min, max).
func UniformDist(min, max Time) Dist { return Dist{Kind: Uniform, P1: float64(min), P2: float64(max)} }

// NormalDist returns normal(mean, sd) truncated at 0.
func NormalDist(mean, sd Time) Dist { return Dist{Kind: Normal, P1: float64(mean), P2: float64(sd)} }

// LogNormalDist returns the lognormal with the given median and 99th percentile.
// It requires 0 < median and p99 >= median.
func LogNormalDist(median, p99 Time) Dist { return newLogNormal(float64(median), float64(p99)) }

func newLogNormal(median, p99 float64) Dist {
	d := Dist{Kind: LogNormal, P1: median, P2: p99}
	d.mu = math.Log(median)
	d.sigma = (math.Log(p99) - d.mu) / z99
	d.mean = math.Exp(d.mu + d.sigma*d.sigma/2)
	return d
}

// lnMean returns E[X] of a LogNormal d whose derived parameters are set.
func (d *Dist) lnMean() float64 {
	if d.mean != 0 {
		return d.mean
	}
	return math.Exp(d.mu + d.sigma*d.sigma/2)
}

// ExponentialDist returns the exponential with the given mean.
func ExponentialDist(mean Time) Dist { return Dist{Kind: Exponential, P1: float64(mean)} }

// TriangularDist returns triangular(min, mode, max).
func TriangularDist(min, mode, max Time) Dist {
	return Dist{Kind: Triangular, P1: float64(min), P2: float64(mode), P3: float64(max)}
}

// WeibullDist returns the Weibull distribution with shape k and the given
// scale: P(X > x) = exp(-(x/scale)^k).
func WeibullDist(shape float64, scale Time) Dist {
	return Dist{Kind: Weibull, P1: shape, P2: float64(scale)}
}

// EmpiricalDist returns the three-point empirical distribution with the given
// 50th, 90th and 99th percentiles (see Empirical). It requires
// 0 < p50 <= p90 <= p99.
func EmpiricalDist(p50, p90, p99 Time) Dist {
	return newEmpirical(float64(p50), float64(p90), float64(p99))
}

func newEmpirical(p50, p90, p99 float64) Dist {
	d := Dist{Kind: Empirical, P1: p50, P2: p90, P3: p99}
	d.mu = math.Log(p50)
	d.sigma = (math.Log(p90) - d.mu) / (empU90 - empU50)
	d.sigma2 = (math.Log(p99) - math.Log(p90)) / (empU99 - empU90)
	return d
}

// The probabilities of the empirical family's three points.
const (
	empU50 = 0.5
	empU90 = 0.9
	empU99 = 0.99
)

// z99 is the standard normal 99th percentile.
var z99 = normQuantile(0.99)

// fill sets d's derived parameters if they are unset, for a Dist built as a
// literal. It is cheap enough to inline in the common case.
func (d *Dist) fill() {
	if d.mu == 0 && d.sigma == 0 && d.sigma2 == 0 {
		d.fillSlow()
	}
}

func (d *Dist) fillSlow() {
	switch d.Kind {
	case LogNormal:
		*d = newLogNormal(d.P1, d.P2)
	case Empirical:
		*d = newEmpirical(d.P1, d.P2, d.P3)
	}
}

// Validate reports whether d's parameters describe a proper non-negative
// distribution: finite, non-negative, ordered (min <= mode <= max,
// median <= p99, p50 <= p90 <= p99), positive where a logarithm or a rate
// needs it.
func (d Dist) Validate() error {
	ps := []float64{d.P1, d.P2, d.P3}
	for _, p := range ps {
		if math.IsNaN(p) || math.IsInf(p, 0) || p < 0 {
			return fmt.Errorf("sim: %s: parameters must be finite and non-negative", d)
		}
	}
	bad := func(what string) error { return fmt.Errorf("sim: %s: %s", d, what) }
	switch d.Kind {
	case Const, Exponential:
	case Uniform:
		if d.P2 < d.P1 {
			return bad("max is less than min")
		}
	case Normal:
		if d.P2 <= 0 && d.P1 <= 0 {
			return bad("mean and sd are both 0")
		}
	case LogNormal:
		if d.P1 <= 0 {
			return bad("median must be positive")
		}
		if d.P2 < d.P1 {
			return bad("p99 is less than the median")
		}
	case Triangular:
		if d.P2 < d.P1 || d.P3 < d.P2 {
			return bad("want min <= mode <= max")
		}
	case Weibull:
		if d.P1 <= 0 || d.P2 <= 0 {
			return bad("shape and scale must be positive")
		}
	case Empirical:
		if d.P1 <= 0 {
			return bad("p50 must be positive")
		}
		if d.P2 < d.P1 || d.P3 < d.P2 {
			return bad("want p50 <= p90 <= p99")
		}
	default:
		return fmt.Errorf("sim: unknown distribution kind %d", d.Kind)
	}
	return nil
}

// Quantile returns the u-quantile in nanoseconds, u in (0, 1). It is NaN only
// for invalid parameters or an unknown kind.
func (d Dist) Quantile(u float64) float64 {
	switch d.Kind {
	case Const:
		return d.P1
	case Uniform:
		return d.P1 + u*(d.P2-d.P1)
	case Normal:
		return d.normalQuantile(u)
	case LogNormal:
		d.fill()
		if d.sigma == 0 {
			return d.P1
		}
		return math.Exp(d.mu + d.sigma*normQuantile(u))
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
	case Empirical:
		d.fill()
		if u <= empU90 {
			return d.P1 * math.Exp(d.sigma*(u-empU50))
		}
		// From the top, in terms of 1−u (exact for u near 1), so that the
		// tail keeps its digits: Q(u) = p100·e^(−σ₂(1−u)).
		return d.empiricalMax() * math.Exp(-d.sigma2*(1-u))
	}
	return math.NaN()
}

// Sample returns the u-quantile rounded to a Time in [0, Forever].
func (d Dist) Sample(u float64) Time {
	q := d.Quantile(u)
	if q >= float64(Forever) {
		return Forever
	}
	if !(q > 0) { // also NaN
		return 0
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
		return step(x, d.P1)
	case Uniform:
		if d.P2 <= d.P1 {
			return step(x, d.P1)
		}
		if x < d.P1 {
			return 1
		}
		if x >= d.P2 {
			return 0
		}
		return (d.P2 - x) / (d.P2 - d.P1)
	case Normal:
		return d.normalSurvival(x)
	case LogNormal:
		d.fill()
		if d.sigma <= 0 {
			return step(x, d.P1)
		}
		if x == 0 {
			return 1
		}
		return normQ((math.Log(x) - d.mu) / d.sigma)
	case Exponential:
		if d.P1 <= 0 {
			return 0
		}
		return math.Exp(-x / d.P1)
	case Triangular:
		a, c, b := d.P1, d.P2, d.P3
		switch {
		case x < a:
			return 1
		case x >= b:
			return 0
		case x < c:
			return 1 - (x-a)*(x-a)/((b-a)*(c-a))
		default:
			return (b - x) * (b - x) / ((b - a) * (b - c))
		}
	case Weibull:
		return math.Exp(-math.Pow(x/d.P2, d.P1))
	case Empirical:
		d.fill()
		return d.empiricalSurvival(x)
	}
	return math.NaN()
}

// step is the survival function of the constant c.
func step(x, c float64) float64 {
	if x < c {
		return 1
	}
	return 0
}

// Mean returns E[X] in nanoseconds (+Inf for a distribution without one).
func (d Dist) Mean() float64 {
	switch d.Kind {
	case Const:
		return math.Max(d.P1, 0)
	case Uniform:
		if d.P2 <= d.P1 {
			return math.Max(d.P1, 0)
		}
		return (d.P1 + d.P2) / 2
	case Normal:
		return d.normalLimitedMean(math.Inf(1))
	case LogNormal:
		d.fill()
		return d.lnMean()
	case Exponential:
		return math.Max(d.P1, 0)
	case Triangular:
		return (d.P1 + d.P2 + d.P3) / 3
	case Weibull:
		return d.P2 * math.Gamma(1+1/d.P1)
	case Empirical:
		d.fill()
		return d.empiricalLimitedMean(math.Inf(1))
	}
	return math.NaN()
}

// LimitedMean returns E[min(X, y)] = ∫_0^y S(s) ds in nanoseconds, y in
// nanoseconds; 0 for y <= 0 and Mean for y = +Inf. The expected time a
// variate spends below y, it is what the replication model integrates.
// Every family has a closed form (Weibull's through the regularized
// incomplete gamma function), accurate to about 1e-12 relative.
func (d Dist) LimitedMean(y float64) float64 {
	if !(y > 0) {
		return 0
	}
	if math.IsInf(y, 1) {
		return d.Mean()
	}
	switch d.Kind {
	case Const:
		return math.Min(math.Max(d.P1, 0), y)
	case Uniform:
		a, b := d.P1, d.P2
		if b <= a {
			return math.Min(math.Max(a, 0), y)
		}
		v := math.Min(y, math.Max(a, 0)) // where S = 1
		if lo, hi := math.Max(a, 0), math.Min(y, b); hi > lo {
			v += (hi - lo) * ((b - lo) + (b - hi)) / (2 * (b - a))
		}
		return v
	case Normal:
		return d.normalLimitedMean(y)
	case LogNormal:
		d.fill()
		if d.sigma <= 0 {
			return math.Min(d.P1, y)
		}
		z := (math.Log(y) - d.mu) / d.sigma
		return d.lnMean()*normPhi(z-d.sigma) + y*normQ(z)
	case Exponential:
		if d.P1 <= 0 {
			return 0
		}
		return -d.P1 * math.Expm1(-y/d.P1)
	case Triangular:
		a, c, b := d.P1, d.P2, d.P3
		if b <= a {
			return math.Min(math.Max(a, 0), y)
		}
		v := math.Min(y, math.Max(a, 0)) // where S = 1
		if lo, hi := math.Max(a, 0), math.Min(y, c); hi > lo {
			k := (b - a) * (c - a)
			p, q := hi-a, lo-a
			v += (hi - lo) * (1 - (p*p+p*q+q*q)/(3*k))
		}
		if lo, hi := math.Max(c, 0), math.Min(y, b); hi > lo {
			k := (b - a) * (b - c)
			p, q := b-lo, b-hi
			v += (hi - lo) * (p*p + p*q + q*q) / (3 * k)
		}
		return v
	case Weibull:
		k, scale := d.P1, d.P2
		if scale <= 0 {
			return 0
		}
		t := math.Pow(y/scale, k)
		if t < 1 {
			// ∫_0^y exp(-(x/λ)^k) dx = y Σ (-t)^n / (n! (nk+1)): no
			// cancellation for t < 1, and no underflow as t -> 0.
			sum, term := 1.0, 1.0
			for n := 1; n < 60; n++ {
				term *= -t / float64(n)
				c := term / (float64(n)*k + 1)
				sum += c
				if math.Abs(c) < 1e-17*sum {
					break
				}
			}
			return y * sum
		}
		a := 1 / k
		return scale * math.Gamma(1+a) * gammaP(a, t)
	case Empirical:
		d.fill()
		return d.empiricalLimitedMean(y)
	}
	return math.NaN()
}

// LimitedMeanSurvival returns LimitedMean(y) and Survival(y), the same
// values as the two calls, at the cost of one for the lognormal (which
// shares the logarithm and the tail probability between them). The
// replication model's Newton steps need both at every step.
func (d Dist) LimitedMeanSurvival(y float64) (lm, s float64) {
	if d.Kind != LogNormal || !(y > 0) || math.IsInf(y, 1) {
		return d.LimitedMean(y), d.Survival(y)
	}
	d.fill()
	if d.sigma <= 0 {
		return math.Min(d.P1, y), step(y, d.P1)
	}
	z := (math.Log(y) - d.mu) / d.sigma
	q := normQ(z)
	return d.lnMean()*normPhi(z-d.sigma) + y*q, q
}

// TailMean returns E[(X − y)⁺] = ∫_y^∞ S(s) ds in nanoseconds, y in
// nanoseconds (for y < 0 it is Mean − y). It is Mean − LimitedMean(y),
// computed directly for the lognormal (E[X]·Q(z−σ) − y·Q(z), z = (ln y −
// μ)/σ) and exponential (m·e^(−y/m)) families so that it keeps its relative
// precision far in the tail, where the difference would cancel; the
// replication model uses it for the writes of a steady start, accepted
// before t=0 and still in flight.
func (d Dist) TailMean(y float64) float64 {
	if !(y > 0) {
		return d.Mean() - math.Min(y, 0)
	}
	if math.IsInf(y, 1) {
		return 0
	}
	switch d.Kind {
	case LogNormal:
		d.fill()
		if d.sigma <= 0 {
			return math.Max(d.P1-y, 0)
		}
		z := (math.Log(y) - d.mu) / d.sigma
		return math.Max(0, d.lnMean()*normQ(z-d.sigma)-y*normQ(z))
	case Exponential:
		if d.P1 <= 0 {
			return 0
		}
		return d.P1 * math.Exp(-y/d.P1)
	}
	return math.Max(0, d.Mean()-d.LimitedMean(y))
}

// Max returns the supremum of the support: +Inf for unbounded families.
func (d Dist) Max() float64 {
	switch d.Kind {
	case Const:
		return math.Max(d.P1, 0)
	case Uniform:
		return math.Max(math.Max(d.P1, d.P2), 0)
	case Normal:
		if d.P2 <= 0 {
			return math.Max(d.P1, 0)
		}
	case LogNormal:
		if d.fill(); d.sigma <= 0 {
			return d.P1
		}
	case Exponential:
		if d.P1 <= 0 {
			return 0
		}
	case Triangular:
		return math.Max(d.P3, 0)
	case Weibull:
		if d.P2 <= 0 {
			return 0
		}
	case Empirical:
		d.fill()
		return d.empiricalMax()
	default:
		return math.NaN()
	}
	return math.Inf(1)
}

// IsConst reports whether d takes a single value: the Const kind, or another
// family with degenerate parameters (uniform(5m, 5m), sd = 0, p99 = median,
// ...). A draw from it still consumes one uniform.
func (d Dist) IsConst() bool {
	switch d.Kind {
	case Const:
		return true
	case Uniform:
		return d.P2 <= d.P1
	case Normal:
		return d.P2 <= 0
	case LogNormal:
		return d.P2 == d.P1
	case Exponential, Weibull:
		return d.P1 <= 0 || (d.Kind == Weibull && d.P2 <= 0)
	case Triangular:
		return d.P3 <= d.P1
	case Empirical:
		return d.P1 == d.P2 && d.P2 == d.P3
	}
	return false
}

// String returns d in canonical scenario syntax with human durations:
// "30s", "uniform(5m, 15m)", "normal(mean=4m, sd=1m)",
// "lognormal(median=6s, p99=1m30s)", "exponential(mean=20s)",
// "triangular(2m, 5m, 20m)", "weibull(shape=1.5, scale=2h)",
// "empirical(p50=1s, p90=5s, p99=30s)"; a named profile prints as
// "profile(aws-regional)". Parameters are rounded to the nanosecond.
func (d Dist) String() string {
	if n := d.Profile(); n != "" {
		return "profile(" + n + ")"
	}
	f := func(v float64) string { return formatFloatDuration(v) }
	switch d.Kind {
	case Const:
		return f(d.P1)
	case Uniform:
		return "uniform(" + f(d.P1) + ", " + f(d.P2) + ")"
	case Normal:
		return "normal(mean=" + f(d.P1) + ", sd=" + f(d.P2) + ")"
	case LogNormal:
		return "lognormal(median=" + f(d.P1) + ", p99=" + f(d.P2) + ")"
	case Exponential:
		return "exponential(mean=" + f(d.P1) + ")"
	case Triangular:
		return "triangular(" + f(d.P1) + ", " + f(d.P2) + ", " + f(d.P3) + ")"
	case Weibull:
		return "weibull(shape=" + strconv.FormatFloat(d.P1, 'g', -1, 64) + ", scale=" + f(d.P2) + ")"
	case Empirical:
		return "empirical(p50=" + f(d.P1) + ", p90=" + f(d.P2) + ", p99=" + f(d.P3) + ")"
	}
	return "dist(kind=" + strconv.Itoa(int(d.Kind)) + ")"
}

// formatFloatDuration formats v nanoseconds, rounded, with FormatDuration;
// values outside the Time range print as numbers.
func formatFloatDuration(v float64) string {
	if math.IsNaN(v) || v >= float64(Forever) || v < -float64(Forever) {
		return strconv.FormatFloat(v, 'g', -1, 64) + "ns"
	}
	return FormatDuration(Time(math.Round(v)))
}

// ---- truncated normal ----

// The truncated normal is written in terms of a = -mean/sd, the standard
// score of the truncation point, and b = (x-mean)/sd. Where a > 0 (mean < 0)
// the probabilities are ratios of far tails and are computed with Mills
// ratios so that they neither underflow nor cancel.

func (d Dist) normalQuantile(u float64) float64 {
	m, s := d.P1, d.P2
	if s <= 0 {
		return math.Max(m, 0)
	}
	a := -m / s
	var b float64
	if a <= 20 {
		pa := normQ(a)
		lower, upper := normPhi(a)+u*pa, pa*(1-u)
		if upper < 0.5 {
			b = -normQuantile(upper)
		} else {
			b = normQuantile(lower)
		}
	} else {
		// Solve Q(b)/Q(a) = 1-u by Newton's method on
		// f(b) = (a²-b²)/2 + ln R(b) - ln R(a) - ln(1-u), f'(b) = -1/R(b),
		// from the exponential approximation.
		// Work with δ = b-a, which is x/s, to keep its digits.
		ra, l := mills(a), math.Log1p(-u)
		delta := -l / a
		for range 12 {
			rb := mills(a + delta)
			f := -delta*(2*a+delta)/2 + math.Log(rb/ra) - l
			step := f * rb
			delta += step
			if math.Abs(step) <= 1e-15*delta {
				break
			}
		}
		return math.Max(0, s*delta)
	}
	return math.Max(0, m+s*b)
}

func (d Dist) normalSurvival(x float64) float64 {
	m, s := d.P1, d.P2
	if s <= 0 {
		return step(x, math.Max(m, 0))
	}
	a := -m / s
	b := a + x/s
	if a <= 0 {
		return normQ(b) / normQ(a)
	}
	if math.IsInf(b, 1) {
		return 0
	}
	return math.Exp((a-b)*(a+b)/2) * mills(b) / mills(a)
}

// normalLimitedMean is s (G(a) - G(b)) / Q(a), G(z) = E[(Z-z)+] = φ(z) - zQ(z).
func (d Dist) normalLimitedMean(y float64) float64 {
	m, s := d.P1, d.P2
	if s <= 0 {
		return math.Min(math.Max(m, 0), y)
	}
	a := -m / s
	h := y / s
	if h <= 0.1/math.Max(1, a) {
		// A short interval: the closed form would subtract nearly equal
		// numbers, while S is smooth enough there for 5-point Gauss-Legendre
		// quadrature to be exact to rounding.
		var v float64
		for i, x := range gauss5x {
			v += gauss5w[i] * d.normalSurvival(y*(1+x)/2)
		}
		return y * v / 2
	}
	b := a + h
	if a <= 0 {
		var num float64
		switch {
		case b <= 0:
			// G(z) = -z + G(-z): the linear parts cancel exactly.
			num = h + normG(-a) - normG(-b)
		case math.IsInf(b, 1):
			num = -a + normG(-a)
		default:
			num = -a + normG(-a) - normG(b)
		}
		return s * num / normQ(a)
	}
	// a > 0: divide through by φ(a).
	num := oneMinusZR(a)
	if !math.IsInf(b, 1) {
		num -= math.Exp((a-b)*(a+b)/2) * oneMinusZR(b)
	}
	return s * num / mills(a)
}

// The nodes and weights of 5-point Gauss-Legendre quadrature on [-1, 1].
var (
	gauss5x = [5]float64{-0.9061798459386639927976269, -0.5384693101056830910363144, 0, 0.5384693101056830910363144, 0.9061798459386639927976269}
	gauss5w = [5]float64{0.2369268850561890875142640, 0.4786286704993664680412915, 0.5688888888888888888888889, 0.4786286704993664680412915, 0.2369268850561890875142640}
)

// ---- empirical ----

// empiricalMin and empiricalMax are the ends of the empirical support:
// Q(0) = p50·e^(−σ₁/2) = p50·(p50/p90)^(5/4) and Q(1) = p90·e^(σ₂/10) =
// p90·(p99/p90)^(10/9).
func (d Dist) empiricalMin() float64 { return d.P1 * math.Exp(-d.sigma*empU50) }
func (d Dist) empiricalMax() float64 { return d.P2 * math.Exp(d.sigma2*(1-empU90)) }

// empiricalSurvival is P(X > x) = 1 − F(x), F the inverse of the quantile
// function: F(x) = 0.5 + ln(x/p50)/σ₁ on the lower piece, 1 − ln(p100/x)/σ₂
// on the upper one (an atom where a piece is flat).
func (d Dist) empiricalSurvival(x float64) float64 {
	switch {
	case x < d.empiricalMin():
		return 1
	case x >= d.empiricalMax():
		return 0
	case x < d.P2 && d.sigma > 0: // on the lower piece
		return math.Min(1, math.Max(1-empU90, empU50-math.Log(x/d.P1)/d.sigma))
	case x < d.P2: // p90 above p50 by less than the logarithm resolves
		return 1 - empU90
	case d.sigma2 > 0:
		return math.Min(1-empU90, math.Log(d.empiricalMax()/x)/d.sigma2)
	}
	return 0 // a flat upper piece: the atom at p90 ends the support
}

// empiricalLimitedMean is E[min(X, y)] = ∫_0^F(y) Q(u) du + y (1 − F(y)).
// On a piece ln Q(u) = ln Q(a) + σ(u − a), so ∫_a^b Q = Q(a)·expm1(σ(b−a))/σ
// (Q(a)·(b − a) when σ = 0).
func (d Dist) empiricalLimitedMean(y float64) float64 {
	piece := func(qa, sigma, w float64) float64 {
		if w <= 0 {
			return 0
		}
		if sigma == 0 {
			return qa * w
		}
		return qa * math.Expm1(sigma*w) / sigma
	}
	s := d.empiricalSurvival(y)
	if math.IsInf(y, 1) {
		s = 0
	}
	f := 1 - s
	v := piece(d.empiricalMin(), d.sigma, math.Min(f, empU90))
	if f > empU90 {
		v += piece(d.P2, d.sigma2, f-empU90)
	}
	if s > 0 {
		v += y * s
	}
	return v
}

// ---- special functions ----

// normQ is the standard normal survival function, accurate in the upper tail.
func normQ(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// normPhi is the standard normal CDF, accurate in the lower tail.
func normPhi(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// normPDF is the standard normal density.
func normPDF(z float64) float64 { return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi) }

// mills returns the Mills ratio R(z) = Q(z)/φ(z) for z >= 0.
func mills(z float64) float64 {
	if z <= 35 {
		return normQ(z) / normPDF(z)
	}
	// Asymptotic series; the first omitted term is below 1e-15 relative.
	w := 1 / (z * z)
	return (1 - w*(1-3*w*(1-5*w*(1-7*w*(1-9*w))))) / z
}

// oneMinusZR returns 1 - z R(z) = G(z)/φ(z) for z >= 0.
func oneMinusZR(z float64) float64 {
	if z <= 35 {
		return 1 - z*mills(z)
	}
	w := 1 / (z * z)
	return w * (1 - 3*w*(1-5*w*(1-7*w*(1-9*w))))
}

// normG returns G(z) = E[(Z-z)+] = φ(z) - z Q(z) for z >= 0.
func normG(z float64) float64 {
	if math.IsInf(z, 1) {
		return 0
	}
	return normPDF(z) * oneMinusZR(z)
}

// Coefficients of the tail branches of the rational approximation to the
// normal quantile of Wichura, Algorithm AS 241 (PPND16), as in Go's
// math.Erfinv, here in terms of the tail probability itself so that small
// tail probabilities keep their precision.
const (
	asC0 = 1.42343711074968357734e0
	asC1 = 4.63033784615654529590e0
	asC2 = 5.76949722146069140550e0
	asC3 = 3.64784832476320460504e0
	asC4 = 1.27045825245236838258e0
	asC5 = 2.41780725177450611770e-1
	asC6 = 2.27238449892691845833e-2
	asC7 = 7.74545014278341407640e-4
	asD0 = 1.4142135623730950488016887e0
	asD1 = 2.9036514445419946173133295e0
	asD2 = 2.3707661626024532365971225e0
	asD3 = 9.7547832001787427186894837e-1
	asD4 = 2.0945065210512749128288442e-1
	asD5 = 2.1494160384252876777097297e-2
	asD6 = 7.7441459065157709165577218e-4
	asD7 = 1.4859850019840355905497876e-9
	asE0 = 6.65790464350110377720e0
	asE1 = 5.46378491116411436990e0
	asE2 = 1.78482653991729133580e0
	asE3 = 2.96560571828504891230e-1
	asE4 = 2.65321895265761230930e-2
	asE5 = 1.24266094738807843860e-3
	asE6 = 2.71155556874348757815e-5
	asE7 = 2.01033439929228813265e-7
	asF0 = 1.414213562373095048801689e0
	asF1 = 8.482908416595164588112026e-1
	asF2 = 1.936480946950659106176712e-1
	asF3 = 2.103693768272068968719679e-2
	asF4 = 1.112800997078859844711555e-3
	asF5 = 2.611088405080593625138020e-5
	asF6 = 2.010321207683943062279931e-7
	asF7 = 2.891024605872965461538222e-15
)

// normQuantile returns the standard normal p-quantile Φ⁻¹(p), with full
// relative precision in both tails.
func normQuantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		switch {
		case p == 0:
			return math.Inf(-1)
		case p == 1:
			return math.Inf(1)
		}
		return math.NaN()
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		return math.Sqrt2 * math.Erfinv(2*q)
	}
	m := p // the tail probability
	if q > 0 {
		m = 1 - p
	}
	r := math.Sqrt(-math.Log(m))
	var z1, z2 float64
	if r <= 5 {
		r -= 1.6
		z1 = ((((((asC7*r+asC6)*r+asC5)*r+asC4)*r+asC3)*r+asC2)*r+asC1)*r + asC0
		z2 = ((((((asD7*r+asD6)*r+asD5)*r+asD4)*r+asD3)*r+asD2)*r+asD1)*r + asD0
	} else {
		r -= 5
		z1 = ((((((asE7*r+asE6)*r+asE5)*r+asE4)*r+asE3)*r+asE2)*r+asE1)*r + asE0
		z2 = ((((((asF7*r+asF6)*r+asF5)*r+asF4)*r+asF3)*r+asF2)*r+asF1)*r + asF0
	}
	z := math.Sqrt2 * z1 / z2
	if q < 0 {
		return -z
	}
	return z
}

// gammaP returns the regularized lower incomplete gamma function P(a, x),
// a > 0: by its power series for x < a+1, else as 1 - Q(a, x) with Q by its
// continued fraction (modified Lentz).
func gammaP(a, x float64) float64 {
	switch {
	case !(x > 0):
		return 0
	case math.IsInf(x, 1):
		return 1
	}
	lg, _ := math.Lgamma(a)
	prefix := math.Exp(a*math.Log(x) - x - lg)
	if x < a+1 {
		ap, del := a, 1/a
		sum := del
		for range 10000 {
			ap++
			del *= x / ap
			sum += del
			if del < sum*1e-17 {
				break
			}
		}
		return math.Min(1, sum*prefix)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	dd := 1 / b
	h := dd
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		dd = an*dd + b
		if math.Abs(dd) < tiny {
			dd = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		dd = 1 / dd
		del := dd * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return math.Max(0, 1-prefix*h)
}
