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

// CompareInput is one run to compare: its config, its trials (compact, or
// as full results when Trials is nil) and its report (built from them when
// nil).
type CompareInput struct {
	Cfg     *model.Config
	Trials  *Trials
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
	RPOSeconds     RPOSummary    `json:"rpo_seconds"`
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
	trials := make([]*Trials, len(runs))
	for i, in := range runs {
		trials[i] = in.Trials
		if trials[i] == nil {
			trials[i] = NewTrials(in.Cfg, in.Cfg.Seed, 0)
			trials[i].Add(in.Results...)
		}
		reports[i] = in.Report
		if reports[i] == nil {
			reports[i] = BuildTrials(trials[i], nil, nil)
		}
	}
	base := runs[0]
	labels := compareLabels(runs, reports)
	c.Baseline = labels[0]
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
			d, paired := pairedDiff(trials[0], trials[i])
			d.MonthlyUSD = human.Round(r.Cost.MonthlyUSD.Total - reports[0].Cost.MonthlyUSD.Total)
			if paired != trials[i].N() || paired != trials[0].N() {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %s trials paired with the baseline (%s and %s trials)",
					labels[i], human.Int(paired), human.Int(trials[i].N()), human.Int(trials[0].N())))
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

// pairedDiff computes the differences of b's trials against the
// baseline's trials with the same index. It returns them with the number of
// pairs.
func pairedDiff(a, b *Trials) (*PairedDiff, int) {
	var rto, rpo, lost, fails, meet []float64
	lo := max(a.from, b.from)
	hi := min(a.from+a.N(), b.from+b.N())
	paired := 0
	for i := lo; i < hi; i++ {
		ra, rb := a.Record(i), b.Record(i)
		paired++
		_, fa := a.failuresOfTrial(i)
		_, fb := b.failuresOfTrial(i)
		fails = append(fails, fb-fa)
		meet = append(meet, meetBothRec(b.Cfg, rb)-meetBothRec(a.Cfg, ra))
		if usableRec(ra) && usableRec(rb) {
			rto = append(rto, recSeconds(rb, true)-recSeconds(ra, true))
			// An unbounded RPO has no difference: the pair is left out of
			// the RPO and lost-writes differences, as an unrecovered one is
			// of all three.
			if !ra.UnboundedRPO() && !rb.UnboundedRPO() {
				rpo = append(rpo, recSeconds(rb, false)-recSeconds(ra, false))
				lost = append(lost, float64(recLost(b, i)-recLost(a, i)))
			}
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

// usableRec reports whether a trial has an RTO: incident-free or
// recovered.
func usableRec(r *Record) bool { return !r.Incident() || r.Recovered() }

// recSeconds is the RTO (or RPO) of a usable trial, 0 without incident.
func recSeconds(r *Record, rto bool) float64 {
	if !r.Incident() {
		return 0
	}
	if rto {
		return seconds(r.RTO)
	}
	return seconds(r.RPO)
}

func recLost(t *Trials, i int) int64 {
	if !t.Record(i).Incident() {
		return 0
	}
	return t.LostTotal(i)
}

// meetBothRec is 1 when the trial meets the objectives that are set, else 0.
func meetBothRec(cfg *model.Config, r *Record) float64 {
	if a, b := meetsRec(cfg, r); a && b {
		return 1
	}
	return 0
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
