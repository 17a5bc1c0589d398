package terraform

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/importer"
)

func decodeFixture(t *testing.T, name string) *importer.Inventory {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Decode(path, data)
	if err != nil {
		t.Fatal(err)
	}
	inv.Finish()
	return inv
}

func keyNamed(t *testing.T, inv *importer.Inventory, name string) *importer.Key {
	t.Helper()
	for _, k := range inv.Keys {
		if k.Name == name {
			return k
		}
	}
	t.Fatalf("no key %q", name)
	return nil
}

// TestStateModulesAndRegions checks the state fixture: a replica in a child
// module linked to its primary by ARN, a single-Region key two modules
// down, and regions read from the v6 region attribute (root module) and
// from ARNs (the v5-style child modules).
func TestStateModulesAndRegions(t *testing.T) {
	inv := decodeFixture(t, "state.json")
	if inv.Kind != "terraform state" || inv.Account != "111122223333" {
		t.Errorf("kind %q, account %q", inv.Kind, inv.Account)
	}
	orders := keyNamed(t, inv, "orders")
	if !orders.MultiRegion || orders.Primary.Region != "us-east-1" || len(orders.Replicas) != 1 ||
		orders.Replicas[0].Region != "us-west-2" || orders.Replicas[0].Source != "module.dr_west.aws_kms_replica_key.this" {
		t.Errorf("orders: primary %+v, replicas %+v", orders.Primary, orders.Replicas)
	}
	if orders.RotationDays != 180 {
		t.Errorf("rotation %d days, want 180 (rotation_period_in_days)", orders.RotationDays)
	}
	eu := keyNamed(t, inv, "eu")
	if eu.MultiRegion || eu.Primary.Region != "eu-west-1" || eu.Source != "module.dr_west.module.eu.aws_kms_key.this" {
		t.Errorf("eu: %+v %+v", eu, eu.Primary)
	}
	if len(inv.Buckets) != 3 {
		t.Fatalf("%d buckets, want 3 (archive, logs, the module's destination)", len(inv.Buckets))
	}
	src := inv.Buckets[0]
	if src.Region != "us-east-1" || len(src.Rules) != 1 || src.Rules[0].Dest != inv.Buckets[2] || src.Rules[0].To != "us-west-2" ||
		src.Rules[0].Key.Key != orders || !src.Rules[0].RTC || !src.Rules[0].SSEKMSObjects || src.Role != "s3-replication" {
		t.Errorf("source bucket %+v, rule %+v", src, src.Rules[0])
	}
	if inv.Buckets[2].Region != "us-west-2" || inv.Buckets[2].DestinationOf != src.Rules[0] {
		t.Errorf("destination bucket: region %q, destination of %v", inv.Buckets[2].Region, inv.Buckets[2].DestinationOf)
	}
	tbl := inv.Tables[0]
	var got []string
	for _, r := range tbl.Replicas {
		got = append(got, r.Region+"="+r.Key.Key.Name)
	}
	if want := []string{"us-east-1=orders", "eu-west-1=eu", "us-west-2=orders"}; !slices.Equal(got, want) {
		t.Errorf("table replicas %v, want %v", got, want)
	}
}

// TestPlanReferences checks that a plan, whose ARNs are unknown, is linked
// through the configuration: a replica's primary through a module call's
// argument (var.primary_key_arn), keys and destination buckets through
// module outputs, the replication role through aws_iam_role's name, regions
// through the provider configurations (a variable and constants), and an
// unknown policy told apart from an absent one.
func TestPlanReferences(t *testing.T) {
	inv := decodeFixture(t, "plan.json")
	if inv.Kind != "terraform plan" {
		t.Errorf("kind %q", inv.Kind)
	}
	media := keyNamed(t, inv, "media")
	var reps []string
	for _, c := range media.Replicas {
		reps = append(reps, c.Region+" "+c.Source)
	}
	if want := []string{"eu-west-1 module.eu.aws_kms_replica_key.this", "us-west-2 module.west.aws_kms_replica_key.this"}; media.Primary.Region != "us-east-1" || !slices.Equal(reps, want) {
		t.Errorf("media: primary %q, replicas %v, want %v", media.Primary.Region, reps, want)
	}
	eu := media.CopyIn("eu-west-1")
	if eu.Policy != nil || !strings.Contains(eu.PolicyUnknown, "unknown until apply") || !slices.Equal(eu.PolicyRefs, []string{"s3-replication (aws_iam_role.replication)"}) {
		t.Errorf("eu policy %v, unknown %q, refs %q", eu.Policy, eu.PolicyUnknown, eu.PolicyRefs)
	}
	if media.CopyIn("us-west-2").Policy == nil {
		t.Error("the us-west-2 replica's policy is known in the plan")
	}
	b := inv.Buckets[0]
	if b.BucketName != "media-use1" || b.Region != "us-east-1" || b.SSE.Key.Key != media || b.Role != "s3-replication" {
		t.Errorf("bucket %+v, SSE %+v", b, b.SSE)
	}
	var rules []string
	for _, r := range b.Rules {
		rules = append(rules, r.ID+" "+r.To+" "+r.Dest.BucketName+" "+r.Key.Region+" "+r.Filter)
	}
	if want := []string{`media-to-usw2 us-west-2 media-usw2 us-west-2 `, `originals-to-euw1 eu-west-1 media-euw1 eu-west-1 prefix "originals/"`}; !slices.Equal(rules, want) {
		t.Errorf("rules %q, want %q", rules, want)
	}
	var tbl []string
	for _, r := range inv.Tables[0].Replicas {
		tbl = append(tbl, r.Region+"="+r.Key.Key.Name+"@"+r.Key.Region)
	}
	if want := []string{"us-east-1=media@us-east-1", "eu-west-1=media@eu-west-1", "us-west-2=media@us-west-2"}; !slices.Equal(tbl, want) {
		t.Errorf("table replicas %v, want %v", tbl, want)
	}
}

// TestDecodeErrors checks that bad input gives positioned errors.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\n  \"format_version\": \"1.0\",\n  \"values\": {\"root_module\": {\"resources\": [}}\n}",
			`importer: f.json:3:44: malformed JSON: invalid character '}' looking for beginning of value`},
		{"{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resources\": {}}}}",
			`importer: f.json:1:67: values.root_module.resources: expected an array, got an object`},
		{`{"format_version": "1.0"} {}`, `importer: f.json:1:27: malformed JSON: more than one JSON value`},
		{`{"values": {}}`, `importer: f.json:1:1: not the output of terraform show -json (no format_version); run terraform show -json on a state or a saved plan`},
		{`{"format_version": "2.0"}`, `importer: f.json: format_version: unsupported version "2.0": drsim reads format 1.x`},
		{`{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
		   "values": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": "{\"Statement\": 5}"}}]}}}`,
			`importer: f.json:2:78: aws_kms_key.k: policy: key policy: Statement: expected an object or an array of objects, got a number`},
		{`{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
		   "values": {"key_id": "k"}}]}}}`,
			`importer: f.json:1:68: aws_kms_key.k: cannot tell its region: no region attribute, no ARN with a region, and no provider configuration with a region`},
	} {
		_, err := Decode("f.json", []byte(tc.in))
		var el importer.ErrorList
		if !errors.As(err, &el) || err.Error() != tc.want {
			t.Errorf("Decode(%.60s...):\n got  %v\n want %s", tc.in, err, tc.want)
		}
	}
}

// TestUnresolvedReference checks that a plan reference that leads to no key
// is named, with its address, in a warning and in the placeholder.
func TestUnresolvedReference(t *testing.T) {
	in := `{"format_version": "1.2",
	 "planned_values": {"root_module": {"resources": [
	   {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "b1", "region": "us-east-1"}},
	   {"address": "aws_s3_bucket_server_side_encryption_configuration.b", "mode": "managed", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "b",
	    "values": {"bucket": "b1", "region": "us-east-1", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}}]}},
	 "resource_changes": [{"address": "aws_s3_bucket_server_side_encryption_configuration.b", "mode": "managed", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "b",
	   "change": {"actions": ["create"], "after_unknown": {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]}}}],
	 "configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket_server_side_encryption_configuration.b", "mode": "managed",
	   "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "b", "provider_config_key": "aws",
	   "expressions": {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["local.key_arn"]}}]}]}}]}}}`
	inv, err := Decode("p.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	inv.Finish()
	r := importer.Render(inv, importer.Options{})
	want := "aws_s3_bucket_server_side_encryption_configuration.b: rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id refers to local.key_arn, which is no key in the input"
	if !slices.Contains(inv.Warnings, want) {
		t.Errorf("warnings %q, want %q", inv.Warnings, want)
	}
	if !strings.Contains(string(r.Text), `key = "FILL-IN: the key that encrypts bucket b1 (rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id is unknown until apply and refers to local.key_arn`) {
		t.Errorf("no placeholder naming the reference:\n%s", r.Text)
	}
}

// Small seeds: the fuzzer minimizes every new input it finds, which takes
// minutes on the fixtures' tens of kilobytes.
const (
	seedState = `{"format_version": "1.0", "values": {"root_module": {"resources": [
 {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"arn": "arn:aws:kms:us-east-1:111122223333:key/mrk-1", "key_id": "mrk-1", "multi_region": true, "enable_key_rotation": true,
  "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/app\"}, \"Action\": \"kms:*\"}]}"}},
 {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "b", "region": "us-east-1",
  "replication_configuration": [{"role": "arn:aws:iam::111122223333:role/r", "rules": [{"status": "Enabled", "destination": [{"bucket": "arn:aws:s3:::c", "replica_kms_key_id": "arn:aws:kms:us-west-2:111122223333:key/mrk-1"}]}]}]}},
 {"address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table", "name": "t", "values": {"name": "t", "arn": "arn:aws:dynamodb:us-east-1:111122223333:table/t",
  "server_side_encryption": [{"enabled": true, "kms_key_arn": "arn:aws:kms:us-east-1:111122223333:key/mrk-1"}], "replica": [{"region_name": "us-west-2"}]}}],
 "child_modules": [{"address": "module.m", "resources": [
 {"address": "module.m.aws_kms_replica_key.r", "mode": "managed", "type": "aws_kms_replica_key", "name": "r", "values": {"arn": "arn:aws:kms:us-west-2:111122223333:key/mrk-1", "primary_key_arn": "arn:aws:kms:us-east-1:111122223333:key/mrk-1", "enabled": false}}]}]}}}`
	seedPlan = `{"format_version": "1.2", "variables": {"region": {"value": "us-east-1"}},
 "planned_values": {"root_module": {"resources": [{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"multi_region": true}}],
  "child_modules": [{"address": "module.m[0]", "resources": [{"address": "module.m[0].aws_kms_replica_key.r", "mode": "managed", "type": "aws_kms_replica_key", "name": "r", "values": {}}]}]}},
 "resource_changes": [{"address": "aws_kms_key.k", "change": {"after_unknown": {"arn": true, "policy": true}}},
  {"address": "module.m[0].aws_kms_replica_key.r", "change": {"after_unknown": {"primary_key_arn": true, "policy": true}}}],
 "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}}, "aws.w": {"name": "aws", "alias": "w", "expressions": {"region": {"constant_value": "us-west-2"}}}},
  "root_module": {"resources": [{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "provider_config_key": "aws", "expressions": {"policy": {"references": ["aws_iam_role.x.arn"]}}}],
   "module_calls": {"m": {"expressions": {"p": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}}, "module": {"outputs": {"o": {"expression": {"references": ["module.m.o"]}}},
    "resources": [{"address": "aws_kms_replica_key.r", "mode": "managed", "type": "aws_kms_replica_key", "name": "r", "provider_config_key": "aws.w", "expressions": {"primary_key_arn": {"references": ["var.p"]}, "policy": {"references": ["local.p"]}}}]}}}}}}`
)

func FuzzDecode(f *testing.F) {
	f.Add([]byte(seedState))
	f.Add([]byte(seedPlan))
	// The new user's bad inputs (testdata/bad): wrong types, no mode,
	// modules nested too deep, a huge number, a junk region.
	if files, err := filepath.Glob(filepath.Join("testdata", "bad", "*")); err == nil {
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 1<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Decode("f.json", data)
		if err != nil {
			var el importer.ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		inv.Finish()
		importer.Render(inv, importer.Options{})
	})
}

// TestFuzzSeeds checks that the fuzz seeds are valid input that reaches the
// linking code, not errors.
func TestFuzzSeeds(t *testing.T) {
	for _, s := range []string{seedState, seedPlan} {
		inv, err := Decode("seed.json", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		inv.Finish()
		if len(inv.Keys) != 1 || len(inv.Keys[0].Replicas) != 1 {
			t.Errorf("%s: keys %+v", inv.Kind, inv.Keys)
		}
	}
}

// TestBadInputs imports the files of testdata/bad, most of them the new
// user's: each gives a positioned error saying what is wrong and what to do
// (an empty file was "EOF", a truncated one "unexpected EOF", a binary plan
// "invalid character 'P'", UTF-16 "invalid character 'ÿ'"; values of the
// wrong type were ignored, a resource without a mode and modules nested
// deeper than 64 were dropped, a junk region wrote a broken scenario), or
// imports with a warning.
func TestBadInputs(t *testing.T) {
	for _, tc := range []struct {
		file string
		want string // the error, or with "warning: " a warning of a successful import
	}{
		{"empty.json", "importer: empty.json:1:1: empty file: expected the JSON of terraform show -json (a state or a saved plan)"},
		{"trunc.json", "importer: trunc.json:1:105: malformed JSON: unexpected end of the input (is the file cut short?)"},
		{"tfplan", "importer: tfplan:1:1: a binary plan file (terraform plan -out writes a zip archive), not JSON: run terraform show -json tfplan > plan.json and import plan.json"},
		{"terraform.tfstate", "importer: terraform.tfstate:1:1: a state file as Terraform stores it (terraform.tfstate), not the output of terraform show -json: run terraform show -json > state.json in the configuration's folder and import state.json"},
		{"utf16.json", "importer: utf16.json:1:1: the file is UTF-16LE, not UTF-8"},
		{"bom.json", "warning: aws_kms_key.k"},
		{"types.json", "importer: types.json:1:153: aws_kms_key.a: multi_region: expected true or false, got the string \"yes\"\n" +
			"importer: types.json:1:168: aws_kms_key.a: policy: expected a string, got the number 12"},
		{"nomode.json", `importer: nomode.json:6:5: aws_kms_key.k: mode: expected "managed" or "data", got none`},
		{"dm.json", "importer: dm.json:1:3666: module.m34: child modules nest more than 64 deep: drsim reads 64 levels, and a setup has a few"},
		{"fraction.json", "importer: fraction.json:14:34: aws_kms_key.a: rotation_period_in_days: expected a whole number, got the number 90.5"},
		{"rot.json", "warning: aws_kms_key.k: enable_key_rotation, rotation_period_in_days: rotation period 99999999999999999999 days is outside 90..2560, the periods KMS accepts (K9 in docs/aws-behaviour.md): the rotation is not imported"},
		{"huge-number.json", "warning: aws_kms_key.a: enable_key_rotation, rotation_period_in_days: rotation period 0 days is outside 90..2560"},
		{"inj2.json", `importer: inj2.json:1:381: aws_s3_bucket.b: region: the string "us-east-1]\n[app]\nx = \"1" is not an AWS Region code like us-east-1`},
		{"badarn.json", `importer: badarn.json:2:104: aws_kms_key.a: arn: the string "arn:aws:kms:us-east-1]\n[app]:111122223333:key/a" is not an ARN with an AWS Region code`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "bad", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			inv, err := Decode(tc.file, data)
			if w, ok := strings.CutPrefix(tc.want, "warning: "); ok {
				if err != nil {
					t.Fatal(err)
				}
				inv.Finish()
				found := false
				for _, x := range inv.Warnings {
					found = found || strings.HasPrefix(x, w)
				}
				if !found && !(tc.file == "bom.json" && len(inv.Keys) == 1) {
					t.Errorf("no warning %q in %q", w, inv.Warnings)
				}
				return
			}
			var el importer.ErrorList
			if !errors.As(err, &el) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestUnknownPolicyOrigins checks that a replica key policy unknown in a
// plan names what it depends on, in the placeholder and, for what drsim
// cannot read (a data source, a for_each value), in a warning: the new
// user's plan5.json (data.aws_iam_policy_document.replica through a module
// argument) and plan6.json (each.value.policy) left a placeholder naming
// neither, and no warning.
func TestUnknownPolicyOrigins(t *testing.T) {
	plan := func(policyArg string) string {
		return `{"format_version": "1.2",
 "planned_values": {"root_module": {"resources": [
   {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"multi_region": true, "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/app\"}, \"Action\": \"kms:*\"}]}"}}],
  "child_modules": [{"address": "module.west", "resources": [{"address": "module.west.aws_kms_replica_key.this", "mode": "managed", "type": "aws_kms_replica_key", "name": "this", "values": {"enabled": true}}]}]}},
 "resource_changes": [{"address": "aws_kms_key.k", "change": {"after_unknown": {"arn": true}}},
  {"address": "module.west.aws_kms_replica_key.this", "change": {"after_unknown": {"primary_key_arn": true, "policy": true, "arn": true}}}],
 "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
   "west:aws": {"name": "aws", "module_address": "module.west", "expressions": {"region": {"constant_value": "us-west-2"}}}},
  "root_module": {"resources": [{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "provider_config_key": "aws", "expressions": {}}],
   "module_calls": {"west": {"expressions": {"primary_key_arn": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, "policy": ` + policyArg + `},
    "module": {"variables": {"primary_key_arn": {}, "policy": {}},
     "resources": [{"address": "aws_kms_replica_key.this", "mode": "managed", "type": "aws_kms_replica_key", "name": "this", "provider_config_key": "west:aws",
      "expressions": {"primary_key_arn": {"references": ["var.primary_key_arn"]}, "policy": {"references": ["var.policy"]}}}]}}}}}}`
	}
	for _, tc := range []struct{ name, arg, from string }{
		{"a data source", `{"references": ["data.aws_iam_policy_document.replica.json", "data.aws_iam_policy_document.replica"]}`, "data.aws_iam_policy_document.replica.json"},
		{"a for_each value", `{"references": ["each.value.policy"]}`, "each.value.policy (in the root module)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Decode("plan.json", []byte(plan(tc.arg)))
			if err != nil {
				t.Fatal(err)
			}
			inv.Finish()
			c := inv.Keys[0].CopyIn("us-west-2")
			if c == nil || c.Policy != nil || c.PolicyUnknown != "its policy is unknown until apply: it depends on "+tc.from {
				t.Fatalf("the us-west-2 copy: %+v", c)
			}
			want := "module.west.aws_kms_replica_key.this: policy is unknown until apply: it depends on " + tc.from + ", which drsim cannot read in a plan; the copy's users and admins are left to fill in"
			if !slices.Contains(inv.Warnings, want) {
				t.Errorf("warnings %q\nwant %q", inv.Warnings, want)
			}
			text := string(importer.Render(inv, importer.Options{}).Text)
			if !strings.Contains(text, "(its policy is unknown until apply: it depends on "+strings.ReplaceAll(tc.from, `"`, `\"`)+")") {
				t.Errorf("the placeholder does not name %s:\n%s", tc.from, text)
			}
		})
	}
}

// TestUnknownPrimary checks that a replica key whose primary_key_arn a plan
// leaves to a local is imported with its primary to fill in, as the docs
// promise for a reference drsim cannot read (it was an error), and that a
// replica in its primary's region is an error.
func TestUnknownPrimary(t *testing.T) {
	in := strings.Replace(seedPlan, `"p": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}`, `"p": {"references": ["local.primary_arn"]}`, 1)
	if in == seedPlan {
		t.Fatal("the seed changed: update this test")
	}
	inv, err := Decode("p.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	inv.Finish()
	var k *importer.Key
	for _, x := range inv.Keys {
		if x.PrimaryUnknown != "" {
			k = x
		}
	}
	if k == nil || len(k.Replicas) != 1 || k.Replicas[0].Region != "us-west-2" || k.Via != "var.p (in module.m[0])" {
		t.Fatalf("keys %+v", inv.Keys)
	}
	text := string(importer.Render(inv, importer.Options{}).Text)
	if !strings.Contains(text, `primary = "FILL-IN: the primary region of the multi-Region key var.p (in module.m[0]) names (primary_key_arn is unknown until apply and refers to local.primary_arn (in the root module), which is no key in the input)"`) {
		t.Errorf("no placeholder for the primary:\n%s", text)
	}
	same := strings.Replace(seedState, `"arn": "arn:aws:kms:us-west-2:111122223333:key/mrk-1", "primary_key_arn"`, `"arn": "arn:aws:kms:us-east-1:111122223333:key/mrk-1", "primary_key_arn"`, 1)
	_, err = Decode("s.json", []byte(same))
	if err == nil || !strings.Contains(err.Error(), "module.m.aws_kms_replica_key.r: its primary key is in us-east-1, the replica's own region") {
		t.Errorf("a replica in its primary's region: %v", err)
	}
}

// TestCollidingNames imports the new user's coll.json (buckets a.b and a-b,
// My_Bucket and my-bucket, tables Orders, orders and a-b, keys k and K):
// each keeps its own name but those that collide with one named so
// exactly, which take a suffix, with a warning each.
func TestCollidingNames(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bad", "coll.json"))
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Decode("coll.json", data)
	if err != nil {
		t.Fatal(err)
	}
	inv.Finish()
	var got []string
	for _, k := range inv.Keys {
		got = append(got, k.Name)
	}
	for _, b := range inv.Buckets {
		got = append(got, b.Name)
	}
	for _, tb := range inv.Tables {
		got = append(got, tb.Name)
	}
	want := []string{"k", "k-8a8e", "a-b-f9e1", "a-b", "my-bucket-19ac", "my-bucket", "orders-a13a", "orders", "a-b-e9cc"}
	if !slices.Equal(got, want) {
		t.Errorf("names %q\nwant  %q", got, want)
	}
	renames := 0
	for _, w := range inv.Warnings {
		if strings.Contains(w, "in the scenario, because") {
			renames++
		}
	}
	if renames != 5 {
		t.Errorf("%d rename warnings, want 5: %q", renames, inv.Warnings)
	}
}
