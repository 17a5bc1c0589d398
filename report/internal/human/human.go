package human

import h "github.com/drsim/drsim/internal/human"

// Dur is internal/human.Dur: seconds as "4m05s", "8h01m", "2d03h".
func Dur(s float64) string { return h.Dur(s) }

// DurShort is internal/human.DurShort: seconds as "3h", "3h05m", "12m30s".
func DurShort(s float64) string { return h.DurShort(s) }

// DurOr is internal/human.DurOr: an optional duration, nil as nilText.
func DurOr(s *float64, nilText string) string { return h.DurOr(s, nilText) }

// Num is internal/human.Num: "1,234", "0.5", "12.35".
func Num(x float64) string { return h.Num(x) }

// NumOr is internal/human.NumOr: an optional number, nil as nilText.
func NumOr(x *float64, nilText string) string { return h.NumOr(x, nilText) }

// USD is internal/human.USD: "$1,234.50".
func USD(x float64) string { return h.USD(x) }

// Pct is internal/human.Pct: "98.5%".
func Pct(p float64) string { return h.Pct(p) }

// PctOr is internal/human.PctOr: an optional probability, nil as nilText.
func PctOr(x *float64, nilText string) string { return h.PctOr(x, nilText) }

// PctApart is internal/human.PctApart: two percentages with the decimals
// that tell them apart.
func PctApart(a, b float64) (string, string) { return h.PctApart(a, b) }

// CIPct is internal/human.CIPct: "[lo, hi]", nil as "".
func CIPct(ci *[2]float64) string { return h.CIPct(ci) }

// Thousands is internal/human.Thousands: "-1234567" as "-1,234,567".
func Thousands(digits string) string { return h.Thousands(digits) }

// Plural is internal/human.Plural: one when n is 1, else many.
func Plural(n int, one, many string) string { return h.Plural(n, one, many) }

// Round is internal/human.Round: x to 9 significant digits.
func Round(x float64) float64 { return h.Round(x) }

// Int is internal/human.Int: a count with thousands separators.
func Int(n int) string { return h.Int(n) }
