package kms

import (
	"slices"
	"testing"

	"github.com/drsim/drsim/sim"
)

// grayNet is a fakeNet with gray failures of KMS.
type grayNet struct {
	fakeNet
	rate [3]float64
}

func (n *grayNet) KMSErrorRate(r int) float64 { return n.rate[r] }

// adminFixture has one multi-Region key "guarded" (primary us-east-1,
// replica us-west-2) whose admins are platform-admin, and dr-operator in
// us-west-2 (admins_in).
func adminFixture(t *testing.T) (*fixture, *grayNet) {
	t.Helper()
	net := &grayNet{}
	f := &fixture{t: t, eng: sim.NewEngine()}
	keys := []Key{{Name: "guarded", MultiRegion: true, Primary: use1, Replicas: []int{usw2}, Users: []string{"app"},
		Admins:   []string{"platform-admin"},
		AdminsIn: []RegionUsers{{Region: usw2, Users: []string{"dr-operator"}}}}}
	f.k = New(keys, testRegions, "111122223333", net, f.eng, func(c Change) { f.changes = append(f.changes, c) })
	f.k.SetParams(Params{Creating: sim.ConstDist(tCreate), Updating: sim.ConstDist(tUpdate)})
	f.k.Reset(1)
	return f, net
}

var (
	platform = Caller{Principal: "platform-admin"}
	drOp     = Caller{Principal: "dr-operator"}
)

// TestG5_ReplicateKeyNeedsPrimaryAdmin: ReplicateKey is checked against the
// primary's admins (kms:ReplicateKey in the primary's key policy); a miss
// is AccessDeniedException, a refusal. The new replica's admins are
// admins_in[region], else admins.
func TestG5_ReplicateKeyNeedsPrimaryAdmin(t *testing.T) {
	f, _ := adminFixture(t)
	f.wantErr(f.k.ReplicateKey(drOp, 0, euw1, nil, false), CodeAccessDenied, false)
	f.state(0, euw1, Absent)
	f.ok(f.k.ReplicateKey(platform, 0, euw1, nil, false))
	f.run(tCreate)
	f.state(0, euw1, Enabled)
	// The new replica in eu-west-1 has the key's admins (no admins_in there).
	f.wantErr(f.k.DisableKey(drOp, 0, euw1), CodeAccessDenied, false)
	f.ok(f.k.DisableKey(platform, 0, euw1))
}

// TestG5_UpdatePrimaryRegionNeedsBothAdmins: UpdatePrimaryRegion needs
// kms:UpdatePrimaryRegion on the current primary and on the new one.
func TestG5_UpdatePrimaryRegionNeedsBothAdmins(t *testing.T) {
	f, _ := adminFixture(t)
	// dr-operator administers the us-west-2 copy only; platform-admin
	// every copy but that one.
	f.wantErr(f.k.UpdatePrimaryRegion(drOp, 0, usw2), CodeAccessDenied, false)
	f.wantErr(f.k.UpdatePrimaryRegion(platform, 0, usw2), CodeAccessDenied, false)
	if p := f.k.Primary(0); p != use1 {
		t.Fatalf("primary moved to %s", testRegions[p])
	}
	// Admitted by both: a wildcard in admins_in.
	f2 := newFixture(t)
	f2.ok(f2.k.UpdatePrimaryRegion(Caller{Principal: "anyone"}, kAlerts, usw2))
}

// TestG5_PerCopyOpsCheckThatCopy: enable, disable, put-key-policy and
// deletion scheduling are checked against the copy acted on.
func TestG5_PerCopyOpsCheckThatCopy(t *testing.T) {
	ops := []struct {
		name string
		do   func(k *KMS, by Caller, r int) error
	}{
		{"DisableKey", func(k *KMS, by Caller, r int) error { return k.DisableKey(by, 0, r) }},
		{"EnableKey", func(k *KMS, by Caller, r int) error { return k.EnableKey(by, 0, r) }},
		{"PutKeyPolicy", func(k *KMS, by Caller, r int) error { return k.PutKeyPolicy(by, 0, r, []string{"x"}) }},
		{"ScheduleKeyDeletion", func(k *KMS, by Caller, r int) error { return k.ScheduleKeyDeletion(by, 0, r, 7*sim.Day) }},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			f, _ := adminFixture(t)
			f.wantErr(op.do(f.k, drOp, use1), CodeAccessDenied, false)
			f.wantErr(op.do(f.k, platform, usw2), CodeAccessDenied, false)
			f.ok(op.do(f.k, drOp, usw2))
			f.ok(op.do(f.k, platform, use1))
		})
	}
	f, _ := adminFixture(t)
	f.ok(f.k.ScheduleKeyDeletion(drOp, 0, usw2, 7*sim.Day))
	f.wantErr(f.k.CancelKeyDeletion(platform, 0, usw2), CodeAccessDenied, false)
	f.ok(f.k.CancelKeyDeletion(drOp, 0, usw2))
	// Rotation is checked against the primary.
	f.wantErr(f.k.RotateKeyOnDemand(drOp, 0), CodeAccessDenied, false)
	f.ok(f.k.RotateKeyOnDemand(platform, 0))
	// PutKeyPolicy changes users, not admins.
	f.ok(f.k.PutKeyPolicy(platform, 0, use1, []string{"dr-operator"}))
	f.wantErr(f.k.DisableKey(drOp, 0, use1), CodeAccessDenied, false)
}

// TestG5_CheckOrder: reachability and gray failure first (transient), then
// admins (refusal), then key state.
func TestG5_CheckOrder(t *testing.T) {
	f, net := adminFixture(t)
	net.down[use1] = true
	f.wantErr(f.k.DisableKey(drOp, 0, use1), CodeUnavailable, true)
	f.wantErr(f.k.ReplicateKey(drOp, 0, euw1, nil, false), CodeUnavailable, true)
	net.down[use1] = false
	net.cut[use1][euw1] = true
	f.wantErr(f.k.ReplicateKey(drOp, 0, euw1, nil, false), CodeUnavailable, true)
	net.cut[use1][euw1] = false

	net.rate[use1] = 0.3
	f.wantErr(f.k.DisableKey(Caller{Principal: "dr-operator", U: 0.2}, 0, use1), CodeUnavailable, true)
	f.wantErr(f.k.DisableKey(Caller{Principal: "dr-operator", U: 0.4}, 0, use1), CodeAccessDenied, false)
	net.rate[use1] = 0

	// Admins before key state: a Disabled copy, disabled again by a
	// non-admin, is refused for the principal, not for the state.
	f.ok(f.k.DisableKey(drOp, 0, usw2))
	f.wantErr(f.k.UpdatePrimaryRegion(platform, 0, usw2), CodeAccessDenied, false)
	f.wantErr(f.k.UpdatePrimaryRegion(Caller{Principal: "x"}, 0, usw2), CodeAccessDenied, false)
}

// TestGrayControlPlane: a control-plane call fails with KMSUnavailable
// (transient) when its uniform is below the combined error rate of the
// Regions involved, 1 − Π(1 − e_r).
func TestGrayControlPlane(t *testing.T) {
	f, net := adminFixture(t)
	net.rate[use1], net.rate[usw2] = 0.3, 0.5 // combined 0.65
	for _, c := range []struct {
		u    float64
		fail bool
	}{{0.64, true}, {0.66, false}} {
		f2, net2 := adminFixture(t)
		net2.rate = net.rate
		err := f2.k.UpdatePrimaryRegion(Caller{Principal: "*", U: c.u}, 0, usw2)
		if c.fail {
			f2.wantErr(err, CodeUnavailable, true)
		} else if e, ok := err.(*Error); !ok || e.Code != CodeAccessDenied {
			// past the gray check, the admins refuse "*" as a principal
			t.Errorf("U=%g: %v, want AccessDeniedException (past the gray check)", c.u, err)
		}
	}
	// One Region: rate 0.3 in us-east-1.
	f.wantErr(f.k.RotateKeyOnDemand(Caller{Principal: "platform-admin", U: 0.29}, 0), CodeUnavailable, true)
	f.ok(f.k.RotateKeyOnDemand(Caller{Principal: "platform-admin", U: 0.31}, 0))
}

// TestWildcardPrincipals: "*" in users admits any principal to
// cryptography; in admins, to the control plane.
func TestWildcardPrincipals(t *testing.T) {
	eng := sim.NewEngine()
	keys := []Key{{Name: "open", MultiRegion: true, Primary: use1, Replicas: []int{usw2}, Users: []string{"*"},
		Admins: []string{"*"}, AdminsIn: []RegionUsers{{Region: usw2, Users: []string{}}}}}
	k := New(keys, testRegions, "111122223333", &fakeNet{}, eng, nil)
	k.Reset(1)
	if r, _ := k.Crypto("whoever", 0, use1); r != OK {
		t.Errorf("users [*]: Crypto by whoever = %v", r)
	}
	if err := k.DisableKey(Caller{Principal: "whoever"}, 0, use1); err != nil {
		t.Errorf("admins [*]: %v", err)
	}
	// An empty admins_in list admits nobody.
	wantErr(t, k.DisableKey(Caller{Principal: "whoever"}, 0, usw2), CodeAccessDenied, false)
	if !Allows([]string{"a", "*"}, "b") || Allows([]string{"a"}, "b") || Allows(nil, "a") {
		t.Error("Allows")
	}
	if got := keys[0].AdminsFor(euw1); !slices.Equal(got, []string{"*"}) {
		t.Errorf("AdminsFor(eu-west-1) = %v", got)
	}
	if got := (&Key{}).AdminsFor(euw1); !slices.Equal(got, []string{"*"}) {
		t.Errorf("default AdminsFor = %v, want [*]", got)
	}
}

// TestDryRun: a call with Caller.Probe set makes every check, records the
// gray failure of KMS it meets (its rate and the error it would return)
// and passes it, and changes nothing: every operation returns what the real
// call returns without gray failure, no state or policy changes and no
// event is scheduled.
func TestDryRun(t *testing.T) {
	calls := []struct {
		name string
		do   func(k *KMS, by Caller) error
	}{
		{"ReplicateKey", func(k *KMS, by Caller) error { return k.ReplicateKey(by, 0, euw1, nil, false) }},
		{"UpdatePrimaryRegion", func(k *KMS, by Caller) error { return k.UpdatePrimaryRegion(by, 0, usw2) }},
		{"DisableKey", func(k *KMS, by Caller) error { return k.DisableKey(by, 0, usw2) }},
		{"ScheduleKeyDeletion", func(k *KMS, by Caller) error { return k.ScheduleKeyDeletion(by, 0, usw2, 7*sim.Day) }},
		{"RotateKeyOnDemand", func(k *KMS, by Caller) error { return k.RotateKeyOnDemand(by, 0) }},
		{"PutKeyPolicy", func(k *KMS, by Caller) error { return k.PutKeyPolicy(by, 0, usw2, []string{"x"}) }},
		{"DisableKeyRotation", func(k *KMS, by Caller) error { return k.DisableKeyRotation(by, 0, use1) }},
	}
	for _, c := range calls {
		for _, who := range []Caller{platform, drOp} {
			t.Run(c.name+"/"+who.Principal, func(t *testing.T) {
				f, net := adminFixture(t)
				net.rate[use1], net.rate[usw2] = 0.3, 0.5
				var p GrayProbe
				dry := who
				dry.Probe = &p
				dryErr := c.do(f.k, dry)
				if len(f.changes) != 0 || f.eng.Pending() != 0 {
					t.Fatalf("dry run changed something: %d changes, %d events", len(f.changes), f.eng.Pending())
				}
				if p.Rate <= 0 || p.Err == nil {
					t.Errorf("probe %+v, want the gray failure recorded", p)
				}
				real := who
				real.U = 1 // passes every gray failure
				realErr := c.do(f.k, real)
				if (dryErr == nil) != (realErr == nil) || (dryErr != nil && dryErr.Error() != realErr.Error()) {
					t.Errorf("dry run: %v, real call: %v", dryErr, realErr)
				}
			})
		}
	}
}
