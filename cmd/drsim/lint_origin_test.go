package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestLintOrigins checks findings whose value is not in a file of the
// user's: one given by --set, one in a bundled scenario that the user's
// file extends, and one in a bundled scenario linted by name. JSON lines
// and columns are 1-based or absent; SARIF validates, never names an
// artifact that does not exist, attaches the finding to the user's file
// when there is one, and says where the value really is.
func TestLintOrigins(t *testing.T) {
	schemaFile, err := filepath.Abs(filepath.Join("testdata", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := jsonschema.NewCompiler().Compile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("mine.toml", []byte("extends = \"snowy\"\nname = \"mine\"\n\n[buckets.alerts]\nwrites = 20000000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		// uri is the artifact the first result must point at ("" none),
		// note what its message must say of the value's origin
		uri, note string
	}{
		{"set", []string{"mine.toml", "--set", "keys.alerts.replicas=[]"}, "mine.toml", "comes from the command-line argument --set #1, column 22"},
		{"bundled base", []string{"mine.toml"}, "mine.toml", "is in snowy.toml, line 17, column 10, a scenario bundled with drsim that mine.toml extends"},
		{"bundled by name", []string{"snowy", "--set", "buckets.alerts.writes=20000000"}, "", "a scenario bundled with drsim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := drsim(t, append([]string{"lint", "--format", "json"}, tt.args...)...)
			if code != exitLint {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var doc struct {
				Files []struct {
					Findings []struct {
						Location map[string]any
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Files[0].Findings {
				line, hasLine := f.Location["line"].(float64)
				col, hasCol := f.Location["col"].(float64)
				if hasLine != hasCol || hasLine && (line < 1 || col < 1) {
					t.Errorf("location %v: line and column must both be 1-based or absent", f.Location)
				}
			}

			code, out, errs = drsim(t, append([]string{"lint", "--format", "sarif"}, tt.args...)...)
			if code != exitLint {
				t.Fatalf("exit %d: %s", code, errs)
			}
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Fatalf("the SARIF does not validate: %v", err)
			}
			var log struct {
				Runs []struct {
					Results []struct {
						Message   struct{ Text string }
						Locations []struct {
							PhysicalLocation *struct {
								ArtifactLocation struct{ URI string }
							}
							LogicalLocations []struct{ Name string }
						}
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &log); err != nil {
				t.Fatal(err)
			}
			res := log.Runs[0].Results
			if len(res) == 0 {
				t.Fatal("no result")
			}
			for _, r := range res {
				for _, l := range r.Locations {
					if len(l.LogicalLocations) == 0 || l.LogicalLocations[0].Name == "" {
						t.Errorf("a result without its key path: %+v", l)
					}
					if l.PhysicalLocation == nil {
						continue
					}
					if _, err := os.Stat(filepath.FromSlash(l.PhysicalLocation.ArtifactLocation.URI)); err != nil {
						t.Errorf("a result points at %q, which does not exist", l.PhysicalLocation.ArtifactLocation.URI)
					}
				}
			}
			first := res[0]
			got := ""
			if p := first.Locations[0].PhysicalLocation; p != nil {
				got = p.ArtifactLocation.URI
			}
			if got != tt.uri || !strings.Contains(first.Message.Text, tt.note) {
				t.Errorf("first result at %q (want %q): %s", got, tt.uri, first.Message.Text)
			}
		})
	}
}
