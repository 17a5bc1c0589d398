package scenarios

import (
	"errors"

	"drsim/sim"
)

// weibullDist builds weibull(shape, scale). Package sim documents the field
// layout of its Weibull kind (P1 shape, P2 scale in nanoseconds) and needs no
// derived parameters for it.
func weibullDist(shape float64, scale sim.Time) sim.Dist {
	return sim.Dist{Kind: sim.Weibull, P1: shape, P2: float64(scale)}
}

// empiricalDist builds empirical(p50, p90, p99).
func empiricalDist(p50, p90, p99 sim.Time) (sim.Dist, error) {
	_, _, _ = p50, p90, p99
	return sim.Dist{}, errors.New("empirical: not supported yet by the simulation engine; use lognormal(median=, p99=) or weibull(shape=, scale=)")
}
