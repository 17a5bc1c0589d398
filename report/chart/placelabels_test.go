package chart

import (
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
)

// Every text placeLabels puts is its own point's: beside it and nearer to
// it than to any other point, or joined to it by a leader and beside no
// other point; no two leaders cross. The points are those of a 9-scenario
// cost chart whose texts went beside the wrong points, their leaders
// crossing (two close points, one of them a pair drawn as one).
func TestPlaceLabelsPairsEachTextWithItsPoint(t *testing.T) {
	const radius = vg.Length(5)
	cases := map[string][]labelItem{
		"cost chart": {
			{At: vg.Point{X: 264.5, Y: 173.5}, Text: "a\nb", W: 135.6, H: 20.4},
			{At: vg.Point{X: 405, Y: 182}, Text: "backup", W: 150, H: 10},
			{At: vg.Point{X: 306, Y: 204}, Text: "pilot", W: 113, H: 10},
			{At: vg.Point{X: 230.6, Y: 220.6}, Text: "warm", W: 133, H: 10},
			{At: vg.Point{X: 243, Y: 155.3}, Text: "arc", W: 149, H: 10},
			{At: vg.Point{X: 246.3, Y: 127.6}, Text: "health", W: 188, H: 10},
			{At: vg.Point{X: 92.6, Y: 286.5}, Text: "active", W: 127, H: 10},
			{At: vg.Point{X: 492.8, Y: 127.6}, Text: "route53", W: 162, H: 10},
		},
		"crowded": {
			{At: vg.Point{X: 100, Y: 100}, Text: "first", W: 60, H: 10},
			{At: vg.Point{X: 112, Y: 104}, Text: "second", W: 60, H: 10},
			{At: vg.Point{X: 106, Y: 118}, Text: "third", W: 60, H: 10},
			{At: vg.Point{X: 96, Y: 88}, Text: "fourth", W: 60, H: 10},
		},
	}
	bounds := vg.Rectangle{Max: vg.Point{X: 660, Y: 320}}
	for name, items := range cases {
		t.Run(name, func(t *testing.T) {
			var glyphs []vg.Rectangle
			for _, it := range items {
				glyphs = append(glyphs, vg.Rectangle{Min: it.At.Sub(vg.Point{X: radius, Y: radius}), Max: it.At.Add(vg.Point{X: radius, Y: radius})})
			}
			// the staircase of the cost chart's front, to keep clear
			lines := [][2]vg.Point{{{X: 243, Y: 220.6}, {X: 243, Y: 155.3}}, {{X: 246.3, Y: 155.3}, {X: 246.3, Y: 127.6}}}
			out := placeLabels(items, radius, bounds, glyphs, lines)
			beside := float64(radius) + float64(vg.Points(8))
			var leaders [][2]vg.Point
			for i, pos := range out {
				if !pos.OK {
					t.Errorf("%q has no place", items[i].Text)
					continue
				}
				own := distanceToRect(items[i].At, pos.Rect)
				if pos.Leader != (own > beside) {
					t.Errorf("%q: leader %v at distance %.1f", items[i].Text, pos.Leader, own)
				}
				for j, o := range items {
					if j == i {
						continue
					}
					d := distanceToRect(o.At, pos.Rect)
					if !pos.Leader && d <= own {
						t.Errorf("%q is %.1f from %q's point, %.1f from its own", items[i].Text, d, o.Text, own)
					}
					if pos.Leader && d <= beside {
						t.Errorf("%q (with a leader) is beside %q's point (%.1f)", items[i].Text, o.Text, d)
					}
				}
				if pos.Leader {
					if math.Hypot(float64(pos.From.X-items[i].At.X), float64(pos.From.Y-items[i].At.Y)) != 0 {
						t.Errorf("%q: leader starts at %v, not at its point", items[i].Text, pos.From)
					}
					leaders = append(leaders, [2]vg.Point{pos.From, pos.To})
				}
			}
			for a := range leaders {
				for b := a + 1; b < len(leaders); b++ {
					if segmentsCross(leaders[a][0], leaders[a][1], leaders[b][0], leaders[b][1]) {
						t.Errorf("leaders %v and %v cross", leaders[a], leaders[b])
					}
				}
			}
		})
	}
}

func TestSegmentsCross(t *testing.T) {
	p := func(x, y float64) vg.Point { return vg.Point{X: vg.Length(x), Y: vg.Length(y)} }
	if !segmentsCross(p(0, 0), p(10, 10), p(0, 10), p(10, 0)) {
		t.Error("an X does not cross")
	}
	if segmentsCross(p(0, 0), p(10, 0), p(0, 5), p(10, 5)) {
		t.Error("parallel segments cross")
	}
}
