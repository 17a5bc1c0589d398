package chart

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"github.com/drsim/drsim/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ForComparison builds the charts of a comparison: monthly cost against RTO
// p95 with the Pareto front, and the RTO distributions of every scenario
// overlaid. A chart without data is left out. ForComparison only reads c.
func ForComparison(c *report.Comparison) ([]Chart, error) {
	if c == nil {
		return nil, fmt.Errorf("chart: compare charts: nil comparison")
	}
	var out []Chart
	if ch, err := costRTOChart(c); err != nil {
		return nil, err
	} else if ch != nil {
		out = append(out, *ch)
	}
	if ch, err := compareCDFChart(c); err != nil {
		return nil, err
	} else if ch != nil {
		out = append(out, *ch)
	}
	return out, nil
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

// costRTOChart draws monthly cost against RTO p95, one point per scenario.
func costRTOChart(c *report.Comparison) (*Chart, error) {
	var (
		names  []string
		xs, ys []float64
		left   []string
	)
	for _, s := range c.Scenarios {
		p95 := s.RTOSeconds.P95
		if p95 == nil || !isFiniteF(*p95) || !isFiniteF(s.MonthlyUSD) {
			left = append(left, s.Scenario)
			continue
		}
		names = append(names, s.Scenario)
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
	p := newPlot("Monthly cost against RTO p95", "RTO p95 (lower is better)", "monthly cost, USD (lower is better)")
	p.X.Tick.Marker = timeTicks{u}
	addGrid(p, true, true)

	var legend []swatch
	front := paretoFront(xs, ys)
	onFront := make([]bool, len(xs))
	for _, i := range front {
		onFront[i] = true
	}
	// The front as a staircase: everything above and to the right of it
	// is dominated.
	if len(front) > 1 {
		var st plotter.XYs
		for k, i := range front {
			if k > 0 {
				st = append(st, plotter.XY{X: u.ofSeconds(xs[i]), Y: ys[front[k-1]]})
			}
			st = append(st, plotter.XY{X: u.ofSeconds(xs[i]), Y: ys[i]})
		}
		l, err := plotter.NewLine(st)
		if err != nil {
			return nil, fmt.Errorf("chart: cost chart: %w", err)
		}
		l.LineStyle = lineStyle(colFront, 1.5, []vg.Length{vg.Points(5), vg.Points(3)})
		p.Add(l)
		legend = append(legend, swatch{Label: "Pareto front", Line: &l.LineStyle})
	}
	var frontPts, otherPts plotter.XYs
	var labels plotter.XYLabels
	for i := range xs {
		pt := plotter.XY{X: u.ofSeconds(xs[i]), Y: ys[i]}
		if onFront[i] {
			frontPts = append(frontPts, pt)
		} else {
			otherPts = append(otherPts, pt)
		}
		labels.XYs = append(labels.XYs, pt)
		labels.Labels = append(labels.Labels, fmt.Sprintf("%s (%s, $%s)", names[i], chartDur(xs[i]), usdShort(ys[i])))
	}
	if len(frontPts) > 0 {
		sc, err := plotter.NewScatter(frontPts)
		if err != nil {
			return nil, fmt.Errorf("chart: cost chart: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: colFront, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		legend = append(legend, swatch{Label: "scenario on the front (no other is both cheaper and faster)", Glyph: &sc.GlyphStyle})
	}
	if len(otherPts) > 0 {
		sc, err := plotter.NewScatter(otherPts)
		if err != nil {
			return nil, fmt.Errorf("chart: cost chart: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: colGrey, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		legend = append(legend, swatch{Label: "dominated scenario (another is cheaper and faster)", Glyph: &sc.GlyphStyle})
	}
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("chart: cost chart: %w", err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font = font.From(sansFont, 9)
		lb.TextStyle[i].Color = colDarkGrey
		lb.TextStyle[i].YAlign = draw.YBottom
	}
	// Above and right of the point, clear of the front's horizontal runs.
	lb.Offset = vg.Point{X: vg.Points(5), Y: vg.Points(4)}
	p.Add(lb)
	// Room for the labels: they are written right of the points.
	p.X.Min = 0
	p.Y.Min = 0
	xmax := p.X.Max
	if xmax <= 0 {
		xmax = 1
	}
	p.X.Max = xmax * 1.45
	p.Y.Max = math.Max(p.Y.Max, 1) * 1.12
	caption := "Each point is one scenario: its steady-state monthly cost against the 95th percentile of its RTO over incident trials. " +
		"Scenarios on the dashed Pareto front are not beaten on both at once; the others are."
	if len(left) > 0 {
		caption += fmt.Sprintf(" Not shown (RTO p95 not recovered within the horizon): %s.", strings.Join(left, ", "))
		p.Title.Text += fmt.Sprintf(" (%d not shown: p95 unrecovered)", len(left))
	}
	ch := &Chart{
		Name:    "cost-rto",
		Title:   "Monthly cost against RTO p95",
		Caption: caption,
		Plot:    p,
		Height:  4.5 * vg.Inch,
	}
	ch.setLegend(legend)
	return ch, nil
}

// usdShort formats dollars for a label: 1,234 or 12.50.
func usdShort(x float64) string {
	if math.Abs(x) >= 100 {
		s := fmt.Sprintf("%.0f", x)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, ch := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(ch)
		}
		if neg {
			return "-" + b.String()
		}
		return b.String()
	}
	return fmt.Sprintf("%.2f", x)
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
		if o := s.Objectives.RTOSeconds; o != nil && isFiniteF(*o) {
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
	p := newPlot("RTO distributions of the compared scenarios", xLabel, "share of incident trials with RTO ≤ x")
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
	for i, s := range c.Scenarios {
		xys, _ := cdfPoints(s.RTODistribution, u)
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
		l.LineStyle = lineStyle(seriesColour(i), 2, dashes(i))
		p.Add(l)
		label := fmt.Sprintf("%s (n = %d", s.Scenario, s.IncidentTrials)
		if s.RTOSeconds.Unrecovered > 0 {
			label += fmt.Sprintf(", %d unrecovered", s.RTOSeconds.Unrecovered)
		}
		label += ")"
		if s.ObjectivesMet.RTO.P != nil {
			label += ": meets RTO in " + fmtPercent(*s.ObjectivesMet.RTO.P)
		}
		legend = append(legend, swatch{Label: label, Line: &l.LineStyle})
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
		if o == nil || !isFiniteF(*o) {
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
	for k, o := range objectives {
		col := color.Color(colT0)
		if len(o.owners) == 1 && len(objectives) > 1 {
			col = seriesColour(o.owners[0])
		}
		v := newVLine(u.ofSeconds(o.seconds), col, true, "objective "+chartDur(o.seconds))
		if k%2 == 1 {
			v.Style.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		}
		p.Add(v)
		label := "RTO objective " + chartDur(o.seconds)
		if len(objectives) > 1 {
			var names []string
			for _, i := range o.owners {
				names = append(names, c.Scenarios[i].Scenario)
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
		Title: "RTO distributions compared",
		Caption: "Share of incident trials whose RTO is at most x, one curve per scenario (same seed and trial indices). " +
			"A curve further left and higher recovers faster; a curve that stops below 100% has unrecovered trials.",
		Plot:   p,
		Height: 4.5 * vg.Inch,
	}
	ch.setLegend(legend)
	return ch, nil
}

// gridMedian returns the median of a quantile grid in seconds, or 0.
func gridMedian(q []report.QuantilePoint) float64 {
	for _, p := range q {
		if p.P >= 0.5 && p.Seconds != nil && isFiniteF(*p.Seconds) {
			return *p.Seconds
		}
	}
	return 0
}

// logTimeTicks label a logarithmic axis in seconds at round durations.
type logTimeTicks struct{}

// logTickSteps are the labelled durations of a log time axis, and the
// sparser set used when the range is wide.
var (
	logTickDense  = [...]float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400}
	logTickSparse = [...]float64{1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400, 28 * 86400}
)

// Ticks implements plot.Ticker.
func (logTimeTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for _, v := range logTickDense {
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: chartDur(v)})
		}
	}
	if len(ticks) > 9 {
		ticks = ticks[:0]
		for _, v := range logTickSparse {
			if v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: chartDur(v)})
			}
		}
	}
	return ticks
}

// compile-time checks of the plotters' interfaces.
var (
	_ plot.Plotter    = (*lanesPlotter)(nil)
	_ plot.DataRanger = (*lanesPlotter)(nil)
	_ plot.Plotter    = (*vline)(nil)
)
