package atomicfile

import (
	"strings"
	"testing"
)

// The root folder cannot be staged beside itself: CheckDir, which runs
// before any trial, refuses it with a clear message, as NewStage does
// (issue: --out / ran every trial, then failed with "mkdirtemp
// .drsim-stage-/-*: pattern contains path separator").
func TestRootFolderRefused(t *testing.T) {
	for _, p := range []string{"/", "//", "/./"} {
		err := CheckDir(p)
		if err == nil || !strings.Contains(err.Error(), "is the root folder") || strings.Contains(err.Error(), "pattern") {
			t.Errorf("CheckDir(%q) = %v", p, err)
		}
		if _, err := NewStage(p); err == nil || !strings.Contains(err.Error(), "is the root folder") {
			t.Errorf("NewStage(%q) = %v", p, err)
		}
	}
	if err := CheckDir(t.TempDir() + "/out"); err != nil {
		t.Errorf("a folder under a temp folder: %v", err)
	}
}
