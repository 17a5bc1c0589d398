package model

import (
	"math"
	"sync"
	"sync/atomic"

	"drsim/sim"
)

// limitedMean returns E[min(X, y)] = ∫_0^y S(s) ds (ns) for y ≥ 0.
// Temporary: replaced by sim.Dist.LimitedMean when it lands.
func limitedMean(d *sim.Dist, y float64) float64 {
	if y <= 0 {
		return 0
	}
	switch d.Kind {
	case sim.Const:
		return math.Min(y, d.P1)
	case sim.Exponential:
		return -d.P1 * math.Expm1(-y/d.P1)
	case sim.Uniform:
		a, b := d.P1, d.P2
		if y <= a {
			return y
		}
		if y >= b {
			return (a + b) / 2
		}
		return a + ((b-a)*(b-a)-(b-y)*(b-y))/(2*(b-a))
	case sim.LogNormal:
		mu := math.Log(d.P1)
		z99 := math.Sqrt2 * math.Erfinv(2*0.99-1)
		sigma := (math.Log(d.P2) - mu) / z99
		if sigma <= 0 {
			return math.Min(y, d.P1)
		}
		ly := math.Log(y)
		phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
		return math.Exp(mu+sigma*sigma/2)*phi((ly-mu-sigma*sigma)/sigma) + y*phi(-(ly-mu)/sigma)
	}
	// numeric: Simpson on 2000 intervals
	const n = 2000
	h := y / n
	s := d.Survival(0) + d.Survival(y)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * d.Survival(float64(i)*h)
	}
	return s * h / 3
}

// parallel runs fn over [0, n) on workers goroutines. Temporary: replaced
// by sim.Parallel when it lands.
func parallel(n, workers int, newWorker func() func(i int), progress func(done int)) {
	if workers < 1 {
		workers = 1
	}
	var next, done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := newWorker()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
				d := int(done.Add(1))
				if progress != nil {
					mu.Lock()
					progress(d)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}
