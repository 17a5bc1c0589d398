package kms

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestResetRestoresTheInitialState(t *testing.T) {
	f := newFixture(t)
	f.ok(f.k.ReplicateKey(by, kAlerts, euw1, nil, false))
	f.ok(f.k.PutKeyPolicy(by, kAlerts, usw2, []string{"nobody"}))
	f.ok(f.k.UpdatePrimaryRegion(by, kDrift, usw2))
	f.ok(f.k.ScheduleKeyDeletion(by, kLegacy, use1, 7*sim.Day))
	f.ok(f.k.RotateKeyOnDemand(by, kSolo))
	f.run(400 * sim.Day)
	f.state(kLegacy, use1, Deleted)

	f.eng.Reset()
	f.k.Reset(2)
	fresh := newFixture(t)
	for key := range testKeys() {
		if f.k.Primary(key) != fresh.k.Primary(key) || f.k.MaterialVersions(key) != 1 ||
			f.k.Rotations(key) != 0 || f.k.OnDemandRotations(key) != 0 ||
			f.k.RotationPeriod(key) != fresh.k.RotationPeriod(key) {
			t.Errorf("key %s not reset", f.k.Name(key))
		}
		for r := range testRegions {
			if f.k.State(key, r) != fresh.k.State(key, r) || !slices.Equal(f.k.Users(key, r), fresh.k.Users(key, r)) {
				t.Errorf("copy %s/%s: %s %v, want %s %v", f.k.Name(key), testRegions[r],
					f.k.State(key, r), f.k.Users(key, r), fresh.k.State(key, r), fresh.k.Users(key, r))
			}
		}
	}
	if f.eng.Pending() != 1 {
		t.Errorf("%d events pending after Reset, want 1", f.eng.Pending())
	}
	// The reset trial runs like a fresh one.
	f.run(90 * sim.Day)
	if f.k.MaterialVersions(kRotating) != 2 {
		t.Errorf("rotation not rescheduled by Reset")
	}
}

// enabledAt replicates key into euw1 at t=0 with the default parameters and
// returns when the replica becomes Enabled.
func enabledAt(t *testing.T, keys []Key, key int, seed uint64) sim.Time {
	t.Helper()
	eng := sim.NewEngine()
	var at sim.Time = -1
	k := New(keys, testRegions, "1", &fakeNet{}, eng, func(c Change) {
		if c.Key == key && c.Region == euw1 && c.To == Enabled {
			at = eng.Now()
		}
	})
	k.Reset(seed)
	if err := k.ReplicateKey(by, key, euw1, nil, false); err != nil {
		t.Fatal(err)
	}
	eng.Run(sim.Minute)
	return at
}

func TestTransitionDrawsComeFromPerKeyStreams(t *testing.T) {
	keys := testKeys()
	d := DefaultParams().Creating
	for seed := range uint64(20) {
		got := enabledAt(t, keys, kAlerts, seed)
		s := sim.NewStream(seed, "kms/alerts", "creating")
		if want := s.Draw(d); got != want {
			t.Fatalf("seed %d: Enabled at %d, want %d (stream kms/alerts creating)", seed, got, want)
		}
		if got < 2*sim.Second || got > 10*sim.Second {
			t.Fatalf("seed %d: Creating lasted %v, outside the default uniform(2s, 10s)", seed, got)
		}
		// Adding a key in front changes indices, not draws.
		more := append([]Key{{Name: "aaa", MultiRegion: true, Primary: use1}}, keys...)
		if other := enabledAt(t, more, kAlerts+1, seed); other != got {
			t.Fatalf("seed %d: adding a key moved the draw from %d to %d", seed, got, other)
		}
	}
	if enabledAt(t, keys, kAlerts, 1) == enabledAt(t, keys, kAlerts, 2) {
		t.Errorf("seeds 1 and 2 give the same Creating time")
	}
}

func TestUpdatingDrawIsSharedByBothCopies(t *testing.T) {
	eng := sim.NewEngine()
	var ends []sim.Time
	k := New(testKeys(), testRegions, "1", &fakeNet{}, eng, func(c Change) {
		if c.What == WhatState && c.From == Updating {
			ends = append(ends, eng.Now())
		}
	})
	k.Reset(9)
	if err := k.UpdatePrimaryRegion(by, kAlerts, usw2); err != nil {
		t.Fatal(err)
	}
	eng.Run(sim.Minute)
	s := sim.NewStream(9, "kms/alerts", "updating")
	want := s.Draw(DefaultParams().Updating)
	if len(ends) != 2 || ends[0] != want || ends[1] != want {
		t.Errorf("Updating ended at %v, want twice %d", ends, want)
	}
}

// TestGoldenTrace runs a scripted timeline and compares the reported
// changes and errors with testdata/trace.golden (go test -update rewrites it).
func TestGoldenTrace(t *testing.T) {
	var b strings.Builder
	eng := sim.NewEngine()
	net := &fakeNet{}
	k := New(testKeys(), testRegions, "111122223333", net, eng, func(c Change) {
		fmt.Fprintf(&b, "%-12s %-8s %-9s %-9s %-22s -> %-22s %s\n", fmtTime(eng.Now()), c.What,
			keyName(c.Key), testRegions[c.Region], c.From, c.To, c.Detail)
	})
	k.Reset(42)
	type step struct {
		at   sim.Time
		name string
		do   func() error
	}
	steps := []step{
		{0, "replicate alerts to eu-west-1", func() error { return k.ReplicateKey(by, kAlerts, euw1, []string{"ops"}, true) }},
		{sim.Second, "promote eu-west-1 while Creating", func() error { return k.UpdatePrimaryRegion(by, kAlerts, euw1) }},
		{sim.Minute, "promote eu-west-1", func() error { return k.UpdatePrimaryRegion(by, kAlerts, euw1) }},
		{2 * sim.Minute, "disable old primary", func() error { return k.DisableKey(by, kAlerts, use1) }},
		{3 * sim.Minute, "KMS down in us-west-2", func() error { net.down[usw2] = true; return nil }},
		{4 * sim.Minute, "schedule us-west-2 deletion", func() error { return k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day) }},
		{5 * sim.Minute, "KMS up in us-west-2", func() error { net.down[usw2] = false; return nil }},
		{6 * sim.Minute, "schedule us-west-2 deletion", func() error { return k.ScheduleKeyDeletion(by, kAlerts, usw2, 7*sim.Day) }},
		{7 * sim.Minute, "schedule primary deletion", func() error { return k.ScheduleKeyDeletion(by, kAlerts, euw1, 10*sim.Day) }},
		{8 * sim.Minute, "put policy on legacy", func() error { return k.PutKeyPolicy(by, kLegacy, use1, []string{"app", "ops"}) }},
		{9 * sim.Minute, "rotate legacy", func() error { return k.RotateKeyOnDemand(by, kLegacy) }},
		{2 * sim.Day, "cancel primary deletion", func() error { return k.CancelKeyDeletion(by, kAlerts, euw1) }},
		{3 * sim.Day, "schedule old primary deletion", func() error { return k.ScheduleKeyDeletion(by, kAlerts, use1, 30*sim.Day) }},
	}
	for _, s := range steps {
		eng.Run(s.at)
		err := s.do()
		fmt.Fprintf(&b, "%-12s call     %s: ", fmtTime(eng.Now()), s.name)
		if err != nil {
			fmt.Fprintf(&b, "%v (transient %v)\n", err, IsTransient(err))
		} else {
			b.WriteString("ok\n")
		}
	}
	eng.Run(400 * sim.Day)
	fmt.Fprintf(&b, "end: primary %s, material %d, rotations %d\n",
		testRegions[k.Primary(kAlerts)], k.MaterialVersions(kAlerts), k.Rotations(kRotating))
	golden(t, "trace.golden", b.String())
}

func keyName(key int) string { return testKeys()[key].Name }

func fmtTime(t sim.Time) string {
	d := t / sim.Day
	rest := t % sim.Day
	return fmt.Sprintf("%dd%02d:%02d:%02d.%03d", d, rest/sim.Hour, rest%sim.Hour/sim.Minute,
		rest%sim.Minute/sim.Second, rest%sim.Second/sim.Millisecond)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
