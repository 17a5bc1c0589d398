package model

import (
	"math"
	"slices"
	"testing"

	"github.com/drsim/drsim/sim"
)

// linkCase is a link timeline with pending and failed pieces, evaluated at T.
type linkCase struct {
	name string
	lag  sim.Dist
	pts  []linkPt
	T    float64
}

func linkCases() []linkCase {
	s := float64(sim.Second)
	return []linkCase{
		{"pending then failed", sim.ExponentialDist(20 * sim.Second),
			[]linkPt{{0, 0, 0, 0}, {100 * sim.Second, 1, 0, 0}, {160 * sim.Second, 0, 0, 0}, {200 * sim.Second, 0.3, 0.5, 0}, {230 * sim.Second, 0, 0, 0}}, 300 * s},
		{"adjacent pieces, open end", sim.LogNormalDist(6*sim.Second, 90*sim.Second),
			[]linkPt{{50 * sim.Second, 0.25, 0, 0}, {80 * sim.Second, 1, 0, 0}, {120 * sim.Second, 0, 1, 0}}, 400 * s},
		{"throttled", sim.UniformDist(5*sim.Second, 40*sim.Second),
			[]linkPt{{10 * sim.Second, 0.4, 0, 0}, {70 * sim.Second, 0.9, 0.05, 0}, {90 * sim.Second, 0, 0, 0}}, 150 * s},
	}
}

// simulateMissing estimates M(x) by simulating writes entering at x: a
// write arriving in a piece fails with probability r, or waits for the end
// of the piece with probability f and re-enters with a fresh lag.
func simulateMissing(c linkCase, pieces []piece, x float64, st *sim.Stream, n int) float64 {
	miss := 0
	for i := 0; i < n; i++ {
		t := x
		for {
			y := t + c.lag.Quantile(st.Uniform())
			if y >= c.T {
				miss++
				break
			}
			var p *piece
			for k := range pieces {
				if y >= pieces[k].d && y < pieces[k].e {
					p = &pieces[k]
				}
			}
			if p == nil {
				break // arrived
			}
			u := st.Uniform()
			if u < p.r {
				miss++
				break
			}
			if u < p.r+p.f {
				t = p.e
				if t >= c.T {
					miss++
					break
				}
				continue
			}
			break
		}
	}
	return float64(miss) / float64(n)
}

// TestMissingProbability checks M(x), the recursion of pending writes
// through successive pieces, against a direct simulation of writes.
func TestMissingProbability(t *testing.T) {
	st := sim.NewStream(1, "test", "missing")
	for _, c := range linkCases() {
		pieces := buildPieces(nil, c.pts, &c.lag, c.T)
		for _, x := range []float64{0, 60e9, 95e9, 110e9, 190e9, 205e9, 240e9, 299e9} {
			if x >= c.T {
				continue
			}
			m := missingAt(pieces, &c.lag, x, c.T)
			const n = 40000
			est := simulateMissing(c, pieces, x, &st, n)
			sd := math.Sqrt(m*(1-m)/n) + 1e-4
			if math.Abs(est-m) > 5*sd {
				t.Errorf("%s: M(%gs) = %.5f, simulated %.5f (±%.5f)", c.name, x/1e9, m, est, sd)
			}
		}
	}
}

// TestIntegralOfMissing checks the closed-form ∫_a^b M against Simpson's
// rule on M.
func TestIntegralOfMissing(t *testing.T) {
	for _, c := range linkCases() {
		pieces := buildPieces(nil, c.pts, &c.lag, c.T)
		for _, ab := range [][2]float64{{0, 300e9}, {0, 100e9}, {90e9, 170e9}, {100e9, 160e9}, {205e9, 225e9}, {1e9, 2e9}} {
			a, b := ab[0], math.Min(ab[1], c.T)
			if a >= b {
				continue
			}
			got := intM(pieces, &c.lag, a, b, c.T)
			// Simpson on each stretch between breakpoints (M jumps there).
			brk := []float64{a, b}
			for _, p := range pieces {
				for _, v := range []float64{p.d, p.e} {
					if v > a && v < b {
						brk = append(brk, v)
					}
				}
			}
			slices.Sort(brk)
			want := 0.0
			for i := 0; i+1 < len(brk); i++ {
				lo, hi := brk[i], brk[i+1]
				const n = 4000
				h := (hi - lo) / n
				sum := 0.0
				for j := 0; j <= n; j++ {
					x := lo + float64(j)*h
					if j == n {
						x = math.Nextafter(hi, lo)
					}
					w := 2.0
					if j == 0 || j == n {
						w = 1
					} else if j%2 == 1 {
						w = 4
					}
					sum += w * missingAt(pieces, &c.lag, x, c.T)
				}
				want += sum * h / 3
			}
			if math.Abs(got-want) > 1e-6*math.Max(1e9, want) {
				t.Errorf("%s: ∫_%g^%g M = %.6g, Simpson %.6g", c.name, a/1e9, b/1e9, got, want)
			}
		}
	}
}
