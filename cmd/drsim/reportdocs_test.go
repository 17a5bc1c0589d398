package main

import (
	"encoding"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/report"
)

// reportDocs is the reference of the JSON documents drsim writes.
const reportDocs = "../../docs/report.md"

// findingsDocument is the document findings.WriteJSON writes.
type findingsDocument struct {
	Schema string                  `json:"schema"`
	Files  []findings.FileFindings `json:"files"`
}

// docTable is what a section of docs/report.md describes: for each key
// path of its tables (array items as [], map keys as *), the shape its
// type cell links to ("" for a plain value).
type docTable map[string]string

// parseReportDocs reads the "## " sections of docs/report.md (the
// documents, keyed by the schema named in their heading) and its "### "
// sections (the shapes that several documents share, keyed by name).
// A row is "| `path` | type | ... |"; a type cell linking to a shape,
// "[`Summary`](#summary)", means the keys below path are the shape's.
func parseReportDocs(t *testing.T) (docs, shapes map[string]docTable) {
	t.Helper()
	data, err := os.ReadFile(reportDocs)
	if err != nil {
		t.Fatal(err)
	}
	docs, shapes = map[string]docTable{}, map[string]docTable{}
	row := regexp.MustCompile("^\\| `([^`]+)` \\|([^|]*)\\|")
	link := regexp.MustCompile("\\[`([A-Za-z]+)`\\]\\(#[a-z-]+\\)")
	heading := regexp.MustCompile("`([^`]+)`")
	var cur docTable
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "## "), strings.HasPrefix(line, "### "):
			cur = nil
			if m := heading.FindStringSubmatch(line); m != nil {
				cur = docTable{}
				if strings.HasPrefix(line, "## ") {
					docs[m[1]] = cur
				} else {
					shapes[m[1]] = cur
				}
			}
		case cur != nil:
			if m := row.FindStringSubmatch(line); m != nil {
				shape := ""
				if l := link.FindStringSubmatch(m[2]); l != nil {
					shape = l[1]
				}
				cur[m[1]] = shape
			}
		}
	}
	return docs, shapes
}

// documented reports whether path is described in table d: as a row of
// its own, or below a row whose type is a shape that describes the rest.
func documented(path string, d docTable, shapes map[string]docTable) bool {
	if _, ok := d[path]; ok {
		return true
	}
	for prefix, shape := range d {
		if shape == "" {
			continue
		}
		rest, ok := strings.CutPrefix(path, prefix)
		if !ok {
			continue
		}
		if s, ok := shapes[shape]; ok && (strings.HasPrefix(rest, ".") && documented(rest[1:], s, shapes) ||
			strings.HasPrefix(rest, "[].") && documented(rest[3:], s, shapes)) {
			return true
		}
	}
	return false
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

// jsonFields returns the JSON members of struct type t, embedded structs'
// promoted, in order, with their Go types.
func jsonFields(t reflect.Type) (names []string, types []reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			n, ty := jsonFields(f.Type)
			names, types = append(names, n...), append(types, ty...)
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		names, types = append(names, tag), append(types, f.Type)
	}
	return names, types
}

// keyPaths returns the key paths of every member a value of type t can
// have, below prefix: objects' keys, [] for the items of an array of
// objects, * for the keys of a map.
func keyPaths(t reflect.Type, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		return
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t.Kind() {
	case reflect.Struct:
		names, types := jsonFields(t)
		for i, n := range names {
			out[join(n)] = true
			keyPaths(types[i], join(n), out)
		}
	case reflect.Map:
		out[join("*")] = true
		keyPaths(t.Elem(), join("*"), out)
	case reflect.Slice, reflect.Array:
		keyPaths(t.Elem(), prefix+"[]", out)
	}
}

// emittedPaths returns the key paths of a JSON document v of type t, with
// t telling maps (whose keys are data: *) from objects.
func emittedPaths(v any, t reflect.Type, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		if t.Kind() == reflect.Map {
			for _, e := range v {
				out[join("*")] = true
				emittedPaths(e, t.Elem(), join("*"), out)
			}
			return
		}
		names, types := jsonFields(t)
		for k, e := range v {
			out[join(k)] = true
			if i := slices.Index(names, k); i >= 0 {
				emittedPaths(e, types[i], join(k), out)
			} else {
				out[join(k)+" (not in the Go type)"] = true
			}
		}
	case []any:
		for _, e := range v {
			emittedPaths(e, t.Elem(), prefix+"[]", out)
		}
	}
}

// TestReportDocs checks that docs/report.md describes every key of the JSON
// documents drsim writes: the result document (drsim.report/v1), the
// comparison (drsim.compare/v1), the findings (drsim.findings/v1) and
// validate --format json (drsim.validate/v1). It builds rich documents
// (incidents, unrecovered trials, a finding, failed attempts, phases, a
// profile, paired differences) and walks the documents' Go types too, so
// that a key added later fails here until it is documented.
func TestReportDocs(t *testing.T) {
	rich := filepath.Join("testdata", "docs", "report-rich.toml")
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"bad\"\nhorizn = \"1h\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := []struct {
		schema string
		typ    reflect.Type
		args   []string
		code   int
	}{
		{report.Schema, reflect.TypeFor[report.Report](), []string{"run", rich, "--format", "json"}, 0},
		{report.CompareSchema, reflect.TypeFor[report.Comparison](), []string{"compare", rich, "snowy", "--trials", "200", "--format", "json"}, 0},
		{findings.Schema, reflect.TypeFor[findingsDocument](), []string{"lint", rich, "--format", "json"}, exitLint},
		{validateSchema, reflect.TypeFor[validateReport](), []string{"validate", "--format", "json", rich, bad, "no-such-file.toml"}, exitInput},
	}
	sections, shapes := parseReportDocs(t)
	for _, d := range docs {
		t.Run(d.schema, func(t *testing.T) {
			code, stdout, stderr := drsim(t, d.args...)
			if code != d.code {
				t.Fatalf("drsim %s: exit %d, want %d; stderr %q", strings.Join(d.args, " "), code, d.code, stderr)
			}
			var v any
			if err := json.Unmarshal([]byte(stdout), &v); err != nil {
				t.Fatal(err)
			}
			emitted, all := map[string]bool{}, map[string]bool{}
			emittedPaths(v, d.typ, "", emitted)
			keyPaths(d.typ, "", all)
			if len(emitted) < 20 && d.schema == report.Schema {
				t.Fatalf("only %d key paths in the result document", len(emitted))
			}
			for p := range emitted {
				if !all[p] {
					t.Errorf("drsim writes %s, which the document's Go type does not have", p)
				}
			}
			table, ok := sections[d.schema]
			if !ok {
				t.Fatalf("docs/report.md has no section whose heading names %s", d.schema)
			}
			var missing []string
			for p := range all {
				if !documented(p, table, shapes) {
					missing = append(missing, p)
				}
			}
			sort.Strings(missing)
			for _, p := range missing {
				t.Errorf("docs/report.md does not describe %s in %s (emitted here: %v)", p, d.schema, emitted[p])
			}
			// and nothing documented that drsim does not have
			for p := range table {
				if !all[p] {
					t.Errorf("docs/report.md describes %s in %s, which the document does not have", p, d.schema)
				}
			}
		})
	}
	for name, s := range shapes {
		if len(s) == 0 {
			t.Errorf("docs/report.md: shape %s has no rows", name)
		}
	}
}
