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
	s.InitKey(trialSeed, NewStreamKey(name, purpose))
}

// StreamKey is the hash of a stream's (name, purpose), computed once with
// NewStreamKey so that a component whose stream is set up every trial does
// not hash its names every trial.
type StreamKey uint64

// NewStreamKey returns the key of the streams named (name, purpose).
func NewStreamKey(name, purpose string) StreamKey { return StreamKey(streamKey(name, purpose)) }

// InitKey reseeds s in place as the stream for (trialSeed, key): the same
// stream as Init with the names of key.
func (s *Stream) InitKey(trialSeed uint64, key StreamKey) {
	k := uint64(key)
	s.pcg.Seed(mix(trialSeed^k), mix(k+0x632be59bd9b4e019))
}

// streamKey hashes (name, purpose); the zero byte keeps ("ab", "c") and
// ("a", "bc") apart.
func streamKey(name, purpose string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(purpose))
	return h.Sum64()
}

// Uniform returns a uniform variate in the open interval (0, 1). It consumes
// exactly one PCG output.
func (s *Stream) Uniform() float64 {
	return toUniform(s.pcg.Uint64())
}

// toUniform maps 64 random bits to (0, 1): their top 52 bits, shifted by half
// a step, so the result is a multiple of 2^-53 in [2^-53, 1-2^-53]. (With 53
// bits the half step is not representable and the top value rounds to 1.)
func toUniform(x uint64) float64 {
	return (float64(x>>12) + 0.5) / (1 << 52)
}

// Draw returns one variate of d, consuming exactly one uniform.
func (s *Stream) Draw(d Dist) Time {
	return d.Sample(s.Uniform())
}

// Substream returns the uniform in (0, 1) with counter k of the
// counter-based stream (trialSeed, name, purpose): a hash of the four, so
// any k can be evaluated in any order, without stepping anything. It suits
// lazily evaluated per-period draws (the copy time of the k-th backup, say),
// which must not depend on which periods were looked at. It is independent
// of the sequential Stream of the same name and purpose. To avoid hashing
// the names for every draw, use NewSubstreams.
func Substream(trialSeed uint64, name, purpose string, k uint64) float64 {
	return NewSubstreams(trialSeed, name, purpose).Uniform(k)
}

// Substreams is the counter-based stream (trialSeed, name, purpose) of
// Substream with the names hashed once. It is a small value; copy freely.
type Substreams struct {
	base uint64
}

// NewSubstreams returns the counter-based stream for (trialSeed, name, purpose).
func NewSubstreams(trialSeed uint64, name, purpose string) Substreams {
	k := streamKey(name, purpose)
	return Substreams{base: mix(mix(trialSeed^k) ^ 0xd1b54a32d192ed03)}
}

// Uniform returns the uniform in (0, 1) with counter k, as Substream does.
func (s Substreams) Uniform(k uint64) float64 {
	return toUniform(mix(s.base ^ mix(k+0x9e3779b97f4a7c15)))
}

// Draw returns the variate of d with counter k.
func (s Substreams) Draw(d Dist, k uint64) Time {
	return d.Sample(s.Uniform(k))
}

// mix is the SplitMix64 finaliser.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
