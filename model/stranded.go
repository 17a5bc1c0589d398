package model

import (
	"math"

	"github.com/drsim/drsim/sim"
)

// piece is a stretch [d, e) of a replication link during which a write
// arriving at the destination is PENDING with probability f (it re-enters
// at e with a fresh lag) or FAILED with probability r. c is the probability
// that a write arriving in the piece is still missing at the evaluation time
// T: r + f·M(e), with M(e) = 1 for e ≥ T.
type piece struct {
	d, e, f, r, c float64
}

// Missing-write modes of a (source region, recovery region) pair.
const (
	modeLag  = iota // replicated with lag and link pieces
	modeAll         // never arrives (no copy, no link)
	modeSnap        // restored backup: writes after snap are missing
)

// source is the contribution of the writes accepted in one region to the
// writes missing in the recovery region at time T.
type source struct {
	w      []wPt
	lag    sim.Dist
	mode   int
	snap   float64
	pieces []piece
	T      float64
	upto   float64 // writes accepted before upto count
}

// gInt returns ∫_0^y S(u) du for the lag, with S(u) = 1 for u < 0.
func gInt(d *sim.Dist, y float64) float64 {
	if y <= 0 {
		return y
	}
	return d.LimitedMean(y)
}

// intS returns ∫_a^b S(c − t) dt.
func intS(d *sim.Dist, c, a, b float64) float64 {
	if b <= a {
		return 0
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
		if p.f == 0 && p.r == 0 {
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
		dst = append(dst, piece{d: d, e: e, f: p.f, r: p.r})
	}
	for k := len(dst) - 1; k >= 0; k-- {
		pk := &dst[k]
		me := 1.0
		if pk.e < T {
			me = missingAt(dst[k+1:], lag, pk.e, T)
		}
		pk.c = pk.r + pk.f*me
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
		m += (sGE(lag, p.d-x) - lag.Survival(E-x)) * p.c
	}
	return m
}

// intM returns ∫_a^b M(t) dt for a lag-mode source (a < b ≤ T).
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

// intOf returns ∫_a^b M(t) dt for the source.
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

// cum returns the expected number of writes accepted in [0, x) (x ≤ upto)
// that are missing at T: ∫_0^x w(t) M(t) dt.
func (s *source) cum(x float64) float64 {
	x = math.Min(x, s.upto)
	v := 0.0
	for i, p := range s.w {
		a := float64(p.t)
		if a >= x {
			break
		}
		if p.w == 0 {
			continue
		}
		b := x
		if i+1 < len(s.w) {
			b = math.Min(b, float64(s.w[i+1].t))
		}
		v += p.w / float64(sim.Second) * s.intOf(a, b)
	}
	return v
}

// density returns w(x⁻)·M(x) (writes per ns), with the intensity in force
// just before x, so that it is defined at x = upto.
func (s *source) density(x float64) float64 {
	if x > s.upto {
		return 0
	}
	w := 0.0
	for _, p := range s.w {
		if float64(p.t) >= x {
			break
		}
		w = p.w
	}
	if w == 0 {
		return 0
	}
	return w / float64(sim.Second) * s.mOf(x)
}

// strandScratch holds the buffers of the stranded-writes computation.
type strandScratch struct {
	srcs   []source
	pieces [][]piece
}

// sources fills r.sc.srcs with the sources of store s towards region y for
// the writes accepted before upto that are missing at T, from every region
// for which skip is false.
func (r *Runner) sources(s *store, y int, skip []bool, upto, T float64) []source {
	sc := &r.sc
	sc.srcs = sc.srcs[:0]
	_, hasCopy, restored := r.copyKey(s, y)
	for x := 0; x < r.nR; x++ {
		if x == y || (skip != nil && skip[x]) || len(s.w[x]) == 0 {
			continue
		}
		if len(sc.pieces) <= len(sc.srcs) {
			sc.pieces = append(sc.pieces, nil)
		}
		src := source{w: s.w[x], T: T, upto: upto, mode: modeAll}
		switch {
		case restored:
			src.mode = modeSnap
			src.snap = float64(s.snap)
		case !hasCopy:
			src.mode = modeAll
		default:
			if li := s.linkAt[x*r.nR+y]; li >= 0 {
				l := &s.links[li]
				src.mode = modeLag
				src.lag = l.lag
				sc.pieces[len(sc.srcs)] = buildPieces(sc.pieces[len(sc.srcs)], l.pts, &src.lag, T)
				src.pieces = sc.pieces[len(sc.srcs)]
			}
		}
		sc.srcs = append(sc.srcs, src)
	}
	return sc.srcs
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

// solveOldest returns the s in [0, t0] with cumAll(s) = e (0 < e < lambda
// = cumAll(t0), which the caller has computed). The cumulative grows
// roughly exponentially towards t0 (the survival tail), so it takes Newton
// steps on ln cumAll − ln e from t0, safeguarded by bisection, until the
// bracket or the step is under a nanosecond or the expected count matches e
// to 1e-10.
func solveOldest(srcs []source, e, lambda, t0 float64) float64 {
	lo, hi := 0.0, t0
	x, c := hi, lambda
	le := math.Log(e)
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
			n := x - (math.Log(c)-le)*c/m
			if math.Abs(n-x) < 0.5 {
				break
			}
			if n > lo && n < hi {
				xn = n
			}
		}
		x = xn
	}
	return x
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
// writes accepted before T0 in regions that no longer serve that have not
// reached the recovery region by T.
func (r *Runner) stranded(T sim.Time) {
	res := &r.res
	y := r.recoveryRegion(r.serving)
	t0 := float64(res.T0)
	var rpo sim.Time
	for si := range r.stores {
		s := &r.stores[si]
		st := sim.NewStream(r.seed, s.lostStream, "lost")
		u1, u2 := st.Uniform(), st.Uniform()
		if y < 0 {
			continue
		}
		srcs := r.sources(s, y, r.serving, t0, float64(T))
		if len(srcs) == 0 {
			continue
		}
		lambda := cumAll(srcs, t0)
		e := -math.Log(u1)
		if !(e < lambda) {
			continue
		}
		x := solveOldest(srcs, e, lambda, t0)
		p := sim.Time(math.Round(t0 - x))
		if p < 0 {
			p = 0
		}
		rpo = max(rpo, p)
		lost := 1 + poissonInv(lambda-e, u2)
		res.LostWrites[si] = lost
		res.LostTotal += lost
	}
	res.RPO = rpo
}
