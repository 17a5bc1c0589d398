package chart

import (
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// spacedLines draws a text of several lines a font height apart (ascent,
// descent and line gap), where gonum's plain handler puts them one font
// size apart, so that a descender of one line can touch an ascender of the
// next. Its box (text.Style.Height) is already that of lines a font height
// apart. It draws rotated text as the plain handler does.
type spacedLines struct{ text.Plain }

// Draw implements text.Handler.
func (h spacedLines) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	lines := h.Lines(txt)
	if len(lines) <= 1 || sty.Rotation != 0 {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	e := fnt.Extents()
	c.SetColor(sty.Color)
	top := pt.Y + sty.Height(txt)*vg.Length(sty.YAlign+1)
	for i, line := range lines {
		x := pt.X + vg.Length(sty.XAlign)*fnt.Width(line)
		c.FillString(fnt, vg.Point{X: x, Y: top - e.Ascent - vg.Length(i)*e.Height}, line)
	}
}

// withSpacedLines returns sty drawing its lines a font height apart.
func withSpacedLines(sty text.Style) text.Style {
	switch h := sty.Handler.(type) {
	case text.Plain:
		sty.Handler = spacedLines{h}
	case *text.Plain:
		sty.Handler = spacedLines{*h}
	}
	return sty
}
