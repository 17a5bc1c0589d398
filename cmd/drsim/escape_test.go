package main

import (
	"strings"
	"testing"

	"github.com/drsim/drsim/internal/escape"
)

// TestErrorsEscapeControlCharacters checks that every command prints a
// scenario error quoting control characters (here a placeholder an import
// wrote for a bucket named "\u202e\x00bad\x1b[31m", the new user's
// inj6.json) escaped, never raw: a terminal would obey them.
func TestErrorsEscapeControlCharacters(t *testing.T) {
	text := strings.Replace(miniScenario, "writes = 10", `writes = "FILL-IN: PUTs per second to bucket \u202e\u0000bad\u001b[31m"`, 1)
	path := writeScenario(t, "inj6.toml", text)
	for _, cmd := range []string{"validate", "run", "lint"} {
		t.Run(cmd, func(t *testing.T) {
			code, stdout, stderr := drsim(t, cmd, path)
			if code != 2 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if i := strings.IndexFunc(stdout+stderr, func(r rune) bool { return r != '\n' && escape.Unsafe(r) }); i >= 0 {
				t.Errorf("output holds a raw control character:\n%q", stdout+stderr)
			}
			want := `tables.t.writes: placeholder: fill in PUTs per second to bucket \u202e\x00bad\x1b[31m (set it here`
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
			if strings.Contains(stderr, "drsim: scenarios:") {
				t.Errorf("a scenario's errors are printed as validate prints them, without \"drsim: \":\n%s", stderr)
			}
		})
	}
}

// hostileName holds the runes a terminal obeys that encoding/json leaves
// raw: an 8-bit CSI (U+009B), a right-to-left override (U+202E), DEL, and
// an OSC title sequence (ESC, BEL), which JSON escapes itself.
const hostileName = "out \u009b31m \u202eRTL \u007f \x1b]0;title\x07 end"

// Every JSON drsim writes (the trace as JSON lines, --trace, lint and
// validate) escapes those runes as \u escapes, as the report's JSON does
// (issue: drsim trace and --trace kept U+009B and U+202E raw); compare's
// Markdown quotes a name with the escapes run's Markdown uses (\x07, \x9b),
// not Go's (\a, \u009b).
func TestEveryJSONEscapesUnsafeRunes(t *testing.T) {
	text := strings.Replace(miniScenario, "[[outages]]\n", "[[outages]]\nname = \""+strings.NewReplacer("\x1b", `\u001b`, "\x07", `\u0007`, "\u007f", `\u007f`).Replace(hostileName)+"\"\n", 1)
	path := writeScenario(t, "hostile.toml", text)
	trace := path + ".jsonl"
	runs := map[string][]string{
		"trace":         {"trace", path, "--trial", "0"},
		"lint json":     {"lint", path, "--format", "json"},
		"validate json": {"validate", path, "--format", "json"},
		"run --trace":   {"run", path, "--trials", "20", "--trace", trace, "--format", "json"},
	}
	for name, args := range runs {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := drsim(t, args...)
			if code != 0 && code != exitLint {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			out := stdout
			if name == "run --trace" {
				out = readAll(t, trace)
			}
			if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && escape.Unsafe(r) }); i >= 0 {
				t.Errorf("output holds raw %U: %.120q", []rune(out[i:])[0], out[max(0, i-40):])
			}
		})
	}
	t.Run("trace names the outage", func(t *testing.T) {
		_, stdout, _ := drsim(t, "trace", path, "--trial", "0")
		if !strings.Contains(stdout, `\u009b31m \u202eRTL`) {
			t.Errorf("the trace does not show the escaped name:\n%.400s", stdout)
		}
	})
	t.Run("compare markdown", func(t *testing.T) {
		_, stdout, _ := drsim(t, "compare", path, "snowy", "--trials", "20", "--format", "markdown")
		if strings.Contains(stdout, `\\a`) || strings.Contains(stdout, `\\u009b`) || !strings.Contains(stdout, `\\x9b31m`) {
			t.Errorf("compare's Markdown escapes the name unlike run's:\n%s", stdout)
		}
	})
}
