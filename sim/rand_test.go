package sim

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestStreamGolden pins the random streams: a change here changes every
// simulation result for a given seed.
func TestStreamGolden(t *testing.T) {
	var b bytes.Buffer
	for _, c := range []struct {
		seed          uint64
		trial         int
		name, purpose string
	}{
		{7, 0, "us-east-1 regional outage", "start"},
		{7, 0, "us-east-1 regional outage", "duration"},
		{7, 1, "us-east-1 regional outage", "start"},
		{1, 0, "alerts", "lag"},
		{1, 999, "runbook", "detect"},
	} {
		ts := TrialSeed(c.seed, c.trial)
		s := NewStream(ts, c.name, c.purpose)
		fmt.Fprintf(&b, "seed=%d trial=%d trialseed=%#016x %q/%q:", c.seed, c.trial, ts, c.name, c.purpose)
		for range 5 {
			fmt.Fprintf(&b, " %.17g", s.Uniform())
		}
		fmt.Fprintf(&b, "\n  substream k=0..2:")
		for k := range uint64(3) {
			fmt.Fprintf(&b, " %.17g", Substream(ts, c.name, c.purpose, k))
		}
		b.WriteByte('\n')
	}
	golden(t, "streams.golden", b.Bytes())
}

func firstUniforms(s Stream, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = s.Uniform()
	}
	return out
}

func TestStreamsDifferAndRepeat(t *testing.T) {
	base := NewStream(TrialSeed(7, 0), "outage", "start")
	want := firstUniforms(base, 8)
	if got := firstUniforms(NewStream(TrialSeed(7, 0), "outage", "start"), 8); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatal("the same stream gave different draws")
	}
	var reinit Stream
	reinit.Init(TrialSeed(7, 0), "outage", "start")
	if got := firstUniforms(reinit, 8); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatal("Init gave different draws from NewStream")
	}
	others := map[string]Stream{
		"other trial":       NewStream(TrialSeed(7, 1), "outage", "start"),
		"other seed":        NewStream(TrialSeed(8, 0), "outage", "start"),
		"other name":        NewStream(TrialSeed(7, 0), "outage2", "start"),
		"other purpose":     NewStream(TrialSeed(7, 0), "outage", "duration"),
		"shifted separator": NewStream(TrialSeed(7, 0), "outages", "tart"),
		"swapped":           NewStream(TrialSeed(7, 0), "start", "outage"),
	}
	for _, name := range []string{"other trial", "other seed", "other name", "other purpose", "shifted separator", "swapped"} {
		got := firstUniforms(others[name], 8)
		for i := range got {
			if got[i] == want[i] {
				t.Errorf("%s: draw %d equals the base stream's", name, i)
			}
		}
	}
}

func TestTrialSeedsDistinct(t *testing.T) {
	seen := make(map[uint64]int)
	for _, seed := range []uint64{0, 1, 2, 1 << 63} {
		for i := range 10000 {
			ts := TrialSeed(seed, i)
			if j, ok := seen[ts]; ok {
				t.Fatalf("TrialSeed(%d, %d) collides with entry %d", seed, i, j)
			}
			seen[ts] = i
		}
	}
}

// TestUniformMoments is a coarse check that the uniforms are in (0, 1) and
// uniform: mean, variance and a 10-bin chi-square over 100k draws.
func TestUniformMoments(t *testing.T) {
	s := NewStream(TrialSeed(3, 0), "moments", "u")
	const n = 100000
	var sum, sum2 float64
	var bins [10]int
	for range n {
		u := s.Uniform()
		if !(u > 0 && u < 1) {
			t.Fatalf("uniform %g outside (0, 1)", u)
		}
		sum += u
		sum2 += u * u
		bins[int(u*10)]++
	}
	mean, varc := sum/n, sum2/n-(sum/n)*(sum/n)
	if math.Abs(mean-0.5) > 0.005 || math.Abs(varc-1.0/12) > 0.002 {
		t.Errorf("mean %g, variance %g; want 0.5, 0.0833", mean, varc)
	}
	var chi2 float64
	for _, c := range bins {
		d := float64(c) - n/10
		chi2 += d * d / (n / 10)
	}
	if chi2 > 30 { // 9 degrees of freedom: p < 0.0005
		t.Errorf("chi-square %g over 10 bins", chi2)
	}
	if toUniform(0) <= 0 || toUniform(math.MaxUint64) >= 1 {
		t.Error("toUniform reaches 0 or 1")
	}
}

func TestSubstream(t *testing.T) {
	ts := TrialSeed(5, 3)
	ss := NewSubstreams(ts, "alert-state", "backup-copy")
	seen := make(map[float64]uint64)
	for k := range uint64(1000) {
		u := ss.Uniform(k)
		if u != Substream(ts, "alert-state", "backup-copy", k) {
			t.Fatalf("Substreams.Uniform(%d) differs from Substream", k)
		}
		if !(u > 0 && u < 1) {
			t.Fatalf("Substream(%d) = %g outside (0, 1)", k, u)
		}
		if j, ok := seen[u]; ok {
			t.Fatalf("counters %d and %d give the same uniform", j, k)
		}
		seen[u] = k
	}
	// Evaluation order does not matter and nothing is stepped.
	if a, b := ss.Uniform(500), ss.Uniform(500); a != b {
		t.Fatal("Substreams.Uniform is not a pure function of k")
	}
	if Substream(ts, "alert-state", "backup-copy", 0) == Substream(ts, "alert-state", "backup-copy2", 0) ||
		Substream(ts, "alert-state", "backup-copy", 0) == Substream(TrialSeed(5, 4), "alert-state", "backup-copy", 0) {
		t.Fatal("substreams of different purposes or trials coincide")
	}
	s := NewStream(ts, "alert-state", "backup-copy")
	if s.Uniform() == ss.Uniform(0) {
		t.Fatal("substream counter 0 equals the sequential stream's first draw")
	}
	if got, want := ss.Draw(ConstDist(Minute), 9), Minute; got != want {
		t.Fatalf("Draw = %d, want %d", got, want)
	}
}

// TestStreamKey: a stream set up from a precomputed key is the stream of
// its names.
func TestStreamKey(t *testing.T) {
	a := NewStream(42, "step/dns", "attempt")
	var b Stream
	b.InitKey(42, NewStreamKey("step/dns", "attempt"))
	for i := 0; i < 10; i++ {
		if x, y := a.Uniform(), b.Uniform(); x != y {
			t.Fatalf("draw %d: %v vs %v", i, x, y)
		}
	}
}
