package scenarios

import (
	"strings"
	"testing"
)

func TestScanPositions(t *testing.T) {
	const doc = `# a comment with [brackets] and key = "value"
name = "x"   # trailing
description = """
[not.a.table]
x = 1
"""
horizon='24h'

[regions.us-east-1]
kms_rps = 5
[regions."odd.name"]

[keys.alerts]
replicas = [
  "us-west-2",  # first
  'eu-west-1',
]
users_in = { us-west-2 = ["a", "b"], eu-west-1.x = 1 }

[[outages]]
start = "1h"
[[outages]]
  start = "2h"
  nested.deep = true

[failover]
from = "a"
[[failover.steps]]
name = "one"
[[failover.steps]]
name = "two"
after = ["one"]
[[failover.steps.sub]]
q = 1
[failover.steps.extra]
r = 2
`
	idx := scanPositions("f.toml", doc)
	tests := []struct {
		path      string
		line, col int
		table     bool
	}{
		{"name", 2, 1, false},
		{"description", 3, 1, false},
		{"horizon", 7, 1, false},
		{"regions", 9, 2, true},
		{"regions.us-east-1", 9, 10, true},
		{"regions.us-east-1.kms_rps", 10, 1, false},
		{`regions."odd.name"`, 11, 10, true},
		{"keys.alerts.replicas", 14, 1, false},
		{"keys.alerts.replicas[0]", 15, 3, false},
		{"keys.alerts.replicas[1]", 16, 3, false},
		{"keys.alerts.users_in", 18, 1, true},
		{"keys.alerts.users_in.us-west-2", 18, 14, false},
		{"keys.alerts.users_in.us-west-2[1]", 18, 32, false},
		{"keys.alerts.users_in.eu-west-1", 18, 38, true},
		{"keys.alerts.users_in.eu-west-1.x", 18, 48, false},
		{"outages", 20, 3, false},
		{"outages[0]", 20, 3, true},
		{"outages[0].start", 21, 1, false},
		{"outages[1]", 22, 3, true},
		{"outages[1].start", 23, 3, false},
		{"outages[1].nested", 24, 3, true},
		{"outages[1].nested.deep", 24, 10, false},
		{"failover.from", 27, 1, false},
		{"failover.steps", 28, 12, false},
		{"failover.steps[0].name", 29, 1, false},
		{"failover.steps[1].after[0]", 32, 10, false},
		{"failover.steps[1].sub[0].q", 34, 1, false},
		{"failover.steps[1].extra.r", 36, 1, false},
	}
	for _, tt := range tests {
		e, ok := idx[tt.path]
		if !ok {
			t.Errorf("%s: not indexed", tt.path)
			continue
		}
		if e.Line != tt.line || e.Col != tt.col || e.table != tt.table || e.File != "f.toml" {
			t.Errorf("%s: got %s:%d:%d table=%v, want %d:%d table=%v", tt.path, e.File, e.Line, e.Col, e.table, tt.line, tt.col, tt.table)
		}
	}
	for _, bogus := range []string{"not", "not.a.table", "x", "a", "brackets"} {
		if _, ok := idx[bogus]; ok {
			t.Errorf("%s: indexed from inside a string or comment", bogus)
		}
	}
}

func TestScanPositionsBOMAndCRLF(t *testing.T) {
	idx := scanPositions("f", "\ufeffname = \"x\"\r\n[app]\r\n  serve = [\"a\"]\r\n")
	for path, want := range map[string][2]int{"name": {1, 1}, "app": {2, 2}, "app.serve": {3, 3}, "app.serve[0]": {3, 12}} {
		if e := idx[path]; e.Line != want[0] || e.Col != want[1] {
			t.Errorf("%s at %d:%d, want %d:%d", path, e.Line, e.Col, want[0], want[1])
		}
	}
}

// The scanner must not loop or panic on broken input; the TOML decoder
// reports the syntax error.
func TestScanPositionsBroken(t *testing.T) {
	for _, doc := range []string{"[", "[[", "a = [", "a = {", `a = "`, "a = '''", `a = """`, "= 1", "[a.]", "a.b. = 1", "a = [1,,2]", "a = {b = }", "\xff = 1", "[[a]]\n[[a.b]]\n[a.b.c]"} {
		scanPositions("f", doc)
	}
}

func TestPathHelpers(t *testing.T) {
	tests := []struct{ path, parent, last string }{
		{"a.b.c", "a.b", "c"},
		{"outages[1]", "outages", "[1]"},
		{"outages[1].start", "outages[1]", "start"},
		{`prices."a.b"`, "prices", "a.b"},
		{`prices."a.b".c`, `prices."a.b"`, "c"},
		{"name", "", "name"},
	}
	for _, tt := range tests {
		if got := parentPath(tt.path); got != tt.parent {
			t.Errorf("parentPath(%q) = %q, want %q", tt.path, got, tt.parent)
		}
		if got := parentLast(tt.path); got != tt.last {
			t.Errorf("parentLast(%q) = %q, want %q", tt.path, got, tt.last)
		}
	}
	if got := keyPath("prices", "a.b"); got != `prices."a.b"` {
		t.Errorf("keyPath quoted = %q", got)
	}
	if !within("a.b[0].c", "a.b") || within("a.bc", "a.b") || !within("a.b", "a.b") {
		t.Error("within is wrong")
	}
}

// Columns on one long line are counted incrementally (a 100,000-item array
// on one line took 11 s when each column was counted from the line start),
// and stay right across multi-byte characters and lines.
func TestScanPositionsLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`x = ["é", `)
	const n = 100000
	for i := 0; i < n; i++ {
		b.WriteString("1, ")
	}
	b.WriteString("]\ny = [2, 3]\n")
	idx := scanPositions("t.toml", b.String())
	for _, c := range []struct {
		path      string
		line, col int
	}{
		{"x[0]", 1, 6}, {"x[1]", 1, 11}, {"x[2]", 1, 14}, {elemPath("x", n), 1, 11 + 3*(n-1)},
		{"y", 2, 1}, {"y[0]", 2, 6}, {"y[1]", 2, 9},
	} {
		if e := idx[c.path]; e.Line != c.line || e.Col != c.col {
			t.Errorf("%s at %d:%d, want %d:%d", c.path, e.Line, e.Col, c.line, c.col)
		}
	}
}
