package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// "-" reads a scenario from standard input wherever a FILE is taken; its
// relative extends resolve against the current folder.
func TestStdin(t *testing.T) {
	code, stdout, stderr := drsimStdin(t, miniScenario, "validate", "-")
	if code != 0 || stdout != "ok: <stdin> (mini)\n" {
		t.Errorf("validate -: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = drsimStdin(t, miniScenario, "run", "-", "--trials", "20", "--format", "json")
	if code != 0 || !json.Valid([]byte(stdout)) || !strings.Contains(stdout, `"scenario": "mini"`) {
		t.Errorf("run -: code %d, stderr %q", code, stderr)
	}
	code, stdout, _ = drsimStdin(t, miniScenario, "trace", "-", "--trial", "1")
	if code != 0 || !strings.Contains(stdout, `"kind":`) {
		t.Errorf("trace -: code %d", code)
	}
	code, stdout, stderr = drsimStdin(t, miniScenario, "compare", "-", "snowy", "--trials", "20")
	if code != 0 || !strings.Contains(stdout, "mini") {
		t.Errorf("compare - snowy: code %d, stderr %q", code, stderr)
	}
	code, _, stderr = drsimStdin(t, miniScenario, "compare", "-", "-")
	if code != 2 || !strings.Contains(stderr, "standard input (-) can be read only once") {
		t.Errorf("compare - -: code %d, stderr %q", code, stderr)
	}
	bad := strings.Replace(miniScenario, `horizon = "12h"`, `horizn = "12h"`, 1)
	code, _, stderr = drsimStdin(t, bad, "validate", "-")
	if code != 2 || !strings.Contains(stderr, "<stdin>:3:1: horizn: unknown key") {
		t.Errorf("a bad scenario on stdin: code %d, stderr %q", code, stderr)
	}

	// extends from standard input: against the current folder
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(miniScenario), 0o644)
	t.Chdir(dir)
	code, stdout, stderr = drsimStdin(t, "extends = \"base.toml\"\nname = \"child\"\n", "validate", "-")
	if code != 0 || stdout != "ok: <stdin> (child)\n" {
		t.Errorf("extends from stdin: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// Every combination of 'drsim init' writes a scenario that loads and runs
// as written.
func TestInitEveryCombination(t *testing.T) {
	regionPairs := [][2]string{{"us-east-1", "us-west-2"}, {"eu-west-1", "eu-central-1"}, {"ap-southeast-2", "ap-northeast-1"}}
	for _, strategy := range initStrategies() {
		for _, key := range initKeys() {
			for _, rp := range regionPairs {
				name := fmt.Sprintf("%s/%s/%s,%s", strategy, key, rp[0], rp[1])
				t.Run(name, func(t *testing.T) {
					code, text, stderr := drsim(t, "init", "--strategy", strategy, "--key", key, "--regions", rp[0]+","+rp[1], "-")
					if code != 0 {
						t.Fatalf("init: code %d, stderr %q", code, stderr)
					}
					if !strings.Contains(text, "# Written by: drsim init --strategy "+strategy+" --regions "+rp[0]+","+rp[1]+" --key "+key+"\n") {
						t.Errorf("no header:\n%.300s", text)
					}
					code, stdout, stderr := drsimStdin(t, text, "run", "-", "--trials", "30", "--format", "json")
					if code != 0 {
						t.Fatalf("run: code %d, stderr:\n%s\nscenario:\n%s", code, stderr, text)
					}
					var r struct {
						Metrics struct {
							RTO struct {
								N           int
								Unrecovered int
							} `json:"rto_seconds"`
						}
					}
					json.Unmarshal([]byte(stdout), &r)
					if r.Metrics.RTO.N == 0 || r.Metrics.RTO.Unrecovered != 0 {
						t.Errorf("%d incident trials, %d unrecovered: the starting scenario should fail over and recover", r.Metrics.RTO.N, r.Metrics.RTO.Unrecovered)
					}
					if key == "single" && strings.Contains(text, "multi_region") {
						t.Error("--key single wrote a multi-Region key")
					}
					// active-active has no runbook to promote the key in
					if (key == "mrk" && strategy != "active-active") != strings.Contains(text, "update-primary-region") {
						t.Error("the promote-key step is there without a multi-Region key, or missing with one")
					}
				})
			}
		}
	}
}

func TestInitFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, _, stderr := drsim(t, "init", "--strategy", "warm-standby")
	if code != 0 || !strings.Contains(stderr, "drsim: wrote scenario.toml (warm-standby, us-east-1 → us-west-2); next: drsim run scenario.toml") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if code, stdout, _ := drsim(t, "validate", "scenario.toml"); code != 0 || stdout != "ok: scenario.toml (my-warm-standby)\n" {
		t.Errorf("validate: code %d, %q", code, stdout)
	}
	before := readAll(t, "scenario.toml")
	code, _, stderr = drsim(t, "init", "--strategy", "pilot-light")
	if code != 2 || !strings.Contains(stderr, "init: scenario.toml exists; give --force to replace it") || readAll(t, "scenario.toml") != before {
		t.Errorf("overwrote without --force: code %d, stderr %q", code, stderr)
	}
	code, _, _ = drsim(t, "init", "--strategy", "pilot-light", "--force")
	if code != 0 || !strings.Contains(readAll(t, "scenario.toml"), `name = "my-pilot-light"`) {
		t.Errorf("--force did not replace: code %d", code)
	}
	code, _, _ = drsim(t, "init", "--strategy", "active-active", "Payments Service.toml")
	if code != 0 || !strings.Contains(readAll(t, "Payments Service.toml"), `name = "payments-service"`) {
		t.Errorf("named file: code %d", code)
	}
	if got := dirNames(t, "."); strings.Join(got, "|") != "Payments Service.toml|scenario.toml" {
		t.Errorf("folder holds %q", got)
	}
}

func TestValidateJSON(t *testing.T) {
	good := writeScenario(t, "good.toml", miniScenario)
	bad := writeScenario(t, "bad.toml", strings.Replace(miniScenario, `horizon = "12h"`, `horizn = "12h"`, 1))
	missing := filepath.Join(t.TempDir(), "missing.toml")
	code, stdout, stderr := drsim(t, "validate", "--format", "JSON", good, bad, missing)
	if code != 2 || stderr != "drsim: 2 of 3 scenarios invalid\n" {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
	var doc validateReport
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if doc.Schema != "drsim.validate/v1" || doc.Valid != 1 || doc.Invalid != 2 || len(doc.Scenarios) != 3 {
		t.Fatalf("document %+v", doc)
	}
	if s := doc.Scenarios[0]; !s.OK || s.Name != "mini" || s.File != good || len(s.Errors) != 0 {
		t.Errorf("good: %+v", s)
	}
	var horizn *validateError
	for i, e := range doc.Scenarios[1].Errors {
		if e.Path == "horizn" {
			horizn = &doc.Scenarios[1].Errors[i]
		}
	}
	if horizn == nil || horizn.File != bad || horizn.Line != 3 || horizn.Col != 1 || !strings.Contains(horizn.Message, `did you mean "horizon"`) {
		t.Errorf("bad: %+v", doc.Scenarios[1].Errors)
	}
	if s := doc.Scenarios[2]; s.OK || len(s.Errors) != 1 || s.Errors[0].Line != 0 || !strings.Contains(s.Errors[0].Message, "missing.toml") {
		t.Errorf("missing: %+v", s)
	}
}

// A starting scenario from drsim init, for every strategy and key setup,
// has no error-level finding on its first run (issue: active-active's
// 15-minute RPO gave "error DR507 stale-store" straight away, and
// backup-and-restore's one-hour objectives five errors).
func TestInitFirstRunHasNoError(t *testing.T) {
	dir := t.TempDir()
	for _, s := range initStrategies() {
		for _, k := range initKeys() {
			t.Run(s+"/"+k, func(t *testing.T) {
				path := filepath.Join(dir, s+"-"+k+".toml")
				if code, _, stderr := drsim(t, "init", "--strategy", s, "--key", k, "--regions", "eu-west-1,eu-central-1", path); code != 0 {
					t.Fatalf("init: exit %d\n%s", code, stderr)
				}
				code, stdout, stderr := drsim(t, "run", path)
				if code != 0 {
					t.Fatalf("run: exit %d\n%s", code, stderr)
				}
				for _, l := range strings.Split(stdout, "\n") {
					if strings.Contains(l, " error DR") {
						t.Errorf("error-level finding: %s", l)
					}
				}
			})
		}
	}
}
