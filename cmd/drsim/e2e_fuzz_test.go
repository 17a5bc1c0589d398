package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/render"
	"github.com/drsim/drsim/scenarios"
)

// e2eBudget bounds the whole pipeline of one input of FuzzScenario: load,
// run with every output, compare with itself, trace, lint in each format.
// Three trials of any scenario that loads take milliseconds; the budget
// leaves room for the race detector and a loaded machine, and is far
// below the 10 s the hardening issue allows a full run of a hostile input.
const e2eBudget = 10 * time.Second

// e2eMaxInput keeps each fuzzed scenario small: the limits on a file's
// text have their own targets (FuzzParse, FuzzLimitScan in scenarios).
const e2eMaxInput = 64 << 10

// e2eSeedDirs are the folders of scenarios FuzzScenario is seeded with,
// each copied into the fuzz project under its tag, so that a seed's
// relative extends ("_base.toml") still finds its base there.
var e2eSeedDirs = []struct{ tag, dir string }{
	{"testdata", "../../scenarios/testdata"},
	{"hostile", "../../scenarios/testdata/hostile"},
	{"extends", "../../scenarios/testdata/extends"},
	{"errors", "../../scenarios/testdata/errors"},
	{"findings", "../../findings/testdata"},
	{"cases", "testdata/cases"},
}

// extendsLine matches an extends line of a seed, to point it at the copy
// of its base.
var extendsLine = regexp.MustCompile(`(?m)^extends\s*=\s*"([^"]*)"`)

// e2eProject makes the folder FuzzScenario loads its inputs from: a copy
// of every seed folder (and of the bundled files) under its tag, so that
// inputs can extend any of their bases. It returns the folder and the
// seeds, their relative extends rewritten to the copies.
func e2eProject(f *testing.F) (string, [][]byte) {
	proj := f.TempDir()
	var seeds [][]byte
	add := func(tag, name string, data []byte, exists func(string) bool) {
		data = extendsLine.ReplaceAllFunc(data, func(m []byte) []byte {
			target := string(extendsLine.FindSubmatch(m)[1])
			if !exists(target) {
				return m // a bundled name, or a file that is missing on purpose
			}
			return []byte(`extends = "` + path.Join(tag, path.Dir(name), target) + `"`)
		})
		seeds = append(seeds, data)
	}
	// the bundled scenarios, bases included
	bundled := scenarios.BundledFS()
	_ = fs.WalkDir(bundled, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".toml" {
			return nil
		}
		data, err := fs.ReadFile(bundled, p)
		if err != nil {
			f.Fatal(err)
		}
		dst := filepath.Join(proj, "bundled", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			f.Fatal(err)
		}
		add("bundled", p, data, func(target string) bool {
			_, err := fs.Stat(bundled, path.Join(path.Dir(p), target))
			return err == nil
		})
		return nil
	})
	for _, sd := range e2eSeedDirs {
		_ = filepath.WalkDir(sd.dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".toml" {
				return nil
			}
			rel, _ := filepath.Rel(sd.dir, p)
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			dst := filepath.Join(proj, sd.tag, rel)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				f.Fatal(err)
			}
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				f.Fatal(err)
			}
			if len(data) > e2eMaxInput || sd.tag == "testdata" && strings.Contains(filepath.ToSlash(rel), "/") {
				return nil // the big files, and the subfolders seeded under their own tag
			}
			add(sd.tag, filepath.ToSlash(rel), data, func(target string) bool {
				st, err := os.Stat(filepath.Join(filepath.Dir(p), target))
				return err == nil && !st.IsDir()
			})
			return nil
		})
	}
	// the hostile values of issue 14 written into a small scenario
	snowy, err := fs.ReadFile(bundled, "snowy.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range []string{
		"trials = 2147483647", `horizon = "36500d"`, `horizon = "106751d"`, `extends = "/dev/zero"`,
		`extends = "../outside/creds.env"`, `extends = "/etc/passwd"`, `extends = "snowy"`,
		`extends = "hostile/_snowy.toml"`,
	} {
		seeds = append(seeds, []byte(line+"\n"+string(snowy)))
	}
	for _, tail := range []string{
		"\n[prices]\nkms_key_month = 1e308\n", "\n[costs.monthly]\na = 1e308\nb = 1e308\n",
		"\n[regions.us-west-2]\nkms_rps = 1e30\n",
	} {
		seeds = append(seeds, []byte(string(snowy)+tail))
	}
	// a named pipe and another program's TOML beside the input, which
	// extends must refuse without reading or quoting them
	_ = mkfifo(filepath.Join(proj, "fifo"))
	if err := os.WriteFile(filepath.Join(proj, "foreign.toml"), []byte("[database]\npassword = \"hunter2\"\nregion = \"eu-mars-1\"\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	for _, line := range []string{`extends = "fifo"`, `extends = "foreign.toml"`} {
		seeds = append(seeds, []byte(line+"\n"+string(snowy)))
	}
	// hostile strings of issue 14 in names and descriptions: terminal
	// escapes (colours, an OSC window title, a bidi override) and HTML and
	// links for Markdown
	for _, hostile := range []string{
		`\u001b]0;pwned\u0007\u001b[31mred\u001b[0m \u009b31m`,
		`\u202eevil\u0000\u007f\u200f Monthly cost: $0.00`,
		`\u0085\u2028x\r\tMonthly cost: $0.00`,
		`<script>alert(1)</script><img src=x onerror='alert(1)'><iframe src=x>`,
		`[click](javascript:alert(1)) ![i](http://x/y.png) <javascript:alert(1)> <a href=x>`,
	} {
		text := strings.Replace(string(snowy), "\ndescription = \"", "\ndescription = \""+hostile, 1)
		text = strings.Replace(text, `name = "us-east-1 regional outage"`, `name = "outage `+hostile+`"`, 1)
		seeds = append(seeds, []byte(text))
	}
	return proj, seeds
}

// FuzzScenario runs a fuzzed scenario end to end, as a user would. It is
// loaded from a file in a project folder, beside copies of every bundled
// and testdata scenario it may extend (seeded with all of them and with
// the hostile shapes of issue 14). A scenario that does not load must be
// refused by validate as bad input. One that loads runs 3 trials through
// the command line (run with --per-trial and --trace and the JSON report
// on stdout, compare with itself, trace of one trial, lint as SARIF), and
// through every renderer in memory: the report as JSON, text, Markdown,
// HTML and CSV, its charts as SVG, the comparison with itself in each
// format with its charts, the static findings as text, JSON and SARIF.
// Every command must succeed (lint may report findings), the JSON must
// decode with the invariants of checkReport, the comparison with itself
// must show no difference, and the whole must end within e2eBudget and
// e2eMaxHeap.
//
//	go test ./cmd/drsim -run '^$' -fuzz '^FuzzScenario$' -fuzztime 60s
func FuzzScenario(f *testing.F) {
	proj, seeds := e2eProject(f)
	for _, s := range seeds {
		f.Add(s)
	}
	file := filepath.Join(proj, "fuzz.toml")
	f.Fuzz(func(t *testing.T, text []byte) {
		if len(text) > e2eMaxInput {
			return
		}
		if err := os.WriteFile(file, text, 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		done := make(chan error, 1)
		ctx, cancel := context.WithTimeout(context.Background(), e2eBudget)
		defer cancel()
		go func() { done <- e2eRun(ctx, file, out) }()
		if err := e2eWait(done, text); err != nil {
			t.Fatalf("%v\nscenario:\n%s", err, text)
		}
	})
}

// e2eMaxHeap bounds the heap of a fuzz worker running one input: the
// pipeline of a small scenario needs a few tens of MB.
const e2eMaxHeap = 2 << 30

// e2eWait waits for the pipeline to report on done. A pipeline that runs
// past e2eBudget (by 5 s: the commands stop their trials at the budget),
// or whose heap grows beyond e2eMaxHeap, cannot be stopped from outside:
// e2eWait writes input (what the pipeline was given) and every goroutine's
// stack on stderr, showing where it was, and panics, which ends the
// process (a fuzz worker: the input is kept as a failure).
func e2eWait(done <-chan error, input []byte) error {
	start := time.Now()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			var why string
			if el := time.Since(start); el > e2eBudget+5*time.Second {
				why = fmt.Sprintf("the pipeline is still running after %v (budget %v)", el.Round(time.Millisecond), e2eBudget)
			} else if metrics.Read(sample); sample[0].Value.Uint64() > e2eMaxHeap {
				why = fmt.Sprintf("the heap reached %d MiB (bound %d MiB) after %v", sample[0].Value.Uint64()>>20, e2eMaxHeap>>20, el.Round(time.Millisecond))
			}
			if why != "" {
				stacks := make([]byte, 1<<20)
				stacks = stacks[:runtime.Stack(stacks, true)]
				fmt.Fprintf(os.Stderr, "%s\ninput:\n%s\n\n%s\n", why, input, stacks)
				panic(why)
			}
		}
	}
}

// e2eRun loads file and, when it loads, runs drsim on it with 3 trials:
// run, compare with itself, trace and lint through the command line, and
// every renderer of the report and of the comparison in memory. It
// returns what went wrong, nil when nothing did. out is a folder for the
// files the commands write.
func e2eRun(ctx context.Context, file, out string) error {
	cfg, loc, err := scenarios.ResolveLocated(file)
	if err != nil {
		// the CLI must say it is bad input, and say why
		code, _, stderr := e2eDrsim(ctx, "validate", file)
		if code != exitInput || stderr == "" {
			return fmt.Errorf("validate of a scenario that does not load (%v): exit %d, stderr %q", err, code, stderr)
		}
		return nil
	}
	seed := fmt.Sprint(cfg.Seed)
	common := []string{"--trials", "3", "--seed", seed, "--workers", "1", "--quiet"}
	csvPath, tracePath := filepath.Join(out, "trials.csv"), filepath.Join(out, "trace.jsonl")
	steps := []struct {
		args  []string
		codes []int
	}{
		{append([]string{"run", file, "--format", "json", "--per-trial", csvPath, "--trace", tracePath}, common...), []int{exitOK}},
		{append([]string{"compare", file, file, "--format", "text"}, common...), []int{exitOK}},
		{[]string{"trace", file, "--trial", "2", "--seed", seed}, []int{exitOK}},
		{[]string{"lint", file, "--format", "sarif"}, []int{exitOK, exitLint}},
	}
	for _, s := range steps {
		code, stdout, stderr := e2eDrsim(ctx, s.args...)
		cmd := "drsim " + strings.Join(s.args, " ")
		if !slices.Contains(s.codes, code) {
			return fmt.Errorf("%s: exit %d, want %v\nstderr:\n%s", cmd, code, s.codes, stderr)
		}
		switch s.args[0] {
		case "run":
			var r report.Report
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				return fmt.Errorf("%s: the JSON report does not decode: %v", cmd, err)
			}
			if err := checkReport(&r, 3); err != nil {
				return fmt.Errorf("%s: %v", cmd, err)
			}
			if err := checkJSONLines(string(readBytes(tracePath))); err != nil {
				return fmt.Errorf("%s: --trace: %v", cmd, err)
			}
			if csv := readBytes(csvPath); bytes.Count(csv, []byte("\n")) != 4 {
				return fmt.Errorf("%s: --per-trial has %d lines, want a header and 3 trials", cmd, bytes.Count(csv, []byte("\n")))
			}
		case "trace":
			if err := checkJSONLines(stdout); err != nil {
				return fmt.Errorf("%s: %v", cmd, err)
			}
		case "compare", "lint":
			if stdout == "" || s.args[0] == "lint" && !json.Valid([]byte(stdout)) {
				return fmt.Errorf("%s: stdout %q", cmd, stdout)
			}
		}
	}

	// every renderer, in memory (the command line writes the same through
	// render.WriteAll; PNG is left out: the same drawing as SVG on another
	// canvas, at ten times the cost)
	s := simulate(cfg, cfg.Seed, 3, 1)
	fs := findings.Static(cfg, loc)
	s.report.SetFindings(fs)
	var b bytes.Buffer
	charts, omitted, err := chart.ForReport(s.report)
	if err != nil {
		return fmt.Errorf("charts: %v", err)
	}
	for _, c := range charts {
		if err := c.WriteSVG(&b); err != nil {
			return fmt.Errorf("chart %s: %v", c.Name, err)
		}
	}
	if len(charts) == 0 && len(omitted) == 0 {
		return fmt.Errorf("charts: none drawn and none omitted")
	}
	s2 := simulate(cfg, cfg.Seed, 3, 1)
	cmp := report.Compare([]report.CompareInput{{Cfg: s.cfg, Trials: s.trials, Report: s.report}, {Cfg: s2.cfg, Trials: s2.trials, Report: s2.report}})
	cmpCharts, cmpOmitted, err := chart.ForComparison(cmp)
	if err != nil {
		return fmt.Errorf("comparison charts: %v", err)
	}
	for _, c := range cmpCharts {
		if err := c.WriteSVG(&b); err != nil {
			return fmt.Errorf("comparison chart %s: %v", c.Name, err)
		}
	}
	files := []findings.FileFindings{{File: file, Scenario: cfg.Name, Findings: fs}}
	for name, write := range map[string]func(io.Writer) error{
		"json":             func(w io.Writer) error { return report.WriteJSON(w, s.report) },
		"text":             func(w io.Writer) error { return render.WriteText(w, s.report) },
		"markdown":         func(w io.Writer) error { return render.WriteMarkdown(w, s.report) },
		"html":             func(w io.Writer) error { return render.WriteHTML(w, s.report, charts, omitted) },
		"csv":              func(w io.Writer) error { return report.WriteTrialsCSV(w, s.trials) },
		"trace":            func(w io.Writer) error { return writeTrace(w, s.traceTrial(1)) },
		"compare json":     func(w io.Writer) error { return report.WriteCompareJSON(w, cmp) },
		"compare text":     func(w io.Writer) error { return render.WriteCompareText(w, cmp) },
		"compare markdown": func(w io.Writer) error { return render.WriteCompareMarkdown(w, cmp) },
		"compare html":     func(w io.Writer) error { return render.WriteCompareHTML(w, cmp, cmpCharts, cmpOmitted) },
		"findings text":    func(w io.Writer) error { return findings.WriteText(w, fs) },
		"findings json":    func(w io.Writer) error { return findings.WriteJSON(w, files) },
		"findings sarif": func(w io.Writer) error {
			return findings.WriteSARIF(w, files, findings.SARIFOptions{BaseDir: filepath.Dir(file)})
		},
	} {
		b.Reset()
		if err := write(&b); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		if b.Len() == 0 && name != "findings text" && name != "trace" {
			return fmt.Errorf("%s: empty", name)
		}
		if strings.HasSuffix(name, "json") || name == "findings sarif" {
			if !json.Valid(b.Bytes()) {
				return fmt.Errorf("%s: not JSON", name)
			}
		}
		if err := checkEscaped(name, b.String()); err != nil {
			return err
		}
	}
	// the two runs are the same trials: every paired difference is zero
	if len(cmp.Scenarios) != 2 || cmp.Scenarios[1].VsBaseline == nil {
		return fmt.Errorf("compare with itself: %d scenarios, the second without differences", len(cmp.Scenarios))
	}
	d := cmp.Scenarios[1].VsBaseline
	for _, x := range []report.Diff{d.RTOSeconds, d.RPOSeconds, d.LostWrites, d.KMSFailures, d.MeetBoth} {
		if x.Mean != nil && *x.Mean != 0 {
			return fmt.Errorf("compare with itself: a paired difference is not zero: %+v", *d)
		}
	}
	if d.MonthlyUSD != 0 {
		return fmt.Errorf("compare with itself: monthly cost differs by %g", d.MonthlyUSD)
	}
	return nil
}

// checkEscaped checks that the output called name (as in e2eRun) passes
// no user string raw: text, Markdown and HTML hold no control, bidi or
// separator character (a tab only in HTML), and Markdown no HTML element
// that runs or loads anything (drsim writes no HTML in Markdown).
func checkEscaped(name, out string) error {
	kind := name[strings.LastIndex(name, " ")+1:]
	switch kind {
	case "text", "markdown", "html":
	default:
		return nil
	}
	for i, r := range out {
		if r != '\n' && escape.Unsafe(r) && (r != '\t' || kind != "html") {
			return fmt.Errorf("%s: raw %U at byte %d: %q", name, r, i, out[max(0, i-30):min(len(out), i+10)])
		}
	}
	if kind == "markdown" {
		low := strings.ToLower(out)
		for _, bad := range []string{"<script", "<img", "<iframe", "<a "} {
			if i := strings.Index(low, bad); i >= 0 {
				return fmt.Errorf("%s: raw %s: %q", name, bad, out[i:min(len(out), i+40)])
			}
		}
	}
	return nil
}

// e2eDrsim runs drsim with args and ctx, with a fixed machine memory (so
// that the memory check does not depend on the machine) and no standard
// input.
func e2eDrsim(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	e := newEnv(strings.NewReader(""), &out, &errb)
	e.memory = func() (uint64, bool) { return 16 << 30, true }
	e.workers = 1
	code = reportError(&errb, e.run(ctx, args))
	return code, out.String(), errb.String()
}

// checkJSONLines checks that every line of s is a JSON object.
func checkJSONLines(s string) error {
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if line == "" && s == "" {
			break
		}
		if !json.Valid([]byte(line)) || !strings.HasPrefix(line, "{") {
			return fmt.Errorf("line %d is not a JSON object: %q", i+1, line)
		}
	}
	return nil
}

func readBytes(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}
