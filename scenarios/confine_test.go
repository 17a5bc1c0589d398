package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// secret is written into every file a scenario must not be able to quote.
const secret = "SECRET-MARKER-7f3a9c"

// confineTree lays out a project folder and its surroundings for the
// extends confinement tests, and returns the project folder (the root).
//
//	outside/creds.env, outside/real.toml (a scenario outside the root)
//	proj/base.toml, sub/child.toml (extends "../base.toml"), bad-base.toml
//	proj/foreign*.toml (not scenarios, each holding the secret)
//	proj/fifo, proj/dir/, proj/esc, proj/esc-dir, proj/ok-link, proj/dangling
func confineTree(t *testing.T) (dir, proj string) {
	t.Helper()
	dir = t.TempDir()
	proj = filepath.Join(dir, "proj")
	for _, d := range []string{"outside", "proj/sub", "proj/dir"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	base, err := os.ReadFile("testdata/extends/base.toml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"outside/creds.env":        "AWS_SECRET_ACCESS_KEY=" + secret + "\n",
		"outside/real.toml":        string(base),
		"proj/base.toml":           string(base),
		"proj/sub/child.toml":      "extends = \"../base.toml\"\nname = \"child\"\n",
		"proj/bad-base.toml":       "name = \"bad-base\"\nhorizon = \"1h\"\ncolour = \"" + secret + "\"\n[regions.eu-west-1]\n",
		"proj/broken-base.toml":    "name = \"broken\"\nhorizon = \"1h\"\nx = \"" + secret + "\n",
		"proj/foreign.toml":        "region = \"" + secret + "\"\n[database]\npassword = \"" + secret + "\"\n",
		"proj/foreign-name.toml":   "name = \"" + secret + "\"\n[regions." + secret + "]\n",
		"proj/foreign-broken.toml": "password: " + secret + "\n",
		"proj/foreign-big.toml":    "password = \"" + secret + "\"\n# " + strings.Repeat(secret, MaxFileSize/len(secret)) + "\n",
		"proj/foreign-deep.toml":   secret + " = 1\n[a" + strings.Repeat(".a", 40) + "]\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"proj/esc":      "../outside/creds.env",
		"proj/esc-abs":  filepath.Join(dir, "outside/real.toml"),
		"proj/esc-dir":  "../outside",
		"proj/ok-link":  "base.toml",
		"proj/dangling": "nothing.toml",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	if err := mkfifo(filepath.Join(proj, "fifo")); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	return dir, proj
}

// TestExtendsConfined: extends reads regular files under the root only, and
// errors never quote a file that is not a drsim scenario. Every refusal is
// positioned at the extends that names the file, and comes back at once
// (a named pipe or /dev/zero used to hang the load).
func TestExtendsConfined(t *testing.T) {
	dir, proj := confineTree(t)
	tests := []struct {
		name    string // the case, and the file written into proj
		extends string
		root    string // WithRoot; "" for the default (proj)
		want    string // a regexp on the errors; "" when it loads
	}{
		{"dotdot", "../outside/creds.env", "", `extends: "\.\./outside/creds\.env" is outside the folder of .*ext-\w+\.toml \(give a root with --root to widen it\)$`},
		{"dotdot-scenario", "../outside/real.toml", "", `extends: "\.\./outside/real\.toml" is outside`},
		{"absolute", filepath.Join(dir, "outside/creds.env"), "", `is outside the folder of .*ext-\w+\.toml \(give a root with --root to widen it\)$`},
		{"etc-passwd", "/etc/passwd", "", `extends: "/etc/passwd" is outside`},
		{"dev-zero", "/dev/zero", "", `extends: "/dev/zero" is outside`},
		{"dev-zero-root", "/dev/zero", "/", `extends: /dev/zero is a character device, not a regular file`},
		{"etc-passwd-root", "/etc/passwd", "/", `extends: "/etc/passwd" is not a drsim scenario \(a scenario has its own name and a horizon, and this file is not valid TOML\); nothing of it is shown`},
		{"fifo", "fifo", "", `extends: .*fifo is a named pipe \(FIFO\), not a regular file`},
		{"folder", "dir", "", `extends: .*dir is a folder, not a regular file`},
		{"symlink-out", "esc", "", `extends: .*esc leads, through a symbolic link, outside the folder of .*ext-symlink-out\.toml \(give a root with --root to widen it\)$`},
		{"symlink-abs-out", "esc-abs", "", `extends: .*esc-abs leads, through a symbolic link, outside the folder of`},
		{"symlink-dir-out", "esc-dir/creds.env", "", `extends: .*esc-dir/creds\.env leads, through a symbolic link, outside the folder of`},
		{"symlink-dangling", "dangling", "", `extends: no file "dangling" next to`},
		{"symlink-in", "ok-link", "", ""},
		{"subfolder", "sub/child.toml", "", ""},
		{"foreign", "foreign.toml", "", `extends: "foreign\.toml" is not a drsim scenario \(a scenario has its own name and a horizon, and this file lacks them\); nothing of it is shown`},
		{"foreign-name", "foreign-name.toml", "", `"foreign-name\.toml" is not a drsim scenario .*lacks them`},
		{"foreign-broken", "foreign-broken.toml", "", `"foreign-broken\.toml" is not a drsim scenario .*is not valid TOML`},
		{"foreign-big", "foreign-big.toml", "", `"foreign-big\.toml" is not a drsim scenario .*is beyond the limits on a file`},
		{"foreign-deep", "foreign-deep.toml", "", `"foreign-deep\.toml" is not a drsim scenario .*is beyond the limits on a file`},
		{"root-wider", "../outside/real.toml", dir, ""},
		{"bad-root", "none/base.toml", filepath.Join(proj, "none"), `extends: cannot open .*proj/none \(the root extends reads from\): no such file or directory$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(proj, "ext-"+tt.name+".toml")
			text := "extends = " + quoteTOML(tt.extends) + "\nname = \"x\"\n"
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			var opts []Option
			if tt.root != "" {
				opts = append(opts, WithRoot(tt.root))
			}
			done := make(chan error, 1)
			go func() { _, err := Resolve(file, opts...); done <- err }()
			var err error
			select {
			case err = <-done:
			case <-time.After(hostileTimeout):
				t.Fatal("the load hangs")
			}
			checkNoLeak(t, err)
			if tt.want == "" {
				if err != nil && !strings.Contains(err.Error(), "required") {
					t.Fatalf("want it to load, got %v", err)
				}
				return
			}
			if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("%T, want an ErrorList", err)
			}
			if list[0].File != file || list[0].Line != 1 || list[0].Col != 1 || list[0].Path != "extends" {
				t.Errorf("not positioned at the extends: %+v", list[0])
			}
		})
	}
}

// checkNoLeak fails when err quotes any part of the files that are not
// drsim scenarios.
func checkNoLeak(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []string{"SECRET", "MARKER", "7f3a9c", "password", "database", "root:x"} {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("the error leaks %q:\n%v", s, err)
		}
	}
}

// A base that is a drsim scenario gets every error, content included, at
// its own positions.
func TestExtendsScenarioBaseErrors(t *testing.T) {
	_, proj := confineTree(t)
	for base, want := range map[string]string{
		"bad-base.toml":    `bad-base.toml:3:1: colour: unknown key`,
		"broken-base.toml": `broken-base.toml:3:\d+: TOML syntax:`,
	} {
		file := filepath.Join(proj, "ext-"+base)
		if err := os.WriteFile(file, []byte("extends = \""+base+"\"\nname = \"x\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(file)
		if err == nil || !regexp.MustCompile(want).MatchString(err.Error()) {
			t.Errorf("%s: got %v, want %s", base, err, want)
		}
	}
}

// Parse asks its reader only for paths under the root.
func TestParseConfined(t *testing.T) {
	var asked []string
	read := func(p string) ([]byte, error) {
		asked = append(asked, p)
		return nil, os.ErrNotExist
	}
	for _, ext := range []string{"../up.toml", "/etc/passwd", "a/../../up.toml"} {
		_, err := Parse("dir/x.toml", []byte("extends = "+quoteTOML(ext)+"\nname = \"x\"\n"), read)
		if err == nil || !strings.Contains(err.Error(), "dir/x.toml:1:1: extends: "+quoteTOML(ext)+" is outside the folder of dir/x.toml") {
			t.Errorf("%s: got %v", ext, err)
		}
	}
	if len(asked) > 0 {
		t.Errorf("the reader was asked for %q", asked)
	}
	_, _ = Parse("dir/x.toml", []byte("extends = \"../up.toml\"\nname = \"x\"\n"), read, WithRoot("."))
	if len(asked) != 1 || asked[0] != "up.toml" {
		t.Errorf("with the root \".\", the reader was asked for %q, want [up.toml]", asked)
	}
}

// A scenario file itself is read no further than the size limit (Load of
// /dev/zero used to read until memory ran out).
func TestLoadBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), `/dev/zero:1:1048577: the file is larger than 1 MiB (limit "file size"`) {
		t.Errorf("got %v", err)
	}
}

func quoteTOML(s string) string { return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"` }

// FilesOnDisk gives Parse the confined reader of Load, for a scenario read
// from standard input: a named pipe or a link out of the root is refused,
// and a base inside is read.
func TestParseFilesOnDisk(t *testing.T) {
	_, proj := confineTree(t)
	name := filepath.Join(proj, "<stdin>")
	for ext, want := range map[string]string{
		"fifo":      `extends: .*fifo is a named pipe \(FIFO\), not a regular file`,
		"esc":       `extends: .*esc leads, through a symbolic link, outside the folder of`,
		"base.toml": "",
	} {
		done := make(chan error, 1)
		go func() {
			_, err := Parse(name, []byte("extends = \""+ext+"\"\nname = \"x\"\n"), os.ReadFile, FilesOnDisk())
			done <- err
		}()
		select {
		case err := <-done:
			checkNoLeak(t, err)
			if want == "" && err != nil || want != "" && (err == nil || !regexp.MustCompile(want).MatchString(err.Error())) {
				t.Errorf("%s: got %v, want %q", ext, err, want)
			}
		case <-time.After(hostileTimeout):
			t.Fatalf("%s: the parse hangs", ext)
		}
	}
}
