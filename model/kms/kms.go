package kms

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"

	"github.com/drsim/drsim/sim"
)

// MaxOnDemandRotations is the number of RotateKeyOnDemand calls allowed per
// key (K9).
const MaxOnDemandRotations = 25

// Deletion waiting period bounds and default (K11).
const (
	MinDeletionWindow     = 7 * sim.Day
	MaxDeletionWindow     = 30 * sim.Day
	DefaultDeletionWindow = 30 * sim.Day
)

// Automatic rotation period bounds and default (K9).
const (
	MinRotationPeriod     = 90 * sim.Day
	MaxRotationPeriod     = 2560 * sim.Day
	DefaultRotationPeriod = 365 * sim.Day
)

// KMS is the state of every key copy in every region during one trial. It
// is driven by a sim.Engine and is not safe for concurrent use; build one
// per worker with New and call Reset at the start of every trial.
type KMS struct {
	keys     []Key
	regions  []string
	account  string
	net      Net
	gray     GrayNet // net, when it knows gray failures; else nil
	eng      *sim.Engine
	onChange func(Change)
	params   Params
	nr       int

	ks []keyState
	cs []copyState // [key*nr+region]

	// Pre-bound event handlers (no closure per event).
	rotateFn, createdFn, updatedFn, deletedFn sim.Func

	// unavail caches KMSUnavailable errors (see call.unavailable).
	unavail map[uint64]error
}

type keyState struct {
	id     string
	stream string // "kms/" + name
	// createKey and updateKey are the keys of the streams (stream,
	// "creating") and (stream, "updating"), hashed once.
	createKey, updateKey sim.StreamKey
	// initial copies, validated: primary (home) region or -1, and replicas
	home     int
	replicas []int

	primary   int
	versions  int // key material versions (K4, K9)
	rotations int // automatic and on-demand rotations done
	onDemand  int // RotateKeyOnDemand calls that succeeded
	period    sim.Time
	rotH      sim.Handle
	create    sim.Stream
	update    sim.Stream
}

type copyState struct {
	state State
	users []string // the policy: an immutable config slice, or own
	own   []string // buffer for policies set by calls (reused)
	arn   string
	// window is the waiting period of a primary in PendingReplicaDeletion,
	// started when its last replica is gone.
	window sim.Time
	trans  sim.Handle // end of Creating or Updating
	del    sim.Handle // end of the deletion waiting period
}

// New returns the KMS model of keys in regions (indexed as in the scenario)
// for account. Events are scheduled on eng; net is asked about outages;
// onChange (may be nil) is called on every change. Invalid parts of a key
// description (a primary or replica out of range, a replica in the primary's
// Region or repeated, replicas of a single-Region key) are ignored: package
// scenarios validates them. Call Reset before each trial.
func New(keys []Key, regions []string, account string, net Net, eng *sim.Engine, onChange func(Change)) *KMS {
	nr := len(regions)
	k := &KMS{
		keys:     keys,
		regions:  regions,
		account:  account,
		net:      net,
		eng:      eng,
		onChange: onChange,
		params:   DefaultParams(),
		nr:       nr,
		ks:       make([]keyState, len(keys)),
		cs:       make([]copyState, len(keys)*nr),
	}
	k.gray, _ = net.(GrayNet)
	k.rotateFn = k.onRotate
	k.createdFn = k.onCreated
	k.updatedFn = k.onUpdated
	k.deletedFn = k.onDeleted
	for i := range keys {
		key := &keys[i]
		s := &k.ks[i]
		s.id = keyID(account, key.Name, key.MultiRegion)
		s.stream = "kms/" + key.Name
		s.createKey = sim.NewStreamKey(s.stream, "creating")
		s.updateKey = sim.NewStreamKey(s.stream, "updating")
		s.home = -1
		if key.Primary >= 0 && key.Primary < nr {
			s.home = key.Primary
		}
		if key.MultiRegion && s.home >= 0 {
			for _, r := range key.Replicas {
				if r < 0 || r >= nr || r == s.home || slices.Contains(s.replicas, r) {
					continue
				}
				s.replicas = append(s.replicas, r)
			}
		}
		for r := range nr {
			k.cs[i*nr+r].arn = "arn:aws:kms:" + regions[r] + ":" + account + ":key/" + s.id
		}
	}
	return k
}

// SetParams replaces the timing parameters. It takes effect for draws made
// after the call.
func (k *KMS) SetParams(p Params) { k.params = p }

// Params returns the timing parameters in use.
func (k *KMS) Params() Params { return k.params }

// Reset returns to the t=0 state of the scenario: the primary (or home copy)
// and the initial replicas Enabled with their policies from Key.UsersFor,
// material version 1, no rotation done, and for keys with a rotation period
// the first automatic rotation scheduled one period after t=0. Transition
// times are drawn from streams named per key ("kms/"+name, with purposes
// "creating" and "updating"). Call it after eng.Reset. It reports no
// Change and allocates nothing.
func (k *KMS) Reset(trialSeed uint64) {
	for i := range k.cs {
		c := &k.cs[i]
		c.state = Absent
		c.users = nil
		c.own = c.own[:0]
		c.window = 0
		c.trans = sim.Handle{}
		c.del = sim.Handle{}
	}
	for i := range k.ks {
		key := &k.keys[i]
		s := &k.ks[i]
		s.primary = s.home
		s.versions = 1
		s.rotations = 0
		s.onDemand = 0
		s.rotH = sim.Handle{}
		s.period = 0
		s.create.InitKey(trialSeed, s.createKey)
		s.update.InitKey(trialSeed, s.updateKey)
		if s.home < 0 {
			continue
		}
		k.setInitial(i, s.home, key)
		for _, r := range s.replicas {
			k.setInitial(i, r, key)
		}
		if key.Rotation > 0 {
			s.period = key.Rotation
			s.rotH = k.eng.At(key.Rotation, k.rotateFn, i)
		}
	}
}

func (k *KMS) setInitial(key, r int, kd *Key) {
	c := &k.cs[key*k.nr+r]
	c.state = Enabled
	c.users = kd.UsersFor(r)
}

// keyID derives a key ID from (account, name) with SHA-256 (K1): "mrk-" and
// 32 lowercase hex digits for a multi-Region key, a version-4 style UUID for
// a single-Region key.
func keyID(account, name string, multi bool) string {
	sum := sha256.Sum256([]byte("drsim-kms-key\x00" + account + "\x00" + name))
	b := sum[:16]
	if multi {
		return "mrk-" + hex.EncodeToString(b)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (k *KMS) validKey(key int) bool       { return key >= 0 && key < len(k.keys) }
func (k *KMS) validRegion(region int) bool { return region >= 0 && region < k.nr }

// copyAt returns the copy of key in region; both must be valid.
func (k *KMS) copyAt(key, region int) *copyState { return &k.cs[key*k.nr+region] }

func (k *KMS) regionName(r int) string {
	if k.validRegion(r) {
		return k.regions[r]
	}
	return "region#" + strconv.Itoa(r)
}

func (k *KMS) emit(key, region int, from, to State, what, detail string) {
	if k.onChange != nil {
		k.onChange(Change{Key: key, Region: region, From: from, To: to, What: what, Detail: detail})
	}
}

// setState moves a copy to a new state and reports the change.
func (k *KMS) setState(key, region int, to State, detail string) {
	c := k.copyAt(key, region)
	from := c.state
	c.state = to
	k.emit(key, region, from, to, WhatState, detail)
}

// hasReplicas reports whether key has an existing copy other than its primary.
func (k *KMS) hasReplicas(key int) bool {
	p := k.ks[key].primary
	for r := range k.nr {
		if r != p && k.copyAt(key, r).state.Exists() {
			return true
		}
	}
	return false
}

// rotate adds a key material version (K9: shared by every copy at once).
func (k *KMS) rotate(key int, detail string) {
	s := &k.ks[key]
	s.versions++
	s.rotations++
	st := k.copyAt(key, s.primary).state
	k.emit(key, s.primary, st, st, WhatRotation, detail)
}

// onRotate is the automatic rotation event (arg: key). A rotation happens
// only if the primary copy is Enabled or Updating and KMS is up in its
// Region; otherwise it is skipped and the next one is due one period later
// (K9: disabled keys do not rotate).
func (k *KMS) onRotate(key int) {
	s := &k.ks[key]
	s.rotH = sim.Handle{}
	if s.period <= 0 || s.primary < 0 {
		return
	}
	st := k.copyAt(key, s.primary).state
	if st.CryptoOK() && k.net.KMSUp(s.primary) {
		k.rotate(key, "automatic")
	}
	if st.Exists() {
		s.rotH = k.eng.After(s.period, k.rotateFn, key)
	}
}

// onCreated ends a replica's Creating state (arg: copy index).
func (k *KMS) onCreated(idx int) { k.endTransition(idx, Creating, "replica created") }

// onUpdated ends a copy's Updating state (arg: copy index).
func (k *KMS) onUpdated(idx int) { k.endTransition(idx, Updating, "update finished") }

// endTransition makes the copy at idx Enabled if it is still in state from.
func (k *KMS) endTransition(idx int, from State, detail string) {
	c := &k.cs[idx]
	c.trans = sim.Handle{}
	if c.state == from {
		k.setState(idx/k.nr, idx%k.nr, Enabled, detail)
	}
}

// onDeleted ends a copy's waiting period (arg: copy index). When the last
// replica of a primary in PendingReplicaDeletion is gone, the primary's own
// waiting period starts (K11).
func (k *KMS) onDeleted(idx int) {
	key, r := idx/k.nr, idx%k.nr
	c := &k.cs[idx]
	c.del = sim.Handle{}
	if c.state != PendingDeletion {
		return
	}
	k.setState(key, r, Deleted, "waiting period over")
	c.users = nil
	p := k.ks[key].primary
	if r == p {
		return
	}
	pc := k.copyAt(key, p)
	if pc.state == PendingReplicaDeletion && !k.hasReplicas(key) {
		k.startDeletion(key, p, pc.window, "last replica deleted")
	}
}

func (k *KMS) startDeletion(key, region int, window sim.Time, detail string) {
	c := k.copyAt(key, region)
	c.window = 0
	c.del = k.eng.After(window, k.deletedFn, key*k.nr+region)
	k.setState(key, region, PendingDeletion, detail)
}

// NumKeys returns the number of keys.
func (k *KMS) NumKeys() int { return len(k.keys) }

// Name returns the scenario name of key, or "" for an invalid index.
func (k *KMS) Name(key int) string {
	if !k.validKey(key) {
		return ""
	}
	return k.keys[key].Name
}

// State returns the state of key's copy in region (Absent for invalid
// indices).
func (k *KMS) State(key, region int) State {
	if !k.validKey(key) || !k.validRegion(region) {
		return Absent
	}
	return k.copyAt(key, region).state
}

// Primary returns the Region of key's primary (the home Region of a
// single-Region key), or -1 for an invalid key. After the primary is
// deleted it still names the Region it was in.
func (k *KMS) Primary(key int) int {
	if !k.validKey(key) {
		return -1
	}
	return k.ks[key].primary
}

// Users returns the principals allowed by the policy of key's copy in
// region (nil when there is no copy). The slice must not be modified.
func (k *KMS) Users(key, region int) []string {
	if !k.validKey(key) || !k.validRegion(region) {
		return nil
	}
	return k.copyAt(key, region).users
}

// MaterialVersions returns the number of key material versions, shared by
// every copy (K4, K9): 1 plus the rotations done.
func (k *KMS) MaterialVersions(key int) int {
	if !k.validKey(key) {
		return 0
	}
	return k.ks[key].versions
}

// CopyMaterial returns the number of key material versions the copy in
// region holds: MaterialVersions for an existing copy (a replica gets all
// past material when it is created and every new version before KMS uses
// it, K6, K9), 0 when there is no copy.
func (k *KMS) CopyMaterial(key, region int) int {
	if !k.State(key, region).Exists() {
		return 0
	}
	return k.ks[key].versions
}

// Rotations returns the number of rotations done, automatic and on demand.
func (k *KMS) Rotations(key int) int {
	if !k.validKey(key) {
		return 0
	}
	return k.ks[key].rotations
}

// OnDemandRotations returns the number of successful RotateKeyOnDemand calls.
func (k *KMS) OnDemandRotations(key int) int {
	if !k.validKey(key) {
		return 0
	}
	return k.ks[key].onDemand
}

// RotationPeriod returns the automatic rotation period (0: off).
func (k *KMS) RotationPeriod(key int) sim.Time {
	if !k.validKey(key) {
		return 0
	}
	return k.ks[key].period
}

// ID returns the key ID shared by every related copy (K1), or "" for an
// invalid key.
func (k *KMS) ID(key int) string {
	if !k.validKey(key) {
		return ""
	}
	return k.ks[key].id
}

// ARN returns "arn:aws:kms:REGION:ACCOUNT:key/ID" for key's copy in region
// (K1: related copies differ only in the Region field), or "" for invalid
// indices. It does not allocate.
func (k *KMS) ARN(key, region int) string {
	if !k.validKey(key) || !k.validRegion(region) {
		return ""
	}
	return k.copyAt(key, region).arn
}
