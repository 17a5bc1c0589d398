package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/report/cost"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

// Schema identifies the version of the result document.
const Schema = "drsim.report/v1"

// Report is the canonical result document of one scenario run. Every other
// format (text, Markdown, HTML, charts) renders from it. Times are in seconds.
// A nil pointer marshals as null: a value that does not exist (no incident
// trial, a percentile that falls on an unrecovered trial, an objective that
// is not set).
type Report struct {
	Schema      string `json:"schema"`
	Scenario    string `json:"scenario"`
	Description string `json:"description,omitempty"`
	File        string `json:"file,omitempty"`
	// Overrides are the --set overrides the scenario was run with, in
	// order; absent without any.
	Overrides []Override `json:"overrides,omitempty"`
	Trials    int        `json:"trials"`
	Seed      uint64     `json:"seed"`
	// Precision says how a run to precision (--precision) chose Trials;
	// absent for a plain run.
	Precision      *Precision `json:"precision,omitempty"`
	HorizonSeconds float64    `json:"horizon_seconds"`
	Objectives     Objectives `json:"objectives"`
	// Start is "steady" or "empty": what the trials assume existed at t=0.
	Start string `json:"start"`
	// Outages are the scenario's outages as written, each event once with
	// its phases; Profiles the named outage profiles it uses, with their
	// data points and sources.
	Outages       []OutageSummary  `json:"outages"`
	Profiles      []ProfileSummary `json:"profiles"`
	Metrics       Metrics          `json:"metrics"`
	ObjectivesMet ObjectivesMet    `json:"objectives_met"`
	Cost          cost.Cost        `json:"cost"`
	Operations    []OpSummary      `json:"operations"`
	// Warnings say where the statistics are weak or the run is unusual.
	Warnings       []string        `json:"warnings"`
	Distributions  Distributions   `json:"distributions"`
	Representative *Representative `json:"representative,omitempty"`

	// Findings are what is wrong with the setup (docs/findings.md): the
	// static findings of the scenario, sorted by location, then the
	// dynamic findings of its trials (kind "dynamic", with an effect), the
	// most harmful first: by effect.miss_both_of_all, the share of all
	// trials that have the cause and miss the objectives. A dynamic
	// finding's confirms lists the static findings it confirms. Never
	// null.
	Findings []findings.Finding `json:"findings"`
}

// Objectives are the scenario's objectives; nil when not set.
type Objectives struct {
	RTOSeconds *float64 `json:"rto_seconds"`
	RPOSeconds *float64 `json:"rpo_seconds"`
	Success    float64  `json:"success"`
}

// Metrics are the per-trial metrics aggregated over trials.
type Metrics struct {
	// IncidentTrials counts the trials in which the service went down.
	IncidentTrials int `json:"incident_trials"`
	// RTOSeconds is over incident trials; unrecovered trials count as +Inf.
	RTOSeconds RTOSummary `json:"rto_seconds"`
	// RPOSeconds is over recovered incident trials; a trial with an
	// unbounded RPO (model.TrialResult.StoreRPO) counts as +Inf, like an
	// unrecovered trial's RTO.
	RPOSeconds RPOSummary `json:"rpo_seconds"`
	// LostWrites is over recovered incident trials.
	LostWrites LostSummary `json:"lost_writes"`
	// KMSFailures are the KMS failures: failed KMS cryptographic calls
	// (Decrypt, Encrypt, GenerateDataKey), mean per trial over all trials.
	// The JSON key is decrypt_failures, the name schema v1 started with,
	// kept so that consumers of the document do not break.
	KMSFailures Failures `json:"decrypt_failures"`
	// Unavailable is the mean number per trial of requests that failed for a
	// reason other than KMS.
	Unavailable float64 `json:"unavailable_requests_mean"`
	// UnavailablePerSecond is Unavailable spread over the horizon: requests
	// per second (0 when the horizon is 0).
	UnavailablePerSecond float64 `json:"unavailable_requests_per_second"`
	// UnavailableShare is the share of all offered requests, over all
	// trials, that failed for a reason other than KMS (sum of failed over
	// sum of offered); null when no request was offered.
	UnavailableShare *float64 `json:"unavailable_requests_share"`
	// OfferedMean is the mean number of requests offered per trial.
	OfferedMean float64 `json:"offered_requests_mean"`
	// Availability is up time / horizon, over all trials. It depends on the
	// horizon: IncidentRequestSuccess does not.
	Availability Summary `json:"availability"`
	// RequestSuccess is succeeded / offered requests, over all trials.
	RequestSuccess Summary `json:"request_success"`
	// IncidentRequestSuccess is succeeded / offered requests over the
	// incident window, from T0 until the recovery (or the horizon when the
	// service did not recover), over the incident trials with requests
	// offered in that window: the availability while the service was down.
	IncidentRequestSuccess Summary `json:"incident_request_success"`
}

// Summary describes a sample: mean with a 95% confidence interval, empirical
// percentiles with distribution-free 95% intervals, and the sample size.
type Summary struct {
	Mean     *float64    `json:"mean"`
	MeanCI95 *[2]float64 `json:"mean_ci95,omitempty"`
	P50      *float64    `json:"p50"`
	P90      *float64    `json:"p90"`
	P95      *float64    `json:"p95"`
	P99      *float64    `json:"p99"`
	Max      *float64    `json:"max"`
	// Min is the smallest value (null when there is none).
	Min *float64 `json:"min"`
	// PCI95 holds order-statistic 95% intervals of the percentiles; a
	// bound is null when it is unbounded (too few values, or +Inf).
	PCI95 *PercentileCIs `json:"p_ci95,omitempty"`
	N     int            `json:"n"`
}

// Interval is a confidence interval whose bounds may be unbounded (null).
type Interval [2]*float64

// PercentileCIs are the 95% intervals of the reported percentiles.
type PercentileCIs struct {
	P50 Interval `json:"p50"`
	P90 Interval `json:"p90"`
	P95 Interval `json:"p95"`
	P99 Interval `json:"p99"`
}

// RTOSummary is the RTO summary with the count of unrecovered trials.
type RTOSummary struct {
	Summary
	Unrecovered int `json:"unrecovered"`
}

// RPOSummary is the RPO summary (seconds) with the count of recovered
// trials whose RPO is unbounded: under a steady start, writes of a store
// that could never reach the recovery region (no copy there, no rule
// towards it before 0, or writes to a destination bucket). They count as
// +Inf: a percentile that falls on one is null, and the mean is over the
// others.
type RPOSummary struct {
	Summary
	Unbounded int `json:"unbounded,omitempty"`
}

// LostSummary is the lost writes summary, in total and per store. ByStore is
// keyed by store name; when a bucket and a table share a name the keys are
// "bucket/NAME" and "table/NAME". Unbounded counts the trials whose lost
// writes have no finite count (those with an unbounded RPO), +Inf in the
// percentiles and left out of the mean, in total and per store.
type LostSummary struct {
	Summary
	Unbounded int                `json:"unbounded,omitempty"`
	ByStore   map[string]Summary `json:"by_store"`
}

// Failures are failed cryptographic calls, mean per trial.
type Failures struct {
	TotalMean float64 `json:"total_mean"`
	// ByReason maps the AWS error name to the mean failed calls per trial.
	ByReason map[string]float64 `json:"by_reason"`
	// ByRegion maps the region each call was sent to (where KMS answered or
	// failed to) to the mean failed calls per trial.
	ByRegion map[string]float64 `json:"by_region"`
	// ByReasonRegion maps reason, then region, to the mean; zero entries
	// are left out.
	ByReasonRegion map[string]map[string]float64 `json:"by_reason_region"`
	// ByKey maps each key (by name) to the mean failed calls per trial
	// made with it: the app's calls and S3 replication's; every key has
	// an entry. Calls whose key a trial could not name (more keys than a
	// model.Cause holds) are under "(unnamed)".
	ByKey map[string]float64 `json:"by_key"`
	// ByKeyReason maps key, then reason, to the mean; zero entries are
	// left out.
	ByKeyReason map[string]map[string]float64 `json:"by_key_reason"`
	// ByStore maps each store (named as in lost_writes.by_store) to the
	// mean failed calls per trial made for its requests and its
	// replication; every store has an entry ("(unnamed)" as for ByKey).
	ByStore map[string]float64 `json:"by_store"`
	// ByStoreReason maps store, then reason, to the mean; zero entries
	// are left out.
	ByStoreReason map[string]map[string]float64 `json:"by_store_reason"`
}

// ObjectivesMet holds the probability of meeting each objective.
type ObjectivesMet struct {
	RTO  Probability `json:"rto"`
	RPO  Probability `json:"rpo"`
	Both Probability `json:"both"`
}

// Probability is an estimated probability with its Wilson 95% interval over
// N trials. P and CI95 are null when the objective is not set.
type Probability struct {
	P    *float64    `json:"p"`
	CI95 *[2]float64 `json:"ci95"`
	Met  int         `json:"met"`
	N    int         `json:"n"`
}

// OpSummary summarises one action or runbook step over trials.
type OpSummary struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"` // "action" or "step"
	Op       string `json:"op,omitempty"`
	Required bool   `json:"required,omitempty"`
	// Needs are a step's needs as written ("route53-control@us-east-1",
	// "arc-routing-control"): a step with needs makes attempts even
	// without an op.
	Needs []string `json:"needs,omitempty"`
	// TrialsStarted counts the trials in which the op was started: each
	// of them ended done (TrialsDone), failed (TrialsFailed: refused, or
	// not done at the horizon) or abandoned (TrialsAbandoned: in progress
	// when the runbook stopped because the service came back), so
	// TrialsStarted = TrialsDone + TrialsFailed + TrialsAbandoned.
	// (Before trials_abandoned was added, trials_failed also counted the
	// abandoned trials.)
	TrialsStarted int `json:"trials_started"`
	TrialsDone    int `json:"trials_done"`
	TrialsFailed  int `json:"trials_failed"`
	// TrialsAbandoned counts the trials in which the step was abandoned.
	TrialsAbandoned int `json:"trials_abandoned"`
	// TrialsNotStarted counts the trials in which the op never started
	// (the runbook did not reach it, or the action's time was after the
	// horizon): TrialsStarted + TrialsNotStarted is the number of trials.
	TrialsNotStarted int `json:"trials_not_started"`
	// AttemptsMean is the mean number of attempts over started trials.
	AttemptsMean float64 `json:"attempts_mean"`
	// Errors counts failed attempts by AWS error name, over all trials.
	// A count beyond math.MaxInt64 (about 9.2e18) is shown as
	// math.MaxInt64 and the report warns (never a negative count).
	Errors map[string]int `json:"errors"`
	// saturated reports that a count of Errors was capped.
	saturated bool
	// TrialsRefused counts the trials whose op was refused (a failure
	// that is not retried: a step failed, an action failed for good).
	TrialsRefused int `json:"trials_refused"`
	// LastErrors counts the trials that ended failed or abandoned, by the
	// AWS name of their last error.
	LastErrors map[string]int `json:"last_errors,omitempty"`
	// DoneAt* are percentiles of the time of success from trial start,
	// over the trials in which it was done.
	DoneAtP50Seconds *float64 `json:"done_at_p50_seconds"`
	DoneAtP90Seconds *float64 `json:"done_at_p90_seconds"`
	DoneAtP99Seconds *float64 `json:"done_at_p99_seconds"`
	// DoneAfterT0* are percentiles of the time of success after T0, over
	// the incident trials in which it was done after T0.
	DoneAfterT0P50Seconds *float64 `json:"done_after_t0_p50_seconds"`
	DoneAfterT0P90Seconds *float64 `json:"done_after_t0_p90_seconds"`
	// Representative tells what happened in the representative trial.
	Representative string `json:"representative,omitempty"`
	// Summary is one line: what happened in the representative trial (so
	// labelled), then over all trials.
	Summary string `json:"summary"`
}

// Distributions are quantile grids for charts.
type Distributions struct {
	IncidentTrials int `json:"incident_trials"`
	Unrecovered    int `json:"unrecovered"`
	// RTO and RPO hold QuantilePoints at p = 0, 0.01, ..., 1 over incident
	// trials (RTO; +Inf is null) and recovered incident trials (RPO).
	RTO []QuantilePoint `json:"rto"`
	RPO []QuantilePoint `json:"rpo"`
}

// QuantilePoint is one point of an empirical quantile function.
type QuantilePoint struct {
	P       float64  `json:"p"`
	Seconds *float64 `json:"seconds"`
}

// Representative is the trial shown on the timeline charts.
type Representative struct {
	Trial      int      `json:"trial"`
	Incident   bool     `json:"incident"`
	Recovered  bool     `json:"recovered"`
	T0Seconds  *float64 `json:"t0_seconds"`
	RTOSeconds *float64 `json:"rto_seconds"`
	RPOSeconds *float64 `json:"rpo_seconds"`
	LostWrites *int64   `json:"lost_writes"`
	// UnboundedRPO is true when the trial recovered with an unbounded RPO
	// (RPOSeconds and LostWrites are then null).
	UnboundedRPO bool `json:"unbounded_rpo,omitempty"`
	// FailoverAtSeconds is when traffic moved to the failover region.
	FailoverAtSeconds *float64 `json:"failover_at_seconds"`
	// Reasons names the entries of Rates[i].FailuresByReason, the AWS
	// error names; Reasons[0] is "OK", the slot of the calls that
	// succeeded, whose failure rate is always 0.
	Reasons  []string             `json:"reasons"`
	Segments []model.Segment      `json:"segments"`
	Rates    []model.RatePoint    `json:"rates"`
	Backlog  []model.BacklogPoint `json:"backlog"`
	// Events is the trial's event log, its first MaxEvents entries; a run
	// of failed retries is one entry. drsim run --trace FILE writes all of
	// them.
	Events []model.Event `json:"events"`
	// EventsOmitted counts the events left out after the first MaxEvents,
	// and EventsOmittedByKind by kind; 0 and absent when none was.
	EventsOmitted       int            `json:"events_omitted,omitempty"`
	EventsOmittedByKind map[string]int `json:"events_omitted_by_kind,omitempty"`
}

// MaxEvents bounds the events of the representative trial a report holds
// (a trial with many outages, partitions or key changes has as many
// events); the rest are counted by kind.
const MaxEvents = 2000

// Build aggregates the results of a run of cfg with the given seed into a
// Report. rep is the optional detail of the representative trial whose
// index is repIndex (pass nil and -1 when there is none). Build does not
// modify its arguments and never fails: odd input gives warnings. It packs
// the results into compact records (Trials) and calls BuildTrials.
func Build(cfg *model.Config, seed uint64, results []model.TrialResult, rep *model.Detail, repIndex int) *Report {
	if cfg == nil {
		t := NewTrials(&model.Config{}, seed, 0)
		t.Add(results...)
		r := BuildTrials(t, nil, nil)
		r.Warnings = append([]string{"no scenario configuration: cost, objectives and names are empty"}, r.Warnings...)
		return r
	}
	t := NewTrials(cfg, seed, 0)
	t.Add(results...)
	var repResult *model.TrialResult
	if repIndex >= 0 {
		for i := range results {
			if results[i].Trial == repIndex {
				repResult = &results[i]
				break
			}
		}
	}
	if rep == nil {
		repResult = nil
	}
	return BuildTrials(t, repResult, rep)
}

// BuildTrials aggregates the compact results t into a Report. rep is the
// representative trial's full result and detail its trace (both nil when
// there is none; cmd/drsim replays the trial that Trials.Representative
// names). It never fails: odd input gives warnings. The report is a pure
// function of (scenario, seed, trials), whatever the workers or shards that
// made t.
func BuildTrials(t *Trials, rep *model.TrialResult, detail *model.Detail) *Report {
	cfg := t.Cfg
	var early []string
	r := &Report{
		Schema:         Schema,
		Scenario:       cfg.Name,
		Description:    cfg.Description,
		File:           cfg.File,
		Trials:         t.N(),
		Seed:           t.Seed,
		HorizonSeconds: seconds(cfg.Horizon),
		Start:          cfg.Start.String(),
		Outages:        outageSummaries(cfg),
		Profiles:       profileSummaries(cfg),
		Warnings:       []string{},
		Findings:       []findings.Finding{},
	}
	// Without a locator the findings point at the file and key path;
	// cmd/drsim places them (LocateFindings). A Config that fails Check
	// has none (Static needs valid indices).
	if cfg.Check() == nil {
		r.Findings = append(findings.Static(cfg, nil), dynamicFindings(t)...)
		findings.Link(r.Findings)
	}
	r.Objectives = ObjectivesOf(cfg)
	var bad int
	// One scratch float64 per trial per percentile computed at once, at
	// most GOMAXPROCS, shared by every metric.
	sc := newScratch(t.N())
	r.Metrics, r.Distributions, bad = metricsFrom(t, sc)
	r.ObjectivesMet = objectivesMetFrom(t)
	r.Operations = operationsFrom(t, rep, sc)
	r.Cost = cost.ComputeCost(cfg)
	if bad > 0 {
		early = append(early, fmt.Sprintf("%s non-finite values in the trial results were counted as 0", human.Int(bad)))
	}
	for _, o := range r.Operations {
		if o.saturated {
			early = append(early, fmt.Sprintf("%s: a count of failed attempts exceeds %s and is shown as that (at least); its mean attempts are exact", o.Name, human.Int(math.MaxInt64)))
		}
	}
	if detail != nil && rep != nil {
		r.Representative = representative(rep, detail)
	}
	r.Warnings = append(early, warnings(cfg, r)...)
	r.Warnings = append(r.Warnings, tailWarningsFrom(t)...)
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	return r
}

// ObjectivesOf returns the objectives of cfg as a document states them.
func ObjectivesOf(cfg *model.Config) Objectives {
	o := Objectives{Success: human.Round(cfg.Objectives.Success)}
	if cfg.Objectives.HasRTO {
		o.RTOSeconds = ptr(seconds(cfg.Objectives.RTO))
	}
	if cfg.Objectives.HasRPO {
		o.RPOSeconds = ptr(seconds(cfg.Objectives.RPO))
	}
	return o
}

func representative(t *model.TrialResult, d *model.Detail) *Representative {
	rp := &Representative{
		Trial:     t.Trial,
		Incident:  t.Incident,
		Recovered: t.Recovered,
		Reasons:   reasonNames(),
		Segments:  orEmpty(d.Segments),
		Rates:     orEmpty(d.Rates),
		Backlog:   orEmpty(d.Backlog),
		Events:    orEmpty(d.Events),
	}
	if len(rp.Events) > MaxEvents {
		rp.EventsOmitted = len(rp.Events) - MaxEvents
		rp.EventsOmittedByKind = map[string]int{}
		for _, e := range rp.Events[MaxEvents:] {
			rp.EventsOmittedByKind[e.Kind]++
		}
		rp.Events = rp.Events[:MaxEvents:MaxEvents]
	}
	if t.Incident {
		rp.T0Seconds = ptr(seconds(t.T0))
		if t.Recovered {
			rp.RTOSeconds = ptr(seconds(t.RTO))
			if t.RPO == sim.Forever {
				rp.UnboundedRPO = true
			} else {
				rp.RPOSeconds = ptr(seconds(t.RPO))
				lost := t.LostTotal
				rp.LostWrites = &lost
			}
		}
	}
	if t.FailoverAt >= 0 {
		rp.FailoverAtSeconds = ptr(seconds(t.FailoverAt))
	}
	return rp
}

// reasonNames are the names of the kms.Reason slots, "OK" for kms.OK.
func reasonNames() []string {
	names := append([]string(nil), kms.ReasonNames[:]...)
	names[kms.OK] = "OK"
	return names
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// OpLabel returns the report name of op i: the actions first
// ("actions[i]: <op> <key> <region>", i 0-based as in a key path), then
// the runbook steps by name.
func OpLabel(cfg *model.Config, i int) string {
	if i < len(cfg.Actions) {
		return fmt.Sprintf("actions[%d]: %s", i, opText(cfg, &cfg.Actions[i].Op))
	}
	j := i - len(cfg.Actions)
	if cfg.Failover != nil && j < len(cfg.Failover.Steps) {
		return cfg.Failover.Steps[j].Name
	}
	return fmt.Sprintf("op %d", i+1)
}

// opText spells an op with its arguments: "<op> <store> <key> <region>",
// and "to <region>" for the bucket-rule ops.
func opText(cfg *model.Config, op *model.Op) string {
	parts := []string{op.Kind.String()}
	switch op.Kind {
	case model.OpRestoreBackup, model.OpCreateTableReplica, model.OpDeleteTableReplica,
		model.OpPutBucketReplication, model.OpDeleteBucketReplication:
		names := cfg.StoreNames()
		idx := op.Store.Index
		if op.Store.Kind == model.StoreTable {
			idx += len(cfg.Buckets)
		}
		if idx >= 0 && idx < len(names) {
			parts = append(parts, names[idx])
		}
	}
	if op.Key >= 0 && op.Key < len(cfg.Keys) {
		parts = append(parts, cfg.Keys[op.Key].Name)
	}
	if op.Region >= 0 && op.Region < len(cfg.Regions) {
		parts = append(parts, cfg.Regions[op.Region].Name)
	}
	if op.To >= 0 && op.To < len(cfg.Regions) && (op.Kind == model.OpPutBucketReplication || op.Kind == model.OpDeleteBucketReplication) {
		parts = append(parts, "to "+cfg.Regions[op.To].Name)
	}
	return strings.Join(parts, " ")
}

// seconds converts simulation time to seconds, rounded.
func seconds(t sim.Time) float64 { return human.Round(float64(t) / float64(sim.Second)) }

func ptr(x float64) *float64 { return &x }
