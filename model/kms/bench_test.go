package kms

import (
	"testing"

	"github.com/drsim/drsim/sim"
)

// cryptoMix sets up a mix of calls: successes, several failure reasons, both kinds
// of key.
func cryptoMix(f *fixture) {
	f.ok(f.k.DisableKey(by, kDrift, usw2))
	f.net.cut[usw2][use1] = true
}

func runCryptoMix(k *KMS) int {
	n := 0
	for key := range 5 {
		for r := range 3 {
			for _, p := range [...]string{"app", "ops", "nobody"} {
				if rr, _ := k.Crypto(p, key, r); rr == OK {
					n++
				}
			}
			if rr, _ := k.Usable(key, r); rr == OK {
				n++
			}
			if k.Transient(InvalidState, key, r) {
				n++
			}
		}
	}
	return n
}

func TestDataPlaneDoesNotAllocate(t *testing.T) {
	f := newFixture(t)
	cryptoMix(f)
	if a := testing.AllocsPerRun(100, func() { runCryptoMix(f.k) }); a != 0 {
		t.Errorf("Crypto/Usable/Transient allocate %v times per mix, want 0", a)
	}
}

func TestTrialsReuseMemory(t *testing.T) {
	eng := sim.NewEngine()
	k := New(testKeys(), testRegions, "1", &fakeNet{}, eng, nil)
	seed := uint64(0)
	a := testing.AllocsPerRun(100, func() {
		eng.Reset()
		seed++
		k.Reset(seed)
		if k.ReplicateKey(by, kAlerts, euw1, []string{"x"}, true) != nil ||
			k.PutKeyPolicy(by, kAlerts, usw2, []string{"y"}) != nil ||
			k.UpdatePrimaryRegion(by, kDrift, usw2) != nil ||
			k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day) != nil {
			t.Fatal("an operation failed")
		}
		eng.Run(400 * sim.Day)
	})
	if a != 0 {
		t.Errorf("a trial (Reset, successful operations, events) allocates %v times, want 0", a)
	}
}

// BenchmarkCrypto measures the per-evaluation check of the model.
func BenchmarkCrypto(b *testing.B) {
	eng := sim.NewEngine()
	net := &fakeNet{}
	k := New(testKeys(), testRegions, "1", net, eng, nil)
	k.Reset(1)
	net.cut[usw2][use1] = true
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if r, _ := k.Crypto("app", i%5, i%3); r == OK {
			n++
		}
	}
	if n == 0 {
		b.Fatal("no call succeeded")
	}
}

func BenchmarkUsable(b *testing.B) {
	eng := sim.NewEngine()
	k := New(testKeys(), testRegions, "1", &fakeNet{}, eng, nil)
	k.Reset(1)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k.Usable(i%5, i%3)
	}
}

func BenchmarkReset(b *testing.B) {
	eng := sim.NewEngine()
	k := New(testKeys(), testRegions, "1", &fakeNet{}, eng, nil)
	b.ReportAllocs()
	for i := uint64(0); b.Loop(); i++ {
		eng.Reset()
		k.Reset(i)
	}
}
