package scenarios

import (
	"reflect"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

// TestFormat11Decode decodes every 1.1 construct and checks the Config.
func TestFormat11Decode(t *testing.T) {
	c, err := Load("testdata/every-construct-11.toml")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	// regions: eu-west-1, il-central-1, us-east-1, us-west-2
	const euw1, il, use1, usw2 = 0, 1, 2, 3
	check("Start", c.Start, model.StartEmpty)
	check("ARCRegions", c.ARCRegions, []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"})
	check("data admins", c.Keys[0].Admins, []string{"platform-admin"})
	check("data admins_in", c.Keys[0].AdminsIn, []model.RegionUsers{{Region: usw2, Users: []string{"dr-operator", "platform-admin"}}})
	check("data users", c.Keys[0].Users, []string{"*"})
	check("il admins", c.Keys[1].Admins, []string{})
	check("App.STS", c.App.STS, model.STSGlobal)
	check("App.CredentialsTTL", c.App.CredentialsTTL, 30*sim.Minute)
	o := c.Outages
	check("gray", [3]any{o[0].Services, o[0].ErrorRate, o[0].Duration.Profile()}, [3]any{model.SvcApp | model.SvcSTS, 0.3, "aws-regional"})
	check("control planes", o[1].Services, model.SvcRoute53Control|model.SvcIAMControl)
	check("phases", o[2].Phases, []model.Phase{
		{Services: model.SvcDynamoDB, Offset: sim.ConstDist(0), Duration: sim.ConstDist(2*sim.Hour + 52*sim.Minute), ErrorRate: 1},
		{Services: model.SvcApp, Offset: sim.ConstDist(2*sim.Hour + 37*sim.Minute), Duration: sim.LogNormalDist(8*sim.Hour, 14*sim.Hour), ErrorRate: 0.5},
		{Services: model.SvcAll, Offset: sim.UniformDist(sim.Hour, 2*sim.Hour), Duration: sim.ConstDist(30 * sim.Minute), ErrorRate: 1},
	})
	check("phased outage's own fields", [2]any{o[2].Services, o[2].ErrorRate}, [2]any{model.Services(0), 0.0})
	f := c.Failover
	check("Operator", f.Operator, "dr-operator")
	check("dns needs", f.Steps[0].Needs, []model.Need{{Service: model.SvcRoute53Control, Region: use1}, {Service: model.SvcSTS, Region: usw2}})
	check("arc needs", f.Steps[1].Needs, []model.Need{{ARC: true, Region: -1}})
	check("arc principal", f.Steps[1].Op.Principal, "platform-admin")
	check("new-replica op", f.Steps[2].Op, model.Op{Kind: model.OpCreateTableReplica, Key: 0, Region: euw1, To: -1,
		Store: model.StoreRef{Kind: model.StoreTable}, Copy: sim.UniformDist(20*sim.Minute, 40*sim.Minute), HasCopy: true})
	check("put-bucket-replication", c.Actions[0].Op, model.Op{Kind: model.OpPutBucketReplication, Key: 0, Region: -1, To: usw2,
		RTC: true, Store: model.StoreRef{Kind: model.StoreBucket}, Principal: "iac-pipeline"})
	check("delete-bucket-replication", c.Actions[1].Op, model.Op{Kind: model.OpDeleteBucketReplication, Key: -1, Region: -1, To: usw2,
		Store: model.StoreRef{Kind: model.StoreBucket}})
	check("delete-table-replica", c.Actions[2].Op, model.Op{Kind: model.OpDeleteTableReplica, Key: -1, Region: usw2, To: -1,
		Store: model.StoreRef{Kind: model.StoreTable}})
	check("principals", []string{c.Principal(&f.Steps[0].Op), c.Principal(&f.Steps[1].Op), c.Principal(&c.Actions[0].Op)},
		[]string{"dr-operator", "platform-admin", "iac-pipeline"})
	_ = il
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	// Every construct runs.
	r := model.NewRunner(c)
	for i := 0; i < 50; i++ {
		r.Trial(1, i, nil)
	}
}

// TestFormat11Errors: each new validation error, positioned, with a
// did-you-mean where a near name exists.
func TestFormat11Errors(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  []string
	}{
		{"needs: unknown service", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"route53-contrl@us-east-1\"]\n"},
			[]string{`t.toml:51:10: failover.steps[0].needs: unknown service "route53-contrl" (did you mean "route53-control"?)`}},
		{"needs: app", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"app@us-east-1\"]\n"},
			[]string{`failover.steps[0].needs: unknown service "app" (the app's compute is what the runbook moves, not something a step needs)`}},
		{"needs: undeclared region", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"sts@us-wset-2\"]\n"},
			[]string{`t.toml:51:10: failover.steps[0].needs: "us-wset-2" is not a declared region (did you mean "us-west-2"?)`}},
		{"needs: no region", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"route53-control\"]\n"},
			[]string{`failover.steps[0].needs: "route53-control" names no region: write SERVICE@REGION, like "route53-control@us-east-1"`}},
		{"needs: arc typo", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"arc-routing-controls\"]\n"},
			[]string{`failover.steps[0].needs: unknown need "arc-routing-controls" (did you mean "arc-routing-control"?)`}},
		{"needs: route53-control outside us-east-1", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"route53-control@us-west-2\"]\n"},
			[]string{`failover.steps[0].needs: "route53-control" exists only in us-east-1, where its control plane is hosted (rule G1, docs/aws-behaviour.md): write route53-control@us-east-1`}},
		{"needs: twice", []string{"name = \"a\"\n", "name = \"a\"\nneeds = [\"sts@us-east-1\", \"sts@us-east-1\"]\n"},
			[]string{`t.toml:51:27: failover.steps[0].needs: "sts@us-east-1" is listed twice`}},
		{"needs on an action", []string{"at = \"1h\"\n", "at = \"1h\"\nneeds = [\"sts@us-east-1\"]\n"},
			[]string{`actions[0].needs: unknown key here; needs belongs in [[failover.steps]]`}},
		{"services: iam-control outside us-east-1", []string{"region = \"us-east-1\"\nstart", "region = \"us-west-2\"\nservices = [\"iam-control\"]\nstart"},
			[]string{`t.toml:41:13: outages[0].services: "iam-control" exists only in us-east-1, where its control plane is hosted (rule G2, docs/aws-behaviour.md), not in "us-west-2"`}},
		{"error_rate 0", []string{"duration = \"2h\"\n", "duration = \"2h\"\nerror_rate = 0\n"},
			[]string{`t.toml:43:1: outages[0].error_rate: must be in (0, 1] (the fraction of requests that fail), got 0`}},
		{"error_rate above 1", []string{"duration = \"2h\"\n", "duration = \"2h\"\nerror_rate = 1.5\n"},
			[]string{`outages[0].error_rate: must be in (0, 1] (the fraction of requests that fail), got 1.5`}},
		{"phases with the outage's own services, duration, error_rate", []string{"duration = \"2h\"\n",
			"duration = \"2h\"\nservices = [\"kms\"]\nerror_rate = 0.5\n\n[[outages.phases]]\nduration = \"1h\"\n"},
			[]string{`t.toml:42:1: outages[0].duration: an outage in phases sets duration per phase, in [[outages.phases]]`,
				`t.toml:43:1: outages[0].services: an outage in phases sets services per phase`,
				`t.toml:44:1: outages[0].error_rate: an outage in phases sets error_rate per phase`}},
		{"phase without duration, bad rate", []string{"duration = \"2h\"\n", "\n[[outages.phases]]\nservices = [\"app\"]\nerror_rate = -1\n"},
			[]string{`t.toml:43:11: outages[0].phases[0].duration: required: how long the phase lasts`,
				`t.toml:45:1: outages[0].phases[0].error_rate: must be in (0, 1]`}},
		{"phase: unknown key", []string{"duration = \"2h\"\n", "\n[[outages.phases]]\nduraton = \"1h\"\n"},
			[]string{`t.toml:44:1: outages[0].phases[0].duraton: unknown key (did you mean "duration"?)`,
				`t.toml:43:11: outages[0].phases[0].duration: required`}},
		{"error_rate and phases on a partition", []string{"region = \"us-east-1\"\nstart = \"1h\"\nduration = \"2h\"\n",
			"kind = \"partition\"\nregions = [\"us-east-1\", \"us-west-2\"]\nstart = \"1h\"\nduration = \"2h\"\nerror_rate = 0.5\n\n[[outages.phases]]\nduration = \"1h\"\n"},
			[]string{`outages[0].error_rate: not used by a partition`, `outages[0].phases: not used by a partition`}},
		{"unknown profile", []string{"duration = \"2h\"", "duration = \"profile(aws-regionl)\""},
			[]string{`t.toml:42:1: outages[0].duration: unknown profile "aws-regionl" (did you mean "aws-regional"?)`}},
		{"profile without a name", []string{"duration = \"2h\"", "duration = \"profile()\""},
			[]string{`outages[0].duration: profile: no name in "profile()"; profiles: aws-regional`}},
		{"create-table-replica without store and region", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"create-table-replica\""},
			[]string{`actions[0].store: required: create-table-replica needs the table`, `actions[0].region: required: create-table-replica needs the region of the new replica`}},
		{"put-bucket-replication without to and key", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"put-bucket-replication\"\nstore = \"b\""},
			[]string{`actions[0].to: required: put-bucket-replication needs the destination region of the rule`,
				`actions[0].key: required: put-bucket-replication needs the rule's replica key, usable in to`}},
		{"delete-bucket-replication to its own region", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"",
			"op = \"delete-bucket-replication\"\nstore = \"b\"\nto = \"us-east-1\""},
			[]string{`actions[0].to: "us-east-1" is the source bucket's region`}},
		{"table op on a bucket", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"delete-table-replica\"\nstore = \"b\"\nregion = \"us-west-2\""},
			[]string{`actions[0].store: "b" is not a declared table; tables: t`}},
		{"bucket op on a table", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"delete-bucket-replication\"\nstore = \"t\"\nto = \"us-west-2\""},
			[]string{`actions[0].store: "t" is not a declared bucket; buckets: b`}},
		{"create-table-replica on a keys_in table", []string{"key = \"mrk\"\n\n[tables.t.backup]", "keys_in = { us-east-1 = \"mrk\", us-west-2 = \"mrk\" }\n\n[tables.t.backup]",
			"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"create-table-replica\"\nstore = \"t\"\nregion = \"eu-west-1\""},
			[]string{`actions[0].key: required: create-table-replica needs the new replica's key (the table has one key per region)`}},
		{"op arguments not used", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"\nto = \"eu-west-1\"\nrtc = true\ncopy = \"1m\""},
			[]string{`actions[0].to: not used by disable-key`, `actions[0].rtc: not used by disable-key`, `actions[0].copy: not used by disable-key`}},
		{"start", []string{`horizon = "24h"`, "horizon = \"24h\"\nstart = \"steddy\""},
			[]string{`t.toml:3:1: start: unknown start "steddy" (did you mean "steady"?)`}},
		{"arc: four regions", []string{"", "\n[arc]\nregions = [\"us-east-1\", \"us-west-2\", \"eu-west-1\", \"us-eats-2\"]\n"},
			[]string{`arc.regions: "us-eats-2" is not an AWS Region code (did you mean "us-east-2"?)`, `arc.regions: an ARC cluster has exactly 5 regions, got 4`}},
		{"sts", []string{"serve = [\"us-east-1\"]", "serve = [\"us-east-1\"]\nsts = \"globl\""},
			[]string{`t.toml:20:1: app.sts: unknown STS endpoint "globl" (did you mean "global"?)`}},
		{"credentials_ttl", []string{"serve = [\"us-east-1\"]", "serve = [\"us-east-1\"]\ncredentials_ttl = \"0s\""},
			[]string{`app.credentials_ttl: must be positive`}},
		{"empty principal and operator", []string{"detect = \"5m\"", "detect = \"5m\"\noperator = \"\"", "name = \"a\"\n", "name = \"a\"\nprincipal = \" \"\n"},
			[]string{`failover.operator: must not be empty`, `failover.steps[0].principal: must not be empty`}},
		{"admins_in on a single-Region key", []string{"[keys.single]\nregion = \"us-east-1\"", "[keys.single]\nregion = \"us-east-1\"\nadmins_in = { us-west-2 = [\"x\"] }"},
			[]string{`keys.single.admins_in.us-west-2: a single-Region key has its only copy in "us-east-1", not "us-west-2"`}},
		{"admins: empty principal", []string{"users = [\"app\"]", "users = [\"app\"]\nadmins = [\"\"]"},
			[]string{`keys.mrk.admins: empty principal`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseString(t, edit(t, tt.edits...))
			if errs == nil {
				t.Fatal("no error")
			}
			text := errs.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing error %q; got:\n%s", w, text)
				}
			}
			if len(errs) != len(tt.want) {
				t.Errorf("%d errors, want %d:\n%s", len(errs), len(tt.want), text)
			}
		})
	}
}

// TestFormat11Accepted: "*" in users, users_in, admins and admins_in; an
// empty admins list; the default ARC regions, undeclared.
func TestFormat11Accepted(t *testing.T) {
	src := edit(t, "users = [\"app\"]", "users = [\"*\"]\nadmins = [\"*\", \"ops\"]\nusers_in = { us-west-2 = [\"*\"] }\nadmins_in = { us-west-2 = [] }",
		"name = \"a\"\n", "name = \"a\"\nneeds = [\"arc-routing-control\", \"kms@us-west-2\", \"iam-control@us-east-1\"]\n")
	c, errs := parseString(t, src)
	if errs != nil {
		t.Fatal(errs)
	}
	k := c.Keys[0]
	if !reflect.DeepEqual(k.Users, []string{"*"}) || !reflect.DeepEqual(k.Admins, []string{"*", "ops"}) ||
		!reflect.DeepEqual(k.AdminsIn, []model.RegionUsers{{Region: 2, Users: []string{}}}) {
		t.Errorf("key = %+v", k)
	}
	if c.ARCRegions != nil || len(c.Failover.Steps[0].Needs) != 3 {
		t.Errorf("arc %v needs %v", c.ARCRegions, c.Failover.Steps[0].Needs)
	}
}
