package scenarios

import (
	"os"
	"path/filepath"
	"slices"
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

// TestResolvedBases: Bases lists the files read through extends, in the
// order of the chain, without the scenario's own file or a bundled base;
// With keeps them.
func TestResolvedBases(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := write("base.toml", "extends = \"snowy\"\nname = \"base\"\n")
	mid := write("mid.toml", "extends = \"base.toml\"\nname = \"mid\"\n")
	top := write("top.toml", "extends = \"mid.toml\"\nname = \"top\"\n")
	for _, tc := range []struct {
		arg  string
		want []string
	}{
		{top, []string{mid, base}},
		{mid, []string{base}},
		{base, nil},
		{"snowy", nil},
	} {
		res, err := Open(tc.arg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Bases, tc.want) {
			t.Errorf("%s: Bases %q, want %q", tc.arg, res.Bases, tc.want)
		}
		next, err := res.With()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(next.Bases, tc.want) {
			t.Errorf("%s: With().Bases %q, want %q", tc.arg, next.Bases, tc.want)
		}
	}
}
