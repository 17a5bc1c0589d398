package cloudformation

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/drsim/drsim/importer"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is the pair of templates: the primary stack in YAML with
// short-form tags, the standby stack in JSON.
var fixture = []struct{ file, region string }{
	{"payments-east.yaml", "us-east-1"},
	{"payments-west.json", "us-west-2"},
}

func importFixture(t *testing.T) (*importer.Inventory, *importer.Rendered) {
	t.Helper()
	var ts []Template
	cmd := "drsim import cloudformation"
	for _, f := range fixture {
		path := filepath.Join("testdata", f.file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, Template{File: path, Data: data, Region: f.region})
		cmd += " " + path + " --region " + f.region
	}
	inv, err := Decode(ts)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	inv.Finish()
	return inv, importer.Render(inv, importer.Options{Name: "payments", Command: cmd})
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update and review the diff):\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	inv, r := importFixture(t)
	checkGolden(t, filepath.Join("testdata", "payments.toml"), r.Text)
	var sum bytes.Buffer
	importer.Summary(&sum, inv, r, nil)
	checkGolden(t, filepath.Join("testdata", "payments.summary"), sum.Bytes())
}
