package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/importer"
)

// TestImportCLI checks the import command's arguments, exit codes and
// outputs; the import itself is tested in importer/importcmd.
func TestImportCLI(t *testing.T) {
	plan := filepath.Join("..", "..", "importer", "terraform", "testdata", "plan.json")
	east := filepath.Join("..", "..", "importer", "cloudformation", "testdata", "payments-east.yaml")
	west := filepath.Join("..", "..", "importer", "cloudformation", "testdata", "payments-west.json")
	bad := writeScenario(t, "bad.json", "{\n  \"format_version\": \"1.0\",\n  \"values\": [\n}\n")
	for _, tc := range []struct {
		name         string
		args         []string
		code         int
		stdout, errs string
	}{
		{"no source", []string{"import"}, 2, "", "want a source: terraform, cloudformation, aws"},
		{"misspelt source", []string{"import", "terrafrom", plan}, 2, "", `unknown source "terrafrom" (did you mean "terraform"?)`},
		{"plan to stdout", []string{"import", "terraform", plan}, 0, importer.Header, "drsim import: terraform plan"},
		{"malformed JSON", []string{"import", "terraform", bad}, 2, "", bad + ":4:1: malformed JSON"},
		{"missing file", []string{"import", "terraform", "no-such.json"}, 2, "", "no such file"},
		{"two templates, one region each", []string{"import", "cloudformation", east, "--region", "us-east-1", west, "--region", "us-west-2"}, 0,
			"payments-west.json: PaymentsReplicaKey", "imported: 1 key (2 copies)"},
		{"regions do not pair", []string{"import", "cloudformation", east, west, "--region", "us-east-1", "--region", "us-west-2", "--region", "eu-west-1"}, 2, "",
			"2 templates and 3 --region: give one --region per template"},
		{"no region", []string{"import", "cloudformation", east}, 2, "", "give one --region per template"},
		{"region for terraform", []string{"import", "terraform", plan, "--region", "us-east-1"}, 2, "", "--region is for cloudformation templates"},
		{"aws wants a folder", []string{"import", "aws", plan}, 2, "", "is not a folder"},
		{"help", []string{"help", "import"}, 0, "drsim import cloudformation east.yaml --region us-east-1 west.json --region us-west-2", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := drsim(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.errs) {
				t.Errorf("exit %d, want %d\nstdout: %.300s\nstderr: %s", code, tc.code, stdout, stderr)
			}
		})
	}
}

// TestImportFiles checks -o and --overlay through the CLI: the overlay is
// written once, and a second import leaves it as the user left it.
func TestImportFiles(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join("..", "..", "importer", "terraform", "testdata", "plan.json")
	out, overlay := filepath.Join(dir, "infra.toml"), filepath.Join(dir, "mine.toml")
	code, stdout, stderr := drsim(t, "import", "terraform", plan, "-o", out, "--overlay", overlay, "--name", "media")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "mine.toml written") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	data, _ := os.ReadFile(overlay)
	if !strings.Contains(string(data), `extends = "infra.toml"`) || !strings.Contains(string(data), `name = "media-dr"`) {
		t.Errorf("overlay:\n%s", data)
	}
	os.WriteFile(overlay, []byte("# mine\n"), 0o644)
	code, _, stderr = drsim(t, "import", "terraform", plan, "-o", out, "--overlay", overlay)
	if got, _ := os.ReadFile(overlay); code != 0 || string(got) != "# mine\n" || !strings.Contains(stderr, "exists: left as it is") {
		t.Errorf("second import: exit %d, overlay %q\n%s", code, got, stderr)
	}
	code, _, stderr = drsim(t, "import", "terraform", plan, "-o", overlay)
	if code != 2 || !strings.Contains(stderr, "was not written by drsim import: not overwritten") {
		t.Errorf("import onto the overlay: exit %d\n%s", code, stderr)
	}
}
