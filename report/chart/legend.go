package chart

import (
	"image/color"

	"github.com/drsim/drsim/internal/escape"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// swatch is one entry of a legend drawn under the plot (for charts whose
// data area has no free corner, like the timeline).
type swatch struct {
	Label string
	Fill  color.Color
	// Line, when set, draws a line thumbnail instead of a filled box.
	Line *draw.LineStyle
	// Glyph, when set, draws a marker instead.
	Glyph *draw.GlyphStyle
}

const (
	legendRowHeight = 15 // points
	legendPad       = 6  // points
)

func legendTextStyle() text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sansFont, 9.5),
		XAlign:  draw.XLeft,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
}

// layoutLegend places the swatches in rows of at most width and returns
// the x offset of every entry and its row.
func layoutLegend(entries []swatch, width vg.Length) (xs []vg.Length, rows []int, nRows int) {
	sty := legendTextStyle()
	x, row := vg.Length(0), 0
	for _, e := range entries {
		w := vg.Points(16) + sty.Width(e.Label) + vg.Points(14)
		if x > 0 && x+w > width {
			x, row = 0, row+1
		}
		xs = append(xs, x)
		rows = append(rows, row)
		x += w
	}
	if len(entries) > 0 {
		nRows = row + 1
	}
	return xs, rows, nRows
}

// setLegend puts legend in a strip under the plot and grows the canvas
// (its height set beforehand) by the strip's height at the default width.
// Labels lose their control characters, and are shortened with "…" to
// the strip's width.
func (c *Chart) setLegend(legend []swatch) {
	sty := legendTextStyle()
	room := DefaultWidth - 2*vg.Points(legendPad) - vg.Points(16+14) - vg.Points(14)
	for i := range legend {
		legend[i].Label = fitText(sty, escape.Strip(legend[i].Label), room)
	}
	c.below = legend
	c.Height += legendHeight(legend, DefaultWidth)
}

// fitText shortens s with "…" until it is at most width wide in sty.
func fitText(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// fitMiddle returns s, or s with runes cut from its middle and replaced
// by "…" so that it is at most width wide in sty: both ends stay, which
// keeps a key path's start and its last key readable
// ("outages[us-east-1 regi…ober 2025].duration").
func fitMiddle(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	head, tail := (len(r)+1)/2, len(r)/2
	for head+tail > 1 {
		if head >= tail {
			head--
		} else {
			tail--
		}
		t := string(r[:head]) + "…" + string(r[len(r)-tail:])
		if sty.Width(t) <= width {
			return t
		}
	}
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// legendHeight is the height of the strip the swatches need at width.
func legendHeight(entries []swatch, width vg.Length) vg.Length {
	_, _, n := layoutLegend(entries, width-2*vg.Points(legendPad))
	if n == 0 {
		return 0
	}
	return vg.Points(float64(n*legendRowHeight + legendPad))
}

// drawLegend draws the swatches in c, top-aligned.
func drawLegend(c draw.Canvas, entries []swatch) {
	left := c.Min.X + vg.Points(legendPad)
	xs, rows, _ := layoutLegend(entries, c.Max.X-left-vg.Points(legendPad))
	sty := legendTextStyle()
	for i, e := range entries {
		x := left + xs[i]
		yc := c.Max.Y - vg.Points(float64(rows[i]*legendRowHeight)+legendRowHeight/2)
		switch {
		case e.Line != nil:
			c.StrokeLine2(*e.Line, x, yc, x+vg.Points(14), yc)
			if e.Glyph != nil {
				c.DrawGlyphNoClip(*e.Glyph, vg.Point{X: x + vg.Points(7), Y: yc})
			}
		case e.Glyph != nil:
			c.DrawGlyphNoClip(*e.Glyph, vg.Point{X: x + vg.Points(7), Y: yc})
		default:
			h := vg.Points(4.5)
			c.FillPolygon(e.Fill, []vg.Point{
				{X: x, Y: yc - h}, {X: x + vg.Points(12), Y: yc - h},
				{X: x + vg.Points(12), Y: yc + h}, {X: x, Y: yc + h},
			})
		}
		c.FillText(sty, vg.Point{X: x + vg.Points(17), Y: yc}, e.Label)
	}
}
