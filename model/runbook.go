package model

import (
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
	// startAt is when the step started (its duration began)
	startAt sim.Time
	h       sim.Handle
	// lastErr is the error of the last failed attempt; it becomes
	// OpResult.Err at the end of the trial if the step is not done.
	lastErr error
	// att is the stream of the step's attempts ("step/NAME", "attempt"):
	// one uniform per attempt, set up at the first attempt.
	att     sim.Stream
	attInit bool
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

// stepFire runs when a step's duration is over, and at every retry: a
// step without op and needs is done; otherwise it makes one attempt (its
// needs, then its op) at this instant, once every change of the instant is
// applied (queued for runAttempts).
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

// stepAttempt makes one attempt of step i.
func (r *Runner) stepAttempt(i int) {
	st := &r.stepSt[i]
	if st.done || st.failed || r.rbState == rbAbandoned {
		return
	}
	step := &r.cfg.Failover.Steps[i]
	res := r.stepOp(i)
	if !st.attInit {
		st.att.InitKey(r.seed, r.steps[i].attKey)
		st.attInit = true
	}
	err := r.attempt(&step.Op, step.Needs, r.steps[i].needErr, st.att.Uniform(), r.steps[i].stream)
	now := r.eng.Now()
	res.Attempts++
	res.At = now
	if err == nil {
		r.traceStep(i, "step-op", "ok", "")
		r.stepDone(i)
		return
	}
	code, transient := errInfo(err)
	res.Errors = addErr(res.Errors, code)
	st.lastErr = err
	if transient {
		if r.d != nil {
			r.traceStep(i, "step-op", "retry", err.Error())
		}
		r.retryStep(i)
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

// retryStep schedules the next attempt of step i after a transient
// failure, one retry interval later. It is the one place where retries are
// scheduled: every attempt is an event, each with its own uniform. (The
// failed attempts of one run of retries under unchanged state could be
// drawn as one geometric count instead: DESIGN "Clarifications".)
func (r *Runner) retryStep(i int) {
	r.stepSt[i].h = r.eng.After(retryInterval(&r.cfg.Failover.Steps[i]), r.stepFireFn, i)
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
	err := r.attempt(&a.Op, nil, nil, st.Uniform(), r.actionStreams[ai])
	if err == nil {
		res.Done = true
	} else {
		code, transient := errInfo(err)
		res.Errors = addErr(res.Errors, code)
		res.Err, res.Code, res.Refused = err.Error(), code, !transient
	}
	r.markDirty()
	r.traceAction(ai, err)
}

// gray decides the gray failures of one attempt from its one uniform: each
// check with failure probability e fails when the uniform is below e;
// otherwise the uniform is rescaled to (0, 1) given that it was not, so
// that the successive checks of the attempt are independent.
type gray struct{ u float64 }

// fails reports whether a check with failure probability e fails.
func (g *gray) fails(e float64) bool {
	switch {
	case e <= 0:
		return false
	case e >= 1 || g.u < e:
		return true
	}
	g.u = (g.u - e) / (1 - e)
	return false
}

// attempt makes one attempt now: the needs in order, then the op with the
// needs its kind implies (where AWS sends it). A needs check and the op at
// the same instant are one attempt, with one uniform u for every gray
// failure it meets. stream names the step or action ("step/NAME",
// "action/N"), for draws on success (a new table replica's copy time).
func (r *Runner) attempt(op *Op, needs []Need, cache [][2]error, u float64, stream string) error {
	g := gray{u}
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
	k := 0
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
			if !g.fails(e) {
				return nil
			}
			k = 1
		}
	}
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
		return r.restore(op.Store)
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

// addErr counts one more error named code, keeping the list sorted by name.
func addErr(list []ErrCount, code string) []ErrCount {
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
		list[i].N++
		return list
	}
	return slices.Insert(list, i, ErrCount{Err: code, N: 1})
}

// slowFailover returns the CauseSlowFailover of a trial whose service came
// back at the instant traffic moved, later than the RTO objective: the
// longest part of the failover's critical path, walked back from the last
// required step done at the move through, at each step, the step of its
// after list that finished last, to the detection (T0 to the runbook's
// start). A step's part is its start to its success (its retries
// included). Ties go to the part nearest the move, the detection last.
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
	return SlowFailoverCause(op), true
}
