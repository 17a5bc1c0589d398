package main

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkRunSnowy10k is the whole `drsim run snowy --trials 10000` pipeline
// (load, 10,000 trials, the representative trial's detail, the report, the
// text rendering) on 1 and on 2 workers. Targets (issue "Monte Carlo people
// can trust"): under 2 s on 2 workers, and 2 workers at least 1.6× faster
// than 1. Run:
//
//	go test ./cmd/drsim -run '^$' -bench RunSnowy10k -benchtime 5x -count 3
func BenchmarkRunSnowy10k(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			args := []string{"run", "snowy", "--trials", "10000", "--workers", fmt.Sprint(w), "--quiet"}
			for b.Loop() {
				if err := run(args, io.Discard, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
