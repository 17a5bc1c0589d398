package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The texts a chart writes next to its data (the names of vertical lines,
// the names of scatter points) never cover data or each other:
//
//   - a vertical line's text goes in a strip above the data area, in the
//     lowest row where it overlaps no other text; a line whose text finds
//     no free row keeps only its legend entry;
//   - a scatter point's text goes in the first free place around the
//     point, clear of every point, line and text, further out (with a
//     leader line) when the places next to it are taken; it is always
//     nearer its own point than any other, and leader lines never cross
//     (placeLabels).
//
// TestLabelsNeverOverlap checks the rendered SVG of every chart.

// labelRowHeight is the height of one row of the strip above the data
// area, in points.
const labelRowHeight = 12

// maxLabelRows bounds the rows a strip reserves.
const maxLabelRows = 4

// labelStrip is the band above a plot's data area where the texts of its
// vertical lines go. It is added to the plot before the lines: at every
// drawing it forgets the texts of the previous one, so that every drawing
// of a chart is the same (a chart is therefore not drawn concurrently).
type labelStrip struct {
	rows int
	// taken holds, per row, the horizontal extents of the texts in it.
	taken [][][2]vg.Length
}

// newLabelStrip reserves a strip of rows rows (at most maxLabelRows) above
// the data area of p, between the title and the data.
func newLabelStrip(p *plot.Plot, rows int) *labelStrip {
	rows = max(1, min(rows, maxLabelRows))
	ls := &labelStrip{rows: rows, taken: make([][][2]vg.Length, rows)}
	p.Title.Padding = vg.Points(6 + labelRowHeight*float64(rows))
	p.Add(ls)
	return ls
}

// Plot implements plot.Plotter.
func (ls *labelStrip) Plot(draw.Canvas, *plot.Plot) {
	for i := range ls.taken {
		ls.taken[i] = ls.taken[i][:0]
	}
}

// place returns the lowest row in which the text from x0 to x1 keeps 3
// points from every other text, and records it; ok is false when every
// row is taken. (A row is taller than a text: texts in two rows never
// touch.)
func (ls *labelStrip) place(x0, x1 vg.Length) (row int, ok bool) {
	pad := vg.Points(3)
	for row = 0; row < ls.rows; row++ {
		free := true
		for _, t := range ls.taken[row] {
			if x0-pad < t[1] && t[0] < x1+pad {
				free = false
				break
			}
		}
		if free {
			ls.taken[row] = append(ls.taken[row], [2]vg.Length{x0, x1})
			return row, true
		}
	}
	return 0, false
}

// overlapsAny reports whether r, grown by pad on every side, overlaps one
// of rs.
func overlapsAny(r vg.Rectangle, rs []vg.Rectangle, pad vg.Length) bool {
	for _, q := range rs {
		if r.Min.X-pad < q.Max.X && q.Min.X < r.Max.X+pad && r.Min.Y-pad < q.Max.Y && q.Min.Y < r.Max.Y+pad {
			return true
		}
	}
	return false
}

// vline is a vertical line across the whole data area at x (data units),
// with an optional text in the plot's label strip. It is added to the
// legend by the caller.
type vline struct {
	X     float64
	Style draw.LineStyle
	Text  string
	// TextStyle is the style of Text.
	TextStyle text.Style
	strip     *labelStrip
}

// newVLine returns a line of colour c at x whose text (when label is not
// empty) goes in strip.
func newVLine(x float64, c color.Color, dashed bool, label string, strip *labelStrip) *vline {
	v := &vline{X: x, Text: label, strip: strip}
	v.Style = draw.LineStyle{Color: c, Width: vg.Points(1.6)}
	if dashed {
		v.Style.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	v.TextStyle = text.Style{
		Color:   c,
		Font:    font.From(sansFont, 9),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
	return v
}

// Plot implements plot.Plotter.
func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	if !isFinite(v.X) || v.X < p.X.Min || v.X > p.X.Max {
		return
	}
	x := c.X(p.X.Norm(v.X))
	c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
	if v.Text == "" || v.strip == nil {
		return
	}
	sty := v.TextStyle
	w := sty.Width(v.Text)
	// Right of the line, else left of it, always within the data width.
	left := x + vg.Points(3)
	if left+w > c.Max.X {
		left = x - vg.Points(3) - w
	}
	left = max(c.Min.X, min(left, c.Max.X-w))
	pt := vg.Point{X: left, Y: c.Max.Y + vg.Points(2)}
	row, ok := v.strip.place(left, left+w)
	if !ok {
		return // every row is taken: the legend names the line
	}
	pt.Y += vg.Points(labelRowHeight * float64(row))
	c.FillText(sty, pt, v.Text)
}

// Thumbnail implements plot.Thumbnailer: a horizontal stroke of the line's
// style, which reads better in a legend than a short vertical one.
func (v *vline) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(v.Style, c.Min.X, y, c.Max.X, y)
}

// pointLabel is the text of one scatter point, at (X, Y) in data units;
// a point without text is kept clear but not named.
type pointLabel struct {
	X, Y float64
	Text string
}

// pointLabels writes the texts of scatter points where they cover no
// point, no line of avoid and no other text.
type pointLabels struct {
	points []pointLabel
	// radius is the radius of the points' glyphs.
	radius vg.Length
	// avoid are polylines (data units) the texts must not cross.
	avoid [][]pointLabel
	style text.Style
}

// Plot implements plot.Plotter.
func (pl *pointLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	type group struct {
		at   vg.Point
		text string
	}
	// Points drawn on top of each other share one text.
	var groups []group
	var glyphs []vg.Rectangle
	for _, pt := range pl.points {
		if !isFinite(pt.X) || !isFinite(pt.Y) {
			continue
		}
		at := vg.Point{X: trX(pt.X), Y: trY(pt.Y)}
		glyphs = append(glyphs, vg.Rectangle{Min: at.Sub(vg.Point{X: pl.radius, Y: pl.radius}), Max: at.Add(vg.Point{X: pl.radius, Y: pl.radius})})
		merged := false
		for i := range groups {
			if math.Hypot(float64(groups[i].at.X-at.X), float64(groups[i].at.Y-at.Y)) < float64(pl.radius) {
				switch {
				case groups[i].text == "":
					groups[i].text = pt.Text
				case pt.Text != "":
					groups[i].text += ", " + pt.Text
				}
				merged = true
				break
			}
		}
		if !merged {
			groups = append(groups, group{at: at, text: pt.Text})
		}
	}
	var lines [][2]vg.Point
	for _, poly := range pl.avoid {
		for i := 1; i < len(poly); i++ {
			lines = append(lines, [2]vg.Point{{X: trX(poly[i-1].X), Y: trY(poly[i-1].Y)}, {X: trX(poly[i].X), Y: trY(poly[i].Y)}})
		}
	}
	leader := draw.LineStyle{Color: colGrey, Width: vg.Points(0.5)}
	items := make([]labelItem, len(groups))
	for i, g := range groups {
		items[i] = labelItem{At: g.at, Text: g.text}
		if g.text != "" {
			box := pl.style.Rectangle(g.text) // at the origin, XLeft/YBottom
			items[i].W, items[i].H = box.Max.X-box.Min.X, box.Max.Y-box.Min.Y
		}
	}
	bounds := vg.Rectangle{Min: c.Min, Max: c.Max}
	for i, pos := range placeLabels(items, pl.radius, bounds, glyphs, lines) {
		if !pos.OK {
			continue // no free place anywhere near: leave the point unnamed
		}
		if pos.Leader {
			c.StrokeLine2(leader, pos.From.X, pos.From.Y, pos.To.X, pos.To.Y)
		}
		box := pl.style.Rectangle(items[i].Text)
		c.FillText(pl.style, vg.Point{X: pos.Rect.Min.X, Y: pos.Rect.Min.Y - box.Min.Y}, items[i].Text)
	}
}

// labelItem is a point to name: its place on the canvas, its text (empty
// for a point only to keep clear) and the text's size.
type labelItem struct {
	At   vg.Point
	Text string
	W, H vg.Length
}

// labelPos is where placeLabels puts an item's text: Rect, and a leader
// line From the point To the text when the text is not next to it. OK is
// false for a text with no place (the point stays unnamed).
type labelPos struct {
	Rect     vg.Rectangle
	OK       bool
	Leader   bool
	From, To vg.Point
}

// placeLabels finds a place for each item's text within bounds, clear of
// every glyph, every segment of lines and every other text, such that the
// text is unambiguously its own point's:
//
//   - a text beside its point is nearer to it than to any other point, and
//     a text further out is beside no other point, so that a reader pairs
//     each name with the right point;
//   - its leader line, when it has one, crosses no other point, text or
//     leader.
//
// The places are tried ring by ring (see spotCandidates): every point gets
// a place next to it, if one is free, before any point's text moves further
// out, so that a text far from its point does not take the place beside a
// neighbour.
func placeLabels(items []labelItem, radius vg.Length, bounds vg.Rectangle, glyphs []vg.Rectangle, lines [][2]vg.Point) []labelPos {
	out := make([]labelPos, len(items))
	var placed []vg.Rectangle
	var leaders [][2]vg.Point
	// First with leaders that cross no line to avoid; then, for the texts
	// still without a place, leaders may cross such a line (never another
	// leader, point or text).
	for pass := 0; pass < 2; pass++ {
		for ring := 0; ring < labelRings; ring++ {
			for i, it := range items {
				if it.Text == "" || out[i].OK {
					continue
				}
				for _, ll := range spotCandidates(it.At, it.W, it.H, radius, ring) {
					r := vg.Rectangle{Min: ll, Max: vg.Point{X: ll.X + it.W, Y: ll.Y + it.H}}
					if r.Min.X < bounds.Min.X || r.Max.X > bounds.Max.X || r.Min.Y < bounds.Min.Y || r.Max.Y > bounds.Max.Y {
						continue
					}
					if overlapsAny(r, glyphs, vg.Points(1)) || overlapsAny(r, placed, vg.Points(2)) ||
						crossesAny(r, lines, vg.Points(1)) || crossesAny(r, leaders, vg.Points(1)) {
						continue
					}
					own := distanceToRect(it.At, r)
					beside := float64(radius) + float64(vg.Points(8))
					if !ownPoint(i, items, r, own, beside) {
						continue
					}
					pos := labelPos{Rect: r, OK: true}
					if own > beside {
						pos.Leader = true
						pos.From = it.At
						pos.To = vg.Point{X: clampX(it.At.X, r), Y: clampY(it.At.Y, r)}
						keepClear := leaders[:len(leaders):len(leaders)]
						if pass == 0 {
							keepClear = append(keepClear, lines...)
						}
						if !leaderClear(pos.From, pos.To, i, items, radius, placed, keepClear) {
							continue
						}
						leaders = append(leaders, [2]vg.Point{pos.From, pos.To})
					}
					out[i] = pos
					placed = append(placed, r)
					break
				}
			}
		}
	}
	return out
}

// ownPoint reports whether the text at r reads as item self's: a text
// beside its point (own, its distance, is at most beside) is nearer to it
// than to any other point; a text further out, joined to its point by a
// leader line, is beside no other point.
func ownPoint(self int, items []labelItem, r vg.Rectangle, own, beside float64) bool {
	for j, o := range items {
		if j == self {
			continue
		}
		d := distanceToRect(o.At, r)
		if own <= beside && d <= own || own > beside && d <= beside {
			return false
		}
	}
	return true
}

// labelRings is how many rings of places around a point placeLabels tries.
const labelRings = 12

// leaderClear reports whether the leader from a to b (of item self)
// passes clear of every other point (its round glyph), every placed text and every segment
// of lines (the other leaders and the lines to avoid).
func leaderClear(a, b vg.Point, self int, items []labelItem, radius vg.Length, placed []vg.Rectangle, lines [][2]vg.Point) bool {
	for j, o := range items {
		if j == self {
			continue
		}
		if distanceToSegment(o.At, a, b) <= float64(radius) {
			return false
		}
	}
	for _, r := range placed {
		if segmentMeetsRect(a, b, r) {
			return false
		}
	}
	for _, l := range lines {
		if segmentsCross(a, b, l[0], l[1]) {
			return false
		}
	}
	return true
}

// distanceToSegment is the distance from p to the segment a–b.
func distanceToSegment(p, a, b vg.Point) float64 {
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, (float64(p.X-a.X)*dx+float64(p.Y-a.Y)*dy)/l))
	}
	return math.Hypot(float64(a.X)+t*dx-float64(p.X), float64(a.Y)+t*dy-float64(p.Y))
}

// segmentsCross reports whether the segments a–b and c–d intersect.
func segmentsCross(a, b, c, d vg.Point) bool {
	orient := func(p, q, r vg.Point) float64 {
		return float64(q.X-p.X)*float64(r.Y-p.Y) - float64(q.Y-p.Y)*float64(r.X-p.X)
	}
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

// spotCandidates returns the lower-left corners of the places tried for a
// w × h text around at in ring ring (0 is next to the point, each ring 10
// points further out): right, upper right, lower right, left, upper left,
// lower left, above, below.
func spotCandidates(at vg.Point, w, h, radius vg.Length, ring int) [8]vg.Point {
	d := radius + vg.Points(3) + vg.Points(10*float64(ring))
	return [...]vg.Point{
		{X: at.X + d, Y: at.Y - h/2},
		{X: at.X + d*0.7, Y: at.Y + d*0.7},
		{X: at.X + d*0.7, Y: at.Y - d*0.7 - h},
		{X: at.X - d - w, Y: at.Y - h/2},
		{X: at.X - d*0.7 - w, Y: at.Y + d*0.7},
		{X: at.X - d*0.7 - w, Y: at.Y - d*0.7 - h},
		{X: at.X - w/2, Y: at.Y + d},
		{X: at.X - w/2, Y: at.Y - d - h},
	}
}

// crossesAny reports whether a segment of lines passes through r grown by
// pad.
func crossesAny(r vg.Rectangle, lines [][2]vg.Point, pad vg.Length) bool {
	g := vg.Rectangle{Min: r.Min.Sub(vg.Point{X: pad, Y: pad}), Max: r.Max.Add(vg.Point{X: pad, Y: pad})}
	for _, l := range lines {
		if segmentMeetsRect(l[0], l[1], g) {
			return true
		}
	}
	return false
}

// segmentMeetsRect reports whether the segment a–b has a point inside r
// (Liang–Barsky clipping).
func segmentMeetsRect(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = math.Min(t1, t)
		}
		return true
	}
	return clip(-dx, float64(a.X-r.Min.X)) && clip(dx, float64(r.Max.X-a.X)) &&
		clip(-dy, float64(a.Y-r.Min.Y)) && clip(dy, float64(r.Max.Y-a.Y)) && t0 <= t1
}

func clampX(x vg.Length, r vg.Rectangle) vg.Length { return max(r.Min.X, min(x, r.Max.X)) }
func clampY(y vg.Length, r vg.Rectangle) vg.Length { return max(r.Min.Y, min(y, r.Max.Y)) }

// distanceToRect is the distance from p to the nearest point of r.
func distanceToRect(p vg.Point, r vg.Rectangle) float64 {
	return math.Hypot(float64(p.X-clampX(p.X, r)), float64(p.Y-clampY(p.Y, r)))
}

// compile-time checks of the plotters' interfaces.
var (
	_ plot.Plotter     = (*labelStrip)(nil)
	_ plot.Plotter     = (*vline)(nil)
	_ plot.Thumbnailer = (*vline)(nil)
	_ plot.Plotter     = (*pointLabels)(nil)
)
