package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/report/internal/fixture"
	"github.com/drsim/drsim/sim"
)

// rpCompareRuns returns fixture.CompareRuns as inputs to Compare.
func rpCompareRuns() []CompareInput {
	cfgs, results := fixture.CompareRuns()
	in := make([]CompareInput, len(cfgs))
	for i := range cfgs {
		in[i] = CompareInput{Cfg: cfgs[i], Results: results[i]}
	}
	return in
}

func TestCompare(t *testing.T) {
	c := Compare(rpCompareRuns())
	if c.Schema != CompareSchema || c.Baseline != "snowy-alerting" || len(c.Scenarios) != 2 {
		t.Fatalf("comparison: %+v", c)
	}
	if c.Scenarios[0].VsBaseline != nil {
		t.Error("baseline compared with itself")
	}
	d := c.Scenarios[1].VsBaseline
	if d == nil {
		t.Fatal("no differences")
	}
	// 200 trials, 4 unrecovered in both: 196 pairs.
	if d.RTOSeconds.N != 196 || d.MeetBoth.N != 200 || d.KMSFailures.N != 200 {
		t.Errorf("pairs: rto %d meet %d fails %d", d.RTOSeconds.N, d.MeetBoth.N, d.KMSFailures.N)
	}
	if d.RTOSeconds.Mean == nil || *d.RTOSeconds.Mean >= 0 || d.RTOSeconds.CI95[1] >= 0 {
		t.Errorf("RTO difference should be clearly negative: %+v", d.RTOSeconds)
	}
	// RPO: +60 s in each of the 162 recovered incident trials, 0 in the
	// 34 incident-free ones; the difference is exact, its interval tight.
	if want := 60.0 * 162 / 196; d.RPOSeconds.Mean == nil || !approxEq(*d.RPOSeconds.Mean, want, 1e-8) {
		t.Errorf("RPO difference %s, want %v", fp(d.RPOSeconds.Mean), want)
	}
	if *d.KMSFailures.Mean != 0 || *d.LostWrites.Mean != 0 {
		t.Errorf("unchanged metrics differ: %+v %+v", d.KMSFailures, d.LostWrites)
	}
	// Dropping RTC saves its 192.48 USD a month.
	if !approxEq(d.MonthlyUSD, -192.48046875, 1e-8) {
		t.Errorf("cost difference %v", d.MonthlyUSD)
	}
	pa, pb := *c.Scenarios[0].ObjectivesMet.Both.P, *c.Scenarios[1].ObjectivesMet.Both.P
	if !approxEq(*d.MeetBoth.Mean, pb-pa, 1e-8) {
		t.Errorf("meet-both difference %v, want %v − %v", *d.MeetBoth.Mean, pb, pa)
	}
}

const time1h = sim.Hour

func TestComparePairing(t *testing.T) {
	runs := rpCompareRuns()
	runs[1].Results = runs[1].Results[:150]
	runs[1].Cfg.Seed = 8
	runs[1].Cfg.Objectives.RTO = time1h
	runs[1].Report = Build(runs[1].Cfg, 8, runs[1].Results, nil, -1)
	c := Compare(runs)
	w := strings.Join(c.Warnings, "\n")
	for _, want := range []string{"seed 8, the baseline with 7", "snowy-fast has other objectives than the baseline", "150 trials paired with the baseline (150 and 200 trials)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if n := c.Scenarios[1].VsBaseline.MeetBoth.N; n != 150 {
		t.Errorf("%d pairs, want 150", n)
	}
	if c := Compare(nil); len(c.Warnings) != 1 || c.Scenarios == nil {
		t.Errorf("empty comparison: %+v", c)
	}
}

func TestGoldenCompare(t *testing.T) {
	c := Compare(rpCompareRuns())
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"compare_snowy.json", func(b *bytes.Buffer) error { return WriteCompareJSON(b, c) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			rpGolden(t, tt.file, b.Bytes())
		})
	}
}

// TestComparePairingBroken: an outage stream in one scenario only, or one
// drawn from other distributions, breaks the pairing (a warning that says
// which, and pairing_broken); a different horizon is a difference, not a
// broken pairing; other services or regions keep it.
func TestComparePairingBroken(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *model.Config)
		broken []string
		warn   string
	}{
		{"same outages", func(c *model.Config) {}, nil, ""},
		{"other services", func(c *model.Config) { c.Outages[0].Services = model.SvcKMS }, nil, ""},
		{"other probability", func(c *model.Config) { c.Outages[0].Probability = 0.5 }, nil, ""},
		{"renamed outage", func(c *model.Config) { c.Outages[0].Stream = "other" }, []string{
			`outage "us-east-1 regional outage" exists only in snowy-alerting`, `outage "other" exists only in snowy-fast`}, ""},
		{"extra outage", func(c *model.Config) {
			c.Outages = append(c.Outages, c.Outages[0])
			c.Outages[1].Stream = "outage-2"
		}, []string{`outage "outage-2" exists only in snowy-fast`}, ""},
		{"other start", func(c *model.Config) { c.Outages[0].Start = sim.UniformDist(time1h, 2*time1h) }, []string{
			`outage "us-east-1 regional outage" draws other values: start uniform(1h, 20h) vs uniform(1h, 2h)`}, ""},
		{"other duration", func(c *model.Config) { c.Outages[0].Duration = sim.ConstDist(time1h) }, []string{
			`outage "us-east-1 regional outage" draws other values: duration lognormal(median=3h, p99=12h) vs 1h`}, ""},
		{"horizon", func(c *model.Config) { c.Horizon = 48 * time1h }, nil,
			"snowy-fast differs from the baseline in its horizon 2d, snowy-alerting's 1d (a difference between the setups; the trials stay paired)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := rpCompareRuns()
			cp := *runs[1].Cfg
			cp.Outages = append([]model.Outage(nil), cp.Outages...)
			tt.edit(&cp)
			runs[1].Cfg = &cp
			c := Compare(runs)
			if !slices.Equal(c.Scenarios[1].PairingBroken, tt.broken) {
				t.Errorf("pairing_broken = %q, want %q", c.Scenarios[1].PairingBroken, tt.broken)
			}
			w := strings.Join(c.Warnings, "\n")
			if got := strings.Contains(w, "pairing with the baseline is broken"); got != (tt.broken != nil) {
				t.Errorf("broken-pairing warning %v, want %v:\n%s", got, tt.broken != nil, w)
			}
			if tt.warn != "" && !strings.Contains(w, tt.warn) {
				t.Errorf("warnings lack %q:\n%s", tt.warn, w)
			}
		})
	}
}

// TestCompareLabels: scenarios with the same name are labelled by their
// file stems, then files, then numbers.
func TestCompareLabels(t *testing.T) {
	tests := []struct {
		names, files, want []string
	}{
		{[]string{"a", "b"}, []string{"x.toml", "y.toml"}, []string{"a", "b"}},
		{[]string{"a", "a", "b"}, []string{"dir/x.toml", "y.toml", "x.toml"}, []string{"x", "y", "b"}},
		{[]string{"a", "a"}, []string{"p/x.toml", "q/x.toml"}, []string{"p/x.toml", "q/x.toml"}},
		{[]string{"a", "a"}, []string{"x.toml", "x.toml"}, []string{"x.toml #1", "x.toml #2"}},
	}
	for _, tt := range tests {
		runs := rpCompareRuns()[:1]
		for len(runs) < len(tt.names) {
			runs = append(runs, rpCompareRuns()[0])
		}
		for i := range runs {
			cp := *runs[i].Cfg
			cp.Name, cp.File = tt.names[i], tt.files[i]
			runs[i].Cfg = &cp
		}
		c := Compare(runs)
		var got []string
		for _, s := range c.Scenarios {
			got = append(got, s.Label)
		}
		if !slices.Equal(got, tt.want) || c.Baseline != tt.want[0] {
			t.Errorf("%v %v: labels %v baseline %q, want %v", tt.names, tt.files, got, c.Baseline, tt.want)
		}
	}
}

// TestPairingNamesPhasesByPath: a phase that draws other values is named
// by its key path, from 0, as --set and --vary name it (issue: warnings
// said "phase 1" where the paths say phases[0]).
func TestPairingNamesPhasesByPath(t *testing.T) {
	phased := func(off sim.Time) *model.Config {
		c := *rpCompareRuns()[0].Cfg
		c.Outages = append([]model.Outage(nil), c.Outages...)
		c.Outages[0].Phases = []model.Phase{{Services: model.SvcKMS, Offset: sim.ConstDist(0), Duration: sim.ConstDist(time1h)},
			{Services: model.SvcS3, Offset: sim.ConstDist(off), Duration: sim.ConstDist(time1h)}}
		return &c
	}
	broken, _ := Pairing(phased(time1h), phased(2*time1h), "a", "b")
	want := []string{`outage "us-east-1 regional outage" draws other values: phases[1].offset 1h vs 2h`}
	if !slices.Equal(broken, want) {
		t.Errorf("broken %q, want %q", broken, want)
	}
}
