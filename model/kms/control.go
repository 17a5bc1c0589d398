package kms

import (
	"fmt"

	"github.com/drsim/drsim/sim"
)

// AWS API names, used in Error.Op.
const (
	OpReplicateKey        = "ReplicateKey"
	OpUpdatePrimaryRegion = "UpdatePrimaryRegion"
	OpEnableKey           = "EnableKey"
	OpDisableKey          = "DisableKey"
	OpScheduleKeyDeletion = "ScheduleKeyDeletion"
	OpCancelKeyDeletion   = "CancelKeyDeletion"
	OpRotateKeyOnDemand   = "RotateKeyOnDemand"
	OpPutKeyPolicy        = "PutKeyPolicy"
	OpEnableKeyRotation   = "EnableKeyRotation"
	OpDisableKeyRotation  = "DisableKeyRotation"
)

// call describes one control-plane call while it is checked.
type call struct {
	k      *KMS
	by     Caller
	op     string
	key    int
	region int   // the Region the call names, or -1
	opID   uint8 // opID(op), for the error cache
}

func (c *call) fail(code string, transient bool, format string, args ...any) error {
	e := &Error{Op: c.op, Code: code, Transient: transient, format: format, args: args}
	if c.k.validKey(c.key) {
		e.Key = c.k.keys[c.key].Name
	}
	if c.region >= 0 || c.op != OpRotateKeyOnDemand {
		e.Region = c.k.regionName(c.region)
	}
	return e
}

// validate checks the indices of a call.
func (c *call) validate() error {
	if !c.k.validKey(c.key) {
		return c.fail(CodeValidation, false, "no key with index %d", c.key)
	}
	if c.op != OpRotateKeyOnDemand && !c.k.validRegion(c.region) {
		return c.fail(CodeValidation, false, "no region with index %d", c.region)
	}
	return nil
}

// up checks that KMS is up in the Region the call is sent to.
func (c *call) up(sentTo int) error {
	if !c.k.net.KMSUp(sentTo) {
		return c.unavailable(sentTo, -1)
	}
	return nil
}

// unavailable returns the KMSUnavailable error of c sent to sentTo, when
// KMS is down there (other < 0) or sentTo cannot reach other (partition).
// A runbook retries a failing op every few minutes for as long as an
// outage lasts, so these errors are made once per KMS and reused: an
// Error is immutable once returned.
func (c *call) unavailable(sentTo, other int) error {
	ek, cacheable := packUnavail(c.opID, c.key, c.region, sentTo, other)
	if e, ok := c.k.unavail[ek]; ok && cacheable {
		return e
	}
	var err error
	if other < 0 {
		err = c.fail(CodeUnavailable, true, "KMS is unavailable in %s", c.k.regionName(sentTo))
	} else {
		err = c.fail(CodeUnavailable, true, "%s cannot reach %s (partition)",
			c.k.regionName(sentTo), c.k.regionName(other))
	}
	if !cacheable {
		return err
	}
	if c.k.unavail == nil {
		c.k.unavail = map[uint64]error{}
	}
	c.k.unavail[ek] = err
	return err
}

// packUnavail packs the identity of a cached KMSUnavailable error into a
// word, so that a lookup hashes 8 bytes (a step retrying an op while KMS is
// down makes one per attempt): op (8 bits), key (16), and the three
// Regions + 1 (12 each). ok is false when an index does not fit.
func packUnavail(op uint8, key, region, sentTo, other int) (k uint64, ok bool) {
	if key < 0 || key >= 1<<16 || region < -1 || region >= 1<<12-1 || sentTo < -1 || sentTo >= 1<<12-1 || other < -1 || other >= 1<<12-1 {
		return 0, false
	}
	return uint64(op) | uint64(key)<<8 | uint64(region+1)<<24 | uint64(sentTo+1)<<36 | uint64(other+1)<<48, true
}

// opID numbers the control-plane operations for unavailKey.
func opID(op string) uint8 {
	switch op {
	case OpReplicateKey:
		return 1
	case OpUpdatePrimaryRegion:
		return 2
	case OpEnableKey:
		return 3
	case OpDisableKey:
		return 4
	case OpScheduleKeyDeletion:
		return 5
	case OpCancelKeyDeletion:
		return 6
	case OpRotateKeyOnDemand:
		return 7
	case OpPutKeyPolicy:
		return 8
	case OpEnableKeyRotation:
		return 9
	case OpDisableKeyRotation:
		return 10
	}
	return 0
}

// reach checks that KMS is up in region and that it is not partitioned from
// sentTo (for calls that involve two Regions).
func (c *call) reach(sentTo, region int) error {
	if !c.k.net.KMSUp(region) {
		return c.unavailable(region, -1)
	}
	if !c.k.net.Linked(sentTo, region) {
		return c.unavailable(sentTo, region)
	}
	return nil
}

// grayFail returns KMSUnavailable (transient) when the call fails in a gray
// failure of KMS: by.U below the combined error rate 1 − Π(1 − e_r) of the
// Regions a and b it involves (b < 0: one Region).
func (c *call) grayFail(a, b int) error {
	if c.k.gray == nil {
		return nil
	}
	ok := 1 - c.k.gray.KMSErrorRate(a)
	if b >= 0 && b != a {
		ok *= 1 - c.k.gray.KMSErrorRate(b)
	}
	e := 1 - ok
	if e <= 0 {
		return nil
	}
	if p := c.by.Probe; p != nil {
		p.Rate = e
		p.Err = c.fail(CodeUnavailable, true, "the call failed in a gray failure of KMS (error rate %.3g)", e)
		return nil
	}
	if c.by.U < e {
		return c.fail(CodeUnavailable, true, "the call failed in a gray failure of KMS (error rate %.3g)", e)
	}
	return nil
}

// dry reports whether the call is a dry run (Caller.Probe): it has passed
// every check and must change nothing.
func (c *call) dry() bool { return c.by.Probe != nil }

// gate makes the checks every control-plane call starts with, in order,
// each only if the previous passed: reachability (KMS up in sentTo; with
// other ≥ 0, up there too and no partition between them), a gray failure
// of KMS in those Regions, then the admins of the copy in sentTo (role) and,
// with other2 ≥ 0, of the copy in other2 (role2).
func (c *call) gate(sentTo, other int, role string, other2 int, role2 string) error {
	if err := c.up(sentTo); err != nil {
		return err
	}
	if other >= 0 {
		if err := c.reach(sentTo, other); err != nil {
			return err
		}
	}
	if err := c.grayFail(sentTo, other); err != nil {
		return err
	}
	if err := c.admin(sentTo, role); err != nil {
		return err
	}
	if other2 >= 0 {
		return c.admin(other2, role2)
	}
	return nil
}

// admin checks that the caller is an admin of key's copy in region (G5:
// kms:<op> in that copy's key policy).
func (c *call) admin(region int, role string) error {
	if Allows(c.k.keys[c.key].AdminsFor(region), c.by.Principal) {
		return nil
	}
	return c.fail(CodeAccessDenied, false, "%s is not allowed kms:%s on the %s in %s (not in its admins)",
		c.by.Principal, c.op, role, c.k.regionName(region))
}

// exists checks that key has a copy in region.
func (c *call) exists(region int) error {
	if st := c.k.copyAt(c.key, region).state; !st.Exists() {
		return c.fail(CodeNotFound, false, "no copy of %s in %s (%s)",
			c.k.ks[c.key].id, c.k.regionName(region), st)
	}
	return nil
}

// refusal returns the permanent error for a copy whose state forbids an
// operation that needs it Enabled (or Enabled/Disabled when disabledOK), or
// nil.
func (c *call) refusal(region int, role string, disabledOK bool) error {
	st := c.k.copyAt(c.key, region).state
	switch st {
	case StateDisabled:
		if !disabledOK {
			return c.fail(CodeDisabled, false, "the %s in %s is Disabled", role, c.k.regionName(region))
		}
	case PendingDeletion, PendingReplicaDeletion:
		return c.fail(CodeInvalidState, false, "the %s in %s is %s", role, c.k.regionName(region), st)
	}
	return nil
}

// busy returns the transient error for a copy that is Creating or Updating,
// or nil.
func (c *call) busy(region int, role string) error {
	st := c.k.copyAt(c.key, region).state
	if st == Creating || st == Updating {
		return c.fail(CodeInvalidState, true, "the %s in %s is %s", role, c.k.regionName(region), st)
	}
	return nil
}

// first returns the first non-nil error.
func first(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// ReplicateKey creates a replica of key in region (K5, K6) on behalf of
// by. The call is sent to the current primary's Region; see
// ReplicateKeyFrom.
func (k *KMS) ReplicateKey(by Caller, key, region int, users []string, hasUsers bool) error {
	return k.ReplicateKeyFrom(by, key, k.Primary(key), region, users, hasUsers)
}

// ReplicateKeyFrom is ReplicateKey called on key's copy in Region from (the
// ARN the caller names). The checks, in order (reachability and gray
// failure, then admins, then key state): KMS down in from or in region, or
// a partition between them (KMSUnavailable); a gray failure of KMS in
// either (KMSUnavailable); by.Principal not an admin of the copy in from
// (AccessDeniedException, G5); a single-Region key
// (UnsupportedOperationException, K2); no copy in from
// (NotFoundException); from not the primary
// (UnsupportedOperationException, K5); a related key already in region, in
// any state, pending deletion included (AlreadyExistsException, K3); the
// primary Disabled (DisabledException), PendingDeletion or
// PendingReplicaDeletion (KMSInvalidStateException), Creating or Updating
// (KMSInvalidStateException, transient).
//
// On success the new copy is Creating and becomes Enabled after a
// Params.Creating draw (K6). Its policy: users when hasUsers, else the
// key's Users; then the key's UsersIn entry for region replaces it when
// there is one (docs/scenario-format.md, "keys"). It holds every material version (K6).
func (k *KMS) ReplicateKeyFrom(by Caller, key, from, region int, users []string, hasUsers bool) error {
	c := &call{k, by, OpReplicateKey, key, region, opID(OpReplicateKey)}
	if err := c.validate(); err != nil {
		return err
	}
	if !k.validRegion(from) {
		return c.fail(CodeValidation, false, "no region with index %d", from)
	}
	if err := c.gate(from, region, "primary", -1, ""); err != nil {
		return err
	}
	kd := &k.keys[key]
	if !kd.MultiRegion {
		return c.fail(CodeUnsupported, false, "%s is a single-Region key", k.ks[key].id)
	}
	if err := c.exists(from); err != nil {
		return err
	}
	p := k.ks[key].primary
	if from != p {
		return c.fail(CodeUnsupported, false, "the key in %s is a replica; the primary is in %s",
			k.regionName(from), k.regionName(p))
	}
	if st := k.copyAt(key, region).state; st.Exists() {
		return c.fail(CodeAlreadyExists, false, "%s already holds a related key (%s)", k.regionName(region), st)
	}
	if err := first(c.refusal(p, "primary", false), c.busy(p, "primary")); err != nil {
		return err
	}
	if c.dry() {
		return nil
	}
	nc := k.copyAt(key, region)
	pol, ok := kd.usersIn(region)
	if !ok {
		pol = kd.Users
		if hasUsers {
			pol = users
		}
	}
	nc.own = append(nc.own[:0], pol...)
	nc.users = nc.own
	nc.window = 0
	d := k.ks[key].create.Draw(k.params.Creating)
	nc.trans = k.eng.After(d, k.createdFn, key*k.nr+region)
	k.setState(key, region, Creating, OpReplicateKey)
	return nil
}

// UpdatePrimaryRegion makes key's copy in region the primary (K8) on behalf
// of by. The call is sent to the current primary's Region. The checks, in
// order (reachability and gray failure, then admins, then key state): no
// primary (NotFoundException); KMS down in the primary's Region or in
// region, or a partition between them (KMSUnavailable); a gray failure of
// KMS in either (KMSUnavailable); by.Principal not an admin of the current
// primary or of the copy in region (AccessDeniedException, G5); a
// single-Region key (UnsupportedOperationException, K2); no primary copy or
// no copy in region (NotFoundException); region already the primary:
// success, nothing changes (AWS documents no error for this; drsim treats
// the call as idempotent); either copy Disabled (DisabledException) or
// pending deletion (KMSInvalidStateException); either copy Creating or
// Updating (KMSInvalidStateException, transient).
//
// On success the primary role moves at once and both copies are Updating
// for one Params.Updating draw, then Enabled. Crypto keeps working while
// Updating; policies, material and the rotation setting do not change.
func (k *KMS) UpdatePrimaryRegion(by Caller, key, region int) error {
	c := &call{k, by, OpUpdatePrimaryRegion, key, region, opID(OpUpdatePrimaryRegion)}
	if err := c.validate(); err != nil {
		return err
	}
	p := k.ks[key].primary
	if p < 0 {
		return c.fail(CodeNotFound, false, "%s has no primary", k.ks[key].id)
	}
	if err := c.gate(p, region, "primary", region, "new primary"); err != nil {
		return err
	}
	if !k.keys[key].MultiRegion {
		return c.fail(CodeUnsupported, false, "%s is a single-Region key", k.ks[key].id)
	}
	if err := first(c.exists(p), c.exists(region)); err != nil {
		return err
	}
	if region == p {
		return nil
	}
	if err := first(c.refusal(p, "primary", false), c.refusal(region, "replica", false),
		c.busy(p, "primary"), c.busy(region, "replica")); err != nil {
		return err
	}
	if c.dry() {
		return nil
	}
	s := &k.ks[key]
	s.primary = region
	if k.onChange != nil {
		k.emit(key, region, Enabled, Enabled, WhatPrimary, k.regions[p]+" -> "+k.regions[region])
	}
	d := s.update.Draw(k.params.Updating)
	for _, r := range [2]int{p, region} {
		k.copyAt(key, r).trans = k.eng.After(d, k.updatedFn, key*k.nr+r)
		k.setState(key, r, Updating, OpUpdatePrimaryRegion)
	}
	return nil
}

// enableDisable implements EnableKey and DisableKey: KMS must be up in
// region (KMSUnavailable, also in a gray failure), by.Principal an admin of
// the copy (AccessDeniedException, G5), and the copy must exist and be
// Enabled or Disabled (pending deletion: KMSInvalidStateException; Creating
// or Updating: the same, transient). Enabling an Enabled copy or disabling
// a Disabled one succeeds and changes nothing.
func (k *KMS) enableDisable(by Caller, op string, key, region int, to State) error {
	c := &call{k, by, op, key, region, opID(op)}
	if err := c.validate(); err != nil {
		return err
	}
	if err := c.gate(region, -1, "key", -1, ""); err != nil {
		return err
	}
	if err := first(c.exists(region),
		c.refusal(region, "key", true), c.busy(region, "key")); err != nil {
		return err
	}
	if k.copyAt(key, region).state != to && !c.dry() {
		k.setState(key, region, to, op)
	}
	return nil
}

// EnableKey enables key's copy in region (K4: per copy). The call is sent
// to region.
func (k *KMS) EnableKey(by Caller, key, region int) error {
	return k.enableDisable(by, OpEnableKey, key, region, Enabled)
}

// DisableKey disables key's copy in region (K4: per copy; K7: other copies
// keep working). The call is sent to region.
func (k *KMS) DisableKey(by Caller, key, region int) error {
	return k.enableDisable(by, OpDisableKey, key, region, StateDisabled)
}

// ScheduleKeyDeletion schedules the deletion of key's copy in region after
// a waiting period of window, 7 to 30 days (K11; ValidationException
// outside). The call is sent to region: KMS must be up there
// (KMSUnavailable, also in a gray failure) and by.Principal an admin of the
// copy (AccessDeniedException, G5). The copy must exist and be Enabled or
// Disabled (pending deletion already: KMSInvalidStateException; Creating or
// Updating: the same, transient).
//
// A replica, or a primary without replicas, becomes PendingDeletion and is
// Deleted when the window ends. A primary that still has replicas (in any
// state) becomes PendingReplicaDeletion; its window starts when its last
// replica is deleted, and it is then PendingDeletion.
func (k *KMS) ScheduleKeyDeletion(by Caller, key, region int, window sim.Time) error {
	c := &call{k, by, OpScheduleKeyDeletion, key, region, opID(OpScheduleKeyDeletion)}
	if err := c.validate(); err != nil {
		return err
	}
	if err := c.gate(region, -1, "key", -1, ""); err != nil {
		return err
	}
	if window < MinDeletionWindow || window > MaxDeletionWindow {
		return c.fail(CodeValidation, false, "waiting period %s is outside 7d..30d", fmtDays(window))
	}
	if err := first(c.exists(region), c.refusal(region, "key", true), c.busy(region, "key")); err != nil {
		return err
	}
	if c.dry() {
		return nil
	}
	if region == k.ks[key].primary && k.hasReplicas(key) {
		k.copyAt(key, region).window = window
		k.setState(key, region, PendingReplicaDeletion, OpScheduleKeyDeletion)
		return nil
	}
	k.startDeletion(key, region, window, OpScheduleKeyDeletion)
	return nil
}

// CancelKeyDeletion cancels the scheduled deletion of key's copy in region;
// the copy becomes Disabled (K11). It works for PendingDeletion and
// PendingReplicaDeletion; any other state: KMSInvalidStateException. The
// call is sent to region (KMSUnavailable, also in a gray failure), and
// by.Principal must be an admin of the copy (AccessDeniedException, G5).
func (k *KMS) CancelKeyDeletion(by Caller, key, region int) error {
	c := &call{k, by, OpCancelKeyDeletion, key, region, opID(OpCancelKeyDeletion)}
	if err := c.validate(); err != nil {
		return err
	}
	if err := c.gate(region, -1, "key", -1, ""); err != nil {
		return err
	}
	if err := c.exists(region); err != nil {
		return err
	}
	cp := k.copyAt(key, region)
	if cp.state != PendingDeletion && cp.state != PendingReplicaDeletion {
		return c.fail(CodeInvalidState, false, "the key in %s is %s, not pending deletion",
			k.regionName(region), cp.state)
	}
	if c.dry() {
		return nil
	}
	k.eng.Cancel(cp.del)
	cp.del = sim.Handle{}
	cp.window = 0
	k.setState(key, region, StateDisabled, OpCancelKeyDeletion)
	return nil
}

// RotateKeyOnDemand adds a key material version now (K9). The call is sent
// to the primary's Region (the home Region of a single-Region key, which is
// allowed). The checks, in order: KMS up there (KMSUnavailable, also in a
// gray failure); by.Principal an admin of the primary
// (AccessDeniedException, G5); no primary copy (NotFoundException); primary
// Disabled (DisabledException), pending deletion
// (KMSInvalidStateException), Creating or Updating
// (KMSInvalidStateException, transient); 25 on-demand rotations already
// done (LimitExceededException).
func (k *KMS) RotateKeyOnDemand(by Caller, key int) error {
	c := &call{k, by, OpRotateKeyOnDemand, key, -1, opID(OpRotateKeyOnDemand)}
	if err := c.validate(); err != nil {
		return err
	}
	p := k.ks[key].primary
	if p < 0 {
		return c.fail(CodeNotFound, false, "%s has no primary", k.ks[key].id)
	}
	if err := c.gate(p, -1, "primary", -1, ""); err != nil {
		return err
	}
	if err := first(c.exists(p), c.refusal(p, "primary", false), c.busy(p, "primary")); err != nil {
		return err
	}
	s := &k.ks[key]
	if s.onDemand >= MaxOnDemandRotations {
		return c.fail(CodeLimitExceeded, false, "%d on-demand rotations already done", s.onDemand)
	}
	if c.dry() {
		return nil
	}
	s.onDemand++
	k.rotate(key, "on-demand")
	return nil
}

// PutKeyPolicy replaces the policy of key's copy in region with users (K4:
// per copy; other copies keep theirs). The call is sent to region
// (KMSUnavailable, also in a gray failure), and by.Principal must be an
// admin of the copy (AccessDeniedException, G5); it changes the users, not
// the admins. It works in every state of an existing copy but Creating
// (KMSInvalidStateException, transient). users is copied.
func (k *KMS) PutKeyPolicy(by Caller, key, region int, users []string) error {
	c := &call{k, by, OpPutKeyPolicy, key, region, opID(OpPutKeyPolicy)}
	if err := c.validate(); err != nil {
		return err
	}
	if err := c.gate(region, -1, "key", -1, ""); err != nil {
		return err
	}
	if err := c.exists(region); err != nil {
		return err
	}
	cp := k.copyAt(key, region)
	if cp.state == Creating {
		return c.busy(region, "key")
	}
	if c.dry() {
		return nil
	}
	cp.own = append(cp.own[:0], users...)
	cp.users = cp.own
	k.emit(key, region, cp.state, cp.state, WhatPolicy, OpPutKeyPolicy)
	return nil
}

// EnableKeyRotation turns automatic rotation on with the given period (K9),
// the first rotation one period from now. It must be called on the primary
// (a replica: UnsupportedOperationException); the period must be 90 to 2560
// days (ValidationException). The primary must be Enabled or Updating
// (Disabled: DisabledException; pending deletion: KMSInvalidStateException).
// KMS must be up in region and by.Principal an admin of that copy.
func (k *KMS) EnableKeyRotation(by Caller, key, region int, period sim.Time) error {
	return k.setRotation(by, OpEnableKeyRotation, key, region, period)
}

// DisableKeyRotation turns automatic rotation off (K9); the same rules as
// EnableKeyRotation apply.
func (k *KMS) DisableKeyRotation(by Caller, key, region int) error {
	return k.setRotation(by, OpDisableKeyRotation, key, region, 0)
}

func (k *KMS) setRotation(by Caller, op string, key, region int, period sim.Time) error {
	c := &call{k, by, op, key, region, opID(op)}
	if err := c.validate(); err != nil {
		return err
	}
	if err := c.gate(region, -1, "key", -1, ""); err != nil {
		return err
	}
	if err := c.exists(region); err != nil {
		return err
	}
	s := &k.ks[key]
	if region != s.primary {
		return c.fail(CodeUnsupported, false, "the key in %s is a replica; rotation is set on the primary in %s",
			k.regionName(region), k.regionName(s.primary))
	}
	if op == OpEnableKeyRotation && (period < MinRotationPeriod || period > MaxRotationPeriod) {
		return c.fail(CodeValidation, false, "rotation period %s is outside 90d..2560d", fmtDays(period))
	}
	if err := first(c.refusal(region, "primary", false), c.busy(region, "primary")); err != nil {
		return err
	}
	if c.dry() {
		return nil
	}
	k.eng.Cancel(s.rotH)
	s.rotH = sim.Handle{}
	s.period = period
	if period > 0 {
		s.rotH = k.eng.After(period, k.rotateFn, key)
	}
	st := k.copyAt(key, region).state
	k.emit(key, region, st, st, WhatRotation, op)
	return nil
}

// fmtDays formats a duration in days when it is a whole number of days.
func fmtDays(d sim.Time) string {
	if d%sim.Day == 0 {
		return fmt.Sprintf("%dd", d/sim.Day)
	}
	return fmt.Sprintf("%gd", float64(d)/float64(sim.Day))
}
