package report

import (
	"context"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drsim/drsim/report/internal/fixture"
)

// BenchmarkMemoryPerTrial: the peak heap growth of running n snowy trials
// into compact records and building their report, per trial, under the
// soft memory limit drsim run sets (records plus the scratch of the
// percentiles plus 8 MiB). The target is DESIGN's: 64 bytes plus 8 per
// store and per step (112 for snowy, whose records take 104); the scratch
// of the percentiles (8 bytes per trial per metric at once) comes on top
// while the report is built. Run with -benchtime 1x; the metric is
// B/trial.
func BenchmarkMemoryPerTrial(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := fixture.SnowyConfig()
			perTrial := 56 + 8*(2+4) + 8*runtime.GOMAXPROCS(0)
			old := debug.SetMemoryLimit(int64(n*perTrial) + 8<<20)
			defer debug.SetMemoryLimit(old)
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				var peak atomic.Uint64
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					var m runtime.MemStats
					tick := time.NewTicker(2 * time.Millisecond)
					defer tick.Stop()
					for {
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > peak.Load() {
							peak.Store(m.HeapAlloc)
						}
						select {
						case <-stop:
							return
						case <-tick.C:
						}
					}
				})
				t := NewTrials(cfg, 7, 0)
				if err := t.Run(context.Background(), n, 0, nil); err != nil {
					b.Fatal(err)
				}
				BuildTrials(t, nil, nil)
				close(stop)
				wg.Wait()
				runtime.KeepAlive(t)
				b.ReportMetric(float64(peak.Load()-base)/float64(n), "B/trial")
			}
		})
	}
}

// BenchmarkBuildTrials: building the report of 1,000,000 snowy trials from
// their compact records (the serial tail of a run, once the trials are
// done).
func BenchmarkBuildTrials(b *testing.B) {
	cfg := fixture.SnowyConfig()
	t := NewTrials(cfg, 7, 0)
	if err := t.Run(context.Background(), 1_000_000, 0, nil); err != nil {
		b.Fatal(err)
	}
	debug.FreeOSMemory()
	b.ResetTimer()
	for b.Loop() {
		BuildTrials(t, nil, nil)
	}
}
