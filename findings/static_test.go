package findings_test

// The tests load scenarios with package scenarios (the loader that gives
// Static its locator); package findings itself imports only model and sim.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
)

// load loads a scenario under testdata with its locator.
func load(t *testing.T, file string) (*model.Config, model.Locator) {
	t.Helper()
	cfg, loc, err := scenarios.ResolveLocated(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	return cfg, loc
}

// want is one expected finding: its id, severity and where it points.
type want struct {
	id        string
	sev       findings.Severity
	file      string // under testdata
	line, col int
	path      string
	// subjects that the message must name
	names []string
}

// staticCases lists, for each scenario under testdata, every static finding
// it must produce, at the line and column of the value at fault (a default
// points at its table header). The subtest names carry the rule's id and
// the AWS rule it rests on.
var staticCases = []struct {
	name, file string
	want       []want
}{
	{"DR101_G6", "dr101-table-replica-key.toml", []want{
		{findings.TableReplicaKeyNotInRegion, findings.Error, "dr101-table-replica-key.toml", 12, 1, "tables.sessions.key", []string{`"sessions"`, "us-west-2", `"legacy"`, "us-east-1"}}}},
	{"DR102_G7", "dr102-replica-key.toml", []want{
		{findings.ReplicaKeyNotInDestination, findings.Error, "dr102-replica-key.toml", 13, 1, "buckets.exports.replication[0].key", []string{`"exports"`, "us-west-2", `"legacy"`}}}},
	{"DR103_K12", "dr103-single-region-client-key.toml", []want{
		{findings.SingleRegionClientKeyAfterFailover, findings.Error, "dr103-single-region-client-key.toml", 11, 1, "tables.sessions.client_key", []string{`"sessions"`, `"legacy"`, "us-east-1", "us-west-2", "KMSUnavailable"}}}},
	{"DR104_K12", "dr104-client-key-without-copy.toml", []want{
		{findings.ClientKeyWithoutCopyAfterFailover, findings.Error, "dr104-client-key-without-copy.toml", 6, 7, "keys.tokens2", []string{`"tokens2"`, "us-west-2", "NotFoundException"}}}},
	{"DR105_S1", "dr105-role-destination-policy.toml", []want{
		{findings.ReplicationRoleNotInDestination, findings.Error, "dr105-role-destination-policy.toml", 7, 1, "keys.data.users_in.us-west-2", []string{`"s3-replication"`, `"exports"`, `"data"`, "us-west-2", "AccessDeniedException"}}}},
	{"DR106_S1", "dr106-role-source-policy.toml", []want{
		{findings.ReplicationRoleNotInSource, findings.Error, "dr106-role-source-policy.toml", 7, 1, "keys.data.users_in.us-east-1", []string{`"s3-replication"`, `"data"`, "us-east-1"}}}},
	{"DR107_K4", "dr107-app-not-in-policy.toml", []want{
		{findings.AppNotInKeyPolicy, findings.Error, "dr107-app-not-in-policy.toml", 8, 1, "keys.tokens.users_in.us-west-2", []string{`"app"`, `"tokens"`, "us-west-2", `"sessions"`}}}},
	{"DR108", "dr108-backup-key.toml", []want{
		{findings.BackupKeyNotInVaultRegion, findings.Error, "dr108-backup-key.toml", 19, 1, "tables.sessions.backup.key", []string{`"sessions"`, `"vault"`, "us-west-2"}}}},
	{"DR109_K9", "dr109-rotation-single-region.toml", []want{
		{findings.RotationOnSingleRegionKey, findings.Warning, "dr109-rotation-single-region.toml", 10, 1, "keys.legacy.rotation", []string{`"legacy"`, "365d", "us-east-1", "us-west-2"}},
		{findings.TableReplicaKeyNotInRegion, findings.Error, "dr109-rotation-single-region.toml", 13, 1, "tables.sessions.key", nil}}},
	{"DR110_G3", "dr110-sts-global-opt-in.toml", []want{
		{findings.STSGlobalFromOptInRegion, findings.Error, "dr110-sts-global-opt-in.toml", 17, 1, "app.sts", []string{`"global"`, "il-central-1", "us-east-1", "5m"}}}},
	{"DR111_G5", "dr111-admins-exclude-principal.toml", []want{
		{findings.AdminsExcludePrincipal, findings.Error, "dr111-admins-exclude-principal.toml", 10, 15, "keys.tokens.admins_in.us-west-2", []string{`"grant-standby"`, "put-key-policy", `"tokens"`, `"dr-operator"`, "us-west-2", "AccessDeniedException"}}}},
	{"DR112_G6", "dr112-replica-op-key.toml", []want{
		{findings.ReplicaOpKeyNotInRegion, findings.Error, "dr112-replica-op-key.toml", 24, 1, "failover.steps[1].key", []string{`"add-replica"`, `"sessions"`, "eu-west-1", `"legacy"`, "ValidationException"}}}},
	{"DR201", "dr201-target-holds-nothing.toml", []want{
		{findings.FailoverTargetHoldsNothing, findings.Error, "dr201-target-holds-nothing.toml", 9, 1, "failover.to", []string{"eu-west-1", "exports", "sessions"}}}},
	{"DR202", "dr202-store-without-copy.toml", []want{
		{findings.StoreWithoutCopyAfterFailover, findings.Error, "dr202-store-without-copy.toml", 7, 1, "tables.sessions.regions", []string{`"sessions"`, "us-west-2", "87.7%"}}}},
	{"DR203_S2", "dr203-rpo-without-rtc.toml", []want{
		// rtc and lag left at their defaults: the rule's table header
		{findings.RPOBelowReplicationP99, findings.Warning, "dr203-rpo-without-rtc.toml", 6, 19, "buckets.exports.replication[0]", []string{"5m", `"exports"`, "us-west-2", "p99 30m"}}}},
	{"DR301_K8", "dr301-required-promotion.toml", []want{
		{findings.RequiredKeyPromotion, findings.Error, "dr301-required-promotion.toml", 22, 1, "failover.steps[2].required", []string{`"promote-key"`, `"tokens"`, "us-east-1", "UpdatePrimaryRegion"}}}},
	{"DR302_K9", "dr302-required-op-failed-region.toml", []want{
		// required left at its default (true): the step's op
		{findings.RequiredOpInFailedRegion, findings.Error, "dr302-required-op-failed-region.toml", 13, 1, "failover.steps[1].op", []string{`"rotate"`, `"data"`, "us-east-1", "RotateKeyOnDemand"}}}},
	{"DR303_G1", "dr303-needs-failed-region.toml", []want{
		{findings.RequiredStepNeedsFailedRegion, findings.Error, "dr303-needs-failed-region.toml", 14, 1, "failover.steps[1].needs", []string{`"edit-record"`, "route53-control@us-east-1", "us-east-1"}}}},
	{"DR401_K13", "dr401-quota-after-failover.toml", []want{
		{findings.KMSQuotaBelowDemandAfterFailover, findings.Error, "dr401-quota-after-failover.toml", 7, 1, "regions.us-west-2.kms_rps", []string{"us-west-2", "570 calls/s", "500", "ThrottlingException"}}}},
	{"DR402_K13", "dr402-quota.toml", []want{
		{findings.KMSQuotaBelowDemand, findings.Error, "dr402-quota.toml", 7, 1, "regions.us-east-1.kms_rps", []string{"us-east-1", "590 calls/s", "500"}}}},
	{"DR901", "dr901-retry.toml", []want{
		{findings.RetryBelowOneSecond, findings.Warning, "dr901-retry.toml", 23, 1, "failover.steps[2].retry", []string{`"promote-key"`, "500ms"}}}},
	{"DR902", "dr902-backup-every.toml", []want{
		{findings.BackupIntervalBelowOneMinute, findings.Warning, "dr902-backup-every.toml", 7, 1, "buckets.exports.backup.every", []string{`"exports"`, "30s"}}}},
	{"DR903_G8_zero", "dr903-outage-zero.toml", []want{
		{findings.OutageNeverInForce, findings.Warning, "dr903-outage-zero.toml", 13, 1, "outages[0].phases[0].duration", []string{`"nothing"`, "0s"}}}},
	{"DR903_G8", "dr903-outage-after-horizon.toml", []want{
		{findings.OutageNeverInForce, findings.Warning, "dr903-outage-after-horizon.toml", 9, 1, "outages[0].start", []string{`"late"`, "1d06h", "horizon (1d)"}}}},
}

func TestStatic(t *testing.T) {
	for _, tc := range staticCases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, loc := load(t, tc.file)
			got := findings.Static(cfg, loc)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), lines(got))
			}
			for i, w := range tc.want {
				f := got[i]
				wantLoc := findings.Location{File: filepath.Join("testdata", w.file), Line: w.line, Col: w.col, Path: w.path}
				if f.ID != w.id || f.Severity != w.sev || f.Location != wantLoc || f.Kind != findings.KindStatic {
					t.Errorf("finding %d: got %s %s %s at %+v, want %s %s at %+v", i, f.Kind, f.Severity, f.ID, f.Location, w.sev, w.id, wantLoc)
				}
				for _, n := range w.names {
					if !strings.Contains(f.Message, n) {
						t.Errorf("%s: message does not name %s: %s", f.ID, n, f.Message)
					}
				}
				r, _ := findings.Lookup(f.ID)
				if f.Name != r.Name || f.Fix == "" || f.AWSRule == "" || f.DocURL != findings.AWSRuleURL(f.AWSRule) {
					t.Errorf("%s: name %q, fix %q, aws rule %q (%s)", f.ID, f.Name, f.Fix, f.AWSRule, f.DocURL)
				}
				if strings.ContainsAny(f.Message, "\n") || strings.ContainsAny(f.Fix, "\n") {
					t.Errorf("%s: message or fix spans lines", f.ID)
				}
			}
		})
	}
}

func lines(fs []findings.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s [%s]\n", f.String(), f.Location.Path)
	}
	return b.String()
}

// TestBaseIsClean checks that the setup every case extends has no finding,
// so that each case's findings come from its own defect.
func TestBaseIsClean(t *testing.T) {
	cfg, loc := load(t, "_base.toml")
	if got := findings.Static(cfg, loc); len(got) != 0 {
		t.Errorf("the base has findings:\n%s", lines(got))
	}
}

// bundledExamples are the errors that bundled scenarios show on purpose:
// control-planes-route53 is the record-edit runbook that the
// control-planes comparison sets against health-check failover and ARC.
var bundledExamples = map[string]string{"control-planes-route53": findings.RequiredStepNeedsFailedRegion}

// TestBundledAreClean checks that the bundled scenarios, which document
// good practice, have no finding of severity error but the ones they show
// on purpose (bundledExamples), and that those they do show.
func TestBundledAreClean(t *testing.T) {
	for _, info := range scenarios.Bundled() {
		cfg, loc, err := scenarios.ResolveLocated(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		shown := false
		for _, f := range findings.Static(cfg, loc) {
			if f.ID == bundledExamples[info.Name] {
				shown = true
				continue
			}
			if f.Severity == findings.Error {
				t.Errorf("%s: %s", info.Name, f.String())
			}
		}
		if id, ok := bundledExamples[info.Name]; ok && !shown {
			t.Errorf("%s does not show %s", info.Name, id)
		}
	}
}

// TestStaticWithoutLocator checks that without a locator every finding
// points at the scenario's file, with its key path.
func TestStaticWithoutLocator(t *testing.T) {
	cfg, _ := load(t, "dr103-single-region-client-key.toml")
	got := findings.Static(cfg, nil)
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	want := findings.Location{File: cfg.File, Path: "tables.sessions.client_key"}
	if got[0].Location != want || got[0].Location.String() != cfg.File {
		t.Errorf("got %+v (%s), want %+v", got[0].Location, got[0].Location, want)
	}
}

// TestStaticDeterministic checks that two runs give the same findings and
// that Static does not change the Config.
func TestStaticDeterministic(t *testing.T) {
	for _, tc := range staticCases {
		cfg, loc := load(t, tc.file)
		before := fmt.Sprintf("%+v", *cfg)
		a, b := findings.Static(cfg, loc), findings.Static(cfg, loc)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs differ", tc.file)
		}
		if fmt.Sprintf("%+v", *cfg) != before {
			t.Errorf("%s: Static changed the Config", tc.file)
		}
	}
}

// TestFindingJSON checks the JSON shape of a finding (the result
// document's findings array) and that it reads back.
func TestFindingJSON(t *testing.T) {
	cfg, loc := load(t, "dr105-role-destination-policy.toml")
	fs := findings.Static(cfg, loc)
	data, err := json.Marshal(fs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":"DR105"`, `"name":"replication-role-not-in-destination-policy"`, `"kind":"static"`,
		`"severity":"error"`, `"line":7`, `"col":1`, `"path":"keys.data.users_in.us-west-2"`, `"aws_rule":"S1"`,
		`"aws_rule_url":"https://github.com/drsim/drsim/blob/main/docs/aws-behaviour.md#s1"`, `"principals":["s3-replication"]`,
		`"keys":["data"]`, `"stores":["exports"]`, `"regions":["us-west-2"]`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s: %s", key, data)
		}
	}
	if strings.Contains(string(data), `"effect"`) {
		t.Errorf("a static finding has an effect: %s", data)
	}
	var back findings.Finding
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, fs[0]) {
		t.Errorf("round trip: %v\n%+v\n%+v", err, back, fs[0])
	}
	var s findings.Severity
	if err := json.Unmarshal([]byte(`"fatal"`), &s); err == nil {
		t.Error("an unknown severity was accepted")
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []findings.Severity{findings.Info, findings.Warning, findings.Error} {
		got, err := findings.ParseSeverity(s.String())
		if err != nil || got != s {
			t.Errorf("%v: %v %v", s, got, err)
		}
	}
	if !(findings.Error > findings.Warning && findings.Warning > findings.Info) {
		t.Error("severities out of order")
	}
	fs := []findings.Finding{{Severity: findings.Warning}, {Severity: findings.Error}, {Severity: findings.Warning}}
	if m, ok := findings.Max(fs); !ok || m != findings.Error {
		t.Errorf("Max = %v %v", m, ok)
	}
	if _, ok := findings.Max(nil); ok {
		t.Error("Max of nothing")
	}
	if n := findings.Count(fs); n != [3]int{0, 2, 1} {
		t.Errorf("Count = %v", n)
	}
}

var (
	idPattern   = regexp.MustCompile(`^DR[1-9][0-9]{2}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	awsPattern  = regexp.MustCompile(`^([KSDG][0-9]+|https://docs\.aws\.amazon\.com/.+)$`)
)

// TestRegistry checks the rules' metadata and that every rule has a case
// above.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	tested := map[string]bool{}
	for _, tc := range staticCases {
		for _, w := range tc.want {
			tested[w.id] = true
		}
	}
	rules := findings.Rules()
	if len(rules) < 15 {
		t.Errorf("%d rules, want at least 15", len(rules))
	}
	for i, r := range rules {
		if !idPattern.MatchString(r.ID) || !namePattern.MatchString(r.Name) || seen[r.ID] || seen[r.Name] {
			t.Errorf("rule %d: id %q name %q (ids and names must be unique)", i, r.ID, r.Name)
		}
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules out of id order at %s", r.ID)
		}
		seen[r.ID], seen[r.Name] = true, true
		if r.Short == "" || r.Full == "" || r.Help == "" || !strings.HasSuffix(r.Short, ".") {
			t.Errorf("%s: incomplete descriptions", r.ID)
		}
		if !awsPattern.MatchString(r.AWSRule) {
			t.Errorf("%s: AWS rule %q is neither a K/S/D/G id nor an AWS documentation URL", r.ID, r.AWSRule)
		}
		if r.HelpURI() != findings.DocsURL+"findings.md#"+strings.ToLower(r.ID)+"-"+r.Name {
			t.Errorf("%s: help URI %s", r.ID, r.HelpURI())
		}
		if !r.Dynamic && !tested[r.ID] {
			t.Errorf("%s has no case in staticCases", r.ID)
		}
		if r.Dynamic != (r.ID >= "DR500" && r.ID < "DR600") || (r.Dynamic && !r.Simulated) {
			t.Errorf("%s: dynamic %v, simulated %v: the dynamic kinds are DR5xx, and simulated", r.ID, r.Dynamic, r.Simulated)
		}
		for _, id := range r.Confirms {
			if s, ok := findings.Lookup(id); !ok || s.Dynamic || !r.Dynamic {
				t.Errorf("%s confirms %s, which is not a static kind (or %s is not dynamic)", r.ID, id, r.ID)
			}
		}
	}
	if _, ok := findings.Lookup("DR000"); ok {
		t.Error("Lookup found DR000")
	}
}

// TestDocs checks that docs/findings.md documents every rule under a
// heading whose anchor is the rule's help link, with its severity, its AWS
// rule and an example scenario that produces it.
func TestDocs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "findings.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	files := dynamicExamples()
	for _, tc := range staticCases {
		files[tc.want[0].id] = tc.file
	}
	for _, r := range findings.Rules() {
		head := "\n### " + r.ID + " " + r.Name + "\n"
		i := strings.Index(doc, head)
		if i < 0 {
			t.Errorf("%s: no heading %q", r.ID, strings.TrimSpace(head))
			continue
		}
		sec := doc[i+len(head):]
		if j := strings.Index(sec, "\n### "); j >= 0 {
			sec = sec[:j]
		}
		if !strings.Contains(sec, "**Severity:** "+r.Severity.String()) {
			t.Errorf("%s: the entry does not give severity %s", r.ID, r.Severity)
		}
		aws := r.AWSRule
		if !strings.HasPrefix(aws, "https://") {
			aws = "[" + aws + "](aws-behaviour.md#" + strings.ToLower(aws) + ")"
		}
		if !strings.Contains(sec, "**AWS rule:** ") || !strings.Contains(sec, aws) {
			t.Errorf("%s: the entry does not link its AWS rule %s", r.ID, aws)
		}
		if !strings.Contains(sec, "findings/testdata/"+files[r.ID]) || !strings.Contains(sec, " "+r.ID+": ") || !strings.Contains(sec, "**Fix:**") {
			t.Errorf("%s: the entry lacks its example (%s), its lint output or its fix", r.ID, files[r.ID])
		}
		if !strings.Contains(doc, "(#"+r.Anchor()+")") {
			t.Errorf("%s: the index does not link #%s", r.ID, r.Anchor())
		}
	}
}
