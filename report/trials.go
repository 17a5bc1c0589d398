package report

import (
	"context"
	"encoding/binary"
	"math"
	"sync"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/internal/exact"
	"github.com/drsim/drsim/sim"
)

// Record is the fixed part of the compact result of one trial: 56 bytes
// whatever the scenario (DESIGN "Results that scale out" allows 64). What a trial has
// per store and per action or step is kept beside it (Trials), 8 bytes each;
// what is rare (an up time that the incident does not explain, failed KMS
// calls, store RPOs in their lag's tail, the errors of ops that were not
// done, the trial's causes) goes to a shared, deduplicated table of rare
// details that Rare indexes. Times are in nanoseconds.
type Record struct {
	// T0 is the first moment the service was down (with an incident); RTO
	// and RPO are set when it recovered.
	T0, RTO, RPO int64
	// Unavailable is TrialResult.Unavailable (0 when not finite).
	Unavailable float64
	// Success is succeeded/offered requests (with flagSuccess), and
	// IncidentSuccess the same over the incident window (with
	// flagIncidentSuccess).
	Success, IncidentSuccess float64
	// Rare is the offset + 1 of the trial's rare details in Trials' table,
	// 0 when it has none.
	Rare  uint32
	Flags uint16
	_     uint16
}

// Record flags.
const (
	flagIncident uint16 = 1 << iota
	flagRecovered
	flagRoutedBack
	flagSuccess
	flagIncidentSuccess
	// flagFailover: traffic moved to the failover region at T0+RTO (the
	// failover recovered the service: most trials that fail over); any
	// other failover time is in the rare details.
	flagFailover
)

// Incident reports whether the service went down in the trial.
func (r *Record) Incident() bool { return r.Flags&flagIncident != 0 }

// Recovered reports whether the service was up again within the horizon.
func (r *Record) Recovered() bool { return r.Flags&flagRecovered != 0 }

// UnboundedRPO reports whether the trial recovered with an unbounded RPO
// (model.TrialResult.StoreRPO): RPO is then sim.Forever and the lost writes
// model.UnboundedLost.
func (r *Record) UnboundedRPO() bool { return r.Recovered() && r.RPO == sim.Forever }

// noAt marks an op that was not done in Trials' per-op times.
const noAt = math.MinInt64

// maxRPOBit marks, in Trials' per-store values, a store whose RPO is the
// trial's; the low 63 bits are the store's lost writes.
const maxRPOBit = 1 << 63

// Trials holds the compact results of the trials [From, From+N) of one
// scenario and seed, and the sums over them that the report needs and that
// the records do not keep (exact: any split of the trials adds up to the same
// bytes). Memory per trial: the 56-byte Record, 8 bytes per store (its lost
// writes) and 8 bytes per action and runbook step (when it was done), plus
// the trial's rare details when it has any, shared when equal.
//
// A Trials grows by Run (or Add, for results made elsewhere) and is read by
// Build, WriteCSV, Compare and the partial-file encoder. It is not safe for
// concurrent use.
type Trials struct {
	Cfg  *model.Config
	Seed uint64
	from int

	recs   []Record
	stores []uint64 // [trial*nStores+store]: lost writes | maxRPOBit
	ops    []int64  // [trial*nOps+op]: At of a done op, else noAt
	rare   rareTable
	sums   Sums

	nStores, nOps, nR, nKeys int
	// tailQ[s] is the store RPO (ns) above which a store's RPO that is not
	// the trial's is kept in the rare details: the p99.99 of its lag, +Inf
	// for a bounded lag (tail warnings look at nothing else).
	tailQ []float64
}

// NewTrials returns an empty Trials for the trials of cfg with seed, from
// trial index from on.
func NewTrials(cfg *model.Config, seed uint64, from int) *Trials {
	t := &Trials{Cfg: cfg, Seed: seed, from: from}
	t.nStores = len(cfg.Buckets) + len(cfg.Tables)
	t.nOps = len(cfg.Actions)
	if cfg.Failover != nil {
		t.nOps += len(cfg.Failover.Steps)
	}
	t.nR = len(cfg.Regions)
	t.nKeys = len(cfg.Keys)
	t.sums = newSums(t.nR, t.nOps, t.nKeys, t.nStores)
	t.tailQ = make([]float64, t.nStores)
	for si := range t.tailQ {
		t.tailQ[si] = math.Inf(1)
		if lag, ok := storeLag(cfg, si); ok && !bounded(lag) {
			if q := lag.Quantile(tailP); !math.IsNaN(q) {
				t.tailQ[si] = q
			}
		}
	}
	return t
}

// From returns the index of the first trial.
func (t *Trials) From() int { return t.from }

// N returns the number of trials held.
func (t *Trials) N() int { return len(t.recs) }

// Record returns the record of trial index i (From ≤ i < From+N).
func (t *Trials) Record(i int) *Record { return &t.recs[i-t.from] }

// LostWrites returns the lost writes of store s in trial index i.
func (t *Trials) LostWrites(i, s int) int64 {
	return int64(t.stores[(i-t.from)*t.nStores+s] &^ maxRPOBit)
}

// LostTotal returns the lost writes of trial index i, over its stores.
// It is model.UnboundedLost when a store's is, and otherwise at most
// model.UnboundedLost − 1.
func (t *Trials) LostTotal(i int) int64 {
	var n int64
	for s := 0; s < t.nStores; s++ {
		v := t.LostWrites(i, s)
		if v == model.UnboundedLost {
			return v
		}
		if v >= model.UnboundedLost-1-n {
			return model.UnboundedLost - 1
		}
		n += v
	}
	return n
}

// DoneAt returns when op k was done in trial index i (ok false when it was
// not done).
func (t *Trials) DoneAt(i, k int) (at sim.Time, ok bool) {
	v := t.ops[(i-t.from)*t.nOps+k]
	return v, v != noAt
}

// FailoverAt returns when traffic moved to the failover region in trial
// index i, or -1.
func (t *Trials) FailoverAt(i int) sim.Time {
	r := t.Record(i)
	if r.Flags&flagFailover != 0 {
		return r.T0 + r.RTO
	}
	if r.Rare != 0 {
		if d := t.rareOf(r); d.hasFailover {
			return d.failoverAt
		}
	}
	return -1
}

// UpTime returns how long the service was up in trial index i.
func (t *Trials) UpTime(i int) sim.Time {
	r := t.Record(i)
	if d := t.rareOf(r); d.hasUpTime {
		return d.upTime
	}
	return derivedUpTime(r, t.Cfg.Horizon)
}

// derivedUpTime is the up time of a trial that was down only from T0 to
// its recovery (or to the horizon): what most trials have, kept in the rare
// details otherwise.
func derivedUpTime(r *Record, horizon sim.Time) sim.Time {
	switch {
	case !r.Incident():
		return horizon
	case r.Recovered():
		return horizon - r.RTO
	}
	return r.T0
}

// Sums are the sums over trials that the records do not keep, exact (any
// split of the trials gives the same bytes): offered requests, failed KMS
// calls by reason and region, by key and by store (model.TrialResult's
// KMSFailuresBy), and the ops' counts and errors.
type Sums struct {
	// Bad counts the non-finite values found in the results (counted as
	// 0).
	Bad      int
	Offered  exact.Sum
	Failures []exact.Sum // [reason*nRegions+region]
	// ByKey and ByStore are [reason*(n+1)+i], i = n for the calls whose
	// key or store a trial could not name.
	ByKey, ByStore []exact.Sum
	Ops            []OpSums
}

// OpSums are the counts of one action or runbook step over trials.
type OpSums struct {
	NotStarted, Started, Done, Failed, Abandoned, Refused int
	// Attempts counts the attempts over trials, and Errors the failed
	// attempts by AWS error name: exact 128-bit counts, since a step
	// retried every millisecond for a century makes 3e12 attempts a
	// trial, which 3e6 trials take past math.MaxInt64.
	Attempts exact.Count
	Errors   map[string]exact.Count
	// LastErrors counts the trials that ended failed or abandoned by
	// their last error. Only looked up and merged: reports sort their
	// keys.
	LastErrors map[string]int
}

func newSums(nR, nOps, nKeys, nStores int) Sums {
	s := Sums{Failures: make([]exact.Sum, int(kms.NumReasons)*nR), Ops: make([]OpSums, nOps),
		ByKey: make([]exact.Sum, int(kms.NumReasons)*(nKeys+1)), ByStore: make([]exact.Sum, int(kms.NumReasons)*(nStores+1))}
	for k := range s.Ops {
		s.Ops[k].Errors = map[string]exact.Count{}
		s.Ops[k].LastErrors = map[string]int{}
	}
	return s
}

// merge adds o to s.
func (s *Sums) merge(o *Sums) {
	s.Bad += o.Bad
	s.Offered.Merge(&o.Offered)
	for k := range s.Failures {
		s.Failures[k].Merge(&o.Failures[k])
	}
	for k := range s.ByKey {
		s.ByKey[k].Merge(&o.ByKey[k])
	}
	for k := range s.ByStore {
		s.ByStore[k].Merge(&o.ByStore[k])
	}
	for k := range s.Ops {
		a, b := &s.Ops[k], &o.Ops[k]
		a.NotStarted += b.NotStarted
		a.Started += b.Started
		a.Done += b.Done
		a.Failed += b.Failed
		a.Abandoned += b.Abandoned
		a.Refused += b.Refused
		a.Attempts.Merge(&b.Attempts)
		for e, n := range b.Errors {
			c := a.Errors[e]
			c.Merge(&n)
			a.Errors[e] = c
		}
		for e, n := range b.LastErrors {
			a.LastErrors[e] += n
		}
	}
}

// Run runs the trials From+N to to−1 on workers goroutines (workers ≤ 0:
// GOMAXPROCS), appending their compact results. progress, if not nil, is
// called with the trials done in this call (sim.ParallelContext). When ctx
// is done it stops early: the trials held are still From to From+N−1, and
// ctx's error is returned. Each worker sums its own trials (Sums); the
// records are written by trial index, so the result does not depend on the
// number of workers.
func (t *Trials) Run(ctx context.Context, to, workers int, progress func(done int)) error {
	first := t.from + len(t.recs)
	n := to - first
	if n <= 0 {
		return nil
	}
	base := len(t.recs)
	t.grow(n)
	var mu sync.Mutex
	var parts []*Sums
	done := sim.ParallelContext(ctx, n, workers, func() func(i int) {
		runner := model.NewRunner(t.Cfg)
		s := newSums(t.nR, t.nOps, t.nKeys, t.nStores)
		p := &packer{t: t, sums: &s}
		mu.Lock()
		parts = append(parts, &s)
		mu.Unlock()
		return func(i int) {
			p.pack(base+i, runner.TrialRef(t.Seed, first+i, nil))
		}
	}, progress)
	for _, s := range parts {
		t.sums.merge(s)
	}
	t.truncate(base + done)
	if done < n {
		return ctx.Err()
	}
	return nil
}

// Add appends the results of trials From+N, From+N+1, ... made elsewhere
// (in order: results[k].Trial is ignored).
func (t *Trials) Add(results ...model.TrialResult) {
	base := len(t.recs)
	t.grow(len(results))
	p := &packer{t: t, sums: &t.sums}
	for k := range results {
		p.pack(base+k, &results[k])
	}
}

// grow makes room for n more trials.
func (t *Trials) grow(n int) {
	t.recs = growTo(t.recs, len(t.recs)+n)
	t.stores = growTo(t.stores, len(t.recs)*t.nStores)
	t.ops = growTo(t.ops, len(t.recs)*t.nOps)
}

func growTo[T any](s []T, n int) []T {
	if n <= cap(s) {
		return s[:n]
	}
	c := max(n, 2*cap(s))
	if cap(s) == 0 {
		c = n
	}
	out := make([]T, n, c)
	copy(out, s)
	return out
}

// truncate keeps the first n trials.
func (t *Trials) truncate(n int) {
	t.recs = t.recs[:n]
	t.stores = t.stores[:n*t.nStores]
	t.ops = t.ops[:n*t.nOps]
}

// packer turns TrialResults into compact records. One per worker.
type packer struct {
	t    *Trials
	sums *Sums
	buf  []byte // the rare details being built
}

// fin returns x, or 0 (counted as bad) when x is not finite.
func (p *packer) fin(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		p.sums.Bad++
		return 0
	}
	return x
}

// pack stores the result of one trial at position k (0-based in t).
func (p *packer) pack(k int, res *model.TrialResult) {
	t := p.t
	var rec Record
	if res.Incident {
		rec.Flags |= flagIncident
		rec.T0 = res.T0
		if res.Recovered {
			rec.Flags |= flagRecovered
			rec.RTO, rec.RPO = res.RTO, res.RPO
		}
	}
	if res.RoutedBack {
		rec.Flags |= flagRoutedBack
	}
	s := p.sums
	o := p.fin(res.Offered)
	if o > 0 {
		rec.Flags |= flagSuccess
		rec.Success = p.fin(p.fin(res.Succeeded) / o)
	}
	s.Offered.Add(o)
	if io := p.fin(res.IncidentOffered); res.Incident && io > 0 {
		rec.Flags |= flagIncidentSuccess
		rec.IncidentSuccess = p.fin(p.fin(res.IncidentSucceeded) / io)
	}
	rec.Unavailable = p.fin(res.Unavailable)

	// Rare details, tagged: built in p.buf, interned when not empty.
	p.buf = p.buf[:0]
	switch fo := res.FailoverAt; {
	case fo >= 0 && res.Incident && res.Recovered && fo == res.T0+res.RTO:
		rec.Flags |= flagFailover
	case fo >= 0:
		p.buf = append(p.buf, tagFailoverAt)
		p.buf = binary.AppendVarint(p.buf, fo)
	}
	if up := res.UpTime; up != derivedUpTime(&rec, t.Cfg.Horizon) {
		p.buf = append(p.buf, tagUpTime)
		p.buf = binary.AppendVarint(p.buf, up)
	}
	var perReason [kms.NumReasons]float64
	anyFail := false
	for r := kms.Reason(1); r < kms.NumReasons; r++ {
		for g := 0; g < t.nR; g++ {
			if j := int(r)*t.nR + g; j < len(res.KMSFailures) {
				v := p.fin(res.KMSFailures[j])
				s.Failures[j].Add(v)
				perReason[r] += v
			}
		}
		if perReason[r] != 0 {
			anyFail = true
		}
	}
	for _, c := range res.KMSFailuresBy {
		v := p.fin(c.N)
		r := int(c.Cause.Reason())
		s.ByKey[r*(t.nKeys+1)+slot(c.Cause.Key(), t.nKeys)].Add(v)
		s.ByStore[r*(t.nStores+1)+slot(c.Cause.Store(), t.nStores)].Add(v)
	}
	if anyFail {
		// What the per-trial CSV and compare's paired differences use: the
		// sums by reason over regions, and the total in index order.
		p.buf = append(p.buf, tagFailures)
		for r := kms.Reason(1); r < kms.NumReasons; r++ {
			p.buf = binary.LittleEndian.AppendUint64(p.buf, math.Float64bits(perReason[r]))
		}
		var total float64
		for _, v := range res.KMSFailures {
			total += v
		}
		p.buf = binary.LittleEndian.AppendUint64(p.buf, math.Float64bits(total))
	}

	stores := t.stores[k*t.nStores : (k+1)*t.nStores]
	nTail := 0
	for si := range stores {
		var v uint64
		if res.Incident && res.Recovered {
			if si < len(res.LostWrites) && res.LostWrites[si] > 0 {
				v = uint64(res.LostWrites[si]) &^ maxRPOBit
			}
			var srpo sim.Time
			if si < len(res.StoreRPO) {
				srpo = res.StoreRPO[si]
			}
			if srpo == res.RPO {
				v |= maxRPOBit
			} else if float64(srpo)/float64(sim.Second) > t.tailQ[si]/1e9 {
				nTail++
			}
		}
		stores[si] = v
	}
	if nTail > 0 {
		p.buf = append(p.buf, tagStoreRPO)
		p.buf = binary.AppendUvarint(p.buf, uint64(nTail))
		for si := range stores {
			if stores[si]&maxRPOBit == 0 && si < len(res.StoreRPO) && float64(res.StoreRPO[si])/float64(sim.Second) > t.tailQ[si]/1e9 {
				p.buf = binary.AppendUvarint(p.buf, uint64(si))
				p.buf = binary.AppendVarint(p.buf, res.StoreRPO[si])
			}
		}
	}

	ops := t.ops[k*t.nOps : (k+1)*t.nOps]
	nErr := 0
	for oi := range ops {
		ops[oi] = noAt
		os := &s.Ops[oi]
		if oi >= len(res.Ops) || !res.Ops[oi].Started {
			os.NotStarted++
			continue
		}
		o := &res.Ops[oi]
		os.Started++
		os.Attempts.Add(int64(o.Attempts))
		for _, e := range o.Errors {
			c := os.Errors[e.Err]
			c.Add(int64(e.N))
			os.Errors[e.Err] = c
		}
		switch outcome(o) {
		case model.OpDone:
			os.Done++
			ops[oi] = o.At
			continue
		case model.OpAbandoned:
			os.Abandoned++
		default:
			os.Failed++
		}
		if o.Code != "" {
			os.LastErrors[o.Code]++
			nErr++
		}
		if o.Refused {
			os.Refused++
		}
	}
	if nErr > 0 {
		// The last error of each op that ended with one: what dynamic
		// findings quote.
		p.buf = append(p.buf, tagOpErrors)
		p.buf = binary.AppendUvarint(p.buf, uint64(nErr))
		for oi := range ops {
			if oi >= len(res.Ops) {
				break
			}
			o := &res.Ops[oi]
			if !o.Started || outcome(o) == model.OpDone || o.Code == "" {
				continue
			}
			p.buf = binary.AppendUvarint(p.buf, uint64(oi))
			var fl byte
			if o.Refused {
				fl = 1
			}
			p.buf = append(p.buf, fl)
			p.buf = appendString(p.buf, o.Code)
			p.buf = appendString(p.buf, o.Err)
		}
	}
	if len(res.Causes) > 0 {
		// The causes the trial observed: what dynamic findings tally.
		p.buf = append(p.buf, tagCauses)
		p.buf = binary.AppendUvarint(p.buf, uint64(len(res.Causes)))
		for _, c := range res.Causes {
			p.buf = binary.AppendUvarint(p.buf, uint64(c))
		}
	}
	if len(p.buf) > 0 {
		rec.Rare = t.rare.intern(p.buf)
	}
	t.recs[k] = rec
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Tags of the rare details.
const (
	tagUpTime     byte = 1 // varint ns
	tagFailures   byte = 2 // 6 float64 by reason (NotFound … Unavailable), then the total
	tagStoreRPO   byte = 3 // uvarint count, then (uvarint store, varint ns)
	tagOpErrors   byte = 4 // uvarint count, then (uvarint op, flags byte, string code, string err)
	tagFailoverAt byte = 5 // varint ns: a failover time other than T0+RTO
	tagCauses     byte = 6 // uvarint count, then uvarint model.Cause, sorted
)

// rareTable is the shared, deduplicated table of rare details: each entry
// is a byte string (tagged fields), stored once in arena and found again
// by its bytes. Safe for concurrent use (workers intern while they run;
// rare details are rare, so the lock is rarely taken).
type rareTable struct {
	mu    sync.Mutex
	arena []byte
	index map[string]uint32 // only looked up
}

// intern returns the offset + 1 of entry b (copied) in the arena.
func (rt *rareTable) intern(b []byte) uint32 {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if off, ok := rt.index[string(b)]; ok {
		return off
	}
	if rt.index == nil {
		rt.index = map[string]uint32{}
	}
	off := uint32(len(rt.arena)) + 1
	rt.arena = binary.AppendUvarint(rt.arena, uint64(len(b)))
	rt.arena = append(rt.arena, b...)
	rt.index[string(b)] = off
	return off
}

// entry returns the bytes of the entry at offset off (Record.Rare).
func (rt *rareTable) entry(off uint32) []byte {
	if off == 0 {
		return nil
	}
	b := rt.arena[off-1:]
	n, w := binary.Uvarint(b)
	return b[w : w+int(n)]
}

// rareView is the decoded rare details of one trial.
type rareView struct {
	hasUpTime   bool
	upTime      sim.Time
	hasFailover bool
	failoverAt  sim.Time
	hasFailures bool
	byReason    [kms.NumReasons]float64 // [reason]; 0 unused
	total       float64
	storeRPO    []storeRPO
	opErrors    []opError
	causes      []model.Cause
}

type storeRPO struct {
	store int
	rpo   sim.Time
}

type opError struct {
	op        int
	refused   bool
	code, err string
}

// rareOf decodes the rare details of r (an empty view when it has none).
// The view's slices are fresh.
func (t *Trials) rareOf(r *Record) rareView {
	var v rareView
	b := t.rare.entry(r.Rare)
	for len(b) > 0 {
		tag := b[0]
		b = b[1:]
		switch tag {
		case tagUpTime:
			x, w := binary.Varint(b)
			v.hasUpTime, v.upTime = true, x
			b = b[w:]
		case tagFailoverAt:
			x, w := binary.Varint(b)
			v.hasFailover, v.failoverAt = true, x
			b = b[w:]
		case tagFailures:
			v.hasFailures = true
			for rr := kms.Reason(1); rr < kms.NumReasons; rr++ {
				v.byReason[rr] = math.Float64frombits(binary.LittleEndian.Uint64(b))
				b = b[8:]
			}
			v.total = math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
		case tagStoreRPO:
			n, w := binary.Uvarint(b)
			b = b[w:]
			for ; n > 0; n-- {
				s, w1 := binary.Uvarint(b)
				x, w2 := binary.Varint(b[w1:])
				b = b[w1+w2:]
				v.storeRPO = append(v.storeRPO, storeRPO{int(s), x})
			}
		case tagOpErrors:
			n, w := binary.Uvarint(b)
			b = b[w:]
			for ; n > 0; n-- {
				op, w1 := binary.Uvarint(b)
				b = b[w1:]
				fl := b[0]
				b = b[1:]
				var code, msg string
				code, b = readString(b)
				msg, b = readString(b)
				v.opErrors = append(v.opErrors, opError{int(op), fl&1 != 0, code, msg})
			}
		case tagCauses:
			n, w := binary.Uvarint(b)
			b = b[w:]
			for ; n > 0; n-- {
				c, w := binary.Uvarint(b)
				b = b[w:]
				v.causes = append(v.causes, model.Cause(c))
			}
		default:
			return v // unknown tag: a bug, or a newer drsim's entry
		}
	}
	return v
}

// view fills tr with what the records say of trial index i (reusing its
// slices): its outcome, RTO, RPO, lost writes, causes, and the last error
// of each op that ended with one. It is what model.TrialResult consumers
// that walk the trials in order (dynamic findings) read.
func (t *Trials) view(i int, tr *model.TrialResult) {
	r := t.Record(i)
	*tr = model.TrialResult{Trial: i, Incident: r.Incident(), Recovered: r.Recovered(), T0: r.T0, RTO: r.RTO, RPO: r.RPO,
		FailoverAt: -1, Ops: tr.Ops[:0], Causes: tr.Causes[:0]}
	if r.Incident() && r.Recovered() {
		tr.LostTotal = t.LostTotal(i)
	}
	if r.Rare == 0 {
		tr.Causes = nil
		return
	}
	d := t.rareOf(r)
	tr.Causes = append(tr.Causes, d.causes...)
	if len(d.opErrors) > 0 {
		tr.Ops = append(tr.Ops, make([]model.OpResult, t.nOps)...)
		for _, e := range d.opErrors {
			tr.Ops[e.op] = model.OpResult{Started: true, Code: e.code, Err: e.err, Refused: e.refused}
		}
	}
}

func readString(b []byte) (string, []byte) {
	n, w := binary.Uvarint(b)
	b = b[w:]
	return string(b[:n]), b[n:]
}
