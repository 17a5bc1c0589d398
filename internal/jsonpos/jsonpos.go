package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LineCol returns the 1-based line and column of byte offset off in data.
// Columns count characters (runes), not bytes; a tab counts as one. An
// offset past the end is taken as the end.
func LineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	line, col = 1, 1
	for i := 0; i < int(off); {
		r, n := utf8.DecodeRune(data[i:])
		i += n
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// Error describes a JSON decoding error at a position of the input.
type Error struct {
	Line, Col int // 1-based; 0 when unknown
	Msg       string
}

// Error formats e as "LINE:COL: message", or the message alone when the
// position is unknown.
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// Wrap turns an error of json.Unmarshal or json.Decoder on data into an
// *Error with the line and column of the offending byte: a syntax error
// (truncated input included) or a value of the wrong type, naming the field
// path and what was expected. Other errors are returned with position 0.
func Wrap(data []byte, err error) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := LineCol(data, syn.Offset-1)
		if syn.Error() == "unexpected end of JSON input" {
			line, col = LineCol(data, int64(len(data)))
		}
		return &Error{Line: line, Col: col, Msg: "malformed JSON: " + syn.Error()}
	case errors.As(err, &typ):
		line, col := LineCol(data, valueStart(data, typ.Offset))
		msg := fmt.Sprintf("expected %s, got %s", kindName(typ.Type.Kind()), jsonName(typ.Value))
		if n, ok := strings.CutPrefix(typ.Value, "number "); ok && isNumberKind(typ.Type.Kind()) {
			// a number that does not fit ("1e309", "99999999999999999999"), or a
			// fraction where an integer is expected
			msg = fmt.Sprintf("expected %s, got %s (out of range, or not an integer)", kindName(typ.Type.Kind()), n)
		}
		if typ.Field != "" {
			msg = typ.Field + ": " + msg
		}
		return &Error{Line: line, Col: col, Msg: msg}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		// json.Decoder's way to say that the input ends inside a value
		line, col := LineCol(data, int64(len(data)))
		return &Error{Line: line, Col: col, Msg: "malformed JSON: unexpected end of the input (is the file cut short?)"}
	}
	return &Error{Msg: err.Error()}
}

// valueStart returns the offset of the start of the value that
// json.UnmarshalTypeError.Offset points after: just after the opening brace
// of an object or array, just after the end of a scalar.
func valueStart(data []byte, off int64) int64 {
	i := min(off, int64(len(data))) - 1
	if i < 0 {
		return 0
	}
	switch c := data[i]; {
	case c == '{' || c == '[':
		return i
	case c == '"':
		for j := i - 1; j >= 0; j-- {
			if data[j] != '"' {
				continue
			}
			bs := 0
			for k := j - 1; k >= 0 && data[k] == '\\'; k-- {
				bs++
			}
			if bs%2 == 0 {
				return j
			}
		}
		return i
	default:
		for i > 0 && scalarByte(data[i-1]) {
			i--
		}
		return i
	}
}

func scalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '+'
}

// jsonName names the JSON value kind json.UnmarshalTypeError.Value gives.
func jsonName(v string) string {
	switch v {
	case "object", "array":
		return "an " + v
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	}
	return v
}

// kindName names a Go kind the way a user of the JSON would.
func kindName(k reflect.Kind) string {
	switch k.String() {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	}
	return k.String()
}

func isNumberKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// Locate returns, for each of paths, the byte offset in the JSON document
// data of the value at that path, or -1 when there is none. A path is
// written as the decoders write them in messages: object keys joined by
// ".", array indexes in brackets ("values.root_module.resources[3].values.
// policy"; a key holding "." or "[" cannot be named). Locate reads data
// once, whatever the number of paths, so that a decoder that met many
// problems in a large document positions them all in one pass.
func Locate(data []byte, paths []string) []int64 {
	out := make([]int64, len(paths))
	want := make(map[string][]int, len(paths))
	for i, p := range paths {
		out[i] = -1
		want[p] = append(want[p], i)
	}
	if len(want) == 0 {
		return out
	}
	type frame struct {
		array   bool
		index   int
		base    int  // len(path) where the frame's value starts
		wantKey bool // an object waiting for a key
	}
	var stack []*frame
	var path []byte
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for len(want) > 0 {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			break
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				path = path[:stack[len(stack)-1].base]
				stack[len(stack)-1].wantKey = !stack[len(stack)-1].array
			}
			continue
		}
		if top != nil && top.wantKey {
			path = path[:top.base]
			if top.base > 0 {
				path = append(path, '.')
			}
			path = append(path, tok.(string)...)
			top.wantKey = false
			continue
		}
		if top != nil && top.array {
			path = append(path[:top.base], '[')
			path = strconv.AppendInt(path, int64(top.index), 10)
			path = append(path, ']')
			top.index++
		}
		if is, ok := want[string(path)]; ok {
			start := skipSeparators(data, off)
			for _, i := range is {
				if out[i] < 0 {
					out[i] = start
				}
			}
			delete(want, string(path))
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{array: d == '[', base: len(path), wantKey: d == '{'})
			continue
		}
		if top != nil && !top.array {
			top.wantKey = true
		}
	}
	return out
}

// skipSeparators returns the offset of the first byte at or after off that
// is not white space, ":" or ",": where the next token starts.
func skipSeparators(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}
