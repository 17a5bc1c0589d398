package render

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/cost"
	"github.com/drsim/drsim/report/internal/human"
)

// MarkdownOptions tune WriteMarkdownOptions.
type MarkdownOptions struct {
	// ChartLinks are relative paths of chart images to embed, in order.
	ChartLinks []string
}

// WriteMarkdown writes the report as Markdown ready to paste into a pull
// request, without charts.
func WriteMarkdown(w io.Writer, r *report.Report) error {
	return WriteMarkdownOptions(w, r, MarkdownOptions{})
}

// WriteMarkdownOptions writes the report as Markdown: a title, a verdict,
// tables for recovery, lost writes, failures, cost and operations, the
// charts given in opts, warnings and assumptions.
func WriteMarkdownOptions(w io.Writer, r *report.Report, opts MarkdownOptions) error {
	var b strings.Builder
	m := &r.Metrics
	fmt.Fprintf(&b, "# DR simulation: %s\n\n", r.Scenario)
	if r.Description != "" {
		fmt.Fprintf(&b, "_%s_\n\n", mdEscape(r.Description))
	}
	b.WriteString(verdict(r))
	b.WriteString("\n\n")

	b.WriteString("## Recovery\n\n")
	b.WriteString(mdTable(recoveryHeader, recoveryRows(r)))
	b.WriteString("\nRTO is over incident trials (unrecovered ones count as ∞), RPO over recovered incident trials; P(meet) is over all trials.\n\n")

	b.WriteString("## Lost writes\n\n")
	b.WriteString(mdTable([]string{"store", "n", "mean", "p50", "p90", "p95", "p99", "max"}, lostRows(&m.LostWrites)))

	b.WriteString("\n## Decrypt failures\n\nMean failed KMS calls per trial, by cause and by the region the call was sent to.\n\n")
	if m.KMSFailures.TotalMean > 0 {
		header, rows := failureRows(&m.KMSFailures)
		rows[len(rows)-1][0] = "**total**"
		b.WriteString(mdTable(header, rows))
	} else {
		b.WriteString("None.\n")
	}
	b.WriteString("\n" + availabilityText(m) + "\n")

	fmt.Fprintf(&b, "\n## Monthly cost: %s\n\n", human.USD(r.Cost.MonthlyUSD.Total))
	b.WriteString(mdTable([]string{"item", "USD/month", "detail"}, costRows(&r.Cost.MonthlyUSD, "**total**"), 2))

	if len(r.Operations) > 0 {
		b.WriteString("\n## Operations\n\n")
		b.WriteString(mdTable([]string{"operation", "op", "started", "done", "failed", "attempts", "done p50", "done p90"}, opRows(r.Operations, false), 1))
		b.WriteByte('\n')
		for _, op := range r.Operations {
			fmt.Fprintf(&b, "- %s\n", mdEscape(op.Summary))
		}
	}

	if rp := r.Representative; rp != nil {
		fmt.Fprintf(&b, "\nRepresentative trial %d: %s.\n", rp.Trial, representativeText(rp))
	}

	if len(opts.ChartLinks) > 0 {
		b.WriteString("\n## Charts\n\n")
		for i, l := range opts.ChartLinks {
			if i > 0 {
				b.WriteByte('\n')
			}
			alt := strings.TrimSuffix(filepath.Base(l), filepath.Ext(l))
			fmt.Fprintf(&b, "![%s](%s)\n", alt, l)
		}
	}

	b.WriteString(mdWarnings(r.Warnings))

	b.WriteString("\n## Assumptions\n\n")
	fmt.Fprintf(&b, "- %d trials, seed %d, horizon %s; objectives success threshold %s of requests.\n",
		r.Trials, r.Seed, human.Dur(r.HorizonSeconds), human.Pct(r.Objectives.Success))
	b.WriteString("- " + pricesAssumption(&r.Cost.PriceBook) + "\n")
	var over []string
	for _, e := range r.Cost.PriceBook.Entries {
		if e.Overridden {
			over = append(over, fmt.Sprintf("%s = %s", e.ID, human.Num(e.USD)))
		}
	}
	if len(over) > 0 {
		fmt.Fprintf(&b, "- Prices overridden by the scenario: %s.\n", strings.Join(over, ", "))
	}
	b.WriteString("- " + intervalsAssumption + "\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing markdown: %w", err)
	}
	return nil
}

// intervalsAssumption says how the report's intervals are computed.
const intervalsAssumption = "Percentile intervals are distribution-free (order statistics); probabilities use Wilson 95% intervals."

// pricesAssumption says where the prices come from and the units of the
// cost model.
func pricesAssumption(p *cost.PriceBookInfo) string {
	return fmt.Sprintf("Prices: %s, dated %s; a month is %d h, a GB is 2^30 bytes.", p.Source, p.Date, cost.HoursPerMonth)
}

// verdict is the one-paragraph summary of the run.
func verdict(r *report.Report) string {
	m := &r.Metrics
	var b strings.Builder
	var objs []string
	if r.Objectives.RTOSeconds != nil {
		objs = append(objs, "RTO ≤ "+human.Dur(*r.Objectives.RTOSeconds))
	}
	if r.Objectives.RPOSeconds != nil {
		objs = append(objs, "RPO ≤ "+human.Dur(*r.Objectives.RPOSeconds))
	}
	both := r.ObjectivesMet.Both
	switch {
	case r.Trials == 0:
		b.WriteString("**No trials were run.**")
	case both.P == nil:
		fmt.Fprintf(&b, "**%s has no RTO or RPO objective**, so it is not judged.", r.Scenario)
	case both.Met == both.N:
		fmt.Fprintf(&b, "**Meets its objectives (%s) in every one of %d trials** (95%% CI %s).",
			strings.Join(objs, ", "), both.N, human.CIPct(both.CI95))
	default:
		fmt.Fprintf(&b, "**Meets its objectives (%s) in %s of trials** (95%% CI %s); it misses them in %d of %d.",
			strings.Join(objs, ", "), human.Pct(*both.P), human.CIPct(both.CI95), both.N-both.Met, both.N)
	}
	if r.Trials > 0 {
		if m.IncidentTrials == 0 {
			b.WriteString(" No trial had an incident.")
		} else {
			fmt.Fprintf(&b, " %d of %d trials had an incident", m.IncidentTrials, r.Trials)
			rto := &m.RTOSeconds
			if rto.P50 != nil {
				fmt.Fprintf(&b, "; their median RTO is %s (p99 %s)", human.Dur(*rto.P50), human.DurOr(rto.P99, "∞"))
			}
			if m.RPOSeconds.P50 != nil {
				fmt.Fprintf(&b, ", median RPO %s (p99 %s)", human.Dur(*m.RPOSeconds.P50), human.DurOr(m.RPOSeconds.P99, "-"))
			}
			if m.LostWrites.Mean != nil {
				fmt.Fprintf(&b, ", %s lost writes on average", human.Num(*m.LostWrites.Mean))
			}
			b.WriteString(".")
			if rto.Unrecovered > 0 {
				fmt.Fprintf(&b, " %d %s did not recover within %s.", rto.Unrecovered,
					human.Plural(rto.Unrecovered, "trial", "trials"), human.Dur(r.HorizonSeconds))
			}
		}
		if m.KMSFailures.TotalMean > 0 {
			fmt.Fprintf(&b, " KMS refused or failed %s cryptographic calls per trial on average.", human.Num(m.KMSFailures.TotalMean))
		}
	}
	fmt.Fprintf(&b, " The setup costs %s per month.", human.USD(r.Cost.MonthlyUSD.Total))
	return b.String()
}
