package cloudformation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drsim/drsim/importer"
)

// TestScanDepth checks the nesting pre-scan on small texts: what it must
// refuse (flow collections, compact sequences and block indentation deeper
// than the limit, in YAML and JSON) and what it must not count (brackets in
// quoted scalars, block scalars, comments and plain text; a block
// scalar's content ends where a line is no more indented than its key).
func TestScanDepth(t *testing.T) {
	deepBlock := "a:\n"
	for i := 1; i <= 12; i++ {
		deepBlock += strings.Repeat(" ", 2*i) + "a:\n"
	}
	for _, tc := range []struct {
		name      string
		text      string
		line, col int // 0: accepted
	}{
		{"flow sequences", "Description: " + strings.Repeat("[", 11) + strings.Repeat("]", 11) + "\n", 1, 23},
		{"flow mappings", "Description: " + strings.Repeat("{a: ", 11) + "1" + strings.Repeat("}", 11) + "\n", 1, 50},
		{"JSON", `{"a": ` + strings.Repeat(`{"a": `, 10) + "1" + strings.Repeat("}", 11) + "}", 1, 55},
		{"compact sequences", "a:\n  " + strings.Repeat("- ", 11) + "x\n", 2, 19},
		{"block indentation", deepBlock, 11, 21},
		{"as deep as the limit", "Description: " + strings.Repeat("[", 9) + strings.Repeat("]", 9) + "\n", 0, 0},
		{"over lines", "a: [\n" + strings.Repeat("  [\n", 10) + strings.Repeat("]", 11) + "\n", 10, 3},
		{"in a double-quoted scalar", `a: "` + strings.Repeat("[{", 50) + `\" [[["` + "\n", 0, 0},
		{"in a single-quoted scalar over lines", "a: '" + strings.Repeat("[", 30) + "''\n  " + strings.Repeat("{", 30) + "'\nb: 1\n", 0, 0},
		{"in a block scalar", "a: |\n  " + strings.Repeat("[", 30) + "\n    " + strings.Repeat("{", 30) + "\nb: [x]\n", 0, 0},
		{"in a comment", "a: 1 # " + strings.Repeat("[", 30) + "\n# " + strings.Repeat("- ", 30) + "\n", 0, 0},
		{"in plain text", "a: !Sub arn:${A}/" + strings.Repeat("[x", 30) + "\n", 0, 0},
		{"after a block scalar that ends", "- k: |\n    text\n  o: " + strings.Repeat("[", 11) + strings.Repeat("]", 11) + "\n", 3, 14},
		{"a folded scalar with an indentation indicator", "a: >2\n   " + strings.Repeat("[", 30) + "\nb: " + strings.Repeat("[", 11) + "\n", 3, 13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, col, ok := scanDepth([]byte(tc.text), 10)
			switch {
			case tc.line == 0 && !ok:
				t.Errorf("refused at %d:%d", line, col)
			case tc.line != 0 && (ok || line != tc.line || col != tc.col):
				t.Errorf("got %d:%d ok=%v, want refused at %d:%d", line, col, ok, tc.line, tc.col)
			}
		})
	}
}

// TestScanDepthAcceptsTemplates checks that the pre-scan refuses none of
// the test templates, fixtures and fuzz seeds alike.
func TestScanDepthAcceptsTemplates(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	json, _ := filepath.Glob("testdata/*.json")
	for _, f := range append(files, json...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if line, col, ok := scanDepth(data, maxDepth); !ok {
			t.Errorf("%s refused at %d:%d", f, line, col)
		}
	}
}

// TestDeepTemplatesRefusedAtOnce checks that templates nested far deeper
// than the limit are refused quickly, with their position, before the YAML
// library parses them: the new user's 300 KB of [[[…]]]
// (deep300k.yaml) ran out of memory, 100 KB took 6.4 s and 3.8 GB.
func TestDeepTemplatesRefusedAtOnce(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"deep300k.yaml", "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: " + strings.Repeat("[", 150000) + strings.Repeat("]", 150000) + "\n",
			"importer: deep300k.yaml:5:216: nested more than 200 levels deep"},
		{"compact.yaml", "Resources:\n  " + strings.Repeat("- ", 60000) + "x\n", "importer: compact.yaml:2:399: nested more than 200 levels deep"},
		{"deep.json", `{"Resources": {"K": {"Type": "AWS::KMS::Key", "Properties": {"Description": ` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "}}}}",
			"importer: deep.json:1:272: nested more than 200 levels deep"},
	} {
		start := time.Now()
		_, err := Decode([]Template{{File: tc.name, Data: []byte(tc.text), Region: "us-east-1"}})
		var el importer.ErrorList
		if !errors.As(err, &el) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %s...", tc.name, err, tc.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: refused after %v", tc.name, d)
		}
	}
}
