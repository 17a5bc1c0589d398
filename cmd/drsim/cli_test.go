package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/scenarios"
)

// drsim runs the CLI in-process and returns its exit code and output.
func drsim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(args, &out, &errb)
	code = reportError(&errb, err)
	return code, out.String(), errb.String()
}

// miniScenario is a small valid scenario; the tests derive broken and
// impossible ones from it.
const miniScenario = `name = "mini"
description = "a small test scenario"
horizon = "12h"
trials = 40
seed = 3

[objectives]
rto = "30m"
rpo = "5m"

[regions.us-east-1]
[regions.us-west-2]

[keys.k]
multi_region = true
primary = "us-east-1"
replicas = ["us-west-2"]
users = ["app", "s3-replication"]

[app]
principal = "app"
serve = ["us-east-1"]

[tables.t]
regions = ["us-east-1", "us-west-2"]
key = "k"
writes = 10
reads = 10

[[outages]]
region = "us-east-1"
start = "uniform(1h, 4h)"
duration = "2h"

[failover]
from = "us-east-1"
to = "us-west-2"
detect = "2m"

[[failover.steps]]
name = "dns"
duration = "1m"
`

// writeScenario writes a scenario file into a temporary directory.
func writeScenario(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExitCodesAndUsage(t *testing.T) {
	mini := writeScenario(t, "mini.toml", miniScenario)
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring of stdout
		stderr     string // substring of stderr
		wantStdout bool   // stdout must be non-empty
	}{
		{"no args", nil, 2, "", "Simulate:\n  compare ", false},
		{"help", []string{"help"}, 0, "Simulate:\n  compare ", "", true},
		{"--help", []string{"--help"}, 0, "Simulate:\n  compare ", "", true},
		{"-h", []string{"-h"}, 0, "Exit codes", "", true},
		{"help run", []string{"help", "run"}, 0, "--min-probability", "", true},
		{"help unknown", []string{"help", "rum"}, 2, "", `did you mean "run"`, false},
		{"unknown command", []string{"rn", "snowy"}, 2, "", `unknown command "rn" (did you mean "run"?)`, false},
		{"run no scenario", []string{"run"}, 2, "", "want one scenario", false},
		{"run two scenarios", []string{"run", mini, mini}, 2, "", "got 2 arguments", false},
		{"run bad format", []string{"run", mini, "--format", "xml"}, 2, "", `invalid argument "xml" for "--format" flag: must be one of text, json, markdown, partial (or md, txt)`, false},
		{"run zero trials", []string{"run", mini, "--trials", "0"}, 2, "", `invalid argument "0" for "--trials" flag: must be at least 1`, false},
		{"run too many trials", []string{"run", mini, "--trials", "1e12"}, 2, "", `invalid argument "1e12" for "--trials" flag: must be at most 100,000,000 (docs/limits.md)`, false},
		{"run bad workers", []string{"run", mini, "--workers", "0"}, 2, "", `invalid argument "0" for "--workers" flag: must be at least 1`, false},
		{"run unknown flag", []string{"run", mini, "--trails", "5"}, 2, "", "drsim: run: unknown flag: --trails (did you mean --trials?)\nRun 'drsim help run' for usage.", false},
		{"run Go-style flag", []string{"run", mini, "-trials", "5"}, 2, "", "unknown shorthand flag: 't' in -trials (did you mean --trials?)", false},
		{"run negative seed", []string{"run", mini, "--seed", "-1"}, 2, "", `invalid argument "-1" for "--seed" flag: must be a whole number from 0 to 9223372036854775807, as a scenario's seed`, false},
		{"run seed beyond a file's", []string{"run", mini, "--seed", "9223372036854775808"}, 2, "", `must be a whole number from 0 to 9223372036854775807, as a scenario's seed`, false},
		{"run bad probability", []string{"run", mini, "--min-probability", "1.5", "--check"}, 2, "", "between 0 and 1", false},
		{"run min-probability without check", []string{"run", mini, "--min-probability", "0.9"}, 2, "", "run: --min-probability has no effect without --check", false},
		{"compare min-probability without check", []string{"compare", mini, mini, "--min-probability", "0.9"}, 2, "", "compare: --min-probability has no effect without --check", false},
		{"run trace-trial without trace", []string{"run", mini, "--trace-trial", "1"}, 2, "", "run: --trace-trial has no effect without --trace", false},
		{"trace trials with trial", []string{"trace", mini, "--trial", "1", "--trials", "5"}, 2, "", "trace: --trials has no effect with --trial", false},
		{"validate bad format", []string{"validate", mini, "--format", "md"}, 2, "", "must be one of text, json (or txt)\n", false},
		{"init without strategy", []string{"init", "-"}, 2, "", "init: --strategy is required: one of backup-and-restore, pilot-light, warm-standby, active-active", false},
		{"init bad strategy", []string{"init", "--strategy", "cold", "-"}, 2, "", `invalid argument "cold" for "--strategy" flag: must be one of backup-and-restore, pilot-light, warm-standby, active-active`, false},
		{"init one region", []string{"init", "--strategy", "pilot-light", "--regions", "us-east-1", "-"}, 2, "", "--regions wants two different regions", false},
		{"init bad region", []string{"init", "--strategy", "pilot-light", "--regions", "us-east-1,US_WEST", "-"}, 2, "", `"US_WEST" is not an AWS Region code`, false},
		{"completion no shell", []string{"completion"}, 2, "", "want one shell (bash, zsh, fish, powershell)", false},
		{"completion bad shell", []string{"completion", "tcsh"}, 2, "", `unknown shell "tcsh"`, false},
		{"run trace-trial out of range", []string{"run", mini, "--trials", "5", "--trace", filepath.Join(t.TempDir(), "x.jsonl"), "--trace-trial", "5"}, 2, "", "between 0 and 4", false},
		{"run missing file", []string{"run", filepath.Join(t.TempDir(), "nope.toml")}, 2, "", "nope.toml", false},
		{"run unknown bundled", []string{"run", "snowyy"}, 2, "", "snowyy", false},
		{"validate nothing", []string{"validate"}, 2, "", "want at least one scenario", false},
		{"validate ok", []string{"validate", mini}, 0, "ok: " + mini + " (mini)", "", true},
		{"list args", []string{"list", "x"}, 2, "", "takes no arguments", false},
		{"version", []string{"version"}, 0, "report schema drsim.report/v1", "", true},
		{"--version", []string{"--version"}, 0, "go go1.", "", true},
		{"compare one", []string{"compare", mini}, 2, "", "want at least two scenarios", false},
		{"trace no scenario", []string{"trace", "--trial", "1"}, 2, "", "want one scenario", false},
		{"trace negative trial", []string{"trace", mini, "--trial", "-2"}, 2, "", `trace: invalid argument "-2" for "--trial" flag: must be at least 0`, false},
		{"trace zero trials", []string{"trace", mini, "--trials", "0"}, 2, "", `trace: invalid argument "0" for "--trials" flag: must be at least 1`, false},
		{"trace bad workers", []string{"trace", mini, "--workers", "0"}, 2, "", `trace: invalid argument "0" for "--workers" flag: must be at least 1`, false},
		{"root unknown flag", []string{"--verison"}, 2, "", "drsim: unknown flag: --verison (did you mean --version?)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := drsim(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr)
			}
			if tt.wantStdout == (stdout == "") {
				t.Errorf("stdout empty = %v, want %v", stdout == "", !tt.wantStdout)
			}
			if tt.code == 2 && tt.stdout == "" && stdout != "" {
				t.Errorf("an error printed on stdout:\n%s", stdout)
			}
		})
	}
}

func TestEveryCommandHasHelpWithExamples(t *testing.T) {
	root := newRootCmd(newEnv(nil, io.Discard, io.Discard))
	names := commandNames(root)
	for _, want := range []string{"run", "compare", "validate", "trace", "init", "list", "version", "completion", "help"} {
		if !slices.Contains(names, want) {
			t.Errorf("no command %s among %q", want, names)
		}
	}
	_, mainHelp, _ := drsim(t, "help")
	for _, name := range names {
		if !strings.Contains(mainHelp, "\n  "+name+" ") {
			t.Errorf("drsim help does not list %s", name)
		}
		code, usage, _ := drsim(t, "help", name)
		if code != 0 {
			t.Errorf("drsim help %s: exit code %d", name, code)
		}
		if !strings.HasPrefix(usage, "Usage: drsim "+name) || !strings.Contains(usage, "Examples:\n  drsim ") {
			t.Errorf("usage of %s lacks the Usage line or examples:\n%s", name, usage)
		}
		if name == "help" {
			continue // "drsim help -h" is the help of help too, but "help --help" is not a command
		}
		for _, h := range []string{"-h", "--help"} {
			code, stdout, stderr := drsim(t, name, h)
			if code != 0 || stderr != "" {
				t.Errorf("drsim %s %s: exit code %d, stderr %q", name, h, code, stderr)
			}
			if stdout != usage {
				t.Errorf("drsim %s %s printed\n%s\nwant the usage of drsim help %s:\n%s", name, h, stdout, name, usage)
			}
		}
	}
}

func TestValidateReportsEveryErrorWithPosition(t *testing.T) {
	good := writeScenario(t, "good.toml", miniScenario)
	// a misspelled key on line 3 and an undeclared region further down
	badText := strings.Replace(miniScenario, `horizon = "12h"`, `horizn = "12h"`, 1)
	badText = strings.Replace(badText, `replicas = ["us-west-2"]`, `replicas = ["us-west-9"]`, 1)
	bad := writeScenario(t, "bad.toml", badText)

	code, stdout, stderr := drsim(t, "validate", good, bad)
	if code != 2 {
		t.Fatalf("exit code %d, want 2; stderr:\n%s", code, stderr)
	}
	if want := "ok: " + good + " (mini)\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	pos := regexp.MustCompile(regexp.QuoteMeta(bad) + `:3:1: .*horizn.*did you mean "horizon"`)
	if !pos.MatchString(stderr) {
		t.Errorf("stderr has no bad.toml:3:1 error for the misspelled key:\n%s", stderr)
	}
	if !strings.Contains(stderr, "us-west-9") {
		t.Errorf("stderr does not report the second error (us-west-9):\n%s", stderr)
	}
	if !strings.Contains(stderr, "1 of 2 scenarios invalid") {
		t.Errorf("stderr lacks the summary:\n%s", stderr)
	}
	// run on the same file is bad input too
	if code, _, stderr := drsim(t, "run", bad, "--trials", "5"); code != 2 || !strings.Contains(stderr, ":3:1:") {
		t.Errorf("run bad.toml: code %d, stderr:\n%s", code, stderr)
	}
}

func TestValidateBundled(t *testing.T) {
	infos := scenarios.Bundled()
	if len(infos) == 0 {
		t.Fatal("no bundled scenarios")
	}
	args := []string{"validate"}
	for _, in := range infos {
		args = append(args, in.Name)
	}
	code, stdout, stderr := drsim(t, args...)
	if code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if got := strings.Count(stdout, "ok: "); got != len(infos) {
		t.Errorf("%d ok lines, want %d:\n%s", got, len(infos), stdout)
	}
}

func TestList(t *testing.T) {
	code, stdout, _ := drsim(t, "list")
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	infos := scenarios.Bundled()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(infos) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(infos), stdout)
	}
	col := -1
	for i, in := range infos {
		if !strings.HasPrefix(lines[i], in.Name+" ") {
			t.Errorf("line %d %q does not start with %q", i, lines[i], in.Name)
		}
		c := strings.Index(lines[i], in.Description)
		if in.Description == "" || c < 0 {
			t.Errorf("line %d %q lacks the description %q", i, lines[i], in.Description)
			continue
		}
		if col >= 0 && c != col {
			t.Errorf("descriptions not aligned: column %d and %d", col, c)
		}
		col = c
	}
	for _, want := range []string{"snowy", "backup-and-restore", "pilot-light", "warm-standby", "active-active"} {
		if !regexp.MustCompile(`(?m)^` + want + ` `).MatchString(stdout) {
			t.Errorf("list lacks %s", want)
		}
	}
	if strings.Contains(stdout, "_base") {
		t.Errorf("list shows the strategies' base:\n%s", stdout)
	}
}

func TestCheck(t *testing.T) {
	impossible := writeScenario(t, "impossible.toml",
		strings.Replace(miniScenario, `rto = "30m"`, `rto = "1s"`, 1))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"run below the bar", []string{"run", impossible, "--trials", "30", "--check", "--format", "json"}, 3, "check failed: mini met its objectives (RTO 1s, RPO 5m) in 0.0% of 30 trials"},
		{"run bar at zero", []string{"run", impossible, "--trials", "30", "--check", "--min-probability", "0"}, 0, ""},
		{"compare one below", []string{"compare", impossible, "snowy", "--trials", "30", "--check", "--min-probability", "0.01"}, 3, "check failed: mini"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := drsim(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr)
			}
			if stdout == "" {
				t.Error("the report is not printed when the check fails")
			}
			if tt.code == 3 && strings.Contains(stderr, "check failed: snowy") {
				t.Errorf("snowy should pass a bar of 1%%:\n%s", stderr)
			}
		})
	}
}

// Flags may come before or after the positional arguments; after "--"
// everything is positional.
func TestFlagsAnywhere(t *testing.T) {
	_, want, _ := drsim(t, "trace", "snowy", "--trial", "3", "--seed", "5")
	if want == "" {
		t.Fatal("no trace")
	}
	for _, args := range [][]string{
		{"trace", "--trial", "3", "--seed", "5", "snowy"},
		{"trace", "--trial=3", "snowy", "--seed=5"},
		{"trace", "--seed", "5", "snowy", "--trial", "3"},
	} {
		if code, got, stderr := drsim(t, args...); code != 0 || got != want {
			t.Errorf("%q: exit code %d, stderr %q, output differs: %v", args, code, stderr, got != want)
		}
	}
	code, _, stderr := drsim(t, "validate", "--", "--quiet")
	if code != 2 || !strings.Contains(stderr, `no file "--quiet"`) {
		t.Errorf("after --, --quiet is a scenario name: code %d, stderr %q", code, stderr)
	}
}

func TestExitCode(t *testing.T) {
	list := scenarios.ErrorList{{File: "a.toml", Line: 1, Col: 2, Msg: "bad"}}
	tests := []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{"nil", nil, 0, ""},
		{"internal", errors.New("boom"), 1, "drsim: boom\n"},
		{"scenario errors", list, 2, "scenarios: a.toml:1:2: bad\n"},
		{"scenario errors quoting control characters", scenarios.ErrorList{{File: "a.toml", Line: 1, Col: 2, Msg: "bucket \"\x1b[31m\x00\nx\""}, {File: "a.toml", Line: 2, Col: 1, Msg: "b\u202e"}}, 2,
			"scenarios: a.toml:1:2: bucket \"\\x1b[31m\\x00\\nx\"\nscenarios: a.toml:2:1: b\\u202e\n"},
		{"import errors", importer.ErrorList{{File: "s.json", Line: 3, Col: 4, Msg: "bad \x1b]0;owned\x07"}}, 2, "importer: s.json:3:4: bad \\x1b]0;owned\\x07\n"},
		{"a message quoting control characters", inputError(errors.New("no file \"\x1b[2J\"")), 2, "drsim: no file \"\\x1b[2J\"\n"},
		{"wrapped scenario errors", fmt.Errorf("x: %w", list), 2, "drsim: x: scenarios: a.toml:1:2: bad\n"},
		{"usage", usageError("run", "bad %s", "flag"), 2, "drsim: run: bad flag\nRun 'drsim help run' for usage.\n"},
		{"check", silentError(3), 3, ""},
		{"input", inputError(errors.New("nope")), 2, "drsim: nope\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if code := reportError(&b, tt.err); code != tt.code {
				t.Errorf("code %d, want %d", code, tt.code)
			}
			if b.String() != tt.stderr {
				t.Errorf("printed %q, want %q", b.String(), tt.stderr)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Minute, "30m"},
		{90 * time.Minute, "1h30m"},
		{time.Hour, "1h"},
		{90 * time.Second, "1m30s"},
		{time.Second, "1s"},
		{1500 * time.Millisecond, "1.5s"},
	}
	for _, tt := range tests {
		if got := formatDuration(int64(tt.d)); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestUnknownCommandSuggestions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rn", "run"}, {"comapre", "compare"}, {"lst", "list"}, {"validat", "validate"}, {"int", "init"}, {"xyzzy", ""},
	}
	for _, tt := range tests {
		code, _, stderr := drsim(t, tt.in)
		want := fmt.Sprintf("drsim: unknown command %q (did you mean %q?)\n", tt.in, tt.want)
		if tt.want == "" {
			want = fmt.Sprintf("drsim: unknown command %q\n", tt.in)
		}
		if code != 2 || !strings.HasPrefix(stderr, want) {
			t.Errorf("drsim %s: code %d, stderr %q, want %q", tt.in, code, stderr, want)
		}
	}
}

// TestEmptyPathFlags: every flag that takes a file or a folder, of every
// command, refuses an explicit empty value (issue: an empty --out was silently
// ignored, as an unset $DIR in a script would be); a flag whose value is
// named FILE or DIR in its help must be marked as a path flag, so that a
// new one cannot be missed.
func TestEmptyPathFlags(t *testing.T) {
	root := newRootCmd(newEnv(strings.NewReader(""), io.Discard, io.Discard))
	n := 0
	for _, c := range root.Commands() {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if name, _ := pflag.UnquoteUsage(f); (name == "FILE" || name == "DIR") && !isPathFlag(f) {
				t.Errorf("%s --%s takes a %s but is not marked as a path flag", c.Name(), f.Name, name)
			}
			if !isPathFlag(f) {
				return
			}
			n++
			fresh := newRootCmd(newEnv(strings.NewReader(""), io.Discard, io.Discard))
			fc, _, err := fresh.Find([]string{c.Name()})
			if err != nil {
				t.Fatal(err)
			}
			if err := fc.ParseFlags([]string{"--" + f.Name, ""}); err != nil {
				t.Fatal(err)
			}
			err = checkPathFlags(fc)
			if err == nil || !strings.Contains(err.Error(), "--"+f.Name+": empty path") {
				t.Errorf("%s --%s '': %v", c.Name(), f.Name, err)
			}
		})
	}
	if n < 12 {
		t.Errorf("only %d path flags found", n)
	}
	code, _, stderr := drsim(t, "run", "snowy", "--trials", "5", "--out", "")
	if code != exitInput || !strings.Contains(stderr, "drsim: run: --out: empty path (an unset variable?)") {
		t.Errorf("run --out '': exit %d, %s", code, stderr)
	}
}
