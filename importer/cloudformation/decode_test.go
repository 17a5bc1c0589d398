package cloudformation

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/scenarios"
)

func decode1(t *testing.T, file, src, region string) (*importer.Inventory, error) {
	t.Helper()
	return Decode([]Template{{File: file, Data: []byte(src), Region: region}})
}

// TestFixtureLinks checks what the pair of templates imports to: the
// replica in the JSON stack linked to the YAML stack's key, the rule's
// replica key found through the multi-Region key's shared ID, the
// destination bucket folded into the rule, the role named by its RoleName
// (a !Sub of a parameter's default), the conditional buckets.
func TestFixtureLinks(t *testing.T) {
	inv, _ := importFixture(t)
	if len(inv.Keys) != 1 {
		t.Fatalf("%d keys, want 1", len(inv.Keys))
	}
	k := inv.Keys[0]
	if !k.MultiRegion || k.Primary.Region != "us-east-1" || len(k.Replicas) != 1 || k.Replicas[0].Region != "us-west-2" ||
		k.KeyID != "mrk-5e1c7a9b3d2f4e6a8c0b1d3f5a7c9e2b" || k.RotationDays != 180 {
		t.Errorf("key %+v, replicas %+v", k, k.Replicas)
	}
	var names []string
	for _, b := range inv.Buckets {
		names = append(names, b.Hint)
	}
	// StagingScratchBucket's condition is false: not created.
	if want := []string{"payments-ledger-us-east-1", "payments-audit-us-east-1", "payments-ledger-us-west-2"}; !slices.Equal(names, want) {
		t.Errorf("buckets %q, want %q", names, want)
	}
	r := inv.Buckets[0].Rules[0]
	if r.Dest != inv.Buckets[2] || r.To != "us-west-2" || r.Key.Key != k || r.Key.Region != "us-west-2" ||
		r.Role != "payments-s3-replication-prod" || !r.RTC || !r.SSEKMSObjects {
		t.Errorf("rule %+v", r)
	}
	var reps []string
	for _, rep := range inv.Tables[0].Replicas {
		reps = append(reps, rep.Region+"="+rep.Key.Key.Name+"@"+rep.Key.Region)
	}
	if want := []string{"us-east-1=payments-key@", "us-west-2=payments-key@us-west-2"}; !slices.Equal(reps, want) {
		t.Errorf("table replicas %q, want %q", reps, want)
	}
}

// TestIntrinsics checks the functions drsim evaluates, in both forms.
func TestIntrinsics(t *testing.T) {
	src := `
Parameters:
  Env: {Type: String, Default: prod}
  Names: {Type: CommaDelimitedList, Default: "a, b, c"}
  NoDefault: {Type: String}
Mappings:
  Regions:
    us-east-1: {Suffix: use1}
Conditions:
  Prod: !Equals [!Ref Env, prod]
  Both: !And [!Condition Prod, !Not [!Equals [!Ref Env, dev]]]
  Either: !Or [!Equals [x, y], !Condition Prod]
Resources:
  K:
    Type: AWS::KMS::Key
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [!Select [1, !Ref Names], !FindInMap [Regions, !Ref "AWS::Region", Suffix], !If [Both, p, q], !If [Either, e, f]]]
      Tags:
        - {Key: a, Value: !Sub ["${X}-${AWS::StackName}-${!Literal}", {X: !Base64 hi}]}
        - {Key: b, Value: !Split [",", "x,y"]}
        - {Key: c, Value: !Ref NoDefault}
        - {Key: d, Value: {"Fn::GetAZs": ""}}
        - {Key: e, Value: {"Fn::Sub": "${K.Arn}"}}
`
	d := &decoder{inv: &importer.Inventory{}}
	root, err := parseTemplate("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tm := &template{file: "s.yaml", label: "s.yaml", region: "us-east-1", stack: "stack", root: root, resources: map[string]*resource{}, exports: map[string]*node{}}
	d.declare(tm)
	d.templates = []*template{tm}
	d.run()
	if len(d.errs) > 0 {
		t.Fatal(d.errs)
	}
	b := tm.resources["B"]
	if name, _ := d.str(b, "BucketName"); name != "b-use1-p-e" {
		t.Errorf("BucketName = %q, want b-use1-p-e", name)
	}
	tags, _ := d.prop(b, "Tags")
	want := []string{
		`map[Key:a Value:aGk=-stack-${Literal}]`,
		`map[Key:b Value:[x y]]`,
		`map[Key:c Value:{parameter NoDefault has no Default false}]`,
		`map[Key:d Value:{Fn::GetAZs is not evaluated by drsim false}]`,
	}
	for i, w := range want {
		if got := fmt.Sprint(tags.([]any)[i]); got != w {
			t.Errorf("tag %d = %s, want %s", i, got, w)
		}
	}
	if s, ok := d.render(tags.([]any)[4].(map[string]any)["Value"]); !ok || s != "arn:aws:kms:us-east-1:ACCOUNT-ID:key/cfnkey/s.yaml/K" {
		t.Errorf("!Sub ${K.Arn} renders %q", s)
	}
}

// TestImportValue checks Fn::ImportValue against another template's
// exports, and the warning for an export no template gives.
func TestImportValue(t *testing.T) {
	keys := `{"Resources": {"K": {"Type": "AWS::KMS::Key", "Properties": {"MultiRegion": true}}},
	  "Outputs": {"A": {"Value": {"Fn::GetAtt": ["K", "Arn"]}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-KeyArn"}}}}}`
	data := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: b
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !ImportValue keys-KeyArn}
  C:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: c
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !ImportValue other-KeyArn}
`
	inv, err := Decode([]Template{{File: "keys.json", Data: []byte(keys), Region: "eu-west-1"}, {File: "data.yaml", Data: []byte(data), Region: "eu-west-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if k := inv.Buckets[0].SSE.Key; k.Key != inv.Keys[0] || k.Region != "eu-west-1" || k.Via != "!ImportValue keys-KeyArn" {
		t.Errorf("B's key %+v", k)
	}
	if k := inv.Buckets[1].SSE.Key; k.Key != nil || !strings.Contains(k.Unknown, `Fn::ImportValue "other-KeyArn", which no template given for eu-west-1 exports`) {
		t.Errorf("C's key %+v", k)
	}
	want := `data.yaml:15:86: Resources.C.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID: Fn::ImportValue "other-KeyArn": no template given for eu-west-1 exports it (exports are regional; import the exporting stack's template too): what it names is left to fill in`
	if !slices.Contains(inv.Warnings, want) {
		t.Errorf("warnings %q\nwant %q", inv.Warnings, want)
	}
}

// TestStacks checks how templates map to stacks: a stack is its name and
// region, so one template given for two regions (a StackSet) or two
// templates of the same file name in two folders for two regions import,
// exports are imported within their region, --stack names a stack, and only
// the same stack name twice in one region is refused (the new user's
// r1/stack.yaml and r2/stack.yaml were refused, with no flag to name them).
func TestStacks(t *testing.T) {
	tmpl := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-${AWS::Region}"
Outputs:
  Name: {Value: !Ref B, Export: {Name: bucket-name}}
`
	user := `Resources:
  C:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub ["${N}-copy", {N: !ImportValue bucket-name}]
`
	for _, tc := range []struct {
		name    string
		ts      []Template
		buckets []string
		err     string
	}{
		{"a StackSet: one template, two regions", []Template{{File: "stack.yaml", Region: "us-east-1"}, {File: "stack.yaml", Region: "us-west-2"}},
			[]string{"stack-us-east-1", "stack-us-west-2"}, ""},
		{"one file name in two folders, two regions", []Template{{File: "r1/stack.yaml", Region: "us-east-1"}, {File: "r2/stack.yaml", Region: "eu-west-1"}},
			[]string{"stack-us-east-1", "stack-eu-west-1"}, ""},
		{"--stack", []Template{{File: "r1/stack.yaml", Region: "us-east-1", Stack: "pay-east"}, {File: "r2/stack.yaml", Region: "us-east-1", Stack: "pay-east-2"}},
			[]string{"pay-east-us-east-1", "pay-east-2-us-east-1"}, ""},
		{"one stack name twice in a region", []Template{{File: "r1/stack.yaml", Region: "us-east-1"}, {File: "r2/stack.yaml", Region: "us-east-1"}},
			nil, `importer: r2/stack.yaml: stack "stack" (the file's stem) in us-east-1 is also r1/stack.yaml: a region holds one stack of a name; give each template its stack's name with --stack, or its own region`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.ts {
				tc.ts[i].Data = []byte(tmpl)
			}
			inv, err := Decode(tc.ts)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("got %v\nwant %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range inv.Buckets {
				got = append(got, b.BucketName)
			}
			if !slices.Equal(got, tc.buckets) {
				t.Errorf("buckets %q, want %q", got, tc.buckets)
			}
		})
	}
	// Fn::ImportValue reads the exports of the stacks of its own region.
	inv, err := Decode([]Template{{File: "s.yaml", Data: []byte(tmpl), Region: "us-east-1"}, {File: "s.yaml", Data: []byte(tmpl), Region: "us-west-2"},
		{File: "u.yaml", Data: []byte(user), Region: "us-west-2"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := inv.Buckets[2].BucketName; got != "s-us-west-2-copy" {
		t.Errorf("the import of us-west-2's export names %q", got)
	}
}

// TestDecodeErrors checks that bad templates give positioned errors, all of
// them at once.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ file, src, want string }{
		{"a.yaml", "Resources:\n  K:\n    Type: AWS::KMS::Key\n   Properties: {}\n",
			"importer: a.yaml:4:4: malformed YAML: "},
		{"a.json", "{\"Resources\": {\"K\": {\"Type\": \"AWS::KMS::Key\",}}}",
			"importer: a.json:1:46: malformed JSON: invalid character '}' looking for beginning of object key string"},
		{"a.yaml", "- a\n- b\n", "importer: a.yaml:1:1: a template is a mapping with Resources, got a list"},
		{"a.yaml", "Description: x\n", "importer: a.yaml:1:1: Resources: missing or not a mapping: a template declares its resources under Resources"},
		{"a.yaml", "Resources:\n  K:\n    Properties: {}\n", "importer: a.yaml:2:3: Resources.K: a resource needs a Type, like AWS::KMS::Key"},
		{"a.yaml", "Resources:\n  Key:\n    Type: AWS::KMS::Key\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Reff Key\n      Tags: [{Key: k, Value: !Ref Kye}]\n",
			"importer: a.yaml:7:19: Resources.B.Properties.BucketName: unknown tag !Reff (did you mean !Ref?)\n" +
				"importer: a.yaml:8:30: Resources.B.Properties.Tags[0].Value: Ref Kye: no resource or parameter Kye (did you mean Key?)"},
		{"a.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt Nope.Arn\n",
			"importer: a.yaml:5:19: Resources.B.Properties.BucketName: Fn::GetAtt Nope.Arn: no resource Nope"},
		{"a.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
			"importer: a.yaml:6:40: template too large: aliases expand to more than 1048576 values"},
		{"a.yaml", "a: 1\n---\nb: 2\n", "importer: a.yaml:3:2: more than one YAML document; a template is one"},
		{"a.yaml", "Resources:\n  K:\n    Type: AWS::KMS::Key\n  K:\n    Type: AWS::KMS::Key\n", "importer: a.yaml:4:3: "},
	} {
		_, err := decode1(t, tc.file, tc.src, "us-east-1")
		var el importer.ErrorList
		if !errors.As(err, &el) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want %s...", tc.src, err, tc.want)
		}
	}
}

// TestUnknownValues checks that values drsim cannot know become placeholders
// saying why.
func TestUnknownValues(t *testing.T) {
	src := `Parameters:
  KeyArn: {Type: String}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: b
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !Ref KeyArn}
`
	inv, err := decode1(t, "u.yaml", src, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	inv.Finish()
	r := importer.Render(inv, importer.Options{})
	if !strings.Contains(string(r.Text), `key = "FILL-IN: the key that encrypts bucket b (parameter KeyArn has no Default)"`) {
		t.Errorf("no placeholder for the key:\n%s", r.Text)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("Resources:\n  K: {Type: AWS::KMS::Key, Properties: {MultiRegion: true, KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: 'kms:*'}]}}}\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Join ['-', [a, !Ref 'AWS::Region']], BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms', KMSMasterKeyID: !GetAtt K.Arn}}]}, ReplicationConfiguration: {Role: r, Rules: [{Status: Enabled, Destination: {Bucket: 'arn:aws:s3:::c', EncryptionConfiguration: {ReplicaKmsKeyID: !If [C, !Ref K, x]}}}]}}\nConditions: {C: !Equals [a, a]}\n"), []byte(`{"Resources": {"R": {"Type": "AWS::KMS::ReplicaKey", "Properties": {"PrimaryKeyArn": "arn:aws:kms:us-east-1:1:key/mrk-1", "KeyPolicy": "{}"}}, "T": {"Type": "AWS::DynamoDB::GlobalTable", "Properties": {"SSESpecification": {"SSEEnabled": true}, "Replicas": [{"Region": "us-west-2", "SSESpecification": {"KMSMasterKeyId": {"Fn::GetAtt": ["R", "Arn"]}}}]}}}}`))
	// Nesting the pre-scan refuses, and brackets it must not count (the
	// new user's deep300k.yaml ran out of memory in the YAML library).
	f.Add([]byte("Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: "+strings.Repeat("[", 300)+strings.Repeat("]", 300)+"\n"), []byte(`{"a": `+strings.Repeat(`{"a": `, 250)+"1"+strings.Repeat("}", 251)))
	f.Add([]byte("Resources:\n  "+strings.Repeat("- ", 250)+"x\n"), []byte("a: |\n  [[[[\n  b: '[[''\n   {{'\nc: \"[\\\"[\" # [[\n"))
	// The new user's bad templates (testdata/bad).
	if files, err := filepath.Glob(filepath.Join("testdata", "bad", "*")); err == nil {
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 1<<10 {
				f.Add(data, []byte(`{"Resources": {}}`))
			}
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		inv, err := Decode([]Template{{File: "a.yaml", Data: a, Region: "us-east-1"}, {File: "b.json", Data: b, Region: "us-west-2"}})
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

// TestBadTemplates imports the templates of testdata/bad, most of them the
// new user's: values of the wrong type ("maybe", 7, a Status "Enable", a
// fraction of days) are positioned errors, as CloudFormation refuses them
// (they were read as false); a circular dependency, a duplicate key in
// JSON, an empty or UTF-16 file say so; values known only once deployed
// leave placeholders instead of dropping a table's replica (unk.yaml) or a
// replica key (r.yaml); a bucket without a name gets a derived one, with a
// warning.
func TestBadTemplates(t *testing.T) {
	for _, tc := range []struct {
		file, region string
		want         []string // the errors, or with "warning: " warnings and with "text: " lines of the scenario
	}{
		{"badtypes.yaml", "us-east-1", []string{
			`importer: badtypes.yaml:5:20: Resources.K.Properties.MultiRegion: expected true or false, got "maybe"`,
			`importer: badtypes.yaml:6:26: Resources.K.Properties.EnableKeyRotation: expected true or false, got the number 7`}},
		{"leak9.yaml", "us-east-1", []string{`importer: leak9.yaml:5:20: Resources.K.Properties.MultiRegion: expected true or false, got "SECRET-abc123"`}},
		{"rotation.yaml", "us-east-1", []string{
			`importer: rotation.yaml:6:29: Resources.K.Properties.RotationPeriodInDays: expected a whole number of days, got the number 90.5`,
			`importer: rotation.yaml:14:21: Resources.B.Properties.ReplicationConfiguration.Rules[0].Status: expected "Enabled" or "Disabled", got "Enable"`}},
		{"cycle.yaml", "us-east-1", []string{`importer: cycle.yaml:2:3: Resources.A: circular dependency: A → B → A (CloudFormation refuses the template)`}},
		{"dup.json", "us-east-1", []string{`importer: dup.json:1:48: duplicate key "K" (first at 1:16): CloudFormation refuses a template that repeats a key`}},
		{"empty.yaml", "us-east-1", []string{`importer: empty.yaml:1:1: empty file: expected a CloudFormation template (JSON or YAML)`}},
		{"utf16.yaml", "us-east-1", []string{`importer: utf16.yaml:1:1: the file is UTF-16LE, not UTF-8`}},
		{"r.yaml", "us-east-1", []string{`importer: r.yaml:5:22: Resources.R.Properties.PrimaryKeyArn: its primary key is in us-east-1, the region of this replica's stack`}},
		{"bom.json", "us-east-1", []string{`text: multi_region = true`}},
		{"unk.yaml", "us-east-1", []string{
			`warning: unk.yaml: T: the region of Replicas[1] is !Ref ReplicaRegion (parameter ReplicaRegion has no Default): left to fill in`,
			`text: regions = "FILL-IN: the regions of table unk-t: us-east-1 and the region of unk.yaml: T Replicas[1]: Region !Ref ReplicaRegion: parameter ReplicaRegion has no Default; its key: !Sub arn:aws:kms:${R}:${AWS::AccountId}:key/${K}, like [\"us-east-1\", \"us-west-2\"]"`,
			`text: users = "FILL-IN: the principals the key policy of unk.yaml: K allows kms:Decrypt, kms:Encrypt or kms:GenerateDataKey (its KeyPolicy is not known from the template: parameter RoleArn has no Default)"`}},
		{"r.yaml", "us-west-2", []string{
			`warning: r.yaml:10:22: Resources.R2.Properties.PrimaryKeyArn: Fn::ImportValue "some-other-stack-KeyArn": no template given for us-west-2 exports it`,
			`text: [keys.r2]  # r.yaml: R2 (its primary key is !ImportValue some-other-stack-KeyArn: not known from the input)`,
			`text: primary = "FILL-IN: the primary region of the multi-Region key !ImportValue some-other-stack-KeyArn names`,
			`text: replicas = ["us-west-2"]  # r.yaml: R2`}},
		{"unnamed.yaml", "us-east-1", []string{
			`warning: unnamed.yaml: Logs: no BucketName: CloudFormation generates the bucket's name (from the stack's name and the logical ID, with a random suffix); drsim calls it "unnamed-logs"`,
			`warning: unnamed.yaml: ByKey: BucketName !Sub ${K}-x is known only once deployed (it holds the ID of key K): drsim calls the bucket "unnamed-by-key"`,
			`text: [buckets.unnamed-logs]  # unnamed.yaml: Logs`, `text: [buckets.unnamed-by-key]  # unnamed.yaml: ByKey`}},
	} {
		t.Run(tc.file+" in "+tc.region, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "bad", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			inv, err := decode1(t, tc.file, string(data), tc.region)
			if !strings.HasPrefix(tc.want[0], "warning: ") && !strings.HasPrefix(tc.want[0], "text: ") {
				var el importer.ErrorList
				if !errors.As(err, &el) || len(el) != len(tc.want) {
					t.Fatalf("got %v, want %d errors", err, len(tc.want))
				}
				for i, w := range tc.want {
					if !strings.HasPrefix(el[i].Error(), w) {
						t.Errorf("got  %s\nwant %s", el[i], w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			inv.Finish()
			text := string(importer.Render(inv, importer.Options{}).Text)
			// The neutral rendering has the same lines and loads.
			neutral := importer.Render(inv, importer.Options{Neutral: true}).Text
			if a, b := strings.Count(text, "\n"), strings.Count(string(neutral), "\n"); a != b {
				t.Errorf("%d lines, neutral %d", a, b)
			}
			if _, err := scenarios.Parse("n.toml", neutral, nil); err != nil {
				t.Errorf("the neutral rendering does not load: %v\n%s", err, neutral)
			}
			for _, w := range tc.want {
				if x, ok := strings.CutPrefix(w, "warning: "); ok && !slices.ContainsFunc(inv.Warnings, func(s string) bool { return strings.HasPrefix(s, x) }) {
					t.Errorf("no warning %q in %q", x, inv.Warnings)
				}
				if x, ok := strings.CutPrefix(w, "text: "); ok && !strings.Contains(text, "\n"+x) {
					t.Errorf("the scenario lacks %q:\n%s", x, text)
				}
			}
		})
	}
}
