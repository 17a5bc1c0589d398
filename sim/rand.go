package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// TrialSeed derives the seed of one trial from the run's seed and the trial
// index. Trials are independent of one another and of the worker running them.
func TrialSeed(seed uint64, trial int) uint64 {
	return mix(seed ^ mix(uint64(trial)+0x9e3779b97f4a7c15))
}

// Stream is a named random stream: a PCG generator seeded from a hash of
// (trial seed, component name, purpose). Components that draw from their own
// stream keep their draws when other components are added or removed, which is
// what makes common random numbers work across scenarios.
type Stream struct {
	pcg rand.PCG
}

// NewStream returns the stream for (trialSeed, name, purpose).
func NewStream(trialSeed uint64, name, purpose string) Stream {
	var s Stream
	s.Init(trialSeed, name, purpose)
	return s
}

// Init reseeds s in place as the stream for (trialSeed, name, purpose).
func (s *Stream) Init(trialSeed uint64, name, purpose string) {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(purpose))
	k := h.Sum64()
	s.pcg.Seed(mix(trialSeed^k), mix(k+0x632be59bd9b4e019))
}

// Uniform returns a uniform variate in the open interval (0, 1).
func (s *Stream) Uniform() float64 {
	// 53 random bits, shifted by half a step so that 0 is never returned.
	return (float64(s.pcg.Uint64()>>11) + 0.5) / (1 << 53)
}

// Draw returns one variate of d, consuming exactly one uniform.
func (s *Stream) Draw(d Dist) Time {
	return d.Sample(s.Uniform())
}

// mix is the SplitMix64 finaliser.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
