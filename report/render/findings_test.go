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

// TestFindingsInEveryFormat checks that "What to fix first" leads the
// Markdown and HTML reports as it does the text one, that both list the
// other findings, and that the KMS failures by key and by store are tables
// in every format.
func TestFindingsInEveryFormat(t *testing.T) {
	cfg := fixture.SnowyConfig()
	cfg.Buckets[0].Replication[0].Role = "replicator" // not in the key's policy
	r := report.Build(cfg, 7, fixture.Synthetic(cfg, 50, 1), nil, -1)
	var text, md, html bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&html, r, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, doc, recovery string
		want                []string
	}{
		{"text", text.String(), "\nRecovery\n", []string{"\nWhat to fix first (", "  1. error DR507 stale-store: ", "\nFindings (2 errors",
			"\n  key     KMSUnavailable", "\n  store        KMSUnavailable"}},
		{"markdown", md.String(), "\n## Recovery\n", []string{"\n## What to fix first\n", "\n1. **DR507 stale-store** (error): in ",
			"   - evidence: costs up to ", "\n## Findings (2 errors, 0 warnings, 0 info)\n", "| DR105 replication-role-not-in-destination-policy | error | snowy.toml |",
			"\n| key | KMSUnavailable | ThrottlingException | total |\n", "\n| store | KMSUnavailable | ThrottlingException | total |\n"}},
		{"html", html.String(), "<h2>Recovery</h2>", []string{`<h2 id="fix-first">What to fix first</h2>`, "<strong>DR507 stale-store</strong>",
			"<dt>evidence</dt>", "<h2>Findings (2 errors, 0 warnings, 0 info)</h2>", `<th class="" scope="col">key</th>`, `<th class="" scope="col">store</th>`}},
	} {
		for _, w := range tt.want {
			if !strings.Contains(tt.doc, w) {
				t.Errorf("%s report lacks %q", tt.name, w)
			}
		}
		if i, j := strings.Index(tt.doc, "What to fix first"), strings.Index(tt.doc, tt.recovery); i < 0 || j < 0 || i > j {
			t.Errorf("%s: What to fix first (at %d) does not lead the recovery (at %d)", tt.name, i, j)
		}
	}
}
