package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/internal/fixture"
)

// TestTextFindings checks the Findings section of the text report: after
// the header, each finding as a compiler-style line with its fix; none
// without findings.
func TestTextFindings(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Buckets[0].Replication[0].Role = "replicator" // not in the key's policy
	r := report.Build(cfg, 7, fixture.Synthetic(cfg, 50, 1), nil, -1)
	var text bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{"\nFindings (2 errors, 0 warnings, 0 info; docs/findings.md)\n", "  snowy.toml: error DR105: ", `"replicator"`, "\n      fix: add \"replicator\"",
		"\nWhat to fix first (", "\n  1. error DR507 stale-store: in ", "\n  2. error DR501 key-unreachable-from-region: ",
		"\n     evidence: costs up to ", "drsim trace snowy.toml --seed 7 --trial "} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	if strings.Index(out, "\nFindings") > strings.Index(out, "\nRecovery") || strings.Index(out, "\nWhat to fix first") > strings.Index(out, "\nOutages") {
		t.Error("the findings do not lead the report")
	}
	r.SetFindings(nil)
	text.Reset()
	if err := WriteText(&text, r); err != nil || strings.Contains(text.String(), "Findings") {
		t.Errorf("a report without findings prints a Findings section (%v)", err)
	}
}
