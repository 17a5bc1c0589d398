// Package whatif answers the question an architecture review ends on:
// what should we change, and what does it buy? It sits between the
// command line and the simulation: it builds variants of a scenario,
// runs them with common random numbers and hands the results to package
// report, whose documents (report.Sweep, report.Sensitivity) it fills.
//
//   - Sweep runs a scenario at every point of a grid of overrides
//     (drsim sweep --vary PATH=V1,V2,...), every point with the same seed
//     and number of trials, so that trial i sees the same outage at every
//     point and the differences come from the setups. Grid refuses more
//     than MaxGridPoints points before anything runs.
//   - Sensitivity is a one-at-a-time tornado: each distribution-valued
//     input pinned at its 10th and 90th percentiles, everything else
//     unchanged, plus Spearman rank correlations of the single-draw
//     inputs' uniforms with RTO and RPO over one ordinary run.
//   - ToPrecision adds batches of trials until the Wilson 95% interval of
//     P(meet both) is as narrow as asked, the same count for every
//     scenario of a comparison; the runs it returns are exactly plain runs
//     of that many trials.
//
// # One place to run and aggregate
//
// Every trial whatif simulates goes through Run.extend (trials N to M−1 of
// a run, on the engine's parallel runner) and every aggregation through
// Run.report (report.Build): a new run API (compact records, streaming
// aggregation) is one change, in engine.go.
//
// # Common random numbers, and what pinning means
//
// Every draw of the model takes exactly one uniform from a named stream
// (package sim), whatever its distribution. A variant that replaces a
// distribution by a constant (a pinned input) still takes that uniform,
// so every other draw of the trial, from the same stream or any other,
// is the same as in the baseline: the difference between two variants is
// the effect of the input, not of other luck. Inputs that a trial draws
// many times (a replication lag per write, a copy time per backup) are
// pinned as constants at their percentiles for every draw.
//
// The rank correlations recompute each trial's uniforms from the named
// streams (model.InputDraws) rather than recording them: the model is not
// instrumented, and a test checks the recomputed draws against the trace.
//
// # Statistics
//
// A tornado end carries the interval its metric has in a report (Wilson
// for P(meet both), order statistics for a p95, Student t for a mean).
// Because the ends share their trials with the baseline, the difference
// between two ends is known much better than two overlapping intervals
// suggest. Spearman's rho is gonum's Pearson correlation of mid-ranks
// (report.Spearman).
package whatif
