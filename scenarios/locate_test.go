package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
)

// TestResolveLocated checks the locator a load returns: a written value
// points at itself, in the file of the extends chain that wrote it; a value
// left at its default points at the header of its table.
func TestResolveLocated(t *testing.T) {
	child := filepath.Join("testdata", "extends", "child.toml")
	base := filepath.Join("testdata", "extends", "base.toml")
	cfg, loc, err := ResolveLocated(child)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "child" || loc == nil {
		t.Fatalf("got %q, locator %v", cfg.Name, loc)
	}
	tests := []struct {
		path string
		want model.Position
	}{
		{"tables.t.key", model.Position{File: base, Line: 27, Col: 1}},        // written in the base
		{"tables.t.regions", model.Position{File: child, Line: 11, Col: 1}},   // replaced by the child
		{"tables.t.item_size", model.Position{File: child, Line: 10, Col: 9}}, // default: the table header, the child's
		{"keys.k.rotation", model.Position{File: base, Line: 15, Col: 7}},     // default: the base's header
		{"keys.k.replicas[1]", model.Position{File: base, Line: 18, Col: 26}},
		{"outages[0].region", model.Position{File: child, Line: 14, Col: 1}}, // the child's array replaced the base's
		{"failover.to", model.Position{File: child}},                         // nothing written: the top file
	}
	for _, tt := range tests {
		got, written := loc.Locate(tt.path)
		if got != tt.want {
			t.Errorf("Locate(%q) = %+v, want %+v", tt.path, got, tt.want)
		}
		if wantWritten := !strings.Contains(tt.path, "item_size") && !strings.Contains(tt.path, "rotation") && tt.path != "failover.to"; written != wantWritten {
			t.Errorf("Locate(%q): written = %v, want %v", tt.path, written, wantWritten)
		}
	}
}

// TestResolveLocatedBundled checks that a bundled scenario's locator names
// its embedded path.
func TestResolveLocatedBundled(t *testing.T) {
	_, loc, err := ResolveLocated("snowy")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := loc.Locate("keys.alerts.replicas"); got.File != "snowy.toml" || got.Line == 0 {
		t.Errorf("got %+v", got)
	}
	if _, _, err := ResolveLocated("no-such-scenario"); err == nil {
		t.Error("no error for an unknown name")
	}
}
