package report

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/drsim/drsim/report/internal/fixture"
)

// TestMergerDecodesInPlace: a Merger decodes the partials straight into
// the run's records: reading them allocates a small fraction of the
// merged trials' size (buffers and the decompressor, per file), where
// decoding each partial whole and copying it allocated more than the
// merged trials again. The merged trials equal the run's.
func TestMergerDecodesInPlace(t *testing.T) {
	const n, shards = 40000, 4
	whole := runRange(t, 0, n, 2)
	var files [][]byte
	for i := 1; i <= shards; i++ {
		from, to := ShardRange(i, shards, n)
		files = append(files, partialOf(t, runRange(t, from, to, 2), n))
	}
	var hdrs []PartialInfo
	for i, f := range files {
		p, err := OpenPartial(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		hdrs = append(hdrs, PartialInfo{Name: string(rune('a' + i)), Header: p.Header})
		p.Close()
	}
	if err := CheckPartials(hdrs); err != nil {
		t.Fatal(err)
	}
	m, err := NewMerger(fixture.SnowyConfig(), &hdrs[0].Header)
	if err != nil {
		t.Fatal(err)
	}
	size := uint64(len(m.t.recs))*56 + uint64(len(m.t.stores)+len(m.t.ops))*8
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := shards - 1; i >= 0; i-- { // any order
		p, err := OpenPartial(bytes.NewReader(files[i]))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Read(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		p.Close()
	}
	runtime.ReadMemStats(&after)
	t.Logf("read allocations %d bytes for merged trials of %d bytes", after.TotalAlloc-before.TotalAlloc, size)
	if got := after.TotalAlloc - before.TotalAlloc; got > size/2 {
		t.Errorf("reading %d partials allocated %d bytes, more than half the merged trials' %d", shards, got, size)
	}
	var a, b bytes.Buffer
	if err := WriteJSON(&a, BuildTrials(whole, nil, nil)); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b, BuildTrials(m.Trials(), nil, nil)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the merged report differs from the run's")
	}
}
