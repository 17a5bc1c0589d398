package report

import (
	"context"
	"strings"
	"testing"
	"unsafe"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
)

// TestRecordSize: a trial's fixed record stays within the 64 bytes DESIGN
// allows ("Memory": 64 B plus 8 B per store and per step).
func TestRecordSize(t *testing.T) {
	if n := unsafe.Sizeof(Record{}); n > 64 {
		t.Errorf("Record is %d bytes, want at most 64", n)
	}
}

// TestTrialsMatchResults: the compact records of a run say what its full
// results say, and the report built from a Trials run on any number of
// workers, or from the full results, is the same.
func TestTrialsMatchResults(t *testing.T) {
	cfg := fixture.SnowyConfig()
	const n = 600
	full := model.RunTrials(cfg, 7, n, 2, nil)
	for _, workers := range []int{1, 2, 3} {
		tr := NewTrials(cfg, 7, 0)
		if err := tr.Run(context.Background(), n, workers, nil); err != nil {
			t.Fatal(err)
		}
		if tr.N() != n {
			t.Fatalf("%d trials", tr.N())
		}
		for i := range full {
			f, r := &full[i], tr.Record(i)
			if r.Incident() != f.Incident || r.Recovered() != f.Recovered || (f.Incident && r.T0 != f.T0) ||
				(f.Recovered && (r.RTO != f.RTO || r.RPO != f.RPO)) || tr.LostTotal(i) != f.LostTotal && f.Recovered ||
				tr.UpTime(i) != f.UpTime || tr.FailoverAt(i) != f.FailoverAt || r.Unavailable != f.Unavailable {
				t.Fatalf("trial %d: record %+v, result %+v", i, *r, *f)
			}
			for k := range f.Ops {
				at, ok := tr.DoneAt(i, k)
				if ok != (f.Ops[k].Outcome == model.OpDone) || (ok && at != f.Ops[k].At) {
					t.Fatalf("trial %d op %d: done at %v %v, result %+v", i, k, at, ok, f.Ops[k])
				}
			}
		}
		if rep := tr.Representative(); rep != model.Representative(full) {
			t.Errorf("representative %d, want %d", rep, model.Representative(full))
		}
		var a, b bytesBuf
		if err := WriteJSON(&a, BuildTrials(tr, nil, nil)); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&b, Build(cfg, 7, full, nil, -1)); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("workers %d: the report of the records differs from the report of the results", workers)
		}
	}
}

type bytesBuf = strings.Builder

// TestRepresentativeEventsCapped: the representative trial's events in a
// report are at most MaxEvents; the rest are counted by kind.
func TestRepresentativeEventsCapped(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := model.RunTrials(cfg, 7, 3, 1, nil)
	d := &model.Detail{}
	model.NewRunner(cfg).Trial(7, 0, d)
	for len(d.Events) <= MaxEvents+10 {
		d.Events = append(d.Events, model.Event{Kind: "key-state", Message: "x"})
	}
	n := len(d.Events)
	r := Build(cfg, 7, res, d, 0)
	rp := r.Representative
	if len(rp.Events) != MaxEvents || rp.EventsOmitted != n-MaxEvents || rp.EventsOmittedByKind["key-state"] != n-MaxEvents {
		t.Errorf("%d events, %d omitted (%v), want %d and %d", len(rp.Events), rp.EventsOmitted, rp.EventsOmittedByKind, MaxEvents, n-MaxEvents)
	}
}
