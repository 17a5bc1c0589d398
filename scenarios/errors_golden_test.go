package scenarios

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorGolden pins the messages users see for the files in
// testdata/errors/ (run go test -update to rewrite the .golden files).
func TestErrorGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "errors", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Load(f)
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			for _, e := range list {
				if e.File != f {
					t.Errorf("error names %q, want %q: %v", e.File, f, e)
				}
			}
			checkGolden(t, strings.TrimSuffix(f, ".toml")+".golden", list.Error()+"\n")
		})
	}
}
