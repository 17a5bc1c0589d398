package render

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/drsim/drsim/internal/escape"
)

// textTable renders rows as aligned columns separated by two spaces, each
// line prefixed by indent. The first column and the columns in leftCols are
// left-aligned, the others right-aligned. Cells are escaped (escape.Text);
// widths count runes.
func textTable(indent string, rows [][]string, leftCols ...int) string {
	rows = escapeRows(rows, escape.Text)
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
// right-aligned unless listed in leftCols. Every cell is plain text and is
// escaped (escape.Markdown); with boldLast the last row is bold (a total).
func mdTable(header []string, rows [][]string, boldLast bool, leftCols ...int) string {
	var b strings.Builder
	b.WriteString("|")
	for _, h := range header {
		b.WriteString(" " + escape.Markdown(h) + " |")
	}
	b.WriteString("\n|")
	for i := range header {
		if i == 0 || slices.Contains(leftCols, i) {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteByte('\n')
	for r, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escape.Markdown(c)
			if boldLast && r == len(rows)-1 && c != "" {
				cells[i] = "**" + cells[i] + "**"
			}
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

// escapeRows returns rows with every cell passed through esc.
func escapeRows(rows [][]string, esc func(string) string) [][]string {
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = make([]string, len(row))
		for j, c := range row {
			out[i][j] = esc(c)
		}
	}
	return out
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
		b.WriteString("  ! " + escape.Text(w) + "\n")
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
		b.WriteString("- " + escape.Markdown(w) + "\n")
	}
	return b.String()
}
