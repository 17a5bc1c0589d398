package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// compareRows returns the per-scenario table and the differences table.
func compareRows(c *report.Comparison) (header []string, rows [][]string, dHeader []string, dRows [][]string) {
	header = []string{"scenario", "P(meet both)", "95% CI", "RTO p50", "RTO p90", "RTO p99", "RPO p50", "RPO p99", "unrecovered", "lost mean", "KMS failures", "cost/month"}
	for _, s := range c.Scenarios {
		inf := "-"
		if s.RTOSeconds.Unrecovered > 0 {
			inf = "∞"
		}
		rows = append(rows, []string{s.Scenario, human.PctOr(s.ObjectivesMet.Both.P, "-"), human.CIPct(s.ObjectivesMet.Both.CI95),
			human.DurOr(s.RTOSeconds.P50, inf), human.DurOr(s.RTOSeconds.P90, inf), human.DurOr(s.RTOSeconds.P99, inf),
			human.DurOr(s.RPOSeconds.P50, "-"), human.DurOr(s.RPOSeconds.P99, "-"), fmt.Sprint(s.RTOSeconds.Unrecovered),
			human.NumOr(s.LostWritesMean, "-"), human.Num(s.KMSFailuresMean), human.USD(s.MonthlyUSD)})
	}
	dHeader = []string{"vs " + c.Baseline, "Δ P(meet both)", "Δ RTO mean", "Δ RPO mean", "Δ lost writes", "Δ KMS failures", "Δ cost/month"}
	for _, s := range c.Scenarios {
		d := s.VsBaseline
		if d == nil {
			continue
		}
		dRows = append(dRows, []string{s.Scenario, diffText(d.MeetBoth, pctPoints), diffText(d.RTOSeconds, humanSignedDur),
			diffText(d.RPOSeconds, humanSignedDur), diffText(d.LostWrites, signedNum), diffText(d.KMSFailures, signedNum),
			signedUSD(d.MonthlyUSD)})
	}
	return header, rows, dHeader, dRows
}

// diffText formats a difference with its interval: "+5m00s [+4m10s, +5m50s]".
func diffText(d report.Diff, f func(float64) string) string {
	if d.Mean == nil {
		return "-"
	}
	s := f(*d.Mean)
	if d.CI95 != nil {
		s += " [" + f(d.CI95[0]) + ", " + f(d.CI95[1]) + "]"
	}
	return s
}

func humanSignedDur(s float64) string {
	if s < 0 {
		return human.Dur(s)
	}
	return "+" + human.Dur(s)
}

func signedNum(x float64) string {
	if x < 0 {
		return human.Num(x)
	}
	return "+" + human.Num(x)
}

func signedUSD(x float64) string {
	if x < 0 {
		return human.USD(x)
	}
	return "+" + human.USD(x)
}

// pctPoints formats a difference of probabilities in percentage points.
func pctPoints(x float64) string {
	s := fmt.Sprintf("%.1f", x*100)
	if x >= 0 {
		s = "+" + s
	}
	return s + "pp"
}

// WriteCompareText writes the comparison as aligned text.
func WriteCompareText(w io.Writer, c *report.Comparison) error {
	var b strings.Builder
	h, rows, dh, drows := compareRows(c)
	fmt.Fprintf(&b, "drsim compare: %d scenarios, baseline %s\n\n", len(c.Scenarios), c.Baseline)
	b.WriteString(textTable("  ", append([][]string{h}, rows...)))
	if len(drows) > 0 {
		b.WriteString("\nPaired differences against the baseline (same trials; mean [95% CI])\n")
		b.WriteString(textTable("  ", append([][]string{dh}, drows...)))
		b.WriteString("  (RTO, RPO and lost writes over trials incident-free or recovered in both, incident-free as 0)\n")
	}
	b.WriteString(textWarnings(c.Warnings))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing comparison: %w", err)
	}
	return nil
}

// WriteCompareMarkdown writes the comparison as Markdown.
func WriteCompareMarkdown(w io.Writer, c *report.Comparison) error {
	var b strings.Builder
	h, rows, dh, drows := compareRows(c)
	fmt.Fprintf(&b, "# DR comparison against %s\n\n", c.Baseline)
	b.WriteString(mdTable(h, rows))
	if len(drows) > 0 {
		b.WriteString("\n## Paired differences\n\nSame seed and trial indices (common random numbers); mean difference with its 95% CI. RTO, RPO and lost writes are over trials incident-free or recovered in both, incident-free counting as 0.\n\n")
		b.WriteString(mdTable(dh, drows))
	}
	b.WriteString(mdWarnings(c.Warnings))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing comparison: %w", err)
	}
	return nil
}
