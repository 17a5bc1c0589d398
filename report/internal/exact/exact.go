// Package exact sums float64 values exactly, so that a sum does not depend
// on the order of its terms: the trials of a run are summed by several
// workers, or by several shards merged later, and every split must give the
// same bytes (the result document is a pure function of the scenario, the
// seed and the trials).
//
// A Sum is a 256-bit two's-complement fixed-point number with 128
// fractional bits. Adding a float64 is exact for every value at or above
// 2^-128·2^52 ≈ 1.5e-23 in magnitude and below 2^126 ≈ 8.5e37 (the sum of a
// run's trials stays far from that: 10^12 trials of 10^20 each); the bits of
// a smaller value below 2^-128 are dropped, which depends only on the
// value, never on the order. Float64 rounds the exact sum once, to nearest.
//
// Why hand-written: a float64 superaccumulator of this size is a few dozen
// lines; the libraries that offer one (big.Float with a large precision,
// exact summation packages) cost an allocation or more per addition.
package exact

import (
	"math"
	"math/big"
	"math/bits"
)

// fracBits is the number of fractional bits of a Sum.
const fracBits = 128

// Sum is an exact sum of float64 values (see the package documentation).
// The zero Sum is 0. NaN and infinite values are not added: the caller
// decides what they mean.
type Sum struct {
	w [4]uint64 // little-endian limbs, two's complement
}

// Add adds x exactly (NaN and ±Inf are ignored).
func (s *Sum) Add(x float64) {
	b := math.Float64bits(x)
	exp := int(b>>52) & 0x7ff
	if exp == 0x7ff || b<<1 == 0 {
		return // NaN, ±Inf, ±0
	}
	mant := b & (1<<52 - 1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	// x = ±mant · 2^(exp−1075); in units of 2^-fracBits: mant · 2^(exp−1075+fracBits).
	shift := exp - 1075 + fracBits
	var lo, hi uint64
	limb := 0
	switch {
	case shift <= -64:
		return // below the resolution
	case shift < 0:
		lo = mant >> uint(-shift)
	default:
		limb = shift / 64
		off := uint(shift % 64)
		if limb >= 4 {
			return // beyond the range (never reached by a run's sums)
		}
		lo = mant << off
		if off > 0 {
			hi = mant >> (64 - off)
		}
	}
	var c uint64
	if b>>63 == 0 {
		s.w[limb], c = bits.Add64(s.w[limb], lo, 0)
		for k := limb + 1; k < 4 && (c != 0 || hi != 0); k++ {
			s.w[k], c = bits.Add64(s.w[k], hi, c)
			hi = 0
		}
		return
	}
	s.w[limb], c = bits.Sub64(s.w[limb], lo, 0)
	for k := limb + 1; k < 4 && (c != 0 || hi != 0); k++ {
		s.w[k], c = bits.Sub64(s.w[k], hi, c)
		hi = 0
	}
}

func (s *Sum) add(v *[4]uint64) {
	var c uint64
	for i := range s.w {
		s.w[i], c = bits.Add64(s.w[i], v[i], c)
	}
}

// Merge adds the sum o.
func (s *Sum) Merge(o *Sum) { s.add(&o.w) }

// IsZero reports whether the sum is 0.
func (s *Sum) IsZero() bool { return s.w == [4]uint64{} }

// Float64 returns the sum rounded to the nearest float64.
func (s *Sum) Float64() float64 {
	if s.IsZero() {
		return 0
	}
	neg := s.w[3]>>63 == 1
	w := s.w
	if neg {
		// negate
		var c uint64 = 1
		for i := range w {
			w[i], c = bits.Add64(^w[i], 0, c)
		}
	}
	var buf [32]byte
	for i := 0; i < 4; i++ {
		for j := 0; j < 8; j++ {
			buf[31-(i*8+j)] = byte(w[i] >> (8 * j))
		}
	}
	n := new(big.Int).SetBytes(buf[:])
	f := new(big.Float).SetPrec(256).SetInt(n)
	f.SetMantExp(f, -fracBits)
	x, _ := f.Float64()
	if neg {
		return -x
	}
	return x
}

// Words returns the sum's limbs, little-endian (for serialising it).
func (s *Sum) Words() [4]uint64 { return s.w }

// FromWords returns the Sum with the given limbs (Words).
func FromWords(w [4]uint64) Sum { return Sum{w: w} }
