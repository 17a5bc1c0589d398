package sim

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// trialModel is a tiny model run per index: an engine and streams whose
// result depends only on the index, as a real trial's must.
func trialModel(results []Time) func() func(i int) {
	return func() func(i int) {
		e := NewEngine()
		var s Stream
		var acc Time
		var fn Func
		fn = func(k int) {
			acc += e.Now() + Time(k)
			if k > 0 {
				e.After(s.Draw(ExponentialDist(Second)), fn, k-1)
			}
		}
		return func(i int) {
			e.Reset()
			s.Init(TrialSeed(42, i), "trial", "events")
			acc = 0
			e.At(s.Draw(UniformDist(0, Minute)), fn, 20)
			e.Run(Hour)
			results[i] = acc
		}
	}
}

func TestParallelDeterministic(t *testing.T) {
	const n = 1000
	var ref []Time
	for _, workers := range []int{1, 4, 3, 0, 64} {
		results := make([]Time, n)
		Parallel(n, workers, trialModel(results), nil)
		if ref == nil {
			ref = results
			if slices.Contains(ref, 0) {
				t.Fatal("some index did not run")
			}
			continue
		}
		if !slices.Equal(results, ref) {
			t.Fatalf("%d workers gave results different from 1 worker", workers)
		}
	}
}

func TestParallelCoverage(t *testing.T) {
	tests := []struct {
		n, workers  int
		maxNewCalls int
	}{
		{0, 4, 0},
		{1, 4, 1},
		{15, 4, 1},
		{17, 4, 2},
		{1000, 1, 1},
		{1000, 4, 4},
		{1001, 3, 3},
	}
	for _, tc := range tests {
		counts := make([]atomic.Int32, tc.n)
		var newCalls atomic.Int32
		var progress []int
		Parallel(tc.n, tc.workers, func() func(int) {
			newCalls.Add(1)
			return func(i int) { counts[i].Add(1) }
		}, func(done int) { progress = append(progress, done) })
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("n=%d workers=%d: index %d ran %d times", tc.n, tc.workers, i, c)
			}
		}
		if c := int(newCalls.Load()); c > tc.maxNewCalls || (tc.n > 0 && c == 0) {
			t.Errorf("n=%d workers=%d: newWorker called %d times, want 1..%d", tc.n, tc.workers, c, tc.maxNewCalls)
		}
		if len(progress) == 0 || progress[len(progress)-1] != tc.n || !slices.IsSorted(progress) {
			t.Errorf("n=%d: progress %v, want non-decreasing and ending with %d", tc.n, progress, tc.n)
		}
	}
}

func TestParallelProgressTicks(t *testing.T) {
	var mu sync.Mutex
	var calls []int
	var caller atomic.Int64
	Parallel(64, 2, func() func(int) {
		return func(int) { time.Sleep(10 * time.Millisecond) }
	}, func(done int) {
		mu.Lock()
		calls = append(calls, done)
		mu.Unlock()
		caller.Add(1)
	})
	// 64 indices × 10ms over 2 workers ≈ 320ms: a few ticks, then the end.
	if len(calls) < 2 || len(calls) > 8 || calls[len(calls)-1] != 64 {
		t.Fatalf("progress calls %v: want about 3 ticks and a final 64", calls)
	}
}

func TestParallelPanic(t *testing.T) {
	defer func() {
		r := recover()
		s, _ := r.(string)
		if !strings.Contains(s, "boom at 37") || !strings.HasPrefix(s, "sim: ") {
			t.Fatalf("recovered %v, want the worker's panic", r)
		}
	}()
	Parallel(100, 4, func() func(int) {
		return func(i int) {
			if i == 37 {
				panic("boom at 37")
			}
		}
	}, func(int) {})
	t.Fatal("Parallel returned after a worker panicked")
}

// A stopped run has done exactly the indices [0, done), whatever the number
// of workers, and stops within a chunk per worker.
func TestParallelContextStopsOnAPrefix(t *testing.T) {
	const n = 100000
	for _, workers := range []int{1, 2, 3, 8} {
		ctx, cancel := context.WithCancel(context.Background())
		ran := make([]atomic.Bool, n)
		var calls, atCancel atomic.Int64
		done := ParallelContext(ctx, n, workers, func() func(i int) {
			return func(i int) {
				ran[i].Store(true)
				if calls.Add(1) == 500 {
					cancel()
					// The other workers run on while cancel runs (on a
					// loaded machine this goroutine may wait for a core):
					// the bound counts from when ctx is done.
					atCancel.Store(calls.Load())
				}
			}
		}, nil)
		cancel()
		if c := int(atCancel.Load()); done < 500 || done > c+workers*parallelChunk {
			t.Errorf("%d workers: done = %d, want within a chunk per worker of the %d calls made when ctx was done", workers, done, c)
		}
		for i := range ran {
			if ran[i].Load() != (i < done) {
				t.Fatalf("%d workers: done = %d but index %d ran = %v", workers, done, i, ran[i].Load())
			}
		}
		if int(calls.Load()) != done {
			t.Errorf("%d workers: %d calls, done = %d", workers, calls.Load(), done)
		}
	}

	// a context done before the start runs nothing; one never done runs all
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var last int
	if done := ParallelContext(ctx, 1000, 2, func() func(int) { return func(int) { t.Error("ran") } }, func(d int) { last = d }); done != 0 || last != 0 {
		t.Errorf("cancelled before the start: done %d, progress %d", done, last)
	}
	results := make([]Time, 1000)
	if done := ParallelContext(context.Background(), 1000, 2, trialModel(results), nil); done != 1000 || slices.Contains(results, 0) {
		t.Errorf("never cancelled: done %d", done)
	}
}
