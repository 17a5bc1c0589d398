package scenarios

import (
	"path/filepath"
	"testing"
)

// TestLocatorRoundTrip: the locator of every bundled, shared and test
// scenario survives MarshalLocator and UnmarshalLocator, and the resolved
// TOML is the same bytes at every load: what a shard's partial file relies
// on to be merged without the original files.
func TestLocatorRoundTrip(t *testing.T) {
	args := []string{}
	for _, info := range Bundled() {
		args = append(args, info.Name)
	}
	files, _ := filepath.Glob("testdata/*.toml")
	args = append(args, files...)
	shared, _ := filepath.Glob("../../shared/scenarios/*.toml")
	args = append(args, shared...)
	for _, arg := range args {
		r, err := Open(arg)
		if err != nil {
			t.Errorf("%s: %v", arg, err)
			continue
		}
		data, err := r.TOML()
		if err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		again, err := Open(arg)
		if err != nil {
			t.Fatal(err)
		}
		if d2, _ := again.TOML(); string(d2) != string(data) {
			t.Errorf("%s: the resolved TOML is not deterministic", arg)
		}
		lj, err := MarshalLocator(r.Locator)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := UnmarshalLocator(lj)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"", "keys", "failover.steps[0]", "failover.steps[1].op", "objectives.rto", "nothing.here"} {
			a, wa := r.Locator.Locate(p)
			b, wb := loc.Locate(p)
			if a != b || wa != wb {
				t.Errorf("%s: Locate(%q) = %v %v, after the round trip %v %v", arg, p, a, wa, b, wb)
			}
		}
	}
}
