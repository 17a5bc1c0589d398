package render

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// cell is a table cell: a value and, below it in HTML (beside it in text
// and Markdown), its interval.
type cell struct {
	Main, Sub string
}

// compareTables returns the per-scenario table and the differences table.
// P(meet both) and every difference carry their 95% interval as Sub.
func compareTables(c *report.Comparison) (header []string, rows [][]cell, dHeader []string, dRows [][]cell) {
	header = []string{"scenario", "P(meet both)", "RTO p50", "RTO p90", "RTO p95", "RTO p99", "RPO p50", "RPO p99", "unrecovered", "lost mean", "KMS failures", "cost/month"}
	for _, s := range c.Scenarios {
		inf := "-"
		if s.RTOSeconds.Unrecovered > 0 {
			inf = "∞"
		}
		row := []cell{{Main: s.Name()}, {Main: human.PctOr(s.ObjectivesMet.Both.P, "-"), Sub: human.CIPct(s.ObjectivesMet.Both.CI95)}}
		for _, v := range []string{
			human.DurOr(s.RTOSeconds.P50, inf), human.DurOr(s.RTOSeconds.P90, inf), human.DurOr(s.RTOSeconds.P95, inf), human.DurOr(s.RTOSeconds.P99, inf),
			human.DurOr(s.RPOSeconds.P50, "-"), human.DurOr(s.RPOSeconds.P99, "-"), human.Int(s.RTOSeconds.Unrecovered),
			human.NumOr(s.LostWritesMean, "-"), human.Num(s.KMSFailuresMean), human.USD(s.MonthlyUSD),
		} {
			row = append(row, cell{Main: v})
		}
		rows = append(rows, row)
	}
	dHeader = []string{"vs " + c.Baseline, "Δ P(meet both)", "Δ RTO mean", "Δ RPO mean", "Δ lost writes", "Δ KMS failures", "Δ cost/month"}
	for _, s := range c.Scenarios {
		d := s.VsBaseline
		if d == nil {
			continue
		}
		name := s.Name()
		if len(s.PairingBroken) > 0 {
			name += " (pairing broken)"
		}
		dRows = append(dRows, []cell{{Main: name}, diffCell(d.MeetBoth, pctPoints), diffCell(d.RTOSeconds, humanSignedDur),
			diffCell(d.RPOSeconds, humanSignedDur), diffCell(d.LostWrites, signedNum), diffCell(d.KMSFailures, signedNum),
			{Main: signedUSD(d.MonthlyUSD)}})
	}
	return header, rows, dHeader, dRows
}

// compareAttribution returns the KMS failures by key (first "key") or by
// store (first "store") of every scenario, picked by get: a row per name
// that has failures in some scenario, sorted, a column per scenario; no
// rows when no scenario has any.
func compareAttribution(c *report.Comparison, first string, get func(*report.CompareScenario) map[string]float64) (header []string, rows [][]string) {
	header = []string{first}
	names := map[string]bool{}
	for i := range c.Scenarios {
		header = append(header, c.Scenarios[i].Scenario)
		for n, v := range get(&c.Scenarios[i]) {
			if v != 0 {
				names[n] = true
			}
		}
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		row := []string{n}
		for i := range c.Scenarios {
			v, ok := get(&c.Scenarios[i])[n]
			if !ok {
				row = append(row, "-")
				continue
			}
			row = append(row, human.Num(v))
		}
		rows = append(rows, row)
	}
	return header, rows
}

// compareAttributions returns the by-key and by-store tables of
// compareAttribution that have rows.
func compareAttributions(c *report.Comparison) (headers [][]string, tables [][][]string) {
	for _, by := range []struct {
		first string
		get   func(*report.CompareScenario) map[string]float64
	}{
		{"key", func(s *report.CompareScenario) map[string]float64 { return s.KMSFailuresByKey }},
		{"store", func(s *report.CompareScenario) map[string]float64 { return s.KMSFailuresByStore }},
	} {
		if h, rows := compareAttribution(c, by.first, by.get); len(rows) > 0 {
			headers, tables = append(headers, h), append(tables, rows)
		}
	}
	return headers, tables
}

// compareAttributionNote says what the by-key and by-store tables count.
const compareAttributionNote = "KMS failures (failed KMS cryptographic calls, mean per trial) by the key they were made with and by the store they were made for; - where the scenario has no such key or store."

// compareRows returns the tables of compareTables as text: the interval of
// P(meet both) in a column of its own, a difference's after it.
func compareRows(c *report.Comparison) (header []string, rows [][]string, dHeader []string, dRows [][]string) {
	h, cr, dh, dcr := compareTables(c)
	header = append([]string{h[0], h[1], "95% CI"}, h[2:]...)
	for _, row := range cr {
		r := []string{row[0].Main, row[1].Main, row[1].Sub}
		for _, c := range row[2:] {
			r = append(r, c.Main)
		}
		rows = append(rows, r)
	}
	for _, row := range dcr {
		r := make([]string, len(row))
		for i, c := range row {
			r[i] = strings.TrimSpace(c.Main + " " + c.Sub)
		}
		dRows = append(dRows, r)
	}
	return header, rows, dh, dRows
}

// diffCell formats a difference with its interval: "+5m00s",
// "[+4m10s, +5m50s]".
func diffCell(d report.Diff, f func(float64) string) cell {
	if d.Mean == nil {
		return cell{Main: "-"}
	}
	c := cell{Main: f(*d.Mean)}
	if d.CI95 != nil {
		c.Sub = "[" + f(d.CI95[0]) + ", " + f(d.CI95[1]) + "]"
	}
	return c
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
// A difference that rounds to zero is "+0.0pp", never "-0.0pp".
func pctPoints(x float64) string {
	v := math.Round(x*1000) / 10
	if v == 0 {
		v = 0 // no negative zero
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if v >= 0 {
		s = "+" + s
	}
	return s + "pp"
}

// WriteCompareText writes the comparison as aligned text.
func WriteCompareText(w io.Writer, c *report.Comparison) error {
	var b strings.Builder
	h, rows, dh, drows := compareRows(c)
	fmt.Fprintf(&b, "drsim compare: %s scenarios, baseline %s\n", human.Int(len(c.Scenarios)), escape.Text(c.Baseline))
	for _, n := range runNotes(c.Overrides, c.Precision) {
		b.WriteString(escape.Text(n) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(textTable("  ", append([][]string{h}, rows...)))
	if len(drows) > 0 {
		b.WriteString("\nPaired differences against the baseline (same trials; mean [95% CI])\n")
		b.WriteString(textTable("  ", append([][]string{dh}, drows...)))
		b.WriteString("  (RTO, RPO and lost writes over trials incident-free or recovered in both, incident-free as 0)\n")
	}
	if hs, ts := compareAttributions(c); len(ts) > 0 {
		b.WriteString("\n" + kmsFailuresHeading + " by key and by store (mean failed KMS calls per trial)\n")
		for i := range ts {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(textTable("  ", append([][]string{hs[i]}, ts[i]...)))
		}
	}
	b.WriteString(textWarnings(c.Warnings))
	if _, err := io.WriteString(w, safeText(b.String())); err != nil {
		return fmt.Errorf("render: writing comparison: %w", err)
	}
	return nil
}

// WriteCompareMarkdown writes the comparison as Markdown.
func WriteCompareMarkdown(w io.Writer, c *report.Comparison) error {
	var b strings.Builder
	h, rows, dh, drows := compareRows(c)
	fmt.Fprintf(&b, "# DR comparison against %s\n\n", escape.Markdown(c.Baseline))
	for _, n := range runNotes(c.Overrides, c.Precision) {
		b.WriteString(escape.Markdown(n) + ".\n\n")
	}
	b.WriteString(mdTable(h, rows, false))
	if len(drows) > 0 {
		b.WriteString("\n## Paired differences\n\nSame seed and trial indices (common random numbers); mean difference with its 95% CI. RTO, RPO and lost writes are over trials incident-free or recovered in both, incident-free counting as 0.\n\n")
		b.WriteString(mdTable(dh, drows, false))
	}
	if hs, ts := compareAttributions(c); len(ts) > 0 {
		b.WriteString("\n## " + kmsFailuresHeading + " by key and by store\n\n" + escape.Markdown(compareAttributionNote) + "\n")
		for i := range ts {
			b.WriteString("\n" + mdTable(hs[i], ts[i], false))
		}
	}
	b.WriteString(mdWarnings(c.Warnings))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing comparison: %w", err)
	}
	return nil
}
