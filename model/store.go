package model

import (
	"math"

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
// write arriving at the destination is PENDING with probability f (it
// re-enters at the next change point with a fresh lag), FAILED (never
// arrives) with probability r, or HELD with probability h (delivered at the
// next change point: a table replica still being created).
type linkPt struct {
	t       sim.Time
	f, r, h float64
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
	lag      sim.Dist // a table's lag; a bucket's lags are per epoch
	pts      []linkPt
}

// epoch is a stretch of write times [from, until) during which a bucket's
// rule towards one destination was in force, with the lag of that rule.
// cut is when delete-bucket-replication removed the rule (objects not
// arrived by then never arrive), +Inf otherwise. A rule replaced by
// put-bucket-replication ends its epoch but keeps its objects in flight.
type epoch struct {
	from, until, cut float64 // ns; from −Inf for a rule in force before 0
	lag              sim.Dist
}

// bucketDst is a bucket's destination region: the bucket a replication
// rule towards it implies.
type bucketDst struct {
	to   int
	link int // index into store.links
	// rule is the configured rule's index, or -1 (the destination of a
	// put-bucket-replication op only).
	rule int
	// ---- per trial ----
	exists bool // the destination bucket exists (a rule was in force)
	on     bool // a rule is in force
	key    int  // the rule's replica key: the bucket's key there
	role   string
	epochs []epoch
}

// store is the per-trial state of a bucket or a table.
type store struct {
	name string
	idx  int // index into Runner.stores
	// lostStream and backupStream name the store's random streams; lostKey
	// is the key of (lostStream, "lost").
	lostStream, backupStream string
	lostKey                  sim.StreamKey
	// bucket or table is the store's config (the other is nil).
	bucket *Bucket
	table  *Table
	backup *Backup

	w      [][]wPt // per region
	links  []link
	linkAt []int // [from*nR+to] -> index into links, or -1

	// buckets: destination per region (dstAt, -1 when none)
	dst   []bucketDst
	dstAt []int

	// tables: replica slots, one per region that holds a replica at t=0
	// (the table's regions, in order) or that a create-table-replica op
	// names (after them). rep maps a region to its slot, -1 when none.
	slotRegion []int
	rep        []int
	// per slot, per trial
	present    []bool     // the replica exists (created, not deleted)
	key        []int      // its at-rest key
	createdAt  []float64  // ns when its initial copy started; −Inf for a t=0 replica
	usableAt   []sim.Time // when its initial copy is usable (≤ 0 for a t=0 replica)
	src        []int      // the slot it was copied from, -1 for a t=0 replica
	inacc      []bool     // INACCESSIBLE_ENCRYPTION_CREDENTIALS
	inaccSince []sim.Time
	left       []bool // left the replication group (a single-Region table from then on)
	archived   []bool // archived after 7 days inaccessible (no copy any more)
	leaveH     []sim.Handle
	archH      []sim.Handle
	usableH    []sim.Handle

	// vault records the change points of the vault key's usability in the
	// backup region (usable before the first point): a copy completes only
	// if the vault key works at that moment.
	vault []vaultPt

	restored bool
	snap     sim.Time // snapshot time of the restored copy
}

// resetStore puts s back to its t=0 state.
func (r *Runner) resetStore(s *store) {
	for i := range s.w {
		s.w[i] = s.w[i][:0]
	}
	for i := range s.links {
		s.links[i].pts = s.links[i].pts[:0]
	}
	from := math.Inf(-1)
	if r.cfg.Start == StartEmpty {
		from = 0
	}
	for di := range s.dst {
		d := &s.dst[di]
		d.epochs = d.epochs[:0]
		d.exists, d.on = false, false
		if d.rule >= 0 {
			rule := &s.bucket.Replication[d.rule]
			d.exists, d.on, d.key, d.role = true, true, rule.Key, rule.Role
			d.epochs = append(d.epochs, epoch{from: from, until: math.Inf(1), cut: math.Inf(1), lag: rule.Lag})
		}
	}
	if t := s.table; t != nil {
		for j := range s.slotRegion {
			initial := j < len(t.Regions)
			s.present[j] = initial
			s.key[j] = -1
			if initial {
				s.key[j] = t.Keys[j]
			}
			s.createdAt[j] = math.Inf(-1)
			s.usableAt[j] = 0
			s.src[j] = -1
			s.inacc[j] = false
			s.inaccSince[j] = 0
			s.left[j] = false
			s.archived[j] = false
			s.leaveH[j] = sim.Handle{}
			s.archH[j] = sim.Handle{}
			s.usableH[j] = sim.Handle{}
		}
	}
	s.vault = s.vault[:0]
	s.restored = false
	s.snap = 0
}

func (r *Runner) initStores() {
	cfg := r.cfg
	nR := r.nR
	mk := func(name string, b *Backup) store {
		s := store{name: name, backup: b, idx: len(r.stores),
			lostStream: "store/" + name, backupStream: "backup/" + name,
			lostKey: sim.NewStreamKey("store/"+name, "lost")}
		s.w = make([][]wPt, nR)
		s.linkAt = make([]int, nR*nR)
		for i := range s.linkAt {
			s.linkAt[i] = -1
		}
		return s
	}
	addLink := func(s *store, x, y int, lag sim.Dist) int {
		if s.linkAt[x*nR+y] < 0 {
			s.linkAt[x*nR+y] = len(s.links)
			s.links = append(s.links, link{from: x, to: y, lag: lag})
		}
		return s.linkAt[x*nR+y]
	}
	for bi := range cfg.Buckets {
		b := &cfg.Buckets[bi]
		s := mk(b.Name, b.Backup)
		s.bucket = b
		s.dstAt = make([]int, nR)
		for i := range s.dstAt {
			s.dstAt[i] = -1
		}
		addDst := func(to, rule int) {
			if to < 0 || to == b.Region || s.dstAt[to] >= 0 {
				return
			}
			s.dstAt[to] = len(s.dst)
			s.dst = append(s.dst, bucketDst{to: to, link: addLink(&s, b.Region, to, sim.Dist{}), rule: rule})
		}
		for ri := range b.Replication {
			addDst(b.Replication[ri].To, ri)
		}
		r.eachOp(func(op *Op) {
			if op.Kind == OpPutBucketReplication && op.Store == (StoreRef{StoreBucket, bi}) {
				addDst(op.To, -1)
			}
		})
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
		addSlot := func(reg int) {
			if reg >= 0 && reg < nR && s.rep[reg] < 0 {
				s.rep[reg] = len(s.slotRegion)
				s.slotRegion = append(s.slotRegion, reg)
			}
		}
		for _, reg := range t.Regions {
			addSlot(reg)
		}
		r.eachOp(func(op *Op) {
			if op.Kind == OpCreateTableReplica && op.Store == (StoreRef{StoreTable, ti}) {
				addSlot(op.Region)
			}
		})
		n := len(s.slotRegion)
		s.present = make([]bool, n)
		s.key = make([]int, n)
		s.createdAt = make([]float64, n)
		s.usableAt = make([]sim.Time, n)
		s.src = make([]int, n)
		s.inacc = make([]bool, n)
		s.inaccSince = make([]sim.Time, n)
		s.left = make([]bool, n)
		s.archived = make([]bool, n)
		s.leaveH = make([]sim.Handle, n)
		s.archH = make([]sim.Handle, n)
		s.usableH = make([]sim.Handle, n)
		for _, x := range s.slotRegion {
			for _, y := range s.slotRegion {
				if x != y {
					addLink(&s, x, y, t.Lag)
				}
			}
		}
		r.stores = append(r.stores, s)
	}
}

// eachOp calls f with the op of every action and runbook step.
func (r *Runner) eachOp(f func(op *Op)) {
	for ai := range r.cfg.Actions {
		f(&r.cfg.Actions[ai].Op)
	}
	if fo := r.cfg.Failover; fo != nil {
		for si := range fo.Steps {
			f(&fo.Steps[si].Op)
		}
	}
}

// live reports whether table slot j holds a live replica now: present,
// usable, neither inaccessible nor out of the group nor archived.
func (r *Runner) live(s *store, j int) bool {
	return s.present[j] && s.usableAt[j] <= r.eng.Now() && !s.inacc[j] && !s.left[j] && !s.archived[j]
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
		if di := s.dstAt[reg]; di >= 0 && s.dst[di].exists {
			return s.dst[di].key, true, false
		}
		return -1, false, false
	}
	j := s.rep[reg]
	if j < 0 || !s.present[j] || s.archived[j] || s.usableAt[j] > r.eng.Now() {
		return -1, false, false
	}
	return s.key[j], true, false
}

// tableUsable reports whether table store s has a usable copy in reg: a
// replica that is neither INACCESSIBLE nor gone nor still being copied, or
// a restored backup, whose at-rest key is usable now; target is the region
// the at-rest key's calls go to.
func (r *Runner) tableUsable(s *store, reg int) (target int, ok bool) {
	key, ok, restored := r.copyKey(s, reg)
	if !ok || (!restored && s.inacc[s.rep[reg]]) {
		return reg, false
	}
	rs, t := r.kms.Usable(key, reg)
	return t, rs == kms.OK
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
		for j, reg := range s.slotRegion {
			if !s.present[j] || s.archived[j] {
				continue
			}
			key := s.key[j]
			rs, _ := r.kms.Usable(key, reg)
			switch {
			case rs != kms.OK && !r.kms.Transient(rs, key, reg):
				if !s.inacc[j] {
					s.inacc[j] = true
					r.bump()
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
				r.bump()
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
	if j < 0 || !s.present[j] || !s.inacc[j] || s.left[j] {
		return
	}
	s.left[j] = true
	r.markDirty()
	r.traceReplica(si, reg, "LEFT", "inaccessible for 20h: the replica left the replication group for good")
}

// replicaArchive fires 7 days after a replica became inaccessible.
func (r *Runner) replicaArchive(arg int) {
	si, reg := arg/r.nR, arg%r.nR
	s := &r.stores[si]
	j := s.rep[reg]
	if j < 0 || !s.present[j] || !s.inacc[j] || s.archived[j] {
		return
	}
	s.archived[j] = true
	r.markDirty()
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
				r.bump()
				if n := len(s.vault); n > 0 && s.vault[n-1].t == now {
					s.vault[n-1].ok = ok
				} else {
					s.vault = append(s.vault, vaultPt{now, ok})
				}
			}
		}
		for li := range s.links {
			l := &s.links[li]
			f, rr, h := r.linkStatus(s, l)
			var lf, lr, lh float64
			if n := len(l.pts); n > 0 {
				lf, lr, lh = l.pts[n-1].f, l.pts[n-1].r, l.pts[n-1].h
			}
			if f != lf || rr != lr || h != lh {
				if n := len(l.pts); n > 0 && l.pts[n-1].t == now {
					l.pts[n-1].f, l.pts[n-1].r, l.pts[n-1].h = f, rr, h
				} else {
					l.pts = append(l.pts, linkPt{now, f, rr, h})
				}
			}
		}
	}
}

// linkStatus returns the pending, failed and held fractions of writes
// arriving on link l now. Gray failures of the stores' services at either
// end (and of KMS where the destination's key is used) leave their
// fraction PENDING; an outage of the app does not touch replication.
func (r *Runner) linkStatus(s *store, l *link) (f, rr, h float64) {
	x, y := l.from, l.to
	if s.table != nil {
		jx, jy := s.rep[x], s.rep[y]
		if !s.present[jx] || !s.present[jy] || s.left[jx] || s.left[jy] {
			return 0, 1, 0
		}
		if !r.svcUp(x, svcDynamoDB) || !r.svcUp(y, svcDynamoDB) || !r.Linked(x, y) || s.inacc[jy] {
			return 1, 0, 0
		}
		rs, kt := r.kms.Usable(s.key[jy], y)
		if rs != kms.OK {
			return 1, 0, 0
		}
		if s.usableAt[jy] > r.eng.Now() {
			return 0, 0, 1
		}
		pass := (1 - r.svcErr(x, svcDynamoDB)) * (1 - r.svcErr(y, svcDynamoDB)) * (1 - r.svcErr(kt, svcKMS))
		return 1 - pass, 0, 0
	}
	d := &s.dst[s.dstAt[y]]
	if !d.on {
		return 0, 1, 0
	}
	if !r.svcUp(x, svcS3) || !r.svcUp(y, svcS3) || !r.Linked(x, y) {
		return 1, 0, 0
	}
	pass := (1 - r.svcErr(x, svcS3)) * (1 - r.svcErr(y, svcS3))
	okS, pendS, failS := r.callOutcome(d.role, s.bucket.Key, x)
	_, pendD, failD := r.callOutcome(d.role, d.key, y)
	return 1 - pass + pass*(pendS+okS*pendD), pass * (failS + okS*failD), 0
}

// callOutcome splits a cryptographic call into success, transient failure
// and refusal probabilities, gray failures of KMS and throttling included.
func (r *Runner) callOutcome(principal string, key, caller int) (ok, pend, fail float64) {
	rs, t := r.kms.Crypto(principal, key, caller)
	if rs == kms.OK {
		kE := r.svcErr(t, svcKMS)
		ok = (1 - kE) * (1 - r.cur.theta[t])
		return ok, 1 - ok, 0
	}
	if r.kms.Transient(rs, key, caller) {
		return 0, 1, 0
	}
	return 0, 0, 1
}

// vaultOKAt reports whether the backup's vault key was usable in the backup
// region at t (as recorded up to now; usable before the first record, and
// before t=0 under a steady start).
func (s *store) vaultOKAt(t sim.Time) bool {
	for i := len(s.vault) - 1; i >= 0; i-- {
		if s.vault[i].t <= t {
			return s.vault[i].ok
		}
	}
	return true
}
