package jsonpos

import (
	"encoding/json"
	"fmt"
	"strings"
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

// TestWrapDecoder checks the errors of a json.Decoder, which says
// io.ErrUnexpectedEOF for a value cut short (the new user's trunc.json was
// "unexpected EOF", with no position).
func TestWrapDecoder(t *testing.T) {
	in := "{\"format_version\":\"1.0\",\n \"values\":{\"root_module\":{\"resources\":[{\"type\":\"aws_kms"
	var v any
	err := json.NewDecoder(strings.NewReader(in)).Decode(&v)
	e := Wrap([]byte(in), err)
	if e.Line != 2 || e.Col != 56 || e.Msg != "malformed JSON: unexpected end of the input (is the file cut short?)" {
		t.Errorf("got %d:%d %q", e.Line, e.Col, e.Msg)
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
		{"{\"a\": {\"b\": [1,\n 99999999999999999999]}}", 2, 2, `a.b: expected an integer, got 99999999999999999999 (out of range, or not an integer)`},
		{"{\"a\": {\"b\": [90.5]}}", 1, 14, `a.b: expected an integer, got 90.5 (out of range, or not an integer)`},
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

func TestLocate(t *testing.T) {
	data := []byte("{\"values\": {\"root_module\": {\"resources\": [\n  {\"address\": \"a\", \"values\": {\"policy\": 12}},\n  {\"address\": \"b\", \"values\": {\"rule\": [{\"x\": [1, {\"y\": true}]}]}}\n]}}, \"z\": null}")
	paths := []string{
		"values.root_module.resources[0].values.policy",
		"values.root_module.resources[1].values.rule[0].x[1].y",
		"values.root_module.resources[1]",
		"z",
		"values.root_module.resources[2]",
		"values.root_module.resources[0].values.policy",
	}
	want := []string{"2:41", "3:56", "3:3", "4:11", "-", "2:41"}
	for i, off := range Locate(data, paths) {
		got := "-"
		if off >= 0 {
			l, c := LineCol(data, off)
			got = fmt.Sprintf("%d:%d", l, c)
		}
		if got != want[i] {
			t.Errorf("%s: at %s, want %s", paths[i], got, want[i])
		}
	}
}
