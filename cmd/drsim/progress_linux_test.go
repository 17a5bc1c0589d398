//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTYSized opens a pseudo-terminal pair: the controlling side and the
// terminal a program writes to, of rows × cols (0 × 0: a size nobody set).
func openPTYSized(t *testing.T, rows, cols uint16) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pts: %v", err)
	}
	unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	return ptmx, tty
}

// On a terminal the bars show the scenario, the phase, the trials, the
// rate and the time left, one bar per scenario in compare.
func TestProgressOnATerminal(t *testing.T) {
	t.Run("132x40", func(t *testing.T) { progressOnATerminal(t, 40, 132) })
	// A terminal that reports no size (0×0, as under a bare "script -qc")
	// is taken as 80 columns: the bars still show (issue: none did).
	t.Run("0x0", func(t *testing.T) { progressOnATerminal(t, 0, 0) })
}

func progressOnATerminal(t *testing.T, rows, cols uint16) {
	ptmx, tty := openPTYSized(t, rows, cols)
	defer ptmx.Close()
	if !isTerminal(tty) {
		t.Fatal("a pseudo-terminal is not a terminal")
	}
	var screen bytes.Buffer
	copied := make(chan struct{})
	go func() {
		io.Copy(&screen, ptmx) // ends with an error once tty is closed
		close(copied)
	}()
	e := newEnv(nil, &bytes.Buffer{}, tty)
	e.progressDelay = 0
	code := drsimEnv(t, context.Background(), e, "compare", "snowy", "pilot-light", "--trials", "60000")
	tty.Close()
	<-copied
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	out := screen.String()
	if missing := hasAll(out, "snowy-alerting", "pilot-light", phaseSimulating, phaseWaiting, "/60,000 trials", "/s  ETA "); len(missing) > 0 {
		t.Errorf("the bars lack %q:\n%q", missing, out[:min(len(out), 2000)])
	}
}
