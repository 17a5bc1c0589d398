package importcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drsim/drsim/importer"
)

// planReq imports the plan fixture (its absolute path: the tests change
// folder).
func planReq(t *testing.T) Request {
	p, err := filepath.Abs("../terraform/testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	return Request{Source: Terraform, Inputs: []Input{{Path: p}}}
}

// runWithin runs req and fails the test if it takes longer than d (a FIFO
// or a device read in full would block or exhaust memory).
func runWithin(t *testing.T, d time.Duration, req Request) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), req, &out, &errb) }()
	select {
	case err := <-done:
		return out.String(), errb.String(), err
	case <-time.After(d):
		t.Fatalf("the import of %+v blocks", req)
	}
	return "", "", nil
}

// TestOutputFiles checks -o and --overlay against drsim's rule for output
// files (internal/atomicfile): only regular files are written (the new
// user's -o /dev/full grew to 23.9 GB, -o FIFO blocked, --force -o device
// replaced the node), a symbolic link is followed, missing folders are
// created and said, only the header line of an existing -o file is read,
// an existing overlay must extend the import, and paths are compared as
// absolute paths.
func TestOutputFiles(t *testing.T) {
	plan := planReq(t)
	dir := t.TempDir()
	t.Chdir(dir)
	mine := filepath.Join(dir, "mine.toml")
	os.WriteFile(mine, []byte("name = \"mine\"\n"), 0o644)
	fifo := filepath.Join(dir, "fifo.toml")
	haveFIFO := mkfifo(fifo) == nil
	// A sparse file of 4 GiB: reading it whole would exhaust memory.
	big := filepath.Join(dir, "big.toml")
	if f, err := os.Create(big); err == nil {
		f.Truncate(4 << 30)
		f.Close()
	}
	notes := filepath.Join(dir, "notes.md")
	os.WriteFile(notes, []byte("# My notes\n\n- fill in the rates\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "folder.toml"), 0o755)
	ours := filepath.Join(dir, "real", "infra.toml")
	os.MkdirAll(filepath.Dir(ours), 0o755)
	os.WriteFile(ours, []byte(importer.Header+"\nname = \"old\"\n"), 0o644)
	link := filepath.Join(dir, "link.toml")
	os.Symlink(filepath.Join("real", "infra.toml"), link)

	for _, tc := range []struct {
		name            string
		output, overlay string
		force           bool
		err             any    // nil, *WriteError, *InputError or *UsageError
		want            string // in the error, or in the summary when err is nil
	}{
		{"a file not written by drsim import", mine, "", false, &InputError{}, "was not written by drsim import: not overwritten"},
		{"the same with --force", mine, "", true, nil, "imported:"},
		{"a file read only up to its header", big, "", false, &InputError{}, "was not written by drsim import"},
		{"a FIFO", fifo, "", false, &WriteError{}, "is a FIFO (named pipe), not a regular file"},
		{"a FIFO with --force", fifo, "", true, &WriteError{}, "is a FIFO (named pipe), not a regular file"},
		{"a folder", filepath.Join(dir, "folder.toml"), "", true, &WriteError{}, "is a folder, not a file"},
		{"under a file", filepath.Join(mine, "x.toml"), "", false, &WriteError{}, "is a file, not a folder"},
		{"missing folders", filepath.Join(dir, "new", "sub", "infra.toml"), "", false, nil,
			"folders created for " + filepath.Join(dir, "new", "sub", "infra.toml") + ": " + filepath.Join(dir, "new") + ", " + filepath.Join(dir, "new", "sub")},
		{"a link to an import", link, "", false, nil, "imported:"},
		{"an overlay that is a folder", filepath.Join(dir, "a.toml"), filepath.Join(dir, "folder.toml"), false, &WriteError{}, "--overlay " + filepath.Join(dir, "folder.toml") + ": " + filepath.Join(dir, "folder.toml") + " is a folder"},
		{"an overlay that is a FIFO", filepath.Join(dir, "a.toml"), fifo, false, &WriteError{}, "is a FIFO"},
		{"an overlay that is another file", filepath.Join(dir, "a.toml"), notes, false, &InputError{}, "--overlay " + notes + " exists and does not extend a.toml (it is not a TOML file"},
		{"an overlay that extends another file", filepath.Join(dir, "b.toml"), mine, true, &InputError{}, "does not extend b.toml (it has no extends)"},
		{"an overlay given relative, -o absolute", filepath.Join(dir, "c.toml"), "c-dr.toml", false, nil, "overlay: c-dr.toml written"},
		{"an overlay given absolute, -o relative", "d.toml", filepath.Join(dir, "d-dr.toml"), false, nil, "d-dr.toml written"},
		{"an overlay in another folder", "e.toml", filepath.Join(dir, "real", "e-dr.toml"), false, &UsageError{}, "must be in the folder of e.toml"},
		{"-o naming the input", plan.Inputs[0].Path, "", true, &UsageError{}, "is an input of this import"},
		{"--overlay -", "f.toml", "-", false, &UsageError{}, "--overlay - :"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(tc.name, "FIFO") && !haveFIFO {
				t.Skip("no named pipes here")
			}
			req := plan
			req.Output, req.Overlay, req.Force = tc.output, tc.overlay, tc.force
			_, summary, err := runWithin(t, 20*time.Second, req)
			switch want := tc.err.(type) {
			case nil:
				if err != nil || !strings.Contains(summary, tc.want) {
					t.Errorf("error %v; summary lacks %q:\n%s", err, tc.want, summary)
				}
			case *WriteError:
				if !errors.As(err, &want) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("got %T %v, want a *WriteError with %q", err, err, tc.want)
				}
			case *InputError:
				if !errors.As(err, &want) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("got %T %v, want an *InputError with %q", err, err, tc.want)
				}
			case *UsageError:
				if !errors.As(err, &want) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("got %T %v, want a *UsageError with %q", err, err, tc.want)
				}
			}
		})
	}
	if st, err := os.Lstat(fifo); haveFIFO && (err != nil || st.Mode()&os.ModeNamedPipe == 0) {
		t.Errorf("the FIFO was replaced")
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
	if data, _ := os.ReadFile(ours); !bytes.Contains(data, []byte("plan.json")) {
		t.Errorf("the link's target was not updated:\n%.200s", data)
	}
	if data, _ := os.ReadFile(notes); string(data) != "# My notes\n\n- fill in the rates\n" {
		t.Errorf("the unrelated overlay was changed")
	}
	if st, _ := os.Stat(big); st.Size() != 4<<30 {
		t.Errorf("the big file was changed")
	}
}

// TestStdio checks that - is standard input as an input and standard
// output as -o (the new user's -o - created a file named "-").
func TestStdio(t *testing.T) {
	data, err := os.ReadFile("../terraform/testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	req := Request{Source: Terraform, Inputs: []Input{{Path: "-"}}, Output: "-", Stdin: bytes.NewReader(data)}
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), req, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !bytes.HasPrefix(stdout.Bytes(), []byte(importer.Header)) || !strings.Contains(stdout.String(), "# Source: terraform plan <stdin>") {
		t.Errorf("stdout:\n%.300s", stdout.String())
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error("a file named - was written")
	}
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Source: AWSCLI, Inputs: []Input{{Path: "-"}}}, "standard input (-) cannot hold one"},
		{Request{Source: CloudFormation, Inputs: []Input{{Path: "-", Region: "us-east-1"}, {Path: "-", Region: "us-west-2"}}}, "can be read only once"},
	} {
		err := Run(context.Background(), tc.req, &bytes.Buffer{}, &bytes.Buffer{})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want a usage error with %q", err, tc.want)
		}
	}
}

// TestOverlayLeft checks the summary of a re-import whose overlay leaves
// placeholders open: it names them, and the next step is to fill them in.
func TestOverlayLeft(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/plan.overlay.toml")
	if err != nil {
		t.Fatal(err)
	}
	partial := strings.Replace(string(data), "[tables.catalog]\nwrites = 100\nreads = 400\n", "", 1)
	if partial == string(data) {
		t.Fatal("the fixture overlay changed: update this test")
	}
	req := planReq(t)
	req.Output, req.Overlay = filepath.Join(dir, "plan.toml"), filepath.Join(dir, "mine.toml")
	os.WriteFile(req.Overlay, []byte(partial), 0o644)
	_, sum, err := runWithin(t, 20*time.Second, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"to fill in: 13 placeholders, of which " + req.Overlay + " sets 11; 2 left: tables.catalog.writes, tables.catalog.reads",
		"next: fill in the 2 placeholders left in " + req.Overlay + ", then drsim validate it",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
}

// TestTooLarge checks that an import whose scenario would be over the
// 1 MiB drsim reads in a scenario file is refused, nothing written (the new
// user's 20,000 buckets wrote 9.5 MB that no command could load, exit 0,
// and a 1.5 MB summary).
func TestTooLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format_version": "1.0", "values": {"root_module": {"resources": [` +
		`{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k"}}`)
	for i := range 4000 {
		fmt.Fprintf(&b, `, {"address": "aws_s3_bucket.b[%d]", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "index": %d, "values": {"bucket": "bucket-%d", "region": "us-east-1",
 "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:us-east-1:111122223333:key/k"}]}]}]}}`, i, i, i)
	}
	b.WriteString("]}}}")
	dir := t.TempDir()
	in := filepath.Join(dir, "huge.json")
	os.WriteFile(in, []byte(b.String()), 0o644)
	req := Request{Source: Terraform, Inputs: []Input{{Path: in}}, Output: filepath.Join(dir, "huge.toml")}
	var stderr bytes.Buffer
	err := Run(context.Background(), req, &bytes.Buffer{}, &stderr)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "over the 1 MiB drsim reads in a scenario file: nothing written") || !strings.Contains(err.Error(), "4,000 buckets") {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(req.Output); err == nil {
		t.Error("the scenario was written")
	}
}

// TestNothingToImport checks that an input with no key, bucket or table
// drsim models is refused (exit status 2), saying what it holds: the new
// user's {"format_version":"1.0"} and an empty folder imported
// "successfully", with a problem about app.serve's neutral value.
func TestNothingToImport(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "fv.json")
	os.WriteFile(empty, []byte(`{"format_version":"1.0"}`), 0o644)
	other := filepath.Join(dir, "sns.json")
	os.WriteFile(other, []byte(`{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_sns_topic.t", "mode": "managed", "type": "aws_sns_topic", "name": "t", "values": {}}]}}}`), 0o644)
	folder := filepath.Join(dir, "aws")
	os.Mkdir(folder, 0o755)
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Source: Terraform, Inputs: []Input{{Path: empty}}}, "import: nothing to import from " + empty + ": no KMS key, S3 bucket or DynamoDB table (docs/import.md lists what drsim reads)"},
		{Request{Source: Terraform, Inputs: []Input{{Path: other}}}, "no KMS key, S3 bucket or DynamoDB table; it holds aws_sns_topic (1)"},
		{Request{Source: AWSCLI, Inputs: []Input{{Path: folder}}}, "import: nothing to import from " + folder},
	} {
		req := tc.req
		req.Output = filepath.Join(dir, "out.toml")
		err := Run(context.Background(), req, &bytes.Buffer{}, &bytes.Buffer{})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
		if _, err := os.Stat(req.Output); err == nil {
			t.Error("a scenario was written")
		}
	}
}

// TestProblemsExitNonZero checks that an import drsim cannot load, beyond
// its placeholders, is written (so that the problems' positions can be
// seen) and returns an *InputError (exit status 2): it exited 0.
func TestProblemsExitNonZero(t *testing.T) {
	dir := t.TempDir()
	req := Request{Source: Terraform, Inputs: []Input{{Path: "testdata/replica-in-own-region.json"}}, Output: filepath.Join(dir, "t.toml")}
	var stderr bytes.Buffer
	err := Run(context.Background(), req, &bytes.Buffer{}, &stderr)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "drsim cannot load the imported scenario "+req.Output) {
		t.Errorf("got %v", err)
	}
	if want := req.Output + `:42:3: tables.t.regions: "us-east-1" is listed twice`; !strings.Contains(stderr.String(), want) {
		t.Errorf("the summary lacks %q:\n%s", want, stderr.String())
	}
	if _, err := os.Stat(req.Output); err != nil {
		t.Errorf("not written: %v", err)
	}
}
