package sim

// Time is simulated time in integer nanoseconds from the start of a trial.
type Time = int64

// Common durations in Time units.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
	Day              = 24 * Hour
)

// Forever is a time after every horizon.
const Forever Time = 1<<63 - 1

// Func is an event handler. It receives the integer argument given when the
// event was scheduled. Handlers are plain func values bound once (for example
// method values created when a model is built), so scheduling allocates nothing.
type Func func(arg int)

// Handle identifies a scheduled event so that it can be cancelled. The zero
// Handle refers to no event; cancelling it is a no-op.
type Handle struct {
	slot int32
	gen  uint32
}

type event struct {
	t    Time
	seq  uint64
	fn   Func
	arg  int
	slot int32 // index into Engine.slots
}

type slotInfo struct {
	pos int32 // position in heap, -1 if not scheduled
	gen uint32
}

// Engine is a discrete-event scheduler with a total order on (time, seq):
// events at the same instant run in the order they were scheduled.
// An Engine is not safe for concurrent use; use one per worker and Reset it
// between trials.
type Engine struct {
	now   Time
	seq   uint64
	heap  []event
	slots []slotInfo
	free  []int32
	// endOfInstant, if set, runs after the last event of each instant, before
	// time advances. Events it schedules at Now run in the same instant, after
	// which it runs again.
	endOfInstant func()
	dirty        bool
}

// NewEngine returns an empty engine at time 0.
func NewEngine() *Engine { return &Engine{} }

// Reset empties the engine and sets time to 0, keeping its allocated memory.
func (e *Engine) Reset() {
	e.now, e.seq = 0, 0
	e.heap = e.heap[:0]
	e.free = e.free[:0]
	for i := range e.slots {
		e.slots[i].pos = -1
		e.slots[i].gen++
		e.free = append(e.free, int32(len(e.slots)-1-i))
	}
	e.dirty = false
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Pending returns the number of scheduled events.
func (e *Engine) Pending() int { return len(e.heap) }

// SetEndOfInstant installs fn to be called after the last event of every
// instant at which MarkDirty was called (see MarkDirty). Passing nil removes it.
func (e *Engine) SetEndOfInstant(fn func()) { e.endOfInstant = fn }

// MarkDirty asks for the end-of-instant callback to run once the current
// instant's events are all processed.
func (e *Engine) MarkDirty() { e.dirty = true }

// At schedules fn(arg) at time t. A time before Now is clamped to Now.
func (e *Engine) At(t Time, fn Func, arg int) Handle {
	if t < e.now {
		t = e.now
	}
	var s int32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		s = int32(len(e.slots))
		e.slots = append(e.slots, slotInfo{pos: -1})
	}
	e.seq++
	i := len(e.heap)
	e.heap = append(e.heap, event{t: t, seq: e.seq, fn: fn, arg: arg, slot: s})
	e.slots[s].pos = int32(i)
	e.up(i)
	return Handle{slot: s + 1, gen: e.slots[s].gen}
}

// After schedules fn(arg) at Now()+d.
func (e *Engine) After(d Time, fn Func, arg int) Handle {
	if d > Forever-e.now {
		return e.At(Forever, fn, arg)
	}
	return e.At(e.now+d, fn, arg)
}

// Cancel removes the event h refers to. It reports whether the event was
// still pending. Cancelling a fired, cancelled or zero handle is a no-op.
func (e *Engine) Cancel(h Handle) bool {
	if h.slot == 0 {
		return false
	}
	s := h.slot - 1
	if int(s) >= len(e.slots) || e.slots[s].gen != h.gen || e.slots[s].pos < 0 {
		return false
	}
	i := int(e.slots[s].pos)
	e.release(s)
	last := len(e.heap) - 1
	if i != last {
		e.heap[i] = e.heap[last]
		e.slots[e.heap[i].slot].pos = int32(i)
	}
	e.heap = e.heap[:last]
	if i < last {
		if !e.down(i) {
			e.up(i)
		}
	}
	return true
}

func (e *Engine) release(s int32) {
	e.slots[s].pos = -1
	e.slots[s].gen++
	e.free = append(e.free, s)
}

// Run processes events in (time, seq) order until none is left at or before
// until; then time is set to until (if it is later than Now).
func (e *Engine) Run(until Time) {
	for {
		if len(e.heap) == 0 || e.heap[0].t > until {
			if e.dirty && e.endOfInstant != nil {
				e.dirty = false
				e.endOfInstant()
				continue
			}
			break
		}
		if e.heap[0].t > e.now && e.dirty && e.endOfInstant != nil {
			e.dirty = false
			e.endOfInstant()
			continue
		}
		ev := e.pop()
		e.now = ev.t
		ev.fn(ev.arg)
	}
	if until > e.now {
		e.now = until
	}
}

func (e *Engine) pop() event {
	ev := e.heap[0]
	e.release(ev.slot)
	last := len(e.heap) - 1
	if last > 0 {
		e.heap[0] = e.heap[last]
		e.slots[e.heap[0].slot].pos = 0
	}
	e.heap = e.heap[:last]
	if last > 1 {
		e.down(0)
	}
	return ev
}

func less(a, b *event) bool {
	if a.t != b.t {
		return a.t < b.t
	}
	return a.seq < b.seq
}

func (e *Engine) up(i int) {
	h := e.heap
	for i > 0 {
		p := (i - 1) / 2
		if !less(&h[i], &h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		e.slots[h[i].slot].pos = int32(i)
		e.slots[h[p].slot].pos = int32(p)
		i = p
	}
}

func (e *Engine) down(i0 int) bool {
	h := e.heap
	n := len(h)
	i := i0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && less(&h[r], &h[l]) {
			j = r
		}
		if !less(&h[j], &h[i]) {
			break
		}
		h[i], h[j] = h[j], h[i]
		e.slots[h[i].slot].pos = int32(i)
		e.slots[h[j].slot].pos = int32(j)
		i = j
	}
	return i > i0
}
