package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/sim"
)

// backlogChart draws the expected writes not yet replicated, per store and
// destination, around T0 in the representative trial.
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
		if !isFiniteF(w) {
			continue
		}
		s.xys = append(s.xys, plotter.XY{X: u.of(b.T - origin), Y: w})
		peak = math.Max(peak, w)
	}
	title := fmt.Sprintf("Replication backlog around T0, trial #%d", rep.Trial)
	var legend []swatch
	p := newPlot(title, xLabel, "writes not yet replicated (expected)")
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
		legend = append(legend, swatch{Label: s.name, Line: &l.LineStyle})
	}
	p.Y.Min = 0
	if peak <= 0 {
		p.Y.Max = 1
	} else {
		p.Y.Max = peak * 1.15
	}
	p.X.Min, p.X.Max = u.of(lo-origin), u.of(hi-origin)
	if t0 >= 0 {
		v := newVLine(0, colT0, false, "T0 = "+chartDur(nsSeconds(t0))+" into the trial")
		p.Add(v)
		legend = append(legend, swatch{Label: "T0: service down", Line: &v.Style})
	}
	c := &Chart{
		Name:  "backlog",
		Title: "Replication backlog around T0",
		Caption: "Expected number of writes accepted so far that have not yet reached each replica " +
			"(store → destination region), in the representative trial. What is still in flight at T0 is what a " +
			"failover to that region would strand.",
		Plot:   p,
		Height: DefaultChartHeight,
	}
	c.setLegend(legend)
	return c, nil
}

// failuresChart draws failed KMS calls per second by reason over time in
// the representative trial.
func failuresChart(r *report.Report) (*Chart, error) {
	rep := r.Representative
	lo, hi := traceWindow(r)
	horizon := secondsToTime(r.HorizonSeconds)
	u := pickUnit(float64(hi - lo))
	nReasons := len(rep.Reasons)
	for _, rp := range rep.Rates {
		nReasons = max(nReasons, len(rp.FailuresByReason))
	}
	title := fmt.Sprintf("Failed KMS calls by cause, trial #%d", rep.Trial)
	var legend []swatch
	p := newPlot(title, "time since trial start", "failed KMS calls per second")
	p.X.Tick.Marker = timeTicks{u}
	addGrid(p, true, true)
	peak := 0.0
	drawn := 0
	for k := 0; k < nReasons; k++ {
		name := ""
		if k < len(rep.Reasons) {
			name = rep.Reasons[k]
		}
		if name == "" {
			continue // the OK slot
		}
		var xys plotter.XYs
		shown := false
		for i, rp := range rep.Rates {
			v := 0.0
			if k < len(rp.FailuresByReason) && isFiniteF(rp.FailuresByReason[k]) {
				v = rp.FailuresByReason[k]
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
		l.LineStyle = lineStyle(reasonColour(name, drawn), 2, dashes(drawn))
		drawn++
		p.Add(l)
		legend = append(legend, swatch{Label: name, Line: &l.LineStyle})
	}
	if drawn == 0 {
		p.Title.Text += ": none"
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
		v := newVLine(u.of(t0), colT0, false, "T0")
		p.Add(v)
		legend = append(legend, swatch{Label: "T0: service down", Line: &v.Style})
		if rep.RTOSeconds != nil {
			rt := t0 + secondsToTime(*rep.RTOSeconds)
			v := newVLine(u.of(rt), colRecover, true, "recovered")
			v.Bottom = true
			p.Add(v)
			legend = append(legend, swatch{Label: "service up again", Line: &v.Style})
		}
	}
	c := &Chart{
		Name:  "kms-failures",
		Title: "KMS failures by cause",
		Caption: "Failed cryptographic calls (Decrypt, Encrypt, GenerateDataKey) per second in the representative trial, " +
			"one line per AWS error. KMSUnavailable and ThrottlingException are transient; the others are refusals.",
		Plot:   p,
		Height: 4 * vg.Inch,
	}
	c.setLegend(legend)
	if drawn == 0 {
		c.Caption += " No KMS call failed in this trial."
	}
	return c, nil
}

// reasonColour gives each AWS error a stable colour.
func reasonColour(name string, i int) color.Color {
	switch name {
	case "KMSUnavailable":
		return colDarkGrey
	case "ThrottlingException":
		return colAmber
	case "DisabledException":
		return colRed
	case "KMSInvalidStateException":
		return colPurple
	case "AccessDeniedException":
		return colBlue
	case "NotFoundException":
		return seriesColour(2)
	}
	return seriesColour(3 + i)
}
