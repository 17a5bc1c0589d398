package terraform

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/drsim/drsim/importer"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// importFile decodes, finishes and renders a fixture.
func importFile(t *testing.T, file string) (*importer.Inventory, *importer.Rendered) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Decode(file, data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	inv.Finish()
	return inv, importer.Render(inv, importer.Options{Command: "drsim import terraform " + file})
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

// TestGolden pins the scenario and the summary each fixture imports to.
func TestGolden(t *testing.T) {
	for _, f := range []string{"state.json", "plan.json"} {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join("testdata", f)
			inv, r := importFile(t, path)
			checkGolden(t, path[:len(path)-len(".json")]+".toml", r.Text)
			var sum bytes.Buffer
			importer.Summary(&sum, inv, r, nil)
			checkGolden(t, path[:len(path)-len(".json")]+".summary", sum.Bytes())
		})
	}
}
