package report

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/exact"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/report/internal/order"
	"github.com/drsim/drsim/sim"
)

// The aggregation of a Trials into the report's metrics. Counts and the
// sums the records do not keep come from Trials.sums (exact); everything
// else from the records in trial order, so that any split of the trials
// (workers, shards) gives the same bytes. Percentiles are order statistics
// found by selection (package order), a metric at a time in a scratch slice
// of 8 bytes per trial, at most GOMAXPROCS metrics at once.

// scratch lends float64 buffers of n values to the functions parallel
// runs: at most one each at a time, so at most GOMAXPROCS buffers live.
type scratch struct {
	n    int
	free chan []float64
}

func newScratch(n int) *scratch {
	return &scratch{n: n, free: make(chan []float64, max(1, runtime.GOMAXPROCS(0)))}
}

// get returns an empty buffer with room for n values.
func (s *scratch) get() []float64 {
	select {
	case b := <-s.free:
		return b[:0]
	default:
		return make([]float64, 0, s.n)
	}
}

// put returns b for reuse.
func (s *scratch) put(b []float64) {
	select {
	case s.free <- b:
	default:
	}
}

// parallel runs the functions on at most GOMAXPROCS goroutines and waits.
func parallel(fns ...func()) {
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for _, fn := range fns {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn()
		})
	}
	wg.Wait()
}

// summarize describes the finite values plus inf values of +Inf: the mean
// and its interval over the finite values, from exact sums; the
// percentiles, min, max and their intervals by selection. values is
// rearranged. extra ranks (0-based, into the values followed by the +Inf
// ones) are placed too, for a caller that wants more order statistics of
// the same sample (at).
func summarize(values []float64, inf int, extra ...int) Summary {
	n := len(values) + inf
	s := Summary{N: n}
	if n == 0 {
		return s
	}
	if len(values) > 0 {
		mean, ci := meanCI(values)
		s.Mean, s.MeanCI95 = ptr(human.Round(mean)), ci
	}
	ps := [4]float64{0.50, 0.90, 0.95, 0.99}
	ranks := append([]int{0, n - 1}, extra...)
	var cis [4][2]int
	for i, p := range ps {
		ranks = append(ranks, order.Rank(p, n))
		l := binomQuantile(n, p, 0.025)
		u := binomQuantile(n, p, 0.975) + 1
		cis[i] = [2]int{l - 1, u - 1}
		ranks = append(ranks, l-1, u-1)
	}
	sel := ranks[:0:0]
	for _, r := range ranks {
		if r >= 0 && r < len(values) {
			sel = append(sel, r)
		}
	}
	order.Select(values, sel...)
	at := func(r int) float64 {
		if r < len(values) {
			return values[r]
		}
		return math.Inf(1)
	}
	q := func(p float64) *float64 { return finite(at(order.Rank(p, n))) }
	s.P50, s.P90, s.P95, s.P99 = q(0.50), q(0.90), q(0.95), q(0.99)
	s.Max = finite(at(n - 1))
	s.Min = finite(at(0))
	iv := func(i int) Interval {
		var v Interval
		if l := cis[i][0]; l >= 0 && l < n {
			v[0] = finite(at(l))
		}
		if u := cis[i][1]; u >= 0 && u < n {
			v[1] = finite(at(u))
		}
		return v
	}
	s.PCI95 = &PercentileCIs{P50: iv(0), P90: iv(1), P95: iv(2), P99: iv(3)}
	return s
}

// gridRanks returns the ranks of the quantiles at p = 0, 0.01, ..., 1 of n
// values.
func gridRanks(n int) []int {
	if n == 0 {
		return nil
	}
	r := make([]int, 101)
	for i := range r {
		r[i] = order.Rank(float64(i)/100, n)
	}
	return r
}

// gridOf returns the quantile grid of values (already selected at
// gridRanks) followed by inf values of +Inf.
func gridOf(values []float64, inf int) []QuantilePoint {
	out := []QuantilePoint{}
	n := len(values) + inf
	for i, r := range gridRanks(n) {
		v := math.Inf(1)
		if r < len(values) {
			v = values[r]
		}
		out = append(out, QuantilePoint{P: float64(i) / 100, Seconds: finite(v)})
	}
	return out
}

// meanCI returns the mean of d and its 95% interval (Student t), from exact
// sums: the mean is Σx/n, the variance gonum's corrected two-pass form
// (Σ(x−m)² − (Σ(x−m))²/n)/(n−1) with each sum exact, so that neither
// depends on the order of d.
func meanCI(d []float64) (mean float64, ci *[2]float64) {
	if len(d) == 0 {
		return 0, nil
	}
	var sum exact.Sum
	for _, x := range d {
		sum.Add(x)
	}
	n := float64(len(d))
	mean = sum.Float64() / n
	if len(d) < 2 {
		return mean, nil
	}
	var ss, comp exact.Sum
	for _, x := range d {
		dd := x - mean
		ss.Add(dd * dd)
		comp.Add(dd)
	}
	c := comp.Float64()
	// squares below the Sum's resolution (deviations of an ulp of values
	// near 1e-4) are dropped while c*c/n keeps them: the difference can
	// fall below 0, whose square root is NaN
	variance := max(0, (ss.Float64()-c*c/n)/(n-1))
	sd := math.Sqrt(variance)
	t := studentT975(len(d) - 1)
	h := t * sd / math.Sqrt(n)
	return mean, &[2]float64{human.Round(mean - h), human.Round(mean + h)}
}

// metricsFrom aggregates the per-trial metrics of t. It also returns the
// number of non-finite values found in the results (counted as 0).
func metricsFrom(t *Trials, sc *scratch) (Metrics, Distributions, int) {
	cfg := t.Cfg
	var m Metrics
	var d Distributions
	n := t.N()
	unrecovered, recovered := 0, 0
	for i := range t.recs {
		r := &t.recs[i]
		if r.Incident() {
			m.IncidentTrials++
			if r.Recovered() {
				recovered++
			} else {
				unrecovered++
			}
		}
	}
	d.IncidentTrials, d.Unrecovered = m.IncidentTrials, unrecovered
	recValues := func(f func(i int, r *Record) float64) []float64 {
		v := sc.get()
		for i := range t.recs {
			if r := &t.recs[i]; r.Incident() && r.Recovered() {
				v = append(v, f(i, r))
			}
		}
		return v
	}
	// finiteValues is recValues without the +Inf ones (unbounded RPOs and
	// lost writes), which it counts.
	finiteValues := func(f func(i int, r *Record) float64) ([]float64, int) {
		v := recValues(f)
		k, inf := 0, 0
		for _, x := range v {
			if math.IsInf(x, 1) {
				inf++
				continue
			}
			v[k] = x
			k++
		}
		return v[:k], inf
	}
	lostOf := func(n int64) float64 {
		if n == model.UnboundedLost {
			return math.Inf(1)
		}
		return float64(n)
	}
	storeKeyNames := storeKeys(cfg)
	byStore := make([]Summary, t.nStores)
	fns := []func(){
		func() {
			v := recValues(func(_ int, r *Record) float64 { return seconds(r.RTO) })
			m.RTOSeconds = RTOSummary{Summary: summarize(v, unrecovered, gridRanks(len(v)+unrecovered)...), Unrecovered: unrecovered}
			d.RTO = gridOf(v, unrecovered)
			sc.put(v)
		},
		func() {
			v, inf := finiteValues(func(_ int, r *Record) float64 {
				if r.UnboundedRPO() {
					return math.Inf(1)
				}
				return seconds(r.RPO)
			})
			m.RPOSeconds = RPOSummary{Summary: summarize(v, inf, gridRanks(len(v)+inf)...), Unbounded: inf}
			d.RPO = gridOf(v, inf)
			sc.put(v)
		},
		func() {
			v, inf := finiteValues(func(i int, _ *Record) float64 { return lostOf(t.LostTotal(t.from + i)) })
			m.LostWrites = LostSummary{Summary: summarize(v, inf), Unbounded: inf, ByStore: map[string]Summary{}}
			sc.put(v)
		},
	}
	for s := range byStore {
		fns = append(fns, func() {
			v, inf := finiteValues(func(i int, _ *Record) float64 { return lostOf(t.LostWrites(t.from+i, s)) })
			byStore[s] = summarize(v, inf)
			sc.put(v)
		})
	}
	fns = append(fns,
		func() {
			if cfg.Horizon <= 0 {
				return
			}
			v := sc.get()
			for i := range t.recs {
				v = append(v, float64(t.UpTime(t.from+i))/float64(cfg.Horizon))
			}
			m.Availability = summarize(v, 0)
			sc.put(v)
		},
		func() {
			v := sc.get()
			for i := range t.recs {
				if r := &t.recs[i]; r.Flags&flagSuccess != 0 {
					v = append(v, r.Success)
				}
			}
			m.RequestSuccess = summarize(v, 0)
			sc.put(v)
		},
		func() {
			v := sc.get()
			for i := range t.recs {
				if r := &t.recs[i]; r.Flags&flagIncidentSuccess != 0 {
					v = append(v, r.IncidentSuccess)
				}
			}
			m.IncidentRequestSuccess = summarize(v, 0)
			sc.put(v)
		})
	// m.IncidentTrials is read by the last function: it is set above.
	parallel(fns...)
	if m.LostWrites.ByStore == nil {
		m.LostWrites.ByStore = map[string]Summary{}
	}
	for s, name := range storeKeyNames {
		m.LostWrites.ByStore[name] = byStore[s]
	}

	// Means per trial: the unavailable requests in trial order (the
	// records keep them), the offered ones from the exact sum.
	var unavailable exact.Sum
	for i := range t.recs {
		unavailable.Add(t.recs[i].Unavailable)
	}
	unav := unavailable.Float64()
	offered := t.sums.Offered.Float64()
	if offered > 0 {
		m.UnavailableShare = finite(unav / offered)
	}
	fails := make([]float64, len(t.sums.Failures))
	for k := range fails {
		fails[k] = t.sums.Failures[k].Float64()
	}
	if nf := float64(n); nf > 0 {
		unav /= nf
		offered /= nf
		for k := range fails {
			fails[k] /= nf
		}
	}
	m.Unavailable = human.Round(unav)
	m.OfferedMean = human.Round(offered)
	if h := seconds(cfg.Horizon); h > 0 {
		m.UnavailablePerSecond = human.Round(unav / h)
	}
	m.KMSFailures = failures(cfg, fails)
	mean := func(v []exact.Sum) []float64 {
		out := make([]float64, len(v))
		for k := range v {
			out[k] = v[k].Float64()
			if n > 0 {
				out[k] /= float64(n)
			}
		}
		return out
	}
	keyNames := make([]string, len(cfg.Keys))
	for i := range cfg.Keys {
		keyNames[i] = cfg.Keys[i].Name
	}
	m.KMSFailures.ByKey, m.KMSFailures.ByKeyReason = breakdown(keyNames, mean(t.sums.ByKey))
	m.KMSFailures.ByStore, m.KMSFailures.ByStoreReason = breakdown(storeKeyNames, mean(t.sums.ByStore))
	return m, d, t.sums.Bad
}

// dynamicFindings returns the dynamic findings of the trials of t (the
// causes they observed, findings.Tally), walking them in trial order.
func dynamicFindings(t *Trials) []findings.Finding {
	tally := findings.NewTally(t.Cfg)
	var tr model.TrialResult
	for k := range t.recs {
		t.view(t.from+k, &tr)
		tally.Add(&tr)
	}
	return tally.Findings(nil)
}

// meetsRec reports whether a trial meets the RTO and the RPO objectives
// (meets).
func meetsRec(cfg *model.Config, r *Record) (rto, rpo bool) {
	o := &cfg.Objectives
	switch {
	case !r.Incident():
		return true, true
	case !r.Recovered():
		return !o.HasRTO, !o.HasRPO
	}
	return !o.HasRTO || r.RTO <= o.RTO, !o.HasRPO || r.RPO <= o.RPO
}

// objectivesMetFrom estimates the probability of meeting the objectives
// over the trials of t.
func objectivesMetFrom(t *Trials) ObjectivesMet {
	var mr, mp, mb int
	for i := range t.recs {
		a, b := meetsRec(t.Cfg, &t.recs[i])
		if a {
			mr++
		}
		if b {
			mp++
		}
		if a && b {
			mb++
		}
	}
	return objectivesFromCounts(t.Cfg, t.N(), mr, mp, mb)
}

func objectivesFromCounts(cfg *model.Config, n, mr, mp, mb int) ObjectivesMet {
	var o ObjectivesMet
	prob := func(set bool, met int) Probability {
		p := Probability{Met: met, N: n}
		if set && n > 0 {
			p.P = ptr(human.Round(float64(met) / float64(n)))
			ci := wilson(met, n)
			p.CI95 = &ci
		}
		return p
	}
	o.RTO = prob(cfg.Objectives.HasRTO, mr)
	o.RPO = prob(cfg.Objectives.HasRPO, mp)
	o.Both = prob(cfg.Objectives.HasRTO || cfg.Objectives.HasRPO, mb)
	return o
}

// operationsFrom summarises each action, then each runbook step, over the
// trials of t. rep is the representative trial's full result, or nil.
func operationsFrom(t *Trials, rep *model.TrialResult, sc *scratch) []OpSummary {
	cfg := t.Cfg
	out := make([]OpSummary, t.nOps)
	fns := make([]func(), t.nOps)
	for i := range out {
		fns[i] = func() {
			sums := &t.sums.Ops[i]
			s := OpSummary{Name: OpLabel(cfg, i), Errors: map[string]int{}, LastErrors: map[string]int{}}
			if i < len(cfg.Actions) {
				s.Kind = "action"
				s.Op = cfg.Actions[i].Op.Kind.String()
			} else {
				st := &cfg.Failover.Steps[i-len(cfg.Actions)]
				s.Kind = "step"
				s.Op = st.Op.Kind.String()
				s.Required = st.Required
				for _, n := range st.Needs {
					s.Needs = append(s.Needs, needText(cfg, n))
				}
			}
			s.TrialsNotStarted, s.TrialsStarted = sums.NotStarted, sums.Started
			s.TrialsDone, s.TrialsFailed, s.TrialsAbandoned = sums.Done, sums.Failed, sums.Abandoned
			s.TrialsRefused = sums.Refused
			for e, n := range sums.Errors {
				v, ok := n.Int()
				if !ok {
					s.saturated = true
				}
				s.Errors[e] = v
			}
			for e, n := range sums.LastErrors {
				s.LastErrors[e] = n
			}
			// Times in ns (exact in a float64 below 104 days); seconds()
			// is monotone, so the percentiles are converted, not the values.
			v := sc.get()
			for k := range t.recs {
				if at, ok := t.DoneAt(t.from+k, i); ok {
					v = append(v, float64(at))
				}
			}
			s.DoneAtP50Seconds, s.DoneAtP90Seconds, s.DoneAtP99Seconds = pcts3(v, 0.5, 0.9, 0.99)
			v = v[:0]
			for k := range t.recs {
				if at, ok := t.DoneAt(t.from+k, i); ok {
					if r := &t.recs[k]; r.Incident() && at >= r.T0 {
						v = append(v, float64(at-r.T0))
					}
				}
			}
			s.DoneAfterT0P50Seconds, s.DoneAfterT0P90Seconds, _ = pcts3(v, 0.5, 0.9, 1)
			sc.put(v)
			if s.TrialsStarted > 0 {
				s.AttemptsMean = human.Round(sums.Attempts.Float64() / float64(s.TrialsStarted))
			}
			if len(s.LastErrors) == 0 {
				s.LastErrors = nil
			}
			if rep != nil && i < len(rep.Ops) {
				s.Representative = repOpText(&rep.Ops[i], rep, s.Kind == "step")
			}
			s.Summary = opSummaryText(&s)
			out[i] = s
		}
	}
	parallel(fns...)
	return out
}

// pcts3 returns three empirical percentiles, in seconds, of x, times in
// nanoseconds (rearranged); nil when x is empty.
func pcts3(x []float64, a, b, c float64) (*float64, *float64, *float64) {
	if len(x) == 0 {
		return nil, nil, nil
	}
	n := len(x)
	order.Select(x, order.Rank(a, n), order.Rank(b, n), order.Rank(c, n))
	q := func(p float64) *float64 { return finite(seconds(sim.Time(x[order.Rank(p, n)]))) }
	return q(a), q(b), q(c)
}

// tailWarningsFrom returns, per store, a warning when its RPO p50 or p95
// (over the recovered incident trials) exceeds the p99.99 of its
// replication lag (tailWarnings). Only the store RPOs above that are kept
// (the trial's, when the store set it, and the rare details' others), which
// is all the warning needs: a percentile above it is one of them.
func tailWarningsFrom(t *Trials) []string {
	cfg := t.Cfg
	names := cfg.StoreNames()
	var w []string
	for si, name := range names {
		lag, ok := storeLag(cfg, si)
		if !ok || bounded(lag) {
			continue
		}
		q := lag.Quantile(tailP) / 1e9
		if math.IsNaN(q) {
			continue
		}
		n := 0
		var above []float64
		for k := range t.recs {
			r := &t.recs[k]
			if !r.Incident() || !r.Recovered() || (r.UnboundedRPO() && t.stores[k*t.nStores+si]&maxRPOBit != 0) {
				continue // an unbounded RPO rests on no lag's tail
			}
			n++
			var v float64
			switch {
			case t.stores[k*t.nStores+si]&maxRPOBit != 0:
				v = float64(r.RPO) / float64(sim.Second)
			case r.Rare != 0:
				for _, s := range t.rareOf(r).storeRPO {
					if s.store == si {
						v = float64(s.rpo) / float64(sim.Second)
					}
				}
			}
			if v > q {
				above = append(above, v)
			}
		}
		if n == 0 {
			continue
		}
		below := n - len(above)
		r50, r95 := order.Rank(0.5, n), order.Rank(0.95, n)
		if below > r50 && below > r95 {
			continue // both percentiles at or below q
		}
		var sel []int
		for _, r := range []int{r50, r95} {
			if r >= below {
				sel = append(sel, r-below)
			}
		}
		order.Select(above, sel...)
		p95 := above[r95-below]
		which := fmt.Sprintf("p95 %s exceeds", human.Dur(human.Round(p95)))
		if r50 >= below {
			p50 := above[r50-below]
			which = fmt.Sprintf("p50 %s and p95 %s exceed", human.Dur(human.Round(p50)), human.Dur(human.Round(p95)))
		}
		w = append(w, fmt.Sprintf("store %q: RPO %s the p99.99 (%s) of its replication lag %s: set by writes older than that, it rests on the distribution's extrapolated tail",
			name, which, human.Dur(human.Round(q)), lag))
	}
	return w
}

// Representative returns the index of the trial whose RTO is the median
// among the recovered incident trials (the lower median; among equal RTOs
// the lowest index), as model.Representative does on full results: with no
// recovered incident trial, the first incident trial, and From when there
// is no incident at all (-1 when t is empty).
func (t *Trials) Representative() int {
	if t.N() == 0 {
		return -1
	}
	var rto []float64
	firstIncident := -1
	for k := range t.recs {
		r := &t.recs[k]
		if !r.Incident() {
			continue
		}
		if firstIncident < 0 {
			firstIncident = k
		}
		if r.Recovered() {
			rto = append(rto, float64(r.RTO))
		}
	}
	if len(rto) == 0 {
		if firstIncident >= 0 {
			return t.from + firstIncident
		}
		return t.from
	}
	m := (len(rto) - 1) / 2
	order.Select(rto, m)
	med := int64(rto[m])
	for k := range t.recs {
		if r := &t.recs[k]; r.Incident() && r.Recovered() && r.RTO == med {
			return t.from + k
		}
	}
	return t.from // not reached
}

// failuresOfTrial returns the failed KMS calls of trial index i by reason
// (summed over regions; 0 unused) and in total.
func (t *Trials) failuresOfTrial(i int) (byReason [kms.NumReasons]float64, total float64) {
	r := t.Record(i)
	if r.Rare == 0 {
		return byReason, 0
	}
	v := t.rareOf(r)
	return v.byReason, v.total
}

// studentT975 is the 97.5% quantile of Student's t with nu degrees of
// freedom (the 95% interval of a mean), cached for the common sizes.
func studentT975(nu int) float64 {
	return studentTQuantile(nu)
}
