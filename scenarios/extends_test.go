package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

func TestExtendsMerge(t *testing.T) {
	c, err := Load("testdata/extends/child.toml")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	check("Name", c.Name, "child")
	check("Description (not inherited)", c.Description, "")
	check("Horizon (inherited)", c.Horizon, 24*sim.Hour)
	check("Trials (inherited)", c.Trials, 50)
	// [objectives] merges deeply: rto from the child, rpo from the base.
	check("Objectives", c.Objectives, model.Objectives{RTO: 10 * sim.Minute, RPO: 5 * sim.Minute, HasRTO: true, HasRPO: true, Success: 0.99})
	// [app]: principal from the base, serve (an array) replaced whole.
	check("App", c.App, model.App{Principal: "app", Serve: []int{1, 2}, CredentialsTTL: sim.Hour})
	// [tables.t]: regions replaced, key and writes inherited.
	tb := c.Tables[0]
	check("Table.Regions", tb.Regions, []int{1, 2})
	check("Table.Keys", tb.Keys, []int{0, 0})
	check("Table.Writes", tb.Writes, 10.0)
	// [[outages]] replaced whole: one outage, not three.
	if len(c.Outages) != 1 || c.Outages[0].Region != 0 || c.Outages[0].Stream != "outage-1" {
		t.Errorf("Outages = %+v, want the child's single eu-west-1 outage", c.Outages)
	}
	// [costs.monthly] merges deeply.
	check("Costs", c.Costs, []model.CostItem{{Name: "compute", USD: 100}, {Name: "standby", USD: 50}})
	check("File", c.File, "testdata/extends/child.toml")
}

func TestExtendsChain(t *testing.T) {
	// sub/grandchild.toml extends "../child.toml": outside its own folder,
	// so the root must be given
	_, err := Load("testdata/extends/sub/grandchild.toml")
	if err == nil || !strings.Contains(err.Error(), `grandchild.toml:1:1: extends: "../child.toml" is outside the folder of testdata/extends/sub/grandchild.toml (give a root with --root to widen it)`) {
		t.Errorf("without a root: got %v", err)
	}
	c, err := Load("testdata/extends/sub/grandchild.toml", WithRoot("testdata/extends"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "grandchild" || c.Seed != 9 || c.Trials != 50 || c.Objectives.RTO != 10*sim.Minute || len(c.App.Serve) != 2 {
		t.Errorf("grandchild = %+v", c)
	}
}

func TestExtendsBundled(t *testing.T) {
	c, err := Load("testdata/extends/bundled.toml")
	if err != nil {
		t.Fatal(err)
	}
	snowy, err := LoadBundled("snowy")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "snowy-longer" || c.Horizon != 48*sim.Hour || c.Description != "" {
		t.Errorf("got name %q horizon %v description %q", c.Name, c.Horizon, c.Description)
	}
	// everything else is snowy's
	c.Name, c.Horizon, c.Description, c.File = snowy.Name, snowy.Horizon, snowy.Description, snowy.File
	if !reflect.DeepEqual(c, snowy) {
		t.Errorf("extending snowy changed more than name, horizon and description")
	}
}

func TestExtendsErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"noname.toml", []string{"scenarios: testdata/extends/noname.toml: name: required: the scenario's name (it is not inherited through extends)"}},
		{"errors.toml", []string{
			`scenarios: testdata/extends/base.toml:18:26: keys.k.replicas: "eu-west-1" is the primary's region; a replica must be in another region`,
			`scenarios: testdata/extends/errors.toml:10:1: tables.t.writes: invalid rate "lots"`,
		}},
		{"badchild.toml", []string{
			`scenarios: testdata/extends/badbase.toml:3:1: colour: unknown key; valid keys here:`,
			`scenarios: testdata/extends/badchild.toml:3:1: horizn: unknown key (did you mean "horizon"?)`,
		}},
		{"cycle-a.toml", []string{`scenarios: testdata/extends/cycle-b.toml:1:1: extends: cycle: testdata/extends/cycle-a.toml → testdata/extends/cycle-b.toml → testdata/extends/cycle-a.toml`}},
		{"self.toml", []string{`scenarios: testdata/extends/self.toml:2:1: extends: cycle: testdata/extends/self.toml → testdata/extends/self.toml`}},
		{"missing.toml", []string{`scenarios: testdata/extends/missing.toml:2:1: extends: no file "snowyy" next to testdata/extends/missing.toml and no bundled scenario "snowyy" (did you mean "snowy"?)`}},
		{"syntax.toml", []string{`scenarios: testdata/extends/broken.toml:2:14: TOML syntax: strings cannot contain newlines`}},
		{"exttype.toml", []string{`scenarios: testdata/extends/exttype.toml:1:1: extends: expected a file path or a bundled scenario name, got integer 3`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load("testdata/extends/" + tt.file)
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			text := list.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q; got:\n%s", w, text)
				}
			}
			if tt.file == "exttype.toml" && len(list) != 1 {
				t.Errorf("want exactly one error, got:\n%s", text)
			}
		})
	}
}

// Parse with a readExtends that knows no files still finds bundled names.
func TestParseExtendsWithoutReader(t *testing.T) {
	c, err := Parse("mine.toml", []byte("extends = \"pilot-light\"\nname = \"mine\"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "mine" || c.Failover == nil || len(c.Failover.Steps) == 0 {
		t.Errorf("got %+v", c)
	}
	_, err = Parse("mine.toml", []byte("extends = \"other.toml\"\nname = \"mine\"\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `scenarios: mine.toml:1:1: extends: no file "other.toml"`) {
		t.Errorf("got %v", err)
	}
}

func TestMergeDropsShadowedPositions(t *testing.T) {
	bidx := posIndex{
		"outages":          {Pos: Pos{File: "b", Line: 1}},
		"outages[0]":       {Pos: Pos{File: "b", Line: 1}},
		"outages[0].start": {Pos: Pos{File: "b", Line: 2}},
		"outagesx":         {Pos: Pos{File: "b", Line: 3}},
		"app.principal":    {Pos: Pos{File: "b", Line: 4}},
		"app.serve":        {Pos: Pos{File: "b", Line: 5}},
		"app.serve[0]":     {Pos: Pos{File: "b", Line: 5}},
	}
	dst := map[string]any{"outages": []map[string]any{{"start": "1h"}}, "outagesx": 1, "app": map[string]any{"principal": "p", "serve": []any{"a"}}}
	src := map[string]any{"outages": []map[string]any{}, "app": map[string]any{"serve": []any{"b"}}}
	mergeInto(dst, src, "", bidx)
	got := sortedKeys(bidx)
	if want := []string{"app.principal", "outagesx"}; !reflect.DeepEqual(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	if dst["app"].(map[string]any)["principal"] != "p" {
		t.Error("deep merge lost app.principal")
	}
}

func TestExtendsPathWins(t *testing.T) {
	c, err := Load("testdata/extends/pathwins/child.toml")
	if err != nil {
		t.Fatal(err)
	}
	if c.App.Principal != "local" || c.Horizon != 5*sim.Hour {
		t.Errorf("extends used the bundled snowy, not the file next to it: %+v", c.App)
	}
	c, err = Load("testdata/extends/bundledwithext.toml")
	if err != nil {
		t.Fatal(err)
	}
	snowy, err := LoadBundled("snowy")
	if err != nil {
		t.Fatal(err)
	}
	if c.App.Principal != snowy.App.Principal || c.Horizon != snowy.Horizon {
		t.Errorf("extends = \"snowy.toml\" without a file did not fall back to the bundled scenario: %+v", c.App)
	}
}
