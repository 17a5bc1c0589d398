package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// WriteText writes the report for a human reader at a terminal: what an
// architect reads first. Columns are aligned; times are in human units.
// Every string from the scenario is escaped (escape.Text): control
// characters and escape sequences are shown, never obeyed.
func WriteText(w io.Writer, r *report.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "drsim report: %s\n", escape.Text(r.Scenario))
	if r.Description != "" {
		fmt.Fprintf(&b, "%s\n", escape.Text(r.Description))
	}
	m := &r.Metrics
	b.WriteString(runFacts(r) + "\n")
	for _, n := range runNotes(r.Overrides, r.Precision) {
		b.WriteString(escape.Text(n) + "\n")
	}
	first, rest := fixFirst(r.Findings)
	b.WriteString(textFixFirst(r, first))
	b.WriteString(scenarioText(r))
	b.WriteString(textFindings(r.Findings, rest))

	b.WriteString("\nRecovery\n")
	b.WriteString(textTable("  ", append([][]string{blankFirst(recoveryHeader)}, recoveryRows(r)...)))
	if m.RPOSeconds.Unbounded > 0 {
		b.WriteString("  (RTO over incident trials, unrecovered count as ∞; RPO over recovered incident trials, unbounded count as ∞;\n")
	} else {
		b.WriteString("  (RTO over incident trials, unrecovered count as ∞; RPO over recovered incident trials;\n")
	}
	b.WriteString("   P(meet) over all trials, incident-free trials meet both)\n")

	b.WriteString("\nLost writes (per recovered incident trial)\n")
	b.WriteString(textTable("  ", append([][]string{blankFirst(lostHeader)}, lostRows(&m.LostWrites)...)))

	fmt.Fprintf(&b, "\n%s (mean failed KMS calls per trial): %s\n", kmsFailuresHeading, human.Num(m.KMSFailures.TotalMean))
	if m.KMSFailures.TotalMean > 0 {
		header, rows := failureRows(&m.KMSFailures)
		b.WriteString(textTable("  ", append([][]string{header}, rows...)))
		for _, by := range []func(*report.Failures) ([]string, [][]string){keyFailureRows, storeFailureRows} {
			if header, rows := by(&m.KMSFailures); len(rows) > 0 {
				b.WriteString("\n" + textTable("  ", append([][]string{header}, rows...)))
			}
		}
	}

	b.WriteString("\nAvailability\n")
	b.WriteString(textTable("  ", append([][]string{availabilityHeader}, availabilityRows(m)...), 1))
	b.WriteString("  " + unavailableText(r) + "\n")

	fmt.Fprintf(&b, "\nMonthly cost: %s (price book %s)\n", human.USD(r.Cost.MonthlyUSD.Total), r.Cost.PriceBook.Date)
	b.WriteString(textTable("  ", costRows(&r.Cost.MonthlyUSD), 2))

	if rp := r.Representative; rp != nil {
		fmt.Fprintf(&b, "\n%s: %s\n", representativeHeading(rp), representativeText(rp))
	}

	if len(r.Operations) > 0 {
		b.WriteString("\nOperations (over all trials; each line below starts with the representative trial)\n")
		b.WriteString(textTable("  ", append([][]string{blankFirst(opHeader(false))}, opRows(r.Operations, false)...)))
		for _, op := range r.Operations {
			fmt.Fprintf(&b, "  - %s\n", escape.Text(op.Summary))
		}
	}

	b.WriteString(textWarnings(r.Warnings))
	if _, err := io.WriteString(w, safeText(b.String())); err != nil {
		return fmt.Errorf("render: writing text: %w", err)
	}
	return nil
}

// blankFirst returns the header with an empty first cell (the text tables
// name their rows, not their first column).
func blankFirst(h []string) []string {
	return append([]string{""}, h[1:]...)
}

// safeText escapes, line by line, every unsafe rune left in a text
// document: the last line of defence if a string reached it unescaped.
func safeText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escape.Text(l)
	}
	return strings.Join(lines, "\n")
}

// scenarioText lists the outages (each event once, with its phases), the
// start and the named profiles used, with their sources.
func scenarioText(r *report.Report) string {
	var b strings.Builder
	if len(r.Outages) > 0 {
		b.WriteString("\nOutages\n")
		for i := range r.Outages {
			fmt.Fprintf(&b, "  - %s\n", escape.Text(outageText(&r.Outages[i])))
		}
	}
	if r.Start != "" {
		fmt.Fprintf(&b, "  %s\n", startText(r.Start))
	}
	for i := range r.Profiles {
		fmt.Fprintf(&b, "  %s\n", profileText(&r.Profiles[i]))
	}
	return b.String()
}
