package model

import (
	"math"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// storeIndex returns the index into Runner.stores of ref, or -1.
func (r *Runner) storeIndex(ref StoreRef) int {
	switch ref.Kind {
	case StoreBucket:
		if ref.Index >= 0 && ref.Index < len(r.cfg.Buckets) {
			return ref.Index
		}
	case StoreTable:
		if ref.Index >= 0 && ref.Index < len(r.cfg.Tables) {
			return len(r.cfg.Buckets) + ref.Index
		}
	}
	return -1
}

// latestCopy returns the newest snapshot whose copy is usable at t in the
// backup region: the largest k with k·every + copy_k ≤ t whose copy
// completed while the vault key worked there (docs/scenario-format.md, "backup" and "How a trial runs"). Under
// an empty start k ≥ 1 (the first snapshot at every); under a steady start
// every integer k, those before 0 included (taken on schedule, with no
// outage before 0 and the vault key usable then). The copy draw of
// snapshot k is the counter-k draw of the counter-based stream
// ("backup/"+store, "copy") (k ≤ 0 as the two's complement counter), so no
// event per snapshot is needed and the draws do not depend on which
// snapshots were looked at. No snapshot is taken while the source store's
// service is down: the search skips such a window at once (snapshotBefore),
// so its cost does not grow with the outage's length.
func (r *Runner) latestCopy(s *store, t sim.Time) (k int64, ok bool) {
	b := s.backup
	if b == nil || b.Every <= 0 {
		return 0, false
	}
	sub := sim.NewSubstreams(r.seed, s.backupStream, "copy")
	src, svc := r.backupSource(s)
	minK := r.minSnapshot(b, t)
	for k = floorDiv(t, b.Every); k >= minK; k-- {
		if k = r.snapshotBefore(src, svc, b.Every, k); k < minK {
			break
		}
		at := sim.Time(k) * b.Every
		if done := at + sub.Draw(b.Copy, uint64(k)); done <= t && s.vaultOKAt(done) {
			return k, true
		}
	}
	return 0, false
}

// minSnapshot returns the oldest snapshot a search at t looks at: 1 under
// an empty start; under a steady start, unbounded in principle, a million
// intervals back (a copy that took longer is not one anybody waits for).
func (r *Runner) minSnapshot(b *Backup, t sim.Time) int64 {
	if r.cfg.Start == StartSteady {
		return floorDiv(t, b.Every) - 1_000_000
	}
	return 1
}

// snapshotBefore returns the newest snapshot k' ≤ k that was taken: not
// while service svc of region src was down (a snapshot before 0 always
// was). A window that took it down is skipped as a whole.
func (r *Runner) snapshotBefore(src, svc int, every sim.Time, k int64) int64 {
	for {
		at := sim.Time(k) * every
		if at < 0 {
			return k
		}
		ds, down := r.downSince(src, svc, at)
		if !down {
			return k
		}
		// The last snapshot before the window started.
		k = floorDiv(ds-1, every)
	}
}

// downSince reports whether service svc of region was down (at an error
// rate of 1) at time t of this trial, from the windows drawn at its start,
// and the earliest start of the windows that took it down then.
func (r *Runner) downSince(region, svc int, t sim.Time) (since sim.Time, down bool) {
	for wi := range r.wins {
		w := &r.wins[wi]
		sp := r.winSpan[wi]
		if w.kind == RegionOutage && w.region == region && w.services&(1<<svc) != 0 && w.rate >= 1 &&
			sp[0] >= 0 && sp[0] <= t && t < sp[1] && (!down || sp[0] < since) {
			since, down = sp[0], true
		}
	}
	return since, down
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// nextCopy returns the earliest time after t at which a backup copy of s
// that is not usable at t completes: the smallest k·every + copy_k > t over
// the snapshots taken (in flight at t, or taken after it), searching back
// as far as latestCopy does (no further than the copy time's bound allows)
// and forward until a snapshot is taken after the best found. A retrying
// restore-backup waits for it (or for a change of state) rather than
// retrying in vain. ok is false when there is none.
func (r *Runner) nextCopy(s *store, t sim.Time) (next sim.Time, ok bool) {
	b := s.backup
	if b == nil || b.Every <= 0 {
		return 0, false
	}
	sub := sim.NewSubstreams(r.seed, s.backupStream, "copy")
	src, svc := r.backupSource(s)
	minK := r.minSnapshot(b, t)
	k0 := floorDiv(t, b.Every)
	if m := b.Copy.Max(); m < float64(sim.Forever) {
		// A copy no longer than m: a snapshot before t − m is usable at t.
		minK = max(minK, floorDiv(t-sim.Time(math.Ceil(m)), b.Every))
	}
	best := sim.Forever
	for k := k0; k >= minK; k-- {
		if k = r.snapshotBefore(src, svc, b.Every, k); k < minK {
			break
		}
		if done := satAdd(sim.Time(k)*b.Every, sub.Draw(b.Copy, uint64(k))); done > t && done < best {
			best = done
		}
	}
	for k := max(k0+1, minK); ; k++ {
		at := sim.Time(k) * b.Every
		if at >= best || at > r.cfg.Horizon {
			break
		}
		if ds, down := r.downSince(src, svc, at); down {
			// Skip to the first snapshot after the windows that cover at.
			end := r.upAfter(src, svc, ds)
			if end >= best || end > r.cfg.Horizon {
				break
			}
			k = (end+b.Every-1)/b.Every - 1
			continue
		}
		if done := satAdd(at, sub.Draw(b.Copy, uint64(k))); done < best {
			best = done
		}
	}
	return best, best < sim.Forever
}

// upAfter returns the first moment at or after t at which service svc of
// region is not down (at an error rate of 1), from the windows drawn at the
// trial's start (sim.Forever when never).
func (r *Runner) upAfter(region, svc int, t sim.Time) sim.Time {
	for {
		_, down := r.downSince(region, svc, t)
		if !down {
			return t
		}
		end := t
		for wi := range r.wins {
			w := &r.wins[wi]
			sp := r.winSpan[wi]
			if w.kind == RegionOutage && w.region == region && w.services&(1<<svc) != 0 && w.rate >= 1 &&
				sp[0] >= 0 && sp[0] <= t && t < sp[1] && sp[1] > end {
				end = sp[1]
			}
		}
		if end >= sim.Forever {
			return sim.Forever
		}
		t = end
	}
}

// backupSource returns the region whose copy of the store is snapshotted,
// and the service it needs: the store's copy in the first region served at
// t=0 that holds one, else the bucket's region or the table's first
// replica.
func (r *Runner) backupSource(s *store) (region, svc int) {
	svc = svcDynamoDB
	if s.bucket != nil {
		svc = svcS3
	}
	for _, reg := range r.cfg.App.Serve {
		if s.bucket != nil {
			if reg == s.bucket.Region || (s.dstAt[reg] >= 0 && s.dst[s.dstAt[reg]].rule >= 0) {
				return reg, svc
			}
		} else if j := s.rep[reg]; j >= 0 && j < len(s.table.Regions) {
			return reg, svc
		}
	}
	if s.bucket != nil {
		return s.bucket.Region, svc
	}
	return s.table.Regions[0], svc
}

// codeBackupNotReady is the error of a restore while no backup copy is
// usable.
const codeBackupNotReady = "BackupNotReady"

// restore makes the newest usable backup copy of the store the live data
// of the store in the backup region; a dry run only checks.
func (r *Runner) restore(ref StoreRef, dry bool) error {
	si := r.storeIndex(ref)
	if si < 0 || r.stores[si].backup == nil {
		return &opError{op: "RestoreBackup", code: "ValidationException", msg: "the store has no backup"}
	}
	s := &r.stores[si]
	b := s.backup
	now := r.eng.Now()
	rs, _ := r.kms.Usable(b.Key, b.To)
	if rs != kms.OK {
		return &opError{op: "RestoreBackup", code: rs.String(), transient: r.kms.Transient(rs, b.Key, b.To),
			msg: "vault key " + r.keyLabel(b.Key, b.To) + " is not usable (" + rs.String() + ")"}
	}
	k, ok := r.latestCopy(s, now)
	if !ok {
		return &opError{op: "RestoreBackup", code: codeBackupNotReady, transient: true,
			msg: "no backup copy of " + s.name + " is usable in " + r.regionNames[b.To] + " yet"}
	}
	if dry {
		return nil
	}
	s.restored = true
	s.snap = sim.Time(k) * b.Every
	r.markDirty()
	if r.d != nil {
		r.trace(Event{Kind: "backup", Subject: s.name, Region: r.regionNames[b.To], Outcome: "restored",
			Message: "restored " + s.name + " in " + r.regionNames[b.To] + " from the snapshot of " + sim.FormatDuration(s.snap)})
	}
	return nil
}
