package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

// Titles of the charts of this file.
const (
	backlogTitle  = "Replication backlog around T0"
	failuresTitle = "KMS failures by cause"
)

// hasBacklog reports whether a write was pending at some sample.
func hasBacklog(b []model.BacklogPoint) bool {
	for _, p := range b {
		if isFinite(p.Writes) && p.Writes > 0 {
			return true
		}
	}
	return false
}

// hasFailures reports whether a KMS call failed in the trial.
func hasFailures(rep *report.Representative) bool {
	for _, rp := range rep.Rates {
		for k := kms.Reason(1); k < kms.NumReasons; k++ {
			if v := rp.FailuresByReason[k]; isFinite(v) && v > 0 {
				return true
			}
		}
	}
	return false
}

// backlogChart draws the expected writes not yet replicated, per store and
// destination region, around T0 in the representative trial.
func backlogChart(r *report.Report) (*Chart, error) {
	rep := r.Representative
	type series struct {
		name string
		xys  plotter.XYs
	}
	var all []*series
	find := func(name string) *series {
		for _, s := range all {
			if s.name == name {
				return s
			}
		}
		s := &series{name: name}
		all = append(all, s)
		return s
	}
	lo, hi := sim.Time(math.MaxInt64), sim.Time(math.MinInt64)
	for _, b := range rep.Backlog {
		lo, hi = min(lo, b.T), max(hi, b.T)
	}
	var t0 sim.Time = -1
	if rep.T0Seconds != nil {
		t0 = secondsToTime(*rep.T0Seconds)
		lo, hi = min(lo, t0), max(hi, t0)
	}
	if hi <= lo {
		hi = lo + sim.Minute
	}
	u := pickUnit(float64(hi - lo))
	// With a T0, time is shown relative to it: T0 is at 0.
	origin, xLabel := sim.Time(0), "time since trial start"
	if t0 >= 0 {
		origin, xLabel = t0, "time relative to T0 (negative: before the service went down)"
	}
	peak := 0.0
	for _, b := range rep.Backlog {
		s := find(b.Store + " → " + b.Region)
		w := b.Writes
		if !isFinite(w) {
			continue
		}
		s.xys = append(s.xys, plotter.XY{X: u.of(b.T - origin), Y: w})
		peak = math.Max(peak, w)
	}
	title := fmt.Sprintf("Replication backlog around T0, representative trial #%d", rep.Trial)
	var legend []swatch
	p := newPlot(title, xLabel, "writes not yet replicated (expected)")
	strip := newLabelStrip(p, 1)
	p.X.Tick.Marker = timeTicks{u}
	addGrid(p, true, true)
	for i, s := range all {
		if len(s.xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(s.xys)
		if err != nil {
			return nil, fmt.Errorf("chart: backlog chart: %w", err)
		}
		l.LineStyle = lineStyle(seriesColour(i), 1.8, dashes(i))
		p.Add(l)
		g := glyphStyle(i)
		if err := addMarks(p, marksAlong(s.xys, i), g); err != nil {
			return nil, fmt.Errorf("chart: backlog chart: %w", err)
		}
		legend = append(legend, swatch{Label: s.name, Line: &l.LineStyle, Glyph: &g})
	}
	p.Y.Min = 0
	if peak <= 0 {
		p.Y.Max = 1
	} else {
		p.Y.Max = peak * 1.15
	}
	p.X.Min, p.X.Max = u.of(lo-origin), u.of(hi-origin)
	if t0 >= 0 {
		v := newVLine(0, colT0, false, "T0 = "+human.DurShort(nsSeconds(t0))+" into the trial", strip)
		p.Add(v)
		legend = append(legend, swatch{Label: "T0: service down", Line: &v.Style})
	}
	c := &Chart{
		Name:  "backlog",
		Title: backlogTitle,
		Caption: "Expected number of writes accepted so far that have not yet reached a copy of each store " +
			"(store → region), in the representative trial: towards the region that serves after the recovery, and towards " +
			"every other region a failover could go to (one the store replicates into, up at T0). What is still in flight at T0 " +
			"is what a failover to that region would strand.",
		Plot:   p,
		Height: DefaultHeight + vg.Points(labelRowHeight),
	}
	c.setLegend(legend)
	return c, nil
}

// marksAlong returns 5 points of xys, evenly spread and shifted for series
// i, where its marks go.
func marksAlong(xys plotter.XYs, i int) plotter.XYs {
	var out plotter.XYs
	n := len(xys)
	if n == 0 {
		return out
	}
	for k := 0; k < 5; k++ {
		j := (n*(2*k+1)/10 + i*max(n/40, 1)) % n
		out = append(out, xys[j])
	}
	return out
}

// failuresChart draws failed KMS calls per second by reason over time in
// the representative trial.
func failuresChart(r *report.Report) (*Chart, error) {
	rep := r.Representative
	lo, hi := traceWindow(r)
	horizon := secondsToTime(r.HorizonSeconds)
	u := pickUnit(float64(hi - lo))
	title := fmt.Sprintf("Failed KMS calls by cause, representative trial #%d", rep.Trial)
	var legend []swatch
	p := newPlot(title, "time since trial start", "failed KMS calls per second")
	strip := newLabelStrip(p, 2)
	p.X.Tick.Marker = timeTicks{u}
	addGrid(p, true, true)
	peak := 0.0
	drawn := 0
	for k := kms.Reason(1); k < kms.NumReasons; k++ {
		name := k.String()
		if int(k) < len(rep.Reasons) && rep.Reasons[k] != "" {
			name = rep.Reasons[k]
		}
		var xys plotter.XYs
		shown := false
		for i, rp := range rep.Rates {
			v := 0.0
			if x := rp.FailuresByReason[k]; isFinite(x) {
				v = x
			}
			end := horizon
			if i+1 < len(rep.Rates) {
				end = rep.Rates[i+1].T
			}
			if v > 0 && end > lo && rp.T < hi {
				shown = true
			}
			peak = math.Max(peak, v)
			xys = append(xys, plotter.XY{X: u.of(rp.T), Y: v})
		}
		if !shown {
			continue
		}
		// Hold the last rate to the end of the window.
		xys = append(xys, plotter.XY{X: u.of(max(hi, rep.Rates[len(rep.Rates)-1].T)), Y: xys[len(xys)-1].Y})
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: failures chart: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = lineStyle(reasonColour(k), 2, nil)
		p.Add(l)
		legend = append(legend, swatch{Label: name, Line: &l.LineStyle})
		drawn++
	}
	p.X.Min, p.X.Max = u.of(lo), u.of(hi)
	p.Y.Min = 0
	if peak <= 0 {
		p.Y.Max = 1
	} else {
		p.Y.Max = peak * 1.15
	}
	if rep.T0Seconds != nil {
		t0 := secondsToTime(*rep.T0Seconds)
		v := newVLine(u.of(t0), colT0, false, "T0", strip)
		p.Add(v)
		legend = append(legend, swatch{Label: "T0: service down", Line: &v.Style})
		if rep.RTOSeconds != nil {
			rt := t0 + secondsToTime(*rep.RTOSeconds)
			v := newVLine(u.of(rt), colRecover, true, "recovered", strip)
			p.Add(v)
			legend = append(legend, swatch{Label: "service up again", Line: &v.Style})
		}
	}
	c := &Chart{
		Name:  "kms-failures",
		Title: failuresTitle,
		Caption: "KMS failures: failed cryptographic calls (Decrypt, Encrypt, GenerateDataKey) per second in the representative trial, " +
			"one line per AWS error. KMSUnavailable and ThrottlingException are transient; the others are refusals.",
		Plot:   p,
		Height: 4*vg.Inch + vg.Points(2*labelRowHeight),
	}
	c.setLegend(legend)
	return c, nil
}

// reasonColour gives each AWS error a colour of its own, none of them the
// colour of the T0 and recovery lines drawn with them.
func reasonColour(k kms.Reason) color.Color {
	switch k {
	case kms.Unavailable:
		return tolIndigo
	case kms.Throttling:
		return tolOlive
	case kms.Disabled:
		return tolRose
	case kms.InvalidState:
		return tolPurple
	case kms.AccessDenied:
		return tolTeal
	case kms.NotFound:
		return tolCyan
	}
	return colDarkGrey
}
