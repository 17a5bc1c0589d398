package model

import (
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Cryptographic operations, for the trace.
const (
	opDecrypt uint8 = iota
	opGenerateDataKey
	opEncrypt
)

var cryptoOpNames = [...]string{"Decrypt", "GenerateDataKey", "Encrypt"}

// flow is a class of requests (or of replicated objects) that make the same
// KMS call: rate per second, calls per request, and the call's outcome
// before gray failures and throttling.
type flow struct {
	rate      float64
	calls     float64
	reason    kms.Reason
	target    int
	caller    int
	key       int
	store     int
	op        uint8
	write     bool
	repl      bool
	rule      int // destination region of a replication flow
	principal string
	who       int // principal's index into Config.Principals
	// scale multiplies the source's accepted write rate for a replication
	// flow: the fraction of the writes that reach this call (gray failures
	// of S3 at either end, of KMS at the source for the Encrypt).
	scale float64
}

// rates are the rates in force between two state changes.
type rates struct {
	offered, succeeded, unavailable float64
	fail                            []float64 // failed calls/s, [reason*nR+region]
	demand, theta                   []float64 // per region
	w                               []float64 // accepted writes/s [store*nR+region]
	wAtt                            []float64 // attempted writes before throttling
	flows                           []flow
	success                         float64
	up                              bool

	// attr asks computeRates for the attribution below (the rates in
	// force, not a hypothetical routing): fails are the failed KMS calls
	// per second by class (a Cause of kind CauseKMSCall or
	// CauseReplicationCall), cand the requests per second that the
	// app-side causes fail, decisive the causes that keep the service
	// down (decisive), repl the replication causes in force.
	attr     bool
	fails    []CauseCount
	cand     []CauseCount
	decisive []Cause
	repl     []Cause
}

func (rt *rates) init(nR, nStores int) {
	rt.fail = make([]float64, int(kms.NumReasons)*nR)
	rt.demand = make([]float64, nR)
	rt.theta = make([]float64, nR)
	rt.w = make([]float64, nStores*nR)
	rt.wAtt = make([]float64, nStores*nR)
}

func (rt *rates) reset() {
	rt.offered, rt.succeeded, rt.unavailable = 0, 0, 0
	clear(rt.fail)
	clear(rt.demand)
	clear(rt.theta)
	clear(rt.w)
	clear(rt.wAtt)
	rt.flows = rt.flows[:0]
	rt.success = 1
	rt.up = true
	rt.fails = rt.fails[:0]
	rt.cand = rt.cand[:0]
	rt.decisive = rt.decisive[:0]
	rt.repl = rt.repl[:0]
}

// actionable reports whether a KMS call from caller sent to target that
// failed with reason is a cause (Cause): anything but KMS down in the
// caller's own region.
func actionable(reason kms.Reason, caller, target int) bool {
	return reason != kms.OK && (reason != kms.Unavailable || caller != target)
}

// computeRates fills rt with the rates that follow from the current state
// when the regions in serving serve the traffic. Gray failures apply
// independently, in this order: the app's, the store's (and, for a table,
// KMS at rest), KMS's at the call's target, then throttling, which takes
// the excess fraction θ of the calls that would otherwise succeed.
func (r *Runner) computeRates(serving []bool, rt *rates) {
	cfg := r.cfg
	nR := r.nR
	rt.reset()
	n := 0
	appUp := false
	for reg := 0; reg < nR; reg++ {
		if serving[reg] {
			n++
			if r.appErr(reg) < 1 {
				appUp = true
			}
		}
	}
	if n == 0 {
		rt.success = 0
		rt.up = false
		return
	}
	share := 1 / float64(n)
	app := cfg.App.Principal
	for reg := 0; reg < nR; reg++ {
		if !serving[reg] {
			continue
		}
		appE := r.appErr(reg)
		for si := range r.stores {
			s := &r.stores[si]
			if s.bucket != nil {
				b := s.bucket
				wr, rd := b.Writes*share, b.Reads*share
				rt.offered += wr + rd
				key, ok, _ := r.copyKey(s, reg)
				s3E := r.svcErr(reg, svcS3)
				if appE >= 1 || s3E >= 1 || !ok {
					rt.unavailable += wr + rd
					if rt.attr {
						r.attrUnavailable(rt, si, reg, appE >= 1, s3E >= 1, wr+rd)
					}
					continue
				}
				if pass := (1 - appE) * (1 - s3E); pass < 1 {
					rt.unavailable += (wr + rd) * (1 - pass)
					wr, rd = wr*pass, rd*pass
				}
				calls := 1.0
				if b.BucketKey {
					calls = 0.01
				}
				rs, t := r.kms.Crypto(app, key, reg)
				if wr > 0 {
					rt.flows = append(rt.flows, flow{rate: wr, calls: calls, reason: rs, target: t, caller: reg,
						key: key, store: si, op: opGenerateDataKey, write: true, rule: -1, principal: app, who: 0})
				}
				if rd > 0 {
					rt.flows = append(rt.flows, flow{rate: rd, calls: calls, reason: rs, target: t, caller: reg,
						key: key, store: si, op: opDecrypt, rule: -1, principal: app, who: 0})
				}
				continue
			}
			t := s.table
			wr, rd := t.Writes*share, t.Reads*share
			rt.offered += wr + rd
			ddbE := r.svcErr(reg, svcDynamoDB)
			atRest, usable := r.tableUsable(s, reg)
			if appE >= 1 || ddbE >= 1 || !usable {
				rt.unavailable += wr + rd
				if rt.attr {
					r.attrUnavailable(rt, si, reg, appE >= 1, ddbE >= 1, wr+rd)
				}
				continue
			}
			kE := r.svcErr(atRest, svcKMS)
			if pass := (1 - appE) * (1 - ddbE) * (1 - kE); pass < 1 {
				rt.unavailable += (wr + rd) * (1 - pass)
				if rt.attr && kE > 0 && atRest != reg {
					// a gray failure of KMS in another region, where the
					// replica's at-rest key is called
					key, _, _ := r.copyKey(s, reg)
					rt.cand = addCount(rt.cand, StoreUnavailableCause(si, reg, kms.Unavailable, key, atRest), (wr+rd)*(1-appE)*(1-ddbE)*kE)
				}
				wr, rd = wr*pass, rd*pass
			}
			if t.ClientKey < 0 {
				rt.succeeded += wr + rd
				rt.w[si*nR+reg] += wr
				rt.wAtt[si*nR+reg] += wr
				continue
			}
			rs, tg := r.kms.Crypto(app, t.ClientKey, reg)
			if wr > 0 {
				rt.flows = append(rt.flows, flow{rate: wr, calls: 1, reason: rs, target: tg, caller: reg,
					key: t.ClientKey, store: si, op: opGenerateDataKey, write: true, rule: -1, principal: app, who: 0})
			}
			if rd > 0 {
				rt.flows = append(rt.flows, flow{rate: rd, calls: 1, reason: rs, target: tg, caller: reg,
					key: t.ClientKey, store: si, op: opDecrypt, rule: -1, principal: app, who: 0})
			}
		}
	}
	// Attempted writes (before throttling) feed the replication demand.
	for i := range rt.flows {
		f := &rt.flows[i]
		if f.write && f.reason == kms.OK {
			rt.wAtt[f.store*nR+f.caller] += f.rate * (1 - r.svcErr(f.target, svcKMS))
		}
	}
	// S3 replication: one call at the source, one at the destination per
	// object, while the link carries objects.
	nApp := len(rt.flows)
	for si := range r.stores {
		s := &r.stores[si]
		if s.bucket == nil {
			continue
		}
		b := s.bucket
		src := b.Region
		wa := rt.wAtt[si*nR+src]
		if wa == 0 {
			continue
		}
		calls := 1.0
		if b.BucketKey {
			calls = 0.01
		}
		for di := range s.dst {
			dd := &s.dst[di]
			dst := dd.to
			if !dd.on || !r.svcUp(src, svcS3) || !r.svcUp(dst, svcS3) || !r.Linked(src, dst) {
				continue
			}
			pass := (1 - r.svcErr(src, svcS3)) * (1 - r.svcErr(dst, svcS3))
			rs, ts := r.kms.Crypto(dd.role, b.Key, src)
			who := -1
			if rt.attr {
				who = r.principalIndex(dd.role)
			}
			rt.flows = append(rt.flows, flow{rate: wa * pass, calls: calls, reason: rs, target: ts, caller: src,
				key: b.Key, store: si, op: opDecrypt, repl: true, rule: dst, principal: dd.role, who: who, scale: pass})
			if rs != kms.OK {
				continue
			}
			pass *= 1 - r.svcErr(ts, svcKMS)
			rd, td := r.kms.Crypto(dd.role, dd.key, dst)
			rt.flows = append(rt.flows, flow{rate: wa * pass, calls: calls, reason: rd, target: td, caller: dst,
				key: dd.key, store: si, op: opEncrypt, repl: true, rule: dst, principal: dd.role, who: who, scale: pass})
		}
	}
	// Demand and throttling per target region: every call that reaches KMS
	// (gray failures of KMS included: those calls reach it and fail there).
	for i := range rt.flows {
		f := &rt.flows[i]
		if f.reason != kms.Unavailable {
			rt.demand[f.target] += f.rate * f.calls
		}
	}
	for reg := 0; reg < nR; reg++ {
		q := cfg.Regions[reg].KMSRPS
		if d := rt.demand[reg]; d > q && d > 0 {
			rt.theta[reg] = 1 - q/d
		}
	}
	for i := 0; i < nApp; i++ {
		f := &rt.flows[i]
		if f.reason == kms.OK {
			kE := r.svcErr(f.target, svcKMS)
			th := rt.theta[f.target]
			ok := f.rate * (1 - kE) * (1 - th)
			rt.succeeded += ok
			if f.write {
				rt.w[f.store*nR+f.caller] += ok
			}
			if kE > 0 {
				rt.fail[int(kms.Unavailable)*nR+f.target] += f.rate * f.calls * kE
				if rt.attr {
					c := KMSCallCause(kms.Unavailable, f.key, f.store, f.caller, f.target, f.who)
					rt.fails = addCount(rt.fails, c, f.rate*f.calls*kE)
					if f.caller != f.target {
						rt.cand = addCount(rt.cand, c, f.rate*kE)
					}
				}
			}
			if th > 0 {
				rt.fail[int(kms.Throttling)*nR+f.target] += f.rate * f.calls * (1 - kE) * th
				if rt.attr {
					rt.fails = addCount(rt.fails, KMSCallCause(kms.Throttling, f.key, f.store, f.caller, f.target, f.who), f.rate*f.calls*(1-kE)*th)
					rt.cand = addCount(rt.cand, ThrottledCause(f.target), f.rate*(1-kE)*th)
				}
			}
			continue
		}
		rt.fail[int(f.reason)*nR+f.target] += f.rate * f.calls
		if rt.attr {
			c := KMSCallCause(f.reason, f.key, f.store, f.caller, f.target, f.who)
			rt.fails = addCount(rt.fails, c, f.rate*f.calls)
			if actionable(f.reason, f.caller, f.target) {
				rt.cand = addCount(rt.cand, c, f.rate)
			}
		}
	}
	// Replication calls fail at the rate of accepted writes that reach them.
	for i := nApp; i < len(rt.flows); i++ {
		f := &rt.flows[i]
		src := r.stores[f.store].bucket.Region
		wAcc := rt.w[f.store*nR+src] * f.scale
		if f.reason == kms.OK {
			kE := r.svcErr(f.target, svcKMS)
			if kE > 0 {
				rt.fail[int(kms.Unavailable)*nR+f.target] += wAcc * f.calls * kE
				if rt.attr && wAcc > 0 {
					c := ReplicationCallCause(kms.Unavailable, f.key, f.store, f.caller, f.target, f.rule, f.who)
					rt.fails = addCount(rt.fails, c, wAcc*f.calls*kE)
					if f.caller != f.target {
						rt.repl = addCause(rt.repl, c)
					}
				}
			}
			if th := rt.theta[f.target]; th > 0 {
				rt.fail[int(kms.Throttling)*nR+f.target] += wAcc * f.calls * (1 - kE) * th
				if rt.attr && wAcc > 0 {
					rt.fails = addCount(rt.fails, ReplicationCallCause(kms.Throttling, f.key, f.store, f.caller, f.target, f.rule, f.who), wAcc*f.calls*(1-kE)*th)
				}
			}
			continue
		}
		rt.fail[int(f.reason)*nR+f.target] += wAcc * f.calls
		if rt.attr && wAcc > 0 {
			c := ReplicationCallCause(f.reason, f.key, f.store, f.caller, f.target, f.rule, f.who)
			rt.fails = addCount(rt.fails, c, wAcc*f.calls)
			if actionable(f.reason, f.caller, f.target) {
				rt.repl = addCause(rt.repl, c)
			}
		}
	}
	if rt.offered > 0 {
		rt.success = rt.succeeded / rt.offered
		rt.up = rt.success >= cfg.Objectives.Success
		if rt.attr && !rt.up {
			rt.decide(cfg.Objectives.Success)
		}
	} else {
		rt.success = 1
		rt.up = appUp
		if !appUp {
			rt.success = 0
		}
	}
}

// attrUnavailable attributes n requests per second to store si that fail
// as unavailable in region reg: because the app's credentials ran out with
// an STS endpoint in another region (CauseSTS), or because the store has no
// usable copy there (CauseStoreUnavailable). The app or the store's service
// down in reg itself is the outage: not a cause.
func (r *Runner) attrUnavailable(rt *rates, si, reg int, appDown, svcDown bool, n float64) {
	switch {
	case appDown:
		if e := r.stsEndpoint[reg]; e >= 0 && e != reg && r.credsGone[e] && r.svcErr(reg, svcApp) < 1 {
			rt.cand = addCount(rt.cand, STSCause(reg, e), n)
		}
	case svcDown:
	default:
		s := &r.stores[si]
		key, ok, restored := r.copyKey(s, reg)
		if !ok {
			rt.cand = addCount(rt.cand, StoreUnavailableCause(si, reg, kms.OK, -1, -1), n)
			return
		}
		rs, t := r.kms.Usable(key, reg)
		if rs == kms.OK && !restored && s.table != nil && s.inacc[s.rep[reg]] {
			rs = kms.InvalidState // inaccessible, its key usable again this instant
		}
		if actionable(rs, reg, t) {
			rt.cand = addCount(rt.cand, StoreUnavailableCause(si, reg, rs, key, t), n)
		}
	}
}

// decide finds the causes that keep the service down under the rates in
// force (rt.up false, rt.offered > 0): a candidate is decisive when, had
// its requests succeeded, at least a fraction success of the offered
// requests would have; when none is alone but all together are, all are.
// When the service would stay down without any of them (the outage keeps
// it down), none is.
func (rt *rates) decide(success float64) {
	need := success*rt.offered - rt.succeeded
	tol := 1e-9 * rt.offered
	var all float64
	for _, c := range rt.cand {
		all += c.N
		if c.N >= need-tol {
			rt.decisive = addCause(rt.decisive, c.Cause)
		}
	}
	if len(rt.decisive) == 0 && all >= need-tol {
		for _, c := range rt.cand {
			rt.decisive = addCause(rt.decisive, c.Cause)
		}
	}
}

// principalIndex returns the index of principal p in Config.Principals, or
// -1.
func (r *Runner) principalIndex(p string) int {
	for i, q := range r.principals {
		if q == p {
			return i
		}
	}
	return -1
}

// closeInterval integrates the rates in force over [tPrev, now).
func (r *Runner) closeInterval(now sim.Time) {
	if now <= r.tPrev {
		return
	}
	dt := float64(now-r.tPrev) / float64(sim.Second)
	res := &r.res
	res.Offered += r.cur.offered * dt
	res.Succeeded += r.cur.succeeded * dt
	res.Unavailable += r.cur.unavailable * dt
	if res.Incident && !res.Recovered {
		res.IncidentOffered += r.cur.offered * dt
		res.IncidentSucceeded += r.cur.succeeded * dt
	}
	for i, v := range r.cur.fail {
		if v != 0 {
			res.KMSFailures[i] += v * dt
		}
	}
	for _, f := range r.cur.fails {
		if f.N != 0 {
			r.kmsBy = addCount(r.kmsBy, f.Cause, f.N*dt)
		}
	}
	for _, c := range r.cur.repl {
		r.causes = addCause(r.causes, c)
	}
	if !r.cur.up {
		for _, c := range r.cur.decisive {
			r.causes = addCause(r.causes, c)
		}
	}
	if r.cur.up {
		res.UpTime += now - r.tPrev
	}
	r.tPrev = now
}

// evaluate runs at the end of every instant with a state change: it closes
// the interval that ends now, recomputes the rates and the service state,
// and drives the runbook.
func (r *Runner) evaluate() {
	now := r.eng.Now()
	if now > r.cfg.Horizon {
		return
	}
	r.runAttempts()
	if !r.changed {
		return // only attempts that changed nothing
	}
	if r.wake(now, false) {
		// A waiting step retries at this very instant: its attempt sees
		// the state after every change of the instant, and is made before
		// the instant is judged.
		r.eng.MarkDirty()
		return
	}
	r.changed = false
	r.closeInterval(now)
	r.updateReplicas(now)
	if r.d != nil {
		r.detail.prevFail = append(r.detail.prevFail[:0], r.cur.fail...)
	}
	wasUp := r.cur.up
	r.computeRates(r.serving, &r.cur)
	r.recordPoints(now)
	up := r.cur.up
	res := &r.res
	switch {
	case wasUp && !up:
		if !res.Incident {
			res.Incident = true
			res.T0 = now
			copy(r.atT0, r.serving)
			r.startRunbook()
		}
		r.traceService(false)
	case !wasUp && up:
		if res.Incident && !res.Recovered {
			res.Recovered = true
			res.RTO = now - res.T0
			res.RecoveredIn = res.RecoveredIn[:0]
			for reg := 0; reg < r.nR; reg++ {
				if r.serving[reg] {
					res.RecoveredIn = append(res.RecoveredIn, reg)
				}
			}
			r.stranded(now)
		}
		r.traceService(true)
	}
	if up && (r.rbState == rbDetecting || r.rbState == rbRunning) {
		r.abandonRunbook()
	}
	if r.rbState == rbMoved && !r.res.RoutedBack && r.routeBackH == (sim.Handle{}) && !(up && r.onlyTo()) && r.shouldRouteBack() {
		d := r.failStream.Draw(r.cfg.Failover.Detect)
		r.routeBackH = r.eng.After(d, r.routeBackFn, 0)
	}
	r.traceRates(now)
	r.traceKeyReach()
	// Changes made while judging the instant (a replica turned
	// inaccessible, the vault key's record) are seen from the next retry
	// instant on.
	r.wake(now, true)
}

// servesAlone reports whether region reg could keep the service up alone.
func (r *Runner) servesAlone(reg int) bool {
	clear(r.hypo)
	r.hypo[reg] = true
	r.computeRates(r.hypo, &r.scr)
	return r.scr.up
}

// shouldRouteBack reports whether health-checked routing would send traffic
// back: the failover region cannot serve alone but the original one can.
func (r *Runner) shouldRouteBack() bool {
	fo := r.cfg.Failover
	return !r.servesAlone(fo.To) && r.servesAlone(fo.From)
}

// onlyTo reports whether the failover region is the only serving one.
func (r *Runner) onlyTo() bool {
	for reg, ok := range r.serving {
		if ok != (reg == r.cfg.Failover.To) {
			return false
		}
	}
	return true
}

// routeBack fires a detect delay after the failover region was found unable
// to serve; it re-checks and routes back.
func (r *Runner) routeBack(int) {
	r.routeBackH = sim.Handle{}
	if r.res.RoutedBack || !r.shouldRouteBack() {
		return
	}
	copy(r.serving, r.before)
	r.res.RoutedBack = true
	r.markDirty()
	if r.d != nil {
		r.traceRouting("routed-back", "health-checked routing sent traffic back to "+r.servingLabel())
	}
}
