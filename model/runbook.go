package model

import (
	"math"
	"slices"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// stepInfo is the static structure of a runbook step.
type stepInfo struct {
	stream     string
	durKey     sim.StreamKey // ("step/NAME", "duration")
	attKey     sim.StreamKey // ("step/NAME", "attempt")
	dependents []int
	// needErr caches the errors of the step's needs, [need][down, gray]: a
	// step waiting for a control plane fails an attempt every retry for
	// hours, so they are made once per Runner (an error is immutable).
	needErr [][2]error
}

// stepState is the per-trial state of a runbook step.
type stepState struct {
	started, done, failed bool
	// startAt is when the step started (its duration began), and firstAt
	// when its duration ended (its first attempt, when it has an op or
	// needs)
	startAt, firstAt sim.Time
	// h is the step's pending event (the end of its duration, or its next
	// attempt) and hAt its time.
	h   sim.Handle
	hAt sim.Time
	// lastErr is the error of the last failed attempt; it becomes
	// OpResult.Err at the end of the trial if the step is not done.
	lastErr error
	// att is the stream of the step's attempts ("step/NAME", "attempt"):
	// one uniform per run of retries, set up at the first attempt.
	att     sim.Stream
	attInit bool
	// waiting reports a run of retries in progress: the last attempt
	// failed with a transient error and the step waits for its next one
	// (retry).
	waiting bool
	run     retryRun
}

// retryRun is a run of retries: the attempts of a step, one retry interval
// apart from its first at start, under a state that has not changed since
// (no event marked a change: Runner.epoch is still epoch). Every attempt of
// a run fails in the same way, so the run costs no event per attempt: its
// attempts are counted when it ends, at the first retry instant after a
// state change (the first attempt that could succeed), at the attempt a
// gray failure lets through, or at the horizon.
//
// A run is deterministic (gray false: every attempt fails with err) or gray
// (the attempt would succeed or be refused but for gray failures, each met
// with rate e_i in order). A gray run draws one uniform u (DESIGN
// "Clarifications": one uniform per run): attempt j of the run sees the
// uniform u/p^j, where p = 1 − Π(1 − e_i) is the chance that an attempt
// fails in a gray failure, and fails at the first check whose cumulative
// rate exceeds it. So attempts 0 .. k−1 fail, k = ⌊ln u / ln p⌋, a
// geometric count, and attempt k passes every gray check; which check each
// failed attempt met is counted per check (bands) in closed form.
type retryRun struct {
	start sim.Time // time of the run's first attempt
	every sim.Time // retry interval
	last  int64    // index of the last attempt counted (0: the first)
	epoch uint64   // Runner.epoch after the run's last attempt made
	// seen is the Runner.epoch the step's next attempt was scheduled for
	// (Runner.wake).
	seen  uint64
	gray  bool
	err   error   // deterministic run: the error of every attempt
	k     int64   // gray run: the index of the attempt that passes
	lnU   float64 // gray run: ln u
	lnP   float64 // gray run: ln p
	bands []band  // gray run: the gray checks met, in order
}

// band is one gray check an attempt meets: cum is the chance that the
// attempt fails at this check or an earlier one, err the error it returns
// when it fails here.
type band struct {
	cum float64
	err error
}

func (r *Runner) initSteps() {
	fo := r.cfg.Failover
	if fo == nil {
		return
	}
	r.steps = make([]stepInfo, len(fo.Steps))
	for i := range fo.Steps {
		r.steps[i].stream = "step/" + fo.Steps[i].Name
		r.steps[i].durKey = sim.NewStreamKey(r.steps[i].stream, "duration")
		r.steps[i].attKey = sim.NewStreamKey(r.steps[i].stream, "attempt")
		r.steps[i].needErr = make([][2]error, len(fo.Steps[i].Needs))
	}
	for i := range fo.Steps {
		for _, a := range fo.Steps[i].After {
			if a >= 0 && a < len(fo.Steps) {
				r.steps[a].dependents = append(r.steps[a].dependents, i)
			}
		}
	}
	r.stepSt = make([]stepState, len(fo.Steps))
}

// stepOp returns the OpResult of step i.
func (r *Runner) stepOp(i int) *OpResult { return &r.res.Ops[len(r.cfg.Actions)+i] }

// startRunbook is called at T0: the runbook starts a detect draw later.
func (r *Runner) startRunbook() {
	fo := r.cfg.Failover
	if fo == nil || r.rbState != rbIdle {
		return
	}
	r.failStream.InitKey(r.seed, r.detectKey)
	d := r.failStream.Draw(fo.Detect)
	r.rbState = rbDetecting
	r.rbStartH = r.eng.After(d, r.runbookStartFn, 0)
}

func (r *Runner) runbookStart(int) {
	if r.rbState != rbDetecting {
		return
	}
	r.rbStartH = sim.Handle{}
	r.rbState = rbRunning
	r.rbStartAt = r.eng.Now()
	if r.d != nil {
		r.trace(Event{Kind: "runbook-start", Subject: "failover",
			Message: "runbook started: fail over from " + r.regionNames[r.cfg.Failover.From] + " to " + r.regionNames[r.cfg.Failover.To]})
	}
	fo := r.cfg.Failover
	for i := range fo.Steps {
		if len(fo.Steps[i].After) == 0 {
			r.startStep(i)
		}
	}
	r.checkFailover()
}

// settled reports whether step a no longer holds back its dependents: it is
// done, or it is optional and failed.
func (r *Runner) settled(a int) bool {
	st := &r.stepSt[a]
	return st.done || (st.failed && !r.cfg.Failover.Steps[a].Required)
}

func (r *Runner) startStep(i int) {
	st := &r.stepSt[i]
	if st.started {
		return
	}
	step := &r.cfg.Failover.Steps[i]
	st.started = true
	st.startAt = r.eng.Now()
	op := r.stepOp(i)
	op.Started = true
	var s sim.Stream
	s.InitKey(r.seed, r.steps[i].durKey)
	d := s.Draw(step.Duration)
	st.firstAt = satAdd(st.startAt, d)
	st.h = r.eng.After(d, r.stepFireFn, i)
	r.traceStep(i, "step-start", "", "")
}

// retryInterval returns how long step waits before retrying a transient
// failure: its Retry, or the 1m default when a Config built in Go leaves it
// zero.
func retryInterval(step *Step) sim.Time {
	if step.Retry <= 0 {
		return sim.Minute
	}
	return step.Retry
}

// stepFire runs when a step's duration is over, and when its next attempt
// is due: a step without op and needs is done; otherwise it makes one
// attempt (its needs, then its op) at this instant, once every change of
// the instant is applied (queued for runAttempts).
func (r *Runner) stepFire(i int) {
	st := &r.stepSt[i]
	st.h = sim.Handle{}
	if st.done || st.failed || r.rbState == rbAbandoned {
		return
	}
	step := &r.cfg.Failover.Steps[i]
	if step.Op.Kind == OpNone && len(step.Needs) == 0 {
		r.stepDone(i)
		return
	}
	r.due = append(r.due, i)
	r.eng.MarkDirty() // for runAttempts; the attempt marks its own changes
}

// runAttempts makes the attempts due at this instant, in the order they
// fell due, after every other change of the instant (an attempt sees the
// state after every change of its instant: DESIGN "Clarifications"). It runs
// at the start of the end-of-instant evaluation; what the attempts change
// is judged in the same instant.
func (r *Runner) runAttempts() {
	for k := 0; k < len(r.due); k++ {
		if i := r.due[k]; i >= 0 {
			r.stepAttempt(i)
		} else {
			r.actionAttempt(-i - 1)
		}
	}
	r.due = r.due[:0]
}

// stepAttempt makes the attempt of step i due now: the attempt a gray run
// lets through (the state unchanged since the run's last attempt), or the
// first of a new run (the step's first attempt, or the first retry instant
// after a change of state), after counting the failed attempts of the run
// that ends.
func (r *Runner) stepAttempt(i int) {
	st := &r.stepSt[i]
	if st.done || st.failed || r.rbState == rbAbandoned {
		return
	}
	now := r.eng.Now()
	if st.waiting {
		run := &st.run
		pass := run.gray && run.epoch == r.epoch && now == run.start+run.k*run.every
		r.endRun(i, now, false)
		if pass {
			r.passAttempt(i)
			return
		}
	}
	r.startRun(i)
}

// attemptArgs returns what an attempt of step i needs.
func (r *Runner) stepArgs(i int) (*Step, *stepInfo) {
	return &r.cfg.Failover.Steps[i], &r.steps[i]
}

// startRun makes the first attempt of a run of step i, now: one uniform
// from the step's stream. Without a gray failure in force anywhere the
// attempt is made at once. Otherwise a dry run finds the gray checks the
// attempt meets and how it ends when it passes them all: if that is a
// transient failure, every attempt of the run fails with it (the gray
// draws cannot change that, and none is made); else the geometric count of
// attempts that fail in a gray failure is drawn, and the attempt that
// passes is scheduled.
func (r *Runner) startRun(i int) {
	st := &r.stepSt[i]
	step, info := r.stepArgs(i)
	if !st.attInit {
		st.att.InitKey(r.seed, info.attKey)
		st.attInit = true
	}
	u := st.att.Uniform()
	if r.grayOn > 0 {
		pr := &r.probe
		pr.reset()
		d := r.attempt(&step.Op, step.Needs, info.needErr, gray{u: 1, probe: pr}, info.stream)
		if d != nil {
			r.attemptFailed(i, d, 1)
			return
		}
		if p := pr.p(); p > 0 {
			run := &st.run
			run.bands = append(run.bands[:0], pr.bands...)
			lnP := math.Log(p)
			k := int64(math.MaxInt64)
			if lnP < 0 {
				if kf := math.Floor(math.Log(u) / lnP); kf < float64(math.MaxInt64/2) {
					k = int64(kf)
				} else {
					k = math.MaxInt64 / 2
				}
			}
			if k > 0 {
				r.startGrayRun(i, math.Log(u), lnP, k)
				return
			}
		}
	}
	r.passAttempt(i)
}

// passAttempt makes an attempt of step i now that passes every gray check.
func (r *Runner) passAttempt(i int) {
	st := &r.stepSt[i]
	step, info := r.stepArgs(i)
	err := r.attempt(&step.Op, step.Needs, info.needErr, gray{u: 1}, info.stream)
	if err == nil {
		res := r.stepOp(i)
		res.Attempts++
		res.At = r.eng.Now()
		r.traceStep(i, "step-op", "ok", "")
		r.stepDone(i)
		return
	}
	st.run.bands = st.run.bands[:0]
	r.attemptFailed(i, err, 1)
}

// attemptFailed records the failed attempt of step i made now with err: a
// refusal fails the step; a transient error starts a deterministic run of
// retries.
func (r *Runner) attemptFailed(i int, err error, n int64) {
	st := &r.stepSt[i]
	step := &r.cfg.Failover.Steps[i]
	res := r.stepOp(i)
	now := r.eng.Now()
	res.Attempts += int(n)
	res.At = now
	code, transient := errInfo(err)
	res.Errors = addErr(res.Errors, code, int(n))
	st.lastErr = err
	if transient {
		st.waiting = true
		st.run = retryRun{start: now, every: retryInterval(step), epoch: r.epoch, seen: r.epoch, err: err,
			bands: st.run.bands[:0]}
		r.traceRetrying(i, code)
		if step.Op.Kind == OpRestoreBackup && code == codeBackupNotReady {
			// No state change is needed for a backup copy to become
			// usable: the next attempt that could succeed is the first
			// after the next copy completes.
			if si := r.storeIndex(step.Op.Store); si >= 0 {
				if t, ok := r.nextCopy(&r.stores[si], now); ok {
					r.scheduleAttempt(i, r.gridAtOrAfter(&st.run, t))
				}
			}
		}
		return
	}
	st.failed = true
	if r.d != nil {
		r.traceStep(i, "step-failed", "failed", err.Error())
	}
	if step.Required {
		if r.rbState == rbRunning {
			r.rbState = rbFailed
			if r.d != nil {
				r.trace(Event{Kind: "runbook-abandoned", Subject: "failover", Outcome: "failed",
					Message: "required step " + step.Name + " failed: no failover"})
			}
		}
		return
	}
	// A failed optional step is settled: it releases its dependents, before
	// or after the move, as a success does.
	r.startDependents(i)
	r.checkFailover()
}

// startGrayRun starts a gray run of step i whose first k attempts fail in a
// gray failure (lnU = ln u, lnP = ln p): the first fails now, and the
// attempt that passes is scheduled k retry intervals later.
func (r *Runner) startGrayRun(i int, lnU, lnP float64, k int64) {
	st := &r.stepSt[i]
	run := &st.run
	now := r.eng.Now()
	run.start, run.every, run.last = now, retryInterval(&r.cfg.Failover.Steps[i]), 0
	run.gray, run.err, run.k, run.lnU, run.lnP = true, nil, k, lnU, lnP
	res := r.stepOp(i)
	res.Attempts++
	res.At = now
	b := run.bands[run.band(0)]
	code, _ := errInfo(b.err)
	res.Errors = addErr(res.Errors, code, 1)
	st.lastErr = b.err
	st.waiting = true
	run.epoch, run.seen = r.epoch, r.epoch
	r.traceRetrying(i, code)
	if h := r.cfg.Horizon; k <= (h-now)/run.every {
		r.scheduleAttempt(i, now+k*run.every)
	}
}

// band returns the index of the gray check at which attempt j of a gray
// run fails (j < k): the first whose cumulative rate exceeds u/p^j.
func (run *retryRun) band(j int64) int {
	for b := 0; b < len(run.bands)-1; b++ {
		if run.failsBy(b, j) {
			return b
		}
	}
	return len(run.bands) - 1
}

// failsBy reports whether attempt j of a gray run fails at gray check b or
// an earlier one: u/p^j < cum_b, that is ln u − j·ln p < ln cum_b.
func (run *retryRun) failsBy(b int, j int64) bool {
	return run.lnU-float64(j)*run.lnP < math.Log(run.bands[b].cum)
}

// countBy returns how many of the attempts 0 .. n−1 of a gray run (n ≤ k)
// fail at gray check b or an earlier one: those with j < ln(u/cum_b)/ln p,
// a prefix since u/p^j grows with j.
func (run *retryRun) countBy(b int, n int64) int64 {
	if b == len(run.bands)-1 {
		return n
	}
	x := (run.lnU - math.Log(run.bands[b].cum)) / run.lnP
	if !(x > 0) {
		return 0
	}
	c := math.Ceil(x)
	if c >= float64(n) {
		return n
	}
	return int64(c)
}

// endRun ends the run of retries of step i at t: it counts the attempts of
// the run after the last one counted and before t (at t too when
// inclusive), each failing as the run says, and traces the run as one
// entry with its count.
func (r *Runner) endRun(i int, t sim.Time, inclusive bool) {
	st := &r.stepSt[i]
	if !st.waiting {
		return
	}
	st.waiting = false
	run := &st.run
	r.eng.Cancel(st.h)
	st.h = sim.Handle{}
	j := int64(-1)
	if t >= run.start {
		j = (t - run.start) / run.every
		if !inclusive && run.start+j*run.every == t {
			j--
		}
	}
	if run.gray {
		j = min(j, run.k-1)
	}
	if n := j - run.last; n > 0 {
		res := r.stepOp(i)
		res.Attempts += int(n)
		res.At = run.start + j*run.every
		if run.gray {
			prev := int64(0)
			for b := range run.bands {
				c := run.countBy(b, j+1) - run.countBy(b, run.last+1)
				if d := c - prev; d > 0 {
					code, _ := errInfo(run.bands[b].err)
					res.Errors = addErr(res.Errors, code, int(d))
				}
				prev = c
			}
			st.lastErr = run.bands[run.band(j)].err
		} else {
			code, _ := errInfo(run.err)
			res.Errors = addErr(res.Errors, code, int(n))
		}
		run.last = j
	}
	if r.d != nil {
		r.traceRun(i)
	}
}

// scheduleAttempt schedules the next attempt of waiting step i at t, unless
// one is scheduled at t or earlier, or t is after the horizon.
func (r *Runner) scheduleAttempt(i int, t sim.Time) {
	st := &r.stepSt[i]
	if t > r.cfg.Horizon || (r.eng.Scheduled(st.h) && st.hAt <= t) {
		return
	}
	r.eng.Cancel(st.h)
	st.h = r.eng.At(t, r.stepFireFn, i)
	st.hAt = t
}

// gridAtOrAfter returns the first retry instant of run at or after t and
// after its last attempt counted, or sim.Forever when that is past
// sim.Forever.
func (r *Runner) gridAtOrAfter(run *retryRun, t sim.Time) sim.Time {
	j := run.last + 1
	if t > run.start {
		if q := (t - run.start + run.every - 1) / run.every; q > j {
			j = q
		}
	}
	if j > (sim.Forever-run.start)/run.every {
		return sim.Forever
	}
	return run.start + j*run.every
}

// wake schedules, for every waiting step whose state may have changed since
// its next attempt was scheduled (Runner.epoch moved), an attempt at the
// first retry instant at or after now (after now when strict: the state
// changed after this instant's attempts were made). It reports whether an
// attempt was scheduled at now, to be made in this instant.
func (r *Runner) wake(now sim.Time, strict bool) bool {
	atNow := false
	for i := range r.stepSt {
		st := &r.stepSt[i]
		if !st.waiting || st.run.seen == r.epoch {
			continue
		}
		st.run.seen = r.epoch
		t := now
		if strict {
			t++
		}
		next := r.gridAtOrAfter(&st.run, t)
		r.scheduleAttempt(i, next)
		if next == now {
			atNow = true
		}
	}
	return atNow
}

// endRuns ends the run of retries of every waiting step at t (at the
// horizon, inclusive: attempts at t are made; when the runbook is
// abandoned, exclusive: the attempts at t were made already).
func (r *Runner) endRuns(t sim.Time, inclusive bool) {
	for i := range r.stepSt {
		if r.stepSt[i].waiting {
			r.endRun(i, t, inclusive)
		}
	}
}

func (r *Runner) stepDone(i int) {
	st := &r.stepSt[i]
	st.done = true
	res := r.stepOp(i)
	res.Done = true
	res.At = r.eng.Now()
	st.lastErr = nil
	r.traceStep(i, "step-done", "done", "")
	r.startDependents(i)
	r.checkFailover()
}

func (r *Runner) startDependents(i int) {
	if r.rbState != rbRunning && r.rbState != rbMoved {
		return
	}
	fo := r.cfg.Failover
	for _, j := range r.steps[i].dependents {
		if r.stepSt[j].started {
			continue
		}
		ready := true
		for _, a := range fo.Steps[j].After {
			if !r.settled(a) {
				ready = false
				break
			}
		}
		if ready {
			r.startStep(j)
		}
	}
}

// checkFailover moves traffic once every required step is done.
func (r *Runner) checkFailover() {
	if r.rbState != rbRunning {
		return
	}
	fo := r.cfg.Failover
	for i := range fo.Steps {
		if fo.Steps[i].Required && !r.stepSt[i].done {
			return
		}
	}
	r.rbState = rbMoved
	copy(r.before, r.serving)
	r.serving[fo.From] = false
	r.serving[fo.To] = true
	r.res.FailoverAt = r.eng.Now()
	r.markDirty()
	if r.d != nil {
		r.traceRouting("traffic-moved", "traffic moved from "+r.regionNames[fo.From]+" to "+r.regionNames[fo.To]+"; serving: "+r.servingLabel())
	}
}

// abandonRunbook stops a runbook whose service came back before the
// failover: traffic stays where it is.
func (r *Runner) abandonRunbook() {
	r.endRuns(r.eng.Now(), false)
	r.eng.Cancel(r.rbStartH)
	r.rbStartH = sim.Handle{}
	for i := range r.stepSt {
		r.eng.Cancel(r.stepSt[i].h)
		r.stepSt[i].h = sim.Handle{}
		if st := &r.stepSt[i]; st.started && !st.done && !st.failed {
			r.stepOp(i).Outcome = OpAbandoned
		}
	}
	r.rbState = rbAbandoned
	r.trace(Event{Kind: "runbook-abandoned", Subject: "failover", Outcome: "abandoned",
		Message: "service up again before the failover: traffic stays, runbook stopped"})
}

// action fires at operator action ai's time: its one attempt is made once
// every change of the instant is applied (runAttempts).
func (r *Runner) action(ai int) {
	r.due = append(r.due, -ai-1)
	r.eng.MarkDirty() // for runAttempts
}

// actionAttempt attempts operator action ai once, with one uniform from
// its stream ("action/N", "attempt").
func (r *Runner) actionAttempt(ai int) {
	a := &r.cfg.Actions[ai]
	res := &r.res.Ops[ai]
	res.Started = true
	res.Attempts = 1
	res.At = r.eng.Now()
	var st sim.Stream
	st.InitKey(r.seed, r.actionAttKeys[ai])
	err := r.attempt(&a.Op, nil, nil, gray{u: st.Uniform()}, r.actionStreams[ai])
	if err == nil {
		res.Done = true
	} else {
		code, transient := errInfo(err)
		res.Errors = addErr(res.Errors, code, 1)
		res.Err, res.Code, res.Refused = err.Error(), code, !transient
	}
	r.markDirty()
	r.traceAction(ai, err)
}

// gray decides the gray failures of one attempt from its one uniform: each
// check with failure probability e fails when the uniform is below e;
// otherwise the uniform is rescaled to (0, 1) given that it was not, so
// that the successive checks of the attempt are independent. u = 1 passes
// every check. With probe set the attempt is a dry run: every gray check
// is recorded there and passed, and the op changes nothing.
type gray struct {
	u     float64
	probe *probe
}

// probe records the gray checks a dry-run attempt meets, in order.
type probe struct {
	bands []band
	kms   kms.GrayProbe
}

func (p *probe) reset() {
	p.bands = p.bands[:0]
	p.kms = kms.GrayProbe{}
}

// add records a gray check with rate e that fails with err.
func (p *probe) add(e float64, err error) {
	ok := 1 - e
	if n := len(p.bands); n > 0 {
		ok *= 1 - p.bands[n-1].cum
	}
	p.bands = append(p.bands, band{cum: 1 - ok, err: err})
}

// p returns the chance that the attempt fails in one of the gray checks
// recorded.
func (p *probe) p() float64 {
	if n := len(p.bands); n > 0 {
		return p.bands[n-1].cum
	}
	return 0
}

// fails reports whether a check with failure probability e fails; in a
// dry run it records the check (with the error mk makes) and passes it.
func (g *gray) fails(e float64, mk func() error) bool {
	switch {
	case e <= 0:
		return false
	case e >= 1:
		return true
	case g.probe != nil:
		g.probe.add(e, mk())
		return false
	case g.u < e:
		return true
	}
	g.u = (g.u - e) / (1 - e)
	return false
}

// attempt makes one attempt now: the needs in order, then the op with the
// needs its kind implies (where AWS sends it). A needs check and the op at
// the same instant are one attempt, with one uniform for every gray
// failure it meets (g). stream names the step or action ("step/NAME",
// "action/N"), for draws on success (a new table replica's copy time).
func (r *Runner) attempt(op *Op, needs []Need, cache [][2]error, g gray, stream string) error {
	for i, n := range needs {
		if err := r.checkNeed(n, &g, cache[i][:]); err != nil {
			return err
		}
	}
	return r.doOp(op, &g, stream)
}

// checkNeed checks one needs entry: a service down at an error rate of 1
// fails it; a gray failure fails it with probability e. ARC routing
// control needs ARCQuorum of its cluster's regions up. The failure is
// transient, named after the service (NeedReason). cache holds the need's
// errors [down, gray], made at their first use.
func (r *Runner) checkNeed(n Need, g *gray, cache []error) error {
	switch {
	case n.ARC:
		if r.arcAvailable() {
			return nil
		}
	case serviceIndex(n.Service) < 0 || n.Region < 0 || n.Region >= r.nR:
		return nil
	default:
		e := r.svcErr(n.Region, serviceIndex(n.Service))
		if e < 1 {
			if !g.fails(e, func() error { return r.needErr(n, 1, cache) }) {
				return nil
			}
			return r.needErr(n, 1, cache)
		}
	}
	return r.needErr(n, 0, cache)
}

// needErr returns the error of need n, down (k = 0) or failed in a gray
// failure (k = 1), made at its first use and cached.
func (r *Runner) needErr(n Need, k int, cache []error) error {
	if cache[k] == nil {
		msg := "ARC routing control is unavailable: fewer than 3 of its cluster's 5 regions are up"
		if !n.ARC {
			msg = ServiceNames[serviceIndex(n.Service)] + " in " + r.regionNames[n.Region] + " is unavailable"
			if k == 1 {
				msg = ServiceNames[serviceIndex(n.Service)] + " in " + r.regionNames[n.Region] + " failed the call (gray failure)"
			}
		}
		cache[k] = &opError{op: "needs", code: NeedReason(n), transient: true, msg: msg}
	}
	return cache[k]
}

// serviceIndex returns the index of the one service bit of s, or -1.
func serviceIndex(s Services) int {
	for i := 0; i < numSvc; i++ {
		if s == 1<<i {
			return i
		}
	}
	return -1
}

// doOp issues op now, with the attempt's gray draw.
func (r *Runner) doOp(op *Op, g *gray, stream string) error {
	k := r.kms
	by := kms.Caller{Principal: r.cfg.Principal(op), U: g.u}
	if g.probe != nil {
		by.Probe = &g.probe.kms
		if op.Kind.IsKMS() {
			defer func() {
				if g.probe.kms.Rate > 0 {
					g.probe.add(g.probe.kms.Rate, g.probe.kms.Err)
				}
			}()
		}
	}
	switch op.Kind {
	case OpNone:
		return nil
	case OpReplicateKey:
		return k.ReplicateKey(by, op.Key, op.Region, op.Users, op.HasUsers)
	case OpUpdatePrimaryRegion:
		return k.UpdatePrimaryRegion(by, op.Key, op.Region)
	case OpEnableKey:
		return k.EnableKey(by, op.Key, op.Region)
	case OpDisableKey:
		return k.DisableKey(by, op.Key, op.Region)
	case OpScheduleKeyDeletion:
		w := op.Window
		if w == 0 {
			w = kms.DefaultDeletionWindow
		}
		return k.ScheduleKeyDeletion(by, op.Key, op.Region, w)
	case OpCancelKeyDeletion:
		return k.CancelKeyDeletion(by, op.Key, op.Region)
	case OpRotateKey:
		return k.RotateKeyOnDemand(by, op.Key)
	case OpPutKeyPolicy:
		return k.PutKeyPolicy(by, op.Key, op.Region, op.Users)
	case OpRestoreBackup:
		return r.restore(op.Store, g.probe != nil)
	case OpCreateTableReplica:
		return r.createTableReplica(op, g, stream)
	case OpDeleteTableReplica:
		return r.deleteTableReplica(op, g)
	case OpPutBucketReplication, OpDeleteBucketReplication:
		return r.bucketRule(op, g)
	}
	return &opError{op: "op", code: "ValidationException", msg: "model: unknown operation"}
}

// opError is a failed store operation or needs check.
type opError struct {
	op        string // the AWS API ("RestoreBackup", "UpdateTable", ...) or "needs"
	code      string
	transient bool
	msg       string
}

func (e *opError) Error() string { return "model: " + e.op + ": " + e.code + ": " + e.msg }

// errInfo returns the AWS error name of err and whether it is transient.
func errInfo(err error) (code string, transient bool) {
	switch e := err.(type) {
	case *kms.Error:
		return e.Code, e.Transient
	case *opError:
		return e.code, e.transient
	}
	return kms.ErrorCode(err), kms.IsTransient(err)
}

// addErr counts n more errors named code, keeping the list sorted by name.
func addErr(list []ErrCount, code string, n int) []ErrCount {
	i, found := slices.BinarySearchFunc(list, code, func(e ErrCount, c string) int {
		switch {
		case e.Err < c:
			return -1
		case e.Err > c:
			return 1
		}
		return 0
	})
	if found {
		list[i].N += n
		return list
	}
	return slices.Insert(list, i, ErrCount{Err: code, N: n})
}

// slowFailover returns the CauseSlowFailover of a trial whose service came
// back at the instant traffic moved, later than the RTO objective: the
// longest part of the failover's critical path, walked back from the last
// required step done at the move through, at each step, the step of its
// after list that finished last, to the detection (T0 to the runbook's
// start). A step's part is its start to its success (its retries
// included). Ties go to the part nearest the move, the detection last.
// A step whose waiting (from the end of its duration to its success: its
// failed attempts and their retries) is longer than its duration is a
// SlowFailoverWaitCause: the need whose error failed most of its attempts,
// else its op.
func (r *Runner) slowFailover() (Cause, bool) {
	res := &r.res
	fo := r.cfg.Failover
	ob := &r.cfg.Objectives
	if fo == nil || !ob.HasRTO || !res.Recovered || res.RTO <= ob.RTO || res.FailoverAt < 0 ||
		res.T0+res.RTO != res.FailoverAt || r.rbStartAt < 0 {
		return 0, false
	}
	j := -1
	for i := range fo.Steps {
		if fo.Steps[i].Required && r.stepSt[i].done && r.stepOp(i).At == res.FailoverAt {
			j = i
			break
		}
	}
	best, bestD := -1, sim.Time(-1)
	for j >= 0 {
		if d := r.stepOp(j).At - r.stepSt[j].startAt; d > bestD {
			best, bestD = j, d
		}
		next := -1
		for _, a := range fo.Steps[j].After {
			if next < 0 || r.stepOp(a).At > r.stepOp(next).At {
				next = a
			}
		}
		j = next
	}
	op := -1
	if best >= 0 && bestD >= r.rbStartAt-res.T0 {
		op = len(r.cfg.Actions) + best
	}
	if op >= 0 {
		st, res := &r.stepSt[best], r.stepOp(best)
		if wait := res.At - st.firstAt; wait > st.firstAt-st.startAt && len(res.Errors) > 0 {
			main := res.Errors[0]
			for _, e := range res.Errors[1:] {
				if e.N > main.N {
					main = e
				}
			}
			need := -1
			for ni, n := range fo.Steps[best].Needs {
				if NeedReason(n) == main.Err {
					need = ni
					break
				}
			}
			reason := kms.OK
			for k, name := range kms.ReasonNames {
				if name != "" && name == main.Err {
					reason = kms.Reason(k)
				}
			}
			return SlowFailoverWaitCause(op, need, reason), true
		}
	}
	return SlowFailoverCause(op), true
}
