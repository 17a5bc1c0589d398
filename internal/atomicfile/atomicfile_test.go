package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "a.csv")
	if err := WriteFile(p, 0o644, writeString("one\n")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, p); got != "one\n" {
		t.Errorf("content %q", got)
	}
	if st, _ := os.Stat(p); runtime.GOOS != "windows" && st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}

	// a failing writer leaves the old file and no temporary file
	boom := errors.New("boom")
	err := WriteFile(p, 0o644, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("half-written ", 20000))
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
		t.Errorf("error %v does not wrap the writer's and name the file", err)
	}
	if got := readFile(t, p); got != "one\n" {
		t.Errorf("the old file was changed: %q", got[:min(len(got), 40)])
	}
	if got := names(t, filepath.Dir(p)); !slices.Equal(got, []string{"a.csv"}) {
		t.Errorf("folder holds %q, want only a.csv", got)
	}

	// a folder where the file should be
	if err := WriteFile(dir, 0o644, writeString("x")); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("writing over a folder: %v", err)
	}
}

// TestWriteFileThroughALink checks that writing to a symbolic link writes
// the file it points to and keeps the link (drsim import -o link.toml
// replaced the link with a regular file and left its target as it was),
// and that a link to nothing is refused.
func TestWriteFileThroughALink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "infra.toml")
	os.MkdirAll(filepath.Dir(real), 0o755)
	os.WriteFile(real, []byte("old"), 0o644)
	link := filepath.Join(dir, "link.toml")
	if err := os.Symlink(filepath.Join("real", "infra.toml"), link); err != nil {
		t.Skip(err)
	}
	if err := CheckFile(link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, 0o644, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if got := readFile(t, real); got != "new" {
		t.Errorf("the link's target holds %q", got)
	}
	if got := names(t, filepath.Dir(real)); !slices.Equal(got, []string{"infra.toml"}) {
		t.Errorf("the target's folder holds %q", got)
	}
	dangling := filepath.Join(dir, "dangling.toml")
	os.Symlink(filepath.Join(dir, "nowhere", "x.toml"), dangling)
	for _, err := range []error{CheckFile(dangling), WriteFile(dangling, 0o644, writeString("x"))} {
		if err == nil || !strings.Contains(err.Error(), "symbolic link to a file that does not exist") {
			t.Errorf("a dangling link: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("a folder was created for the dangling link")
	}
}

func TestStageRenamesIntoAMissingTarget(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "deep", "out")
	s, err := NewStage(target)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(s.Dir()) != filepath.Dir(target) || !strings.HasPrefix(filepath.Base(s.Dir()), StagePrefix+"out-") {
		t.Errorf("staging folder %s is not a drsim sibling of %s", s.Dir(), target)
	}
	os.WriteFile(filepath.Join(s.Dir(), "report.json"), []byte("{}"), 0o644)
	how, err := s.Commit()
	if err != nil || how != Renamed {
		t.Fatalf("Commit = %q, %v; want %q", how, err, Renamed)
	}
	if got := readFile(t, filepath.Join(target, "report.json")); got != "{}" {
		t.Errorf("report.json = %q", got)
	}
	if got := names(t, filepath.Dir(target)); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent holds %q, want only out", got)
	}
	if _, err := s.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
}

// stageSet writes files (name → content) into a new stage of target.
func stageSet(t *testing.T, target string, files map[string]string) *Stage {
	t.Helper()
	s, err := NewStage(target)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(s.Dir(), name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestStageReplacesTheWholeSet(t *testing.T) {
	target := filepath.Join(t.TempDir(), "out")
	old := map[string]string{"report.json": "old", "report.md": "old", "trials/trials.csv": "old"}
	if _, err := stageSet(t, target, old).Commit(); err != nil {
		t.Fatal(err)
	}
	os.Chmod(target, 0o750)
	before, _ := os.Stat(target)
	s := stageSet(t, target, map[string]string{"report.json": "new", "report.md": "new", "report.html": "new", "trials/trials.csv": "new"})
	how, err := s.Commit()
	if err != nil {
		t.Fatal(err)
	}
	want := FileByFile
	if exchange(t.TempDir(), t.TempDir()) == nil {
		want = Exchanged
	}
	if how != want {
		t.Errorf("Commit = %q, want %q on this system", how, want)
	}
	after, _ := os.Stat(target)
	if how == Exchanged && os.SameFile(before, after) {
		t.Error("exchanged, but the target is the same folder")
	}
	if runtime.GOOS != "windows" && after.Mode().Perm() != 0o750 {
		t.Errorf("the new folder's mode is %v, want the old one's 0750", after.Mode().Perm())
	}
	for _, n := range []string{"report.json", "report.md", "report.html", "trials/trials.csv"} {
		if got := readFile(t, filepath.Join(target, n)); got != "new" {
			t.Errorf("%s = %q, want new", n, got)
		}
	}
	if got := names(t, filepath.Dir(target)); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent holds %q, want only out (the old set and the stage removed)", got)
	}
}

// Files that the new set does not replace are never deleted: the files are
// moved in one by one, the JSON last.
func TestStageKeepsOtherFiles(t *testing.T) {
	target := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "notes.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(target, "report.json"), []byte("old"), 0o644)
	before, _ := os.Stat(target)
	s := stageSet(t, target, map[string]string{"report.json": "new", "a.svg": "new", "z.md": "new"})
	how, err := s.Commit()
	if err != nil || how != FileByFile {
		t.Fatalf("Commit = %q, %v; want %q", how, err, FileByFile)
	}
	after, _ := os.Stat(target)
	if !os.SameFile(before, after) {
		t.Error("the target folder was replaced")
	}
	if got := readFile(t, filepath.Join(target, "notes.txt")); got != "mine" {
		t.Errorf("notes.txt = %q", got)
	}
	for _, n := range []string{"report.json", "a.svg", "z.md"} {
		if got := readFile(t, filepath.Join(target, n)); got != "new" {
			t.Errorf("%s = %q, want new", n, got)
		}
	}
	if got := names(t, filepath.Dir(target)); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent holds %q, want only out", got)
	}
}

func TestMoveFilesJSONLast(t *testing.T) {
	staged, target := t.TempDir(), t.TempDir()
	for _, n := range []string{"a.json", "b.md", "c.JSON", "d.png"} {
		os.WriteFile(filepath.Join(staged, n), []byte(n), 0o644)
	}
	// make target/d.png a folder: the move fails there, after the non-JSON
	// files before it and before any JSON
	os.MkdirAll(filepath.Join(target, "d.png"), 0o755)
	if err := moveFiles(staged, target); err == nil {
		t.Fatal("moving over a folder succeeded")
	}
	if got := names(t, target); !slices.Equal(got, []string{"b.md", "d.png"}) {
		t.Errorf("target holds %q: a JSON file was moved before the others", got)
	}
}

func TestStageTargetIsAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "out")
	os.WriteFile(f, []byte("x"), 0o644)
	if _, err := NewStage(f); err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("NewStage over a file: %v", err)
	}
	if err := CheckDir(f); err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("CheckDir on a file: %v", err)
	}
}

func TestAbort(t *testing.T) {
	target := filepath.Join(t.TempDir(), "out")
	s := stageSet(t, target, map[string]string{"report.json": "new"})
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, filepath.Dir(target)); len(got) != 0 {
		t.Errorf("Abort left %q", got)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("Abort created the target")
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"new file", CheckFile(filepath.Join(dir, "a", "b", "c.csv")), ""},
		{"existing file", CheckFile(file), ""},
		{"folder as a file", CheckFile(dir), "is a folder, not a file"},
		{"under a file", CheckFile(filepath.Join(file, "c.csv")), "is a file, not a folder"},
		{"new folder", CheckDir(filepath.Join(dir, "out", "x")), ""},
		{"existing folder", CheckDir(dir), ""},
		{"folder under a file", CheckDir(filepath.Join(file, "out")), "is a file, not a folder"},
	}
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		tests = append(tests, struct {
			name string
			err  error
			want string
		}{"read-only folder", CheckFile(filepath.Join(ro, "x.csv")), "cannot create files in"})
	}
	for _, tt := range tests {
		switch {
		case tt.want == "" && tt.err != nil:
			t.Errorf("%s: %v", tt.name, tt.err)
		case tt.want != "" && (tt.err == nil || !strings.Contains(tt.err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.name, tt.err, tt.want)
		}
	}
	if got := names(t, dir); !slices.Equal(got, []string{"file"}) && !slices.Equal(got, []string{"file", "ro"}) {
		t.Errorf("the checks left %q", got)
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * StaleAfter)
	mk := func(name string, dirToo bool, mtime time.Time) {
		p := filepath.Join(dir, name)
		if dirToo {
			os.MkdirAll(p, 0o755)
			f := filepath.Join(p, "report.json")
			os.WriteFile(f, nil, 0o644)
			os.Chtimes(f, mtime, mtime)
		} else {
			os.WriteFile(p, nil, 0o644)
		}
		os.Chtimes(p, mtime, mtime)
	}
	mk(TempPrefix+"trials.csv-123", false, old)         // stale file
	mk(StagePrefix+"out-456", true, old)                // stale stage
	mk(TempPrefix+"trace.jsonl-789", false, time.Now()) // being written
	mk("report.json", false, old)                       // not ours
	mk(".drsimrc", false, old)                          // not ours either
	removed, err := RemoveStale(dir, StaleAfter)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Errorf("removed %q, want the two stale ones", removed)
	}
	want := []string{".drsim-tmp-trace.jsonl-789", ".drsimrc", "report.json"}
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Errorf("left %q, want %q", got, want)
	}
	if removed, err := RemoveStale(filepath.Join(dir, "missing"), StaleAfter); err != nil || removed != nil {
		t.Errorf("a missing folder: %q, %v", removed, err)
	}
}
