package report

import "io"

// SweepSchema identifies the version of the sweep document.
const SweepSchema = "drsim.sweep/v1"

// Sweep is the result document of drsim sweep: one scenario run at every
// point of a grid of overrides, every point with the same seed and trials
// (common random numbers), so that differences between points come from
// the setups, not from luck.
type Sweep struct {
	Schema   string `json:"schema"`
	Scenario string `json:"scenario"`
	File     string `json:"file,omitempty"`
	// Overrides are the --set overrides applied to every point.
	Overrides []Override `json:"overrides,omitempty"`
	Trials    int        `json:"trials"`
	Seed      uint64     `json:"seed"`
	// Precision says how a run to precision chose Trials (the largest
	// count any point needed); absent for a plain sweep.
	Precision *Precision `json:"precision,omitempty"`
	// Objectives are the base scenario's (a point may override them).
	Objectives Objectives `json:"objectives"`
	// Metric is the metric the charts plot against each parameter.
	Metric Metric `json:"metric"`
	// MinProbability is the bar a P(meet both) chart marks (--check's
	// --min-probability).
	MinProbability float64 `json:"min_probability"`
	// Parameters are the varied key paths and their values as written,
	// in --vary order.
	Parameters []SweepParameter `json:"parameters"`
	// Points is the grid, the last parameter varying fastest.
	Points   []SweepPoint `json:"points"`
	Warnings []string     `json:"warnings"`
}

// SweepParameter is one --vary PATH=V1,V2,...
type SweepParameter struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
	// NoEffect, when set, says why the parameter changes no simulated
	// outcome (every figure of the points but the cost is the same at each
	// of its values): a recommendation that rests on it rests on price
	// alone.
	NoEffect string `json:"no_effect,omitempty"`
}

// SweepPoint is the outcome at one point of the grid. Times are in
// seconds; a percentile that falls on an unrecovered trial is null.
type SweepPoint struct {
	// Values holds the point's value of each parameter, as written.
	Values         []string    `json:"values"`
	IncidentTrials int         `json:"incident_trials"`
	Unrecovered    int         `json:"unrecovered"`
	MeetBoth       Probability `json:"meet_both"`
	RTOP50Seconds  *float64    `json:"rto_p50_seconds"`
	RTOP95Seconds  *float64    `json:"rto_p95_seconds"`
	RPOP50Seconds  *float64    `json:"rpo_p50_seconds"`
	RPOP95Seconds  *float64    `json:"rpo_p95_seconds"`
	// LostWritesMean is over recovered incident trials.
	LostWritesMean *float64 `json:"lost_writes_mean"`
	// KMSFailuresMean is the mean number of failed KMS calls per trial.
	KMSFailuresMean float64 `json:"kms_failures_mean"`
	MonthlyUSD      float64 `json:"monthly_usd"`
	// Metric is the sweep's metric at this point, with its interval.
	Metric Estimate `json:"metric"`
	// Pareto is true when no other point dominates it: none has a P(meet
	// both) at least as high and a monthly cost at most as high, one of
	// them strictly. Points tied on both are all on the front or all off.
	Pareto bool `json:"pareto"`
	// Warnings are the point's report's warnings (a tail warning, too few
	// incident trials, ...).
	Warnings []string `json:"warnings,omitempty"`
}

// SweepPointOf summarises a point's report.
func SweepPointOf(r *Report, values []string, m Metric) SweepPoint {
	met := &r.Metrics
	return SweepPoint{
		Values:          values,
		IncidentTrials:  met.IncidentTrials,
		Unrecovered:     met.RTOSeconds.Unrecovered,
		MeetBoth:        r.ObjectivesMet.Both,
		RTOP50Seconds:   met.RTOSeconds.P50,
		RTOP95Seconds:   met.RTOSeconds.P95,
		RPOP50Seconds:   met.RPOSeconds.P50,
		RPOP95Seconds:   met.RPOSeconds.P95,
		LostWritesMean:  met.LostWrites.Mean,
		KMSFailuresMean: met.KMSFailures.TotalMean,
		MonthlyUSD:      r.Cost.MonthlyUSD.Total,
		Metric:          MetricOf(r, m),
	}
}

// MarkPareto sets Pareto on the points that no other point dominates on
// P(meet both) (higher is better) and monthly cost (lower is better): a
// point dominates another when it is at least as likely to meet both
// objectives for at most its cost, and strictly better in one of the two.
// Points with the same P(meet both) and the same cost (ties on both) do
// not dominate each other: they are all on the front, or all dominated by
// a third. A point without P(meet both) is on no front.
func MarkPareto(points []SweepPoint) {
	for i := range points {
		a := &points[i]
		a.Pareto = a.MeetBoth.P != nil
		if !a.Pareto {
			continue
		}
		for j := range points {
			b := &points[j]
			if j == i || b.MeetBoth.P == nil {
				continue
			}
			pa, pb := *a.MeetBoth.P, *b.MeetBoth.P
			if pb >= pa && b.MonthlyUSD <= a.MonthlyUSD && (pb > pa || b.MonthlyUSD < a.MonthlyUSD) {
				a.Pareto = false
				break
			}
		}
	}
}

// WriteSweepJSON writes the sweep as indented, deterministic JSON.
func WriteSweepJSON(w io.Writer, s *Sweep) error { return writeJSON(w, s) }
