package report

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/drsim/drsim/report/internal/fixture"
)

// shardTrials runs shard i of n of a run of trials trials of cfg.
func runRange(t testing.TB, from, to, workers int) *Trials {
	t.Helper()
	tr := NewTrials(fixture.SnowyConfig(), 7, from)
	if err := tr.Run(context.Background(), to, workers, nil); err != nil {
		t.Fatal(err)
	}
	return tr
}

func partialOf(t testing.TB, tr *Trials, trials int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WritePartial(&b, tr, PartialHeader{Digest: Digest([]byte("snowy")), Trials: trials, ResolvedTOML: "name = 'x'"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestShardMergeByteIdentical: 4 shards of a run, written as partial
// results, read back and merged in any order, give the report of the
// unsharded run byte for byte; a partial's bytes do not depend on the
// workers that ran it.
func TestShardMergeByteIdentical(t *testing.T) {
	const n = 1001
	whole := runRange(t, 0, n, 2)
	var want bytes.Buffer
	if err := WriteJSON(&want, BuildTrials(whole, nil, nil)); err != nil {
		t.Fatal(err)
	}
	var parts []*Partial
	for i := 4; i >= 1; i-- {
		from, to := ShardRange(i, 4, n)
		data := partialOf(t, runRange(t, from, to, 2), n)
		if again := partialOf(t, runRange(t, from, to, 1), n); !bytes.Equal(data, again) {
			t.Errorf("shard %d: the partial depends on the workers", i)
		}
		p, err := ReadPartial(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.From != from || p.Header.To != to || p.Header.Trials != n {
			t.Fatalf("shard %d: header %+v", i, p.Header)
		}
		parts = append(parts, p)
	}
	merged, err := Merge(fixture.SnowyConfig(), parts)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := WriteJSON(&got, BuildTrials(merged, nil, nil)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("the merged report differs from the unsharded one")
	}
	var c1, c2 bytes.Buffer
	if err := WriteTrialsCSV(&c1, whole); err != nil {
		t.Fatal(err)
	}
	if err := WriteTrialsCSV(&c2, merged); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c1.Bytes(), c2.Bytes()) {
		t.Error("the merged per-trial CSV differs")
	}
	if merged.Representative() != whole.Representative() {
		t.Error("representative trial differs")
	}
}

// TestMergeRefuses: partials of other scenarios, seeds or trial counts, and
// ranges with gaps or overlaps, are refused with a message that says so.
func TestMergeRefuses(t *testing.T) {
	const n = 100
	mk := func(from, to int, mod func(h *PartialHeader)) *Partial {
		p, err := ReadPartial(bytes.NewReader(partialOf(t, runRange(t, from, to, 1), n)))
		if err != nil {
			t.Fatal(err)
		}
		if mod != nil {
			mod(&p.Header)
		}
		return p
	}
	cases := []struct {
		name  string
		parts []*Partial
		want  string
	}{
		{"scenario", []*Partial{mk(0, 50, nil), mk(50, 100, func(h *PartialHeader) { h.Digest = "sha256:other" })}, "different scenarios"},
		{"seed", []*Partial{mk(0, 50, nil), mk(50, 100, func(h *PartialHeader) { h.Seed = 8 })}, "different seeds"},
		{"trials", []*Partial{mk(0, 50, nil), mk(50, 100, func(h *PartialHeader) { h.Trials = 200 })}, "different trial counts"},
		{"gap", []*Partial{mk(0, 40, nil), mk(50, 100, nil)}, "trials 40 to 49 are missing"},
		{"end", []*Partial{mk(0, 50, nil)}, "trials 50 to 99 are missing"},
		{"overlap", []*Partial{mk(0, 60, nil), mk(50, 100, nil)}, "trials 50 to 59 are in more than one partial"},
		{"none", nil, "no partial"},
	}
	for _, c := range cases {
		_, err := Merge(fixture.SnowyConfig(), c.parts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestShardRange(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 7} {
		for _, trials := range []int{0, 1, 5, 1000, 1001, 1 << 40} {
			prev := 0
			for i := 1; i <= n; i++ {
				from, to := ShardRange(i, n, trials)
				if from != prev || to < from || to != i*trials/n && trials < 1<<40 {
					t.Fatalf("n=%d trials=%d shard %d: [%d, %d)", n, trials, i, from, to)
				}
				prev = to
			}
			if prev != trials {
				t.Fatalf("n=%d trials=%d: shards end at %d", n, trials, prev)
			}
		}
	}
}

// FuzzReadPartial: the partial-result decoder never panics, hangs or
// allocates without bound on any input; what it accepts merges and builds
// a report. The input is the decompressed content of a file (the gzip
// layer is the standard library's), so that mutations reach the decoder.
func FuzzReadPartial(f *testing.F) {
	tr := runRange(f, 0, 40, 1)
	good := partialOf(f, tr, 40)
	zr, err := gzip.NewReader(bytes.NewReader(good))
	if err != nil {
		f.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	f.Add([]byte{})
	f.Add([]byte(partialMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePartial(bytes.NewReader(data))
		if err != nil {
			return
		}
		if p.Header.Stores == 2 && p.Header.Ops == 4 && p.Header.Regions == 2 && p.Header.From == 0 && p.Header.To == p.Header.Trials {
			if m, err := Merge(fixture.SnowyConfig(), []*Partial{p}); err == nil {
				BuildTrials(m, nil, nil)
			}
		}
	})
}

// TestOpenPartialNotPartial: a file that never was a partial result (text,
// however short) is "not a partial result"; one that starts as gzip does
// but is cut short in its header, or a partial cut short, is damaged.
func TestOpenPartialNotPartial(t *testing.T) {
	whole := partialOf(t, runRange(t, 0, 10, 1), 10)
	for _, c := range []struct {
		name    string
		data    []byte
		damaged bool
	}{
		{"3-byte text", []byte("hi\n"), false},
		{"1 byte", []byte("x"), false},
		{"text", []byte("not a partial result at all, but long enough for a gzip header"), false},
		{"a scenario", []byte("name = \"x\"\nhorizon = \"1d\"\n"), false},
		{"gzip magic only", whole[:2], true},
		{"gzip ID1 only", whole[:1], true},
		{"gzip header cut", whole[:6], true},
		{"partial cut", whole[:len(whole)/2], true},
	} {
		_, err := ReadPartial(bytes.NewReader(c.data))
		var np *NotPartialError
		var de *DamagedError
		switch {
		case c.damaged && !errors.As(err, &de):
			t.Errorf("%s: %v, want a DamagedError", c.name, err)
		case !c.damaged && !errors.As(err, &np):
			t.Errorf("%s: %v, want a NotPartialError", c.name, err)
		}
	}
}
