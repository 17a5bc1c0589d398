package awscli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/drsim/drsim/importer"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func importFixture(t *testing.T) (*importer.Inventory, *importer.Rendered) {
	t.Helper()
	dir := filepath.Join("testdata", "account")
	inv, err := Decode(os.DirFS(dir), dir)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	inv.Finish()
	return inv, importer.Render(inv, importer.Options{Command: "drsim import aws " + dir})
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
	checkGolden(t, filepath.Join("testdata", "account.toml"), r.Text)
	var sum bytes.Buffer
	importer.Summary(&sum, inv, r, nil)
	checkGolden(t, filepath.Join("testdata", "account.summary"), sum.Bytes())
}

func renderText(inv *importer.Inventory) string {
	return string(importer.Render(inv, importer.Options{Name: "account"}).Text)
}
