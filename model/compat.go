package model

import (
	"sync"
	"sync/atomic"
)

// parallel runs fn over [0, n) on workers goroutines. Temporary: replaced
// by sim.Parallel when it lands.
func parallel(n, workers int, newWorker func() func(i int), progress func(done int)) {
	if workers < 1 {
		workers = 1
	}
	var next, done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := newWorker()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
				d := int(done.Add(1))
				if progress != nil {
					mu.Lock()
					progress(d)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}
