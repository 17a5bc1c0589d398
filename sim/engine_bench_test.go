package sim

import (
	"fmt"
	"testing"
)

// holdSizes are the pending-event counts of the hold benchmarks.
var holdSizes = []int{16, 1 << 10, 1 << 16}

// holdIncrements returns n exponential increments with mean 1s, drawn from a
// fixed stream so that every benchmark sees the same sequence.
func holdIncrements(n int) []Time {
	s := NewStream(TrialSeed(1, 0), "bench", "hold")
	d := ExponentialDist(Second)
	inc := make([]Time, n)
	for i := range inc {
		inc[i] = s.Draw(d)
	}
	return inc
}

// holdModel is the classic hold benchmark on the engine: every event, when it
// fires, schedules one new event at now + an exponential increment, so the
// number of pending events stays constant.
type holdModel struct {
	eng   *Engine
	inc   []Time
	k     int
	left  int
	event Func
}

func (m *holdModel) fire(arg int) {
	m.left--
	if m.left == 0 {
		m.eng.Stop()
	}
	m.eng.After(m.inc[m.k&(len(m.inc)-1)], m.event, arg)
	m.k++
}

// BenchmarkHold is the classic hold model at 16, 1k and 64k pending events:
// pop the earliest event, schedule a new one at now + an exponential
// increment (mean 1s); ns/op is per event. For each size, "engine" runs it on
// the Engine (a handler that reschedules itself) and "raw" on a bare typed
// binary heap of (time, seq) pairs, the floor the engine is measured against.
// The two run next to each other so that their ratio is taken under the same
// machine load.
func BenchmarkHold(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d/engine", n), func(b *testing.B) { benchEngineHold(b, n) })
		b.Run(fmt.Sprintf("pending=%d/raw", n), func(b *testing.B) { benchRawHold(b, n) })
	}
}

func benchEngineHold(b *testing.B, n int) {
	m := &holdModel{eng: NewEngine(), inc: holdIncrements(1 << 16)}
	m.event = m.fire
	for i := 0; i < n; i++ {
		m.eng.After(m.inc[i&(len(m.inc)-1)], m.event, i)
	}
	m.left = b.N
	b.ReportAllocs()
	b.ResetTimer()
	m.eng.Run(Forever)
	b.StopTimer()
	if m.left != 0 || m.eng.Pending() != n {
		b.Fatalf("ran %d events short, %d pending; want 0 and %d", m.left, m.eng.Pending(), n)
	}
}

// rawItem and rawHeap are the baseline: a bare typed binary heap of
// (time, seq) pairs with no handles, no handlers and no engine.
type rawItem struct {
	t   Time
	seq uint64
}

type rawHeap []rawItem

func (h *rawHeap) push(it rawItem) {
	*h = append(*h, it)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].t < it.t || (s[p].t == it.t && s[p].seq < it.seq) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = it
}

func (h *rawHeap) pop() rawItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	it := s[last]
	s = s[:last]
	*h = s
	n := len(s)
	if n == 0 {
		return top
	}
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && (s[r].t < s[l].t || (s[r].t == s[l].t && s[r].seq < s[l].seq)) {
			j = r
		}
		if it.t < s[j].t || (it.t == s[j].t && it.seq < s[j].seq) {
			break
		}
		s[i] = s[j]
		i = j
	}
	s[i] = it
	return top
}

func benchRawHold(b *testing.B, n int) {
	inc := holdIncrements(1 << 16)
	h := make(rawHeap, 0, n+1)
	var seq uint64
	for i := 0; i < n; i++ {
		seq++
		h.push(rawItem{t: inc[i&(len(inc)-1)], seq: seq})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		it := h.pop()
		seq++
		h.push(rawItem{t: it.t + inc[k&(len(inc)-1)], seq: seq})
	}
	b.StopTimer()
	if len(h) != n {
		b.Fatalf("%d pending, want %d", len(h), n)
	}
}

// BenchmarkStreamUniform measures one uniform draw.
func BenchmarkStreamUniform(b *testing.B) {
	s := NewStream(TrialSeed(1, 0), "bench", "uniform")
	var sum float64
	for b.Loop() {
		sum += s.Uniform()
	}
	if sum <= 0 {
		b.Fatal("no draws")
	}
}

// BenchmarkLogNormalQuantile measures one lognormal inverse-CDF evaluation.
func BenchmarkLogNormalQuantile(b *testing.B) {
	d := LogNormalDist(6*Second, 90*Second)
	u := 0.1234
	var sum float64
	for b.Loop() {
		sum += d.Quantile(u)
		u += 0x1p-20
		if u >= 1 {
			u -= 1
		}
	}
	if sum <= 0 {
		b.Fatal("no draws")
	}
}
