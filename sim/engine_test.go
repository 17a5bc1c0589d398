package sim

import (
	"slices"
	"strconv"
	"testing"
)

// recorder logs the events it receives as (time, arg) pairs.
type recorder struct {
	eng *Engine
	log []fired
	fn  Func
}

type fired struct {
	t   Time
	arg int
}

func newRecorder() *recorder {
	r := &recorder{eng: NewEngine()}
	r.fn = func(arg int) { r.log = append(r.log, fired{r.eng.Now(), arg}) }
	return r
}

func TestEngineOrder(t *testing.T) {
	tests := []struct {
		name  string
		times []Time // event i is scheduled at times[i] with arg i
		want  []int  // args in firing order
	}{
		{"empty", nil, nil},
		{"sorted", []Time{1, 2, 3}, []int{0, 1, 2}},
		{"reversed", []Time{3, 2, 1}, []int{2, 1, 0}},
		{"ties keep insertion order", []Time{5, 5, 5, 5}, []int{0, 1, 2, 3}},
		{"mixed ties", []Time{2, 1, 2, 1, 0, 2}, []int{4, 1, 3, 0, 2, 5}},
		{"forever last", []Time{Forever, 0, Forever, 7}, []int{1, 3, 0, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			for i, at := range tc.times {
				r.eng.At(at, r.fn, i)
			}
			r.eng.Run(Forever)
			var got []int
			for i, f := range r.log {
				got = append(got, f.arg)
				if f.t != tc.times[f.arg] {
					t.Errorf("event %d ran at %d, scheduled at %d", f.arg, f.t, tc.times[f.arg])
				}
				if i > 0 && f.t < r.log[i-1].t {
					t.Errorf("time went back from %d to %d", r.log[i-1].t, f.t)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("order %v, want %v", got, tc.want)
			}
			if r.eng.Pending() != 0 {
				t.Errorf("Pending() = %d after Run(Forever)", r.eng.Pending())
			}
		})
	}
}

// TestEngineRandomOrder schedules and cancels many events at few distinct
// times, from outside and inside handlers, and checks the firing order
// against a sort by (time, scheduling order).
func TestEngineRandomOrder(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		s := NewStream(seed, "engine", "order")
		e := NewEngine()
		type rec struct {
			t         Time
			order     int
			cancelled bool
			h         Handle
		}
		var recs []rec
		var got []int
		var fn Func
		schedule := func(at Time) {
			i := len(recs)
			recs = append(recs, rec{t: at, order: i})
			recs[i].h = e.At(at, fn, i)
		}
		fn = func(i int) {
			got = append(got, i)
			if e.Now() != recs[i].t {
				t.Fatalf("event %d at %d, want %d", i, e.Now(), recs[i].t)
			}
			if len(recs) < 3000 && s.Uniform() < 0.7 {
				schedule(e.Now() + Time(s.Uniform()*4))
			}
			if s.Uniform() < 0.3 {
				j := int(s.Uniform() * float64(len(recs)))
				if e.Cancel(recs[j].h) {
					if recs[j].cancelled {
						t.Fatalf("event %d cancelled twice", j)
					}
					recs[j].cancelled = true
				}
			}
		}
		for range 1000 {
			schedule(Time(s.Uniform() * 50))
		}
		for range 300 {
			j := int(s.Uniform() * float64(len(recs)))
			if e.Cancel(recs[j].h) {
				recs[j].cancelled = true
			}
		}
		e.Run(Forever)
		var want []int
		for i, r := range recs {
			if !r.cancelled {
				want = append(want, i)
			}
		}
		slices.SortStableFunc(want, func(a, b int) int {
			if recs[a].t != recs[b].t {
				if recs[a].t < recs[b].t {
					return -1
				}
				return 1
			}
			return recs[a].order - recs[b].order
		})
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: %d events fired, want %d, or order differs", seed, len(got), len(want))
		}
		if e.Pending() != 0 {
			t.Fatalf("Pending() = %d at the end", e.Pending())
		}
	}
}

func TestEngineCancel(t *testing.T) {
	tests := []struct {
		name string
		// run acts on a fresh recorder and returns the results of the Cancel
		// calls it wants checked.
		run       func(r *recorder) []bool
		wantCalls []bool
		wantLog   []int
	}{
		{
			name:      "zero handle",
			run:       func(r *recorder) []bool { r.eng.At(1, r.fn, 1); return []bool{r.eng.Cancel(Handle{})} },
			wantCalls: []bool{false},
			wantLog:   []int{1},
		},
		{
			name: "pending then twice",
			run: func(r *recorder) []bool {
				h := r.eng.At(1, r.fn, 1)
				r.eng.At(2, r.fn, 2)
				return []bool{r.eng.Cancel(h), r.eng.Cancel(h)}
			},
			wantCalls: []bool{true, false},
			wantLog:   []int{2},
		},
		{
			name: "fired handle does not cancel the slot's next event",
			run: func(r *recorder) []bool {
				h := r.eng.At(1, r.fn, 1)
				r.eng.Run(1)
				r.eng.At(2, r.fn, 2) // reuses the slot of the fired event
				return []bool{r.eng.Cancel(h)}
			},
			wantCalls: []bool{false},
			wantLog:   []int{1, 2},
		},
		{
			name: "cancelled handle does not cancel the slot's next event",
			run: func(r *recorder) []bool {
				h := r.eng.At(1, r.fn, 1)
				c1 := r.eng.Cancel(h)
				r.eng.At(1, r.fn, 2)
				return []bool{c1, r.eng.Cancel(h)}
			},
			wantCalls: []bool{true, false},
			wantLog:   []int{2},
		},
		{
			name: "handle from before Reset",
			run: func(r *recorder) []bool {
				h := r.eng.At(1, r.fn, 1)
				r.eng.Reset()
				r.eng.At(1, r.fn, 2) // same slot and same sequence number as h
				return []bool{r.eng.Cancel(h)}
			},
			wantCalls: []bool{false},
			wantLog:   []int{2},
		},
		{
			name: "handle of another engine's slot range",
			run: func(r *recorder) []bool {
				other := NewEngine()
				for i := range 10 {
					other.At(1, r.fn, i)
				}
				h := other.At(1, r.fn, 99)
				r.eng.At(1, r.fn, 1)
				return []bool{r.eng.Cancel(h)}
			},
			wantCalls: []bool{false},
			wantLog:   []int{1},
		},
		{
			name: "cancel the earliest, a middle and the last",
			run: func(r *recorder) []bool {
				var hs []Handle
				for i := range 7 {
					hs = append(hs, r.eng.At(Time(10-i), r.fn, i))
				}
				return []bool{r.eng.Cancel(hs[6]), r.eng.Cancel(hs[3]), r.eng.Cancel(hs[0])}
			},
			wantCalls: []bool{true, true, true},
			wantLog:   []int{5, 4, 2, 1},
		},
		{
			name: "handler cancels a later event at the same instant",
			run: func(r *recorder) []bool {
				var h Handle
				r.eng.At(5, func(int) { r.eng.Cancel(h) }, 0)
				h = r.eng.At(5, r.fn, 1)
				r.eng.At(5, r.fn, 2)
				return nil
			},
			wantLog: []int{2},
		},
		{
			name: "handler cancels itself",
			run: func(r *recorder) []bool {
				var h Handle
				var got []bool
				h = r.eng.At(5, func(int) { got = append(got, r.eng.Cancel(h)); r.fn(0) }, 0)
				r.eng.At(6, r.fn, 1)
				r.eng.Run(Forever)
				return got
			},
			wantCalls: []bool{false},
			wantLog:   []int{0, 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			calls := tc.run(r)
			r.eng.Run(Forever)
			if !slices.Equal(calls, tc.wantCalls) {
				t.Errorf("Cancel results %v, want %v", calls, tc.wantCalls)
			}
			var got []int
			for _, f := range r.log {
				got = append(got, f.arg)
			}
			if !slices.Equal(got, tc.wantLog) {
				t.Errorf("fired %v, want %v", got, tc.wantLog)
			}
		})
	}
}

func TestEngineScheduled(t *testing.T) {
	e := NewEngine()
	fn := func(int) {}
	h := e.At(3, fn, 0)
	if !e.Scheduled(h) || e.Scheduled(Handle{}) {
		t.Fatal("Scheduled: pending handle not reported or zero handle reported")
	}
	e.Run(3)
	if e.Scheduled(h) {
		t.Fatal("Scheduled reports a fired event")
	}
}

func TestEngineCompaction(t *testing.T) {
	r := newRecorder()
	var hs []Handle
	for i := range 1000 {
		hs = append(hs, r.eng.At(Time(1000-i), r.fn, i))
	}
	for i := 0; i < 1000; i++ {
		if i%10 != 0 && !r.eng.Cancel(hs[i]) {
			t.Fatalf("Cancel(%d) = false", i)
		}
		if want := 1000 - i + i/10; r.eng.Pending() != want {
			t.Fatalf("after %d cancels Pending() = %d, want %d", i, r.eng.Pending(), want)
		}
	}
	if len(r.eng.heap) > 2*r.eng.Pending()+33 {
		t.Errorf("heap holds %d entries for %d pending events: cancelled entries not compacted", len(r.eng.heap), r.eng.Pending())
	}
	r.eng.Run(Forever)
	if len(r.log) != 100 {
		t.Fatalf("%d events fired, want 100", len(r.log))
	}
	for i, f := range r.log {
		if want := 990 - 10*i; f.arg != want {
			t.Fatalf("event %d is %d, want %d", i, f.arg, want)
		}
	}
}

func TestEngineCancelAll(t *testing.T) {
	for _, n := range []int{1, 2, 33, 40, 100, 1000} {
		r := newRecorder()
		var hs []Handle
		for i := range n {
			hs = append(hs, r.eng.At(Time(i%7), r.fn, i))
		}
		for _, h := range hs {
			if !r.eng.Cancel(h) {
				t.Fatalf("n=%d: Cancel = false for a pending event", n)
			}
		}
		if r.eng.Pending() != 0 {
			t.Fatalf("n=%d: Pending() = %d after cancelling all", n, r.eng.Pending())
		}
		r.eng.At(3, r.fn, -1)
		r.eng.Run(Forever)
		if len(r.log) != 1 || r.log[0] != (fired{3, -1}) {
			t.Fatalf("n=%d: fired %v, want only the event scheduled after the cancellations", n, r.log)
		}
	}
}

func TestEngineTime(t *testing.T) {
	tests := []struct {
		name     string
		now      Time // Run(now) first
		schedule func(e *Engine, fn Func)
		until    Time
		wantLog  []fired
		wantNow  Time
		pending  int
	}{
		{
			name: "past time clamped to now",
			now:  100,
			schedule: func(e *Engine, fn Func) {
				e.At(50, fn, 1)
				e.At(-5, fn, 2)
				e.At(100, fn, 3)
			},
			until:   Forever,
			wantLog: []fired{{100, 1}, {100, 2}, {100, 3}},
			wantNow: Forever,
		},
		{
			name: "negative After is now",
			now:  10,
			schedule: func(e *Engine, fn Func) {
				e.After(-3, fn, 1)
				e.After(0, fn, 2)
			},
			until:   20,
			wantLog: []fired{{10, 1}, {10, 2}},
			wantNow: 20,
		},
		{
			name: "After saturates at Forever",
			now:  Hour,
			schedule: func(e *Engine, fn Func) {
				e.After(Forever, fn, 1)
				e.After(Forever-Hour+1, fn, 2)
			},
			until:   Forever,
			wantLog: []fired{{Forever, 1}, {Forever, 2}},
			wantNow: Forever,
		},
		{
			name: "until stops before later events and sets now",
			schedule: func(e *Engine, fn Func) {
				e.At(5, fn, 1)
				e.At(10, fn, 2)
				e.At(11, fn, 3)
			},
			until:   10,
			wantLog: []fired{{5, 1}, {10, 2}},
			wantNow: 10,
			pending: 1,
		},
		{
			name:     "until before now leaves now",
			now:      30,
			schedule: func(e *Engine, fn Func) { e.At(40, fn, 1) },
			until:    20,
			wantNow:  30,
			pending:  1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			r.eng.Run(tc.now)
			tc.schedule(r.eng, r.fn)
			r.eng.Run(tc.until)
			if !slices.Equal(r.log, tc.wantLog) {
				t.Errorf("fired %v, want %v", r.log, tc.wantLog)
			}
			if r.eng.Now() != tc.wantNow {
				t.Errorf("Now() = %d, want %d", r.eng.Now(), tc.wantNow)
			}
			if r.eng.Pending() != tc.pending {
				t.Errorf("Pending() = %d, want %d", r.eng.Pending(), tc.pending)
			}
		})
	}
}

// TestEngineEndOfInstant checks the end-of-instant callback: it runs after
// the last event of an instant at which MarkDirty was called, before time
// advances; events it schedules at Now run in the same instant; it may run
// again; a dirty flag pending when Run reaches until is flushed.
func TestEngineEndOfInstant(t *testing.T) {
	type step struct {
		t    Time
		mark bool // call MarkDirty
		// schedule, if >= 0, schedules another marking event this far ahead
		// (0 = same instant).
		schedule Time
	}
	tests := []struct {
		name string
		// events[i] runs at events[i].t; flushes lists what the callback does
		// on its k-th call: schedule an event at Now (true) or not.
		events  []step
		flushes []bool
		until   Time
		want    []string
	}{
		{
			name:   "no mark, no callback",
			events: []step{{t: 1, schedule: -1}, {t: 2, schedule: -1}},
			until:  Forever,
			want:   []string{"ev@1", "ev@2"},
		},
		{
			name:   "callback after the last event of the instant",
			events: []step{{t: 1, mark: true, schedule: -1}, {t: 1, schedule: -1}, {t: 2, schedule: -1}},
			until:  Forever,
			want:   []string{"ev@1", "ev@1", "eoi@1", "ev@2"},
		},
		{
			name:   "one callback for several marks",
			events: []step{{t: 3, mark: true, schedule: -1}, {t: 3, mark: true, schedule: -1}},
			until:  Forever,
			want:   []string{"ev@3", "ev@3", "eoi@3"},
		},
		{
			name:   "event scheduled at now by a handler runs before the callback",
			events: []step{{t: 1, mark: true, schedule: 0}},
			until:  Forever,
			want:   []string{"ev@1", "ev@1", "eoi@1"},
		},
		{
			name:    "callback schedules at now: same instant, callback again",
			events:  []step{{t: 1, mark: true, schedule: -1}, {t: 5, schedule: -1}},
			flushes: []bool{true, false},
			until:   Forever,
			want:    []string{"ev@1", "eoi@1", "ev@1", "eoi@1", "ev@5"},
		},
		{
			name:   "pending flag flushed at until",
			events: []step{{t: 4, mark: true, schedule: -1}},
			until:  4,
			want:   []string{"ev@4", "eoi@4"},
		},
		{
			name:   "flushed when the next event is after until",
			events: []step{{t: 4, mark: true, schedule: -1}, {t: 9, schedule: -1}},
			until:  6,
			want:   []string{"ev@4", "eoi@4"},
		},
		{
			name:   "mark then later instant",
			events: []step{{t: 1, mark: true, schedule: 3}},
			until:  Forever,
			want:   []string{"ev@1", "eoi@1", "ev@4", "eoi@4"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEngine()
			var log []string
			var ev Func
			steps := tc.events
			ev = func(i int) {
				log = append(log, "ev@"+strconv.FormatInt(e.Now(), 10))
				if i < 0 {
					e.MarkDirty()
					return
				}
				if steps[i].mark {
					e.MarkDirty()
				}
				if steps[i].schedule >= 0 {
					e.After(steps[i].schedule, ev, -1)
				}
			}
			calls := 0
			e.SetEndOfInstant(func() {
				log = append(log, "eoi@"+strconv.FormatInt(e.Now(), 10))
				if calls < len(tc.flushes) && tc.flushes[calls] {
					e.At(e.Now(), ev, -1)
				}
				calls++
			})
			for i, s := range steps {
				e.At(s.t, ev, i)
			}
			e.Run(tc.until)
			if !slices.Equal(log, tc.want) {
				t.Errorf("log %v, want %v", log, tc.want)
			}
		})
	}
}

func TestEngineEndOfInstantMarkedOutsideRun(t *testing.T) {
	e := NewEngine()
	n := 0
	e.SetEndOfInstant(func() { n++ })
	e.MarkDirty()
	e.Run(0)
	if n != 1 {
		t.Fatalf("callback ran %d times for a flag set before Run, want 1", n)
	}
	e.SetEndOfInstant(nil)
	e.MarkDirty()
	e.Run(10) // no callback: must not loop
	if e.Now() != 10 {
		t.Fatalf("Now() = %d, want 10", e.Now())
	}
}

func TestEngineStop(t *testing.T) {
	r := newRecorder()
	for i := range 5 {
		r.eng.At(Time(i), func(arg int) {
			r.fn(arg)
			if arg == 2 {
				r.eng.Stop()
			}
		}, i)
	}
	r.eng.Run(Forever)
	if len(r.log) != 3 || r.eng.Now() != 2 || r.eng.Pending() != 2 {
		t.Fatalf("after Stop: %d fired, Now %d, %d pending; want 3, 2, 2", len(r.log), r.eng.Now(), r.eng.Pending())
	}
	r.eng.Run(Forever)
	if len(r.log) != 5 || r.eng.Now() != Forever {
		t.Fatalf("after second Run: %d fired, Now %d; want 5, Forever", len(r.log), r.eng.Now())
	}
}

func TestEnginePendingInHandler(t *testing.T) {
	e := NewEngine()
	var got []int
	fn := func(int) { got = append(got, e.Pending()) }
	e.At(1, fn, 0)
	e.At(2, fn, 0)
	e.At(3, func(int) { e.After(5, fn, 0); got = append(got, e.Pending()) }, 0)
	e.Run(Forever)
	if want := []int{2, 1, 1, 0}; !slices.Equal(got, want) {
		t.Fatalf("Pending() in handlers %v, want %v", got, want)
	}
}

func TestEngineReset(t *testing.T) {
	r := newRecorder()
	for i := range 10 {
		r.eng.At(Time(i), r.fn, i)
	}
	r.eng.Run(4)
	r.eng.MarkDirty()
	r.eng.Reset()
	if r.eng.Now() != 0 || r.eng.Pending() != 0 {
		t.Fatalf("after Reset: Now %d, Pending %d", r.eng.Now(), r.eng.Pending())
	}
	calls := 0
	r.eng.SetEndOfInstant(func() { calls++ })
	r.log = nil
	r.eng.At(3, r.fn, 7)
	r.eng.Run(Forever)
	if len(r.log) != 1 || r.log[0] != (fired{3, 7}) || calls != 0 {
		t.Fatalf("after Reset ran %v with %d callbacks; want [{3 7}] and 0", r.log, calls)
	}
}

func TestEngineNoAllocs(t *testing.T) {
	m := &holdModel{eng: NewEngine(), inc: holdIncrements(1 << 10)}
	m.event = m.fire
	var hs [8]Handle
	for i := range 1000 {
		m.eng.After(m.inc[i], m.event, i)
	}
	cancelFn := func(int) {}
	allocs := testing.AllocsPerRun(100, func() {
		m.left = 100
		m.eng.Run(Forever)
		for i := range hs {
			hs[i] = m.eng.After(Time(i)*Second, cancelFn, i)
		}
		for i := range hs {
			m.eng.Cancel(hs[i])
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per 100 events and 8 cancellations, want 0", allocs)
	}
}

// TestEngineCompactionInHandler cancels enough events from inside a handler
// to rebuild the heap while the handler's own entry is still at its top.
func TestEngineCompactionInHandler(t *testing.T) {
	for _, reschedule := range []bool{false, true} {
		r := newRecorder()
		var hs []Handle
		r.eng.At(1, func(int) {
			r.fn(-1)
			for _, h := range hs[:90] {
				r.eng.Cancel(h)
			}
			if r.eng.Pending() != 10 {
				t.Fatalf("Pending() = %d in the handler, want 10", r.eng.Pending())
			}
			if reschedule {
				r.eng.After(0, r.fn, -2)
			}
		}, 0)
		for i := range 100 {
			hs = append(hs, r.eng.At(Time(2+i), r.fn, i))
		}
		r.eng.Run(Forever)
		var got []int
		for _, f := range r.log {
			got = append(got, f.arg)
		}
		want := []int{-1}
		if reschedule {
			want = append(want, -2)
		}
		for i := 90; i < 100; i++ {
			want = append(want, i)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("reschedule=%v: fired %v, want %v", reschedule, got, want)
		}
	}
}
