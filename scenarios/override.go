package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// An Override is one PATH=VALUE given on the command line (drsim --set,
// or one value of a --vary list). It is applied to the merged tree of a
// scenario, after extends, before the tree is validated: the result is
// what the file would say with VALUE written at PATH.
//
// PATH is the TOML key path of the value, with [i] (0-based) to select an
// item of an array and [name=X], or [X] for short, to select the item of
// an array of tables whose name is X:
//
//	failover.detect
//	buckets.alerts.replication[0].rtc
//	failover.steps[name=approve].duration
//	outages[us-east-1 regional outage].duration
//
// VALUE is read as a TOML value, exactly as it would be written in the
// file: 20, 0.5, true, "text", ["us-west-2"], {kms_rps = 100}. A VALUE
// that is not valid TOML and does not start with a quote or a bracket is
// the string as written, so that 2m, uniform(2m, 5m) and us-west-2 mean
// what a user means; quote a string that would read as something else
// ("true", "20").
type Override struct {
	// Source names the argument in errors: "--set #2" (1-based).
	Source string
	// Path and Value are as written.
	Path, Value string

	segs     []pathSeg
	pathCol  int // 1-based column of PATH in the argument
	valueCol int // 1-based column of VALUE in the argument
}

// String returns PATH=VALUE.
func (o Override) String() string { return o.Path + "=" + o.Value }

// pathSeg is one key of a path and the array selectors after it.
type pathSeg struct {
	key  string
	col  int // 1-based column in the argument
	sels []selector
}

// selector is [i] (index >= 0) or [name=X] (byName).
type selector struct {
	index  int
	name   string
	byName bool
	col    int
	text   string // as written, brackets included
}

// ParseOverride reads arg, one PATH=VALUE, as the override source names
// ("--set #2"). The error is an ErrorList positioned on the argument.
func ParseOverride(source, arg string) (Override, error) {
	o, errs := parseOverride(source, arg)
	if len(errs) > 0 {
		return Override{}, errs
	}
	return o, nil
}

// ParseVary reads arg, one PATH=V1,V2,... (drsim sweep --vary), as one
// override per value, each positioned on its value. Values are split at
// the commas outside quotes and brackets, so uniform(2m, 5m) and
// ["a", "b"] are one value each. The error is an ErrorList.
func ParseVary(source, arg string) ([]Override, error) {
	o, errs := parseOverride(source, arg)
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Override
	for _, p := range splitTopLevel(o.Value) {
		v := strings.TrimSpace(p.text)
		col := o.valueCol + p.off + (len(p.text) - len(strings.TrimLeft(p.text, " \t")))
		if v == "" {
			errs = append(errs, &Error{File: source, Col: col, Path: o.Path, Msg: "empty value in the list (write V1,V2,...)"})
			continue
		}
		out = append(out, Override{Source: source, Path: o.Path, Value: v, segs: o.segs, pathCol: o.pathCol, valueCol: col})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// part is a piece of a comma-separated list and its byte offset.
type part struct {
	text string
	off  int
}

// splitTopLevel splits s at the commas outside quotes, (), [] and {}.
func splitTopLevel(s string) []part {
	var out []part
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			// An unbalanced closing bracket is the value's own error
			// (reported when it is read): it must not swallow the next
			// value.
			depth = max(0, depth-1)
		case c == ',' && depth == 0:
			out = append(out, part{s[start:i], start})
			start = i + 1
		}
	}
	return append(out, part{s[start:], start})
}

func parseOverride(source, arg string) (Override, ErrorList) {
	fail := func(col int, path, format string, args ...any) (Override, ErrorList) {
		return Override{}, ErrorList{{File: source, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)}}
	}
	eq, open := -1, -1
	depth := 0
	var quote byte
	for i := 0; i < len(arg) && eq < 0; i++ {
		c := arg[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			if depth == 0 {
				open = i
			}
			depth++
		case c == ']':
			depth--
		case c == '=' && depth == 0:
			eq = i
		}
	}
	if eq < 0 && depth > 0 {
		return fail(open+1, strings.TrimSpace(arg), "unterminated [ (write [0], [name=X] or [X])")
	}
	if eq < 0 {
		return fail(1, "", "expected PATH=VALUE, like failover.detect=2m, got %q", arg)
	}
	path, value := arg[:eq], arg[eq+1:]
	lead := len(path) - len(strings.TrimLeft(path, " \t"))
	path = strings.TrimSpace(path)
	if path == "" {
		return fail(1, "", "no key path before \"=\" (write PATH=VALUE, like failover.detect=2m)")
	}
	segs, err := parsePath(path, 1+lead)
	if err != nil {
		return Override{}, ErrorList{{File: source, Col: err.col, Path: path, Msg: err.msg}}
	}
	vlead := len(value) - len(strings.TrimLeft(value, " \t"))
	return Override{Source: source, Path: path, Value: strings.TrimSpace(value), segs: segs, pathCol: 1 + lead, valueCol: eq + 2 + vlead}, nil
}

type pathError struct {
	col int
	msg string
}

// parsePath reads a key path: keys (bare, or quoted "..." or '...')
// separated by dots, each followed by any number of [i], [name=X] or [X].
// base is the column of p's first byte.
func parsePath(p string, base int) ([]pathSeg, *pathError) {
	var segs []pathSeg
	i := 0
	for {
		start := i
		var key string
		switch {
		case i < len(p) && p[i] == '"':
			j := i + 1
			for j < len(p) && p[j] != '"' {
				if p[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(p) {
				return nil, &pathError{base + i, "unterminated quoted key"}
			}
			k, err := strconv.Unquote(p[i : j+1])
			if err != nil {
				return nil, &pathError{base + i, "bad quoted key " + p[i:j+1]}
			}
			key, i = k, j+1
		case i < len(p) && p[i] == '\'':
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				return nil, &pathError{base + i, "unterminated quoted key"}
			}
			key, i = p[i+1:i+1+j], i+j+2
		default:
			for i < len(p) && isBareKeyChar(p[i]) {
				i++
			}
			key = p[start:i]
			if key == "" {
				what := "end of the path"
				if i < len(p) {
					what = strconv.Quote(string(p[i]))
				}
				return nil, &pathError{base + i, fmt.Sprintf("expected a key, got %s (keys use A-Z a-z 0-9 _ -, or are quoted)", what)}
			}
		}
		seg := pathSeg{key: key, col: base + start}
		for i < len(p) && p[i] == '[' {
			sel, n, err := parseSelector(p[i:], base+i)
			if err != nil {
				return nil, err
			}
			seg.sels = append(seg.sels, sel)
			i += n
		}
		segs = append(segs, seg)
		if i == len(p) {
			return segs, nil
		}
		if p[i] != '.' {
			return nil, &pathError{base + i, fmt.Sprintf("expected \".\" or \"[\" after %q, got %q", key, string(p[i]))}
		}
		i++
	}
}

// parseSelector reads the selector at the start of s ("[" ...): [i],
// [name=X] or [X], where X may be quoted ("..." with the escapes of a TOML
// basic string, or '...') so that a name holding ], =, quotes or spaces
// at its ends can be written: [name="eu.west]1 = event"]. It returns the
// selector and the bytes it takes; col is the column of s's first byte.
func parseSelector(s string, col int) (selector, int, *pathError) {
	unterminated := &pathError{col, "unterminated [ (write [0], [name=X] or [X])"}
	i := 1
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	skip()
	byName := strings.HasPrefix(s[i:], "name=") || strings.HasPrefix(s[i:], "name =")
	if byName {
		i += strings.IndexByte(s[i:], '=') + 1
		skip()
	}
	var name string
	switch {
	case i < len(s) && (s[i] == '"' || s[i] == '\''):
		q := s[i]
		j := i + 1
		for j < len(s) && s[j] != q {
			if q == '"' && s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			return selector{}, 0, &pathError{col + i, "unterminated quoted name in a selector"}
		}
		if q == '\'' {
			name = s[i+1 : j]
		} else {
			u, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return selector{}, 0, &pathError{col + i, "bad quoted name " + s[i:j+1]}
			}
			name = u
		}
		i = j + 1
		skip()
		if i >= len(s) {
			return selector{}, 0, unterminated
		}
		if s[i] != ']' {
			return selector{}, 0, &pathError{col + i, fmt.Sprintf("expected \"]\" after the quoted name, got %q", string(s[i]))}
		}
		byName = true
	default:
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return selector{}, 0, unterminated
		}
		inner := strings.TrimSpace(s[i:j])
		i = j
		if n, err := strconv.Atoi(inner); err == nil && !byName {
			if n < 0 {
				return selector{}, 0, &pathError{col, fmt.Sprintf("index %d is negative (indices start at 0)", n)}
			}
			return selector{index: n, col: col, text: s[:i+1]}, i + 1, nil
		}
		name, byName = inner, true
	}
	if name == "" {
		return selector{}, 0, &pathError{col, "empty selector (write [0], [name=X] or [X])"}
	}
	return selector{name: name, byName: byName, col: col, text: s[:i+1]}, i + 1, nil
}

// QuoteName writes name as a selector of the path syntax: [name] when it
// reads back as itself, else ["name"] with the escapes of a TOML basic
// string (a name holding ], =, quotes, or spaces at its ends; one that is
// a number, which [i] would read as an index).
func QuoteName(name string) string {
	if name == "" || strings.ContainsAny(name, "[]\"'=\\") || strings.TrimSpace(name) != name ||
		strings.HasPrefix(name, "name=") || strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "[" + strconv.Quote(name) + "]"
	}
	if _, err := strconv.Atoi(name); err == nil {
		return "[" + strconv.Quote(name) + "]"
	}
	return "[" + name + "]"
}

// QuoteKey writes key as a key of the path syntax: bare when it is made of
// A-Z a-z 0-9 _ -, else quoted ("odd.key").
func QuoteKey(key string) string {
	if key == "" {
		return `""`
	}
	for i := 0; i < len(key); i++ {
		if !isBareKeyChar(key[i]) {
			return strconv.Quote(key)
		}
	}
	return key
}

// parseOverrideValue reads VALUE as a TOML value (see Override). It also
// returns the positions of the value's parts (for an array or inline
// table), keyed by their path below the value ("" for the value itself,
// "[0]", ".key", ...), as columns of the argument.
func parseOverrideValue(o *Override) (any, map[string]int, *Error) {
	v := o.Value
	if v == "" {
		return nil, nil, &Error{File: o.Source, Col: o.valueCol, Path: o.Path, Msg: `empty value (write "" for an empty string)`}
	}
	const prefix = "v = "
	doc := prefix + v
	if e := scanLimits(o.Source, doc); e != nil {
		// The value is beyond a limit on a file's text (nesting, items):
		// refused before the TOML decoder spends time on it.
		return nil, nil, &Error{File: o.Source, Col: o.valueCol, Path: o.Path, Msg: e.Msg}
	}
	var m map[string]any
	_, err := toml.Decode(doc, &m)
	if err == nil && len(m) == 1 {
		cols := map[string]int{}
		for p, e := range scanPositions("", doc) {
			if rest, ok := strings.CutPrefix(p, "v"); ok && e.Line == 1 {
				cols[rest] = o.valueCol + e.Col - 1 - len(prefix)
			}
		}
		cols[""] = o.valueCol
		return m["v"], cols, nil
	}
	if !strings.ContainsAny(v[:1], `"'[{`) && !strings.ContainsAny(v, "\n\r") {
		return v, map[string]int{"": o.valueCol}, nil // a bare word: the string as written
	}
	col := o.valueCol
	msg := "not one TOML value"
	var pe toml.ParseError
	if errors.As(err, &pe) {
		if pe.Position.Start >= len(prefix) {
			col += pe.Position.Start - len(prefix)
		}
		msg = "TOML syntax: " + tomlMessage(pe.Message)
	} else if err != nil {
		msg = "TOML: " + err.Error()
	}
	return nil, nil, &Error{File: o.Source, Col: col, Path: o.Path, Msg: msg}
}

// What the tables of the format hold, by shape: the key path with the
// names of named tables written "*" and array indices "[]". fixedShapes
// are tables with a fixed set of keys (decode.go's sections), namedShapes
// tables whose keys are names (of regions, keys, stores, ...).
var (
	fixedShapes = map[string]*section{
		"": secTop, "objectives": secObjectives, "regions.*": secRegion, "keys.*": secKey, "app": secApp,
		"buckets.*": secBucket, "buckets.*.replication[]": secReplication, "buckets.*.backup": secBackup,
		"tables.*": secTable, "tables.*.backup": secBackup, "outages[]": secOutage, "outages[].phases[]": secPhase,
		"failover": secFailover, "failover.steps[]": secStep, "actions[]": secAction, "costs": secCosts, "arc": secARC,
	}
	namedShapes = map[string]string{
		"regions": "region", "keys": "key", "buckets": "bucket", "tables": "table",
		"keys.*.users_in": "region", "keys.*.admins_in": "region", "tables.*.keys_in": "region",
		"costs.monthly": "cost item", "prices": "price id",
	}
	// itemNouns name the items of the arrays of tables, for errors.
	itemNouns = map[string]string{
		"outages": "outage", "outages[].phases": "phase", "failover.steps": "step", "actions": "action",
		"buckets.*.replication": "replication rule",
	}
)

// applyOverride sets o's value in tree, and its positions in idx. tree is
// the merged tree of a scenario (it is modified).
func applyOverride(tree map[string]any, idx posIndex, o *Override) *Error {
	value, cols, verr := parseOverrideValue(o)
	if verr != nil {
		return verr
	}
	fail := func(col int, path, format string, args ...any) *Error {
		return &Error{File: o.Source, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	// cur is the table being walked; set replaces the value at (path).
	cur := tree
	shape, path := "", ""
	for si, seg := range o.segs {
		last := si == len(o.segs)-1
		childShape := joinShape(shape, seg.key)
		if _, named := namedShapes[shape]; named {
			childShape = shape + ".*"
		}
		child, exists := cur[seg.key]
		childPath := keyPath(path, seg.key)
		if sec := fixedShapes[shape]; sec != nil && !slices.Contains(sec.keys, seg.key) {
			if s := suggest(seg.key, sec.keys).String(); s != "" {
				return fail(seg.col, childPath, "unknown key%s", s)
			}
			return fail(seg.col, childPath, "unknown key; valid keys %s: %s", sec.where, strings.Join(sec.keys, ", "))
		}
		if shape == "" && seg.key == "extends" {
			return fail(seg.col, childPath, "cannot be overridden: overrides apply to the scenario after extends is resolved")
		}
		if noun, named := namedShapes[shape]; named && !exists && !(last && len(seg.sels) == 0) {
			return fail(seg.col, childPath, "no %s %q%s", noun, seg.key, suggestOrList(seg.key, "declared", sortedKeys(cur)))
		}
		if last && len(seg.sels) == 0 {
			cur[seg.key] = value
			setPositions(idx, childPath, o, cols)
			return nil
		}
		if !exists {
			if len(seg.sels) > 0 {
				return fail(seg.col, childPath, "not in the scenario: there is no array to select an item of")
			}
			if fixedShapes[childShape] == nil && namedShapes[childShape] == "" {
				return fail(seg.col, childPath, "not a table: %s is a value, so nothing can be set below it", childPath)
			}
			child = map[string]any{}
			cur[seg.key] = child
			idx[childPath] = posEntry{Pos: Pos{File: o.Source, Col: seg.col}, table: true}
		}
		// set writes a new value for the element reached so far.
		set := func(v any) { cur[seg.key] = v }
		for k, sel := range seg.sels {
			arr, ok := asArray(child)
			if !ok {
				return fail(sel.col, childPath, "is %s, not an array: %s selects an item of an array", describe(child), sel.text)
			}
			i := sel.index
			if sel.byName {
				var names []string
				i = -1
				for j, e := range arr {
					if m, ok := e.(map[string]any); ok {
						if n, ok := m["name"].(string); ok {
							names = append(names, n)
							if n == sel.name && i < 0 {
								i = j
							}
						}
					}
				}
				if i < 0 {
					noun := itemNouns[childShape]
					if noun == "" {
						noun = "item"
					}
					if len(names) == 0 {
						return fail(sel.col, childPath, "no %s has a name; select one by its index, from [0] to [%d]", noun, len(arr)-1)
					}
					return fail(sel.col, childPath, "no %s named %q%s", noun, sel.name, suggestOrList(sel.name, "names", names))
				}
			} else if i >= len(arr) {
				if len(arr) == 0 {
					return fail(sel.col, childPath, "index %d is out of range: the array is empty", i)
				}
				return fail(sel.col, childPath, "index %d is out of range: the array has %d %s, [0] to [%d]", i, len(arr), plural(len(arr), "item", "items"), len(arr)-1)
			}
			childPath = elemPath(childPath, i)
			childShape += "[]"
			if last && k == len(seg.sels)-1 {
				if tables, ok := child.([]map[string]any); ok {
					if m, ok := value.(map[string]any); ok {
						tables[i] = m
					} else {
						generic := make([]any, len(tables))
						for j := range tables {
							generic[j] = tables[j]
						}
						generic[i] = value
						set(generic)
					}
				} else {
					arr[i] = value
				}
				setPositions(idx, childPath, o, cols)
				return nil
			}
			elem := arr[i]
			parent, at := child, i
			set = func(v any) {
				switch p := parent.(type) {
				case []any:
					p[at] = v
				case []map[string]any:
					if m, ok := v.(map[string]any); ok {
						p[at] = m
					}
				}
			}
			child = elem
		}
		m, ok := child.(map[string]any)
		if !ok {
			return fail(seg.col, childPath, "is %s, not a table: nothing can be set below it", describe(child))
		}
		cur, shape, path = m, childShape, childPath
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinShape appends key to a shape.
func joinShape(shape, key string) string {
	if shape == "" {
		return key
	}
	return shape + "." + key
}

// asArray returns v as a slice of its elements when it is an array (the
// elements of an array of tables share v's tables).
func asArray(v any) ([]any, bool) {
	switch a := v.(type) {
	case []any:
		return a, true
	case []map[string]any:
		out := make([]any, len(a))
		for i := range a {
			out[i] = a[i]
		}
		return out, true
	}
	return nil, false
}

// describe names the kind of a tree value: "a string", "a table", ...
func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	case string:
		return "a string"
	}
	return "a " + typeName(v)
}

// setPositions replaces the positions at and below path with those of
// the override's value.
func setPositions(idx posIndex, path string, o *Override, cols map[string]int) {
	dropUnder(idx, path)
	for rest, col := range cols {
		idx[path+rest] = posEntry{Pos: Pos{File: o.Source, Col: col}}
	}
}

// copyTree returns a deep copy of a decoded TOML tree.
func copyTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyTree(e)
		}
		return m
	case []map[string]any:
		out := make([]map[string]any, len(x))
		for i, e := range x {
			out[i] = copyTree(e).(map[string]any)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyTree(e)
		}
		return out
	}
	return v
}
