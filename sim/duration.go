package sim

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
)

// FormatDuration returns d in the human form used in scenarios and reports:
// whole days, hours and minutes followed by seconds with a decimal fraction,
// leaving out zero parts ("6s", "1m30s", "2h", "3d4h", "1m0.5s"); durations
// under a second use the largest of ms, µs and ns that keeps the integer part
// non-zero ("90ms", "1.5ms", "250ns"). Zero is "0s". ParseDuration reads every
// result back to the same value.
func FormatDuration(d Time) string {
	if d == 0 {
		return "0s"
	}
	var buf [40]byte
	b := buf[:0]
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u // two's complement: also right for the most negative Time
	}
	if u < uint64(Second) {
		switch {
		case u < uint64(Microsecond):
			b = strconv.AppendUint(b, u, 10)
			b = append(b, "ns"...)
		case u < uint64(Millisecond):
			b = appendFrac(b, u, uint64(Microsecond))
			b = append(b, "µs"...)
		default:
			b = appendFrac(b, u, uint64(Millisecond))
			b = append(b, "ms"...)
		}
		return string(b)
	}
	for _, p := range [...]struct {
		unit uint64
		name byte
	}{{uint64(Day), 'd'}, {uint64(Hour), 'h'}, {uint64(Minute), 'm'}} {
		if n := u / p.unit; n > 0 {
			b = strconv.AppendUint(b, n, 10)
			b = append(b, p.name)
			u -= n * p.unit
		}
	}
	if u > 0 {
		b = appendFrac(b, u, uint64(Second))
		b = append(b, 's')
	}
	return string(b)
}

// appendFrac appends v/unit as a decimal number without trailing zeros.
func appendFrac(b []byte, v, unit uint64) []byte {
	b = strconv.AppendUint(b, v/unit, 10)
	frac := v % unit
	if frac == 0 {
		return b
	}
	digits := 0
	for w := unit; w > 1; w /= 10 {
		digits++
	}
	for frac%10 == 0 {
		frac /= 10
		digits--
	}
	s := strconv.AppendUint(nil, frac, 10)
	b = append(b, '.')
	for i := len(s); i < digits; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// durationUnits maps a unit suffix to its length in nanoseconds.
var durationUnits = map[string]uint64{
	"ns": uint64(Nanosecond),
	"us": uint64(Microsecond),
	"µs": uint64(Microsecond), // U+00B5 micro sign
	"μs": uint64(Microsecond), // U+03BC Greek small letter mu
	"ms": uint64(Millisecond),
	"s":  uint64(Second),
	"m":  uint64(Minute),
	"h":  uint64(Hour),
	"d":  uint64(Day),
}

// ErrDurationRange is wrapped by the ParseDuration error for a duration
// beyond the range of Time.
var ErrDurationRange = errors.New("out of range")

// ParseDuration parses a duration in Go syntax extended with days: an optional
// sign, then one or more decimal numbers (with an optional fraction), each
// followed by a unit among ns, us (or µs), ms, s, m, h and d (24h), such as
// "500ms", "90s", "1h30m", "365d", "1d12h" or "-1.5h". A bare number, "0"
// included, is an error: every duration needs a unit. Fractions are exact to
// the nanosecond (truncated below it).
func ParseDuration(s string) (Time, error) {
	orig := s
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, fmt.Errorf("sim: invalid duration %q", orig)
	}
	var total uint64
	for s != "" {
		// The integer part.
		i := 0
		var whole uint64
		overflow := false
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			if whole > (1<<63)/10 {
				overflow = true
			}
			whole = whole*10 + uint64(s[i]-'0')
			if whole > 1<<63 {
				overflow = true
			}
		}
		pre := i > 0
		// The fraction.
		var frac, scale uint64 = 0, 1
		post := false
		if i < len(s) && s[i] == '.' {
			i++
			start := i
			for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
				if scale < 1e18 { // further digits are below a nanosecond for every unit
					frac = frac*10 + uint64(s[i]-'0')
					scale *= 10
				}
			}
			post = i > start
		}
		if !pre && !post {
			return 0, fmt.Errorf("sim: invalid duration %q", orig)
		}
		// The unit.
		j := i
		for ; j < len(s) && s[j] != '.' && (s[j] < '0' || s[j] > '9'); j++ {
		}
		if j == i {
			return 0, fmt.Errorf("sim: missing unit in duration %q", orig)
		}
		unit, ok := durationUnits[s[i:j]]
		if !ok {
			return 0, fmt.Errorf("sim: unknown unit %q in duration %q", s[i:j], orig)
		}
		s = s[j:]
		if overflow || (whole > 0 && whole > (1<<63)/unit) {
			return 0, fmt.Errorf("sim: invalid duration %q: %w", orig, ErrDurationRange)
		}
		v := whole * unit
		if frac > 0 {
			// frac/scale*unit, exact: unit <= 8.64e13 and frac < scale <= 1e18,
			// so compute with a 128-bit product.
			v += mulDiv(frac, unit, scale)
		}
		total += v
		if v > 1<<63 || total > 1<<63 {
			return 0, fmt.Errorf("sim: invalid duration %q: %w", orig, ErrDurationRange)
		}
	}
	if neg {
		return -Time(total), nil
	}
	if total > 1<<63-1 {
		return 0, fmt.Errorf("sim: invalid duration %q: %w", orig, ErrDurationRange)
	}
	return Time(total), nil
}

// mulDiv returns a*b/c rounded down, for a < c, without overflow.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c) // hi < c because a < c
	return q
}
