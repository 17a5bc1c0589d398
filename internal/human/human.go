package human

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Dur formats seconds in human units: 350ms, 4.2s, 45s, 4m05s, 8h01m,
// 2d03h; NaN is "?" and +Inf "∞".
func Dur(s float64) string {
	if math.IsNaN(s) {
		return "?"
	}
	if math.IsInf(s, 1) {
		return "∞"
	}
	neg := ""
	if s < 0 {
		neg, s = "-", -s
	}
	switch {
	case s == 0:
		return "0s"
	case s < 1:
		ms := math.Round(s * 1000)
		if ms < 1000 {
			if ms == 0 {
				return neg + strconv.FormatFloat(s*1000, 'g', 2, 64) + "ms"
			}
			return fmt.Sprintf("%s%.0fms", neg, ms)
		}
		fallthrough
	case s < 10:
		v := math.Round(s*10) / 10
		if v < 10 {
			return fmt.Sprintf("%s%.1fs", neg, v)
		}
		fallthrough
	case s < 60:
		v := math.Round(s)
		if v < 60 {
			return fmt.Sprintf("%s%.0fs", neg, v)
		}
		fallthrough
	case s < 3600:
		v := int64(math.Round(s))
		if v < 3600 {
			return fmt.Sprintf("%s%dm%02ds", neg, v/60, v%60)
		}
		fallthrough
	case s < 86400:
		v := int64(math.Round(s / 60))
		if v < 24*60 {
			return fmt.Sprintf("%s%dh%02dm", neg, v/60, v%60)
		}
		fallthrough
	case s < 100*86400:
		v := int64(math.Round(s / 3600))
		if v < 100*24 {
			return fmt.Sprintf("%s%dd%02dh", neg, v/24, v%24)
		}
		fallthrough
	default:
		// From 100 days on the hours no longer matter: whole days,
		// grouped ("36,500d" for a 100-year horizon).
		return neg + Thousands(strconv.FormatFloat(math.Round(s/86400), 'f', 0, 64)) + "d"
	}
}

// Time units in nanoseconds, for DurShort.
const (
	nsMilli  = int64(1e6)
	nsSecond = 1000 * nsMilli
	nsMinute = 60 * nsSecond
	nsHour   = 60 * nsMinute
	nsDay    = 24 * nsHour
)

// DurShort formats seconds compactly, for chart labels and ticks, without
// the zero smaller unit: "850ms", "4.2s", "45s", "12m30s", "3h", "3h05m",
// "2d04h", "36,500d"; NaN is "?" and ±Inf "∞".
func DurShort(s float64) string {
	if math.IsNaN(s) {
		return "?"
	}
	if math.IsInf(s, 0) {
		return "∞"
	}
	if s < 0 {
		return "-" + DurShort(-s)
	}
	if s >= 100*86400 {
		return Dur(s)
	}
	d := int64(math.Round(s * float64(nsSecond)))
	roundTo := func(unit int64) int64 { return (d + unit/2) / unit * unit }
	switch {
	case d == 0:
		return "0s"
	case d < nsSecond:
		return fmt.Sprintf("%dms", roundTo(nsMilli)/nsMilli)
	case d < 10*nsSecond && roundTo(100*nsMilli)%nsSecond != 0:
		return fmt.Sprintf("%.1fs", float64(roundTo(100*nsMilli))/float64(nsSecond))
	}
	switch {
	case d < nsHour:
		d = roundTo(nsSecond)
	case d < nsDay:
		d = roundTo(nsMinute)
	default:
		d = roundTo(nsHour)
	}
	switch {
	case d < nsMinute:
		return fmt.Sprintf("%ds", d/nsSecond)
	case d < nsHour:
		return trimZero(fmt.Sprintf("%dm", d/nsMinute), (d%nsMinute)/nsSecond, "%02ds")
	case d < nsDay:
		return trimZero(fmt.Sprintf("%dh", d/nsHour), (d%nsHour)/nsMinute, "%02dm")
	}
	return trimZero(fmt.Sprintf("%dd", d/nsDay), (d%nsDay)/nsHour, "%02dh")
}

// trimZero appends the smaller unit v to head unless it is zero.
func trimZero(head string, v int64, format string) string {
	if v == 0 {
		return head
	}
	return head + fmt.Sprintf(format, v)
}

// DurOr formats an optional duration in seconds; nil is nilText.
func DurOr(s *float64, nilText string) string {
	if s == nil {
		return nilText
	}
	return Dur(*s)
}

// Num formats a number compactly with up to 4 significant digits after
// the integer part ("1,234", "0.5", "12.35", "1.2e-05").
func Num(x float64) string {
	switch {
	case x == 0:
		return "0"
	case math.Abs(x) >= 1e15 || math.Abs(x) < 1e-4:
		return strconv.FormatFloat(x, 'g', 3, 64)
	case math.Abs(x) >= 1000:
		return Thousands(strconv.FormatFloat(math.Round(x), 'f', -1, 64))
	}
	s := strconv.FormatFloat(x, 'g', 4, 64)
	if strings.Contains(s, "e") {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return s
}

// NumOr formats an optional number; nil is nilText.
func NumOr(x *float64, nilText string) string {
	if x == nil {
		return nilText
	}
	return Num(*x)
}

// USD formats dollars with cents and thousands separators: "$1,234.50".
// From MaxExactUSD on, where a float64 no longer holds the cents, it gives
// 4 significant digits in scientific notation ("$5.213e+21") rather than
// digits that are artifacts of the binary floating point.
func USD(x float64) string {
	neg := x < 0
	if neg {
		x = -x
	}
	if x >= MaxExactUSD || math.IsInf(x, 0) || math.IsNaN(x) {
		out := "$" + strconv.FormatFloat(x, 'g', 4, 64)
		if neg {
			out = "-" + out
		}
		return out
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	out := "$" + Thousands(s[:len(s)-3]) + s[len(s)-3:]
	if neg {
		out = "-" + out
	}
	return out
}

// MaxExactUSD is the amount from which USD writes significant digits only:
// $10 trillion, below which a float64 (53-bit mantissa) still holds every
// cent.
const MaxExactUSD = 1e13

// Pct formats a probability as a percentage with one decimal: "98.5%".
func Pct(p float64) string {
	return strconv.FormatFloat(p*100, 'f', 1, 64) + "%"
}

// PctApart formats probabilities a and b (in [0, 1]) as percentages with
// the fewest decimals, from 1 up to 6, that tell them apart when they
// differ, so that "94.95% is below the required 95.0%" never prints as
// "95.0% … below 95.0%".
func PctApart(a, b float64) (string, string) {
	for d := 1; ; d++ {
		sa, sb := strconv.FormatFloat(a*100, 'f', d, 64)+"%", strconv.FormatFloat(b*100, 'f', d, 64)+"%"
		if sa != sb || a == b || d == 6 {
			return sa, sb
		}
	}
}

// PctOr formats an optional probability; nil is nilText.
func PctOr(x *float64, nilText string) string {
	if x == nil {
		return nilText
	}
	return Pct(*x)
}

// CIPct formats an optional probability interval as "[lo, hi]"; nil is "".
func CIPct(ci *[2]float64) string {
	if ci == nil {
		return ""
	}
	return "[" + Pct(ci[0]) + ", " + Pct(ci[1]) + "]"
}

// Thousands inserts commas into a string of digits with an optional
// leading minus sign: "-1234567" is "-1,234,567".
func Thousands(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Plural returns one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Round rounds x to 9 significant digits, the precision of every figure in
// the result documents, so that the last bits of floating point sums never
// show in the output. NaN and ±Inf are returned as they are.
func Round(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	e := math.Floor(math.Log10(math.Abs(x)))
	scale := math.Pow(10, 8-e)
	v := math.Round(x*scale) / scale
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return x
	}
	return v
}

// Int formats a count with thousands separators: "9,591".
func Int(n int) string { return Thousands(strconv.Itoa(n)) }
