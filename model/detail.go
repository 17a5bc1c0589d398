package model

import (
	"math"
	"strconv"
	"strings"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// detailState tracks the open timeline segments of a trial with Detail.
type detailState struct {
	prevFail   []float64
	outSeg     []int // per window: open segment, or -1
	keySeg     []int // [key*nR+region]
	stepSeg    []int
	repSeg     []int // [store*nR+region]: open replica-state segment
	serviceSeg int
	servingSeg int
}

func (r *Runner) trace(e Event) {
	if r.d == nil {
		return
	}
	e.T = r.eng.Now()
	r.d.Events = append(r.d.Events, e)
}

// openSeg opens a segment on lane from now and returns its index.
func (r *Runner) openSeg(lane, label string) int {
	r.d.Segments = append(r.d.Segments, Segment{Lane: lane, Start: r.eng.Now(), End: -1, Label: label})
	return len(r.d.Segments) - 1
}

func (r *Runner) closeSeg(i int) {
	if i >= 0 && r.d.Segments[i].End < 0 {
		r.d.Segments[i].End = r.eng.Now()
	}
}

// detailStart opens the initial segments of a trial.
func (r *Runner) detailStart() {
	if r.d == nil {
		return
	}
	ds := &r.detail
	ds.outSeg = resetInts(ds.outSeg, len(r.wins))
	ds.keySeg = resetInts(ds.keySeg, len(r.cfg.Keys)*r.nR)
	ds.stepSeg = resetInts(ds.stepSeg, len(r.stepSt))
	ds.repSeg = resetInts(ds.repSeg, len(r.stores)*r.nR)
	for k := range r.cfg.Keys {
		for reg := 0; reg < r.nR; reg++ {
			if st := r.kms.State(k, reg); st.Exists() {
				ds.keySeg[k*r.nR+reg] = r.openSeg(r.keyLane(k, reg), st.String())
			}
		}
	}
	ds.serviceSeg = r.openSeg("service", "up")
	ds.servingSeg = r.openSeg("serving", r.servingLabel())
}

func resetInts(s []int, n int) []int {
	s = s[:0]
	for i := 0; i < n; i++ {
		s = append(s, -1)
	}
	return s
}

func (r *Runner) keyLane(k, reg int) string {
	return "key " + r.cfg.Keys[k].Name + " " + r.regionNames[reg]
}

// keyLabel names a key copy: "alerts in us-west-2".
func (r *Runner) keyLabel(k, reg int) string {
	if k < 0 || k >= len(r.cfg.Keys) {
		return "?"
	}
	return r.cfg.Keys[k].Name + " in " + r.regionNames[reg]
}

// servingLabel lists the serving regions: "us-east-1, us-west-2".
func (r *Runner) servingLabel() string {
	var b strings.Builder
	for reg, ok := range r.serving {
		if ok {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(r.regionNames[reg])
		}
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// onKeyChange is the kms change callback.
func (r *Runner) onKeyChange(c kms.Change) {
	r.markDirty()
	if r.d == nil {
		return
	}
	reg := ""
	if c.Region >= 0 && c.Region < r.nR {
		reg = r.regionNames[c.Region]
	}
	name := ""
	if c.Key >= 0 && c.Key < len(r.cfg.Keys) {
		name = r.cfg.Keys[c.Key].Name
	}
	msg := "key " + name + " in " + reg + ": "
	switch c.What {
	case kms.WhatState:
		msg += c.From.String() + " -> " + c.To.String()
	case kms.WhatPrimary:
		msg += "primary Region moved (" + c.Detail + ")"
	case kms.WhatPolicy:
		msg += "key policy changed"
	case kms.WhatRotation:
		msg += "key material rotated"
	default:
		msg += c.What
	}
	if c.Detail != "" && c.What != kms.WhatPrimary {
		msg += " (" + c.Detail + ")"
	}
	r.trace(Event{Kind: "key-state", Subject: name, Region: reg, Outcome: c.To.String(), Message: msg})
	if c.What == kms.WhatState && name != "" && reg != "" && c.Key*r.nR+c.Region < len(r.detail.keySeg) {
		i := c.Key*r.nR + c.Region
		r.closeSeg(r.detail.keySeg[i])
		r.detail.keySeg[i] = -1
		if c.To.Exists() {
			r.detail.keySeg[i] = r.openSeg(r.keyLane(c.Key, c.Region), c.To.String())
		}
	}
}

// keyLaneLabel is what the timeline shows for the copy of key k in region
// reg while it exists: its state, unless calls cannot reach it. It is
// "Unreachable: KMS down" while KMS in reg is down, and "Unreachable from
// X: partition" while calls to it from region X fail because a partition
// cuts X from reg (the first such caller in region order).
func (r *Runner) keyLaneLabel(k, reg int) string {
	if !r.KMSUp(reg) {
		return "Unreachable: KMS down"
	}
	from := -1
	for fi := range r.cur.flows {
		f := &r.cur.flows[fi]
		if f.key == k && f.target == reg && f.reason == kms.Unavailable && !r.Linked(f.caller, reg) &&
			(from < 0 || f.caller < from) {
			from = f.caller
		}
	}
	if from >= 0 {
		return "Unreachable from " + r.regionNames[from] + ": partition"
	}
	return r.kms.State(k, reg).String()
}

// traceKeyReach runs at the end of every instant with a state change: it
// relabels the open key-copy segments whose label (keyLaneLabel) changed,
// so that a copy is not drawn Enabled while no call can reach it.
func (r *Runner) traceKeyReach() {
	if r.d == nil {
		return
	}
	now := r.eng.Now()
	for k := range r.cfg.Keys {
		for reg := 0; reg < r.nR; reg++ {
			i := k*r.nR + reg
			si := r.detail.keySeg[i]
			if si < 0 {
				continue // no copy there
			}
			want := r.keyLaneLabel(k, reg)
			seg := &r.d.Segments[si]
			switch {
			case seg.Label == want:
			case seg.Start == now:
				seg.Label = want // opened at this instant (a state change)
			default:
				r.closeSeg(si)
				r.detail.keySeg[i] = r.openSeg(r.keyLane(k, reg), want)
			}
		}
	}
}

// traceWindow traces the start or end of window wi: an outage, a phase of
// one (its event is the outage: Subject is the outage's label), or a
// partition.
func (r *Runner) traceWindow(wi int, start bool) {
	if r.d == nil {
		return
	}
	w := &r.wins[wi]
	o := &r.cfg.Outages[w.outage]
	var lane, kind, reg, msg string
	if w.kind == Partition {
		a, b := r.regionNames[w.regions[0]], r.regionNames[w.regions[1]]
		lane = "partition " + a + "<->" + b
		kind = "partition-"
		reg = a + "<->" + b
		msg = "partition between " + a + " and " + b
	} else {
		reg = r.regionNames[w.region]
		lane = "outage " + reg
		kind = "outage-"
		what := w.services.String()
		if w.services == SvcAll {
			what = "every service"
		}
		msg = "outage of " + what + " in " + reg
		if w.rate < 1 {
			msg += " at an error rate of " + strconv.FormatFloat(100*w.rate, 'g', 4, 64) + "%"
		}
		if w.phase >= 0 {
			msg = "phases[" + strconv.Itoa(w.phase) + "] (of " + strconv.Itoa(len(o.Phases)) + "): " + msg
		}
	}
	if start {
		kind += "start"
		msg += " starts"
		r.detail.outSeg[wi] = r.openSeg(lane, w.label)
	} else {
		kind += "end"
		msg += " ends"
		r.closeSeg(r.detail.outSeg[wi])
		r.detail.outSeg[wi] = -1
	}
	r.trace(Event{Kind: kind, Subject: o.Label(), Region: reg, Message: msg})
}

// traceSTS traces a change of the app's credentials from an STS endpoint.
func (r *Runner) traceSTS(region int, msg string) {
	r.trace(Event{Kind: "credentials", Subject: "app", Region: r.regionNames[region], Message: msg})
}

// traceRule traces a change of a bucket's replication rule towards to.
func (r *Runner) traceRule(si, to int, outcome, msg string) {
	r.trace(Event{Kind: "replication", Subject: r.stores[si].name, Region: r.regionNames[to], Outcome: outcome, Message: msg})
}

func (r *Runner) traceService(up bool) {
	if r.d == nil {
		return
	}
	label, kind := "down", "service-down"
	if up {
		label, kind = "up", "service-up"
	}
	r.closeSeg(r.detail.serviceSeg)
	r.detail.serviceSeg = r.openSeg("service", label)
	r.trace(Event{Kind: kind, Subject: "service", Outcome: label,
		Message: "service " + label + ": " + strconv.FormatFloat(100*r.cur.success, 'f', 2, 64) + "% of requests succeed, serving " + r.servingLabel()})
}

func (r *Runner) traceRouting(kind, msg string) {
	if r.d == nil {
		return
	}
	r.closeSeg(r.detail.servingSeg)
	r.detail.servingSeg = r.openSeg("serving", r.servingLabel())
	r.trace(Event{Kind: kind, Subject: "routing", Region: r.servingLabel(), Message: msg})
}

func (r *Runner) traceStep(i int, kind, outcome, errMsg string) {
	if r.d == nil {
		return
	}
	step := &r.cfg.Failover.Steps[i]
	msg := "step " + step.Name
	switch kind {
	case "step-start":
		msg += " starts"
		r.detail.stepSeg[i] = r.openSeg("step "+step.Name, "running")
	case "step-done":
		msg += " done"
		r.closeSeg(r.detail.stepSeg[i])
		// A step that never retried is drawn as one "done" bar; one that
		// did keeps its "retrying …" bar up to the success.
		if seg := &r.d.Segments[r.detail.stepSeg[i]]; seg.Label == "running" {
			seg.Label = "done"
		}
	case "step-failed":
		msg += " failed: " + errMsg
		r.closeSeg(r.detail.stepSeg[i])
		r.d.Segments[r.detail.stepSeg[i]].Label = "failed"
	case "step-op":
		if step.Op.Kind == OpNone {
			msg += ": needs met"
		} else {
			msg += ": " + step.Op.Kind.String() + " succeeded"
		}
	}
	code := ""
	if e := r.stepSt[i].lastErr; errMsg != "" && e != nil {
		code, _ = errInfo(e)
	}
	r.trace(Event{Kind: kind, Subject: step.Name, Region: r.opRegion(&step.Op), Outcome: outcome, Error: code, Message: msg})
}

// traceRetrying labels the bar of step i "retrying: CODE" from the first
// failed attempt of a run of retries on.
func (r *Runner) traceRetrying(i int, code string) {
	if r.d == nil {
		return
	}
	step := &r.cfg.Failover.Steps[i]
	if label := "retrying: " + code; r.d.Segments[r.detail.stepSeg[i]].Label != label {
		r.closeSeg(r.detail.stepSeg[i])
		r.detail.stepSeg[i] = r.openSeg("step "+step.Name, label)
	}
}

// traceRun traces the run of retries of step i that just ended as one
// entry: how many attempts failed, over what span, and with what errors
// (the count of each, and the message of the last).
func (r *Runner) traceRun(i int) {
	st := &r.stepSt[i]
	run := &st.run
	step := &r.cfg.Failover.Steps[i]
	n := run.last + 1
	what := step.Op.Kind.String()
	if step.Op.Kind == OpNone {
		what = "needs"
	}
	msg := "step " + step.Name + ": " + what + " failed"
	if n == 1 {
		msg += " at " + sim.FormatDuration(run.start)
	} else {
		msg += " " + strconv.FormatInt(n, 10) + " times from " + sim.FormatDuration(run.start) + " to " +
			sim.FormatDuration(run.start+run.last*run.every) + ", retrying every " + sim.FormatDuration(run.every)
	}
	var code string
	if run.gray {
		prev := int64(0)
		var parts []string
		for b := range run.bands {
			c := run.countBy(b, n)
			if d := c - prev; d > 0 {
				bc, _ := errInfo(run.bands[b].err)
				if code == "" {
					code = bc
				}
				parts = append(parts, strconv.FormatInt(d, 10)+" "+bc)
			}
			prev = c
		}
		msg += " (gray failures: " + strings.Join(parts, ", ") + ")"
	} else {
		code, _ = errInfo(run.err)
	}
	if st.lastErr != nil {
		msg += ": " + st.lastErr.Error()
	}
	r.trace(Event{Kind: "step-op", Subject: step.Name, Region: r.opRegion(&step.Op), Outcome: "retry", Error: code, Message: msg})
}

func (r *Runner) opRegion(op *Op) string {
	if op.Region >= 0 && op.Region < r.nR {
		return r.regionNames[op.Region]
	}
	return ""
}

func (r *Runner) traceAction(ai int, err error) {
	if r.d == nil {
		return
	}
	a := &r.cfg.Actions[ai]
	subject := a.Op.Kind.String()
	if a.Op.Key >= 0 && a.Op.Key < len(r.cfg.Keys) {
		subject += " " + r.cfg.Keys[a.Op.Key].Name
	}
	ev := Event{Kind: "action", Subject: subject, Region: r.opRegion(&a.Op), Outcome: "ok", Message: "action " + subject + " succeeded"}
	if err != nil {
		code, _ := errInfo(err)
		ev.Outcome, ev.Error, ev.Message = "failed", code, "action "+subject+" failed: "+err.Error()
	}
	r.trace(ev)
}

func (r *Runner) traceReplica(si, reg int, outcome, why string) {
	if r.d == nil {
		return
	}
	s := &r.stores[si]
	r.trace(Event{Kind: "replication", Subject: s.name, Region: r.regionNames[reg], Outcome: outcome,
		Message: "table " + s.name + " replica in " + r.regionNames[reg] + ": " + outcome + " (" + why + ")"})
	if outcome == "ARCHIVED" {
		return
	}
	i := si*r.nR + reg
	r.closeSeg(r.detail.repSeg[i])
	r.detail.repSeg[i] = -1
	if outcome != "ACTIVE" {
		r.detail.repSeg[i] = r.openSeg("replica "+s.name+" "+r.regionNames[reg], outcome)
	}
}

// traceRates records a RatePoint and explains every change of the KMS
// failure rates by the calls that fail.
func (r *Runner) traceRates(now sim.Time) {
	if r.d == nil {
		return
	}
	rp := RatePoint{T: now, Unavailable: r.cur.unavailable, Success: r.cur.success}
	for i, v := range r.cur.fail {
		rp.FailuresByReason[i/r.nR] += v
	}
	if n := len(r.d.Rates); n > 0 && r.d.Rates[n-1].T == now {
		r.d.Rates[n-1] = rp
	} else {
		r.d.Rates = append(r.d.Rates, rp)
	}
	prev := r.detail.prevFail
	for i, v := range r.cur.fail {
		old := 0.0
		if i < len(prev) {
			old = prev[i]
		}
		if math.Abs(v-old) <= 1e-12*math.Max(1, math.Abs(old)) {
			continue
		}
		reason := kms.Reason(i / r.nR)
		reg := i % r.nR
		if v == 0 {
			r.trace(Event{Kind: "kms-failure", Subject: reason.String(), Region: r.regionNames[reg], Outcome: "stopped",
				Error: reason.String(), Message: reason.String() + " in " + r.regionNames[reg] + " stopped"})
			continue
		}
		r.explain(reason, reg, v)
	}
}

// explain emits one kms-failure event per class of calls failing with
// reason in region reg.
func (r *Runner) explain(reason kms.Reason, reg int, total float64) {
	nR := r.nR
	for fi := range r.cur.flows {
		f := &r.cur.flows[fi]
		if f.target != reg {
			continue
		}
		var rate float64
		why := ""
		switch {
		case reason == kms.Throttling && f.reason == kms.OK:
			th := r.cur.theta[reg]
			if th == 0 {
				continue
			}
			rate = f.rate * f.calls * (1 - r.svcErr(reg, svcKMS)) * th
			why = "demand " + strconv.FormatFloat(r.cur.demand[reg], 'f', 0, 64) + "/s over quota " +
				strconv.FormatFloat(r.cfg.Regions[reg].KMSRPS, 'f', 0, 64) + "/s"
		case f.reason == reason && reason != kms.Throttling:
			rate = f.rate * f.calls
			why = r.whyFailed(f)
		case reason == kms.Unavailable && f.reason == kms.OK && r.svcErr(reg, svcKMS) > 0:
			e := r.svcErr(reg, svcKMS)
			rate = f.rate * f.calls * e
			why = "gray failure of KMS in " + r.regionNames[reg] + " at an error rate of " + strconv.FormatFloat(100*e, 'g', 4, 64) + "%"
		default:
			continue
		}
		if f.repl {
			src := r.stores[f.store].bucket.Region
			rate = r.cur.w[f.store*nR+src] * f.scale * f.calls
			switch {
			case reason == kms.Throttling:
				rate *= (1 - r.svcErr(reg, svcKMS)) * r.cur.theta[reg]
			case f.reason == kms.OK: // a gray failure of KMS
				rate *= r.svcErr(reg, svcKMS)
			}
		}
		if rate == 0 {
			continue
		}
		s := &r.stores[f.store]
		what := "request to " + s.name
		if f.repl {
			what = "replication of " + s.name + " to " + r.regionNames[f.rule]
		}
		msg := cryptoOpNames[f.op] + " by " + f.principal + " on key " + r.cfg.Keys[f.key].Name + " in " + r.regionNames[reg] +
			": " + reason.String() + " (" + why + "; " + what + ", from " + r.regionNames[f.caller] + ") at " +
			strconv.FormatFloat(rate, 'g', 4, 64) + "/s of " + strconv.FormatFloat(total, 'g', 4, 64) + "/s"
		r.trace(Event{Kind: "kms-failure", Subject: r.cfg.Keys[f.key].Name, Region: r.regionNames[reg], Outcome: "failing",
			Error: reason.String(), Message: msg})
	}
}

// whyFailed explains a refused or unavailable call.
func (r *Runner) whyFailed(f *flow) string {
	switch f.reason {
	case kms.Unavailable:
		if !r.KMSUp(f.target) {
			return "KMS down in " + r.regionNames[f.target]
		}
		return r.regionNames[f.caller] + " partitioned from " + r.regionNames[f.target]
	case kms.NotFound:
		return "no related key in " + r.regionNames[f.target]
	case kms.AccessDenied:
		return f.principal + " not in the key policy"
	}
	return "copy " + r.kms.State(f.key, f.target).String()
}

// finish closes the open segments at the horizon and samples the backlog.
func (r *Runner) finish(d *Detail) {
	if d == nil {
		return
	}
	h := r.cfg.Horizon
	for i := range d.Segments {
		if d.Segments[i].End < 0 {
			d.Segments[i].End = h
		}
	}
	r.backlog(d)
}

// backlog samples the expected number of writes accepted before t that have
// not reached a region, per store, at 121 points around T0: towards the
// recovery region (or the failover target) and towards every other region
// a failover could go to, one the store replicates into from a region that
// served at T0 and whose store service is up at T0, in region order.
func (r *Runner) backlog(d *Detail) {
	res := &r.res
	h := r.cfg.Horizon
	var center, end sim.Time
	y := -1
	if res.Incident {
		center = res.T0
		end = h
		if res.Recovered {
			end = res.T0 + res.RTO
			y = r.recoveryRegion(r.serving)
		}
	} else {
		found := false
		for _, e := range d.Events {
			if e.Kind == "outage-start" {
				center, found = e.T, true
				break
			}
		}
		if !found {
			return
		}
		end = center
	}
	if fo := r.cfg.Failover; y < 0 && fo != nil {
		y = fo.To
	}
	if y < 0 {
		for reg := 0; reg < r.nR; reg++ {
			if !r.atT0[reg] && !r.serving[reg] {
				y = reg
				break
			}
		}
	}
	if y < 0 {
		return
	}
	lo := max(0, center-30*sim.Minute)
	hi := min(h, end+10*sim.Minute)
	if hi <= lo {
		return
	}
	const n = 120
	skip := make([]bool, r.nR)
	from := r.atT0 // the regions whose writes a failover would strand
	if !res.Incident {
		from = r.serving
	}
	for si := range r.stores {
		s := &r.stores[si]
		svc := svcS3
		if s.table != nil {
			svc = svcDynamoDB
		}
		for dst := 0; dst < r.nR; dst++ {
			// Besides the recovery region, the regions a failover could go
			// to: fed by replication, and with the store's service up at
			// the centre of the window.
			if dst != y && (!replicatesTo(s, from, dst, r.nR) || !r.svcUpAt(dst, svc, center)) {
				continue
			}
			clear(skip)
			skip[dst] = true
			for i := 0; i <= n; i++ {
				t := lo + (hi-lo)*sim.Time(i)/n
				srcs := r.sources(s, dst, skip, float64(t), float64(t))
				v := cumAll(srcs, float64(t))
				d.Backlog = append(d.Backlog, BacklogPoint{T: t, Store: s.name, Region: r.regionNames[dst], Writes: v})
			}
		}
	}
}

// replicatesTo reports whether store s replicates into region dst from a
// region of from.
func replicatesTo(s *store, from []bool, dst, nR int) bool {
	for x := 0; x < nR; x++ {
		if x != dst && from[x] && s.linkAt[x*nR+dst] >= 0 {
			return true
		}
	}
	return false
}
