package exact

import (
	"math"
	"math/bits"
)

// Count is an exact count of non-negative integers, 128 bits wide: the
// attempts of a step summed over 10^8 trials (each below 2^63) need up
// to 90 bits, which an int64 does not hold. The zero Count is 0. Adding
// is associative, so any split of the trials (workers, shards) gives the
// same count.
type Count struct{ lo, hi uint64 }

// Add adds n; a negative n is ignored (counts never go down).
func (c *Count) Add(n int64) {
	if n <= 0 {
		return
	}
	var carry uint64
	c.lo, carry = bits.Add64(c.lo, uint64(n), 0)
	c.hi += carry
}

// Merge adds the count o.
func (c *Count) Merge(o *Count) {
	var carry uint64
	c.lo, carry = bits.Add64(c.lo, o.lo, 0)
	c.hi += o.hi + carry
}

// Int returns the count as an int, and false when it exceeds
// math.MaxInt64 (the int is then math.MaxInt64: saturated, never
// negative).
func (c *Count) Int() (int, bool) {
	if c.hi != 0 || c.lo > math.MaxInt64 {
		return math.MaxInt64, false
	}
	return int(c.lo), true
}

// Float64 returns the count rounded to the nearest float64 (within one
// rounding of the exact value).
func (c *Count) Float64() float64 {
	if c.hi == 0 {
		return float64(c.lo)
	}
	// hi·2^64 + lo: both terms exact-ish; hi < 2^64 so hi·2^64 is exact in
	// float64 up to 53 bits, and the sum rounds once more at most.
	return math.Ldexp(float64(c.hi), 64) + float64(c.lo)
}

// Words returns the count's two halves, low first (for serialising it).
func (c *Count) Words() [2]uint64 { return [2]uint64{c.lo, c.hi} }

// CountFromWords returns the Count with the given halves (Words).
func CountFromWords(w [2]uint64) Count { return Count{lo: w[0], hi: w[1]} }
