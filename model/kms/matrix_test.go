package kms

import (
	"errors"
	"fmt"
	"testing"

	"github.com/drsim/drsim/sim"
)

// stateSetups bring a copy of kAlerts into each state and return its Region.
var stateSetups = []struct {
	state State
	setup func(f *fixture) int
}{
	{Enabled, func(f *fixture) int { return usw2 }},
	{StateDisabled, func(f *fixture) int { f.ok(f.k.DisableKey(by, kAlerts, usw2)); return usw2 }},
	{Creating, func(f *fixture) int { f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false)); return euw1 }},
	{Updating, func(f *fixture) int { f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2)); return usw2 }},
	{PendingDeletion, func(f *fixture) int { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day)); return usw2 }},
	{PendingReplicaDeletion, func(f *fixture) int { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day)); return use1 }},
	{Deleted, func(f *fixture) int {
		f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
		f.run(7 * sim.Day)
		return usw2
	}},
	{Absent, func(f *fixture) int { return euw1 }},
}

// copyOps are the per-copy operations of the matrix.
var copyOps = []struct {
	name string
	do   func(k *KMS, key, region int) error
}{
	{"EnableKey", func(k *KMS, key, r int) error { return k.EnableKey(by, key, r) }},
	{"DisableKey", func(k *KMS, key, r int) error { return k.DisableKey(by, key, r) }},
	{"ScheduleKeyDeletion", func(k *KMS, key, r int) error { return k.ScheduleKeyDeletion(by, key, r, 7*sim.Day) }},
	{"CancelKeyDeletion", func(k *KMS, key, r int) error { return k.CancelKeyDeletion(by, key, r) }},
	{"PutKeyPolicy", func(k *KMS, key, r int) error { return k.PutKeyPolicy(by, key, r, []string{"x"}) }},
}

// outcome is the expected result of an operation: an error code (with its
// transience) or, on success, the copy's new state.
type outcome struct {
	code      string
	transient bool
	after     State
}

func okTo(s State) outcome { return outcome{after: s} }

var (
	refused   = outcome{code: CodeInvalidState}
	busy      = outcome{code: CodeInvalidState, transient: true}
	notFound  = outcome{code: CodeNotFound}
	unchanged = outcome{after: NumStates} // success, state unchanged
)

// The state × operation matrix of the package documentation, in copyOps order.
var matrix = map[State][5]outcome{
	Enabled:                {okTo(Enabled), okTo(StateDisabled), okTo(PendingDeletion), refused, unchanged},
	StateDisabled:          {okTo(Enabled), okTo(StateDisabled), okTo(PendingDeletion), refused, unchanged},
	Creating:               {busy, busy, busy, refused, busy},
	Updating:               {busy, busy, busy, refused, unchanged},
	PendingDeletion:        {refused, refused, refused, okTo(StateDisabled), unchanged},
	PendingReplicaDeletion: {refused, refused, refused, okTo(StateDisabled), unchanged},
	Deleted:                {notFound, notFound, notFound, notFound, notFound},
	Absent:                 {notFound, notFound, notFound, notFound, notFound},
}

func TestK4_K10_K11_StateOperationMatrix(t *testing.T) {
	for _, ss := range stateSetups {
		row, found := matrix[ss.state]
		if !found {
			t.Fatalf("no matrix row for %s", ss.state)
		}
		for j, op := range copyOps {
			t.Run(ss.state.String()+"/"+op.name, func(t *testing.T) {
				f := newFixture(t)
				r := ss.setup(f)
				f.state(kAlerts, r, ss.state)
				want := row[j]
				n := len(f.changes)
				err := op.do(f.k, kAlerts, r)
				wantErr(t, err, want.code, want.transient)
				switch {
				case err != nil || want.after == NumStates:
					f.state(kAlerts, r, ss.state)
				default:
					f.state(kAlerts, r, want.after)
				}
				if err != nil && len(f.changes) != n {
					t.Errorf("a failed call reported %d changes", len(f.changes)-n)
				}
			})
		}
	}
}

// Every control-plane call needs KMS up in the Region it is sent to.
func TestControlPlaneNeedsKMSUpWhereSent(t *testing.T) {
	ops := []struct {
		name   string
		sentTo int
		do     func(k *KMS) error
	}{
		{"ReplicateKey", use1, func(k *KMS) error { return k.ReplicateKey(by, kAlerts, euw1, nil, false) }},
		{"UpdatePrimaryRegion", use1, func(k *KMS) error { return k.UpdatePrimaryRegion(by, kAlerts, usw2) }},
		{"EnableKey", usw2, func(k *KMS) error { return k.EnableKey(by, kAlerts, usw2) }},
		{"DisableKey", usw2, func(k *KMS) error { return k.DisableKey(by, kAlerts, usw2) }},
		{"ScheduleKeyDeletion", usw2, func(k *KMS) error { return k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day) }},
		{"CancelKeyDeletion", usw2, func(k *KMS) error { return k.CancelKeyDeletion(by, kAlerts, usw2) }},
		{"RotateKeyOnDemand", use1, func(k *KMS) error { return k.RotateKeyOnDemand(by, kAlerts) }},
		{"PutKeyPolicy", usw2, func(k *KMS) error { return k.PutKeyPolicy(by, kAlerts, usw2, nil) }},
		{"EnableKeyRotation", use1, func(k *KMS) error { return k.EnableKeyRotation(by, kAlerts, use1, 365*sim.Day) }},
		{"legacy RotateKeyOnDemand", use1, func(k *KMS) error { return k.RotateKeyOnDemand(by, kLegacy) }},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			f := newFixture(t)
			f.net.down[op.sentTo] = true
			n := len(f.changes)
			wantErr(t, op.do(f.k), CodeUnavailable, true)
			if len(f.changes) != n {
				t.Errorf("failed call reported changes")
			}
			if !IsTransient(op.do(f.k)) {
				t.Errorf("IsTransient = false")
			}
			// The other Regions being down does not matter for per-copy calls.
			f.net.down[op.sentTo] = false
			for r := range f.net.down {
				if r != op.sentTo && op.sentTo != use1 {
					f.net.down[r] = true
				}
			}
			if op.sentTo != use1 {
				if err := op.do(f.k); ErrorCode(err) == CodeUnavailable {
					t.Errorf("failed with other Regions down: %v", err)
				}
			}
		})
	}
}

func TestInvalidIndicesDoNotPanic(t *testing.T) {
	f := newFixture(t)
	for _, key := range []int{-1, 5, 1 << 30} {
		for _, r := range []int{-1, 0, 3} {
			if rr, _ := f.k.Crypto("app", key, r); rr != NotFound {
				t.Errorf("Crypto(%d, %d) = %v", key, r, rr)
			}
			if rr, _ := f.k.Usable(key, r); rr != NotFound {
				t.Errorf("Usable(%d, %d) = %v", key, r, rr)
			}
			_ = f.k.Transient(InvalidState, key, r)
			for _, err := range []error{
				f.k.ReplicateKey(by, key, r, nil, false),
				f.k.UpdatePrimaryRegion(by, key, r),
				f.k.EnableKey(by, key, r),
				f.k.DisableKey(by, key, r),
				f.k.ScheduleKeyDeletion(by, key, r, 7*sim.Day),
				f.k.CancelKeyDeletion(by, key, r),
				f.k.PutKeyPolicy(by, key, r, nil),
				f.k.EnableKeyRotation(by, key, r, 365*sim.Day),
				f.k.DisableKeyRotation(by, key, r),
			} {
				wantErr(t, err, CodeValidation, false)
			}
			if f.k.State(key, r) != Absent || f.k.Users(key, r) != nil || f.k.ARN(key, r) != "" || f.k.CopyMaterial(key, r) != 0 {
				t.Errorf("introspection of (%d, %d) returned a value", key, r)
			}
		}
		wantErr(t, f.k.RotateKeyOnDemand(by, key), CodeValidation, false)
		if f.k.Primary(key) != -1 || f.k.ID(key) != "" || f.k.Name(key) != "" || f.k.MaterialVersions(key) != 0 ||
			f.k.Rotations(key) != 0 || f.k.OnDemandRotations(key) != 0 || f.k.RotationPeriod(key) != 0 {
			t.Errorf("introspection of key %d returned a value", key)
		}
	}
	// Valid key, invalid Region.
	for _, r := range []int{-1, 3} {
		wantErr(t, f.k.ReplicateKey(by, kAlerts, r, nil, false), CodeValidation, false)
		wantErr(t, f.k.ReplicateKeyFrom(by, kAlerts, r, euw1, nil, false), CodeValidation, false)
		if rr, tg := f.k.Crypto("app", kAlerts, r); rr != NotFound || tg != r {
			t.Errorf("Crypto from Region %d = %v, %d", r, rr, tg)
		}
	}
}

// A broken key description (as package scenarios would reject) is tolerated.
func TestNewIgnoresInvalidKeyDescriptions(t *testing.T) {
	keys := []Key{
		{Name: "bad-primary", MultiRegion: true, Primary: 7, Replicas: []int{0}},
		{Name: "bad-replicas", MultiRegion: true, Primary: 1, Replicas: []int{-1, 1, 2, 2, 9}, Users: []string{"app"}},
		{Name: "single-with-replicas", Primary: 0, Replicas: []int{1}, Users: []string{"app"}},
		{Name: "negative-rotation", MultiRegion: true, Primary: 0, Rotation: -sim.Day},
	}
	eng := sim.NewEngine()
	k := New(keys, testRegions, "1", &fakeNet{}, eng, nil)
	k.Reset(3)
	for r := range testRegions {
		if k.State(0, r) != Absent {
			t.Errorf("bad-primary has a copy in %d", r)
		}
	}
	if k.State(1, 1) != Enabled || k.State(1, 2) != Enabled || k.State(1, 0) != Absent {
		t.Errorf("bad-replicas states: %v %v %v", k.State(1, 0), k.State(1, 1), k.State(1, 2))
	}
	if k.State(2, 1) != Absent {
		t.Errorf("a single-Region key got a replica")
	}
	if eng.Pending() != 0 {
		t.Errorf("%d events scheduled, want 0", eng.Pending())
	}
	wantErr(t, k.UpdatePrimaryRegion(by, 0, 1), CodeNotFound, false)
	wantErr(t, k.RotateKeyOnDemand(by, 0), CodeNotFound, false)
	wantErr(t, k.ReplicateKey(by, 0, 1, nil, false), CodeValidation, false)
	if r, _ := k.Crypto("app", 0, 0); r != NotFound {
		t.Errorf("Crypto on a key without copies = %v", r)
	}
	eng.Run(sim.Forever)
}

func TestErrorMessages(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		err  error
		want string
	}{
		{f.k.ReplicateKey(by, kAlerts, usw2, nil, false),
			"kms: ReplicateKey alerts to us-west-2: AlreadyExistsException: us-west-2 already holds a related key (Enabled)"},
		{f.k.UpdatePrimaryRegion(by, kAlerts, euw1),
			"kms: UpdatePrimaryRegion alerts to eu-west-1: NotFoundException: no copy of " + f.k.ID(kAlerts) + " in eu-west-1 (Absent)"},
		{f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 3*sim.Day),
			"kms: ScheduleKeyDeletion alerts in us-west-2: ValidationException: waiting period 3d is outside 7d..30d"},
		{f.k.RotateKeyOnDemand(by, 7), "kms: RotateKeyOnDemand: ValidationException: no key with index 7"},
		{f.k.EnableKey(by, kAlerts, 5), "kms: EnableKey alerts in region#5: ValidationException: no region with index 5"},
		{f.k.CancelKeyDeletion(by, kAlerts, use1),
			"kms: CancelKeyDeletion alerts in us-east-1: KMSInvalidStateException: the key in us-east-1 is Enabled, not pending deletion"},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("got nil, want %q", tt.want)
			continue
		}
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
	f.ok(f.k.DisableKey(by, kAlerts, use1))
	err := f.k.RotateKeyOnDemand(by, kAlerts)
	if got, want := err.Error(), "kms: RotateKeyOnDemand alerts: DisabledException: the primary in us-east-1 is Disabled"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	wrapped := fmt.Errorf("model: step promote: %w", err)
	var e *Error
	if !errors.As(wrapped, &e) || ErrorCode(wrapped) != CodeDisabled || IsTransient(wrapped) {
		t.Errorf("wrapped error lost its code: %v", wrapped)
	}
	if ErrorCode(errors.New("other")) != "" || IsTransient(nil) {
		t.Error("ErrorCode/IsTransient of a foreign error")
	}
}

func TestStateAndReasonNames(t *testing.T) {
	want := []string{"Absent", "Creating", "Enabled", "Disabled", "Updating", "PendingDeletion", "PendingReplicaDeletion", "Deleted"}
	for s := range NumStates {
		if s.String() != want[s] {
			t.Errorf("State(%d) = %q, want %q", s, s.String(), want[s])
		}
	}
	if NumStates.String() != "State(?)" {
		t.Errorf("out-of-range state = %q", NumStates.String())
	}
	for s := range NumStates {
		if got, want := s.Exists(), s != Absent && s != Deleted; got != want {
			t.Errorf("%s.Exists() = %v", s, got)
		}
		if got, want := s.CryptoOK(), s == Enabled || s == Updating; got != want {
			t.Errorf("%s.CryptoOK() = %v", s, got)
		}
	}
	for r := range NumReasons {
		if r != OK && r.String() == "" {
			t.Errorf("reason %d has no name", r)
		}
	}
}
