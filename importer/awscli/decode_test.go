package awscli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drsim/drsim/importer"
)

// TestFixtureLinks checks the saved account: a multi-Region key assembled
// from its primary's and a replica's outputs plus a replica the
// MultiRegionConfiguration names without files, named by its alias; the
// destination bucket folded into the rule; the table's replicas from
// describe-table's Replicas.
func TestFixtureLinks(t *testing.T) {
	inv, _ := importFixture(t)
	var inventory *importer.Key
	for _, k := range inv.Keys {
		if k.Name == "inventory" {
			inventory = k
		}
	}
	if inventory == nil {
		t.Fatal("no key named by its alias inventory")
	}
	var regs []string
	for _, c := range inventory.Copies() {
		regs = append(regs, c.Region+":"+map[bool]string{true: "policy", false: "unknown"}[c.Policy != nil])
	}
	if want := []string{"us-east-1:policy", "ap-southeast-2:unknown", "eu-west-1:policy"}; !slices.Equal(regs, want) {
		t.Errorf("copies %q, want %q", regs, want)
	}
	if inventory.RotationDays != 365 || inv.Account != "444455556666" {
		t.Errorf("rotation %d, account %q", inventory.RotationDays, inv.Account)
	}
	var src, dst *importer.Bucket
	for _, b := range inv.Buckets {
		switch b.BucketName {
		case "inventory-images-use1":
			src = b
		case "inventory-images-euw1":
			dst = b
		}
	}
	if src.Region != "us-east-1" || dst.Region != "eu-west-1" || dst.DestinationOf != src.Rules[0] || src.Rules[0].To != "eu-west-1" {
		t.Errorf("source %+v, destination %+v", src, dst)
	}
	var tbl []string
	for _, r := range inv.Tables[0].Replicas {
		tbl = append(tbl, r.Region+"@"+r.Key.Region)
	}
	if want := []string{"us-east-1@us-east-1", "eu-west-1@eu-west-1", "ap-southeast-2@ap-southeast-2"}; !slices.Equal(tbl, want) {
		t.Errorf("table replicas %q, want %q", tbl, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		files fstest.MapFS
		want  string
	}{
		{fstest.MapFS{"kms/us-east-1/mrk-1.describe-key.json": {Data: []byte("{\n  \"KeyMetadata\": {\"KeyId\": \"mrk-1\",,}\n}")}},
			"importer: dir/kms/us-east-1/mrk-1.describe-key.json:2:36: malformed JSON: invalid character ',' looking for beginning of object key string"},
		{fstest.MapFS{"kms/us-east-1/mrk-1.describe-key.json": {Data: []byte(`{"Policy": "{}"}`)}},
			"importer: dir/kms/us-east-1/mrk-1.describe-key.json:1:1: not the output of aws kms describe-key (no KeyMetadata)"},
		{fstest.MapFS{"kms/us-east-1/mrk-1.describe-key.json": {Data: []byte(`{"KeyMetadata": {"KeyId": "mrk-2"}}`)}},
			`importer: dir/kms/us-east-1/mrk-1.describe-key.json:1:1: describes key "mrk-2", but the file is named for "mrk-1"`},
		{fstest.MapFS{"kms/us-east-1/mrk-1.key-policy.json": {Data: []byte(`{"Policy": "{\"Statement\": []]}"}`)}},
			"importer: dir/kms/us-east-1/mrk-1.key-policy.json: Policy: key policy 1:17: malformed JSON: invalid character ']' after object key:value pair"},
		{fstest.MapFS{"s3/b.encryption.json": {Data: []byte(`{"ServerSideEncryptionConfiguration": {"Rules": {}}}`)}},
			"importer: dir/s3/b.encryption.json:1:49: ServerSideEncryptionConfiguration.Rules: expected an array, got an object"},
		{fstest.MapFS{"dynamodb/us-east-1/t.describe-table.json": {Data: []byte(`{"TableNames": ["t"]}`)}},
			"importer: dir/dynamodb/us-east-1/t.describe-table.json:1:1: not the output of aws dynamodb describe-table (no Table)"},
	} {
		_, err := Decode(tc.files, "dir")
		var el importer.ErrorList
		if !errors.As(err, &el) || err.Error() != tc.want {
			t.Errorf("got  %v\nwant %s", err, tc.want)
		}
	}
}

// TestBucketRegionFromKey checks that a bucket without its location output
// takes the region of its key's ARN, with a warning, and that one with
// neither is not imported, with a warning.
func TestBucketRegionFromKey(t *testing.T) {
	inv, err := Decode(fstest.MapFS{
		"s3/a.encryption.json": {Data: []byte(`{"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-central-1:111122223333:key/k"}}]}}`)},
		"s3/b.encryption.json": {Data: []byte(`{"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k2"}}]}}`)},
	}, "dir")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Buckets) != 1 || inv.Buckets[0].Region != "eu-central-1" {
		t.Errorf("buckets %+v", inv.Buckets)
	}
	joined := strings.Join(inv.Warnings, "\n")
	for _, w := range []string{"dir/s3/a.*: no a.location.json: its region eu-central-1 is taken from its encryption key's ARN",
		"dir/s3/b.*: no b.location.json and no key ARN to tell its region: not imported"} {
		if !strings.Contains(joined, w) {
			t.Errorf("no warning %q in\n%s", w, joined)
		}
	}
}

func FuzzDecode(f *testing.F) {
	paths := []string{"kms/us-east-1/mrk-1.describe-key.json", "kms/us-east-1/mrk-1.key-policy.json", "kms/us-east-1/mrk-1.rotation.json",
		"kms/us-east-1/aliases.json", "s3/b.location.json", "s3/b.encryption.json", "s3/b.replication.json", "dynamodb/us-east-1/t.describe-table.json"}
	f.Add(uint8(0), []byte(`{"KeyMetadata": {"KeyId": "mrk-1", "Arn": "arn:aws:kms:us-east-1:1:key/mrk-1", "MultiRegion": true, "MultiRegionConfiguration": {"PrimaryKey": {"Arn": "arn:aws:kms:us-east-1:1:key/mrk-1", "Region": "us-east-1"}, "ReplicaKeys": [{"Arn": "a", "Region": "eu-west-1"}]}}}`))
	f.Add(uint8(1), []byte(`{"Policy": "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\"}}"}`))
	f.Add(uint8(6), []byte(`{"ReplicationConfiguration": {"Role": "arn:aws:iam::1:role/r", "Rules": [{"Status": "Enabled", "Filter": {"And": {"Tags": [{"Key": "a"}]}}, "Destination": {"Bucket": "arn:aws:s3:::b", "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:eu-west-1:1:key/mrk-1"}}}]}}`))
	f.Add(uint8(7), []byte(`{"Table": {"TableName": "t", "SSEDescription": {"Status": "ENABLED", "KMSMasterKeyArn": "arn:aws:kms:us-east-1:1:key/mrk-1"}, "Replicas": [{"RegionName": "eu-west-1", "KMSMasterKeyId": "x"}]}}`))
	// The new user's cases: a key pending deletion, an alias ARN, a
	// rotation period beyond any integer.
	f.Add(uint8(0), []byte(`{"KeyMetadata": {"KeyId": "mrk-1", "Arn": "arn:aws:kms:us-east-1:1:key/mrk-1", "Enabled": false, "KeyState": "PendingDeletion", "DeletionDate": "2026-12-30T00:00:00Z"}}`))
	f.Add(uint8(3), []byte(`{"Aliases": [{"AliasName": "alias/a", "TargetKeyId": "mrk-1"}, {"AliasName": "alias/aws/s3", "TargetKeyId": "x"}]}`))
	f.Add(uint8(5), []byte(`{"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:us-east-1:1:alias/a"}}]}}`))
	f.Add(uint8(2), []byte(`{"KeyRotationEnabled": true, "RotationPeriodInDays": 99999999999999999999}`))
	base := map[string]string{
		paths[0]: `{"KeyMetadata": {"KeyId": "mrk-1", "Arn": "arn:aws:kms:us-east-1:1:key/mrk-1"}}`,
		paths[4]: `{"LocationConstraint": null}`,
		paths[5]: `{"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "mrk-1"}}]}}`,
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		files := fstest.MapFS{}
		for p, s := range base {
			files[p] = &fstest.MapFile{Data: []byte(s)}
		}
		files[paths[int(which)%len(paths)]] = &fstest.MapFile{Data: data}
		inv, err := Decode(files, "dir")
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

// newUserFS returns the new user's folder (testdata/newuser) as a MapFS,
// with replace's files instead of (or besides) its own.
func newUserFS(t *testing.T, replace map[string]string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	root := filepath.Join("testdata", "newuser")
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, from := range replace {
		data, err := os.ReadFile(filepath.Join("testdata", from))
		if err != nil {
			t.Fatal(err)
		}
		fsys[p] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// TestNewUserFolder checks the new user's folder: a bucket whose encryption
// names the key by an alias ARN gets that key (drsim invented
// keys.external-catalog with FILL-IN users), the key is named by its
// primary region's alias ("catalog", not the eu-west-1 replica's
// "catalog-eu"); a copy pending deletion is a schedule-key-deletion action
// with one warning (there were two contradictory ones); of two buckets
// replicating to each other, the one in the key's primary region is the
// source (catalog-euw1 was, for sorting first).
func TestNewUserFolder(t *testing.T) {
	const pending, back = "kms/eu-west-1/mrk-5f1e2d3c4b5a69788796a5b4c3d2e1f0.describe-key.json", "s3/catalog-euw1.replication.json"
	inv, err := Decode(newUserFS(t, map[string]string{pending: "newuser-pending.describe-key.json", back: "newuser-back.replication.json"}), "out")
	if err != nil {
		t.Fatal(err)
	}
	inv.Finish()
	text := string(importer.Render(inv, importer.Options{}).Text)
	if len(inv.Keys) != 1 || inv.Keys[0].Name != "catalog" {
		for _, k := range inv.Keys {
			t.Errorf("key %q (%s)", k.Name, k.Source)
		}
	}
	for _, want := range []string{
		"[buckets.reports]  # out/s3/reports.*\n",
		`key = "catalog"  # out/s3/reports.encryption.json: arn:aws:kms:us-east-1:210987654321:alias/catalog (kms/us-east-1/aliases.json)`,
		"[[actions]]  # out/" + pending + ": PendingDeletion, deletion date 2026-12-30T00:00:00Z in the input\nat = \"0s\"\nop = \"schedule-key-deletion\"\nkey = \"catalog\"\nregion = \"eu-west-1\"\n",
		"[buckets.catalog-use1]  # out/s3/catalog-use1.*\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the scenario lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"external", `op = "disable-key"`} {
		if strings.Contains(text, bad) {
			t.Errorf("the scenario holds %q:\n%s", bad, text)
		}
	}
	all := strings.Join(inv.Warnings, "\n")
	if strings.Contains(all, "drsim starts it Enabled") || strings.Contains(all, "is disabled") || !strings.Contains(all, "is scheduled for deletion (PendingDeletion, deletion date 2026-12-30T00:00:00Z)") {
		t.Errorf("warnings about the copy pending deletion:\n%s", all)
	}
	if !strings.Contains(all, `out/s3/catalog-euw1.replication.json rule "back" replicates back to the bucket it receives from (out/s3/catalog-use1.replication.json rule "eu"): drsim replicates S3 one way, from out/s3/catalog-use1.* (its key's primary copy is in its region, us-east-1)`) {
		t.Errorf("the two-way warning:\n%s", all)
	}
}

// TestFolderProblems checks a folder's bad files: each is an error at its
// place (a region folder that is no Region code, a junk LocationConstraint,
// a fraction of days, UTF-16, a FIFO that would block) or a warning (an
// alias whose region's aliases.json is missing, a rotation period of 0).
func TestFolderProblems(t *testing.T) {
	key := `{"KeyMetadata": {"KeyId": "k1", "Arn": "arn:aws:kms:us-east-1:111122223333:key/k1", "Enabled": true, "KeyState": "Enabled"}}`
	sse := func(id string) string {
		return `{"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "` + id + `"}}]}}`
	}
	utf16 := []byte{0xff, 0xfe}
	for _, c := range []byte(`{"LocationConstraint": null}`) {
		utf16 = append(utf16, c, 0)
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // an error, or with "warning: " a warning
	}{
		{"a region folder that is no Region code", map[string]string{"kms/US-EAST-1/k1.describe-key.json": key},
			`importer: dir/kms/US-EAST-1/k1.describe-key.json: the folder "US-EAST-1" is not an AWS Region code like us-east-1`},
		{"a junk LocationConstraint", map[string]string{"s3/b.location.json": "{\n  \"LocationConstraint\": \"us-east-1]\\n[app]\"\n}"},
			`importer: dir/s3/b.location.json:2:25: LocationConstraint: "us-east-1]\n[app]" is not an AWS Region code like us-east-1`},
		{"a fraction of days", map[string]string{"kms/us-east-1/k1.describe-key.json": key, "kms/us-east-1/k1.rotation.json": `{"KeyRotationEnabled": true, "RotationPeriodInDays": 90.5}`},
			`importer: dir/kms/us-east-1/k1.rotation.json:1:54: RotationPeriodInDays: expected a whole number of days, got 90.5`},
		{"UTF-16", map[string]string{"s3/b.location.json": string(utf16)}, `importer: dir/s3/b.location.json:1:1: the file is UTF-16LE, not UTF-8`},
		{"a rotation period of 0", map[string]string{"kms/us-east-1/k1.describe-key.json": key, "kms/us-east-1/k1.rotation.json": `{"KeyRotationEnabled": true, "RotationPeriodInDays": 0}`},
			"warning: dir/kms/us-east-1/k1.rotation.json: rotation period 0 days is outside 90..2560"},
		{"an alias without its region's aliases.json", map[string]string{"kms/us-east-1/k1.describe-key.json": key, "s3/b.encryption.json": sse("arn:aws:kms:us-east-1:111122223333:alias/k"), "s3/b.location.json": `{"LocationConstraint": null}`},
			"warning: dir/s3/b.encryption.json names alias arn:aws:kms:us-east-1:111122223333:alias/k: save kms/us-east-1/aliases.json (aws kms list-aliases --region us-east-1 --output json) for drsim to find its key"},
		{"an AWS managed alias", map[string]string{"s3/b.encryption.json": sse("alias/aws/s3"), "s3/b.location.json": `{"LocationConstraint": "eu-west-1"}`},
			"warning: not imported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for p, s := range tc.files {
				fsys[p] = &fstest.MapFile{Data: []byte(s)}
			}
			inv, err := Decode(fsys, "dir")
			if w, ok := strings.CutPrefix(tc.want, "warning: "); ok {
				if err != nil {
					t.Fatal(err)
				}
				inv.Finish()
				if w == "not imported" {
					text := string(importer.Render(inv, importer.Options{}).Text)
					if !strings.Contains(text, `key = "FILL-IN: the key that encrypts bucket b (the AWS managed key alias/aws/s3)"`) || strings.Contains(text, "external") {
						t.Errorf("an AWS managed key:\n%s", text)
					}
					return
				}
				if !slices.ContainsFunc(inv.Warnings, func(s string) bool { return strings.HasPrefix(s, w) }) {
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
