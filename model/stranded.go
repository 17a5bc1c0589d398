package model

import (
	"math"

	"github.com/drsim/drsim/sim"
)

// piece is a stretch [d, e) of a replication link during which a write
// arriving at the destination is PENDING with probability f (it re-enters
// at e with a fresh lag), FAILED with probability r, or HELD with
// probability h (delivered at e). c is the probability that a write
// arriving in the piece is still missing at the evaluation time T: r +
// f·M(e) + h·[e ≥ T], with M(e) = 1 for e ≥ T.
type piece struct {
	d, e, f, r, h, c float64
}

// Missing-write modes of a source.
const (
	modeLag  = iota // replicated with lag and link pieces
	modeAll         // never arrives (no copy, no link, no rule)
	modeSnap        // restored backup: writes after snap are missing
)

// source is the contribution of the writes accepted in one region during
// [lo, hi) to the writes missing in the recovery region at time T. With
// lo = −Inf (a steady start) the writes before 0 arrive at the intensity
// w0; from 0 on at the recorded intensity w.
type source struct {
	w      []wPt
	w0     float64
	lag    sim.Dist
	mode   int
	snap   float64
	pieces []piece
	T      float64
	lo, hi float64
	// pre caches the count of the writes before 0 (cum(0)), which every
	// cum(x ≥ 0) adds; preOK says it is computed.
	pre   float64
	preOK bool
	// prefix[i] caches cum at the start of the stretch of w[i] (the
	// writes accepted before it), computed in order as far as needed.
	prefix []float64
	// sub caches the kernels of M on the stretch of the last evaluation
	// (a lag-mode source), in kern; mAt is M at the point x of the last
	// partial integral, made with it (-1: none).
	sub  subSeg
	kern []kernel
	mX   float64
	mAt  float64
	// gY, gV memoise the last G(y) of a stretch's start (whole and
	// buildSub both need G at the start of the stretch x falls in).
	gY, gV float64
}

// g returns gInt(lag, y), memoising the last value.
func (s *source) g(y float64) float64 {
	if y != s.gY || y <= 0 {
		s.gY, s.gV = y, gInt(&s.lag, y)
	}
	return s.gV
}

// kernel is one term coef·S(p − x) of M(x) on a stretch, and coef·G(p −
// x) of its integral (p is after the stretch).
type kernel struct{ p, coef float64 }

// subSeg is a stretch [a, b) of write times of a lag-mode source over which
// no piece starts or ends, within one stretch of constant intensity (seg,
// the index into w, or -1 for the writes before 0). There M(x) = m0 +
// Σ coef_k·S(p_k − x) (the pieces x falls in give m0, those after it and
// the evaluation time T the kernels, merged by p), so that
// ∫_a^x M = base + m0·(x − a) + ga − Σ coef_k·G(p_k − x), ga = Σ coef_k·G(p_k
// − a), and for the writes before 0, ∫_{−∞}^x M = Σ coef_k·E[(L − (p_k −
// x))⁺]. A Newton step within it costs one LimitedMean and one Survival
// per kernel (one in the common case of a link down from T0 on), not the
// O(pieces) of the general form.
type subSeg struct {
	ok       bool
	seg      int
	a, b     float64
	m0, base float64
	ga       float64
}

// gInt returns ∫_0^y S(u) du for the lag, with S(u) = 1 for u < 0.
func gInt(d *sim.Dist, y float64) float64 {
	if y <= 0 {
		return y
	}
	return d.LimitedMean(y)
}

// intS returns ∫_a^b S(c − t) dt (a may be −Inf: then it is ∫_{c−b}^∞ S =
// E[(L − (c−b))⁺], from the lag's tail directly).
func intS(d *sim.Dist, c, a, b float64) float64 {
	if b <= a {
		return 0
	}
	if math.IsInf(a, -1) {
		return d.TailMean(c - b)
	}
	return gInt(d, c-a) - gInt(d, c-b)
}

// sGE returns P(L ≥ y): 1 for y ≤ 0, else S(y).
func sGE(d *sim.Dist, y float64) float64 {
	if y <= 0 {
		return 1
	}
	return d.Survival(y)
}

// buildPieces turns the change points of a link into pieces before T and
// computes their c, from the last piece back.
func buildPieces(dst []piece, pts []linkPt, lag *sim.Dist, T float64) []piece {
	dst = dst[:0]
	for i, p := range pts {
		if p.f == 0 && p.r == 0 && p.h == 0 {
			continue
		}
		d := float64(p.t)
		if d >= T {
			break
		}
		e := math.Inf(1)
		if i+1 < len(pts) {
			e = float64(pts[i+1].t)
		}
		dst = append(dst, piece{d: d, e: e, f: p.f, r: p.r, h: p.h})
	}
	for k := len(dst) - 1; k >= 0; k-- {
		pk := &dst[k]
		me := 1.0
		if pk.e < T {
			me = missingAt(dst[k+1:], lag, pk.e, T)
		}
		pk.c = pk.r + pk.f*me
		if pk.e >= T {
			pk.c += pk.h
		}
	}
	return dst
}

// missingAt returns M(x): the probability that a write entering replication
// at x < T is still missing at T, given the pieces (with c computed) that
// end after x.
func missingAt(pieces []piece, lag *sim.Dist, x, T float64) float64 {
	if x >= T {
		return 1
	}
	m := lag.Survival(T - x)
	for i := range pieces {
		p := &pieces[i]
		if p.e <= x {
			continue
		}
		E := math.Min(p.e, T)
		s := sGE(lag, p.d-x)
		if p.d > x && float64(len(pieces)-i)*s <= truncate*m {
			// The pieces left (c ≤ 1, starting ever later) add less than
			// the rounding of m.
			break
		}
		m += (s - lag.Survival(E-x)) * p.c
	}
	return m
}

// truncate is the relative size below which the pieces that remain to be
// summed, bounded together, are left out: under the rounding of a float64
// (2^-54), so that a trial's cost stays linear in the pieces of a link
// (partitions, gray windows) while M and its integral change by less than
// their own rounding.
const truncate = 0x1p-54

// intM returns ∫_a^b M(t) dt for a lag-mode source (a < b ≤ T; a may be
// −Inf).
func intM(pieces []piece, lag *sim.Dist, a, b, T float64) float64 {
	v := intS(lag, T, a, b)
	for i := range pieces {
		p := &pieces[i]
		E := math.Min(p.e, T)
		if E <= a {
			continue
		}
		if p.d >= b && p.c == 0 {
			continue
		}
		if p.d > b {
			// A bound of what this piece and the later ones add: S(d − t)
			// ≤ S(d − b) over the interval.
			bound := lag.TailMean(p.d - b)
			if !math.IsInf(a, -1) {
				bound = (b - a) * lag.Survival(p.d-b)
			}
			if float64(len(pieces)-i)*bound <= truncate*v {
				break
			}
		}
		var j float64
		// t before the piece: arrival in [d, E) with lag in (d−t, E−t).
		if b1 := math.Min(b, p.d); a < b1 {
			j += intS(lag, p.d, a, b1) - intS(lag, E, a, b1)
		}
		// t inside the piece: arrival in [t, E).
		a2, b2 := math.Max(a, p.d), math.Min(b, E)
		if a2 < b2 {
			j += (b2 - a2) - intS(lag, E, a2, b2)
		}
		v += p.c * j
	}
	return v
}

// mOf returns M(x) for the source.
func (s *source) mOf(x float64) float64 {
	switch s.mode {
	case modeAll:
		return 1
	case modeSnap:
		if x > s.snap {
			return 1
		}
		return 0
	}
	return missingAt(s.pieces, &s.lag, x, s.T)
}

// intOf returns ∫_a^b M(t) dt for the source (a may be −Inf, not in
// modeAll).
func (s *source) intOf(a, b float64) float64 {
	if b <= a {
		return 0
	}
	switch s.mode {
	case modeAll:
		return b - a
	case modeSnap:
		a = math.Max(a, s.snap)
		return math.Max(0, b-a)
	}
	return intM(s.pieces, &s.lag, a, b, s.T)
}

// cum returns the expected number of writes accepted in [lo, x) (x ≤ hi)
// that are missing at T: ∫ w(t) M(t) dt. The writes of the stretches of w
// before x's are summed once (prefix); within x's stretch a lag-mode source
// evaluates the kernels of the piece-free stretch x falls in (subSeg).
func (s *source) cum(x float64) float64 {
	x = math.Min(x, s.hi)
	if x <= s.lo {
		return 0
	}
	if s.lo < 0 && s.w0 > 0 {
		if x < 0 {
			if s.mode == modeLag {
				return s.w0 / float64(sim.Second) * s.preKernels(x)
			}
			return s.w0 / float64(sim.Second) * s.intOf(s.lo, x)
		}
	} else if x < 0 {
		return 0
	}
	// i: the last intensity point at or before x.
	i := -1
	for k := len(s.w) - 1; k >= 0; k-- {
		if float64(s.w[k].t) <= x {
			i = k
			break
		}
	}
	if i < 0 {
		return s.prefixAt(0)
	}
	v := s.prefixAt(i)
	a := math.Max(float64(s.w[i].t), s.lo)
	if p := s.w[i]; x > a && p.w != 0 {
		v += p.w / float64(sim.Second) * s.partial(i, a, x)
	}
	return v
}

// prefixAt returns cum at the start of the stretch of w[i] (i ≤ len(w)):
// the writes before 0 and those of the stretches before it.
func (s *source) prefixAt(i int) float64 {
	if len(s.prefix) == 0 {
		v := 0.0
		if s.lo < 0 && s.w0 > 0 {
			if !s.preOK {
				s.pre, s.preOK = s.preCount(), true
			}
			v = s.pre
		}
		s.prefix = append(s.prefix, v)
	}
	for len(s.prefix) <= i {
		k := len(s.prefix) - 1
		v := s.prefix[k]
		p := s.w[k]
		a := math.Max(float64(p.t), s.lo)
		b := s.hi
		if k+1 < len(s.w) {
			b = math.Min(b, float64(s.w[k+1].t))
		}
		if p.w != 0 && a < b {
			v += p.w / float64(sim.Second) * s.whole(a, b)
		}
		s.prefix = append(s.prefix, v)
	}
	return s.prefix[i]
}

// maxKernelStretches bounds the piece-free stretches whole sums kernel by
// kernel (each costs O(pieces) to set up); beyond it the general form
// intM, O(pieces), is cheaper.
const maxKernelStretches = 4

// whole returns ∫_a^b M over a whole stretch of w (a finite): for a
// lag-mode source with few piece boundaries inside it, stretch by
// stretch from their merged kernels (a link down from T0 on: one
// LimitedMean), else by the general form.
func (s *source) whole(a, b float64) float64 {
	if s.mode != modeLag {
		return s.intOf(a, b)
	}
	n := 1
	for k := range s.pieces {
		p := &s.pieces[k]
		if p.d > a && p.d < b {
			n++
		}
		if E := math.Min(p.e, s.T); E > a && E < b && E != p.d {
			n++
		}
	}
	if n > maxKernelStretches {
		return s.intOf(a, b)
	}
	s.sub.ok = false // s.kern is used here
	s.mAt = -1
	v := 0.0
	for lo := a; lo < b; {
		hi := b
		for k := range s.pieces {
			p := &s.pieces[k]
			for _, t := range [2]float64{p.d, math.Min(p.e, s.T)} {
				if t > lo && t < hi {
					hi = t
				}
			}
		}
		v += s.kernels(lo, hi) * (hi - lo)
		for _, k := range s.kern {
			v += k.coef * (s.g(k.p-lo) - gInt(&s.lag, k.p-hi))
		}
		lo = hi
	}
	return v
}

// partial returns ∫_a^x M for x in the stretch of w[i] that starts at a.
func (s *source) partial(i int, a, x float64) float64 {
	if s.mode != modeLag {
		return s.intOf(a, x)
	}
	sub := &s.sub
	if !sub.ok || sub.seg != i || x < sub.a || x > sub.b {
		s.buildSub(i, a, x, false)
	}
	v := sub.base + sub.m0*(x-sub.a) + sub.ga
	m := sub.m0
	for _, k := range s.kern {
		g, sv := gIntS(&s.lag, k.p-x)
		v -= k.coef * g
		m += k.coef * sv
	}
	s.mX, s.mAt = x, m
	return v
}

// gIntS returns gInt(d, y) and P(L > y) (1 for y < 0) together.
func gIntS(d *sim.Dist, y float64) (g, s float64) {
	if y <= 0 {
		return y, 1
	}
	return d.LimitedMeanSurvival(y)
}

// preKernels returns ∫_{−∞}^x M for x ≤ 0 (a lag-mode source under a
// steady start): every piece starts at or after 0, so one stretch.
func (s *source) preKernels(x float64) float64 {
	sub := &s.sub
	if !sub.ok || sub.seg != -1 {
		s.mAt = -1
		s.kernels(math.Inf(-1), 0)
		sub.ok, sub.seg, sub.a, sub.b = true, -1, math.Inf(-1), 0
	}
	v := 0.0
	for _, k := range s.kern {
		v += k.coef * s.lag.TailMean(k.p-x)
	}
	return v
}

// buildSub sets s.sub to the piece-free stretch around x within the
// stretch [a, ·) of w[i], with its kernels, base (∫ from a to its start)
// and ga: the one that starts at x when x is a boundary, or with left, the
// one that ends there. (M is continuous, so either holds at x.)
func (s *source) buildSub(i int, a, x float64, left bool) {
	lo, hi := a, s.hi
	if i+1 < len(s.w) {
		hi = math.Min(hi, float64(s.w[i+1].t))
	}
	for k := range s.pieces {
		p := &s.pieces[k]
		for _, v := range [2]float64{p.d, math.Min(p.e, s.T)} {
			if (v < x || (v == x && !left)) && v > lo {
				lo = v
			}
			if (v > x || (v == x && left)) && v < hi {
				hi = v
			}
		}
	}
	base := 0.0
	if lo > a {
		base = s.intOf(a, lo)
	}
	sub := &s.sub
	s.mAt = -1
	sub.m0 = s.kernels(lo, hi)
	sub.ok, sub.seg, sub.a, sub.b = true, i, lo, hi
	sub.base = base
	sub.ga = 0
	for _, k := range s.kern {
		sub.ga += k.coef * s.g(k.p-lo)
	}
}

// kernels sets s.kern to the kernels of M on the piece-free stretch [a, b)
// and returns m0 (DESIGN's M: S(T−x) plus, per piece after x,
// c·[S(d−x) − S(E−x)], and per piece x falls in, c·[1 − S(E−x)]).
func (s *source) kernels(a, b float64) (m0 float64) {
	kern := append(s.kern[:0], kernel{s.T, 1})
	for k := range s.pieces {
		p := &s.pieces[k]
		E := math.Min(p.e, s.T)
		if E <= a || p.c == 0 {
			continue
		}
		if p.d >= b {
			kern = append(kern, kernel{p.d, p.c})
		} else {
			m0 += p.c
		}
		kern = append(kern, kernel{E, -p.c})
	}
	// Sort by p (insertion: nearly sorted) and merge equal points.
	for j := 1; j < len(kern); j++ {
		for m := j; m > 0 && kern[m].p < kern[m-1].p; m-- {
			kern[m], kern[m-1] = kern[m-1], kern[m]
		}
	}
	out := kern[:0]
	for _, k := range kern {
		if n := len(out); n > 0 && out[n-1].p == k.p {
			out[n-1].coef += k.coef
			continue
		}
		out = append(out, k)
	}
	kern = out[:0]
	for _, k := range out {
		if k.coef != 0 {
			kern = append(kern, k)
		}
	}
	s.kern = kern
	return m0
}

// negligible is the expected count of missing writes from before 0 below
// which preCount leaves them out: they change a trial's result only with a
// probability of that order.
const negligible = 1e-12

// preCount returns the expected number of writes accepted before 0 that
// are missing at T. A write accepted at t < 0 that arrives before D, the
// start of the link's first unhealthy piece (or T), has arrived, so the
// count is at most w0·E[(L − D)⁺]; below negligible it is taken as 0, which
// spares the closed form's 1 + 2·pieces tail integrals.
func (s *source) preCount() float64 {
	if s.mode == modeLag {
		D := s.T
		if len(s.pieces) > 0 {
			D = math.Min(D, s.pieces[0].d)
		}
		tm := s.lag.TailMean(D)
		if s.w0/float64(sim.Second)*tm < negligible {
			return 0
		}
		if s.kernels(math.Inf(-1), 0); len(s.kern) == 1 && s.kern[0].p == D && s.kern[0].coef == 1 {
			// M = S(D − t) before D (a link down from D on): the bound is
			// the count.
			s.sub.ok = false
			return s.w0 / float64(sim.Second) * tm
		}
		s.sub.ok = false
		return s.w0 / float64(sim.Second) * s.preKernels(0)
	}
	return s.w0 / float64(sim.Second) * s.intOf(s.lo, 0)
}

// density returns w(x⁻)·M(x) (writes per ns), with the intensity in force
// just before x, so that it is defined at x = hi.
func (s *source) density(x float64) float64 {
	if x > s.hi || x <= s.lo {
		return 0
	}
	w := 0.0
	i := -1
	if x <= 0 {
		w = s.w0
	}
	for k, p := range s.w {
		if float64(p.t) >= x {
			break
		}
		w, i = p.w, k
	}
	if w == 0 {
		return 0
	}
	if s.mode != modeLag {
		return w / float64(sim.Second) * s.mOf(x)
	}
	// M(x) from the kernels of the stretch x falls in (with x = hi, the
	// stretch that ends there).
	sub := &s.sub
	switch {
	case sub.ok && x >= sub.a && x <= sub.b && (i < 0) == (sub.seg < 0) && (i < 0 || sub.seg == i):
	case i < 0 && s.lo < 0:
		s.preKernels(x)
	case i >= 0:
		s.buildSub(i, math.Max(float64(s.w[i].t), s.lo), x, true)
	default:
		return w / float64(sim.Second) * s.mOf(x)
	}
	if x == s.mX && s.mAt >= 0 && sub.seg >= 0 && x > sub.a {
		return w / float64(sim.Second) * s.mAt // made with the integral to x
	}
	m := sub.m0
	for _, k := range s.kern {
		m += k.coef * s.lag.Survival(k.p-x)
	}
	return w / float64(sim.Second) * m
}

// strandScratch holds the buffers of the stranded-writes computation, one
// set per source.
type strandScratch struct {
	srcs   []source
	pieces [][]piece
	prefix [][]float64
	kern   [][]kernel
	// unbounded is set by sources when, under a steady start, writes
	// accepted before 0 could never reach the region: the missing writes
	// have no finite count and the oldest has no finite time.
	unbounded bool
}

// add appends a source, with its buffers (pieces for modeLag).
func (sc *strandScratch) add(src source, pts []linkPt) {
	if src.hi <= src.lo {
		return
	}
	n := len(sc.srcs)
	if len(sc.pieces) <= n {
		sc.pieces = append(sc.pieces, nil)
		sc.prefix = append(sc.prefix, nil)
		sc.kern = append(sc.kern, nil)
	}
	if src.mode == modeLag {
		sc.pieces[n] = buildPieces(sc.pieces[n], pts, &src.lag, src.T)
		src.pieces = sc.pieces[n]
	}
	src.prefix = sc.prefix[n][:0]
	src.kern = sc.kern[n][:0]
	src.mAt = -1
	sc.srcs = append(sc.srcs, src)
}

// release hands the sources' grown buffers back to the scratch.
func (sc *strandScratch) release() {
	for i := range sc.srcs {
		sc.prefix[i] = sc.srcs[i].prefix
		sc.kern[i] = sc.srcs[i].kern
	}
}

// sources fills r.sc.srcs with the sources of store s towards region y for
// the writes accepted before hi that are missing at T, from every region
// for which skip is false. Under a steady start the writes before 0 count
// where they could have reached y (a link existed); where nothing could
// ever reach y (no copy there, no rule, or writes to a destination bucket,
// which S3 replicates nowhere) the missing writes of a steady history have
// no finite count: sources then sets r.sc.unbounded, and still adds the
// writes since 0 (what Detail.Backlog draws).
func (r *Runner) sources(s *store, y int, skip []bool, hi, T float64) []source {
	sc := &r.sc
	sc.release()
	sc.srcs = sc.srcs[:0]
	sc.unbounded = false
	_, hasCopy, restored := r.copyKey(s, y)
	steady := r.cfg.Start == StartSteady
	lo := 0.0
	if steady {
		lo = math.Inf(-1)
	}
	for x := 0; x < r.nR; x++ {
		w0 := r.w0[s.idx*r.nR+x]
		if x == y || (skip != nil && skip[x]) || (len(s.w[x]) == 0 && !(steady && w0 > 0)) {
			continue
		}
		base := source{w: s.w[x], w0: w0, T: T, lo: lo, hi: hi, mode: modeAll}
		switch {
		case restored:
			base.mode = modeSnap
			base.snap = float64(s.snap)
			sc.add(base, nil)
		case !hasCopy:
			r.never(base, base.lo, base.hi)
		case s.table != nil:
			r.tableSources(s, base, x, s.rep[y], 0)
		default:
			r.bucketSources(s, base, x, y)
		}
	}
	return sc.srcs
}

// never adds the writes of base accepted in [lo, hi) as writes that never
// arrive (modeAll). Those before 0 (lo = −Inf, under a steady start, with
// writes at t=0) are infinitely many: it sets r.sc.unbounded and adds only
// the writes since 0.
func (r *Runner) never(base source, lo, hi float64) {
	if math.IsInf(lo, -1) && base.w0 > 0 {
		r.sc.unbounded = true
	}
	base.mode = modeAll
	base.lo, base.hi = math.Max(lo, 0), hi
	r.sc.add(base, nil)
}

// tableSources adds the sources of the writes of base (accepted in region
// x) missing in table slot jy at base.T. A replica present at t=0 gets them
// over the link x→y. A replica created at c from slot js and usable at U
// holds nothing before U; from then on the writes accepted since c that
// reached it over the link (held until U), and the writes accepted before c
// that its source held at c (all of js's own, and those of x that had
// reached js by c).
func (r *Runner) tableSources(s *store, base source, x, jy, depth int) {
	y := s.slotRegion[jy]
	if x == y {
		return // accepted there
	}
	c := s.createdAt[jy]
	li := s.linkAt[x*r.nR+y]
	if li < 0 {
		r.never(base, base.lo, base.hi)
		return
	}
	if math.IsInf(c, -1) {
		base.mode = modeLag
		base.lag = s.links[li].lag
		r.sc.add(base, s.links[li].pts)
		return
	}
	if base.T < float64(s.usableAt[jy]) || depth > len(s.slotRegion) {
		r.never(base, base.lo, base.hi)
		return
	}
	after := base
	after.mode = modeLag
	after.lag = s.links[li].lag
	after.lo = math.Max(base.lo, c)
	r.sc.add(after, s.links[li].pts)
	if base.lo < c {
		before := base
		before.hi = math.Min(base.hi, c)
		before.T = c
		r.tableSources(s, before, x, s.src[jy], depth+1)
	}
}

// bucketSources adds the sources of the writes of base (accepted in region
// x) missing in the destination bucket in y at base.T: the writes of the
// source bucket during each epoch of the rule towards y, evaluated at
// min(T, the epoch's cut); the writes outside every epoch, and those of a
// destination bucket, never arrive.
func (r *Runner) bucketSources(s *store, base source, x, y int) {
	if x != s.bucket.Region {
		r.never(base, base.lo, base.hi)
		return
	}
	d := &s.dst[s.dstAt[y]]
	l := &s.links[d.link]
	gap := base.lo // under a steady start −Inf: no rule before 0 either
	for _, e := range d.epochs {
		if e.from > gap {
			r.never(base, gap, math.Min(e.from, base.hi))
		}
		src := base
		src.mode = modeLag
		src.lag = e.lag
		src.lo, src.hi = math.Max(base.lo, e.from), math.Min(base.hi, e.until)
		src.T = math.Min(base.T, e.cut)
		r.sc.add(src, l.pts)
		gap = math.Max(gap, e.until)
	}
	if gap < base.hi {
		r.never(base, gap, base.hi)
	}
}

func cumAll(srcs []source, x float64) float64 {
	v := 0.0
	for i := range srcs {
		v += srcs[i].cum(x)
	}
	return v
}

func densityAll(srcs []source, x float64) float64 {
	v := 0.0
	for i := range srcs {
		v += srcs[i].density(x)
	}
	return v
}

// solveOldest returns the s ≤ hi with cumAll(s) = e (0 < e < lambda =
// cumAll(hi), which the caller has computed). It first lowers hi to the
// last moment any source accepted writes (the cumulative is flat after
// it). When cumAll(0) > e (a steady start, the oldest missing write before
// 0) it finds a lower bracket by doubling a step back from 0. The
// cumulative grows roughly exponentially towards hi (the survival tail), so
// it takes Newton steps on ln cumAll − ln e from hi, safeguarded by
// bisection (taken when Newton's step leaves the bracket, or when the
// cumulative is flat to rounding where Newton's step creeps), until the
// bracket or the step is under a nanosecond or the expected count matches e
// to 1e-10.
func solveOldest(srcs []source, e, lambda, hi float64) float64 {
	if last := lastWrite(srcs, hi); last < hi {
		hi = last
	}
	lo := 0.0
	if hi > 0 && hasPre(srcs) && cumAll(srcs, 0) > e {
		hi = 0
	}
	if hi <= 0 {
		step := float64(sim.Hour)
		lo = -step
		for it := 0; it < 80 && cumAll(srcs, lo) > e; it++ {
			hi = lo
			step *= 2
			lo = -step
		}
		lambda = cumAll(srcs, hi)
	}
	x, c := hi, lambda
	le := math.Log(e)
	prev := math.NaN()
	for it := 0; it < 200; it++ {
		if it > 0 {
			c = cumAll(srcs, x)
		}
		if c > e {
			hi = x
		} else {
			lo = x
		}
		if hi-lo <= 1 || math.Abs(c-e) <= 1e-10*math.Max(1, e) {
			break
		}
		xn := 0.5 * (lo + hi)
		if m := densityAll(srcs, x); m > 0 && c > 0 {
			d := math.Log(c) - le
			n := x - d*c/m
			flat := math.Abs(c-prev) <= 1e-9*c
			if math.Abs(n-x) < 0.5 && math.Abs(d) < 1 && !flat {
				break
			}
			if n > lo && n < hi && !flat {
				xn = n
			}
		}
		prev = c
		x = xn
	}
	return x
}

// lastWrite returns the last moment before hi at which a source accepted
// writes that count (the cumulative is flat after it), at most hi.
func lastWrite(srcs []source, hi float64) float64 {
	last := math.Inf(-1)
	for i := range srcs {
		s := &srcs[i]
		end := math.Min(hi, s.hi)
		found := false
		for k := len(s.w) - 1; k >= 0; k-- {
			if t := float64(s.w[k].t); t < end {
				if s.w[k].w == 0 {
					end = t
				}
				found = true
				break
			}
		}
		if !found {
			end = math.Inf(-1)
			if s.lo < 0 && s.w0 > 0 {
				end = math.Min(hi, 0)
			}
		}
		if end > s.lo {
			last = math.Max(last, end)
		}
	}
	return math.Min(last, hi)
}

// hasPre reports whether a source counts writes before 0.
func hasPre(srcs []source) bool {
	for i := range srcs {
		if srcs[i].lo < 0 && srcs[i].w0 > 0 {
			return true
		}
	}
	return false
}

// recoveryRegion returns the region the stranded writes are counted
// towards: the failover's to if it serves, else the first serving region.
func (r *Runner) recoveryRegion(serving []bool) int {
	if fo := r.cfg.Failover; fo != nil && serving[fo.To] {
		return fo.To
	}
	for reg, ok := range serving {
		if ok {
			return reg
		}
	}
	return -1
}

// stranded computes the RPO and the lost writes at recovery time T: the
// writes accepted (before traffic left their region: the region accepts
// none after) in regions that no longer serve, that have not reached the
// recovery region by T. A store's RPO is T0 minus its oldest missing write
// (0 when that is after T0); the trial's is the largest. A store whose
// missing writes are unbounded (see sources) gets RPO sim.Forever and
// UnboundedLost lost writes, and so does the trial.
func (r *Runner) stranded(T sim.Time) {
	res := &r.res
	y := r.recoveryRegion(r.serving)
	t0 := float64(res.T0)
	var rpo sim.Time
	for si := range r.stores {
		s := &r.stores[si]
		var st sim.Stream
		st.InitKey(r.seed, s.lostKey)
		u1, u2 := st.Uniform(), st.Uniform()
		if y < 0 {
			continue
		}
		srcs := r.sources(s, y, r.serving, float64(T), float64(T))
		if r.sc.unbounded {
			res.StoreRPO[si] = sim.Forever
			rpo = sim.Forever
			if r.cfg.Objectives.HasRPO {
				r.causes = addCause(r.causes, StaleCause(si, y))
			}
			res.LostWrites[si] = UnboundedLost
			res.LostTotal = UnboundedLost
			continue
		}
		if len(srcs) == 0 {
			continue
		}
		lambda := cumAll(srcs, float64(T))
		e := -math.Log(u1)
		if !(e < lambda) {
			continue
		}
		x := solveOldest(srcs, e, lambda, float64(T))
		p := sim.Time(math.Round(math.Min(t0-x, float64(sim.Forever))))
		if p < 0 {
			p = 0
		}
		res.StoreRPO[si] = p
		rpo = max(rpo, p)
		if ob := &r.cfg.Objectives; ob.HasRPO && p > ob.RPO {
			r.causes = addCause(r.causes, StaleCause(si, y))
		}
		lost := 1 + poissonInv(lambda-e, u2)
		res.LostWrites[si] = lost
		if res.LostTotal != UnboundedLost {
			res.LostTotal = min(res.LostTotal+lost, UnboundedLost-1)
		}
	}
	res.RPO = rpo
}
