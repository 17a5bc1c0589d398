package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText writes the report for a human reader: what an architect reads
// first. Columns are aligned; times are in human units.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "drsim report: %s\n", r.Scenario)
	if r.Description != "" {
		fmt.Fprintf(&b, "%s\n", r.Description)
	}
	m := &r.Metrics
	fmt.Fprintf(&b, "%d trials (seed %d, horizon %s), %d with an incident, %d unrecovered\n",
		r.Trials, r.Seed, humanDur(r.HorizonSeconds), m.IncidentTrials, m.RTOSeconds.Unrecovered)

	b.WriteString("\nRecovery\n")
	rows := [][]string{{"", "n", "p50", "p90", "p95", "p99", "max", "mean", "objective", "P(meet)", "95% CI"}}
	rows = append(rows, durRow("RTO", &m.RTOSeconds.Summary, m.RTOSeconds.Unrecovered > 0, r.Objectives.RTOSeconds, r.ObjectivesMet.RTO))
	rows = append(rows, durRow("RPO", &m.RPOSeconds, false, r.Objectives.RPOSeconds, r.ObjectivesMet.RPO))
	both := r.ObjectivesMet.Both
	rows = append(rows, []string{"both", "", "", "", "", "", "", "", "", pctP(both.P, "-"), ciPct(both.CI95)})
	b.WriteString(textTable("  ", rows))
	b.WriteString("  (RTO over incident trials, unrecovered count as ∞; RPO over recovered incident trials;\n")
	b.WriteString("   P(meet) over all trials, incident-free trials meet both)\n")

	b.WriteString("\nLost writes (per recovered incident trial)\n")
	rows = [][]string{{"", "n", "mean", "p50", "p90", "p95", "p99", "max"}}
	rows = append(rows, countRow("total", &m.LostWrites.Summary))
	for _, k := range sortedKeys(m.LostWrites.ByStore) {
		s := m.LostWrites.ByStore[k]
		rows = append(rows, countRow(k, &s))
	}
	b.WriteString(textTable("  ", rows))

	fmt.Fprintf(&b, "\nDecrypt failures (mean failed KMS calls per trial): %s\n", humanNum(m.DecryptFailures.TotalMean))
	if m.DecryptFailures.TotalMean > 0 {
		header, rows := failureRows(&m.DecryptFailures)
		b.WriteString(textTable("  ", append([][]string{header}, rows...)))
	}

	b.WriteString("\nAvailability (over all trials)\n")
	rows = [][]string{{"", "mean", "min", "p50", "max"}}
	rows = append(rows, fracRow("up time / horizon", &m.Availability))
	rows = append(rows, fracRow("requests succeeded", &m.RequestSuccess))
	b.WriteString(textTable("  ", rows))
	fmt.Fprintf(&b, "  requests failed other than by KMS: %s per trial\n", humanNum(m.Unavailable))

	fmt.Fprintf(&b, "\nMonthly cost: %s (price book %s)\n", humanUSD(r.Cost.MonthlyUSD.Total), r.Cost.PriceBook.Date)
	rows = nil
	for _, it := range r.Cost.MonthlyUSD.Items {
		rows = append(rows, []string{it.Name, humanUSD(it.USD), it.Detail})
	}
	rows = append(rows, []string{"total", humanUSD(r.Cost.MonthlyUSD.Total), ""})
	b.WriteString(textTable("  ", rows, 2))

	if rp := r.Representative; rp != nil {
		fmt.Fprintf(&b, "\nRepresentative trial %d: %s\n", rp.Trial, representativeText(rp))
	}

	if len(r.Operations) > 0 {
		b.WriteString("\nOperations\n")
		rows = [][]string{{"", "op", "started", "done", "failed", "attempts", "done p50", "done p90"}}
		for _, op := range r.Operations {
			name := op.Name
			if op.Required {
				name += " (required)"
			}
			rows = append(rows, []string{name, dashIfEmpty(op.Op), fmt.Sprint(op.TrialsStarted), fmt.Sprint(op.TrialsDone),
				fmt.Sprint(op.TrialsFailed), attemptsText(&op),
				opDoneText(&op, true), opDoneText(&op, false)})
		}
		b.WriteString(textTable("  ", rows))
		for _, op := range r.Operations {
			fmt.Fprintf(&b, "  - %s\n", op.Summary)
		}
	}

	if len(r.Warnings) > 0 {
		b.WriteString("\nWarnings\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  ! %s\n", w)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: writing text: %w", err)
	}
	return nil
}

// durRow is a row of durations with the objective and the probability of
// meeting it. A null percentile is ∞ when inf, else "-".
func durRow(name string, s *Summary, inf bool, objective *float64, met Probability) []string {
	nilText := "-"
	if inf {
		nilText = "∞"
	}
	return []string{name, fmt.Sprint(s.N),
		humanDurP(s.P50, nilText), humanDurP(s.P90, nilText), humanDurP(s.P95, nilText),
		humanDurP(s.P99, nilText), humanDurP(s.Max, nilText), humanDurP(s.Mean, "-"),
		humanDurP(objective, "none"), pctP(met.P, "-"), ciPct(met.CI95)}
}

// countRow is a row of counts.
func countRow(name string, s *Summary) []string {
	return []string{name, fmt.Sprint(s.N), numP(s.Mean, "-"), numP(s.P50, "-"), numP(s.P90, "-"),
		numP(s.P95, "-"), numP(s.P99, "-"), numP(s.Max, "-")}
}

// fracRow is a row of fractions, low values first since they matter.
func fracRow(name string, s *Summary) []string {
	return []string{name, pctP(s.Mean, "-"), pctP(s.Min, "-"), pctP(s.P50, "-"), pctP(s.Max, "-")}
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// failureRows returns the decrypt failures table: the reasons with failures
// by region, then the totals.
func failureRows(f *Failures) (header []string, rows [][]string) {
	regions := sortedKeys(f.ByRegion)
	header = append(append([]string{"reason"}, regions...), "total")
	for _, reason := range sortedKeys(f.ByReason) {
		if f.ByReason[reason] == 0 {
			continue
		}
		row := []string{reason}
		for _, g := range regions {
			row = append(row, humanNum(f.ByReasonRegion[reason][g]))
		}
		rows = append(rows, append(row, humanNum(f.ByReason[reason])))
	}
	total := []string{"total"}
	for _, g := range regions {
		total = append(total, humanNum(f.ByRegion[g]))
	}
	return header, append(rows, append(total, humanNum(f.TotalMean)))
}

// attemptsText is the mean attempts of an op, "-" for a step without op.
func attemptsText(op *OpSummary) string {
	if op.Op == "" {
		return "-"
	}
	return humanNum(op.AttemptsMean)
}

// representativeText tells the story of the representative trial.
func representativeText(rp *Representative) string {
	if !rp.Incident {
		return "no incident"
	}
	s := "down at " + humanDurP(rp.T0Seconds, "-")
	if !rp.Recovered {
		return s + ", not recovered within the horizon"
	}
	s += ", RTO " + humanDurP(rp.RTOSeconds, "-") + ", RPO " + humanDurP(rp.RPOSeconds, "-")
	if rp.LostWrites != nil {
		s += fmt.Sprintf(", %d lost writes", *rp.LostWrites)
	}
	if rp.FailoverAtSeconds != nil {
		s += ", traffic moved at " + humanDur(*rp.FailoverAtSeconds)
	}
	return s
}
