//go:build unix

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// unblockFIFO opens path for writing and closes it, so that a reader
// blocked opening it gets end of file and its goroutine ends.
func unblockFIFO(path string) {
	if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}

// A named pipe (FIFO) that nobody writes to, given as the scenario, blocks
// the read; the first SIGINT or SIGTERM (the context) interrupts it with
// exit code 130, for every command that reads scenarios, and for standard
// input that never ends.
func TestFIFOScenarioInterrupted(t *testing.T) {
	for _, cmd := range [][]string{{"validate"}, {"lint"}, {"run"}, {"compare", "snowy"}, {"trace"}, {"sensitivity"}} {
		t.Run(cmd[0], func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "ff")
			if err := mkfifo(fifo); err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { unblockFIFO(fifo) })
			e, _, stderr := testEnv("")
			start := time.Now()
			code := drsimEnv(t, cancelAfter(t, 200*time.Millisecond), e, append(cmd, fifo)...)
			if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted while reading "+fifo) {
				t.Errorf("exit code %d, stderr %q", code, stderr)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	t.Run("stdin", func(t *testing.T) {
		r, w := io.Pipe()
		defer w.Close()
		e, _, stderr := testEnv("")
		e.stdin = r
		code := drsimEnv(t, cancelAfter(t, 200*time.Millisecond), e, "validate", "-")
		if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted while reading <stdin>") {
			t.Errorf("exit code %d, stderr %q", code, stderr)
		}
	})
}

// The process itself: one SIGTERM or SIGINT, as timeout(1) sends, ends a
// drsim blocked on a FIFO with exit code 130.
func TestFIFOScenarioSignal(t *testing.T) {
	bin := drsimBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "ff")
			if err := mkfifo(fifo); err != nil {
				t.Skip(err)
			}
			cmd := exec.Command(bin, "validate", fifo)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("still blocked 5 s after %v", sig)
			}
			if cmd.ProcessState.ExitCode() != exitInterrupted || !strings.Contains(stderr.String(), "interrupted while reading") {
				t.Errorf("exit code %d, stderr %q", cmd.ProcessState.ExitCode(), stderr.String())
			}
		})
	}
}

// TestFIFOScenarioSignalTwice: timeout(1) sends its signal to the process
// and then to its process group, so drsim receives it twice at once. Every
// time, for SIGTERM as for SIGINT, that is one interruption: exit code 130
// and the message, never the default death by SIGTERM (143) that restoring
// the default action after the first signal allowed, 6 times in 15.
func TestFIFOScenarioSignalTwice(t *testing.T) {
	bin := drsimBinary(t)
	fifo := filepath.Join(t.TempDir(), "ff")
	if err := mkfifo(fifo); err != nil {
		t.Skip(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		for i := range 10 {
			cmd := exec.Command(bin, "validate", fifo)
			// its own process group, as under timeout(1), which signals
			// the process and then the group
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			cmd.Process.Signal(sig)
			syscall.Kill(-cmd.Process.Pid, sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("%v #%d: still blocked 5 s after the signals", sig, i)
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted while reading") {
				t.Errorf("%v #%d: exit code %d (%v), stderr %q", sig, i, code, cmd.ProcessState, stderr.String())
			}
		}
	}
}

// TestWatchSignals: the first signal cancels; another within
// sameInterruption is the same interruption; one after it exits.
func TestWatchSignals(t *testing.T) {
	sigs := make(chan os.Signal)
	done := make(chan struct{})
	cancelled := make(chan struct{}, 1)
	exited := make(chan struct{}, 1)
	finished := make(chan struct{})
	go func() {
		watchSignals(sigs, done, func() { cancelled <- struct{}{} }, func() { exited <- struct{}{} })
		close(finished)
	}()
	sigs <- syscall.SIGTERM
	<-cancelled
	sigs <- syscall.SIGTERM // at once: the same interruption
	select {
	case <-exited:
		t.Fatal("a signal right after the first exited")
	case <-cancelled:
		t.Fatal("cancelled twice")
	default:
	}
	time.Sleep(sameInterruption + 50*time.Millisecond)
	sigs <- syscall.SIGINT
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("a second interruption did not exit")
	}
	<-finished
	close(done)
}
