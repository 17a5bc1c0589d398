package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/drsim/drsim/findings"
)

// issueExamples are the setups of issue 10's opening list (and its other
// required cases), each a scenario of the findings package's testdata.
var issueExamples = []string{
	"dr101-table-replica-key.toml",        // single-Region key at rest on a replica in another region (G6)
	"dr102-replica-key.toml",              // single-Region key as an S3 rule's replica key (G7)
	"dr201-target-holds-nothing.toml",     // a failover target with no copy of any store
	"dr105-role-destination-policy.toml",  // replication role missing from the destination copy's policy
	"dr106-role-source-policy.toml",       // ... or from the source copy's
	"dr103-single-region-client-key.toml", // the hidden single-Region key
	"dr401-quota-after-failover.toml",     // kms_rps below the demand after failover
	"dr301-required-promotion.toml",       // required key promotion (K8)
	"dr303-needs-failed-region.toml",      // a required step that needs a control plane in the failed region (G1)
	"dr110-sts-global-opt-in.toml",        // sts = "global" from an opt-in region (G3)
	"dr203-rpo-without-rtc.toml",          // RPO tighter than the lag's p99 without RTC
	"dr108-backup-key.toml",               // backup vault key without a copy in the backup's to
	"dr109-rotation-single-region.toml",   // rotation on a single-Region key used across regions
	"dr202-store-without-copy.toml",       // a store read where it has no copy after failover
	"dr901-retry.toml",                    // retry below 1 s (warning)
	"dr902-backup-every.toml",             // backup.every below 1 min (warning)
}

func examplePaths() []string {
	var out []string
	for _, f := range issueExamples {
		out = append(out, filepath.Join("..", "..", "findings", "testdata", f))
	}
	return out
}

// TestLintText checks the compiler-style output on the issue's examples
// against a golden file, and the exit status.
func TestLintText(t *testing.T) {
	code, stdout, stderr := drsim(t, append([]string{"lint"}, examplePaths()...)...)
	if code != exitLint || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden := filepath.Join("testdata", "lint-examples.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if stdout != string(want) {
		t.Errorf("lint output differs from %s (run go test -update if the change is intended):\n%s", golden, diffLines(string(want), stdout))
	}
	// each example names its id on its line, the fix on the next
	lines := strings.Split(stdout, "\n")
	for _, f := range issueExamples {
		id := "DR" + strings.TrimPrefix(strings.SplitN(f, "-", 2)[0], "dr")
		i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, f+":") && strings.Contains(l, " "+id+": ") })
		if i < 0 || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "    fix: ") {
			t.Errorf("%s: no line with %s followed by its fix", f, id)
		}
	}
}

// TestLintExitCodes checks 0 (clean, or findings below --fail-on), 4 (a
// finding at or above it) and 2 (bad input, bad flags).
func TestLintExitCodes(t *testing.T) {
	warn := filepath.Join("..", "..", "findings", "testdata", "dr203-rpo-without-rtc.toml")
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"bad\"\nhorizn = \"1h\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"lint", "snowy"}, exitOK, "", ""},
		{[]string{"lint", warn}, exitOK, "warning DR203", ""},
		{[]string{"lint", warn, "--fail-on", "warning"}, exitLint, "warning DR203", ""},
		{[]string{"lint", "--fail-on", "info", warn}, exitLint, "", ""},
		{[]string{"lint", bad}, exitInput, "", "horizn: unknown key"},
		{[]string{"lint", bad, warn}, exitInput, "warning DR203", "1 of 2 scenarios invalid"},
		{[]string{"lint"}, exitInput, "", "want at least one scenario"},
		{[]string{"lint", warn, "--fail-on", "fatal"}, exitInput, "", "fail-on"},
		{[]string{"lint", warn, "--format", "xml"}, exitInput, "", "format"},
		{[]string{"validate", warn}, exitOK, "ok: ", ""}, // validate still means "it loads"
	}
	for _, tt := range tests {
		code, stdout, stderr := drsim(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.inStdout) || !strings.Contains(stderr, tt.inStderr) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout, stderr)
		}
	}
}

// TestLintJSON checks the JSON document: its schema, files and findings.
func TestLintJSON(t *testing.T) {
	code, stdout, _ := drsim(t, append([]string{"lint", "--format", "json", "snowy"}, examplePaths()...)...)
	if code != exitLint {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Schema string
		Files  []findings.FileFindings
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != findings.Schema || len(doc.Files) != 1+len(issueExamples) {
		t.Fatalf("schema %q, %d files", doc.Schema, len(doc.Files))
	}
	if doc.Files[0].Scenario != "snowy-alerting" || doc.Files[0].Findings == nil || len(doc.Files[0].Findings) != 0 {
		t.Errorf("snowy: %+v", doc.Files[0])
	}
	for _, f := range doc.Files[1:] {
		if len(f.Findings) == 0 || f.Findings[0].Location.Line == 0 || f.Findings[0].Kind != findings.KindStatic {
			t.Errorf("%s: %+v", f.File, f.Findings)
		}
	}
}

// TestLintSARIFSchema validates the SARIF output against the official SARIF
// 2.1.0 schema (vendored under testdata/sarif) and checks what GitHub code
// scanning needs: every rule with its metadata and default level, results
// with a rule, a level, a message and a location relative to the
// repository.
func TestLintSARIFSchema(t *testing.T) {
	schemaFile, err := filepath.Abs(filepath.Join("testdata", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Lint from the repository's root, as CI does: the URIs are relative to it.
	t.Chdir(filepath.Join("..", ".."))
	args := []string{"lint", "--format", "sarif"}
	for _, f := range issueExamples {
		args = append(args, filepath.Join("findings", "testdata", f))
	}
	code, stdout, _ := drsim(t, args...)
	if code != exitLint {
		t.Fatalf("exit %d", code)
	}
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("the SARIF output does not validate against the SARIF 2.1.0 schema: %v", err)
	}
	// a broken log must fail, or the check above proves nothing
	broken := strings.Replace(stdout, `"level": "error"`, `"level": "fatal"`, 1)
	if inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(broken)); schema.Validate(inst) == nil {
		t.Error("a SARIF log with level \"fatal\" validates")
	}

	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID, Name, HelpURI                 string
						ShortDescription, FullDescription struct{ Text string }
						Help                              struct{ Text string }
						DefaultConfiguration              struct{ Level string }
					}
				}
			}
			Results []struct {
				RuleID, Level string
				Message       struct{ Text string }
				Locations     []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "drsim" {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	rules := findings.Rules()
	if len(run.Tool.Driver.Rules) != len(rules) {
		t.Fatalf("%d rules, want %d", len(run.Tool.Driver.Rules), len(rules))
	}
	for i, r := range run.Tool.Driver.Rules {
		want := rules[i]
		if r.ID != want.ID || r.Name != want.Name || r.HelpURI != want.HelpURI() || r.ShortDescription.Text == "" ||
			r.FullDescription.Text == "" || r.Help.Text == "" || r.DefaultConfiguration.Level != want.Severity.Level() {
			t.Errorf("rule %d: %+v", i, r)
		}
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if res.RuleID == "" || res.Level == "" || res.Message.Text == "" || loc.ArtifactLocation.URIBaseID != findings.SrcRoot ||
			!strings.HasPrefix(loc.ArtifactLocation.URI, "findings/testdata/dr") || loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result %+v", res)
		}
	}
}

// TestRunCarriesFindings checks that drsim run puts the located static
// findings in the text report and in the JSON document: the hidden
// single-Region key is named, with the cause of the unrecovered service.
func TestRunCarriesFindings(t *testing.T) {
	file := filepath.Join("testdata", "cases", "single-region-client-key.toml")
	code, stdout, stderr := drsim(t, "run", file, "--trials", "20", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"\nFindings (1 error, 0 warnings, 0 info; docs/findings.md)\n",
		file + ":43:1: error DR103: ", `"tokens", a single-Region key in us-east-1`, "KMSUnavailable", "      fix: "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	code, stdout, _ = drsim(t, "run", file, "--trials", "20", "--quiet", "--format", "json")
	var doc struct{ Findings []findings.Finding }
	if err := json.Unmarshal([]byte(stdout), &doc); code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	if len(doc.Findings) < 2 || doc.Findings[0].ID != findings.SingleRegionClientKeyAfterFailover || doc.Findings[0].Location.Line != 43 ||
		strings.Join(doc.Findings[0].Subjects.Keys, ",") != "tokens" {
		t.Fatalf("findings %+v", doc.Findings)
	}
	// the trials confirm it: the key unreachable from us-west-2, in every trial
	d := doc.Findings[1]
	if d.ID != findings.KeyUnreachableFromRegion || d.Kind != findings.KindDynamic || d.Effect == nil || d.Effect.Trials != 20 ||
		len(d.Confirms) != 1 || d.Confirms[0].ID != findings.SingleRegionClientKeyAfterFailover || d.Confirms[0].Location != doc.Findings[0].Location {
		t.Errorf("dynamic finding %+v", d)
	}
}

// TestHiddenSingleRegionKey is issue 10's "done when": the text report of
// the hidden single-Region key case names the key and the cause of the
// unrecovered trials, first in "What to fix first", and the representative
// trial it gives replays with drsim trace, whose kms-failure events name
// the key.
func TestHiddenSingleRegionKey(t *testing.T) {
	file := filepath.Join("testdata", "hidden-single-region-key.toml")
	code, stdout, stderr := drsim(t, "run", file, "--trials", "300", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	i := strings.Index(stdout, "\nWhat to fix first (")
	if i < 0 || i > strings.Index(stdout, "\nRecovery\n") {
		t.Fatalf("no What to fix first before the recovery table:\n%s", stdout)
	}
	first := stdout[i:]
	first = first[:strings.Index(first, "\n  2. ")]
	unrec := regexp.MustCompile(`, ([0-9,]+) unrecovered\n`).FindStringSubmatch(stdout)
	if unrec == nil || unrec[1] == "0" {
		t.Fatalf("no unrecovered trials:\n%s", stdout[:200])
	}
	for _, want := range []string{"\n  1. error DR501 key-unreachable-from-region: ", `key "tokens" (single-Region, in us-east-1) was unreachable from us-west-2`,
		"KMSUnavailable", unrec[1] + " did not recover within the horizon", "confirms: DR103 at " + file + ":"} {
		if !strings.Contains(first, want) {
			t.Errorf("What to fix first lacks %q:\n%s", want, first)
		}
	}
	m := regexp.MustCompile(`drsim trace (\S+) --seed (\d+) --trial (\d+)`).FindStringSubmatch(first)
	if m == nil || m[1] != file {
		t.Fatalf("no trace command in:\n%s", first)
	}
	code, trace, stderr := drsim(t, "trace", m[1], "--seed", m[2], "--trial", m[3])
	if code != 0 || !strings.Contains(trace, `"kind":"kms-failure"`) || !strings.Contains(trace, "tokens") {
		t.Errorf("trace of trial %s: exit %d, %s\n%.2000s", m[3], code, stderr, trace)
	}
}
