package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drsim/drsim/model"
)

// hostileSeeds are the shapes of issue 14 as scenario texts, for the fuzz
// targets: the inputs of testdata/hostile (extending the bundled snowy
// instead of the testdata copy), the big shapes cut to a few KB (still
// beyond the limits they test), and the hostile values and extends written
// into a small valid scenario.
func hostileSeeds() []string {
	var seeds []string
	files, _ := filepath.Glob("testdata/hostile/*.toml")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := strings.Replace(string(data), `extends = "_snowy.toml"`, `extends = "snowy"`, 1)
		seeds = append(seeds, s[:min(len(s), 4096)])
	}
	for _, text := range bigShapes() {
		seeds = append(seeds, text[:min(len(text), 4096)])
	}
	for _, line := range []string{
		"trials = 2147483647", "trials = 100000000", `horizon = "36500d"`, `horizon = "106751d"`,
		`extends = "/dev/zero"`, `extends = "../outside/creds.env"`, `extends = "/etc/passwd"`,
		`extends = "fifo"`, `extends = "esc"`, `extends = "foreign.toml"`, `extends = "snowy"`,
	} {
		seeds = append(seeds, line+"\n"+base)
	}
	for _, tail := range []string{
		"\n[prices]\nkms_key_month = 1e308\n", "\n[costs.monthly]\na = 1e308\nb = 1e308\n",
		"\n[regions.us-west-2]\nkms_rps = 1e30\n",
	} {
		seeds = append(seeds, base+tail)
	}
	return seeds
}

// FuzzLoadExtends loads a scenario (child.toml) that may extend another
// (base.toml, also fuzzed) in a project folder full of things extends must
// not read or quote: a named pipe, symbolic links out of the folder, a
// credentials file beside the folder, another program's TOML, a file that
// is not TOML. Every load must end at once, and no error may quote the
// secret those files hold.
func FuzzLoadExtends(f *testing.F) {
	dir := f.TempDir()
	proj := filepath.Join(dir, "proj")
	if err := os.MkdirAll(filepath.Join(proj, "sub"), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "outside"), 0o755); err != nil {
		f.Fatal(err)
	}
	for name, text := range map[string]string{
		"outside/creds.env":        "AWS_SECRET_ACCESS_KEY=" + secret + "\n",
		"proj/foreign.toml":        "region = \"" + secret + "\"\n[database]\npassword = \"" + secret + "\"\n",
		"proj/foreign-name.toml":   "name = \"" + secret + "\"\n[regions." + secret + "]\n",
		"proj/foreign-broken.toml": "password: " + secret + "\n",
		"proj/sub/real.toml":       base,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	_ = os.Symlink("../outside/creds.env", filepath.Join(proj, "esc"))
	_ = os.Symlink("../outside", filepath.Join(proj, "esc-dir"))
	_ = os.Symlink("sub/real.toml", filepath.Join(proj, "ok-link"))
	_ = mkfifo(filepath.Join(proj, "fifo"))

	for _, ext := range []string{"base.toml", "../outside/creds.env", filepath.Join(dir, "outside/creds.env"),
		"/etc/passwd", "/dev/zero", "fifo", "esc", "esc-dir/creds.env", "ok-link", "foreign.toml",
		"foreign-name.toml", "foreign-broken.toml", "sub/real.toml", "sub/../../proj/base.toml", "snowy", "proj"} {
		f.Add([]byte("extends = "+quoteTOML(ext)+"\nname = \"child\"\n"), []byte(base), false)
		f.Add([]byte("extends = "+quoteTOML(ext)+"\nname = \"child\"\n"), []byte(base), true)
	}
	for _, s := range hostileSeeds() {
		f.Add([]byte("extends = \"base.toml\"\nname = \"child\"\n"), []byte(s), false)
		f.Add([]byte(s), []byte(base), false)
	}
	f.Add([]byte("extends = \"base.toml\"\nname = \"child\"\n"), []byte("extends = \"foreign.toml\"\nname = \"b\"\n"), false)
	f.Add([]byte("extends = \"base.toml\"\nname = \"child\"\n"), []byte("extends = \"base.toml\"\nname = \"b\"\n"), false)

	child := filepath.Join(proj, "child.toml")
	f.Fuzz(func(t *testing.T, childText, baseText []byte, wideRoot bool) {
		for _, w := range []string{"SECRET", "password", "database"} {
			if bytes.Contains(childText, []byte(w)) || bytes.Contains(baseText, []byte(w)) {
				return // these words must come from the files that hold them
			}
		}
		if err := os.WriteFile(child, childText, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(proj, "base.toml"), baseText, 0o644); err != nil {
			t.Fatal(err)
		}
		var opts []Option
		if wideRoot {
			opts = append(opts, WithRoot(dir))
		}
		type result struct {
			c   *model.Config
			err error
		}
		done := make(chan result, 1)
		go func() {
			c, err := Load(child, opts...)
			done <- result{c, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(hostileTimeout):
			t.Fatalf("the load hangs:\n%q\n%q", childText, baseText)
		}
		if r.err == nil {
			if err := checkConfig(r.c); err != nil {
				t.Fatalf("%v\n%q\n%q", err, childText, baseText)
			}
			return
		}
		if r.c != nil {
			t.Fatal("a config came back with an error")
		}
		if msg := r.err.Error(); strings.Contains(msg, "SECRET") || strings.Contains(msg, "password") || strings.Contains(msg, "database") {
			t.Fatalf("the error quotes a file that is not a scenario:\n%v\n%q\n%q", r.err, childText, baseText)
		}
	})
}
