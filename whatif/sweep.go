package whatif

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
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

// source names a parameter in errors: "--vary #2 failover.detect".
func (p Param) source() string {
	if len(p.Values) > 0 && p.Values[0].Source != "" {
		return p.Values[0].Source + " " + p.Path
	}
	return "--vary " + p.Path
}

// unvaried are the top-level keys a sweep cannot vary, and why: they are
// settings of the run, or they change what P(meet both) measures rather
// than the setup.
var unvaried = map[string]string{
	"trials": "the number of trials is a setting of the run, not of the setup: every point runs the same trials (give --trials)",
	"seed":   "the seed is a setting of the run, not of the setup: every point runs with the same seed (give --seed)",
	"name":   "the name labels the report and changes nothing that is simulated: vary a value of the setup",
	"description": "the description labels the report and changes nothing that is simulated: " +
		"vary a value of the setup",
	"horizon": "the horizon is how long each trial watches, not a property of the setup: incident-free trials meet both " +
		"objectives, so P(meet both) would measure the horizon (a shorter one always looks better); set it for every point " +
		"with --set horizon=...",
}

// Grid returns the points of the grid of params over base: one override
// per parameter each, the last parameter varying fastest. Paths are
// compared in their canonical form in base (scenarios.Resolved.Canonical:
// [approve], [name=approve] and [0] are one step). It fails, with every
// problem at once, when a parameter has no value or a value twice, a
// path is varied twice (or one varied path holds another), a varied path
// holds a --set one of base (which it would replace), a path is one of
// unvaried, or the grid has more than MaxGridPoints points.
func Grid(base *scenarios.Resolved, params []Param) ([][]scenarios.Override, error) {
	if len(params) == 0 {
		return nil, errors.New("whatif: sweep: nothing to vary (give --vary PATH=V1,V2,...)")
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf("whatif: sweep: "+format, args...)) }
	canon := make([]string, len(params))
	set := make([]string, len(base.Overrides))
	for i, o := range base.Overrides {
		set[i] = base.Canonical(o)
	}
	n := 1
	var sizes []string
	for i, p := range params {
		if len(p.Values) == 0 {
			fail("%s has no value", p.source())
			continue
		}
		n = min(n*len(p.Values), MaxGridPoints+1)
		sizes = append(sizes, fmt.Sprint(len(p.Values)))
		c := base.Canonical(p.Values[0])
		canon[i] = c
		if why, ok := unvaried[c]; ok {
			fail("%s: %s", p.source(), why)
			continue
		}
		for j, q := range params[:i] {
			switch {
			case canon[j] == "":
			case canon[j] == c:
				fail("%s and %s name the same value, %s: give all its values in one --vary", q.source(), p.source(), c)
			case scenarios.PathWithin(c, canon[j]), scenarios.PathWithin(canon[j], c):
				fail("%s and %s overlap (%s holds %s): vary one of them", q.source(), p.source(), shorter(c, canon[j]), longer(c, canon[j]))
			}
		}
		for k, o := range base.Overrides {
			if scenarios.PathWithin(set[k], c) {
				fail("%s is both varied and set (%s %s), which the varied values would replace: drop one", p.source(), o.Source, o.String())
			}
		}
		seen := map[string]bool{}
		for _, v := range p.Values {
			if seen[v.Value] {
				fail("%s: the value %s is given twice: each value is one point of the grid", p.source(), v.Value)
			}
			seen[v.Value] = true
		}
	}
	if n > MaxGridPoints {
		fail("the grid has more than %d points (%s values), above the cap of %d; vary fewer values or fewer parameters",
			MaxGridPoints, strings.Join(sizes, " × "), MaxGridPoints)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
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

func shorter(a, b string) string {
	if len(a) < len(b) {
		return a
	}
	return b
}

func longer(a, b string) string {
	if len(a) < len(b) {
		return b
	}
	return a
}

// pointLabel names a point of the grid: "failover.detect=2m,
// buckets.alerts.replication[0].rtc=true" (paths as written).
func pointLabel(pt []scenarios.Override) string {
	parts := make([]string, len(pt))
	for k, o := range pt {
		parts[k] = o.String()
	}
	return strings.Join(parts, ", ")
}

// pointConfigs resolves every point of the grid and returns its Config.
// Every problem comes back at once (a scenarios.ErrorList when all are
// the scenario's): a value's own errors once, on its --vary argument; an
// error that only a combination of values gives (failover.from and
// failover.to varied to the same region) names the point, or the first of
// the points, where it occurs; two values of one parameter that give the
// same scenario (1m and 60s) are an error too.
func pointConfigs(base *scenarios.Resolved, params []Param, grid [][]scenarios.Override) ([]*model.Config, error) {
	// own[k][x] holds the errors value x of parameter k gives alone.
	own := make([][]map[string]bool, len(params))
	for k, p := range params {
		own[k] = make([]map[string]bool, len(p.Values))
		for x, v := range p.Values {
			own[k][x] = map[string]bool{}
			if _, err := base.With(v); err != nil {
				var el scenarios.ErrorList
				if !errors.As(err, &el) {
					return nil, err
				}
				for _, e := range el {
					own[k][x][e.Error()] = true
				}
			}
		}
	}
	type found struct {
		e      *scenarios.Error
		points []int
	}
	var order []string
	byKey := map[string]*found{}
	cfgs := make([]*model.Config, len(grid))
	for i, pt := range grid {
		r, err := base.With(pt...)
		if err == nil {
			cfgs[i] = r.Config
			continue
		}
		var el scenarios.ErrorList
		if !errors.As(err, &el) {
			return nil, err
		}
		for _, e := range el {
			k := e.Error()
			f := byKey[k]
			if f == nil {
				f = &found{e: e}
				byKey[k] = f
				order = append(order, k)
			}
			f.points = append(f.points, i)
		}
	}
	// An error is the values' own when, for a parameter, the values that
	// give it alone are exactly those of the points where it occurs (a
	// bad value, or a path that selects nothing, which all its values
	// give).
	index := func(i, k int) int { // the value of parameter k at point i
		for x, v := range params[k].Values {
			if v.Value == grid[i][k].Value { // values are distinct (Grid)
				return x
			}
		}
		return -1
	}
	isOwn := func(key string, points []int) bool {
		at := map[int]bool{}
		for _, i := range points {
			at[i] = true
		}
		for k := range params {
			match, any := true, false
			for i := range grid {
				gives := own[k][index(i, k)][key]
				any = any || gives
				if gives != at[i] {
					match = false
					break
				}
			}
			if match && any {
				return true
			}
		}
		return false
	}
	var errs scenarios.ErrorList
	for _, key := range order {
		f := byKey[key]
		if isOwn(key, f.points) {
			errs = append(errs, f.e)
			continue
		}
		e := *f.e
		where := "at the point " + pointLabel(grid[f.points[0]])
		if n := len(f.points); n > 1 {
			where = fmt.Sprintf("at %d points, the first %s", n, pointLabel(grid[f.points[0]]))
		}
		e.Msg += " (" + where + ")"
		errs = append(errs, &e)
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(a, b int) bool {
			x, y := errs[a], errs[b]
			if x.File != y.File {
				return x.File < y.File
			}
			if x.Line != y.Line {
				return x.Line < y.Line
			}
			return x.Col < y.Col
		})
		return nil, errs
	}
	// Two values of a parameter that give the same scenario at the first
	// setting of the others give it at every setting: the grid would hold
	// each of its points twice.
	var dup []error
	stride := len(grid)
	for _, p := range params {
		stride /= len(p.Values)
		for a := range p.Values {
			for b := a + 1; b < len(p.Values); b++ {
				if reflect.DeepEqual(cfgs[a*stride], cfgs[b*stride]) {
					dup = append(dup, fmt.Errorf("whatif: sweep: %s: the values %s and %s give the same scenario: each point of the grid would be run twice; drop one",
						p.source(), p.Values[a].Value, p.Values[b].Value))
				}
			}
		}
	}
	if len(dup) > 0 {
		return nil, errors.Join(dup...)
	}
	return cfgs, nil
}

// Check checks a sweep before it runs, as Sweep does: the grid of params
// over base (Grid) and the scenario of every point (every error at once,
// a scenarios.ErrorList when all are the scenario's).
func Check(base *scenarios.Resolved, params []Param) error {
	grid, err := Grid(base, params)
	if err != nil {
		return err
	}
	_, err = pointConfigs(base, params, grid)
	return err
}

// Sweep runs base at every point of the grid of params (Grid), each with
// o.Seed and the same number of trials (common random numbers): o.Trials,
// or with o.Precision the largest count a run to precision of any point
// stops at (found without keeping results, then every point is run with
// it). metric is what the document charts (report.MetricMeetBoth when
// empty); minP is the bar it marks for P(meet both). Every point's
// scenario is checked before any trial runs: its errors (positioned on
// the --vary argument, a combination's naming its point) come back
// together (see pointConfigs). The document carries every point's
// warnings (SweepPoint.Warnings, and grouped in Warnings naming the
// points), and says which parameter changes no simulated outcome
// (SweepParameter.NoEffect).
func Sweep(ctx context.Context, base *scenarios.Resolved, params []Param, metric report.Metric, minP float64, o Options) (*report.Sweep, error) {
	if metric == "" {
		metric = report.MetricMeetBoth
	}
	grid, err := Grid(base, params)
	if err != nil {
		return nil, err
	}
	cfgs, err := pointConfigs(base, params, grid)
	if err != nil {
		return nil, err
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
			s.Warnings = append(s.Warnings, fmt.Sprintf("precision ±%s not reached in every point within --max-trials %d", report.PercentagePoints(p.Target), p.MaxTrials))
		}
	}
	s.Trials = n
	if w := fewTrials(n); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
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
		rep := r.report()
		pt := report.SweepPointOf(rep, values, metric)
		pt.Warnings = append([]string(nil), rep.Warnings...)
		s.Points = append(s.Points, pt)
		if s.Precision != nil {
			s.Precision.HalfWidth = max(s.Precision.HalfWidth, round9(r.HalfWidth()))
		}
	}
	report.MarkPareto(s.Points)
	for k := range s.Parameters {
		s.Parameters[k].NoEffect = noEffect(s, cfgs, base.Canonical(params[k].Values[0]), k)
		if ne := s.Parameters[k].NoEffect; ne != "" {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s changes no simulated outcome, only the cost: %s", s.Parameters[k].Path, ne))
		}
	}
	s.Warnings = append(s.Warnings, pointWarnings(s, grid)...)
	return s, nil
}

// fewTrials warns when n trials a run are too few to compare runs
// (report.MinTrials).
func fewTrials(n int) string {
	if n >= report.MinTrials {
		return ""
	}
	return fmt.Sprintf("only %d %s a run: the 95%% intervals are wide (P(meet both)'s is ±%s at best), so the differences between runs "+
		"rest largely on chance; give --trials 1000 or more", n, plural(n, "trial", "trials"), report.PercentagePoints(report.WilsonHalfWidth(n, n)))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// maxPointWarnings bounds the grouped point warnings a sweep lists; every
// point's are in its points[].warnings.
const maxPointWarnings = 20

// pointWarnings groups the points' warnings: each distinct warning once,
// with the points that have it ("at every point", "at rtc=false", "at 3
// points: ..."), at most maxPointWarnings of them.
func pointWarnings(s *report.Sweep, grid [][]scenarios.Override) []string {
	var order []string
	at := map[string][]int{}
	for i, pt := range s.Points {
		for _, w := range pt.Warnings {
			if at[w] == nil {
				order = append(order, w)
			}
			at[w] = append(at[w], i)
		}
	}
	var out []string
	for n, w := range order {
		if n == maxPointWarnings {
			out = append(out, fmt.Sprintf("%d more warnings of single points: sweep.json lists every point's (points[].warnings)", len(order)-n))
			break
		}
		ps := at[w]
		var where string
		switch {
		case len(ps) == len(s.Points):
			where = "at every point"
		case len(ps) <= 3:
			labels := make([]string, len(ps))
			for k, i := range ps {
				labels[k] = pointLabel(grid[i])
			}
			where = "at " + strings.Join(labels, "; ")
		case sharedValue(grid, ps) != "":
			where = "at every point with " + sharedValue(grid, ps)
		default:
			where = fmt.Sprintf("at %d points (%s; %s; and %d more)", len(ps), pointLabel(grid[ps[0]]), pointLabel(grid[ps[1]]), len(ps)-2)
		}
		out = append(out, where+": "+w)
	}
	return out
}

// sharedValue returns "path=value" when the points ps (indices into
// grid) are exactly those where one parameter takes one value, else "".
func sharedValue(grid [][]scenarios.Override, ps []int) string {
	if len(ps) == 0 {
		return ""
	}
	in := map[int]bool{}
	for _, i := range ps {
		in[i] = true
	}
	for k, o := range grid[ps[0]] {
		exact := true
		for i, pt := range grid {
			if (pt[k].Value == o.Value) != in[i] {
				exact = false
				break
			}
		}
		if exact {
			return o.String()
		}
	}
	return ""
}

// outcome is what a sweep point simulated: every figure of the point but
// its cost, its values, its front and its warnings.
func outcome(p report.SweepPoint) report.SweepPoint {
	p.Values, p.MonthlyUSD, p.Pareto, p.Warnings = nil, 0, false, nil
	return p
}

// ruleRTC matches the canonical path of a replication rule's rtc.
var ruleRTC = regexp.MustCompile(`^buckets\.(.+)\.replication\[(\d+)\]\.rtc$`)

// noEffect says why parameter k (canonical path path) changes no
// simulated outcome: every point's figures but the cost are the same at
// each of its values, for every setting of the others; "" when it changes
// one. With common random numbers the same figures mean the same trials.
// The rtc of a rule that sets its lag explicitly is the usual case: the
// lag replaces the one rtc would choose, and rtc only sets the price.
func noEffect(s *report.Sweep, cfgs []*model.Config, path string, k int) string {
	if len(s.Parameters[k].Values) < 2 {
		return ""
	}
	stride := 1
	for j := k + 1; j < len(s.Parameters); j++ {
		stride *= len(s.Parameters[j].Values)
	}
	nk := len(s.Parameters[k].Values)
	for i := range s.Points {
		if (i/stride)%nk != 0 {
			continue // compare from the first value of k
		}
		for x := 1; x < nk; x++ {
			if !reflect.DeepEqual(outcome(s.Points[i]), outcome(s.Points[i+x*stride])) {
				return ""
			}
		}
	}
	why := "P(meet both), RTO, RPO, lost writes and KMS failures are the same at each of its values, trial for trial"
	if m := ruleRTC.FindStringSubmatch(path); m != nil {
		name := m[1]
		if u, err := strconv.Unquote(name); err == nil {
			name = u
		}
		ri, _ := strconv.Atoi(m[2])
		for _, b := range cfgs[0].Buckets {
			if b.Name == name && ri < len(b.Replication) && !b.Replication[ri].LagDefault {
				return why + "; the rule sets its lag explicitly (" + b.Replication[ri].Lag.String() +
					"), which replaces the lag rtc would choose, so rtc only sets the price of Replication Time Control"
			}
		}
	}
	return why
}

// sweepWarnings says when the points are not paired (a varied outage),
// judge P(meet both) against other objectives, or have no objective.
func sweepWarnings(cfgs []*model.Config, grid [][]scenarios.Override, metric report.Metric) []string {
	var w []string
	seen := map[string]bool{}
	for i := 1; i < len(cfgs); i++ {
		broken, _ := report.Pairing(cfgs[0], cfgs[i], "the first point", pointLabel(grid[i]))
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
				w = append(w, fmt.Sprintf("point %s sets no RTO or RPO objective: its P(meet both) does not exist", pointLabel(grid[i])))
				break
			}
		}
	}
	return w
}
