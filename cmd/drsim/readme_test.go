package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestREADMEOutputs: the outputs the README shows are what the commands
// print today. A block shown whole must match byte for byte (go test
// -update rewrites it); an excerpt's lines must each be a line of the
// output.
func TestREADMEOutputs(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	tests := []struct {
		marker  string // the line just before the block
		args    []string
		excerpt bool
	}{
		{"`go run ./cmd/drsim run snowy` prints:", []string{"run", "snowy", "--quiet"}, false},
		{"`go run ./cmd/drsim compare backup-and-restore pilot-light warm-standby active-active`:", []string{"compare", "backup-and-restore", "pilot-light", "warm-standby", "active-active", "--quiet"}, false},
		{"that turning RTC off (saving $192.48 a month) meets none of them:", []string{"sweep", "snowy", "--vary", "buckets.alerts.replication[0].rtc=true,false", "--vary", "objectives.rpo=5m,15m,30m", "--quiet"}, true},
	}
	for _, tt := range tests {
		i := strings.Index(readme, tt.marker+"\n\n```\n")
		if i < 0 {
			t.Errorf("README.md lacks %q followed by a code block", tt.marker)
			continue
		}
		start := i + len(tt.marker) + len("\n\n```\n")
		n := strings.Index(readme[start:], "```\n")
		if n < 0 {
			t.Fatalf("the block after %q is not closed", tt.marker)
		}
		block := readme[start : start+n]
		code, out, errs := drsim(t, tt.args...)
		if code != 0 {
			t.Fatalf("drsim %s: exit %d: %s", strings.Join(tt.args, " "), code, errs)
		}
		if tt.excerpt {
			lines := strings.Split(out, "\n")
			for _, l := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
				if !slices.Contains(lines, l) {
					t.Errorf("drsim %s no longer prints the README's line\n%s", strings.Join(tt.args, " "), l)
				}
			}
			continue
		}
		if block == out {
			continue
		}
		if *update {
			readme = readme[:start] + out + readme[start+n:]
			continue
		}
		bl, ol := strings.Split(block, "\n"), strings.Split(out, "\n")
		for k := range max(len(bl), len(ol)) {
			var b, o string
			if k < len(bl) {
				b = bl[k]
			}
			if k < len(ol) {
				o = ol[k]
			}
			if b != o {
				t.Errorf("README.md's output of drsim %s differs at its line %d (go test ./cmd/drsim -run TestREADMEOutputs -update rewrites it):\nREADME: %s\nnow:    %s", strings.Join(tt.args, " "), k+1, b, o)
				break
			}
		}
	}
	if *update && readme != string(data) {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
