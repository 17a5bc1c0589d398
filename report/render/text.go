package render

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/cost"
	"github.com/drsim/drsim/report/internal/human"
)

// WriteText writes the report for a human reader: what an architect reads
// first. Columns are aligned; times are in human units.
func WriteText(w io.Writer, r *report.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "drsim report: %s\n", r.Scenario)
	if r.Description != "" {
		fmt.Fprintf(&b, "%s\n", r.Description)
	}
	m := &r.Metrics
	fmt.Fprintf(&b, "%d trials (seed %d, horizon %s), %d with an incident, %d unrecovered\n",
		r.Trials, r.Seed, human.Dur(r.HorizonSeconds), m.IncidentTrials, m.RTOSeconds.Unrecovered)
	b.WriteString(textFindings(r.Findings))

	b.WriteString("\nRecovery\n")
	b.WriteString(textTable("  ", append([][]string{recoveryHeader}, recoveryRows(r)...)))
	b.WriteString("  (RTO over incident trials, unrecovered count as ∞; RPO over recovered incident trials;\n")
	b.WriteString("   P(meet) over all trials, incident-free trials meet both)\n")

	b.WriteString("\nLost writes (per recovered incident trial)\n")
	b.WriteString(textTable("  ", append([][]string{{"", "n", "mean", "p50", "p90", "p95", "p99", "max"}}, lostRows(&m.LostWrites)...)))

	fmt.Fprintf(&b, "\nDecrypt failures (mean failed KMS calls per trial): %s\n", human.Num(m.KMSFailures.TotalMean))
	if m.KMSFailures.TotalMean > 0 {
		header, rows := failureRows(&m.KMSFailures)
		b.WriteString(textTable("  ", append([][]string{header}, rows...)))
	}

	b.WriteString("\nAvailability (over all trials)\n")
	rows := [][]string{{"", "mean", "min", "p50", "max"}}
	rows = append(rows, fracRow("up time / horizon", &m.Availability))
	rows = append(rows, fracRow("requests succeeded", &m.RequestSuccess))
	b.WriteString(textTable("  ", rows))
	fmt.Fprintf(&b, "  requests failed other than by KMS: %s per trial\n", human.Num(m.Unavailable))

	fmt.Fprintf(&b, "\nMonthly cost: %s (price book %s)\n", human.USD(r.Cost.MonthlyUSD.Total), r.Cost.PriceBook.Date)
	b.WriteString(textTable("  ", costRows(&r.Cost.MonthlyUSD, "total"), 2))

	if rp := r.Representative; rp != nil {
		fmt.Fprintf(&b, "\nRepresentative trial %d: %s\n", rp.Trial, representativeText(rp))
	}

	if len(r.Operations) > 0 {
		b.WriteString("\nOperations\n")
		header := []string{"", "op", "started", "done", "failed", "attempts", "done p50", "done p90"}
		b.WriteString(textTable("  ", append([][]string{header}, opRows(r.Operations, false)...)))
		for _, op := range r.Operations {
			fmt.Fprintf(&b, "  - %s\n", op.Summary)
		}
	}

	b.WriteString(textWarnings(r.Warnings))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing text: %w", err)
	}
	return nil
}

// recoveryHeader heads the table of recoveryRows.
var recoveryHeader = []string{"", "n", "p50", "p90", "p95", "p99", "max", "mean", "objective", "P(meet)", "95% CI"}

// recoveryRows are the RTO, RPO and "both" rows of the recovery table.
func recoveryRows(r *report.Report) [][]string {
	m := &r.Metrics
	both := r.ObjectivesMet.Both
	return [][]string{
		durRow("RTO", &m.RTOSeconds.Summary, m.RTOSeconds.Unrecovered > 0, r.Objectives.RTOSeconds, r.ObjectivesMet.RTO),
		durRow("RPO", &m.RPOSeconds, false, r.Objectives.RPOSeconds, r.ObjectivesMet.RPO),
		{"both", "", "", "", "", "", "", "", "", human.PctOr(both.P, "-"), human.CIPct(both.CI95)},
	}
}

// lostRows are the lost writes in total, then by store.
func lostRows(l *report.LostSummary) [][]string {
	rows := [][]string{countRow("total", &l.Summary)}
	for _, k := range slices.Sorted(maps.Keys(l.ByStore)) {
		s := l.ByStore[k]
		rows = append(rows, countRow(k, &s))
	}
	return rows
}

// costRows are the cost items, then a total row named total.
func costRows(c *cost.Monthly, total string) [][]string {
	rows := make([][]string, 0, len(c.Items)+1)
	for _, it := range c.Items {
		rows = append(rows, []string{it.Name, human.USD(it.USD), it.Detail})
	}
	return append(rows, []string{total, human.USD(c.Total), ""})
}

// opRows is a row per operation: name, op, trials started, done and
// failed, attempts, done p50 and p90, and with withErrors its errors.
func opRows(ops []report.OpSummary, withErrors bool) [][]string {
	rows := make([][]string, 0, len(ops))
	for i := range ops {
		op := &ops[i]
		name := op.Name
		if op.Required {
			name += " (required)"
		}
		row := []string{name, dashIfEmpty(op.Op), fmt.Sprint(op.TrialsStarted), fmt.Sprint(op.TrialsDone),
			fmt.Sprint(op.TrialsFailed), attemptsText(op), op.DoneText(true), op.DoneText(false)}
		if withErrors {
			row = append(row, errorsText(op.Errors))
		}
		rows = append(rows, row)
	}
	return rows
}

// availabilityText is the availability sentence of the Markdown and HTML
// reports.
func availabilityText(m *report.Metrics) string {
	return fmt.Sprintf("Availability (up time / horizon): mean %s, min %s. Requests succeeded: mean %s, min %s. Requests failed other than by KMS: %s per trial.",
		human.PctOr(m.Availability.Mean, "-"), human.PctOr(m.Availability.Min, "-"), human.PctOr(m.RequestSuccess.Mean, "-"), human.PctOr(m.RequestSuccess.Min, "-"), human.Num(m.Unavailable))
}

// durRow is a row of durations with the objective and the probability of
// meeting it. A null percentile is ∞ when inf, else "-".
func durRow(name string, s *report.Summary, inf bool, objective *float64, met report.Probability) []string {
	nilText := "-"
	if inf {
		nilText = "∞"
	}
	return []string{name, fmt.Sprint(s.N),
		human.DurOr(s.P50, nilText), human.DurOr(s.P90, nilText), human.DurOr(s.P95, nilText),
		human.DurOr(s.P99, nilText), human.DurOr(s.Max, nilText), human.DurOr(s.Mean, "-"),
		human.DurOr(objective, "none"), human.PctOr(met.P, "-"), human.CIPct(met.CI95)}
}

// countRow is a row of counts.
func countRow(name string, s *report.Summary) []string {
	return []string{name, fmt.Sprint(s.N), human.NumOr(s.Mean, "-"), human.NumOr(s.P50, "-"), human.NumOr(s.P90, "-"),
		human.NumOr(s.P95, "-"), human.NumOr(s.P99, "-"), human.NumOr(s.Max, "-")}
}

// fracRow is a row of fractions, low values first since they matter.
func fracRow(name string, s *report.Summary) []string {
	return []string{name, human.PctOr(s.Mean, "-"), human.PctOr(s.Min, "-"), human.PctOr(s.P50, "-"), human.PctOr(s.Max, "-")}
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// failureRows returns the decrypt failures table: the reasons with failures
// by region, then the totals.
func failureRows(f *report.Failures) (header []string, rows [][]string) {
	regions := slices.Sorted(maps.Keys(f.ByRegion))
	header = append(append([]string{"reason"}, regions...), "total")
	for _, reason := range slices.Sorted(maps.Keys(f.ByReason)) {
		if f.ByReason[reason] == 0 {
			continue
		}
		row := []string{reason}
		for _, g := range regions {
			row = append(row, human.Num(f.ByReasonRegion[reason][g]))
		}
		rows = append(rows, append(row, human.Num(f.ByReason[reason])))
	}
	total := []string{"total"}
	for _, g := range regions {
		total = append(total, human.Num(f.ByRegion[g]))
	}
	return header, append(rows, append(total, human.Num(f.TotalMean)))
}

// attemptsText is the mean attempts of an op, "-" for a step without op.
func attemptsText(op *report.OpSummary) string {
	if op.Op == "" {
		return "-"
	}
	return human.Num(op.AttemptsMean)
}

// representativeText tells the story of the representative trial.
func representativeText(rp *report.Representative) string {
	if !rp.Incident {
		return "no incident"
	}
	s := "down at " + human.DurOr(rp.T0Seconds, "-")
	if !rp.Recovered {
		return s + ", not recovered within the horizon"
	}
	s += ", RTO " + human.DurOr(rp.RTOSeconds, "-") + ", RPO " + human.DurOr(rp.RPOSeconds, "-")
	if rp.LostWrites != nil {
		s += fmt.Sprintf(", %d lost writes", *rp.LostWrites)
	}
	if rp.FailoverAtSeconds != nil {
		s += ", traffic moved at " + human.Dur(*rp.FailoverAtSeconds)
	}
	return s
}
