package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/drsim/drsim/internal/escape"
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
	// (DefaultWidth × DefaultHeight).
	Width, Height vg.Length

	// below is a legend drawn in a strip under the plot.
	below []swatch
	// svg caches the SVG document (SVG): the HTML inlines what the .svg
	// file holds, drawn once.
	svg []byte
}

// Omission is a chart a document would have but that is left out because
// it would be empty. Name and Title are the chart's; Why is the sentence
// that stands in its place ("No KMS call failed in the representative
// trial (#578).").
type Omission struct {
	Name, Title, Why string
}

// ForReport builds the charts of a report, in reading order: the timeline
// of the representative trial, the same zoomed to its failover (T0 to the
// recovery), the RTO and RPO distributions, the
// replication backlog around T0 and the KMS failures by cause. A chart that
// would be empty (no representative trial, no incident trial, nothing
// pending replication, no failed KMS call) is left out and listed in the
// omissions with the reason. ForReport only reads r.
func ForReport(r *report.Report) ([]Chart, []Omission, error) {
	if r == nil {
		return nil, nil, fmt.Errorf("chart: charts: nil report")
	}
	var out []Chart
	var left []Omission
	add := func(c *Chart, why string, err error) error {
		switch {
		case err != nil:
			return err
		case c != nil:
			out = append(out, *c)
		}
		return nil
	}
	omit := func(name, title, why string) { left = append(left, Omission{Name: name, Title: title, Why: why}) }
	rep := r.Representative
	repNo := ""
	if rep != nil {
		repNo = fmt.Sprintf(" (#%d)", rep.Trial)
	}
	steps := []struct {
		name, title string
		build       func() (*Chart, string, error)
	}{
		{"timeline", timelineTitle, func() (*Chart, string, error) {
			if rep == nil || len(rep.Segments) == 0 {
				return nil, "There is no representative trial: no timeline, replication backlog or KMS failures chart.", nil
			}
			c, err := timelineChart(r)
			return c, "", err
		}},
		{"failover", failoverTitle, func() (*Chart, string, error) {
			switch {
			case rep == nil || len(rep.Segments) == 0:
				return nil, "", nil // said once, for the timeline
			case rep.T0Seconds == nil:
				return nil, "The representative trial" + repNo + " had no incident: there is no failover to draw.", nil
			case rep.RTOSeconds == nil:
				return nil, "The representative trial" + repNo + " did not recover within the horizon: the timeline shows it whole.", nil
			}
			c, err := failoverChart(r)
			return c, "", err
		}},
		{"rto-cdf", "RTO distribution", func() (*Chart, string, error) {
			if !hasFinite(r.Distributions.RTO) {
				if r.Distributions.IncidentTrials == 0 {
					return nil, "No trial had an incident: there is no RTO to draw.", nil
				}
				return nil, "No incident trial recovered within the horizon: every RTO is infinite.", nil
			}
			c, err := rtoCDFChart(r)
			return c, "", err
		}},
		{"rpo-cdf", "RPO distribution", func() (*Chart, string, error) {
			if !hasFinite(r.Distributions.RPO) {
				if r.Metrics.RPOSeconds.Unbounded > 0 {
					return nil, "Every recovered trial's RPO is unbounded: some writes never reach the recovery region.", nil
				}
				return nil, "No incident trial recovered: there is no RPO to draw.", nil
			}
			c, err := rpoCDFChart(r)
			return c, "", err
		}},
		{"backlog", backlogTitle, func() (*Chart, string, error) {
			if rep == nil || !hasBacklog(rep.Backlog) {
				if rep == nil {
					return nil, "", nil // said once, for the timeline
				}
				return nil, "No write was waiting for replication around T0 in the representative trial" + repNo + ".", nil
			}
			c, err := backlogChart(r)
			return c, "", err
		}},
		{"kms-failures", failuresTitle, func() (*Chart, string, error) {
			if rep == nil {
				return nil, "", nil
			}
			if !hasFailures(rep) {
				return nil, "No KMS call failed in the representative trial" + repNo + ".", nil
			}
			c, err := failuresChart(r)
			return c, "", err
		}},
	}
	for _, s := range steps {
		c, why, err := s.build()
		if why != "" {
			omit(s.name, s.title, why)
		}
		if err := add(c, why, err); err != nil {
			return nil, nil, err
		}
	}
	return out, left, nil
}

// hasFinite reports whether a quantile grid has a finite point.
func hasFinite(q []report.QuantilePoint) bool {
	for _, p := range q {
		if p.Seconds != nil && isFinite(*p.Seconds) {
			return true
		}
	}
	return false
}

// Default chart canvas size and PNG resolution.
const (
	DefaultWidth  = 9 * vg.Inch
	DefaultHeight = 4.5 * vg.Inch
	DPI           = 110
)

func (c *Chart) size() (w, h vg.Length) {
	w, h = c.Width, c.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
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

// WritePNG draws the chart as a PNG image (DPI dots per inch) to w.
func (c *Chart) WritePNG(w io.Writer) error {
	if c.Plot == nil {
		return fmt.Errorf("chart: chart %q has no plot", c.Name)
	}
	cw, ch := c.size()
	cv := vgimg.NewWith(vgimg.UseWH(cw, ch), vgimg.UseDPI(DPI))
	if err := c.draw(draw.New(cv)); err != nil {
		return fmt.Errorf("chart: chart %q: %w", c.Name, err)
	}
	// The fastest zlib level: a chart's PNG is flat colour, so it costs
	// a few percent of size against the default level and a third of the
	// encoding time (the --out folder is written at every run).
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, cv.Image()); err != nil {
		return fmt.Errorf("chart: chart %q: writing png: %w", c.Name, err)
	}
	return nil
}

// SVG returns the chart as an SVG document, drawn at the first call (a
// chart's plot is not to be drawn from two goroutines at once).
func (c *Chart) SVG() ([]byte, error) {
	if c.svg != nil {
		return c.svg, nil
	}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		return nil, err
	}
	c.svg = b.Bytes()
	return c.svg, nil
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

// newPlot returns a plot with the report's house style.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = escape.Strip(title)
	p.Title.TextStyle.Font = font.From(boldFont, 13)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, 11)
		a.Tick.Label.Font = font.From(sansFont, 9.5)
		a.Padding = vg.Points(2)
	}
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = font.From(sansFont, 9.5)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(18)
	return p
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
	name string // plural, for axis labels: "minutes" etc.
}

var (
	unitSeconds = timeUnit{float64(sim.Second), "seconds"}
	unitMinutes = timeUnit{float64(sim.Minute), "minutes"}
	unitHours   = timeUnit{float64(sim.Hour), "hours"}
	unitDays    = timeUnit{24 * float64(sim.Hour), "days"}
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
	}
	return unitHours
}

func (u timeUnit) of(t sim.Time) float64 { return float64(t) / u.ns }

// ofSeconds converts seconds to the unit without overflowing.
func (u timeUnit) ofSeconds(s float64) float64 { return s / (u.ns / float64(sim.Second)) }

// nsSeconds converts simulation time to seconds.
func nsSeconds(t sim.Time) float64 { return float64(t) / float64(sim.Second) }

func secondsToTime(s float64) sim.Time {
	if !isFinite(s) || math.Abs(s) > math.MaxInt64/float64(sim.Second) {
		return 0
	}
	return sim.Time(math.Round(s * float64(sim.Second)))
}

// includeX widens the x range of p to show x.
func includeX(p *plot.Plot, x float64) {
	if !isFinite(x) {
		return
	}
	p.X.Min = math.Min(p.X.Min, x)
	p.X.Max = math.Max(p.X.Max, x)
}

// lineStyle returns a solid or patterned line style.
func lineStyle(c color.Color, width float64, dash []vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dash}
}

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
