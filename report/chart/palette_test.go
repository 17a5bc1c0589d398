package chart

import (
	"image/color"
	"math"
	"testing"
)

// Colour difference under colour vision deficiency: sRGB is linearised,
// passed through the Machado, Oliveira and Fernandes (2009) simulation
// matrices at full severity ("A Physiologically-based Model for Simulation
// of Color Vision Deficiency", IEEE TVCG 15(6)), converted to CIELAB (D65)
// and compared with CIEDE2000 (Sharma, Wu and Dalal, "The CIEDE2000
// Color-Difference Formula: Implementation Notes", 2005).

var cvdMatrices = map[string][3][3]float64{
	"normal":       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
}

func srgbToLinear(c float64) float64 {
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

func linearToSRGB(c float64) float64 {
	c = math.Max(0, math.Min(1, c))
	if c <= 0.0031308 {
		return 12.92 * c
	}
	return 1.055*math.Pow(c, 1/2.4) - 0.055
}

// simulate returns c as seen with the deficiency m, in sRGB [0, 1].
func simulate(c color.NRGBA, m [3][3]float64) [3]float64 {
	l := [3]float64{srgbToLinear(float64(c.R) / 255), srgbToLinear(float64(c.G) / 255), srgbToLinear(float64(c.B) / 255)}
	var o [3]float64
	for i := range o {
		o[i] = linearToSRGB(m[i][0]*l[0] + m[i][1]*l[1] + m[i][2]*l[2])
	}
	return o
}

// lab converts sRGB [0, 1] to CIELAB under D65.
func lab(c [3]float64) [3]float64 {
	r, g, b := srgbToLinear(c[0]), srgbToLinear(c[1]), srgbToLinear(c[2])
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// deltaE2000 is the CIEDE2000 difference of two CIELAB colours.
func deltaE2000(a, b [3]float64) float64 {
	rad := math.Pi / 180
	c1, c2 := math.Hypot(a[1], a[2]), math.Hypot(b[1], b[2])
	cb7 := math.Pow((c1+c2)/2, 7)
	g := 0.5 * (1 - math.Sqrt(cb7/(cb7+math.Pow(25, 7))))
	a1, a2 := (1+g)*a[1], (1+g)*b[1]
	c1p, c2p := math.Hypot(a1, a[2]), math.Hypot(a2, b[2])
	hue := func(y, x float64) float64 {
		if x == 0 && y == 0 {
			return 0
		}
		h := math.Atan2(y, x) / rad
		if h < 0 {
			h += 360
		}
		return h
	}
	h1, h2 := hue(a[2], a1), hue(b[2], a2)
	dL, dC := b[0]-a[0], c2p-c1p
	dh := 0.0
	if c1p*c2p != 0 {
		dh = h2 - h1
		switch {
		case dh > 180:
			dh -= 360
		case dh < -180:
			dh += 360
		}
	}
	dH := 2 * math.Sqrt(c1p*c2p) * math.Sin(dh*rad/2)
	lm, cm := (a[0]+b[0])/2, (c1p+c2p)/2
	hm := h1 + h2
	if c1p*c2p != 0 {
		switch {
		case math.Abs(h1-h2) <= 180:
			hm = (h1 + h2) / 2
		case h1+h2 < 360:
			hm = (h1 + h2 + 360) / 2
		default:
			hm = (h1 + h2 - 360) / 2
		}
	}
	tt := 1 - 0.17*math.Cos((hm-30)*rad) + 0.24*math.Cos(2*hm*rad) + 0.32*math.Cos((3*hm+6)*rad) - 0.20*math.Cos((4*hm-63)*rad)
	dTheta := 30 * math.Exp(-math.Pow((hm-275)/25, 2))
	cm7 := math.Pow(cm, 7)
	rc := 2 * math.Sqrt(cm7/(cm7+math.Pow(25, 7)))
	sl := 1 + 0.015*math.Pow(lm-50, 2)/math.Sqrt(20+math.Pow(lm-50, 2))
	sc := 1 + 0.045*cm
	sh := 1 + 0.015*cm*tt
	rt := -math.Sin(2*dTheta*rad) * rc
	return math.Sqrt(math.Pow(dL/sl, 2) + math.Pow(dC/sc, 2) + math.Pow(dH/sh, 2) + rt*(dC/sc)*(dH/sh))
}

// worstDelta is the smallest CIEDE2000 difference of a and b over normal
// vision and the three simulated dichromacies, and where it is.
func worstDelta(a, b color.NRGBA) (float64, string) {
	worst, where := math.Inf(1), ""
	for _, name := range []string{"normal", "protanopia", "deuteranopia", "tritanopia"} {
		m := cvdMatrices[name]
		if d := deltaE2000(lab(simulate(a, m)), lab(simulate(b, m))); d < worst {
			worst, where = d, name
		}
	}
	return worst, where
}

func TestDeltaE2000(t *testing.T) {
	// Sharma, Wu and Dalal's test data, pairs 1, 7 and 17.
	for _, tt := range []struct {
		a, b [3]float64
		want float64
	}{
		{[3]float64{50, 2.6772, -79.7751}, [3]float64{50, 0, -82.7485}, 2.0425},
		{[3]float64{50, 0, 0}, [3]float64{50, -1, 2}, 2.3669},
		{[3]float64{50, 2.5, 0}, [3]float64{73, 25, -18}, 27.1492},
	} {
		if got := deltaE2000(tt.a, tt.b); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("ΔE00(%v, %v) = %.4f, want %.4f", tt.a, tt.b, got, tt.want)
		}
	}
}

// minDelta is the smallest difference the palette keeps between two
// series, or between two state colours, under any simulated vision:
// CIEDE2000 ≥ 10 reads as clearly different colours.
const minDelta = 10

// TestPalette: the series colours (the first eight, one per scenario of an
// 8-scenario comparison) and the state colours of the timeline stay
// apart for readers with protanopia, deuteranopia and tritanopia, and no
// chart uses a colour outside the palette besides greys.
func TestPalette(t *testing.T) {
	sets := map[string][]color.NRGBA{
		"series (first 8)": seriesColours[:8],
		"states":           {colHealthy, colBroken, colTransition, colRunning, colOutage, colPartition},
		"serving":          servingColours[:],
		"marks":            {colT0, colRecover, colMoved},
	}
	for name, set := range sets {
		for i := range set {
			for j := i + 1; j < len(set); j++ {
				if d, where := worstDelta(set[i], set[j]); d < minDelta {
					t.Errorf("%s: %v and %v differ by ΔE00 %.1f with %s, want ≥ %d", name, set[i], set[j], d, where, minDelta)
				}
			}
		}
	}
	// Series that share a colour (from the tenth on) differ by their
	// dashes; the first eight by their marks.
	seen := map[string]bool{}
	for i := 0; i < 8; i++ {
		k := glyphName(i)
		if seen[k] {
			t.Errorf("series %d has the mark of an earlier one (%s)", i, k)
		}
		seen[k] = true
	}

	allowed := map[string]bool{}
	for _, c := range palette {
		allowed[hexOf(c.R, c.G, c.B)] = true
	}
	for name, doc := range allChartSVGs(t) {
		for _, c := range svgColours(doc) {
			if !allowed[c] && !isNeutral(c) {
				t.Errorf("%s uses %s, which is neither in the palette nor a grey", name, c)
			}
		}
	}
}

// glyphName names the mark of series i.
func glyphName(i int) string {
	return typeName(seriesGlyph(i))
}
