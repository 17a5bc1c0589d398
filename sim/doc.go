// Package sim is drsim's simulation kernel: integer simulated time, a
// deterministic discrete-event engine, named random streams, duration
// distributions, duration syntax and the parallel trial runner. It imports
// the standard library only.
//
// # Time
//
// [Time] is int64 nanoseconds from the start of a trial; [Forever] is after
// every horizon. [FormatDuration] and [ParseDuration] read and write the
// human form used in scenarios and reports: Go syntax plus days ("500ms",
// "1m30s", "365d", "3d4h"); a bare number is an error. FormatDuration's output
// always parses back to the same value (fuzzed by FuzzParseDuration and
// FuzzFormatDuration).
//
// # Engine
//
// An [Engine] runs events in a total order on (time, seq): by time, and at
// the same instant in the order they were scheduled (seq is a counter of At
// calls). A time in the past is clamped to Now. Handlers are [Func] values
// with an int argument, bound once, so scheduling allocates nothing: the heap
// and its slots grow to the largest number of pending events and are reused
// after [Engine.Reset] (testing.AllocsPerRun checks 0 allocations for events
// and cancellations).
//
// The heap is a 4-ary heap of 16-byte entries (time, seq<<24 | slot); an
// event's handler and argument live in a slot indexed by the entry.
// Cancellation is lazy: [Engine.Cancel] frees the slot at once and the stale
// entry is skipped when it reaches the top, or dropped when stale entries are
// more than half the heap (the heap is then rebuilt). So sifting never tracks
// positions. A [Handle] holds the event's key and the engine's Reset epoch:
// cancelling a zero, fired, cancelled or pre-Reset handle is a no-op that
// returns false and never touches an event that reused the slot. While a
// handler runs, its own entry is still at the top of the heap and the
// handler's first At replaces it (one sift instead of two: the hold pattern).
// Limits: [MaxPending] (2^24) events at once, 2^40 events between Resets.
//
// End of instant: a model that must evaluate its state once all the changes
// of an instant are applied calls [Engine.MarkDirty] from its handlers and
// installs a callback with [Engine.SetEndOfInstant]. After the last event of
// an instant at which MarkDirty was called, the callback runs before time
// advances; events it schedules at Now run in the same instant, after which
// it runs again if they called MarkDirty. When Run reaches its until time with
// the flag set, the callback runs before Run returns. [Engine.Stop] ends Run
// after the current handler.
//
// # Random streams
//
// [TrialSeed] hashes (run seed, trial index). A [Stream] is a PCG generator
// (math/rand/v2) seeded by hashing (trial seed, component name, purpose), so a
// component's draws do not change when other components are added: common
// random numbers across scenarios and a paired compare. [Stream.Uniform]
// consumes exactly one PCG output and returns a multiple of 2^-53 in
// (0, 1), never 0 or 1; [Stream.Draw] turns one uniform into one variate.
// [Substream] (and the pre-hashed [Substreams]) is counter-based: the uniform
// number k of (trial seed, name, purpose) is a hash, evaluated in any order
// without stepping anything, for lazily evaluated per-period draws such as
// the copy time of the k-th backup. testdata/streams.golden pins the values:
// a change there changes every result for a given seed.
//
// # Distributions
//
// A [Dist] is a small comparable value (no interface, no allocation) of one
// family: [Const], [Uniform], [Normal] truncated at 0, [LogNormal] given by
// median and p99, [Exponential], [Triangular], [Weibull] and [Empirical], a
// bounded three-point family given by p50, p90 and p99 whose quantile
// function is log-linear in the probability between those points (the
// values between two of them are log-uniform), each end piece continued to
// u = 0 and u = 1: its support runs from p50·(p50/p90)^(5/4) to
// p90·(p99/p90)^(10/9). Every
// variate is an inverse-CDF transform of one uniform ([Dist.Sample]).
// [Dist.Quantile], [Dist.Survival], [Dist.Mean] and [Dist.LimitedMean]
// (E[min(X, y)] = ∫_0^y S, the replication model's workhorse) are closed
// forms: the truncated normal through Mills ratios where the truncation point
// is in the far tail, Weibull through the regularized incomplete gamma
// function (series and continued fraction), the lognormal through partial
// expectations, the empirical family piece by piece (∫ Q(u) du of an
// exponential in u); the normal quantile is Wichura's
// AS 241 written in terms of the tail probability, so both tails keep full
// relative precision. Tests compare them with gonum's stat/distuv and
// mathext, with adaptive quadrature of the survival function and with
// Survival(Quantile(u)) = 1-u, to 1e-9 relative (or a thousandth of a
// nanosecond). [Dist.String] prints the canonical scenario spelling with
// human durations, e.g. "lognormal(median=6s, p99=1m30s)"; [Dist.Validate]
// checks parameters; constructors validate nothing. [Dist.TailMean]
// (E[(X−y)⁺]) keeps its relative precision far in the tail for the lognormal
// and exponential families.
//
// # Named profiles
//
// A named outage profile ([ProfileDist], written profile(NAME) in a
// scenario) is a Dist built from published events; it prints back as
// profile(NAME) and [Dist.Profile] returns its name. [Profiles] lists each
// profile's data points and sources. profile(aws-regional) is the lognormal
// with the log-hours mean and (n−1) standard deviation of the eight AWS
// regional events of docs/aws-behaviour.md G8 (μ = 1.8283, σ = 0.6740 ln hours: median
// 6.22 h, p90 14.8 h, p99 29.9 h); the sample is biased towards large events
// and each summary defines the event's end its own way.
//
// # Parallel trials
//
// [Parallel] runs indices [0, n) on a number of goroutines that each build
// their own worker state once (an engine, streams, scratch memory), handing
// out chunks of 16 indices from an atomic counter. Callers store results by
// index, so the merged results are in trial order and do not depend on the
// worker count (tested with 1, 3, 4 and 64 workers). Progress is reported
// from the calling goroutine about every 100ms and at the end.
//
// # Performance
//
// Measured on the 2-core development VM (AMD EPYC, go1.26, shared with other
// builds, so a few percent of noise) with
//
//	go test ./sim -run '^$' -bench . -benchtime 200000x -count 3
//
// taking the median of the three counts of that one run:
//
//	hold model, ns per event     engine   raw binary heap   ratio
//	16 pending events              32.1              22.4    1.43
//	1k pending events              69.3              52.7    1.31
//	64k pending events            135.9              98.6    1.38
//	Stream.Uniform                  3.4 ns
//	LogNormal Quantile             29.6 ns
//
// The hold model pops the earliest event and schedules one at now plus an
// exponential increment; the engine runs it as a handler rescheduling itself,
// the baseline on a bare typed binary heap of (time, seq) pairs with no
// handles and no handlers. The engine stays within 1.5x of it at every size,
// with 0 allocations per event.
package sim
