package findings

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/drsim/drsim/model"
)

// Severity says how bad a finding is: Error (the setup cannot work as
// intended: AWS refuses it, or the failover cannot recover; for a dynamic
// finding, most trials with the cause miss the objectives, or some do not
// recover), Warning (it works, but worse than the scenario asks or than
// AWS allows), Info.
type Severity int

// Severities, from least to most severe.
const (
	Info Severity = iota
	Warning
	Error
)

var severityNames = [...]string{Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if s >= Info && s <= Error {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "info". It returns an error
// naming the valid values otherwise.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("findings: unknown severity %q (want error, warning or info)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Info || s > Error {
		return nil, fmt.Errorf("findings: invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Kinds of findings.
const (
	// KindStatic is a finding computed from the scenario alone (Static).
	KindStatic = "static"
	// KindDynamic is a finding computed from the trials of a run.
	KindDynamic = "dynamic"
)

// Location is where a finding points: the file, 1-based line and column of
// the value at fault (both 0, and absent from JSON, when only the file is
// known), and its key path as load errors print it
// ("tables.orders.keys_in.us-west-2"). A value left at its default points
// at its table header. A value given by a --set argument is in the file
// "--set #N", line 1 (an argument is one line), at its column there.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	Path string `json:"path"`
}

// String returns "file:line:col", "file" when the line is unknown.
func (l Location) String() string {
	if l.Line <= 0 {
		return l.File
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
}

// Subjects are the things a finding is about, by their scenario names:
// keys, stores (buckets and tables), regions, principals and runbook steps.
// Each list is sorted and has no duplicates.
type Subjects struct {
	Keys       []string `json:"keys,omitempty"`
	Stores     []string `json:"stores,omitempty"`
	Regions    []string `json:"regions,omitempty"`
	Principals []string `json:"principals,omitempty"`
	Steps      []string `json:"steps,omitempty"`
}

func (s *Subjects) normalize() {
	for _, l := range []*[]string{&s.Keys, &s.Stores, &s.Regions, &s.Principals, &s.Steps} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
		if len(*l) == 0 {
			*l = nil
		}
	}
}

// Effect is what the trials of a run showed of a finding's cause. Static
// findings have none; dynamic findings fill it.
type Effect struct {
	// Trials counts the trials in which the cause was observed, and Share
	// is Trials over all trials of the run.
	Trials int     `json:"trials"`
	Share  float64 `json:"share"`
	// MissBoth is the share of the trials with the cause that miss both
	// objectives (docs/findings.md: a dynamic finding's effect);
	// null when no objective is set.
	MissBoth *float64 `json:"miss_both"`
	// Unrecovered counts the trials with the cause whose service was not
	// up again within the horizon.
	Unrecovered int `json:"unrecovered"`
	// RTOSeconds, RPOSeconds and LostWrites are means over the recovered
	// trials with the cause (seconds, seconds, writes), RPOSeconds and
	// LostWrites over those whose RPO is bounded; null when there is none.
	RTOSeconds *float64 `json:"rto_seconds_mean"`
	RPOSeconds *float64 `json:"rpo_seconds_mean"`
	LostWrites *float64 `json:"lost_writes_mean"`
	// UnboundedRPO counts the recovered trials with the cause whose RPO is
	// unbounded (model.TrialResult.StoreRPO); left out when 0.
	UnboundedRPO int `json:"unbounded_rpo,omitempty"`
	// Representative is the index of a trial that shows the cause, for
	// drsim trace --trial; null when none does.
	Representative *int `json:"representative_trial"`
	// MissBothOfAll is the share of all trials of the run that have the
	// cause and miss the objectives (Share × MissBoth): the most that
	// removing the cause could add to P(meet both). Dynamic findings are
	// ordered by it. 0 for a cause that is not decisive by itself (the
	// failure of an action or of an optional step: what it leaves undone
	// is its own cause). Null when no objective is set.
	MissBothOfAll *float64 `json:"miss_both_of_all"`
	// Cause is the kind of cause the trials recorded (model.CauseKind:
	// "kms-call", "replication-call", "throttled", "store-unavailable",
	// "sts", "step", "slow-failover", "stale").
	Cause string `json:"cause"`
	// Errors counts, for a "step" cause, the trials with the cause by the
	// AWS error name of the op's last failed attempt.
	Errors map[string]int `json:"errors,omitempty"`
}

// Ref points at another finding: its id and location.
type Ref struct {
	ID       string   `json:"id"`
	Location Location `json:"location"`
}

// Finding is a named, located, explained problem with a setup (docs/findings.md), the way a linter reports one.
type Finding struct {
	// ID is the rule's stable id, like "DR104"; Name is the rule's name.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Kind is KindStatic or KindDynamic.
	Kind     string   `json:"kind"`
	Severity Severity `json:"severity"`
	Location Location `json:"location"`
	// Message is one line naming the keys, stores, regions and principals
	// concerned and what goes wrong.
	Message string `json:"message"`
	// AWSRule is the AWS rule the finding rests on: an id of
	// docs/aws-behaviour.md (K1..K13, S1..S4, D1..D4, G1..G8), or the URL
	// of an AWS documentation page; DocURL links it.
	AWSRule string `json:"aws_rule"`
	DocURL  string `json:"aws_rule_url"`
	// Fix says what to change in the scenario (and so in the setup).
	Fix      string   `json:"fix"`
	Subjects Subjects `json:"subjects"`
	// Effect is filled by dynamic findings only.
	Effect *Effect `json:"effect,omitempty"`
	// Confirms lists, for a dynamic finding, the static findings whose
	// cause the trials showed: a kind its rule can confirm
	// (Rule.Confirms), with the same subjects (Link).
	Confirms []Ref `json:"confirms,omitempty"`

	// candidates are the key paths a dynamic finding may point at, most
	// specific first (Relocate).
	candidates []string
}

// String returns the compiler-style line "file:line:col: severity ID:
// message".
func (f *Finding) String() string {
	return fmt.Sprintf("%s: %s %s: %s", f.Location, f.Severity, f.ID, f.Message)
}

// Sort orders findings by file, line, column, id and message, so that the
// output never depends on the order in which the checks ran.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Line, b.Location.Line),
			cmp.Compare(a.Location.Col, b.Location.Col),
			strings.Compare(a.ID, b.ID),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// Max returns the highest severity among fs, and false when fs is empty.
func Max(fs []Finding) (Severity, bool) {
	if len(fs) == 0 {
		return Info, false
	}
	m := Info
	for i := range fs {
		m = max(m, fs[i].Severity)
	}
	return m, true
}

// Count returns the number of findings of each severity, indexed by
// Severity.
func Count(fs []Finding) [3]int {
	var n [3]int
	for i := range fs {
		if s := fs[i].Severity; s >= Info && s <= Error {
			n[s]++
		}
	}
	return n
}

// locate returns the Location of path through loc (nil: the scenario's
// file only).
func locate(cfg *model.Config, loc model.Locator, path string) Location {
	if loc == nil {
		return Location{File: cfg.File, Path: path}
	}
	p, _ := loc.Locate(path)
	return position(p.File, p.Line, p.Col, path)
}

// position returns a Location whose line and column are valid (1-based) or
// both 0: a position in a one-line origin (a --set argument) without a
// line is on its line 1.
func position(file string, line, col int, path string) Location {
	switch {
	case line <= 0 && col > 0:
		line = 1
	case line <= 0 || col < 0:
		line, col = 0, 0
	}
	return Location{File: file, Line: line, Col: col, Path: path}
}
