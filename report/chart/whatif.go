package chart

import (
	"fmt"
	"image/color"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
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

// The what-if charts: the tornado of a sensitivity analysis, and for a
// sweep the metric against each varied parameter and the monthly cost
// against P(meet both) with the Pareto front. Each title states the
// finding, so that the chart reads without the document.

// Colours of the two ends of a tornado row: the input at its 10th
// percentile (light) and at its 90th (dark), apart in lightness.
var (
	colLowEnd  = tolCyan
	colHighEnd = tolIndigo
	colCI      = colDarkGrey
)

// metricAxis maps a metric's values (probabilities, seconds, counts) to an
// axis: its unit, ticks, label and value texts.
type metricAxis struct {
	m report.Metric
	u timeUnit
	// log puts a time metric on a logarithmic axis: of returns the
	// decimal logarithm of the seconds (the axis itself stays linear, so
	// that every plotter draws on it unchanged).
	log bool
	// bars are the values a chart marks (the check bar): a title never
	// rounds a value onto or across one (94.7% is not "95%" when the bar
	// is 95%).
	bars []float64
}

func newMetricAxis(m report.Metric, values []float64) metricAxis {
	a := metricAxis{m: m, u: unitSeconds}
	if m.IsDuration() {
		top := 0.0
		for _, v := range values {
			if isFinite(v) {
				top = math.Max(top, v)
			}
		}
		a.u = pickUnit(math.Max(top, 1) * 1e9)
	}
	return a
}

// of converts a value of the metric to axis units.
func (a metricAxis) of(v float64) float64 {
	if a.log {
		return math.Log10(v)
	}
	if a.m.IsDuration() {
		return a.u.ofSeconds(v)
	}
	return v
}

func (a metricAxis) ticker() plot.Ticker {
	switch {
	case a.log:
		return log10TimeTicks{}
	case a.m.IsDuration():
		return timeTicks{a.u}
	case a.m.HigherIsBetter():
		return pctTicks{}
	}
	return niceTicks{}
}

// label is the axis label, with the direction that is better.
func (a metricAxis) label() string {
	switch a.m {
	case report.MetricRTOP95:
		return "RTO p95, over incident trials (lower is better)"
	case report.MetricRPOP95:
		return "RPO p95, over recovered incident trials (lower is better)"
	case report.MetricLostMean:
		return "lost writes per recovered incident trial, mean (lower is better)"
	}
	return "P(meet both), share of all trials (higher is better)"
}

// text formats a value of the metric compactly.
func (a metricAxis) text(v *float64) string {
	switch {
	case v == nil && a.m == report.MetricRTOP95:
		return "∞"
	case v == nil:
		return "-"
	case a.m.IsDuration():
		return human.DurShort(*v)
	case a.m.HigherIsBetter():
		return human.Pct(*v)
	}
	return human.Num(*v)
}

// titleText formats a value for a title: whole percentages where they do
// not round to 0% or 100%, nor onto or across one of the axis's bars.
func (a metricAxis) titleText(v *float64) string {
	if v != nil && a.m.HigherIsBetter() && ((*v >= 0.01 && *v <= 0.99) || *v == 0 || *v == 1) {
		r := math.Round(100**v) / 100
		for _, b := range a.bars {
			if r != *v && (r >= b) != (*v >= b) || r == b && *v != b {
				return a.text(v)
			}
		}
		return fmt.Sprintf("%.0f%%", 100**v)
	}
	return a.text(v)
}

// endText formats a tornado end so that it reads differently from the
// baseline when it differs (two decimals of a percentage where one would
// show the baseline's "0.1%").
func (a metricAxis) endText(v, base *float64) string {
	t := a.text(v)
	if v == nil || base == nil || *v == *base || t != a.text(base) || !a.m.HigherIsBetter() {
		return t
	}
	return strconv.FormatFloat(100**v, 'f', 2, 64) + "%"
}

// objective returns the line a chart of metric m marks: the check bar for
// P(meet both), the objective for an RTO or RPO percentile.
func objectiveOf(m report.Metric, o report.Objectives, minP float64) (v float64, label string, ok bool) {
	switch m {
	case report.MetricRTOP95:
		if o.RTOSeconds != nil {
			return *o.RTOSeconds, "RTO objective " + human.DurShort(*o.RTOSeconds), true
		}
	case report.MetricRPOP95:
		if o.RPOSeconds != nil {
			return *o.RPOSeconds, "RPO objective " + human.DurShort(*o.RPOSeconds), true
		}
	case report.MetricMeetBoth, "":
		if minP > 0 && minP <= 1 {
			return minP, "check bar " + human.Pct(minP) + " (--min-probability)", true
		}
	}
	return 0, "", false
}

// pctTicks label a probability axis of any range as percentages at round
// steps, none above max when it is set (an axis widened beyond 100% for
// its texts).
type pctTicks struct{ max float64 }

// Ticks implements plot.Ticker.
func (pt pctTicks) Ticks(lo, hi float64) []plot.Tick {
	if pt.max > 0 {
		hi = math.Min(hi, pt.max)
	}
	ts := niceTicks{}.Ticks(lo*100, hi*100)
	for i := range ts {
		ts[i].Value /= 100
		if ts[i].Label != "" {
			ts[i].Label += "%"
		}
	}
	return ts
}

// floorTicks are the ticks of t at or above min.
type floorTicks struct {
	t   plot.Ticker
	min float64
}

// Ticks implements plot.Ticker.
func (f floorTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, tk := range f.t.Ticks(math.Max(lo, f.min), hi) {
		if tk.Value >= f.min-1e-12 {
			out = append(out, tk)
		}
	}
	return out
}

// fitTitle sets a chart's title, wrapped onto a second line at a space
// when it is wider than the canvas (a title states the finding: cutting
// it would lose it); only a second line still too wide is shortened.
func fitTitle(p *plot.Plot, title string) {
	p.Title.TextStyle = withSpacedLines(p.Title.TextStyle)
	p.Title.Text = wrapTitle(p.Title.TextStyle, escape.Strip(title), DefaultWidth-vg.Points(24))
}

// wrapTitle breaks s at the last space before width (preferably after a
// colon, where a title's finding starts), into at most two lines.
func wrapTitle(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	cut, colon := -1, -1
	for i, r := range s {
		if r != ' ' {
			continue
		}
		if sty.Width(s[:i]) > width {
			break
		}
		cut = i
		if strings.HasSuffix(s[:i], ":") && sty.Width(strings.TrimSpace(s[i:])) <= width {
			colon = i
		}
	}
	if colon > 0 {
		cut = colon
	}
	if cut <= 0 {
		return fitText(sty, s, width)
	}
	return s[:cut] + "\n" + fitText(sty, strings.TrimSpace(s[cut:]), width)
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ---- tornado ----

// tornadoRow is one input of the tornado, in axis units; a nil end is
// infinite (drawn to the edge).
type tornadoRow struct {
	lo, hi     *float64
	loCI, hiCI report.Interval
	loText     string
	hiText     string
	// sameText is the one text of a row whose ends are equal.
	sameText string
}

// tornadoPlotter draws the tornado's bars from the baseline to each end
// (the 10th-percentile end in the upper half of a row, the 90th in the
// lower half), each end's 95% interval as a whisker, and each end's value
// beyond the bar or whisker.
type tornadoPlotter struct {
	rows []tornadoRow
	base float64
	// edge is where an infinite end is drawn to.
	edge float64
	// avoidX are lines (axis units) the value texts must not cross.
	avoidX []float64
	text   text.Style
}

// Plot implements plot.Plotter.
func (tp *tornadoPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(tp.rows)
	ci := draw.LineStyle{Color: colCI, Width: vg.Points(0.9)}
	for i, r := range tp.rows {
		y := float64(n - 1 - i)
		same := r.lo != nil && r.hi != nil && *r.lo == *r.hi
		for k, end := range []struct {
			v    *float64
			ci   report.Interval
			col  color.Color
			y0   float64
			text string
		}{{r.lo, r.loCI, colLowEnd, y + 0.02, r.loText}, {r.hi, r.hiCI, colHighEnd, y - 0.38, r.hiText}} {
			v := tp.edge
			if end.v != nil {
				v = *end.v
			}
			x0, x1 := trX(math.Min(tp.base, v)), trX(math.Max(tp.base, v))
			if x1-x0 < vg.Points(1.5) { // no change: a sliver, so the end shows
				mid := (x0 + x1) / 2
				x0, x1 = mid-vg.Points(0.75), mid+vg.Points(0.75)
			}
			yb, yt := trY(end.y0), trY(end.y0+0.36)
			c.FillPolygon(end.col, []vg.Point{{X: x0, Y: yb}, {X: x1, Y: yb}, {X: x1, Y: yt}, {X: x0, Y: yt}})
			ym := (yb + yt) / 2
			outer := trX(v)
			right := v >= tp.base
			if lo, hi := end.ci[0], end.ci[1]; end.v != nil && (lo != nil || hi != nil) {
				cl, ch := trX(tp.base), trX(tp.edge)
				if lo != nil {
					cl = trX(*lo)
				}
				if hi != nil {
					ch = trX(*hi)
				}
				c.StrokeLine2(ci, cl, ym, ch, ym)
				cap := (yt - yb) * 0.3
				if lo != nil {
					c.StrokeLine2(ci, cl, ym-cap, cl, ym+cap)
				}
				if hi != nil {
					c.StrokeLine2(ci, ch, ym-cap, ch, ym+cap)
				}
				if right {
					outer = max(outer, ch)
				} else {
					outer = min(outer, cl)
				}
			}
			switch {
			case same && *r.lo == tp.base && k == 0:
				tp.label(c, trX, r.sameText, outer, trY(y), right) // one text for the row
			case same && k == 0:
				tp.label(c, trX, r.sameText, outer, trY(y), right)
			case !same:
				tp.label(c, trX, end.text, outer, ym, right)
			}
		}
	}
}

// label writes s beside x (right of it, or left when !right), clear of
// the lines of avoidX and within the canvas.
func (tp *tornadoPlotter) label(c draw.Canvas, trX func(float64) vg.Length, s string, x, y vg.Length, right bool) {
	sty := tp.text
	w := sty.Width(s)
	pad := vg.Points(3)
	x0 := x + pad
	if !right {
		x0 = x - pad - w
	}
	for range 3 {
		moved := false
		for _, ax := range tp.avoidX {
			lx := trX(ax)
			if lx > x0-vg.Points(1) && lx < x0+w+vg.Points(1) {
				if right {
					x0 = lx + pad
				} else {
					x0 = lx - pad - w
				}
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	x0 = max(c.Min.X+vg.Points(1), min(x0, c.Max.X-w-vg.Points(1)))
	e := sty.FontExtents()
	c.FillText(sty, vg.Point{X: x0, Y: y - (e.Ascent-e.Descent)/2}, s)
}

// DataRange implements plot.DataRanger.
func (tp *tornadoPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = tp.base, tp.base
	for _, r := range tp.rows {
		for _, v := range []*float64{r.lo, r.hi, r.loCI[0], r.loCI[1], r.hiCI[0], r.hiCI[1]} {
			if v != nil && isFinite(*v) {
				xmin, xmax = math.Min(xmin, *v), math.Max(xmax, *v)
			}
		}
	}
	return xmin, xmax, -0.5, float64(len(tp.rows)) - 0.5
}

// ForSensitivity builds the tornado chart of a sensitivity document. A
// document without inputs has none (an omission says why).
func ForSensitivity(s *report.Sensitivity) ([]Chart, []Omission, error) {
	if s == nil {
		return nil, nil, fmt.Errorf("chart: sensitivity charts: nil document")
	}
	const title = "What moves the outcome most"
	if len(s.Inputs) == 0 {
		return nil, []Omission{{Name: "tornado", Title: title, Why: "No input of the scenario varies: every distribution is a constant."}}, nil
	}
	if s.Baseline.Value == nil {
		return nil, []Omission{{Name: "tornado", Title: title, Why: "The scenario as written has no " + s.Metric.Label() + " to compare against."}}, nil
	}
	c, err := tornadoChart(s)
	if err != nil {
		return nil, nil, err
	}
	return []Chart{*c}, nil, nil
}

// tornadoTitle states the finding: the top row and where it takes the
// metric, from the 10th-percentile end to the 90th ("61% → 94%"), or from
// the baseline when both ends lie on one side of it.
func tornadoTitle(s *report.Sensitivity, a metricAxis) string {
	top := s.Inputs[0]
	m := s.Metric.Label()
	t := a.titleText
	if top.Swing != nil && *top.Swing == 0 {
		return fmt.Sprintf("No input moves %s: %s at both ends of every input", m, t(s.Baseline.Value))
	}
	if s.Trials < report.MinTrials {
		return fmt.Sprintf("Too few trials (%d a run) to say what moves %s most", s.Trials, m)
	}
	// The input named is the first by swing that moves the metric beyond
	// noise; none may.
	found := false
	for _, in := range s.Inputs {
		if s.BeyondNoise(in) {
			top, found = in, true
			break
		}
	}
	if !found {
		ci := s.Baseline.CI95
		return fmt.Sprintf("No input moves %s beyond noise: every end lies within the 95%% CI as written, %s to %s", m, t(ci[0]), t(ci[1]))
	}
	lo, hi, base := top.Low.Value, top.High.Value, s.Baseline.Value
	// An outage's name is free text: cut in its middle, so that the
	// finding after it stays in the title's two lines.
	what := upperFirst(fitMiddle(tornadoNameStyle(), top.What, DefaultWidth*2/5))
	// A null end of an RTO percentile is infinite.
	val := func(v *float64) float64 {
		if v == nil {
			return math.Inf(1)
		}
		return *v
	}
	switch {
	case (lo != nil && hi != nil || s.Metric == report.MetricRTOP95) &&
		math.Min(val(lo), val(hi)) <= *base && *base <= math.Max(val(lo), val(hi)):
		return fmt.Sprintf("%s moves %s most: %s → %s", what, m, t(lo), t(hi))
	case t(lo) == t(hi):
		return fmt.Sprintf("%s moves %s most: %s → %s at p10 and p90", what, m, t(base), t(lo))
	}
	return fmt.Sprintf("%s moves %s most: %s → %s at p10, %s at p90", what, m, t(base), t(lo), t(hi))
}

// maxTornadoName is the widest a tornado row's name may be: a third of the
// chart, so that the data area keeps at least half of it.
const maxTornadoName = DefaultWidth / 3

// tornadoNameStyle is the style of a tornado row's name.
func tornadoNameStyle() text.Style {
	return text.Style{Font: font.From(sansFont, 9), Handler: plot.DefaultTextHandler}
}

func tornadoChart(s *report.Sensitivity) (*Chart, error) {
	var all []float64
	for _, in := range s.Inputs {
		for _, v := range []*float64{in.Low.Value, in.High.Value} {
			if v != nil {
				all = append(all, *v)
			}
		}
	}
	all = append(all, *s.Baseline.Value)
	objV, objLabel, hasObj := objectiveOf(s.Metric, s.Objectives, s.MinProbability)
	if hasObj {
		all = append(all, objV)
	}
	a := newMetricAxis(s.Metric, all)
	if hasObj && s.Metric == report.MetricMeetBoth {
		a.bars = []float64{objV}
	}
	conv := func(v *float64) *float64 {
		if v == nil {
			return nil
		}
		x := a.of(*v)
		return &x
	}
	convCI := func(ci report.Interval) report.Interval { return report.Interval{conv(ci[0]), conv(ci[1])} }
	tp := &tornadoPlotter{base: a.of(*s.Baseline.Value), text: text.Style{
		Color: colDarkGrey, Font: font.From(sansFont, 8.5), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler,
	}}
	var names []string
	infinite := false
	for _, in := range s.Inputs {
		same := "p10 and p90 " + a.text(in.Low.Value)
		if in.Low.Value != nil && *in.Low.Value == *s.Baseline.Value {
			same = "no change at p10 or p90"
		}
		tp.rows = append(tp.rows, tornadoRow{lo: conv(in.Low.Value), hi: conv(in.High.Value), loCI: convCI(in.Low.CI95), hiCI: convCI(in.High.CI95),
			loText: "p10 " + a.endText(in.Low.Value, s.Baseline.Value), hiText: "p90 " + a.endText(in.High.Value, s.Baseline.Value), sameText: same})
		name := in.Name
		if in.Draws == "many" {
			name += " *"
		}

		// The values the input is pinned at, under its name. A name is
		// free text (an outage's): cut in its middle to at most a third of
		// the chart's width, so that the bars keep their room; the table
		// and the JSON keep it whole.
		names = append(names, fitMiddle(tornadoNameStyle(), escape.Strip(name), maxTornadoName)+"\n"+human.DurShort(in.P10Seconds)+" → "+human.DurShort(in.P90Seconds))
		infinite = infinite || in.Low.Value == nil || in.High.Value == nil
	}
	p := newPlot("", a.label(), "")
	strip := newLabelStrip(p, 2)
	p.X.Tick.Marker = a.ticker()
	var ticks []plot.Tick
	for i, nm := range names {
		ticks = append(ticks, plot.Tick{Value: float64(len(names) - 1 - i), Label: nm})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Label.Font = tornadoNameStyle().Font
	p.Y.Tick.Label = withSpacedLines(p.Y.Tick.Label)
	addGrid(p, true, false)
	p.Add(tp)
	xmin, xmax, _, _ := tp.DataRange()
	base := newVLine(tp.base, colDarkGrey, true, "as written "+a.text(s.Baseline.Value), strip)
	p.Add(base)
	legend := []swatch{
		{Label: "input at its 10th percentile", Fill: colLowEnd},
		{Label: "input at its 90th percentile", Fill: colHighEnd},
		{Label: "95% CI of each end", Line: &draw.LineStyle{Color: colCI, Width: vg.Points(0.9)}},
		{Label: "scenario as written", Line: &base.Style},
	}
	tp.avoidX = append(tp.avoidX, tp.base)
	if hasObj {
		ov := newVLine(a.of(objV), colObjective, true, objLabel, strip)
		ov.Style.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(ov)
		legend = append(legend, swatch{Label: objLabel, Line: &ov.Style})
		xmin, xmax = math.Min(xmin, ov.X), math.Max(xmax, ov.X)
		tp.avoidX = append(tp.avoidX, ov.X)
	}
	// Room beside the data for the end texts: the widest text on each
	// side, as a share of the data area (the canvas less the names).
	nameW := vg.Length(0)
	for _, nm := range names {
		nameW = max(nameW, p.Y.Tick.Label.Width(nm))
	}
	dataW := DefaultWidth - nameW - vg.Points(50)
	// Each text sits beyond the outer end of its bar or whisker; the axis
	// must reach past it. A few rounds of "widen to fit" settle it.
	type need struct {
		at    float64
		w     float64 // share of the data width
		right bool
	}
	var needs []need
	outer := func(v *float64, ci report.Interval, right bool) float64 {
		x := tp.base
		if v != nil {
			x = *v
		}
		if right && ci[1] != nil {
			x = math.Max(x, *ci[1])
		}
		if !right && ci[0] != nil {
			x = math.Min(x, *ci[0])
		}
		return x
	}
	for _, r := range tp.rows {
		add := func(v *float64, ci report.Interval, t string) {
			right := v == nil || *v >= tp.base
			at := outer(v, ci, right)
			if v == nil {
				at = math.Inf(1) // at the edge: placed below
			}
			needs = append(needs, need{at: at, w: float64((tp.text.Width(t) + vg.Points(10)) / dataW), right: right})
		}
		if r.lo != nil && r.hi != nil && *r.lo == *r.hi {
			ci := report.Interval{minPtr(r.loCI[0], r.hiCI[0]), maxPtr(r.loCI[1], r.hiCI[1])}
			add(r.lo, ci, r.sameText)
			continue
		}
		add(r.lo, r.loCI, r.loText)
		add(r.hi, r.hiCI, r.hiText)
	}
	span := xmax - xmin
	if !(span > 0) {
		span = math.Max(math.Abs(xmax), 1) * 0.1
	}
	lo, hi := xmin-0.03*span, xmax+0.03*span
	if infinite {
		tp.edge = xmax + 0.08*span
		hi = math.Max(hi, tp.edge)
	}
	for range 8 {
		total := hi - lo
		nlo, nhi := xmin-0.03*total, xmax+0.03*total
		for _, n := range needs {
			at := n.at
			if math.IsInf(at, 1) {
				at = tp.edge
			}
			// A text that would cross a marked line (the baseline, the
			// objective) is moved beyond it (tornadoPlotter.label): the
			// axis must reach past the line too.
			if n.right {
				end := at + n.w*total
				for _, ax := range tp.avoidX {
					if ax > at && ax < end {
						end = math.Max(end, ax+n.w*total)
					}
				}
				nhi = math.Max(nhi, end)
			} else {
				start := at - n.w*total
				for _, ax := range tp.avoidX {
					if ax < at && ax > start {
						start = math.Min(start, ax-n.w*total)
					}
				}
				nlo = math.Min(nlo, start)
			}
		}
		lo, hi = nlo, nhi
	}
	if a.m.HigherIsBetter() && hi > 0.9 && hi < 1 {
		// An axis that ends near 100% (at the check bar) reaches it, so
		// that 100% is labelled.
		hi = 1
	}
	p.X.Min, p.X.Max = lo, hi
	if a.m.HigherIsBetter() {
		p.X.Tick.Marker = pctTicks{max: 1}
	}
	if xmin >= 0 && p.X.Min < 0 {
		// Room left of 0 for the texts of ends near 0, without ticks
		// below 0: the metric is never negative.
		p.X.Tick.Marker = floorTicks{t: p.X.Tick.Marker, min: 0}
	}
	fitTitle(p, tornadoTitle(s, a))
	caption := fmt.Sprintf("Each row is one uncertain input of the scenario, pinned at its 10th percentile (upper, light bar) and at its 90th (lower, dark bar), "+
		"every other input unchanged trial by trial (common random numbers): the bars run from %s as written to %s at each end, "+
		"with the 95%% interval of each end. Rows are sorted by swing, largest on top.", s.Metric.Label(), s.Metric.Label())
	if strings.Contains(strings.Join(names, "\n"), " *") {
		caption += " * marks an input drawn many times a trial (a lag per write, a copy time per backup), pinned at every draw."
	}
	if infinite {
		caption += " A bar that reaches the right edge ends at ∞ (the percentile falls on an unrecovered trial)."
	}
	ch := &Chart{
		Name:    "tornado",
		Title:   "What moves " + s.Metric.Label() + " most",
		Caption: caption,
		Plot:    p,
		Height:  vg.Inch*1.6 + vg.Points(30*float64(len(names))) + vg.Points(labelRowHeight*float64(strip.rows)),
	}
	ch.setLegend(legend)
	return ch, nil
}

func minPtr(a, b *float64) *float64 {
	if a == nil || (b != nil && *b < *a) {
		return b
	}
	return a
}

func maxPtr(a, b *float64) *float64 {
	if a == nil || (b != nil && *b > *a) {
		return b
	}
	return a
}

// ---- sweep ----

// ForSweep builds the charts of a sweep: the metric against each varied
// parameter, then the monthly cost against P(meet both) with the Pareto
// front. A chart without data is left out with the reason.
func ForSweep(s *report.Sweep) ([]Chart, []Omission, error) {
	if s == nil {
		return nil, nil, fmt.Errorf("chart: sweep charts: nil document")
	}
	var out []Chart
	var left []Omission
	used := map[string]bool{}
	for k := range s.Parameters {
		name := paramChartName(s.Parameters[k].Path, k, used)
		c, err := paramChart(s, k, name)
		if err != nil {
			return nil, nil, err
		}
		if c == nil {
			why := "No point has a value of " + s.Metric.Label() + " to draw."
			if s.Metric == report.MetricRTOP95 {
				why = "No point has a finite RTO p95 to draw: at every point it falls on an unrecovered trial, or no trial has an incident."
			}
			left = append(left, Omission{Name: name, Title: s.Metric.Label() + " against " + s.Parameters[k].Path, Why: why})
			continue
		}
		out = append(out, *c)
	}
	c, err := costMeetChart(s)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		left = append(left, Omission{Name: "cost-meet-both", Title: costMeetTitle, Why: "No point has a P(meet both): the scenario sets no RTO or RPO objective."})
	} else {
		out = append(out, *c)
	}
	return out, left, nil
}

// paramChartName is the file stem of the chart of parameter k: "by-" and
// the path's letters and digits, unique in the sweep.
func paramChartName(path string, k int, used map[string]bool) string {
	var b strings.Builder
	b.WriteString("by-")
	dash := false
	for _, r := range strings.ToLower(path) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimRight(b.String(), "-")
	if len(name) > 56 {
		name = strings.TrimRight(name[:56], "-")
	}
	if used[name] {
		name = fmt.Sprintf("%s-%d", name, k+1)
	}
	used[name] = true
	return name
}

// shortPath is the last key of a path, for titles ("rtc" for
// buckets.alerts.replication[0].rtc), or the path when another parameter
// has the same last key.
func shortPath(s *report.Sweep, k int) string {
	last := func(p string) string {
		i := strings.LastIndexByte(p, '.')
		if i < 0 || strings.Contains(p[i:], "]") {
			return p
		}
		switch p[i+1:] {
		case "duration", "start", "offset", "lag", "copy", "at":
			// "duration" alone does not say whose: keep its owner
			// ("steps[approve].duration").
			if j := strings.LastIndexByte(p[:i], '.'); j >= 0 {
				return p[j+1:]
			}
			return p
		}
		return p[i+1:]
	}
	l := last(s.Parameters[k].Path)
	for j, p := range s.Parameters {
		if j != k && last(p.Path) == l {
			return s.Parameters[k].Path
		}
	}
	return l
}

// paramChart draws the metric against parameter k: one line per setting
// of the other parameters (at most nine; beyond, every point in grey and
// the mean over the other settings), each point with its interval.
func paramChart(s *report.Sweep, k int, name string) (*Chart, error) {
	param := s.Parameters[k]
	type group struct {
		key    string
		points []int // by value index of parameter k, -1 when absent
	}
	var groups []*group
	find := map[string]*group{}
	var all []float64
	for i := range s.Points {
		pt := &s.Points[i]
		if len(pt.Values) != len(s.Parameters) {
			continue
		}
		var others []string
		for j, v := range pt.Values {
			if j != k {
				others = append(others, shortPath(s, j)+"="+v)
			}
		}
		key := strings.Join(others, ", ")
		g := find[key]
		if g == nil {
			g = &group{key: key, points: make([]int, len(param.Values))}
			for x := range g.points {
				g.points[x] = -1
			}
			find[key] = g
			groups = append(groups, g)
		}
		for x, v := range param.Values {
			if v == pt.Values[k] && g.points[x] < 0 {
				g.points[x] = i
				break
			}
		}
		if v := pt.Metric.Value; v != nil {
			all = append(all, *v)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	objV, objLabel, hasObj := objectiveOf(s.Metric, s.Objectives, s.MinProbability)
	if hasObj {
		all = append(all, objV)
	}
	a := newMetricAxis(s.Metric, all)
	// Times that span more than a factor of 20 (1m15s and 9h35m) go on a
	// logarithmic axis, as compare's RTO distributions do: on a linear one
	// the small ones and the objective would all sit at 0. Only when every
	// value and interval bound is above 0.
	logY := false
	if s.Metric.IsDuration() {
		lo, hi := math.Inf(1), 0.0
		for i := range s.Points {
			m := &s.Points[i].Metric
			for _, v := range []*float64{m.Value, m.CI95[0], m.CI95[1]} {
				if v != nil && isFinite(*v) {
					lo, hi = math.Min(lo, *v), math.Max(hi, *v)
				}
			}
		}
		if hasObj {
			lo, hi = math.Min(lo, objV), math.Max(hi, objV)
		}
		logY = lo > 0 && hi/lo >= 20
	}
	yLabel := a.label()
	if logY {
		a.u, a.log = unitSeconds, true
		yLabel = s.Metric.Label() + ", logarithmic scale (lower is better)"
	}
	xLabel := param.Path
	if notToScale(param.Values) {
		xLabel += " (its values as categories, evenly spaced: not to scale)"
	}
	p := newPlot("", xLabel, yLabel)
	p.X.Tick.Marker = categoryTicks(param.Values)
	p.Y.Tick.Marker = a.ticker()
	addGrid(p, false, true)
	ci := draw.LineStyle{Color: colCI, Width: vg.Points(0.8)}
	var legend []swatch
	many := len(groups) > len(seriesColours)
	offset := func(g int) float64 {
		if many || len(groups) == 1 {
			return 0
		}
		// The series sit side by side so that their intervals do not hide
		// each other, all within ±0.1 of their tick.
		return (float64(g) - float64(len(groups)-1)/2) * math.Min(0.04, 0.2/float64(len(groups)))
	}
	whiskers := &whiskerPlotter{style: ci}
	for gi, g := range groups {
		var xys plotter.XYs
		for x, i := range g.points {
			if i < 0 || s.Points[i].Metric.Value == nil {
				continue
			}
			pt := &s.Points[i]
			xv := float64(x) + offset(gi)
			xys = append(xys, plotter.XY{X: xv, Y: a.of(*pt.Metric.Value)})
			lo, hi := pt.Metric.CI95[0], pt.Metric.CI95[1]
			if lo != nil && hi != nil {
				whiskers.add(xv, a.of(*lo), a.of(*hi))
			}
		}
		if len(xys) == 0 {
			continue
		}
		if many {
			g := draw.GlyphStyle{Color: colGrey, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			if err := addMarks(p, xys, g); err != nil {
				return nil, fmt.Errorf("chart: sweep chart: %w", err)
			}
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: sweep chart: %w", err)
		}
		l.LineStyle = lineStyle(seriesColour(gi), 2, dashes(gi))
		p.Add(l)
		gs := glyphStyle(gi)
		if err := addMarks(p, xys, gs); err != nil {
			return nil, fmt.Errorf("chart: sweep chart: %w", err)
		}
		label := g.key
		if label == "" {
			label = s.Metric.Label()
		}
		legend = append(legend, swatch{Label: label, Line: &l.LineStyle, Glyph: &gs})
	}
	means := make([]*float64, len(param.Values))
	for x := range param.Values {
		sum, n := 0.0, 0
		for _, g := range groups {
			if i := g.points[x]; i >= 0 && s.Points[i].Metric.Value != nil {
				sum += *s.Points[i].Metric.Value
				n++
			}
		}
		if n > 0 {
			m := sum / float64(n)
			means[x] = &m
		}
	}
	if many {
		var xys plotter.XYs
		for x, m := range means {
			if m != nil {
				xys = append(xys, plotter.XY{X: float64(x), Y: a.of(*m)})
			}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: sweep chart: %w", err)
		}
		l.LineStyle = lineStyle(seriesColour(0), 2.2, nil)
		p.Add(l)
		g := draw.GlyphStyle{Color: colGrey, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		legend = append(legend,
			swatch{Label: fmt.Sprintf("mean over the %d settings of the other parameters", len(groups)), Line: &l.LineStyle},
			swatch{Label: "one point of the grid", Glyph: &g})
	}
	p.Add(whiskers)
	legend = append(legend, swatch{Label: "95% CI", Line: &ci})
	if hasObj {
		h := &hline{Y: a.of(objV), Style: draw.LineStyle{Color: colObjective, Width: vg.Points(1.6), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}}
		p.Add(h)
		legend = append(legend, swatch{Label: objLabel, Line: &h.Style})
	}
	p.X.Min, p.X.Max = -0.5, float64(len(param.Values))-0.5
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, v := range all {
		ymin, ymax = math.Min(ymin, a.of(v)), math.Max(ymax, a.of(v))
	}
	for _, w := range whiskers.segs {
		ymin, ymax = math.Min(ymin, w[1]), math.Max(ymax, w[2])
	}
	pad := (ymax - ymin) * 0.08
	if !(pad > 0) {
		pad = math.Max(math.Abs(ymax)*0.1, 0.01)
	}
	p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
	if ymin >= 0 {
		p.Y.Min = math.Max(0, p.Y.Min)
	}
	if logY {
		p.Y.Min, p.Y.Max = ymin-0.1, ymax+0.1 // decades
	}
	if a.m.HigherIsBetter() {
		p.Y.Max = math.Min(p.Y.Max, 1.0)
	}
	series := make([][]*float64, len(groups))
	keys := make([]string, len(groups))
	for gi, g := range groups {
		keys[gi] = g.key
		series[gi] = make([]*float64, len(param.Values))
		for x, i := range g.points {
			if i >= 0 {
				series[gi][x] = s.Points[i].Metric.Value
			}
		}
	}
	if many {
		series, keys = [][]*float64{means}, []string{"on average"}
	}
	fitTitle(p, paramTitle(s, k, series, keys, a))
	caption := fmt.Sprintf("%s at each value of %s (as given to --vary), every point on the same %s trials (common random numbers), with its 95%% interval.",
		s.Metric.Label(), param.Path, human.Int(s.Trials))
	switch {
	case many:
		caption += " Grey points are the grid's points; the line is their mean at each value."
	case len(groups) > 1:
		caption += " One line per setting of the other varied parameters."
	}
	ch := &Chart{Name: name, Title: s.Metric.Label() + " against " + param.Path, Caption: caption, Plot: p, Height: 4.5 * vg.Inch}
	ch.setLegend(legend)
	return ch, nil
}

// paramTitle states the finding of a parameter's chart: in the series
// (setting of the other parameters) that reaches the best value, the
// parameter's best values and the metric there and at its worst value.
func paramTitle(s *report.Sweep, k int, series [][]*float64, keys []string, a metricAxis) string {
	better := func(x, y float64) bool {
		if s.Metric.HigherIsBetter() {
			return x > y
		}
		return x < y
	}
	bs, bx := -1, -1
	for g, vs := range series {
		for x, v := range vs {
			if v != nil && (bs < 0 || better(*v, *series[bs][bx])) {
				bs, bx = g, x
			}
		}
	}
	path := shortPath(s, k)
	m := s.Metric.Label()
	if bs < 0 {
		return m + " against " + path
	}
	vals := s.Parameters[k].Values
	best := *series[bs][bx]
	var at []string
	worst := -1
	for x, v := range series[bs] {
		if v == nil {
			continue
		}
		if *v == best {
			at = append(at, vals[x])
		}
		if worst < 0 || better(*series[bs][worst], *v) {
			worst = x
		}
	}
	with := ""
	switch {
	case len(series) > 1:
		with = " with " + keys[bs]
	case keys[0] != "":
		with = " " + keys[0] // the mean of many series
	}
	t := a.titleText
	if *series[bs][worst] == best {
		return fmt.Sprintf("%s does not change %s%s: %s at every value", path, m, with, t(&best))
	}
	return fmt.Sprintf("Best %s: %s, %s %s%s (%s at %s)", path, strings.Join(at, " or "), m, t(&best), with, t(series[bs][worst]), vals[worst])
}

// categoryTicks label the positions 0, 1, ... with values.
func categoryTicks(values []string) plot.Ticker {
	ts := make([]plot.Tick, len(values))
	for i, v := range values {
		ts[i] = plot.Tick{Value: float64(i), Label: escape.Strip(v)}
	}
	return plot.ConstantTicks(ts)
}

// whiskerPlotter draws vertical interval whiskers with caps.
type whiskerPlotter struct {
	style draw.LineStyle
	segs  [][3]float64 // x, lo, hi
}

func (w *whiskerPlotter) add(x, lo, hi float64) {
	if isFinite(x) && isFinite(lo) && isFinite(hi) {
		w.segs = append(w.segs, [3]float64{x, lo, hi})
	}
}

// Plot implements plot.Plotter.
func (w *whiskerPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	cap := vg.Points(3)
	for _, s := range w.segs {
		x, y0, y1 := trX(s[0]), trY(s[1]), trY(s[2])
		c.StrokeLine2(w.style, x, y0, x, y1)
		c.StrokeLine2(w.style, x-cap, y0, x+cap, y0)
		c.StrokeLine2(w.style, x-cap, y1, x+cap, y1)
	}
}

// hline is a horizontal line across the data area at Y (data units),
// named in the legend only.
type hline struct {
	Y     float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	if !isFinite(h.Y) || h.Y < p.Y.Min || h.Y > p.Y.Max {
		return
	}
	y := c.Y(p.Y.Norm(h.Y))
	c.StrokeLine2(h.Style, c.Min.X, y, c.Max.X, y)
}

const costMeetTitle = "Monthly cost against P(meet both)"

// maxNamedPoints is the most points the cost chart names; a larger grid
// has only its front named, so that the names stay legible.
const maxNamedPoints = 12

// costMeetChart draws every point's monthly cost against its P(meet
// both), the Pareto front (report.MarkPareto: no other point is as likely
// for at most its cost and better in one; tied points are all on it or all
// off it) as a staircase, and the check bar.
func costMeetChart(s *report.Sweep) (*Chart, error) {
	var xs, ys []float64
	var idx []int
	for i := range s.Points {
		pt := &s.Points[i]
		if pt.MeetBoth.P == nil || !isFinite(pt.MonthlyUSD) {
			continue
		}
		xs = append(xs, *pt.MeetBoth.P)
		ys = append(ys, pt.MonthlyUSD)
		idx = append(idx, i)
	}
	if len(xs) == 0 {
		return nil, nil
	}
	p := newPlot("", "P(meet both), share of all trials (higher is better)", "monthly cost, USD (lower is better)")
	strip := newLabelStrip(p, 1)
	p.X.Tick.Marker = pctTicks{}
	p.Y.Tick.Marker = niceTicks{prefix: "$"}
	addGrid(p, true, true)
	var front []int // positions in xs, by P(meet both)
	for k, i := range idx {
		if s.Points[i].Pareto {
			front = append(front, k)
		}
	}
	sort.SliceStable(front, func(a, b int) bool {
		if xs[front[a]] != xs[front[b]] {
			return xs[front[a]] < xs[front[b]]
		}
		return ys[front[a]] < ys[front[b]]
	})
	labels := &pointLabels{radius: vg.Points(5), style: text.Style{
		Color: colDarkGrey, Font: font.From(sansFont, 8.5), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler,
	}}
	var legend []swatch
	// Tied points of the front share one place: the staircase needs two
	// distinct places (else there is no line to draw, nor to name).
	places := map[[2]float64]bool{}
	for _, k := range front {
		places[[2]float64{xs[k], ys[k]}] = true
	}
	if len(places) > 1 {
		// The cheapest cost of reaching P(meet both) ≥ x: a staircase
		// through the front.
		var st plotter.XYs
		for n, k := range front {
			if n > 0 {
				st = append(st, plotter.XY{X: xs[front[n-1]], Y: ys[k]})
			}
			st = append(st, plotter.XY{X: xs[k], Y: ys[k]})
		}
		var avoid []pointLabel
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
		legend = append(legend, swatch{Label: "Pareto front: the cheapest way to each P(meet both)", Line: &l.LineStyle})
	}
	var names []string
	for k := range s.Parameters {
		names = append(names, shortPath(s, k))
	}
	// Points at the same place (the same P(meet both) and cost) share one
	// text naming what they have in common.
	at := map[[2]float64][]int{}
	for k, i := range idx {
		at[[2]float64{xs[k], ys[k]}] = append(at[[2]float64{xs[k], ys[k]}], i)
	}
	var onFront, others plotter.XYs
	for k, i := range idx {
		pt := plotter.XY{X: xs[k], Y: ys[k]}
		if s.Points[i].Pareto {
			onFront = append(onFront, pt)
		} else {
			others = append(others, pt)
		}
		text := ""
		if group := at[[2]float64{xs[k], ys[k]}]; group[0] == i && (len(idx) <= maxNamedPoints || s.Points[i].Pareto) {
			text = escape.Strip(pointsLabel(s, names, group))
		}
		labels.points = append(labels.points, pointLabel{X: pt.X, Y: pt.Y, Text: text})
	}
	var err error
	if legend, err = addFrontMarks(p, onFront, others,
		"on the front: no other point is as likely for as little, and likelier or cheaper",
		"dominated: another point is as likely for as little, and likelier or cheaper", legend); err != nil {
		return nil, err
	}
	p.Add(labels)
	objV, objLabel, hasObj := objectiveOf(report.MetricMeetBoth, s.Objectives, s.MinProbability)
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
	}
	if hasObj {
		v := newVLine(objV, colObjective, true, objLabel, strip)
		p.Add(v)
		labels.avoid = append(labels.avoid, []pointLabel{{X: objV, Y: -1e9}, {X: objV, Y: 1e9}})
		legend = append(legend, swatch{Label: objLabel, Line: &v.Style})
		xmin, xmax = math.Min(xmin, objV), math.Max(xmax, objV)
	}
	span := math.Max(xmax-xmin, 0.05)
	p.X.Min = math.Max(0, xmin-0.25*span)
	p.X.Max = math.Min(1.0, xmax+0.25*span)
	if p.X.Max-p.X.Min < 0.1 {
		p.X.Max = math.Min(1, p.X.Min+0.1)
	}
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	zeroBased := ymax <= 0 || (ymax-ymin)/ymax > 0.2
	if zeroBased {
		p.Y.Min, p.Y.Max = 0, math.Max(ymax, 1)*1.15
	} else {
		// Costs within 20% of each other: an axis from $0 would hide their
		// differences.
		pad := math.Max((ymax-ymin)*0.25, ymax*0.01)
		p.Y.Min, p.Y.Max = math.Max(0, ymin-pad), ymax+pad
	}
	fitTitle(p, costMeetFinding(s, names))
	caption := fmt.Sprintf("Each point is one setting of %s (named beside it; points at the same place share one name, "+
		"a parameter's values there separated by |, or \"any\" when all of them land there): its steady-state monthly cost against its P(meet both). "+
		"Points on the dashed front are not beaten on both at once; the others are.", strings.Join(names, ", "))
	if len(idx) > maxNamedPoints {
		caption += fmt.Sprintf(" With %d points only those on the front are named; the table names every point.", len(idx))
	}
	if !zeroBased {
		caption += " The cost axis does not start at $0."
	}
	ch := &Chart{
		Name:    "cost-meet-both",
		Title:   costMeetTitle,
		Caption: caption,
		Plot:    p,
		Height:  4.5*vg.Inch + vg.Points(labelRowHeight),
	}
	ch.setLegend(legend)
	return ch, nil
}

// notToScale reports whether values, at least three and all plain numbers
// or durations ("1m", "4m", "10m", "0.5"), are not evenly spaced: the
// chart's axis spaces them evenly as categories, which it then says.
func notToScale(values []string) bool {
	if len(values) < 3 {
		return false
	}
	units := map[string]float64{"": 1, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}
	xs := make([]float64, len(values))
	for i, v := range values {
		m := plainNumber.FindStringSubmatch(strings.TrimSpace(v))
		if m == nil {
			return false
		}
		x, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return false
		}
		xs[i] = x * units[m[2]]
	}
	step := xs[1] - xs[0]
	for i := 2; i < len(xs); i++ {
		if math.Abs(xs[i]-xs[i-1]-step) > 1e-9*math.Max(math.Abs(step), 1) {
			return true
		}
	}
	return false
}

// plainNumber matches a number with an optional duration unit.
var plainNumber = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)?$`)

// pointsLabel names the points group (indices into s.Points) by their
// parameters: "rtc=true, rpo=15m" for one point; for several at one place,
// a parameter they share by its value, one they differ in by its values
// there ("detect=1m|2m"), or "any" when all its values land there
// ("steps[scale-up].duration=any, rtc=true, rpo=15m").
func pointsLabel(s *report.Sweep, names []string, group []int) string {
	var parts []string
	for k, name := range names {
		var vals []string
		for _, i := range group {
			if v := s.Points[i].Values[k]; !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		switch {
		case len(vals) == 1:
			parts = append(parts, name+"="+vals[0])
		case len(vals) == len(s.Parameters[k].Values):
			parts = append(parts, name+"=any")
		default:
			parts = append(parts, fmt.Sprintf("%s=%s", name, strings.Join(vals, "|")))
		}
	}
	return strings.Join(parts, ", ")
}

// costMeetFinding states the cheapest point that reaches the check bar,
// else the likeliest point.
func costMeetFinding(s *report.Sweep, names []string) string {
	best, cheapest := -1, -1
	for i := range s.Points {
		pt := &s.Points[i]
		if pt.MeetBoth.P == nil {
			continue
		}
		if best < 0 || *pt.MeetBoth.P > *s.Points[best].MeetBoth.P ||
			(*pt.MeetBoth.P == *s.Points[best].MeetBoth.P && pt.MonthlyUSD < s.Points[best].MonthlyUSD) {
			best = i
		}
		// The cheapest; of equal costs the likeliest (a dominated point is
		// never the finding, as in the document's recommendation).
		if *pt.MeetBoth.P >= s.MinProbability && (cheapest < 0 || pt.MonthlyUSD < s.Points[cheapest].MonthlyUSD ||
			(pt.MonthlyUSD == s.Points[cheapest].MonthlyUSD && *pt.MeetBoth.P > *s.Points[cheapest].MeetBoth.P)) {
			cheapest = i
		}
	}
	label := func(i int) string {
		var parts []string
		for k, v := range s.Points[i].Values {
			if k < len(names) {
				parts = append(parts, names[k]+"="+v)
			}
		}
		return strings.Join(parts, ", ")
	}
	a := metricAxis{m: report.MetricMeetBoth, bars: []float64{s.MinProbability}}
	if cheapest >= 0 {
		pt := &s.Points[cheapest]
		return fmt.Sprintf("Cheapest to meet both in ≥ %s of trials: %s, %s at %s/month", a.titleText(&s.MinProbability), label(cheapest), a.titleText(pt.MeetBoth.P), human.USD(pt.MonthlyUSD))
	}
	pt := &s.Points[best]
	return fmt.Sprintf("No setting meets both in %s of trials; the best: %s, %s at %s/month", a.titleText(&s.MinProbability), label(best), a.titleText(pt.MeetBoth.P), human.USD(pt.MonthlyUSD))
}

// compile-time checks of the plotters' interfaces.
var (
	_ plot.Plotter    = (*tornadoPlotter)(nil)
	_ plot.DataRanger = (*tornadoPlotter)(nil)
	_ plot.Plotter    = (*whiskerPlotter)(nil)
	_ plot.Plotter    = (*hline)(nil)
)
