package model

import (
	"math"

	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// TrialResult holds the metrics of one trial (docs/report.md, the metrics). Times are from the start of the trial.
type TrialResult struct {
	Trial int
	// Incident is false when the service never went down.
	Incident bool
	T0       sim.Time
	// Recovered reports whether the service was up again within the horizon;
	// RTO, RPO and the lost writes are meaningful only then.
	Recovered bool
	RTO       sim.Time
	// RecoveredIn lists the regions serving when the service came back.
	RecoveredIn []int
	RPO         sim.Time
	// LostWrites counts lost writes per store: the buckets in Config order,
	// then the tables. UnboundedLost marks a store whose missing writes
	// have no finite count (see StoreRPO); LostTotal is then UnboundedLost
	// too, and otherwise their sum (capped below UnboundedLost).
	LostWrites []int64
	LostTotal  int64
	// StoreRPO is each store's RPO, in LostWrites order: T0 minus the
	// store's oldest missing write (0 when it has none or it is after T0).
	// RPO is the largest. Under a steady start a store some of whose writes
	// could never reach the recovery region (it has no copy there, no
	// replication rule towards it before 0, or the writes went to a
	// destination bucket, which S3 replicates nowhere) has been missing
	// writes for ever: its RPO is sim.Forever (unbounded) and its lost
	// writes UnboundedLost. It fails any RPO objective.
	StoreRPO []sim.Time
	// KMSFailures holds failed cryptographic calls (expected counts) by
	// reason and region, at [int(reason)*len(Config.Regions)+region].
	KMSFailures []float64
	// KMSFailuresBy holds the same failed calls by class: each entry a
	// Cause of kind CauseKMSCall (the app's calls) or CauseReplicationCall
	// (S3 replication's) naming the reason, key, store, caller's and
	// target region and principal, with its expected count; sorted by
	// Cause, zero counts left out, nil when there is none. Summed by
	// reason and target region they give KMSFailures. A trial has a few
	// entries; reports use only their sums over trials (KMS failures by
	// key and by store).
	KMSFailuresBy []CauseCount
	// Causes are the causes of harm observed in the trial (see Cause and
	// its kinds), sorted, without duplicates; nil when there is none.
	// Dynamic findings (package findings) aggregate them over trials.
	Causes []Cause
	// Unavailable counts requests that failed for a reason other than a
	// failed KMS call (app or store down, no usable copy, DynamoDB at-rest
	// key unusable).
	Unavailable float64
	// Offered and Succeeded count application requests over the horizon.
	Offered, Succeeded float64
	// IncidentOffered and IncidentSucceeded count the application requests
	// offered and succeeded from T0 until the recovery, or until the horizon
	// when the service did not recover: the incident window. Both are 0
	// without an incident.
	IncidentOffered, IncidentSucceeded float64
	// UpTime is how long the service was up.
	UpTime sim.Time
	// FailoverAt is when traffic moved to Failover.To, or -1.
	FailoverAt sim.Time
	// RoutedBack reports whether health-checked routing sent traffic back
	// to the original region after the failover.
	RoutedBack bool
	// Ops has one entry per action (file order), then one per runbook step
	// (file order).
	Ops []OpResult
}

// UnboundedLost is the lost-writes count of a store whose missing writes
// have no finite count (TrialResult.StoreRPO): math.MaxInt64, which a
// finite count never reaches.
const UnboundedLost int64 = math.MaxInt64

// Clone returns a copy of t that shares no memory with it.
func (t *TrialResult) Clone() TrialResult {
	c := *t
	c.RecoveredIn = cloneNil(t.RecoveredIn)
	c.LostWrites = cloneNil(t.LostWrites)
	c.StoreRPO = cloneNil(t.StoreRPO)
	c.KMSFailures = cloneNil(t.KMSFailures)
	c.Ops = cloneNil(t.Ops)
	for i := range c.Ops {
		c.Ops[i].Errors = cloneNil(t.Ops[i].Errors)
	}
	return c
}

// cloneNil copies s, keeping nil and empty as they are (a result with no
// recovery region has RecoveredIn nil).
func cloneNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append([]T(nil), s...)
}

// KMSFailure returns the failed calls for reason r in region reg.
func (t *TrialResult) KMSFailure(r kms.Reason, reg, nRegions int) float64 {
	return t.KMSFailures[int(r)*nRegions+reg]
}

// OpResult is what happened to one action or runbook step in a trial.
type OpResult struct {
	// Started reports whether the action's time or the step's start came
	// within the horizon (a step starts only if the runbook does).
	Started bool
	// Attempts counts the times the op was issued (0 for a step without op).
	Attempts int
	// Errors counts failed attempts by AWS error name, sorted by name.
	Errors []ErrCount
	// Done reports success (a step without op is done when its duration ends).
	Done bool
	// At is the time of success, or of the last attempt when not Done.
	At sim.Time
	// Err is the error of the last failed attempt when not Done, and Code
	// its AWS error name.
	Err, Code string
	// Refused reports that the last failure was a refusal: the op is not
	// retried (a failed step, or an action that failed for good).
	Refused bool
	// Outcome is how the op ended, set at the end of the trial.
	Outcome OpOutcome
}

// OpOutcome is how an action or runbook step ended in a trial.
type OpOutcome uint8

// Op outcomes. A step is abandoned when it was in progress (running or
// retrying) when the runbook stopped because the service came back; it is
// failed when it was refused, or was not done at the horizon (still
// retrying, or still running). An action is done or failed.
const (
	OpNotStarted OpOutcome = iota
	OpDone
	OpFailed
	OpAbandoned
)

var opOutcomeNames = [...]string{"not started", "done", "failed", "abandoned"}

// String returns "not started", "done", "failed" or "abandoned".
func (o OpOutcome) String() string {
	if int(o) < len(opOutcomeNames) {
		return opOutcomeNames[o]
	}
	return "unknown"
}

// settle sets the outcome of an op at the end of a trial: one that was
// abandoned stays so; otherwise it is done, failed or not started.
func (o *OpResult) settle() {
	switch {
	case o.Outcome == OpAbandoned:
	case o.Done:
		o.Outcome = OpDone
	case o.Started:
		o.Outcome = OpFailed
	default:
		o.Outcome = OpNotStarted
	}
}

// ErrCount counts failed attempts with one error.
type ErrCount struct {
	Err string
	N   int
}

// Detail is the optional record of one trial, for traces and charts. It is
// filled only when passed to Runner.Trial; the summary metrics do not depend
// on whether it is.
type Detail struct {
	// Events is the event log, in simulation order.
	Events []Event
	// Segments are the timeline lanes: outages per region, key copy states
	// per region, runbook steps, service up/down, routing.
	Segments []Segment
	// Rates are the piecewise-constant rates in force from T onward.
	Rates []RatePoint
	// Backlog samples the expected number of writes accepted before T that
	// have not reached each replica, around T0.
	Backlog []BacklogPoint
}

// Event is one entry of the trace.
type Event struct {
	T sim.Time `json:"t_ns"`
	// Kind is one of: outage-start, outage-end, partition-start,
	// partition-end, action, step-start, step-op, step-done, step-failed,
	// key-state, service-down, service-up, runbook-start, runbook-abandoned,
	// traffic-moved, routed-back, replication, backup, kms-failure.
	Kind    string `json:"kind"`
	Subject string `json:"subject,omitempty"`
	Region  string `json:"region,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Error   string `json:"error,omitempty"`
	Message string `json:"message"`
}

// Segment is a bar on a timeline lane.
type Segment struct {
	Lane  string   `json:"lane"`
	Start sim.Time `json:"start_ns"`
	End   sim.Time `json:"end_ns"`
	Label string   `json:"label"`
}

// RatePoint holds rates (per second) in force from T until the next point.
type RatePoint struct {
	T sim.Time `json:"t_ns"`
	// FailuresByReason is failed KMS calls per second, indexed by kms.Reason.
	FailuresByReason [kms.NumReasons]float64 `json:"failures_by_reason"`
	Unavailable      float64                 `json:"unavailable"`
	Success          float64                 `json:"success_fraction"`
}

// BacklogPoint is the expected backlog of one store towards one region.
type BacklogPoint struct {
	T      sim.Time `json:"t_ns"`
	Store  string   `json:"store"`
	Region string   `json:"region"`
	Writes float64  `json:"writes"`
}

// Meets reports whether the trial meets the RTO and the RPO objectives of
// o: an objective that is not set is met, an incident-free trial meets
// both, an unrecovered trial neither of those set (docs/report.md:
// objectives_met).
func (t *TrialResult) Meets(o *Objectives) (rto, rpo bool) {
	switch {
	case !t.Incident:
		return true, true
	case !t.Recovered:
		return !o.HasRTO, !o.HasRPO
	}
	return !o.HasRTO || t.RTO <= o.RTO, !o.HasRPO || t.RPO <= o.RPO
}
