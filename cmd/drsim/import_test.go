package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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
		{"missing file", []string{"import", "terraform", "no-such.json"}, 2, "", `drsim: import: no file "no-such.json"` + "\n"},
		{"missing template", []string{"import", "cloudformation", "no-such.yaml", "--region", "us-east-1"}, 2, "", `drsim: import: no file "no-such.yaml"` + "\n"},
		{"missing folder", []string{"import", "aws", "no-such-dir"}, 2, "", `drsim: import: no folder "no-such-dir"` + "\n"},
		{"two templates, one region each", []string{"import", "cloudformation", east, "--region", "us-east-1", west, "--region", "us-west-2"}, 0,
			"payments-west.json: PaymentsReplicaKey", "imported: 1 key (2 copies)"},
		{"regions do not pair", []string{"import", "cloudformation", east, west, "--region", "us-east-1", "--region", "us-west-2", "--region", "eu-west-1"}, 2, "",
			"2 templates and 3 --region: give one --region per template"},
		{"no region", []string{"import", "cloudformation", east}, 2, "", "import: 1 template and 0 --region: give one --region per template"},
		{"stacks do not pair", []string{"import", "cloudformation", east, west, "--region", "us-east-1", "--stack", "a"}, 2, "", "import: 2 templates and 1 --stack: give one --stack per template"},
		{"region for terraform", []string{"import", "terraform", plan, "--region", "us-east-1"}, 2, "", "--region and --stack are for cloudformation templates"},
		{"two regions in one flag", []string{"import", "cloudformation", east, "--region", "us-east-1,us-west-2"}, 2, "",
			`--region "us-east-1,us-west-2" is not an AWS Region code like us-east-1 (did you mean "us-east-1"?); give one --region per template, after it`},
		{"an upper-case region", []string{"import", "cloudformation", east, "--region", "US-EAST-1"}, 2, "", `(did you mean "us-east-1"?)`},
		{"not a region", []string{"import", "cloudformation", east, "--region", "mars-1"}, 2, "", `--region "mars-1" is not an AWS Region code`},
		{"a region drsim does not know", []string{"import", "cloudformation", east, "--region", "us-west-9"}, 0, "",
			"--region us-west-9: not an AWS Region drsim knows (a typo? a new Region?); imported as given"},
		{"an invalid name", []string{"import", "terraform", plan, "--name", "my setup"}, 2, "", `--name "my setup" is not a valid scenario name: names use lowercase letters, digits and "-", and start with a letter or digit (did you mean "my-setup"?)`},
		{"aws without a folder", []string{"import", "aws"}, 2, "", "aws takes a folder of saved AWS CLI outputs"},
		{"terraform without a file", []string{"import", "terraform"}, 2, "", "terraform takes the JSON file of terraform show -json"},
		{"stacks do not pair", []string{"import", "cloudformation", east, west, "--region", "us-east-1", "--stack", "a"}, 2, "", "2 templates and 1 --stack"},
		{"an invalid stack name", []string{"import", "cloudformation", east, "--region", "us-east-1", "--stack", "a_b"}, 2, "", `--stack "a_b": a CloudFormation stack name has letters`},
		{"plan to -o -", []string{"import", "terraform", plan, "-o", "-"}, 0, importer.Header, "drsim import: terraform plan"},
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
	mine := "# mine\nextends = \"infra.toml\"\n"
	os.WriteFile(overlay, []byte(mine), 0o644)
	code, _, stderr = drsim(t, "import", "terraform", plan, "-o", out, "--overlay", overlay)
	if got, _ := os.ReadFile(overlay); code != 0 || string(got) != mine || !strings.Contains(stderr, "exists: left as it is") {
		t.Errorf("second import: exit %d, overlay %q\n%s", code, got, stderr)
	}
	os.WriteFile(overlay, []byte("# mine\n"), 0o644)
	code, _, stderr = drsim(t, "import", "terraform", plan, "-o", out, "--overlay", overlay)
	if code != 2 || !strings.Contains(stderr, "exists and does not extend infra.toml (it has no extends)") {
		t.Errorf("an overlay that does not extend the import: exit %d\n%s", code, stderr)
	}
	code, _, stderr = drsim(t, "import", "terraform", plan, "-o", overlay)
	if code != 2 || !strings.Contains(stderr, "was not written by drsim import: not overwritten") {
		t.Errorf("import onto the overlay: exit %d\n%s", code, stderr)
	}
}

// TestImportInterrupted checks that the first SIGINT or SIGTERM ends an
// import blocked on its input (a FIFO no one writes to), with exit status
// 130 and nothing written: the new user's first signal was swallowed.
func TestImportInterrupted(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "plan.json")
	if err := mkfifo(fifo); err != nil {
		t.Skip(err)
	}
	out := filepath.Join(dir, "infra.toml")
	t.Run("in process", func(t *testing.T) {
		e, _, stderr := testEnv("")
		start := time.Now()
		code := drsimEnv(t, cancelAfter(t, 200*time.Millisecond), e, "import", "terraform", fifo, "-o", out)
		if code != exitInterrupted || time.Since(start) > 5*time.Second || !strings.Contains(stderr.String(), "drsim: import: interrupted; nothing written") {
			t.Errorf("exit %d after %v\n%s", code, time.Since(start), stderr)
		}
		// release the abandoned reader
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
	})
	t.Run("signals", func(t *testing.T) {
		bin := drsimBinary(t)
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			cmd := exec.Command(bin, "import", "terraform", fifo, "-o", out)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			cmd.Process.Signal(sig)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("%v: one signal did not end the import", sig)
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted; nothing written") {
				t.Errorf("%v: exit %d, stderr %q", sig, code, stderr.String())
			}
		}
	})
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("the folder holds %q", names)
	}
}
