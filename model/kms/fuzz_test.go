package kms

import (
	"fmt"
	"slices"
	"testing"

	"github.com/drsim/drsim/sim"
)

// FuzzOperations drives the model with arbitrary operations, outages and
// time steps (invalid indices included) and checks its invariants after
// every step.
func FuzzOperations(f *testing.F) {
	f.Add([]byte{0, 0, 2, 9, 1, 0, 0, 3, 0, 1, 4, 1, 1, 5, 0, 2})
	f.Add([]byte{4, 0, 1, 4, 0, 2, 9, 0, 0, 5, 0, 1, 9, 0, 0, 10, 1, 7})
	f.Add([]byte{1, 1, 2, 2, 1, 1, 8, 3, 0, 9, 4, 4, 6, 0, 0, 7, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		eng := sim.NewEngine()
		net := &fakeNet{}
		var k *KMS
		var bad string
		k = New(testKeys(), testRegions, "1", net, eng, func(c Change) {
			if bad != "" {
				return
			}
			if c.What == WhatState && (c.From == c.To || k.State(c.Key, c.Region) != c.To) {
				bad = fmt.Sprintf("bad change %+v (state now %s)", c, k.State(c.Key, c.Region))
			}
		})
		k.Reset(uint64(len(data)))
		users := [][]string{nil, {"app"}, {"ops", "app"}}
		for i := 0; i+2 < len(data); i += 3 {
			op, key, r := data[i]%12, int(data[i+1]%7)-1, int(data[i+2]%5)-1
			var err error
			switch op {
			case 0:
				err = k.ReplicateKey(by, key, r, users[data[i+1]%3], data[i+2]&8 != 0)
			case 1:
				err = k.UpdatePrimaryRegion(by, key, r)
			case 2:
				err = k.EnableKey(by, key, r)
			case 3:
				err = k.DisableKey(by, key, r)
			case 4:
				err = k.ScheduleKeyDeletion(by, key, r, sim.Time(data[i+2]%40)*sim.Day)
			case 5:
				err = k.CancelKeyDeletion(by, key, r)
			case 6:
				err = k.RotateKeyOnDemand(by, key)
			case 7:
				err = k.PutKeyPolicy(by, key, r, users[data[i+2]%3])
			case 8:
				if r >= 0 && r < 3 {
					net.down[r] = !net.down[r]
				}
			case 9:
				eng.Run(eng.Now() + sim.Time(data[i+1])*sim.Time(data[i+2])*sim.Hour)
			case 10:
				if r >= 0 && r < 3 && key >= 0 && key < 3 {
					net.cut[key][r] = !net.cut[key][r]
				}
			case 11:
				err = k.EnableKeyRotation(by, key, r, sim.Time(data[i+2])*30*sim.Day)
			}
			if err != nil {
				if _, isErr := err.(*Error); !isErr || ErrorCode(err) == "" || err.Error() == "" {
					t.Fatalf("step %d: malformed error %T %v", i/3, err, err)
				}
			}
			if bad != "" {
				t.Fatalf("step %d: %s", i/3, bad)
			}
			checkInvariants(t, k, net)
		}
		eng.Run(sim.Forever - 1)
		checkInvariants(t, k, net)
	})
}

func checkInvariants(t *testing.T, k *KMS, net *fakeNet) {
	t.Helper()
	for key := range k.NumKeys() {
		kd := &k.keys[key]
		p := k.Primary(key)
		if p < 0 || p >= len(testRegions) {
			t.Fatalf("%s: primary %d", kd.Name, p)
		}
		if ps := k.State(key, p); ps == Absent {
			t.Fatalf("%s: primary copy is Absent", kd.Name)
		}
		if k.State(key, p) == PendingReplicaDeletion && !k.hasReplicas(key) {
			t.Fatalf("%s: PendingReplicaDeletion without replicas", kd.Name)
		}
		if k.MaterialVersions(key) != 1+k.Rotations(key) {
			t.Fatalf("%s: %d versions, %d rotations", kd.Name, k.MaterialVersions(key), k.Rotations(key))
		}
		for r := range testRegions {
			st := k.State(key, r)
			c := k.copyAt(key, r)
			if !kd.MultiRegion && r != kd.Primary && st != Absent {
				t.Fatalf("%s: single-Region key has a copy in %s", kd.Name, testRegions[r])
			}
			if (st == Creating || st == Updating) != (c.trans != sim.Handle{}) {
				t.Fatalf("%s/%s: %s with transition handle %v", kd.Name, testRegions[r], st, c.trans)
			}
			if (st == PendingDeletion) != (c.del != sim.Handle{}) {
				t.Fatalf("%s/%s: %s with deletion handle %v", kd.Name, testRegions[r], st, c.del)
			}
			if st.Exists() != (k.CopyMaterial(key, r) == k.MaterialVersions(key)) {
				t.Fatalf("%s/%s: %s holds %d of %d versions", kd.Name, testRegions[r], st, k.CopyMaterial(key, r), k.MaterialVersions(key))
			}
			for _, who := range []string{"app", "ops"} {
				reason, target := k.Crypto(who, key, r)
				want := r
				if !kd.MultiRegion {
					want = kd.Primary
				}
				if target != want {
					t.Fatalf("%s from %s: target %d, want %d", kd.Name, testRegions[r], target, want)
				}
				if reason == OK && (!k.State(key, target).CryptoOK() || !slices.Contains(k.Users(key, target), who) ||
					!net.KMSUp(target) || !net.Linked(r, target)) {
					t.Fatalf("%s from %s by %s: OK in state %s", kd.Name, testRegions[r], who, k.State(key, target))
				}
			}
		}
	}
}
