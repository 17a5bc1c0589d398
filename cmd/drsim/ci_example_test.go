package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/drsim/drsim/scenarios"
)

// ciExample is the GitHub Actions workflow of docs/ci.md.
const ciExample = "../../examples/github-actions/drsim.yml"

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	Name        string            `yaml:"name"`
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn string `yaml:"runs-on"`
		Steps  []struct {
			Name            string            `yaml:"name"`
			ID              string            `yaml:"id"`
			If              string            `yaml:"if"`
			Uses            string            `yaml:"uses"`
			Run             string            `yaml:"run"`
			With            map[string]string `yaml:"with"`
			Env             map[string]string `yaml:"env"`
			ContinueOnError bool              `yaml:"continue-on-error"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestCIExample runs the drsim commands of the example workflow, as the
// workflow writes them (bash -eo pipefail, as GitHub runs a step), with the
// drsim binary its build step builds from drsim's checked-out source (this
// tree: the module is not published, so go install ...@latest fails), in a repository holding a base and
// two scenarios, and checks what the other steps take from them: the SARIF
// that upload-sarif uploads validates against SARIF 2.1.0, the Markdown the
// comment posts has its charts inline (Mermaid) and fits a comment, the
// folder the artifact keeps has the HTML report.
func TestCIExample(t *testing.T) {
	data, err := os.ReadFile(ciExample)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.UnmarshalWithOptions(data, &wf, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", ciExample, err)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Error("the workflow does not run on pull_request")
	}
	for k, want := range map[string]string{"security-events": "write", "pull-requests": "write", "contents": "read"} {
		if wf.Permissions[k] != want {
			t.Errorf("permissions.%s = %q, want %q", k, wf.Permissions[k], want)
		}
	}
	job, ok := wf.Jobs["drsim"]
	if !ok || len(job.Steps) == 0 {
		t.Fatal("no job drsim with steps")
	}

	repo := t.TempDir()
	// a repository with scenarios: a base for extends and two scenarios
	for name, bundled := range map[string]string{"_base.toml": "strategies/_base.toml",
		"production.toml": "strategies/warm-standby.toml", "snowy.toml": "snowy.toml"} {
		b, err := fs.ReadFile(scenarios.BundledFS(), bundled)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(repo, "scenarios"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, "scenarios", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// GitHub runs a step's run with bash --noprofile --norc -eo pipefail
	var sarifFile, reportFile, outDir, commentFile, artifact, drsimSrc, binDir string
	ran := map[string]int{}
	redirect := regexp.MustCompile(`>\s*(\S+)\s*$`)
	for _, st := range job.Steps {
		switch {
		case strings.HasPrefix(st.Uses, "actions/checkout@") && st.With["path"] != "":
			// drsim's own source: this tree
			drsimSrc = st.With["path"]
			root, err := filepath.Abs("../..")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(root, filepath.Join(repo, drsimSrc)); err != nil {
				t.Fatal(err)
			}
		case strings.HasPrefix(st.Uses, "actions/setup-go@"):
			if f := st.With["go-version-file"]; drsimSrc == "" || f != drsimSrc+"/go.mod" {
				t.Errorf("setup-go reads the Go version from %q, not from drsim's go.mod", f)
			}
		case strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@"):
			sarifFile = st.With["sarif_file"]
		case strings.HasPrefix(st.Uses, "actions/upload-artifact@"):
			artifact = st.With["path"]
		case strings.Contains(st.Run, "gh pr comment"):
			// the report comment is found by its marker among the bot's
			// comments, never as "the bot's last comment"
			for _, w := range []string{"marker='<!-- drsim-report -->'", `startswith(\"$marker\")`, `github-actions[bot]`} {
				if !strings.Contains(st.Run, w) {
					t.Errorf("the comment step lacks %q", w)
				}
			}
			if strings.Contains(st.Run, "--edit-last") {
				t.Error("the comment step edits the bot's last comment, which may be another workflow's")
			}
			if m := regexp.MustCompile(`cat (\S+); \} > (\S+)`).FindStringSubmatch(st.Run); m != nil && strings.Contains(st.Run, "--body-file "+m[2]) {
				commentFile = m[1]
			}
		case drsimSrc != "" && strings.Contains(st.Run, "go -C "+drsimSrc+" build"):
			// the build step, as GitHub runs it
			tmp := t.TempDir()
			ghPath := filepath.Join(tmp, "github_path")
			cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", st.Run)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_PATH="+ghPath, "GOFLAGS=-buildvcs=false")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", st.Name, err, out)
			}
			binDir = strings.TrimSpace(readAll(t, ghPath))
		}
		if !strings.HasPrefix(st.Run, "drsim ") {
			continue
		}
		if binDir == "" {
			t.Fatalf("%q runs before any step builds drsim from its checked-out source", st.Run)
		}
		bin := filepath.Join(binDir, "drsim")
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", st.Run)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", st.Name, err)
		}
		verb := strings.Fields(st.Run)[1]
		ran[verb] = code
		t.Logf("%s: exit %d", st.Run, code)
		// a step that fails the job must be one that may fail
		if code != 0 && !st.ContinueOnError {
			t.Errorf("%q fails (exit %d) and the workflow stops there:\n%s", st.Run, code, stderr.String())
		}
		switch verb {
		case "lint":
			if code != 0 && code != exitLint {
				t.Errorf("drsim lint: exit %d, want 0 or %d:\n%s", code, exitLint, stderr.String())
			}
			if m := redirect.FindStringSubmatch(st.Run); m != nil {
				sarifFile = firstNonEmpty(sarifFile, m[1])
				if sarifFile != m[1] {
					t.Errorf("lint writes %s, upload-sarif uploads %s", m[1], sarifFile)
				}
			}
		case "run":
			if code != 0 {
				t.Errorf("drsim run --check on warm-standby: exit %d, want 0 (it meets its objectives in 98%% of trials):\n%s", code, stderr.String())
			}
			if m := redirect.FindStringSubmatch(st.Run); m != nil {
				reportFile = m[1]
			}
			if m := regexp.MustCompile(`--out (\S+)`).FindStringSubmatch(st.Run); m != nil {
				outDir = m[1]
			}
		}
	}
	for _, verb := range []string{"validate", "lint", "run"} {
		if _, ok := ran[verb]; !ok {
			t.Errorf("the workflow runs no drsim %s", verb)
		}
	}

	// the SARIF upload-sarif gets
	if sarifFile == "" {
		t.Fatal("no upload-sarif step, or no sarif_file")
	}
	c := jsonschema.NewCompiler()
	schema, err := c.Compile("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(repo, sarifFile))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatalf("%s: %v", sarifFile, err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("%s does not validate against SARIF 2.1.0: %v", sarifFile, err)
	}

	// the comment gets the Markdown report, charts inline
	if reportFile == "" || commentFile != reportFile {
		t.Errorf("drsim run writes %q, the comment posts %q", reportFile, commentFile)
	} else {
		md := readAll(t, filepath.Join(repo, reportFile))
		if !regexp.MustCompile("```mermaid\n(%%.*%%\n)?xychart-beta\n").MatchString(md) {
			t.Errorf("%s has no Mermaid chart", reportFile)
		}
		if strings.Contains(md, ".png") {
			t.Errorf("%s links PNG files, which a comment cannot show", reportFile)
		}
		if len(md) > 65536 {
			t.Errorf("%s is %d bytes, more than a GitHub comment takes (65,536)", reportFile, len(md))
		}
	}
	// the artifact keeps the --out folder
	if outDir == "" || artifact != outDir {
		t.Errorf("drsim run --out %q, the artifact keeps %q", outDir, artifact)
	} else if _, err := os.Stat(filepath.Join(repo, outDir, "report.html")); err != nil {
		t.Errorf("no report.html in %s: %v", outDir, err)
	}
}

// firstNonEmpty returns a if it is not empty, else b.
func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
