package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/human"
)

// cdfPoints turns a quantile grid into the points of an empirical CDF, in
// unit u: x = quantile, y = p. Points whose quantile is null (+Inf, an
// unrecovered trial) are left out: the curve stops below 1.
func cdfPoints(q []report.QuantilePoint, u timeUnit) plotter.XYs {
	var xys plotter.XYs
	for _, pt := range q {
		if pt.Seconds == nil || !isFinite(*pt.Seconds) || !isFinite(pt.P) {
			continue
		}
		xys = append(xys, plotter.XY{X: u.ofSeconds(*pt.Seconds), Y: pt.P})
	}
	return xys
}

// cdfMax returns the largest finite quantile of the grid, in seconds.
func cdfMax(q []report.QuantilePoint) float64 {
	top := 0.0
	for _, pt := range q {
		if pt.Seconds != nil && isFinite(*pt.Seconds) {
			top = math.Max(top, *pt.Seconds)
		}
	}
	return top
}

// stepCDF returns the points of a staircase through the quantile points,
// so that the curve reads as a distribution function.
func stepCDF(xys plotter.XYs) plotter.XYs {
	if len(xys) == 0 {
		return xys
	}
	out := make(plotter.XYs, 0, 2*len(xys)+1)
	out = append(out, plotter.XY{X: xys[0].X, Y: 0})
	for i, p := range xys {
		if i > 0 {
			out = append(out, plotter.XY{X: p.X, Y: xys[i-1].Y})
		}
		out = append(out, p)
	}
	return out
}

// glyphsAt returns the points of a CDF where its marks go: where it
// crosses 10%, 30%, 50%, 70% and 90%, shifted by k/2 percent so that the
// marks of two curves never sit on each other.
func glyphsAt(xys plotter.XYs, k int) plotter.XYs {
	var out plotter.XYs
	for _, q := range [...]float64{0.1, 0.3, 0.5, 0.7, 0.9} {
		q += float64(k%8) * 0.01
		for _, p := range xys {
			if p.Y >= q {
				out = append(out, plotter.XY{X: p.X, Y: q})
				break
			}
		}
	}
	return out
}

// cdfChart draws the distribution of one metric with its objective.
func cdfChart(name, metric string, q []report.QuantilePoint, n, unrecovered int, objective *float64, met report.Probability, what string) (*Chart, error) {
	span := cdfMax(q)
	hasObjective := objective != nil && isFinite(*objective)
	if hasObjective {
		span = math.Max(span, *objective)
	}
	u := pickUnit(span * 1e9)
	xys := cdfPoints(q, u)
	title := fmt.Sprintf("%s over %s %s", metric, human.Int(n), what)
	if hasObjective && met.P != nil {
		title += fmt.Sprintf(": P(%s ≤ %s) = %s", metric, human.DurShort(*objective), human.Pct(*met.P))
	}
	p := newPlot(title, metric, "share of "+what+" with "+metric+" ≤ x")
	strip := newLabelStrip(p, 1)
	p.X.Tick.Marker = timeTicks{u}
	p.Y.Tick.Marker = percentTicks{}
	addGrid(p, true, true)
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min = 0
	var legend []swatch
	if len(xys) > 0 {
		l, err := plotter.NewLine(stepCDF(xys))
		if err != nil {
			return nil, fmt.Errorf("chart: %s chart: %w", name, err)
		}
		l.LineStyle = lineStyle(seriesColour(0), 2, nil)
		p.Add(l)
		label := fmt.Sprintf("%s, empirical CDF (n = %s)", metric, human.Int(n))
		if unrecovered > 0 {
			label += fmt.Sprintf("; %s unrecovered (curve stops at %s)", human.Int(unrecovered), human.Pct(1-float64(unrecovered)/float64(max(n, 1))))
		}
		legend = append(legend, swatch{Label: label, Line: &l.LineStyle})
	}
	if hasObjective {
		v := newVLine(u.ofSeconds(*objective), colObjective, true, "objective "+human.DurShort(*objective), strip)
		p.Add(v)
		label := "objective " + human.DurShort(*objective)
		if met.P != nil {
			label += fmt.Sprintf(": met in %s of all %s trials", human.Pct(*met.P), human.Int(met.N))
			if met.CI95 != nil {
				label += fmt.Sprintf(" (95%% CI %s–%s)", human.Pct(met.CI95[0]), human.Pct(met.CI95[1]))
			}
		}
		legend = append(legend, swatch{Label: label, Line: &v.Style})
		includeX(p, v.X*1.08)
	}
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1
	}
	p.X.Max *= 1.02
	c := &Chart{
		Name:  name,
		Title: metric + " distribution",
		Caption: fmt.Sprintf("Share of the %s whose %s is at most x. ", what, metric) +
			"The dashed line is the objective; the legend gives the probability of meeting it over all trials " +
			"(incident-free trials meet it).",
		Plot:   p,
		Height: 4*vg.Inch + vg.Points(labelRowHeight),
	}
	c.setLegend(legend)
	return c, nil
}

// rtoCDFChart and rpoCDFChart are the distribution charts of a report.
func rtoCDFChart(r *report.Report) (*Chart, error) {
	d := r.Distributions
	c, err := cdfChart("rto-cdf", "RTO", d.RTO, d.IncidentTrials, d.Unrecovered, r.Objectives.RTOSeconds, r.ObjectivesMet.RTO, "incident trials")
	if err != nil {
		return nil, err
	}
	if d.Unrecovered > 0 {
		c.Caption += fmt.Sprintf(" %s of %s incident trials did not recover within the horizon: the curve, drawn from the RTO percentiles in steps of 1%%, stops at the last whole percentile that recovered.", human.Int(d.Unrecovered), human.Int(d.IncidentTrials))
	}
	return c, nil
}

func rpoCDFChart(r *report.Report) (*Chart, error) {
	d := r.Distributions
	n := d.IncidentTrials - d.Unrecovered
	return cdfChart("rpo-cdf", "RPO", d.RPO, n, 0, r.Objectives.RPOSeconds, r.ObjectivesMet.RPO, "recovered incident trials")
}

// glyphStyle is the mark of series i.
func glyphStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: seriesColour(i), Radius: vg.Points(3.2), Shape: seriesGlyph(i)}
}
