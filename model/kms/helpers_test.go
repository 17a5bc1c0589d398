package kms

import (
	"slices"
	"testing"

	"github.com/drsim/drsim/sim"
)

// Regions of the test fixture.
const (
	euw1 = 0 // eu-west-1: no copy at t=0
	use1 = 1 // us-east-1: primaries and home Region
	usw2 = 2 // us-west-2: replicas
)

// Keys of the test fixture.
const (
	kAlerts   = 0 // multi-Region, primary us-east-1, replica us-west-2
	kDrift    = 1 // multi-Region with users_in for eu-west-1 and us-west-2
	kLegacy   = 2 // single-Region in us-east-1
	kRotating = 3 // multi-Region, no replica, rotation 90d
	kSolo     = 4 // multi-Region, no replica, no rotation
)

var testRegions = []string{"eu-west-1", "us-east-1", "us-west-2"}

func testKeys() []Key {
	return []Key{
		{Name: "alerts", MultiRegion: true, Primary: use1, Replicas: []int{usw2}, Users: []string{"app", "ops"}},
		{Name: "drift", MultiRegion: true, Primary: use1, Replicas: []int{usw2}, Users: []string{"app", "ops"},
			UsersIn: []RegionUsers{{Region: euw1, Users: []string{"eu-ops"}}, {Region: usw2, Users: []string{"ops"}}}},
		{Name: "legacy", Primary: use1, Users: []string{"app"}},
		{Name: "rotating", MultiRegion: true, Primary: use1, Users: []string{"app"}, Rotation: 90 * sim.Day},
		{Name: "solo", MultiRegion: true, Primary: use1, Users: []string{"app"}},
	}
}

// fakeNet is a Net whose outages tests set directly.
type fakeNet struct {
	down [3]bool
	cut  [3][3]bool
}

func (n *fakeNet) KMSUp(r int) bool { return r >= 0 && r < len(n.down) && !n.down[r] }

func (n *fakeNet) Linked(a, b int) bool {
	if a == b {
		return true
	}
	if a < 0 || b < 0 || a >= 3 || b >= 3 {
		return false
	}
	return !n.cut[a][b] && !n.cut[b][a]
}

type fixture struct {
	t       *testing.T
	eng     *sim.Engine
	net     *fakeNet
	k       *KMS
	changes []Change
}

// Fixed transition times of the fixture.
const (
	tCreate = 5 * sim.Second
	tUpdate = 3 * sim.Second
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, eng: sim.NewEngine(), net: &fakeNet{}}
	f.k = New(testKeys(), testRegions, "111122223333", f.net, f.eng, func(c Change) { f.changes = append(f.changes, c) })
	f.k.SetParams(Params{Creating: sim.ConstDist(tCreate), Updating: sim.ConstDist(tUpdate)})
	f.k.Reset(1)
	return f
}

// run advances the engine by d.
func (f *fixture) run(d sim.Time) { f.eng.Run(f.eng.Now() + d) }

// ok fails the test if err is not nil.
func (f *fixture) ok(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("unexpected error: %v", err)
	}
}

// wantErr checks an error's AWS code and transience.
func (f *fixture) wantErr(err error, code string, transient bool) {
	f.t.Helper()
	wantErr(f.t, err, code, transient)
}

func wantErr(t *testing.T, err error, code string, transient bool) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got %v, want success", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got success, want %s", code)
	}
	e, isErr := err.(*Error)
	if !isErr {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	if e.Code != code || e.Transient != transient {
		t.Fatalf("got %s (transient %v): %v, want %s (transient %v)", e.Code, e.Transient, err, code, transient)
	}
}

// state checks a copy's state.
func (f *fixture) state(key, region int, want State) {
	f.t.Helper()
	if got := f.k.State(key, region); got != want {
		f.t.Fatalf("state of key %d in %s = %s, want %s", key, testRegions[region], got, want)
	}
}

// crypto checks a Crypto call by principal "app".
func (f *fixture) crypto(key, caller int, want Reason, wantTarget int) {
	f.t.Helper()
	r, tg := f.k.Crypto("app", key, caller)
	if r != want || tg != wantTarget {
		f.t.Fatalf("Crypto(app, %d, %s) = %v, %d; want %v, %d", key, testRegions[caller], r, tg, want, wantTarget)
	}
}

// stateChanges returns the state changes reported for (key, region).
func (f *fixture) stateChanges(key, region int) []State {
	var s []State
	for _, c := range f.changes {
		if c.Key == key && c.Region == region && c.What == WhatState {
			s = append(s, c.To)
		}
	}
	return s
}

func TestFixtureStartsAtScenarioState(t *testing.T) {
	f := newFixture(t)
	want := map[[2]int]State{
		{kAlerts, use1}: Enabled, {kAlerts, usw2}: Enabled, {kAlerts, euw1}: Absent,
		{kLegacy, use1}: Enabled, {kLegacy, usw2}: Absent,
		{kRotating, use1}: Enabled, {kRotating, usw2}: Absent,
	}
	for kr, s := range want {
		f.state(kr[0], kr[1], s)
	}
	if got := f.k.Users(kDrift, usw2); !slices.Equal(got, []string{"ops"}) {
		t.Errorf("drift users in us-west-2 = %v, want [ops] (users_in)", got)
	}
	if got := f.k.Users(kDrift, use1); !slices.Equal(got, []string{"app", "ops"}) {
		t.Errorf("drift users in us-east-1 = %v, want [app ops]", got)
	}
	if len(f.changes) != 0 {
		t.Errorf("Reset reported %d changes, want 0", len(f.changes))
	}
	if f.eng.Pending() != 1 {
		t.Errorf("pending events after Reset = %d, want 1 (the rotation of %q)", f.eng.Pending(), "rotating")
	}
}

// by is the caller of the tests' control-plane calls: the default operator,
// an admin of every copy whose admins are the default ("*").
var by = Caller{Principal: "operator"}
