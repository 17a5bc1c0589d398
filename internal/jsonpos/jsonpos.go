package jsonpos

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
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
		if typ.Field != "" {
			msg = typ.Field + ": " + msg
		}
		return &Error{Line: line, Col: col, Msg: msg}
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
