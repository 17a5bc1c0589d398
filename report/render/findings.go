package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// fixFirstCount is how many dynamic findings "What to fix first" shows.
const fixFirstCount = 5

// fixFirstHeading and fixFirstNote introduce the section that leads the
// text, Markdown and HTML reports.
const (
	fixFirstHeading = "What to fix first"
	fixFirstNote    = "Causes the trials showed, the costliest first: each costs at most its points of P(meet both), the share of all trials that have the cause and miss the objectives (docs/findings.md)."
)

// findingsNote says what the Findings section lists.
const findingsNote = "Static findings come from the scenario alone (drsim lint prints them); the other causes the trials showed follow (docs/findings.md)."

// fixFirst returns the findings of "What to fix first", and the others:
// every static finding and the dynamic ones not shown first, in their
// order.
func fixFirst(fs []findings.Finding) (first, rest []findings.Finding) {
	first = findings.FixFirst(fs, fixFirstCount)
	shown := map[int]bool{}
	for i := range fs {
		for j := range first {
			if fs[i].Kind == findings.KindDynamic && fs[i].ID == first[j].ID && fs[i].Message == first[j].Message {
				shown[i] = true
			}
		}
	}
	for i := range fs {
		if !shown[i] {
			rest = append(rest, fs[i])
		}
	}
	return first, rest
}

// costText says what a dynamic finding costs: "costs up to 36.0 points of
// P(meet both)", "" without objectives.
func costText(e *findings.Effect) string {
	if e == nil || e.MissBothOfAll == nil {
		return ""
	}
	return "costs up to " + strconv.FormatFloat(100*(*e.MissBothOfAll), 'f', 1, 64) + " points of P(meet both)"
}

// traceText is the command that replays a dynamic finding's
// representative trial.
func traceText(r *report.Report, e *findings.Effect) string {
	if e == nil || e.Representative == nil {
		return ""
	}
	src := r.File
	if src == "" {
		src = r.Scenario
	}
	return fmt.Sprintf("drsim trace %s --seed %d --trial %d", src, r.Seed, *e.Representative)
}

// confirmsText lists the static findings a dynamic finding confirms:
// "DR103 at file:11:1".
func confirmsText(f *findings.Finding) string {
	var parts []string
	for _, c := range f.Confirms {
		parts = append(parts, c.ID+" at "+c.Location.String())
	}
	return strings.Join(parts, ", ")
}

// confirmedBy lists the dynamic findings of fs that confirm static
// finding s: "DR501 (in 36.0% of trials)".
func confirmedBy(fs []findings.Finding, s *findings.Finding) string {
	var parts []string
	for i := range fs {
		for _, c := range fs[i].Confirms {
			if c.ID == s.ID && c.Location == s.Location && fs[i].Effect != nil {
				parts = append(parts, fmt.Sprintf("%s (in %s of trials)", fs[i].ID, human.Pct(fs[i].Effect.Share)))
			}
		}
	}
	return strings.Join(parts, ", ")
}

// fixFirstLines are the lines of one "What to fix first" entry after its
// message, as "label: text" pairs: where it points, the fix, its cost and
// evidence, what it confirms.
func fixFirstLines(r *report.Report, f *findings.Finding) [][2]string {
	lines := [][2]string{{"where", f.Location.String() + " (" + f.Location.Path + ")"}, {"fix", f.Fix}}
	var ev []string
	if c := costText(f.Effect); c != "" {
		ev = append(ev, c)
	}
	if t := traceText(r, f.Effect); t != "" {
		ev = append(ev, "example trial "+strconv.Itoa(*f.Effect.Representative)+" (one that shows the cause): "+t)
	}
	if len(ev) > 0 {
		lines = append(lines, [2]string{"evidence", strings.Join(ev, "; ")})
	}
	if c := confirmsText(f); c != "" {
		lines = append(lines, [2]string{"confirms", c})
	}
	return lines
}

// textFixFirst renders "What to fix first" for the text report; "" when
// no cause costs anything.
func textFixFirst(r *report.Report, first []findings.Finding) string {
	if len(first) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s (causes the trials showed, costliest first; docs/findings.md)\n", fixFirstHeading)
	for i := range first {
		f := &first[i]
		fmt.Fprintf(&b, "  %d. %s %s %s: %s\n", i+1, f.Severity, f.ID, f.Name, f.Message)
		for _, l := range fixFirstLines(r, f) {
			fmt.Fprintf(&b, "     %s: %s\n", l[0], l[1])
		}
	}
	return b.String()
}

// textFindings renders the findings section of the text report: each
// finding as a compiler-style line with its fix below, and what confirms
// it; "" when there is none. all are every finding of the report, for
// the links.
func textFindings(all, fs []findings.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nFindings (%s; docs/findings.md)\n", findings.Summary(fs))
	for i := range fs {
		fmt.Fprintf(&b, "  %s\n      fix: %s\n", fs[i].String(), fs[i].Fix)
		if c := confirmedBy(all, &fs[i]); c != "" {
			fmt.Fprintf(&b, "      seen in the trials: %s\n", c)
		}
		if c := confirmsText(&fs[i]); c != "" {
			fmt.Fprintf(&b, "      confirms: %s\n", c)
		}
	}
	return b.String()
}

// mdFixFirst renders "What to fix first" as Markdown; "" when empty.
func mdFixFirst(r *report.Report, first []findings.Finding, md func(string) string) string {
	if len(first) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("## " + fixFirstHeading + "\n\n" + md(fixFirstNote) + "\n\n")
	for i := range first {
		f := &first[i]
		fmt.Fprintf(&b, "%d. **%s %s** (%s): %s\n", i+1, md(f.ID), md(f.Name), md(f.Severity.String()), md(f.Message))
		for _, l := range fixFirstLines(r, f) {
			fmt.Fprintf(&b, "   - %s: %s\n", md(l[0]), md(l[1]))
		}
	}
	return b.String() + "\n"
}

// findingHeader heads the findings table of Markdown and HTML.
var findingHeader = []string{"id", "severity", "where", "finding", "fix"}

// findingRows are the rows of the findings table: id and name, severity,
// location, message (with what confirms it or what it confirms), fix.
func findingRows(all, fs []findings.Finding) [][]string {
	rows := make([][]string, 0, len(fs))
	for i := range fs {
		f := &fs[i]
		msg := f.Message
		if c := confirmedBy(all, f); c != "" {
			msg += " (seen in the trials: " + c + ")"
		}
		if c := confirmsText(f); c != "" {
			msg += " (confirms " + c + ")"
		}
		rows = append(rows, []string{f.ID + " " + f.Name, f.Severity.String(), f.Location.String(), msg, f.Fix})
	}
	return rows
}
