package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Error messages name no internal package (atomicfile, whatif, os.Root's
// wording), say what was expected, carry the drsim: prefix on every line
// that is drsim's own, and suggest the nearest value of a flag that takes
// one of a few words (issue 15's new-user report, item 13).
func TestMessagesForUsers(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "dirt")
	os.Mkdir(folder, 0o755)
	extends := filepath.Join(dir, "ext.toml")
	os.WriteFile(extends, []byte("extends = \"../../../../../../../../dev/stdin\"\n"), 0o644)
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		want   []string
		refuse []string
	}{
		{"format", "", []string{"run", "snowy", "--format", "jsn"}, exitInput, []string{`did you mean "json"?`}, nil},
		{"strategy", "", []string{"init", "--strategy", "pilot-lite"}, exitInput, []string{`did you mean "pilot-light"?`}, nil},
		{"fail-on", "", []string{"lint", "snowy", "--fail-on", "warn"}, exitInput, []string{`did you mean "warning"?`}, nil},
		{"no near value", "", []string{"lint", "snowy", "--fail-on", "xyz"}, exitInput, []string{"must be one of error, warning, info"}, []string{"did you mean"}},
		{"init into a folder", "", []string{"init", "--force", "--strategy", "pilot-light", folder}, exitIO, []string{"drsim: init: " + folder + " is a folder, not a file"}, []string{"atomicfile"}},
		{"sweep", "", []string{"sweep", "snowy", "--vary", "objectives.rpo=5m,15m", "--vary", "objectives.rpo=1m,2m"}, exitInput, []string{"drsim: sweep: --vary #1 objectives.rpo and --vary #2"}, []string{"whatif"}},
		{"validate a folder", "", []string{"validate", dir}, exitInput, []string{dir + " is a folder; want a scenario file (.toml) or a bundled scenario's name"}, []string{"is a directory"}},
		{"extends a link out", "", []string{"validate", "--root", "/", extends}, exitInput, []string{"/dev/stdin is a symbolic link that leads outside"}, []string{"path escapes from parent"}},
		{"stdin twice", "x", []string{"compare", "-", "-"}, exitInput, []string{"\ndrsim: standard input (-) can be read only once"}, []string{"drsim: drsim:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := drsimStdin(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			for _, r := range tt.refuse {
				if strings.Contains(stderr, r) {
					t.Errorf("stderr has %q:\n%s", r, stderr)
				}
			}
		})
	}
}
