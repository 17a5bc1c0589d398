package findings_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

// dynamicExamples maps every dynamic kind to a scenario whose trials show
// it: the consistency cases', and dr508 for the slow failover, which no
// static finding predicts.
func dynamicExamples() map[string]string {
	out := map[string]string{
		findings.SlowFailover:             "dr508-slow-failover.toml",
		findings.KeyUnreachableFromRegion: "dr103-single-region-client-key.toml", // the hidden single-Region key
		findings.OpFailed:                 "dr301-required-promotion.toml",
	}
	for _, tc := range consistencyCases {
		if _, ok := out[tc.dynamic]; !ok {
			out[tc.dynamic] = tc.file
		}
	}
	return out
}

// TestDynamicKinds checks that every dynamic kind has an example scenario
// that produces it, with its rule's metadata, a located, one-line message
// and a fix.
func TestDynamicKinds(t *testing.T) {
	ex := dynamicExamples()
	for _, r := range findings.Rules() {
		if !r.Dynamic {
			continue
		}
		file, ok := ex[r.ID]
		if !ok {
			t.Errorf("%s has no example scenario", r.ID)
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			s := simulate(t, file)
			_, loc := load(t, file)
			var got *findings.Finding
			fs := findings.Dynamic(s.cfg, loc, s.results)
			for i := range fs {
				if fs[i].ID == r.ID && got == nil {
					got = &fs[i]
				}
			}
			if got == nil {
				t.Fatalf("%s does not produce %s", file, r.ID)
			}
			if got.Name != r.Name || got.Kind != findings.KindDynamic || got.Fix == "" || got.Effect == nil ||
				got.DocURL != findings.AWSRuleURL(got.AWSRule) || got.Location.Line == 0 || strings.ContainsAny(got.Message, "\n\r") {
				t.Errorf("%s: %+v", r.ID, *got)
			}
			if !strings.HasPrefix(got.Message, "in ") || !strings.Contains(got.Message, " of trials (") {
				t.Errorf("%s: the message does not start with the share of trials: %s", r.ID, got.Message)
			}
		})
	}
}

// TestSlowFailover checks DR508 on a runbook whose approval alone takes
// longer than the RTO objective: no static finding, and the dynamic
// finding names the approval as the longest part in the trials that miss
// the RTO because of it.
func TestSlowFailover(t *testing.T) {
	cfg, loc := load(t, "dr508-slow-failover.toml")
	if fs := findings.Static(cfg, loc); len(fs) != 0 {
		t.Fatalf("static findings: %v", lines(fs))
	}
	s := simulate(t, "dr508-slow-failover.toml")
	var f *findings.Finding
	for _, x := range findings.Dynamic(cfg, loc, s.results) {
		if x.ID == findings.SlowFailover {
			f = &x
		}
	}
	if f == nil || !slices.Equal(f.Subjects.Steps, []string{"approve"}) || f.Location.Path != "failover.steps[0].duration" {
		t.Fatalf("DR508: %+v", f)
	}
	// every trial recovered by the failover later than 30m has the cause
	want := 0
	for _, r := range s.results {
		if r.Recovered && r.RTO > 30*sim.Minute && r.FailoverAt == r.T0+r.RTO {
			want++
		}
	}
	if f.Effect.Trials != want || want == 0 || *f.Effect.MissBoth != 1 {
		t.Errorf("DR508 in %d trials (miss both %v), want %d, all missing", f.Effect.Trials, *f.Effect.MissBoth, want)
	}
}

// TestDynamicAggregation checks the Tally against a count by hand: shares,
// effects, order, representative trials; that it streams (Add in trial
// order gives Dynamic); and that it does not depend on the workers.
func TestDynamicAggregation(t *testing.T) {
	cfg, loc := load(t, "dr103-single-region-client-key.toml")
	a := model.RunTrials(cfg, cfg.Seed, cfg.Trials, 1, nil)
	b := model.RunTrials(cfg, cfg.Seed, cfg.Trials, 2, nil)
	fa, fb := findings.Dynamic(cfg, loc, a), findings.Dynamic(cfg, loc, b)
	if !reflect.DeepEqual(fa, fb) || len(fa) == 0 {
		t.Fatalf("the findings depend on the workers (%d, %d findings)", len(fa), len(fb))
	}
	tally := findings.NewTally(cfg)
	for i := range a {
		tally.Add(&a[i])
	}
	if !reflect.DeepEqual(tally.Findings(loc), fa) {
		t.Error("Tally differs from Dynamic")
	}
	n := float64(len(a))
	for i, f := range fa {
		e := f.Effect
		if i > 0 && *fa[i-1].Effect.MissBothOfAll < *e.MissBothOfAll {
			t.Errorf("finding %d (%s) costs more than finding %d", i, f.ID, i-1)
		}
		if e.Share != float64(e.Trials)/n || !near(*e.MissBothOfAll, e.Share**e.MissBoth) {
			t.Errorf("%s: share %v of %d trials, miss both %v of all %v", f.ID, e.Share, e.Trials, *e.MissBoth, *e.MissBothOfAll)
		}
	}
	// by hand: the trials whose causes hold the key unreachable from us-west-2
	var f *findings.Finding
	for i := range fa {
		if fa[i].ID == findings.KeyUnreachableFromRegion {
			f = &fa[i]
		}
	}
	if f == nil {
		t.Fatal("no DR501")
	}
	trials, miss, first := 0, 0, -1
	var rto float64
	for _, r := range a {
		if !slices.ContainsFunc(r.Causes, func(c model.Cause) bool { return c.Kind() == model.CauseKMSCall }) {
			continue
		}
		trials++
		mr, mp := r.Meets(&cfg.Objectives)
		if !(mr && mp) {
			miss++
			if first < 0 {
				first = r.Trial
			}
		}
		rto += float64(r.RTO) / float64(sim.Second)
	}
	if f.Effect.Trials != trials || *f.Effect.MissBoth != float64(miss)/float64(trials) || *f.Effect.Representative != first ||
		!near(*f.Effect.RTOSeconds, rto/float64(trials)) {
		t.Errorf("DR501 effect %+v; by hand %d trials, %d missing, first %d, mean RTO %gs", *f.Effect, trials, miss, first, rto/float64(trials))
	}
}

func near(a, b float64) bool { d := a - b; return d < 1e-6*max(1, b) && -d < 1e-6*max(1, b) }

// TestDynamicWithoutObjectives checks that without objectives a dynamic
// finding has no miss-both share and that FixFirst keeps only those with
// unrecovered trials.
func TestDynamicWithoutObjectives(t *testing.T) {
	cfg, loc := load(t, "dr103-single-region-client-key.toml")
	cfg.Objectives.HasRTO, cfg.Objectives.HasRPO = false, false
	fs := findings.Dynamic(cfg, loc, model.RunTrials(cfg, cfg.Seed, 50, 2, nil))
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if f.Effect.MissBoth != nil || f.Effect.MissBothOfAll != nil || strings.Contains(f.Message, "missed the objectives") {
			t.Errorf("%s: judged without objectives: %s", f.ID, f.Message)
		}
	}
	if got := findings.FixFirst(fs, 5); len(got) != 0 {
		t.Errorf("FixFirst without objectives nor unrecovered trials: %v", got)
	}
}

// TestFixFirst checks the selection and order of "What to fix first".
func TestFixFirst(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	fs := []findings.Finding{
		{ID: "DR103", Kind: findings.KindStatic},
		{ID: "DR501", Kind: findings.KindDynamic, Effect: &findings.Effect{MissBothOfAll: p(0.4)}},
		{ID: "DR507", Kind: findings.KindDynamic, Effect: &findings.Effect{MissBothOfAll: p(0.1)}},
		{ID: "DR506", Kind: findings.KindDynamic, Effect: &findings.Effect{MissBothOfAll: p(0)}},
		{ID: "DR509", Kind: findings.KindDynamic, Effect: &findings.Effect{Unrecovered: 3}},
	}
	var ids []string
	for _, f := range findings.FixFirst(fs, 5) {
		ids = append(ids, f.ID)
	}
	if strings.Join(ids, ",") != "DR501,DR507,DR509" {
		t.Errorf("FixFirst = %v", ids)
	}
	if got := findings.FixFirst(fs, 1); len(got) != 1 || got[0].ID != "DR501" {
		t.Errorf("FixFirst(1) = %v", got)
	}
}

// TestLink checks that a dynamic finding confirms a static finding of a
// kind its rule lists when every kind of subject both name shares a name,
// and only then.
func TestLink(t *testing.T) {
	st := findings.Finding{ID: findings.SingleRegionClientKeyAfterFailover, Kind: findings.KindStatic,
		Location: findings.Location{File: "a.toml", Line: 3, Col: 1},
		Subjects: findings.Subjects{Keys: []string{"legacy"}, Stores: []string{"sessions"}, Regions: []string{"us-east-1", "us-west-2"}}}
	dyn := func(id string, s findings.Subjects) findings.Finding {
		return findings.Finding{ID: id, Kind: findings.KindDynamic, Subjects: s}
	}
	for _, tt := range []struct {
		d    findings.Finding
		want bool
	}{
		{dyn(findings.KeyUnreachableFromRegion, findings.Subjects{Keys: []string{"legacy"}, Stores: []string{"sessions"}, Regions: []string{"us-west-2"}, Principals: []string{"app"}}), true},
		{dyn(findings.KeyUnreachableFromRegion, findings.Subjects{Keys: []string{"tokens"}, Stores: []string{"sessions"}}), false},
		{dyn(findings.KeyUnreachableFromRegion, findings.Subjects{Principals: []string{"app"}}), false}, // nothing in common to compare
		{dyn(findings.KMSThrottled, findings.Subjects{Regions: []string{"us-west-2"}}), false},          // not a kind DR503 confirms
	} {
		fs := []findings.Finding{st, tt.d}
		findings.Link(fs)
		if got := len(fs[1].Confirms) == 1 && fs[1].Confirms[0] == (findings.Ref{ID: st.ID, Location: st.Location}); got != tt.want {
			t.Errorf("%s %+v: confirms %v, want %v", tt.d.ID, tt.d.Subjects, fs[1].Confirms, tt.want)
		}
		if fs[0].Confirms != nil {
			t.Error("a static finding confirms something")
		}
	}
}

// TestRelocate checks that a dynamic finding computed without a locator
// points, once relocated, at the first of its paths that was written.
func TestRelocate(t *testing.T) {
	cfg, loc := load(t, "dr401-quota-after-failover.toml")
	s := simulate(t, "dr401-quota-after-failover.toml")
	fs := findings.Dynamic(cfg, nil, s.results)
	var f *findings.Finding
	for i := range fs {
		if fs[i].ID == findings.KMSThrottled {
			f = &fs[i]
		}
	}
	if f == nil || f.Location.Line != 0 {
		t.Fatalf("DR503 without a locator: %+v", f)
	}
	findings.Relocate(fs, loc)
	want := findings.Location{File: "testdata/dr401-quota-after-failover.toml", Line: 7, Col: 1, Path: "regions.us-west-2.kms_rps"}
	if f.Location != want {
		t.Errorf("relocated to %+v, want %+v", f.Location, want)
	}
	withLoc := findings.Dynamic(cfg, loc, s.results)
	for i := range withLoc {
		if withLoc[i].Location != fs[i].Location {
			t.Errorf("%s: relocated %v, located %v", fs[i].ID, fs[i].Location, withLoc[i].Location)
		}
	}
}

// TestDynamicJSON checks the JSON shape of a dynamic finding: its effect
// and the static findings it confirms.
func TestDynamicJSON(t *testing.T) {
	cfg, loc := load(t, "dr103-single-region-client-key.toml")
	s := simulate(t, "dr103-single-region-client-key.toml")
	fs := append(findings.Static(cfg, loc), findings.Dynamic(cfg, loc, s.results)...)
	findings.Link(fs)
	data, err := json.Marshal(fs[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":"DR501"`, `"kind":"dynamic"`, `"effect":{"trials":200,"share":1,"miss_both":1,"unrecovered":0,`,
		`"rto_seconds_mean":`, `"representative_trial":0`, `"miss_both_of_all":1`, `"cause":"kms-call"`,
		`"confirms":[{"id":"DR103","location":{"file":"testdata/dr103-single-region-client-key.toml","line":11,"col":1,"path":"tables.sessions.client_key"}}]`,
		`"keys":["legacy"]`, `"principals":["app"]`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s: %s", key, data)
		}
	}
}
