package chart

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

// Lane categories, in the order the timeline shows them (top to bottom).
const (
	laneOutage = iota
	lanePartition
	laneKey
	laneStep
	laneService
	laneServing
	laneOther
)

// laneCategory classifies a lane by its name (model.Segment.Lane).
func laneCategory(lane string) int {
	switch {
	case strings.HasPrefix(lane, "outage"):
		return laneOutage
	case strings.HasPrefix(lane, "partition"):
		return lanePartition
	case strings.HasPrefix(lane, "key "):
		return laneKey
	case strings.HasPrefix(lane, "step "):
		return laneStep
	case lane == "service":
		return laneService
	case lane == "serving" || strings.HasPrefix(lane, "serving"):
		return laneServing
	}
	return laneOther
}

// timelineLanes returns the distinct lanes of segs grouped by category,
// in order of first appearance within a category.
func timelineLanes(segs []model.Segment) []string {
	var lanes []string
	seen := map[string]bool{}
	for _, s := range segs {
		if !seen[s.Lane] {
			seen[s.Lane] = true
			lanes = append(lanes, s.Lane)
		}
	}
	sort.SliceStable(lanes, func(i, j int) bool {
		return laneCategory(lanes[i]) < laneCategory(lanes[j])
	})
	return lanes
}

// stateColour is the colour of a segment by its lane and label: healthy,
// broken, in transition, running, outages, partitions, and the serving
// regions in colours of their own (see palette.go).
func stateColour(lane, label string, servingIndex func(string) int) color.Color {
	cat := laneCategory(lane)
	switch cat {
	case laneOutage:
		return colOutage
	case lanePartition:
		return colPartition
	case laneServing:
		if l := strings.ToLower(label); l == "" || l == "none" || l == "down" {
			return colBroken
		}
		return servingColours[servingIndex(label)%len(servingColours)]
	}
	l := strings.ToLower(label)
	switch {
	case strings.Contains(l, "fail"), strings.Contains(l, "disabled"),
		strings.Contains(l, "deletion"), strings.Contains(l, "down"),
		strings.Contains(l, "inaccessible"), strings.Contains(l, "refus"),
		strings.Contains(l, "denied"), strings.Contains(l, "notfound"),
		strings.Contains(l, "missing"), strings.Contains(l, "deleted"),
		strings.Contains(l, "unreachable"):
		return colBroken
	case strings.Contains(l, "creating"), strings.Contains(l, "updating"),
		strings.Contains(l, "retry"), strings.Contains(l, "pending"),
		strings.Contains(l, "wait"), strings.Contains(l, "import"):
		return colTransition
	case strings.Contains(l, "enabled"), l == "up", strings.Contains(l, "done"),
		l == "ok", strings.Contains(l, "success"), strings.Contains(l, "serving"):
		return colHealthy
	case strings.Contains(l, "run"), strings.Contains(l, "active"):
		return colRunning
	}
	return colGrey
}

// isDark reports whether white text reads better than black on c.
func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	lum := 0.299*float64(r>>8) + 0.587*float64(g>>8) + 0.114*float64(b>>8)
	return lum < 150
}

type laneBar struct {
	lane   int
	x0, x1 float64
	label  string
	fill   color.Color
}

// lanesPlotter draws bars on horizontal lanes; lane 0 is at the top.
type lanesPlotter struct {
	n    int
	bars []laneBar
	text text.Style
	// avoid are the x (data units) of the vertical lines drawn over the
	// lanes: a bar's text is moved off them, or left out.
	avoid []float64
}

// minBarWidth is the narrowest a bar is drawn, so that a 90 s step on a
// day-long timeline is still seen.
const minBarWidth = 4 // points

// Plot implements plot.Plotter.
func (lp *lanesPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	// Faint separators between lanes.
	sep := draw.LineStyle{Color: color.Gray{Y: 0xe4}, Width: vg.Points(0.5)}
	for i := 0; i <= lp.n; i++ {
		y := c.Y(p.Y.Norm(float64(i) - 0.5))
		c.StrokeLine2(sep, c.Min.X, y, c.Max.X, y)
	}
	// Wide bars first: a bar widened to the minimum is drawn over its
	// neighbours, not under them.
	order := make([]int, len(lp.bars))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ba, bb := lp.bars[order[a]], lp.bars[order[b]]
		return ba.x1-ba.x0 > bb.x1-bb.x0
	})
	for _, bi := range order {
		b := lp.bars[bi]
		x0 := math.Max(b.x0, p.X.Min)
		x1 := math.Min(b.x1, p.X.Max)
		if x1 <= x0 {
			continue
		}
		yc := float64(lp.n - 1 - b.lane)
		cx0, cx1 := c.X(p.X.Norm(x0)), c.X(p.X.Norm(x1))
		if w := vg.Points(minBarWidth); cx1-cx0 < w {
			// Keep very short states visible, centred on when they were.
			mid := (cx0 + cx1) / 2
			cx0, cx1 = max(c.Min.X, mid-w/2), min(c.Max.X, mid+w/2)
			if cx1-cx0 < w {
				if cx0 == c.Min.X {
					cx1 = cx0 + w
				} else {
					cx0 = cx1 - w
				}
			}
		}
		cy0, cy1 := c.Y(p.Y.Norm(yc-0.34)), c.Y(p.Y.Norm(yc+0.34))
		c.FillPolygon(b.fill, []vg.Point{{X: cx0, Y: cy0}, {X: cx1, Y: cy0}, {X: cx1, Y: cy1}, {X: cx0, Y: cy1}})
		c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(0.8)},
			[]vg.Point{{X: cx0, Y: cy0}, {X: cx0, Y: cy1}})
		if b.label == "" {
			continue
		}
		sty := lp.text
		if isDark(b.fill) {
			sty.Color = color.White
		}
		if x, ok := lp.textAt(c, p, cx0, cx1, sty.Width(b.label)); ok {
			c.FillText(sty, vg.Point{X: x, Y: (cy0 + cy1) / 2}, b.label)
		}
	}
}

// textAt returns where a text w wide starts in the bar from cx0 to cx1: 3
// points in, moved right past any vertical line it would cross; ok is false
// when it does not fit.
func (lp *lanesPlotter) textAt(c draw.Canvas, p *plot.Plot, cx0, cx1, w vg.Length) (vg.Length, bool) {
	pad := vg.Points(3)
	var lines []vg.Length
	for _, a := range lp.avoid {
		if a >= p.X.Min && a <= p.X.Max {
			lines = append(lines, c.X(p.X.Norm(a)))
		}
	}
	x := clearOf(cx0+pad, w, pad, lines)
	return x, x+w+pad <= cx1
}

// clearOf returns x moved right past every line of lines that a text from
// x−pad to x+w+pad would cross, each move to pad past a line. x only
// grows, so it ends: a move that rounding would not advance is not taken
// ((lx+pad)−pad can fall just below lx, and the text was then moved to
// the same place for ever).
func clearOf(x, w, pad vg.Length, lines []vg.Length) vg.Length {
	for moved := true; moved; {
		moved = false
		for _, lx := range lines {
			if nx := lx + pad; lx > x-pad && lx < x+w+pad && nx > x {
				x, moved = nx, true
			}
		}
	}
	return x
}

// DataRange implements plot.DataRanger.
func (lp *lanesPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, b := range lp.bars {
		xmin, xmax = math.Min(xmin, b.x0), math.Max(xmax, b.x1)
	}
	if len(lp.bars) == 0 {
		xmin, xmax = 0, 1
	}
	return xmin, xmax, -0.5, float64(lp.n) - 0.5
}

// traceWindow is the part of the representative trial the charts show:
// the whole horizon, or, when the action is concentrated, the span around
// every state change, T0 and the recovery.
func traceWindow(r *report.Report) (lo, hi sim.Time) {
	horizon := secondsToTime(r.HorizonSeconds)
	rep := r.Representative
	if rep == nil || horizon <= 0 {
		return 0, max(horizon, sim.Second)
	}
	first, last := horizon, sim.Time(0)
	note := func(t sim.Time) {
		if t <= 0 || t >= horizon {
			return
		}
		first, last = min(first, t), max(last, t)
	}
	for _, s := range rep.Segments {
		note(s.Start)
		note(s.End)
	}
	for _, e := range rep.Events {
		note(e.T)
	}
	if rep.T0Seconds != nil {
		t0 := secondsToTime(*rep.T0Seconds)
		note(t0)
		if rep.RTOSeconds != nil {
			note(t0 + secondsToTime(*rep.RTOSeconds))
		}
	}
	if first >= last {
		return 0, horizon
	}
	pad := max((last-first)/8, sim.Minute)
	lo, hi = max(first-pad, 0), min(last+pad, horizon)
	// Keep the whole horizon unless zooming makes a real difference.
	if hi-lo > horizon*2/3 {
		return 0, horizon
	}
	return lo, hi
}

// timelineTitle is the title of the timeline chart.
const timelineTitle = "Timeline of the representative trial"

// maxLaneName is the widest a lane name is written on the y axis.
const maxLaneName = 190 // points

// timelineChart draws the lanes of the representative trial.
func timelineChart(r *report.Report) (*Chart, error) {
	lo, hi := traceWindow(r)
	return timelineWindow(r, lo, hi)
}

// failoverTitle is the title of the failover chart.
const failoverTitle = "The failover of the representative trial"

// failoverWindow returns the window of the failover chart, from a little
// before T0 to a little after the recovery (a fifth of the RTO, at least a
// minute, each side); ok is false when the representative trial did not
// recover from an incident. The timeline shows the whole incident, in
// which a short failover is a sliver (issue: a 14-minute failover in a
// 9-hour timeline).
func failoverWindow(r *report.Report) (lo, hi sim.Time, ok bool) {
	rep := r.Representative
	if rep == nil || rep.T0Seconds == nil || rep.RTOSeconds == nil {
		return 0, 0, false
	}
	t0, rto := secondsToTime(*rep.T0Seconds), secondsToTime(*rep.RTOSeconds)
	pad := max(rto/5, sim.Minute)
	lo, hi = max(t0-pad, 0), t0+rto+pad
	if h := secondsToTime(r.HorizonSeconds); h > 0 {
		hi = min(hi, h)
	}
	return lo, hi, hi > lo
}

// failoverChart is the timeline zoomed to the failover (failoverWindow),
// nil when there is none.
func failoverChart(r *report.Report) (*Chart, error) {
	lo, hi, ok := failoverWindow(r)
	if !ok {
		return nil, nil
	}
	c, err := timelineWindow(r, lo, hi)
	if err != nil || c == nil {
		return c, err
	}
	c.Name, c.Title = "failover", failoverTitle
	c.Plot.Title.Text = strings.Replace(c.Plot.Title.Text, "Representative trial", "The failover of representative trial", 1)
	c.Caption = "The timeline above, zoomed to the failover: from T0, when the service went down, to its recovery, so that the runbook's steps can be read. " +
		"Bars that run off either edge continue beyond it (see the timeline)."
	return c, nil
}

// timelineWindow draws the timeline of the representative trial from lo
// to hi.
func timelineWindow(r *report.Report, lo, hi sim.Time) (*Chart, error) {
	rep := r.Representative
	u := pickUnit(float64(hi - lo))
	lanes := timelineLanes(rep.Segments)
	index := map[string]int{}
	for i, l := range lanes {
		index[l] = i
	}
	var servingOrder []string
	servingIndex := func(label string) int {
		for i, s := range servingOrder {
			if s == label {
				return i
			}
		}
		servingOrder = append(servingOrder, label)
		return len(servingOrder) - 1
	}
	horizon := secondsToTime(r.HorizonSeconds)
	lp := &lanesPlotter{n: len(lanes)}
	lp.text = text.Style{
		Color:   color.Black,
		Font:    font.From(sansFont, 8.5),
		XAlign:  draw.XLeft,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
	var legend []swatch
	seen := map[string]bool{}
	for _, s := range rep.Segments {
		end := s.End
		if end <= 0 || end > horizon {
			end = horizon // open segments run to the end of the trial
		}
		if end <= lo || s.Start >= hi || end <= s.Start {
			continue
		}
		fill := stateColour(s.Lane, s.Label, servingIndex)
		lp.bars = append(lp.bars, laneBar{
			lane:  index[s.Lane],
			x0:    u.of(s.Start),
			x1:    u.of(end),
			label: escape.Strip(s.Label),
			fill:  fill,
		})
		// One legend entry per colour, naming every state drawn in it.
		name := legendName(s.Lane, s.Label)
		if !seen[name] {
			seen[name] = true
			k := 0
			for k < len(legend) && legend[k].Fill != fill {
				k++
			}
			if k == len(legend) {
				legend = append(legend, swatch{Label: name, Fill: fill})
			} else {
				legend[k].Label += " / " + name
			}
		}
	}

	title := fmt.Sprintf("Representative trial #%d (median RTO)", rep.Trial)
	switch {
	case !rep.Incident:
		title = fmt.Sprintf("Representative trial #%d: no incident", rep.Trial)
	case rep.RTOSeconds != nil:
		title += ": RTO " + human.DurShort(*rep.RTOSeconds)
		if rep.RPOSeconds != nil {
			title += ", RPO " + human.DurShort(*rep.RPOSeconds)
		}
	default:
		title += ": not recovered within the horizon"
	}
	p := newPlot(title, "time since trial start", "")
	// The lines' texts: T0, the recovery, the move of traffic (one text
	// when the move is the recovery).
	type mark struct {
		at    sim.Time
		col   color.Color
		dash  []vg.Length
		text  string
		entry string
	}
	var marks []mark
	if rep.T0Seconds != nil {
		t0 := secondsToTime(*rep.T0Seconds)
		marks = append(marks, mark{t0, colT0, nil, "T0 " + human.DurShort(nsSeconds(t0)), "T0: service down"})
		if rep.RTOSeconds != nil {
			rt := t0 + secondsToTime(*rep.RTOSeconds)
			marks = append(marks, mark{rt, colRecover, []vg.Length{vg.Points(5), vg.Points(3)},
				"recovered " + human.DurShort(nsSeconds(rt)), "service up again (RTO " + human.DurShort(*rep.RTOSeconds) + ")"})
		}
	}
	if rep.FailoverAtSeconds != nil {
		ft := secondsToTime(*rep.FailoverAtSeconds)
		m := mark{ft, colMoved, []vg.Length{vg.Points(2), vg.Points(2)}, "traffic moved " + human.DurShort(nsSeconds(ft)), "traffic moved " + human.DurShort(nsSeconds(ft))}
		if n := len(marks); n > 1 && max(marks[n-1].at-ft, ft-marks[n-1].at) < sim.Second {
			// One line for both: a second one would hide the first.
			marks[n-1].text = "recovered, traffic moved " + human.DurShort(nsSeconds(ft))
			marks[n-1].entry = "service up again as traffic moved (RTO " + human.DurShort(*rep.RTOSeconds) + ")"
		} else {
			marks = append(marks, m)
		}
	}
	texts := 0
	for _, m := range marks {
		if m.text != "" {
			texts++
		}
	}
	strip := newLabelStrip(p, texts)
	addGrid(p, true, false)
	p.Add(lp)
	ticks := make([]plot.Tick, len(lanes))
	sty := p.Y.Tick.Label
	for i, l := range lanes {
		ticks[i] = plot.Tick{Value: float64(len(lanes) - 1 - i), Label: fitText(sty, escape.Strip(l), vg.Points(maxLaneName))}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Marker = timeTicks{u}
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	p.X.Min, p.X.Max = u.of(lo), u.of(hi)
	for _, m := range marks {
		lp.avoid = append(lp.avoid, u.of(m.at))
		l := newVLine(u.of(m.at), m.col, false, m.text, strip)
		l.Style.Dashes = m.dash
		p.Add(l)
		legend = append(legend, swatch{Label: m.entry, Line: &l.Style})
	}
	// 24 points a lane; many lanes share about a thousand points.
	perLane := 24.0
	if len(lanes) > 40 {
		perLane = math.Max(3, 960/float64(len(lanes)))
		p.Y.Tick.Label.Font.Size = vg.Points(math.Max(2.5, math.Min(9.5, perLane*0.85)))
	}
	h := vg.Points(90+labelRowHeight*float64(strip.rows)) + vg.Points(perLane*float64(max(len(lanes), 2)))
	c := &Chart{
		Name:  "timeline",
		Title: timelineTitle,
		Caption: "One trial, the one with the median RTO. Each row is a lane: regional outages and partitions, " +
			"the state of every KMS key copy, the runbook steps, whether the service is up, and where traffic is served. " +
			"Green is healthy, rose is broken, sand is in transition; a key copy that no call can reach (its region's KMS down, " +
			"or cut off from its callers by a partition) is drawn Unreachable. A state shorter than the eye can see is drawn a few points wide.",
		Plot:   p,
		Height: h,
	}
	c.setLegend(legend)
	if lo > 0 || hi < horizon {
		c.Caption += fmt.Sprintf(" Zoomed to %s–%s of the %s horizon.", human.DurShort(nsSeconds(lo)), human.DurShort(nsSeconds(hi)), human.DurShort(nsSeconds(horizon)))
	}
	return c, nil
}

// legendName names a segment colour in the legend.
func legendName(lane, label string) string {
	switch laneCategory(lane) {
	case laneOutage:
		return "regional outage"
	case lanePartition:
		return "partition"
	case laneServing:
		if label == "" || label == "none" {
			return "serving: none"
		}
		return "serving " + label
	case laneService:
		return "service " + label
	case laneStep:
		return "step " + label
	}
	return escape.Strip(label)
}
