package order

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(3000)
		x := make([]float64, n)
		for i := range x {
			switch rng.IntN(4) {
			case 0:
				x[i] = float64(rng.IntN(10)) // many ties
			case 1:
				x[i] = math.Inf(1)
			default:
				x[i] = rng.NormFloat64()
			}
		}
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		ranks := []int{0, n - 1, rng.IntN(n), rng.IntN(n), n / 2}
		Select(x, ranks...)
		for _, r := range ranks {
			if x[r] != sorted[r] && !(math.IsInf(x[r], 1) && math.IsInf(sorted[r], 1)) {
				t.Fatalf("n=%d rank %d: %v, want %v", n, r, x[r], sorted[r])
			}
		}
	}
}

func TestRankMatchesGonum(t *testing.T) {
	for n := 1; n < 300; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i)
		}
		for k := 0; k <= 100; k++ {
			p := float64(k) / 100
			if got, want := Rank(p, n), int(stat.Quantile(p, stat.Empirical, x, nil)); got != want {
				t.Fatalf("n=%d p=%v: rank %d, gonum %d", n, p, got, want)
			}
		}
		for _, p := range []float64{0.5, 0.9, 0.95, 0.99, 0.025, 0.975} {
			if got, want := Rank(p, n), int(stat.Quantile(p, stat.Empirical, x, nil)); got != want {
				t.Fatalf("n=%d p=%v: rank %d, gonum %d", n, p, got, want)
			}
		}
	}
}

func BenchmarkSelect1e6(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	y := make([]float64, len(x))
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	ranks := make([]int, 0, 101)
	for k := 0; k <= 100; k++ {
		ranks = append(ranks, Rank(float64(k)/100, len(x)))
	}
	for b.Loop() {
		copy(y, x)
		Select(y, ranks...)
	}
}

func BenchmarkSort1e6(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	y := make([]float64, len(x))
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	for b.Loop() {
		copy(y, x)
		slices.Sort(y)
	}
}

func BenchmarkSelect14of1e6(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	y := make([]float64, len(x))
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	var ranks []int
	for _, p := range []float64{0, 0.5, 0.9, 0.95, 0.99, 1, 0.49, 0.51, 0.89, 0.91, 0.94, 0.96, 0.985, 0.995} {
		ranks = append(ranks, Rank(p, len(x)))
	}
	for b.Loop() {
		copy(y, x)
		Select(y, ranks...)
	}
}
