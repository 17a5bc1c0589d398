package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/drsim/drsim/sim"
)

// decoder turns the merged TOML tree into a model.Config, collecting every
// problem as an *Error positioned with the index.
type decoder struct {
	top  string // the file being loaded, for errors without a position
	idx  posIndex
	errs ErrorList
	// errors not recorded beyond maxErrors
	dropped int
}

// maxErrors is the most errors the decoder records; the rest are counted.
const maxErrors = 200

// lookup returns the position of path, or of its nearest ancestor that has
// one, or the top file.
func (d *decoder) lookup(path string) Pos { return d.idx.lookup(d.top, path) }

// lookup returns the position of path in idx, or of its nearest ancestor
// that has one, or the file top.
func (idx posIndex) lookup(top, path string) Pos {
	for p := path; ; {
		if e, ok := idx[p]; ok {
			return e.Pos
		}
		if p == "" {
			return Pos{File: top}
		}
		p = parentPath(p)
	}
}

// parentPath strips the last segment of a key path.
func parentPath(p string) string {
	inQuote := false
	cut := 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case (c == '.' || c == '[') && !inQuote:
			cut = i
		}
	}
	return p[:cut]
}

// errAt records an error positioned at posPath and shown as path.
func (d *decoder) errAt(posPath, path, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		d.dropped++
		return
	}
	pos := d.lookup(posPath)
	d.errs = append(d.errs, &Error{File: pos.File, Line: pos.Line, Col: pos.Col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) errorf(path, format string, args ...any) { d.errAt(path, path, format, args...) }

// typeName names the TOML type of a decoded value.
func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "string"
	case int64:
		return fmt.Sprintf("integer %d", v)
	case float64:
		return fmt.Sprintf("float %v", v)
	case bool:
		return fmt.Sprintf("boolean %v", v)
	case []any, []map[string]any:
		return "array"
	case map[string]any:
		return "table"
	case time.Time:
		return "datetime"
	}
	return fmt.Sprintf("%T", v)
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

const nameRule = `names use lowercase letters, digits and "-", and start with a letter or digit`

// obj is a TOML table being decoded.
type obj struct {
	d    *decoder
	path string
	m    map[string]any // nil when absent or of the wrong type
}

// object returns v as a table, or an empty obj after reporting a type error.
func (d *decoder) object(path string, v any) *obj {
	o := &obj{d: d, path: path}
	if d.placeholder(path, v) {
		return o
	}
	switch m := v.(type) {
	case map[string]any:
		o.m = m
	case nil:
	default:
		d.errorf(path, "expected a table, got %s", typeName(v))
	}
	return o
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (o *obj) child(k string) string { return keyPath(o.path, k) }

// known reports every key of o that sec does not allow, with a
// did-you-mean, or where the key belongs, or the keys allowed here.
func (o *obj) known(sec *section) {
	for _, k := range sortedKeys(o.m) {
		if slices.Contains(sec.keys, k) || slices.Contains(sec.ignore, k) {
			continue
		}
		if len(o.d.errs) >= maxErrors {
			o.d.dropped++
			continue
		}
		if s := suggest(k, sec.keys).String(); s != "" {
			o.d.errorf(o.child(k), "unknown key%s", s)
		} else if home := homeOf(k, sec); home != "" {
			o.d.errorf(o.child(k), "unknown key here; %s belongs %s", k, home)
		} else {
			o.d.errorf(o.child(k), "unknown key; valid keys here: %s", strings.Join(sec.keys, ", "))
		}
	}
}

// get returns the value of k; a placeholder is reported and read as absent
// (has still reports it, so that no "required" error follows).
func (o *obj) get(k string) (any, bool) {
	v, ok := o.m[k]
	if ok && o.d.placeholder(o.child(k), v) {
		return nil, false
	}
	return v, ok
}

func (o *obj) has(k string) bool { _, ok := o.m[k]; return ok }

// missing reports that required key k is absent.
func (o *obj) missing(k, why string) {
	msg := "required"
	if why != "" {
		msg += ": " + why
	}
	o.d.errAt(o.path, o.child(k), "%s", msg)
}

func (o *obj) str(k string) (string, bool) {
	v, ok := o.get(k)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		o.d.errorf(o.child(k), "expected a string, got %s", typeName(v))
	}
	return s, ok
}

// name reads a name matching [a-z0-9][a-z0-9-]*.
func (o *obj) name(k string) (string, bool) {
	s, ok := o.str(k)
	if ok && !namePattern.MatchString(s) {
		o.d.errorf(o.child(k), "%q is not a valid name (%s)", s, nameRule)
		return s, false
	}
	return s, ok
}

func (o *obj) boolean(k string) (bool, bool) {
	v, ok := o.get(k)
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		o.d.errorf(o.child(k), "expected true or false, got %s", typeName(v))
	}
	return b, ok
}

func (o *obj) integer(k string) (int64, bool) {
	v, ok := o.get(k)
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		o.d.errorf(o.child(k), "expected an integer, got %s", typeName(v))
	}
	return n, ok
}

// number reads a finite integer or float.
func (d *decoder) number(path string, v any) (float64, bool) {
	if d.placeholder(path, v) {
		return 0, false
	}
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			d.errorf(path, "expected a finite number, got %v", n)
			return 0, false
		}
		return n, true
	}
	d.errorf(path, "expected a number, got %s", typeName(v))
	return 0, false
}

func (o *obj) number(k string) (float64, bool) {
	v, ok := o.get(k)
	if !ok {
		return 0, false
	}
	return o.d.number(o.child(k), v)
}

func bareNumberHint(v any) string {
	if n, ok := v.(int64); ok {
		return fmt.Sprintf(" (a bare number is not a duration: write \"%ds\" or \"%dm\")", n, n)
	}
	return ""
}

func (o *obj) duration(k string) (sim.Time, bool) {
	v, ok := o.get(k)
	if !ok {
		return 0, false
	}
	s, ok := v.(string)
	if !ok {
		o.d.errorf(o.child(k), "expected a duration string like \"90s\", got %s%s", typeName(v), bareNumberHint(v))
		return 0, false
	}
	t, err := parseDuration(s)
	if err != nil {
		o.d.errorf(o.child(k), "%v", err)
		return 0, false
	}
	return t, true
}

func (o *obj) dist(k string) (sim.Dist, bool) {
	v, ok := o.get(k)
	if !ok {
		return sim.Dist{}, false
	}
	s, ok := v.(string)
	if !ok {
		o.d.errorf(o.child(k), "expected a duration or a distribution string like \"uniform(5m, 15m)\", got %s%s", typeName(v), bareNumberHint(v))
		return sim.Dist{}, false
	}
	dist, err := parseDist(s)
	if err != nil {
		o.d.errorf(o.child(k), "%v", err)
		return sim.Dist{}, false
	}
	return dist, true
}

func (o *obj) rate(k string) (float64, bool) {
	v, ok := o.get(k)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case string:
		r, err := parseRate(x)
		if err != nil {
			o.d.errorf(o.child(k), "%v", err)
			return 0, false
		}
		return r, true
	case int64, float64:
		r, ok := o.d.number(o.child(k), v)
		if ok && r < 0 {
			o.d.errorf(o.child(k), "rate %v is negative", r)
			return 0, false
		}
		return r, ok
	}
	o.d.errorf(o.child(k), "expected a number per second or a rate string like \"20/s\", got %s", typeName(v))
	return 0, false
}

func (o *obj) size(k string) (int64, bool) {
	v, ok := o.get(k)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case string:
		n, err := parseSize(x)
		if err != nil {
			o.d.errorf(o.child(k), "%v", err)
			return 0, false
		}
		return n, true
	case int64:
		if x < 0 {
			o.d.errorf(o.child(k), "size %d is negative", x)
			return 0, false
		}
		return x, true
	}
	o.d.errorf(o.child(k), "expected a size string like \"256KiB\" or a number of bytes, got %s", typeName(v))
	return 0, false
}

// strs reads an array of strings; it returns the strings and the path of
// each element (for positions).
func (o *obj) strs(k string) ([]string, []string, bool) {
	v, ok := o.get(k)
	if !ok {
		return nil, nil, false
	}
	return o.d.strs(o.child(k), v)
}

func (d *decoder) strs(path string, v any) ([]string, []string, bool) {
	if d.placeholder(path, v) {
		return nil, nil, false
	}
	arr, ok := v.([]any)
	if !ok {
		if _, isTables := v.([]map[string]any); isTables {
			d.errorf(path, "expected an array of strings like [\"a\", \"b\"], got an array of tables")
		} else {
			d.errorf(path, "expected an array of strings like [\"a\", \"b\"], got %s", typeName(v))
		}
		return nil, nil, false
	}
	out := make([]string, 0, len(arr))
	paths := make([]string, 0, len(arr))
	good := true
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			d.errAt(elemPath(path, i), path, "element %d: expected a string, got %s", i, typeName(e))
			good = false
			continue
		}
		out = append(out, s)
		paths = append(paths, elemPath(path, i))
	}
	return out, paths, good
}

// table reads a sub-table (nil m when absent).
func (o *obj) table(k string) *obj {
	v, _ := o.get(k)
	return o.d.object(o.child(k), v)
}

// tables reads an array of tables.
func (o *obj) tables(k string) []*obj {
	v, ok := o.get(k)
	if !ok {
		return nil
	}
	p := o.child(k)
	var elems []any
	switch a := v.(type) {
	case []map[string]any:
		for _, m := range a {
			elems = append(elems, m)
		}
	case []any:
		elems = a
	default:
		o.d.errorf(p, "expected an array of tables ([[%s]]), got %s", tomlHeader(p), typeName(v))
		return nil
	}
	out := make([]*obj, len(elems))
	for i, e := range elems {
		out[i] = o.d.object(elemPath(p, i), e)
	}
	return out
}

// tomlHeader writes key path p as the header of a TOML table: without
// array indices, which a header cannot hold ("outages[0].phases" is
// written [[outages.phases]] after the [[outages]] it belongs to).
func tomlHeader(p string) string {
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
