package model

import (
	"strconv"

	"github.com/drsim/drsim/sim"
)

// InputKind is a kind of single-draw input: a distribution of the scenario
// that a trial draws at most once, as the first (or a fixed) uniform of a
// stream of its own. Sensitivity analysis (package whatif) correlates these
// uniforms with the trials' outcomes without instrumenting the model: a
// trial's uniforms are recomputed from the named streams (InputDraws).
// Lags and backup copy times are drawn many times a trial and are not
// single-draw inputs.
type InputKind uint8

// The single-draw inputs and where they are drawn (stream name, purpose,
// position of the uniform).
const (
	// InputOutageStart is Outages[Index].Start: ("outage/STREAM",
	// "outage"), uniform 2 of 3 (the first decides whether it happens).
	InputOutageStart InputKind = iota
	// InputOutageDuration is Outages[Index].Duration, uniform 3 of the
	// same stream (drawn for an outage in phases too, and unused).
	InputOutageDuration
	// InputPhaseOffset is Outages[Index].Phases[Phase].Offset:
	// ("outage/STREAM/phase-N", "outage"), uniform 1 (N = Phase+1).
	InputPhaseOffset
	// InputPhaseDuration is the phase's Duration, uniform 2 of that stream.
	InputPhaseDuration
	// InputDetect is Failover.Detect: ("failover", "detect"), uniform 1,
	// the runbook's start (a route back draws the same stream again).
	InputDetect
	// InputStepDuration is Failover.Steps[Index].Duration: ("step/NAME",
	// "duration"), uniform 1.
	InputStepDuration
	// InputStepCopy is the copy time of a step's create-table-replica
	// (Op.Copy, or DefaultReplicaCopy): ("step/NAME", "copy"), uniform 1,
	// drawn when the op succeeds.
	InputStepCopy
	// InputActionAt is Actions[Index].At: ("action/N", "at"), uniform 1
	// (N = Index+1).
	InputActionAt
	// InputActionCopy is the copy time of an action's
	// create-table-replica: ("action/N", "copy"), uniform 1.
	InputActionCopy
)

// Input is one single-draw input of a Config: its kind, the index of its
// outage, step or action, and Phase for a phase's inputs.
type Input struct {
	Kind  InputKind
	Index int
	Phase int
}

// SingleDrawInputs returns the single-draw inputs of cfg, in Config
// order: each outage's start and duration (or its phases' offsets and
// durations), detect, each step's duration and copy time, each action's
// time and copy time. Constant distributions are included (a caller may
// leave them out: they draw a uniform but it changes nothing).
func SingleDrawInputs(cfg *Config) []Input {
	var in []Input
	for oi := range cfg.Outages {
		o := &cfg.Outages[oi]
		in = append(in, Input{Kind: InputOutageStart, Index: oi})
		if len(o.Phases) == 0 {
			in = append(in, Input{Kind: InputOutageDuration, Index: oi})
			continue
		}
		for pi := range o.Phases {
			in = append(in, Input{Kind: InputPhaseOffset, Index: oi, Phase: pi}, Input{Kind: InputPhaseDuration, Index: oi, Phase: pi})
		}
	}
	if f := cfg.Failover; f != nil {
		in = append(in, Input{Kind: InputDetect})
		for si := range f.Steps {
			in = append(in, Input{Kind: InputStepDuration, Index: si})
			if f.Steps[si].Op.Kind == OpCreateTableReplica {
				in = append(in, Input{Kind: InputStepCopy, Index: si})
			}
		}
	}
	for ai := range cfg.Actions {
		in = append(in, Input{Kind: InputActionAt, Index: ai})
		if cfg.Actions[ai].Op.Kind == OpCreateTableReplica {
			in = append(in, Input{Kind: InputActionCopy, Index: ai})
		}
	}
	return in
}

// Dist returns the distribution cfg draws input in from.
func (in Input) Dist(cfg *Config) sim.Dist {
	switch in.Kind {
	case InputOutageStart:
		return cfg.Outages[in.Index].Start
	case InputOutageDuration:
		return cfg.Outages[in.Index].Duration
	case InputPhaseOffset:
		return cfg.Outages[in.Index].Phases[in.Phase].Offset
	case InputPhaseDuration:
		return cfg.Outages[in.Index].Phases[in.Phase].Duration
	case InputDetect:
		return cfg.Failover.Detect
	case InputStepDuration:
		return cfg.Failover.Steps[in.Index].Duration
	case InputStepCopy:
		return opCopy(&cfg.Failover.Steps[in.Index].Op)
	case InputActionAt:
		return cfg.Actions[in.Index].At
	case InputActionCopy:
		return opCopy(&cfg.Actions[in.Index].Op)
	}
	return sim.Dist{}
}

// opCopy is the copy time a create-table-replica op draws.
func opCopy(op *Op) sim.Dist {
	if op.HasCopy {
		return op.Copy
	}
	return DefaultReplicaCopy()
}

// stream returns the stream key of input and the 0-based position of its
// uniform in that stream: the names the Runner draws it under.
func (in Input) stream(cfg *Config) (sim.StreamKey, int) {
	switch in.Kind {
	case InputOutageStart, InputOutageDuration:
		pos := 1
		if in.Kind == InputOutageDuration {
			pos = 2
		}
		return sim.NewStreamKey("outage/"+cfg.Outages[in.Index].Stream, "outage"), pos
	case InputPhaseOffset, InputPhaseDuration:
		pos := 0
		if in.Kind == InputPhaseDuration {
			pos = 1
		}
		return sim.NewStreamKey("outage/"+cfg.Outages[in.Index].Stream+"/phase-"+strconv.Itoa(in.Phase+1), "outage"), pos
	case InputDetect:
		return sim.NewStreamKey("failover", "detect"), 0
	case InputStepDuration:
		return sim.NewStreamKey("step/"+cfg.Failover.Steps[in.Index].Name, "duration"), 0
	case InputStepCopy:
		return sim.NewStreamKey("step/"+cfg.Failover.Steps[in.Index].Name, "copy"), 0
	case InputActionAt:
		return sim.NewStreamKey("action/"+strconv.Itoa(in.Index+1), "at"), 0
	case InputActionCopy:
		return sim.NewStreamKey("action/"+strconv.Itoa(in.Index+1), "copy"), 0
	}
	return 0, 0
}

// InputDraws recomputes the uniforms of single-draw inputs: the uniform
// a trial takes for each, from the stream the Runner draws it from. It
// holds the stream keys, hashed once; it is safe for concurrent use.
type InputDraws struct {
	keys []sim.StreamKey
	pos  []int
}

// NewInputDraws returns the draws of inputs of cfg.
func NewInputDraws(cfg *Config, inputs []Input) *InputDraws {
	d := &InputDraws{keys: make([]sim.StreamKey, len(inputs)), pos: make([]int, len(inputs))}
	for i, in := range inputs {
		d.keys[i], d.pos[i] = in.stream(cfg)
	}
	return d
}

// Uniforms sets dst[k], k < len(inputs), to the uniform in (0, 1) that
// trial i of a run with seed draws for inputs[k]: the value drawn is
// inputs[k].Dist(cfg).Sample(dst[k]). (An input the trial does not reach,
// the copy time of an op that never succeeds, has the uniform it would
// have drawn.)
func (d *InputDraws) Uniforms(seed uint64, trial int, dst []float64) {
	ts := sim.TrialSeed(seed, trial)
	for k, key := range d.keys {
		var st sim.Stream
		st.InitKey(ts, key)
		u := st.Uniform()
		for range d.pos[k] {
			u = st.Uniform()
		}
		dst[k] = u
	}
}
