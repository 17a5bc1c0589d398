package model

import (
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
// completed while the vault key worked there (DESIGN.md, Backups). Under
// an empty start k ≥ 1 (the first snapshot at every); under a steady start
// every integer k, those before 0 included (taken on schedule, with no
// outage before 0 and the vault key usable then). The copy draw of
// snapshot k is the counter-k draw of the counter-based stream
// ("backup/"+store, "copy") (k ≤ 0 as the two's complement counter), so no
// event per snapshot is needed and the draws do not depend on which
// snapshots were looked at.
func (r *Runner) latestCopy(s *store, t sim.Time) (k int64, ok bool) {
	b := s.backup
	if b == nil || b.Every <= 0 {
		return 0, false
	}
	sub := sim.NewSubstreams(r.seed, s.backupStream, "copy")
	src, svc := r.backupSource(s)
	minK := int64(1)
	if r.cfg.Start == StartSteady {
		// Unbounded in principle; a copy that took longer than a million
		// intervals is not one anybody waits for.
		minK = int64(t/b.Every) - 1_000_000
	}
	for k = int64(t / b.Every); k >= minK; k-- {
		at := sim.Time(k) * b.Every
		// No snapshot is taken while the source store's service is down.
		if at >= 0 && !r.svcUpAt(src, svc, at) {
			continue
		}
		if done := at + sub.Draw(b.Copy, uint64(k)); done <= t && s.vaultOKAt(done) {
			return k, true
		}
	}
	return 0, false
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

// restore makes the newest usable backup copy of the store the live data
// of the store in the backup region.
func (r *Runner) restore(ref StoreRef) error {
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
		return &opError{op: "RestoreBackup", code: "BackupNotReady", transient: true,
			msg: "no backup copy of " + s.name + " is usable in " + r.regionNames[b.To] + " yet"}
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
