package model

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Service indices into Runner.down and Runner.errRate (per region, per
// service), in the bit order of Services.
const (
	svcKMS = iota
	svcS3
	svcDynamoDB
	svcApp
	svcSTS
	svcRoute53Control
	svcIAMControl
	numSvc
)

// window is one service window of the scenario: an outage without phases,
// one phase of an outage, or a partition.
type window struct {
	outage   int // index into Config.Outages
	phase    int // index into the outage's Phases, -1 for the outage itself
	kind     OutageKind
	region   int
	regions  [2]int
	services Services
	rate     float64 // error rate in (0, 1]
	label    string  // the outage's label, with " phase N" for a phase
}

// Runner simulates trials of one scenario. A Runner is not safe for
// concurrent use: use one per worker. It reuses its memory across trials.
type Runner struct {
	cfg *Config
	eng *sim.Engine
	kms *kms.KMS
	nR  int

	regionNames []string
	// stream names, built once, and the keys of the streams set up every
	// trial (names hashed once)
	outageStreams, actionStreams []string
	phaseStreams                 [][]string // [outage][phase]: "outage/NAME/phase-N"
	outageKeys, actionAtKeys     []sim.StreamKey
	actionAttKeys                []sim.StreamKey
	phaseKeys                    [][]sim.StreamKey
	detectKey                    sim.StreamKey
	wins                         []window
	winOf                        [][]int // [outage] -> its windows (one per phase, or one)
	stores                       []store
	steps                        []stepInfo // static runbook structure
	stsEndpoint                  []int      // [region] the region of its STS endpoint, -1: never fails
	arc                          []int      // the ARC cluster's regions (-1: undeclared, never down)
	// svcExists[region] are the services that exist there (the global
	// control planes only in us-east-1): a region is down as a whole when
	// all of them are.
	svcExists []Services

	// pre-bound handlers (no closure per event)
	winStartFn, winEndFn, actionFn          sim.Func
	runbookStartFn, stepFireFn, routeBackFn sim.Func
	leaveFn, archiveFn, credsFn, usableFn   sim.Func

	// w0 holds the accepted-write intensity of every store in every region
	// before t=0 under a steady start ([store*nR+region]), computed once
	// from the t=0 state with no outage or action applied.
	w0     []float64
	w0Done bool

	// principals is Config.Principals (Cause.Principal indexes it).
	principals []string

	// ---- per-trial state ----
	seed uint64
	d    *Detail
	res  TrialResult

	down    []int     // [region*numSvc+svc] full (e = 1) windows in force
	errRate []float64 // [region*numSvc+svc] combined error rate 1 − Π(1 − e_i)
	part    []int     // [a*nR+b] partitions in force (symmetric)
	winOn   []bool
	// winSpan holds [start, end) of every window that happens in this
	// trial (end sim.Forever when it outlasts the horizon); start -1 when
	// it does not happen. Backups ask it whether a source was up at a
	// snapshot time without an event per snapshot.
	winSpan [][2]sim.Time
	// STS: credsH[e] is the pending expiry of the app's cached credentials
	// after the failure of the STS endpoint in region e, credsGone[e] that
	// they have expired while it is still down.
	credsH    []sim.Handle
	credsGone []bool
	stsSince  []sim.Time // when the STS endpoint in the region last failed
	stsFails  []uint64   // how many times it failed in this trial
	serving   []bool
	before    []bool // serving set before the failover (route back)
	atT0      []bool // serving set at T0
	hypo      []bool // scratch serving set

	tPrev sim.Time
	cur   rates // rates in force since tPrev; cur.up is the service state
	scr   rates // scratch for hypothetical routing

	// due holds the attempts that fell due at this instant, in order: a
	// step's index, or -(action+1) (runAttempts)
	due []int
	// changed reports a change of state at this instant (markDirty): an
	// instant with only failed attempts changes nothing and is not
	// re-evaluated.
	changed bool
	// epoch counts the changes of state of the trial (markDirty, bump): a
	// waiting step whose run of retries saw another epoch may succeed at
	// its next retry instant (wake).
	epoch uint64
	// grayOn counts the windows in force at an error rate below 1: while
	// there is none, no attempt can fail in a gray failure.
	grayOn int
	probe  probe

	// runbook
	rbState    int
	rbStartH   sim.Handle
	stepSt     []stepState
	routeBackH sim.Handle
	failStream sim.Stream

	detail detailState
	sc     strandScratch

	// attribution: the trial's failed KMS calls by class and its causes
	// (TrialResult.KMSFailuresBy and Causes), reused across trials
	kmsBy  []CauseCount
	causes []Cause
	// rbStartAt is when the runbook started (after the detection)
	rbStartAt sim.Time
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
	r.winStartFn = r.windowStart
	r.winEndFn = r.windowEnd
	r.actionFn = r.action
	r.runbookStartFn = r.runbookStart
	r.stepFireFn = r.stepFire
	r.routeBackFn = r.routeBack
	r.leaveFn = r.replicaLeave
	r.archiveFn = r.replicaArchive
	r.credsFn = r.credsExpire
	r.usableFn = r.replicaUsable
	r.eng.SetEndOfInstant(r.evaluate)

	r.down = make([]int, nR*numSvc)
	r.errRate = make([]float64, nR*numSvc)
	r.part = make([]int, nR*nR)
	r.credsH = make([]sim.Handle, nR)
	r.credsGone = make([]bool, nR)
	r.stsSince = make([]sim.Time, nR)
	r.stsFails = make([]uint64, nR)
	r.serving = make([]bool, nR)
	r.before = make([]bool, nR)
	r.atT0 = make([]bool, nR)
	r.hypo = make([]bool, nR)
	r.initWindows()
	for ai := range cfg.Actions {
		r.actionStreams = append(r.actionStreams, "action/"+strconv.Itoa(ai+1))
		r.actionAtKeys = append(r.actionAtKeys, sim.NewStreamKey(r.actionStreams[ai], "at"))
		r.actionAttKeys = append(r.actionAttKeys, sim.NewStreamKey(r.actionStreams[ai], "attempt"))
	}
	r.detectKey = sim.NewStreamKey("failover", "detect")
	r.svcExists = make([]Services, nR)
	r.stsEndpoint = make([]int, nR)
	for reg := 0; reg < nR; reg++ {
		r.svcExists[reg] = SvcAll &^ SvcGlobalControl
		if r.regionNames[reg] == ControlPlaneRegion {
			r.svcExists[reg] = SvcAll
		}
		r.stsEndpoint[reg] = r.stsEndpointOf(reg)
	}
	arc := cfg.ARCRegions
	if len(arc) == 0 {
		arc = DefaultARCRegions
	}
	for _, n := range arc {
		r.arc = append(r.arc, slices.Index(r.regionNames, n))
	}
	r.initStores()
	r.initSteps()
	r.cur.init(nR, len(r.stores))
	r.cur.attr = true
	r.scr.init(nR, len(r.stores))
	r.principals = cfg.Principals()
	r.w0 = make([]float64, len(r.stores)*nR)
	return r
}

// initWindows flattens the outages and their phases into windows and
// names their streams.
func (r *Runner) initWindows() {
	cfg := r.cfg
	r.winOf = make([][]int, len(cfg.Outages))
	r.phaseStreams = make([][]string, len(cfg.Outages))
	r.phaseKeys = make([][]sim.StreamKey, len(cfg.Outages))
	for oi := range cfg.Outages {
		o := &cfg.Outages[oi]
		r.outageStreams = append(r.outageStreams, "outage/"+o.Stream)
		r.outageKeys = append(r.outageKeys, sim.NewStreamKey(r.outageStreams[oi], "outage"))
		if len(o.Phases) == 0 {
			r.winOf[oi] = append(r.winOf[oi], len(r.wins))
			r.wins = append(r.wins, window{outage: oi, phase: -1, kind: o.Kind, region: o.Region, regions: o.Regions,
				services: o.Services, rate: Rate(o.ErrorRate), label: o.Label()})
			continue
		}
		for pi := range o.Phases {
			p := &o.Phases[pi]
			r.phaseStreams[oi] = append(r.phaseStreams[oi], "outage/"+o.Stream+"/phase-"+strconv.Itoa(pi+1))
			r.phaseKeys[oi] = append(r.phaseKeys[oi], sim.NewStreamKey(r.phaseStreams[oi][pi], "outage"))
			r.winOf[oi] = append(r.winOf[oi], len(r.wins))
			r.wins = append(r.wins, window{outage: oi, phase: pi, kind: RegionOutage, region: o.Region,
				services: p.Services, rate: Rate(p.ErrorRate), label: o.Label() + " phase " + strconv.Itoa(pi+1)})
		}
	}
	r.winOn = make([]bool, len(r.wins))
	r.winSpan = make([][2]sim.Time, len(r.wins))
}

// KMSUp implements kms.Net: KMS is up in region unless a window takes it
// down at an error rate of 1.
func (r *Runner) KMSUp(region int) bool { return r.down[region*numSvc+svcKMS] == 0 }

// KMSErrorRate implements kms.GrayNet: the combined error rate of KMS in
// region.
func (r *Runner) KMSErrorRate(region int) float64 { return r.errRate[region*numSvc+svcKMS] }

// Linked implements kms.Net.
func (r *Runner) Linked(a, b int) bool { return a == b || r.part[a*r.nR+b] == 0 }

// markDirty records a change of state at this instant: the service is
// evaluated at its end.
func (r *Runner) markDirty() {
	r.changed = true
	r.epoch++
	r.eng.MarkDirty()
}

// bump records a change of state made while the instant is evaluated
// (evaluate has run its attempts already): waiting steps retry at their
// next retry instant after it.
func (r *Runner) bump() { r.epoch++ }

// svcUp reports whether service svc of region is up: not taken down at an
// error rate of 1 (a gray failure leaves it up, failing a fraction of its
// requests: svcErr).
func (r *Runner) svcUp(region, svc int) bool { return r.down[region*numSvc+svc] == 0 }

// svcErr returns the combined error rate of service svc in region: 1 −
// Π(1 − e_i) over the windows in force, 1 when one is at 1.
func (r *Runner) svcErr(region, svc int) float64 { return r.errRate[region*numSvc+svc] }

// regionDown reports whether every service of region is down at an error
// rate of 1 (ARC counts such a region as down, DESIGN "Clarifications").
func (r *Runner) regionDown(region int) bool {
	for svc := 0; svc < numSvc; svc++ {
		if r.svcExists[region]&(1<<svc) != 0 && r.down[region*numSvc+svc] == 0 {
			return false
		}
	}
	return true
}

// arcAvailable reports whether ARC routing control is available: at least
// ARCQuorum of the cluster's regions are up (docs/aws-behaviour.md G4; an undeclared
// region is never down).
func (r *Runner) arcAvailable() bool {
	up := 0
	for _, reg := range r.arc {
		if reg < 0 || !r.regionDown(reg) {
			up++
		}
	}
	return up >= ARCQuorum
}

// Trial simulates trial index i of a run with the given seed and returns its
// metrics. If d is non-nil it is filled with the trial's trace and timeline.
// The result depends only on (cfg, seed, i). Its slices are its own: see
// TrialRef for the variant that allocates nothing.
func (r *Runner) Trial(seed uint64, i int, d *Detail) TrialResult {
	return r.TrialRef(seed, i, d).Clone()
}

// TrialRef is Trial returning the Runner's own result, which its next trial
// overwrites (slices included): a caller that keeps what it needs (a
// compact record, sums) runs trials without allocating.
func (r *Runner) TrialRef(seed uint64, i int, d *Detail) *TrialResult {
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
	if !r.w0Done {
		r.steadyRates()
	}
	r.detailStart()

	// Outages: three draws each, always, then two per phase, always.
	for oi := range cfg.Outages {
		o := &cfg.Outages[oi]
		var st sim.Stream
		st.InitKey(ts, r.outageKeys[oi])
		u := st.Uniform()
		start := st.Draw(o.Start)
		dur := st.Draw(o.Duration)
		happens := u < o.Probability && start <= cfg.Horizon
		if len(o.Phases) == 0 {
			r.schedWindow(r.winOf[oi][0], happens, start, dur)
			continue
		}
		for pi := range o.Phases {
			ph := &o.Phases[pi]
			var ps sim.Stream
			ps.InitKey(ts, r.phaseKeys[oi][pi])
			off := ps.Draw(ph.Offset)
			pd := ps.Draw(ph.Duration)
			r.schedWindow(r.winOf[oi][pi], happens, satAdd(start, off), pd)
		}
	}
	for ai := range cfg.Actions {
		var st sim.Stream
		st.InitKey(ts, r.actionAtKeys[ai])
		at := st.Draw(cfg.Actions[ai].At)
		r.eng.At(at, r.actionFn, ai)
	}
	r.markDirty()
	r.eng.Run(cfg.Horizon)
	r.closeInterval(cfg.Horizon)
	r.endRuns(cfg.Horizon, true)
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
	r.opCauses()
	r.finishAttribution()
	r.finish(d)
	return &r.res
}

// opCauses adds the CauseStep of every op that held the failover back or
// was refused, and the CauseSlowFailover of a failover that recovered the
// service later than the RTO objective.
func (r *Runner) opCauses() {
	res := &r.res
	nA := len(r.cfg.Actions)
	for i := range res.Ops {
		o := &res.Ops[i]
		if o.Code == "" {
			continue
		}
		required := i >= nA && r.cfg.Failover.Steps[i-nA].Required
		if o.Refused || (i < nA && o.Outcome == OpFailed) ||
			(required && (o.Outcome == OpFailed || o.Outcome == OpAbandoned)) {
			r.causes = addCause(r.causes, StepCause(i))
		}
	}
	if c, ok := r.slowFailover(); ok {
		r.causes = addCause(r.causes, c)
	}
}

// finishAttribution copies the trial's attribution into its result (fresh
// slices: results are kept by callers): the failed KMS calls by class,
// sorted by class, without zeros; the causes, sorted.
func (r *Runner) finishAttribution() {
	res := &r.res
	n := 0
	for _, c := range r.kmsBy {
		if c.N != 0 {
			n++
		}
	}
	if n > 0 {
		res.KMSFailuresBy = make([]CauseCount, 0, n)
		for _, c := range r.kmsBy {
			if c.N != 0 {
				res.KMSFailuresBy = append(res.KMSFailuresBy, c)
			}
		}
		slices.SortFunc(res.KMSFailuresBy, func(a, b CauseCount) int { return cmp.Compare(a.Cause, b.Cause) })
	}
	if len(r.causes) > 0 {
		res.Causes = slices.Clone(r.causes)
	}
}

// satAdd returns a + b, saturated at sim.Forever.
func satAdd(a, b sim.Time) sim.Time {
	if b >= sim.Forever-a {
		return sim.Forever
	}
	return a + b
}

// schedWindow schedules window wi over [start, start+dur) when the outage
// happens and the window starts within the horizon.
func (r *Runner) schedWindow(wi int, happens bool, start, dur sim.Time) {
	r.winSpan[wi] = [2]sim.Time{-1, -1}
	if !happens || start > r.cfg.Horizon {
		return
	}
	end := satAdd(start, dur)
	r.eng.At(start, r.winStartFn, wi)
	r.eng.At(end, r.winEndFn, wi)
	r.winSpan[wi] = [2]sim.Time{start, end}
}

// steadyRates computes the accepted-write intensities before t=0 of a
// steady start: the rates of the t=0 state (after the trial's reset, before
// any event), with no outage or action applied. They do not depend on the
// trial, so a Runner computes them once.
func (r *Runner) steadyRates() {
	r.computeRates(r.serving, &r.scr)
	copy(r.w0, r.scr.w)
	r.w0Done = true
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
	// The result's slices are reused from trial to trial (Trial copies
	// them out).
	old := *res
	*res = TrialResult{Trial: i, FailoverAt: -1}
	res.Ops = resize(old.Ops, nOps)
	for k := range res.Ops {
		res.Ops[k] = OpResult{Errors: res.Ops[k].Errors[:0]}
	}
	res.LostWrites = resize(old.LostWrites, nStores)
	res.StoreRPO = resize(old.StoreRPO, nStores)
	res.KMSFailures = resize(old.KMSFailures, nFail)
	res.RecoveredIn = old.RecoveredIn[:0]

	clear(r.down)
	clear(r.errRate)
	clear(r.part)
	clear(r.winOn)
	clear(r.credsH)
	clear(r.credsGone)
	clear(r.stsFails)
	clear(r.serving)
	for _, s := range cfg.App.Serve {
		r.serving[s] = true
	}
	clear(r.before)
	clear(r.atT0)
	r.tPrev = 0
	r.cur.reset()
	r.kmsBy = r.kmsBy[:0]
	r.causes = r.causes[:0]
	r.rbStartAt = -1
	r.due = r.due[:0]
	r.changed = false
	r.grayOn = 0
	r.rbState = rbIdle
	r.rbStartH = sim.Handle{}
	r.routeBackH = sim.Handle{}
	for si := range r.stepSt {
		r.stepSt[si] = stepState{run: retryRun{bands: r.stepSt[si].run.bands[:0]}}
	}
	for si := range r.stores {
		r.resetStore(&r.stores[si])
	}
}

// resize returns s with length n and every element zero, reusing its array
// when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// svcUpAt reports whether service svc of region was up (not down at an
// error rate of 1) at time t of this trial, from the windows drawn at its
// start (past or future).
func (r *Runner) svcUpAt(region, svc int, t sim.Time) bool {
	for wi := range r.wins {
		w := &r.wins[wi]
		sp := r.winSpan[wi]
		if w.kind == RegionOutage && w.region == region && w.services&(1<<svc) != 0 && w.rate >= 1 &&
			sp[0] >= 0 && sp[0] <= t && t < sp[1] {
			return false
		}
	}
	return true
}

// windowStart applies window wi.
func (r *Runner) windowStart(wi int) {
	r.winOn[wi] = true
	r.applyWindow(wi, 1)
	r.markDirty()
	r.traceWindow(wi, true)
}

// windowEnd lifts window wi.
func (r *Runner) windowEnd(wi int) {
	if !r.winOn[wi] {
		return
	}
	r.winOn[wi] = false
	r.applyWindow(wi, -1)
	r.markDirty()
	r.traceWindow(wi, false)
}

// applyWindow adds (delta 1) or removes (-1) window wi's effect: a
// partition, or its services' error rates in its region. A region's STS
// endpoint failing starts the clock of the app's cached credentials.
func (r *Runner) applyWindow(wi, delta int) {
	w := &r.wins[wi]
	if w.kind == Partition {
		a, b := w.regions[0], w.regions[1]
		r.part[a*r.nR+b] += delta
		r.part[b*r.nR+a] += delta
		return
	}
	stsWas, appWas := r.svcUp(w.region, svcSTS), r.svcUp(w.region, svcApp)
	if w.rate < 1 {
		r.grayOn += delta
	}
	if w.rate >= 1 {
		for s := 0; s < numSvc; s++ {
			if w.services&(1<<s) != 0 {
				r.down[w.region*numSvc+s] += delta
			}
		}
	}
	r.recomputeErr(w.region)
	if stsNow := r.svcUp(w.region, svcSTS); stsNow != stsWas {
		r.stsChange(w.region, stsNow)
	}
	if !appWas && r.svcUp(w.region, svcApp) {
		// The app is back: if its STS endpoint is still down, its cached
		// credentials are now what keeps it going.
		if e := r.stsEndpoint[w.region]; e >= 0 && !r.svcUp(e, svcSTS) {
			r.scheduleCreds(e)
		}
	}
}

// recomputeErr sets the combined error rate of every service of region from
// the windows in force: 1 when one is at 1, else 1 − Π(1 − e_i).
func (r *Runner) recomputeErr(region int) {
	for s := 0; s < numSvc; s++ {
		i := region*numSvc + s
		if r.down[i] > 0 {
			r.errRate[i] = 1
			continue
		}
		ok := 1.0
		for wi := range r.wins {
			w := &r.wins[wi]
			if r.winOn[wi] && w.kind == RegionOutage && w.region == region && w.services&(1<<s) != 0 {
				ok *= 1 - w.rate
			}
		}
		r.errRate[i] = 1 - ok
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
