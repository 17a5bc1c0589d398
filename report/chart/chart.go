package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/sim"
)

// Chart is one rendered-on-demand figure of a report. Name is a file stem
// ("timeline", "rto-cdf", ...), unique within a report; Title is a one-line
// human title and Caption says how to read the chart.
type Chart struct {
	Name    string
	Title   string
	Caption string
	Plot    *plot.Plot
	// Width and Height are the canvas size; zero means the default
	// (DefaultChartWidth × DefaultChartHeight).
	Width, Height vg.Length

	// below is a legend drawn in a strip under the plot.
	below []swatch
}

// ForReport builds the charts of a report, in reading order: the timeline of
// the representative trial, the RTO and RPO distributions, the replication
// backlog around T0 and the KMS failures by cause. A chart whose data is
// absent (no representative trial, no incident trial, no backlog samples) is
// left out. ForReport only reads r.
func ForReport(r *report.Report) ([]Chart, error) {
	if r == nil {
		return nil, fmt.Errorf("chart: charts: nil report")
	}
	var out []Chart
	add := func(c *Chart, err error) error {
		if err != nil {
			return err
		}
		out = append(out, *c)
		return nil
	}
	rep := r.Representative
	if rep != nil && len(rep.Segments) > 0 {
		if err := add(timelineChart(r)); err != nil {
			return nil, err
		}
	}
	if hasFinite(r.Distributions.RTO) {
		if err := add(rtoCDFChart(r)); err != nil {
			return nil, err
		}
	}
	if hasFinite(r.Distributions.RPO) {
		if err := add(rpoCDFChart(r)); err != nil {
			return nil, err
		}
	}
	if rep != nil && len(rep.Backlog) > 0 {
		if err := add(backlogChart(r)); err != nil {
			return nil, err
		}
	}
	if rep != nil && len(rep.Rates) > 0 {
		if err := add(failuresChart(r)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hasFinite reports whether a quantile grid has a finite point.
func hasFinite(q []report.QuantilePoint) bool {
	for _, p := range q {
		if p.Seconds != nil && isFiniteF(*p.Seconds) {
			return true
		}
	}
	return false
}

// Default chart canvas size and PNG resolution.
const (
	DefaultChartWidth  = 9 * vg.Inch
	DefaultChartHeight = 4.5 * vg.Inch
	ChartDPI           = 110
)

func (c *Chart) size() (w, h vg.Length) {
	w, h = c.Width, c.Height
	if w <= 0 {
		w = DefaultChartWidth
	}
	if h <= 0 {
		h = DefaultChartHeight
	}
	return w, h
}

// WriteSVG draws the chart as an SVG document to w. The output depends only
// on the chart: the same chart gives byte-identical SVG (fonts are named,
// not embedded).
func (c *Chart) WriteSVG(w io.Writer) error {
	if c.Plot == nil {
		return fmt.Errorf("chart: chart %q has no plot", c.Name)
	}
	cw, ch := c.size()
	cv := vgsvg.New(cw, ch)
	if err := c.draw(draw.New(cv)); err != nil {
		return fmt.Errorf("chart: chart %q: %w", c.Name, err)
	}
	if _, err := cv.WriteTo(w); err != nil {
		return fmt.Errorf("chart: chart %q: writing svg: %w", c.Name, err)
	}
	return nil
}

// WritePNG draws the chart as a PNG image (ChartDPI dots per inch) to w.
func (c *Chart) WritePNG(w io.Writer) error {
	if c.Plot == nil {
		return fmt.Errorf("chart: chart %q has no plot", c.Name)
	}
	cw, ch := c.size()
	cv := vgimg.NewWith(vgimg.UseWH(cw, ch), vgimg.UseDPI(ChartDPI))
	if err := c.draw(draw.New(cv)); err != nil {
		return fmt.Errorf("chart: chart %q: %w", c.Name, err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(w); err != nil {
		return fmt.Errorf("chart: chart %q: writing png: %w", c.Name, err)
	}
	return nil
}

// SVG returns the chart as an SVG document.
func (c *Chart) SVG() ([]byte, error) {
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// draw draws the chart on dc, turning a panic of the plotting library (it
// panics on some degenerate inputs) into an error.
func (c *Chart) draw(dc draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing plot: %v", r)
		}
	}()
	dc.FillPolygon(color.White, []vg.Point{
		dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y},
	})
	dc = draw.Crop(dc, vg.Points(6), -vg.Points(8), vg.Points(4), -vg.Points(4))
	if h := legendHeight(c.below, dc.Max.X-dc.Min.X); h > 0 {
		drawLegend(draw.Crop(dc, 0, 0, 0, -(dc.Max.Y-dc.Min.Y-h)), c.below)
		dc = draw.Crop(dc, 0, 0, h, 0)
	}
	c.Plot.Draw(dc)
	return nil
}

// Fonts: Liberation Sans from the plotting library's built-in collection, so
// that measurements (and therefore the SVG) never depend on the machine.
var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: 3} // x/image/font.WeightBold
)

// Colours. Never mutated.
var (
	colGreen    = color.NRGBA{R: 0x2e, G: 0x9e, B: 0x4f, A: 0xff}
	colRed      = color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colAmber    = color.NRGBA{R: 0xf0, G: 0xa2, B: 0x02, A: 0xff}
	colGrey     = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff}
	colDarkGrey = color.NRGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
	colBlue     = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colTeal     = color.NRGBA{R: 0x17, G: 0xa2, B: 0xb8, A: 0xff}
	colPurple   = color.NRGBA{R: 0x75, G: 0x4c, B: 0xa8, A: 0xff}
	colOutage   = color.NRGBA{R: 0x8c, G: 0x1d, B: 0x1d, A: 0xff}
	colT0       = color.NRGBA{R: 0xc0, G: 0x00, B: 0x00, A: 0xff}
	colRecover  = color.NRGBA{R: 0x00, G: 0x80, B: 0x30, A: 0xff}
	colFront    = color.NRGBA{R: 0xe0, G: 0x6c, B: 0x00, A: 0xff}
)

// seriesColours is a colour-blind friendly qualitative palette (Okabe-Ito,
// without yellow) for series that have no meaning-bound colour.
var seriesColours = [...]color.NRGBA{
	{R: 0x00, G: 0x72, B: 0xb2, A: 0xff},
	{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff},
	{R: 0x00, G: 0x9e, B: 0x73, A: 0xff},
	{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff},
	{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff},
	{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff},
	{R: 0x00, G: 0x00, B: 0x00, A: 0xff},
}

func seriesColour(i int) color.Color { return seriesColours[i%len(seriesColours)] }

// dashes cycles line dash patterns so that series stay apart in grey print.
func dashes(i int) []vg.Length {
	switch (i / len(seriesColours)) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}

// newPlot returns a plot with the report's house style.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(boldFont, 13)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, 11)
		a.Tick.Label.Font = font.From(sansFont, 9.5)
		a.Padding = vg.Points(2)
	}
	p.X.Tick.Marker = cleanTicks{}
	p.Y.Tick.Marker = cleanTicks{}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = font.From(sansFont, 9.5)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(18)
	return p
}

// cleanTicks are the library's default tick positions with labels that
// carry no useless zeros ("500", "2.5" instead of "500.00", "2.50").
type cleanTicks struct{}

// Ticks implements plot.Ticker.
func (cleanTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label == "" {
			continue
		}
		v := ticks[i].Value
		if a := math.Abs(v); a >= 1e-9 && a < 1e15 {
			v = math.Round(v*1e9) / 1e9
		}
		ticks[i].Label = strconv.FormatFloat(v, 'f', -1, 64)
		if math.Abs(v) >= 1e7 || (v != 0 && math.Abs(v) < 1e-4) {
			ticks[i].Label = strconv.FormatFloat(v, 'g', 4, 64)
		}
	}
	return ticks
}

// timeTicks label a time axis whose values are in unit u with durations
// ("2h30m") at round steps, with a minor tick half way.
type timeTicks struct {
	u timeUnit
}

// tickSteps are the candidate major steps of a time axis.
var tickSteps = [...]sim.Time{
	sim.Second, 2 * sim.Second, 5 * sim.Second, 10 * sim.Second, 15 * sim.Second, 30 * sim.Second,
	sim.Minute, 2 * sim.Minute, 5 * sim.Minute, 10 * sim.Minute, 15 * sim.Minute, 30 * sim.Minute,
	sim.Hour, 2 * sim.Hour, 3 * sim.Hour, 6 * sim.Hour, 12 * sim.Hour,
	24 * sim.Hour, 2 * 24 * sim.Hour, 7 * 24 * sim.Hour, 14 * 24 * sim.Hour, 28 * 24 * sim.Hour,
}

// Ticks implements plot.Ticker.
func (tt timeTicks) Ticks(lo, hi float64) []plot.Tick {
	if !isFiniteF(lo) || !isFiniteF(hi) || hi <= lo {
		return cleanTicks{}.Ticks(lo, hi)
	}
	span := (hi - lo) * tt.u.ns
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/float64(s) <= 7 {
			step = s
			break
		}
	}
	if span/float64(step) > 7 {
		return cleanTicks{}.Ticks(lo, hi)
	}
	minor := step / 2
	var ticks []plot.Tick
	first := math.Ceil(lo*tt.u.ns/float64(minor)) * float64(minor)
	for v, n := first, 0; v <= hi*tt.u.ns+1 && n < 100; v, n = v+float64(minor), n+1 {
		t := plot.Tick{Value: v / tt.u.ns}
		if math.Mod(math.Abs(v), float64(step)) < 1 {
			t.Label = chartDur(v / float64(sim.Second))
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// percentTicks label a [0, 1] axis in tenths as percentages.
type percentTicks struct{}

// Ticks implements plot.Ticker.
func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for i := 0; i <= 20; i++ {
		v := float64(i) / 20
		if v < lo-1e-9 || v > hi+1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if i%2 == 0 {
			t.Label = strconv.Itoa(i*5) + "%"
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// addGrid adds light grid lines behind the data.
func addGrid(p *plot.Plot, vertical, horizontal bool) {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xdd}
	g.Horizontal.Color = color.Gray{Y: 0xdd}
	if !vertical {
		g.Vertical.Color = nil
	}
	if !horizontal {
		g.Horizontal.Color = nil
	}
	p.Add(g)
}

// timeUnit is a unit for a time axis.
type timeUnit struct {
	ns   float64
	name string // singular, for axis labels: "minutes" etc.
	abbr string
}

var (
	unitSeconds = timeUnit{float64(sim.Second), "seconds", "s"}
	unitMinutes = timeUnit{float64(sim.Minute), "minutes", "min"}
	unitHours   = timeUnit{float64(sim.Hour), "hours", "h"}
	unitDays    = timeUnit{24 * float64(sim.Hour), "days", "d"}
)

// pickUnit chooses a unit in which a span of ns nanoseconds reads well.
func pickUnit(span float64) timeUnit {
	switch {
	case !(span <= 4*24*float64(sim.Hour)): // also NaN and +Inf
		return unitDays
	case span <= 3*float64(sim.Minute):
		return unitSeconds
	case span <= 3*float64(sim.Hour):
		return unitMinutes
	case span <= 4*24*float64(sim.Hour):
		return unitHours
	}
	return unitDays
}

func (u timeUnit) of(t sim.Time) float64 { return float64(t) / u.ns }

// ofSeconds converts seconds to the unit without overflowing.
func (u timeUnit) ofSeconds(s float64) float64 { return s / (u.ns / float64(sim.Second)) }

// nsSeconds converts simulation time to seconds.
func nsSeconds(t sim.Time) float64 { return float64(t) / float64(sim.Second) }

// chartDur renders a duration given in seconds compactly for chart labels:
// "850ms", "45s", "12m30s", "3h05m", "2d04h", "∞".
func chartDur(s float64) string {
	if math.IsNaN(s) {
		return "?"
	}
	if math.IsInf(s, 0) {
		return "∞"
	}
	if s < 0 {
		return "-" + chartDur(-s)
	}
	d := sim.Time(math.Round(s * float64(sim.Second)))
	roundTo := func(unit sim.Time) sim.Time { return (d + unit/2) / unit * unit }
	switch {
	case d == 0:
		return "0s"
	case d < sim.Second:
		return fmt.Sprintf("%dms", roundTo(sim.Millisecond)/sim.Millisecond)
	case d < 10*sim.Second && roundTo(100*sim.Millisecond)%sim.Second != 0:
		return fmt.Sprintf("%.1fs", float64(roundTo(100*sim.Millisecond))/float64(sim.Second))
	}
	if d < sim.Hour {
		d = roundTo(sim.Second)
	} else if d < 24*sim.Hour {
		d = roundTo(sim.Minute)
	} else {
		d = roundTo(sim.Hour)
	}
	day := 24 * sim.Hour
	switch {
	case d < sim.Minute:
		return fmt.Sprintf("%ds", d/sim.Second)
	case d < sim.Hour:
		return trimZero(fmt.Sprintf("%dm", d/sim.Minute), (d%sim.Minute)/sim.Second, "%02ds")
	case d < day:
		return trimZero(fmt.Sprintf("%dh", d/sim.Hour), (d%sim.Hour)/sim.Minute, "%02dm")
	}
	return trimZero(fmt.Sprintf("%dd", d/day), (d%day)/sim.Hour, "%02dh")
}

// trimZero appends the smaller unit to head unless it is zero.
func trimZero(head string, v sim.Time, format string) string {
	if v == 0 {
		return head
	}
	return head + fmt.Sprintf(format, v)
}

// vline is a labelled vertical line across the whole plot, at x in data
// units. It is added to the legend by the caller.
type vline struct {
	X     float64
	Style draw.LineStyle
	// Text, when set, is written next to the top of the line.
	Text      string
	TextStyle text.Style
	// Bottom writes the text at the bottom of the line instead of the top.
	Bottom bool
	// Above writes the text above the data area, clear of the data;
	// LeftOf puts it on the left of the line.
	Above, LeftOf bool
	// rows, when set, is shared by the lines of one plot whose texts are
	// Above: a text that would overlap an earlier one goes a row higher.
	rows *labelRows
}

// labelRows records where the texts of vertical lines went, so that close
// lines do not write over each other.
type labelRows struct {
	placed []vg.Rectangle
}

// Plot implements plot.Plotter: added to a plot before its lines, it
// forgets the texts of the previous drawing, so that every drawing of a
// chart is the same. (A chart is therefore not drawn concurrently.)
func (lr *labelRows) Plot(draw.Canvas, *plot.Plot) { lr.placed = lr.placed[:0] }

// maxLabelRows is how many rows of line texts a plot reserves above the
// data area (see timelineChart's title padding).
const maxLabelRows = 2

// place returns the lowest row (from 0) at which r, moved up by row ×
// step, overlaps no earlier text, and records it.
func (lr *labelRows) place(r vg.Rectangle, step vg.Length) int {
	row := 0
	for ; row < maxLabelRows-1; row++ {
		rr := r.Add(vg.Point{Y: vg.Length(row) * step})
		clash := false
		for _, q := range lr.placed {
			if rr.Min.X < q.Max.X && q.Min.X < rr.Max.X && rr.Min.Y < q.Max.Y && q.Min.Y < rr.Max.Y {
				clash = true
				break
			}
		}
		if !clash {
			break
		}
	}
	lr.placed = append(lr.placed, r.Add(vg.Point{Y: vg.Length(row) * step}))
	return row
}

func newVLine(x float64, c color.Color, dashed bool, label string) *vline {
	v := &vline{X: x, Text: label}
	v.Style = draw.LineStyle{Color: c, Width: vg.Points(1.6)}
	if dashed {
		v.Style.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	v.TextStyle = text.Style{
		Color:   c,
		Font:    font.From(sansFont, 9),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
	return v
}

// Plot implements plot.Plotter.
func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	if v.X < p.X.Min || v.X > p.X.Max {
		return
	}
	x := c.X(p.X.Norm(v.X))
	c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
	if v.Text != "" {
		sty := v.TextStyle
		pt := vg.Point{X: x + vg.Points(3), Y: c.Max.Y - vg.Points(2)}
		if v.Bottom {
			sty.YAlign = draw.YBottom
			pt.Y = c.Min.Y + vg.Points(2)
		}
		if v.Above {
			sty.YAlign = draw.YBottom
			pt.Y = c.Max.Y + vg.Points(1.5)
		}
		if v.LeftOf {
			sty.XAlign = draw.XRight
			pt.X = x - vg.Points(3)
		}
		if w := sty.Width(v.Text); !v.LeftOf && pt.X+w > c.Max.X {
			sty.XAlign = draw.XRight
			pt.X = x - vg.Points(3)
		}
		r := sty.Rectangle(v.Text)
		if v.Above && v.rows != nil {
			step := r.Max.Y - r.Min.Y + vg.Points(2)
			row := v.rows.place(r.Add(pt), step)
			pt.Y += vg.Length(row) * step
		}
		bg := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd8}
		c.FillPolygon(bg, []vg.Point{
			{X: pt.X + r.Min.X - 1, Y: pt.Y + r.Min.Y - 1}, {X: pt.X + r.Max.X + 1, Y: pt.Y + r.Min.Y - 1},
			{X: pt.X + r.Max.X + 1, Y: pt.Y + r.Max.Y + 1}, {X: pt.X + r.Min.X - 1, Y: pt.Y + r.Max.Y + 1},
		})
		c.FillText(sty, pt, v.Text)
	}
}

// includeX widens the x range of p to show x.
func includeX(p *plot.Plot, x float64) {
	if !isFiniteF(x) {
		return
	}
	p.X.Min = math.Min(p.X.Min, x)
	p.X.Max = math.Max(p.X.Max, x)
}

// Thumbnail implements plot.Thumbnailer: a horizontal stroke of the line's
// style, which reads better in a legend than a short vertical one.
func (v *vline) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(v.Style, c.Min.X, y, c.Max.X, y)
}

// lineStyle returns a solid or patterned line style.
func lineStyle(c color.Color, width float64, dash []vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dash}
}

// finite reports whether x is neither NaN nor infinite.
func isFiniteF(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// percent formats a probability as a percentage.
func fmtPercent(p float64) string {
	if !isFiniteF(p) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}
