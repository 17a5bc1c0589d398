package importer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/drsim/drsim/importer/policy"
)

// setup builds an inventory: one multi-Region key with copies in the given
// regions (policy: the users given, each allowed the three crypto actions)
// and buckets named by region.
func setup(t *testing.T, regions []string, users ...string) (*Inventory, *Key) {
	t.Helper()
	inv := &Inventory{Kind: "test", Inputs: []string{"in.json"}}
	var principals []string
	for _, u := range users {
		principals = append(principals, `"arn:aws:iam::111122223333:role/`+u+`"`)
	}
	doc := `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": [` + strings.Join(principals, ",") + `]}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]}]}`
	pol := func() *policy.Analysis {
		a, err := policy.Analyze(doc)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	k := inv.AddKey(&Key{Hint: "k", Source: "key", KeyID: "mrk-1", MultiRegion: true}, &Copy{Region: regions[0], Source: "primary", Policy: pol()})
	for _, r := range regions[1:] {
		inv.AddReplica(k, &Copy{Region: r, Source: "replica " + r, Policy: pol()})
	}
	return inv, k
}

func bucket(inv *Inventory, k *Key, name, region string) *Bucket {
	b := &Bucket{Hint: name, BucketName: name, Region: region, Source: "bucket " + name,
		SSE: &SSE{Source: "sse " + name, Algorithm: "aws:kms", Key: KeyRef{Key: k, Region: region}}}
	inv.Buckets = append(inv.Buckets, b)
	return b
}

func rule(b *Bucket, k *Key, dest, to string) *Rule {
	r := &Rule{Source: b.BucketName + "->" + dest, Enabled: true, SSEKMSObjects: true, DestName: dest,
		Key: KeyRef{Key: k, Region: to}, Role: "repl"}
	b.Rules = append(b.Rules, r)
	return r
}

// TestFold checks which buckets become the destinations of rules: a plain
// pair, two buckets replicating to each other (neither in its key's primary
// region: the first in input order is the source), a chain, and a rule to
// a bucket outside the input.
func TestFold(t *testing.T) {
	inv, k := setup(t, []string{"us-east-1", "us-west-2", "eu-west-1"}, "app", "repl")
	a := bucket(inv, k, "a", "us-west-2") // listed first: the source of a<->b
	b := bucket(inv, k, "b", "eu-west-1")
	c := bucket(inv, k, "c", "us-east-1")
	d := bucket(inv, k, "d", "us-west-2")
	e := bucket(inv, k, "e", "eu-west-1")
	ab := rule(a, k, "b", "eu-west-1")
	ba := rule(b, k, "a", "us-west-2")
	rule(c, k, "d", "us-west-2")
	rule(d, k, "e", "eu-west-1")
	out := rule(c, k, "outside", "us-east-1")
	inv.Finish()
	if b.DestinationOf != ab || a.DestinationOf != nil || !ba.twoWay {
		t.Errorf("a<->b: a destination of %v, b of %v, b's rule two-way %v", a.DestinationOf, b.DestinationOf, ba.twoWay)
	}
	if d.DestinationOf != nil || e.DestinationOf == nil {
		t.Errorf("chain c->d->e: d destination of %v (want none: it replicates on), e of %v", d.DestinationOf, e.DestinationOf)
	}
	if out.To != "us-east-1" || out.Dest != nil {
		t.Errorf("rule to a bucket outside the input: to %q, dest %v", out.To, out.Dest)
	}
	var names []string
	for _, b := range inv.liveBuckets() {
		names = append(names, b.Name)
	}
	if want := []string{"a", "c", "d"}; !slices.Equal(names, want) { // b and e are destinations
		t.Errorf("stores %q, want %q", names, want)
	}
	joined := strings.Join(inv.Warnings, "\n")
	for _, w := range []string{"b->a replicates back to the bucket it receives from (a->b): drsim replicates S3 one way, from bucket a (the first of the two in the input)", "c->d replicates to bucket d, which replicates on to another bucket"} {
		if !strings.Contains(joined, w) {
			t.Errorf("no warning %q in\n%s", w, joined)
		}
	}
}

// TestTwoWaySource checks which of two buckets replicating to each other is
// the source: the one in its multi-Region key's primary region, whatever
// the input order (the new user's folder made catalog-euw1, the DR copy,
// the source because it sorts first), else the first in the input.
func TestTwoWaySource(t *testing.T) {
	for _, tc := range []struct {
		name           string
		first, second  string // the buckets' regions, in input order; the key's primary is in us-east-1
		singleRegion   bool
		source, reason string
	}{
		{"the primary's region listed second", "eu-west-1", "us-east-1", false, "second", "its key's primary copy is in its region, us-east-1"},
		{"the primary's region listed first", "us-east-1", "eu-west-1", false, "first", "its key's primary copy is in its region, us-east-1"},
		{"neither in the primary's region", "eu-west-1", "us-west-2", false, "first", "the first of the two in the input"},
		{"single-Region keys", "eu-west-1", "us-east-1", true, "first", "the first of the two in the input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, k := setup(t, []string{"us-east-1", "us-west-2", "eu-west-1"}, "app", "repl")
			k.MultiRegion = !tc.singleRegion
			first := bucket(inv, k, "first", tc.first)
			second := bucket(inv, k, "second", tc.second)
			rule(first, k, "second", tc.second)
			rule(second, k, "first", tc.first)
			inv.Finish()
			src, dst := first, second
			if tc.source == "second" {
				src, dst = second, first
			}
			if dst.DestinationOf == nil || dst.DestinationOf != src.Rules[0] || src.DestinationOf != nil {
				t.Errorf("%s is not the source", tc.source)
			}
			want := fmt.Sprintf("drsim replicates S3 one way, from bucket %s (%s); this rule is not imported", tc.source, tc.reason)
			if !strings.Contains(strings.Join(inv.Warnings, "\n"), want) {
				t.Errorf("warnings %q, want %q", inv.Warnings, want)
			}
		})
	}
}

// TestRulesNotWritten checks each reason a rule is left out of the
// scenario, each with a warning.
func TestRulesNotWritten(t *testing.T) {
	inv, k := setup(t, []string{"us-east-1", "us-west-2"}, "app", "repl")
	b := bucket(inv, k, "src", "us-east-1")
	off := rule(b, k, "x", "us-west-2")
	off.Enabled = false
	plain := rule(b, k, "y", "us-west-2")
	plain.SSEKMSObjects = false
	nokey := rule(b, k, "z", "us-west-2")
	nokey.Key = KeyRef{}
	rule(b, k, "same", "us-east-1") // same-Region replication: drsim refused the import's scenario
	inv.Finish()
	r := Render(inv, Options{})
	for _, w := range []string{"the rule is disabled", "does not select SSE-KMS encrypted objects", "it has no replica KMS key", "same-Region replication (its destination is in us-east-1 too)"} {
		if !strings.Contains(string(r.Text), "# not imported: ") || !strings.Contains(strings.Join(inv.Warnings, "\n"), w) {
			t.Errorf("no comment and warning for %q:\n%s\n%q", w, r.Text, inv.Warnings)
		}
	}
	if strings.Contains(string(r.Text), "[[buckets.src.replication]]") {
		t.Errorf("a rule was written:\n%s", r.Text)
	}
}

// TestActionLevelWarning checks the one policy check the static findings
// cannot make: a role the destination policy names but allows only
// kms:Decrypt, and that the copy's users_in says so. The account root's
// "*" (IAM policies decide) does not hide it: in the new user's state.json
// it made the user sets equal, and both the "only kms:Decrypt" users_in
// entry and this warning disappeared.
func TestActionLevelWarning(t *testing.T) {
	const repl = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/repl"}, "Action": "kms:Decrypt"}`
	const app = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "kms:*"}`
	const root = `{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*"}`
	const anyone = `{"Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt"}`
	const primary = `{"Statement": [` + app + `, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/repl"}, "Action": "kms:*"}]}`
	for _, tc := range []struct {
		name, policy, warning string // "" for no warning
	}{
		{"named, only Decrypt", `{"Statement": [` + app + `, ` + repl + `]}`,
			`replica us-west-2: replica key "k" in us-west-2 allows the replication role "repl" kms:Decrypt but not kms:Encrypt: bucket "src" cannot replicate`},
		{"named, only Decrypt, with the account root", `{"Statement": [` + app + `, ` + repl + `, ` + root + `]}`,
			`replica us-west-2: replica key "k" in us-west-2 allows the replication role "repl" kms:Decrypt but not kms:Encrypt unless what "*" stands for allows it (account root 111122223333: IAM policies decide ("Root")): bucket "src" cannot replicate`},
		{"anyone may Encrypt", `{"Statement": [` + app + `, ` + repl + `, ` + anyone + `]}`, ""},
		{"allowed everything", primary, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, k := setup(t, []string{"us-east-1", "us-west-2"}, "app", "repl")
			a, _ := policy.Analyze(primary)
			k.Primary.Policy = a
			dst := k.CopyIn("us-west-2")
			a, err := policy.Analyze(tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			dst.Policy = a
			b := bucket(inv, k, "src", "us-east-1")
			rule(b, k, "dst", "us-west-2")
			inv.Finish()
			all := strings.Join(inv.Warnings, "\n")
			if tc.warning == "" && strings.Contains(all, "but not kms:Encrypt") || tc.warning != "" && !strings.Contains(all, tc.warning) {
				t.Errorf("warnings %q, want %q", inv.Warnings, tc.warning)
			}
			text := string(Render(inv, Options{}).Text)
			only := `"repl",  # allowed by statement 2; only kms:Decrypt`
			if tc.warning != "" && !strings.Contains(text, "[keys.k.users_in]") || tc.warning != "" && !strings.Contains(text, only) {
				t.Errorf("users_in does not say the role is allowed only kms:Decrypt:\n%s", text)
			}
		})
	}
}

// TestRenderIsTOML checks that what Render and Overlay write is TOML,
// that every placeholder is one, and that the neutral rendering has the
// same number of lines.
func TestRenderIsTOML(t *testing.T) {
	inv, k := setup(t, []string{"us-east-1", "us-west-2"}, "app", "repl")
	k.Primary.Policy = nil
	k.Primary.PolicyUnknown = `weird "quoted"\ text` + "\x01"
	b := bucket(inv, k, "src", "us-east-1")
	rule(b, k, "dst", "us-west-2")
	b.Source = "bucket with a\nnewline"
	inv.Finish()
	r := Render(inv, Options{Output: "dir/infra.toml"})
	var v map[string]any
	if _, err := toml.Decode(string(r.Text), &v); err != nil {
		t.Fatalf("not TOML: %v\n%s", err, r.Text)
	}
	if n := strings.Count(string(r.Text), `= "FILL-IN:`); n != len(r.Placeholders) {
		t.Errorf("%d FILL-IN values, %d placeholders", n, len(r.Placeholders))
	}
	if got := v["keys"].(map[string]any)["k"].(map[string]any)["users"]; !strings.Contains(got.(string), "weird \"quoted\"\\ text\x01") {
		t.Errorf("users = %q", got)
	}
	n := Render(inv, Options{Output: "dir/infra.toml", Neutral: true})
	if a, b := strings.Count(string(r.Text), "\n"), strings.Count(string(n.Text), "\n"); a != b {
		t.Errorf("neutral rendering has %d lines, the scenario %d", b, a)
	}
	o := Overlay(r, "dir/infra.toml")
	var ov map[string]any
	if _, err := toml.Decode(string(o), &ov); err != nil {
		t.Fatalf("overlay not TOML: %v\n%s", err, o)
	}
	if ov["extends"] != "infra.toml" || strings.Count(string(o), `= "FILL-IN:`) != len(r.Placeholders) {
		t.Errorf("overlay:\n%s", o)
	}
}

// TestHeaderEscapes checks that what the header's comments quote (the
// input's file name, the command line, a warning) cannot end a comment: the
// new user's file named "s\ntrials = 7 #.json" wrote trials = 7 into the
// scenario twice, a duplicate key.
func TestHeaderEscapes(t *testing.T) {
	inv, _ := setup(t, []string{"us-east-1"}, "app")
	inv.Inputs = []string{"s\ntrials = 7 #.json"}
	inv.Warn("a warning about bucket \x1b[31mred\ntrials = 8")
	inv.Finish()
	r := Render(inv, Options{Command: "drsim import terraform 's\ntrials = 7 #.json'"})
	var v map[string]any
	if _, err := toml.Decode(string(r.Text), &v); err != nil {
		t.Fatalf("not TOML: %v\n%s", err, r.Text)
	}
	if _, ok := v["trials"]; ok {
		t.Errorf("a file name set trials:\n%s", r.Text)
	}
	for _, want := range []string{"# Source: test s\\ntrials = 7 #.json\n", "# Command: drsim import terraform 's\\ntrials = 7 #.json'\n",
		"# - a warning about bucket \\x1b[31mred\\ntrials = 8\n", "name = \"s-trials-7\"\n"} {
		if !strings.Contains(string(r.Text), want) {
			t.Errorf("the scenario lacks %q:\n%s", want, r.Text)
		}
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `"plain"`,
		`a "b" \c`:    `"a \"b\" \\c"`,
		"tab\tnl\n":   `"tab\tnl\n"`,
		"ctl\x01\x7f": `"ctl\u0001\u007F"`,
		"é unicode ✓": `"é unicode ✓"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestK1ARNsOfRelatedKeysShareTheKeyID checks that an ARN naming a
// multi-Region key in any region resolves to that key, with the ARN's
// region: related keys share their key ID and their ARNs differ only in
// the region (K1), which is how templates name a replica.
func TestK1ARNsOfRelatedKeysShareTheKeyID(t *testing.T) {
	inv, k := setup(t, []string{"us-east-1", "us-west-2"}, "app")
	k.Primary.ARN = "arn:aws:kms:us-east-1:111122223333:key/mrk-1"
	inv.Reindex()
	for _, tc := range []struct{ in, region string }{
		{"arn:aws:kms:us-east-1:111122223333:key/mrk-1", "us-east-1"},
		{"arn:aws:kms:us-west-2:111122223333:key/mrk-1", "us-west-2"},
		{"arn:aws:kms:eu-west-1:111122223333:key/mrk-1", "eu-west-1"}, // no copy there: Finish's checks and the findings say so
		{"mrk-1", ""},
	} {
		if got, region := inv.KeyByARN(tc.in); got != k || region != tc.region {
			t.Errorf("KeyByARN(%s) = %v, %q; want the key, %q", tc.in, got, region, tc.region)
		}
	}
	if got, _ := inv.KeyByARN("arn:aws:kms:us-east-1:111122223333:key/mrk-2"); got != nil {
		t.Errorf("another key ID resolved to %v", got)
	}
}

// TestK9RotationPeriod checks that a rotation period outside KMS's 90 to
// 2560 days (K9) is reported, as written in the input, and not written:
// zero, negative and huge periods included (the new user's -5 and 0 became
// "365d" silently, 99999999999999999999 "-9223372036854775808 days").
func TestK9RotationPeriod(t *testing.T) {
	for _, tc := range []struct {
		days  string
		write string // the rotation written, or "" for a warning
	}{{"89", ""}, {"90", "90d"}, {"365", "365d"}, {"2560", "2560d"}, {"2561", ""}, {"0", ""}, {"-5", ""},
		{"99999999999999999999", ""}, {"", "365d"}} {
		inv, k := setup(t, []string{"us-east-1"}, "app")
		k.SetRotation(tc.days, "k.tf")
		inv.Finish()
		text := string(Render(inv, Options{}).Text)
		written := strings.Contains(text, fmt.Sprintf("rotation = %q", tc.write))
		warning := fmt.Sprintf("k.tf: rotation period %s days is outside 90..2560, the periods KMS accepts (K9 in docs/aws-behaviour.md): the rotation is not imported", tc.days)
		warned := slices.Contains(inv.Warnings, warning)
		if tc.write != "" && (!written || warned) || tc.write == "" && (strings.Contains(text, "rotation =") || !warned) {
			t.Errorf("%q days: rotation written %v, warned %v\n%q", tc.days, strings.Contains(text, "rotation ="), warned, inv.Warnings)
		}
	}
}
