package render

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// MarkdownOptions tune WriteMarkdownOptions.
type MarkdownOptions struct {
	// ChartLinks are relative paths of chart images to link, in order
	// (the PNGs that WriteAll writes beside the Markdown).
	ChartLinks []string
	// Omitted are sentences about the charts left out because they would
	// be empty.
	Omitted []string
}

// WriteMarkdown writes the report as Markdown ready to paste into a pull
// request comment: the RTO and RPO distributions are inline Mermaid
// charts, which GitHub renders; no image is linked.
func WriteMarkdown(w io.Writer, r *report.Report) error {
	return WriteMarkdownOptions(w, r, MarkdownOptions{})
}

// WriteMarkdownOptions writes the report as Markdown: a title, a verdict,
// tables for recovery, lost writes, KMS failures, availability, cost and
// operations, the distributions as Mermaid charts, the chart images given
// in opts, warnings and assumptions. Every string from the scenario is
// escaped (escape.Markdown): it can open no link, image or HTML.
func WriteMarkdownOptions(w io.Writer, r *report.Report, opts MarkdownOptions) error {
	var b strings.Builder
	m := &r.Metrics
	md := escape.Markdown
	fmt.Fprintf(&b, "# DR simulation: %s\n\n", md(r.Scenario))
	if r.Description != "" {
		fmt.Fprintf(&b, "_%s_\n\n", md(r.Description))
	}
	b.WriteString(mdSpans(verdict(r)))
	b.WriteString("\n\n" + md(runFacts(r)) + ".\n\n")
	for _, n := range runNotes(r.Overrides, r.Precision) {
		b.WriteString(md(n) + ".\n\n")
	}
	first, rest := fixFirst(r.Findings)
	b.WriteString(mdFixFirst(r, first, md))

	if len(r.Outages) > 0 {
		b.WriteString("## Outages\n\n")
		for i := range r.Outages {
			fmt.Fprintf(&b, "- %s\n", md(outageText(&r.Outages[i])))
		}
		b.WriteByte('\n')
	}

	if len(rest) > 0 {
		fmt.Fprintf(&b, "## Findings (%s)\n\n%s\n\n", md(findings.Summary(rest)), md(findingsNote))
		b.WriteString(mdTable(findingHeader, findingRows(r.Findings, rest), false, 1, 2, 3, 4))
		b.WriteByte('\n')
	}

	b.WriteString("## Recovery\n\n")
	b.WriteString(mdTable(recoveryHeader, recoveryRows(r), false))
	if r.Metrics.RPOSeconds.Unbounded > 0 {
		b.WriteString("\nRTO is over incident trials (unrecovered ones count as ∞), RPO over recovered incident trials (unbounded ones, writes that never reach the recovery region, count as ∞); P(meet) is over all trials.\n")
	} else {
		b.WriteString("\nRTO is over incident trials (unrecovered ones count as ∞), RPO over recovered incident trials; P(meet) is over all trials.\n")
	}
	for _, d := range []struct {
		metric, what string
		q            []report.QuantilePoint
		n            int
		objective    *float64
		met          report.Probability
	}{
		{"RTO", "incident trials", r.Distributions.RTO, r.Distributions.IncidentTrials, r.Objectives.RTOSeconds, r.ObjectivesMet.RTO},
		{"RPO", "recovered incident trials", r.Distributions.RPO, r.Distributions.IncidentTrials - r.Distributions.Unrecovered, r.Objectives.RPOSeconds, r.ObjectivesMet.RPO},
	} {
		b.WriteString(mermaidCDF(d.metric, d.what, d.q, d.n, d.objective, d.met))
	}

	b.WriteString("\n## Lost writes\n\n")
	b.WriteString(mdTable(lostHeader, lostRows(&m.LostWrites), false))

	b.WriteString("\n## " + kmsFailuresHeading + "\n\n" + md(kmsFailuresNote) + "\n\n")
	if m.KMSFailures.TotalMean > 0 {
		header, rows := failureRows(&m.KMSFailures)
		b.WriteString(mdTable(header, rows, true))
		kh, kr := keyFailureRows(&m.KMSFailures)
		sh, sr := storeFailureRows(&m.KMSFailures)
		if len(kr) > 0 || len(sr) > 0 {
			b.WriteString("\n" + md(kmsAttributionNote) + "\n")
		}
		if len(kr) > 0 {
			b.WriteString("\n" + mdTable(kh, kr, false))
		}
		if len(sr) > 0 {
			b.WriteString("\n" + mdTable(sh, sr, false))
		}
	} else {
		b.WriteString("None.\n")
	}

	b.WriteString("\n## Availability\n\n")
	b.WriteString(mdTable(availabilityHeader, availabilityRows(m), false, 1))
	b.WriteString("\n" + md(capitalize(unavailableText(r))) + ".\n")

	fmt.Fprintf(&b, "\n## Monthly cost: %s\n\n", md(human.USD(r.Cost.MonthlyUSD.Total)))
	b.WriteString(mdTable(costHeader, costRows(&r.Cost.MonthlyUSD), true, 2))

	if rp := r.Representative; rp != nil {
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n", md(representativeHeading(rp)), md(capitalize(representativeText(rp))))
	}

	if len(r.Operations) > 0 {
		b.WriteString("\n## Operations\n\n" + md(opNote) + "\n\n")
		b.WriteString(mdTable(opHeader(false), opRows(r.Operations, false), false, 1))
		b.WriteByte('\n')
		for _, op := range r.Operations {
			fmt.Fprintf(&b, "- %s\n", md(op.Summary))
		}
	}

	if len(opts.ChartLinks) > 0 || len(opts.Omitted) > 0 {
		var items []string
		for _, l := range opts.ChartLinks {
			alt := strings.TrimSuffix(filepath.Base(l), filepath.Ext(l))
			items = append(items, fmt.Sprintf("![%s](%s)", md(alt), mdLink(l)))
		}
		for _, o := range opts.Omitted {
			items = append(items, md(o))
		}
		b.WriteString("\n## Charts\n\n" + strings.Join(items, "\n\n") + "\n")
	}

	b.WriteString(mdWarnings(r.Warnings))

	b.WriteString("\n## Assumptions\n\n")
	fmt.Fprintf(&b, "- %s\n", md(fmt.Sprintf("%s trials, seed %d, horizon %s; objectives success threshold %s of requests.",
		human.Int(r.Trials), r.Seed, human.Dur(r.HorizonSeconds), human.Pct(r.Objectives.Success))))
	b.WriteString("- " + md(pricesAssumption(&r.Cost.PriceBook)) + "\n")
	var over []string
	for _, e := range r.Cost.PriceBook.Entries {
		if e.Overridden {
			over = append(over, fmt.Sprintf("%s = %s", e.ID, human.Num(e.USD)))
		}
	}
	if len(over) > 0 {
		fmt.Fprintf(&b, "- %s\n", md("Prices overridden by the scenario: "+strings.Join(over, ", ")+"."))
	}
	b.WriteString("- " + md(intervalsAssumption) + "\n")
	if r.Start != "" {
		b.WriteString("- " + md(startText(r.Start)) + "\n")
	}
	for i := range r.Profiles {
		b.WriteString("- " + md(profileText(&r.Profiles[i])) + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing markdown: %w", err)
	}
	return nil
}

// mdSpans writes spans as Markdown, the bold ones in **.
func mdSpans(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		t := escape.Markdown(s.Text)
		if s.Bold {
			t = "**" + t + "**"
		}
		b.WriteString(t)
	}
	return b.String()
}

// mdLink escapes a relative link target: spaces and parentheses would end
// it.
func mdLink(l string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(l)
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mermaidLine is the colour of a Mermaid CDF's line: Paul Tol's muted
// rose, whose contrast is at least 3:1 (WCAG's for graphics) against both
// a white page and GitHub's dark one (#0d1117). Mermaid's default theme
// draws the line in its primary colour, #ECECFF, which does not show on
// white.
const mermaidLine = "#CC6677"

// mermaidInit is the directive that sets the line's colour.
const mermaidInit = `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "` + mermaidLine + `"}}}}%%`

// mermaidPoints is the number of points of a Mermaid CDF.
const mermaidPoints = 41

// mermaidCDF draws an empirical CDF as a Mermaid xychart-beta line chart
// (which GitHub renders in Markdown), with the objective and the
// probability of meeting it in its title; "" when there is nothing to draw.
// The line is F(x) in percent at mermaidPoints evenly spaced x from 0.
func mermaidCDF(metric, what string, q []report.QuantilePoint, n int, objective *float64, met report.Probability) string {
	var pts []report.QuantilePoint
	top := 0.0
	for _, p := range q {
		if p.Seconds != nil && !math.IsNaN(*p.Seconds) && !math.IsInf(*p.Seconds, 0) && !math.IsNaN(p.P) {
			pts = append(pts, p)
			top = math.Max(top, *p.Seconds)
		}
	}
	if len(pts) == 0 {
		return ""
	}
	if objective != nil && !math.IsInf(*objective, 0) && !math.IsNaN(*objective) {
		top = math.Max(top, *objective)
	}
	unit, name := 1.0, "seconds"
	switch {
	case top > 3*86400:
		unit, name = 86400, "days"
	case top > 3*3600:
		unit, name = 3600, "hours"
	case top > 180:
		unit, name = 60, "minutes"
	}
	xmax := niceCeil(top * 1.05 / unit)
	var ys []string
	for i := 0; i < mermaidPoints; i++ {
		x := xmax * unit * float64(i) / (mermaidPoints - 1)
		f := 0.0
		for _, p := range pts {
			if *p.Seconds <= x {
				f = math.Max(f, p.P)
			}
		}
		ys = append(ys, trimFloat(f*100))
	}
	title := fmt.Sprintf("%s over %s %s", metric, human.Int(n), what)
	if objective != nil && met.P != nil {
		title += fmt.Sprintf(", P(%s ≤ %s) = %s", metric, human.Dur(*objective), human.Pct(*met.P))
	}
	var b strings.Builder
	b.WriteString("\n```mermaid\n" + mermaidInit + "\nxychart-beta\n")
	fmt.Fprintf(&b, "    title \"%s\"\n", strings.ReplaceAll(title, `"`, "'"))
	fmt.Fprintf(&b, "    x-axis \"%s (%s)\" 0 --> %s\n", metric, name, trimFloat(xmax))
	fmt.Fprintf(&b, "    y-axis \"share of %s (%%)\" 0 --> 100\n", what)
	fmt.Fprintf(&b, "    line [%s]\n", strings.Join(ys, ", "))
	b.WriteString("```\n")
	return b.String()
}

// niceCeil rounds x up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range [...]float64{1, 2, 2.5, 5, 10} {
		if m*mag >= x*(1-1e-12) {
			return m * mag
		}
	}
	return 10 * mag
}

// trimFloat formats x with at most 3 decimals and no useless zeros.
func trimFloat(x float64) string {
	s := fmt.Sprintf("%.3f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}
