package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
)

// The trace is JSON lines for people and jq: ">" stays ">", not "\u003e"
// (issue 15).
func TestTraceDoesNotEscapeHTML(t *testing.T) {
	d := &model.Detail{Events: []model.Event{{Kind: "key-state", Message: "Enabled -> PendingDeletion <at> & after"}}}
	var b bytes.Buffer
	if err := writeTrace(&b, d); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, `"Enabled -> PendingDeletion <at> & after"`) || strings.Contains(got, `\u003e`) {
		t.Errorf("trace line %s", got)
	}
	// a real trace with a key state change
	code, stdout, _ := drsim(t, "trace", "testdata/cases/primary-scheduled-for-deletion.toml", "--trial", "0")
	if code != 0 {
		t.Fatal(code)
	}
	if strings.Contains(stdout, `\u003e`) || !strings.Contains(stdout, " -> ") {
		t.Errorf("the trace escapes > or has no key state change:\n%.600s", stdout)
	}
}
