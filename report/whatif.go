package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

// Override is one override a document was made with (drsim --set
// PATH=VALUE, or a --vary value of a sweep): the key path and the value as
// written on the command line.
type Override struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// String returns PATH=VALUE.
func (o Override) String() string { return o.Path + "=" + o.Value }

// Precision says how a run to precision (drsim --precision) chose its
// number of trials: batches of Batch trials were added until the half-width
// (hi − lo)/2 of the Wilson 95% interval of P(meet both) was at most Target
// in every scenario of the document (every point of a sweep), or until
// MaxTrials. Trials is the final count, the same for every scenario; the
// document equals that of a plain run with that many trials.
type Precision struct {
	// Target is the half-width asked for, a probability (0.01 is ±1
	// percentage point).
	Target float64 `json:"target"`
	// HalfWidth is the largest half-width over the document's scenarios
	// at the final count.
	HalfWidth float64 `json:"half_width"`
	// Batch is the number of trials added at a time: the scenario's
	// trials, or --trials.
	Batch int `json:"batch"`
	// Trials is the final number of trials of every scenario.
	Trials    int `json:"trials"`
	MaxTrials int `json:"max_trials"`
	// Reached is false when MaxTrials stopped the run before the target,
	// or an interruption did.
	Reached bool `json:"reached"`
	// Interrupted is true when the run was interrupted (SIGINT, SIGTERM)
	// before it reached the target or MaxTrials and the document was
	// written anyway (--partial-ok): Trials and HalfWidth are then the
	// state it reached.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Text says in one sentence how the run stopped: "precision ±1.00pp
// reached after 7,000 trials (7 batches of 1,000; half-width of P(meet
// both)'s 95% CI 0.98pp)". A last batch cut short by --max-trials is
// named as such ("4 batches: 3 of 300 and one of 100").
func (p *Precision) Text() string {
	how := fmt.Sprintf("%s trials (%s; half-width of P(meet both)'s 95%% CI %s)", human.Int(p.Trials), p.batches(), ppText(p.HalfWidth))
	switch {
	case p.Reached:
		return fmt.Sprintf("precision ±%s reached after %s", ppText(p.Target), how)
	case p.Interrupted:
		return fmt.Sprintf("precision ±%s NOT reached: interrupted after %s", ppText(p.Target), how)
	}
	return fmt.Sprintf("precision ±%s NOT reached: stopped at --max-trials, %s", ppText(p.Target), how)
}

// batches describes how Trials splits into batches of Batch.
func (p *Precision) batches() string {
	if p.Batch <= 0 {
		return "no batch"
	}
	full, rest := p.Trials/p.Batch, p.Trials%p.Batch
	switch {
	case rest == 0:
		return fmt.Sprintf("%s %s of %s", human.Int(full), human.Plural(full, "batch", "batches"), human.Int(p.Batch))
	case full == 0:
		return fmt.Sprintf("less than one batch of %s", human.Int(p.Batch))
	}
	return fmt.Sprintf("%s batches: %s of %s and one of %s", human.Int(full+1), human.Int(full), human.Int(p.Batch), human.Int(rest))
}

// PercentagePoints formats a probability in percentage points as the
// precision line does: "1.00pp", or three significant digits for what two
// decimals would show as 0.00 ("0.000000100pp").
func PercentagePoints(x float64) string { return ppText(x) }

// ppText formats a probability in percentage points with two decimals
// ("1.00pp"), or with three significant digits when that would show 0.00
// ("0.000000100pp" for 1e-9).
func ppText(x float64) string {
	v := 100 * x
	if v == 0 || math.Abs(v) >= 0.005 {
		return fmt.Sprintf("%.2fpp", v)
	}
	d := int(math.Ceil(-math.Log10(math.Abs(v)))) + 2
	return strconv.FormatFloat(v, 'f', d, 64) + "pp"
}

// MeetsBoth reports whether trial t meets the objectives of cfg that are
// set (an incident-free trial meets them, an unrecovered one does not):
// the 0/1 outcome whose mean is objectives_met.both.p.
func MeetsBoth(cfg *model.Config, t *model.TrialResult) bool {
	a, b := meets(cfg, t)
	return a && b
}

// RecordMeetsBoth is MeetsBoth for a trial's compact record.
func RecordMeetsBoth(cfg *model.Config, r *Record) bool {
	a, b := meetsRec(cfg, r)
	return a && b
}

// WilsonHalfWidth returns (hi − lo)/2 of the Wilson score 95% interval of
// met successes in n trials (0.5 for n = 0), the precision of
// objectives_met.both.p.
func WilsonHalfWidth(met, n int) float64 {
	ci := wilson(met, n)
	return (ci[1] - ci[0]) / 2
}

// Pairing tells whether trial i of a run of other sees the same outage
// draws as trial i of a run of base with the same seed (common random
// numbers). broken lists what breaks it: an outage stream that exists in
// only one of them, or one whose start, duration or phases differ (the
// same uniforms then give other outages). differences lists what differs
// without breaking it: the horizon.
func Pairing(base, other *model.Config, baseLabel, otherLabel string) (broken, differences []string) {
	if base == nil || other == nil {
		return nil, nil
	}
	find := func(c *model.Config, stream string) *model.Outage {
		for i := range c.Outages {
			if c.Outages[i].Stream == stream {
				return &c.Outages[i]
			}
		}
		return nil
	}
	for i := range base.Outages {
		a := &base.Outages[i]
		b := find(other, a.Stream)
		if b == nil {
			broken = append(broken, fmt.Sprintf("outage %s exists only in %s", escape.Quote(a.Stream), baseLabel))
			continue
		}
		var diffs []string
		if a.Start != b.Start {
			diffs = append(diffs, fmt.Sprintf("start %s vs %s", a.Start, b.Start))
		}
		if len(a.Phases) == 0 && len(b.Phases) == 0 && a.Duration != b.Duration {
			diffs = append(diffs, fmt.Sprintf("duration %s vs %s", a.Duration, b.Duration))
		}
		switch {
		case len(a.Phases) != len(b.Phases):
			diffs = append(diffs, fmt.Sprintf("%d vs %d phases", len(a.Phases), len(b.Phases)))
		default:
			for k := range a.Phases {
				pa, pb := &a.Phases[k], &b.Phases[k]
				if pa.Offset != pb.Offset {
					diffs = append(diffs, fmt.Sprintf("phases[%d].offset %s vs %s", k, pa.Offset, pb.Offset))
				}
				if pa.Duration != pb.Duration {
					diffs = append(diffs, fmt.Sprintf("phases[%d].duration %s vs %s", k, pa.Duration, pb.Duration))
				}
			}
		}
		if len(diffs) > 0 {
			broken = append(broken, fmt.Sprintf("outage %s draws other values: %s", escape.Quote(a.Stream), strings.Join(diffs, ", ")))
		}
	}
	for i := range other.Outages {
		if find(base, other.Outages[i].Stream) == nil {
			broken = append(broken, fmt.Sprintf("outage %s exists only in %s", escape.Quote(other.Outages[i].Stream), otherLabel))
		}
	}
	if base.Horizon != other.Horizon {
		differences = append(differences, fmt.Sprintf("horizon %s, %s's %s", sim.FormatDuration(other.Horizon), baseLabel, sim.FormatDuration(base.Horizon)))
	}
	return broken, differences
}

// Metric names the outcome a sweep charts and a sensitivity analysis
// ranks inputs by.
type Metric string

// The metrics of sweep and sensitivity, as the --metric flag spells them.
const (
	// MetricMeetBoth is objectives_met.both.p, with its Wilson interval.
	MetricMeetBoth Metric = "meet_both"
	// MetricRTOP95 is metrics.rto_seconds.p95 (seconds), with its
	// order-statistic interval; null when it falls on an unrecovered trial.
	MetricRTOP95 Metric = "rto_p95"
	// MetricRPOP95 is metrics.rpo_seconds.p95 (seconds).
	MetricRPOP95 Metric = "rpo_p95"
	// MetricLostMean is metrics.lost_writes.mean (writes per recovered
	// incident trial), with its Student-t interval.
	MetricLostMean Metric = "lost_mean"
)

// MetricNames lists the metrics, the default first.
var MetricNames = []Metric{MetricMeetBoth, MetricRTOP95, MetricRPOP95, MetricLostMean}

// Label names the metric for people: "P(meet both)", "RTO p95", ...
func (m Metric) Label() string {
	switch m {
	case MetricRTOP95:
		return "RTO p95"
	case MetricRPOP95:
		return "RPO p95"
	case MetricLostMean:
		return "lost writes (mean)"
	}
	return "P(meet both)"
}

// HigherIsBetter reports whether a higher value of m is better (only
// P(meet both)).
func (m Metric) HigherIsBetter() bool { return m == MetricMeetBoth || m == "" }

// IsDuration reports whether m is in seconds.
func (m Metric) IsDuration() bool { return m == MetricRTOP95 || m == MetricRPOP95 }

// Estimate is a value of a metric with its 95% interval; Value is null
// when it does not exist (a percentile that falls on an unrecovered trial,
// no recovered incident trial), a bound when it is unbounded.
type Estimate struct {
	Value *float64 `json:"value"`
	CI95  Interval `json:"ci95"`
}

// MetricOf returns metric m of a report with its interval.
func MetricOf(r *Report, m Metric) Estimate {
	switch m {
	case MetricRTOP95:
		return percentileEstimate(&r.Metrics.RTOSeconds.Summary)
	case MetricRPOP95:
		return percentileEstimate(&r.Metrics.RPOSeconds.Summary)
	case MetricLostMean:
		s := &r.Metrics.LostWrites.Summary
		e := Estimate{Value: s.Mean}
		if s.MeanCI95 != nil {
			e.CI95 = Interval{ptr(s.MeanCI95[0]), ptr(s.MeanCI95[1])}
		}
		return e
	}
	b := r.ObjectivesMet.Both
	e := Estimate{Value: b.P}
	if b.CI95 != nil {
		e.CI95 = Interval{ptr(b.CI95[0]), ptr(b.CI95[1])}
	}
	return e
}

func percentileEstimate(s *Summary) Estimate {
	e := Estimate{Value: s.P95}
	if s.PCI95 != nil {
		e.CI95 = s.PCI95.P95
	}
	return e
}

// Format formats a value of m for people: "38.8%", "16m04s", "317.1"; a
// null value is "∞" for an RTO percentile (it falls on an unrecovered
// trial) and "-" otherwise.
func (m Metric) Format(v *float64) string {
	switch m {
	case MetricRTOP95:
		return human.DurOr(v, "∞")
	case MetricRPOP95:
		return human.DurOr(v, "-")
	case MetricLostMean:
		return human.NumOr(v, "-")
	}
	return human.PctOr(v, "-")
}

// FormatCI formats an interval of m: "[35.8%, 41.9%]"; an unbounded
// bound is "∞" (above) or "-" (below); "" when both are.
func (m Metric) FormatCI(ci Interval) string {
	if ci[0] == nil && ci[1] == nil {
		return ""
	}
	lo := "-"
	if ci[0] != nil {
		lo = m.Format(ci[0])
	}
	hi := "∞"
	if ci[1] != nil {
		hi = m.Format(ci[1])
	}
	if m == MetricLostMean && ci[0] != nil && ci[1] != nil {
		lo, hi = sameDecimals(*ci[0], *ci[1], lo, hi)
	}
	return "[" + lo + ", " + hi + "]"
}

// sameDecimals rewrites two numbers formatted by human.Num with the same
// number of decimals, the larger of the two ("[316.0, 318.2]", not "[316,
// 318.2]"); numbers in e-notation or with thousands separators are kept.
func sameDecimals(a, b float64, as, bs string) (string, string) {
	dec := func(s string) int {
		if i := strings.IndexByte(s, '.'); i >= 0 {
			return len(s) - i - 1
		}
		return 0
	}
	if strings.ContainsAny(as+bs, "e,") {
		return as, bs
	}
	d := max(dec(as), dec(bs))
	return strconv.FormatFloat(a, 'f', d, 64), strconv.FormatFloat(b, 'f', d, 64)
}
