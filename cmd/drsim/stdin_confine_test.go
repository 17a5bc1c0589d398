package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A scenario on standard input extends as a file does: regular files under
// the current folder only. A named pipe there used to hang the load, and a
// link out of the folder was read.
func TestStdinExtendsConfined(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	if err := os.Mkdir(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	const secret = "SECRET-MARKER-4d1e"
	if err := os.WriteFile(filepath.Join(dir, "creds.env"), []byte("KEY="+secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(filepath.Join(proj, "fifo")); err != nil {
		t.Skipf("no named pipes: %v", err)
	}
	if err := os.Symlink("../creds.env", filepath.Join(proj, "esc")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	t.Chdir(proj)
	for ext, want := range map[string]string{
		"fifo":         "<stdin>:1:1: extends: fifo is a named pipe (FIFO), not a regular file",
		"esc":          "<stdin>:1:1: extends: esc leads, through a symbolic link, outside",
		"../creds.env": `<stdin>:1:1: extends: "../creds.env" is outside`,
		"/dev/zero":    `<stdin>:1:1: extends: "/dev/zero" is outside`,
	} {
		type result struct {
			code   int
			stderr string
		}
		done := make(chan result, 1)
		go func() {
			code, _, stderr := drsimStdin(t, "extends = \""+ext+"\"\nname = \"x\"\n", "validate", "-")
			done <- result{code, stderr}
		}()
		select {
		case r := <-done:
			if r.code != 2 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "SECRET") {
				t.Errorf("extends %q: code %d, stderr %q; want 2 and %q", ext, r.code, r.stderr, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("extends %q: validate - hangs", ext)
		}
	}
}
