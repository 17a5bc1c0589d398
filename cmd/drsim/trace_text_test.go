package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestTraceMessagesSpacing checks the trace of a step that waits on a need
// and of a refused action: no message has a double space or an empty
// part ("step edit-record:  failed" named neither the op nor the needs).
func TestTraceMessagesSpacing(t *testing.T) {
	for _, f := range []string{"dr508-wait-on-need.toml", "op-create-existing.toml", "dr301-required-promotion.toml"} {
		code, out, errs := drsim(t, "trace", filepath.Join("..", "..", "findings", "testdata", f), "--trial", "0")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		n := 0
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var ev struct{ Kind, Message string }
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("%s: %v: %s", f, err, line)
			}
			n++
			if strings.Contains(ev.Message, "  ") || strings.Contains(ev.Message, ": :") || strings.HasSuffix(ev.Message, ":") {
				t.Errorf("%s: %s: %q", f, ev.Kind, ev.Message)
			}
		}
		if n == 0 {
			t.Errorf("%s: no event", f)
		}
	}
}
