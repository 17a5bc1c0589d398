package render

import (
	"slices"
	"strings"
	"unicode/utf8"
)

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
