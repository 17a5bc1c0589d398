//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTargetSpecialFiles checks that a FIFO, a device and a socket (or a
// link to one) are refused by CheckFile and WriteFile without being opened
// (a FIFO would block, /dev/zero would be read forever), and left as they
// were: drsim import -o /dev/null replaced the device node with a regular
// file, -o FIFO blocked.
func TestTargetSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	toFifo := filepath.Join(dir, "to-fifo")
	os.Symlink(fifo, toFifo)
	cases := []struct{ path, want string }{
		{fifo, "is a FIFO (named pipe), not a regular file"},
		{toFifo, "is a FIFO (named pipe), not a regular file"},
	}
	// A device is only looked at (Target), never given to WriteFile: if
	// the check failed, a test run as root would replace /dev/null.
	if st, err := os.Stat("/dev/null"); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		if _, err := Target("/dev/null"); err == nil || !strings.Contains(err.Error(), "is a character device, not a regular file") {
			t.Errorf("Target(/dev/null): %v", err)
		}
	}
	for _, tc := range cases {
		done := make(chan error, 2)
		go func() {
			done <- CheckFile(tc.path)
			done <- WriteFile(tc.path, 0o644, writeString("x"))
		}()
		for _, what := range []string{"CheckFile", "WriteFile"} {
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s(%s): %v, want %q", what, tc.path, err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s(%s) blocks", what, tc.path)
			}
		}
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st, err)
	}
	if st, err := os.Lstat(toFifo); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st, err)
	}
}
