package findings_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
)

// dyn11 is one expected dynamic finding: its id, severity and key path,
// words its message and fix must hold or not hold, and whether What to fix
// first charges it.
type dyn11 struct {
	id      string
	sev     findings.Severity
	path    string
	msg     []string
	fix     []string
	fixNot  []string
	charged bool
	// confirms is the static finding it must confirm, "" for none
	confirms string
}

// dyn11Cases are dynamic findings whose location and fix come from what
// the scenario has: the op that deletes a copy, the op that puts a rule
// late, an op that changes nothing.
var dyn11Cases = []struct {
	name, file string
	want       dyn11
}{
	{"DR505_deleted_copy", "ops-delete-replica.toml", dyn11{id: findings.StoreUnavailable, sev: findings.Error, path: "actions[0].op",
		msg: []string{"actions[0] deletes it"}, fix: []string{`keep the copy of "sessions" in us-west-2 (remove actions[0])`}, fixNot: []string{"replication rule"}, charged: true, confirms: findings.StoreWithoutCopyAfterFailover}},
	{"DR506_create_existing_not_decisive", "op-create-existing.toml", dyn11{id: findings.OpFailed, sev: findings.Warning, path: "actions[0].op",
		msg: []string{"not charged in What to fix first"}, fix: []string{"already has a replica in us-east-1"}, fixNot: []string{"key ="}}},
	{"DR507_rule_put_late", "ops-put-rule-late.toml", dyn11{id: findings.StaleStore, sev: findings.Error, path: "actions[0].op",
		fix: []string{"written after actions[0]", "[[buckets.exports.replication]]"}, fixNot: []string{"rtc = true"}, charged: true}},
	// A replica the runbook creates but that is still being copied.
	{"DR505_created_not_usable", "ops-create-copies.toml", dyn11{id: findings.StoreUnavailable, sev: findings.Error, path: "failover.steps[0].op",
		fix: []string{`step "add-replica" makes in eu-west-1 was not usable yet`, `add "eu-west-1" to tables.sessions.regions`}, fixNot: []string{"op = \"create-table-replica\""}, charged: true}},
	// DR508 blames the wait of a step on its need, with the AWS error, and
	// confirms the step's DR303.
	{"DR508_wait_on_need", "dr508-wait-on-need.toml", dyn11{id: findings.SlowFailover, sev: findings.Error, path: "failover.steps[1].needs",
		msg: []string{`step "edit-record": it waited for route53-control@us-east-1`, "Route53ControlPlaneUnavailable", "retrying every 1m"},
		fix: []string{"Route 53 health-check failover"}, fixNot: []string{"shorten"}, charged: true, confirms: findings.RequiredStepNeedsFailedRegion}},
	// ... and of a step on its op (DR301).
	{"DR508_wait_on_op", "dr508-wait-on-op.toml", dyn11{id: findings.SlowFailover, sev: findings.Error, path: "failover.steps[2].required",
		msg: []string{`its update-primary-region kept failing with KMSUnavailable`}, fix: []string{"do its operation before the outage"}, charged: true,
		confirms: findings.RequiredKeyPromotion}},
	// A step slow by its own duration is blamed for it.
	{"DR508_duration", "dr508-slow-failover.toml", dyn11{id: findings.SlowFailover, sev: findings.Error, path: "failover.steps[0].duration",
		msg: []string{`its longest part was step "approve" (duration uniform(20m, 40m)`, "mean RTO 37m33s"}, fix: []string{`shorten step "approve"`}, charged: true}},
	// Durations as the report's tables write them (3h05m, not 3h5m).
	{"DR502_durations", "dr104-client-key-without-copy.toml", dyn11{id: findings.KMSCallsRefused, sev: findings.Error, path: "keys.tokens2",
		msg: []string{"mean RTO 4h03m,"}, fix: []string{`add "us-west-2" to keys.tokens2.replicas`}, charged: true, confirms: findings.ClientKeyWithoutCopyAfterFailover}},
}

func TestDynamic11(t *testing.T) {
	for _, tc := range dyn11Cases {
		t.Run(tc.name, func(t *testing.T) {
			s := simulate(t, tc.file)
			_, loc := load(t, tc.file)
			cfg, _ := load(t, tc.file)
			fs := append(findings.Static(cfg, loc), findings.Dynamic(s.cfg, loc, s.results)...)
			findings.Link(fs)
			w := tc.want
			var f *findings.Finding
			for i := range fs {
				if fs[i].ID == w.id && fs[i].Kind == findings.KindDynamic {
					f = &fs[i]
					break
				}
			}
			if f == nil {
				t.Fatalf("no %s:\n%s", w.id, lines(fs))
			}
			if f.Severity != w.sev || f.Location.Path != w.path {
				t.Errorf("got %s at %s, want %s at %s", f.Severity, f.Location.Path, w.sev, w.path)
			}
			for _, x := range w.msg {
				if !strings.Contains(f.Message, x) {
					t.Errorf("message lacks %q: %s", x, f.Message)
				}
			}
			for _, x := range w.fix {
				if !strings.Contains(f.Fix, x) {
					t.Errorf("fix lacks %q: %s", x, f.Fix)
				}
			}
			for _, x := range w.fixNot {
				if strings.Contains(f.Fix, x) {
					t.Errorf("fix holds %q: %s", x, f.Fix)
				}
			}
			var confirms []string
			for _, r := range f.Confirms {
				confirms = append(confirms, r.ID)
			}
			if (w.confirms == "") != (len(confirms) == 0) || w.confirms != "" && !slices.Contains(confirms, w.confirms) {
				t.Errorf("confirms %v, want %q", confirms, w.confirms)
			}
			charged := false
			for _, g := range findings.FixFirst(fs, 5) {
				charged = charged || g.ID == f.ID && g.Message == f.Message
			}
			if charged != w.charged {
				t.Errorf("charged in What to fix first: %v, want %v (%+v)", charged, w.charged, *f.Effect)
			}
		})
	}
}
