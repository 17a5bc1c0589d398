package awscli

import (
	"errors"
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
