package exact

import (
	"math"
	"math/big"
	"testing"
)

// TestCountBeyondInt64: counts past math.MaxInt64 stay exact and positive,
// whatever the split, where an int64 sum wraps negative.
func TestCountBeyondInt64(t *testing.T) {
	const per = 3_038_515_560_000 // attempts of one trial (a century retried every ms)
	const trials = 4_000_000      // 1.2e19 attempts: past math.MaxInt64
	var whole Count
	want := new(big.Int)
	for i := 0; i < trials; i++ {
		whole.Add(per)
	}
	want.Mul(big.NewInt(per), big.NewInt(trials))
	var parts [3]Count
	for i := 0; i < trials; i++ {
		parts[i%3].Add(per)
	}
	var merged Count
	for k := range parts {
		merged.Merge(&parts[k])
	}
	if merged != whole {
		t.Fatalf("split sum %v, whole %v", merged, whole)
	}
	w := whole.Words()
	got := new(big.Int).Lsh(new(big.Int).SetUint64(w[1]), 64)
	got.Add(got, new(big.Int).SetUint64(w[0]))
	if got.Cmp(want) != 0 {
		t.Fatalf("count %s, want %s", got, want)
	}
	if n, ok := whole.Int(); ok || n != math.MaxInt64 {
		t.Errorf("Int() = %d, %v; want saturated MaxInt64, false", n, ok)
	}
	wf, _ := new(big.Float).SetInt(want).Float64()
	if f := whole.Float64(); math.Abs(f-wf) > wf*1e-15 || f <= 0 {
		t.Errorf("Float64() = %g, want %g", f, wf)
	}
	var small Count
	small.Add(5)
	small.Add(-3)
	if n, ok := small.Int(); !ok || n != 5 {
		t.Errorf("small count %d, %v", n, ok)
	}
	if CountFromWords(whole.Words()) != whole {
		t.Error("Words round trip")
	}
}
