package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/drsim/drsim/scenarios"
)

// TestSchemaCommand checks that drsim schema prints the schema the
// repository ships, and takes no arguments.
func TestSchemaCommand(t *testing.T) {
	code, stdout, stderr := drsim(t, "schema")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	shipped, err := os.ReadFile("../../schema/drsim-scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(stdout), shipped) || !bytes.Equal(shipped, scenarios.Schema()) {
		t.Error("drsim schema differs from schema/drsim-scenario.schema.json (run go generate ./scenarios)")
	}
	if code, _, stderr := drsim(t, "schema", "x"); code != exitInput || stderr == "" {
		t.Errorf("drsim schema x: exit %d, stderr %q", code, stderr)
	}
}
