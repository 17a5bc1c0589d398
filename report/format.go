package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// humanDur formats seconds in human units: 350ms, 4.2s, 45s, 4m05s, 8h01m,
// 2d03h.
func humanDur(s float64) string {
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
	default:
		v := int64(math.Round(s / 3600))
		return fmt.Sprintf("%s%dd%02dh", neg, v/24, v%24)
	}
}

// humanDurP formats an optional duration; nil is "∞" when inf, else "-".
func humanDurP(s *float64, nilText string) string {
	if s == nil {
		return nilText
	}
	return humanDur(*s)
}

// humanNum formats a number compactly with up to 4 significant digits after
// the integer part ("1234", "0.5", "12.35", "1.2e-05").
func humanNum(x float64) string {
	switch {
	case x == 0:
		return "0"
	case math.Abs(x) >= 1e15 || math.Abs(x) < 1e-4:
		return strconv.FormatFloat(x, 'g', 3, 64)
	case math.Abs(x) >= 1000:
		return groupThousands(strconv.FormatFloat(math.Round(x), 'f', -1, 64))
	}
	s := strconv.FormatFloat(x, 'g', 4, 64)
	if strings.Contains(s, "e") {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return s
}

// humanUSD formats dollars with cents and thousands separators.
func humanUSD(x float64) string {
	neg := x < 0
	if neg {
		x = -x
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	out := "$" + groupThousands(s[:len(s)-3]) + s[len(s)-3:]
	if neg {
		out = "-" + out
	}
	return out
}

// humanPct formats a probability as a percentage with one decimal.
func humanPct(p float64) string {
	return strconv.FormatFloat(p*100, 'f', 1, 64) + "%"
}

// textTable renders rows as aligned columns separated by two spaces, each
// line prefixed by indent. The first column and the columns in leftCols are
// left-aligned, the others right-aligned. Widths count runes.
func textTable(indent string, rows [][]string, leftCols ...int) string {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if n := utf8.RuneCountInString(c); n > widths[i] {
				widths[i] = n
			}
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		line.WriteString(indent)
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if i == 0 || slices.Contains(leftCols, i) {
				line.WriteString(c)
				line.WriteString(pad)
			} else {
				line.WriteString(pad)
				line.WriteString(c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// mdTable renders a Markdown table; columns after the first are
// right-aligned unless listed in leftCols.
func mdTable(header []string, rows [][]string, leftCols ...int) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for i := range header {
		if i == 0 || slices.Contains(leftCols, i) {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteByte('\n')
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = mdEscape(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

// textWarnings is the "Warnings" section of a text document, "" without
// warnings.
func textWarnings(ws []string) string {
	if len(ws) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nWarnings\n")
	for _, w := range ws {
		b.WriteString("  ! " + w + "\n")
	}
	return b.String()
}

// mdWarnings is the "Warnings" section of a Markdown document, "" without
// warnings.
func mdWarnings(ws []string) string {
	if len(ws) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Warnings\n\n")
	for _, w := range ws {
		b.WriteString("- " + mdEscape(w) + "\n")
	}
	return b.String()
}

// mdEscape escapes the characters that would break a Markdown table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// numP formats an optional number; nil is nilText.
func numP(x *float64, nilText string) string {
	if x == nil {
		return nilText
	}
	return humanNum(*x)
}

// pctP formats an optional probability; nil is nilText.
func pctP(x *float64, nilText string) string {
	if x == nil {
		return nilText
	}
	return humanPct(*x)
}

// ciPct formats an optional probability interval as "[lo, hi]".
func ciPct(ci *[2]float64) string {
	if ci == nil {
		return ""
	}
	return "[" + humanPct(ci[0]) + ", " + humanPct(ci[1]) + "]"
}

// groupThousands inserts commas into a string of digits with an optional
// leading minus sign: "-1234567" is "-1,234,567".
func groupThousands(digits string) string {
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
