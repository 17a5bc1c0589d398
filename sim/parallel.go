package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// parallelChunk is how many consecutive indices a worker takes at a time.
const parallelChunk = 16

// progressEvery is the interval between progress reports.
const progressEvery = 100 * time.Millisecond

// Parallel runs the indices [0, n) on workers goroutines (workers <= 0:
// runtime.GOMAXPROCS(0)). Each goroutine calls newWorker once, then the
// function it returned for every index it takes; indices are handed out in
// chunks of 16 from an atomic counter, so fast workers take more. Each index
// runs exactly once. The caller writes each result into a preallocated slice
// by index: merged in index order, results do not depend on the number of
// workers.
//
// progress, if not nil, is called with the number of indices done, from the
// calling goroutine only: about every 100ms while work remains, and once with
// n at the end. Parallel returns when every index is done. If a call panics,
// the workers stop taking new indices and Parallel panics with the first
// panic's value, in the calling goroutine.
func Parallel(n, workers int, newWorker func() func(i int), progress func(done int)) {
	ParallelContext(context.Background(), n, workers, newWorker, progress)
}

// ParallelContext is Parallel that stops early once ctx is done: from then
// on no worker takes a new chunk, each finishes the chunk it is in, and
// ParallelContext returns the number of indices done. Because chunks are
// handed out in index order and every chunk taken is finished, the indices
// done are exactly [0, done), whatever the number of workers; done is n when
// ctx was not done before the last chunk was taken. progress gets done at
// the end, not n. The wait for a stop is at most one chunk per worker.
func ParallelContext(ctx context.Context, n, workers int, newWorker func() func(i int), progress func(done int)) int {
	if n <= 0 {
		if progress != nil {
			progress(0)
		}
		return 0
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if chunks := (n + parallelChunk - 1) / parallelChunk; workers > chunks {
		workers = chunks
	}
	var (
		next, done atomic.Int64
		wg         sync.WaitGroup
		panicOnce  sync.Once
		panicVal   any
		panicked   atomic.Bool
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					panicOnce.Do(func() { panicVal = r })
					panicked.Store(true)
				}
			}()
			fn := newWorker()
			stop := ctx.Done()
			for !panicked.Load() {
				select {
				case <-stop:
					return
				default:
				}
				start := int(next.Add(parallelChunk)) - parallelChunk
				if start >= n {
					return
				}
				end := min(start+parallelChunk, n)
				for i := start; i < end; i++ {
					fn(i)
				}
				done.Add(int64(end - start))
			}
		})
	}
	if progress != nil {
		finished := make(chan struct{})
		go func() {
			wg.Wait()
			close(finished)
		}()
		tick := time.NewTicker(progressEvery)
	wait:
		for {
			select {
			case <-tick.C:
				progress(int(done.Load()))
			case <-finished:
				break wait
			}
		}
		tick.Stop()
	} else {
		wg.Wait()
	}
	if panicked.Load() {
		panic(fmt.Sprintf("sim: parallel worker panicked: %v", panicVal))
	}
	finished := int(done.Load())
	if progress != nil {
		progress(finished)
	}
	return finished
}
