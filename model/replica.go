package model

import (
	"math"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// updateTableRegion returns the slot of table store s where an UpdateTable
// call goes: the first live replica, in slot order (the table's regions,
// then the regions of its create-table-replica ops), whose DynamoDB is up;
// -1 when there is none.
func (r *Runner) updateTableRegion(s *store) int {
	for j, reg := range s.slotRegion {
		if r.live(s, j) && r.svcUp(reg, svcDynamoDB) {
			return j
		}
	}
	return -1
}

// updateTable checks the needs an UpdateTable call implies: a live replica
// whose DynamoDB is up (else DynamoDBUnavailable, transient), then its gray
// failure. It returns that replica's slot.
func (r *Runner) updateTable(s *store, api string, g *gray) (int, error) {
	j := r.updateTableRegion(s)
	if j < 0 {
		return -1, &opError{op: api, code: "DynamoDBUnavailable", transient: true,
			msg: "no live replica of " + s.name + " with DynamoDB up to send UpdateTable to"}
	}
	reg := s.slotRegion[j]
	mk := func() error {
		return &opError{op: api, code: "DynamoDBUnavailable", transient: true,
			msg: "DynamoDB in " + r.regionNames[reg] + " failed the UpdateTable call (gray failure)"}
	}
	if g.fails(r.svcErr(reg, svcDynamoDB), mk) {
		return -1, mk()
	}
	return j, nil
}

// createTableReplica adds a replica of a table in op.Region (docs/aws-behaviour.md G6,
// DESIGN "Replica and rule operations"). Checks, in order: the implied need
// (updateTable: the replica copied from is the one UpdateTable goes to);
// a replica already in the region (ValidationException); the new replica's
// key (op.Key, else the table's) in that region (a single-Region key
// elsewhere: ValidationException) and usable there: KMS unreachable is
// transient (KMSUnavailable), a Creating or Updating copy too
// (KMSInvalidStateException), any other failure is ValidationException
// ("KMSMasterKeyId must be specified for each replica"), a refusal. The new
// replica holds what its source held when the copy started, is usable
// after a draw of op.Copy (stream ".../copy"), and replicates from then on.
func (r *Runner) createTableReplica(op *Op, g *gray, stream string) error {
	const api = "UpdateTable(create replica)"
	si := r.storeIndex(op.Store)
	if si < 0 || r.stores[si].table == nil || op.Region < 0 || op.Region >= r.nR {
		return &opError{op: api, code: "ValidationException", msg: "not a table or no region"}
	}
	s := &r.stores[si]
	js, err := r.updateTable(s, api, g)
	if err != nil {
		return err
	}
	reg := op.Region
	jy := s.rep[reg]
	if jy < 0 {
		return &opError{op: api, code: "ValidationException", msg: "no slot for " + r.regionNames[reg]}
	}
	if s.present[jy] {
		return &opError{op: api, code: "ValidationException",
			msg: s.name + " already has a replica in " + r.regionNames[reg]}
	}
	key := op.Key
	if key < 0 {
		key = s.table.Keys[0]
	}
	if kd := &r.cfg.Keys[key]; !kd.MultiRegion && kd.Primary != reg {
		return &opError{op: api, code: "ValidationException",
			msg: "KMSMasterKeyId must be specified for each replica: the single-Region key " + kd.Name + " is in " +
				r.regionNames[kd.Primary] + ", not " + r.regionNames[reg]}
	}
	if rs, _ := r.kms.Usable(key, reg); rs != kms.OK {
		if r.kms.Transient(rs, key, reg) {
			return &opError{op: api, code: rs.String(), transient: true,
				msg: "key " + r.keyLabel(key, reg) + " is not reachable now (" + rs.String() + ")"}
		}
		return &opError{op: api, code: "ValidationException",
			msg: "KMSMasterKeyId must be specified for each replica: key " + r.keyLabel(key, reg) + " is not usable there (" + rs.String() + ")"}
	}
	if g.probe != nil {
		return nil // a dry run
	}
	cp := DefaultReplicaCopy()
	if op.HasCopy {
		cp = op.Copy
	}
	st := sim.NewStream(r.seed, stream, "copy")
	now := r.eng.Now()
	s.present[jy] = true
	s.key[jy] = key
	s.createdAt[jy] = float64(now)
	s.usableAt[jy] = satAdd(now, st.Draw(cp))
	s.src[jy] = js
	s.inacc[jy], s.left[jy], s.archived[jy] = false, false, false
	s.usableH[jy] = r.eng.At(s.usableAt[jy], r.usableFn, si*r.nR+reg)
	r.markDirty()
	if r.d != nil {
		r.traceReplica(si, reg, "CREATING", "create-table-replica: copying from the replica in "+
			r.regionNames[s.slotRegion[js]]+", usable at "+sim.FormatDuration(s.usableAt[jy]))
	}
	return nil
}

// replicaUsable fires when a new replica's initial copy is done.
func (r *Runner) replicaUsable(arg int) {
	si, reg := arg/r.nR, arg%r.nR
	s := &r.stores[si]
	j := s.rep[reg]
	s.usableH[j] = sim.Handle{}
	if !s.present[j] {
		return
	}
	r.markDirty()
	r.traceReplica(si, reg, "ACTIVE", "initial copy done: the new replica serves and replicates")
}

// deleteTableReplica removes the replica in op.Region: requests there fail
// as unavailable, and the writes only it held (in flight from it) never
// arrive anywhere. Checks: the implied need (updateTable), then a replica
// in the region (else ValidationException).
func (r *Runner) deleteTableReplica(op *Op, g *gray) error {
	const api = "UpdateTable(delete replica)"
	si := r.storeIndex(op.Store)
	if si < 0 || r.stores[si].table == nil || op.Region < 0 || op.Region >= r.nR {
		return &opError{op: api, code: "ValidationException", msg: "not a table or no region"}
	}
	s := &r.stores[si]
	if _, err := r.updateTable(s, api, g); err != nil {
		return err
	}
	j := s.rep[op.Region]
	if j < 0 || !s.present[j] {
		return &opError{op: api, code: "ValidationException",
			msg: s.name + " has no replica in " + r.regionNames[op.Region]}
	}
	if g.probe != nil {
		return nil // a dry run
	}
	s.present[j] = false
	s.inacc[j] = false
	for _, h := range []sim.Handle{s.leaveH[j], s.archH[j], s.usableH[j]} {
		r.eng.Cancel(h)
	}
	r.markDirty()
	r.traceReplica(si, op.Region, "DELETED", "delete-table-replica: the replica and what only it held are gone")
	return nil
}

// bucketRule puts or deletes the replication rule of a bucket towards
// op.To (docs/aws-behaviour.md G7: the rule is configured on the source bucket, so S3
// must be up in its region: S3Unavailable, transient, also in a gray
// failure). put-bucket-replication makes the objects written from then on
// replicate under the rule's key, with role "s3-replication" and the
// built-in lag for its rtc (objects of a replaced rule still in flight
// keep going); delete-bucket-replication stops replication to op.To:
// objects not arrived by then never arrive, and the destination bucket
// keeps what it received. Deleting a rule that is not in force succeeds
// and changes nothing. Not permission-checked.
func (r *Runner) bucketRule(op *Op, g *gray) error {
	api := "PutBucketReplication"
	if op.Kind == OpDeleteBucketReplication {
		api = "DeleteBucketReplication"
	}
	si := r.storeIndex(op.Store)
	if si < 0 || r.stores[si].bucket == nil || op.To < 0 || op.To >= r.nR || r.stores[si].dstAt[op.To] < 0 {
		return &opError{op: api, code: "ValidationException", msg: "not a bucket or no destination"}
	}
	s := &r.stores[si]
	src := s.bucket.Region
	mk := func() error {
		return &opError{op: api, code: "S3Unavailable", transient: true,
			msg: "S3 in " + r.regionNames[src] + " (the source bucket's region) is unavailable"}
	}
	if e := r.svcErr(src, svcS3); e >= 1 || g.fails(e, mk) {
		return mk()
	}
	if g.probe != nil {
		return nil // a dry run
	}
	now := float64(r.eng.Now())
	d := &s.dst[s.dstAt[op.To]]
	if n := len(d.epochs); n > 0 && d.on {
		d.epochs[n-1].until = now
		if op.Kind == OpDeleteBucketReplication {
			d.epochs[n-1].cut = now
		}
	}
	if op.Kind == OpDeleteBucketReplication {
		if d.on {
			d.on = false
			r.markDirty()
			r.traceRule(si, op.To, "deleted", "delete-bucket-replication: nothing more replicates to "+r.regionNames[op.To])
		}
		return nil
	}
	d.on, d.exists = true, true
	d.key, d.role = op.Key, DefaultRole
	d.epochs = append(d.epochs, epoch{from: now, until: math.Inf(1), cut: math.Inf(1), lag: DefaultS3Lag(op.RTC)})
	r.markDirty()
	r.traceRule(si, op.To, "put", "put-bucket-replication: objects written from now on replicate to "+r.regionNames[op.To]+
		" under key "+r.keyLabel(op.Key, op.To))
	return nil
}

// DefaultRole is the replication role of a rule that names none (and of a
// rule put by put-bucket-replication).
const DefaultRole = "s3-replication"
