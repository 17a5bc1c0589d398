package report

import "io"

// SensitivitySchema identifies the version of the sensitivity document.
const SensitivitySchema = "drsim.sensitivity/v1"

// Sensitivity is the result document of drsim sensitivity: which
// uncertain input of a scenario drives its outcome.
//
// Inputs is a one-at-a-time tornado: every distribution of the scenario
// that is not constant is pinned at its 10th and then its 90th percentile
// (as a constant, every other stream unchanged: common random numbers),
// and Metric is measured at each end. Ranking holds Spearman's rank
// correlation, over the incident trials of the baseline run, between each
// single-draw input's uniform and the trial's RTO and RPO (an unrecovered
// trial ranks highest).
type Sensitivity struct {
	Schema    string     `json:"schema"`
	Scenario  string     `json:"scenario"`
	File      string     `json:"file,omitempty"`
	Overrides []Override `json:"overrides,omitempty"`
	Trials    int        `json:"trials"`
	Seed      uint64     `json:"seed"`
	// Objectives are the scenario's.
	Objectives Objectives `json:"objectives"`
	// Metric is what the tornado measures; MinProbability the bar it
	// marks for P(meet both).
	Metric         Metric  `json:"metric"`
	MinProbability float64 `json:"min_probability"`
	// Baseline is the metric of the scenario as written.
	Baseline Estimate `json:"baseline"`
	// IncidentTrials counts the baseline's incident trials, those of the
	// rank correlations.
	IncidentTrials int `json:"incident_trials"`
	// Inputs are the tornado's rows, by decreasing swing (an infinite
	// swing first), then by name.
	Inputs []SensitivityInput `json:"inputs"`
	// Constant are the distribution-valued inputs that take one value:
	// pinning them changes nothing, so they have no row.
	Constant []ConstantInput `json:"constant"`
	// Ranking holds the rank correlations, by decreasing largest |rho|.
	Ranking  []RankCorrelation `json:"ranking"`
	Warnings []string          `json:"warnings"`
}

// SensitivityInput is one row of the tornado.
type SensitivityInput struct {
	// Name is the input's key path as the user writes it (a --set path):
	// "failover.steps[approve].duration".
	Name string `json:"name"`
	// What says what it is: "duration of step approve".
	What string `json:"what"`
	// Dist is its distribution in scenario syntax; Default is true when
	// the scenario leaves it at its default (a replication lag).
	Dist    string `json:"dist"`
	Default bool   `json:"default,omitempty"`
	// Draws is "once" for an input a trial draws once, "many" for one
	// drawn again and again (a lag per write, a copy time per backup).
	Draws string `json:"draws"`
	// P10Seconds and P90Seconds are the values it is pinned at.
	P10Seconds float64 `json:"p10_seconds"`
	P90Seconds float64 `json:"p90_seconds"`
	// Low and High are the metric with the input pinned at p10 and p90.
	Low  Estimate `json:"low"`
	High Estimate `json:"high"`
	// Swing is the span the bars cover: the largest minus the smallest of
	// Low, High and the baseline (|High − Low| when the ends lie on either
	// side of the baseline); null (infinite) when exactly one end is null.
	Swing *float64 `json:"swing"`
}

// ConstantInput is an input left out of the tornado because it is
// constant.
type ConstantInput struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// RankCorrelation is Spearman's rho between a single-draw input's uniform
// and the RTO and RPO of the baseline's incident trials (null where it
// does not exist: a constant outcome, too few trials).
type RankCorrelation struct {
	Name string   `json:"name"`
	What string   `json:"what"`
	RTO  *float64 `json:"spearman_rto"`
	RPO  *float64 `json:"spearman_rpo"`
	N    int      `json:"n"`
}

// WriteSensitivityJSON writes the sensitivity document as indented,
// deterministic JSON.
func WriteSensitivityJSON(w io.Writer, s *Sensitivity) error { return writeJSON(w, s) }

// MinTrials is the number of trials a run below which a what-if document
// warns that its intervals are too wide for a ranking or a comparison of
// runs to mean much, and the tornado's title names no driver.
const MinTrials = 100

// MinRankTrials is the fewest incident trials a rank correlation is
// computed from: with fewer, a ρ of ±1 is too easily chance (with 10
// pairs, |ρ| must exceed about 0.65 to differ from 0 at the 5% level), so
// it is null and a warning says why.
const MinRankTrials = 10

// BeyondNoise reports whether input in moves the metric beyond the run's
// noise: the value at one of its ends lies outside the 95% interval of
// the scenario as written (an end that is null where the baseline is not,
// an infinite RTO percentile, counts as outside). Because the ends share
// their trials with the baseline (common random numbers), this is a
// conservative test: a smaller true effect can exist; more trials resolve
// it.
func (s *Sensitivity) BeyondNoise(in SensitivityInput) bool {
	b := s.Baseline
	for _, e := range []Estimate{in.Low, in.High} {
		switch {
		case (e.Value == nil) != (b.Value == nil):
			return true
		case e.Value == nil:
			continue
		case b.CI95[0] != nil && *e.Value < *b.CI95[0]:
			return true
		case b.CI95[1] != nil && *e.Value > *b.CI95[1]:
			return true
		case b.CI95[0] == nil && b.CI95[1] == nil && *e.Value != *b.Value:
			return true // no interval: any change counts
		}
	}
	return false
}
