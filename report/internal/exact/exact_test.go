package exact

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestSumOrderFree: a Sum of the same values in any order, or split in parts
// merged, is the same, and equals the correctly rounded exact sum.
func TestSumOrderFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 50; trial++ {
		n := 1 + rng.IntN(2000)
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = (rng.Float64() - 0.3) * math.Pow(10, float64(rng.IntN(30)-12))
		}
		var a Sum
		for _, x := range xs {
			a.Add(x)
		}
		rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		var b, c Sum
		for i, x := range xs {
			if i%3 == 0 {
				b.Add(x)
			} else {
				c.Add(x)
			}
		}
		b.Merge(&c)
		if a != b {
			t.Fatalf("trial %d: sums differ with the order", trial)
		}
		want := new(big.Float).SetPrec(2000)
		for _, x := range xs {
			want.Add(want, new(big.Float).SetPrec(2000).SetFloat64(x))
		}
		w, _ := want.Float64()
		if got := a.Float64(); got != w {
			t.Fatalf("trial %d: Float64 %v, exact %v", trial, got, w)
		}
	}
}

func TestSumEdges(t *testing.T) {
	var s Sum
	s.Add(math.NaN())
	s.Add(math.Inf(1))
	s.Add(0)
	if !s.IsZero() || s.Float64() != 0 {
		t.Fatalf("NaN, Inf and 0 added something")
	}
	s.Add(1e20)
	s.Add(-1e20)
	s.Add(-3.5)
	if got := s.Float64(); got != -3.5 {
		t.Fatalf("got %v, want -3.5", got)
	}
	if FromWords(s.Words()) != s {
		t.Fatal("Words/FromWords")
	}
}

func BenchmarkSumAdd(b *testing.B) {
	var s Sum
	x := 1234.5678
	for b.Loop() {
		s.Add(x)
	}
}
