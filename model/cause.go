package model

import (
	"slices"

	"github.com/drsim/drsim/model/kms"
)

// Cause is one cause of harm that the simulation observed in a trial: what
// dynamic findings aggregate (package findings), and the class of a failed
// KMS call (TrialResult.KMSFailuresBy). It is a self-describing 64-bit
// value, so a trial's causes need no table shared between Runners, are
// compared and hashed as integers, and sort by kind first:
//
//	bits 60-63 kind      (CauseKind)
//	bits 56-59 reason    (kms.Reason; 0 when the kind has none)
//	bits 44-55 key       (index into Config.Keys), or the op (index into
//	                     TrialResult.Ops) for CauseStep and CauseSlowFailover
//	bits 32-43 store     (index into the stores: the buckets, then the tables)
//	bits 24-31 region    (the caller's, the serving or the recovery region)
//	bits 16-23 target    (the region a KMS call or an STS request is sent to)
//	bits  8-15 dest      (the destination region of a replication rule)
//	bits  0-7  principal (index into Config.Principals)
//
// A field that does not apply, or whose index does not fit its width
// (4095 keys, ops or stores; 255 regions or principals), holds its
// all-ones value and reads as -1: no real scenario comes near those
// counts, and the cause stays recorded, with that subject unnamed.
type Cause uint64

// CauseKind says what a Cause is about and which of its fields are set.
type CauseKind uint8

// Cause kinds. Each is recorded as the comment says; "while down" means in
// an interval during which the service was down and the cause was decisive:
// without the requests it failed (alone, or together with the other
// decisive causes of the interval when none is alone) the service would
// have been up. The regional outage itself is never a cause: a request that
// fails because the app, the store's service or KMS is down in the region
// it is served from or sent to by its own caller is not attributed.
const (
	CauseNone CauseKind = iota
	// CauseKMSCall: the app's KMS calls (reason, key, store, region = the
	// caller, target, principal) failed while down, for a reason other
	// than KMS down in the caller's own region: another region's KMS down
	// or partitioned away (a single-Region key called from elsewhere,
	// K12), or a refusal (NotFound, AccessDenied, Disabled, InvalidState).
	// Also, with any reason, the class of a failed call in
	// TrialResult.KMSFailuresBy.
	CauseKMSCall
	// CauseReplicationCall: S3 replication calls (reason, key, store,
	// region = the caller: the rule's source or destination, target,
	// dest, principal = the rule's role) failed, at any time, for such a
	// reason. Also the class of a failed replication call in
	// TrialResult.KMSFailuresBy.
	CauseReplicationCall
	// CauseThrottled: KMS in target throttled the app's calls while down
	// (ThrottlingException: the region's demand above its kms_rps, K13).
	CauseThrottled
	// CauseStoreUnavailable: requests to a store (store, region = where
	// the app served them) failed as unavailable while down because the
	// store had no usable copy there: reason 0 when there was none (no
	// replica, no replication destination, a replica still being
	// copied), else the refusal of the copy's at-rest key (key, target)
	// or KMSUnavailable from another region (target).
	CauseStoreUnavailable
	// CauseSTS: the app in region lost its credentials while down because
	// its STS endpoint, in target, was down (sts = "global" from an opt-in
	// region, G3).
	CauseSTS
	// CauseStep: an action or a runbook step (op) failed: a required step
	// that was not done when the runbook stopped or the horizon came
	// (failed or abandoned with an error: it held the failover back), or
	// any step or action that was refused or failed. The error is the
	// trial's Ops[op].Code.
	CauseStep
	// CauseSlowFailover: the service came back by the failover, later than
	// the RTO objective; op is the longest part of the failover's critical
	// path: a runbook step, or -1 for the detection (failover.detect).
	CauseSlowFailover
	// CauseStale: the store's RPO (TrialResult.StoreRPO) exceeded the RPO
	// objective when the service came back serving from region.
	CauseStale
	numCauseKinds
)

var causeKindNames = [...]string{"none", "kms-call", "replication-call", "throttled", "store-unavailable", "sts", "step", "slow-failover", "stale"}

// String returns the kind's name ("kms-call", "step", ...).
func (k CauseKind) String() string {
	if int(k) < len(causeKindNames) {
		return causeKindNames[k]
	}
	return "cause(?)"
}

const (
	none12 = 1<<12 - 1
	none8  = 1<<8 - 1
)

// field packs an index into a field of width bits (all ones when it is
// negative or does not fit).
func field(v, bits int) uint64 {
	if v < 0 || v >= 1<<bits-1 {
		return 1<<bits - 1
	}
	return uint64(v)
}

func makeCause(kind CauseKind, reason kms.Reason, key, store, region, target, dest, principal int) Cause {
	return Cause(uint64(kind)<<60 | uint64(reason&15)<<56 | field(key, 12)<<44 | field(store, 12)<<32 |
		field(region, 8)<<24 | field(target, 8)<<16 | field(dest, 8)<<8 | field(principal, 8))
}

// KMSCallCause is the CauseKMSCall of calls by principal (an index into
// Config.Principals) with key for store from caller, sent to target, that
// failed with reason.
func KMSCallCause(reason kms.Reason, key, store, caller, target, principal int) Cause {
	return makeCause(CauseKMSCall, reason, key, store, caller, target, -1, principal)
}

// ReplicationCallCause is the CauseReplicationCall of the replication of
// store to dest: calls by the rule's role (principal) with key from caller,
// sent to target, that failed with reason.
func ReplicationCallCause(reason kms.Reason, key, store, caller, target, dest, principal int) Cause {
	return makeCause(CauseReplicationCall, reason, key, store, caller, target, dest, principal)
}

// ThrottledCause is the CauseThrottled of KMS in target.
func ThrottledCause(target int) Cause {
	return makeCause(CauseThrottled, kms.Throttling, -1, -1, -1, target, -1, -1)
}

// StoreUnavailableCause is the CauseStoreUnavailable of store in region:
// reason kms.OK (0) when it has no copy there, else the at-rest key's
// failure reason with key and target.
func StoreUnavailableCause(store, region int, reason kms.Reason, key, target int) Cause {
	return makeCause(CauseStoreUnavailable, reason, key, store, region, target, -1, -1)
}

// STSCause is the CauseSTS of the app in region, whose STS endpoint is in
// endpoint.
func STSCause(region, endpoint int) Cause {
	return makeCause(CauseSTS, 0, -1, -1, region, endpoint, -1, -1)
}

// StepCause is the CauseStep of op (an index into TrialResult.Ops).
func StepCause(op int) Cause { return makeCause(CauseStep, 0, op, -1, -1, -1, -1, -1) }

// SlowFailoverCause is the CauseSlowFailover whose longest part is op (an
// index into TrialResult.Ops), or the detection when op is -1.
func SlowFailoverCause(op int) Cause { return makeCause(CauseSlowFailover, 0, op, -1, -1, -1, -1, -1) }

// SlowFailoverWaitCause is the CauseSlowFailover whose longest part is
// runbook step op (an index into TrialResult.Ops) that spent longer waiting
// (its failed attempts and their retries) than in its duration: waiting for
// its need (an index into Step.Needs) whose error failed most of its
// attempts, or, with need -1, for its op, which failed most with reason
// (kms.OK when the error is not a KMS one).
func SlowFailoverWaitCause(op, need int, reason kms.Reason) Cause {
	return makeCause(CauseSlowFailover, reason, op, -1, -1, need, -1, waitedFlag)
}

// waitedFlag marks, in the principal field of a CauseSlowFailover, a step
// blamed for its waiting.
const waitedFlag = 1

// Waited reports whether a CauseSlowFailover blames its step's waiting
// (SlowFailoverWaitCause), and returns the need waited for (an index into
// Step.Needs, -1 for the op).
func (c Cause) Waited() (need int, ok bool) {
	if c.Kind() != CauseSlowFailover || c.get(0, 8) != waitedFlag {
		return -1, false
	}
	return c.get(16, 8), true
}

// StaleCause is the CauseStale of store when the service came back serving
// from region.
func StaleCause(store, region int) Cause {
	return makeCause(CauseStale, 0, -1, store, region, -1, -1, -1)
}

func (c Cause) get(shift, bits uint) int {
	v := int(uint64(c) >> shift & (1<<bits - 1))
	if v == 1<<bits-1 {
		return -1
	}
	return v
}

// Kind returns the cause's kind.
func (c Cause) Kind() CauseKind { return CauseKind(c >> 60) }

// Reason returns the KMS reason (kms.OK when the kind has none).
func (c Cause) Reason() kms.Reason { return kms.Reason(c >> 56 & 15) }

// Key returns the key's index, or -1.
func (c Cause) Key() int {
	if k := c.Kind(); k == CauseStep || k == CauseSlowFailover {
		return -1
	}
	return c.get(44, 12)
}

// Op returns the op's index into TrialResult.Ops for CauseStep and
// CauseSlowFailover (-1 for the detection), else -1.
func (c Cause) Op() int {
	if k := c.Kind(); k != CauseStep && k != CauseSlowFailover {
		return -1
	}
	return c.get(44, 12)
}

// Store returns the store's index (the buckets, then the tables), or -1.
func (c Cause) Store() int { return c.get(32, 12) }

// Region returns the caller's, serving or recovery region, or -1.
func (c Cause) Region() int { return c.get(24, 8) }

// Target returns the region a call is sent to, or -1.
func (c Cause) Target() int { return c.get(16, 8) }

// Dest returns a replication rule's destination region, or -1.
func (c Cause) Dest() int { return c.get(8, 8) }

// Principal returns the principal's index into Config.Principals, or -1.
func (c Cause) Principal() int { return c.get(0, 8) }

// WithoutStore returns c with its store unset: the cause of every store
// that shares its other fields.
func (c Cause) WithoutStore() Cause { return c | Cause(uint64(none12)<<32) }

// CauseCount is a number (failed calls, an expected count) for one Cause.
type CauseCount struct {
	Cause Cause
	N     float64
}

// Principals returns the principals a trial's KMS calls are made by, in a
// fixed order that Cause.Principal indexes: the app's principal, then the
// roles of the buckets' replication rules (bucket order, rule order), then
// DefaultRole when a put-bucket-replication op can create a rule; each
// once.
func (c *Config) Principals() []string {
	out := []string{c.App.Principal}
	add := func(p string) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for bi := range c.Buckets {
		for ri := range c.Buckets[bi].Replication {
			add(c.Buckets[bi].Replication[ri].Role)
		}
	}
	put := false
	for ai := range c.Actions {
		put = put || c.Actions[ai].Op.Kind == OpPutBucketReplication
	}
	if c.Failover != nil {
		for si := range c.Failover.Steps {
			put = put || c.Failover.Steps[si].Op.Kind == OpPutBucketReplication
		}
	}
	if put {
		add(DefaultRole)
	}
	return out
}

// addCause adds c to the sorted set s.
func addCause(s []Cause, c Cause) []Cause {
	i, found := slices.BinarySearch(s, c)
	if found {
		return s
	}
	return slices.Insert(s, i, c)
}

// addCount adds n to the count of c in the list s (unsorted; few entries).
func addCount(s []CauseCount, c Cause, n float64) []CauseCount {
	for i := range s {
		if s[i].Cause == c {
			s[i].N += n
			return s
		}
	}
	return append(s, CauseCount{c, n})
}
