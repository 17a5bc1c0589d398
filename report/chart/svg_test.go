package chart

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// What a test reads back from a rendered SVG: the boxes of its texts and
// the paths it strokes and fills, in the canvas coordinates of the chart
// (points, y up), as vgsvg writes them.

// svgText is a text of the SVG and the box it covers.
type svgText struct {
	Text string
	Box  vg.Rectangle
}

// svgPath is a path of the SVG: its points (M and L commands), whether it
// has arcs (glyphs), and its style.
type svgPath struct {
	Pts          []vg.Point
	Arcs         bool
	Fill, Stroke string // "#RRGGBB", "" when none
	Width        float64
}

type svgDoc struct {
	W, H  float64
	Texts []svgText
	Paths []svgPath
}

var (
	svgViewBox = regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)
	svgTextRE  = regexp.MustCompile(`(?s)<text x="([-0-9.e]+)" y="([-0-9.e]+)" transform="scale\(1, -1\)"\s*style="([^"]*)">([^<]*)</text>`)
	svgPathRE  = regexp.MustCompile(`<path d="([^"]*)" style="([^"]*)"`)
	svgRotated = regexp.MustCompile(`(?s)<g transform="rotate\([^)]*\)">.*?</g>`)
	svgNumber  = regexp.MustCompile(`[-0-9.e]+`)
)

// parseSVG reads the texts (outside rotated groups: the y axis title) and
// paths of a chart's SVG, measuring each text with the font the chart
// names.
func parseSVG(t *testing.T, doc []byte) svgDoc {
	t.Helper()
	s := string(doc)
	var d svgDoc
	m := svgViewBox.FindStringSubmatch(s)
	if m == nil {
		t.Fatal("svg has no viewBox")
	}
	d.W, _ = strconv.ParseFloat(m[1], 64)
	d.H, _ = strconv.ParseFloat(m[2], 64)
	flat := svgRotated.ReplaceAllString(s, "")
	for _, m := range svgTextRE.FindAllStringSubmatch(flat, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		style := styleMap(m[3])
		size, _ := strconv.ParseFloat(strings.TrimSuffix(style["font-size"], "px"), 64)
		f := sansFont
		if style["font-weight"] == "bold" {
			f = boldFont
		}
		sty := text.Style{Font: font.From(f, vg.Points(size)), Handler: plot.DefaultTextHandler}
		str := html.UnescapeString(m[4])
		e := sty.FontExtents()
		base := vg.Points(-y)
		d.Texts = append(d.Texts, svgText{Text: str, Box: vg.Rectangle{
			Min: vg.Point{X: vg.Points(x), Y: base - e.Descent},
			Max: vg.Point{X: vg.Points(x) + sty.Width(str), Y: base + e.Ascent},
		}})
	}
	for _, m := range svgPathRE.FindAllStringSubmatch(s, -1) {
		style := styleMap(m[2])
		p := svgPath{Arcs: strings.Contains(m[1], "A"), Fill: style["fill"], Stroke: style["stroke"]}
		if p.Fill == "none" {
			p.Fill = ""
		}
		if _, ok := style["fill"]; !ok {
			p.Fill = "#000000"
		}
		if p.Stroke == "none" {
			p.Stroke = ""
		}
		p.Width, _ = strconv.ParseFloat(style["stroke-width"], 64)
		for _, cmd := range regexp.MustCompile(`[ML][^MLAZ]*`).FindAllString(m[1], -1) {
			nums := svgNumber.FindAllString(cmd[1:], -1)
			if len(nums) < 2 {
				continue
			}
			x, _ := strconv.ParseFloat(nums[0], 64)
			y, _ := strconv.ParseFloat(nums[1], 64)
			p.Pts = append(p.Pts, vg.Point{X: vg.Points(x), Y: vg.Points(y)})
		}
		d.Paths = append(d.Paths, p)
	}
	return d
}

// styleMap splits "a:b;c:d".
func styleMap(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(kv, ":")
		if ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// isNeutral reports whether a "#RRGGBB" colour is a grey (black and white
// included).
func isNeutral(c string) bool {
	return len(c) == 7 && c[1:3] == c[3:5] && c[3:5] == c[5:7]
}

// dataLines are the stroked, unfilled paths in a colour (not grey): the
// curves, series and marker lines of a chart.
func (d *svgDoc) dataLines() []svgPath {
	var out []svgPath
	for _, p := range d.Paths {
		if p.Stroke != "" && p.Fill == "" && !isNeutral(p.Stroke) && !p.Arcs && len(p.Pts) >= 2 {
			out = append(out, p)
		}
	}
	return out
}

// boxesOverlap reports whether a and b share an area more than tol points
// deep in both directions.
func boxesOverlap(a, b vg.Rectangle, tol vg.Length) bool {
	return min(a.Max.X, b.Max.X)-max(a.Min.X, b.Min.X) > tol && min(a.Max.Y, b.Max.Y)-max(a.Min.Y, b.Min.Y) > tol
}

// shrink returns r moved in by d on every side.
func shrink(r vg.Rectangle, d vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: r.Min.Add(vg.Point{X: d, Y: d}), Max: r.Max.Sub(vg.Point{X: d, Y: d})}
}

// checkLabels fails when a text of the chart covers another, crosses a
// data line, or leaves the canvas.
func checkLabels(t *testing.T, name string, doc []byte) {
	t.Helper()
	d := parseSVG(t, doc)
	if len(d.Texts) == 0 {
		t.Fatalf("%s: no text found in the SVG", name)
	}
	for i, a := range d.Texts {
		if a.Box.Min.X < -0.5 || a.Box.Max.X > vg.Points(d.W)+0.5 || a.Box.Min.Y < -0.5 || a.Box.Max.Y > vg.Points(d.H)+0.5 {
			t.Errorf("%s: text %q at %v leaves the %gx%g canvas", name, a.Text, a.Box, d.W, d.H)
		}
		for _, b := range d.Texts[i+1:] {
			if boxesOverlap(a.Box, b.Box, 0.5) {
				t.Errorf("%s: texts %q %v and %q %v overlap", name, a.Text, a.Box, b.Text, b.Box)
			}
		}
		inner := shrink(a.Box, 0.5)
		for _, l := range d.dataLines() {
			for k := 1; k < len(l.Pts); k++ {
				if segmentMeetsRect(l.Pts[k-1], l.Pts[k], inner) {
					t.Errorf("%s: text %q %v is crossed by a %s line from %v to %v", name, a.Text, a.Box, l.Stroke, l.Pts[k-1], l.Pts[k])
					break
				}
			}
		}
	}
}

// svgColours returns every fill and stroke colour an SVG uses.
func svgColours(doc []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?:fill|stroke):(#[0-9A-Fa-f]{6})`).FindAllStringSubmatch(string(doc), -1) {
		out = append(out, strings.ToUpper(m[1]))
	}
	return out
}

// hexOf formats a palette colour as vgsvg does.
func hexOf(r, g, b uint8) string {
	return "#" + strings.ToUpper(strconv.FormatUint(uint64(r)<<16|uint64(g)<<8|uint64(b)|1<<24, 16)[1:])
}
