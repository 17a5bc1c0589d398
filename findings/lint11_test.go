package findings_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
)

// lint11 is one expected static finding of a format 1.1 case: its id,
// severity and key path, words its message and fix must hold, and words its
// fix must not hold (a fix that does not apply to the setup).
type lint11 struct {
	id        string
	sev       findings.Severity
	path      string
	msg       []string
	fix       []string
	fixNot    []string
	msgNot    []string
	otherFile bool
}

// lint11Cases are the static findings of scenarios that use the format 1.1
// ops, needs and outages: each lists every finding it must produce (an
// empty list: none).
var lint11Cases = []struct {
	name, file string
	want       []lint11
}{
	// The runbook creates the copies the failover needs: no DR201/DR202.
	{"create_copies_DR201_DR202", "ops-create-copies.toml", nil},
	// A replica created by a step is checked like one of t=0 (DR104).
	{"created_replica_DR104", "ops-create-replica-client-key.toml", []lint11{
		{id: findings.ClientKeyWithoutCopyAfterFailover, sev: findings.Error, path: "keys.tokens.replicas", msg: []string{`"tokens"`, "eu-west-1"}}}},
	// A replicate-key action before the outage gives the key its copy.
	{"replicate_key_DR104", "ops-replicate-key.toml", nil},
	// Deletions of the copies leave the target empty (DR201) ...
	{"deleted_copies_DR201", "ops-delete-copies.toml", []lint11{
		{id: findings.FailoverTargetHoldsNothing, sev: findings.Error, path: "actions[0].op", msg: []string{"actions[0] and actions[1] delete"}, fix: []string{"remove actions[0] and actions[1]"}}}},
	// ... or without one store (DR202), whose fix is a table replica.
	{"deleted_replica_DR202", "ops-delete-replica.toml", []lint11{
		{id: findings.StoreWithoutCopyAfterFailover, sev: findings.Error, path: "actions[0].op", msg: []string{`"sessions"`, "actions[0] deletes it"}, fix: []string{"remove actions[0]", "tables.sessions.regions"}, fixNot: []string{"replication rule"}}}},
	// A rule put by a step without RTC (DR203).
	{"put_rule_DR203", "ops-put-rule-without-rtc.toml", []lint11{
		{id: findings.RPOBelowReplicationP99, sev: findings.Warning, path: "failover.steps[0].op", msg: []string{`step "add-rule"`, "p99 30m"}, fix: []string{"rtc = true in failover.steps[0]"}},
		// and the rule is configured in the failed region (G7)
		{id: findings.RequiredOpInFailedRegion, sev: findings.Error, path: "failover.steps[0].op", msg: []string{`bucket "exports"`, "configured in its region us-east-1", "takes S3 in us-east-1 down"},
			fix: []string{"[[buckets.exports.replication]]"}}}},

	// DR301, DR302, DR303 are errors only when an outage can take the
	// service the step needs down at an error rate of 1; they say which.
	{"DR303_G1_no_outage", "needs-no-outage.toml", []lint11{
		{id: findings.RequiredStepNeedsFailedRegion, sev: findings.Warning, path: "failover.steps[1].needs", otherFile: true,
			msg: []string{"no outage of this scenario takes route53-control in us-east-1 down"}, fix: []string{"ARC routing control"}}}},
	{"DR303_gray", "needs-gray.toml", []lint11{
		{id: findings.RequiredStepNeedsFailedRegion, sev: findings.Warning, path: "failover.steps[0].needs",
			msg: []string{"only in a gray failure (error rate at most 0.8)"}, msgNot: []string{"cannot finish"}}}},
	{"DR303_G1_phase", "needs-phase.toml", []lint11{
		{id: findings.RequiredStepNeedsFailedRegion, sev: findings.Error, path: "failover.steps[1].needs", otherFile: true,
			msg: []string{"an outage of this scenario takes route53-control in us-east-1 down", "cannot finish"}}}},
	{"DR303_G2_iam", "needs-iam.toml", []lint11{
		{id: findings.RequiredStepNeedsFailedRegion, sev: findings.Error, path: "failover.steps[0].needs",
			msg: []string{"iam-control@us-east-1"}, fix: []string{"IAM change before the outage"}, fixNot: []string{"ARC", "health-check", "move traffic"}}}},
	{"DR301_K8_app_outage", "promote-app-outage.toml", []lint11{
		{id: findings.RequiredKeyPromotion, sev: findings.Warning, path: "failover.steps[2].required", otherFile: true,
			msg: []string{"no outage of this scenario takes KMS in us-east-1 down"}}}},

	// Fix texts computed from what the scenario has.
	{"DR101_G6_keys_in", "dr101-keys-in.toml", []lint11{
		{id: findings.TableReplicaKeyNotInRegion, sev: findings.Error, path: "tables.ledger.keys_in.us-west-2",
			fix: []string{"name it in tables.ledger.keys_in.us-west-2"}, fixNot: []string{"its own key"}}}},
	{"DR112_G6_multi_region", "dr112-multi-region.toml", []lint11{
		{id: findings.ReplicaOpKeyNotInRegion, sev: findings.Error, path: "failover.steps[0].key",
			fix: []string{`add "eu-west-1" to keys.data.replicas`}, fixNot: []string{"name it"}}}},
	{"DR401_K13_bucket_key_on", "dr401-bucket-key.toml", []lint11{
		{id: findings.KMSQuotaBelowDemandAfterFailover, sev: findings.Warning, path: "regions.us-west-2.kms_rps", otherFile: true,
			msg: []string{`500 of them from the client-side encryption of table "sessions"`}, fixNot: []string{"Bucket Keys"}}}},
	{"DR111_G5_no_admins", "dr111-no-admins.toml", []lint11{
		{id: findings.AdminsExcludePrincipal, sev: findings.Error, path: "keys.tokens.admins_in.us-west-2",
			msg: []string{"copy in us-west-2, which has no admins:"}, msgNot: []string{"()"}, fix: []string{`add "dr-operator" to keys.tokens.admins_in.us-west-2`}, fixNot: []string{"have an admin"}}}},
	// Rates with thousands separators, as the report writes them.
	{"DR402_K13_thousands", "dr402-thousands.toml", []lint11{
		{id: findings.KMSQuotaBelowDemandAfterFailover, sev: findings.Error, path: "regions.us-west-2.kms_rps", otherFile: true, msg: []string{"400,500 calls/s", "quota of 100,000"}},
		{id: findings.KMSQuotaBelowDemand, sev: findings.Warning, path: "regions.us-west-2.kms_rps", otherFile: true, msg: []string{"200,000 calls/s"}},
		{id: findings.KMSQuotaBelowDemand, sev: findings.Error, path: "regions.us-east-1.kms_rps", msg: []string{"600,500 calls/s"}, msgNot: []string{"600500"},
			otherFile: true, fix: []string{"at least 600,500 calls/s", "falls to 6,500 calls/s, still over the quota"}}}},
	{"DR401_K13_bucket_key_off", "dr401-quota-after-failover.toml", []lint11{
		{id: findings.KMSQuotaBelowDemandAfterFailover, sev: findings.Error, path: "regions.us-west-2.kms_rps",
			fix: []string{`S3 Bucket Keys for bucket "exports"`, "falls to 500.7 calls/s, still over the quota"}}}},
}

func TestLint11(t *testing.T) {
	for _, tc := range lint11Cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, loc := load(t, tc.file)
			got := findings.Static(cfg, loc)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), lines(got))
			}
			for i, w := range tc.want {
				f := got[i]
				if f.ID != w.id || f.Severity != w.sev || f.Location.Path != w.path {
					t.Errorf("finding %d: got %s %s at %s, want %s %s at %s", i, f.Severity, f.ID, f.Location.Path, w.sev, w.id, w.path)
				}
				if f.Location.Line < 1 || f.Location.Col < 1 || f.Location.File != filepath.Join("testdata", tc.file) && !w.otherFile {
					t.Errorf("%s: location %+v", f.ID, f.Location)
				}
				for _, s := range w.msg {
					if !strings.Contains(f.Message, s) {
						t.Errorf("%s: message lacks %q: %s", f.ID, s, f.Message)
					}
				}
				for _, s := range w.msgNot {
					if strings.Contains(f.Message, s) {
						t.Errorf("%s: message holds %q: %s", f.ID, s, f.Message)
					}
				}
				for _, s := range w.fix {
					if !strings.Contains(f.Fix, s) {
						t.Errorf("%s: fix lacks %q: %s", f.ID, s, f.Fix)
					}
				}
				for _, s := range w.fixNot {
					if strings.Contains(f.Fix, s) {
						t.Errorf("%s: fix holds %q: %s", f.ID, s, f.Fix)
					}
				}
			}
		})
	}
}

// TestLocationJSON checks that a location without a line has neither line
// nor column in JSON (never line 0), and that one with them keeps both.
func TestLocationJSON(t *testing.T) {
	for _, tt := range []struct {
		loc  findings.Location
		want string
	}{
		{findings.Location{File: "a.toml", Path: "app"}, `{"file":"a.toml","path":"app"}`},
		{findings.Location{File: "--set #1", Line: 1, Col: 21, Path: "keys.k"}, `{"file":"--set #1","line":1,"col":21,"path":"keys.k"}`},
	} {
		b, err := json.Marshal(tt.loc)
		if err != nil || string(b) != tt.want {
			t.Errorf("%+v: got %s (%v), want %s", tt.loc, b, err, tt.want)
		}
	}
}
