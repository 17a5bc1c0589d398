package kms

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

func TestK1_MultiRegionIDsShareMrkPrefix(t *testing.T) {
	f := newFixture(t)
	mrk := regexp.MustCompile(`^mrk-[0-9a-f]{32}$`)
	for _, key := range []int{kAlerts, kDrift, kRotating, kSolo} {
		id := f.k.ID(key)
		if !mrk.MatchString(id) {
			t.Errorf("ID(%s) = %q, want mrk- and 32 lowercase hex digits", f.k.Name(key), id)
		}
		for r, name := range testRegions {
			want := "arn:aws:kms:" + name + ":111122223333:key/" + id
			if got := f.k.ARN(key, r); got != want {
				t.Errorf("ARN(%s, %s) = %q, want %q", f.k.Name(key), name, got, want)
			}
		}
	}
	if f.k.ID(kAlerts) == f.k.ID(kDrift) {
		t.Errorf("two keys share ID %s", f.k.ID(kAlerts))
	}
}

func TestK1_SingleRegionIDIsUUID(t *testing.T) {
	f := newFixture(t)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if id := f.k.ID(kLegacy); !uuid.MatchString(id) {
		t.Errorf("ID(legacy) = %q, want a UUID", id)
	}
}

func TestK1_IDsAreDeterministicPerAccountAndName(t *testing.T) {
	a := New(testKeys(), testRegions, "111122223333", &fakeNet{}, sim.NewEngine(), nil)
	b := New(testKeys()[:1], testRegions, "111122223333", &fakeNet{}, sim.NewEngine(), nil)
	c := New(testKeys(), testRegions, "444455556666", &fakeNet{}, sim.NewEngine(), nil)
	if a.ID(kAlerts) != b.ID(kAlerts) {
		t.Errorf("same account and name, IDs %s and %s differ", a.ID(kAlerts), b.ID(kAlerts))
	}
	if a.ID(kAlerts) == c.ID(kAlerts) {
		t.Errorf("different accounts share ID %s", a.ID(kAlerts))
	}
	// Fixed values pin the derivation (SHA-256 of a prefix, the account and
	// the name; computed independently with sha256sum).
	if got, want := a.ID(kAlerts), "mrk-f930fdf09346bf48c9a218ebc0b40b44"; got != want {
		t.Errorf("ID(alerts) = %s, want %s", got, want)
	}
	if got, want := a.ID(kLegacy), "43a336bc-e408-4aae-8d6c-f39b4f890f75"; got != want {
		t.Errorf("ID(legacy) = %s, want %s", got, want)
	}
}

func TestK2_SingleRegionKeyCannotBecomeMultiRegion(t *testing.T) {
	f := newFixture(t)
	f.wantErr(f.k.ReplicateKey(by, kLegacy, usw2, nil, false), CodeUnsupported, false)
	f.wantErr(f.k.UpdatePrimaryRegion(by, kLegacy, usw2), CodeUnsupported, false)
	f.state(kLegacy, usw2, Absent)
	if p := f.k.Primary(kLegacy); p != use1 {
		t.Errorf("Primary(legacy) = %d, want home %d", p, use1)
	}
}

func TestK3_OneRelatedKeyPerRegion(t *testing.T) {
	f := newFixture(t)
	// The primary's own Region and a replica's Region already hold a related key.
	f.wantErr(f.k.ReplicateKey(by, kAlerts, use1, nil, false), CodeAlreadyExists, false)
	f.wantErr(f.k.ReplicateKey(by, kAlerts, usw2, nil, false), CodeAlreadyExists, false)
	// Also while that replica is pending deletion.
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
	f.wantErr(f.k.ReplicateKey(by, kAlerts, usw2, nil, false), CodeAlreadyExists, false)
	// Once deleted, the Region is free again.
	f.run(7 * sim.Day)
	f.state(kAlerts, usw2, Deleted)
	f.ok(f.k.ReplicateKey(by, kAlerts, usw2, nil, false))
	f.state(kAlerts, usw2, Creating)
}

func TestK3_OnePrimaryPerSet(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false))
	f.run(tCreate)
	for _, to := range []int{usw2, euw1, use1} {
		f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, to))
		f.run(tUpdate)
		if p := f.k.Primary(kAlerts); p != to {
			t.Fatalf("Primary = %d, want %d", p, to)
		}
		// The replicas refuse to act as primary.
		for r := range testRegions {
			if r != to {
				f.wantErr(f.k.ReplicateKeyFrom(by, kAlerts, r, euw1, nil, false), CodeUnsupported, false)
			}
		}
	}
}

func TestK4_MaterialSharedPolicyAndStatePerCopy(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.RotateKeyOnDemand(by, kAlerts))
	for _, r := range []int{use1, usw2} {
		if got := f.k.CopyMaterial(kAlerts, r); got != 2 {
			t.Errorf("CopyMaterial(alerts, %s) = %d, want 2", testRegions[r], got)
		}
	}
	if got := f.k.CopyMaterial(kAlerts, euw1); got != 0 {
		t.Errorf("CopyMaterial in a Region without copy = %d, want 0", got)
	}
	f.ok(f.k.PutKeyPolicy(by, kAlerts, usw2, []string{"ops"}))
	f.ok(f.k.DisableKey(by, kAlerts, use1))
	f.state(kAlerts, usw2, Enabled)
	f.crypto(kAlerts, use1, Disabled, use1)
	f.crypto(kAlerts, usw2, AccessDenied, usw2)
	if got := f.k.Users(kAlerts, use1); !slices.Equal(got, []string{"app", "ops"}) {
		t.Errorf("primary policy changed to %v", got)
	}
	// The policy given is copied: changing the caller's slice changes nothing.
	pol := []string{"app"}
	f.ok(f.k.PutKeyPolicy(by, kAlerts, usw2, pol))
	pol[0] = "mallory"
	f.crypto(kAlerts, usw2, OK, usw2)
	// The key's configuration is never modified.
	if keys := f.k.keys; !slices.Equal(keys[kAlerts].Users, []string{"app", "ops"}) {
		t.Errorf("config users modified: %v", keys[kAlerts].Users)
	}
}

func TestK5_ReplicateKeyFromReplicaIsUnsupported(t *testing.T) {
	f := newFixture(t)
	f.wantErr(f.k.ReplicateKeyFrom(by, kAlerts, usw2, euw1, nil, false), CodeUnsupported, false)
	f.state(kAlerts, euw1, Absent)
	// Calling a Region with no copy at all.
	f.wantErr(f.k.ReplicateKeyFrom(by, kSolo, usw2, euw1, nil, false), CodeNotFound, false)
	// Through the primary it works.
	f.ok(f.k.ReplicateKeyFrom(by, kAlerts, use1, euw1, nil, false))
	f.state(kAlerts, euw1, Creating)
}

func TestK5_ReplicateKeyIsSentToThePrimaryRegion(t *testing.T) {
	tests := []struct {
		name      string
		down      []int
		cut       [][2]int
		code      string
		transient bool
	}{
		{"all up", nil, nil, "", false},
		{"primary region down", []int{use1}, nil, CodeUnavailable, true},
		{"new region down", []int{euw1}, nil, CodeUnavailable, true},
		{"partition primary-new", nil, [][2]int{{use1, euw1}}, CodeUnavailable, true},
		{"unrelated partition", nil, [][2]int{{usw2, euw1}}, "", false},
		{"replica region down", []int{usw2}, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			for _, r := range tt.down {
				f.net.down[r] = true
			}
			for _, c := range tt.cut {
				f.net.cut[c[0]][c[1]] = true
			}
			wantErr(t, f.k.ReplicateKey(by, kAlerts, euw1, nil, false), tt.code, tt.transient)
			want := Creating
			if tt.code != "" {
				want = Absent
			}
			f.state(kAlerts, euw1, want)
		})
	}
}

func TestK5_ReplicateKeyPrimaryStates(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(f *fixture)
		code      string
		transient bool
	}{
		{"enabled", func(f *fixture) {}, "", false},
		{"disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, use1)) }, CodeDisabled, false},
		{"pending replica deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day)) },
			CodeInvalidState, false},
		{"updating", func(f *fixture) { f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2)) }, CodeInvalidState, true},
		{"replica disabled (irrelevant)", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, usw2)) }, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			wantErr(t, f.k.ReplicateKey(by, kAlerts, euw1, nil, false), tt.code, tt.transient)
		})
	}
	t.Run("pending deletion", func(t *testing.T) {
		f := newFixture(t)
		f.ok(f.k.ScheduleKeyDeletion(by, kSolo, use1, 7*sim.Day))
		f.wantErr(f.k.ReplicateKey(by, kSolo, euw1, nil, false), CodeInvalidState, false)
	})
	t.Run("deleted", func(t *testing.T) {
		f := newFixture(t)
		f.ok(f.k.ScheduleKeyDeletion(by, kSolo, use1, 7*sim.Day))
		f.run(8 * sim.Day)
		f.wantErr(f.k.ReplicateKey(by, kSolo, euw1, nil, false), CodeNotFound, false)
	})
}

func TestK6_NewReplicaIsCreatingThenEnabled(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.RotateKeyOnDemand(by, kAlerts))
	f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false))
	f.state(kAlerts, euw1, Creating)
	f.crypto(kAlerts, euw1, InvalidState, euw1)
	if !f.k.Transient(InvalidState, kAlerts, euw1) {
		t.Error("InvalidState while Creating is not transient")
	}
	f.run(tCreate - 1)
	f.state(kAlerts, euw1, Creating)
	f.run(1)
	f.state(kAlerts, euw1, Enabled)
	f.crypto(kAlerts, euw1, OK, euw1)
	if got := f.k.CopyMaterial(kAlerts, euw1); got != 2 {
		t.Errorf("new replica has %d material versions, want 2 (all past material)", got)
	}
	if got := f.stateChanges(kAlerts, euw1); !slices.Equal(got, []State{Creating, Enabled}) {
		t.Errorf("changes = %v, want [Creating Enabled]", got)
	}
}

func TestK6_NewReplicaPolicy(t *testing.T) {
	tests := []struct {
		name     string
		key      int
		users    []string
		hasUsers bool
		want     []string
	}{
		{"key users by default", kAlerts, nil, false, []string{"app", "ops"}},
		{"action users", kAlerts, []string{"ops"}, true, []string{"ops"}},
		{"empty action users", kAlerts, []string{}, true, []string{}},
		{"users_in replaces key users", kDrift, nil, false, []string{"eu-ops"}},
		{"users_in replaces action users", kDrift, []string{"app"}, true, []string{"eu-ops"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			// The primary's current policy is not copied (K6).
			f.ok(f.k.PutKeyPolicy(by, tt.key, use1, []string{"someone-else"}))
			f.ok(f.k.ReplicateKey(by, tt.key, euw1, tt.users, tt.hasUsers))
			if got := f.k.Users(tt.key, euw1); !slices.Equal(got, tt.want) {
				t.Errorf("policy = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestK7_ReplicaWorksWithoutItsPrimary(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture)
	}{
		{"primary disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, use1)) }},
		{"primary region KMS down", func(f *fixture) { f.net.down[use1] = true }},
		{"primary pending replica deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day)) }},
		{"partitioned from primary", func(f *fixture) { f.net.cut[use1][usw2] = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			f.crypto(kAlerts, usw2, OK, usw2)
			if r, _ := f.k.Usable(kAlerts, usw2); r != OK {
				t.Errorf("Usable in the replica's Region = %v, want OK", r)
			}
		})
	}
}

func TestK8_UpdatePrimaryRegionGoesToPrimaryRegion(t *testing.T) {
	tests := []struct {
		name      string
		down      []int
		cut       [][2]int
		code      string
		transient bool
	}{
		{"all up", nil, nil, "", false},
		{"primary region KMS down", []int{use1}, nil, CodeUnavailable, true},
		{"new primary region KMS down", []int{usw2}, nil, CodeUnavailable, true},
		{"partition between them", nil, [][2]int{{usw2, use1}}, CodeUnavailable, true},
		{"third region down", []int{euw1}, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			for _, r := range tt.down {
				f.net.down[r] = true
			}
			for _, c := range tt.cut {
				f.net.cut[c[0]][c[1]] = true
			}
			wantErr(t, f.k.UpdatePrimaryRegion(by, kAlerts, usw2), tt.code, tt.transient)
			want := usw2
			if tt.code != "" {
				want = use1
			}
			if p := f.k.Primary(kAlerts); p != want {
				t.Errorf("Primary = %s, want %s", testRegions[p], testRegions[want])
			}
		})
	}
}

func TestK8_BothCopiesUpdatingThenEnabled(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.PutKeyPolicy(by, kAlerts, usw2, []string{"app"}))
	f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2))
	if p := f.k.Primary(kAlerts); p != usw2 {
		t.Fatalf("primary did not move at the call: %d", p)
	}
	f.state(kAlerts, use1, Updating)
	f.state(kAlerts, usw2, Updating)
	// Crypto keeps working.
	f.crypto(kAlerts, use1, OK, use1)
	f.crypto(kAlerts, usw2, OK, usw2)
	// Enable/Disable, ReplicateKey and ScheduleKeyDeletion fail, transiently.
	for _, r := range []int{use1, usw2} {
		f.wantErr(f.k.DisableKey(by, kAlerts, r), CodeInvalidState, true)
		f.wantErr(f.k.EnableKey(by, kAlerts, r), CodeInvalidState, true)
		f.wantErr(f.k.ScheduleKeyDeletion(by, kAlerts, r, 7*sim.Day), CodeInvalidState, true)
	}
	f.wantErr(f.k.ReplicateKey(by, kAlerts, euw1, nil, false), CodeInvalidState, true)
	f.wantErr(f.k.UpdatePrimaryRegion(by, kAlerts, use1), CodeInvalidState, true)
	f.run(tUpdate - 1)
	f.state(kAlerts, use1, Updating)
	f.run(1)
	f.state(kAlerts, use1, Enabled)
	f.state(kAlerts, usw2, Enabled)
	// ARNs, policies and material did not change.
	if !strings.HasPrefix(f.k.ARN(kAlerts, usw2), "arn:aws:kms:us-west-2:") {
		t.Errorf("ARN changed: %s", f.k.ARN(kAlerts, usw2))
	}
	if got := f.k.Users(kAlerts, usw2); !slices.Equal(got, []string{"app"}) {
		t.Errorf("policy changed: %v", got)
	}
	if f.k.MaterialVersions(kAlerts) != 1 {
		t.Errorf("material changed")
	}
	var primaries []Change
	for _, c := range f.changes {
		if c.What == WhatPrimary {
			primaries = append(primaries, c)
		}
	}
	if len(primaries) != 1 || primaries[0].Region != usw2 || primaries[0].Detail != "us-east-1 -> us-west-2" {
		t.Errorf("primary changes = %+v", primaries)
	}
	// Now the old primary is a replica.
	f.wantErr(f.k.ReplicateKeyFrom(by, kAlerts, use1, euw1, nil, false), CodeUnsupported, false)
	f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false))
}

func TestK8_UpdatePrimaryRegionStates(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(f *fixture)
		to        int
		code      string
		transient bool
	}{
		{"enabled", func(f *fixture) {}, usw2, "", false},
		{"already primary is a no-op", func(f *fixture) {}, use1, "", false},
		{"no copy in region", func(f *fixture) {}, euw1, CodeNotFound, false},
		{"replica disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, usw2)) }, usw2, CodeDisabled, false},
		{"primary disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, use1)) }, usw2, CodeDisabled, false},
		{"replica pending deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day)) },
			usw2, CodeInvalidState, false},
		{"primary pending replica deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day)) },
			usw2, CodeInvalidState, false},
		{"replica creating", func(f *fixture) { f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false)) },
			euw1, CodeInvalidState, true},
		{"replica created", func(f *fixture) { f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false)); f.run(tCreate) },
			euw1, "", false},
		{"replica deleted", func(f *fixture) {
			f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
			f.run(7 * sim.Day)
		}, usw2, CodeNotFound, false},
		{"disabled beats updating", func(f *fixture) {
			f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false))
			f.run(tCreate)
			f.ok(f.k.DisableKey(by, kAlerts, euw1))
			f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2))
		}, euw1, CodeDisabled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			before := f.k.Primary(kAlerts)
			n := len(f.changes)
			wantErr(t, f.k.UpdatePrimaryRegion(by, kAlerts, tt.to), tt.code, tt.transient)
			switch {
			case tt.code != "" || tt.to == before:
				if f.k.Primary(kAlerts) != before || len(f.changes) != n {
					t.Errorf("failed or no-op call changed something: primary %d, %d changes", f.k.Primary(kAlerts), len(f.changes)-n)
				}
			default:
				if f.k.Primary(kAlerts) != tt.to {
					t.Errorf("Primary = %d, want %d", f.k.Primary(kAlerts), tt.to)
				}
			}
		})
	}
}

func TestK9_AutomaticRotationSkipsDisabledKeys(t *testing.T) {
	f := newFixture(t)
	const period = 90 * sim.Day
	f.ok(f.k.ReplicateKey(by, kRotating, usw2, nil, false))
	f.run(period - 1)
	if v := f.k.MaterialVersions(kRotating); v != 1 {
		t.Fatalf("rotated before the period: %d versions", v)
	}
	f.run(1)
	if v := f.k.MaterialVersions(kRotating); v != 2 {
		t.Fatalf("after one period: %d versions, want 2", v)
	}
	if f.k.CopyMaterial(kRotating, usw2) != 2 {
		t.Errorf("replica lacks the current material")
	}
	f.ok(f.k.DisableKey(by, kRotating, use1))
	f.run(period)
	if v := f.k.MaterialVersions(kRotating); v != 2 {
		t.Fatalf("a disabled key rotated: %d versions", v)
	}
	f.ok(f.k.EnableKey(by, kRotating, use1))
	f.run(period / 2)
	if v := f.k.MaterialVersions(kRotating); v != 2 {
		t.Fatalf("rotation not at the next period: %d versions", v)
	}
	f.run(period / 2)
	if v := f.k.MaterialVersions(kRotating); v != 3 {
		t.Fatalf("after re-enabling: %d versions, want 3", v)
	}
	// KMS down in the primary's Region at the rotation time: skipped.
	f.net.down[use1] = true
	f.run(period)
	f.net.down[use1] = false
	if v, n := f.k.MaterialVersions(kRotating), f.k.Rotations(kRotating); v != 3 || n != 2 {
		t.Fatalf("rotated while KMS was down: %d versions, %d rotations", v, n)
	}
	var rot int
	for _, c := range f.changes {
		if c.What == WhatRotation && c.Detail == "automatic" {
			rot++
		}
	}
	if rot != 2 {
		t.Errorf("%d rotation changes reported, want 2", rot)
	}
}

func TestK9_RotationFollowsTheNewPrimary(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ReplicateKey(by, kRotating, usw2, nil, false))
	f.run(tCreate)
	f.ok(f.k.UpdatePrimaryRegion(by, kRotating, usw2))
	f.run(tUpdate)
	// The old primary (now a replica) being disabled does not stop rotation.
	f.ok(f.k.DisableKey(by, kRotating, use1))
	f.run(90 * sim.Day)
	if v := f.k.MaterialVersions(kRotating); v != 2 {
		t.Fatalf("%d versions, want 2", v)
	}
	if f.k.CopyMaterial(kRotating, use1) != 2 {
		t.Errorf("disabled replica lacks the shared material")
	}
}

func TestK9_RotateKeyOnDemandLimit(t *testing.T) {
	for _, key := range []int{kAlerts, kLegacy} {
		f := newFixture(t)
		for i := range MaxOnDemandRotations {
			if err := f.k.RotateKeyOnDemand(by, key); err != nil {
				t.Fatalf("%s: rotation %d: %v", f.k.Name(key), i+1, err)
			}
		}
		f.wantErr(f.k.RotateKeyOnDemand(by, key), CodeLimitExceeded, false)
		if v := f.k.MaterialVersions(key); v != 1+MaxOnDemandRotations {
			t.Errorf("%s: %d versions, want %d", f.k.Name(key), v, 1+MaxOnDemandRotations)
		}
	}
}

func TestK9_RotateKeyOnDemandErrors(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(f *fixture)
		code      string
		transient bool
	}{
		{"enabled", func(f *fixture) {}, "", false},
		{"primary disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, use1)) }, CodeDisabled, false},
		{"replica disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, usw2)) }, "", false},
		{"primary KMS down", func(f *fixture) { f.net.down[use1] = true }, CodeUnavailable, true},
		{"replica KMS down", func(f *fixture) { f.net.down[usw2] = true }, "", false},
		{"updating", func(f *fixture) { f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2)) }, CodeInvalidState, true},
		{"pending replica deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day)) },
			CodeInvalidState, false},
		{"sent to the new primary", func(f *fixture) {
			f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2))
			f.run(tUpdate)
			f.net.down[use1] = true
		}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			wantErr(t, f.k.RotateKeyOnDemand(by, kAlerts), tt.code, tt.transient)
			want := 2
			if tt.code != "" {
				want = 1
			}
			if v := f.k.MaterialVersions(kAlerts); v != want {
				t.Errorf("%d versions, want %d", v, want)
			}
		})
	}
}

func TestK9_RotationIsSetOnThePrimaryOnly(t *testing.T) {
	f := newFixture(t)
	f.wantErr(f.k.EnableKeyRotation(by, kAlerts, usw2, 365*sim.Day), CodeUnsupported, false)
	f.wantErr(f.k.DisableKeyRotation(by, kRotating, usw2), CodeNotFound, false)
	f.wantErr(f.k.EnableKeyRotation(by, kAlerts, use1, 89*sim.Day), CodeValidation, false)
	f.wantErr(f.k.EnableKeyRotation(by, kAlerts, use1, 2561*sim.Day), CodeValidation, false)
	f.ok(f.k.EnableKeyRotation(by, kAlerts, use1, DefaultRotationPeriod))
	if p := f.k.RotationPeriod(kAlerts); p != DefaultRotationPeriod {
		t.Errorf("RotationPeriod = %d", p)
	}
	f.run(DefaultRotationPeriod)
	if v := f.k.MaterialVersions(kAlerts); v != 2 {
		t.Errorf("%d versions after a period, want 2", v)
	}
	before := f.k.MaterialVersions(kRotating)
	if before != 5 {
		t.Errorf("rotating (90d) has %d versions after 365d, want 5", before)
	}
	f.ok(f.k.DisableKeyRotation(by, kRotating, use1))
	f.run(DefaultRotationPeriod)
	if v := f.k.MaterialVersions(kRotating); v != before {
		t.Errorf("rotation off, yet %d versions (was %d)", v, before)
	}
}

func TestK10_CryptoByState(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(f *fixture)
		region    int
		want      Reason
		transient bool
	}{
		{"enabled", func(f *fixture) {}, usw2, OK, false},
		{"disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kAlerts, usw2)) }, usw2, Disabled, false},
		{"creating", func(f *fixture) { f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false)) }, euw1, InvalidState, true},
		{"updating", func(f *fixture) { f.ok(f.k.UpdatePrimaryRegion(by, kAlerts, usw2)) }, usw2, OK, false},
		{"pending deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day)) },
			usw2, InvalidState, false},
		{"pending replica deletion", func(f *fixture) { f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day)) },
			use1, InvalidState, false},
		{"deleted", func(f *fixture) {
			f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
			f.run(7 * sim.Day)
		}, usw2, NotFound, false},
		{"cancelled deletion is disabled", func(f *fixture) {
			f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
			f.ok(f.k.CancelKeyDeletion(by, kAlerts, usw2))
		}, usw2, Disabled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			f.crypto(kAlerts, tt.region, tt.want, tt.region)
			if r, _ := f.k.Usable(kAlerts, tt.region); r != tt.want {
				t.Errorf("Usable = %v, want %v", r, tt.want)
			}
			if got := f.k.Transient(tt.want, kAlerts, tt.region); got != tt.transient {
				t.Errorf("Transient(%v) = %v, want %v", tt.want, got, tt.transient)
			}
		})
	}
}

func TestK11_DeletionWindowBounds(t *testing.T) {
	tests := []struct {
		window sim.Time
		code   string
	}{
		{7*sim.Day - 1, CodeValidation},
		{7 * sim.Day, ""},
		{DefaultDeletionWindow, ""},
		{30*sim.Day + 1, CodeValidation},
		{0, CodeValidation},
		{-sim.Day, CodeValidation},
	}
	for _, tt := range tests {
		f := newFixture(t)
		wantErr(t, f.k.ScheduleKeyDeletion(by, kAlerts, usw2, tt.window), tt.code, false)
	}
}

func TestK11_ReplicaDeletedIndependently(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 10*sim.Day))
	f.state(kAlerts, usw2, PendingDeletion)
	f.state(kAlerts, use1, Enabled)
	f.run(10*sim.Day - 1)
	f.state(kAlerts, usw2, PendingDeletion)
	f.run(1)
	f.state(kAlerts, usw2, Deleted)
	f.state(kAlerts, use1, Enabled)
	f.crypto(kAlerts, usw2, NotFound, usw2)
	f.crypto(kAlerts, use1, OK, use1)
	if f.k.Users(kAlerts, usw2) != nil || f.k.CopyMaterial(kAlerts, usw2) != 0 {
		t.Errorf("a deleted copy keeps policy or material")
	}
	f.wantErr(f.k.EnableKey(by, kAlerts, usw2), CodeNotFound, false)
	f.wantErr(f.k.CancelKeyDeletion(by, kAlerts, usw2), CodeNotFound, false)
}

func TestK11_PrimaryWithReplicasWaitsForReplicaDeletion(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false))
	f.run(tCreate)
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day))
	f.state(kAlerts, use1, PendingReplicaDeletion)
	f.crypto(kAlerts, use1, InvalidState, use1)
	f.run(30 * sim.Day)
	f.state(kAlerts, use1, PendingReplicaDeletion) // replicas still there
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, euw1, 20*sim.Day))
	f.run(7 * sim.Day)
	f.state(kAlerts, usw2, Deleted)
	f.state(kAlerts, use1, PendingReplicaDeletion) // euw1 still pending
	f.run(13 * sim.Day)
	f.state(kAlerts, euw1, Deleted)
	f.state(kAlerts, use1, PendingDeletion) // its own 7 days start now
	f.run(7*sim.Day - 1)
	f.state(kAlerts, use1, PendingDeletion)
	f.run(1)
	f.state(kAlerts, use1, Deleted)
	if got := f.stateChanges(kAlerts, use1); !slices.Equal(got, []State{PendingReplicaDeletion, PendingDeletion, Deleted}) {
		t.Errorf("primary changes = %v", got)
	}
	f.crypto(kAlerts, use1, NotFound, use1)
}

func TestK11_PrimaryWithoutReplicasIsPendingDeletion(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ScheduleKeyDeletion(by, kSolo, use1, 7*sim.Day))
	f.state(kSolo, use1, PendingDeletion)
	f.ok(f.k.ScheduleKeyDeletion(by, kLegacy, use1, 7*sim.Day))
	f.state(kLegacy, use1, PendingDeletion)
	f.run(7 * sim.Day)
	f.state(kSolo, use1, Deleted)
	f.state(kLegacy, use1, Deleted)
	f.crypto(kLegacy, usw2, NotFound, use1)
}

func TestK11_CancelKeyDeletionReturnsDisabled(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day))
	f.run(sim.Day)
	f.ok(f.k.CancelKeyDeletion(by, kAlerts, usw2))
	f.ok(f.k.CancelKeyDeletion(by, kAlerts, use1))
	f.state(kAlerts, usw2, StateDisabled)
	f.state(kAlerts, use1, StateDisabled)
	f.run(60 * sim.Day)
	f.state(kAlerts, usw2, StateDisabled) // the deletion event was cancelled
	f.state(kAlerts, use1, StateDisabled)
	f.wantErr(f.k.CancelKeyDeletion(by, kAlerts, usw2), CodeInvalidState, false)
	f.ok(f.k.EnableKey(by, kAlerts, usw2))
	f.crypto(kAlerts, usw2, OK, usw2)
	// Scheduling again works and deletes at the new window's end.
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
	f.run(7 * sim.Day)
	f.state(kAlerts, usw2, Deleted)
	f.state(kAlerts, use1, StateDisabled) // not pending: stays
}

func TestK11_CancelledReplicaDeletionKeepsPrimaryWaiting(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, use1, 7*sim.Day))
	f.ok(f.k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day))
	f.ok(f.k.CancelKeyDeletion(by, kAlerts, usw2))
	f.run(30 * sim.Day)
	f.state(kAlerts, use1, PendingReplicaDeletion)
	f.state(kAlerts, usw2, StateDisabled)
}

func TestK12_NoRelatedKeyInCallerRegionIsNotFound(t *testing.T) {
	f := newFixture(t)
	f.crypto(kAlerts, euw1, NotFound, euw1)
	// Even while KMS is down there, and even though the primary is reachable.
	f.net.down[euw1] = true
	f.crypto(kAlerts, euw1, NotFound, euw1)
	if f.k.Transient(NotFound, kAlerts, euw1) {
		t.Error("NotFound is transient")
	}
}

func TestK12_MultiRegionKeyResolvesInCallerRegion(t *testing.T) {
	f := newFixture(t)
	f.net.down[use1] = true
	f.crypto(kAlerts, usw2, OK, usw2)
	f.crypto(kAlerts, use1, Unavailable, use1)
	if !f.k.Transient(Unavailable, kAlerts, use1) || !f.k.Transient(Throttling, kAlerts, usw2) {
		t.Error("Unavailable/Throttling not transient")
	}
}

func TestK12_SingleRegionKeyIsCalledInItsHomeRegion(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *fixture)
		caller int
		want   Reason
	}{
		{"home", func(f *fixture) {}, use1, OK},
		{"cross-region", func(f *fixture) {}, usw2, OK},
		{"home KMS down", func(f *fixture) { f.net.down[use1] = true }, usw2, Unavailable},
		{"caller KMS down is irrelevant", func(f *fixture) { f.net.down[usw2] = true }, usw2, OK},
		{"partition", func(f *fixture) { f.net.cut[usw2][use1] = true }, usw2, Unavailable},
		{"partition, home caller", func(f *fixture) { f.net.cut[usw2][use1] = true }, use1, OK},
		{"disabled", func(f *fixture) { f.ok(f.k.DisableKey(by, kLegacy, use1)) }, euw1, Disabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			f.crypto(kLegacy, tt.caller, tt.want, use1)
		})
	}
}

func TestK13_DefaultQuotas(t *testing.T) {
	tests := []struct {
		region string
		want   float64
	}{
		{"us-east-1", 100000}, {"us-west-2", 100000}, {"eu-west-1", 100000},
		{"us-east-2", 20000}, {"ap-southeast-1", 20000}, {"ap-southeast-2", 20000},
		{"ap-northeast-1", 20000}, {"eu-central-1", 20000}, {"eu-west-2", 20000},
		{"us-west-1", 10000}, {"sa-east-1", 10000}, {"ap-south-1", 10000}, {"", 10000},
	}
	for _, tt := range tests {
		if got := DefaultQuota(tt.region); got != tt.want {
			t.Errorf("DefaultQuota(%q) = %v, want %v", tt.region, got, tt.want)
		}
	}
}

func TestK13_ThrottlingIsTransient(t *testing.T) {
	f := newFixture(t)
	if !f.k.Transient(Throttling, kAlerts, usw2) || !f.k.Transient(Throttling, kLegacy, usw2) {
		t.Error("ThrottlingException is not transient")
	}
}
