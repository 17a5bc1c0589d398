//go:build unix

package awscli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drsim/drsim/importer"
)

// TestFolderFIFO checks that a FIFO in the folder is refused without being
// opened (opening it would block until someone writes to it).
func TestFolderFIFO(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "s3"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "s3", "b.location.json"), 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Decode(os.DirFS(dir), "dir")
		done <- err
	}()
	select {
	case err := <-done:
		var el importer.ErrorList
		if !errors.As(err, &el) || !strings.Contains(err.Error(), "dir/s3/b.location.json: not a regular file") {
			t.Errorf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Decode blocks on a FIFO")
	}
}
