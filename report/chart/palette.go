package chart

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The colours of every chart come from one colour-blind-safe qualitative
// palette, Paul Tol's "muted" scheme (P. Tol, "Colour Schemes", SRON
// technical note SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/),
// plus neutral greys for axes, text and "no meaning" (TestPalette checks
// that no other colour appears and that the colours stay apart under
// simulated protanopia, deuteranopia and tritanopia).
var (
	tolIndigo = color.NRGBA{R: 0x33, G: 0x22, B: 0x88, A: 0xff}
	tolCyan   = color.NRGBA{R: 0x88, G: 0xcc, B: 0xee, A: 0xff}
	tolTeal   = color.NRGBA{R: 0x44, G: 0xaa, B: 0x99, A: 0xff}
	tolGreen  = color.NRGBA{R: 0x11, G: 0x77, B: 0x33, A: 0xff}
	tolOlive  = color.NRGBA{R: 0x99, G: 0x99, B: 0x33, A: 0xff}
	tolSand   = color.NRGBA{R: 0xdd, G: 0xcc, B: 0x77, A: 0xff}
	tolRose   = color.NRGBA{R: 0xcc, G: 0x66, B: 0x77, A: 0xff}
	tolWine   = color.NRGBA{R: 0x88, G: 0x22, B: 0x55, A: 0xff}
	tolPurple = color.NRGBA{R: 0xaa, G: 0x44, B: 0x99, A: 0xff}

	colGrey     = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff}
	colDarkGrey = color.NRGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
)

// Colours by meaning. Healthy, broken and in transition are green, rose
// and sand: apart in lightness as well as hue, so that they stay apart
// without colour vision.
var (
	colHealthy    = tolGreen
	colBroken     = tolRose
	colTransition = tolSand
	colRunning    = tolCyan
	colOutage     = tolWine
	colPartition  = tolPurple
	colT0         = tolWine
	colRecover    = tolGreen
	colMoved      = tolIndigo
	colObjective  = tolWine
	colFront      = tolRose
)

// seriesColours are the colours of series without a meaning-bound colour
// (scenarios, stores, regions), in the order they are used: the palette's
// nine, dark and saturated first, the lightest last.
var seriesColours = [...]color.NRGBA{tolIndigo, tolRose, tolGreen, tolCyan, tolWine, tolTeal, tolOlive, tolPurple, tolSand}

// servingColours are the colours of the regions on the timeline's serving
// lane: none of them is a state colour.
var servingColours = [...]color.NRGBA{tolIndigo, tolTeal, tolOlive, tolPurple}

// palette is every colour a chart may use besides neutral greys.
var palette = [...]color.NRGBA{tolIndigo, tolCyan, tolTeal, tolGreen, tolOlive, tolSand, tolRose, tolWine, tolPurple}

func seriesColour(i int) color.Color { return seriesColours[i%len(seriesColours)] }

// seriesGlyphs mark the points of series i, so that two series stay apart
// where their colours do not (in print, or for a reader who cannot tell
// them): a different shape for each of the first eight.
var seriesGlyphs = [...]draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
	draw.RingGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.PlusGlyph{},
}

func seriesGlyph(i int) draw.GlyphDrawer { return seriesGlyphs[i%len(seriesGlyphs)] }

// dashes cycles line dash patterns so that series that share a colour
// (from the tenth on) stay apart.
func dashes(i int) []vg.Length {
	switch (i / len(seriesColours)) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}

// scenarioColours are the colours of the compared scenarios: the palette
// less wine, the colour of objective lines, ordered so that the pairs that
// are hardest to tell apart (rose and purple, olive and sand, cyan and
// teal) are far apart and differ in dash pattern too (scenarioDashes).
var scenarioColours = [...]color.NRGBA{tolIndigo, tolRose, tolGreen, tolCyan, tolTeal, tolOlive, tolPurple, tolSand}

// scenarioColour is the colour of compared scenario i.
func scenarioColour(i int) color.Color { return scenarioColours[i%len(scenarioColours)] }

// scenarioDashes is the dash pattern of compared scenario i: solid for
// the first four colours, dashed for teal and olive, dotted for purple
// and sand, so that no two similar colours share a pattern; from the
// ninth scenario on, when colours repeat, dash-dot.
func scenarioDashes(i int) []vg.Length {
	if i >= len(scenarioColours) {
		return []vg.Length{vg.Points(7), vg.Points(2), vg.Points(2), vg.Points(2)}
	}
	switch i {
	case 4, 5:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 6, 7:
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}
