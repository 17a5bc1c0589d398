package whatif

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/scenarios"
)

// MaxGridPoints is the most points a sweep runs: the product of the
// numbers of values of its parameters. Above it a sweep is refused before
// anything runs (at 1,000 trials a point, 1,000 points of snowy take about
// 20 s on 2 cores).
const MaxGridPoints = 1000

// Param is one varied parameter of a sweep: a key path and its values
// (drsim sweep --vary PATH=V1,V2,..., read by scenarios.ParseVary).
type Param struct {
	Path   string
	Values []scenarios.Override
}

// unvaried are the top-level keys a sweep cannot vary: they are the run's
// settings, not its setup.
var unvaried = []string{"trials", "seed", "name", "description"}

// Grid returns the points of the grid of params: one override per
// parameter each, the last parameter varying fastest. It fails when a
// parameter has no value, a path is varied twice or is one of unvaried or
// also given in set (the --set overrides), or the grid has more than
// MaxGridPoints points.
func Grid(params []Param, set []scenarios.Override) ([][]scenarios.Override, error) {
	if len(params) == 0 {
		return nil, errors.New("whatif: sweep: nothing to vary (give --vary PATH=V1,V2,...)")
	}
	n := 1
	var sizes []string
	for i, p := range params {
		if len(p.Values) == 0 {
			return nil, fmt.Errorf("whatif: sweep: --vary %s has no value", p.Path)
		}
		head, _, _ := strings.Cut(p.Path, ".")
		head, _, _ = strings.Cut(head, "[")
		if slices.Contains(unvaried, head) && head == p.Path {
			return nil, fmt.Errorf("whatif: sweep: --vary %s: %s is a setting of the run, not of the setup; give --%s, or vary the setup", p.Path, p.Path, p.Path)
		}
		for _, q := range params[:i] {
			if q.Path == p.Path {
				return nil, fmt.Errorf("whatif: sweep: %s is varied twice; give all its values in one --vary", p.Path)
			}
		}
		for _, o := range set {
			if o.Path == p.Path {
				return nil, fmt.Errorf("whatif: sweep: %s is both varied and set (--set %s); drop one", p.Path, o.String())
			}
		}
		n *= len(p.Values)
		sizes = append(sizes, fmt.Sprint(len(p.Values)))
		if n > MaxGridPoints {
			for _, q := range params[i+1:] {
				sizes = append(sizes, fmt.Sprint(len(q.Values)))
			}
			return nil, fmt.Errorf("whatif: sweep: the grid has more than %d points (%s values), above the cap of %d; vary fewer values or fewer parameters",
				MaxGridPoints, strings.Join(sizes, " × "), MaxGridPoints)
		}
	}
	points := make([][]scenarios.Override, 0, n)
	idx := make([]int, len(params))
	for {
		pt := make([]scenarios.Override, len(params))
		for k, p := range params {
			pt[k] = p.Values[idx[k]]
		}
		points = append(points, pt)
		k := len(params) - 1
		for k >= 0 {
			idx[k]++
			if idx[k] < len(params[k].Values) {
				break
			}
			idx[k] = 0
			k--
		}
		if k < 0 {
			return points, nil
		}
	}
}

// Sweep runs base at every point of the grid of params (Grid), each with
// o.Seed and the same number of trials (common random numbers): o.Trials,
// or with o.Precision the largest count a run to precision of any point
// stops at (found without keeping results, then every point is run with
// it). metric is what the document charts (report.MetricMeetBoth when
// empty); minP is the bar it marks for P(meet both). Every point's
// scenario is checked before any trial runs: its errors (positioned on
// the --vary argument) come back together as a scenarios.ErrorList.
func Sweep(ctx context.Context, base *scenarios.Resolved, params []Param, metric report.Metric, minP float64, o Options) (*report.Sweep, error) {
	if metric == "" {
		metric = report.MetricMeetBoth
	}
	grid, err := Grid(params, base.Overrides)
	if err != nil {
		return nil, err
	}
	var errs scenarios.ErrorList
	seen := map[string]bool{}
	cfgs := make([]*model.Config, len(grid))
	for i, pt := range grid {
		r, err := base.With(pt...)
		if err != nil {
			var el scenarios.ErrorList
			if !errors.As(err, &el) {
				return nil, err
			}
			for _, e := range el {
				if !seen[e.Error()] {
					seen[e.Error()] = true
					errs = append(errs, e)
				}
			}
			continue
		}
		cfgs[i] = r.Config
	}
	if len(errs) > 0 {
		return nil, errs
	}
	s := &report.Sweep{
		Schema:         report.SweepSchema,
		Scenario:       base.Config.Name,
		File:           base.Config.File,
		Seed:           o.Seed,
		Objectives:     report.ObjectivesOf(base.Config),
		Metric:         metric,
		MinProbability: minP,
		Points:         []report.SweepPoint{},
		Warnings:       []string{},
	}
	for _, ov := range base.Overrides {
		s.Overrides = append(s.Overrides, report.Override{Path: ov.Path, Value: ov.Value})
	}
	for _, p := range params {
		sp := report.SweepParameter{Path: p.Path}
		for _, v := range p.Values {
			sp.Values = append(sp.Values, v.Value)
		}
		s.Parameters = append(s.Parameters, sp)
	}
	s.Warnings = append(s.Warnings, sweepWarnings(cfgs, grid, metric)...)

	t := &tracker{f: o.Progress}
	n := o.Trials
	if o.Precision > 0 {
		t.plan(len(cfgs) * min(o.Trials, max(o.MaxTrials, 1)) * 2)
		p, err := counts(ctx, cfgs, o, t)
		if err != nil {
			return nil, err
		}
		n = p.Trials
		s.Precision = p
		if !p.Reached {
			s.Warnings = append(s.Warnings, fmt.Sprintf("precision ±%.2fpp not reached in every point within --max-trials %d", 100*p.Target, p.MaxTrials))
		}
	}
	s.Trials = n
	t.plan(t.base + len(cfgs)*n)
	for i, c := range cfgs {
		r := newRun(c, o.Seed, true)
		err := r.extend(ctx, n, o.Workers, t.fn())
		t.finish(r.Trials())
		if err != nil {
			return nil, err
		}
		values := make([]string, len(grid[i]))
		for k, ov := range grid[i] {
			values[k] = ov.Value
		}
		s.Points = append(s.Points, report.SweepPointOf(r.report(), values, metric))
		if s.Precision != nil {
			s.Precision.HalfWidth = max(s.Precision.HalfWidth, r.HalfWidth())
		}
	}
	report.MarkPareto(s.Points)
	return s, nil
}

// sweepWarnings says when the points are not paired (a varied outage),
// judge P(meet both) against other objectives, or have no objective.
func sweepWarnings(cfgs []*model.Config, grid [][]scenarios.Override, metric report.Metric) []string {
	var w []string
	label := func(i int) string {
		parts := make([]string, len(grid[i]))
		for k, o := range grid[i] {
			parts[k] = o.String()
		}
		return strings.Join(parts, ", ")
	}
	seen := map[string]bool{}
	for i := 1; i < len(cfgs); i++ {
		broken, _ := report.Pairing(cfgs[0], cfgs[i], "the first point", label(i))
		for _, b := range broken {
			msg := "points are not paired (trial i does not see the same outage at every point), so differences between them mix setups and outages: " + b
			if !seen[msg] {
				seen[msg] = true
				w = append(w, msg)
			}
		}
		if cfgs[i].Objectives != cfgs[0].Objectives && !seen["objectives"] {
			seen["objectives"] = true
			w = append(w, "the points have different objectives: each point's P(meet both) is judged against its own")
		}
	}
	if metric == report.MetricMeetBoth {
		for i, c := range cfgs {
			if !c.Objectives.HasRTO && !c.Objectives.HasRPO {
				w = append(w, fmt.Sprintf("point %s sets no RTO or RPO objective: its P(meet both) does not exist", label(i)))
				break
			}
		}
	}
	return w
}
