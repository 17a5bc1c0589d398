package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

// sets parses args as --set #1, #2, ...
func sets(t *testing.T, args ...string) []Override {
	t.Helper()
	var out []Override
	for i, a := range args {
		o, err := ParseOverride(fmt.Sprintf("--set #%d", i+1), a)
		if err != nil {
			t.Fatalf("ParseOverride(%q): %v", a, err)
		}
		out = append(out, o)
	}
	return out
}

func TestOverrideApplies(t *testing.T) {
	step := func(c *model.Config, name string) *model.Step {
		for i := range c.Failover.Steps {
			if c.Failover.Steps[i].Name == name {
				return &c.Failover.Steps[i]
			}
		}
		t.Fatalf("no step %q", name)
		return nil
	}
	tests := []struct {
		args  []string
		check func(c *model.Config) bool
	}{
		{[]string{"failover.detect=2m"}, func(c *model.Config) bool { return c.Failover.Detect == sim.ConstDist(2*sim.Minute) }},
		{[]string{"failover.detect=normal(mean=3m, sd=30s)"}, func(c *model.Config) bool {
			return c.Failover.Detect == sim.NormalDist(3*sim.Minute, 30*sim.Second)
		}},
		// A quoted string is the same string.
		{[]string{`failover.detect="2m"`}, func(c *model.Config) bool { return c.Failover.Detect == sim.ConstDist(2*sim.Minute) }},
		{[]string{"buckets.alerts.replication[0].rtc=false"}, func(c *model.Config) bool {
			r := c.Buckets[0].Replication[0]
			return !r.RTC && r.LagDefault && r.Lag == model.DefaultS3Lag(false)
		}},
		{[]string{"failover.steps[name=approve].duration=uniform(2m,5m)"}, func(c *model.Config) bool {
			return step(c, "approve").Duration == sim.UniformDist(2*sim.Minute, 5*sim.Minute)
		}},
		{[]string{"failover.steps[approve].duration=1m"}, func(c *model.Config) bool {
			return step(c, "approve").Duration == sim.ConstDist(sim.Minute)
		}},
		{[]string{"failover.steps[2].required=true"}, func(c *model.Config) bool { return step(c, "promote-key").Required }},
		{[]string{"outages[us-east-1 regional outage].duration=3h"}, func(c *model.Config) bool {
			return c.Outages[0].Duration == sim.ConstDist(3*sim.Hour)
		}},
		{[]string{`outages["us-east-1 regional outage"].probability=0.5`}, func(c *model.Config) bool { return c.Outages[0].Probability == 0.5 }},
		{[]string{"trials=500", "seed=9"}, func(c *model.Config) bool { return c.Trials == 500 && c.Seed == 9 }},
		{[]string{"costs.monthly.extra=5"}, func(c *model.Config) bool {
			return len(c.Costs) == 3 && c.Costs[0] == model.CostItem{Name: "extra", USD: 5}
		}},
		{[]string{"regions.us-west-2.kms_rps=100"}, func(c *model.Config) bool { return c.Regions[1].KMSRPS == 100 }},
		{[]string{`app.serve=["us-east-1", "us-west-2"]`}, func(c *model.Config) bool { return reflect.DeepEqual(c.App.Serve, []int{0, 1}) }},
		{[]string{`keys.alerts.users[0]=other`}, func(c *model.Config) bool { return c.Keys[0].Users[0] == "other" }},
		{[]string{`failover.steps[0]={name = "approve", duration = "1m"}`}, func(c *model.Config) bool {
			return step(c, "approve").Duration == sim.ConstDist(sim.Minute)
		}},
		// A table that is not written is created.
		{[]string{"app.credentials_ttl=2h", "prices.kms_key_month=2"}, func(c *model.Config) bool {
			return c.App.CredentialsTTL == 2*sim.Hour && c.Prices["kms_key_month"] == 2
		}},
		// The last of two overrides of one path wins.
		{[]string{"failover.detect=2m", "failover.detect=7m"}, func(c *model.Config) bool { return c.Failover.Detect == sim.ConstDist(7*sim.Minute) }},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r, err := Open("snowy", WithOverrides(sets(t, tt.args...)...))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(r.Config) {
				t.Errorf("the override did not take effect")
			}
			if len(r.Overrides) != len(tt.args) {
				t.Errorf("Overrides = %v", r.Overrides)
			}
		})
	}
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct{ arg, want string }{
		{"failover.detet=2m", `scenarios: --set #1:10: failover.detet: unknown key (did you mean "detect"?)`},
		{"failover.steps[name=aprove].duration=1m", `scenarios: --set #1:15: failover.steps: no step named "aprove" (did you mean "approve"?)`},
		{"failover.steps[9].duration=1m", `scenarios: --set #1:15: failover.steps: index 9 is out of range: the array has 4 items, [0] to [3]`},
		{"buckets.alert.writes=5", `scenarios: --set #1:9: buckets.alert: no bucket "alert" (did you mean "alerts"?)`},
		{"buckets.alerts.replication[name=x].rtc=true", `scenarios: --set #1:27: buckets.alerts.replication: no replication rule has a name; select one by its index, from [0] to [0]`},
		// The decoder's errors point at the value.
		{"failover.detect=20", `scenarios: --set #1:17: failover.detect: expected a duration or a distribution string like "uniform(5m, 15m)", got integer 20 (a bare number is not a duration: write "20s" or "20m")`},
		{"failover.detect=uniform(5m,", `scenarios: --set #1:17: failover.detect: uniform: missing ")" at the end, as in "uniform(5m, 15m)"`},
		{"failover.to=us-west-3", `scenarios: --set #1:13: failover.to: "us-west-3" is not a declared region (did you mean "us-west-2"?)`},
		{`app.serve=["us-east-1", 5]`, `scenarios: --set #1:25: app.serve: element 1: expected a string, got integer 5`},
		{"failover.detect", `scenarios: --set #1:1: expected PATH=VALUE, like failover.detect=2m, got "failover.detect"`},
		{"=2m", `scenarios: --set #1:1: no key path before "=" (write PATH=VALUE, like failover.detect=2m)`},
		{"failover.detect=", `scenarios: --set #1:17: failover.detect: empty value (write "" for an empty string)`},
		{"extends=base.toml", `scenarios: --set #1:1: extends: cannot be overridden: overrides apply to the scenario after extends is resolved`},
		{"failover.detect.x=1", `scenarios: --set #1:10: failover.detect: is a string, not a table: nothing can be set below it`},
		{"app.sts.x=1", `scenarios: --set #1:5: app.sts: not a table: app.sts is a value, so nothing can be set below it`},
		{`app.serve=["us-east-1",`, `scenarios: --set #1:23: app.serve: TOML syntax: unexpected EOF; expected value`},
		{"buckets.alerts[0].writes=1", `scenarios: --set #1:15: buckets.alerts: is a table, not an array: [0] selects an item of an array`},
		{"failover..detect=1m", `scenarios: --set #1:10: failover..detect: expected a key, got "." (keys use A-Z a-z 0-9 _ -, or are quoted)`},
		{"failover.steps[-1].duration=1m", `scenarios: --set #1:15: failover.steps[-1].duration: index -1 is negative (indices start at 0)`},
		{"failover.steps[0.duration=1m", `scenarios: --set #1:15: failover.steps[0.duration=1m: unterminated [ (write [0], [name=X] or [X])`},
		{"horizon=0s", `scenarios: --set #1:9: horizon: must be positive`},
		{"app.serve=" + strings.Repeat("[", 100) + strings.Repeat("]", 100), `scenarios: --set #1:11: app.serve: nested more than 32 levels deep (limit "nesting depth" is 32 levels: the format nests 6 levels at most, and the TOML decoder's time and memory grow with the square of the depth)`},
		{"prices.kms_key_mont=2", `scenarios: --set #1:21: prices.kms_key_mont: unknown price id (did you mean "kms_key_month"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			o, err := ParseOverride("--set #1", tt.arg)
			if err == nil {
				_, err = Open("snowy", WithOverrides(o))
			}
			if err == nil {
				t.Fatal("no error")
			}
			var el ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("%v: not an ErrorList", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestOverrideErrorsCollected: every override is checked, and the
// scenario's own errors are reported with them.
func TestOverrideErrorsCollected(t *testing.T) {
	_, err := Open("snowy", WithOverrides(sets(t, "failover.detet=2m", "horizon=1", "failover.steps[x].duration=1m")...))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"--set #1:10:", "--set #2:9:", "--set #3:15:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %s in\n%s", want, err)
		}
	}
}

func TestParseVary(t *testing.T) {
	os, err := ParseVary("--vary #2", "failover.detect=2m, uniform(2m,5m) ,\"x,y\",[1, 2]")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range os {
		got = append(got, fmt.Sprintf("%s@%d", o.Value, o.valueCol))
	}
	want := []string{"2m@17", "uniform(2m,5m)@21", `"x,y"@37`, "[1, 2]@43"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := ParseVary("--vary #1", "failover.detect=2m,,3m"); err == nil || !strings.Contains(err.Error(), "--vary #1:20: failover.detect: empty value") {
		t.Errorf("empty value: %v", err)
	}
	// A value's errors point at it in the --vary argument.
	r, err := Open("snowy")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := ParseVary("--vary #1", "failover.detect=2m,20")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.With(vs[1]); err == nil || !strings.HasPrefix(err.Error(), "scenarios: --vary #1:20: failover.detect: expected a duration") {
		t.Errorf("got %v", err)
	}
}

// TestWithLeavesBase: a sweep point is the base with more overrides; the
// base does not change, and a point's overrides follow the base's.
func TestWithLeavesBase(t *testing.T) {
	base, err := Open("snowy", WithOverrides(sets(t, "failover.detect=2m")...))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := base.TOML()
	o, _ := ParseOverride("--vary #1", "failover.steps[approve].duration=1m")
	p, err := base.With(o)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := base.TOML()
	if string(before) != string(after) {
		t.Error("With changed the base")
	}
	if p.Config.Failover.Detect != sim.ConstDist(2*sim.Minute) || p.Config.Failover.Steps[0].Duration != sim.ConstDist(sim.Minute) {
		t.Error("the point lacks an override")
	}
	if base.Config.Failover.Steps[0].Duration == sim.ConstDist(sim.Minute) {
		t.Error("the base got the point's override")
	}
	if len(p.Overrides) != 2 || p.Overrides[0].Source != "--set #1" || p.Overrides[1].Source != "--vary #1" {
		t.Errorf("Overrides = %v", p.Overrides)
	}
	// An override's position is the argument's.
	if pos, written := p.Locator.Locate("failover.steps[0].duration"); !written || pos.File != "--vary #1" || pos.Col != 34 {
		t.Errorf("Locate = %+v, %v", pos, written)
	}
}

// TestResolvedTOMLRoundTrip: the resolved TOML of every bundled and test
// scenario, with and without overrides, parses to the same Config.
func TestResolvedTOMLRoundTrip(t *testing.T) {
	args := append([]string(nil), bundledNames(true)...)
	args = append(args, "testdata/snowy.toml", "testdata/every-construct.toml", "testdata/every-construct-11.toml",
		"testdata/extends/child.toml", "testdata/extends/sub/grandchild.toml", "testdata/extends/bundled.toml")
	_ = fs.WalkDir(os.DirFS("../findings/testdata"), ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && filepath.Ext(p) == ".toml" {
			args = append(args, filepath.Join("../findings/testdata", p))
		}
		return nil
	})
	check := func(t *testing.T, r *Resolved) {
		t.Helper()
		data, err := r.TOML()
		if err != nil {
			t.Fatal(err)
		}
		c, err := Parse("resolved.toml", data, nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		c.File = r.Config.File
		if !reflect.DeepEqual(c, r.Config) {
			t.Errorf("the resolved TOML gives another Config:\n%s\n---\n%s", render(c), render(r.Config))
		}
	}
	for _, a := range args {
		t.Run(a, func(t *testing.T) {
			var opts []Option
			if strings.HasPrefix(a, "testdata/extends/") {
				opts = append(opts, WithRoot("testdata/extends")) // grandchild extends ../child.toml
			}
			r, err := Open(a, opts...)
			if err != nil {
				if strings.HasPrefix(filepath.Base(a), "_") {
					t.Skip("a base") // bases need not be complete
				}
				t.Fatal(err)
			}
			check(t, r)
		})
	}
	t.Run("snowy with overrides", func(t *testing.T) {
		r, err := Open("snowy", WithOverrides(sets(t, "failover.detect=2m", "buckets.alerts.replication[0].rtc=false",
			`failover.steps[0]={name = "approve", duration = "uniform(1m, 2m)"}`, "costs.monthly.extra=2.5")...))
		if err != nil {
			t.Fatal(err)
		}
		check(t, r)
		data, _ := r.TOML()
		if !strings.Contains(string(data), "#   --set #1 failover.detect=2m\n") {
			t.Errorf("the TOML does not list the overrides:\n%s", data)
		}
	})
}

// FuzzOverride applies arbitrary overrides to snowy: an error or a
// Config, never a panic.
func FuzzOverride(f *testing.F) {
	for _, s := range []string{"failover.detect=2m", "failover.steps[name=approve].duration=uniform(2m,5m)",
		"buckets.alerts.replication[0].rtc=true", `app.serve=["us-east-1"]`, "outages[0].phases[0].offset=1m",
		"a[0][1].b=[{x=1}]", `"odd.key"='x'`, "failover.steps[0]=1"} {
		f.Add(s)
	}
	base, err := Open("snowy")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		o, err := ParseOverride("--set #1", arg)
		if err != nil {
			return
		}
		r, err := base.With(o)
		if err != nil {
			return
		}
		data, err := r.TOML()
		if err != nil {
			t.Fatal(err)
		}
		c, err := Parse("resolved.toml", data, nil)
		if err != nil {
			t.Fatalf("the resolved TOML does not load: %v\n%s", err, data)
		}
		c.File = r.Config.File
		if !reflect.DeepEqual(c, r.Config) {
			t.Fatalf("the resolved TOML gives another Config")
		}
	})
}

// TestOverrideQuotedSelectors: a name that holds what the path syntax
// reserves (], =, quotes, a number) is written quoted, [name="..."] or
// ["..."], and QuoteName writes every name so that it reads back (issue:
// outages["eu.west]1 = event"].start, printed by sensitivity, could not be
// pasted into --set).
func TestOverrideQuotedSelectors(t *testing.T) {
	const file = "testdata/odd-names.toml"
	base, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range base.Config.Outages {
		sel := QuoteName(o.Name)
		for _, path := range []string{"outages" + sel + ".start", "outages[name=" + strings.TrimSuffix(strings.TrimPrefix(sel, "["), "]") + "].start"} {
			ov, err := ParseOverride("--set #1", path+"=3h")
			if err != nil {
				t.Errorf("%q: %v", path, err)
				continue
			}
			r, err := base.With(ov)
			if err != nil {
				t.Errorf("%q: %v", path, err)
				continue
			}
			if r.Config.Outages[i].Start != sim.ConstDist(3*sim.Hour) {
				t.Errorf("%q set another outage", path)
			}
			if got := r.Canonical(ov); got != fmt.Sprintf("outages[%d].start", i) {
				t.Errorf("Canonical(%q) = %q", path, got)
			}
		}
	}
	for _, tt := range []struct{ name, want string }{
		{"approve", "[approve]"}, {"eu.west]1 = event", `["eu.west]1 = event"]`}, {`eu west "one"`, `["eu west \"one\""]`},
		{"0", `["0"]`}, {"name=x", `["name=x"]`}, {" x", `[" x"]`},
	} {
		if got := QuoteName(tt.name); got != tt.want {
			t.Errorf("QuoteName(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
	if QuoteKey("alerts") != "alerts" || QuoteKey("odd.key") != `"odd.key"` {
		t.Errorf("QuoteKey: %s %s", QuoteKey("alerts"), QuoteKey("odd.key"))
	}
	if _, err := ParseOverride("--set #1", `outages["x].start=1h`); err == nil || !strings.Contains(err.Error(), "--set #1:8: outages") {
		t.Errorf("unterminated quoted name: %v", err)
	}
}

// TestCanonicalPaths: the spellings of one value resolve to one canonical
// path (issue: [approve], [name=approve], [0] and failover."detect" were
// four paths, so a --set and a --vary of the same value both ran).
func TestCanonicalPaths(t *testing.T) {
	r, err := Open("snowy")
	if err != nil {
		t.Fatal(err)
	}
	for want, spellings := range map[string][]string{
		"failover.steps[0].duration":        {"failover.steps[approve].duration", "failover.steps[name=approve].duration", "failover.steps[0].duration", `failover.steps["approve"].duration`, `"failover".steps[ name = 'approve' ].duration`},
		"failover.detect":                   {"failover.detect", `failover."detect"`, "failover.'detect'"},
		"buckets.alerts.replication[0].rtc": {"buckets.alerts.replication[0].rtc", `buckets."alerts".replication[ 0 ].rtc`},
		"costs.monthly.new-item":            {"costs.monthly.new-item"},
		`prices."odd.key"`:                  {`prices."odd.key"`},
		"failover.steps[nope].duration":     {"failover.steps[nope].duration"},
	} {
		for _, s := range spellings {
			o, err := ParseOverride("--set #1", s+"=1")
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Canonical(o); got != want {
				t.Errorf("Canonical(%s) = %s, want %s", s, got, want)
			}
		}
	}
	for _, tt := range []struct {
		inner, outer string
		want         bool
	}{
		{"failover.steps[0].duration", "failover.steps[0]", true}, {"failover.steps[0].duration", "failover.steps", true},
		{"failover.steps[0]", "failover.steps[0]", true}, {"failover.steps[10]", "failover.steps[1]", false},
		{"failover.stepsx", "failover.steps", false}, {"failover", "failover.detect", false},
	} {
		if got := PathWithin(tt.inner, tt.outer); got != tt.want {
			t.Errorf("PathWithin(%s, %s) = %v", tt.inner, tt.outer, got)
		}
	}
}

// TestOverrideCausedErrorsPointAtIt: an error that an override causes in
// a value the file wrote points at the override, and names where the
// value is written (issue: renaming a step, or giving it an after that
// closes a cycle, was reported at snowy.toml:70).
func TestOverrideCausedErrorsPointAtIt(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"failover.detect=3m", "failover.steps[approve].name=okay"}, []string{
			`scenarios: --set #2:30: failover.steps[1].after: "approve" is not a step (at snowy.toml:72:10, after this override)`,
			`scenarios: --set #2:30: failover.steps[2].after: "approve" is not a step (at snowy.toml:77:10, after this override)`,
		}},
		{[]string{`failover.steps[approve].after=["dns"]`}, []string{
			`scenarios: --set #1:31: failover.steps[1].after: steps form a cycle: "approve" after "dns" after "scale-up" after "approve" (at snowy.toml:72:1, after this override)`,
		}},
	} {
		_, err := Open("snowy", WithOverrides(sets(t, tt.args...)...))
		if err == nil {
			t.Fatalf("%v: no error", tt.args)
		}
		if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v:\ngot  %q\nwant %q", tt.args, got, tt.want)
		}
	}
	// The file's own errors stay where they are.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	data, _ := os.ReadFile("testdata/snowy.toml")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(data), `after = ["approve"]`, `after = ["aprove"]`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(bad, WithOverrides(sets(t, "failover.detect=3m")...))
	if err == nil || !strings.Contains(err.Error(), "bad.toml:") || strings.Contains(err.Error(), "--set") {
		t.Errorf("the file's own error: %v", err)
	}
}

// TestParseVaryUnbalanced: an unbalanced ")" is the value's own error and
// does not swallow the next value (issue: "uniform(1m, 2m)),3m" was one
// value, reported as a missing ")").
func TestParseVaryUnbalanced(t *testing.T) {
	vs, err := ParseVary("--vary #1", "failover.detect=uniform(1m, 2m)),3m")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Value != "uniform(1m, 2m))" || vs[1].Value != "3m" {
		t.Fatalf("values %v", vs)
	}
	r, err := Open("snowy")
	if err != nil {
		t.Fatal(err)
	}
	_, verr := r.With(vs[0])
	set, _ := ParseOverride("--set #1", "failover.detect=uniform(1m, 2m))")
	_, serr := r.With(set)
	if verr == nil || serr == nil || !strings.Contains(verr.Error(), "unexpected parenthesis") ||
		strings.TrimPrefix(verr.Error(), "scenarios: --vary #1:17") != strings.TrimPrefix(serr.Error(), "scenarios: --set #1:17") {
		t.Errorf("--vary: %v\n--set: %v", verr, serr)
	}
}
