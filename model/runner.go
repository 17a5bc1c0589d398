package model

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Service indices into Runner.down (per region, per service).
const (
	svcKMS = iota
	svcS3
	svcDynamoDB
	svcApp
	numSvc
)

// Runner simulates trials of one scenario. A Runner is not safe for
// concurrent use: use one per worker. It reuses its memory across trials.
type Runner struct {
	cfg *Config
	eng *sim.Engine
	kms *kms.KMS
	nR  int

	regionNames []string
	// stream names, built once
	outageStreams, actionStreams []string
	stores                       []store
	steps                        []stepInfo // static runbook structure

	// pre-bound handlers (no closure per event)
	outageStartFn, outageEndFn, actionFn    sim.Func
	runbookStartFn, stepFireFn, routeBackFn sim.Func
	leaveFn, archiveFn                      sim.Func

	// ---- per-trial state ----
	seed uint64
	d    *Detail
	res  TrialResult

	down     []int // [region*numSvc+svc] outages in force
	part     []int // [a*nR+b] partitions in force (symmetric)
	outageOn []bool
	// outWin holds [start, end) of every outage that happens in this trial
	// (end sim.Forever when it outlasts the horizon), indexed like
	// Config.Outages; start -1 when it does not happen. Backups ask it
	// whether a source was up at a snapshot time without an event per
	// snapshot.
	outWin  [][2]sim.Time
	serving []bool
	before  []bool // serving set before the failover (route back)
	atT0    []bool // serving set at T0
	hypo    []bool // scratch serving set

	tPrev sim.Time
	cur   rates // rates in force since tPrev; cur.up is the service state
	scr   rates // scratch for hypothetical routing

	// runbook
	rbState    int
	rbStartH   sim.Handle
	stepSt     []stepState
	routeBackH sim.Handle
	failStream sim.Stream

	detail detailState
	sc     strandScratch
}

// Runbook states. A runbook goes Idle → Detecting → Running, then Moved
// (traffic moved; final), Abandoned (service up first) or Failed (a required
// step refused).
const (
	rbIdle = iota
	rbDetecting
	rbRunning
	rbMoved
	rbAbandoned
	rbFailed
)

// NewRunner returns a Runner for cfg. cfg must be structurally valid (see
// Config.Check; package scenarios produces valid Configs) and must not be
// modified while the Runner is in use; Runners may share it.
func NewRunner(cfg *Config) *Runner {
	nR := len(cfg.Regions)
	r := &Runner{cfg: cfg, eng: sim.NewEngine(), nR: nR}
	r.regionNames = make([]string, nR)
	for i := range cfg.Regions {
		r.regionNames[i] = cfg.Regions[i].Name
	}
	r.kms = kms.New(cfg.Keys, r.regionNames, cfg.Account, r, r.eng, r.onKeyChange)
	r.outageStartFn = r.outageStart
	r.outageEndFn = r.outageEnd
	r.actionFn = r.action
	r.runbookStartFn = r.runbookStart
	r.stepFireFn = r.stepFire
	r.routeBackFn = r.routeBack
	r.leaveFn = r.replicaLeave
	r.archiveFn = r.replicaArchive
	r.eng.SetEndOfInstant(r.evaluate)

	r.down = make([]int, nR*numSvc)
	r.part = make([]int, nR*nR)
	r.outageOn = make([]bool, len(cfg.Outages))
	r.outWin = make([][2]sim.Time, len(cfg.Outages))
	r.serving = make([]bool, nR)
	r.before = make([]bool, nR)
	r.atT0 = make([]bool, nR)
	r.hypo = make([]bool, nR)
	for oi := range cfg.Outages {
		r.outageStreams = append(r.outageStreams, "outage/"+cfg.Outages[oi].Stream)
	}
	for ai := range cfg.Actions {
		r.actionStreams = append(r.actionStreams, "action/"+strconv.Itoa(ai+1))
	}
	r.initStores()
	r.initSteps()
	r.cur.init(nR, len(r.stores))
	r.scr.init(nR, len(r.stores))
	return r
}

// KMSUp implements kms.Net.
func (r *Runner) KMSUp(region int) bool { return r.down[region*numSvc+svcKMS] == 0 }

// Linked implements kms.Net.
func (r *Runner) Linked(a, b int) bool { return a == b || r.part[a*r.nR+b] == 0 }

func (r *Runner) svcUp(region, svc int) bool { return r.down[region*numSvc+svc] == 0 }

// Trial simulates trial index i of a run with the given seed and returns its
// metrics. If d is non-nil it is filled with the trial's trace and timeline.
// The result depends only on (cfg, seed, i).
func (r *Runner) Trial(seed uint64, i int, d *Detail) TrialResult {
	cfg := r.cfg
	ts := sim.TrialSeed(seed, i)
	r.seed = ts
	r.d = d
	if d != nil {
		*d = Detail{}
	}
	r.resetTrial(i)
	r.eng.Reset()
	r.kms.Reset(ts)
	r.detailStart()

	// Outages: three draws each, always.
	for oi := range cfg.Outages {
		o := &cfg.Outages[oi]
		st := sim.NewStream(ts, r.outageStreams[oi], "outage")
		u := st.Uniform()
		start := st.Draw(o.Start)
		dur := st.Draw(o.Duration)
		r.outWin[oi] = [2]sim.Time{-1, -1}
		if u < o.Probability && start <= cfg.Horizon {
			r.eng.At(start, r.outageStartFn, oi)
			end := sim.Forever
			if dur < sim.Forever-start {
				end = start + dur
			}
			r.eng.At(end, r.outageEndFn, oi)
			r.outWin[oi] = [2]sim.Time{start, end}
		}
	}
	for ai := range cfg.Actions {
		st := sim.NewStream(ts, r.actionStreams[ai], "at")
		at := st.Draw(cfg.Actions[ai].At)
		r.eng.At(at, r.actionFn, ai)
	}
	r.eng.MarkDirty()
	r.eng.Run(cfg.Horizon)
	r.closeInterval(cfg.Horizon)
	// A step that is not done keeps the error of its last attempt (stepDone
	// clears it); the message is built once, here, not at every retry.
	for si := range r.stepSt {
		if err := r.stepSt[si].lastErr; err != nil {
			o := r.stepOp(si)
			o.Err = err.Error()
			o.Code, _ = errInfo(err)
			o.Refused = r.stepSt[si].failed
		}
	}
	for i := range r.res.Ops {
		r.res.Ops[i].settle()
	}
	r.finish(d)
	return r.res
}

func (r *Runner) resetTrial(i int) {
	cfg := r.cfg
	nOps := len(cfg.Actions)
	if cfg.Failover != nil {
		nOps += len(cfg.Failover.Steps)
	}
	nStores := len(r.stores)
	nFail := int(kms.NumReasons) * r.nR
	res := &r.res
	// Results are returned by value and kept by callers, so the slices they
	// hold are fresh for every trial.
	*res = TrialResult{Trial: i, FailoverAt: -1}
	res.Ops = make([]OpResult, nOps)
	res.LostWrites = make([]int64, nStores)
	res.KMSFailures = make([]float64, nFail)

	clear(r.down)
	clear(r.part)
	clear(r.outageOn)
	clear(r.serving)
	for _, s := range cfg.App.Serve {
		r.serving[s] = true
	}
	clear(r.before)
	clear(r.atT0)
	r.tPrev = 0
	r.cur.reset()
	r.rbState = rbIdle
	r.rbStartH = sim.Handle{}
	r.routeBackH = sim.Handle{}
	for si := range r.stepSt {
		r.stepSt[si] = stepState{}
	}
	for si := range r.stores {
		r.stores[si].reset()
	}
}

// svcUpAt reports whether service svc of region was up at time t of this
// trial, from the outages drawn at its start (past or future).
func (r *Runner) svcUpAt(region, svc int, t sim.Time) bool {
	for oi := range r.cfg.Outages {
		o := &r.cfg.Outages[oi]
		w := r.outWin[oi]
		if o.Kind == RegionOutage && o.Region == region && o.Services&(1<<svc) != 0 &&
			w[0] >= 0 && w[0] <= t && t < w[1] {
			return false
		}
	}
	return true
}

// outageStart applies outage oi.
func (r *Runner) outageStart(oi int) {
	o := &r.cfg.Outages[oi]
	r.outageOn[oi] = true
	r.applyOutage(o, 1)
	r.eng.MarkDirty()
	r.traceOutage(oi, true)
}

// outageEnd lifts outage oi.
func (r *Runner) outageEnd(oi int) {
	if !r.outageOn[oi] {
		return
	}
	o := &r.cfg.Outages[oi]
	r.outageOn[oi] = false
	r.applyOutage(o, -1)
	r.eng.MarkDirty()
	r.traceOutage(oi, false)
}

func (r *Runner) applyOutage(o *Outage, delta int) {
	if o.Kind == Partition {
		a, b := o.Regions[0], o.Regions[1]
		r.part[a*r.nR+b] += delta
		r.part[b*r.nR+a] += delta
		return
	}
	for s := 0; s < numSvc; s++ {
		if o.Services&(1<<s) != 0 {
			r.down[o.Region*numSvc+s] += delta
		}
	}
}

// RunTrials runs n trials of cfg with the given seed on workers goroutines
// (one Runner each) and returns the results by trial index. progress, if
// non-nil, is called as trials complete. The results do not depend on
// workers.
func RunTrials(cfg *Config, seed uint64, n, workers int, progress func(done int)) []TrialResult {
	out, _ := RunTrialsContext(context.Background(), cfg, seed, n, workers, progress)
	return out
}

// RunTrialsContext is RunTrials that stops early once ctx is done (an
// interrupted run). It returns the results of the trials done, which are
// always trials 0 to len(results)-1, exactly what RunTrials with that n
// returns, and ctx's error when it stopped before n.
func RunTrialsContext(ctx context.Context, cfg *Config, seed uint64, n, workers int, progress func(done int)) ([]TrialResult, error) {
	if n <= 0 {
		return nil, nil
	}
	out := make([]TrialResult, n)
	done := sim.ParallelContext(ctx, n, workers, func() func(i int) {
		r := NewRunner(cfg)
		return func(i int) { out[i] = r.Trial(seed, i, nil) }
	}, progress)
	if done < n {
		return out[:done:done], ctx.Err()
	}
	return out, nil
}

// Representative returns the index (into results) of the trial whose RTO is
// the median among the recovered incident trials (the lower median; among
// equal RTOs the lowest index). With no recovered incident trial it returns
// the first incident trial, and 0 when there is no incident at all.
func Representative(results []TrialResult) int {
	idx := make([]int, 0, len(results))
	firstIncident := -1
	for i := range results {
		t := &results[i]
		if !t.Incident {
			continue
		}
		if firstIncident < 0 {
			firstIncident = i
		}
		if t.Recovered {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		if firstIncident >= 0 {
			return firstIncident
		}
		return 0
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(results[a].RTO, results[b].RTO); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// idx is sorted by (RTO, index): the lowest index with the median RTO
	// starts the median's run.
	m := (len(idx) - 1) / 2
	for m > 0 && results[idx[m-1]].RTO == results[idx[m]].RTO {
		m--
	}
	return idx[m]
}
