package render

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/human"
)

// Output file names of WriteSweepAll and WriteSensitivityAll; every chart
// is also written as NAME.svg and NAME.png.
const (
	SweepJSON       = "sweep.json"
	SweepMD         = "sweep.md"
	SensitivityJSON = "sensitivity.json"
	SensitivityMD   = "sensitivity.md"
)

// sweepTable returns the sweep's table: one column per parameter, then
// the outcomes; the 95% interval of P(meet both) in a column of its own.
func sweepTable(s *report.Sweep) (header []string, rows [][]string) {
	for _, p := range s.Parameters {
		header = append(header, p.Path)
	}
	header = append(header, "P(meet both)", "95% CI", "RTO p50", "RTO p95", "RPO p50", "RPO p95", "lost mean", "KMS failures", "cost/month", "front")
	for _, pt := range s.Points {
		row := append([]string(nil), pt.Values...)
		for len(row) < len(s.Parameters) {
			row = append(row, "")
		}
		inf := "-"
		if pt.Unrecovered > 0 {
			inf = "∞"
		}
		front := ""
		if pt.Pareto {
			front = "yes"
		}
		row = append(row, human.PctOr(pt.MeetBoth.P, "-"), human.CIPct(pt.MeetBoth.CI95),
			human.DurOr(pt.RTOP50Seconds, inf), human.DurOr(pt.RTOP95Seconds, inf),
			human.DurOr(pt.RPOP50Seconds, "-"), human.DurOr(pt.RPOP95Seconds, "-"),
			human.NumOr(pt.LostWritesMean, "-"), human.Num(pt.KMSFailuresMean), human.USD(pt.MonthlyUSD), front)
		rows = append(rows, row)
	}
	return header, rows
}

// sweepFacts is the line under a sweep's title.
func sweepFacts(s *report.Sweep) string {
	var paths []string
	for _, p := range s.Parameters {
		paths = append(paths, p.Path)
	}
	return fmt.Sprintf("%s %s (%s), %s %s each (seed %d; every point on the same trials: common random numbers)",
		human.Int(len(s.Points)), human.Plural(len(s.Points), "point", "points"), strings.Join(paths, " × "), human.Int(s.Trials), human.Plural(s.Trials, "trial", "trials"), s.Seed)
}

// pointLabel names a point by its values: "failover.detect=2m,
// buckets.alerts.replication[0].rtc=true".
func pointLabel(s *report.Sweep, pt *report.SweepPoint) string {
	parts := make([]string, 0, len(pt.Values))
	for i, v := range pt.Values {
		if i < len(s.Parameters) {
			parts = append(parts, s.Parameters[i].Path+"="+v)
		}
	}
	return strings.Join(parts, ", ")
}

// sweepVerdict says which point to pick: the cheapest whose P(meet both)
// reaches the bar, else the one with the highest P(meet both).
func sweepVerdict(s *report.Sweep) string {
	best, cheapest := -1, -1
	for i := range s.Points {
		p := &s.Points[i]
		if p.MeetBoth.P == nil {
			continue
		}
		if best < 0 || *p.MeetBoth.P > *s.Points[best].MeetBoth.P ||
			(*p.MeetBoth.P == *s.Points[best].MeetBoth.P && p.MonthlyUSD < s.Points[best].MonthlyUSD) {
			best = i
		}
		if *p.MeetBoth.P >= s.MinProbability && (cheapest < 0 || p.MonthlyUSD < s.Points[cheapest].MonthlyUSD ||
			(p.MonthlyUSD == s.Points[cheapest].MonthlyUSD && *p.MeetBoth.P > *s.Points[cheapest].MeetBoth.P)) {
			cheapest = i
		}
	}
	var v string
	switch {
	case best < 0:
		return "No point has a P(meet both): the scenario sets no objective."
	case cheapest >= 0:
		p := &s.Points[cheapest]
		v = fmt.Sprintf("Cheapest point with P(meet both) ≥ %s: %s, %s at %s a month.", human.Pct(s.MinProbability), pointLabel(s, p), human.Pct(*p.MeetBoth.P), human.USD(p.MonthlyUSD))
	default:
		p := &s.Points[best]
		best, bar := human.PctApart(*p.MeetBoth.P, s.MinProbability)
		v = fmt.Sprintf("No point reaches P(meet both) ≥ %s; the highest is %s, %s at %s a month.", bar, pointLabel(s, p), best, human.USD(p.MonthlyUSD))
	}
	for _, p := range s.Parameters {
		if p.NoEffect != "" {
			v += fmt.Sprintf(" %s changes only the cost here, not what is simulated: its value in this choice rests on price alone (see the warnings).", p.Path)
		}
	}
	return v
}

const sweepNote = "RTO over incident trials (unrecovered count as ∞), RPO and lost writes over recovered incident trials, P(meet both) over all trials; " +
	"front: no other point has a P(meet both) at least as high for at most its cost, and a higher P(meet both) or a lower cost (points tied on both are all on the front or all off it)"

// WriteSweepText writes the sweep as aligned text.
func WriteSweepText(w io.Writer, s *report.Sweep) error {
	var b strings.Builder
	fmt.Fprintf(&b, "drsim sweep: %s\n%s\n", escape.Text(s.Scenario), sweepFacts(s))
	for _, n := range runNotes(s.Overrides, s.Precision) {
		b.WriteString(escape.Text(n) + "\n")
	}
	b.WriteString("\n")
	h, rows := sweepTable(s)
	left := make([]int, len(s.Parameters))
	for i := range left {
		left[i] = i
	}
	b.WriteString(textTable("  ", append([][]string{h}, rows...), left...))
	b.WriteString("  (" + sweepNote + ")\n\n")
	b.WriteString(sweepVerdict(s) + "\n")
	b.WriteString(textWarnings(s.Warnings))
	if _, err := io.WriteString(w, safeText(b.String())); err != nil {
		return fmt.Errorf("render: writing sweep: %w", err)
	}
	return nil
}

// WriteSweepMarkdown writes the sweep as Markdown.
func WriteSweepMarkdown(w io.Writer, s *report.Sweep) error {
	var b strings.Builder
	md := escape.Markdown
	fmt.Fprintf(&b, "# DR sweep: %s\n\n%s.\n\n", md(s.Scenario), md(sweepFacts(s)))
	for _, n := range runNotes(s.Overrides, s.Precision) {
		b.WriteString(md(n) + ".\n\n")
	}
	b.WriteString("**" + md(sweepVerdict(s)) + "**\n\n")
	h, rows := sweepTable(s)
	left := make([]int, len(s.Parameters))
	for i := range left {
		left[i] = i
	}
	b.WriteString(mdTable(h, rows, false, left...))
	b.WriteString("\n" + md(sweepNote) + ".\n")
	b.WriteString(mdWarnings(s.Warnings))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing sweep: %w", err)
	}
	return nil
}

// sensitivityFacts is the line under a sensitivity document's title.
func sensitivityFacts(s *report.Sensitivity) string {
	runs := 2*len(s.Inputs) + 1
	if len(s.Inputs) == 0 {
		return fmt.Sprintf("1 run of %s %s (seed %d): the scenario as written (no input varies)", human.Int(s.Trials), human.Plural(s.Trials, "trial", "trials"), s.Seed)
	}
	return fmt.Sprintf("%s runs of %s %s (seed %d): the scenario as written, then each of %s %s pinned at its 10th and its 90th percentile, every other input unchanged (common random numbers)",
		human.Int(runs), human.Int(s.Trials), human.Plural(s.Trials, "trial", "trials"), s.Seed, human.Int(len(s.Inputs)), human.Plural(len(s.Inputs), "input", "inputs"))
}

// tornadoTable returns the tornado's rows as a table.
func tornadoTable(s *report.Sensitivity) (header []string, rows [][]string) {
	m := s.Metric
	header = []string{"input", "pinned at p10 → p90", m.Label() + " at p10", "95% CI", "at p90", "95% CI", "swing"}
	for _, in := range s.Inputs {
		name := in.Name
		if in.Draws == "many" {
			name += " *"
		}
		if in.Default {
			name += " (default)"
		}
		swing := "∞"
		if in.Swing != nil {
			swing = swingText(m, *in.Swing)
		}
		rows = append(rows, []string{name, human.Dur(in.P10Seconds) + " → " + human.Dur(in.P90Seconds),
			m.Format(in.Low.Value), m.FormatCI(in.Low.CI95), m.Format(in.High.Value), m.FormatCI(in.High.CI95), swing})
	}
	return header, rows
}

const tornadoNote = "swing: the span of the metric over the scenario as written and both ends; " +
	"* an input drawn many times a trial (a lag per write, a copy time per backup), pinned at every draw; (default): a value the scenario leaves at its default"

// swingText formats a swing of m: percentage points for P(meet both).
func swingText(m report.Metric, x float64) string {
	if m == report.MetricMeetBoth {
		return strings.TrimPrefix(pctPoints(x), "+")
	}
	return m.Format(&x)
}

// rankingTable returns the rank correlations as a table.
func rankingTable(s *report.Sensitivity) (header []string, rows [][]string) {
	header = []string{"input", "ρ with RTO", "ρ with RPO"}
	rho := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%+.2f", *p)
	}
	for _, r := range s.Ranking {
		rows = append(rows, []string{r.Name, rho(r.RTO), rho(r.RPO)})
	}
	return header, rows
}

const rankingNote = "Spearman's rank correlation between the uniform each trial draws for the input and the trial's RTO and RPO, over the baseline's incident trials; " +
	"an unrecovered trial ranks highest; +1: a higher draw always means a longer RTO"

// baselineText is the metric of the scenario as written.
func baselineText(s *report.Sensitivity) string {
	m := s.Metric
	t := fmt.Sprintf("%s as written: %s", m.Label(), m.Format(s.Baseline.Value))
	if ci := m.FormatCI(s.Baseline.CI95); ci != "" {
		t += " " + ci
	}
	var objs []string
	if o := s.Objectives.RTOSeconds; o != nil {
		objs = append(objs, "RTO ≤ "+human.Dur(*o))
	}
	if o := s.Objectives.RPOSeconds; o != nil {
		objs = append(objs, "RPO ≤ "+human.Dur(*o))
	}
	if len(objs) > 0 {
		t += " (objectives " + strings.Join(objs, ", ") + ")"
	}
	return t
}

// constantText lists the constant inputs.
func constantText(s *report.Sensitivity) string {
	if len(s.Constant) == 0 {
		return ""
	}
	parts := make([]string, len(s.Constant))
	for i, c := range s.Constant {
		parts[i] = c.Name + " = " + c.Value
	}
	return "Constant, so not in the tornado: " + strings.Join(parts, ", ")
}

// WriteSensitivityText writes the sensitivity document as aligned text.
func WriteSensitivityText(w io.Writer, s *report.Sensitivity) error {
	var b strings.Builder
	fmt.Fprintf(&b, "drsim sensitivity: %s\n%s\n", escape.Text(s.Scenario), sensitivityFacts(s))
	for _, n := range runNotes(s.Overrides, nil) {
		b.WriteString(escape.Text(n) + "\n")
	}
	fmt.Fprintf(&b, "\n%s\n", baselineText(s))
	if len(s.Inputs) > 0 {
		fmt.Fprintf(&b, "\nWhat moves %s most (tornado, by swing)\n", s.Metric.Label())
		h, rows := tornadoTable(s)
		b.WriteString(textTable("  ", append([][]string{h}, rows...), 1))
	} else {
		b.WriteString("\nNo input varies: every distribution of the scenario is a constant.\n")
	}
	if len(s.Inputs) > 0 {
		b.WriteString("  (" + tornadoNote + ")\n")
	}
	if c := constantText(s); c != "" {
		b.WriteString("  " + c + "\n")
	}
	if len(s.Ranking) > 0 {
		fmt.Fprintf(&b, "\nRank correlation (Spearman, %s incident %s)\n", human.Int(s.IncidentTrials), human.Plural(s.IncidentTrials, "trial", "trials"))
		h, rows := rankingTable(s)
		b.WriteString(textTable("  ", append([][]string{h}, rows...)))
		b.WriteString("  (" + rankingNote + ")\n")
	}
	b.WriteString(textWarnings(s.Warnings))
	if _, err := io.WriteString(w, safeText(b.String())); err != nil {
		return fmt.Errorf("render: writing sensitivity: %w", err)
	}
	return nil
}

// WriteSensitivityMarkdown writes the sensitivity document as Markdown.
func WriteSensitivityMarkdown(w io.Writer, s *report.Sensitivity) error {
	var b strings.Builder
	md := escape.Markdown
	fmt.Fprintf(&b, "# DR sensitivity: %s\n\n%s.\n\n", md(s.Scenario), md(sensitivityFacts(s)))
	for _, n := range runNotes(s.Overrides, nil) {
		b.WriteString(md(n) + ".\n\n")
	}
	b.WriteString(md(baselineText(s)) + ".\n\n")
	if len(s.Inputs) > 0 {
		fmt.Fprintf(&b, "## What moves %s most\n\n", md(s.Metric.Label()))
		h, rows := tornadoTable(s)
		b.WriteString(mdTable(h, rows, false, 1))
		b.WriteString("\n" + md(tornadoNote) + ".\n")
	}
	if c := constantText(s); c != "" {
		b.WriteString("\n" + md(c) + ".\n")
	}
	if len(s.Ranking) > 0 {
		fmt.Fprintf(&b, "\n## Rank correlation (Spearman, %s incident %s)\n\n", human.Int(s.IncidentTrials), human.Plural(s.IncidentTrials, "trial", "trials"))
		h, rows := rankingTable(s)
		b.WriteString(mdTable(h, rows, false))
		b.WriteString("\n" + md(rankingNote) + ".\n")
	}
	b.WriteString(mdWarnings(s.Warnings))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render: writing sensitivity: %w", err)
	}
	return nil
}

// WriteSweepAll creates dir and writes the sweep as sweep.json, sweep.md
// (linking the charts) and each chart as NAME.svg and NAME.png. It returns
// the charts left out and why (sweep.md says it too), for the command to
// tell the user.
func WriteSweepAll(dir string, s *report.Sweep) ([]chart.Omission, error) {
	if s == nil {
		return nil, fmt.Errorf("render: write all: nil sweep")
	}
	charts, omitted, err := chart.ForSweep(s)
	if err != nil {
		return nil, err
	}
	return omitted, writeDocAll(dir, charts, omitted, SweepJSON, SweepMD,
		func(w io.Writer) error { return report.WriteSweepJSON(w, s) },
		func(w io.Writer) error { return WriteSweepMarkdown(w, s) })
}

// WriteSensitivityAll creates dir and writes the sensitivity document as
// sensitivity.json, sensitivity.md (linking the charts) and each chart as
// NAME.svg and NAME.png. It returns the charts left out and why.
func WriteSensitivityAll(dir string, s *report.Sensitivity) ([]chart.Omission, error) {
	if s == nil {
		return nil, fmt.Errorf("render: write all: nil sensitivity")
	}
	charts, omitted, err := chart.ForSensitivity(s)
	if err != nil {
		return nil, err
	}
	return omitted, writeDocAll(dir, charts, omitted, SensitivityJSON, SensitivityMD,
		func(w io.Writer) error { return report.WriteSensitivityJSON(w, s) },
		func(w io.Writer) error { return WriteSensitivityMarkdown(w, s) })
}

// writeDocAll writes a what-if document's JSON, its charts and its
// Markdown with the charts linked.
func writeDocAll(dir string, charts []chart.Chart, omitted []chart.Omission, jsonName, mdName string, writeJSON, writeMD func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := writeFileAtomic(dir, jsonName, writeJSON); err != nil {
		return err
	}
	links, err := writeChartFiles(dir, charts)
	if err != nil {
		return err
	}
	return writeFileAtomic(dir, mdName, func(w io.Writer) error {
		var b bytes.Buffer
		if err := writeMD(&b); err != nil {
			return err
		}
		b.WriteString(markdownChartLinks(charts, links, omitted))
		_, err := w.Write(b.Bytes())
		return err
	})
}
