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
	key   uint64 // the event's heap key; 0 in the zero Handle
	epoch uint32 // the engine's epoch (number of Resets) when it was issued
}

// Heap keys pack an event's sequence number (high bits) and its slot index
// (low slotBits bits): ordering keys orders sequence numbers, and the entry
// stays 16 bytes, as small as a bare (time, seq) heap.
const (
	slotBits = 24
	slotMask = 1<<slotBits - 1
	// MaxPending is the most events an Engine can hold at once, cancelled
	// events not yet dropped included.
	MaxPending = 1 << slotBits
	// maxSeq bounds the events scheduled between two Resets.
	maxSeq = 1<<(64-slotBits) - 1
)

// event is one heap entry, kept small because sifting moves entries. The
// handler and its argument live in the event's slot.
type event struct {
	t   Time
	key uint64 // seq<<slotBits | slot
}

func (ev *event) slot() int32 { return int32(ev.key & slotMask) }
func (ev *event) seq() uint64 { return ev.key >> slotBits }

// slotInfo is the stable home of a scheduled event. seq is the sequence
// number of the pending event that owns the slot, 0 when the slot is free.
// A heap entry whose seq differs from its slot's is a cancelled event left in
// the heap (lazy deletion); so is a Handle whose seq differs.
type slotInfo struct {
	fn  Func
	arg int
	seq uint64
}

// Engine is a discrete-event scheduler with a total order on (time, seq):
// events at the same instant run in the order they were scheduled.
// An Engine is not safe for concurrent use; use one per worker and Reset it
// between trials.
//
// Cancellation is lazy: Cancel frees the event's slot at once, and its heap
// entry is dropped when it reaches the top, or when cancelled entries make up
// more than half of the heap (the heap is then rebuilt without them). Heap
// entries never need their position tracked, which keeps sifting as cheap as
// in a bare heap.
type Engine struct {
	now   Time
	seq   uint64 // last sequence number issued since Reset
	epoch uint32 // number of Resets
	heap  []event
	stale int // cancelled entries still in heap
	slots []slotInfo
	free  []int32
	// endOfInstant, if set, runs after the last event of each instant at
	// which MarkDirty was called, before time advances.
	endOfInstant func()
	dirty        bool
	stop         bool
	// firing is set while a handler runs and heap[0] is still the entry of
	// the event being run (already released). The first At of the handler
	// replaces it, which saves a sift; otherwise it is removed afterwards.
	firing bool
}

// NewEngine returns an empty engine at time 0.
func NewEngine() *Engine { return &Engine{} }

// Reset empties the engine and sets time to 0, keeping its allocated memory
// and its end-of-instant callback. Handles issued before Reset are dead:
// cancelling one is a no-op, whatever has been scheduled since.
func (e *Engine) Reset() {
	e.now, e.seq = 0, 0
	e.epoch++
	e.heap = e.heap[:0]
	e.stale = 0
	e.free = e.free[:0]
	for i := range e.slots {
		e.slots[i] = slotInfo{}
		e.free = append(e.free, int32(len(e.slots)-1-i))
	}
	e.dirty = false
	e.stop = false
	e.firing = false
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Pending returns the number of scheduled events.
func (e *Engine) Pending() int {
	n := len(e.heap) - e.stale
	if e.firing {
		n--
	}
	return n
}

// SetEndOfInstant installs fn to be called after the last event of every
// instant at which MarkDirty was called (see Run). Passing nil removes it.
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
		if len(e.slots) >= MaxPending {
			e.compact()
			if len(e.slots) >= MaxPending && len(e.free) == 0 {
				panic("sim: more than MaxPending events scheduled at once")
			}
		}
		if n := len(e.free); n > 0 {
			s = e.free[n-1]
			e.free = e.free[:n-1]
		} else {
			s = int32(len(e.slots))
			e.slots = append(e.slots, slotInfo{})
		}
	}
	if e.seq == maxSeq {
		panic("sim: too many events scheduled since Reset")
	}
	e.seq++
	e.slots[s] = slotInfo{fn: fn, arg: arg, seq: e.seq}
	key := e.seq<<slotBits | uint64(s)
	if e.firing {
		// Replace the entry of the event being run.
		e.firing = false
		e.down(0, event{t: t, key: key})
	} else {
		e.heap = append(e.heap, event{})
		e.up(len(e.heap)-1, event{t: t, key: key})
	}
	return Handle{key: key, epoch: e.epoch}
}

// After schedules fn(arg) at Now()+d. A negative d is treated as 0 and a
// time past Forever as Forever.
func (e *Engine) After(d Time, fn Func, arg int) Handle {
	if d > Forever-e.now {
		return e.At(Forever, fn, arg)
	}
	return e.At(e.now+d, fn, arg)
}

// Cancel removes the event h refers to. It reports whether the event was
// still pending. Cancelling a fired, cancelled or zero handle is a no-op, and
// so is cancelling a handle issued before the last Reset.
func (e *Engine) Cancel(h Handle) bool {
	if !e.Scheduled(h) {
		return false
	}
	s := int32(h.key & slotMask)
	e.release(s)
	e.stale++
	if e.stale > 32 && 2*e.stale > len(e.heap) {
		e.compact()
	}
	return true
}

// Scheduled reports whether the event h refers to is still pending.
func (e *Engine) Scheduled(h Handle) bool {
	s := h.key & slotMask
	return h.key != 0 && h.epoch == e.epoch && s < uint64(len(e.slots)) && e.slots[s].seq == h.key>>slotBits
}

func (e *Engine) release(s int32) {
	e.slots[s] = slotInfo{}
	e.free = append(e.free, s)
}

// compact rebuilds the heap without its cancelled entries.
func (e *Engine) compact() {
	h := e.heap[:0]
	for _, ev := range e.heap {
		if e.slots[ev.slot()].seq == ev.seq() {
			h = append(h, ev)
		}
	}
	e.heap = h
	e.stale = 0
	e.firing = false // its entry was dropped as cancelled
	for i := (len(h) - 2) / arity; i >= 0 && len(h) > 1; i-- {
		e.down(i, h[i])
	}
}

// Stop makes the running Run return as soon as the current handler (or
// end-of-instant callback) returns. Time stays at the current instant; pending
// events and a pending dirty flag are kept, and the next Run continues where
// this one stopped. Calling Stop outside Run makes the next Run return after
// its first handler.
func (e *Engine) Stop() { e.stop = true }

// Run processes events in (time, seq) order until none is left at or before
// until; then time is set to until (if it is later than Now).
//
// End of instant: when MarkDirty was called during an instant, the
// end-of-instant callback runs after the last event of that instant and
// before time advances. Events it schedules at Now run in the same instant,
// after which it runs again if MarkDirty was called again. When Run reaches
// until with the dirty flag set, the callback runs (at Now) before Run
// returns. A callback that calls MarkDirty every time without scheduling
// anything never lets Run return.
func (e *Engine) Run(until Time) {
	if e.firing {
		// Run called from a handler.
		e.firing = false
		e.removeTop()
	}
	for {
		if len(e.heap) > 0 && e.slots[e.heap[0].slot()].seq != e.heap[0].seq() {
			// A cancelled entry: drop it and look again.
			e.removeTop()
			e.stale--
			continue
		}
		if len(e.heap) == 0 || e.heap[0].t > until || e.heap[0].t > e.now {
			if e.dirty && e.endOfInstant != nil {
				e.dirty = false
				e.endOfInstant()
				if e.stop {
					e.stop = false
					return
				}
				continue
			}
			if len(e.heap) == 0 || e.heap[0].t > until {
				break
			}
		}
		top := e.heap[0]
		e.now = top.t
		s := top.slot()
		fn, arg := e.slots[s].fn, e.slots[s].arg
		e.release(s)
		e.firing = true
		fn(arg)
		if e.firing {
			e.firing = false
			e.removeTop()
		}
		if e.stop {
			e.stop = false
			return
		}
	}
	if until > e.now {
		e.now = until
	}
}

// removeTop removes heap[0].
func (e *Engine) removeTop() {
	last := len(e.heap) - 1
	moved := e.heap[last]
	e.heap = e.heap[:last]
	if last > 0 {
		e.down(0, moved)
	}
}

func less(a, b *event) bool {
	if a.t != b.t {
		return a.t < b.t
	}
	return a.key < b.key
}

// The heap is 4-ary: children of i are 4i+1 .. 4i+4. Against a binary heap
// it halves the depth, and so the cache misses of a sift in a large heap, for
// one more comparison per level.
const arity = 4

// up places ev, which belongs at hole i or above, moving parents down.
func (e *Engine) up(i int, ev event) {
	h := e.heap
	for i > 0 {
		p := (i - 1) / arity
		if !less(&ev, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = ev
}

// down places ev, which belongs at hole i or below, moving children up.
func (e *Engine) down(i int, ev event) {
	h := e.heap
	n := len(h)
	for {
		c := arity*i + 1
		if c >= n {
			break
		}
		j := c
		if end := min(c+arity, n); end-c == arity {
			// Full set of children: unrolled.
			if less(&h[c+1], &h[j]) {
				j = c + 1
			}
			if less(&h[c+2], &h[j]) {
				j = c + 2
			}
			if less(&h[c+3], &h[j]) {
				j = c + 3
			}
		} else {
			for k := c + 1; k < end; k++ {
				if less(&h[k], &h[j]) {
					j = k
				}
			}
		}
		if !less(&h[j], &ev) {
			break
		}
		h[i] = h[j]
		i = j
	}
	h[i] = ev
}
