package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"

	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

// niceTicks put 4 to 8 labelled ticks at round values (1, 2, 2.5 or 5 times
// a power of ten) with a minor tick half way, labelled with thousands
// separators and no useless zeros ("12,500", "2.5"). The library's default
// ticker gives as few as two labels (0 and 250 on a backlog axis).
type niceTicks struct {
	// prefix is written before each label ("$").
	prefix string
}

// niceStep returns the round step that splits [lo, hi] into 4 to 8 parts.
func niceStep(lo, hi float64) float64 {
	span := hi - lo
	if !(span > 0) || !isFinite(span) {
		return 0
	}
	mag := math.Pow(10, math.Floor(math.Log10(span/5)))
	for _, m := range [...]float64{1, 2, 2.5, 5, 10, 20} {
		step := m * mag
		if n := math.Floor(hi/step) - math.Ceil(lo/step) + 1; n <= 8 {
			return step
		}
	}
	return 20 * mag
}

// Ticks implements plot.Ticker.
func (nt niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !isFinite(lo) || !isFinite(hi) || hi <= lo {
		if isFinite(lo) {
			return []plot.Tick{{Value: lo, Label: nt.prefix + numberLabel(lo, 3)}}
		}
		return nil
	}
	step := niceStep(lo, hi)
	if step == 0 || !isFinite(step) || (hi-lo)/step > 100 {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
		if s := step * math.Pow(10, float64(dec)); math.Abs(s-math.Round(s)) > 1e-9 {
			dec++ // 0.25
		}
	}
	var ticks []plot.Tick
	half := step / 2
	first := math.Ceil(lo/half-1e-9) * half
	for i := 0; i < 200; i++ {
		v := first + float64(i)*half
		if v > hi+half*1e-9 {
			break
		}
		t := plot.Tick{Value: v}
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			t.Label = nt.prefix + numberLabel(v, dec)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// numberLabel formats v with dec decimals and thousands separators.
func numberLabel(v float64, dec int) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	s = human.Thousands(intPart)
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		s += "." + frac
	}
	return s
}

// timeTicks label a time axis whose values are in unit u with durations
// ("2h30m") at round steps, with a minor tick half way.
type timeTicks struct {
	u timeUnit
}

// tickSteps are the candidate major steps of a time axis.
var tickSteps = [...]sim.Time{
	sim.Second, 2 * sim.Second, 5 * sim.Second, 10 * sim.Second, 15 * sim.Second, 30 * sim.Second,
	sim.Minute, 2 * sim.Minute, 5 * sim.Minute, 10 * sim.Minute, 15 * sim.Minute, 30 * sim.Minute,
	sim.Hour, 2 * sim.Hour, 3 * sim.Hour, 6 * sim.Hour, 12 * sim.Hour,
	24 * sim.Hour, 2 * 24 * sim.Hour, 7 * 24 * sim.Hour, 14 * 24 * sim.Hour, 28 * 24 * sim.Hour,
}

// Ticks implements plot.Ticker.
func (tt timeTicks) Ticks(lo, hi float64) []plot.Tick {
	if !isFinite(lo) || !isFinite(hi) || hi <= lo {
		return niceTicks{}.Ticks(lo, hi)
	}
	span := (hi - lo) * tt.u.ns
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/float64(s) <= 7 {
			step = s
			break
		}
	}
	if span/float64(step) > 7 {
		// Longer than 28 weeks: round numbers of days.
		days := niceStep(lo*tt.u.ns/float64(24*sim.Hour), hi*tt.u.ns/float64(24*sim.Hour))
		if !(days > 0) {
			return niceTicks{}.Ticks(lo, hi)
		}
		step = sim.Time(days * float64(24*sim.Hour))
		if step <= 0 {
			return niceTicks{}.Ticks(lo, hi)
		}
	}
	minor := step / 2
	var ticks []plot.Tick
	first := math.Ceil(lo*tt.u.ns/float64(minor)) * float64(minor)
	for v, n := first, 0; v <= hi*tt.u.ns+1 && n < 100; v, n = v+float64(minor), n+1 {
		t := plot.Tick{Value: v / tt.u.ns}
		if math.Mod(math.Abs(v), float64(step)) < 1 {
			t.Label = human.DurShort(v / float64(sim.Second))
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// percentTicks label a [0, 1] axis in tenths as percentages.
type percentTicks struct{}

// Ticks implements plot.Ticker.
func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for i := 0; i <= 20; i++ {
		v := float64(i) / 20
		if v < lo-1e-9 || v > hi+1e-9 {
			continue
		}
		t := plot.Tick{Value: v}
		if i%2 == 0 {
			t.Label = strconv.Itoa(i*5) + "%"
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// logTimeTicks label a logarithmic axis in seconds at round durations.
type logTimeTicks struct{}

// logTickDense and logTickSparse are the labelled durations of a log time
// axis, and the sparser set used when the range is wide.
var (
	logTickDense  = [...]float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400}
	logTickSparse = [...]float64{1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400, 28 * 86400}
)

// Ticks implements plot.Ticker.
func (logTimeTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for _, v := range logTickDense {
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: human.DurShort(v)})
		}
	}
	if len(ticks) > 9 {
		ticks = ticks[:0]
		for _, v := range logTickSparse {
			if v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: human.DurShort(v)})
			}
		}
	}
	return ticks
}

// log10TimeTicks label an axis of decimal logarithms of seconds at the
// round durations of logTimeTicks.
type log10TimeTicks struct{}

// Ticks implements plot.Ticker.
func (log10TimeTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := logTimeTicks{}.Ticks(math.Pow(10, lo), math.Pow(10, hi))
	for i := range ticks {
		ticks[i].Value = math.Log10(ticks[i].Value)
	}
	return ticks
}
