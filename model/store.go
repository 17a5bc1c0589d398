package model

import (
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// wPt is a change point of the accepted-write intensity of a store in one
// region: from t on, w writes per second are accepted.
type wPt struct {
	t sim.Time
	w float64
}

// linkPt is a change point of a replication link's status: from t on, a
// write arriving at the destination is PENDING with probability f and
// FAILED (never arrives) with probability r.
type linkPt struct {
	t    sim.Time
	f, r float64
}

// vaultPt is a change point of whether a backup's vault key is usable in
// the backup region: from t on, ok.
type vaultPt struct {
	t  sim.Time
	ok bool
}

// link is the replication of one store from one region to another.
type link struct {
	from, to int
	lag      sim.Dist
	rule     int // S3 replication rule index, -1 for a table
	pts      []linkPt
}

// store is the per-trial state of a bucket or a table.
type store struct {
	name string
	// lostStream and backupStream name the store's random streams.
	lostStream, backupStream string
	// bucket or table is the store's config (the other is nil).
	bucket *Bucket
	table  *Table
	backup *Backup

	w      [][]wPt // per region
	links  []link
	linkAt []int // [from*nR+to] -> index into links, or -1

	// tables: replica index per region (-1 when none)
	rep        []int
	inacc      []bool // per replica: INACCESSIBLE_ENCRYPTION_CREDENTIALS
	inaccSince []sim.Time
	left       []bool // per replica: left the replication group (a single-Region table from then on)
	archived   []bool // per replica: archived after 7 days inaccessible (no copy any more)
	leaveH     []sim.Handle
	archH      []sim.Handle

	// vault records the change points of the vault key's usability in the
	// backup region (usable before the first point): a copy completes only
	// if the vault key works at that moment.
	vault []vaultPt

	restored bool
	snap     sim.Time // snapshot time of the restored copy
}

func (s *store) reset() {
	for i := range s.w {
		s.w[i] = s.w[i][:0]
	}
	for i := range s.links {
		s.links[i].pts = s.links[i].pts[:0]
	}
	for i := range s.inacc {
		s.inacc[i] = false
		s.inaccSince[i] = 0
		s.left[i] = false
		s.archived[i] = false
		s.leaveH[i] = sim.Handle{}
		s.archH[i] = sim.Handle{}
	}
	s.vault = s.vault[:0]
	s.restored = false
	s.snap = 0
}

func (r *Runner) initStores() {
	cfg := r.cfg
	nR := r.nR
	mk := func(name string, b *Backup) store {
		s := store{name: name, backup: b,
			lostStream: "store/" + name, backupStream: "backup/" + name}
		s.w = make([][]wPt, nR)
		s.linkAt = make([]int, nR*nR)
		for i := range s.linkAt {
			s.linkAt[i] = -1
		}
		return s
	}
	for bi := range cfg.Buckets {
		b := &cfg.Buckets[bi]
		s := mk(b.Name, b.Backup)
		s.bucket = b
		for ri := range b.Replication {
			rule := &b.Replication[ri]
			if rule.To == b.Region || s.linkAt[b.Region*nR+rule.To] >= 0 {
				continue
			}
			s.linkAt[b.Region*nR+rule.To] = len(s.links)
			s.links = append(s.links, link{from: b.Region, to: rule.To, lag: rule.Lag, rule: ri})
		}
		r.stores = append(r.stores, s)
	}
	for ti := range cfg.Tables {
		t := &cfg.Tables[ti]
		s := mk(t.Name, t.Backup)
		s.table = t
		s.rep = make([]int, nR)
		for i := range s.rep {
			s.rep[i] = -1
		}
		for j, reg := range t.Regions {
			s.rep[reg] = j
		}
		n := len(t.Regions)
		s.inacc = make([]bool, n)
		s.inaccSince = make([]sim.Time, n)
		s.left = make([]bool, n)
		s.archived = make([]bool, n)
		s.leaveH = make([]sim.Handle, n)
		s.archH = make([]sim.Handle, n)
		for _, x := range t.Regions {
			for _, y := range t.Regions {
				if x == y {
					continue
				}
				s.linkAt[x*nR+y] = len(s.links)
				s.links = append(s.links, link{from: x, to: y, lag: t.Lag, rule: -1})
			}
		}
		r.stores = append(r.stores, s)
	}
}

// copyKey describes the copy of store s that serves region reg: ok reports
// whether there is one, key is the key that encrypts it (for a table the
// at-rest key), restored whether it is a restored backup.
func (r *Runner) copyKey(s *store, reg int) (key int, ok, restored bool) {
	if s.restored && s.backup != nil && s.backup.To == reg {
		return s.backup.Key, true, true
	}
	if s.bucket != nil {
		b := s.bucket
		if b.Region == reg {
			return b.Key, true, false
		}
		for i := range b.Replication {
			if b.Replication[i].To == reg {
				return b.Replication[i].Key, true, false
			}
		}
		return -1, false, false
	}
	j := s.rep[reg]
	if j < 0 || s.archived[j] {
		return -1, false, false
	}
	return s.table.Keys[j], true, false
}

// tableUsable reports whether table store s has a usable copy in reg: a
// replica that is neither INACCESSIBLE nor gone, or a restored backup, whose
// at-rest key is usable now.
func (r *Runner) tableUsable(s *store, reg int) bool {
	key, ok, restored := r.copyKey(s, reg)
	if !ok || (!restored && s.inacc[s.rep[reg]]) {
		return false
	}
	rs, _ := r.kms.Usable(key, reg)
	return rs == kms.OK
}

// updateReplicas applies the DynamoDB INACCESSIBLE_ENCRYPTION_CREDENTIALS
// rule: a replica whose at-rest key is refused becomes inaccessible; after
// 20 h in that state it leaves the replication group; it is archived after
// 7 days. A replica recovers only when its key is usable again. A replica
// that left the group is not deleted (AWS API Reference, ReplicaDescription:
// "The replica will not be deleted and replication will stop from and to
// this region"): it is a single-Region table that serves what it held again
// once its key is usable, but replicates nothing any more.
func (r *Runner) updateReplicas(now sim.Time) {
	for si := range r.stores {
		s := &r.stores[si]
		if s.table == nil {
			continue
		}
		for j, reg := range s.table.Regions {
			if s.archived[j] {
				continue
			}
			key := s.table.Keys[j]
			rs, _ := r.kms.Usable(key, reg)
			switch {
			case rs != kms.OK && !r.kms.Transient(rs, key, reg):
				if !s.inacc[j] {
					s.inacc[j] = true
					s.inaccSince[j] = now
					arg := si*r.nR + reg
					if !s.left[j] {
						s.leaveH[j] = r.eng.At(now+20*sim.Hour, r.leaveFn, arg)
					}
					s.archH[j] = r.eng.At(now+7*sim.Day, r.archiveFn, arg)
					if r.d != nil {
						r.traceReplica(si, reg, "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
							"at-rest key "+r.keyLabel(key, reg)+": "+rs.String())
					}
				}
			case rs == kms.OK && s.inacc[j]:
				s.inacc[j] = false
				r.eng.Cancel(s.leaveH[j])
				r.eng.Cancel(s.archH[j])
				if s.left[j] {
					r.traceReplica(si, reg, "ACTIVE", "at-rest key usable again; a single-Region table since it left the replication group: it serves what it held, nothing replicates")
				} else {
					r.traceReplica(si, reg, "ACTIVE", "at-rest key usable again; pending replication resumes")
				}
			}
		}
	}
}

// replicaLeave fires 20 h after a replica became inaccessible.
func (r *Runner) replicaLeave(arg int) {
	si, reg := arg/r.nR, arg%r.nR
	s := &r.stores[si]
	j := s.rep[reg]
	if j < 0 || !s.inacc[j] || s.left[j] {
		return
	}
	s.left[j] = true
	r.eng.MarkDirty()
	r.traceReplica(si, reg, "LEFT", "inaccessible for 20h: the replica left the replication group for good")
}

// replicaArchive fires 7 days after a replica became inaccessible.
func (r *Runner) replicaArchive(arg int) {
	si, reg := arg/r.nR, arg%r.nR
	s := &r.stores[si]
	j := s.rep[reg]
	if j < 0 || !s.inacc[j] || s.archived[j] {
		return
	}
	s.archived[j] = true
	r.eng.MarkDirty()
	r.traceReplica(si, reg, "ARCHIVED", "inaccessible for 7 days: the replica is archived")
}

// recordPoints appends change points of the accepted-write intensities and
// of the replication links.
func (r *Runner) recordPoints(now sim.Time) {
	nR := r.nR
	for si := range r.stores {
		s := &r.stores[si]
		for reg := 0; reg < nR; reg++ {
			w := r.cur.w[si*nR+reg]
			pts := s.w[reg]
			last := 0.0
			if n := len(pts); n > 0 {
				last = pts[n-1].w
			}
			if w != last {
				if n := len(pts); n > 0 && pts[n-1].t == now {
					s.w[reg][n-1].w = w
				} else {
					s.w[reg] = append(pts, wPt{now, w})
				}
			}
		}
		if b := s.backup; b != nil {
			rs, _ := r.kms.Usable(b.Key, b.To)
			if ok := rs == kms.OK; ok != s.vaultOKAt(now) {
				if n := len(s.vault); n > 0 && s.vault[n-1].t == now {
					s.vault[n-1].ok = ok
				} else {
					s.vault = append(s.vault, vaultPt{now, ok})
				}
			}
		}
		for li := range s.links {
			l := &s.links[li]
			f, rr := r.linkStatus(s, l)
			var lf, lr float64
			if n := len(l.pts); n > 0 {
				lf, lr = l.pts[n-1].f, l.pts[n-1].r
			}
			if f != lf || rr != lr {
				if n := len(l.pts); n > 0 && l.pts[n-1].t == now {
					l.pts[n-1].f, l.pts[n-1].r = f, rr
				} else {
					l.pts = append(l.pts, linkPt{now, f, rr})
				}
			}
		}
	}
}

// linkStatus returns the pending and failed fractions of writes arriving on
// link l now.
func (r *Runner) linkStatus(s *store, l *link) (f, rr float64) {
	x, y := l.from, l.to
	if s.table != nil {
		jx, jy := s.rep[x], s.rep[y]
		if s.left[jx] || s.left[jy] {
			return 0, 1
		}
		if !r.svcUp(x, svcDynamoDB) || !r.svcUp(y, svcDynamoDB) || !r.Linked(x, y) || s.inacc[jy] {
			return 1, 0
		}
		if rs, _ := r.kms.Usable(s.table.Keys[jy], y); rs != kms.OK {
			return 1, 0
		}
		return 0, 0
	}
	if !r.svcUp(x, svcS3) || !r.svcUp(y, svcS3) || !r.Linked(x, y) {
		return 1, 0
	}
	b := s.bucket
	rule := &b.Replication[l.rule]
	okS, pendS, failS := r.callOutcome(rule.Role, b.Key, x)
	_, pendD, failD := r.callOutcome(rule.Role, rule.Key, y)
	return pendS + okS*pendD, failS + okS*failD
}

// callOutcome splits a cryptographic call into success, transient failure
// and refusal probabilities, throttling included.
func (r *Runner) callOutcome(principal string, key, caller int) (ok, pend, fail float64) {
	rs, t := r.kms.Crypto(principal, key, caller)
	if rs == kms.OK {
		th := r.cur.theta[t]
		return 1 - th, th, 0
	}
	if r.kms.Transient(rs, key, caller) {
		return 0, 1, 0
	}
	return 0, 0, 1
}

// vaultOKAt reports whether the backup's vault key was usable in the backup
// region at t (as recorded up to now).
func (s *store) vaultOKAt(t sim.Time) bool {
	for i := len(s.vault) - 1; i >= 0; i-- {
		if s.vault[i].t <= t {
			return s.vault[i].ok
		}
	}
	return true
}
