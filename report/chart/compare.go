package chart

import (
	"fmt"
	"image/color"
	"math"
	"reflect"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// Titles of the comparison's charts.
const (
	costRTOTitle    = "Monthly cost against RTO p95"
	compareCDFTitle = "RTO distributions compared"
)

// ForComparison builds the charts of a comparison: monthly cost against
// RTO p95 with the Pareto front, and the RTO distributions of every
// scenario overlaid. A chart without data is left out and listed in the
// omissions. ForComparison only reads c.
func ForComparison(c *report.Comparison) ([]Chart, []Omission, error) {
	if c == nil {
		return nil, nil, fmt.Errorf("chart: compare charts: nil comparison")
	}
	var out []Chart
	var left []Omission
	if ch, err := costRTOChart(c); err != nil {
		return nil, nil, err
	} else if ch != nil {
		out = append(out, *ch)
	} else if len(c.Scenarios) > 0 {
		left = append(left, Omission{Name: "cost-rto", Title: costRTOTitle, Why: "No scenario has a finite RTO p95: none recovered in 95% of its incident trials."})
	}
	if ch, err := compareCDFChart(c); err != nil {
		return nil, nil, err
	} else if ch != nil {
		out = append(out, *ch)
	} else if len(c.Scenarios) > 0 {
		left = append(left, Omission{Name: "rto-cdf-compare", Title: compareCDFTitle, Why: "No scenario has a finite RTO to draw."})
	}
	return out, left, nil
}

// paretoFront returns the indices of the points not dominated by another
// (lower or equal on both axes and lower on one), sorted by x then y.
func paretoFront(xs, ys []float64) []int {
	var front []int
	for i := range xs {
		dominated := false
		for j := range xs {
			if j == i {
				continue
			}
			if xs[j] <= xs[i] && ys[j] <= ys[i] && (xs[j] < xs[i] || ys[j] < ys[i]) {
				dominated = true
				break
			}
		}
		if !dominated {
			front = append(front, i)
		}
	}
	sort.SliceStable(front, func(a, b int) bool {
		if xs[front[a]] != xs[front[b]] {
			return xs[front[a]] < xs[front[b]]
		}
		return ys[front[a]] < ys[front[b]]
	})
	return front
}

// addMarks adds glyphs at xys to p.
func addMarks(p *plot.Plot, xys plotter.XYs, g draw.GlyphStyle) error {
	if len(xys) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	sc.GlyphStyle = g
	p.Add(sc)
	return nil
}

// costRTOChart draws monthly cost against RTO p95, one point per scenario.
func costRTOChart(c *report.Comparison) (*Chart, error) {
	var (
		names, texts []string
		xs, ys       []float64
		left         []string
	)
	for _, s := range c.Scenarios {
		p95 := s.RTOSeconds.P95
		if p95 == nil || !isFinite(*p95) || !isFinite(s.MonthlyUSD) {
			left = append(left, s.Name())
			continue
		}
		names = append(names, escape.Strip(s.Name()))
		// The front is on cost and RTO p95 only: each point also says how
		// likely the scenario is to meet both objectives.
		t := escape.Strip(s.Name())
		if pb := s.ObjectivesMet.Both.P; pb != nil {
			t += ", meets both " + human.Pct(*pb)
		}
		texts = append(texts, t)
		xs = append(xs, *p95)
		ys = append(ys, s.MonthlyUSD)
	}
	if len(names) == 0 {
		return nil, nil
	}
	top := 0.0
	for _, x := range xs {
		top = math.Max(top, x)
	}
	u := pickUnit(math.Max(top, 1) * 1e9)
	// RTO p95s a factor of 20 or more apart (minutes against hours) go on
	// a log axis, as in the RTO CDF chart: on a linear one the fast
	// scenarios crowd into its first few percent.
	low := math.Inf(1)
	for _, x := range xs {
		low = math.Min(low, math.Max(x, 1))
	}
	logX := top/low >= 20
	xLabel := "RTO p95 (lower is better)"
	if logX {
		u = unitSeconds
		xLabel = "RTO p95 (logarithmic scale; lower is better)"
		for i := range xs {
			xs[i] = math.Max(xs[i], 1) // a log axis has no 0
		}
	}
	p := newPlot(costRTOTitle, xLabel, "monthly cost, USD (lower is better)")
	p.X.Tick.Marker = timeTicks{u}
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTimeTicks{}
	}
	p.Y.Tick.Marker = niceTicks{prefix: "$"}
	addGrid(p, true, true)

	var legend []swatch
	front := paretoFront(xs, ys)
	onFront := make([]bool, len(xs))
	for _, i := range front {
		onFront[i] = true
	}
	labels := &pointLabels{radius: vg.Points(5), style: text.Style{
		Color: colDarkGrey, Font: font.From(sansFont, 9), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler,
	}}
	// The front as a staircase: everything above and to the right of it
	// is dominated.
	if len(front) > 1 {
		var st plotter.XYs
		var avoid []pointLabel
		for k, i := range front {
			if k > 0 {
				st = append(st, plotter.XY{X: u.ofSeconds(xs[i]), Y: ys[front[k-1]]})
			}
			st = append(st, plotter.XY{X: u.ofSeconds(xs[i]), Y: ys[i]})
		}
		for _, pt := range st {
			avoid = append(avoid, pointLabel{X: pt.X, Y: pt.Y})
		}
		labels.avoid = append(labels.avoid, avoid)
		l, err := plotter.NewLine(st)
		if err != nil {
			return nil, fmt.Errorf("chart: cost chart: %w", err)
		}
		l.LineStyle = lineStyle(colFront, 1.5, []vg.Length{vg.Points(5), vg.Points(3)})
		p.Add(l)
		legend = append(legend, swatch{Label: "Pareto front", Line: &l.LineStyle})
	}
	var frontPts, otherPts plotter.XYs
	for i := range xs {
		pt := plotter.XY{X: u.ofSeconds(xs[i]), Y: ys[i]}
		if onFront[i] {
			frontPts = append(frontPts, pt)
		} else {
			otherPts = append(otherPts, pt)
		}
		labels.points = append(labels.points, pointLabel{X: pt.X, Y: pt.Y, Text: texts[i]})
	}
	var err error
	if legend, err = addFrontMarks(p, frontPts, otherPts,
		"on the front: no other is as cheap and as fast, and cheaper or faster",
		"dominated: another is as cheap and as fast, and cheaper or faster", legend); err != nil {
		return nil, err
	}
	p.Add(labels)
	// Room for the names: they are written beside the points.
	p.Y.Min = 0
	if logX {
		p.X.Min, p.X.Max = low/1.5, top*4
	} else {
		p.X.Min = 0
		xmax := p.X.Max
		if xmax <= 0 {
			xmax = 1
		}
		p.X.Max = xmax * 1.3
	}
	p.Y.Max = math.Max(p.Y.Max, 1) * 1.15
	title := costRTOFinding(names, xs, ys)
	caption := "Each point is one scenario: its steady-state monthly cost against the 95th percentile of its RTO over incident trials, " +
		"named with its P(meet both), which the front does not weigh. " +
		"Scenarios on the dashed Pareto front are not beaten on both cost and RTO p95 at once; the others are."
	if len(left) > 0 {
		caption += fmt.Sprintf(" Not shown (RTO p95 not recovered within the horizon): %s.", strings.Join(left, ", "))
		title += fmt.Sprintf(" (%d not shown: p95 unrecovered)", len(left))
	}
	fitTitle(p, title)
	ch := &Chart{
		Name:    "cost-rto",
		Title:   costRTOTitle,
		Caption: caption,
		Plot:    p,
		Height:  4.5 * vg.Inch,
	}
	ch.setLegend(legend)
	return ch, nil
}

// costRTOFinding states the cost chart's finding: the fastest scenario
// (lowest RTO p95, the cheaper of a tie) and the cheapest (the faster of a
// tie), or the one that is both.
func costRTOFinding(names []string, xs, ys []float64) string {
	fast, cheap := 0, 0
	for i := range xs {
		if xs[i] < xs[fast] || xs[i] == xs[fast] && ys[i] < ys[fast] {
			fast = i
		}
		if ys[i] < ys[cheap] || ys[i] == ys[cheap] && xs[i] < xs[cheap] {
			cheap = i
		}
	}
	if fast == cheap {
		return fmt.Sprintf("%s is the fastest and the cheapest: RTO p95 %s at %s/month", names[fast], human.DurShort(xs[fast]), human.USD(ys[fast]))
	}
	return fmt.Sprintf("Fastest: %s, RTO p95 %s at %s/month; cheapest: %s, %s at %s/month",
		names[fast], human.DurShort(xs[fast]), human.USD(ys[fast]), names[cheap], human.DurShort(xs[cheap]), human.USD(ys[cheap]))
}

// compareCDFChart overlays the RTO CDFs of the scenarios.
func compareCDFChart(c *report.Comparison) (*Chart, error) {
	top := 0.0
	shown := 0
	for _, s := range c.Scenarios {
		if hasFinite(s.RTODistribution) {
			top = math.Max(top, cdfMax(s.RTODistribution))
			shown++
		}
		if o := s.Objectives.RTOSeconds; o != nil && isFinite(*o) {
			top = math.Max(top, *o)
		}
	}
	if shown == 0 {
		return nil, nil
	}
	u := pickUnit(math.Max(top, 1) * 1e9)
	// Strategies differ by orders of magnitude (seconds for active/active,
	// hours for backup and restore): use a log axis when medians do.
	lo, hi := math.Inf(1), 0.0
	for _, s := range c.Scenarios {
		if m := gridMedian(s.RTODistribution); m > 0 {
			lo, hi = math.Min(lo, m), math.Max(hi, m)
		}
	}
	logX := hi > 0 && hi/lo >= 20
	xLabel := "RTO"
	if logX {
		u = unitSeconds
		xLabel = "RTO (logarithmic scale)"
	}
	// One line per distinct objective, in scenario order, named after the
	// scenarios that share it and drawn in their colour when there is one.
	type objective struct {
		seconds float64
		owners  []int
	}
	var objectives []objective
	for i, s := range c.Scenarios {
		o := s.Objectives.RTOSeconds
		if o == nil || !isFinite(*o) {
			continue
		}
		k := 0
		for k < len(objectives) && objectives[k].seconds != *o {
			k++
		}
		if k == len(objectives) {
			objectives = append(objectives, objective{seconds: *o})
		}
		objectives[k].owners = append(objectives[k].owners, i)
	}
	p := newPlot("RTO distributions of the compared scenarios", xLabel, "share of incident trials with RTO ≤ x")
	strip := newLabelStrip(p, len(objectives))
	p.X.Tick.Marker = timeTicks{u}
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTimeTicks{}
	}
	p.Y.Tick.Marker = percentTicks{}
	addGrid(p, true, true)
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min = 0
	floor := math.Inf(1)
	var legend []swatch
	drawn := make([]bool, len(c.Scenarios))
	for i, s := range c.Scenarios {
		xys := cdfPoints(s.RTODistribution, u)
		if len(xys) == 0 {
			continue
		}
		if logX {
			// A log axis has no 0: RTOs under a second sit at 1 s.
			for k := range xys {
				xys[k].X = math.Max(xys[k].X, 1)
			}
			floor = math.Min(floor, xys[0].X)
		}
		l, err := plotter.NewLine(stepCDF(xys))
		if err != nil {
			return nil, fmt.Errorf("chart: compare CDF chart: %w", err)
		}
		// A curve identical to an earlier one would hide it: it is drawn
		// with gaps, through which the earlier shows, and its legend entry
		// says so.
		same := ""
		for j := range i {
			if drawn[j] && reflect.DeepEqual(c.Scenarios[j].RTODistribution, s.RTODistribution) {
				same = c.Scenarios[j].Name()
				break
			}
		}
		drawn[i] = true
		dash := scenarioDashes(i)
		if same != "" {
			dash = []vg.Length{vg.Points(4), vg.Points(4)}
		}
		l.LineStyle = lineStyle(scenarioColour(i), 2, dash)
		p.Add(l)
		g := draw.GlyphStyle{Color: scenarioColour(i), Radius: vg.Points(3.2), Shape: seriesGlyph(i)}
		if err := addMarks(p, glyphsAt(xys, i), g); err != nil {
			return nil, fmt.Errorf("chart: compare CDF chart: %w", err)
		}
		label := fmt.Sprintf("%s (n = %s", s.Name(), human.Int(s.IncidentTrials))
		if s.RTOSeconds.Unrecovered > 0 {
			label += fmt.Sprintf(", %s unrecovered", human.Int(s.RTOSeconds.Unrecovered))
		}
		label += ")"
		if s.ObjectivesMet.RTO.P != nil {
			label += ": meets RTO in " + human.Pct(*s.ObjectivesMet.RTO.P)
		}
		if same != "" {
			label += "; same curve as " + same
		}
		legend = append(legend, swatch{Label: label, Line: &l.LineStyle, Glyph: &g})
	}
	for k, o := range objectives {
		col := color.Color(colObjective)
		if len(o.owners) == 1 && len(objectives) > 1 {
			col = scenarioColour(o.owners[0])
		}
		v := newVLine(u.ofSeconds(o.seconds), col, true, "objective "+human.DurShort(o.seconds), strip)
		if k%2 == 1 {
			v.Style.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		}
		p.Add(v)
		label := "RTO objective " + human.DurShort(o.seconds)
		if len(objectives) > 1 {
			var names []string
			for _, i := range o.owners {
				names = append(names, c.Scenarios[i].Name())
			}
			if len(names) <= 2 {
				label += " (" + strings.Join(names, ", ") + ")"
			} else {
				label += fmt.Sprintf(" (%d scenarios)", len(names))
			}
		}
		legend = append(legend, swatch{Label: label, Line: &v.Style})
		includeX(p, v.X*1.08)
	}
	p.X.Max *= 1.02
	if logX {
		p.X.Min = math.Max(1, floor/1.5)
	}
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1
	}
	ch := &Chart{
		Name:  "rto-cdf-compare",
		Title: compareCDFTitle,
		Caption: "Share of incident trials whose RTO is at most x, one curve per scenario (same seed and trial indices), " +
			"each with its own colour and mark. A curve further left and higher recovers faster; a curve that stops below 100% has unrecovered trials (their count is in the legend). The curves are drawn from the RTO percentiles in steps of 1%: a curve stops at the last whole percentile that recovered, at 99% when up to 1% did not recover.",
		Plot:   p,
		Height: 4.5*vg.Inch + vg.Points(labelRowHeight*float64(strip.rows)),
	}
	ch.setLegend(legend)
	return ch, nil
}

// gridMedian returns the median of a quantile grid in seconds, or 0.
func gridMedian(q []report.QuantilePoint) float64 {
	for _, p := range q {
		if p.P >= 0.5 && p.Seconds != nil && isFinite(*p.Seconds) {
			return *p.Seconds
		}
	}
	return 0
}

// compile-time checks of the plotters' interfaces.
var (
	_ plot.Plotter    = (*lanesPlotter)(nil)
	_ plot.DataRanger = (*lanesPlotter)(nil)
)

// addFrontMarks draws the points on the Pareto front (large, in colFront)
// and the dominated ones (grey) of a cost chart, each with its legend
// entry (frontLabel, otherLabel) when it has points.
func addFrontMarks(p *plot.Plot, front, others plotter.XYs, frontLabel, otherLabel string, legend []swatch) ([]swatch, error) {
	for _, m := range []struct {
		pts   plotter.XYs
		style draw.GlyphStyle
		label string
	}{
		{front, draw.GlyphStyle{Color: colFront, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}, frontLabel},
		{others, draw.GlyphStyle{Color: colGrey, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, otherLabel},
	} {
		if len(m.pts) == 0 {
			continue
		}
		if err := addMarks(p, m.pts, m.style); err != nil {
			return legend, fmt.Errorf("chart: cost chart: %w", err)
		}
		g := m.style
		legend = append(legend, swatch{Label: m.label, Glyph: &g})
	}
	return legend, nil
}
