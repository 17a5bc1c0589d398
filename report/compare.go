package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/human"
)

// CompareSchema identifies the version of the comparison document.
const CompareSchema = "drsim.compare/v1"

// CompareInput is one run to compare: its config, its per-trial results and
// its report (built from them when nil).
type CompareInput struct {
	Cfg     *model.Config
	Results []model.TrialResult
	Report  *Report
}

// Comparison compares scenarios run with the same seed and trial indices
// (common random numbers) against the first one, the baseline.
type Comparison struct {
	Schema string `json:"schema"`
	// Baseline is the label of the first scenario.
	Baseline string `json:"baseline"`
	// Overrides are the --set overrides every scenario was run with;
	// absent without any.
	Overrides []Override `json:"overrides,omitempty"`
	// Precision says how a run to precision chose the common number of
	// trials; absent for a plain comparison.
	Precision *Precision        `json:"precision,omitempty"`
	Scenarios []CompareScenario `json:"scenarios"`
	Warnings  []string          `json:"warnings"`
}

// CompareScenario is one scenario of a comparison.
type CompareScenario struct {
	Scenario string `json:"scenario"`
	// Label names the scenario in the comparison: its name, or, when
	// another compared scenario has the same name, its file stem (its
	// file, or "#N" after it, while that is not unique either).
	Label          string        `json:"label"`
	File           string        `json:"file,omitempty"`
	Trials         int           `json:"trials"`
	Seed           uint64        `json:"seed"`
	IncidentTrials int           `json:"incident_trials"`
	Objectives     Objectives    `json:"objectives"`
	RTOSeconds     RTOSummary    `json:"rto_seconds"`
	RPOSeconds     Summary       `json:"rpo_seconds"`
	ObjectivesMet  ObjectivesMet `json:"objectives_met"`
	// LostWritesMean is the mean over recovered incident trials.
	LostWritesMean *float64 `json:"lost_writes_mean"`
	// KMSFailuresMean is the mean number of KMS failures (failed KMS
	// cryptographic calls) per trial; the JSON key keeps schema v1's name.
	KMSFailuresMean float64 `json:"decrypt_failures_mean"`
	// KMSFailuresByKey and KMSFailuresByStore are the same mean by key
	// and by store (metrics.decrypt_failures.by_key and by_store of the
	// scenario's report).
	KMSFailuresByKey   map[string]float64 `json:"decrypt_failures_by_key"`
	KMSFailuresByStore map[string]float64 `json:"decrypt_failures_by_store"`
	MonthlyUSD         float64            `json:"monthly_usd"`
	// RTODistribution is the scenario's RTO quantile grid over incident
	// trials (Distributions.RTO of its report), for the overlaid CDF chart.
	RTODistribution []QuantilePoint `json:"rto_distribution"`
	// VsBaseline holds the paired differences (this − baseline); nil for
	// the baseline itself.
	VsBaseline *PairedDiff `json:"vs_baseline,omitempty"`
	// PairingBroken says why trial i of this scenario does not see the
	// same outage draws as trial i of the baseline (an outage stream in
	// only one of them, or other start, duration or phase
	// distributions): the paired differences then compare different
	// outages. Absent when the pairing holds.
	PairingBroken []string `json:"pairing_broken,omitempty"`
}

// Name returns the scenario's label, or its name in a document without
// labels (written before they were added).
func (s *CompareScenario) Name() string {
	if s.Label != "" {
		return s.Label
	}
	return s.Scenario
}

// PairedDiff holds paired differences against the baseline, over the trial
// indices present in both runs.
type PairedDiff struct {
	// RTOSeconds, RPOSeconds and LostWrites are over the trials that are
	// incident-free or recovered in both (incident-free counts as 0).
	RTOSeconds Diff `json:"rto_seconds"`
	RPOSeconds Diff `json:"rpo_seconds"`
	LostWrites Diff `json:"lost_writes"`
	// KMSFailures is the difference in KMS failures (failed KMS
	// cryptographic calls) over all paired trials; the JSON key keeps
	// schema v1's name.
	KMSFailures Diff `json:"decrypt_failures"`
	// MeetBoth is the difference in P(meet both), each scenario judged
	// against its own objectives, over all paired trials.
	MeetBoth Diff `json:"meet_both"`
	// MonthlyUSD is the difference in monthly cost.
	MonthlyUSD float64 `json:"monthly_usd"`
}

// Diff is a mean paired difference with its 95% interval over N pairs.
type Diff struct {
	Mean *float64    `json:"mean"`
	CI95 *[2]float64 `json:"ci95"`
	N    int         `json:"n"`
}

// Compare compares runs against the first one. It never fails: runs that
// cannot be paired properly give warnings.
func Compare(runs []CompareInput) *Comparison {
	c := &Comparison{Schema: CompareSchema, Scenarios: []CompareScenario{}, Warnings: []string{}}
	if len(runs) == 0 {
		c.Warnings = append(c.Warnings, "no scenarios to compare")
		return c
	}
	var ok []CompareInput
	for i, in := range runs {
		if in.Cfg == nil {
			c.Warnings = append(c.Warnings, fmt.Sprintf("scenario %d has no configuration: left out", i+1))
			continue
		}
		ok = append(ok, in)
	}
	if len(ok) == 0 {
		return c
	}
	runs = ok
	reports := make([]*Report, len(runs))
	for i, in := range runs {
		reports[i] = in.Report
		if reports[i] == nil {
			reports[i] = Build(in.Cfg, in.Cfg.Seed, in.Results, nil, -1)
		}
	}
	base := runs[0]
	labels := compareLabels(runs, reports)
	c.Baseline = labels[0]
	// baseAt maps a trial index to its position in the baseline results;
	// it is only looked up, never iterated.
	baseAt := make(map[int]int, len(base.Results))
	for i := range base.Results {
		if _, dup := baseAt[base.Results[i].Trial]; !dup {
			baseAt[base.Results[i].Trial] = i
		}
	}
	for i, in := range runs {
		r := reports[i]
		s := CompareScenario{
			Scenario:           r.Scenario,
			Label:              labels[i],
			File:               in.Cfg.File,
			Trials:             r.Trials,
			Seed:               r.Seed,
			IncidentTrials:     r.Metrics.IncidentTrials,
			Objectives:         r.Objectives,
			RTOSeconds:         withoutCIs(r.Metrics.RTOSeconds),
			RPOSeconds:         r.Metrics.RPOSeconds,
			ObjectivesMet:      r.ObjectivesMet,
			LostWritesMean:     r.Metrics.LostWrites.Mean,
			KMSFailuresMean:    r.Metrics.KMSFailures.TotalMean,
			KMSFailuresByKey:   orEmptyMap(r.Metrics.KMSFailures.ByKey),
			KMSFailuresByStore: orEmptyMap(r.Metrics.KMSFailures.ByStore),
			MonthlyUSD:         r.Cost.MonthlyUSD.Total,
			RTODistribution:    orEmpty(r.Distributions.RTO),
		}
		s.RPOSeconds.PCI95 = nil
		if i > 0 {
			if r.Seed != reports[0].Seed {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s ran with seed %d, the baseline with %d: trials are not paired, the differences' intervals are not valid",
					labels[i], r.Seed, reports[0].Seed))
			}
			broken, differences := Pairing(base.Cfg, in.Cfg, labels[0], labels[i])
			if len(broken) > 0 {
				s.PairingBroken = broken
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: pairing with the baseline is broken, trial i does not see the same outage in both, so the paired differences compare different outages: %s",
					labels[i], strings.Join(broken, "; ")))
			}
			for _, d := range differences {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s differs from the baseline in its %s (a difference between the setups; the trials stay paired)", labels[i], d))
			}
			if in.Cfg.Objectives != base.Cfg.Objectives {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s has other objectives than the baseline: each P(meet both) is judged against its own", labels[i]))
			}
			d, paired := pairedDiff(base.Cfg, in.Cfg, base.Results, in.Results, baseAt)
			d.MonthlyUSD = human.Round(r.Cost.MonthlyUSD.Total - reports[0].Cost.MonthlyUSD.Total)
			if paired != len(in.Results) || paired != len(base.Results) {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %s trials paired with the baseline (%s and %s trials)",
					labels[i], human.Int(paired), human.Int(len(in.Results)), human.Int(len(base.Results))))
			}
			s.VsBaseline = d
		}
		c.Scenarios = append(c.Scenarios, s)
		for _, w := range r.Warnings {
			c.Warnings = append(c.Warnings, labels[i]+": "+w)
		}
	}
	return c
}

// orEmptyMap returns m, or an empty map when it is nil (a report read
// from an older document).
func orEmptyMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return map[string]float64{}
	}
	return m
}

// compareLabels returns a distinct label for every run: its scenario
// name, or, among runs that share a name, the stem of its file, then the
// file as given, then the name with " #N" (the N-th run of that label).
func compareLabels(runs []CompareInput, reports []*Report) []string {
	labels := make([]string, len(runs))
	for i := range runs {
		labels[i] = reports[i].Scenario
	}
	count := func(l string) int {
		n := 0
		for _, x := range labels {
			if x == l {
				n++
			}
		}
		return n
	}
	dup := make([]bool, len(labels))
	for i := range labels {
		dup[i] = count(labels[i]) > 1
	}
	for i := range labels {
		if dup[i] && runs[i].Cfg.File != "" {
			labels[i] = strings.TrimSuffix(filepath.Base(runs[i].Cfg.File), ".toml")
		}
	}
	for i := range labels {
		dup[i] = count(labels[i]) > 1
	}
	for i := range labels {
		if dup[i] && runs[i].Cfg.File != "" {
			labels[i] = runs[i].Cfg.File
		}
	}
	for i := range labels {
		dup[i] = count(labels[i]) > 1
	}
	seen := map[string]int{}
	for i := range labels {
		if dup[i] {
			seen[labels[i]]++
			labels[i] = fmt.Sprintf("%s #%d", labels[i], seen[labels[i]])
		}
	}
	return labels
}

func withoutCIs(s RTOSummary) RTOSummary {
	s.PCI95 = nil
	return s
}

// pairedDiff computes the differences of b's trials against the baseline's
// trials with the same index. It returns them with the number of pairs.
func pairedDiff(cfgA, cfgB *model.Config, a, b []model.TrialResult, aAt map[int]int) (*PairedDiff, int) {
	var rto, rpo, lost, fails, meet []float64
	paired := 0
	for i := range b {
		tb := &b[i]
		j, ok := aAt[tb.Trial]
		if !ok {
			continue
		}
		ta := &a[j]
		paired++
		fails = append(fails, sumFloats(tb.KMSFailures)-sumFloats(ta.KMSFailures))
		meet = append(meet, meetBoth(cfgB, tb)-meetBoth(cfgA, ta))
		if usable(ta) && usable(tb) {
			rto = append(rto, recoverySeconds(tb, true)-recoverySeconds(ta, true))
			rpo = append(rpo, recoverySeconds(tb, false)-recoverySeconds(ta, false))
			lost = append(lost, float64(lostOf(tb)-lostOf(ta)))
		}
	}
	return &PairedDiff{
		RTOSeconds:  diff(rto),
		RPOSeconds:  diff(rpo),
		LostWrites:  diff(lost),
		KMSFailures: diff(fails),
		MeetBoth:    diff(meet),
	}, paired
}

// usable reports whether a trial has an RTO: incident-free or recovered.
func usable(t *model.TrialResult) bool { return !t.Incident || t.Recovered }

// recoverySeconds is the RTO (or RPO) of a usable trial, 0 without incident.
func recoverySeconds(t *model.TrialResult, rto bool) float64 {
	if !t.Incident {
		return 0
	}
	if rto {
		return seconds(t.RTO)
	}
	return seconds(t.RPO)
}

func lostOf(t *model.TrialResult) int64 {
	if !t.Incident {
		return 0
	}
	return t.LostTotal
}

// meetBoth is 1 when the trial meets the objectives that are set, else 0.
func meetBoth(cfg *model.Config, t *model.TrialResult) float64 {
	if a, b := meets(cfg, t); a && b {
		return 1
	}
	return 0
}

func sumFloats(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

func diff(d []float64) Diff {
	if len(d) == 0 {
		return Diff{}
	}
	mean, ci := meanCI(d)
	return Diff{Mean: ptr(human.Round(mean)), CI95: ci, N: len(d)}
}

// WriteCompareJSON writes the comparison as indented, deterministic JSON.
func WriteCompareJSON(w io.Writer, c *Comparison) error { return writeJSON(w, c) }
