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
