package findings_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
)

func TestWriteText(t *testing.T) {
	cfg, loc := load(t, "dr109-rotation-single-region.toml")
	fs := findings.Static(cfg, loc)
	var b bytes.Buffer
	if err := findings.WriteText(&b, fs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], filepath.Join("testdata", "dr109-rotation-single-region.toml")+":10:1: warning DR109: ") ||
		!strings.HasPrefix(lines[1], "    fix: ") || !strings.Contains(lines[2], ":13:1: error DR101: ") {
		t.Errorf("got:\n%s", b.String())
	}
	if got := findings.Summary(fs); got != "1 error, 1 warning, 0 info" {
		t.Errorf("Summary = %q", got)
	}
}

// TestWriteSARIFLocations checks the artifact URIs: relative to BaseDir
// with uriBaseId %SRCROOT% inside it, an absolute file: URI outside it.
func TestWriteSARIFLocations(t *testing.T) {
	cfg, loc := load(t, "dr203-rpo-without-rtc.toml")
	files := []findings.FileFindings{{File: cfg.File, Scenario: cfg.Name, Findings: findings.Static(cfg, loc)}}
	for _, tt := range []struct{ base, uri, baseID string }{
		{".", "testdata/dr203-rpo-without-rtc.toml", findings.SrcRoot},
		{"testdata", "dr203-rpo-without-rtc.toml", findings.SrcRoot},
		{filepath.Join("testdata", "nowhere"), "file://", ""},
	} {
		var b bytes.Buffer
		if err := findings.WriteSARIF(&b, files, findings.SARIFOptions{BaseDir: tt.base}); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI, URIBaseID string }
						}
					}
				}
			}
		}
		if err := json.Unmarshal(b.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		a := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if !strings.HasPrefix(a.URI, tt.uri) || a.URIBaseID != tt.baseID {
			t.Errorf("base %s: got %+v, want %s (%q)", tt.base, a, tt.uri, tt.baseID)
		}
	}
	bad := []findings.FileFindings{{Findings: []findings.Finding{{ID: "DR000"}}}}
	if err := findings.WriteSARIF(&bytes.Buffer{}, bad, findings.SARIFOptions{}); err == nil {
		t.Error("a finding without a rule was written")
	}
}
