package jsonpos

import (
	"encoding/json"
	"testing"
)

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncé\n\nx")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{
		{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {4, 2, 2}, {5, 2, 3}, // é is two bytes, one column
		{6, 2, 3}, {7, 3, 1}, {8, 4, 1}, {9, 4, 2}, {100, 4, 2}, {-1, 1, 1},
	} {
		if l, c := LineCol(data, tc.off); l != tc.line || c != tc.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}

func TestWrap(t *testing.T) {
	type doc struct {
		A struct {
			B []int `json:"b"`
		} `json:"a"`
		C string
	}
	for _, tc := range []struct {
		in        string
		line, col int
		msg       string
	}{
		{"{\"a\": {\"b\": [1,\n  \"x\\\"y\"]}}", 2, 3, `a.b: expected an integer, got a string`},
		{"{\"a\": {\"b\": {\"q\": 1}}}", 1, 13, `a.b: expected an array, got an object`},
		{"{\"a\": {},\n \"C\": true}", 2, 7, `C: expected a string, got a boolean`},
		{"{\"C\": -12.5e3}", 1, 7, `C: expected a string, got number`},
		{"{\"a\":\n }", 2, 2, `malformed JSON: invalid character '}' looking for beginning of value`},
		{"{\"a\": {\"b\": [1, 2]", 1, 19, `malformed JSON: unexpected end of JSON input`},
	} {
		var d doc
		err := json.Unmarshal([]byte(tc.in), &d)
		if err == nil {
			t.Fatalf("%q: no error", tc.in)
		}
		e := Wrap([]byte(tc.in), err)
		if e.Line != tc.line || e.Col != tc.col || e.Msg != tc.msg {
			t.Errorf("%q: got %d:%d %q, want %d:%d %q", tc.in, e.Line, e.Col, e.Msg, tc.line, tc.col, tc.msg)
		}
	}
}
