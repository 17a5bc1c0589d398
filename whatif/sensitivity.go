package whatif

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/sim"
)

// The percentiles an input is pinned at.
const (
	pLow  = 0.10
	pHigh = 0.90
)

// SensitivityRuns returns the number of runs Sensitivity makes for cfg:
// 2k+1, k the inputs that are not constant.
func SensitivityRuns(cfg *model.Config) int {
	k := 0
	for _, in := range inputs(cfg) {
		if !in.dist.IsConst() {
			k++
		}
	}
	return 2*k + 1
}

// Sensitivity ranks the uncertain inputs of cfg by their effect on metric
// (report.MetricMeetBoth when empty). It makes 2k+1 runs of o.Trials
// trials with seed o.Seed: cfg as written (the baseline), then every
// input that is not constant pinned at its 10th and at its 90th
// percentile, every other input unchanged. A pinned input still draws its
// uniform (every draw takes one, whatever the distribution), so every
// other stream, hence every other input, keeps its values trial by trial
// (common random numbers). An input drawn many times a trial (a lag per
// write, a copy time per backup) is pinned as a constant for every draw.
//
// The ranking correlates, over the baseline's incident trials, each
// single-draw input's uniform (recomputed from its stream:
// model.InputDraws) with the trial's RTO and RPO (Spearman; an unrecovered
// trial ranks highest for both), from at least report.MinRankTrials
// incident trials. minP is the bar the document marks for P(meet both).
// Runs of fewer than report.MinTrials trials are warned about. Precision
// is not supported. Errors: metric meet_both for
// a scenario without objectives; ctx's error when it is done.
func Sensitivity(ctx context.Context, cfg *model.Config, metric report.Metric, minP float64, o Options) (*report.Sensitivity, error) {
	if metric == "" {
		metric = report.MetricMeetBoth
	}
	if metric == report.MetricMeetBoth && !cfg.Objectives.HasRTO && !cfg.Objectives.HasRPO {
		return nil, fmt.Errorf("whatif: sensitivity: %s sets no RTO or RPO objective, so P(meet both) does not exist; choose another --metric", cfg.Name)
	}
	if o.Trials < 1 {
		return nil, errors.New("whatif: sensitivity: want at least 1 trial")
	}
	all := inputs(cfg)
	var rows []input
	s := &report.Sensitivity{
		Schema:         report.SensitivitySchema,
		Scenario:       cfg.Name,
		File:           cfg.File,
		Trials:         o.Trials,
		Seed:           o.Seed,
		Objectives:     report.ObjectivesOf(cfg),
		Metric:         metric,
		MinProbability: minP,
		Inputs:         []report.SensitivityInput{},
		Constant:       []report.ConstantInput{},
		Ranking:        []report.RankCorrelation{},
		Warnings:       []string{},
	}
	for _, in := range all {
		if in.dist.IsConst() {
			s.Constant = append(s.Constant, report.ConstantInput{Name: in.name, Value: in.dist.String()})
			continue
		}
		rows = append(rows, in)
	}
	t := &tracker{f: o.Progress}
	t.plan((2*len(rows) + 1) * o.Trials)
	run := func(c *model.Config) (*Run, error) {
		r := newRun(c, o.Seed, true)
		err := r.extend(ctx, o.Trials, o.Workers, t.fn())
		t.finish(r.Trials())
		return r, err
	}
	baseCfg := clonePinnable(cfg)
	base, err := run(baseCfg)
	if err != nil {
		return nil, err
	}
	baseRep := base.report()
	s.Baseline = report.MetricOf(baseRep, metric)
	s.IncidentTrials = baseRep.Metrics.IncidentTrials
	if w := fewTrials(o.Trials); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
	for _, w := range baseRep.Warnings {
		s.Warnings = append(s.Warnings, "baseline: "+w)
	}
	s.Ranking = ranking(cfg, base, rows)
	if n := s.IncidentTrials; n < report.MinRankTrials && len(s.Ranking) > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("no rank correlation: it needs at least %d incident trials, the run has %d", report.MinRankTrials, n))
	}

	for _, in := range rows {
		row := report.SensitivityInput{
			Name: in.name, What: in.what, Dist: in.dist.String(), Default: in.isDefault, Draws: "once",
			P10Seconds: quantileSeconds(in.dist, pLow), P90Seconds: quantileSeconds(in.dist, pHigh),
		}
		if in.many {
			row.Draws = "many"
		}
		for k, p := range []float64{pLow, pHigh} {
			c := clonePinnable(cfg)
			in.pin(c, pinned(in.dist, p))
			r, err := run(c)
			if err != nil {
				return nil, err
			}
			e := report.MetricOf(r.report(), metric)
			if k == 0 {
				row.Low = e
			} else {
				row.High = e
			}
		}
		row.Swing = swing(s.Baseline.Value, row.Low.Value, row.High.Value)
		s.Inputs = append(s.Inputs, row)
	}
	slices.SortStableFunc(s.Inputs, func(a, b report.SensitivityInput) int {
		switch {
		case a.Swing == nil && b.Swing != nil:
			return -1
		case a.Swing != nil && b.Swing == nil:
			return 1
		case a.Swing != nil && *a.Swing != *b.Swing:
			return cmp.Compare(*b.Swing, *a.Swing)
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return s, nil
}

// swing is the span of the metric over the baseline and the two ends,
// max − min: |hi − lo| when the ends lie on either side of the baseline
// (the usual case), the larger distance from the baseline when both lie
// on one side (a heavy-tailed lag pinned as a constant at either
// percentile may remove its tail both times). It is nil (infinite) when
// one end is null and the other is not, 0 when both are.
func swing(base, lo, hi *float64) *float64 {
	switch {
	case lo == nil && hi == nil:
		z := 0.0
		return &z
	case lo == nil || hi == nil:
		return nil
	}
	mn, mx := math.Min(*lo, *hi), math.Max(*lo, *hi)
	if base != nil {
		mn, mx = math.Min(mn, *base), math.Max(mx, *base)
	}
	d := round9(mx - mn)
	return &d
}

// ranking returns the Spearman rank correlations of the single-draw rows
// with the RTO and RPO of the baseline's incident trials, by decreasing
// largest |rho|, then by name.
func ranking(cfg *model.Config, base *Run, rows []input) []report.RankCorrelation {
	var singles []input
	for _, in := range rows {
		if !in.many {
			singles = append(singles, in)
		}
	}
	out := []report.RankCorrelation{}
	if len(singles) == 0 {
		return out
	}
	mins := make([]model.Input, len(singles))
	for i, in := range singles {
		mins[i] = in.single
	}
	draws := model.NewInputDraws(cfg, mins)
	us := make([][]float64, len(singles))
	var rto, rpo []float64
	buf := make([]float64, len(singles))
	for i := base.Records.From(); i < base.Records.From()+base.Records.N(); i++ {
		t := base.Records.Record(i)
		if !t.Incident() {
			continue
		}
		draws.Uniforms(base.Seed, i, buf)
		for k := range singles {
			us[k] = append(us[k], buf[k])
		}
		if t.Recovered() {
			rto = append(rto, float64(t.RTO)/float64(sim.Second))
			if t.UnboundedRPO() {
				rpo = append(rpo, math.Inf(1))
			} else {
				rpo = append(rpo, float64(t.RPO)/float64(sim.Second))
			}
		} else {
			rto = append(rto, math.Inf(1))
			rpo = append(rpo, math.Inf(1))
		}
	}
	for k, in := range singles {
		rc := report.RankCorrelation{Name: in.name, What: in.what, N: len(rto)}
		if len(rto) >= report.MinRankTrials {
			if rho, ok := report.Spearman(us[k], rto); ok {
				rc.RTO = roundPtr(rho)
			}
			if rho, ok := report.Spearman(us[k], rpo); ok {
				rc.RPO = roundPtr(rho)
			}
		}
		out = append(out, rc)
	}
	strength := func(r report.RankCorrelation) float64 {
		m := 0.0
		for _, p := range []*float64{r.RTO, r.RPO} {
			if p != nil {
				m = math.Max(m, math.Abs(*p))
			}
		}
		return m
	}
	slices.SortStableFunc(out, func(a, b report.RankCorrelation) int {
		if c := cmp.Compare(strength(b), strength(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// round9 rounds x to 9 significant digits, as every number of a document
// is.
func round9(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 9, 64), 64)
	return r
}

// roundPtr rounds a correlation to 4 decimals (more is noise at any
// trial count drsim runs) and returns a pointer to it.
func roundPtr(x float64) *float64 {
	r := math.Round(x*1e4) / 1e4
	if r == 0 {
		r = 0 // no negative zero
	}
	return &r
}
