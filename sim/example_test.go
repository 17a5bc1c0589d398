package sim_test

import (
	"fmt"

	"github.com/drsim/drsim/sim"
)

func ExampleParseDuration() {
	for _, s := range []string{"90s", "1d12h", "1.5h", "500ms", "90"} {
		d, err := sim.ParseDuration(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "=", sim.FormatDuration(d))
	}
	// Output:
	// 90s = 1m30s
	// 1d12h = 1d12h
	// 1.5h = 1h30m
	// 500ms = 500ms
	// sim: missing unit in duration "90"
}

func ExampleDist_LimitedMean() {
	lag := sim.LogNormalDist(30*sim.Second, 30*sim.Minute) // S3 without RTC
	fmt.Println(lag)
	fmt.Printf("P(lag > 15m) = %.4f\n", lag.Survival(float64(15*sim.Minute)))
	// Writes arrive at rate r; the expected number still in flight at any
	// time is r × E[lag]; in the first 15 minutes after a cut, r × E[min(lag, 15m)].
	fmt.Printf("E[lag] = %s, E[min(lag, 15m)] = %s\n",
		sim.FormatDuration(sim.Time(lag.Mean())/sim.Millisecond*sim.Millisecond),
		sim.FormatDuration(sim.Time(lag.LimitedMean(float64(15*sim.Minute)))/sim.Millisecond*sim.Millisecond))
	// Output:
	// lognormal(median=30s, p99=30m)
	// P(lag > 15m) = 0.0266
	// E[lag] = 2m21.171s, E[min(lag, 15m)] = 1m44.237s
}

func ExampleEngine_SetEndOfInstant() {
	e := sim.NewEngine()
	up := 0
	e.SetEndOfInstant(func() { fmt.Printf("t=%s: %d regions up\n", sim.FormatDuration(e.Now()), up) })
	change := func(delta int) { up += delta; e.MarkDirty() }
	e.At(sim.Hour, change, -1) // two changes at the same instant:
	e.At(sim.Hour, change, -1) // the service is evaluated once, after both
	e.At(3*sim.Hour, change, 2)
	e.Run(sim.Forever)
	// Output:
	// t=1h: -2 regions up
	// t=3h: 0 regions up
}

func ExampleParallel() {
	results := make([]sim.Time, 5)
	sim.Parallel(len(results), 2, func() func(int) {
		// Per-worker state, built once per goroutine.
		var s sim.Stream
		return func(i int) {
			s.Init(sim.TrialSeed(1, i), "outage", "start")
			results[i] = s.Draw(sim.UniformDist(2*sim.Hour, 10*sim.Hour)) / sim.Minute * sim.Minute
		}
	}, nil)
	for i, r := range results {
		fmt.Println(i, sim.FormatDuration(r))
	}
	// Output:
	// 0 6h20m
	// 1 3h34m
	// 2 8h2m
	// 3 6h39m
	// 4 4h25m
}
