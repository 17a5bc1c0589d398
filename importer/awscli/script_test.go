package awscli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// fakeAWS answers the AWS CLI calls of docs/save-aws-account.sh from the
// account fixture, the way the CLI prints them (a missing output is the
// CLI's failure: exit status 254).
const fakeAWS = `#!/bin/sh
svc=$1 op=$2
shift 2
region= key= table= bucket= query=
while [ $# -gt 0 ]; do
	case $1 in
	--region) region=$2; shift ;;
	--key-id) key=$2; shift ;;
	--table-name) table=$2; shift ;;
	--bucket) bucket=$2; shift ;;
	--query) query=$2; shift ;;
	esac
	shift
done
out() { [ -f "$FIXTURE/$1" ] && cat "$FIXTURE/$1" || exit 254; }
names() { for f in $FIXTURE/$1; do [ -f "$f" ] && basename "$f" "$2"; done | tr '\n' '\t'; echo; }
case "$svc $op" in
"kms list-aliases") [ -f "$FIXTURE/kms/$region/aliases.json" ] && cat "$FIXTURE/kms/$region/aliases.json" || echo '{"Aliases": []}' ;;
"kms list-keys") names "kms/$region/*.describe-key.json" .describe-key.json ;;
"kms describe-key") if [ -n "$query" ]; then echo CUSTOMER; else out "kms/$region/$key.describe-key.json"; fi ;;
"kms get-key-policy") out "kms/$region/$key.key-policy.json" ;;
"kms get-key-rotation-status") out "kms/$region/$key.rotation.json" ;;
"dynamodb list-tables") names "dynamodb/$region/*.describe-table.json" .describe-table.json ;;
"dynamodb describe-table") out "dynamodb/$region/$table.describe-table.json" ;;
"s3api list-buckets") names "s3/*.location.json" .location.json ;;
"s3api get-bucket-location") out "s3/$bucket.location.json" ;;
"s3api get-bucket-encryption") out "s3/$bucket.encryption.json" ;;
"s3api get-bucket-replication") out "s3/$bucket.replication.json" ;;
*) echo "fake aws: $svc $op" >&2; exit 2 ;;
esac
`

// TestAccountScript runs docs/save-aws-account.sh against a fake aws that
// answers from the account fixture, and checks that the folder it saves
// imports to the same scenario as the fixture: the script's file names are
// the layout Decode reads.
func TestAccountScript(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	os.Mkdir(bin, 0o755)
	if err := os.WriteFile(filepath.Join(bin, "aws"), []byte(fakeAWS), 0o755); err != nil {
		t.Fatal(err)
	}
	fixture, _ := filepath.Abs(filepath.Join("testdata", "account"))
	saved := filepath.Join(tmp, "saved")
	cmd := exec.Command(sh, filepath.Join("..", "..", "docs", "save-aws-account.sh"), saved)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FIXTURE="+fixture, "REGIONS=us-east-1 eu-west-1 ap-southeast-2")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the script: %v\n%s", err, out.String())
	}
	want, err := Decode(os.DirFS(fixture), "account")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(os.DirFS(saved), "account")
	if err != nil {
		t.Fatal(err)
	}
	want.Finish()
	got.Finish()
	// The fixture's README.txt is not a saved output: the rest is the same.
	want.Unsupported = nil
	if w, g := renderText(want), renderText(got); w != g {
		t.Errorf("the saved folder imports differently from the fixture:\n--- fixture\n%s\n--- saved\n%s", w, g)
	}
}
