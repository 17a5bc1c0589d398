package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/report/render"
)

// cancelReader cancels ctx once more than after bytes have been read
// from r: an interruption in the middle of a merge's decoding.
type cancelReader struct {
	r      io.Reader
	after  int
	cancel func()
}

func (c *cancelReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.after -= n
	if c.after < 0 {
		c.cancel()
	}
	return n, err
}

// TestMergeInterrupted: SIGINT or SIGTERM (a cancelled context) stops a
// merge, before it reads or while it decodes: exit 130, nothing written.
func TestMergeInterrupted(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "p.drsim")
	if code, _, stderr := drsim(t, "run", "snowy", "--trials", "20000", "--shard", "1/1", "--out-partial", part, "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e, stdout, stderr := testEnv("")
	if code := drsimEnv(t, ctx, e, "merge", part, "--out", out, "--quiet"); code != exitInterrupted || stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted; nothing written") {
		t.Errorf("cancelled before: exit %d, stdout %d bytes, stderr %q", code, stdout.Len(), stderr)
	}
	data, err := os.ReadFile(part)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	e, stdout, stderr = testEnv("")
	e.stdin = &cancelReader{r: bytes.NewReader(data), after: len(data) / 2, cancel: cancel}
	if code := drsimEnv(t, ctx, e, "merge", "-", "--out", out, "--format", "json", "--quiet"); code != exitInterrupted || stdout.Len() != 0 {
		t.Errorf("cancelled while decoding: exit %d, stdout %d bytes, stderr %q", code, stdout.Len(), stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an interrupted merge wrote %s", out)
	}
}

// TestMergeMessages: merge's refusals name the files, the shards and
// what differs; the same scenario read from two spellings of its path, or
// with an override that changes nothing, merges; a damaged partial is
// named with its shard and the advice to re-run it; a missing file is
// bad input; standard input works.
func TestMergeMessages(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	scn := filepath.Join(dir, "team", "s.toml")
	os.MkdirAll(filepath.Dir(scn), 0o755)
	if err := os.WriteFile(scn, []byte("extends = \"snowy\"\nname = \"child\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	shard := func(name string, args ...string) {
		t.Helper()
		if code, _, stderr := drsim(t, append(append([]string{"run", "--quiet", "--trials", "90"}, args...), "--out-partial", p(name))...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
	}
	// relative and absolute spellings of one file
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	shard("r1", "team/s.toml", "--shard", "1/3")
	_, whole, _ := drsim(t, "run", "team/s.toml", "--trials", "90", "--format", "json", "--quiet")
	os.Chdir(wd)
	shard("r2", scn, "--shard", "2/3")
	shard("r3", scn, "--shard", "3/3", "--set", "name=child") // an override that changes nothing
	shard("seed", scn, "--shard", "3/3", "--seed", "8")
	shard("other", scn, "--shard", "3/3", "--set", "failover.detect=9m")

	code, merged, stderr := drsim(t, "merge", p("r3"), p("r1"), p("r2"), "--format", "json", "--quiet")
	if code != 0 {
		t.Fatalf("paths spelt differently: exit %d: %s", code, stderr)
	}
	if merged != whole {
		t.Error("the merge of one scenario read from different paths is not the report of shard 1's run")
	}
	if !strings.Contains(stderr, "other --set overrides") {
		t.Errorf("no note of the differing overrides: %q", stderr)
	}
	for _, c := range []struct {
		files []string
		want  []string
	}{
		{[]string{"r1", "r2", "seed"}, []string{p("r1") + " (shard 1/3) has seed", p("seed") + " (shard 3/3) seed 8"}},
		{[]string{"r1", "r2", "other"}, []string{"different scenarios", p("other") + " (shard 3/3)", "different --set overrides: " + p("r1") + " with none, " + p("other") + " with --set failover.detect=9m"}},
		{[]string{"r1", "r3"}, []string{"trials 30 to 59 are missing (shard 2/3)"}},
		{[]string{"r1", "r2", "r2", "r3"}, []string{"trials 30 to 59 are in more than one partial (" + p("r2") + " (shard 2/3) and " + p("r2") + " (shard 2/3))"}},
		{[]string{"missing"}, []string{"no such file"}},
	} {
		args := []string{"merge", "--quiet"}
		for _, f := range c.files {
			args = append(args, p(f))
		}
		code, _, stderr := drsim(t, args...)
		if code != exitInput {
			t.Errorf("%v: exit %d, want 2: %s", c.files, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", c.files, stderr, w)
			}
		}
	}

	// damaged: cut short (the gzip trailer or the data), or a byte changed
	data, err := os.ReadFile(p("r2"))
	if err != nil {
		t.Fatal(err)
	}
	flip := bytes.Clone(data)
	flip[len(flip)/2] ^= 0x55
	for name, b := range map[string][]byte{"cut1": data[:len(data)-1], "cut12": data[:len(data)-12], "half": data[:len(data)/2], "flip": flip} {
		if err := os.WriteFile(p(name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := drsim(t, "merge", p("r1"), p(name), p("r3"), "--quiet")
		want := p(name) + ": damaged or truncated partial (shard 2/3): "
		if name == "flip" {
			want = p(name) + ": damaged or truncated partial"
		}
		if code != exitInput || !strings.Contains(stderr, want) || !strings.Contains(stderr, "re-run that shard") || strings.Contains(stderr, "bytes after") {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}

	// standard input, and a partial written to standard output
	code, out, _ := drsim(t, "run", scn, "--trials", "90", "--format", "partial", "--quiet")
	if code != 0 {
		t.Fatal(code)
	}
	_, whole, _ = drsim(t, "run", scn, "--trials", "90", "--format", "json", "--quiet")
	if code, got, stderr := drsimStdin(t, out, "merge", "-", "--format", "json", "--quiet"); code != 0 || got != whole {
		t.Errorf("merge -: exit %d (%s), same report: %v", code, stderr, got == whole)
	}
}

// TestMergeRefusesOtherBuilds: a partial written by another drsim build
// is refused, naming both builds.
func TestMergeRefusesOtherBuilds(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	for i, name := range []string{"a", "b"} {
		if code, _, stderr := drsim(t, "run", "snowy", "--trials", "10", "--shard", []string{"1/2", "2/2"}[i], "--out-partial", p(name), "--quiet"); code != 0 {
			t.Fatal(stderr)
		}
	}
	// rewrite b's header as another build would have written it
	b := rewritePartial(t, p("b"), func(s string) string {
		return strings.Replace(s, `"drsim":"drsim `, `"drsim":"drsim v9.9.9; drsim `, 1)
	})
	if err := os.WriteFile(p("b"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := drsim(t, "merge", p("a"), p("b"), "--quiet")
	if code != exitInput || !strings.Contains(stderr, "different drsim builds") || !strings.Contains(stderr, "v9.9.9") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// rewritePartial returns the partial at path with its decompressed
// content passed through edit (which must keep the header's length).
func rewritePartial(t *testing.T, path string, edit func(string) string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// the header's length is a uvarint after the magic line: rebuild it
	nl := bytes.IndexByte(raw, '\n') + 1
	n, w := uvarint(raw[nl:])
	hdr := edit(string(raw[nl+w : nl+w+int(n)]))
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(raw[:nl])
	zw.Write(appendUvarint(nil, uint64(len(hdr))))
	zw.Write([]byte(hdr))
	zw.Write(raw[nl+w+int(n):])
	zw.Close()
	return out.Bytes()
}

func uvarint(b []byte) (uint64, int) { return binary.Uvarint(b) }

func appendUvarint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }

// TestOutputIsInput: an output path that is one of the command's inputs
// (the scenario file, a partial), however spelt, is refused before any
// work, and the input is left as it was.
func TestOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	scn := p("my.toml")
	if err := os.WriteFile(scn, []byte("extends = \"snowy\"\nname = \"mine\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := drsim(t, "run", scn, "--trials", "10", "--shard", "1/1", "--out-partial", p("a.drsim"), "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	before := map[string]string{scn: readAll(t, scn), p("a.drsim"): readAll(t, p("a.drsim"))}
	for _, args := range [][]string{
		{"run", scn, "--trials", "10", "--per-trial", scn},
		{"run", scn, "--trials", "10", "--shard", "1/2", "--out-partial", filepath.Join(dir, ".", "my.toml")},
		{"run", scn, "--trials", "10", "--trace", scn},
		{"merge", p("a.drsim"), "--per-trial", p("a.drsim")},
	} {
		code, _, stderr := drsim(t, append(args, "--quiet")...)
		if code != exitInput || !strings.Contains(stderr, "is the input") || !strings.Contains(stderr, "refusing to overwrite it") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	// --out whose report.json is the input
	os.MkdirAll(p("out"), 0o755)
	in := filepath.Join(p("out"), "report.json")
	if err := os.WriteFile(in, []byte(before[scn]), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := drsim(t, "run", in, "--trials", "10", "--out", p("out"), "--quiet"); code != exitInput || !strings.Contains(stderr, "would replace the input") {
		t.Errorf("--out over the input: exit %d, stderr %q", code, stderr)
	}
	cmpIn := filepath.Join(p("out"), render.CompareJSON)
	if err := os.WriteFile(cmpIn, []byte(before[scn]), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := drsim(t, "compare", cmpIn, "snowy", "--trials", "10", "--out", p("out"), "--quiet"); code != exitInput || !strings.Contains(stderr, "would replace the input") {
		t.Errorf("compare --out over the input: exit %d, stderr %q", code, stderr)
	}
	for f, want := range before {
		if readAll(t, f) != want {
			t.Errorf("%s was changed", f)
		}
	}
}

// TestOutputIsExtendedBase: a file the scenario extends (directly or
// through another base) is an input too: every output flag that names it,
// and an --out folder whose report would replace it, is refused before any
// trial, with exit 2 and a message naming the base and the flag, and the
// base is left as it was.
func TestOutputIsExtendedBase(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	files := map[string]string{
		"base.toml":        "extends = \"snowy\"\nname = \"base\"\n",
		"mid.toml":         "extends = \"base.toml\"\nname = \"mid\"\n",
		"del.toml":         "extends = \"mid.toml\"\nname = \"del\"\n",
		"out/report.json":  "extends = \"snowy\"\nname = \"in-out\"\n",
		"top.toml":         "extends = \"out/report.json\"\nname = \"top\"\n",
		"cmp/compare.json": "extends = \"snowy\"\nname = \"in-cmp\"\n",
		"ctop.toml":        "extends = \"cmp/compare.json\"\nname = \"ctop\"\n",
	}
	for name, text := range files {
		os.MkdirAll(filepath.Dir(p(name)), 0o755)
		if err := os.WriteFile(p(name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", p("del.toml"), "--per-trial", p("base.toml")}, []string{"--per-trial", "base.toml (extended by " + p("del.toml")}},
		{[]string{"run", p("del.toml"), "--per-trial", p("mid.toml")}, []string{"--per-trial", "mid.toml (extended by"}},
		{[]string{"run", p("del.toml"), "--trace", filepath.Join(dir, ".", "base.toml")}, []string{"--trace", "base.toml (extended by"}},
		{[]string{"run", p("del.toml"), "--shard", "1/2", "--out-partial", p("base.toml")}, []string{"--out-partial", "base.toml (extended by"}},
		{[]string{"run", p("top.toml"), "--out", p("out")}, []string{"--out", "report.json (extended by"}},
		{[]string{"compare", p("ctop.toml"), "snowy", "--out", p("cmp")}, []string{"--out", "compare.json (extended by"}},
	} {
		code, stdout, stderr := drsim(t, append(tc.args, "--trials", "10", "--quiet")...)
		if code != exitInput || stdout != "" || !strings.Contains(stderr, "refusing to overwrite it") && !strings.Contains(stderr, "would replace") {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, stderr, w)
			}
		}
	}
	for name, want := range files {
		if readAll(t, p(name)) != want {
			t.Errorf("%s was changed", name)
		}
	}
}

// TestMergeMemoryCheck: merge checks its memory estimate (that of the
// unsharded run) before decoding, and stops with exit 6 like run.
func TestMergeMemoryCheck(t *testing.T) {
	part := filepath.Join(t.TempDir(), "p.drsim")
	if code, _, stderr := drsim(t, "run", "snowy", "--trials", "1000", "--shard", "1/1", "--out-partial", part, "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	e, stdout, stderr := testEnv("")
	e.memory = func() (uint64, bool) { return 32 << 20, true }
	if code := drsimEnv(t, context.Background(), e, "merge", part, "--quiet"); code != exitMemory || stdout.Len() != 0 || !strings.Contains(stderr.String(), "merge: 1,000 trials need about") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
