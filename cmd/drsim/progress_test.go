package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestIsTerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer null.Close()
	if st, err := null.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
		t.Logf("%s is not a character device here", os.DevNull)
	}
	if isTerminal(null) {
		t.Errorf("%s is a terminal (the old ModeCharDevice test said so)", os.DevNull)
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
}

// Nothing is printed on a stderr that is not a terminal (a file, a pipe),
// even when the run lasts longer than the progress delay; and nothing
// under --quiet on a terminal.
func TestNoProgressOffTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, stderr := range []*os.File{f, w} {
		e := newEnv(nil, &bytes.Buffer{}, stderr)
		e.progressDelay = 0
		if code := drsimEnv(t, context.Background(), e, "run", "snowy", "--trials", "3000", "--format", "json"); code != 0 {
			t.Fatalf("exit code %d", code)
		}
	}
	w.Close()
	var piped bytes.Buffer
	piped.ReadFrom(r)
	if st, _ := f.Stat(); st.Size() != 0 || piped.Len() != 0 {
		t.Errorf("printed %d bytes to a file and %q to a pipe", st.Size(), piped.String())
	}

	// --quiet on a "terminal"
	var term bytes.Buffer
	e := newEnv(nil, &bytes.Buffer{}, &term)
	e.isTerminal = func(io.Writer) bool { return true }
	e.progressDelay = 0
	if code := drsimEnv(t, context.Background(), e, "run", "snowy", "--trials", "3000", "--quiet"); code != 0 || term.Len() != 0 {
		t.Errorf("--quiet: exit code %d, printed %q", code, term.String())
	}
}

func TestRateAndETA(t *testing.T) {
	tests := []struct {
		done, total int64
		elapsed     time.Duration
		want        string
	}{
		{0, 1000, time.Second, "-/s  ETA -"},
		{500, 1000, time.Second, "500/s  ETA 1s"},
		{12345, 1000000, time.Second, "12,345/s  ETA 1m20s"},
		{1000, 1000, 2 * time.Second, "500/s  ETA 0s"},
	}
	for _, tt := range tests {
		if got := rateAndETA(tt.done, tt.total, tt.elapsed); got != tt.want {
			t.Errorf("rateAndETA(%d, %d, %v) = %q, want %q", tt.done, tt.total, tt.elapsed, got, tt.want)
		}
	}
	b := &bar{}
	b.total.Store(10000)
	b.phase.Store(ptr(phaseAggregating))
	b.done.Store(10000)
	if got := b.status(time.Now()); got != "10,000/10,000 trials" {
		t.Errorf("status while aggregating %q", got)
	}
}

// hasAll returns the strings of subs that s lacks.
func hasAll(s string, subs ...string) []string {
	var missing []string
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			missing = append(missing, sub)
		}
	}
	return missing
}
