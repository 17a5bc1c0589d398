package main

import (
	"os/exec"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLines(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "1c4d9fef206121d9b73b4d03c01177d1e723b210"},
		{Key: "vcs.time", Value: "2026-11-30T00:47:49Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install @tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}},
			"drsim v0.3.0\ngo go1.26.8\nreport schema drsim.report/v1"},
		{"untagged checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261130004749-1c4d9fef2061+dirty"}, Settings: vcs},
			"drsim v0.0.0-20261130004749-1c4d9fef2061+dirty\nrevision 1c4d9fef206121d9b73b4d03c01177d1e723b210 (2026-11-30T00:47:49Z, modified)\ngo go1.26.8\nreport schema drsim.report/v1"},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"drsim (devel)\ngo go1.26.8\nreport schema drsim.report/v1"},
		{"revision only", &debug.BuildInfo{GoVersion: "go1.26.8", Settings: vcs[1:2]},
			"drsim (devel)\nrevision 1c4d9fef206121d9b73b4d03c01177d1e723b210\ngo go1.26.8\nreport schema drsim.report/v1"},
	}
	for _, tt := range tests {
		if got := strings.Join(versionLines(tt.bi), "\n"); got != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
	if got := versionLines(nil); got[0] != "drsim (unknown)" {
		t.Errorf("no build info: %q", got)
	}
}

// A binary built from a git clone carries its revision and the version Go
// derives from the tags (a pseudo-version before the first tag); one built
// without version control information says "(devel)".
func TestVersionOfABuild(t *testing.T) {
	bin := drsimBinary(t)
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if !regexp.MustCompile(`^drsim (v[0-9]+\.[0-9]+\.[0-9]+\S*|\(devel\))$`).MatchString(lines[0]) {
		t.Errorf("version line %q", lines[0])
	}
	same, _ := exec.Command(bin, "--version").Output()
	if string(same) != string(out) {
		t.Errorf("--version printed %q, version %q", same, out)
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "revision ") {
		if lines[0] != "drsim (devel)" {
			t.Errorf("a version without a revision: %q", lines)
		}
		t.Logf("built without version control information (a git worktree, or no git): %q", lines[0])
		return
	}
	rev := strings.Fields(lines[1])[1]
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("no git to compare the revision with")
	}
	if rev != strings.TrimSpace(string(head)) {
		t.Errorf("revision %s, HEAD is %s", rev, head)
	}
	if v := strings.TrimPrefix(lines[0], "drsim "); strings.HasPrefix(v, "v0.0.0-") && !strings.Contains(v, rev[:12]) {
		t.Errorf("pseudo-version %s does not name revision %s", v, rev[:12])
	}
}

// TestBuildID: what a partial result records of the build that wrote it
// (merge refuses partials of different builds): the version, the revision
// and whether the tree was modified, the Go version; not the commit time
// or the report schema.
func TestBuildID(t *testing.T) {
	rev := "1c4d9fef206121d9b73b4d03c01177d1e723b210"
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-11-30T00:47:49Z"}}
	for _, c := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}}, "drsim v0.3.0; go go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "drsim (devel); go go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Settings: vcs}, "drsim (devel); revision " + rev + "; go go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Settings: append(vcs, debug.BuildSetting{Key: "vcs.modified", Value: "true"})},
			"drsim (devel); revision " + rev + " (modified); go go1.26.8"},
	} {
		if got := buildID(c.bi); got != c.want {
			t.Errorf("buildID = %q, want %q", got, c.want)
		}
	}
}
