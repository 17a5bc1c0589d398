package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// MarkdownOptions tune WriteMarkdownOptions.
type MarkdownOptions struct {
	// ChartLinks are relative paths of chart images to embed, in order.
	ChartLinks []string
}

// WriteMarkdown writes the report as Markdown ready to paste into a pull
// request, without charts.
func WriteMarkdown(w io.Writer, r *Report) error {
	return WriteMarkdownOptions(w, r, MarkdownOptions{})
}

// WriteMarkdownOptions writes the report as Markdown: a title, a verdict,
// tables for recovery, lost writes, failures, cost and operations, the
// charts given in opts, warnings and assumptions.
func WriteMarkdownOptions(w io.Writer, r *Report, opts MarkdownOptions) error {
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
	if m.DecryptFailures.TotalMean > 0 {
		header, rows := failureRows(&m.DecryptFailures)
		rows[len(rows)-1][0] = "**total**"
		b.WriteString(mdTable(header, rows))
	} else {
		b.WriteString("None.\n")
	}
	b.WriteString("\n" + availabilityText(m) + "\n")

	fmt.Fprintf(&b, "\n## Monthly cost: %s\n\n", humanUSD(r.Cost.MonthlyUSD.Total))
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
		r.Trials, r.Seed, humanDur(r.HorizonSeconds), humanPct(r.Objectives.Success))
	b.WriteString("- " + pricesAssumption(&r.Cost.PriceBook) + "\n")
	var over []string
	for _, e := range r.Cost.PriceBook.Entries {
		if e.Overridden {
			over = append(over, fmt.Sprintf("%s = %s", e.ID, humanNum(e.USD)))
		}
	}
	if len(over) > 0 {
		fmt.Fprintf(&b, "- Prices overridden by the scenario: %s.\n", strings.Join(over, ", "))
	}
	b.WriteString("- " + intervalsAssumption + "\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: writing markdown: %w", err)
	}
	return nil
}

// intervalsAssumption says how the report's intervals are computed.
const intervalsAssumption = "Percentile intervals are distribution-free (order statistics); probabilities use Wilson 95% intervals."

// pricesAssumption says where the prices come from and the units of the
// cost model.
func pricesAssumption(p *PriceBookInfo) string {
	return fmt.Sprintf("Prices: %s, dated %s; a month is %d h, a GB is 2^30 bytes.", p.Source, p.Date, HoursPerMonth)
}

// verdict is the one-paragraph summary of the run.
func verdict(r *Report) string {
	m := &r.Metrics
	var b strings.Builder
	var objs []string
	if r.Objectives.RTOSeconds != nil {
		objs = append(objs, "RTO ≤ "+humanDur(*r.Objectives.RTOSeconds))
	}
	if r.Objectives.RPOSeconds != nil {
		objs = append(objs, "RPO ≤ "+humanDur(*r.Objectives.RPOSeconds))
	}
	both := r.ObjectivesMet.Both
	switch {
	case r.Trials == 0:
		b.WriteString("**No trials were run.**")
	case both.P == nil:
		fmt.Fprintf(&b, "**%s has no RTO or RPO objective**, so it is not judged.", r.Scenario)
	case both.Met == both.N:
		fmt.Fprintf(&b, "**Meets its objectives (%s) in every one of %d trials** (95%% CI %s).",
			strings.Join(objs, ", "), both.N, ciPct(both.CI95))
	default:
		fmt.Fprintf(&b, "**Meets its objectives (%s) in %s of trials** (95%% CI %s); it misses them in %d of %d.",
			strings.Join(objs, ", "), humanPct(*both.P), ciPct(both.CI95), both.N-both.Met, both.N)
	}
	if r.Trials > 0 {
		if m.IncidentTrials == 0 {
			b.WriteString(" No trial had an incident.")
		} else {
			fmt.Fprintf(&b, " %d of %d trials had an incident", m.IncidentTrials, r.Trials)
			rto := &m.RTOSeconds
			if rto.P50 != nil {
				fmt.Fprintf(&b, "; their median RTO is %s (p99 %s)", humanDur(*rto.P50), humanDurP(rto.P99, "∞"))
			}
			if m.RPOSeconds.P50 != nil {
				fmt.Fprintf(&b, ", median RPO %s (p99 %s)", humanDur(*m.RPOSeconds.P50), humanDurP(m.RPOSeconds.P99, "-"))
			}
			if m.LostWrites.Mean != nil {
				fmt.Fprintf(&b, ", %s lost writes on average", humanNum(*m.LostWrites.Mean))
			}
			b.WriteString(".")
			if rto.Unrecovered > 0 {
				fmt.Fprintf(&b, " %d %s did not recover within %s.", rto.Unrecovered,
					plural(rto.Unrecovered, "trial", "trials"), humanDur(r.HorizonSeconds))
			}
		}
		if m.DecryptFailures.TotalMean > 0 {
			fmt.Fprintf(&b, " KMS refused or failed %s cryptographic calls per trial on average.", humanNum(m.DecryptFailures.TotalMean))
		}
	}
	fmt.Fprintf(&b, " The setup costs %s per month.", humanUSD(r.Cost.MonthlyUSD.Total))
	return b.String()
}
